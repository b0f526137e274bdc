"""Rate limit, concurrency cap and backoff: the one place that decides when a call may go.

Every thread using one :class:`~desktop.wecom.client.WeComClient` shares one
:class:`RateLimiter`. WeCom punishes bursts (45009 blocks the API for a minute or an hour)
and more than about five ``mark_tag`` calls in flight (45033), so the limiter smooths the
rate with a token bucket, never lets any 60 s window exceed ``calls_per_minute`` (a
sliding window over the calls' start times), caps calls in flight, and on 45009 holds back
*every* call until the pause ends. All waits can be interrupted through a ``threading.Event``.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from desktop.wecom.errors import CallCancelled

# How often a waiting thread looks at the cancel event (a Condition cannot wait on it).
CANCEL_POLL_S = 0.05
# The bucket holds this share of a minute's calls (short bursts are fine); a sliding
# 60 s window on top makes sure no minute ever sees more than calls_per_minute.
BURST_SHARE_OF_MINUTE = 1 / 6
WINDOW_S = 60.0
_MAX_BACKOFF_EXPONENT = 30


@dataclass(frozen=True)
class RateLimits:
    """Network policy knobs; the defaults suit a real corp, tests shrink them."""

    calls_per_minute: int = 6000
    max_concurrency: int = 5
    max_retries: int = 4
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0
    rate_limit_pause_s: float = 60.0
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 30.0

    def __post_init__(self) -> None:
        if self.calls_per_minute < 1 or self.max_concurrency < 1 or self.max_retries < 0:
            raise ValueError("calls_per_minute and max_concurrency must be >= 1, retries >= 0")


def backoff_delay(retry: int, limits: RateLimits, rng: random.Random) -> float:
    """Seconds to wait before retry number ``retry`` (1-based): exponential, full jitter.

    Full jitter (uniform between 0 and the exponential cap) spreads threads that failed
    together, so they do not all come back at the same instant.
    """
    exponent = min(max(retry - 1, 0), _MAX_BACKOFF_EXPONENT)
    ceiling = min(limits.backoff_max_s, limits.backoff_base_s * 2**exponent)
    return rng.uniform(0.0, ceiling)


class Clock(Protocol):
    """Time source and waiting primitive; tests inject a fake one."""

    def now(self) -> float:
        """Monotonic seconds."""
        ...

    def wait(self, condition: threading.Condition, timeout: float) -> None:
        """Wait on ``condition`` (its lock held) for at most ``timeout`` seconds."""
        ...


class MonotonicClock:
    """The real clock."""

    def now(self) -> float:
        return time.monotonic()

    def wait(self, condition: threading.Condition, timeout: float) -> None:
        condition.wait(timeout)


class RateLimiter:
    """Thread-safe token bucket + sliding minute window + concurrency cap + global pause."""

    def __init__(
        self,
        limits: RateLimits,
        *,
        cancel_event: threading.Event | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._limits = limits
        self._cancel = cancel_event
        self._clock: Clock = clock if clock is not None else MonotonicClock()
        self._cond = threading.Condition()
        self._rate_per_s = limits.calls_per_minute / 60.0
        self._capacity = max(1.0, limits.calls_per_minute * BURST_SHARE_OF_MINUTE)
        self._tokens = self._capacity
        self._refilled_at = self._clock.now()
        self._in_flight = 0
        self._paused_until = self._refilled_at
        self._recent: deque[float] = deque()  # start times of the calls of the last minute

    @property
    def in_flight(self) -> int:
        """Calls currently holding a slot."""
        with self._cond:
            return self._in_flight

    def pause_remaining(self) -> float:
        """Seconds left of the current 45009 pause (0 when not paused)."""
        with self._cond:
            return max(0.0, self._paused_until - self._clock.now())

    def raise_if_cancelled(self) -> None:
        """Raise :class:`CallCancelled` when the cancel event is set."""
        if self._cancel is not None and self._cancel.is_set():
            raise CallCancelled()

    def acquire(self) -> None:
        """Block until no pause is active, a bucket token and a concurrency slot are free."""
        with self._cond:
            while True:
                self.raise_if_cancelled()
                now = self._clock.now()
                self._refill(now)
                wait_s = self._wait_needed(now)
                if wait_s <= 0.0:
                    self._tokens -= 1.0
                    self._in_flight += 1
                    self._recent.append(now)
                    return
                self._clock.wait(self._cond, min(wait_s, CANCEL_POLL_S))

    def release(self) -> None:
        """Give the slot back and wake the waiters."""
        with self._cond:
            self._in_flight -= 1
            self._cond.notify_all()

    @contextmanager
    def slot(self) -> Iterator[None]:
        """``with limiter.slot():`` around exactly one HTTP request."""
        self.acquire()
        try:
            yield
        finally:
            self.release()

    def pause(self, seconds: float) -> None:
        """Hold back every new call for ``seconds`` (never shortens a running pause)."""
        with self._cond:
            self._paused_until = max(self._paused_until, self._clock.now() + seconds)
            self._cond.notify_all()

    def sleep(self, seconds: float) -> None:
        """Interruptible sleep used for backoff between retries."""
        with self._cond:
            deadline = self._clock.now() + seconds
            while True:
                self.raise_if_cancelled()
                remaining = deadline - self._clock.now()
                if remaining <= 0.0:
                    return
                self._clock.wait(self._cond, min(remaining, CANCEL_POLL_S))

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._refilled_at)
        self._tokens = min(self._capacity, self._tokens + elapsed * self._rate_per_s)
        self._refilled_at = now

    def _wait_needed(self, now: float) -> float:
        if now < self._paused_until:
            return self._paused_until - now
        if self._in_flight >= self._limits.max_concurrency:
            return CANCEL_POLL_S  # a release() wakes us earlier
        if self._tokens < 1.0:
            return (1.0 - self._tokens) / self._rate_per_s
        while self._recent and self._recent[0] <= now - WINDOW_S:
            self._recent.popleft()
        if len(self._recent) >= self._limits.calls_per_minute:
            return self._recent[0] + WINDOW_S - now
        return 0.0
