"""A rule's `when` as an editable tree: group rows (全部满足 / 任一满足 / 不满足: all / any /
not) and condition rows (kind, operator, value), added under the selected group, removed
with Del. The rows are the form; `node()` reads them into the draft's tree, and structural
edits rebuild the rows from it, so every value typed so far is kept.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.rule_draft import (
    CONDITION_KINDS,
    GROUP_OPS,
    Group,
    Leaf,
    Node,
    blank_leaf,
    editable,
    kind_of,
    node_paths,
)
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.rule_values import TagLookup, ValueEditor, value_editor
from desktop.ui.tag_dialogs import pick

Position = tuple[int, ...]          # child indexes from the root
PROBLEM = QBrush(QColor(255, 220, 220))
PROBLEM_FRAME = "QComboBox { border: 2px solid #b00020; }"
COLUMN_MARGIN = 8
_JSON_ROLE = Qt.ItemDataRole.UserRole + 1      # the entry of a row edited as JSON


class ConditionTree(QWidget):
    changed = Signal()

    def __init__(self, lookup: TagLookup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lookup = lookup
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setMinimumHeight(180)
        self._rows: dict[int, tuple[QComboBox, ValueEditor | None]] = {}
        self.add_leaf_button, self.add_group_button = QPushButton(), QPushButton()
        self.remove_button = QPushButton()
        buttons = QHBoxLayout()
        for button in (self.add_leaf_button, self.add_group_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.add_leaf_button.clicked.connect(lambda: self.add(blank_leaf()))
        self.add_group_button.clicked.connect(lambda: self.add(Group("any", [blank_leaf()])))
        self.remove_button.clicked.connect(self.remove_current)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.tree)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_current)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        retranslate_in_place(self, self.retranslate)

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr("Condition"), self.tr("Operator"), self.tr("Value")])
        self.add_leaf_button.setText(self.tr("Add condition"))
        self.add_group_button.setText(self.tr("Add group"))
        self.remove_button.setText(self.tr("Remove (Del)"))
        self.remove_button.setToolTip(self.tr("Removes the selected row and what it holds"))
        for combo, editor in self._rows.values():
            _label_kinds(combo)
            if editor is not None:
                editor.retranslate()
        self._fit_columns()     # the labels' widths change with the language

    # -- reading and writing the rows ------------------------------------------------------

    def node(self) -> Node | None:
        root = self.tree.topLevelItem(0)
        return None if root is None else self._node(root)

    def _node(self, item: QTreeWidgetItem) -> Node:
        combo, editor = self._rows[id(item)]
        if editor is None:
            return Group(str(combo.currentData()),
                         [self._node(child) for child in _children(item)])
        return Leaf(str(combo.currentData()), editor.value())

    def set_node(self, node: Node | None, select: Position | None = None) -> None:
        self.tree.clear()
        self._rows.clear()
        if node is not None:
            self._add_item(node, None)
        self.tree.expandAll()
        self._fit_columns()
        if select is not None:
            item = self.item_at(select)
            if item is not None:
                self.tree.setCurrentItem(item)
        self.changed.emit()

    def _add_item(self, node: Node, parent: QTreeWidgetItem | None) -> QTreeWidgetItem:
        item = QTreeWidgetItem()
        if parent is None:
            self.tree.addTopLevelItem(item)
        else:
            parent.addChild(item)
        combo = QComboBox()
        if isinstance(node, Group):
            for op in GROUP_OPS:
                combo.addItem("", op)
            _label_kinds(combo)
            combo.setCurrentIndex(combo.findData(node.op))
            self._rows[id(item)] = (combo, None)
            self.tree.setItemWidget(item, 0, combo)
            combo.currentIndexChanged.connect(self.changed)
            for child in node.children:
                self._add_item(child, item)
            return item
        json_leaf = not editable(node.key, node.value) and node.value not in ([], "", {})
        for kind in CONDITION_KINDS:
            combo.addItem("", kind.key)
        if combo.findData(node.key) < 0 or json_leaf:
            combo.addItem("", node.key)
            combo.setItemData(combo.count() - 1, True, _JSON_ROLE)
            combo.setCurrentIndex(combo.count() - 1)
        else:
            combo.setCurrentIndex(combo.findData(node.key))
        _label_kinds(combo)
        editor = value_editor(kind_of("" if json_leaf else node.key), self.lookup)
        if node.value not in ([], "", {}):
            editor.set_value(node.value)
        self._rows[id(item)] = (combo, editor)
        self.tree.setItemWidget(item, 0, combo)
        self.tree.setItemWidget(item, 1, editor.operator)
        self.tree.setItemWidget(item, 2, editor)
        editor.changed.connect(self.changed)
        combo.currentIndexChanged.connect(lambda _i, it=item: self._kind_changed(it))
        return item

    def _kind_changed(self, item: QTreeWidgetItem) -> None:
        """A new kind gets its own editor; the value stays when both edit the same way."""
        combo, editor = self._rows[id(item)]
        assert editor is not None
        new = kind_of(str(combo.currentData()))
        old_value = editor.value()
        fresh = value_editor(new, self.lookup)
        if editable(new.key, old_value):
            fresh.set_value(old_value)
        self._rows[id(item)] = (combo, fresh)
        self.tree.setItemWidget(item, 1, fresh.operator)
        self.tree.setItemWidget(item, 2, fresh)
        fresh.changed.connect(self.changed)
        self._fit_columns()
        self.changed.emit()

    def _fit_columns(self) -> None:
        """Columns as wide as their row widgets (which the view does not measure) and their
        headers: "Operator" above the short "any of" was cut to "Opera"."""
        header = self.tree.header()
        kind_width, operator_width = header.sectionSizeHint(0), header.sectionSizeHint(1)
        for item in self.items():
            combo, editor = self._rows[id(item)]
            depth = len(self.position(item) or ())
            kind_width = max(kind_width, combo.sizeHint().width()
                             + (depth + 1) * self.tree.indentation())
            if editor is not None:
                operator_width = max(operator_width, editor.operator.sizeHint().width())
        self.tree.setColumnWidth(0, kind_width + COLUMN_MARGIN)
        self.tree.setColumnWidth(1, operator_width + COLUMN_MARGIN)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Typing in a row's field selects that row (its cells are all widgets, so a click
        never reaches the view): Add and Remove then work on the row being edited."""
        if new is None or not self.tree.viewport().isAncestorOf(new):
            return
        for item in self.items():
            combo, editor = self._rows[id(item)]
            widgets = [combo] if editor is None else [combo, editor, editor.operator]
            if any(w is new or w.isAncestorOf(new) for w in widgets):
                self.tree.setCurrentItem(item)
                return

    # -- structure -------------------------------------------------------------------------

    def row(self, position: Position) -> tuple[QComboBox, ValueEditor | None]:
        """The kind (or group) combo of the row at `position`, and its value editor."""
        item = self.item_at(position)
        if item is None:
            raise IndexError(position)
        return self._rows[id(item)]

    def item_at(self, position: Position) -> QTreeWidgetItem | None:
        item = self.tree.topLevelItem(0)
        for index in position:
            if item is None:
                return None
            item = item.child(index)
        return item

    def position(self, item: QTreeWidgetItem | None) -> Position | None:
        if item is None:
            return None
        found: list[int] = []
        parent = item.parent()
        while parent is not None:
            found.insert(0, parent.indexOfChild(item))
            item, parent = parent, parent.parent()
        return tuple(found)

    def add(self, new: Node) -> None:
        """Add `new` to the selected group (or the selected row's group); a root that is a
        condition becomes the first row of an all-group."""
        root = self.node()
        if root is None:
            self.set_node(new, ())
            return
        at = self.position(self.tree.currentItem()) or ()
        if not isinstance(root, Group):
            root, at = Group("all", [root]), ()
        target = _at(root, at)
        if not isinstance(target, Group):
            at = at[:-1]
            target = _at(root, at)
        assert isinstance(target, Group)
        target.children.append(new)
        self.set_node(root, (*at, len(target.children) - 1))

    def remove_current(self) -> None:
        at = self.position(self.tree.currentItem())
        root = self.node()
        if at is None or root is None:
            return
        if not at:
            self.set_node(None)
            return
        parent = _at(root, at[:-1])
        assert isinstance(parent, Group)
        del parent.children[at[-1]]
        left = len(parent.children)
        self.set_node(root, (*at[:-1], min(at[-1], left - 1)) if left else at[:-1])

    def mark(self, path: str | None, root_path: str) -> None:
        """Colour the row the rule format's `path` points into (none: clear)."""
        root = self.node()
        best: QTreeWidgetItem | None = None
        if root is not None and path is not None:
            for _node, here in node_paths(root, root_path):
                if path == here or path.startswith((here + ".", here + "[")):
                    best = self.item_at(_position(here, root_path))
        for item in self.items():
            for column in range(3):
                item.setBackground(column, PROBLEM if item is best else QBrush())
            combo, _editor = self._rows[id(item)]
            combo.setStyleSheet(PROBLEM_FRAME if item is best else "")

    def items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        root = self.tree.topLevelItem(0)
        stack = [] if root is None else [root]
        while stack:
            item = stack.pop()
            found.append(item)
            stack.extend(_children(item))
        return found


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [child for i in range(item.childCount()) if (child := item.child(i)) is not None]


def _label_kinds(combo: QComboBox) -> None:
    """A row's combo labelled in the current language: group operators, condition kinds."""
    for index in range(combo.count()):
        key = str(combo.itemData(index))
        if combo.itemData(index, _JSON_ROLE):
            combo.setItemText(index, f"{key} (JSON)")
        elif key in GROUP_OPS:
            combo.setItemText(index, pick(*GROUP_OPS[key]))
        else:
            kind = kind_of(key)
            combo.setItemText(index, pick(kind.zh, kind.en))


def _at(root: Node, position: Position) -> Node:
    node = root
    for index in position:
        assert isinstance(node, Group)
        node = node.children[index]
    return node


def _position(path: str, root_path: str) -> Position:
    """`rule.when.all[1].not` → (1, 0)."""
    found: list[int] = []
    for part in path[len(root_path):].split(".")[1:]:
        found.append(int(part[part.index("[") + 1:-1]) if "[" in part else 0)
    return tuple(found)
