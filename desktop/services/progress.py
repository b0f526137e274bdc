"""Progress reports and cancellation for long work, free of any GUI toolkit.

Services take a `progress` callback and a `CancelToken`; the GUI wraps them in
worker threads and signals, the CLI prints them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from desktop.domain.errors import UserError

if TYPE_CHECKING:
    from desktop.store.db import Cache
    from desktop.wecom.transport import WaitNotice


@dataclass(frozen=True)
class Progress:
    phase: str          # a short machine name: tags, directory, relations, writing, ...
    done: int
    total: int          # 0 when unknown
    text: str = ""      # a readable line for the status bar
    waiting: str = ""   # "中文 / English" while calls wait (a 45009 pause, a retry), else ""


ProgressCallback = Callable[[Progress], None]


def no_progress(_: Progress) -> None:
    """The default callback: report nothing."""


RETRY_SHOWN_S = 60.0  # a retry line stays this long unless progress moves on first
SLOW_SHOWN_S = 2.0    # a slow-answer line goes when no newer one comes (the answer came)


class WaitReporter:
    """Puts what the WeCom calls are waiting for into the progress events.

    Hand `on_wait` to the client (`Workspace.client(on_wait=...)`) and call the reporter
    instead of `progress`: every event then carries `waiting` while a 45009 pause lasts
    ("paused by WeCom's frequency limit, resuming in N s"), a call is being retried, or an
    answer is slow to come; a wait that begins re-sends the last event at once, so a
    stalled run never looks hung. Thread-safe.
    """

    def __init__(self, progress: ProgressCallback, start: Progress | None = None) -> None:
        """`start` is the event a wait before any progress is shown with."""
        self._progress = progress
        self._lock = threading.Lock()
        self._last = start or Progress("wecom", 0, 0)
        self._notice: WaitNotice | None = None
        self._until = 0.0

    def __call__(self, event: Progress) -> None:
        with self._lock:
            if self._notice is not None and self._notice.kind != "rate_limit" and (
                    event.done != self._last.done or event.phase != self._last.phase):
                self._notice = None  # calls go through again
            self._last = event
            waiting = self._waiting()
        self._progress(replace(event, waiting=waiting) if waiting else event)

    def on_wait(self, notice: WaitNotice) -> None:
        with self._lock:
            self._notice = notice
            shown = {"rate_limit": notice.seconds, "slow": SLOW_SHOWN_S}.get(
                notice.kind, RETRY_SHOWN_S)
            self._until = time.monotonic() + shown
            event = replace(self._last, waiting=notice.sentence())
        self._progress(event)

    def _waiting(self) -> str:
        if self._notice is None:
            return ""
        left = self._until - time.monotonic()
        if left <= 0:
            self._notice = None
            return ""
        if self._notice.kind == "rate_limit":
            return replace(self._notice, seconds=left).sentence()
        return self._notice.sentence()


class OperationCancelled(UserError):
    def __init__(self) -> None:
        super().__init__("操作已取消，没有做任何更改。", "Cancelled; nothing was changed.")


class CancelToken:
    """A flag shared with worker threads; `event` can be handed to the WeCom client.

    `interrupt()` stops the work like `cancel()` but says the user did not ask for it
    (TagDesk is closing): durable work is then kept for the next start, not dropped.
    """

    def __init__(self) -> None:
        self.event = threading.Event()
        self.interrupted = False

    def cancel(self) -> None:
        self.event.set()

    def interrupt(self) -> None:
        self.interrupted = True
        self.event.set()

    @property
    def cancelled(self) -> bool:
        return self.event.is_set()

    def raise_if_cancelled(self) -> None:
        if self.event.is_set():
            raise OperationCancelled()


@contextmanager
def reads_stopped_by(cache: Cache, cancel: CancelToken) -> Iterator[None]:
    """Reads of `cache` on this thread that `cancel` ends: the block is not begun once it is
    set, and a statement under way is interrupted; either way `OperationCancelled`."""
    cancel.raise_if_cancelled()
    try:
        with cache.interruptible(lambda: cancel.cancelled):
            yield
    except Exception:
        if cancel.cancelled:    # whatever the interrupted statement raised
            raise OperationCancelled() from None
        raise
