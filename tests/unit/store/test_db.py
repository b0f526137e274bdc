"""Opening caches: migrations, foreign files, newer schemas, a second writer."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.store.db import Cache
from desktop.store.errors import (
    CacheLockedError,
    CacheTooNewError,
    DamagedCacheError,
    NotACacheError,
)
from desktop.store.schema import SCHEMA_VERSION
from tests.damaged_journal import journal_with_a_damaged_page
from tests.unit.store.older_cache import cache_at_version


def test_new_cache_is_created_at_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite") as cache:
        assert cache.schema_version == SCHEMA_VERSION
        assert cache.scalar("PRAGMA journal_mode") == "wal"


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_an_older_cache_is_upgraded_and_keeps_its_data(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.sqlite"
    cache_at_version(path, version).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO meta(key, value) VALUES ('last_sync_at', '123')")
    conn.commit()
    conn.close()
    with Cache(path) as cache:
        assert cache.schema_version == SCHEMA_VERSION
        assert cache.get_meta("last_sync_at") == "123"


def test_an_upgraded_cache_keeps_its_customers_and_relations_under_keys_of_their_own(
        tmp_path: Path) -> None:
    """Schema 27 makes the customers' and relations' tables again with their keys as unique
    indexes: rows, relation ids and customer rowids are kept, the keys still refuse a
    duplicate and the tables' triggers still fire."""
    path = tmp_path / "old.sqlite"
    conn = cache_at_version(path, 26)
    conn.execute("INSERT INTO customer (rowid, external_userid, name, unionid) VALUES"
                 " (7, 'wm1', '张三', 'un1'), (9, 'wm2', '李四', '')")
    conn.execute("INSERT INTO relation (id, external_userid, userid, remark, tag_count, sync_sig)"
                 " VALUES (3, 'wm1', 'u1', '备注', 1, 42), (5, 'wm2', 'u1', '', 0, NULL)")
    conn.commit()
    rows = [conn.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()
            for table in ("customer", "relation")]
    conn.close()
    with Cache(path) as cache:
        connection = cache.connection()
        assert [connection.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()
                for table in ("customer", "relation")] == rows
        with pytest.raises(sqlite3.IntegrityError), cache.write() as tx:
            tx.execute("INSERT INTO customer (external_userid) VALUES ('wm1')")
        with pytest.raises(sqlite3.IntegrityError), cache.write() as tx:
            tx.execute("INSERT INTO relation (external_userid, userid) VALUES ('wm2', 'u1')")
        with cache.write() as tx:
            tx.execute("INSERT INTO customer (external_userid, name) VALUES ('wm1', '张三丰')"
                       " ON CONFLICT(external_userid) DO UPDATE SET name = excluded.name")
            tx.execute("UPDATE relation_search SET folded = 'x'")
            tx.execute("DELETE FROM relation WHERE id = 5")
        assert cache.scalar("SELECT name FROM customer WHERE external_userid = 'wm1'") == "张三丰"
        assert connection.execute("SELECT relation_id, folded FROM relation_search").fetchall() \
            == [(3, "x")]
        with Cache(tmp_path / "new.sqlite") as fresh:
            schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
            assert connection.execute(schema).fetchall() == \
                fresh.connection().execute(schema).fetchall()


def test_a_cache_from_a_newer_tagdesk_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    cache_at_version(path, SCHEMA_VERSION).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(CacheTooNewError, match="upgrade TagDesk"):
        Cache(path)


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    content = b"these are my notes, not a database\n" * 200
    path.write_bytes(content)
    with pytest.raises(DamagedCacheError, match=r"is damaged .* move notes\.sqlite .* aside"):
        Cache(path)
    assert path.read_bytes() == content


def test_a_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()
    with pytest.raises(NotACacheError):
        Cache(path)


def test_a_second_writer_is_refused_while_the_first_holds_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    with Cache(path, exclusive=True):
        with pytest.raises(CacheLockedError, match="in use by another TagDesk"):
            Cache(path, exclusive=True)
        with Cache(path) as reader:  # readers are welcome
            assert reader.schema_version == SCHEMA_VERSION
    with Cache(path, exclusive=True):  # released on close
        pass


def test_a_failed_write_rolls_back(tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite") as cache:
        with pytest.raises(RuntimeError), cache.write() as conn:
            cache.set_meta(conn, "k", "v")
            raise RuntimeError("boom")
        assert cache.get_meta("k") == ""


def test_a_cache_held_by_another_process_is_refused_naming_it_and_freed_when_it_dies(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.sqlite"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from desktop.store.db import Cache;"
         f" c = Cache(Path({str(path)!r}), exclusive=True); print('held', flush=True);"
         " sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(CacheLockedError, match=f"pid {holder.pid}"):
            Cache(path, exclusive=True)
    finally:
        holder.kill()  # no clean release: the OS frees the lock
        holder.wait(10)
    with Cache(path, exclusive=True):
        pass


def test_a_writer_that_reads_its_journal_later_opens_and_refuses_every_write_on_damage(
        tmp_path: Path) -> None:
    """The GUI opens its cache without reading every journal page first (0.5-0.8 s at a
    million rows before the window showed): the first write, or the check the window starts
    once it has painted, reads them, and a damaged page refuses that write and every other."""
    path = tmp_path / "c.sqlite"
    journal_with_a_damaged_page(path)
    with pytest.raises(DamagedCacheError, match="writes nothing more"):
        Cache(path, exclusive=True)       # a command reads them before anything else
    with Cache(path, exclusive=True, check_later=True) as cache:
        assert cache.get_meta("last_sync_at") == ""      # reading goes on
        for _ in range(2):
            with pytest.raises(DamagedCacheError, match="writes nothing more"), cache.write() as tx:
                cache.set_meta(tx, "last_sync_at", "1")
        with pytest.raises(DamagedCacheError):
            cache.check_journal()
        assert cache.get_meta("last_sync_at") == ""
        with pytest.raises(CacheLockedError):
            Cache(path, exclusive=True, check_later=True)   # still the one writer


def test_a_sound_journal_read_later_lets_writes_through(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    Cache(path).close()
    with Cache(path, exclusive=True, check_later=True) as cache:
        with cache.write() as tx:
            cache.set_meta(tx, "last_sync_at", "1")
        cache.check_journal()
        assert cache.get_meta("last_sync_at") == "1"
