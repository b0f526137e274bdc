"""The bitmaps of the tags with many links, stored by `prepare()` for the cache's data version
and read by an engine on a just-opened cache (`desktop/store/filter_tag_store.py`)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from pyroaring import FrozenBitMap

from desktop.store import filter_leaves, filter_sql, filter_tag_store
from desktop.store.db import Cache
from desktop.store.filter_engine import FilterEngine
from desktop.store.schema import SCHEMA_VERSION
from desktop.store.snapshot import DATA_VERSION_KEY, bump_data_version
from tests.unit.store.bench_filter_module import load_bench_filter, small_cache_bytes
from tests.unit.store.older_cache import cache_before

MORE = ["tags>=3 tags<6", "-高意向", "owner:u0003 | 高意向", "客户等级:VIP 复购:VIP"]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench_filter()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, bench: ModuleType) -> bytes:
    return small_cache_bytes(bench, tmp_path_factory.mktemp("tag-store") / "bench.sqlite")


@pytest.fixture
def path(tmp_path: Path, built: bytes, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(filter_tag_store, "MANY_LINKS", 40)
    path = tmp_path / "bench.sqlite"
    path.write_bytes(built)
    return path


@pytest.fixture
def built_from_links(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The tags whose bitmaps were built from their links."""
    read: list[int] = []
    tagged = filter_leaves.tagged

    def recorded(conn: object, pk: int) -> FrozenBitMap:
        read.append(pk)
        return tagged(conn, pk)  # type: ignore[arg-type]

    monkeypatch.setattr(filter_leaves, "tagged", recorded)
    yield read


def _prepared(path: Path) -> dict[int, tuple[str, bytes]]:
    with Cache(path) as cache:
        FilterEngine(cache, on_cold=lambda: None).prepare()
        return _stored(cache)


def _stored(cache: Cache) -> dict[int, tuple[str, bytes]]:
    return {pk: (str(version), bytes(blob)) for pk, version, blob in cache.connection().execute(
        "SELECT tag_pk, data_version, bitmap FROM filter_tag_bitmap")}


def _used(engine: FilterEngine) -> dict[int, FrozenBitMap]:
    assert engine._index is not None
    return engine._index.kept_tags()


def _assert_answers_as_sql(engine: FilterEngine, cache: Cache, filters: list[str]) -> None:
    conn = cache.connection()
    for text in filters:
        plan = engine.check(text)
        counted = engine.count(text)
        assert (counted.relations, counted.customers) == filter_sql.count(conn, plan), text
        assert engine.evaluate(text) == filter_sql.matching(conn, plan), text


def test_prepare_stores_the_tags_with_many_links_at_the_data_version(path: Path) -> None:
    stored = _prepared(path)
    with Cache(path) as cache:
        version = cache.get_meta(DATA_VERSION_KEY)
        many = {pk for pk, n in cache.connection().execute(
            "SELECT tag_pk, count(*) FROM relation_tag GROUP BY tag_pk HAVING count(*) >= 40")}
        assert set(stored) == many and len(many) > 3
        for pk, (at, blob) in stored.items():
            assert at == version
            assert FrozenBitMap.deserialize(blob) == filter_leaves.tagged(cache.connection(), pk)
    assert _prepared(path) == stored   # stored once for a version


def test_a_just_opened_cache_reads_them_and_answers_as_sql(
    path: Path, bench: ModuleType, built_from_links: list[int]
) -> None:
    stored = _prepared(path)
    built_from_links.clear()
    with Cache(path) as cache:
        engine = FilterEngine(cache, on_cold=lambda: None)
        _assert_answers_as_sql(engine, cache, [*bench.FILTERS, *MORE])
        assert set(_used(engine)) & set(stored)
        assert not set(built_from_links) & set(stored)


