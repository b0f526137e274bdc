"""Thread-safe counters of what the sandbox answered, for tests and the demo's status line."""

from __future__ import annotations

import threading
from collections import Counter


class SandboxStats:
    """Calls per API path, errcodes returned, faults injected and requests in flight.

    Paths are relative to ``/cgi-bin/``, e.g. ``"externalcontact/mark_tag"``.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: Counter[str] = Counter()
        self._errors: Counter[int] = Counter()
        self._faults: Counter[str] = Counter()
        self._in_flight: Counter[str] = Counter()

    def record_call(self, path: str) -> None:
        with self._lock:
            self._calls[path] += 1

    def record_error(self, errcode: int) -> None:
        with self._lock:
            self._errors[errcode] += 1

    def record_fault(self, kind: str) -> None:
        with self._lock:
            self._faults[kind] += 1

    def enter(self, path: str) -> None:
        with self._lock:
            self._in_flight[path] += 1

    def leave(self, path: str) -> None:
        with self._lock:
            self._in_flight[path] -= 1

    def calls(self, path: str | None = None) -> int:
        """Requests received for `path` (all paths when None), whatever their outcome."""
        with self._lock:
            return self._calls[path] if path is not None else sum(self._calls.values())

    def errors(self, errcode: int) -> int:
        """How often `errcode` was answered (faults included, HTTP 502 and drops excluded)."""
        with self._lock:
            return self._errors[errcode]

    def faults(self, kind: str) -> int:
        """Injected faults of one kind: "busy", "freq", "http502" or "drop"."""
        with self._lock:
            return self._faults[kind]

    def in_flight(self, path: str) -> int:
        """Requests for `path` accepted and not yet answered."""
        with self._lock:
            return self._in_flight[path]

    def snapshot(self) -> dict[str, dict[str, int]]:
        with self._lock:
            return {
                "calls": dict(self._calls),
                "errors": {str(code): n for code, n in self._errors.items()},
                "faults": dict(self._faults),
            }

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
            self._errors.clear()
            self._faults.clear()
