"""Background work for the GUI: run a service call on a pool thread, report back by signals.

Workers never touch widgets. Progress, result and error come back to the GUI
thread through Qt signals. Every task has an owner (the widget or object whose
callbacks it runs): once the owner's C++ object is gone, the callbacks are
dropped instead of touching a deleted widget. Every started task is listed in
`pending_tasks()` until its end has been delivered on the GUI thread, with the
place it was started from, so tests can fail on work left running.

Once every slot of its end has run, a task lets go of everything its callbacks hold: the
connections to its signals are cut (their closures hold the task and the owner's slots, a
cycle through Qt that Python's collector cannot see), and it drops its owner, its work and
its result or error (a failure's traceback holds the work's frames, and so its closure), all
on the GUI thread; its signals object, owned by the application, is deleted there too. The
pool thread keeps no reference of its own to the result or error once it has told them, and
may drop the last reference to the task a moment later: nothing it frees then can be a
widget. So connect before `start()`: a slot connected later may miss the end.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import (
    SIGNAL,
    QCoreApplication,
    QObject,
    QRunnable,
    QThreadPool,
    Signal,
    SignalInstance,
)

from desktop.services.errors import is_expected
from desktop.services.progress import CancelToken, Progress

log = logging.getLogger("tagdesk.ui")

_PENDING: set[Task] = set()
"""Started tasks whose end has not yet reached the GUI thread (strong references)."""


def pending_tasks() -> list[Task]:
    """Tasks started and not yet finished on the GUI thread, oldest first."""
    return sorted(_PENDING, key=lambda task: task.serial)


class _Signals(QObject):
    progress = Signal(object)   # Progress
    result = Signal(object)
    error = Signal(object)      # the exception
    finished = Signal()

    SIGNATURES = ("progress(PyObject)", "result(PyObject)", "error(PyObject)", "finished()")

    def disconnect_all(self) -> None:
        """Cut every connection (a signal without any would warn when disconnected)."""
        for signature in self.SIGNATURES:
            if self.receivers(SIGNAL(signature)):
                getattr(self, signature.split("(")[0]).disconnect()


class Task(QRunnable):
    """`run(progress, cancel)` on a pool thread. Create, connect, then `start()`.

    Callbacks run on the GUI thread and only while `owner` still exists."""

    _serials = 0

    def __init__(self, run: Callable[[Callable[[Progress], None], CancelToken], Any],
                 *, owner: QObject, name: str = "task") -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.name = name
        self.owner: QObject | None = owner
        self.owner_type = type(owner).__name__
        self.cancel_token = CancelToken()
        # Owned by the application, not by this wrapper: deleted on the GUI thread after the end.
        self.signals = _Signals(QCoreApplication.instance())
        self.signals.finished.connect(self._ended)
        self._telling = threading.Lock()      # held by the pool thread while it emits the end
        self._run: Callable[[Callable[[Progress], None], CancelToken], Any] | None = run
        self._outcome: tuple[SignalInstance, object] | None = None     # (result or error, value)
        self.running = False
        self.pool: QThreadPool | None = None
        self.origin: list[traceback.FrameSummary] = []
        Task._serials += 1
        self.serial = Task._serials

    @property
    def owner_alive(self) -> bool:
        return self.owner is not None and shiboken6.isValid(self.owner)

    def on_progress(self, slot: Callable[[Progress], None]) -> Task:
        self.signals.progress.connect(lambda event: self._deliver(slot, event))
        return self

    def on_result(self, slot: Callable[[Any], None]) -> Task:
        self.signals.result.connect(lambda value: self._deliver(slot, value))
        return self

    def on_error(self, slot: Callable[[BaseException], None]) -> Task:
        self.signals.error.connect(lambda exc: self._deliver(slot, exc))
        return self

    def on_finished(self, slot: Callable[[], None]) -> Task:
        def deliver() -> None:
            if self.owner_alive:
                slot()

        self.signals.finished.connect(deliver)
        return self

    def start(self, pool: QThreadPool | None = None) -> Task:
        self.running = True
        self.pool = pool or QThreadPool.globalInstance()
        self.origin = traceback.extract_stack(limit=12)[:-1]
        _PENDING.add(self)
        self.signals.finished.connect(self._release)    # the end's last slot (module note)
        self.pool.start(self)
        return self

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def abandon(self) -> None:
        """Never to be started (its session is gone): let go of everything at once; its
        signals object, owned by the application, held the task and so its owner for good."""
        self._release()

    def describe(self) -> str:
        """The task's name and where it was started (for leak reports)."""
        where = "".join(traceback.format_list(self.origin))
        return f"task {self.name!r} (owner {self.owner_type}), started at:\n{where}"

    def run(self) -> None:
        try:
            if self._run is None:
                raise RuntimeError(f"task {self.name!r} was started again after its end")
            # Never a local: the work's closure must not outlive the task on this thread.
            self._outcome = (self.signals.result,
                             self._run(self._emit_progress, self.cancel_token))
        except BaseException as exc:  # every failure goes back to the GUI thread
            if is_expected(exc):    # the user's to fix (a typo in a filter): no traceback
                log.info("task %s: %s", self.name, str(exc))   # a record keeps no error
            else:
                log.info("task %s failed: %s\n%s", self.name, str(exc), traceback.format_exc())
            self._outcome = (self.signals.error, exc)
        self._end()

    def _end(self) -> None:
        """Over before its end is told: a slot of the result (or whatever the GUI thread does
        after it, such as a click on Cancel) never finds the task still running. The outcome
        is the task's, not a local of this thread: the GUI thread lets go of it last."""
        self.running = False
        with self._telling:
            if shiboken6.isValid(self.signals) and self._outcome is not None:
                self._outcome[0].emit(self._outcome[1])
                self.signals.finished.emit()

    def _emit_progress(self, event: Progress) -> None:
        if shiboken6.isValid(self.signals):
            self.signals.progress.emit(event)

    def _deliver(self, slot: Callable[[Any], None], value: Any) -> None:
        if self.owner_alive:
            slot(value)
        else:
            log.debug("task %s: owner gone, callback dropped", self.name)

    def _ended(self) -> None:
        _PENDING.discard(self)

    def _release(self) -> None:
        """On the GUI thread, let go of the owner, the work, the outcome, the callbacks and the
        signals object: the pool thread may drop the task's last reference (see the module
        note)."""
        self._run = None
        self._outcome = None
        self.owner = None
        with self._telling:     # Qt runs the GUI thread during an emit: wait until it returned
            if shiboken6.isValid(self.signals):
                self.signals.disconnect_all()
                self.signals.deleteLater()
