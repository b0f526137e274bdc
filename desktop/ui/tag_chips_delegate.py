"""Tags drawn as compact chips in the table's tag column.

Each group gets a stable hue (from its name), so tags of one group read as a set
at a glance. Chips that do not fit end in a "+N" chip; the tooltip lists them all.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import lru_cache

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.ui.customer_table_model import Chip, TagsRole
from desktop.ui.style import is_dark

CHIP_PAD_X = 6
CHIP_GAP = 4
CHIP_RADIUS = 4
MAX_HINT_CHIPS = 4


@lru_cache(maxsize=1024)
def group_colour(group_name: str, dark: bool) -> tuple[QColor, QColor]:
    """(background, text) for a group's chips: a stable hue, soft in light mode, deep in dark."""
    hue = zlib.crc32(group_name.encode("utf-8")) % 360
    if dark:
        return QColor.fromHsl(hue, 90, 62), QColor.fromHsl(hue, 120, 205)
    return QColor.fromHsl(hue, 160, 232), QColor.fromHsl(hue, 150, 70)


class TagChipsDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        tags: Sequence[Chip] = index.data(TagsRole) or ()
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if not tags:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(opt.font)
        metrics = QFontMetrics(opt.font)
        rect = opt.rect.adjusted(4, 3, -4, -3)
        dark = is_dark()
        x = rect.left()
        for position, tag in enumerate(tags):
            width = metrics.horizontalAdvance(tag.name) + 2 * CHIP_PAD_X
            rest = len(tags) - position - 1
            more_width = metrics.horizontalAdvance(f"+{rest}") + 2 * CHIP_PAD_X if rest else 0
            if x + width + (CHIP_GAP + more_width if rest else 0) > rect.right():
                self._chip(painter, QRect(x, rect.top(), 0, rect.height()), f"+{rest + 1}",
                           metrics, *group_colour("", dark))
                break
            self._chip(painter, QRect(x, rect.top(), width, rect.height()), tag.name, metrics,
                       *group_colour(tag.group_name, dark))
            x += width + CHIP_GAP
        painter.restore()

    @staticmethod
    def _chip(painter: QPainter, rect: QRect, text: str, metrics: QFontMetrics,
              background: QColor, foreground: QColor) -> None:
        if rect.width() == 0:
            rect.setWidth(metrics.horizontalAdvance(text) + 2 * CHIP_PAD_X)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(QRectF(rect), CHIP_RADIUS, CHIP_RADIUS)
        painter.setPen(foreground)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        tags: Sequence[Chip] = index.data(TagsRole) or ()
        metrics = QFontMetrics(option.font)
        width = sum(metrics.horizontalAdvance(tag.name) + 2 * CHIP_PAD_X + CHIP_GAP
                    for tag in tags[:MAX_HINT_CHIPS])
        return QSize(max(width + 8, 80), metrics.height() + 10)
