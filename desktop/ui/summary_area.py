"""A wrapped rich-text summary that takes the height of its text up to a few lines and
scrolls beyond, so a long summary never squeezes the table below it out of the window; where
the window is short of room it gives up lines down to a floor, and scrolls more."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QWidget


class _SummaryLabel(QLabel):
    def __init__(self, area: SummaryArea) -> None:
        super().__init__(wordWrap=True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._area = area

    def setText(self, text: str) -> None:
        super().setText(text)
        self._area.updateGeometry()


class SummaryArea(QScrollArea):
    """`label` shows the text; the area is as tall as the text, at most `lines` lines, and
    no less than `fewest` lines (or the text) where the layout is short of room."""

    def __init__(self, lines: int, fewest: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines = lines
        self._fewest = fewest
        self.label = _SummaryLabel(self)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setWidget(self.label)

    def set_lines(self, lines: int) -> None:
        """At most this many lines shown at once from now on."""
        if lines != self._lines:
            self._lines = lines
            self.updateGeometry()

    def sizeHint(self) -> QSize:
        return self._height(self._lines)

    def minimumSizeHint(self) -> QSize:
        return self._height(min(self._fewest, self._lines))

    def _height(self, lines: int) -> QSize:
        """As tall as the text, at most `lines` lines."""
        most = self.fontMetrics().lineSpacing() * lines
        needed = self.label.heightForWidth(max(self.viewport().width(), 1))
        return QSize(super().sizeHint().width(), min(needed, most) + 2 * self.frameWidth())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()     # the text wraps to another number of lines
