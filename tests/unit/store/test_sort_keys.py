"""Customers and members sort by pinyin: 李 (li) before 张 (zhang), whatever their code points."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from desktop.domain.sort_key import person_sort_key, pinyin_sort_key
from desktop.services.sync import run_sync
from desktop.store import sort_keys
from desktop.store.db import Cache, _statements
from desktop.store.filter_engine import FilterEngine
from desktop.store.members import contact_members
from desktop.store.schema import MIGRATIONS


def test_names_sort_by_pinyin_and_latin_letters_fall_among_them() -> None:
    names = ["张三", "李四", "Tom", "林一", "李", "王小明", "alice", "阿强", ""]
    assert sorted(names, key=pinyin_sort_key) == [
        "", "阿强", "alice", "李", "李四", "林一", "Tom", "王小明", "张三"]
    assert "张" < "李"  # what code points alone would do


def test_surnames_read_as_surnames_in_names_and_as_words_elsewhere() -> None:
    names = ["张三", "曾小贤", "陈明", "单田芳", "邓超"]
    assert sorted(names, key=person_sort_key) == ["陈明", "邓超", "单田芳", "曾小贤", "张三"]
    assert sorted(names, key=pinyin_sort_key) == ["曾小贤", "陈明", "单田芳", "邓超", "张三"]


def test_an_older_cache_gets_the_keys_of_the_names_it_holds(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    before_keys = next(i for i, script in enumerate(MIGRATIONS) if "name_sort" in script)
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:before_keys]:
        for statement in _statements(script):
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {before_keys}")
    conn.executemany("INSERT INTO customer (external_userid, name) VALUES (?, ?)",
                     [("wm1", "张三"), ("wm2", "李四"), ("wm3", "曾小贤")])
    conn.commit()
    conn.close()
    with Cache(path) as cache:
        conn = cache.connection()
        ordered = [name for (name,) in conn.execute(
            "SELECT name FROM customer ORDER BY name_sort")]
        plan = " ".join(str(row) for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT external_userid FROM customer ORDER BY name_sort"))
    assert ordered == ["李四", "曾小贤", "张三"]   # zeng, not ceng
    assert "customer_by_name_sort" in plan


def test_a_sync_keys_new_and_renamed_customers_and_the_table_orders_by_them(
        sandbox: Any, synced_ws: Any) -> None:
    cache = synced_ws.cache
    first, second = (row[0] for row in cache.connection().execute(
        "SELECT external_userid FROM customer ORDER BY external_userid LIMIT 2"))
    with sandbox.state.transaction() as conn:
        conn.execute("UPDATE customer SET name = '张三' WHERE external_userid = ?", (first,))
        conn.execute("UPDATE customer SET name = '李四' WHERE external_userid = ?", (second,))
    run_sync(synced_ws.client(), cache)
    conn = cache.connection()
    blank = conn.execute(
        "SELECT count(*) FROM customer WHERE name <> '' AND name_sort = ''").fetchone()[0]
    assert blank == 0
    assert conn.execute("SELECT name_sort FROM customer WHERE external_userid = ?",
                        (first,)).fetchone()[0] == person_sort_key("张三")
    names = dict(conn.execute("SELECT r.id, c.name FROM relation r JOIN customer c"
                              " ON c.external_userid = r.external_userid"))
    ordered = [names[i] for i in FilterEngine(cache).relation_ids("", order_by="name",
                                                                   descending=False)]
    assert ordered == sorted(ordered, key=person_sort_key) != sorted(ordered)
    assert ordered.index("李四") < ordered.index("张三")
    members = [name for _userid, name in contact_members(cache)]
    assert members == sorted(members, key=person_sort_key)


def test_the_pinyin_collation_orders_short_lists(tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite") as cache:
        rows = cache.connection().execute(
            f"SELECT column1 FROM (VALUES ('张'), ('李'), ('安'))"
            f" ORDER BY column1 COLLATE {sort_keys.PINYIN_COLLATION}").fetchall()
    assert [row[0] for row in rows] == ["安", "李", "张"]
