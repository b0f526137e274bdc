"""Per (corp, API path) minute quotas with a block after overrun, as WeCom's 45009.

WeCom counts calls per API in minute windows; the call that exceeds the quota and every
call during the following block answer 45009. When the block ends the count starts afresh.
The windows are counted from the moment the quota was set, so a test that sets a quota and
then makes a few calls finds them all in its first window, whatever the clock shows.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

WINDOW_S = 60.0

QuotaKey = tuple[str, str]


class QuotaLimiter:
    def __init__(
        self, per_min: int, block_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._per_min = per_min
        self._block_s = block_s
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[QuotaKey, tuple[int, int]] = {}
        self._blocked_until: dict[QuotaKey, float] = {}
        self._windows_start = clock()

    def configure(self, *, per_min: int | None = None, block_s: float | None = None) -> None:
        with self._lock:
            if per_min is not None:
                self._per_min = per_min
                self._windows_start = self._clock()
                self._windows.clear()
                self._blocked_until.clear()
            if block_s is not None:
                self._block_s = block_s

    def admit(self, key: QuotaKey) -> bool:
        """Count one call for `key`; False means answer 45009."""
        with self._lock:
            if self._per_min <= 0:
                return True
            now = self._clock()
            blocked_until = self._blocked_until.get(key)
            if blocked_until is not None:
                if now < blocked_until:
                    return False
                del self._blocked_until[key]
                self._windows.pop(key, None)
            window = int((now - self._windows_start) // WINDOW_S)
            current, count = self._windows.get(key, (window, 0))
            if current != window:
                count = 0
            count += 1
            self._windows[key] = (window, count)
            if count > self._per_min:
                self._blocked_until[key] = now + self._block_s
                return False
            return True
