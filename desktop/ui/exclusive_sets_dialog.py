"""Editing the team's mutually exclusive tag sets (已成交 vs 无效客户).

Adding and removing are operations on the writer thread: the dialog stays responsive
while a sync holds the cache, and the buttons wait until the write is done. On a team profile
a set the team server would not let this user remove (not its author, an administrator or a
head of its groups' department) cannot be removed here, and its tooltip says who may.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.changes import ChangeSet
from desktop.services.exclusive_sets import ExclusiveSetInfo, ExclusiveSets
from desktop.services.team_settings import EXCLUSIVE_SET
from desktop.ui.context import AppContext
from desktop.ui.errors import readable
from desktop.ui.governance_monitor import GovernanceMonitor
from desktop.ui.i18n import colon, list_text
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.team_filters import shared_item_refusal

REFUSAL = Qt.ItemDataRole.UserRole + 1    # why this user may not remove the set ("" may)
SET_INFO = Qt.ItemDataRole.UserRole + 2   # the ExclusiveSetInfo shown


class ExclusiveSetsDialog(QDialog):
    """A short list of sets; add one by naming it and its tags, remove the selected one."""

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 governance: GovernanceMonitor | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.governance = governance    # a team profile's roles, once read
        self.sets = ExclusiveSets(context.workspace)
        self.resize(520, 420)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.list = QListWidget()
        self.name = QLineEdit()
        self.tags = QLineEdit()
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        self.name_label, self.tags_label = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.name_label, self.name)
        form.addRow(self.tags_label, self.tags)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.add_button.clicked.connect(self.add_set)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.currentItemChanged.connect(lambda _item, _old: self._set_busy(self.busy))
        close.rejected.connect(self.close)
        self.texts = retranslate_in_place(self, self.retranslate)
        context.changed.connect(self._on_changed)
        if governance is not None:
            governance.rulesChanged.connect(lambda _rules: self._mark_refusals())
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Mutually exclusive tags"))
        self.intro.setText(self.tr(
            "A customer should carry at most one tag of each set. Batches and imports list"
            " relations that would break a set as conflicts and skip them; the health report"
            " counts customers that already do."))
        self.name.setPlaceholderText(self.tr("e.g. 成交状态"))
        self.tags.setPlaceholderText(self.tr("tag names separated by commas, e.g. 已成交, 无效客户"))
        self.add_button.setText(self.tr("Add set"))
        self.remove_button.setText(self.tr("Remove selected"))
        self.name_label.setText(self.tr("Name"))
        self.tags_label.setText(self.tr("Tags"))
        self._mark_refusals()

    def reload(self) -> None:
        self.list.clear()
        for found in self.sets.list():
            item = QListWidgetItem(f"{found.name}{colon()}{list_text(found.tag_labels)}")
            item.setData(Qt.ItemDataRole.UserRole, found.name)
            item.setData(SET_INFO, found)
            self.list.addItem(item)
        self._mark_refusals()
        self._set_busy(False)

    def _mark_refusals(self) -> None:
        """Each set's tooltip says who may remove it when this user may not."""
        rules = self.governance.rules if self.governance is not None else None
        for row in range(self.list.count()):
            item = self.list.item(row)
            found: ExclusiveSetInfo = item.data(SET_INFO)
            refusal = shared_item_refusal(rules, EXCLUSIVE_SET, found.name, found.author,
                                          found.groups)
            item.setData(REFUSAL, refusal)
            item.setToolTip(refusal)
        self._set_busy(self.busy)

    def _on_changed(self, changes: ChangeSet) -> None:
        """Sets changed elsewhere (a team profile's poll brought another desktop's edit)."""
        if changes.prefs_changed and not self.busy:
            self.reload()

    @property
    def busy(self) -> bool:
        """A write is queued or running; the buttons are off until it is done."""
        return not self.add_button.isEnabled()

    def add_set(self) -> None:
        """Queue the set named in the form; the form clears when it is saved."""
        names = [t.strip() for t in self.tags.text().replace("，", ",").split(",") if t.strip()]
        name, sets = self.name.text(), self.sets

        def work(_progress: Any, _cancel: Any) -> ChangeSet:
            return sets.add(name, names)[1]

        self._write(work, "add exclusive set", self._added)

    def remove_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        name, sets = str(item.data(Qt.ItemDataRole.UserRole)), self.sets
        self._write(lambda _p, _c: sets.remove(name), "remove exclusive set", self._removed)

    def _write(self, work: Callable[[Any, Any], ChangeSet], name: str,
               done: Callable[[ChangeSet | None], None]) -> None:
        self._set_busy(True)
        self.context.run_operation(work, owner=self, name=name, on_success=done,
                                   on_failure=self._failed)

    def _added(self, _changes: ChangeSet | None) -> None:
        self.name.clear()
        self.tags.clear()
        self._removed(_changes)

    def _removed(self, _changes: ChangeSet | None) -> None:
        """Saved: an earlier complaint is cleared, the form is left as typed."""
        self.texts.say(self.error, str)
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        self.texts.say(self.error, lambda: readable(exc))
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.add_button.setEnabled(not busy)
        current = self.list.currentItem()
        refusal = str(current.data(REFUSAL) or "") if current is not None else ""
        self.remove_button.setEnabled(not busy and current is not None and not refusal)
        self.remove_button.setToolTip(refusal)
