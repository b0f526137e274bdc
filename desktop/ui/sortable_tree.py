"""List-like QTreeWidgets that sort by a click on a header: numbers as numbers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

SORT_ROLE = Qt.ItemDataRole.UserRole + 50     # a column's sort key, where text would mislead


class SortableItem(QTreeWidgetItem):
    """A row that sorts by each column's SORT_ROLE when both rows have one ("1,683" after
    "724" by number), else by its text."""

    def __lt__(self, other: QTreeWidgetItem) -> bool:
        tree = self.treeWidget()
        column = tree.sortColumn() if tree is not None else 0
        mine, theirs = self.data(column, SORT_ROLE), other.data(column, SORT_ROLE)
        if mine is not None and theirs is not None:
            return bool(mine < theirs)
        return self.text(column) < other.text(column)


def sort_on_header_click(tree: QTreeWidget) -> None:
    """Rows stay in the order they are added until a header is clicked."""
    tree.header().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    tree.setSortingEnabled(True)
