"""Token bucket, concurrency cap, global 45009 pause, cancellation and backoff bounds."""

from __future__ import annotations

import random
import threading
import time

import pytest

from desktop.wecom.errors import CallCancelled
from desktop.wecom.ratelimit import RateLimiter, RateLimits, backoff_delay
from tests.unit.wecom.fakes import FakeClock


def _drain(limiter: RateLimiter, calls: int) -> None:
    for _ in range(calls):
        with limiter.slot():
            pass


def test_bucket_allows_a_burst_then_waits_for_refill(clock: FakeClock) -> None:
    limiter = RateLimiter(RateLimits(calls_per_minute=60), clock=clock)  # 1/s, burst 10
    start = clock.now()
    _drain(limiter, 10)
    assert clock.now() == start  # the burst needs no wait
    _drain(limiter, 1)
    assert 1.0 <= clock.now() - start <= 1.06  # one token refills in one second


def test_bucket_refills_with_time_but_never_beyond_its_capacity(clock: FakeClock) -> None:
    limiter = RateLimiter(RateLimits(calls_per_minute=60), clock=clock)
    _drain(limiter, 10)
    clock.advance(5.0)
    before = clock.now()
    _drain(limiter, 5)
    assert clock.now() == before
    clock.advance(3600.0)
    before = clock.now()
    _drain(limiter, 10)
    assert clock.now() == before
    _drain(limiter, 1)
    assert clock.now() > before  # capacity stayed at 10 despite an hour idle


def test_sustained_rate_matches_calls_per_minute(clock: FakeClock) -> None:
    limiter = RateLimiter(RateLimits(calls_per_minute=120), clock=clock)  # 2/s, burst 20
    start = clock.now()
    _drain(limiter, 20 + 120)
    assert 59.9 <= clock.now() - start <= 61.0


def test_no_minute_ever_sees_more_than_calls_per_minute(clock: FakeClock) -> None:
    limits = RateLimits(calls_per_minute=120)  # 2/s with a burst of 20
    limiter = RateLimiter(limits, clock=clock)
    starts = []
    for _ in range(400):
        with limiter.slot():
            starts.append(clock.now())
    busiest = max(
        sum(1 for t in starts if begin <= t < begin + 60.0) for begin in starts
    )
    assert busiest <= limits.calls_per_minute
    assert busiest >= limits.calls_per_minute - 2  # and the budget is really used


def test_concurrency_cap_holds_across_threads() -> None:
    limiter = RateLimiter(RateLimits(max_concurrency=3))
    peak = 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal peak
        with limiter.slot():
            with lock:
                peak = max(peak, limiter.in_flight)
            time.sleep(0.02)

    threads = [threading.Thread(target=work) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert peak == 3
    assert limiter.in_flight == 0


def test_a_waiting_call_proceeds_when_a_slot_is_released() -> None:
    limiter = RateLimiter(RateLimits(max_concurrency=1))
    limiter.acquire()
    got_slot = threading.Event()

    def second() -> None:
        with limiter.slot():
            got_slot.set()

    thread = threading.Thread(target=second)
    thread.start()
    assert not got_slot.wait(0.15)
    limiter.release()
    assert got_slot.wait(2)
    thread.join(2)


def test_pause_holds_back_every_caller(clock: FakeClock) -> None:
    limiter = RateLimiter(RateLimits(), clock=clock)
    resumed_at: list[float] = []
    limiter.pause(60.0)
    start = clock.now()

    def call() -> None:
        with limiter.slot():
            resumed_at.append(clock.now())

    threads = [threading.Thread(target=call) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(resumed_at) == 3
    assert all(t - start >= 60.0 for t in resumed_at)


def test_a_shorter_pause_never_cuts_a_running_one(clock: FakeClock) -> None:
    limiter = RateLimiter(RateLimits(), clock=clock)
    limiter.pause(60.0)
    limiter.pause(5.0)
    assert limiter.pause_remaining() == pytest.approx(60.0)
    clock.advance(61.0)
    assert limiter.pause_remaining() == 0.0


def test_cancel_interrupts_a_pause_wait_quickly() -> None:
    cancel = threading.Event()
    limiter = RateLimiter(RateLimits(), cancel_event=cancel)
    limiter.pause(30.0)
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            limiter.acquire()
        except CallCancelled as exc:
            outcome.append(exc)

    thread = threading.Thread(target=call)
    started = time.monotonic()
    thread.start()
    time.sleep(0.1)
    cancel.set()
    thread.join(2)
    assert len(outcome) == 1
    assert time.monotonic() - started < 1.0
    assert limiter.in_flight == 0


def test_cancel_interrupts_a_backoff_sleep() -> None:
    cancel = threading.Event()
    limiter = RateLimiter(RateLimits(), cancel_event=cancel)
    threading.Timer(0.1, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(CallCancelled):
        limiter.sleep(30.0)
    assert time.monotonic() - started < 1.0


def test_sleep_waits_the_given_time(clock: FakeClock) -> None:
    limiter = RateLimiter(RateLimits(), clock=clock)
    start = clock.now()
    limiter.sleep(2.5)
    assert 2.5 <= clock.now() - start <= 2.56


def test_an_already_cancelled_event_stops_before_any_wait() -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(CallCancelled):
        RateLimiter(RateLimits(), cancel_event=cancel).acquire()


@pytest.mark.parametrize("retry", [1, 2, 3, 4, 5, 8])
def test_backoff_stays_within_the_exponential_ceiling(retry: int) -> None:
    limits = RateLimits(backoff_base_s=0.5, backoff_max_s=5.0)
    ceiling = min(5.0, 0.5 * 2 ** (retry - 1))
    rng = random.Random(retry)
    delays = [backoff_delay(retry, limits, rng) for _ in range(2000)]
    assert all(0.0 <= d <= ceiling for d in delays)
    # full jitter: the samples spread over the whole range
    assert min(delays) < ceiling * 0.05
    assert max(delays) > ceiling * 0.95


def test_backoff_is_capped_even_for_absurd_retry_numbers() -> None:
    limits = RateLimits(backoff_base_s=0.5, backoff_max_s=30.0)
    rng = random.Random(1)
    assert all(backoff_delay(10_000, limits, rng) <= 30.0 for _ in range(100))


def test_limits_reject_nonsense() -> None:
    with pytest.raises(ValueError):
        RateLimits(max_concurrency=0)
    with pytest.raises(ValueError):
        RateLimits(calls_per_minute=0)
