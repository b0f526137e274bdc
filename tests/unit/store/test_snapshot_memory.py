"""Writing a sync's snapshot streams its rows into SQLite instead of listing them first."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from desktop.domain.sort_key import person_sort_key
from desktop.store.db import Cache
from desktop.store.direct_sync import open_sync_write
from desktop.store.snapshot import (
    CustomerRow,
    GroupRow,
    RelationRow,
    Snapshot,
    TagRow,
    write_snapshot,
)

RELATIONS = 2000
TAGS_EACH = 40


def _snapshot() -> Snapshot:
    tags = [TagRow(id=f"et{i:03d}", group_id="eg1", name=f"标签{i}") for i in range(TAGS_EACH)]
    return Snapshot(
        groups=[GroupRow(id="eg1", name="组")],
        tags=tags,
        customers=[CustomerRow(external_userid=f"wm{i:05d}", name=f"客户{i}")
                   for i in range(RELATIONS)],
        relations=[RelationRow(external_userid=f"wm{i:05d}", userid="zhangsan",
                               tag_ids=tuple(t.id for t in tags)) for i in range(RELATIONS)],
    )


def test_a_first_sync_does_not_hold_its_links_in_a_list(tmp_path: Path) -> None:
    snap = _snapshot()
    person_sort_key("客户")  # the pinyin tables load once per process, not per sync
    with Cache(tmp_path / "c.sqlite") as cache:
        tracemalloc.start()
        try:
            written = write_snapshot(cache, snap)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert written.tag_links == RELATIONS * TAGS_EACH
        assert cache.scalar("SELECT count(*) FROM relation_tag") == RELATIONS * TAGS_EACH
    # 80,000 links listed as (relation id, tag pk) tuples take about 5 MB on their own
    assert peak < 2_500_000, f"{peak:,} bytes traced while writing"


def test_a_first_sync_written_directly_holds_no_more_than_its_page(tmp_path: Path) -> None:
    snap = _snapshot()
    person_sort_key("客户")
    with Cache(tmp_path / "c.sqlite") as cache:
        tracemalloc.start()
        try:
            with open_sync_write(cache, snap) as target:
                for start in range(0, RELATIONS, 100):
                    target.add(snap.customers[start:start + 100],
                               snap.relations[start:start + 100])
                written = target.write(snap)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert written.tag_links == RELATIONS * TAGS_EACH
        assert cache.scalar("SELECT count(*) FROM relation_tag") == RELATIONS * TAGS_EACH
    assert peak < 2_500_000, f"{peak:,} bytes traced while writing"
