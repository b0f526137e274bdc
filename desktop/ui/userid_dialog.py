"""At first start on a profile without the user's own WeCom userid: ask for it.

Every journal row names its operator, so TagDesk does not open a WeCom profile for work
without it. The answer must be a member of the corp: the member list comes from the cache,
or from WeCom (in a background task) before the first sync.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.services.workspace import Workspace
from desktop.ui.errors import readable
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.tasks import Task


class UseridDialog(QDialog):
    """Asks for the user's WeCom userid and accepts only a member of the corp."""

    membersLoaded = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.members: set[str] | None = None
        self._profile = workspace.profile.name
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.userid = QLineEdit()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.intro, self.userid, self.message, self.buttons):
            layout.addWidget(widget)
        self.texts = retranslate_in_place(self, self.retranslate)
        self.texts.say(self.message, lambda: self.tr("Reading the corp's members…"))
        self.task = Task(lambda _progress, _cancel: workspace.member_userids(), owner=self,
                         name="members").on_result(self._loaded).on_error(self._failed).start()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Your WeCom account"))
        self.intro.setText(self.tr(
            "TagDesk records who made every change. Enter your own WeCom userid for the"
            " profile %1; it is saved with the profile.").replace("%1", self._profile))
        self.userid.setPlaceholderText(self.tr("WeCom userid, e.g. zhangsan"))

    def _loaded(self, members: set[str]) -> None:
        self.members = members
        completer = QCompleter(sorted(members), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.userid.setCompleter(completer)
        self.texts.say(self.message, str)
        self.ok_button.setEnabled(True)
        self.membersLoaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.texts.say(self.message, lambda: self.tr(
            "Cannot read the corp's members: %1").replace("%1", readable(exc)))
        self.membersLoaded.emit()

    def _check(self) -> None:
        userid = self.userid.text().strip()
        if self.members is not None and userid in self.members:
            self.accept()
            return
        self.texts.say(self.message, lambda: self.tr(
            "%1 is not a member of this corp.").replace("%1", userid or "—"))

    @property
    def chosen(self) -> str:
        return self.userid.text().strip()


def ask_userid(workspace: Workspace, parent: QWidget | None = None) -> bool:
    """Ask until the profile has a member's userid (saved) or the user cancels (False)."""
    dialog = UseridDialog(workspace, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    workspace.set_userid(dialog.chosen)
    return True
