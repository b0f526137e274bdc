"""The main window's splitter: a side pane, the table, a side pane.

QSplitter gives a narrower window's loss to the stretching table alone, so at 1024 px the
tag tree and the detail pane kept their width and the table scrolled sideways, its owner and
date columns out of sight. Here the side panes keep the width the user gave them while the
table has the room its columns want; when it has not, they give up width first, down to
their minimums (`PANE_MIN_WIDTHS`), and take it back as the window grows again, in this run or
the next: the saved state holds the panes' preferred widths, not the squeezed ones (a run ended
at 1,024 px left the next at 1,366 px with panes of 200 and 160 px). A state saved before
that, without PREFERRED_MARK, may hold squeezed widths: a pane in it at or below its minimum
opens at its first width instead. A handle dragged by hand stands as dragged until the
window's width changes.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSplitter, QWidget

SPLITTER_MAGIC, SPLITTER_VERSION = 0xFF, 1   # QSplitter::saveState: these, the sizes, flags
PANE_MIN_WIDTHS = (200, 160)  # px: the tag tree's names of six characters stay whole at
# 800 px (its indent and counts take the rest); the detail's labels stay readable
PREFERRED_MARK = b"TagDesk:preferred-widths"   # after the state: its sizes are the preferred
# widths (QSplitter.restoreState reads up to its own fields and ignores what follows)


class PaneSplitter(QSplitter):
    """Three widgets: two side panes around the stretching middle one, which wants
    `wanted()` px before the panes keep more than their `PANE_MIN_WIDTHS`."""

    def __init__(self, wanted: Callable[[], int], parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._wanted = wanted
        self._preferred: tuple[int, int] | None = None   # the panes' widths the user gave
        self._first: tuple[int, int] | None = None       # the panes' widths at first
        self._dragged = False
        self.splitterMoved.connect(self._moved)
        self._fit_timer = QTimer(self, singleShot=True, interval=0)
        self._fit_timer.timeout.connect(self._fit_now)

    def set_pane_sizes(self, sizes: list[int]) -> None:
        """The first sizes, once the three widgets are in: the panes may narrow to
        `PANE_MIN_WIDTHS` whatever their contents' widths."""
        for index, minimum in zip((0, 2), PANE_MIN_WIDTHS, strict=True):
            pane = self.widget(index)
            if pane is not None:
                pane.setMinimumWidth(minimum)
        self._first = (sizes[0], sizes[2])
        self.setSizes(sizes)

    def setSizes(self, sizes: Sequence[int]) -> None:
        """Sizes chosen for the panes (the defaults, or as a user's): the preferred ones."""
        super().setSizes(sizes)
        if len(sizes) == 3:
            self._preferred = (sizes[0], sizes[2])
        self.fit()

    def saveState(self) -> QByteArray:
        """The state with the panes' preferred widths as their sizes."""
        state = bytes(super().saveState().data())
        if self._preferred is None or _state_sizes(state) is None:
            return QByteArray(state)
        left, right = self._preferred
        middle = max(0, sum(self.sizes()) - left - right)
        return QByteArray(state[:12] + struct.pack(">3i", left, middle, right) + state[24:]
                          + PREFERRED_MARK)

    def restoreState(self, state: QByteArray | bytes | bytearray | memoryview) -> bool:
        """The saved panes' widths are the preferred ones, whatever the window's width now;
        in a state from before they were saved, a pane squeezed to its minimum (or below an
        older, lower one) takes its first width again."""
        restored = super().restoreState(state)
        if restored:
            raw = bytes(state.data() if isinstance(state, QByteArray) else state)
            saved = _state_sizes(raw)
            self._preferred = (saved[0], saved[2]) if saved is not None else None
            if (self._preferred is not None and self._first is not None
                    and not raw.endswith(PREFERRED_MARK)):
                self._preferred = _unsqueezed(self._preferred, self._first)
            self.fit()
        return restored

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._dragged = False
        self.fit()

    def fit(self) -> None:
        """Fit the panes once the resizes and the column changes under way are laid out."""
        self._fit_timer.start()

    def _fit_now(self) -> None:
        """Give the middle widget the width it wants, taking it from the panes' preferred
        widths (each in proportion to what it has above the minimum)."""
        if not self.isVisible() or self._dragged:
            return
        if self._preferred is None:
            self._remember()
        sizes = self.sizes()
        if len(sizes) != 3 or self._preferred is None or sum(sizes) <= 0:
            return
        total = sum(sizes)
        low_left, low_right = PANE_MIN_WIDTHS
        left, right = max(low_left, self._preferred[0]), max(low_right, self._preferred[1])
        short = self._wanted() - (total - left - right)
        spare = (left - low_left) + (right - low_right)
        if short > 0 and spare > 0:
            taken = min(short, spare)
            left_taken = taken * (left - low_left) // spare
            left, right = left - left_taken, right - (taken - left_taken)
        fitted = [left, max(0, total - left - right), right]
        if fitted != sizes:
            super().setSizes(fitted)

    def _moved(self, _position: int, _index: int) -> None:
        """A handle moved by hand: those sizes stand (a table narrower than its columns too)
        until the window's width changes."""
        self._dragged = True
        self._remember()

    def _remember(self) -> None:
        sizes = self.sizes()
        if len(sizes) == 3:
            self._preferred = (sizes[0], sizes[2])


def _state_sizes(state: bytes) -> list[int] | None:
    """The three sizes a splitter state holds (big-endian, as QDataStream writes them)."""
    if len(state) < 24:
        return None
    magic, version, count = struct.unpack(">iiI", state[:12])
    if (magic, version, count) != (SPLITTER_MAGIC, SPLITTER_VERSION, 3):
        return None
    return list(struct.unpack(">3i", state[12:24]))


def _unsqueezed(saved: tuple[int, int], first: tuple[int, int]) -> tuple[int, int]:
    """Each pane's saved width, or its first one where the saved width is no more than its
    minimum (what a narrow window squeezed it to)."""
    left, right = (width if width > minimum else default
                   for width, minimum, default in zip(saved, PANE_MIN_WIDTHS, first, strict=True))
    return left, right
