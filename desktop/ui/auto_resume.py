"""Resuming batches in the GUI when WeCom can be reached again, with backoff and a visible state.

After every write or sync (`AppContext.changed`) and at start, the cache is asked on a pool
thread for batches a network or WeCom failure stopped (`services.auto_resume`). While there
are any, a light probe goes out after a growing delay (15 s, 30 s, … at most 5 min); when
WeCom answers, the batches are resumed one by one on the writer thread, exactly like
"continue" in the batch panel. `stateChanged` carries a `ResumeState` for the status bar:
the count-down to the next try, the check, the batch being resumed, or what needs a person.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.services.auto_resume import (
    Backoff,
    Probe,
    ResumeState,
    WaitingBatch,
    probe,
    waiting_batches,
)
from desktop.services.changes import ChangeSet
from desktop.services.progress import CancelToken
from desktop.services.tagging import BatchResult, BatchRunningError
from desktop.store import outbox
from desktop.ui.context import AppContext
from desktop.ui.errors import is_expected, readable

TICK_MS = 1000


class AutoResume(QObject):
    stateChanged = Signal(object)      # ResumeState

    def __init__(self, context: AppContext, parent: QObject | None = None,
                 backoff: Backoff | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.backoff = backoff or Backoff()
        self.state = ResumeState("idle")
        self._waiting: list[WaitingBatch] = []
        self._busy = False          # a check, probe or resume is under way
        self._again = False         # something changed meanwhile: check once more after it
        self._stopped = False
        self._probe_now = False     # a new app secret: the next probe goes out at once
        self._due = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        context.changed.connect(self._changed)
        context.secret_replaced.connect(self._try_at_once)
        context.ip_trusted.connect(self._try_at_once)

    def check(self) -> None:
        """Look for batches waiting for the network (on a pool thread)."""
        if self._stopped:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        cache = self._context.cache
        self._context.run_task(lambda _p, _c: waiting_batches(cache), owner=self,
                               name="auto-resume check", on_result=self._checked,
                               on_error=self._attention)

    def stop(self) -> None:
        """The app is closing: no new probe or resume starts."""
        self._stopped = True
        self._timer.stop()

    # -- the cycle ------------------------------------------------------------------------

    def _changed(self, changes: ChangeSet) -> None:
        if changes.batch_id or changes.full_reload:
            self.check()

    def _try_at_once(self) -> None:
        """Batches that a refused app secret or IP stopped here are tried at once with the new
        secret or API base, or once WeCom answers this computer again, not after the next
        delay."""
        if self.state.kind == "attention":
            self._probe_now = True
            self.backoff.reset()
            self.check()

    def _checked(self, waiting: list[WaitingBatch]) -> None:
        self._busy = False
        self._waiting = waiting
        if self._again:
            self._again = False
            self.check()
            return
        if not waiting:
            self._timer.stop()
            self.backoff.reset()
            self._set(ResumeState("idle"))
            return
        if not self._timer.isActive():
            now, self._probe_now = self._probe_now, False
            self._due = time.monotonic() + (0.0 if now else self.backoff.next_delay())
            self._timer.start()
        self._tick()

    def _tick(self) -> None:
        left = self._due - time.monotonic()
        if left > 0:
            self._set(ResumeState("waiting", len(self._waiting), self._pending(), left,
                                  team_url=self._context.workspace.profile.team_url))
            return
        self._timer.stop()
        if self._stopped or self._busy:
            return
        self._busy = True
        self._set(ResumeState("checking", len(self._waiting), self._pending(),
                              team_url=self._context.workspace.profile.team_url))
        workspace = self._context.workspace

        def work(_progress: Any, cancel: CancelToken) -> Probe:
            with workspace.client(cancel.event) as client:
                return probe(client)

        self._context.run_task(work, owner=self, name="auto-resume probe",
                               on_result=self._probed, on_error=self._attention)

    def _probed(self, outcome: Probe) -> None:
        if outcome is Probe.DOWN:
            self._busy = False
            self._checked(self._waiting)
            return
        self._context.wecom_answered()
        self._resume(list(self._waiting))

    def _resume(self, batches: list[WaitingBatch]) -> None:
        if self._stopped or not batches:
            self._busy = False
            self.backoff.reset()
            self.check()
            return
        batch, rest = batches[0], batches[1:]
        self._set(ResumeState("resuming", len(batches), self._pending(), batch_id=batch.id,
                              team_url=self._context.workspace.profile.team_url))
        tagging = self._context.tagging

        def work(progress: Any, cancel: CancelToken) -> BatchResult | None:
            try:
                return tagging.run(batch.id, progress=progress, cancel=cancel)
            except BatchRunningError:
                return None  # the batch panel is already running it

        def done(result: BatchResult | None) -> None:
            if result is not None:
                self._context.publish(result.changes)
            if result is not None and result.stop_reason and result.pending and (
                    result.status != outbox.CANCELLED):
                self._busy = False  # WeCom failed again: back to waiting, longer
                self._checked([batch, *rest])
                return
            self._resume(rest)

        self._context.run_task(work, owner=self, name=f"auto-resume {batch.id}", writer=True,
                               on_result=done, on_error=self._attention)

    def _attention(self, exc: BaseException) -> None:
        """A probe or resume failed for a reason waiting cannot fix (e.g. a wrong secret)."""
        self._busy = False
        self._timer.stop()
        reason = str(exc) if is_expected(exc) else readable(exc)
        self._set(ResumeState("attention", len(self._waiting), self._pending(), reason=reason))
        self._context.note_refusal(exc)

    def _pending(self) -> int:
        return sum(batch.pending for batch in self._waiting)

    def _set(self, state: ResumeState) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)
