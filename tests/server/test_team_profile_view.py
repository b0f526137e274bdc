"""A team profile is visible as one: `team_url` in `profile list --json`, "团队：URL" in the
status bar; File → log in again replaces a revoked device token in the open window."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer

from desktop.sandbox import SandboxServer
from desktop.services.profiles import Profile, ProfileStore
from desktop.services.team import normalized_url, store_device_token, team_api_base
from desktop.services.workspace import Workspace, open_workspace
from desktop.ui.batch_progress import UnfinishedBatchesDialog
from desktop.ui.context import AppContext
from desktop.ui.i18n import CHINESE, Translations
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.sync_controller import SyncController
from desktop.wecom.error_codes import TEAM_TOKEN_REVOKED
from desktop.wecom.errors import WeComError
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    desktop_env,
    inbox_size,
    log_in,
    newest_code,
    tagdesk,
)

pytestmark = [pytest.mark.integration, pytest.mark.gui]


def _team_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sandbox: SandboxServer,
               url: str, user: str) -> tuple[Path, Profile]:
    """An isolated desktop home holding one team profile for `user` on the server at `url`."""
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    home = tmp_path / "home"
    home.mkdir()
    profile = Profile(name="team", corp_id=sandbox.corp_id, api_base=team_api_base(url),
                      team_url=normalized_url(url), userid=user)
    ProfileStore(home).add(profile)
    return home, profile


@contextmanager
def _chinese_window(qtbot: Any, home: Path) -> Iterator[tuple[MainWindow, Workspace]]:
    """The main window on the home's team profile, in Chinese; closed and idle afterwards."""
    translations = Translations()
    translations.install(CHINESE)
    workspace = open_workspace(home, "team")
    context = AppContext(workspace)
    try:
        window = MainWindow(context, Settings(home), SyncController(context, context), CHINESE)
        qtbot.addWidget(window)
        window.show()
        poller = window.team_settings
        assert poller is not None
        qtbot.waitUntil(lambda: not poller.busy, timeout=30_000)  # its first poll, at start
        yield window, workspace
        window.close()
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()
        translations.uninstall()


