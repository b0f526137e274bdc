"""Live codes and pre-tags: 标签 → 活码与预打标签….

Two lists: the corp's live codes (read from WeCom in a background task) with the tags each
gives its new customers and how many relations it has tagged, and the pre-tags queued on
this desktop with their state (pending, applied with its batch, expired, cancelled); a
pending pre-tag can be cancelled. Both are applied after each sync (in team mode the server
applies live codes at once). Creating and editing live codes and queuing pre-tags are done
with `tagdesk livecodes` / `tagdesk pretag` for now.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.changes import ChangeSet
from desktop.services.livecodes import LiveCode, LiveCodeService
from desktop.services.pretags import PretagService
from desktop.store.arrivals import EXPIRED, PENDING, ArrivalRecord
from desktop.ui.context import AppContext
from desktop.ui.errors import readable
from desktop.ui.retranslate import retranslate_in_place

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ArrivalsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("arrivalsDialog")
        self.context = context
        self._codes: list[LiveCode] = []
        self._pretags: list[ArrivalRecord] = []
        self.resize(900, 520)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.codes = _table()
        self.pretags = _table()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.codes, "")
        self.tabs.addTab(self.pretags, "")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.cancel_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        self.pretags.currentItemChanged.connect(lambda _item, _old: self._selected())
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.texts = retranslate_in_place(self, self.retranslate)
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Live codes and pre-tags"))
        self.intro.setText(self.tr(
            "Customers added through a live code get its tags, and a pre-tag tags its person"
            " once they are added: after each sync (in team mode the team server tags live"
            " codes' customers at once). Create live codes and queue pre-tags with"
            " `tagdesk livecodes` and `tagdesk pretag`."))
        self.tabs.setTabText(0, self.tr("Live codes"))
        self.tabs.setTabText(1, self.tr("Pre-tags"))
        self.codes.setHeaderLabels([self.tr("State"), self.tr("Members"), self.tr("Tags"),
                                    self.tr("Tagged"), self.tr("Remark"), self.tr("Code id")])
        self.pretags.setHeaderLabels([self.tr("Id"), self.tr("Status"), self.tr("Person"),
                                      self.tr("Tags"), self.tr("Until"), self.tr("Batch")])
        self.cancel_button.setText(self.tr("Cancel pre-tag"))
        self._fill_codes(self._codes)
        self._fill_pretags(self._pretags)

    def reload(self) -> None:
        workspace = self.context.workspace
        self.context.run_task(lambda _p, _c: PretagService(workspace).list(), owner=self,
                              name="pre-tags", on_result=self._fill_pretags,
                              on_error=self._failed)
        self.context.run_task(lambda _p, _c: LiveCodeService(workspace).list(), owner=self,
                              name="live codes", on_result=self._fill_codes,
                              on_error=self._failed)

    def _fill_codes(self, codes: list[LiveCode]) -> None:
        self._codes = list(codes)
        self.codes.clear()
        for code in self._codes:
            item = QTreeWidgetItem([
                code.state, ", ".join([*code.users, *map(str, code.parties)]),
                "、".join(code.tag_names), f"{code.tagged:,}", code.remark, code.config_id])
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.codes.addTopLevelItem(item)
        _fit(self.codes)

    def _fill_pretags(self, records: list[ArrivalRecord]) -> None:
        self._pretags = list(records)
        current = self._current_id()
        labels = self.context.tagging.tag_labels()
        now = time.time()
        self.pretags.clear()
        for record in self._pretags:
            status = (EXPIRED if record.status == PENDING and record.expires_at is not None
                      and record.expires_at <= now else record.status)
            until = (datetime.fromtimestamp(record.expires_at).strftime("%Y-%m-%d")
                     if record.expires_at else "")
            item = QTreeWidgetItem([
                str(record.id), self._status(status), f"{record.kind}: {record.key}",
                "、".join(labels.get(t, t) for t in record.tag_ids), until, record.batch_id])
            item.setData(0, ID_ROLE, record.id)
            self.pretags.addTopLevelItem(item)
            if record.id == current:
                self.pretags.setCurrentItem(item)
        _fit(self.pretags)
        self._selected()

    def _status(self, status: str) -> str:
        names = {"pending": self.tr("waiting"), "applied": self.tr("applied"),
                 "expired": self.tr("expired"), "cancelled": self.tr("cancelled")}
        return names.get(status, status)

    def _current_id(self) -> int | None:
        item = self.pretags.currentItem()
        return None if item is None else int(item.data(0, ID_ROLE))

    def _selected(self) -> None:
        found = next((r for r in self._pretags if r.id == self._current_id()), None)
        self.cancel_button.setEnabled(found is not None and found.status == PENDING)

    def cancel_selected(self) -> None:
        arrival_id = self._current_id()
        if arrival_id is None:
            return
        self.cancel_button.setEnabled(False)
        workspace = self.context.workspace

        def work(_progress: Any, _cancel: Any) -> ChangeSet | None:
            PretagService(workspace).cancel(arrival_id)
            return None

        self.context.run_operation(work, owner=self, name="cancel pre-tag",
                                   on_success=lambda _changes: self.reload(),
                                   on_failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.texts.say(self.summary, lambda: readable(exc))


def _table() -> QTreeWidget:
    table = QTreeWidget()
    table.setRootIsDecorated(False)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    return table


def _fit(table: QTreeWidget) -> None:
    for column in range(table.columnCount()):
        table.resizeColumnToContents(column)
