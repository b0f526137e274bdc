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


TEXTS = ["text:北京", "text:北", "text:京", "text:台灣", "text:台湾", "text:acme", "text:ACME",
         "text:ａｃｍｅ", "text:ac", 'text:"cme 北"', 'text:"北 京"', "text:王总", "text:总",
         "text:老板", "text:板", "text:wm", "text:wm2", "text:[]", "text:李雷", "text:贸易公司",
         "text:ß", "text:ss", "text:①", "text:1", "-text:北京", "text:北京 | text:上海"]


def _signed_cache(cache: Cache) -> None:
    with cache.write() as tx:
        tx.executemany("INSERT INTO customer (external_userid, name, corp_name) VALUES (?, ?, ?)",
                       [("wm3", "陈ACME", "台灣北京貿易"), ("wm4", "Straße", "①号 台湾")])
        tx.executemany(
            "INSERT INTO relation (id, external_userid, userid, remark, description)"
            " VALUES (?, ?, ?, ?, ?)",
            [(4, "wm3", "u1", "王总", "北 京"), (5, "wm4", "u2", "ＡＣＭＥ 老板", "1号")])
        search_text.refresh(tx)
    FilterEngine(cache).sign_texts()


def _assert_as_warm(cache: Cache) -> None:
    """A just-opened engine (searching in SQL) answers as one that keeps the folded texts."""
    warm = FilterEngine(cache)
    warm.count("text:x")
    assert warm._index is not None and warm._index.has("text")
    for text in TEXTS:
        cold = FilterEngine(cache, on_cold=lambda: None)
        assert cold.evaluate(text) == warm.evaluate(text), text
        assert cold.count(text) == warm.count(text), text


def test_a_signature_has_every_bit_of_each_needle_its_text_contains() -> None:
    texts = [fold_text(t) for t in ("老板\x1f北京贸易\x1fwm1\x1f[\"138 0000\"]", "Ａcme Straße ①",
                                   "台灣 台湾 𠀋 é e\u0301", "")]
    for text in texts:
        bits = search_text.signature(text)
        assert 0 <= bits < 2**63
        for start in range(len(text)):
            for end in range(start + 1, min(len(text), start + 4) + 1):
                needle = search_text.signature(text[start:end])
                assert needle & bits == needle, (text, text[start:end])
    assert search_text.signature("北京") & ~search_text.signature("上海贸易") != 0


def test_signing_gives_every_folded_text_its_signature_and_searches_answer_as_before(cache: Cache) -> None:
    _signed_cache(cache)
    rows = cache.connection().execute("SELECT folded, sig FROM relation_search").fetchall()
    assert len(rows) == 5 and all(sig == search_text.signature(text) for text, sig in rows)
    _assert_as_warm(cache)
    assert set(FilterEngine(cache, on_cold=lambda: None).evaluate("text:北京")) == {1, 2, 4}
    assert set(FilterEngine(cache, on_cold=lambda: None).evaluate("text:acme")) == {1, 2, 4, 5}


def test_a_text_written_after_signing_is_searched_whatever_its_signature_said(
    cache: Cache,
) -> None:
    _signed_cache(cache)
    raw = sqlite3.connect(cache.path, isolation_level=None)  # no TagDesk functions on it
    raw.execute("UPDATE customer SET name = '周杰' WHERE external_userid = 'wm2'")
    raw.execute("UPDATE relation SET remark = '杭州 VIP' WHERE id = 4")
    raw.execute("UPDATE relation_search SET folded = '深圳\x1f' || folded WHERE relation_id = 5")
    raw.close()
    rows = dict(cache.connection().execute("SELECT relation_id, sig FROM relation_search"))
    assert rows[4] is None and rows[5] is None and rows[1] is not None  # 5: folded in place
    assert set(FilterEngine(cache, on_cold=lambda: None).evaluate("text:深圳")) == {5}
    assert set(FilterEngine(cache, on_cold=lambda: None).evaluate("text:周杰")) == {3}
    assert set(FilterEngine(cache, on_cold=lambda: None).evaluate("text:杭州")) == {4}
    _assert_as_warm(cache)
    with cache.write() as tx:
        search_text.refresh(tx)  # folded again: unsigned until signed after the next sync
    _assert_as_warm(cache)
    FilterEngine(cache).sign_texts()
    rows = dict(cache.connection().execute("SELECT relation_id, sig FROM relation_search"))
    assert None not in rows.values()
    _assert_as_warm(cache)
