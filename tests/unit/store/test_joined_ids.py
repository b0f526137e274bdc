"""Ids joined by SQL's `group_concat` read back as integers."""

from __future__ import annotations

import sqlite3

from desktop.store import joined_ids


def test_a_group_concat_of_ids_reads_back_as_the_same_integers() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    ids = [1, 2, 9, 10, 99_999, 2**31, 2**63 - 1]
    conn.executemany("INSERT INTO t (id) VALUES (?)", [(i,) for i in ids])
    joined = conn.execute("SELECT group_concat(id) FROM (SELECT id FROM t ORDER BY id)"
                          ).fetchone()[0]
    assert joined_ids.parse(joined) == ids
    none = conn.execute("SELECT group_concat(id) FROM t WHERE id < 0").fetchone()[0]
    assert none is None and joined_ids.parse(none) == []
    assert joined_ids.parse("7") == [7]
