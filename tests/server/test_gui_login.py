"""The GUI's login dialog against a real team server: userid → "send code" → the code from
the member's WeCom inbox → log in; wrong, spent and unreachable cases say so."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop.sandbox import SandboxServer
from desktop.services.profiles import Profile, ProfileStore
from desktop.services.team import normalized_url, profile_needing_login, team_api_base
from desktop.services.workspace import open_workspace
from desktop.ui.login_dialog import LoginDialog, login_if_needed
from tests.server.team_support import TeamServerProcess, inbox_size, newest_code

pytestmark = [pytest.mark.integration, pytest.mark.gui]

WAIT_MS = 30_000


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TAGDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    (tmp_path / "home").mkdir()
    return tmp_path / "home"


def _team_profile(home: Path, url: str, corp_id: str, userid: str) -> Profile:
    profile = Profile(name="team", corp_id=corp_id, api_base=team_api_base(url),
                      team_url=normalized_url(url), userid=userid)
    ProfileStore(home).add(profile)
    return profile


def _send(qtbot: Any, dialog: LoginDialog) -> None:
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.send_button.isEnabled(), timeout=WAIT_MS)


def _log_in(qtbot: Any, dialog: LoginDialog, code: str) -> None:
    dialog.code.setText(code)
    assert dialog.login_button.isEnabled()
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.send_button.isEnabled() or dialog.result(), timeout=WAIT_MS)


def test_the_dialog_logs_in_with_the_code_from_the_inbox(
    qtbot: Any, home: Path, team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    user = sorted(team_sandbox.state.follow_users())[3]
    profile = _team_profile(home, team_server.url, team_sandbox.corp_id, user)
    assert profile_needing_login(home, "team") == profile
    dialog = LoginDialog(home, profile)
    qtbot.addWidget(dialog)
    assert dialog.userid.text() == user and not dialog.login_button.isEnabled()

    seen = inbox_size(team_sandbox, user)
    _send(qtbot, dialog)
    code = newest_code(team_sandbox, user, seen)
    assert "5 分钟" in dialog.message.text() or "5 minutes" in dialog.message.text()

    _log_in(qtbot, dialog, "000000" if code != "000000" else "111111")
    assert "验证码不正确" in dialog.message.text()
    assert dialog.result() == 0 and dialog.code.isEnabled()

    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        _log_in(qtbot, dialog, code)
    assert dialog.device is not None and dialog.device.userid == user
    assert profile_needing_login(home, "team") is None
    with open_workspace(home, "team") as workspace, workspace.client() as client:
        assert user in client.get_follow_user_list()

    spent = LoginDialog(home, profile)  # a code works once: the dialog asks for a new one
    qtbot.addWidget(spent)
    spent.challenge = dialog.challenge
    _log_in(qtbot, spent, code)
    assert "验证码已过期或已使用" in spent.message.text()
    assert spent.challenge is None and not spent.code.isEnabled()
    assert spent.send_button.isEnabled() and not spent.login_button.isEnabled()


def test_enter_in_the_userid_sends_a_code_and_in_the_code_logs_in(
    qtbot: Any, home: Path, team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    """The six digits typed and Enter pressed 发送验证码 again: a new code was sent, the one
    typed was cleared and spent, and the dialog never logged in from the keyboard."""
    user = sorted(team_sandbox.state.follow_users())[4]
    dialog = LoginDialog(home, _team_profile(home, team_server.url, team_sandbox.corp_id, user))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    seen = inbox_size(team_sandbox, user)
    dialog.userid.setFocus()
    qtbot.keyClick(dialog.userid, Qt.Key.Key_Return)
    code = newest_code(team_sandbox, user, seen)
    qtbot.waitUntil(lambda: dialog.code.isEnabled() and dialog._task is None, timeout=WAIT_MS)
    assert dialog.focusWidget() is dialog.code
    qtbot.keyClicks(dialog.code, code)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert inbox_size(team_sandbox, user) == seen + 1       # one code, used
    assert dialog.device is not None and dialog.device.userid == user


def test_an_unreachable_team_server_is_said_in_the_dialog(
    qtbot: Any, home: Path, team_sandbox: SandboxServer
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    profile = _team_profile(home, url, team_sandbox.corp_id, "zhangsan")
    dialog = LoginDialog(home, profile)
    qtbot.addWidget(dialog)
    _send(qtbot, dialog)
    assert dialog.message.text().startswith(f"团队服务器不可用（{url}）")
    assert dialog.challenge is None and not dialog.login_button.isEnabled()


def test_at_start_a_team_profile_without_a_device_token_asks_to_log_in(
    qtbot: Any, home: Path, team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    user = sorted(team_sandbox.state.follow_users())[4]
    _team_profile(home, team_server.url, team_sandbox.corp_id, user)
    seen = inbox_size(team_sandbox, user)
    shown: list[LoginDialog] = []

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LoginDialog)
        shown.append(dialog)
        try:
            _send(qtbot, dialog)
            _log_in(qtbot, dialog, newest_code(team_sandbox, user, seen))
        finally:
            if not dialog.result():
                dialog.reject()     # never leave the start-up waiting on a dialog

    QTimer.singleShot(200, drive)
    login_if_needed(home, "team")   # what run_gui does before it opens the profile
    assert len(shown) == 1 and shown[0].result() == 1
    assert profile_needing_login(home, "team") is None
    login_if_needed(home, "team")   # logged in now: no dialog, returns at once
    assert len(shown) == 1
