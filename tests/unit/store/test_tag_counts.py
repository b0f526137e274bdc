"""Each relation's kept count of links (`relation.tag_count`) and the `tags>=N` it answers."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from desktop.services.sync import run_sync
from desktop.store import sort_keys, tag_counts
from desktop.store.db import Cache, _statements
from desktop.store.filter_engine import FilterEngine
from desktop.store.schema import MIGRATIONS

COUNT_FILTERS = ["tags>=2", "tags=0", "tags<3", "tags>=1 tags<3", "tags>=4", "-tags>=2"]


def _wrong(conn: sqlite3.Connection) -> list[tuple[int, int, int]]:
    """(relation id, kept count, links) of each relation whose kept count is wrong."""
    return conn.execute(
        "SELECT r.id, r.tag_count, (SELECT count(*) FROM relation_tag WHERE relation_id = r.id)"
        " AS links FROM relation r WHERE r.tag_count <> links").fetchall()


def _live_counts(conn: sqlite3.Connection) -> dict[int, int]:
    """Each relation's number of live corp tags, counted link by link (the ground truth)."""
    return dict(conn.execute(
        "SELECT r.id, (SELECT count(*) FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
        " JOIN tag_group g ON g.id = t.group_id WHERE rt.relation_id = r.id AND t.deleted = 0"
        " AND g.deleted = 0) FROM relation r").fetchall())


def _expected(counts: dict[int, int], text: str) -> set[int]:
    tests = {
        "tags>=2": lambda n: n >= 2, "tags=0": lambda n: n == 0, "tags<3": lambda n: n < 3,
        "tags>=1 tags<3": lambda n: 1 <= n < 3, "tags>=4": lambda n: n >= 4,
        "-tags>=2": lambda n: n < 2,
    }
    return {rid for rid, n in counts.items() if tests[text](n)}


def _assert_filters_match_the_links(cache: Cache) -> None:
    """Cold (one SQL query) and warm (bitmaps) answer each tag count as the links say."""
    counts = _live_counts(cache.connection())
    warm = FilterEngine(cache)
    warm.prepare()
    for text in COUNT_FILTERS:
        cold = FilterEngine(cache, on_cold=lambda: None)
        assert set(cold.evaluate(text)) == set(warm.evaluate(text)) == _expected(counts, text), text
        assert cold.count(text) == warm.count(text), text


def _fill(conn: sqlite3.Connection) -> None:
    conn.executemany("INSERT INTO tag_group (id, name) VALUES (?, ?)",
                     [("g1", "意向"), ("g2", "已删组")])
    conn.executemany("INSERT INTO tag (pk, id, group_id, name, deleted) VALUES (?, ?, ?, ?, ?)",
                     [(1, "t1", "g1", "高", 0), (2, "t2", "g1", "中", 0),
                      (3, "t3", "g1", "低", 0), (4, "t4", "g1", "旧", 1)])
    conn.executemany("INSERT INTO customer (external_userid, name) VALUES (?, ?)",
                     [("wm1", "张三"), ("wm2", "李四")])
    conn.executemany("INSERT INTO relation (id, external_userid, userid) VALUES (?, ?, ?)",
                     [(1, "wm1", "u1"), (2, "wm1", "u2"), (3, "wm2", "u1"), (4, "wm2", "u2")])
    conn.executemany("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (?, ?)",
                     [(1, 1), (1, 2), (1, 3), (2, 1), (2, 4), (3, 2), (3, 3), (3, 4),
                      (77, 1)])  # relation 4 has none; 77 is no relation (a stray link)


