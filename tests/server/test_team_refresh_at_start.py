"""A logged-in team desktop syncs through its team server when it starts, once the window has
painted its first rows: a tag someone else deleted since is gone without pressing F5."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.sandbox import SandboxServer
from desktop.services.profiles import Profile, ProfileStore
from desktop.services.team import normalized_url, store_device_token, team_api_base
from desktop.services.workspace import open_workspace
from desktop.store import outbox
from desktop.ui.i18n import Translations
from desktop.ui.session import GuiSession
from desktop.ui.settings import Settings
from tests.server.team_support import TeamServerProcess, desktop_env, log_in

pytestmark = [pytest.mark.integration, pytest.mark.gui]


def _opened(qtbot: Any, home: Path, order: list[str]) -> GuiSession:
    """The app's session on the home's team profile, shown as at start (default settings)."""
    session = GuiSession(open_workspace(home, "team"), Settings(home), Translations())
    qtbot.addWidget(session.window)
    session.window.firstRowsShown.connect(lambda: order.append("rows"))
    session.sync.started.connect(lambda: order.append("sync"))
    with qtbot.waitSignal(session.sync.finished, timeout=120_000):
        session.show()
    return session


def test_a_team_desktop_refreshes_at_start_and_drops_a_tag_deleted_elsewhere(
    qtbot: Any, team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    home = tmp_path / "home"
    home.mkdir()
    user = sorted(team_sandbox.state.follow_users())[0]
    profile = Profile(name="team", corp_id=team_sandbox.corp_id,
                      api_base=team_api_base(team_server.url),
                      team_url=normalized_url(team_server.url), userid=user)
    ProfileStore(home).add(profile)
    store_device_token(profile, log_in(team_server.url, team_sandbox, user).token)

    first: list[str] = []
    session = _opened(qtbot, home, first)           # an empty cache syncs at once
    try:
        assert first[0] == "sync"
        live = outbox.tag_catalogue(session.context.cache)
    finally:
        session.close()
    gone = next(t for t in live if t.group_name.startswith("MKT-"))
    team_sandbox.state.console_delete_tag(gone.id)   # someone else, while this desktop was closed

    again: list[str] = []
    session = _opened(qtbot, home, again)
    try:
        assert again == ["rows", "sync"]             # the first paint did not wait for it
        assert gone.id not in outbox.live_tag_ids(session.context.cache)
    finally:
        session.close()
