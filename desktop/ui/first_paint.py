"""Doing something once a widget has first painted what it was waiting for."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class AfterFirstPaint(QObject):
    """Calls `then` once, right after `widget` paints while `ready()` holds (the main window's
    first table of rows: work that can wait, such as warming the filters, then no longer
    competes with it for the two cores and Python's one interpreter lock)."""

    def __init__(self, widget: QWidget, ready: Callable[[], bool],
                 then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._ready = ready
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint and self._ready():
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self, self._then)
        return False
