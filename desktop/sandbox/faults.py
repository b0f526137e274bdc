"""Seeded fault injection for business calls: the failures a WeCom client must survive.

A fault is one of: errcode -1 (system busy), errcode 45009, an HTTP 502 with an HTML body
from the gateway, or a dropped connection. A drop happens *after* the call took effect (the
answer is lost on the way back), which is what a client timeout looks like in production:
the client cannot know whether its write landed and must re-read or retry idempotently.
"""

from __future__ import annotations

import enum
import random
import threading


class FaultKind(enum.Enum):
    BUSY = "busy"
    FREQ = "freq"
    HTTP_502 = "http502"
    DROP = "drop"


FAULT_KINDS = tuple(FaultKind)


class FaultInjector:
    def __init__(self, rate: float, seed: int) -> None:
        self._rate = rate
        self._rng = random.Random(f"faults-{seed}")
        self._lock = threading.Lock()

    def set_rate(self, rate: float) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError("fault_rate is a share between 0 and 1")
        with self._lock:
            self._rate = rate

    def draw(self) -> FaultKind | None:
        """The fault for the next business call, or None for a normal answer."""
        with self._lock:
            if self._rate <= 0.0 or self._rng.random() >= self._rate:
                return None
            return self._rng.choice(FAULT_KINDS)
