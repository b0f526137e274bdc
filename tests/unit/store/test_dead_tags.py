"""Which linked tags are dead (deleted, in a deleted group or unknown): the tag-count filters
leave their links out. Found without a probe of every linked tag, and the same as one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.store import filter_leaves
from desktop.store.db import Cache
from desktop.store.filter_catalogue import LIVE_TAG_PKS

EVERY_LINKED_DEAD = (f"SELECT DISTINCT tag_pk FROM relation_tag WHERE tag_pk NOT IN"
                     f" ({LIVE_TAG_PKS})")


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    with Cache(tmp_path / "cache.sqlite") as cache:
        with cache.write() as tx:
            tx.executemany("INSERT INTO tag_group (id, name, deleted) VALUES (?, ?, ?)",
                           [("g1", "意向", 0), ("g2", "旧组", 1)])
            tx.executemany(
                "INSERT INTO tag (pk, id, group_id, name, deleted) VALUES (?, ?, ?, ?, ?)",
                [(pk, f"t{pk}", "g2" if pk == 8 else "g1", f"标签{pk}", int(pk == 5))
                 for pk in (3, 4, 5, 8, 9, 20, 21)])
            tx.execute("INSERT INTO customer (external_userid, name) VALUES ('wm1', '甲')")
            tx.executemany("INSERT INTO relation (id, external_userid, userid) VALUES (?, 'wm1', ?)",
                           [(1, "u1"), (2, "u2")])
        yield cache


def _dead(cache: Cache) -> tuple[frozenset[int], frozenset[int]]:
    conn = cache.connection()
    return (filter_leaves.dead_linked(conn),
            frozenset(row[0] for row in conn.execute(EVERY_LINKED_DEAD)))


@pytest.mark.parametrize("links", [
    [],  # nothing linked
    [3, 4, 9],  # only live tags
    [5, 8],  # deleted, and in a deleted group
    [1, 2, 6, 7, 10, 15, 19, 22, 500, -4, 2**62],  # unknown: below, in the gaps, above
    [3, 5, 6, 8, 21, 22],
    [4, 20, 21, 23, 24, 25, 100],  # several unknown in one gap above the known
])
def test_the_dead_linked_tags_are_every_linked_pk_that_is_not_live(
        cache: Cache, links: list[int]) -> None:
    with cache.write() as tx:
        tx.executemany("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (?, ?)",
                       [(1 + i % 2, pk) for i, pk in enumerate(links)])
    found, expected = _dead(cache)
    assert found == expected == frozenset(links) - {3, 4, 9, 20, 21}


def test_without_any_tag_every_linked_pk_is_unknown(cache: Cache) -> None:
    with cache.write() as tx:
        tx.executemany("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (1, ?)",
                       [(pk,) for pk in (1, 7, 40)])
        tx.execute("DELETE FROM tag")
    found, expected = _dead(cache)
    assert found == expected == {1, 7, 40}
