"""The hash chain notices every kind of tampering and names the first bad row; the head in
`meta` and in the file beside the cache, and the append-only triggers, guard its end."""

from __future__ import annotations

import sqlite3
import stat
import sys
from pathlib import Path

import pytest

from desktop.store import journal, journal_head
from desktop.store.db import Cache, _statements
from desktop.store.journal_query import JournalFilter, count, load_rows
from desktop.store.schema import MIGRATIONS


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


def _forge(cache: Cache, *statements: str) -> None:
    """Tamper, then recompute the whole (unkeyed) chain and the head in `meta`."""
    _tamper(cache, *statements)
    conn = sqlite3.connect(cache.path)
    columns = ", ".join(("id", *journal.FIELDS, *journal.EXTENSIONS))
    prev = journal.GENESIS
    for row in conn.execute(f"SELECT {columns} FROM journal ORDER BY id").fetchall():
        digest = journal.row_hash(row[0], tuple(row[1:]), prev)
        conn.execute("UPDATE journal SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest,
                                                                                 row[0]))
        prev = digest
    last = conn.execute("SELECT max(id) FROM journal").fetchone()[0]
    conn.execute("UPDATE meta SET value = ? WHERE key = 'journal_head'", (f"{last}:{prev}",))
    _restore_triggers(conn)
    conn.commit()
    conn.close()


def _restore_triggers(conn: sqlite3.Connection) -> None:
    for name, verb in (("journal_no_update", "UPDATE"), ("journal_no_delete", "DELETE")):
        conn.execute(f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {verb} ON journal"
                     " BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END")


def test_the_head_is_kept_beside_the_cache_for_its_owner_only(cache: Cache) -> None:
    head = journal_head.path_for(cache.path)
    assert head.read_text().strip() == cache.get_meta(journal.HEAD_KEY)
    assert head.read_text().startswith("5:")
    if sys.platform != "win32":
        assert stat.S_IMODE(head.stat().st_mode) == 0o600


def test_tail_rows_cut_off_with_the_head_in_meta_are_noticed(cache: Cache) -> None:
    _tamper(cache, "DELETE FROM journal WHERE id >= 4", "DELETE FROM meta WHERE key = "
            "'journal_head'")
    result = journal.verify(cache)
    assert not result.ok and result.first_bad_id == 4
    assert any("journal_head" in p for p in result.problems)
    assert any("head file" in p and "row 5" in p for p in result.problems)


def test_a_whole_journal_deleted_in_a_cache_with_applied_batches_is_noticed(
    cache: Cache,
) -> None:
    with cache.write() as conn:
        conn.execute("INSERT INTO batch (id, created_at, operator, source, status)"
                     " VALUES ('b1', 0, 'zhangsan', 'batch', 'done')")
        conn.execute("INSERT INTO outbox (batch_id, seq, kind, payload, status)"
                     " VALUES ('b1', 1, 'mark_tag', '{}', 'done')")
    _tamper(cache, "DELETE FROM journal", "DELETE FROM meta WHERE key = 'journal_head'")
    journal_head.path_for(cache.path).unlink()
    result = journal.verify(cache)
    assert not result.ok and result.rows_checked == 0
    assert any("empty" in p and "1 applied batches" in p for p in result.problems)


def test_a_chain_recomputed_after_an_edit_differs_from_the_head_file(cache: Cache) -> None:
    _forge(cache, "UPDATE journal SET operator = 'lisi' WHERE id = 2")
    result = journal.verify(cache)
    assert not result.ok and result.first_bad_id == 5
    assert "rewritten" in result.problem


def test_dropped_append_only_triggers_are_noticed(cache: Cache) -> None:
    _tamper(cache)
    result = journal.verify(cache)
    assert not result.ok and result.first_bad_id is None
    assert "journal_no_update, journal_no_delete" in result.problem


def test_a_head_file_left_behind_by_a_crash_is_no_alarm_and_catches_up(cache: Cache) -> None:
    head = journal_head.path_for(cache.path)
    before = head.read_text()
    with cache.write() as conn:
        journal.append(conn, [journal.JournalEntry(
            operator="zhangsan", action="tag_add", source="app", external_userid="wm9",
            userid="zhangsan")])
    head.write_text(before)  # killed between the commit and the head file's update
    result = journal.verify(cache)
    assert result.ok, result.problems
    assert head.read_text().strip() == cache.get_meta(journal.HEAD_KEY)
    _forge(cache, "UPDATE journal SET operator = 'lisi' WHERE id = 2")
    assert not journal.verify(cache, full=True).ok  # rows it pinned stay pinned


def test_a_missing_head_file_is_noticed(cache: Cache) -> None:
    journal_head.path_for(cache.path).unlink()
    result = journal.verify(cache)
    assert not result.ok and "head file" in result.problem


def test_the_new_fields_are_covered_by_the_hash(cache: Cache) -> None:
    with cache.write() as conn:
        journal.append(conn, [journal.JournalEntry(
            operator="", action="tag_add", source="observed", external_userid="wm9",
            userid="lisi", probable_operator="lisi", seen_after=1.0)])
    assert journal.verify(cache).ok
    _tamper(cache, "UPDATE journal SET probable_operator = 'wangwu' WHERE id = 6")
    result = journal.verify(cache)
    assert not result.ok and result.first_bad_id == 6


