"""The favourites strip: the current user's pinned tags as chips, one click to tag the selection.

The first three chips are Alt+1..3 (the main window owns those shortcuts and asks
`tag_for_slot`). Chips reorder by drag; a tag dragged in from the tree is pinned where it is
dropped. The order is stored per user in the cache (`tag_pin`) on the writer thread; the strip
shows the new order at once and re-reads it when the change set comes back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop.domain.tag_order import move_rows
from desktop.domain.tags import TagInfo
from desktop.services import team_settings
from desktop.services.changes import ChangeSet
from desktop.services.tag_admin import TagAdminService
from desktop.ui.context import AppContext
from desktop.ui.style import accent, icon
from desktop.ui.tag_dialogs import message_for
from desktop.ui.tag_tree_model import TAG_IDS_MIME

FAVOURITE_IDS_MIME = "application/x-tagdesk-favourite-ids"
SHORTCUT_SLOTS = 3
TAG_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SLOT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class FavouritesModel(QAbstractListModel):
    """The pinned tags of one user, in their order."""

    def __init__(self, context: AppContext, service: TagAdminService,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.service = service
        self.tags: list[TagInfo] = []
        self._writing = 0
        self.reload()

    def reload(self) -> None:
        """Re-read the pins (a small indexed query); skipped while a write is under way."""
        if self._writing:
            return
        self.beginResetModel()
        self.tags = self.service.pinned_tags(self.context.operator)
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.tags)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.tags):
            return None
        tag, slot = self.tags[index.row()], index.row() + 1
        if role == Qt.ItemDataRole.DisplayRole:
            return tag.name
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{tag.group_name} · {tag.name}"]
            if tag.abbreviation:
                lines.append(self.tr("Abbreviation: %1").replace("%1", tag.abbreviation))
            action = self.tr("Click to add or remove it on the selected customers")
            if slot <= SHORTCUT_SLOTS:
                action = self.tr("Alt+%1 or click: add or remove it on the selected customers"
                                 ).replace("%1", str(slot))
            lines += [action, self.tr("Drag to reorder")]
            return "\n".join(lines)
        if role == TAG_ID_ROLE:
            return tag.id
        if role == SLOT_ROLE:
            return slot if slot <= SHORTCUT_SLOTS else 0
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled)

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [FAVOURITE_IDS_MIME, TAG_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids = list(dict.fromkeys(self.tags[i.row()].id for i in indexes if i.isValid()))
        mime = QMimeData()
        mime.setData(FAVOURITE_IDS_MIME, json.dumps(ids).encode("utf-8"))
        mime.setText("\n".join(tag.name for tag in self.tags if tag.id in ids))
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: Index) -> bool:
        return self._dropped_ids(data) is not None and not parent.isValid()

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        """Reorder the chips, or pin tags dragged in from the tree, at `row`."""
        dropped = self._dropped_ids(data)
        if dropped is None or parent.isValid():
            return False
        ids, from_tree = dropped
        current = [tag.id for tag in self.tags]
        row = len(current) if row < 0 else min(row, len(current))
        new_pins = [tag_id for tag_id in ids if tag_id not in current] if from_tree else []
        if from_tree and not new_pins:
            return False
        if new_pins:
            ordered = [*current[:row], *new_pins, *current[row:]]
        else:
            ordered = move_rows(current, [i for i in ids if i in current], row)
        if ordered == current:
            return True
        self._write(ordered, new_pins)
        return True

    def _dropped_ids(self, data: QMimeData) -> tuple[list[str], bool] | None:
        """(tag ids, came from the tree) of a drop this strip accepts."""
        try:
            if data.hasFormat(FAVOURITE_IDS_MIME):
                ids = json.loads(bytes(data.data(FAVOURITE_IDS_MIME).data()).decode("utf-8"))
                return ([str(i) for i in ids], False) if ids else None
            if data.hasFormat(TAG_IDS_MIME):
                payload = json.loads(bytes(data.data(TAG_IDS_MIME).data()).decode("utf-8"))
                ids = [str(i) for i in payload.get("tag_ids", []) if not str(i).startswith(
                    "personal:")]
                return (ids, True) if ids else None
        except (ValueError, AttributeError, TypeError):
            return None
        return None

    def _write(self, ordered: list[str], new_pins: list[str]) -> None:
        """Show the order now; store it on the writer thread."""
        by_id = {tag.id: tag for tag in self.tags}
        if all(tag_id in by_id for tag_id in ordered):
            self.beginResetModel()
            self.tags = [by_id[tag_id] for tag_id in ordered]
            self.endResetModel()
        service, userid = self.service, self.context.operator

        def store(_progress: Any, _cancel: Any) -> ChangeSet:
            for tag_id in new_pins:
                service.pin(userid, tag_id)
            return service.reorder_pins(userid, ordered)

        self._writing += 1
        self.context.run_task(store, owner=self, name="favourites", writer=True,
                              on_result=self._stored, on_error=self._failed)

    def _stored(self, changes: ChangeSet) -> None:
        self._writing -= 1
        self.context.publish(changes)

    def _failed(self, exc: BaseException) -> None:
        self._writing -= 1
        self.context.status_message.emit(message_for(exc))
        self.reload()


class FavouritesBar(QWidget):
    toggleRequested = Signal(str)  # tag id: toggle it on the current selection

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.service = TagAdminService(context.workspace)
        self.model = FavouritesModel(context, self.service, self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setFlow(QListView.Flow.LeftToRight)
        self.view.setWrapping(True)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setSpacing(_SPACING)
        self.view.setItemDelegate(_ChipDelegate(self.view))
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setFrameShape(QListView.Shape.NoFrame)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.viewport().setAutoFillBackground(False)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setEnabled(False)
        self.title = QLabel()
        self.title.setPixmap(icon("pin").pixmap(16, 16))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint, 1)
        if context.workspace.profile.is_team:
            self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            self.customContextMenuRequested.connect(
                lambda position: self.team_menu().popup(self.mapToGlobal(position)))
        self.view.clicked.connect(self._clicked)
        self.model.modelReset.connect(self._update_size)
        context.changed.connect(self._on_changed)
        self.retranslate()
        self._update_size()

    def retranslate(self) -> None:
        self.hint.setText(self.tr("Pin tags here: drag them from the tree or right-click → Pin"))
        self.title.setToolTip(self.tr("Favourites"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def tag_for_slot(self, n: int) -> str | None:
        """The tag id of favourite `n` (1-based; the main window maps Alt+1..3 here)."""
        if 1 <= n <= len(self.model.tags):
            return self.model.tags[n - 1].id
        return None

    def team_menu(self) -> QMenu:
        """A team profile's right-click menu: share these favourites as the team's
        suggestion, or add the team's suggested ones to the user's own."""
        workspace, pinned = self.context.workspace, [tag.id for tag in self.model.tags]
        menu = QMenu(self)
        suggest = menu.addAction(self.tr("Suggest these favourites to the team"))
        suggest.setEnabled(bool(pinned))
        suggest.triggered.connect(lambda: self._team_write(
            lambda: team_settings.suggest_favourites(workspace, pinned),
            self.tr("Your favourites are now the team's suggestion.")))
        missing = set(team_settings.suggested_favourites(self.context.cache)) - set(pinned)
        adopt = menu.addAction(self.tr("Add the team's suggested favourites (%n)", "",
                                       len(missing)))
        adopt.setEnabled(bool(missing))
        adopt.triggered.connect(lambda: self._team_write(
            lambda: team_settings.adopt_suggested_favourites(workspace),
            self.tr("Added the team's suggested favourites.")))
        return menu

    def _team_write(self, work: Callable[[], ChangeSet], done: str) -> None:
        self.context.run_operation(
            lambda _progress, _cancel: work(), owner=self, name="team favourites",
            on_success=lambda _changes: self.context.status_message.emit(done),
            on_failure=lambda exc: self.context.status_message.emit(message_for(exc)))

    def _clicked(self, index: QModelIndex) -> None:
        tag_id = index.data(TAG_ID_ROLE)
        if tag_id:
            self.toggleRequested.emit(str(tag_id))

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.prefs_changed or changes.tags_changed or changes.full_reload:
            self.model.reload()

    def _update_size(self) -> None:
        empty = not self.model.tags
        self.hint.setVisible(empty)
        self.view.setVisible(not empty)
        self.setAcceptDrops(empty)
        # the row width QListView wraps at: it keeps room for a vertical scroll bar, and a
        # spacing before the first chip, two between chips, one after the last
        extent = self.view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None,
                                               self.view.verticalScrollBar())
        width = max(1, self.view.maximumViewportSize().width() - extent - _SPACING)
        rows, used = 1, 0
        option = QStyleOptionViewItem()
        option.initFrom(self.view)
        delegate = self.view.itemDelegate()
        for row in range(self.model.rowCount()):
            chip = delegate.sizeHint(option, self.model.index(row)).width() + 2 * _SPACING
            if used and used + chip > width:
                rows, used = rows + 1, 0
            used += chip
        self.view.setFixedHeight(min(rows, _MAX_ROWS) * (_CHIP_HEIGHT + 2 * _SPACING) + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_size()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """While the strip is empty the hint takes drops from the tree."""
        if self.model.canDropMimeData(event.mimeData(), event.dropAction(), 0, 0, _ROOT):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.model.dropMimeData(event.mimeData(), Qt.DropAction.CopyAction, 0, 0, _ROOT):
            event.acceptProposedAction()


_CHIP_HEIGHT = 24
_SPACING = 2
_MAX_ROWS = 3


class _ChipDelegate(QStyledItemDelegate):
    """A rounded chip: slot number (1..3) and the tag name."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        metrics = option.fontMetrics
        text = _chip_text(index)
        return QSize(metrics.horizontalAdvance(text) + 20, _CHIP_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        rect: QRect = option.rect.adjusted(1, 1, -1, -1)
        colour = accent()
        selected = bool(option.state & QStyle.StateFlag.State_MouseOver)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(colour)
        painter.setBrush(QColor(colour.red(), colour.green(), colour.blue(), 70 if selected else 30))
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        palette: QPalette = option.palette
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, _chip_text(index))
        painter.restore()


def _chip_text(index: Index) -> str:
    slot = index.data(SLOT_ROLE)
    name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
    return f"{slot}  {name}" if slot else name
