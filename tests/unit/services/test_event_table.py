"""Exporting behaviour events from a real cache file: the filter's events newest first with
the customer's name, progress as it goes, and a cancel that leaves no file behind."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.domain.events import Event
from desktop.services import event_table
from desktop.services.event_table import EventFilter, export_events
from desktop.services.progress import CancelToken, OperationCancelled, Progress
from desktop.store import events
from desktop.store.db import Cache


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    with Cache(tmp_path / "cache.sqlite") as opened:
        with opened.write() as conn:
            events.insert_new(conn, [
                Event(f"k{n}", 1_764_550_000 + n * 60, f"wm{n % 3}", "zhangsan",
                      "order_paid" if n % 2 else "content_viewed", "年度会员", "",
                      float(n) if n % 2 else None) for n in range(25)], "test")
            conn.execute("INSERT INTO customer (external_userid, name) VALUES ('wm1', '王小明')")
        yield opened


def test_the_export_holds_the_filters_events_newest_first_with_progress(
        cache: Cache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(event_table, "NAMES_AT_ONCE", 5)
    seen: list[Progress] = []
    path = tmp_path / "paid.csv"
    assert export_events(cache, path, EventFilter(kind="order_paid"), progress=seen.append) == 12
    with path.open(encoding="utf-8-sig", newline="") as file:
        header, *rows = list(csv.reader(file))
    assert header == [c.key for c in event_table.EXPORT_COLUMNS]
    assert [row[7] for row in rows] == [f"{n:.1f}" for n in range(23, 0, -2)]
    assert {(row[1], row[2]) for row in rows} == {("wm0", ""), ("wm1", "王小明"), ("wm2", "")}
    assert [(p.done, p.total) for p in seen] == [(5, 12), (10, 12)]


def test_a_cancelled_export_leaves_no_file(cache: Cache, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(event_table, "NAMES_AT_ONCE", 5)
    cancel = CancelToken()
    cancel.cancel()
    path = tmp_path / "all.xlsx"
    with pytest.raises(OperationCancelled):
        export_events(cache, path, EventFilter(), cancel=cancel)
    assert list(tmp_path.glob("*.xlsx")) == []