def test_an_older_cache_migrates_and_keeps_verifying(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    for version in (0, 1):
        for statement in _statements(MIGRATIONS[version]):
            conn.execute(statement)
    old_fields = journal.FIELDS
    rows = [(1.0, "zhangsan", "tag_add", "observed", "", "wm1", "lisi", "etA", "高意向",
             "意向程度", "[]", '["etA"]', ""),
            (2.0, "zhangsan", "tag_add", "app", "", "wm2", "zhangsan", "etA", "高意向",
             "意向程度", "[]", '["etA"]', "")]
    prev = journal.GENESIS
    for n, values in enumerate(rows, start=1):
        digest = journal.row_hash(n, values, prev)
        conn.execute(f"INSERT INTO journal (id, {', '.join(old_fields)}, prev_hash, hash)"
                     f" VALUES (?, {', '.join('?' * len(old_fields))}, ?, ?)",
                     (n, *values, prev, digest))
        prev = digest
    conn.execute("INSERT INTO meta (key, value) VALUES ('journal_head', ?)", (f"2:{prev}",))
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()

    cache = Cache(path)
    assert journal_head.read(path) == f"2:{prev}"   # the upgrade anchors the head outside
    assert journal.verify(cache).ok
    seen, own = load_rows(cache, [1, 2])
    # whoever synced was recorded on the old observed row: it now reads as nobody's
    assert (seen.operator, seen.probable_operator) == ("", "lisi")
    assert (own.operator, own.probable_operator) == ("zhangsan", "")
    assert count(cache, JournalFilter(operators=("zhangsan",))) == 1
    cache.close()


def test_a_new_cache_where_an_old_one_was_sets_the_old_head_aside(cache: Cache) -> None:
    path = cache.path
    cache.close()
    moved = path.with_name("damaged.sqlite")
    path.replace(moved)
    fresh = Cache(path)
    assert journal_head.read(path) is None
    assert journal_head.path_for(path).with_name(path.name + ".head.old").exists()
    assert journal.verify(fresh).ok
    fresh.close()


def _append(cache: Cache, count: int) -> None:
    with cache.write() as conn:
        journal.append(conn, [journal.JournalEntry(operator="lisi", action="tag_remove",
                                                   source="batch", batch_id="b2")] * count)


def test_a_verify_walks_only_the_rows_after_the_last_checkpoint(cache: Cache) -> None:
    first = journal.verify(cache)
    assert first.ok and (first.rows_checked, first.rows_walked, first.full) == (5, 5, True)
    checkpoint = journal_head.checkpoint_path_for(cache.path)
    assert stat.S_IMODE(checkpoint.stat().st_mode) == 0o600 or sys.platform == "win32"
    _append(cache, 3)
    second = journal.verify(cache)
    assert second.ok and (second.rows_checked, second.rows_walked, second.full) == (8, 3, False)
    assert journal_head.read_checkpoint(cache.path) == cache.get_meta(journal.HEAD_KEY)
    full = journal.verify(cache, full=True)
    assert full.ok and (full.rows_checked, full.rows_walked, full.full) == (8, 8, True)


def test_tampering_before_the_checkpoint_is_caught_by_a_full_verify(cache: Cache) -> None:
    assert journal.verify(cache).ok
    conn = sqlite3.connect(cache.path)
    conn.execute("DROP TRIGGER journal_no_update")
    conn.execute("UPDATE journal SET tag_name = '低意向' WHERE id = 2")
    _restore_triggers(conn)
    conn.commit()
    conn.close()
    assert journal.verify(cache).ok  # the incremental walk trusts what it checked before
    result = journal.verify(cache, full=True)
    assert not result.ok and result.first_bad_id == 2 and "edited" in result.problem


@pytest.mark.parametrize(("recorded", "bad_id", "word"), [
    ("5:" + "0" * 64, 5, "checkpoint"),
    ("9:" + "0" * 64, 9, "checkpoint"),
    ("garbage", None, "damaged"),
], ids=["another hash", "past the end", "damaged"])
def test_a_checkpoint_that_does_not_match_the_chain_fails(
    cache: Cache, recorded: str, bad_id: int | None, word: str
) -> None:
    journal_head.write_checkpoint(cache.path, recorded)
    for full in (False, True):
        result = journal.verify(cache, full=full)
        assert not result.ok and result.first_bad_id == bad_id
        assert any(word in problem for problem in result.problems)
        assert result.rows_checked == 5  # the whole chain was walked to say where it breaks


def test_a_forged_chain_fails_against_the_checkpoint(cache: Cache) -> None:
    assert journal.verify(cache).ok
    _forge(cache, "UPDATE journal SET operator = 'lisi' WHERE id = 2")
    journal_head.write(cache.path, str(cache.get_meta(journal.HEAD_KEY)))
    result = journal.verify(cache)
    assert not result.ok and result.first_bad_id == 5 and "checkpoint" in result.problem


def test_a_new_cache_where_an_old_one_was_sets_the_old_checkpoint_aside(cache: Cache) -> None:
    assert journal.verify(cache).ok
    path = cache.path
    cache.close()
    path.replace(path.with_name("damaged.sqlite"))
    fresh = Cache(path)
    assert journal_head.read_checkpoint(path) is None
    with fresh.write() as conn:
        journal.append(conn, [journal.JournalEntry(operator="lisi", action="tag_add",
                                                   source="app")])
    assert journal.verify(fresh).ok
    fresh.close()
