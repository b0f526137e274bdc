"""Logging this desktop in to its team server: userid → "send code" → code → log in.

Opened at start for a team profile whose device token is not in the keyring, and from
File → "Log in to the team server…". The server sends a one-time code to the member through
WeCom; the device token it hands back goes to the keyring only. Both calls run on a pool
thread (`desktop.ui.tasks`), owned by the dialog. Enter in the userid sends the code, Enter
in the code logs in.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.profiles import Profile
from desktop.services.team import (
    DeviceLogin,
    LoginChallenge,
    TeamServerError,
    complete_login,
    profile_needing_login,
    start_login,
)
from desktop.ui.errors import readable
from desktop.ui.field_enter import press_field_button
from desktop.ui.i18n import sentences
from desktop.ui.tasks import Task
from desktop.wecom.error_codes import TEAM_CODE_EXPIRED, TEAM_TOO_MANY_ATTEMPTS


class LoginDialog(QDialog):
    """Asks the team server for a code for a userid, then logs in with that code.
    After `accept()`, `profile` and `device` hold the login."""

    def __init__(self, home: Path, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.profile = profile
        self.device: DeviceLogin | None = None
        self.challenge: LoginChallenge | None = None
        self._task: Task | None = None
        self.setWindowTitle(self.tr("Log in to the team server"))
        self.intro = QLabel(self.tr(
            "Profile %1 works through the team server %2. Enter your WeCom userid: the server"
            " sends you a six-digit code as a WeCom message.").replace(
                "%1", profile.name).replace("%2", profile.team_url))
        self.intro.setWordWrap(True)
        self.userid = QLineEdit(profile.userid)
        self.userid.setPlaceholderText(self.tr("WeCom userid, e.g. zhangsan"))
        self.send_button = QPushButton(self.tr("Send code"))
        self.send_button.clicked.connect(self.send_code)
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("Six digits from the WeCom message"))
        self.code.setMaxLength(6)
        self.code.setEnabled(False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.login_button = self.buttons.addButton(
            self.tr("Log in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.login_button.setEnabled(False)
        self.login_button.setDefault(True)
        self.buttons.accepted.connect(self.log_in)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.userid, 1)
        row.addWidget(self.send_button)
        form = QFormLayout()
        form.addRow(self.tr("WeCom userid"), row)
        form.addRow(self.tr("Code"), self.code)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.code.textChanged.connect(self._code_changed)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in the userid sends a code and in the code field logs in, when they may; a
        focused button presses itself. Enter in the code field pressed 发送验证码 again (the
        button pressed last): a new code was sent and the six digits typed were spent."""
        if not press_field_button(event, self.focusWidget(),
                                  {self.userid: self.send_button, self.code: self.login_button}):
            super().keyPressEvent(event)

    def send_code(self) -> None:
        userid = self.userid.text().strip()
        if not userid:
            self.message.setText(self.tr("Enter your WeCom userid first."))
            return
        url = self.profile.team_url
        self.message.setText(self.tr("Asking the team server to send a code to %1…").replace(
            "%1", userid))
        self._run("team login start", lambda: start_login(url, userid), self._code_sent)

    def log_in(self) -> None:
        challenge, code = self.challenge, self.code.text().strip()
        if challenge is None or not code:
            return
        home, profile = self.home, self.profile
        device_name = f"{socket.gethostname()} (tagdesk)"
        self.message.setText(self.tr("Logging in…"))
        self._run("team login finish",
                  lambda: complete_login(home, profile, challenge, code, device_name),
                  self._logged_in)

    def _run(self, name: str, call: Callable[[], Any],
             on_result: Callable[[Any], None]) -> None:
        self._set_busy(True)
        task = Task(lambda _progress, _cancel: call(), owner=self, name=name)
        task.on_result(on_result).on_error(self._failed).on_finished(self._done)
        self._task = task.start()

    def _done(self) -> None:
        self._task = None
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)
        self.userid.setEnabled(not busy)
        self.code.setEnabled(not busy and self.challenge is not None)
        self._code_changed()
        if busy:
            self.login_button.setEnabled(False)

    def _code_changed(self) -> None:
        self.login_button.setEnabled(self.challenge is not None and self._task is None
                                     and len(self.code.text().strip()) == 6)

    def _code_sent(self, challenge: LoginChallenge) -> None:
        self.challenge = challenge
        minutes = max(1, challenge.expires_in // 60)
        self.message.setText(self.tr(
            "A code was sent to %1 through WeCom; it is valid for %2 minutes.").replace(
                "%1", self.userid.text().strip()).replace("%2", str(minutes)))
        self.code.clear()
        self.code.setEnabled(True)
        self.code.setFocus()

    def _logged_in(self, result: tuple[Profile, DeviceLogin]) -> None:
        self.profile, self.device = result
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        text = readable(exc)
        errcode = exc.errcode if isinstance(exc, TeamServerError) else None
        if errcode in (TEAM_CODE_EXPIRED, TEAM_TOO_MANY_ATTEMPTS):
            self.challenge = None       # that code is spent: a new one is needed
            self.code.clear()
            text = sentences(text, self.tr("Press “Send code” for a new code."))
        self.message.setText(text)

    def done(self, result: int) -> None:
        if self._task is not None:
            self._task.cancel()
        super().done(result)


def ask_login(home: Path, profile: Profile, parent: QWidget | None = None) -> LoginDialog | None:
    """Show the login dialog; the dialog (with the login) when it succeeded, else None."""
    dialog = LoginDialog(home, profile, parent)
    return dialog if dialog.exec() == QDialog.DialogCode.Accepted else None


def login_if_needed(home: Path, name: str) -> None:
    """At start: a team profile without a device token in the keyring asks to log in first
    (cancelled, opening the profile then says that it is not logged in)."""
    profile = profile_needing_login(home, name)
    if profile is not None:
        ask_login(home, profile)
