"""Export the current filter or selection to an .xlsx file that imports back.

The user ticks the tag groups that get a column of their own and picks a file; the export runs
on a worker thread (it reads the cache only) and can be cancelled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.progress import Progress
from desktop.services.spreadsheet_export import ExportResult, export_relations, group_names
from desktop.ui.batch_progress import message_for
from desktop.ui.context import AppContext
from desktop.ui.file_dialogs import ask_path, typed_path
from desktop.ui.retranslate import retranslate_in_place


class ExportDialog(QDialog):
    exported = Signal(object)   # ExportResult

    def __init__(self, context: AppContext, relation_ids: Sequence[int],
                 scope: str | Callable[[], str] = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.relation_ids = list(relation_ids)
        self._task: Any = None
        self._scope = scope
        self.scope_label = QLabel()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.groups = QListWidget()
        for name in group_names(context.cache):
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.groups.addItem(item)
        self.path_edit = QLineEdit()
        self.browse_button = browse = QPushButton()
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.export)
        self.cancel_button = QPushButton()
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        self.groups_label = QLabel()
        layout.addWidget(self.scope_label)
        layout.addWidget(self.hint)
        layout.addWidget(self.groups_label)
        layout.addWidget(self.groups, 1)
        layout.addLayout(path_row)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(520, 520)
        self.texts = retranslate_in_place(self, self.retranslate)
        self.texts.say(self.cancel_button, lambda: self.tr("Close"))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Export customers"))
        scope = self._scope() if callable(self._scope) else self._scope
        self.scope_label.setText(self.tr("%1 customer relations · %2", "",
                                         len(self.relation_ids))
                                 .replace("%1", f"{len(self.relation_ids):,}")
                                 .replace("%2", scope or self.tr("selection")))
        self.hint.setText(self.tr(
            "Every row gets the customer's details and all its tags. Tick the"
            " tag groups that should also get a column of their own. Fill in"
            " add_tags or remove_tags and import the file to change tags."))
        self.groups_label.setText(self.tr("Group columns:"))
        self.path_edit.setPlaceholderText(self.tr("File (.xlsx)"))
        self.browse_button.setText(self.tr("Browse…"))
        self.export_button.setText(self.tr("Export"))

    def chosen_groups(self) -> list[str]:
        return [self.groups.item(i).text() for i in range(self.groups.count())
                if self.groups.item(i).checkState() == Qt.CheckState.Checked]

    def set_path(self, path: Path) -> None:
        self.path_edit.setText(str(path))

    def export(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            self.texts.say(self.message, lambda: self.tr("Choose a file first."))
            return
        path = typed_path(text)
        if not path.suffix:
            path = path.with_suffix(".xlsx")
        cache, ids, groups = self.context.cache, self.relation_ids, self.chosen_groups()
        self.export_button.setEnabled(False)
        self.texts.say(self.cancel_button, lambda: self.tr("Cancel"))
        self.texts.say(self.message, lambda: self.tr("Exporting…"))
        self._task = self.context.run_task(
            lambda progress, cancel: export_relations(cache, ids, path, groups=groups,
                                                      progress=progress, cancel=cancel),
            owner=self, name="export", on_result=self._done, on_error=self._failed,
            on_progress=self._progress)

    def busy(self) -> bool:
        """An export is being written."""
        return self._task is not None

    def _progress(self, event: Progress) -> None:
        self.texts.say(self.message, lambda: self.tr("Exporting… %1 of %2").replace(
            "%1", f"{event.done:,}").replace("%2", f"{event.total:,}"))

    def _done(self, result: ExportResult) -> None:
        self._task = None
        self.export_button.setEnabled(True)
        self.texts.say(self.cancel_button, lambda: self.tr("Close"))
        self.texts.say(self.message, lambda: self.tr("Exported %1 relations to %2", "", result.rows).replace(
            "%1", f"{result.rows:,}").replace("%2", str(result.path)))
        self.exported.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        self.export_button.setEnabled(True)
        self.texts.say(self.cancel_button, lambda: self.tr("Close"))
        self.texts.say(self.message, lambda: message_for(exc))

    def _cancel_or_close(self) -> None:
        if self._task is not None and self._task.running:
            self._task.cancel()
            return
        self.close()

    def _browse(self) -> None:
        path = ask_path(self, self.tr("Export customers"), self.tr("Excel workbook (*.xlsx)"),
                        save=True, suggested="tagdesk-customers.xlsx")
        if path is not None:
            self.set_path(path)
