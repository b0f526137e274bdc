"""Lookups by long value lists: every value is asked for, a chunk at a time."""

from __future__ import annotations

import sqlite3

from desktop.store.in_chunks import IN_CHUNK, chunks, placeholders, rows_in


def test_rows_in_finds_every_value_across_chunks_with_the_leading_parameters() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, kind TEXT)")
    conn.executemany("INSERT INTO item VALUES (?, ?)",
                     [(i, "even" if i % 2 == 0 else "odd") for i in range(3 * IN_CHUNK)])
    statements: list[int] = []

    def query(sql: str, params: list[object]) -> sqlite3.Cursor:
        statements.append(len(params))
        return conn.execute(sql, params)

    wanted = list(range(1, 2 * IN_CHUNK + 7))
    found = [row[0] for row in rows_in(
        query, "SELECT id FROM item WHERE kind = ? AND id IN ({marks})", wanted, before=["odd"])]
    assert found == [i for i in wanted if i % 2 == 1]
    assert statements == [IN_CHUNK + 1, IN_CHUNK + 1, 7]


def test_chunks_and_placeholders() -> None:
    assert list(chunks([1, 2, 3, 4, 5], 2)) == [[1, 2], [3, 4], [5]]
    assert list(chunks([], 2)) == []
    assert placeholders(["a", "b", "c"]) == "?,?,?"
