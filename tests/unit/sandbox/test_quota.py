"""Minute windows and blocks of the per-(corp, API) quota."""

from __future__ import annotations

from desktop.sandbox.quota import QuotaLimiter

KEY = ("wwcorp", "externalcontact/mark_tag")
OTHER = ("wwcorp", "externalcontact/get")


class Clock:
    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_no_quota_admits_everything() -> None:
    limiter = QuotaLimiter(0, 60, Clock())
    assert all(limiter.admit(KEY) for _ in range(10_000))


def test_overrun_blocks_the_api_for_the_block_time() -> None:
    clock = Clock(1_200.0)
    limiter = QuotaLimiter(3, 60, clock)
    assert [limiter.admit(KEY) for _ in range(4)] == [True, True, True, False]
    assert limiter.admit(OTHER), "other APIs have their own window"
    clock.now += 59.9
    assert not limiter.admit(KEY), "still blocked"
    clock.now += 0.2
    assert [limiter.admit(KEY) for _ in range(4)] == [True, True, True, False]


def test_a_new_minute_window_starts_a_new_count() -> None:
    clock = Clock(1_200.0)
    limiter = QuotaLimiter(2, 60, clock)
    assert limiter.admit(KEY) and limiter.admit(KEY)
    clock.now = 1_259.9
    assert not limiter.admit(KEY), "same minute window"
    clock = Clock(1_200.0)
    limiter = QuotaLimiter(2, 60, clock)
    assert limiter.admit(KEY) and limiter.admit(KEY)
    clock.now = 1_260.0
    assert limiter.admit(KEY) and limiter.admit(KEY)
    assert not limiter.admit(KEY)


def test_configure_starts_afresh() -> None:
    clock = Clock()
    limiter = QuotaLimiter(1, 60, clock)
    limiter.admit(KEY)
    assert not limiter.admit(KEY)
    limiter.configure(per_min=5)
    assert all(limiter.admit(KEY) for _ in range(5))
    limiter.configure(block_s=0.5)
    assert not limiter.admit(KEY)
    clock.now += 0.6
    assert limiter.admit(KEY)


def test_windows_are_counted_from_the_moment_the_quota_is_set() -> None:
    """A quota set a moment before a clock minute ends still counts the calls made just
    after it in the same window (a test's few calls never straddle two windows)."""
    clock = Clock(1_259.5)
    limiter = QuotaLimiter(0, 60, clock)
    limiter.configure(per_min=2)
    assert limiter.admit(KEY)
    clock.now = 1_260.5
    assert limiter.admit(KEY)
    assert not limiter.admit(KEY), "the same window: the quota was set 1 s ago"
    clock = Clock(1_259.5)
    limiter = QuotaLimiter(2, 60, clock)
    assert limiter.admit(KEY) and limiter.admit(KEY)
    clock.now = 1_319.5
    assert limiter.admit(KEY), "a minute after the quota was set, a new window"
