"""The tag picker: one key opens it on the selected customers, type, Enter, done.

Type Chinese, full pinyin, initials (`gyx` → 高意向) or an abbreviation (`V3`); the best match is
highlighted, Up/Down move, Enter toggles it on every selected relation and closes (Ctrl+Enter,
or a click on the tag's box, toggles and stays open for the next tag; a double click on its
name toggles and closes), Esc closes; a toggle on many customers asks first
(`big_toggle`). Each row says whether the tag is on all,
some or none of the selection; toggling adds it where missing, or removes it when all carry it
(`AppContext.toggle_tag`: one undoable batch, written in the background).

Tags, the search index and the selection's tags are read on a worker thread; what is typed
before they arrive is searched as soon as they do.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.tag_search import TagSearchIndex
from desktop.domain.tags import TagInfo
from desktop.services.tag_admin import TagAdminService
from desktop.ui.big_toggle import Toggle, count_having, toggle_asking_first
from desktop.ui.context import AppContext
from desktop.ui.counts import grouped
from desktop.ui.retranslate import retranslate_in_place

RESULT_LIMIT = 30
TAG_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CARRIED_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


@dataclass(frozen=True)
class PickerData:
    """Everything the picker reads in the background."""

    tags: list[TagInfo]
    index: TagSearchIndex
    pins: list[str]


class PickerModel(QAbstractListModel):
    """The current results, each with how many selected relations carry it."""

    boxClicked = Signal(QModelIndex)     # a click on a tag's box: toggle it, stay open

    def __init__(self, selected: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.selected = selected
        self.tags: list[TagInfo] = []
        self.carried: dict[str, int] | None = None  # tag id → selected relations carrying it
        self._last_box: tuple[int, float] = (-1, 0.0)   # row and time of the last box click

    def set_all_carried(self, carried: dict[str, int]) -> None:
        self.carried = carried
        if self.tags:
            self.dataChanged.emit(self.index(0), self.index(len(self.tags) - 1))

    def set_results(self, tags: list[TagInfo]) -> None:
        self.beginResetModel()
        self.tags = tags
        self.endResetModel()

    def set_carried(self, tag_id: str, count: int) -> None:
        if self.carried is None:
            return
        self.carried[tag_id] = count
        for row, tag in enumerate(self.tags):
            if tag.id == tag_id:
                index = self.index(row)
                self.dataChanged.emit(index, index)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.tags)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.tags):
            return None
        tag = self.tags[index.row()]
        carried = None if self.carried is None else self.carried.get(tag.id, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            code = f"  [{tag.abbreviation}]" if tag.abbreviation else ""
            return f"{tag.name}{code}    {tag.group_name}"
        if role == Qt.ItemDataRole.CheckStateRole:
            if carried is None:
                return None  # still counting
            if carried and carried >= self.selected:
                return Qt.CheckState.Checked
            return Qt.CheckState.PartiallyChecked if carried else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            if carried is None:
                return self.tr("Counting the selected customers…")
            return self.tr("On %1 of the %2 selected").replace("%1", grouped(carried)).replace(
                "%2", grouped(self.selected))
        if role == TAG_ID_ROLE:
            return tag.id
        if role == CARRIED_ROLE:
            return carried
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsUserCheckable if self.carried is not None else flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A click on a tag's box asks for its toggle (`boxClicked`); the box shows what the
        selection carries, so it changes once the tagging is written, not here. The second
        click of a double click on the box is the same toggle, not its undoing."""
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        if not self.box_just_clicked(index.row()):
            self._last_box = (index.row(), time.monotonic())
            self.boxClicked.emit(self.index(index.row()))
        return False

    def box_just_clicked(self, row: int) -> bool:
        """Whether `row`'s box was clicked within a double click's time: the rest of a
        double click on it, which its first click has toggled already."""
        last, then = self._last_box
        return last == row and time.monotonic() - then <= QApplication.doubleClickInterval() / 1000


