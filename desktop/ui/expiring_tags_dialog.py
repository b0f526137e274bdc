"""Expiring tags: 标签 → 到期标签…. Every tag set to expire on a relation (by a rule's
`expires`, the retag dialog's or `retag --expires`, `tagdesk expiry set`), soonest first, with
its customer, member and due time. "Remove due now" removes what ran out as one batch (source
`expiry`, like `tagdesk expiry run`); "Change expiry…" sets a new one on the selected rows.
While shown, the list is read again after every sync or batch (which may remove expiring tags).
On a team profile the list is the team server's, read from it each time: the server removes
what runs out (no "Remove due now"), and a changed expiry is sent to it. While the server
cannot be reached the window shows the last copy, under a line saying it is not up to date
and when it was copied.
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
    QInputDialog,
    QLabel,
    QPushButton,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.rule_format import RuleFormatError, parse_duration
from desktop.services.changes import ChangeSet
from desktop.services.tag_expiry import ExpiryListing, ExpiryRun, ExpiryService
from desktop.store.tag_expiry import Expiry, NamedExpiry
from desktop.ui.context import AppContext
from desktop.ui.errors import readable
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.sortable_tree import SORT_ROLE, SortableItem, sort_on_header_click
from desktop.ui.tag_dialogs import pick

SHOWN = 5000
_ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class ExpiringTagsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("expiringTagsDialog")
        self.context = context
        self.service = ExpiryService(context.workspace)
        self.rows: list[NamedExpiry] = []
        self.labels: dict[str, str] = {}
        self.stale_copy_at: float | None = None
        self.resize(820, 520)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.stale = QLabel()
        self.stale.setObjectName("staleCopy")
        self.stale.setWordWrap(True)
        self.stale.setVisible(False)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        sort_on_header_click(self.table)
        self.summary, self.status = QLabel(), QLabel()
        self.status.setWordWrap(True)
        self.remove_due_button, self.change_button = QPushButton(), QPushButton()
        self.change_button.setEnabled(False)
        self.remove_due_button.setEnabled(False)
        self.remove_due_button.setVisible(not self.service.by_team_server)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_due_button)
        buttons.addWidget(self.change_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.stale)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.status)
        layout.addWidget(close)
        close.button(QDialogButtonBox.StandardButton.Close).setDefault(True)  # Enter removed tags
        self.remove_due_button.clicked.connect(self.remove_due)
        self.change_button.clicked.connect(self.ask_change)
        self.table.itemSelectionChanged.connect(
            lambda: self.change_button.setEnabled(bool(self.table.selectedItems())))
        self.texts = retranslate_in_place(self, self.retranslate)
        context.changed.connect(self._changed)
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Expiring tags"))
        if self.service.by_team_server:
            self.intro.setText(self.tr(
                "Tags set to expire, soonest first, as the team server keeps them: added by a"
                " team rule with an expiry, by the retag dialog's Expires field or the command"
                " tagdesk expiry set. The team server removes each when it runs out, even while this"
                " app is closed, as a batch that can be undone."))
        else:
            self.intro.setText(self.tr(
                "Tags set to expire, soonest first: added by a rule with an expiry, by the"
                " retag dialog's Expires field or the command tagdesk expiry set. A sync"
                " removes those that ran out; Remove due now does it at once, as one batch"
                " that can be undone."))
        self.table.setHeaderLabels([self.tr("Tag"), self.tr("Customer"), self.tr("Member"),
                                    self.tr("Due")])
        self.remove_due_button.setText(self.tr("Remove due now"))
        self.change_button.setText(self.tr("Change expiry…"))
        if self.rows or self.stale_copy_at is not None:   # "(due)" marks, in the new language
            self._fill((ExpiryListing(self.rows, self.stale_copy_at), self.labels))

    # -- the list ----------------------------------------------------------------------------

    def reload(self) -> None:
        service = self.service

        def read(_p: Any, _c: Any) -> tuple[ExpiryListing, dict[str, str]]:
            return service.listing(), service.tagging.tag_labels()

        self.context.run_task(read, owner=self, name="expiring tags", on_result=self._fill,
                              on_error=self._failed)

    def _fill(self, loaded: tuple[ExpiryListing, dict[str, str]]) -> None:
        listing, self.labels = loaded
        self.rows, self.stale_copy_at = listing.rows, listing.stale_copy_at
        if self.stale_copy_at is not None:
            copied = datetime.fromtimestamp(self.stale_copy_at).strftime("%Y-%m-%d %H:%M")
            self.stale.setText(self.tr("Not up to date: the team server cannot be reached"
                                       " (copy of %1).").replace("%1", copied))
        self.stale.setVisible(self.stale_copy_at is not None)
        now = time.time()
        self.table.clear()
        for index, row in enumerate(self.rows[:SHOWN]):
            expiry = row.expiry
            due = datetime.fromtimestamp(expiry.expires_at).strftime("%Y-%m-%d %H:%M")
            if expiry.expires_at <= now:
                due = self.tr("%1 (due)").replace("%1", due)
            item = SortableItem([self.labels.get(expiry.tag_id, expiry.tag_id),
                                    row.customer or expiry.external_userid,
                                    row.member or expiry.userid, due])
            item.setData(0, _ROW_ROLE, index)
            item.setData(3, SORT_ROLE, expiry.expires_at)
            self.table.addTopLevelItem(item)
        for column in range(3):
            self.table.resizeColumnToContents(column)
        due_count = sum(1 for r in self.rows if r.expiry.expires_at <= now)
        self.remove_due_button.setEnabled(due_count > 0)
        total = len(self.rows)
        self.texts.say(self.summary, lambda: self.tr("%1 tags set to expire, %2 due now.", "", total)
                       .replace("%1", f"{total:,}").replace("%2", f"{due_count:,}"))

    def _changed(self, changes: ChangeSet) -> None:
        if self.isVisible() and (changes.full_reload or changes.batch_id
                                 or changes.relation_ids):
            self.reload()

    def selected(self) -> list[Expiry]:
        return [self.rows[int(item.data(0, _ROW_ROLE))].expiry
                for item in self.table.selectedItems()]

    # -- changes -----------------------------------------------------------------------------

    def remove_due(self) -> None:
        """Remove every tag that ran out, as one batch (source expiry), on the writer."""
        self.remove_due_button.setEnabled(False)
        service = self.service
        outcome: list[ExpiryRun] = []

        def work(progress: Any, _cancel: Any) -> ChangeSet | None:
            run = service.run(progress=progress)
            outcome.append(run)
            return run.result.changes if run.result is not None else None

        self.texts.say(self.status, lambda: self.tr("Removing the tags that ran out…"))
        self.context.run_operation(work, owner=self, name="remove expired tags",
                                   on_success=lambda _c: self._removed(outcome[0]),
                                   on_failure=self._failed)

    def _removed(self, run: ExpiryRun) -> None:
        self.reload()
        result = run.result
        if result is None:
            self.texts.say(self.status, lambda: self.tr("Nothing is due."))
            return
        applied, failed, batch = result.applied, result.failed, result.batch_id
        self.texts.say(self.status, lambda: self.tr(
            "Removed %1 expired tags (batch %2, %3 failed).", "", applied)
            .replace("%1", f"{applied:,}")
            .replace("%2", batch).replace("%3", f"{failed:,}"))

    def ask_change(self) -> None:
        text, ok = QInputDialog.getText(
            self, self.tr("Change expiry"),
            self.tr("The selected tags expire after (30d, 12h, 2w):"))
        if ok:
            self.change_selected(text)

    def change_selected(self, text: str) -> None:
        """The selected rows expire after `text` from now; a bad duration changes nothing."""
        chosen = self.selected()
        if not chosen:
            return
        try:
            seconds = parse_duration(text, "expires")
        except RuleFormatError as exc:
            zh, en = exc.message_zh.split("：", 1)[-1], exc.message_en.split(": ", 1)[-1]
            self.texts.say(self.status, lambda: pick(zh, en))
            return
        service = self.service

        def work(_progress: Any, _cancel: Any) -> ChangeSet | None:
            service.reschedule(chosen, seconds)
            return None

        self.context.run_operation(work, owner=self, name="change expiry",
                                   on_success=lambda _c: self.reload(), on_failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.texts.say(self.status, lambda: readable(exc))
