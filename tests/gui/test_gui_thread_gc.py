"""Reference cycles are collected on the GUI thread only, and not while a bulk job runs."""

from __future__ import annotations

import gc
import threading
from typing import Any

import pytest

from desktop.ui import gui_thread_gc
from desktop.ui.gui_thread_gc import GuiThreadCollector, due_generation

pytestmark = pytest.mark.gui


class _Cycle:
    """Garbage only the cyclic collector frees; it notes the thread that freed it."""

    def __init__(self, freed_on: list[str]) -> None:
        self.me = self
        self.freed_on = freed_on

    def __del__(self) -> None:
        self.freed_on.append(threading.current_thread().name)


def _allocations() -> list[list[int]]:
    """Twice as many new container objects as make a collection of the youngest generation due."""
    return [[] for _ in range(max(gc.get_threshold()[0], 700) * 2)]


def test_the_generation_due_follows_pythons_thresholds() -> None:
    assert due_generation((700, 0, 0), (700, 10, 10)) is None
    assert due_generation((701, 0, 0), (700, 10, 10)) == 0
    assert due_generation((701, 10, 0), (700, 10, 10)) == 1
    assert due_generation((701, 10, 10), (700, 10, 10)) == 2
    assert due_generation((5000, 10, 10), (0, 10, 10)) is None     # collection turned off


def test_a_cycle_dropped_while_a_worker_allocates_is_freed_on_the_gui_thread(qtbot: Any) -> None:
    # A sync of an earlier test in this process may still be winding down: it pauses collections.
    qtbot.waitUntil(lambda: not gui_thread_gc.is_paused(), timeout=30000)
    collector = GuiThreadCollector(interval_ms=50)
    collector.start()       # as the app does; the GUI tests' own collector is already on
    freed_on: list[str] = []
    kept: list[list[list[int]]] = []
    thresholds = gc.get_threshold()
    # Low thresholds: a collection is due at once, whatever other threads free meanwhile.
    gc.set_threshold(10, 1, 1)
    try:
        _Cycle(freed_on)
        worker = threading.Thread(target=lambda: kept.append(_allocations()), name="pool worker")
        worker.start()
        worker.join()
        assert freed_on == [] and not gc.isenabled()
        counts = gc.get_count()
        try:
            qtbot.waitUntil(lambda: freed_on != [], timeout=10000)
        except qtbot.TimeoutError:
            pytest.fail(f"not collected: counts {counts}, now {gc.get_count()}, thresholds"
                        f" {gc.get_threshold()}, paused {gui_thread_gc.is_paused()},"
                        f" collections {collector.collections}")
    finally:
        gc.set_threshold(*thresholds)
        collector.deleteLater()
    assert freed_on == [threading.main_thread().name]


def test_a_paused_collector_waits_until_every_pause_has_ended(qtbot: Any) -> None:
    collector = GuiThreadCollector()
    freed_on: list[str] = []
    entered, leave = threading.Event(), threading.Event()

    def bulk_job() -> None:
        with gui_thread_gc.paused():
            entered.set()
            leave.wait(5)

    worker = threading.Thread(target=bulk_job)
    worker.start()
    entered.wait(5)
    try:
        with gui_thread_gc.paused():
            _Cycle(freed_on)
            kept = _allocations()
        assert gui_thread_gc.is_paused() and not gc.isenabled()
        assert collector.collect_if_due() is None and freed_on == []
    finally:
        leave.set()
        worker.join()
    assert not gui_thread_gc.is_paused()
    assert collector.collect_if_due() is not None and freed_on == ["MainThread"]
    assert kept
    collector.deleteLater()
