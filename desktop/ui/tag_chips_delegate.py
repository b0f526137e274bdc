"""Tags drawn as compact chips in the table's tag column.

Each group gets a stable hue (from its name), so tags of one group read as a set
at a glance. Chips that do not fit end in a "+N" chip; the tooltip lists them all.
Where the chips go is measured once per tag set, width and font, not on every paint:
a table repaints its rows on each write, scroll and selection change.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.ui.customer_table_model import Chip, TagsRole

CHIP_PAD_X = 6
CHIP_GAP = 4
CHIP_RADIUS = 4
MAX_HINT_CHIPS = 4
LAYOUTS_KEPT = 4096     # tag sets × widths; a table shows a few dozen rows at a time


@lru_cache(maxsize=1024)
def group_colour(group_name: str, dark: bool) -> tuple[QColor, QColor]:
    """(background, text) for a group's chips: a stable hue, soft in light mode, deep in dark."""
    hue = zlib.crc32(group_name.encode("utf-8")) % 360
    if dark:
        return QColor.fromHsl(hue, 90, 62), QColor.fromHsl(hue, 120, 205)
    return QColor.fromHsl(hue, 160, 232), QColor.fromHsl(hue, 150, 70)


@lru_cache(maxsize=1024)
def _chip_colours(group_name: str, dark: bool) -> tuple[QBrush, QColor]:
    """A group's chip colours, the background as the brush the painter takes (a QColor
    turned into one on every chip cost more than drawing it)."""
    background, foreground = group_colour(group_name, dark)
    return QBrush(background), foreground


class PlacedChip(NamedTuple):
    """A chip's place in its cell: from the left of the chips' room, in pixels."""

    x: int
    width: int
    text: str
    group_name: str         # "" for the "+N" chip


def place_chips(tags: Sequence[Chip], room: int, metrics: QFontMetrics) -> tuple[PlacedChip, ...]:
    """Chips left to right while they fit in `room` pixels (from the first chip's left to the
    last pixel a chip may cover), the rest counted in a last "+N" chip."""
    placed: list[PlacedChip] = []
    x = 0
    for position, tag in enumerate(tags):
        width = metrics.horizontalAdvance(tag.name) + 2 * CHIP_PAD_X
        rest = len(tags) - position - 1
        more_width = metrics.horizontalAdvance(f"+{rest}") + 2 * CHIP_PAD_X if rest else 0
        if x + width + (CHIP_GAP + more_width if rest else 0) > room:
            more = f"+{rest + 1}"
            placed.append(PlacedChip(x, metrics.horizontalAdvance(more) + 2 * CHIP_PAD_X,
                                     more, ""))
            break
        placed.append(PlacedChip(x, width, tag.name, tag.group_name))
        x += width + CHIP_GAP
    return tuple(placed)


class TagChipsDelegate(QStyledItemDelegate):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._layouts: dict[tuple[tuple[Chip, ...], int, str], tuple[PlacedChip, ...]] = {}

    def layout(self, tags: tuple[Chip, ...], room: int, font: QFont) -> tuple[PlacedChip, ...]:
        """`place_chips` for this tag set, room and font, measured once."""
        key = (tags, room, font.key())
        placed = self._layouts.get(key)
        if placed is None:
            if len(self._layouts) >= LAYOUTS_KEPT:
                self._layouts.clear()
            placed = self._layouts[key] = place_chips(tags, room, QFontMetrics(font))
        return placed

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        tags: tuple[Chip, ...] = index.data(TagsRole) or ()
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if not tags:
            return
        rect = opt.rect.adjusted(4, 3, -4, -3)
        placed = self.layout(tags, rect.right() - rect.left(), opt.font)
        # the palette follows the colour scheme (style.apply_style), and it is what lies beneath
        dark = opt.palette.color(QPalette.ColorRole.Base).lightness() < 128
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(opt.font)
        for chip in placed:
            background, foreground = _chip_colours(chip.group_name, dark)
            box = QRect(rect.left() + chip.x, rect.top(), chip.width, rect.height())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(background)
            painter.drawRoundedRect(QRectF(box), CHIP_RADIUS, CHIP_RADIUS)
            painter.setPen(foreground)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, chip.text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        tags: Sequence[Chip] = index.data(TagsRole) or ()
        metrics = QFontMetrics(option.font)
        width = sum(metrics.horizontalAdvance(tag.name) + 2 * CHIP_PAD_X + CHIP_GAP
                    for tag in tags[:MAX_HINT_CHIPS])
        return QSize(max(width + 8, 80), metrics.height() + 10)
