"""FilterEngine.refresh_relations: after tagging writes, a patched engine answers like a new one."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path

import pytest

from desktop.domain.filter import FilterError
from desktop.store import filter_engine, filter_index, filter_leaves
from desktop.store.db import Cache
from desktop.store.filter_engine import FilterEngine
from desktop.store.snapshot import bump_data_version
from tests.unit.store.test_filter_engine import TAGS, build_dataset, fill_cache

DANGLING = 999999  # fill_cache links it to a tag, but there is no such relation
ALL_PKS = [pk for pk, *_ in TAGS] + [77]  # 14 is deleted, 15 in a deleted group, 77 unknown
LEAVES = [
    "高意向", "低意向", "已流失", "普通", "客户等级:VIP", "复购:VIP", "三次复购客户", "教育/*",
    "教育/K12/*", "行业类型:教育/*", "金融/银行", "教育家", "'A&B 组合'", "group:客户等级",
    "group:复购", "group:意向", "owner:lisi", "dept:3", "state:expo2025", "text:北京",
    "added>=2025-01", "tags>=3", "tags:0", "tags<2", "tags!=1", "tags>4", "标签数<=1",
]
FIXED = [
    "", "-高意向", "group:客户等级 | group:复购", "(高意向 | 低意向) -已流失", "-教育/*",
    "-(group:意向 | tags>=3)", "tags:0 | 教育/K12/*", "owner:lisi 高意向 -tags<2",
    "text:北京 | tags>=4", "dept:3 -group:意向", "added>=2025-01 tags:2", "-tags:0 -普通",
]
BUILDERS = [  # what a cold engine reads from SQL; a warm one must not need them again
    "tagged", "tag_count_buckets", "universe", "searchable_text", "ordered_ids", "owned_by",
    "with_state", "created_between", "shared_customers",
]


def _expressions(rng: random.Random, how_many: int) -> list[str]:
    def one(depth: int) -> str:
        if depth == 0 or rng.random() < 0.3:
            return rng.choice(LEAVES)
        if rng.random() < 0.25:
            return f"-({one(depth - 1)})"
        operator = rng.choice([" ", " OR ", " | ", " 且 "])
        return "(" + operator.join(one(depth - 1) for _ in range(rng.randrange(2, 4))) + ")"
    return FIXED + LEAVES + [one(3) for _ in range(how_many)]


def _new_tag_counts(rng: random.Random) -> list[str]:
    """Tag-count filters, mostly not asked before, so their leaves are computed anew."""
    return [f"tags{rng.choice(['>=', ':', '<', '<=', '!=', '>'])}{rng.randrange(9)}"
            for _ in range(4)]


def _answers(engine: FilterEngine, texts: list[str]) -> list[object]:
    return [(engine.count(t), engine.evaluate(t), engine.relation_ids(t, order_by="name"))
            for t in texts]


@contextmanager
def _no_rebuilding(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to build a kept structure from SQL again fails the test."""
    def refuse(*_: object) -> None:
        raise AssertionError("the engine went cold")
    with monkeypatch.context() as patch:
        for name in BUILDERS:
            patch.setattr(filter_leaves, name, refuse)
        patch.setattr(filter_index, "load_catalogue", refuse)
        yield


def _retag(tx: sqlite3.Connection, rng: random.Random, relation_id: int) -> None:
    """Give one relation a different random set of links (some to dead or unknown tags)."""
    current = {pk for (pk,) in tx.execute(
        "SELECT tag_pk FROM relation_tag WHERE relation_id = ?", (relation_id,))}
    wanted = {pk for pk in current if rng.random() < 0.5}
    wanted |= set(rng.sample(ALL_PKS, rng.choice([0, 1, 2, 5])))
    if wanted == current:
        wanted ^= {rng.choice(ALL_PKS)}
    tx.executemany("DELETE FROM relation_tag WHERE relation_id = ? AND tag_pk = ?",
                   [(relation_id, pk) for pk in current - wanted])
    tx.executemany("INSERT INTO relation_tag(relation_id, tag_pk) VALUES (?, ?)",
                   [(relation_id, pk) for pk in wanted - current])


