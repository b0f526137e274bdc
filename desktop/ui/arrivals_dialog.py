"""Live codes and pre-tags: 标签 → 活码与预打标签….

Three tabs: the corp's live codes (read from WeCom in a background task) with the tags each
gives its new customers and how many relations it has tagged — created, edited and removed
here; the live-code report (customers added per code per day); and the pre-tags queued on
this desktop with their state (pending, applied with its batch, expired, cancelled) — queued
one by one or from a file, a pending one cancellable. Both are applied after each sync (in
team mode the server applies them at once). Every WeCom call runs on a worker, with a busy
bar while it runs and the reason in the window when it fails.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.arrivals import BY_EXTERNAL_USERID, BY_PHONE, BY_UNIONID
from desktop.services.changes import ChangeSet
from desktop.services.livecodes import LiveCode, LiveCodeService
from desktop.services.pretags import PretagService
from desktop.store import members
from desktop.store.arrivals import EXPIRED, PENDING, ArrivalRecord
from desktop.ui.context import AppContext
from desktop.ui.errors import readable
from desktop.ui.i18n import list_text
from desktop.ui.livecode_edit_dialog import LiveCodeEditDialog, split_names
from desktop.ui.livecode_report import LiveCodeReportView
from desktop.ui.pretag_form import PretagForm
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.sortable_tree import SORT_ROLE, SortableItem, sort_on_header_click

ID_ROLE = Qt.ItemDataRole.UserRole + 1
Directory = tuple[dict[str, str], dict[int, str]]   # userid → name, department id → name


class ArrivalsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("arrivalsDialog")
        self.context = context
        self._codes: list[LiveCode] = []
        self._names: Directory = ({}, {})
        self._pretags: list[ArrivalRecord] = []
        self.resize(1000, 540)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.codes = _table()
        self.pretags = _table()
        self.state_edit = QLineEdit()
        self.state_edit.setMaxLength(30)
        self.members_edit = QLineEdit()
        self.tags_edit = QLineEdit()
        self.create_button = QPushButton()
        self.edit_button = QPushButton()
        self.remove_button = QPushButton()
        for button in (self.edit_button, self.remove_button):
            button.setEnabled(False)
        new_code = QHBoxLayout()
        for widget in (self.state_edit, self.members_edit, self.tags_edit):
            new_code.addWidget(widget, 1)
        for button in (self.create_button, self.edit_button, self.remove_button):
            new_code.addWidget(button)
        codes_page = QWidget()
        codes_layout = QVBoxLayout(codes_page)
        codes_layout.setContentsMargins(0, 0, 0, 0)
        codes_layout.addWidget(self.codes, 1)
        codes_layout.addLayout(new_code)
        self.report = LiveCodeReportView(context)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.pretag_form = PretagForm(context, lambda text: self.texts.say(self.summary, text),
                                      self.reload_pretags)
        pretags_page = QWidget()
        pretags_layout = QVBoxLayout(pretags_page)
        pretags_layout.setContentsMargins(0, 0, 0, 0)
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)
        pretag_row = QHBoxLayout()
        pretag_row.addWidget(self.pretag_form, 1)
        pretag_row.addWidget(self.cancel_button)
        pretags_layout.addWidget(self.pretags, 1)
        pretags_layout.addLayout(pretag_row)
        self.tabs = QTabWidget()
        self.tabs.addTab(codes_page, "")
        self.tabs.addTab(self.report, "")
        self.tabs.addTab(pretags_page, "")
        self.codes_page, self.pretags_page = codes_page, pretags_page
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        self._working = 0
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.busy)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.pretags.currentItemChanged.connect(lambda _item, _old: self._selected())
        self.codes.currentItemChanged.connect(lambda _item, _old: self._code_selected())
        self.codes.itemDoubleClicked.connect(lambda _item, _column: self.edit_selected())
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.create_button.clicked.connect(self.create_code)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.texts = retranslate_in_place(self, self.retranslate)
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Live codes and pre-tags"))
        self.intro.setText(self.tr(
            "Customers added through a live code get its tags, and a pre-tag tags its person"
            " once they are added: after each sync (in team mode the team server tags live"
            " codes' customers at once)."))
        self.state_edit.setPlaceholderText(self.tr("State, e.g. expo2026"))
        self.members_edit.setPlaceholderText(self.tr("Members' userids, separated by ,"))
        self.tags_edit.setPlaceholderText(self.tr("Tags for its customers (group:name), separated"
                                                  " by ,"))
        self.create_button.setText(self.tr("Create live code"))
        self.edit_button.setText(self.tr("Edit…"))
        self.remove_button.setText(self.tr("Remove…"))
        self.tabs.setTabText(0, self.tr("Live codes"))
        self.tabs.setTabText(1, self.tr("Report"))
        self.tabs.setTabText(2, self.tr("Pre-tags"))
        self.codes.setHeaderLabels([self.tr("State"), self.tr("Members"), self.tr("Tags"),
                                    self.tr("Tagged"), self.tr("Remark"), self.tr("Code id")])
        self.pretags.setHeaderLabels([self.tr("Id"), self.tr("Status"), self.tr("Person"),
                                      self.tr("Tags"), self.tr("Until"), self.tr("Batch")])
        self.cancel_button.setText(self.tr("Cancel pre-tag"))
        self._fill_codes(self._codes)
        self._fill_pretags(self._pretags)

    def reload(self) -> None:
        self.reload_pretags()
        self.reload_codes()

    def _tab_shown(self, index: int) -> None:
        """A tab shown again is read again: live codes and pre-tags change elsewhere too
        (the team server applies them, other desktops and the command line queue them)."""
        if self.tabs.widget(index) is self.codes_page:
            self.reload_codes()
        elif self.tabs.widget(index) is self.pretags_page:
            self.reload_pretags()

    def reload_pretags(self) -> None:
        workspace = self.context.workspace
        self.context.run_task(lambda _p, _c: PretagService(workspace).list(), owner=self,
                              name="pre-tags", on_result=self._fill_pretags,
                              on_error=self._failed)

    def reload_codes(self) -> None:
        workspace = self.context.workspace
        self._busy(True)

        def work(_progress: Any, _cancel: Any) -> tuple[list[LiveCode], Directory]:
            codes = LiveCodeService(workspace).list()
            cache = workspace.cache
            return codes, (members.member_names(cache), members.department_names(cache))

        def listed(found: tuple[list[LiveCode], Directory]) -> None:
            self._busy(False)
            codes, self._names = found
            self._fill_codes(codes)

        def failed(exc: BaseException) -> None:
            self._busy(False)
            self._failed(exc)

        self.context.run_task(work, owner=self, name="live codes", on_result=listed,
                              on_error=failed)

    def _fill_codes(self, codes: list[LiveCode]) -> None:
        self._codes = list(codes)
        current = self.selected_code()
        self.codes.clear()
        for code in self._codes:
            item = SortableItem([
                code.state, self._members_text(code), list_text(code.tag_names),
                f"{code.tagged:,}", code.remark, code.config_id])
            item.setToolTip(1, ", ".join(code.users))
            item.setData(3, SORT_ROLE, code.tagged)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.codes.addTopLevelItem(item)
            if current is not None and code.config_id == current.config_id:
                self.codes.setCurrentItem(item)
        _fit(self.codes)
        self._code_selected()

    def _members_text(self, code: LiveCode) -> str:
        """Its members and departments by name (the userids are in the tooltip)."""
        people, departments = self._names
        return list_text([*(people.get(userid) or userid for userid in code.users),
                         *(self.tr("%1 (department)").replace(
                             "%1", departments.get(party) or str(party))
                           for party in code.parties)])

    def selected_code(self) -> LiveCode | None:
        item = self.codes.currentItem()
        config_id = None if item is None else item.text(5)
        return next((c for c in self._codes if c.config_id == config_id), None)

    def select_code(self, config_id: str) -> None:
        for n in range(self.codes.topLevelItemCount()):
            item = self.codes.topLevelItem(n)
            if item is not None and item.text(5) == config_id:
                self.codes.setCurrentItem(item)

    def _code_selected(self) -> None:
        chosen = self.selected_code() is not None and not self._working
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def edit_selected(self) -> LiveCodeEditDialog | None:
        """Open the selected code in the edit window; the list reloads when it is saved."""
        code = self.selected_code()
        if code is None:
            return None
        editor = LiveCodeEditDialog(self.context, code, self)
        editor.accepted.connect(lambda: self._changed(lambda: self.tr(
            "Live code %1 changed.").replace("%1", code.state)))
        editor.open()
        return editor

    def remove_selected(self) -> None:
        """Delete the selected code in WeCom after a confirmation; its tags stop."""
        code = self.selected_code()
        if code is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Remove live code"),
            self.tr("Delete the live code %1 in WeCom? Its QR code stops working and customers"
                    " who add through it are no longer tagged.").replace("%1", code.state))
        if answer != QMessageBox.StandardButton.Yes:
            return
        workspace, config_id = self.context.workspace, code.config_id
        self._busy(True)

        def work(_progress: Any, _cancel: Any) -> ChangeSet | None:
            LiveCodeService(workspace).remove(config_id)
            return None

        def removed(_changes: ChangeSet | None) -> None:
            self._busy(False)
            self._changed(lambda: self.tr("Live code %1 removed.").replace("%1", code.state))

        def failed(exc: BaseException) -> None:
            self._busy(False)
            self._failed(exc)

        self.context.run_operation(work, owner=self, name="remove live code",
                                   on_success=removed, on_failure=failed)

    def _changed(self, said: Callable[[], str]) -> None:
        self.texts.say(self.summary, said)
        self.reload_codes()

    def _busy(self, working: bool) -> None:
        """The busy bar shows while a WeCom call of this window runs."""
        self._working = max(0, self._working + (1 if working else -1))
        self.busy.setVisible(bool(self._working))
        self._code_selected()

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
            item = SortableItem([
                str(record.id), self._status(status), self._person(record),
                list_text(labels.get(t, t) for t in record.tag_ids), until, record.batch_id])
            item.setData(0, ID_ROLE, record.id)
            item.setData(0, SORT_ROLE, record.id)
            self.pretags.addTopLevelItem(item)
            if record.id == current:
                self.pretags.setCurrentItem(item)
        _fit(self.pretags)
        self._selected()

    def _person(self, record: ArrivalRecord) -> str:
        """Who the pre-tag waits for: 「手机号：13900139000」, not the kind's key."""
        kinds = {BY_EXTERNAL_USERID: self.tr("Customer id"), BY_PHONE: self.tr("Phone"),
                 BY_UNIONID: "unionid"}
        return self.tr("%1: %2").replace("%1", kinds.get(record.kind, record.kind)).replace(
            "%2", record.key)

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
                                   on_success=lambda _changes: self.reload_pretags(),
                                   on_failure=self._failed)

    def create_code(self) -> None:
        """Create the live code in WeCom with the state, members and tags typed above."""
        state = self.state_edit.text()
        members = split_names(self.members_edit.text())
        tags = split_names(self.tags_edit.text())
        workspace = self.context.workspace
        self.create_button.setEnabled(False)

        def work(_progress: Any, _cancel: Any) -> ChangeSet | None:
            LiveCodeService(workspace).create(state, users=members, tags=tags)
            return None

        def created(_changes: ChangeSet | None) -> None:
            self.create_button.setEnabled(True)
            for edit in (self.state_edit, self.members_edit, self.tags_edit):
                edit.clear()
            self.texts.say(self.summary, lambda: self.tr("Live code %1 created.").replace(
                "%1", state.strip()))
            self.reload()

        def failed(exc: BaseException) -> None:
            self.create_button.setEnabled(True)
            self._failed(exc)

        self.context.run_operation(work, owner=self, name="create live code",
                                   on_success=created, on_failure=failed)

    def _failed(self, exc: BaseException) -> None:
        self.texts.say(self.summary, lambda: readable(exc))


def _table() -> QTreeWidget:
    table = QTreeWidget()
    table.setRootIsDecorated(False)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    sort_on_header_click(table)
    return table


def _fit(table: QTreeWidget) -> None:
    for column in range(table.columnCount()):
        table.resizeColumnToContents(column)
