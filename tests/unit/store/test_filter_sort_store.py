"""The name and owner orders stored with the version of what they sort by, and read by an
engine on a just-opened cache only at that version (`desktop/store/filter_sort_store.py`)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from desktop.store import filter_leaves, filter_sort_store, sort_keys
from desktop.store.db import Cache
from desktop.store.filter_engine import FilterEngine
from desktop.store.filter_leaves import ORDER_SQL
from desktop.store.schema import SCHEMA_VERSION
from desktop.store.snapshot import bump_data_version
from tests.unit.store.bench_filter_module import load_bench_filter, small_cache_bytes
from tests.unit.store.older_cache import cache_at_version

ORDERS = ("name", "owner")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    bench: ModuleType = load_bench_filter()
    path = tmp_path_factory.mktemp("sort-store") / "bench.sqlite"
    small_cache_bytes(bench, path)
    with Cache(path) as cache, cache.write() as tx:
        sort_keys.refresh(tx)  # names sorted by their pinyin, as a sync leaves them
        bump_data_version(cache, tx)
    with Cache(path) as cache:
        cache.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.read_bytes()


@pytest.fixture
def path(tmp_path: Path, built: bytes) -> Path:
    path = tmp_path / "bench.sqlite"
    path.write_bytes(built)
    return path


@pytest.fixture
def built_from_sql(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The orders built from SQL."""
    built: list[str] = []
    ordered_ids = filter_leaves.ordered_ids

    def recorded(conn: sqlite3.Connection, order_by: str) -> list[int]:
        built.append(order_by)
        return ordered_ids(conn, order_by)

    monkeypatch.setattr(filter_leaves, "ordered_ids", recorded)
    yield built


def _prepared(path: Path) -> None:
    with Cache(path) as cache:
        FilterEngine(cache, on_cold=lambda: None).prepare(("createtime", *ORDERS))


def _in_sql(cache: Cache, order_by: str) -> list[int]:
    return [row[0] for row in cache.connection().execute(ORDER_SQL[order_by])]


def _first_pages(path: Path, order_by: str) -> tuple[list[int], list[int], list[int]]:
    """On a just-opened cache, every relation in `order_by` both ways as the GUI's engine
    answers (a cold filter from SQL unless the order is kept) and as an engine building what
    it needs answers (the same ids), and the order from SQL."""
    with Cache(path) as cache:
        answers = []
        for engine in (FilterEngine(cache, on_cold=lambda: None), FilterEngine(cache)):
            forwards = engine.relation_ids("", order_by=order_by, descending=False)
            backwards = engine.relation_ids("", order_by=order_by, descending=True)
            answers.append((forwards, backwards))
        assert answers[0] == answers[1]
        return *answers[0], _in_sql(cache, order_by)


def _write(path: Path, change: Callable[[sqlite3.Connection], object]) -> None:
    with Cache(path) as cache, cache.write() as tx:
        change(tx)
        bump_data_version(cache, tx)


@pytest.mark.parametrize("order_by", ORDERS)
def test_a_just_opened_cache_reads_the_stored_order(path: Path, built_from_sql: list[str],
                                                    order_by: str) -> None:
    _prepared(path)
    built_from_sql.clear()

    forwards, backwards, in_sql = _first_pages(path, order_by)

    assert built_from_sql == []
    assert forwards == in_sql
    assert backwards == in_sql[::-1]


def test_an_order_built_on_first_use_is_stored_when_the_cache_closes(
        path: Path, built_from_sql: list[str]) -> None:
    with Cache(path) as cache:
        engine = FilterEngine(cache)
        engine.relation_ids("高意向", order_by="name", limit=10)
        engine.relation_ids("", order_by="owner", limit=10)
        engine.store_kept()
    built_from_sql.clear()

    for order_by in ORDERS:
        forwards, _, in_sql = _first_pages(path, order_by)
        assert forwards == in_sql
    assert built_from_sql == []


