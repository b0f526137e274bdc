"""Progress reports and cancellation for long work, free of any GUI toolkit.

Services take a `progress` callback and a `CancelToken`; the GUI wraps them in
worker threads and signals, the CLI prints them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    phase: str          # a short machine name: tags, directory, relations, writing, ...
    done: int
    total: int          # 0 when unknown
    text: str = ""      # a readable line for the status bar


ProgressCallback = Callable[[Progress], None]


def no_progress(_: Progress) -> None:
    """The default callback: report nothing."""


class OperationCancelled(Exception):
    def __init__(self) -> None:
        super().__init__("操作已取消，没有做任何更改。 / Cancelled; nothing was changed.")


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
