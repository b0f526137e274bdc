"""Deleted tags and their restore: 标签 → 已删除的标签….

Every delete (tree, command line, migration) keeps the relations that carried the tag. This
window lists those deletions; selecting one previews what a restore does (re-create the tag —
WeCom gives it a new id — or reuse a live namesake, and re-tag the relations still there),
and the restore button queues that as one batch, run below with the usual progress, pause
and cancel; it can be undone like any other batch.
"""

from __future__ import annotations

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
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services.changes import ChangeSet
from desktop.services.tag_restore import RestorePreview, TagRestoreService
from desktop.store import members
from desktop.store.tag_snapshots import TagSnapshot
from desktop.ui.batch_progress import BatchProgressPanel
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS
from desktop.ui.errors import readable
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.sortable_tree import SORT_ROLE, SortableItem, sort_on_header_click

SNAPSHOT_ROLE = Qt.ItemDataRole.UserRole + 1


class DeletedTagsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deletedTagsDialog")
        self.context = context
        self.service = TagRestoreService(context.workspace)
        self.preview: RestorePreview | None = None
        self._snapshots: list[TagSnapshot] = []
        self._names: dict[str, str] = {}               # userid → member name
        self.resize(860, 560)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAlternatingRowColors(True)
        sort_on_header_click(self.list)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.restore_button = QPushButton()
        self.restore_button.setEnabled(False)
        self.panel = BatchProgressPanel(context, self)
        self.panel.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.restore_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.panel)
        layout.addWidget(close)
        self.list.currentItemChanged.connect(lambda _item, _old: self._selected())
        self.restore_button.clicked.connect(self.restore_selected)
        self.panel.batchFinished.connect(lambda _result: self.reload())
        self.texts = retranslate_in_place(self, self.retranslate)
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Deleted tags"))
        self.intro.setText(self.tr(
            "Before a tag is deleted, TagDesk keeps the customer relations that carried it."
            " Restoring re-creates the tag (WeCom gives it a new id) and tags those relations"
            " again, as one batch that can be undone."))
        self.list.setHeaderLabels([self.tr("Deleted"), self.tr("Tag"), self.tr("Group"),
                                   self.tr("Relations"), self.tr("By"), self.tr("Reason"),
                                   self.tr("State")])
        self.restore_button.setText(self.tr("Restore"))
        self._fill(self._snapshots)

    # -- the list ------------------------------------------------------------------------

    def reload(self) -> None:
        service, cache = self.service, self.context.workspace.cache

        def work(_progress: Any, _cancel: Any) -> tuple[list[TagSnapshot], dict[str, str]]:
            return service.deleted(), members.member_names(cache)

        self.context.run_task(work, owner=self, name="deleted tags", on_result=self._loaded,
                              on_error=self._failed)

    def _loaded(self, found: tuple[list[TagSnapshot], dict[str, str]]) -> None:
        snapshots, self._names = found
        self._fill(snapshots)
        if not snapshots:
            self.texts.say(self.summary, lambda: self.tr("No tag has been deleted yet."))
        elif self._current_id() is None:
            self.texts.say(self.summary, lambda: self.tr(
                "Choose a deleted tag to see what restoring it would do."))

    def _fill(self, snapshots: list[TagSnapshot]) -> None:
        self._snapshots = list(snapshots)
        current = self._current_id()
        self.list.clear()
        for snapshot in self._snapshots:
            state = (self.tr("restored as %1").replace("%1", snapshot.restored_as)
                     if snapshot.restored else self.tr("can be restored"))
            item = SortableItem([
                datetime.fromtimestamp(snapshot.taken_at).strftime("%Y-%m-%d %H:%M"),
                snapshot.tag_name, snapshot.group_name, f"{snapshot.relations:,}",
                self._names.get(snapshot.operator) or snapshot.operator, snapshot.reason,
                state])
            item.setToolTip(4, snapshot.operator)
            item.setData(0, SNAPSHOT_ROLE, snapshot.id)
            item.setData(3, SORT_ROLE, snapshot.relations)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.list.addTopLevelItem(item)
            if snapshot.id == current:
                self.list.setCurrentItem(item)
        for column in range(self.list.columnCount()):
            self.list.resizeColumnToContents(column)

    def _current_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(0, SNAPSHOT_ROLE))

    def select(self, snapshot_id: int) -> None:
        for row in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(row)
            if item is not None and int(item.data(0, SNAPSHOT_ROLE)) == snapshot_id:
                self.list.setCurrentItem(item)

    # -- preview and restore ----------------------------------------------------------------

    def _selected(self) -> None:
        self.preview = None
        self.restore_button.setEnabled(False)
        self.texts.say(self.summary, str)          # the chosen tag's preview replaces it
        snapshot_id = self._current_id()
        found = next((s for s in self._snapshots if s.id == snapshot_id), None)
        if found is None:
            return
        if found.restored:
            self.texts.say(self.summary, lambda: self.tr(
                "Already restored as %1 (batch %2).").replace("%1", found.restored_as)
                .replace("%2", found.restore_batch))
            return
        service = self.service
        self.context.run_task(lambda _p, _c: service.preview(found.id), owner=self,
                              name="restore preview", on_result=self._previewed,
                              on_error=self._failed)

    def _previewed(self, preview: RestorePreview) -> None:
        if preview.snapshot.id != self._current_id():
            return
        self.preview = preview
        name, count, gone = (preview.snapshot.tag_name, len(preview.relation_ids), preview.gone)
        if preview.reuse_tag_id:
            text = self.tr("「%1」 exists again in its group; restoring tags %2 with it.")
        else:
            text = self.tr("Restoring re-creates 「%1」 and tags %2 with it again.")
        gone_text = self.tr(" %1 relations gone since (customer deleted or follower"
                            " changed) will be skipped.", "", gone) if gone else ""
        self.texts.say(self.summary, lambda: text.replace("%1", name).replace(
            "%2", COUNTS.relations(count)) + gone_text.replace("%1", f"{gone:,}"))
        self.restore_button.setEnabled(True)

    def restore_selected(self) -> None:
        preview = self.preview
        if preview is None:
            return
        self.restore_button.setEnabled(False)
        service, snapshot_id = self.service, preview.snapshot.id

        def work(_progress: Any, _cancel: Any) -> ChangeSet:
            return service.restore(snapshot_id).changes

        self.context.run_operation(work, owner=self, name="restore tag",
                                   on_success=self._restored, on_failure=self._failed)

    def _restored(self, changes: ChangeSet | None) -> None:
        if changes is None or not changes.batch_id:
            return
        self.panel.setVisible(True)
        ids = self.preview.relation_ids if self.preview is not None else ()
        self.panel.start(changes.batch_id, frozenset(ids))
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        self.texts.say(self.summary, lambda: readable(exc))
        self.restore_button.setEnabled(self.preview is not None)
