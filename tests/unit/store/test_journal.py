"""The hash chain notices every kind of tampering and names the first bad row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.store import journal
from desktop.store.db import Cache


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    cache = Cache(tmp_path / "c.sqlite")
    with cache.write() as conn:
        journal.append(conn, [
            journal.JournalEntry(operator="zhangsan", action="tag_add", source="app",
                                 external_userid=f"wm{i}", userid="zhangsan",
                                 tag_id="etA", tag_name="高意向", group_name="意向程度")
            for i in range(1, 6)
        ])
    return cache


def _tamper(cache: Cache, *statements: str) -> None:
    conn = sqlite3.connect(cache.path)
    conn.execute("DROP TRIGGER journal_no_update")
    conn.execute("DROP TRIGGER journal_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_a_clean_chain_verifies(cache: Cache) -> None:
    result = journal.verify(cache)
    assert result.ok and result.rows_checked == 5


def test_appending_continues_the_chain(cache: Cache) -> None:
    with cache.write() as conn:
        journal.append(conn, [journal.JournalEntry(operator="lisi", action="tag_remove",
                                                   source="batch", batch_id="b1")])
    assert journal.verify(cache).rows_checked == 6


def test_the_journal_refuses_updates_and_deletes(cache: Cache) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), cache.write() as conn:
        conn.execute("UPDATE journal SET operator = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), cache.write() as conn:
        conn.execute("DELETE FROM journal")


def test_an_edited_row_is_named(cache: Cache) -> None:
    _tamper(cache, "UPDATE journal SET tag_name = '低意向' WHERE id = 3")
    result = journal.verify(cache)
    assert not result.ok and result.first_bad_id == 3 and "edited" in result.problem


def test_a_deleted_row_is_named(cache: Cache) -> None:
    _tamper(cache, "DELETE FROM journal WHERE id = 2")
    result = journal.verify(cache)
    assert not result.ok and result.first_bad_id == 2


def test_a_deleted_row_with_renumbered_ids_is_named(cache: Cache) -> None:
    _tamper(cache, "DELETE FROM journal WHERE id = 2",
            "UPDATE journal SET id = id - 1 WHERE id > 2")
    result = journal.verify(cache)
    assert not result.ok and result.first_bad_id == 2


def test_two_swapped_rows_are_named(cache: Cache) -> None:
    _tamper(
        cache,
        "UPDATE journal SET id = -1 WHERE id = 2",
        "UPDATE journal SET id = 2 WHERE id = 4",
        "UPDATE journal SET id = 4 WHERE id = -1",
    )
    result = journal.verify(cache)
    assert not result.ok and result.first_bad_id == 2


def test_rows_cut_off_the_end_are_noticed(cache: Cache) -> None:
    _tamper(cache, "DELETE FROM journal WHERE id >= 4")
    result = journal.verify(cache)
    assert not result.ok and result.first_bad_id == 4 and "cut off" in result.problem
