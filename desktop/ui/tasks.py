"""Background work for the GUI: run a service call on a pool thread, report back by signals.

Workers never touch widgets. Progress, result and error come back to the GUI
thread through Qt signals; a callback whose receiver widget has gone is dropped.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from desktop.services.progress import CancelToken, Progress

log = logging.getLogger("tagdesk.ui")


class _Signals(QObject):
    progress = Signal(object)   # Progress
    result = Signal(object)
    error = Signal(object)      # the exception
    finished = Signal()


class Task(QRunnable):
    """`run(progress, cancel)` on a pool thread. Create, connect, then `start()`."""

    def __init__(self, run: Callable[[Callable[[Progress], None], CancelToken], Any],
                 *, name: str = "task") -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.name = name
        self.cancel_token = CancelToken()
        self.signals = _Signals()
        self._run = run
        self.running = False

    def on_progress(self, slot: Callable[[Progress], None]) -> Task:
        self.signals.progress.connect(slot)
        return self

    def on_result(self, slot: Callable[[Any], None]) -> Task:
        self.signals.result.connect(slot)
        return self

    def on_error(self, slot: Callable[[BaseException], None]) -> Task:
        self.signals.error.connect(slot)
        return self

    def on_finished(self, slot: Callable[[], None]) -> Task:
        self.signals.finished.connect(slot)
        return self

    def start(self, pool: QThreadPool | None = None) -> Task:
        self.running = True
        (pool or QThreadPool.globalInstance()).start(self)
        return self

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def run(self) -> None:
        signals = self.signals
        try:
            result = self._run(self._emit_progress, self.cancel_token)
        except BaseException as exc:  # every failure goes back to the GUI thread
            log.info("task %s failed: %s\n%s", self.name, exc, traceback.format_exc())
            if shiboken6.isValid(signals):
                signals.error.emit(exc)
        else:
            if shiboken6.isValid(signals):
                signals.result.emit(result)
        finally:
            self.running = False
            if shiboken6.isValid(signals):
                signals.finished.emit()

    def _emit_progress(self, event: Progress) -> None:
        if shiboken6.isValid(self.signals):
            self.signals.progress.emit(event)
