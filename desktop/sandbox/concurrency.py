"""The mark_tag concurrency rule: at most N calls in flight, and one at a time per customer.

WeCom staff describe both limits; both answer 45033. The gate is held for the whole call,
latency included, so a slow sandbox shows the same contention as a slow network.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from desktop.sandbox.errors import ApiError


class ConcurrencyGate:
    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._in_flight = 0
        self._customers: set[str] = set()

    @contextmanager
    def enter(self, external_userid: str) -> Iterator[None]:
        with self._lock:
            if self._in_flight >= self._limit:
                raise ApiError(45033, f"more than {self._limit} calls in flight")
            if external_userid in self._customers:
                raise ApiError(45033, "concurrent change of the same external contact")
            self._in_flight += 1
            self._customers.add(external_userid)
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1
                self._customers.discard(external_userid)