def test_profile_list_json_names_the_team_url(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    env = desktop_env(tmp_path)
    user = sorted(team_sandbox.state.follow_users())[0]
    added = tagdesk("profile", "add", "team", "--team-url", team_server.url, "--userid", user,
                    env=env)
    assert added.returncode == 0, added.stderr
    solo = tagdesk("profile", "add", "solo", "--corp-id", team_sandbox.corp_id, "--api-base",
                   team_sandbox.api_base, "--userid", user, "--secret-stdin",
                   stdin=team_sandbox.secret + "\n", env=env)
    assert solo.returncode == 0, solo.stderr
    listed = tagdesk("profile", "list", "--json", env=env)
    rows = {row["name"]: row for row in json.loads(listed.stdout)}
    assert rows["team"]["team_url"] == team_server.url
    assert rows["team"]["api_base"] == team_server.url + "cgi-bin/"
    assert rows["solo"]["team_url"] is None
    plain = tagdesk("profile", "list", env=env).stdout
    assert f"团队 / team {team_server.url}" in plain


def test_the_window_shows_team_mode_and_logs_in_again_after_a_revoke(
    qtbot: Any, team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = sorted(team_sandbox.state.follow_users())[2]
    home, profile = _team_home(tmp_path, monkeypatch, team_sandbox, team_server.url, user)
    first = log_in(team_server.url, team_sandbox, user)
    store_device_token(profile, first.token)
    with _chinese_window(qtbot, home) as (window, workspace):
        assert f"团队：{team_server.url}" in window.status.profile.text()
        assert window.login_action.isVisible() and window.login_action.text() == "登录团队服务器(&L)…"
        with qtbot.waitSignal(window.sync.finished, timeout=120_000):
            window.start_sync()

        revoked = tagdesk("server", "devices", "--db", team_server.db_url, "--revoke",
                          str(first.device_id), env=desktop_env(tmp_path))
        assert revoked.returncode == 0, revoked.stderr
        with pytest.raises(WeComError) as caught, workspace.client() as client:
            client.get_follow_user_list()
        assert caught.value.errcode == TEAM_TOKEN_REVOKED
        with qtbot.waitSignal(window.sync.failed, timeout=60_000):
            window.start_sync()
        assert "管理员已撤销这台设备的登录" in window.status.currentMessage()
        assert "文件 → 登录团队服务器…" in window.status.currentMessage()
        context = window.context
        (tag_id,) = context.tagging.resolve_tag_names(["客户等级:VIP"])
        (rid,) = [int(r[0]) for r in context.cache.connection().execute(
            "SELECT id FROM relation ORDER BY id LIMIT 1")]
        with qtbot.waitSignal(context.write_failed, timeout=60_000):  # stopped, still queued
            context.toggle_tag([rid], tag_id, lambda: "VIP")

        dialog = window.open_team_login()
        seen = inbox_size(team_sandbox, user)
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.challenge is not None, timeout=30_000)
        dialog.code.setText(newest_code(team_sandbox, user, seen))
        # enabled once the sending task is over too (its result arrives just before)
        qtbot.waitUntil(dialog.login_button.isEnabled, timeout=30_000)
        with qtbot.waitSignal(dialog.accepted, timeout=30_000):
            qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
        with workspace.client() as client:
            assert user in client.get_follow_user_list()
        assert "已以" in window.status.currentMessage()
        assert f"团队：{team_server.url}" in window.status.profile.text()
        offered = window.findChild(UnfinishedBatchesDialog)   # the stopped write, to go on
        assert offered is not None and offered.isVisible() and offered.list.count() == 1
        assert "团队服务器" in offered.intro.text() and "企业微信" not in offered.intro.text()
        offered.close()


def test_a_closed_window_asks_the_team_server_nothing_more(
    qtbot: Any, team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Closed, the window's governance monitor and team settings poller kept their minute's
    polls (the monitor its look at the journal push too): a closed window lives on until a
    later test deletes it, and a poll then started a task in that test."""
    user = sorted(team_sandbox.state.follow_users())[3]
    home, profile = _team_home(tmp_path, monkeypatch, team_sandbox, team_server.url, user)
    store_device_token(profile, log_in(team_server.url, team_sandbox, user).token)
    with _chinese_window(qtbot, home) as (window, _workspace):
        governance, poller = window.governance, window.team_settings
        assert governance is not None and poller is not None
        qtbot.waitUntil(lambda: not governance.busy, timeout=30_000)
        window.close()
        timers = governance.findChildren(QTimer) + poller.findChildren(QTimer)
        assert len(timers) == 3 and not any(timer.isActive() for timer in timers)
        governance.refresh()    # as a sync's end or a request sent from this desktop would
        poller.poll()
        assert not governance.busy and not poller.busy


def test_the_window_says_the_team_server_is_unavailable_when_it_is_stopped(
    qtbot: Any, postgres: PostgresCluster, team_sandbox: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = TeamServerProcess(postgres.new_database(), team_sandbox, tmp_path / "server")
    user = sorted(team_sandbox.state.follow_users())[5]
    home, profile = _team_home(tmp_path, monkeypatch, team_sandbox, server.url, user)
    try:
        store_device_token(profile, log_in(server.url, team_sandbox, user).token)
    finally:
        assert server.stop() == 0
    with _chinese_window(qtbot, home) as (window, _workspace):
        waits: list[str] = []
        window.sync.progressed.connect(lambda event: waits.append(event.waiting))
        with qtbot.waitSignal(window.sync.failed, timeout=60_000):
            window.start_sync()
        assert any(w.startswith("团队服务器暂不可用，正在重试…") for w in waits), waits
        assert f"团队服务器不可用（{server.url}）" in window.status.currentMessage()
        assert "企业微信接口" not in window.status.currentMessage()