def test_after_a_write_they_are_stale_and_the_links_are_read(
    path: Path, bench: ModuleType, built_from_links: list[int]
) -> None:
    stored = _prepared(path)
    with Cache(path) as cache, cache.write() as tx:
        pk = next(iter(stored))
        tx.execute("DELETE FROM relation_tag WHERE tag_pk = ? AND relation_id IN (SELECT"
                   " relation_id FROM relation_tag WHERE tag_pk = ? LIMIT 5)", (pk, pk))
        bump_data_version(cache, tx)
    built_from_links.clear()
    with Cache(path) as cache:
        engine = FilterEngine(cache, on_cold=lambda: None)
        _assert_answers_as_sql(engine, cache, [*bench.FILTERS, *MORE])
        used = set(_used(engine)) & set(stored)
        assert used and used <= set(built_from_links)


@pytest.mark.parametrize("damage", ["flip", "cut", "crc"])
def test_a_damaged_bitmap_is_ignored(
    path: Path, bench: ModuleType, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    stored = _prepared(path)
    with Cache(path) as cache, cache.write() as tx:
        for pk, (_, blob) in stored.items():
            broken = {"flip": blob[:9] + bytes([blob[9] ^ 0xFF]) + blob[10:],
                      "cut": blob[: len(blob) // 2], "crc": blob}[damage]
            tx.execute("UPDATE filter_tag_bitmap SET bitmap = ?, crc = crc + ? WHERE tag_pk = ?",
                       (broken, 1 if damage == "crc" else 0, pk))
    with caplog.at_level(logging.WARNING, "tagdesk.store"), Cache(path) as cache:
        engine = FilterEngine(cache, on_cold=lambda: None)
        _assert_answers_as_sql(engine, cache, [*bench.FILTERS, *MORE])
    assert "damaged" in caplog.text


def test_bitmaps_built_before_a_write_are_not_stored(path: Path) -> None:
    with Cache(path) as cache:
        version = cache.get_meta(DATA_VERSION_KEY)
        bitmaps = {pk: filter_leaves.tagged(cache.connection(), pk) for pk, in
                   cache.connection().execute("SELECT DISTINCT tag_pk FROM relation_tag")}
        with cache.write() as tx:
            bump_data_version(cache, tx)
        assert not filter_tag_store.store(cache, version, bitmaps)
        assert not _stored(cache)
        assert filter_tag_store.store(cache, cache.get_meta(DATA_VERSION_KEY), bitmaps)


def test_an_older_cache_gets_the_table_and_stores_after_its_first_prepare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(filter_tag_store, "MANY_LINKS", 2)
    older = tmp_path / "older.sqlite"
    version = cache_before(older, "filter_tag_bitmap")
    with Cache(older) as cache:
        assert version < cache.schema_version == SCHEMA_VERSION and not _stored(cache)
    assert set(_prepared(older)) == {1}
    with Cache(older) as cache:
        assert set(FilterEngine(cache, on_cold=lambda: None).evaluate("高意向")) == {1, 2, 3, 4}


def test_tags_patched_after_writes_are_stored_at_close_for_the_next_opening(
    path: Path, bench: ModuleType, built_from_links: list[int]
) -> None:
    stored = _prepared(path)
    with Cache(path) as cache:
        engine = FilterEngine(cache, on_cold=lambda: None)
        engine.prepare()
        pk = next(iter(stored))
        written = [relation_id for relation_id, in cache.connection().execute(
            "SELECT relation_id FROM relation_tag WHERE tag_pk = ? LIMIT 3", (pk,))]
        for relation_id in written:
            with cache.write() as tx:
                tx.execute("DELETE FROM relation_tag WHERE tag_pk = ? AND relation_id = ?",
                           (pk, relation_id))
                bump_data_version(cache, tx)
        engine.refresh_relations(written)
        engine.store_kept()
        version = cache.get_meta(DATA_VERSION_KEY)
        assert {at for at, _ in _stored(cache).values()} == {version}
    built_from_links.clear()
    with Cache(path) as cache:
        opened = FilterEngine(cache, on_cold=lambda: None)
        _assert_answers_as_sql(opened, cache, [*bench.FILTERS, *MORE])
        assert set(_used(opened)) & set(stored) and not set(built_from_links) & set(stored)
        kept = _used(opened).get(pk)
        assert kept is not None and not set(written) & set(kept)

