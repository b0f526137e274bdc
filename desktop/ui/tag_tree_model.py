"""The tag tree as a Qt model: a thin adapter over the pure tree in `desktop.domain.tag_tree`.

The tree (with relation counts) is read on a worker thread and swapped in; when only counts,
names or codes changed the rows stay put and only `dataChanged` goes out, so expansion and
selection survive every write. A drag carries node keys as JSON under `TAG_IDS_MIME`; a drop
moves the rows at once (marked pending), sends the new order through `TagAdminService` on the
writer thread, and a refusal reloads the tree from the cache, which moves the rows back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from desktop.domain.tag_order import (
    ReorderError,
    move_rows,
    moved_ids,
    plan_tree_move,
    wanted_order,
)
from desktop.domain.tag_search import TagSearchIndex
from desktop.domain.tag_tree import NodeKind, TagNode, TagTree, effective_restriction
from desktop.domain.tags import TagKind
from desktop.services.changes import ChangeSet
from desktop.services.tag_admin import TagAdminService
from desktop.services.tag_catalog import TagLibrary
from desktop.services.tag_expiry import ExpiryService
from desktop.ui.context import AppContext
from desktop.ui.i18n import is_english
from desktop.ui.style import icon
from desktop.ui.tag_dialogs import message_for

TAG_IDS_MIME = "application/x-tagdesk-tag-ids"

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class Role(IntEnum):
    KEY = Qt.ItemDataRole.UserRole + 1
    NODE_KIND = KEY + 1
    TAG_ID = KEY + 2
    GROUP_ID = KEY + 3
    SECTION = KEY + 4
    COUNT = KEY + 5
    ABBREVIATION = KEY + 6
    PENDING = KEY + 7
    MATCH = KEY + 8
    READ_ONLY_REASON = KEY + 9
    OWNER = KEY + 10                 # a group's owning department (team governance)
    EXPIRING = KEY + 11              # relations carrying the tag with an expiry


NAME_COLUMN, COUNT_COLUMN = 0, 1
_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_FLAGS = {
    (drag, drop): _SELECTABLE
    | (Qt.ItemFlag.ItemIsDragEnabled if drag else Qt.ItemFlag.NoItemFlags)
    | (Qt.ItemFlag.ItemIsDropEnabled if drop else Qt.ItemFlag.NoItemFlags)
    for drag in (False, True) for drop in (False, True)
}
MATCH_COLOUR = QColor(255, 196, 0, 70)
STRATEGY_COLOUR = QColor("#0f9d8a")


class TagTreeModel(QAbstractItemModel):
    loaded = Signal()           # a (re)load was applied
    moveFailed = Signal(str)    # a refused drop, readable; the rows are back where they were

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.service = TagAdminService(context.workspace)
        self._loaded = _Loaded(TagLibrary([], [], {}), TagSearchIndex([]), TagTree([]), [], {}, {})
        self._ids: dict[str, int] = {}
        self._nodes: dict[int, TagNode] = {}
        self._pending: set[str] = set()
        self._matches: set[str] = set()
        # a group -> its owning department, from the team server's policy (team mode)
        self.owner_of: Callable[[TagNode], str] = _no_owner
        self._generation = 0
        self._reload_after_write = False
        self._reading = False
        self._read_again = False
        self._applied_generation = 0
        self._icons: dict[str, QIcon] = {}
        self._fonts = (QFont(QApplication.font()), QFont(QApplication.font()))
        self._fonts[0].setBold(True)    # sections
        self._fonts[1].setItalic(True)  # read-only, pending and path-only rows
        self.is_loaded = False
        context.changed.connect(self._on_changed)
        self.reload()

    # -- public ---------------------------------------------------------------------------

    @property
    def tree(self) -> TagTree:
        return self._loaded.tree

    @property
    def library(self) -> TagLibrary:
        return self._loaded.library

    @property
    def search_index(self) -> TagSearchIndex:
        """Type-ahead over every tag in the tree (built on the worker thread with the tree)."""
        return self._loaded.index

    def reload(self) -> None:
        """Read the tree with counts on a worker thread. While a read runs, further requests
        make one more read after it (a burst of changes costs two reads, not one each)."""
        if self._pending:
            self._reload_after_write = True
            return
        if self._reading:
            self._read_again = True
            return
        self._reading, self._read_again = True, False
        self._generation += 1
        generation = self._generation
        service, previous = self.service, self._loaded if self.is_loaded else None
        self.context.run_task(
            lambda _progress, _cancel: _Loaded.read(service, previous), owner=self, name="tag tree",
            on_result=lambda loaded: self._apply(loaded, generation),
            on_error=self._read_failed,
        )

    def node(self, index: Index) -> TagNode | None:
        if not index.isValid():
            return None
        return self._nodes.get(int(index.internalId()))

    def index_for_key(self, key: str, column: int = NAME_COLUMN) -> QModelIndex:
        node = self.tree.get(key)
        if node is None:
            return QModelIndex()
        return self.createIndex(node.row, column, self._ids[node.key])

    def set_matches(self, keys: Iterable[str]) -> None:
        """Highlight these rows (the search results)."""
        changed = self._matches ^ set(keys)
        self._matches = set(keys)
        for key in changed:
            index = self.index_for_key(key)
            if index.isValid():
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.BackgroundRole, Role.MATCH])

    def section(self, node: TagNode) -> TagKind:
        """The node's section (looked up, not walked: `data()` asks for it on every paint)."""
        return self._loaded.sections.get(node.key) or node.section

    def movable(self, node: TagNode) -> bool:
        """Groups, tags and path folders TagDesk may reorder in WeCom: corp ones, and those
        of rule groups not made in the admin console."""
        if node.kind not in (NodeKind.GROUP, NodeKind.TAG, NodeKind.FOLDER):
            return False
        return self.section(node) is not TagKind.PERSONAL and effective_restriction(node) is None

    # -- QAbstractItemModel ----------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        siblings = self._children(parent)
        if siblings is None or not 0 <= row < len(siblings) or not 0 <= column < 2:
            return QModelIndex()
        return self.createIndex(row, column, self._ids[siblings[row].key])

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        node = self.node(index)
        if node is None or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, self._ids[node.parent.key])

    def rowCount(self, parent: Index = _ROOT) -> int:
        children = self._children(parent)
        return 0 if children is None else len(children)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 2

    def hasChildren(self, parent: Index = _ROOT) -> bool:
        """One call instead of Qt's rowCount + columnCount pair (views ask for every row)."""
        children = self._children(parent)
        return bool(children)

    def retranslate(self) -> None:
        """Headers and section names are translated when asked: tell the views to ask again."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 1)
        roots = self.tree.roots
        if roots:
            self.dataChanged.emit(self.index(0, 0), self.index(len(roots) - 1, 1))

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.tr("Tag") if section == NAME_COLUMN else self.tr("Count")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == NAME_COLUMN:
                return self._label(node)
            # Only tags: a sum over a group counts relations with two of its tags twice.
            if node.kind is not NodeKind.TAG:
                return None
            expiring = self._expiring(node)
            count = f"{node.relation_count:,}"
            return f"{count} ⏳{expiring:,}" if expiring else count
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COUNT_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node)
        if role == Qt.ItemDataRole.DecorationRole and index.column() == NAME_COLUMN:
            return self._icon(node)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(node)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(node)
        if role == Qt.ItemDataRole.BackgroundRole and node.key in self._matches:
            return MATCH_COLOUR
        return self._custom(node, role) if role >= Role.KEY else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        node = self.node(index)
        if node is None:
            return Qt.ItemFlag.NoItemFlags
        section = self.section(node)
        droppable = (node.kind is not NodeKind.STRATEGY if section is TagKind.CORP
                     else section is TagKind.STRATEGY and node.kind is not NodeKind.SECTION
                     and effective_restriction(node) is None)
        return _FLAGS[self.movable(node), droppable]  # enum arithmetic is slow; views ask often

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [TAG_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """The dragged tags, groups and path folders as JSON ids (plus their names as text)."""
        nodes = list({node.key: node for node in map(self.node, indexes) if node}.values())
        payload = {
            "tag_ids": [n.tag.id for n in nodes if n.kind is NodeKind.TAG and n.tag],
            "group_ids": [n.group.id for n in nodes if n.kind is NodeKind.GROUP and n.group],
            "folders": [n.key for n in nodes if n.kind is NodeKind.FOLDER],
        }
        mime = QMimeData()
        mime.setData(TAG_IDS_MIME, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        mime.setText("\n".join(node.full_name for node in nodes))
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: Index) -> bool:
        return self._drop_target(data, action, row, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        target = self._drop_target(data, action, row, parent)
        if target is None:
            return False
        nodes, container, row = target
        new_children = move_rows(container.children, nodes, row)
        if new_children == container.children:
            return True
        try:
            plan_tree_move(nodes, row)
        except ReorderError as exc:
            self._refuse(exc.en if is_english() else exc.zh)
            return False
        ordered, group_id = wanted_order(container, nodes, new_children)
        moved = [item for node in nodes for item in moved_ids(node)]
        self._move_rows(container, new_children)
        keys = {item.key for node in nodes for item in _subtree(node)}
        self._set_pending(keys, True)

        strategy_id = nodes[0].group.strategy_id if nodes[0].group else None

        def send(_progress: Any, _cancel: Any) -> ChangeSet:
            if group_id is None:
                return self.service.reorder_groups(ordered, moved=moved, strategy_id=strategy_id)
            return self.service.reorder_tags(group_id, ordered, moved=moved)

        self.context.run_task(
            send, owner=self, name="reorder tags", writer=True,
            on_result=lambda changes: self._write_done(keys, changes, None),
            on_error=lambda exc: self._write_done(keys, None, exc),
        )
        return True

    # -- loading -----------------------------------------------------------------------------

    def _read_failed(self, exc: BaseException) -> None:
        self._reading = False
        self.context.status_message.emit(message_for(exc))

    def _apply(self, loaded: _Loaded, generation: int) -> None:
        self._reading = False
        if self._read_again:
            self.reload()
        if self._pending:  # a drop shows its order already; this read may predate it
            self._reload_after_write = True
            return
        if generation <= self._applied_generation:
            return
        self._applied_generation = generation
        same_shape = loaded.shape == self._loaded.shape
        if same_shape:
            # Same rows in the same places: persistent indexes (expansion, selection) stay
            # valid as they are, so one layout change repaints everything at once.
            self.layoutAboutToBeChanged.emit()
        else:
            self.beginResetModel()
            for node in loaded.tree.walk():
                self._ids.setdefault(node.key, len(self._ids) + 1)
        self._loaded = loaded
        self._nodes = {self._ids[node.key]: node for node in loaded.tree.walk()}
        if same_shape:
            self.layoutChanged.emit()
        else:
            self.endResetModel()
        self.is_loaded = True
        self.loaded.emit()

    def _on_changed(self, changes: ChangeSet) -> None:
        if (changes.tags_changed or changes.prefs_changed or changes.full_reload
                or changes.relation_ids):
            self.reload()

    # -- drag and drop -------------------------------------------------------------------------

    def _drop_target(
        self, data: QMimeData, action: Qt.DropAction, row: int, parent: Index
    ) -> tuple[list[TagNode], TagNode, int] | None:
        """(dragged nodes, their parent, row to insert before) when the drop is a valid reorder."""
        if action != Qt.DropAction.MoveAction or not data.hasFormat(TAG_IDS_MIME):
            return None
        nodes = self._decode(data)
        target = self.node(parent)
        if not nodes or target is None:
            return None
        if row < 0:  # dropped onto a row: put the nodes before it, among its siblings
            if target.parent is None:
                return None
            row, target = target.row, target.parent
        if any(node.parent is not target or not self.movable(node) for node in nodes):
            return None
        return (nodes, target, row) if 0 <= row <= len(target.children) else None

    def _decode(self, data: QMimeData) -> list[TagNode]:
        try:
            payload = json.loads(bytes(data.data(TAG_IDS_MIME).data()).decode("utf-8"))
            keys = [f"tag:{tag_id}" for tag_id in payload.get("tag_ids", [])]
            keys += [f"group:{group_id}" for group_id in payload.get("group_ids", [])]
            keys += [str(key) for key in payload.get("folders", [])]
        except (ValueError, AttributeError, TypeError):
            return []
        nodes = [self.tree.get(key) for key in keys]
        if any(node is None for node in nodes):
            return []
        return sorted((node for node in nodes if node), key=lambda node: node.row)

    def _move_rows(self, container: TagNode, new_children: list[TagNode]) -> None:
        """Show the new order at once; persistent indexes follow their rows."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        container.children = new_children
        for row, child in enumerate(new_children):
            child.row = row
        new = [
            self.createIndex(node.row, index.column(), self._ids[node.key])
            if (node := self.node(index)) is not None else QModelIndex()
            for index in old
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _set_pending(self, keys: set[str], pending: bool) -> None:
        if pending:
            self._pending |= keys
        else:
            self._pending -= keys
        for key in keys:
            index = self.index_for_key(key)
            if index.isValid():
                self.dataChanged.emit(index, index)

    def _write_done(self, keys: set[str], changes: ChangeSet | None,
                    error: BaseException | None) -> None:
        self._set_pending(keys, False)
        if error is not None:
            self._refuse(message_for(error))
        if changes is not None:
            self.context.publish(changes)
        if error is not None or self._reload_after_write:
            self._reload_after_write = False
            self.reload()

    def _refuse(self, message: str) -> None:
        self.moveFailed.emit(message)
        self.context.status_message.emit(message)

    # -- presentation --------------------------------------------------------------------------

    def _children(self, parent: Index) -> list[TagNode] | None:
        if not parent.isValid():
            return self.tree.roots
        if parent.column() != NAME_COLUMN:
            return None
        node = self.node(parent)
        return None if node is None else node.children

    def _label(self, node: TagNode) -> str:
        if node.kind is NodeKind.SECTION:
            return {
                TagKind.CORP: self.tr("Corp tags"),
                TagKind.STRATEGY: self.tr("Rule-group tags"),
                TagKind.PERSONAL: self.tr("Personal tags"),
            }[self.section(node)]
        return node.label

    def _tooltip(self, node: TagNode) -> str:
        lines = [node.full_name if node.kind is not NodeKind.SECTION else self._label(node)]
        if node.kind is NodeKind.TAG:
            lines.append(self.tr("%1 customer relations carry this tag", "",
                                 node.relation_count)
                         .replace("%1", f"{node.relation_count:,}"))
            if self._expiring(node):
                lines.append(self.tr("%1 of them carry it with an expiry (tagdesk expiry list)")
                             .replace("%1", f"{self._expiring(node):,}"))
            if node.tag and node.tag.abbreviation:
                lines.append(self.tr("Abbreviation: %1").replace("%1", node.tag.abbreviation))
        elif node.kind is NodeKind.FOLDER:
            lines.append(self.tr("A path level without a tag of its own"))
        elif node.kind is NodeKind.GROUP:
            tags = sum(1 for item in _subtree(node) if item.tag is not None)
            lines.append(self.tr("%1 tags; click to show customers with any of them", "",
                                 tags).replace("%1", f"{tags:,}"))
            owner = self.owner_of(node)
            if owner:
                lines.append(self.tr("Owned by %1: its head or an administrator edits it")
                             .replace("%1", owner))
        if node.too_deep:
            lines.append(self.tr("Deeper than five levels: the rest of the path is shown flat"))
        if node.restriction is not None:
            lines.append(node.restriction.en if is_english() else node.restriction.zh)
        if node.key in self._pending:
            lines.append(self.tr("Saving the new order in WeCom…"))
        return "\n".join(lines)

    def _icon(self, node: TagNode) -> QIcon | None:
        name = {
            NodeKind.SECTION: {TagKind.CORP: "tag", TagKind.STRATEGY: "users",
                               TagKind.PERSONAL: "user"}[self.section(node)],
            NodeKind.STRATEGY: "users",
            NodeKind.GROUP: "folder",
            NodeKind.FOLDER: "folder",
            NodeKind.TAG: "tag",
        }[node.kind]
        if node.restriction is not None and self.section(node) is not TagKind.PERSONAL:
            name = "lock"
        if node.key in self._pending:
            name = "pending"
        if name not in self._icons:
            self._icons[name] = icon(name)
        return self._icons[name]

    def _font(self, node: TagNode) -> QFont | None:
        if node.kind is NodeKind.SECTION:
            return self._fonts[0]
        if self.section(node) is TagKind.PERSONAL or node.key in self._pending or node.is_virtual:
            return self._fonts[1]
        return None

    def _foreground(self, node: TagNode) -> QColor | None:
        palette = QApplication.palette()
        section = self.section(node)
        if section is TagKind.PERSONAL or node.key in self._pending:
            return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if section is TagKind.STRATEGY and node.kind is not NodeKind.SECTION:
            return STRATEGY_COLOUR
        return None

    def _custom(self, node: TagNode, role: int) -> Any:
        values: dict[int, Any] = {
            Role.KEY: node.key,
            Role.NODE_KIND: node.kind.value,
            Role.TAG_ID: node.tag.id if node.tag else None,
            Role.GROUP_ID: node.group.id if node.group else None,
            Role.SECTION: self.section(node).value,
            Role.COUNT: node.relation_count,
            Role.ABBREVIATION: node.tag.abbreviation if node.tag else "",
            Role.PENDING: node.key in self._pending,
            Role.MATCH: node.key in self._matches,
            Role.READ_ONLY_REASON: _read_only_reason(node),
            Role.OWNER: self.owner_of(node) if node.kind is NodeKind.GROUP else "",
            Role.EXPIRING: self._expiring(node),
        }
        return values.get(role)

    def widest_count(self) -> str:
        """A count cell as wide as the widest one can be (the largest count and expiry count)."""
        tags = [node for node in self.tree.walk() if node.kind is NodeKind.TAG]
        count = max((node.relation_count for node in tags), default=0)
        expiring = max((self._expiring(node) for node in tags), default=0)
        return f"{count:,} ⏳{expiring:,}" if expiring else f"{count:,}"

    def _expiring(self, node: TagNode) -> int:
        return self._loaded.expiring.get(node.tag.id, 0) if node.tag else 0


def _read_only_reason(node: TagNode) -> str:
    if node.restriction is not None:
        return node.restriction.en if is_english() else node.restriction.zh
    return ""


def _subtree(node: TagNode) -> list[TagNode]:
    nodes = [node]
    for child in node.children:
        nodes.extend(_subtree(child))
    return nodes


@dataclass(frozen=True)
class _Loaded:
    """One read of the tree, prepared on the worker thread so the GUI thread only swaps it in."""

    library: TagLibrary
    index: TagSearchIndex
    tree: TagTree
    shape: list[tuple[str, str, int]]
    sections: dict[str, TagKind]
    expiring: dict[str, int]

    @classmethod
    def read(cls, service: TagAdminService, previous: _Loaded | None) -> _Loaded:
        """Read again; the search index is reused while names and codes stay the same (it
        is the costly part, and counts only break ties in its ranking)."""
        library = service.library()
        reuse = previous is not None and _spellings(previous.library) == _spellings(library)
        index = previous.index if previous is not None and reuse else TagSearchIndex(library.tags)
        tree = library.tree()
        shape = [(n.key, n.parent.key if n.parent else "", n.row) for n in tree.walk()]
        sections = {
            node.key: TagKind(root.key.removeprefix("section:"))
            for root in tree.roots for node in _subtree(root)
        }
        return cls(library, index, tree, shape, sections,
                   ExpiryService(service.ws).counts_by_tag())


def _spellings(library: TagLibrary) -> list[tuple[str, str, str]]:
    return [(tag.id, tag.name, tag.abbreviation) for tag in library.tags]


def _no_owner(_group: TagNode) -> str:
    return ""