CHANGES: dict[str, tuple[str, Callable[[sqlite3.Connection], object]]] = {
    "a customer renamed": ("name", lambda tx: tx.execute(
        "UPDATE customer SET name = '阿阿', name_sort = ? WHERE external_userid ="
        " (SELECT max(external_userid) FROM customer)", (sort_keys._sort_key("阿阿"),))),
    "a customer's key blanked": ("name", lambda tx: tx.execute(
        "UPDATE customer SET name_sort = '' WHERE external_userid ="
        " (SELECT max(external_userid) FROM customer)")),
    "a customer written again": ("name", lambda tx: tx.execute(
        "INSERT OR REPLACE INTO customer (external_userid, name, name_sort)"
        " SELECT external_userid, '阿阿', 'a' FROM customer WHERE external_userid ="
        " (SELECT max(external_userid) FROM customer)")),
    "a customer removed": ("name", lambda tx: tx.execute(
        "DELETE FROM customer WHERE external_userid = (SELECT max(external_userid)"
        " FROM customer)")),
    "a relation added": ("name", lambda tx: tx.execute(
        "INSERT INTO relation (id, external_userid, userid) SELECT max(id) + 1,"
        " (SELECT min(external_userid) FROM customer), 'u_new' FROM relation")),
    "a relation given to another customer": ("name", lambda tx: tx.execute(
        "UPDATE relation SET external_userid = (SELECT min(external_userid) FROM customer)"
        " WHERE id = (SELECT max(id) FROM relation)")),
    "a member renamed": ("owner", lambda tx: tx.execute(
        "UPDATE member SET name = '阿阿', name_sort = 'a' WHERE userid ="
        " (SELECT max(userid) FROM member)")),
    "the members written again, one renamed": ("owner", lambda tx: [tx.execute(statement) for
                                                     statement in (
        "CREATE TEMP TABLE kept AS SELECT * FROM member", "DELETE FROM member",
        "INSERT INTO member SELECT * FROM kept",
        "UPDATE member SET name_sort = 'a' WHERE userid = (SELECT max(userid) FROM member)",
        "DROP TABLE temp.kept")]),
    "a customer renamed, by owner": ("owner", lambda tx: tx.execute(
        "UPDATE customer SET name = '阿阿', name_sort = ? WHERE external_userid ="
        " (SELECT max(external_userid) FROM customer)", (sort_keys._sort_key("阿阿"),))),
    "a relation given to another owner": ("owner", lambda tx: tx.execute(
        "UPDATE relation SET userid = (SELECT min(userid) FROM member)"
        " WHERE id = (SELECT max(id) FROM relation)")),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_stored_order_is_never_read_after_what_it_sorts_by_changed(
        path: Path, built_from_sql: list[str], change: str) -> None:
    order_by, write = CHANGES[change]
    _prepared(path)
    with Cache(path) as cache:
        stored = _in_sql(cache, order_by)
    _write(path, write)
    built_from_sql.clear()

    forwards, backwards, in_sql = _first_pages(path, order_by)

    assert in_sql != stored  # the change moved a relation
    assert forwards == in_sql
    assert backwards == in_sql[::-1]
    assert built_from_sql == [order_by]  # by the engine that builds what it needs


def test_writes_that_sort_nothing_differently_keep_the_stored_orders(
        path: Path, built_from_sql: list[str]) -> None:
    _prepared(path)
    _write(path, lambda tx: tx.execute(
        "UPDATE customer SET corp_name = '新公司', name = name WHERE external_userid ="
        " (SELECT max(external_userid) FROM customer)"))
    _write(path, lambda tx: tx.execute("DELETE FROM relation_tag WHERE relation_id = 1"))
    built_from_sql.clear()

    for order_by in ORDERS:
        forwards, _, in_sql = _first_pages(path, order_by)
        assert forwards == in_sql
    assert built_from_sql == []


def test_a_damaged_order_is_built_again(path: Path, built_from_sql: list[str],
                                        caplog: pytest.LogCaptureFixture) -> None:
    _prepared(path)
    with Cache(path) as cache, cache.write() as tx:
        tx.execute("UPDATE filter_sort_order SET ids = zeroblob(length(ids))"
                   " WHERE order_by = 'name'")
    built_from_sql.clear()

    with caplog.at_level(logging.WARNING, logger="tagdesk.store"):
        forwards, _, in_sql = _first_pages(path, "name")

    assert forwards == in_sql
    assert built_from_sql == ["name"]  # by the engine that builds what it needs
    assert "damaged" in caplog.text


def test_an_order_is_not_stored_for_names_that_changed_since_it_was_built(path: Path) -> None:
    with Cache(path) as cache:
        conn = cache.connection()
        at = filter_sort_store.version(conn, "name")
        assert at is not None
        ids = _in_sql(cache, "name")
        _write(path, lambda tx: tx.execute("UPDATE customer SET name_sort = 'a' WHERE"
                                           " external_userid = (SELECT max(external_userid)"
                                           " FROM customer)"))

        assert not filter_sort_store.store(cache, "name", at, ids)
        assert conn.execute("SELECT count(*) FROM filter_sort_order").fetchone()[0] == 0


def test_a_cache_migrated_from_before_the_stored_orders_versions_them(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = cache_at_version(path, SCHEMA_VERSION - 1)
    conn.execute("INSERT INTO customer (external_userid, name, name_sort) VALUES ('wm1', '乙', 'y'),"
                 " ('wm2', '甲', 'j')")
    conn.execute("INSERT INTO relation (id, external_userid, userid) VALUES (1, 'wm1', 'u1'),"
                 " (2, 'wm2', 'u1')")
    conn.commit()
    conn.close()
    with Cache(path) as cache:
        engine = FilterEngine(cache)
        assert engine.relation_ids("", order_by="name", descending=False) == [2, 1]
        engine.store_kept()
        at = filter_sort_store.version(cache.connection(), "name")
        with cache.write() as tx:
            tx.execute("UPDATE customer SET name_sort = 'a' WHERE external_userid = 'wm1'")

        assert filter_sort_store.version(cache.connection(), "name") != at
        assert FilterEngine(cache).relation_ids("", order_by="name", descending=False) == [1, 2]
