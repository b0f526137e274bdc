"""Python's cyclic garbage collector, run on the GUI thread only.

Python collects reference cycles whenever allocations cross a threshold, in whichever thread
allocated last. Cycles in the GUI hold Qt objects (a dialog and the closures connected to its
signals); collected on a pool thread, such a widget would be destroyed off the GUI thread, and
Qt crashes when the GUI thread touches it at the same moment. So while the GUI runs, Python's
automatic collector is off and a timer on the GUI thread collects instead, one generation at a
time with the thresholds Python itself uses. Reference counting still frees everything that
is not in a cycle at once, on any thread, as before.

During a bulk job collections wait (`paused()`): a sync builds about ten objects per relation,
and a full pass over a million of them held the GIL, and froze the window, for up to 0.8 s.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 500

_lock = threading.Lock()
_pauses = 0
_automatic_before_pause = False


def due_generation(counts: tuple[int, int, int], thresholds: tuple[int, int, int]) -> int | None:
    """The generation Python's collector would collect at these counts, or None.

    A collection of generation n also collects the younger ones and adds one to the count of
    generation n + 1, so the older generations are collected every `threshold` younger passes.
    """
    if thresholds[0] <= 0 or counts[0] <= thresholds[0]:
        return None
    if counts[1] + 1 <= thresholds[1]:
        return 0
    if counts[2] + 1 <= thresholds[2]:
        return 1
    return 2


def is_paused() -> bool:
    return _pauses > 0


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside, neither the GUI thread's nor Python's own; safe to nest
    and to use from several threads at once; restored however it ends."""
    global _pauses, _automatic_before_pause
    with _lock:
        if _pauses == 0:
            _automatic_before_pause = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _automatic_before_pause:
                gc.enable()


class GuiThreadCollector(QObject):
    """Turns Python's automatic collector off and collects on the GUI thread's timer."""

    def __init__(self, parent: QObject | None = None,
                 interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.collections = [0, 0, 0]    # passes made, per generation
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.collect_if_due)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Python's own collector again (with a pass for what piled up meanwhile)."""
        self._timer.stop()
        gc.collect()
        gc.enable()

    def collect_if_due(self) -> int | None:
        """On the GUI thread: collect the generation that is due, if any and not paused;
        the generation collected, or None."""
        if is_paused():
            return None
        generation = due_generation(gc.get_count(), gc.get_threshold())
        if generation is not None:
            gc.collect(generation)
            self.collections[generation] += 1
        return generation
