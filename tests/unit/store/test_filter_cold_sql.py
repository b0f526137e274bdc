"""While the bitmaps are cold, filters are answered by SQL: the same rows, counts and order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.domain.filter.plan import AllRelations, OwnerLeaf
from desktop.store import filter_sql, search_text
from desktop.store.db import Cache
from desktop.store.filter_engine import ORDER_COLUMNS, FilterEngine
from desktop.store.snapshot import bump_data_version
from tests.unit.store.bench_filter_module import load_bench_filter

TEXTS = ["tags>=3 tags<6", "tags=0", "tags<2", "text:北京", "text:acme", "text:ACME", "text:ａｃｍｅ", "text:王总", "text:ﬁne",
         "text:wm00001", "-text:科技 text:有限", "text:①",
         "高意向 owner:u0007 -已流失", "added>=2025-12-20 (高意向 | tags>=3 | 客户等级:VIP)",
         "state:web2025 -(客户等级:VIP | 高意向) owner:u0001"]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cache, list[str]]]:
    bench = load_bench_filter()
    path = tmp_path_factory.mktemp("cold") / "bench.sqlite"
    bench.build(path, 1500, seed=11)
    with Cache(path) as cache:
        with cache.write() as tx:  # texts fold_text changes: full-width, capitals, ligatures
            for rid, remark in ((3, "ＡＣＭＥ 采购"), (5, "Acme fine"), (8, "ﬁne ①号"),
                                (13, "王总\u0301"), (21, "北\u4eac")):
                tx.execute("UPDATE relation SET remark = ? WHERE id = ?", (remark, rid))
            tx.execute("DELETE FROM relation WHERE id = 34")  # a gap in the ids
            tx.execute("UPDATE tag SET deleted = 1 WHERE pk = 17")  # linked, now dead
            tx.execute("DELETE FROM relation_tag WHERE relation_id = 2")  # no tags at all
        yield cache, [*bench.FILTERS, *TEXTS]


def test_a_cold_engine_answers_from_sql_exactly_as_the_warm_one(
    cache: tuple[Cache, list[str]],
) -> None:
    db, filters = cache
    colds: list[int] = []
    cold = FilterEngine(db, on_cold=lambda: colds.append(1))
    warm = FilterEngine(db)
    warm.prepare(ORDER_COLUMNS)
    for text in filters:
        assert cold.count(text) == warm.count(text), text
        assert cold.evaluate(text) == warm.evaluate(text), text
        for order_by in ORDER_COLUMNS:
            for descending in (False, True):
                assert cold.relation_ids(text, order_by, descending) == warm.relation_ids(
                    text, order_by, descending), (text, order_by, descending)
        assert cold.relation_ids(text, limit=7) == warm.relation_ids(text, limit=7), text
    assert colds == [1]  # once per version of the cache
    assert warm.count("text:acme").relations >= 3


def test_after_prepare_the_bitmaps_answer_and_a_new_version_is_cold_again(
    cache: tuple[Cache, list[str]],
) -> None:
    db, _ = cache
    colds: list[int] = []
    engine = FilterEngine(db, on_cold=lambda: colds.append(1))
    expected = engine.count("高意向 -已流失")
    engine.prepare()
    assert engine.count("高意向 -已流失") == expected
    assert colds == [1]
    with db.write() as tx:
        bump_data_version(db, tx)
    assert engine.count("高意向 -已流失") == expected
    assert colds == [1, 1]


def test_a_long_list_of_owners_goes_in_one_parameter(cache: tuple[Cache, list[str]]) -> None:
    db, _ = cache
    conn = db.connection()
    owners = frozenset({f"u{i:04d}" for i in range(200)} | {f"gone{i}" for i in range(400)})
    assert len(owners) > filter_sql.FEW_VALUES
    assert filter_sql.matching(conn, OwnerLeaf(owners)) == filter_sql.matching(
        conn, AllRelations())
    some = frozenset(f"u{i:04d}" for i in range(0, 200, 3))
    assert filter_sql.matching(conn, OwnerLeaf(some | {f"gone{i}" for i in range(600)})) == (
        filter_sql.matching(conn, OwnerLeaf(some)))


def test_text_is_the_same_from_stale_rows_and_from_the_folded_table(
    cache: tuple[Cache, list[str]],
) -> None:
    db, filters = cache
    texts = [text for text in filters if "text:" in text]
    warm = FilterEngine(db)
    expected = {text: warm.evaluate(text) for text in texts}
    conn = db.connection()
    assert search_text.has_stale(conn)  # the remarks the fixture wrote after building
    cold = FilterEngine(db, on_cold=lambda: None)
    assert {text: cold.evaluate(text) for text in texts} == expected
    with db.write() as tx:
        search_text.refresh(tx)
    assert not search_text.has_stale(conn)
    assert {text: cold.evaluate(text) for text in texts} == expected
    fresh = FilterEngine(db)
    assert {text: fresh.evaluate(text) for text in texts} == expected
    assert 21 in expected["text:北京"] and 3 in expected["text:acme"]
