"""Editing the profile's keywords per tag: one row per tag, keywords separated by 、 or commas."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import UserError
from desktop.services import autotag_keywords
from desktop.ui.batch_progress import message_for
from desktop.ui.context import AppContext
from desktop.ui.retranslate import retranslate_in_place

SEPARATORS = ("、", "，", ",", ";", "；")


class _KeywordsTable(QTableWidget):
    """Tab from the last row's keywords goes on past the end (`tabbedPastEnd`) instead of
    back to the first row's name: Qt opened 高意向 there with its text selected, and the next
    tag typed replaced it."""

    tabbedPastEnd = Signal()

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        last = (self.currentRow() == self.rowCount() - 1
                and self.currentColumn() == self.columnCount() - 1)
        if last and hint == QAbstractItemDelegate.EndEditHint.EditNextItem:
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.tabbedPastEnd.emit()
            return
        super().closeEditor(editor, hint)


class KeywordsDialog(QDialog):
    """Tags and their keywords; Save replaces the profile's whole keyword set."""

    loaded = Signal()
    saved = Signal(object)     # the saved dict: tag name → keywords

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._kept: dict[str, list[str]] | None = None   # as loaded or last saved
        self._close_when_saved = False
        self.table = _KeywordsTable(0, 2)
        self.table.tabbedPastEnd.connect(self._next_row)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.status = QLabel(wordWrap=True)
        self.add_button, self.remove_button = QPushButton(), QPushButton()
        self.save_button, self.close_button = QPushButton(), QPushButton()
        self.save_button.setDefault(True)      # Enter saves; it added a row
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(640, 420)
        self.texts = retranslate_in_place(self, self.retranslate)
        self.texts.say(self.status, lambda: "")
        self.add_button.clicked.connect(self._add_and_edit)
        self.remove_button.clicked.connect(self._remove_selected)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        cache = context.cache
        context.run_task(lambda _p, _c: autotag_keywords.stored(cache), owner=self,
                         name="autotag keywords", on_result=self._loaded,
                         on_error=self._failed)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Keywords per tag"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Tag (name or group:name)"), self.tr("Keywords (separated by 、 or ,)")])
        self.add_button.setText(self.tr("Add tag"))
        self.remove_button.setText(self.tr("Remove"))
        self.save_button.setText(self.tr("Save"))
        self.close_button.setText(self.tr("Close"))

    def add_row(self, name: str = "", words: str = "") -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(name))
        self.table.setItem(row, 1, QTableWidgetItem(words))
        return row

    def _add_and_edit(self) -> None:
        """Add tag: a new row whose name is being typed, Tab then moves to its keywords."""
        row = self.add_row()
        self.table.setFocus()
        self.table.setCurrentCell(row, 0)
        self.table.edit(self.table.currentIndex())

    def _next_row(self) -> None:
        """Tab after the last row's keywords: a new row for the next tag, as 添加标签 opens
        one; after a row left without a name, on to the buttons."""
        last = self.table.item(self.table.rowCount() - 1, 0)
        if last is not None and last.text().strip():
            self._add_and_edit()
        else:
            self.add_button.setFocus()

    def keywords(self) -> dict[str, list[str]]:
        """The table as tag name → keywords (rows without a name are left out)."""
        result: dict[str, list[str]] = {}
        for row in range(self.table.rowCount()):
            name_item, words_item = self.table.item(row, 0), self.table.item(row, 1)
            name = name_item.text().strip() if name_item is not None else ""
            words = words_item.text() if words_item is not None else ""
            for separator in SEPARATORS:
                words = words.replace(separator, ",")
            if name:
                result[name] = [w for w in words.split(",") if w.strip()]
        return result

    def save(self) -> None:
        wanted = self.keywords()
        workspace = self.context.workspace

        def work(_progress: Any, _cancel: Any) -> tuple[dict[str, list[str]], list[UserError]]:
            autotag_keywords.save_for(workspace, wanted, replace_all=True)
            return (autotag_keywords.stored(workspace.cache),
                    autotag_keywords.names_not_tags(workspace.cache, list(wanted)))

        self.context.run_task(work, owner=self, name="autotag keywords save", writer=True,
                              on_result=lambda saved: self._saved(saved, wanted),
                              on_error=self._failed)

    def _loaded(self, stored: dict[str, list[str]]) -> None:
        for name, words in stored.items():
            self.add_row(name, "、".join(words))
        self._kept = self.keywords()
        self.loaded.emit()

    def _saved(self, saved: tuple[dict[str, list[str]], list[UserError]],
               wanted: dict[str, list[str]]) -> None:
        stored, not_tags = saved
        self._show_as_stored(stored, wanted)
        self._kept = self.keywords()
        count = len(stored)
        self.texts.say(self.status, lambda: "\n".join(
            [self.tr("Saved the keywords of %1 tags.", "", count).replace("%1", f"{count:,}"),
             *(message_for(exc) for exc in not_tags)]))
        self.saved.emit(stored)
        if self._close_when_saved:
            self.reject()

    def _show_as_stored(self, stored: dict[str, list[str]],
                        wanted: dict[str, list[str]]) -> None:
        """Each saved row's keywords as they were kept, one 、 between them ("上门，来一趟、 到现场"
        reads 上门、来一趟、到现场), so the split shows; a row edited since the save stays."""
        typed = self.keywords()
        for row in range(self.table.rowCount()):
            name_item, words_item = self.table.item(row, 0), self.table.item(row, 1)
            name = name_item.text().strip() if name_item is not None else ""
            if words_item is not None and name in stored and typed.get(name) == wanted.get(name):
                words_item.setText("、".join(stored[name]))

    def reject(self) -> None:
        """Close (Esc, Close, the window's ×), asking first when edits are not saved."""
        if self._kept is None or self.keywords() == self._kept:
            super().reject()
            return
        answer = QMessageBox.question(
            self, self.tr("Unsaved keywords"),
            self.tr("The keywords were changed. Save them before closing?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Discard:
            super().reject()
        elif answer == QMessageBox.StandardButton.Save:
            self._close_when_saved = True
            self.save()

    def _failed(self, exc: BaseException) -> None:
        self._close_when_saved = False
        self.texts.say(self.status, lambda: html.escape(message_for(exc)))

    def _remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectionModel().selectedRows()},
                          reverse=True):
            self.table.removeRow(row)
