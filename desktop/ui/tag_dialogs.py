"""Dialogs for editing the tag tree: create, rename, abbreviation, and the delete confirmation.

Names are checked on every keystroke with the same rules the service enforces, so the user
sees what to change before pressing OK, and OK stays disabled while the name is invalid.
Saving runs on the writer thread; the dialog stays open and shows WeCom's refusal in place
(for example 81011 on a console-made tag) and closes only when the change was made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.tag_names import (
    NameCheck,
    ProblemCode,
    validate_group_name,
    validate_tag_name,
)
from desktop.domain.tags import GroupInfo, TagInfo, TagKind
from desktop.services.changes import ChangeSet
from desktop.services.tag_admin import (
    CreatedTag,
    TagAdminError,
    TagAdminService,
    check_abbreviation,
)
from desktop.services.tag_catalog import DeletionImpact
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS
from desktop.ui.errors import readable
from desktop.ui.i18n import is_english
from desktop.wecom.error_codes import TEAM_APPROVAL_REQUIRED
from desktop.wecom.errors import WeComError

ERROR_COLOUR = QColor("#d93026")


def pick(zh: str, en: str) -> str:
    """The half of a bilingual message that matches the UI language."""
    return en if is_english() else zh


def message_for(exc: BaseException) -> str:
    """One readable sentence in the UI language."""
    return readable(exc)


def request_sent(exc: BaseException) -> str | None:
    """The team server's "request #N sent" answer in the UI language: news, not a fault
    (a deletion, or a rename of a tag on more customers than the policy's threshold)."""
    if isinstance(exc, WeComError) and exc.errcode == TEAM_APPROVAL_REQUIRED:
        return pick(exc.explanation_zh, exc.explanation_en)
    return None


def check_text(check: NameCheck) -> tuple[str, bool]:
    """What to show under a name field, and whether it blocks saving."""
    problems = check.errors or check.warnings
    return "\n".join(pick(p.zh, p.en) for p in problems), bool(check.errors)


def only_empty(*checks: NameCheck) -> bool:
    """Nothing typed yet is no mistake: its message is a grey hint, not a red error."""
    errors = [p for check in checks for p in check.errors]
    return bool(errors) and all(p.code is ProblemCode.EMPTY for p in errors)


def delete_confirmation(impact: DeletionImpact, *, group_name: str = "",
                        request: bool = False, mine: bool = False) -> tuple[str, str]:
    """Title and text of the delete confirmation, with how many customers lose the tag;
    `request`: on a team profile the deletion becomes an approval request, so nothing is
    lost until an administrator approves it; `mine`: the cache holds the user's own
    customers only (a salesperson's), so the counts are theirs and other members'
    customers lose the tag too (the counts read as the corp's: 6 where the server
    counted 74)."""
    names = "、".join(f"“{name}”" for name in impact.names[:5])
    if len(impact.names) > 5:
        names += QCoreApplication.translate("TagDialogs", " and %1 more").replace(
            "%1", str(len(impact.names) - 5))
    if group_name:
        title = QCoreApplication.translate("TagDialogs", "Delete tag group")
        what = QCoreApplication.translate("TagDialogs", "Delete the group “%1” with %2 (%3)?").replace(
            "%1", group_name).replace("%2", COUNTS.tags(impact.tags)).replace("%3", names)
    else:
        title = QCoreApplication.translate("TagDialogs", "Delete tag")
        what = QCoreApplication.translate("TagDialogs", "Delete %1?").replace("%1", names)
    if impact.tags > 1:
        lost = QCoreApplication.translate(
            "TagDialogs", "Among your customers, %1 (%2) will lose them in WeCom, and so will"
                          " the customers of other members who carry them.") if mine else \
            QCoreApplication.translate("TagDialogs", "%1 (%2) will lose them in WeCom.")
        final = QCoreApplication.translate(
            "TagDialogs", "TagDesk keeps who carried them: Tags → Deleted tags… restores the"
                          " tags and tags them again.")
    else:
        lost = QCoreApplication.translate(
            "TagDialogs", "Among your customers, %1 (%2) will lose it in WeCom, and so will"
                          " the customers of other members who carry it.") if mine else \
            QCoreApplication.translate("TagDialogs", "%1 (%2) will lose it in WeCom.")
        final = QCoreApplication.translate(
            "TagDialogs", "TagDesk keeps who carried it: Tags → Deleted tags… restores the tag"
                          " and tags them again.")
    lost = lost.replace("%1", COUNTS.customers(impact.customers)).replace(
        "%2", COUNTS.relations(impact.relations))
    if request:
        title = QCoreApplication.translate("TagDialogs", "Request a deletion")
        lost = QCoreApplication.translate(
            "TagDialogs", "Deleting needs an administrator's approval: TagDesk sends them a"
                          " request, and nothing changes until it is approved. Once approved,"
                          " %1").replace("%1", lost)
        final = QCoreApplication.translate(     # the server keeps who carried it, not this desktop
            "TagDialogs", "The server keeps who carried them: an administrator restores an"
                          " approved deletion in File → Approvals… (Restore and re-tag).") if (
            impact.tags > 1) else QCoreApplication.translate(
            "TagDialogs", "The server keeps who carried it: an administrator restores an"
                          " approved deletion in File → Approvals… (Restore and re-tag).")
    return title, f"{what}\n\n{lost}\n{final}"


class DeletionRequestDialog(QDialog):
    """The 申请删除 confirmation: the deletion's text and an optional one-line reason, sent
    with the request and shown to the administrators as 申请理由."""

    MAX_REASON_CHARS = 500      # what the team server keeps of a reason

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text_label = QLabel(text)
        self.text_label.setWordWrap(True)
        self.reason_edit = QLineEdit()
        self.reason_edit.setMaxLength(self.MAX_REASON_CHARS)
        self.reason_edit.setPlaceholderText(self.tr("Why delete it (optional, shown to the"
                                                    " administrators)"))
        form = QFormLayout()
        form.addRow(self.tr("Reason:"), self.reason_edit)
        buttons = QDialogButtonBox()
        self.send_button = buttons.addButton(self.tr("Send request"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text_label)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.reason_edit.setFocus()

    def reason(self) -> str:
        return self.reason_edit.text().strip()


class _SaveDialog(QDialog):
    """A form with a message line and OK; `_save()` runs on the writer thread.

    Each form focuses the field typed first: the buttons come first in the focus chain and
    OK is disabled until a name is valid, so the keys went to 取消 (F2 then typing renamed
    nothing, and Enter cancelled)."""

    saved = Signal(object)  # the service's answer (ChangeSet or CreatedTag)

    def __init__(self, context: AppContext, service: TagAdminService, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.service = service
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        self.ok_button: QPushButton = ok
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        self.busy = False

    def show_message(self, text: str, *, blocking: bool, error: bool | None = None) -> None:
        """Show a check result or a refusal; `blocking` disables OK, errors show in red."""
        self.message_label.setText(text)
        palette = self.message_label.palette()
        red = blocking if error is None else error
        colour = ERROR_COLOUR if red else self.palette().color(
            QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.message_label.setPalette(palette)
        self.ok_button.setEnabled(not blocking and not self.busy)
        self._fit_message()

    def _fit_message(self) -> None:
        """Grow to a longer message: a window ignores its wrapped label's height-for-width,
        so three lines would otherwise squeeze over the name field and the buttons."""
        layout = self.layout()
        if layout is None or not self.isVisible():
            return      # showing sizes the window from its layout, message included
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def validate(self) -> bool:
        """Check the fields, show the message; True when saving may go ahead."""
        raise NotImplementedError

    def work(self) -> Callable[[], ChangeSet | CreatedTag]:
        """The service call to run, bound to the current field values."""
        raise NotImplementedError

    def submit(self) -> None:
        if self.busy or not self.validate():
            return
        call = self.work()
        self.busy = True
        self.ok_button.setEnabled(False)
        self.context.run_task(
            lambda _progress, _cancel: call(), owner=self, name=self.windowTitle(), writer=True,
            on_result=self._done, on_error=self._failed,
        )

    def _done(self, answer: ChangeSet | CreatedTag) -> None:
        self.busy = False
        changes = answer.changes if isinstance(answer, CreatedTag) else answer
        self.context.publish(changes)
        self.saved.emit(answer)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        sent = request_sent(exc)
        if sent is None:
            self.show_message(message_for(exc), blocking=False, error=True)
            return
        self.context.status_message.emit(sent)     # nothing changed until it is approved
        self.context.approval_requested.emit()
        self.accept()
        QMessageBox.information(self.parentWidget(),
                                QCoreApplication.translate("TagDialogs", "Request sent"), sent)


class CreateTagDialog(_SaveDialog):
    """A new tag in an existing corp group, or in a group of a rule group TagDesk may change
    (path names like `教育/K12` nest in the tree)."""

    def __init__(self, context: AppContext, service: TagAdminService,
                 groups: Sequence[GroupInfo], group_id: str = "",
                 parent: QWidget | None = None, *,
                 strategy_names: Mapping[int, str] | None = None, under: str = "") -> None:
        super().__init__(context, service, self.tr("New tag"), parent)
        self._under = under     # the path the name starts with (the tree's current tag)
        self.group_box = QComboBox()
        names = strategy_names or {}
        writable = [g for g in groups if g.kind is TagKind.CORP
                    or (g.kind is TagKind.STRATEGY and g.app_owned)]
        for group in sorted(writable, key=lambda g: (g.kind is not TagKind.CORP, -g.order)):
            label = group.name if group.strategy_id is None else (
                f"{group.name}（{names.get(group.strategy_id, group.strategy_id)}）")
            self.group_box.addItem(label, group.id)
        if group_id:
            self.group_box.setCurrentIndex(max(0, self.group_box.findData(group_id)))
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("Name, or a path such as 教育/K12"))
        self.form.addRow(self.tr("Group"), self.group_box)
        self.form.addRow(self.tr("Name"), self.name_edit)
        self._siblings: dict[str, list[str]] = {}
        if under:
            self.name_edit.setText(f"{under}/")
        self.name_edit.textChanged.connect(self.validate)
        self.group_box.currentIndexChanged.connect(self.validate)
        self.validate()
        self.name_edit.setFocus()   # the group is chosen: the name is typed

    def validate(self) -> bool:
        group_id = str(self.group_box.currentData() or "")
        if not group_id:
            self.show_message(self.tr("Create a tag group first."), blocking=True)
            return False
        if self._under and self.name_edit.text() == f"{self._under}/":
            # only the path offered: nothing typed yet, a hint rather than "must not end in /"
            self.show_message(self.tr("Type a name after “%1/” for a tag under it, or clear"
                                      " the field for a tag beside it.").replace(
                                          "%1", self._under), blocking=True, error=False)
            return False
        if group_id not in self._siblings:
            self._siblings[group_id] = self.service.tag_names_in_group(group_id)
        check = validate_tag_name(self.name_edit.text(), self._siblings[group_id])
        text, blocking = check_text(check)
        self.show_message(text, blocking=blocking, error=blocking and not only_empty(check))
        return not blocking

    def work(self) -> Callable[[], CreatedTag]:
        group_id, name = str(self.group_box.currentData()), self.name_edit.text()
        return lambda: self.service.create_tag(group_id, name)


class CreateGroupDialog(_SaveDialog):
    """A new corp group, or a new group of the rule group `strategy_id`, with its first tag
    (WeCom has no empty groups)."""

    def __init__(self, context: AppContext, service: TagAdminService,
                 parent: QWidget | None = None, *, strategy_id: int | None = None,
                 rule_group: str = "") -> None:
        title = (self.tr("New tag group in %1").replace("%1", rule_group) if strategy_id
                 else self.tr("New tag group"))
        super().__init__(context, service, title, parent)
        self.strategy_id = strategy_id
        self.group_edit = QLineEdit()
        self.name_edit = QLineEdit()
        self.form.addRow(self.tr("Group name"), self.group_edit)
        self.form.addRow(self.tr("First tag"), self.name_edit)
        self._groups = service.group_names(strategy_id=strategy_id)
        self.group_edit.textChanged.connect(self.validate)
        self.name_edit.textChanged.connect(self.validate)
        self.validate()
        self.group_edit.setFocus()

    def validate(self) -> bool:
        group = validate_group_name(self.group_edit.text(), self._groups)
        tag = validate_tag_name(self.name_edit.text(), [])
        group_text, group_blocks = check_text(group)
        tag_text, tag_blocks = check_text(tag)
        blocking = group_blocks or tag_blocks
        self.show_message("\n".join(t for t in (group_text, tag_text) if t), blocking=blocking,
                          error=blocking and not only_empty(group, tag))
        return not blocking

    def work(self) -> Callable[[], CreatedTag]:
        group, name, strategy_id = self.group_edit.text(), self.name_edit.text(), self.strategy_id
        return lambda: self.service.create_group(group, name, strategy_id=strategy_id)


class RenameDialog(_SaveDialog):
    """Rename a corp tag (its full path name) or a corp group."""

    def __init__(self, context: AppContext, service: TagAdminService, item_id: str,
                 current_name: str, *, is_group: bool, group_id: str = "",
                 parent: QWidget | None = None, strategy_id: int | None = None,
                 request: bool = False) -> None:
        super().__init__(context, service, self.tr("Request a rename") if request
                         else self.tr("Rename"), parent)
        self.item_id = item_id
        self.current_name = current_name
        self.name_edit = QLineEdit(current_name)
        self.name_edit.selectAll()
        self.form.addRow(self.tr("New name"), self.name_edit)
        self.reason_edit: QLineEdit | None = None
        if request:      # a team's threshold: the server makes it an approval request
            note = QLabel(self.tr("The tag is on more customers than the team lets you rename"
                                  " alone: TagDesk sends administrators a request, and the name"
                                  " stays until one approves it."))
            note.setWordWrap(True)
            self.form.addRow(note)
            self.reason_edit = QLineEdit()   # the requester says why, as 申请删除 does
            self.reason_edit.setMaxLength(DeletionRequestDialog.MAX_REASON_CHARS)
            self.reason_edit.setPlaceholderText(self.tr("Why rename it (optional, shown to the"
                                                        " administrators)"))
            self.form.addRow(self.tr("Reason:"), self.reason_edit)
            self.ok_button.setText(self.tr("Send request"))   # as 申请删除's button says
        self._others = (service.group_names(exclude=item_id, strategy_id=strategy_id) if is_group
                        else service.tag_names_in_group(group_id, exclude=item_id))
        self._is_group = is_group
        self.new_name = current_name     # as WeCom will store it: what the field says, tidied
        self.name_edit.textChanged.connect(self.validate)
        self.validate()
        self.name_edit.setFocus()

    def validate(self) -> bool:
        text = self.name_edit.text()
        check = (validate_group_name(text, self._others) if self._is_group
                 else validate_tag_name(text, self._others))
        message, blocking = check_text(check)
        self.new_name = check.normalized
        unchanged = check.normalized == self.current_name
        self.show_message(message, blocking=blocking or unchanged)
        return not blocking and not unchanged

    def work(self) -> Callable[[], ChangeSet]:
        item_id, name = self.item_id, self.name_edit.text()
        reason = self.reason_edit.text().strip() if self.reason_edit is not None else ""
        return lambda: self.service.rename(item_id, name, reason=reason)


class AbbreviationDialog(_SaveDialog):
    """The team-wide short code typed in the search boxes (`V3` for 三次复购客户)."""

    def __init__(self, context: AppContext, service: TagAdminService, tag: TagInfo,
                 taken: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(context, service, self.tr("Abbreviation"), parent)
        self.tag = tag
        self._taken = taken
        self.code_edit = QLineEdit(tag.abbreviation)
        self.code_edit.setPlaceholderText(self.tr("e.g. V3; empty removes it"))
        self.form.addRow(tag.name, self.code_edit)
        self.code_edit.textChanged.connect(self.validate)
        self.validate()
        self.code_edit.selectAll()
        self.code_edit.setFocus()

    def validate(self) -> bool:
        try:
            check_abbreviation(self.code_edit.text(), self._taken)
        except TagAdminError as exc:
            self.show_message(pick(exc.zh, exc.en), blocking=True)
            return False
        self.show_message(self.tr("Shared with the whole team; type it in any tag search."),
                          blocking=False)
        return True

    def work(self) -> Callable[[], ChangeSet]:
        tag_id, code = self.tag.id, self.code_edit.text()
        return lambda: self.service.set_abbreviation(tag_id, code)


def taken_abbreviations(tags: list[TagInfo], *, exclude: str) -> dict[str, str]:
    """Codes in use (code → tag name), leaving out the tag being edited."""
    return {tag.abbreviation: tag.name for tag in tags if tag.abbreviation and tag.id != exclude}