class TagPicker(QDialog):
    retagRequested = Signal(object)     # a big toggle's `Toggle`, for 批量重标 instead

    def __init__(self, context: AppContext, relation_ids: Sequence[int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.relation_ids = list(relation_ids)
        self.service = TagAdminService(context.workspace)
        self.picker_data: PickerData | None = None
        self.setMinimumWidth(380)
        self.search = QLineEdit()
        self.model = PickerModel(len(self.relation_ids), self)
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setUniformItemSizes(True)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.summary = QLabel()
        self.summary.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.summary)
        self.search.textChanged.connect(self._update_results)
        self.search.installEventFilter(self)
        self.results.doubleClicked.connect(self._double_clicked)
        self.model.boxClicked.connect(lambda index: self.apply(index, close=False))
        self.texts = retranslate_in_place(self, self.retranslate)
        self._show_summary(lambda: self.tr("Loading tags…"))
        self._load()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Tag customers"))
        self.search.setPlaceholderText(self.tr("Tag: 中文, pinyin, gyx or V3"))

    # -- public -------------------------------------------------------------------------------

    def current_tag(self) -> TagInfo | None:
        row = self.results.currentIndex().row()
        return self.model.tags[row] if 0 <= row < len(self.model.tags) else None

    def apply(self, index: QModelIndex | None = None, *, close: bool = True) -> bool:
        """Toggle the highlighted (or given) tag on every selected relation."""
        if index is not None and index.isValid():
            self.results.setCurrentIndex(index)
        tag = self.current_tag()
        if tag is None or not self.relation_ids:
            return False
        carried, ids, context = self.model.carried, self.relation_ids, self.context
        if close:
            self.accept()
        if carried is not None:
            self._toggle(tag, carried.get(tag.id, 0))
        else:   # Enter before the selection's counts: this tag's count first, or a toggle
            #     on customers who all carry it would say (and be) an add
            context.run_task(lambda _p, _c: count_having(context, ids, tag.id),
                             owner=self.parentWidget() or self, name="tag picker toggle count",
                             on_result=lambda having: self._toggle(tag, having))
        return True

    def _double_clicked(self, index: QModelIndex) -> None:
        """A double click on a tag's name toggles it and closes; one on its box is its box
        click's toggle only, the picker staying open."""
        if not self.model.box_just_clicked(index.row()):
            self.apply(index, close=True)

    def _toggle(self, tag: TagInfo, having: int) -> None:
        """Add the tag to those of the selection without it, or take it off all of them when
        all `having` carry it (asking first when that is many)."""
        toggle = Toggle.of(self.relation_ids, tag.id, tag.name, having)
        carried_after = 0 if toggle.removing else len(self.relation_ids)
        toggle_asking_first(
            self.context, toggle, self.parentWidget() or self, self.retagRequested.emit,
            written=lambda: self.model.set_carried(tag.id, carried_after))

    # -- internals ------------------------------------------------------------------------------

    def _load(self) -> None:
        """Tags first (the search needs them), the selection's tags in a second task (slow for
        a big selection)."""
        service, ids, operator = self.service, self.relation_ids, self.context.operator

        def read(_progress: Any, _cancel: Any) -> PickerData:
            tags = service.library().settable_tags()
            return PickerData(tags, TagSearchIndex(tags), service.pins(operator))

        self.context.run_task(read, owner=self, name="tag picker", on_result=self._loaded)
        self.context.run_task(lambda _p, _c: service.relation_tag_counts(ids),
                              owner=self, name="tag picker counts", on_result=self.model.set_all_carried)

    def _loaded(self, data: PickerData) -> None:
        self.picker_data = data
        self._update_results(self.search.text())

    def _update_results(self, text: str) -> None:
        if self.picker_data is None:
            return
        if text.strip():
            tags = [hit.tag for hit in self.picker_data.index.search(text, RESULT_LIMIT)]
        else:
            by_id = {tag.id: tag for tag in self.picker_data.tags}
            pinned = [by_id[tag_id] for tag_id in self.picker_data.pins if tag_id in by_id]
            common = sorted(self.picker_data.tags, key=lambda t: -t.relation_count)
            tags = list({tag.id: tag for tag in [*pinned, *common]}.values())[:RESULT_LIMIT]
        self.model.set_results(tags)
        if tags:
            self.results.setCurrentIndex(self.model.index(0))
        count = len(self.relation_ids)
        if not tags:
            self._show_summary(lambda: self.tr("No tag matches “%1”").replace(
                "%1", text.strip()))
        else:
            self._show_summary(lambda: self.tr(
                "Enter: add or remove on %1 selected · Esc: close").replace("%1", f"{count:,}"))

    def _show_summary(self, text: Callable[[], str]) -> None:
        self.texts.say(self.summary, text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and isinstance(event, QKeyEvent) and \
                event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
                self.apply(close=not ctrl)
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._move(key)
                return True
        return super().eventFilter(watched, event)

    def _move(self, key: int) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 8,
                 Qt.Key.Key_PageUp: -8}
        step = next(value for item, value in steps.items() if item == key)
        row = min(max(self.results.currentIndex().row() + step, 0), rows - 1)
        self.results.setCurrentIndex(self.model.index(row))
