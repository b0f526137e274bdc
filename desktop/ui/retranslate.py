"""Retranslating in place: a window sets its texts in one `retranslate()` method, which
runs once when the window is built and again on every LanguageChange it receives.

Switching the language installs the new catalogues and Qt sends each widget a
LanguageChange event; `retranslate_in_place(widget, widget.retranslate)` is the one
way a window answers it, so the filters typed, rows selected and results shown stay.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from desktop.ui.i18n import catalogues


class Retranslation(QObject):
    """Answers `widget`'s LanguageChange: runs its `retranslate`, then says again every
    text given to `say` (a status or result line that depends on what happened)."""

    def __init__(self, widget: QWidget, retranslate: Callable[[], None]) -> None:
        super().__init__(widget)
        self._retranslate = retranslate
        self._said: dict[QLabel | QAbstractButton, Callable[[], str]] = {}
        self._catalogues = catalogues()
        widget.installEventFilter(self)

    def say(self, target: QLabel | QAbstractButton, text: Callable[[], str]) -> None:
        """Show `text()` on `target` now, and again in the new language after a switch."""
        self._said[target] = text
        target.setText(text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # a window inside another gets the event twice (as a window and as a child), and
        # every translator installed sends one: retranslate once per change of catalogues
        if event.type() == QEvent.Type.LanguageChange and self._catalogues != catalogues():
            self._catalogues = catalogues()
            self._retranslate()
            for target, text in self._said.items():
                target.setText(text())
        return False


def retranslate_in_place(widget: QWidget, retranslate: Callable[[], None]) -> Retranslation:
    """Call `retranslate` now and whenever `widget` is told the language changed."""
    watch = Retranslation(widget, retranslate)
    retranslate()
    return watch


def relabel(model: QAbstractItemModel) -> None:
    """Tell a model's views to ask again for its headers and cells, which it translates
    when asked (nothing is re-read)."""
    rows, columns = model.rowCount(), model.columnCount()
    if columns:
        model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)
    if rows and columns:
        model.dataChanged.emit(model.index(0, 0), model.index(rows - 1, columns - 1))