@pytest.fixture(params=["lookups", "customer map"])
def few_relations(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of counting customers: per-id lookups for few relations, or the map."""
    if request.param == "customer map":
        monkeypatch.setattr(filter_index, "FEW_RELATIONS", 0)
    return str(request.param)


@pytest.mark.parametrize("seed", [3, 17, 29])
def test_patched_engine_answers_like_a_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, few_relations: str, seed: int
) -> None:
    rng = random.Random(seed)
    data = build_dataset(seed, customers=120)
    ids = [r.id for r in data.relations] + [DANGLING]
    texts = _expressions(rng, 60)
    with Cache(tmp_path / "c.sqlite") as cache:
        fill_cache(cache, data)
        engine = FilterEngine(cache, tz=UTC)
        _answers(engine, texts)
        for _ in range(12):
            touched = rng.sample(ids, rng.choice([1, 2, 5, 12]))
            if rng.random() < 0.5:  # the outbox way: one commit per relation
                for relation_id in touched:
                    with cache.write() as tx:
                        _retag(tx, rng, relation_id)
                        bump_data_version(cache, tx)
                engine.refresh_relations(touched)
            else:  # one commit for the whole batch
                with cache.write() as tx:
                    for relation_id in touched:
                        _retag(tx, rng, relation_id)
                    bump_data_version(cache, tx)
                engine.refresh_relations(touched, commits=1)
            asked = texts + _new_tag_counts(rng)  # built from the patched count buckets
            with _no_rebuilding(monkeypatch):
                patched = _answers(engine, asked)
            fresh = _answers(FilterEngine(cache, tz=UTC), asked)
            for text, got, wanted in zip(asked, patched, fresh, strict=True):
                assert got == wanted, text


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    with Cache(tmp_path / "c.sqlite") as opened:
        fill_cache(opened, build_dataset(5, customers=60))
        yield opened


def _untagged(cache: Cache, pk: int) -> list[int]:
    return [row[0] for row in cache.connection().execute(
        "SELECT id FROM relation WHERE id NOT IN"
        " (SELECT relation_id FROM relation_tag WHERE tag_pk = ?) ORDER BY id", (pk,))]


def _tag(cache: Cache, relation_id: int, pk: int) -> None:
    with cache.write() as tx:
        tx.execute("INSERT INTO relation_tag(relation_id, tag_pk) VALUES (?, ?)",
                   (relation_id, pk))
        bump_data_version(cache, tx)


def test_a_commit_nobody_reported_drops_everything(cache: Cache) -> None:
    engine = FilterEngine(cache, tz=UTC)
    first, second = _untagged(cache, 12)[:2]
    before = engine.count("低意向").relations
    _tag(cache, first, 12)
    _tag(cache, second, 12)  # a second commit, reported by nobody
    engine.refresh_relations([first])
    assert {first, second} <= set(engine.evaluate("低意向"))
    assert engine.count("低意向").relations == before + 2


def test_fewer_commits_than_reported_drops_everything(cache: Cache) -> None:
    engine = FilterEngine(cache, tz=UTC)
    first, second = _untagged(cache, 12)[:2]
    engine.count("低意向")
    _tag(cache, first, 12)
    engine.refresh_relations([first, second])  # reports two commits, one happened
    with cache.write() as tx:  # now a write that bumps nothing: kept data must be gone
        tx.execute("INSERT INTO relation_tag(relation_id, tag_pk) VALUES (?, 12)", (second,))
    assert {first, second} <= set(engine.evaluate("低意向"))


def test_no_new_commit_keeps_what_is_kept(cache: Cache) -> None:
    engine = FilterEngine(cache, tz=UTC)
    first = _untagged(cache, 12)[0]
    _tag(cache, first, 12)
    assert first in engine.evaluate("低意向")  # already read at the current version
    engine.refresh_relations([first])
    with cache.write() as tx:  # unbumped, so a kept result keeps answering without it
        tx.execute("DELETE FROM relation_tag WHERE relation_id = ? AND tag_pk = 12", (first,))
    assert first in engine.evaluate("低意向")


@pytest.mark.parametrize("case", ["not a number", "too many", "inside a transaction"])
def test_unsure_cases_drop_everything(
    cache: Cache, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """Each case would patch correctly, but the engine cannot be sure, so it starts cold."""
    engine = FilterEngine(cache, tz=UTC)
    first, second = _untagged(cache, 12)[:2]
    engine.count("低意向")
    _tag(cache, first, 12)
    _tag(cache, second, 12)
    if case == "not a number":
        with cache.write() as tx:
            cache.set_meta(tx, "data_version", "synced")
        engine.refresh_relations([first, second], commits=3)
    elif case == "too many":
        monkeypatch.setattr(filter_engine, "PATCH_LIMIT", 1)
        engine.refresh_relations([first, second])
    else:
        with cache.write():
            engine.refresh_relations([first, second])
    with cache.write() as tx:  # unbumped: seen only by an engine that dropped what it kept
        tx.execute("INSERT INTO relation_tag(relation_id, tag_pk) VALUES (?, 12)",
                   (_untagged(cache, 12)[0],))
    assert engine.count("低意向") == FilterEngine(cache, tz=UTC).count("低意向")


def test_an_invalidate_during_refresh_wins(cache: Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = FilterEngine(cache, tz=UTC)
    first = _untagged(cache, 12)[0]
    engine.count("低意向")
    _tag(cache, first, 12)
    patched = filter_index.FilterIndex.patched

    def invalidated_meanwhile(self: filter_index.FilterIndex, *args: object
                              ) -> filter_index.FilterIndex:
        engine.invalidate()
        return patched(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(filter_index.FilterIndex, "patched", invalidated_meanwhile)
    engine.refresh_relations([first])
    with cache.write() as tx:  # unbumped: seen only by an engine that dropped what it kept
        tx.execute("DELETE FROM relation_tag WHERE relation_id = ? AND tag_pk = 12", (first,))
    assert first not in engine.evaluate("低意向")


@pytest.mark.parametrize("seed", [7, 23])
def test_a_prepared_engine_answers_warm_and_like_a_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, few_relations: str, seed: int
) -> None:
    """After a sync's commit, `prepare()` leaves nothing to build for any filter."""
    rng = random.Random(seed)
    data = build_dataset(seed, customers=120)
    ids = [r.id for r in data.relations] + [DANGLING]
    texts = _expressions(rng, 40) + _new_tag_counts(rng)
    with Cache(tmp_path / "c.sqlite") as cache:
        fill_cache(cache, data)
        engine = FilterEngine(cache, tz=UTC)
        _answers(engine, texts)
        with cache.write() as tx:  # a sync: many relations retagged in one commit
            for relation_id in rng.sample(ids, 40):
                _retag(tx, rng, relation_id)
            tx.execute("DELETE FROM relation_tag WHERE tag_pk = 16")  # a tag nobody has now
            bump_data_version(cache, tx)
        engine.prepare()
        with _no_rebuilding(monkeypatch):
            prepared = _answers(engine, texts)  # "name" is kept: the old index had it
            assert engine.count("'A&B 组合'").relations == 0
        fresh = _answers(FilterEngine(cache, tz=UTC), texts)
        for text, got, wanted in zip(texts, prepared, fresh, strict=True):
            assert got == wanted, text
        target = ids[0]  # a tagging write after the sync reaches the tag with no links
        _tag(cache, target, 16)
        engine.refresh_relations([target])
        with _no_rebuilding(monkeypatch):
            assert target in engine.evaluate("'A&B 组合'")


def test_prepare_keeps_nothing_when_invalidated_meanwhile(
    cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = FilterEngine(cache, tz=UTC)
    build = filter_leaves.searchable_text

    def invalidated_while_building(conn: sqlite3.Connection) -> tuple[list[int], list[str]]:
        engine.invalidate()  # e.g. a write that does not bump data_version
        return build(conn)

    monkeypatch.setattr(filter_leaves, "searchable_text", invalidated_while_building)
    engine.prepare()
    monkeypatch.undo()
    with pytest.raises(AssertionError, match="went cold"), _no_rebuilding(monkeypatch):
        engine.count("高意向")


def test_a_commit_of_names_only_keeps_the_bitmaps_and_reloads_the_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tag renamed or created (`names_only`) keeps the engine warm; anything else does not."""
    rng = random.Random(5)
    texts = [text.replace("高意向", "超高意向") for text in _expressions(rng, 20)]
    with Cache(tmp_path / "c.sqlite") as cache:
        fill_cache(cache, build_dataset(5, customers=120))
        with cache.write() as tx:
            bump_data_version(cache, tx)
        colds: list[int] = []
        engine = FilterEngine(cache, tz=UTC, on_cold=lambda: colds.append(1))
        engine.prepare(["createtime", "name"])
        with cache.write() as tx:  # as the tag editor writes a rename and a new tag
            tx.execute("UPDATE tag SET name = '超高意向' WHERE pk = 11")
            tx.execute("INSERT INTO tag (pk, id, group_id, name) VALUES (40, 't40', 'g4', '新标签')")
            bump_data_version(cache, tx, names_only=True)
        with monkeypatch.context() as patch:
            for name in BUILDERS:
                patch.setattr(filter_leaves, name, lambda *_: pytest.fail("the engine went cold"))
            warm = _answers(engine, texts)
            assert engine.count("新标签").relations == 0
            with pytest.raises(FilterError):
                engine.count("高意向")
        assert warm == _answers(FilterEngine(cache, tz=UTC), texts)
        assert colds == []
        assert cache.scalar("SELECT count(*) FROM relation_tag WHERE tag_pk = 14")
        with cache.write() as tx:  # the deleted 作废, still linked, created again: it counts
            tx.execute("UPDATE tag SET deleted = 0 WHERE pk = 14")
            bump_data_version(cache, tx, names_only=True)
        for text in ("tags>=2", "tags:0", "tags<3", "作废"):
            assert engine.count(text) == FilterEngine(cache, tz=UTC).count(text), text
        assert colds == [1]  # its tag counts were dropped: answered from SQL meanwhile
        engine.prepare()
        with cache.write() as tx:  # any other commit: everything is dropped
            tx.execute("UPDATE relation SET state = 'web' WHERE id = 1")
            bump_data_version(cache, tx)
        assert engine.count("state:web") == FilterEngine(cache, tz=UTC).count("state:web")
        assert colds == [1, 1]
