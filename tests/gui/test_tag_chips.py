"""The table's tag chips: which fit in a cell, the "+N" for the rest, measured once per set."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QTableView

from desktop.ui.customer_table_model import Chip
from desktop.ui.tag_chips_delegate import CHIP_GAP, TagChipsDelegate, place_chips

pytestmark = pytest.mark.gui

TAGS = tuple(Chip(name, group) for name, group in (
    ("普通", "客户等级"), ("VIP", "客户等级"), ("中意向", "意向程度"), ("已报价", "客户阶段"),
    ("教育/职业培训", "行业类型"), ("高频复购", "复购"), ("深圳", "地区")))


def test_the_chips_that_fit_come_first_and_a_last_chip_counts_the_rest(qtbot: Any) -> None:
    metrics = QFontMetrics(QFont())
    every = place_chips(TAGS, 2000, metrics)
    assert [chip.text for chip in every] == [tag.name for tag in TAGS]
    assert all(a.x + a.width + CHIP_GAP == b.x for a, b in pairwise(every))
    room = every[2].x + every[2].width + 40        # three whole chips and a little
    placed = place_chips(TAGS, room, metrics)
    assert [chip.text for chip in placed] == ["普通", "VIP", "中意向", "+4"]
    assert placed[-1].group_name == ""              # the count's own grey
    assert placed[-1].x + placed[-1].width <= room
    assert [chip.text for chip in place_chips(TAGS, 10, metrics)] == ["+7"]
    assert place_chips((), 300, metrics) == ()


def test_a_tag_set_is_measured_once_per_width_and_font(qtbot: Any) -> None:
    """A table repaints its rows on every write, scroll and selection: the chips' places are
    kept per tag set, room and font instead of measuring every name again."""
    view = QTableView()
    qtbot.addWidget(view)
    delegate = TagChipsDelegate(view)
    font = QFont()
    first = delegate.layout(TAGS, 300, font)
    assert delegate.layout(TAGS, 300, font) is first
    assert delegate.layout(TAGS, 200, font) is not first
    bigger = QFont(font)
    bigger.setPointSizeF(font.pointSizeF() * 2)
    assert delegate.layout(TAGS, 300, bigger) != first
