"""The relation -> customer map and relations by createtime, stored in the cache by `prepare()`
and taken by an engine on a just-opened cache (`desktop/store/filter_stored.py`)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from pyroaring import FrozenBitMap

from desktop.store import customer_map, filter_sql, filter_stored
from desktop.store.customer_map import CustomerMap
from desktop.store.db import Cache
from desktop.store.filter_engine import RELATION_SET_KEY, FilterEngine
from desktop.store.filter_index import RELATION_SET_PARTS
from desktop.store.schema import SCHEMA_VERSION
from desktop.store.snapshot import bump_data_version
from tests.unit.store.bench_filter_module import load_bench_filter, small_cache_bytes
from tests.unit.store.older_cache import cache_before

MORE = ["tags>=3 tags<6", "tags=0", "-高意向", "owner:u0003 | 高意向", "added>=2024-06-01"]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench_filter()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, bench: ModuleType) -> bytes:
    return small_cache_bytes(bench, tmp_path_factory.mktemp("stored") / "bench.sqlite")


@pytest.fixture
def path(tmp_path: Path, built: bytes) -> Path:
    path = tmp_path / "bench.sqlite"
    path.write_bytes(built)
    return path


@pytest.fixture
def cache(path: Path) -> Iterator[Cache]:
    with Cache(path) as cache:
        yield cache


def _stored_row(cache: Cache) -> tuple[str, bytes] | None:
    row = cache.connection().execute(
        "SELECT relation_set, parts FROM filter_relation_set").fetchone()
    return None if row is None else (str(row[0]), bytes(row[1]))


def _just_opened(path: Path) -> tuple[Cache, FilterEngine]:
    cache = Cache(path)
    return cache, FilterEngine(cache, on_cold=lambda: None)


def _assert_answers_as_sql(engine: FilterEngine, cache: Cache, filters: list[str]) -> None:
    conn = cache.connection()
    warm = FilterEngine(cache)
    for text in filters:
        plan = warm.check(text)
        assert engine.count(text) == warm.count(text), text
        counted = engine.count(text)
        assert (counted.relations, counted.customers) == filter_sql.count(conn, plan), text
        assert engine.evaluate(text) == filter_sql.matching(conn, plan), text
        for descending in (True, False):
            assert engine.relation_ids(text, "createtime", descending) == filter_sql.ordered(
                conn, plan, "createtime", descending, None), (text, descending)


def test_prepare_stores_the_parts_and_they_read_back_as_built(cache: Cache) -> None:
    engine = FilterEngine(cache)
    engine.prepare()
    row = _stored_row(cache)
    assert row is not None and row[0] == cache.get_meta(RELATION_SET_KEY)
    index = engine._index
    assert index is not None
    built = index.carried()
    read = filter_stored.decode(row[1])
    assert read is not None and read.keys() == built.keys() == set(RELATION_SET_PARTS)
    assert read["universe"] == built["universe"] and read["shared"] == built["shared"]
    assert read["owners"] == built["owners"]
    read_times, built_times = read["createtimes"], built["createtimes"]
    assert isinstance(read_times, tuple) and isinstance(built_times, tuple)
    assert list(read_times[0]) == list(built_times[0])
    assert list(read_times[1]) == list(built_times[1]) == list(read["order:createtime"])  # type: ignore[call-overload]
    engine.prepare()  # stored already: the row is not written again
    assert _stored_row(cache) == row


def test_a_just_opened_cache_counts_from_the_stored_map_as_sql_does(
        path: Path, bench: ModuleType) -> None:
    with Cache(path) as cache:
        FilterEngine(cache).prepare()
    opened, engine = _just_opened(path)
    with opened:
        assert engine.count("高意向 客户等级:VIP") == FilterEngine(opened).count("高意向 客户等级:VIP")
        index = engine._index
        assert index is not None and index.knows_customers() and index.has("createtimes")
        assert not index.primed  # from bitmaps, without preparing
        _assert_answers_as_sql(engine, opened, [*bench.FILTERS, *MORE])


def test_a_just_opened_map_counts_customers_by_relation_id_without_a_dictionary(
        path: Path, bench: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(customer_map, "FEW_LOOKUPS", 0)  # as with tens of thousands listed
    with Cache(path) as cache:
        FilterEngine(cache).prepare()
    opened, engine = _just_opened(path)
    with opened:
        _assert_answers_as_sql(engine, opened, [*bench.FILTERS, *MORE])
        index = engine._index
        assert index is not None and index.knows_customers()
        shared = index.carried()["shared"]
        assert isinstance(shared, CustomerMap) and shared._lookup is None


def test_a_text_filter_searches_in_sql_and_counts_customers_from_the_stored_map(
        path: Path) -> None:
    with Cache(path) as cache:
        FilterEngine(cache).prepare()
    opened, engine = _just_opened(path)
    texts = ["text:北京", "text:acme", "text:王总", "-text:科技 text:有限", "text:北京 高意向",
             "text:北京 | tags>=10"]
    with opened:
        statements: list[str] = []
        opened.connection().set_trace_callback(statements.append)
        counted = engine.count("text:北京")
        opened.connection().set_trace_callback(None)
        index = engine._index
        assert index is not None and index.knows_customers()  # the customers from the map
        assert not index.has("text")  # one search, the folded texts not kept
        assert not [sql for sql in statements if "DISTINCT" in sql.upper()]
        assert counted.relations > counted.customers > 0
        _assert_answers_as_sql(engine, opened, texts)


def test_the_map_stays_after_tag_writes_and_goes_stale_when_relations_change(
        path: Path, bench: ModuleType) -> None:
    with Cache(path) as cache:
        FilterEngine(cache).prepare()
        stored = _stored_row(cache)
        with cache.write() as tx:  # a tagging write: the relation set is the same
            tx.execute("DELETE FROM relation_tag WHERE relation_id IN (3, 4)")
            tx.execute("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (3, 1), (4, 2)")
            bump_data_version(cache, tx)
    opened, engine = _just_opened(path)
    with opened:
        engine.count("高意向")
        assert engine._index is not None and engine._index.knows_customers()
        _assert_answers_as_sql(engine, opened, [*bench.FILTERS, *MORE])
        customer, = opened.connection().execute(
            "SELECT external_userid FROM relation WHERE id = 5").fetchone()
        with opened.write() as tx:  # one more relation of a known customer, tagged
            tx.execute("INSERT INTO relation (id, external_userid, userid, createtime)"
                       " VALUES (9001, ?, 'u0198', 1700000000)", (customer,))
            tx.execute("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (9001, 1)")
            tx.execute("DELETE FROM relation WHERE id = 7")
            bump_data_version(opened, tx)
    opened, engine = _just_opened(path)
    with opened:
        engine.count("高意向")
        assert engine._index is not None and not engine._index.knows_customers()  # stale
        _assert_answers_as_sql(engine, opened, [*bench.FILTERS, *MORE])
        engine.prepare()
        assert _stored_row(opened) not in (None, stored)
    opened, engine = _just_opened(path)
    with opened:
        engine.count("高意向")
        assert engine._index is not None and engine._index.knows_customers()
        _assert_answers_as_sql(engine, opened, [*bench.FILTERS, *MORE])


@pytest.mark.parametrize("damage", ["flip", "cut", "format"])
def test_a_damaged_row_is_ignored_and_built_again(
        path: Path, bench: ModuleType, damage: str, caplog: pytest.LogCaptureFixture) -> None:
    with Cache(path) as cache:
        FilterEngine(cache).prepare()
        row = _stored_row(cache)
        assert row is not None
        blob = bytearray(row[1])
        if damage == "flip":
            blob[len(blob) // 2] ^= 0x55
        elif damage == "format":
            blob[0:6] = b"TDRS9L"
        damaged = bytes(blob if damage != "cut" else blob[: len(blob) - 4])
        with cache.write() as tx:
            tx.execute("UPDATE filter_relation_set SET parts = ?", (damaged,))
    opened, engine = _just_opened(path)
    with opened, caplog.at_level(logging.WARNING, logger="tagdesk.store"):
        engine.count("高意向")
        assert engine._index is not None and not engine._index.knows_customers()
        assert "damaged" in caplog.text
        _assert_answers_as_sql(engine, opened, [*bench.FILTERS, *MORE])
        engine.prepare()
        assert _stored_row(opened) == row  # stored again, intact


def test_a_map_built_before_a_relation_changed_is_not_stored(cache: Cache) -> None:
    parts = filter_stored.decode(filter_stored.encode(_prepared_parts(cache)) or b"")
    assert parts is not None
    relation_set = cache.get_meta(RELATION_SET_KEY)
    with cache.write() as tx:
        tx.execute("DELETE FROM filter_relation_set")
        tx.execute("DELETE FROM relation WHERE id = 9")
    assert not filter_stored.store(cache, relation_set, parts)
    assert _stored_row(cache) is None


def test_a_map_with_gaps_in_its_relation_ids_reads_back(cache: Cache) -> None:
    with cache.write() as tx:
        tx.execute("DELETE FROM relation WHERE id % 7 = 0")
    parts = _prepared_parts(cache)
    universe = parts["universe"]
    assert isinstance(universe, FrozenBitMap) and len(universe) < max(universe)
    read = filter_stored.decode(filter_stored.encode(parts) or b"")
    assert read is not None and read["universe"] == universe and read["shared"] == parts["shared"]


def test_an_older_cache_gets_the_table_and_stores_after_its_first_prepare(
        tmp_path: Path) -> None:
    older = tmp_path / "older.sqlite"
    version = cache_before(older, "filter_relation_set")
    with Cache(older) as cache:
        assert version < cache.schema_version == SCHEMA_VERSION
        assert _stored_row(cache) is None
        FilterEngine(cache).prepare()
        assert _stored_row(cache) is not None
    opened, engine = _just_opened(older)
    with opened:
        engine.count("高意向")
        assert engine._index is not None and engine._index.knows_customers()
        _assert_answers_as_sql(engine, opened, ["高意向", "-高意向", ""])


def _prepared_parts(cache: Cache) -> dict[str, object]:
    engine = FilterEngine(cache)
    engine.prepare()
    assert engine._index is not None
    return engine._index.carried()


def test_a_cold_engine_asks_for_prepare_once_its_answer_is_done(cache: Cache) -> None:
    in_snapshot: list[bool] = []
    engine = FilterEngine(cache, on_cold=lambda: in_snapshot.append(
        cache.connection().in_transaction))
    engine.relation_ids("高意向 -已流失", limit=50)
    engine.count("高意向 -已流失")
    assert in_snapshot == [False]  # asked once, after the first answer's read transaction


def test_a_map_stored_before_the_owners_were_is_stored_again_without_a_warning(
        cache: Cache, caplog: pytest.LogCaptureFixture) -> None:
    FilterEngine(cache).prepare()
    row = _stored_row(cache)
    assert row is not None
    with cache.write() as tx:
        tx.execute("UPDATE filter_relation_set SET parts = ?", (b"TDRS1L" + row[1][6:],))
    with caplog.at_level(logging.WARNING, logger="tagdesk.store"):
        assert filter_stored.load(cache.connection(), row[0]) == {}
        FilterEngine(cache).prepare()
    assert caplog.text == ""
    assert _stored_row(cache) == row


def test_createtimes_that_are_not_whole_seconds_are_not_stored(cache: Cache) -> None:
    parts = _prepared_parts(cache)
    createtimes = parts["createtimes"]
    assert isinstance(createtimes, tuple) and filter_stored.encode(parts) is not None
    times, ids = createtimes
    assert filter_stored.encode({**parts, "createtimes": ([*times[:-1], times[-1] + 0.5],
                                                          ids)}) is None
