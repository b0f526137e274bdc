"""Editing the team's mutually exclusive tag sets (已成交 vs 无效客户)."""

from __future__ import annotations

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

from desktop.services.exclusive_sets import ExclusiveSetError, ExclusiveSets
from desktop.services.tagging import TaggingError
from desktop.ui.context import AppContext


class ExclusiveSetsDialog(QDialog):
    """A short list of sets; add one by naming it and its tags, remove the selected one."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.sets = ExclusiveSets(context.workspace)
        self.setWindowTitle(self.tr("Mutually exclusive tags"))
        self.resize(520, 420)
        intro = QLabel(self.tr(
            "A customer should carry at most one tag of each set. Batches and imports list"
            " relations that would break a set as conflicts and skip them; the health report"
            " counts customers that already do."))
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. 成交状态"))
        self.tags = QLineEdit()
        self.tags.setPlaceholderText(self.tr("tag names separated by commas, e.g. 已成交, 无效客户"))
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.add_button = QPushButton(self.tr("Add set"))
        self.remove_button = QPushButton(self.tr("Remove selected"))
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Tags"), self.tags)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.add_button.clicked.connect(self.add_set)
        self.remove_button.clicked.connect(self.remove_selected)
        close.rejected.connect(self.close)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for found in self.sets.list():
            item = QListWidgetItem(f"{found.name}：{'、'.join(found.tag_labels)}")
            item.setData(Qt.ItemDataRole.UserRole, found.name)
            self.list.addItem(item)
        self.remove_button.setEnabled(self.list.count() > 0)

    def add_set(self) -> bool:
        names = [t.strip() for t in self.tags.text().replace("，", ",").split(",") if t.strip()]
        try:
            _, changes = self.sets.add(self.name.text(), names)
        except (ExclusiveSetError, TaggingError) as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        self.name.clear()
        self.tags.clear()
        self.reload()
        self.context.publish(changes)
        return True

    def remove_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        changes = self.sets.remove(str(item.data(Qt.ItemDataRole.UserRole)))
        self.reload()
        self.context.publish(changes)
