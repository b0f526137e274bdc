"""The relation -> customer map a filter engine keeps while the relations stay the same."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from desktop.store.db import Cache
from desktop.store.filter_engine import RELATION_SET_KEY, FilterEngine
from desktop.store.snapshot import bump_data_version
from tests.unit.store.bench_filter_module import load_bench_filter

MORE = ["tags>=3 tags<6", "tags=0", "text:北京", "-高意向", "owner:u0003 | 高意向"]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench_filter()


@pytest.fixture
def cache(tmp_path: Path, bench: ModuleType) -> Iterator[Cache]:
    path = tmp_path / "bench.sqlite"
    bench.build(path, 600, seed=5)
    with Cache(path) as cache:
        yield cache


def _relation_set(cache: Cache) -> str:
    return str(cache.get_meta(RELATION_SET_KEY))


def _assert_answers_as_a_fresh_engine(engine: FilterEngine, cache: Cache,
                                      filters: list[str]) -> None:
    fresh = FilterEngine(cache)
    fresh.prepare()
    for text in filters:
        assert engine.count(text) == fresh.count(text), text
        assert engine.evaluate(text) == fresh.evaluate(text), text
        for order_by, descending in (("createtime", True), ("createtime", False),
                                     ("name", True)):
            assert engine.relation_ids(text, order_by, descending) == fresh.relation_ids(
                text, order_by, descending), (text, order_by, descending)
        assert engine.relation_ids(text, limit=5) == fresh.relation_ids(text, limit=5), text


def test_the_relation_set_version_moves_only_when_relations_come_go_or_change_customer(
        cache: Cache) -> None:
    start = int(_relation_set(cache))
    with cache.write() as tx:
        tx.execute("INSERT OR IGNORE INTO relation_tag (relation_id, tag_pk) VALUES (1, 40)")
        tx.execute("UPDATE relation SET remark = '新备注', state = state WHERE id = 2")
        tx.execute("UPDATE customer SET name = '改名' WHERE external_userid = 'wm0000001'")
    assert int(_relation_set(cache)) == start
    with cache.write() as tx:
        tx.execute("UPDATE relation SET state = 'web2025' || state WHERE id = 2")
    assert int(_relation_set(cache)) == start + 1
    start += 1
    with cache.write() as tx:
        tx.execute("INSERT INTO relation (id, external_userid, userid) VALUES (9000, 'wm0000001',"
                   " 'u0199')")
    assert int(_relation_set(cache)) == start + 1
    with cache.write() as tx:
        tx.execute("UPDATE relation SET createtime = 7 WHERE id = 9000")
    assert int(_relation_set(cache)) == start + 2
    start += 1
    with cache.write() as tx:
        tx.execute("UPDATE relation SET external_userid = 'wm0000002' WHERE id = 9000")
    assert int(_relation_set(cache)) == start + 2
    with cache.write() as tx:
        tx.execute("UPDATE relation SET userid = 'u0001' WHERE id = 9000")
    assert int(_relation_set(cache)) == start + 3
    with cache.write() as tx:
        tx.execute("DELETE FROM relation WHERE id = 9000")
    assert int(_relation_set(cache)) == start + 4


@pytest.mark.parametrize(("change", "filters", "gone"), [
    ("UPDATE relation SET userid = 'u0001' WHERE userid = 'u0002'",
     ("owner:u0002", "owner:u0001 added>=2024-01-01", "dept:销售二部"), "owner:u0002"),
    ("UPDATE relation SET state = 'expo2026' WHERE state = 'web2025'",
     ("state:web2025", "渠道:展会A | state:web2025", "state:expo2026 高意向"), "state:web2025"),
])
def test_a_just_opened_engine_never_counts_a_relation_for_its_former_owner_or_state(
        cache: Cache, change: str, filters: tuple[str, ...], gone: str) -> None:
    FilterEngine(cache).prepare()  # the relations by owner and state stored with the set
    with cache.write() as tx:
        assert tx.execute(change).rowcount
        bump_data_version(cache, tx)
    with Cache(cache.path) as opened:
        engine = FilterEngine(opened, on_cold=lambda: None)
        for text in filters:
            assert engine.count(text) == FilterEngine(opened).count(text), text
        assert engine.count(gone).relations == 0


def test_a_cold_engine_counts_from_the_kept_map_while_the_relations_stay(
        cache: Cache, bench: ModuleType) -> None:
    filters = [*bench.FILTERS, *MORE]
    colds: list[int] = []
    engine = FilterEngine(cache, on_cold=lambda: colds.append(1))
    engine.prepare()
    with cache.write() as tx:  # a tagging write: the relations and their customers stay
        tx.execute("DELETE FROM relation_tag WHERE relation_id = 3")
        tx.execute("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (3, 1), (3, 2)")
        bump_data_version(cache, tx)
    assert engine.count("高意向") == FilterEngine(cache).count("高意向")
    assert colds == [1]
    index = engine._index
    assert index is not None and index.knows_customers() and not index.primed
    _assert_answers_as_a_fresh_engine(engine, cache, filters)
    engine.invalidate()  # a write that did not bump data_version: the map stays too
    assert engine.count("") == FilterEngine(cache).count("")
    assert engine._index is not None and engine._index.knows_customers()


def test_a_new_relation_of_a_known_customer_is_counted_once(cache: Cache,
                                                            bench: ModuleType) -> None:
    engine = FilterEngine(cache, on_cold=lambda: None)
    engine.prepare()
    before = engine.count("")
    shared_before = engine.count("高意向")
    customer, = cache.connection().execute(
        "SELECT r.external_userid FROM relation r JOIN relation_tag rt ON rt.relation_id = r.id"
        " WHERE rt.tag_pk = 1 LIMIT 1").fetchone()
    with cache.write() as tx:  # the same customer added by one more member, tagged alike
        tx.execute("INSERT INTO relation (id, external_userid, userid) VALUES (9001, ?, 'u0198')",
                   (customer,))
        tx.execute("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (9001, 1)")
        bump_data_version(cache, tx)
    assert engine.count("") == type(before)(before.relations + 1, before.customers)
    assert engine.count("高意向") == type(shared_before)(shared_before.relations + 1,
                                                        shared_before.customers)
    assert engine._index is not None and not engine._index.knows_customers()
    _assert_answers_as_a_fresh_engine(engine, cache, [*bench.FILTERS, *MORE])
