"""Counters shared by request threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from desktop.sandbox.stats import SandboxStats


def test_counts_from_many_threads_add_up() -> None:
    stats = SandboxStats()

    def work(_: int) -> None:
        for _ in range(500):
            stats.record_call("externalcontact/mark_tag")
            stats.record_error(45033)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(8)))
    assert stats.calls("externalcontact/mark_tag") == 4000
    assert stats.calls() == 4000
    assert stats.errors(45033) == 4000
    assert stats.errors(45009) == 0


def test_snapshot_in_flight_and_reset() -> None:
    stats = SandboxStats()
    stats.record_call("gettoken")
    stats.record_error(40001)
    stats.record_fault("drop")
    stats.enter("externalcontact/mark_tag")
    assert stats.in_flight("externalcontact/mark_tag") == 1
    assert stats.snapshot() == {
        "calls": {"gettoken": 1},
        "errors": {"40001": 1},
        "faults": {"drop": 1},
    }
    stats.leave("externalcontact/mark_tag")
    assert stats.in_flight("externalcontact/mark_tag") == 0
    stats.reset()
    assert stats.calls() == 0 and stats.errors(40001) == 0 and stats.faults("drop") == 0
