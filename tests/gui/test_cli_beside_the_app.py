"""The supervisor's daily recipe while the app is open on the profile: `tagdesk sync` is
handed to the app (which keeps the cache's writer lock) and `tagdesk audit export` reads
beside it. The commands run as real processes; the app is a real GuiSession."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.integration]


def _tagdesk(*args: str, stdin: str = "") -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-m", "desktop", *args], text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdin is not None
    process.stdin.write(stdin)
    process.stdin.close()
    return process


def _finish(qtbot: Any, process: subprocess.Popen[str]) -> tuple[int, str, str]:
    """Wait for a command while the app's event loop keeps running."""
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=90000)
    assert process.stdout is not None and process.stderr is not None
    return process.returncode, process.stdout.read(), process.stderr.read()


@pytest.fixture
def open_app(qtbot: Any, gui_home: Path, sandbox: Any) -> Iterator[Any]:
    """The app open on profile acme, synced once, holding the cache's writer lock."""
    from desktop.services.workspace import open_workspace
    from desktop.ui.i18n import Translations
    from desktop.ui.session import GuiSession
    from desktop.ui.settings import Settings

    added = _tagdesk("profile", "add", "acme", "--corp-id", sandbox.corp_id, "--api-base",
                     sandbox.api_base, "--userid", "zhangsan", "--secret-stdin",
                     stdin=sandbox.secret + "\n")
    assert _finish(qtbot, added)[0] == 0
    session = GuiSession(open_workspace(gui_home, "acme"), Settings(gui_home), Translations())
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.sync.idle, timeout=60000):
        session.show()  # an empty cache: the first sync starts at once
    try:
        yield session
    finally:
        session.close()


def test_the_daily_export_recipe_works_while_the_app_is_open(
    qtbot: Any, open_app: Any, sandbox: Any, tmp_path: Path
) -> None:
    from desktop.store.db import Cache
    from desktop.store.errors import CacheLockedError

    cache_path = open_app.workspace.cache.path
    with pytest.raises(CacheLockedError):
        Cache(cache_path, exclusive=True)  # the app really holds the writer lock
    calls_before = sandbox.stats.calls("externalcontact/batch/get_by_user")
    finished: list[object] = []
    open_app.sync.finished.connect(finished.append)
    sandbox.state.console_edit_tag(sandbox.state.find_tag("意向程度", "高意向"), name="意向很高")

    code, out, err = _finish(qtbot, _tagdesk("sync", "--profile", "acme", "--json"))
    assert code == 0, err
    summary = json.loads(out.splitlines()[-1])
    assert summary["relations"] == 351 and summary["rate_limit_pauses"] == 0
    assert summary["scope"] == "corp"
    assert summary["renamed"] == [
        {"kind": "tag", "old": "高意向", "new": "意向很高", "group": "意向程度"}]
    assert "The TagDesk app (pid" in err and "it runs the sync" in err
    assert "[relations]" in err  # the app's progress reached the command
    assert len(finished) == 1  # the app ran it, and its views were told
    assert sandbox.stats.calls("externalcontact/batch/get_by_user") > calls_before

    export = tmp_path / "audit.xlsx"
    code, out, err = _finish(qtbot, _tagdesk("audit", "export", "--profile", "acme",
                                             "--since", "24h", str(export)))
    assert code == 0, err
    assert export.stat().st_size > 0


def test_a_sync_asked_for_during_the_apps_own_sync_gets_a_fresh_one(
    qtbot: Any, open_app: Any
) -> None:
    finished: list[object] = []
    open_app.sync.finished.connect(finished.append)
    assert open_app.sync.start()
    code, _out, err = _finish(qtbot, _tagdesk("sync", "--profile", "acme", "--json"))
    assert code == 0, err
    assert len(finished) == 2  # the app's own, then one for the command


def test_a_sync_cancelled_in_the_app_fails_the_command_with_the_reason(
    qtbot: Any, open_app: Any, sandbox: Any
) -> None:
    sandbox.configure(latency_ms=200)
    command = _tagdesk("sync", "--profile", "acme")
    qtbot.waitUntil(lambda: open_app.sync.running, timeout=30000)
    open_app.sync.cancel()
    code, _out, err = _finish(qtbot, command)
    sandbox.configure(latency_ms=0)
    assert code == 2
    assert err.strip().splitlines()[-1] == (
        "tagdesk: 同步已在 TagDesk 应用中取消。 / The sync was cancelled in the TagDesk app.")
