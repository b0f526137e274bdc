"""Edit one live code: its state, members, departments, skip-verify, remark and the tags its
new customers get.

The change is written to WeCom (`update_contact_way`) and the tags to the cache or the team
server on the writer thread, with the checks of `tagdesk livecodes edit`: a new state must be
free among every code WeCom lists (also those made in the admin console), a code keeps at
least one member or department. The window stays open with what was typed when it is refused
(a taken state, an unknown tag, a member WeCom does not know, an expired secret …) and says
why; department ids that are not whole numbers are said before anything is sent.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from desktop.services.changes import ChangeSet
from desktop.services.livecodes import MAX_STATE_CHARS, LiveCode, LiveCodeService
from desktop.ui.context import AppContext
from desktop.ui.errors import readable
from desktop.ui.retranslate import retranslate_in_place

MAX_REMARK_CHARS = 30


def split_names(text: str) -> list[str]:
    """"a, b，c" → ["a", "b", "c"]."""
    return [part.strip() for part in text.replace("，", ",").replace("、", ",").split(",")
            if part.strip()]


class LiveCodeEditDialog(QDialog):
    def __init__(self, context: AppContext, code: LiveCode,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveCodeEditDialog")
        self.context = context
        self.code = code
        self.resize(520, 0)
        self.state_edit = QLineEdit(code.state)
        self.state_edit.setMaxLength(MAX_STATE_CHARS)
        self.members_edit = QLineEdit(", ".join(code.users))
        self.skip_verify = QCheckBox()
        self.skip_verify.setChecked(code.skip_verify)
        self.remark_edit = QLineEdit(code.remark)
        self.remark_edit.setMaxLength(MAX_REMARK_CHARS)
        self.tags_edit = QLineEdit(", ".join(code.tag_names))
        self.departments_edit = QLineEdit(", ".join(map(str, code.parties)))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        self.labels = [QLabel() for _ in range(6)]
        fields = (self.state_edit, self.members_edit, self.departments_edit, self.skip_verify,
                  self.remark_edit, self.tags_edit)
        for label, field in zip(self.labels, fields, strict=True):
            form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self.texts = retranslate_in_place(self, self.retranslate)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Edit live code %1").replace("%1", self.code.state))
        labels = (self.tr("State"), self.tr("Members"), self.tr("Departments"),
                  self.tr("Verification"), self.tr("Remark"), self.tr("Tags"))
        for label, text in zip(self.labels, labels, strict=True):
            label.setText(text)
        self.members_edit.setPlaceholderText(self.tr("Members' userids, separated by ,"))
        self.skip_verify.setText(self.tr("Add customers without the member confirming"))
        self.remark_edit.setPlaceholderText(self.tr("A note on the code, at most %1 characters")
                                            .replace("%1", str(MAX_REMARK_CHARS)))
        self.tags_edit.setPlaceholderText(self.tr("Tags for its customers (group:name), separated"
                                                  " by ,"))
        self.state_edit.setToolTip(self.tr("The state (at most %1 characters) is the channel"
                                           " the customers are counted by; no other live code"
                                           " may use it.").replace("%1", str(MAX_STATE_CHARS)))
        self.departments_edit.setPlaceholderText(self.tr("Department ids, separated by ,"))

    def save(self) -> None:
        """Write the change on the writer thread; close when WeCom took it."""
        config_id, workspace = self.code.config_id, self.context.workspace
        members, tags = split_names(self.members_edit.text()), split_names(self.tags_edit.text())
        skip_verify, remark = self.skip_verify.isChecked(), self.remark_edit.text().strip()
        typed = split_names(self.departments_edit.text())
        if not all(part.isdigit() for part in typed):
            bad = self.departments_edit.text()
            self.texts.say(self.message, lambda: self.tr(
                "Department ids are whole numbers, separated by , (%1).").replace("%1", bad))
            return
        departments = [int(part) for part in typed]
        state = self.state_edit.text().strip()
        new_state = None if state == self.code.state else state
        new_parties = None if departments == list(self.code.parties) else departments
        self._working(True)

        def work(_progress: Any, _cancel: Any) -> ChangeSet | None:
            LiveCodeService(workspace).edit(
                config_id, users=members, tags=tags, skip_verify=skip_verify, remark=remark,
                state=new_state, parties=new_parties)
            return None

        def failed(exc: BaseException) -> None:
            self._working(False)
            self.texts.say(self.message, lambda: readable(exc))

        def saved(_changes: ChangeSet | None) -> None:
            self._working(False)
            self.accept()

        self.context.run_operation(work, owner=self, name="edit live code", on_success=saved,
                                   on_failure=failed)

    def _working(self, working: bool) -> None:
        self.busy.setVisible(working)
        self.buttons.setEnabled(not working)
        if working:
            self.texts.say(self.message, lambda: self.tr("Saving the live code in WeCom…"))
