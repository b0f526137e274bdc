"""Rate limit, concurrency cap and backoff: the one place that decides when a call may go.

Every client view of one corp in a process shares one :class:`RateLimiter` (see
:mod:`desktop.wecom.registry`). WeCom punishes bursts (45009 blocks the API for a minute or an hour)
and more than about five ``mark_tag`` calls in flight (45033), so the limiter smooths the
rate with a token bucket, never lets any 60 s window exceed ``calls_per_minute`` (a
sliding window over the calls' start times), caps calls in flight, and on 45009 holds back
*every* call until the pause ends. All waits can be interrupted through a ``threading.Event``:
the limiter's own, or one given per call (each view of a shared limiter has its own).

A 45009 answer arrives after WeCom's block began, so the block ends at most
``rate_limit_pause_s`` after that answer. Calls sent before the pause began that answer
45009 too are echoes of the same block: they neither extend the pause nor count as another.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
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

PauseListener = Callable[[int, float], None]
"""Called while a call waits out a 45009 pause: (the pause's serial number, seconds left)."""


@dataclass(frozen=True)
class RateLimits:
    """Network policy knobs; the defaults suit a real corp, tests shrink them."""

    calls_per_minute: int = 6000
    max_concurrency: int = 5
    max_retries: int = 4
    # A refused connection (nothing listens: a stopped server) is retried at most this often,
    # within max_retries: waiting for a server to be started helps no call.
    refused_retries: int = 1
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0
    rate_limit_pause_s: float = 60.0
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 30.0

    def __post_init__(self) -> None:
        if (self.calls_per_minute < 1 or self.max_concurrency < 1 or self.max_retries < 0
                or self.refused_retries < 0):
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
        self._pause_started = float("-inf")
        self._pause_serial = 0
        self._recent: deque[float] = deque()  # start times of the calls of the last minute

    @property
    def limits(self) -> RateLimits:
        with self._cond:
            return self._limits

    def reconfigure(self, limits: RateLimits) -> None:
        """Apply new limits (a profile edited while the limiter is shared); waiters re-check."""
        with self._cond:
            self._limits = limits
            self._rate_per_s = limits.calls_per_minute / 60.0
            self._capacity = max(1.0, limits.calls_per_minute * BURST_SHARE_OF_MINUTE)
            self._tokens = min(self._tokens, self._capacity)
            self._cond.notify_all()

    @property
    def pause_serial(self) -> int:
        """How many 45009 pauses began so far; identifies the current one."""
        with self._cond:
            return self._pause_serial

    @property
    def in_flight(self) -> int:
        """Calls currently holding a slot."""
        with self._cond:
            return self._in_flight

    def pause_remaining(self) -> float:
        """Seconds left of the current 45009 pause (0 when not paused)."""
        with self._cond:
            return max(0.0, self._paused_until - self._clock.now())

    def raise_if_cancelled(self, cancel: threading.Event | None = None) -> None:
        """Raise :class:`CallCancelled` when ``cancel`` (default: the limiter's event) is set."""
        event = cancel if cancel is not None else self._cancel
        if event is not None and event.is_set():
            raise CallCancelled()

    def acquire(
        self, cancel: threading.Event | None = None, on_pause: PauseListener | None = None
    ) -> None:
        """Block until no pause is active, a bucket token and a concurrency slot are free.

        ``on_pause`` hears about a 45009 pause being waited out (outside the lock, at
        every poll); ``cancel`` interrupts the wait.
        """
        while True:
            with self._cond:
                self.raise_if_cancelled(cancel)
                now = self._clock.now()
                self._refill(now)
                wait_s = self._wait_needed(now)
                if wait_s <= 0.0:
                    self._tokens -= 1.0
                    self._in_flight += 1
                    self._recent.append(now)
                    return
                paused_left = self._paused_until - now
                serial = self._pause_serial
                self._clock.wait(self._cond, min(wait_s, CANCEL_POLL_S))
            if on_pause is not None and paused_left > 0.0:
                on_pause(serial, paused_left)

    def release(self) -> None:
        """Give the slot back and wake the waiters."""
        with self._cond:
            self._in_flight -= 1
            self._cond.notify_all()

    @contextmanager
    def slot(
        self, cancel: threading.Event | None = None, on_pause: PauseListener | None = None
    ) -> Iterator[None]:
        """``with limiter.slot():`` around exactly one HTTP request."""
        self.acquire(cancel, on_pause)
        try:
            yield
        finally:
            self.release()

    def pause(self, seconds: float, *, sent_at: float | None = None) -> bool:
        """Hold back every new call for ``seconds`` after a 45009 answer to a call sent at
        ``sent_at`` (default now). Never shortens a running pause. Returns False when the
        call was sent before the current pause began (an echo of the same block: nothing
        changes), True when a new pause began or the running one was extended."""
        with self._cond:
            now = self._clock.now()
            if sent_at is not None and sent_at < self._pause_started:
                return False
            until = now + seconds
            if until <= self._paused_until:
                return False
            if now >= self._paused_until:
                self._pause_serial += 1
                self._pause_started = now
            self._paused_until = until
            self._cond.notify_all()
            return True

    def sleep(self, seconds: float, cancel: threading.Event | None = None) -> None:
        """Interruptible sleep used for backoff between retries."""
        with self._cond:
            deadline = self._clock.now() + seconds
            while True:
                self.raise_if_cancelled(cancel)
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
