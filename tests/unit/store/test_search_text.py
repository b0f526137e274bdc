"""The folded search text: every write to a relation's or customer's fields makes its rows
stale, whichever connection wrote them; `refresh` folds them again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.domain.filter.suggest import fold_text
from desktop.store import search_text, sort_keys
from desktop.store.db import Cache, _statements
from desktop.store.filter_engine import FilterEngine
from desktop.store.schema import MIGRATIONS


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    with Cache(tmp_path / "cache.sqlite") as cache:
        with cache.write() as tx:
            tx.executemany("INSERT INTO customer (external_userid, name, corp_name) VALUES (?, ?, ?)",
                           [("wm1", "王小明", "ＡＣＭＥ 北京"), ("wm2", "李雷", "上海贸易")])
            tx.executemany(
                "INSERT INTO relation (id, external_userid, userid, remark) VALUES (?, ?, ?, ?)",
                [(1, "wm1", "u1", "老板"), (2, "wm1", "u2", ""), (3, "wm2", "u1", "采购")])
            search_text.refresh(tx)
        yield cache


def _rows(cache: Cache) -> dict[int, str | None]:
    return dict(cache.connection().execute("SELECT relation_id, folded FROM relation_search"))


def test_refresh_folds_each_relations_fields_with_its_customers(cache: Cache) -> None:
    rows = _rows(cache)
    assert rows == {1: fold_text("老板\x1f\x1f\x1f王小明\x1fＡＣＭＥ 北京\x1f\x1fwm1\x1f[]"),
                    2: fold_text("\x1f\x1f\x1f王小明\x1fＡＣＭＥ 北京\x1f\x1fwm1\x1f[]"),
                    3: fold_text("采购\x1f\x1f\x1f李雷\x1f上海贸易\x1f\x1fwm2\x1f[]")}
    assert "acme 北京" in str(rows[1])
    assert not search_text.has_stale(cache.connection())


def test_writes_by_any_connection_make_rows_stale_and_filters_still_see_them(
    cache: Cache,
) -> None:
    raw = sqlite3.connect(cache.path, isolation_level=None)  # no TagDesk functions on it
    raw.execute("UPDATE customer SET name = '张三丰' WHERE external_userid = 'wm1'")
    raw.execute("UPDATE relation SET remark = 'Ｖｉｐ 客户' WHERE id = 3")
    raw.execute("INSERT INTO relation (id, external_userid, userid) VALUES (4, 'wm2', 'u3')")
    raw.execute("DELETE FROM relation WHERE id = 2")
    raw.execute("UPDATE relation SET createtime = 5 WHERE id = 1 OR id = 3")  # not searched
    raw.close()
    rows = _rows(cache)
    assert rows == {1: None, 3: None, 4: None}
    engine = FilterEngine(cache, on_cold=lambda: None)  # answers from SQL
    assert set(engine.evaluate("text:张三丰")) == {1}
    assert set(engine.evaluate("text:vip")) == {3}
    assert set(engine.evaluate("text:上海")) == {3, 4}
    assert not engine.evaluate("text:王小明")
    with cache.write() as tx:
        search_text.refresh(tx)
    assert not search_text.has_stale(cache.connection())
    assert "张三丰" in str(_rows(cache)[1]) and "vip 客户" in str(_rows(cache)[3])
    for text in ("text:张三丰", "text:vip", "text:上海", "text:王小明", "text:wm"):
        assert engine.evaluate(text) == FilterEngine(cache).evaluate(text), text
    assert set(engine.evaluate("text:wm")) == {1, 3, 4}


def test_a_customer_deleted_or_added_later_makes_its_relations_stale(cache: Cache) -> None:
    with cache.write() as tx:
        tx.execute("DELETE FROM customer WHERE external_userid = 'wm2'")
    assert _rows(cache)[3] is None
    assert not FilterEngine(cache, on_cold=lambda: None).evaluate("text:上海")
    with cache.write() as tx:
        search_text.refresh(tx)
        tx.execute("INSERT INTO customer (external_userid, name) VALUES ('wm2', '韩梅梅')")
    assert _rows(cache)[3] is None
    assert set(FilterEngine(cache, on_cold=lambda: None).evaluate("text:韩梅梅")) == {3}


def test_an_older_cache_gets_every_row_stale_until_its_next_refresh(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)  # a cache as migration 11 left it
    sort_keys.register(conn)
    for script in MIGRATIONS[:11]:
        for statement in _statements(script):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 11")
    conn.execute("INSERT INTO customer (external_userid, name) VALUES ('wm1', 'Ａlice')")
    conn.execute("INSERT INTO relation (id, external_userid, userid) VALUES (7, 'wm1', 'u1')")
    conn.commit()
    conn.close()
    with Cache(path) as cache:
        assert _rows(cache) == {7: None}
        assert set(FilterEngine(cache, on_cold=lambda: None).evaluate("text:alice")) == {7}
        with cache.write() as tx:
            search_text.refresh(tx)
        assert _rows(cache) == {7: fold_text("\x1f\x1f\x1fＡlice\x1f\x1f\x1fwm1\x1f[]")}
