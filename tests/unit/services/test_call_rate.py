"""The call rate shown during a batch is measured the way the profile's limit is."""

from __future__ import annotations

from desktop.services.tagging import calls_per_minute


def test_a_short_burst_is_counted_not_extrapolated() -> None:
    # 265 calls in one second used to read "15900 calls/min" beside a 6000 limit
    assert calls_per_minute(265, 1.0) == 265
    assert calls_per_minute(5999, 59.9) == 5999


def test_a_long_run_shows_its_average_per_minute() -> None:
    assert calls_per_minute(12_000, 120.0) == 6000
    assert calls_per_minute(0, 300.0) == 0
