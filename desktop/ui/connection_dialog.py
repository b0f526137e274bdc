"""File → Connection settings…: the profile's corp, API base and app secret.

A solo profile shows its corp id, API base and whether the keyring holds a secret (never the
secret itself), and takes a new one: masked (with show / hide), tried against WeCom on a
worker (`services.secret_check.try_secret`: gettoken and one light read) with progress and
cancel, and stored in the OS keyring only when WeCom took it, or when the person presses
"save anyway" after a refusal. A new API base (a relay with a fixed IP when WeCom answers
60020) is checked as a URL and tried the same way, with the stored secret when no new one was
typed, then saved in the profile; the workspace's clients use it at once. Once stored, the open workspace uses it and the tagging the old
secret stopped goes on (`AppContext.use_new_secret`), without a restart.

A team profile holds no WeCom secret: the window says the secret lives on the team server and
shows the server's address and whether this desktop is logged in. The demo needs none.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.profiles import Profile, ProfileError, validate
from desktop.services.progress import CancelToken
from desktop.ui.context import AppContext
from desktop.ui.errors import ip_not_trusted, readable, secret_rejected
from desktop.ui.i18n import sentences
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.tasks import Task
from desktop.wecom.errors import CallCancelled

log = logging.getLogger("tagdesk.ui")
_CALLER_IP = re.compile(r"from ip: ([0-9A-Fa-f.:]+)")
MIN_WIDTH = 520     # px: the corp id and an API base stay on one line


@dataclass(frozen=True)
class Saved:
    """What a save changed: a new secret (and the batches it sent again), a new API base."""

    secret: bool
    api_base: str           # "" when unchanged
    resumed: int
    outside: bool = False   # the secret was stored from the command line


def secret_adopted(context: AppContext) -> Saved:
    """A secret stored from the command line is in use: the tagging the old one stopped is
    sent again."""
    return Saved(secret=True, api_base="", resumed=context.use_new_secret(), outside=True)


def pick_up_stored_secret(context: AppContext, owner: QObject,
                          adopted: Callable[[Saved], None]) -> None:
    """Read the keyring on a worker; when it holds another secret than the one in use
    (`tagdesk profile add … --secret-stdin` meanwhile), use it and tell `adopted`."""
    workspace = context.workspace
    if workspace.profile.is_team or workspace.profile.is_demo:
        return

    def read(_progress: Any, _cancel: CancelToken) -> bool | None:
        from desktop.services.secret_check import adopt_stored_secret

        return adopt_stored_secret(workspace)

    def done(new: bool | None) -> None:
        if new:
            adopted(secret_adopted(context))

    context.run_task(read, owner=owner, name="stored secret read", on_result=done,
                     on_error=lambda exc: log.debug("keyring not read: %s", type(exc).__name__))


class ConnectionDialog(QDialog):
    """The profile's connection, and a new app secret or API base for a solo profile."""

    saved = Signal(object)          # Saved
    loginRequested = Signal()       # a team profile: open File → Log in to the team server…

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.profile: Profile = context.workspace.profile
        self._task: Task | None = None
        self._attempt = 0           # callbacks of a cancelled try are dropped
        self._trying = False        # the task under way asks WeCom (else: it stores)
        self._stored: bool | None = None
        self._keyring_problem = ""
        self._logged_in = ""
        self._read_in_front = False     # read since the window came to the front
        self.setObjectName("connectionSettings")
        self.setMinimumWidth(MIN_WIDTH)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.profile_name = self._value(self.profile.name)
        self.corp_id = self._value(self.profile.corp_id)
        self.api_base: QLabel | QLineEdit = self._value(self.profile.api_base)
        if self.kind == "solo":
            self.api_base = QLineEdit(self.profile.api_base, self)
            self.api_base.setObjectName("apiBase")
            self.api_base.textChanged.connect(self._typed)
        self.team_url = self._value(self.profile.team_url)
        self.stored = self._value("")
        self.signed_in = self._value("")
        self.secret = QLineEdit(self)
        self.secret.setObjectName("newSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setClearButtonEnabled(True)
        self.secret.textChanged.connect(self._typed)
        self.show_secret = QPushButton(self)
        self.show_secret.setCheckable(True)
        self.show_secret.setAutoDefault(False)
        self.show_secret.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.show_secret.toggled.connect(self._toggle_shown)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.message = QLabel()
        self.message.setObjectName("connectionMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_button = QPushButton()
        self.test_button.setDefault(True)
        self.test_button.clicked.connect(self.test_and_save)
        self.save_anyway = QPushButton()
        self.save_anyway.hide()
        self.save_anyway.clicked.connect(self.save_without_test)
        self.cancel_button = QPushButton()
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_test)
        self.login_button = QPushButton()
        self.login_button.clicked.connect(lambda: self.loginRequested.emit())
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._layout()
        self.texts = retranslate_in_place(self, self.retranslate)
        context.secret_refused.connect(self._show_state)    # the stored one refused meanwhile
        context.secret_replaced.connect(self._show_state)
        self.secret.setFocus()

    @property
    def kind(self) -> str:
        """"team", "demo" or "solo": what the window shows and takes."""
        if self.profile.is_team:
            return "team"
        return "demo" if self.profile.is_demo else "solo"

    @property
    def busy(self) -> bool:
        return self._task is not None

    def _value(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _layout(self) -> None:
        self._labels: dict[str, QLabel] = {}

        def row(key: str, field: QWidget | QHBoxLayout) -> None:
            self._labels[key] = QLabel()
            self.form.addRow(self._labels[key], field)

        row("profile", self.profile_name)
        if self.kind == "team":
            row("team_url", self.team_url)
            row("signed_in", self.signed_in)
        row("corp_id", self.corp_id)
        row("api_base", self.api_base)
        entry = QHBoxLayout()
        entry.addWidget(self.secret, 1)
        entry.addWidget(self.show_secret)
        if self.kind == "solo":
            row("stored", self.stored)
            row("secret", entry)
        if self.kind != "solo":
            for widget in (self.secret, self.show_secret, self.test_button):
                widget.hide()
        if self.kind != "team":
            self.login_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_anyway)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.login_button)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        if self.kind == "team":
            self.login_button.setDefault(True)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Connection settings"))
        labels = {
            "profile": self.tr("Profile"), "team_url": self.tr("Team server"),
            "signed_in": self.tr("Login"), "corp_id": self.tr("Corp ID"),
            "api_base": self.tr("API base"), "stored": self.tr("App secret"),
            "secret": self.tr("New secret"),
        }
        for key, label in self._labels.items():
            label.setText(labels[key])
        self.intro.setText({
            "solo": self.tr("The app secret (Secret) is kept in the operating system's keyring"
                            " only. After it was reset in the admin console (App Management →"
                            " this app), enter the new one: TagDesk tries it with WeCom first and"
                            " stores it when WeCom accepts it. A new API base (a relay with a"
                            " fixed IP) is tried the same way before it is saved."),
            "team": self.tr("This is a team profile: the WeCom app secret lives on the team"
                            " server, which calls WeCom for every desktop. This computer keeps"
                            " only its login to the server; an administrator changes the secret"
                            " on the server."),
            "demo": self.tr("The demo corp runs in a sandbox on this computer and needs no"
                            " app secret."),
        }[self.kind])
        self.secret.setPlaceholderText(self.tr("Paste the secret from the admin console"))
        if isinstance(self.api_base, QLineEdit):
            self.api_base.setToolTip(self.tr("WeCom's address, or a relay with a fixed IP when"
                                             " this computer's IP is not trusted (60020)"))
        self.show_secret.setText(self.tr("Hide") if self.show_secret.isChecked()
                                 else self.tr("Show"))
        self.show_secret.setToolTip(self.tr("Show or hide the secret you typed"))
        self.test_button.setText(self.tr("Test and save"))
        self.save_anyway.setText(self.tr("Save anyway"))
        self.save_anyway.setToolTip(self.tr("Store this secret without WeCom's approval, e.g."
                                            " while this computer's IP is not yet trusted"))
        self.cancel_button.setText(self.tr("Cancel test"))
        self.login_button.setText(self.tr("Log in to the team server…"))
        self.close_button.setText(self.tr("Close"))
        self._show_state()

    # -- what is stored ---------------------------------------------------------------------

    def reload(self) -> None:
        """Read again (on a worker: a keyring may be slow to answer) whether a secret is
        stored, or for a team profile whether this desktop is logged in. A secret stored
        meanwhile from the command line is used from then on (`adopt_stored_secret`)."""
        if self.kind == "demo" or self.busy:
            return
        workspace = self.context.workspace
        profile = self.profile = workspace.profile    # a new login's user
        if isinstance(self.api_base, QLineEdit) and not self.api_base.isModified():
            self.api_base.setText(profile.api_base)

        def read(_progress: Any, _cancel: CancelToken) -> tuple[bool, str, bool]:
            if profile.is_team:
                from desktop.services.team import NotLoggedInError, load_device_token

                try:
                    load_device_token(profile)
                except NotLoggedInError:
                    return False, "", False
                return True, profile.userid, False
            from desktop.services.secret_check import adopt_stored_secret

            adopted = adopt_stored_secret(workspace)
            return adopted is not None, "", bool(adopted)

        self.context.run_task(read, owner=self, name="connection settings read",
                              on_result=self._read, on_error=self._keyring_failed)

    def _read(self, found: tuple[bool, str, bool]) -> None:
        self._stored, self._logged_in, adopted = found
        self._keyring_problem = ""
        self._show_state()
        if adopted:
            self._say(lambda: self.tr("The secret stored meanwhile from the command line is in"
                                      " use now."))
            self.saved.emit(secret_adopted(self.context))

    def _keyring_failed(self, exc: BaseException) -> None:
        self._stored, self._keyring_problem = None, readable(exc)
        self._show_state()

    def _show_state(self) -> None:
        if self._keyring_problem:
            text = self._keyring_problem
        elif self._stored is None:
            text = self.tr("Reading the keyring…")
        elif self._stored and self.context.secret_is_refused:
            text = self.tr("Stored in the OS keyring, but WeCom refuses it: enter the new one"
                           " below")
        elif self._stored:
            text = self.tr("Stored in the OS keyring (not shown)")
        else:
            text = self.tr("Not stored: enter it below")
        self.stored.setText(text)
        self.stored.setWordWrap(bool(self._keyring_problem))
        if self._logged_in:
            self.signed_in.setText(self.tr("Logged in as %1").replace("%1", self._logged_in))
        else:
            self.signed_in.setText(self.tr("Not logged in") if self._stored is not None
                                   else self.tr("Reading the keyring…"))

    # -- a new secret -----------------------------------------------------------------------

    def test_and_save(self) -> None:
        """Try the typed secret (or with a new API base, the stored one when none was typed)
        with WeCom; store what was typed when WeCom takes it."""
        typed, base = self.secret.text().strip(), self._typed_base()
        if self.kind != "solo" or self.busy:
            return
        if not typed and base == self.profile.api_base:
            self._say(lambda: self.tr("Enter the new secret first."))
            self.secret.setFocus()
            return
        if not self._base_valid(base):
            return
        from desktop.services.secret_check import secret_to_try, try_secret

        stored, profile = self.profile, self.profile.with_api_base(base)
        self._say(lambda: self.tr("Asking WeCom (%1) whether it takes this secret…")
                  .replace("%1", profile.api_base))
        self._run("try app secret",
                  lambda cancel: try_secret(profile, secret_to_try(stored, typed), cancel.event),
                  lambda _none: self._save(typed, base), self._refused, trying=True)

    def save_without_test(self) -> None:
        """Store what was typed although WeCom did not take it (the person said so)."""
        typed, base = self.secret.text().strip(), self._typed_base()
        if (self.kind == "solo" and (typed or base != self.profile.api_base)
                and not self.busy and self._base_valid(base)):
            self._save(typed, base)

    def _typed_base(self) -> str:
        return self.api_base.text().strip()

    def _base_valid(self, base: str) -> bool:
        """Whether the API base is an http(s) URL; if not, say so at the field."""
        try:
            validate(self.profile.with_api_base(base))
        except ProfileError:
            self._say(lambda: self.tr("The API base must be an http(s) address, such as"
                                      " https://qyapi.weixin.qq.com/cgi-bin/ or a relay's."))
            self.api_base.setFocus()
            return False
        return True

    def cancel_test(self) -> None:
        """Stop waiting for WeCom: nothing is stored, whatever WeCom answers later."""
        if self._task is not None and self._trying:
            self._task.cancel()
            self._attempt += 1
            self._idle()
            self._say(lambda: self.tr("Test cancelled; nothing was stored."))

    def _save(self, typed: str, base: str) -> None:
        from desktop.services.secret_check import secret_to_try, store_and_use

        workspace, profile = self.context.workspace, self.profile
        new_base = base if base != profile.api_base else ""
        self._say(lambda: self.tr("Storing the secret in the OS keyring…") if typed
                  else self.tr("Saving the API base…"))
        self._run("store app secret",
                  lambda _cancel: store_and_use(workspace, secret_to_try(profile, typed),
                                                new_base),
                  lambda _none: self._saved(bool(typed), new_base), self._save_failed,
                  trying=False)

    def _run(self, name: str, call: Callable[[CancelToken], Any],
             on_result: Callable[[Any], None],
             on_error: Callable[[BaseException], None], *, trying: bool) -> None:
        """Run `call` on a worker; `trying`: a try of WeCom's, which 取消验证 or closing the
        window drops (a secret being stored is stored and used, even by a closed window)."""
        self._attempt += 1
        self._trying = trying
        attempt = self._attempt

        def current(slot: Callable[[Any], None]) -> Callable[[Any], None]:
            def deliver(value: Any) -> None:
                if attempt == self._attempt:
                    self._idle()
                    slot(value)
            return deliver

        self._busy()
        self._task = self.context.run_task(lambda _progress, cancel: call(cancel), owner=self,
                                           name=name, on_result=current(on_result),
                                           on_error=current(on_error))

    def _busy(self) -> None:
        self.progress.show()
        self.secret.setReadOnly(True)
        if isinstance(self.api_base, QLineEdit):
            self.api_base.setReadOnly(True)
        for button in (self.test_button, self.save_anyway):
            button.setEnabled(False)
        self.cancel_button.setVisible(self._trying)

    def _idle(self) -> None:
        self._task = None
        self.progress.hide()
        self.secret.setReadOnly(False)
        if isinstance(self.api_base, QLineEdit):
            self.api_base.setReadOnly(False)
        self.cancel_button.hide()
        self._typed()

    def _typed(self) -> None:
        changed = bool(self.secret.text().strip()) or self._typed_base() != self.profile.api_base
        self.test_button.setEnabled(not self.busy)
        self.save_anyway.setEnabled(changed and not self.busy)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, CallCancelled):
            return
        self._say(lambda: self.why_refused(exc))
        self.save_anyway.show()
        self._typed()
        self.secret.setFocus()
        self.secret.selectAll()

    def why_refused(self, exc: BaseException) -> str:
        """The try's failure in one sentence, saying that nothing was stored."""
        return sentences(self._refusal(exc), self.tr("Nothing was stored."))

    def _refusal(self, exc: BaseException) -> str:
        if secret_rejected(exc):
            return self.tr("WeCom does not accept this secret (errcode %1): copy it again from"
                           " the admin console, App Management → this app → Secret.").replace(
                "%1", str(getattr(exc, "errcode", "")))
        if ip_not_trusted(exc):
            seen = _CALLER_IP.search(str(getattr(exc, "errmsg", "")))
            if seen is None:
                return self.tr("This computer's IP is not in the app's trusted IP list (errcode"
                               " 60020): an administrator adds it in the app's settings, or"
                               " enter a relay with a fixed IP as the API base. If the secret is"
                               " right, “Save anyway” keeps it.")
            return self.tr("This computer's IP, %1 as WeCom sees it, is not in the app's"
                           " trusted IP list (errcode 60020): an administrator adds it in the"
                           " app's settings, or enter a relay with a fixed IP as the API base."
                           " If the secret is right, “Save anyway” keeps it.").replace(
                "%1", seen.group(1))
        from desktop.services.secrets import SecretMissing

        if isinstance(exc, SecretMissing):
            return self.tr("The keyring holds no secret for this profile: enter it with the new"
                           " API base.")
        return readable(exc)

    def _save_failed(self, exc: BaseException) -> None:
        self._say(lambda: readable(exc))

    def _saved(self, secret: bool, api_base: str) -> None:
        self.secret.clear()
        self.save_anyway.hide()
        self._stored, self._keyring_problem = True, ""
        self.profile = self.context.workspace.profile
        if isinstance(self.api_base, QLineEdit):
            self.api_base.setText(self.profile.api_base)
        self._show_state()
        resumed = self.context.use_new_secret()
        self.saved.emit(Saved(secret, api_base, resumed))
        self.close()

    def _say(self, text: Callable[[], str]) -> None:
        self.texts.say(self.message, text)

    def _toggle_shown(self, shown: bool) -> None:
        self.secret.setEchoMode(QLineEdit.EchoMode.Normal if shown
                                else QLineEdit.EchoMode.Password)
        self.show_secret.setText(self.tr("Hide") if shown else self.tr("Show"))

    def _brought_to_front(self) -> None:
        """Shown or back in the window: the keyring is read again, for a secret stored
        meanwhile; once, though a window shown is activated too."""
        if not self._read_in_front:
            self._read_in_front = True
            self.reload()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange:
            if self.isActiveWindow():
                self._brought_to_front()
            else:
                self._read_in_front = False

    def event(self, event: QEvent) -> bool:
        """A sentence, 仍然保存 or a language that needs more rows makes the window taller:
        a minimum width set by hand keeps Qt from holding its height, and the fields were
        squeezed instead."""
        laid_out = event.type() == QEvent.Type.LayoutRequest   # not after a deferred delete
        handled = super().event(event)
        layout = self.layout() if laid_out else None
        if layout is not None:
            needed = layout.totalMinimumHeightForWidth(self.width())
            if self.height() < needed:
                self.resize(self.width(), needed)
        return handled

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._brought_to_front()
        if self.kind == "solo":
            self.secret.setFocus()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._read_in_front = False

    def done(self, result: int) -> None:
        """Closing stops a try under way (nothing is stored) and forgets what was typed."""
        self.cancel_test()
        self.secret.clear()
        self.texts.say(self.message, str)
        self.save_anyway.hide()
        if isinstance(self.api_base, QLineEdit):
            self.api_base.setText(self.profile.api_base)
        self.show_secret.setChecked(False)
        super().done(result)
