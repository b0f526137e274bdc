"""Items of Qt views that a test expects to be there: Qt answers None for a missing row, and
the test fails right there, naming the row, rather than on a None further on."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
)


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


def sort_arrow_points_down(image: QImage, other: QImage, header: QHeaderView,
                           section: int) -> bool:
    """True when `section`'s sort arrow is ▼ in `image` and ▲ in `other` (two grabs of
    `header`, sorted one way and then the other): what ▼ draws beyond ▲ is its top corners."""
    return (_beyond_mean_y(image, other, header, section)
            < _beyond_mean_y(other, image, header, section))


def _beyond_mean_y(image: QImage, other: QImage, header: QHeaderView, section: int) -> float:
    """Mean height of the pixels of `section` drawn darker in `image` than in `other`."""
    left = header.sectionViewportPosition(section)
    ys = [y for x in range(max(left, 0), min(left + header.sectionSize(section), image.width()))
          for y in range(image.height())
          if other.pixelColor(x, y).lightness() - image.pixelColor(x, y).lightness() > 40]
    assert ys, f"section {section}'s sort arrow did not change"
    return sum(ys) / len(ys)
