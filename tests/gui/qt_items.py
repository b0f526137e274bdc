"""Items of Qt views that a test expects to be there: Qt answers None for a missing row, and
the test fails right there, naming the row, rather than on a None further on."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem


def top_item(tree: QTreeWidget, row: int) -> QTreeWidgetItem:
    item = tree.topLevelItem(row)
    assert item is not None, f"no row {row}"
    return item


def child_item(parent: QTreeWidgetItem, row: int) -> QTreeWidgetItem:
    item = parent.child(row)
    assert item is not None, f"no child row {row}"
    return item


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None, f"no cell ({row}, {column})"
    return item


def laid_out_lines(browser: Any) -> list[str]:
    """A text browser's page as laid out: the text of every line (word joiners removed)."""
    found = []
    block = browser.document().begin()
    while block.isValid():
        layout = block.layout()
        for number in range(layout.lineCount()):
            line = layout.lineAt(number)
            found.append(block.text()[line.textStart():line.textStart() + line.textLength()])
        block = block.next()
    return [text.replace("\u2060", "") for text in found]
