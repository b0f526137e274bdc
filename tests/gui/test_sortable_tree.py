"""Library windows' lists sort by a click on a header, counts by number."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget

from desktop.ui.sortable_tree import SORT_ROLE, SortableItem, sort_on_header_click
from tests.gui.qt_items import top_item

pytestmark = pytest.mark.gui


def test_rows_keep_their_order_until_a_header_is_clicked_then_counts_sort_by_number(
        qtbot: Any) -> None:
    tree = QTreeWidget()
    qtbot.addWidget(tree)
    tree.setHeaderLabels(["Tag", "Relations"])
    sort_on_header_click(tree)
    for name, count in (("高意向", 724), ("已成交", 1683), ("VIP", 35)):
        item = SortableItem([name, f"{count:,}"])
        item.setData(1, SORT_ROLE, count)
        tree.addTopLevelItem(item)

    def shown(column: int) -> list[str]:
        return [top_item(tree, row).text(column) for row in range(tree.topLevelItemCount())]

    assert shown(0) == ["高意向", "已成交", "VIP"]
    tree.header().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
    assert shown(1) == ["1,683", "724", "35"]
    tree.header().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    assert shown(0) == sorted(["高意向", "已成交", "VIP"])