def test_an_older_cache_counts_each_relations_links_and_filters_by_them(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    before = next(i for i, script in enumerate(MIGRATIONS) if "tag_count INTEGER" in script)
    conn = sqlite3.connect(path)
    sort_keys.register(conn)
    for script in MIGRATIONS[:before]:
        for statement in _statements(script):
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {before}")
    _fill(conn)
    conn.commit()
    conn.close()
    with Cache(path) as cache:
        conn = cache.connection()
        assert dict(conn.execute("SELECT id, tag_count FROM relation")) == {
            1: 3, 2: 2, 3: 3, 4: 0}
        assert _wrong(conn) == []
        _assert_filters_match_the_links(cache)  # links to the deleted tag 4 are not counted
        plan = " ".join(str(row) for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT count(*), count(DISTINCT external_userid) FROM relation"
            " WHERE tag_count >= 2"))
        every = " ".join(str(row) for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT count(*), count(DISTINCT external_userid) FROM relation"))
    assert "INDEX relation_by_tag_count (tag_count>?)" in plan
    assert "relation_by_tag_count" not in every  # customers counted along their own index


def test_every_write_of_a_link_keeps_the_count(tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite") as cache:
        with cache.write() as tx:
            _fill(tx)
        conn = cache.connection()
        assert _wrong(conn) == []
        with cache.write() as tx:  # the outbox's confirmed calls: a link added, one removed
            tx.execute("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (4, 1)")
            tx.execute("DELETE FROM relation_tag WHERE relation_id = 1 AND tag_pk = 3")
        assert dict(conn.execute("SELECT id, tag_count FROM relation")) == {
            1: 2, 2: 2, 3: 3, 4: 1}
        with cache.write() as tx:  # a tag deleted with its links; a link moved
            tx.execute("DELETE FROM relation_tag WHERE tag_pk = 2")
            tx.execute("UPDATE relation_tag SET relation_id = 4 WHERE relation_id = 3"
                       " AND tag_pk = 3")
        assert dict(conn.execute("SELECT id, tag_count FROM relation")) == {
            1: 1, 2: 2, 3: 1, 4: 2}
        assert _wrong(conn) == []
        _assert_filters_match_the_links(cache)


def test_a_new_relations_links_are_counted_at_once_and_the_trigger_stays(
        tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite") as cache:
        with cache.write() as tx:
            _fill(tx)
        conn = cache.connection()
        with cache.write() as tx:
            tx.execute("INSERT INTO relation (id, external_userid, userid) VALUES (5, 'wm2', 'u3')")
            with tag_counts.links_of_new_relations(tx, 4):
                assert not tx.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                                      (tag_counts.INSERT_TRIGGER,)).fetchall()
                tx.executemany("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (5, ?)",
                               [(1,), (2,), (3,)])
        assert conn.execute("SELECT tag_count FROM relation WHERE id = 5").fetchone() == (3,)
        with pytest.raises(RuntimeError, match="planned failure"), cache.write() as tx:
            tx.execute("INSERT INTO relation (id, external_userid, userid) VALUES (6, 'wm1', 'u3')")
            with tag_counts.links_of_new_relations(tx, 5):
                tx.execute("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (6, 1)")
                raise RuntimeError("planned failure")
        with cache.write() as tx:  # the rollback restored the trigger: a single link counts
            tx.execute("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (4, 3)")
        assert conn.execute("SELECT tag_count FROM relation WHERE id = 4").fetchone() == (1,)
        assert _wrong(conn) == []
        with pytest.raises(RuntimeError, match="write transaction"), \
                tag_counts.links_of_new_relations(conn, 0):
            pass


def test_a_sync_counts_new_relations_and_the_changes_it_sees(
        sandbox: Any, synced_ws: Any) -> None:
    cache = synced_ws.cache
    conn = cache.connection()
    assert conn.execute("SELECT count(*) FROM relation WHERE tag_count > 0").fetchone()[0] > 100
    assert _wrong(conn) == []
    (userid, external_userid), gone = sorted(sandbox.state.relations())[:2]
    had = sorted(sandbox.state.relation_tag_ids(userid, external_userid))
    unused = next(tag_id for (_g, _n), tag_id in sorted(sandbox.state.tag_ids_by_name().items())
                  if tag_id not in had)
    links = ("SELECT group_concat(rt.tag_pk) FROM relation r JOIN relation_tag rt"
             " ON rt.relation_id = r.id WHERE r.userid = ? AND r.external_userid = ?")
    before = conn.execute(links, (userid, external_userid)).fetchone()
    relations = conn.execute("SELECT count(*) FROM relation").fetchone()[0]
    sandbox.state.console_mark_tag(userid, external_userid, add=[unused], remove=had[:1])
    sandbox.state.delete_relation(*gone)
    run_sync(synced_ws.client(), cache)
    assert conn.execute(links, (userid, external_userid)).fetchone() != before
    assert conn.execute("SELECT count(*) FROM relation").fetchone()[0] == relations - 1
    assert _wrong(conn) == []
    cold = FilterEngine(cache, on_cold=lambda: None)
    warm = FilterEngine(cache)
    warm.prepare()
    for text in ("tags>=3", "tags<2", "tags=0"):
        assert cold.evaluate(text) == warm.evaluate(text), text
        assert cold.count(text) == warm.count(text), text
