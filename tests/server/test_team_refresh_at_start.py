"""A logged-in team desktop reads the tag library through its team server when it starts, once
the window has painted its first rows: a tag someone else deleted since is gone and one renamed
is respelled in a saved filter without pressing F5, for a few WeCom calls (not a whole sync)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.domain.filter.printer import quote
from desktop.sandbox import SandboxServer
from desktop.services.workspace import open_workspace
from desktop.store import outbox
from desktop.ui.i18n import Translations
from desktop.ui.session import GuiSession
from desktop.ui.settings import Settings
from tests.server.team_support import TeamServerProcess, desktop_env, logged_in_home

RELATION_PAGES = "externalcontact/batch/get_by_user"

pytestmark = [pytest.mark.integration, pytest.mark.gui]


def _opened(qtbot: Any, home: Path, order: list[str], *, synced: bool) -> GuiSession:
    """The app's session on the home's team profile, shown as at start (default settings),
    once its first sync (an empty cache) or its refresh of the tag library ended."""
    session = GuiSession(open_workspace(home, "team"), Settings(home), Translations())
    qtbot.addWidget(session.window)
    session.window.firstRowsShown.connect(lambda: order.append("rows"))
    session.sync.started.connect(lambda: order.append("sync"))
    ended = session.sync.refreshed if synced else session.sync.finished
    with qtbot.waitSignal(ended, timeout=120_000):
        session.show()
    return session


def test_a_team_desktop_refreshes_its_tag_library_at_start_in_a_few_calls(
    qtbot: Any, team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    home = tmp_path / "home"
    user = sorted(team_sandbox.state.follow_users())[0]
    logged_in_home(home, team_server.url, team_sandbox, user)

    first: list[str] = []
    session = _opened(qtbot, home, first, synced=False)    # an empty cache syncs at once
    try:
        assert first[0] == "sync"
        live = outbox.tag_catalogue(session.context.cache)
        whole_sync = session.sync.last_result
        assert whole_sync is not None
    finally:
        session.close()
    gone = next(t for t in live if t.group_name.startswith("MKT-"))
    renamed = next(t for t in live if t.group_id != gone.group_id)
    saved = f"{quote(renamed.group_name)}:{quote(renamed.name)}"
    Settings(home).save_filter("team", "saved", saved)
    team_sandbox.state.console_delete_tag(gone.id)   # someone else, while this desktop was closed
    team_sandbox.state.console_edit_tag(renamed.id, name="改名后的标签")

    again: list[str] = []
    calls_before = team_sandbox.stats.calls()
    pages_before = team_sandbox.stats.calls(RELATION_PAGES)
    session = _opened(qtbot, home, again, synced=True)
    try:
        calls = team_sandbox.stats.calls() - calls_before
        rule_groups = len(session.context.cache.connection().execute(
            "SELECT id FROM strategy").fetchall())
        assert again == ["rows", "sync"]             # the first paint did not wait for it
        assert gone.id not in outbox.live_tag_ids(session.context.cache)
        # the tag list, then the rule groups' list and two calls a rule group (here 4)
        assert calls == 2 + 2 * rule_groups < whole_sync.api_calls
        assert team_sandbox.stats.calls(RELATION_PAGES) == pages_before   # no relation read
        assert Settings(home).saved_filters("team") == [
            ("saved", f"{quote(renamed.group_name)}:改名后的标签")]
        assert session.window.status.currentMessage().startswith("Tag library refreshed:")
    finally:
        session.close()
