"""Filter latency on a synthetic cache of 100,000 customers and ~1,000,000 tag links.

Run: `.venv/bin/python tests/bench/bench_filter.py [--customers N] [--seed S] [--just-opened]`.
Builds the cache with plain SQL in a temporary folder (Zipf tag usage, seeded; the folded
texts signed, as the app does after a sync), then
prints per typical filter: FilterEngine.count() p50/p95 cold (just after invalidate()),
cold as the GUI answers it with nothing kept nor stored (an engine given `on_cold`: one
SQL query while the bitmaps rebuild on a worker), cold on a just-opened cache (a new
connection and engine: nothing `prepare()` stores in the cache, its relation map, its
map and the bitmaps of the tags with many links), cold again once the GUI's engine has prepared (the relations the
same since: a tagging write, a sync that added or removed none, so its relation ->
customer map is kept and a count without `text:`, dates or tag counts builds only the
bitmaps its leaves need), right after a tag rename (the bitmaps kept), right after a sync (a data_version bump, then `prepare()` as the sync's worker does it)
and warm, the same count done by plain SQL in the same run, and their ratio. Also
times the first page of ids (relation_ids, limit 200), also sorted on a just-opened cache
with and without the name and owner orders `prepare()` stores, a text filter being typed,
and a typical count right after a 50-relation tagging write: cold (the kept bitmaps dropped,
as before `refresh_relations`) and patched by `refresh_relations`.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.store import search_text, sort_keys, tag_counts
from desktop.store.db import Cache
from desktop.store.filter_engine import FilterCount, FilterEngine
from desktop.store.snapshot import bump_data_version

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞宇浩然子涵欣怡梓轩"
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "西安", "南京", "苏州"]
TRADES = ["科技", "贸易", "教育", "医疗", "咨询", "物流", "餐饮", "地产"]
ROLES = ["采购", "老板", "财务", "王总", "经理", "Acme 对接人", "家长", ""]

NAMED_TAGS = [  # the names typical filters use, at the top of the Zipf ranking
    ("意向", "高意向"), ("客户等级", "VIP"), ("意向", "意向中"), ("复购", "VIP"),
    ("意向", "已流失"), ("客户等级", "普通"), ("意向", "低意向"), ("复购", "三次复购客户"),
    ("行业类型", "教育"), ("行业类型", "教育/K12"), ("行业类型", "教育/K12/小学"),
    ("行业类型", "教育/职业培训"), ("行业类型", "金融/银行"), ("行业类型", "金融/保险"),
    ("客户等级", "重要"), ("复购", "首购"),
]
FILTERS = [
    "高意向",
    "高意向 客户等级:VIP",
    "高意向 -已流失",
    "group:客户等级",
    "教育/*",
    "(高意向 | 意向中) owner:u0007",
    "dept:销售三部 added>=2025-01-01",
    "text:北京",
    "tags>=10",
    "渠道:展会A | state:web2025",
    "(客户等级:VIP | 复购:VIP) -已流失 added<2025-06-30",
    "",
]


def build(path: Path, customers: int, seed: int) -> dict[tuple[str, str], int]:
    """Fill a cache; returns the local pk of each (group, tag) name."""
    rng = random.Random(seed)
    groups = ["客户等级", "复购", "意向", "行业类型"] + [f"MKT-活动{i:02d}" for i in range(56)]
    tags = list(NAMED_TAGS) + [(g, f"{g[4:]}-{j:02d}") for g in groups[4:] for j in range(26)]
    pks = {tag: pk for pk, tag in enumerate(tags, start=1)}
    weights = list(accumulate(1 / rank ** 0.9 for rank in range(1, len(tags) + 1)))
    t0, t1 = datetime(2023, 1, 1).timestamp(), datetime(2026, 1, 1).timestamp()
    members = [f"u{i:04d}" for i in range(200)]
    with Cache(path) as cache, cache.write() as tx:
        tx.executemany("INSERT INTO tag_group(id, name) VALUES (?, ?)",
                       [(f"g{i}", g) for i, g in enumerate(groups)])
        tx.executemany("INSERT INTO tag(pk, id, group_id, name) VALUES (?, ?, ?, ?)", [
            (pk, f"t{pk}", f"g{groups.index(g)}", name) for (g, name), pk in pks.items()
        ])
        departments = [(1, "总部", 0), (2, "华东", 1), (3, "华南", 1)] + [
            (10 + i, f"销售{'一二三四五六七八九十'[i]}部", 2 + i % 2) for i in range(10)
        ]
        tx.executemany("INSERT INTO department(id, name, parent_id) VALUES (?, ?, ?)",
                       departments)
        tx.executemany("INSERT INTO member(userid, name) VALUES (?, ?)",
                       [(m, rng.choice(SURNAMES) + rng.choice(GIVEN)) for m in members])
        tx.executemany("INSERT INTO member_department(userid, department_id) VALUES (?, ?)",
                       [(m, 10 + i % 10) for i, m in enumerate(members)])
        tx.executemany("INSERT INTO contact_way(config_id, state, remark) VALUES (?, ?, ?)",
                       [("c1", "expo2026", "展会A"), ("c2", "expo2026b", "展会A"),
                        ("c3", "web2025", "官网")])
        people: list[tuple[str, str, str]] = []
        relations: list[tuple[Any, ...]] = []
        links: list[tuple[int, int]] = []
        for c in range(customers):
            external_userid = f"wm{c:07d}"
            people.append((external_userid, rng.choice(SURNAMES) + rng.choice(GIVEN) * 2,
                           rng.choice(CITIES) + rng.choice(TRADES) + "有限公司"))
            for owner in rng.sample(members, rng.choices([1, 2, 3], [82, 14, 4])[0]):
                rid = len(relations) + 1
                relations.append((
                    rid, external_userid, owner, rng.choice(ROLES), rng.choice(CITIES + ROLES),
                    int(rng.uniform(t0, t1)), rng.choice(["", "", "", "expo2026", "web2025"]),
                ))
                picked = set(rng.choices(range(1, len(tags) + 1), cum_weights=weights,
                                         k=rng.randrange(2, 17)))
                links.extend((rid, pk) for pk in sorted(picked))
        tx.executemany("INSERT INTO customer(external_userid, name, corp_name) VALUES (?, ?, ?)",
                       people)
        tx.executemany(
            "INSERT INTO relation(id, external_userid, userid, remark, description, createtime,"
            " state) VALUES (?, ?, ?, ?, ?, ?, ?)", relations,
        )
        with tag_counts.links_of_new_relations(tx, 0):  # as a sync's merge does
            tx.executemany("INSERT INTO relation_tag(relation_id, tag_pk) VALUES (?, ?)", links)
        search_text.refresh(tx)  # as a sync's merge does
        sort_keys.refresh(tx)  # the names' pinyin sort keys, as a sync writes them
        cache.set_meta(tx, "data_version", "1")
    print(f"cache: {customers:,} customers, {len(relations):,} relations, {len(links):,} links,"
          f" {len(tags):,} tags")
    return pks


def sql_for(text: str, pks: dict[tuple[str, str], int]) -> tuple[str, tuple[object, ...]]:
    """The same filter written by hand as one plain SQL count."""
    def tagged(*names: tuple[str, str]) -> str:
        keys = ",".join(str(pks[n]) for n in names)
        return f"r.id IN (SELECT relation_id FROM relation_tag WHERE tag_pk IN ({keys}))"

    high, vip, mid, churned = ("意向", "高意向"), ("客户等级", "VIP"), ("意向", "意向中"), (
        "意向", "已流失")
    edu = [n for n in pks if n[0] == "行业类型" and n[1].split("/")[0] == "教育"]
    level = [n for n in pks if n[0] == "客户等级"]
    jan = int(datetime(2025, 1, 1).timestamp())
    jul = int(datetime(2025, 6, 30).timestamp())
    where = {
        "高意向": (tagged(high), ()),
        "高意向 客户等级:VIP": (f"{tagged(high)} AND {tagged(vip)}", ()),
        "高意向 -已流失": (f"{tagged(high)} AND NOT {tagged(churned)}", ()),
        "group:客户等级": (tagged(*level), ()),
        "教育/*": (tagged(*edu), ()),
        "(高意向 | 意向中) owner:u0007": (f"({tagged(high)} OR {tagged(mid)})"
                                        " AND r.userid = ?", ("u0007",)),
        "dept:销售三部 added>=2025-01-01": (
            "r.userid IN (SELECT userid FROM member_department WHERE department_id = 12)"
            " AND r.createtime >= ?", (jan,)),
        "text:北京": (
            "(r.remark LIKE ? OR r.description LIKE ? OR r.remark_corp_name LIKE ?"
            " OR c.name LIKE ? OR c.corp_name LIKE ? OR c.corp_full_name LIKE ?)",
            ("%北京%",) * 6),
        "tags>=10": ("(SELECT count(*) FROM relation_tag t WHERE t.relation_id = r.id) >= 10",
                     ()),
        "渠道:展会A | state:web2025": ("r.state IN ('expo2026', 'expo2026b', 'web2025')", ()),
        "(客户等级:VIP | 复购:VIP) -已流失 added<2025-06-30": (
            f"({tagged(vip)} OR {tagged(('复购', 'VIP'))}) AND NOT {tagged(churned)}"
            " AND r.createtime < ?", (jul,)),
        "": ("1", ()),
    }[text]
    join = " JOIN customer c ON c.external_userid = r.external_userid" if "c." in where[0] else ""
    return (f"SELECT count(*), count(DISTINCT r.external_userid) FROM relation r{join}"
            f" WHERE {where[0]}", where[1])


def first_row(conn: sqlite3.Connection, sql: str, params: Sequence[object]) -> object:
    return conn.execute(sql, params).fetchone()


def timed(action: Callable[[], object], runs: int, before: Callable[[], None] | None = None,
          ) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def p(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def tag_fifty(cache: Cache, rng: random.Random, pk: int) -> list[int]:
    """Toggle one tag on 50 random relations the way the outbox does: a commit each."""
    high = int(str(cache.scalar("SELECT max(id) FROM relation")))
    ids = rng.sample(range(1, high + 1), min(50, high))
    for rid in ids:
        with cache.write() as tx:
            if tx.execute("DELETE FROM relation_tag WHERE relation_id = ? AND tag_pk = ?",
                          (rid, pk)).rowcount == 0:
                tx.execute("INSERT INTO relation_tag(relation_id, tag_pk) VALUES (?, ?)",
                           (rid, pk))
            bump_data_version(cache, tx)
    return ids


def after_a_tagging_write(cache: Cache, engine: FilterEngine, pks: dict[tuple[str, str], int],
                          runs: int, seed: int) -> None:
    """The next count of a typical filter after 50 relations were tagged: cold vs patched."""
    rng = random.Random(seed)
    text, pk = "高意向 -已流失", pks[("意向", "高意向")]
    for warm_up in FILTERS:
        engine.count(warm_up)
    cold, patched, refresh = [], [], []
    for _ in range(runs):
        tag_fifty(cache, rng, pk)
        engine.invalidate()
        cold += timed(lambda: engine.count(text), 1)[0]
        for warm_up in FILTERS:
            engine.count(warm_up)
        ids = tag_fifty(cache, rng, pk)
        started = time.perf_counter()
        engine.refresh_relations(ids)
        refresh.append((time.perf_counter() - started) * 1000)
        patched += timed(lambda: engine.count(text), 1)[0]
        if engine.count(text) != FilterEngine(cache).count(text):
            raise SystemExit(f"mismatch after refresh_relations for {text!r}")
    print(f"\nafter a 50-relation tagging write (50 commits), the next count of {text}:")
    print(f"  cold (kept bitmaps dropped)    p50 {p(cold, .5):7.1f} ms")
    print(f"  refresh_relations(50 ids)      p50 {p(refresh, .5):7.2f} ms,"
          f" then the count p50 {p(patched, .5):.2f} ms")


def just_opened(cache: Cache, plains: dict[str, float], runs: int) -> None:
    """The first count on a just-opened cache (a new connection and engine, as the GUI's):
    with nothing `prepare()` stores, with its relation map only, and with the map and the
    bitmaps of the tags with many links (stored for the current data), alternating; wall
    and CPU time."""
    FilterEngine(cache, on_cold=lambda: None).prepare()
    conn = cache.connection()
    stored = conn.execute("SELECT relation_set, parts FROM filter_relation_set").fetchone()
    tags = conn.execute("SELECT tag_pk, data_version, crc, bitmap FROM filter_tag_bitmap"
                        ).fetchall()
    print("\ncold on a just-opened cache (a new connection and the GUI's engine): nothing"
          " prepare() stores / its map only / the map and the big tags' bitmaps, alternating:")
    print(f"{'filter':<44} {'none stored p50/p95':>20} {'CPU p50':>8} {'map p50/p95':>14}"
          f" {'CPU p50':>8} {'map+tags p50/p95':>17} {'CPU p50':>8} {'SQL/it':>7}")
    p95s: list[float] = []
    for text, plain in plains.items():
        times: dict[int, list[tuple[float, float]]] = {0: [], 1: [], 2: []}
        for _ in range(runs):
            for kept in (0, 1, 2):
                with cache.write() as tx:
                    tx.execute("DELETE FROM filter_relation_set")
                    tx.execute("DELETE FROM filter_tag_bitmap")
                    if kept:
                        tx.execute("INSERT INTO filter_relation_set (id, relation_set, parts)"
                                   " VALUES (1, ?, ?)", stored)
                    if kept == 2:
                        tx.executemany("INSERT INTO filter_tag_bitmap (tag_pk, data_version,"
                                       " crc, bitmap) VALUES (?, ?, ?, ?)", tags)
                with Cache(cache.path) as opened:
                    engine = FilterEngine(opened, on_cold=lambda: None)
                    cpu, wall = time.process_time(), time.perf_counter()
                    engine.count(text)
                    times[kept].append(((time.perf_counter() - wall) * 1000,
                                        (time.process_time() - cpu) * 1000))
        walls = [[w for w, _ in times[k]] for k in (0, 1, 2)]
        cpus = [[c for _, c in times[k]] for k in (0, 1, 2)]
        p95s.append(p(walls[2], .95))
        print(f"{text or '(all)':<44} " + " ".join(
            f"{p(walls[k], .5):>8.1f}/{p(walls[k], .95):<7.1f} {p(cpus[k], .5):>7.1f}"
            for k in (0, 1, 2)) + f" {plain / p(walls[2], .5):>6.1f}x")
    print(f"just opened, the map and tags stored: max p95 {max(p95s):.1f} ms,"
          f" {sum(t <= 50 for t in p95s)} of {len(p95s)} at most 50 ms"
          f" (load average {os.getloadavg()[0]:.1f})")


def just_opened_sorts(cache: Cache, runs: int) -> None:
    """The first page (200 ids) sorted by name, owner or add time on a just-opened cache (a
    new connection and the GUI's engine), with the orders `prepare()` stored (if this code
    stores them) and with none stored, alternating."""
    FilterEngine(cache, on_cold=lambda: None).prepare(("createtime", "name", "owner"))
    conn = cache.connection()
    stores = conn.execute("SELECT EXISTS (SELECT 1 FROM sqlite_master"
                          " WHERE name = 'filter_sort_order')").fetchone()[0]
    stored = conn.execute("SELECT * FROM filter_sort_order").fetchall() if stores else []
    print("\nfirst page of ids (200) sorted, on a just-opened cache (the GUI's engine):"
          " orders stored / none stored, alternating")
    for order_by in ("name", "owner", "createtime"):
        for text in ("高意向 -已流失", ""):
            times: dict[bool, list[float]] = {True: [], False: []}
            for _ in range(runs):
                for kept in (True, False) if stores else (False,):
                    with cache.write() as tx:
                        if stores:
                            tx.execute("DELETE FROM filter_sort_order")
                        if kept:
                            tx.executemany("INSERT INTO filter_sort_order VALUES (?, ?, ?, ?)",
                                           stored)
                    with Cache(cache.path) as opened:
                        engine = FilterEngine(opened, on_cold=lambda: None)
                        times[kept] += timed(partial(engine.relation_ids, text,
                                                     order_by=order_by, limit=200), 1)[0]
            shown = (f"p50 {p(times[True], .5):6.1f} / p95 {p(times[True], .95):6.1f} ms"
                     if times[True] else "not stored by this code")
            print(f"  order_by={order_by:<10} {text or '(all)':<16} stored {shown};"
                  f"  none stored p50 {p(times[False], .5):6.1f} / p95"
                  f" {p(times[False], .95):6.1f} ms")
    with cache.write() as tx:  # as prepare() left them, for what is timed next
        if stores:
            tx.execute("DELETE FROM filter_sort_order")
        tx.executemany("INSERT INTO filter_sort_order VALUES (?, ?, ?, ?)", stored)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--cold-runs", type=int, default=7)
    parser.add_argument("--warm-runs", type=int, default=40)
    parser.add_argument("--quick", action="store_true", help="10,000 customers, fewer runs")
    parser.add_argument("--just-opened", action="store_true",
                        help="only the first count and sorted page on a just-opened cache")
    args = parser.parse_args()
    if args.quick:
        args.customers, args.cold_runs, args.warm_runs = 10_000, 3, 10
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite"
        started = time.perf_counter()
        pks = build(path, args.customers, args.seed)
        print(f"built in {time.perf_counter() - started:.1f} s\n")
        with Cache(path) as cache:
            engine = FilterEngine(cache)
            engine.sign_texts()  # as the app does on a worker after each sync
            from_sql = FilterEngine(cache, on_cold=lambda: None)  # the GUI's, while cold
            kept_map = FilterEngine(cache, on_cold=lambda: None)  # … with the relations kept
            kept_map.prepare()
            conn = cache.connection()
            if args.just_opened:
                just_opened(cache, {text: p(timed(partial(first_row, conn, *sql_for(text, pks)),
                                                  3)[0], .5) for text in FILTERS},
                            args.cold_runs)
                just_opened_sorts(cache, args.cold_runs)
                return

            def nothing_stored() -> None:
                """The GUI's engine with nothing kept, on a cache that stores no map."""
                with cache.write() as tx:
                    tx.execute("DELETE FROM filter_relation_set")
                from_sql.invalidate()
            prepare_times: list[float] = []

            gui = FilterEngine(cache, on_cold=lambda: None)  # the GUI's, across tag edits
            renames = iter(range(10**6))

            def renamed() -> None:
                """A prepared engine, then a tag renamed as the tag editor does it."""
                gui.prepare()
                with cache.write() as tx:
                    tx.execute("UPDATE tag SET name = ? WHERE pk = ?",
                               (f"改名{next(renames)}", len(pks)))
                    bump_data_version(cache, tx, names_only=True)

            def synced() -> None:
                """A sync's commit (a data_version bump), then its worker's prepare()."""
                with cache.write() as tx:
                    bump_data_version(cache, tx)
                started = time.perf_counter()
                engine.prepare()
                prepare_times.append((time.perf_counter() - started) * 1000)

            print(f"{'filter':<44} {'relations':>9} {'cold p50/p95':>15} {'sync p50/p95':>14}"
                  f" {'warm p50/p95':>14} {'SQL p50':>9} {'SQL/warm':>9} {'SQL/cold':>9}"
                  f" {'SQL/sync':>9} {'cold from SQL p50/p95':>22} {'SQL/it':>7}"
                  f" {'cold, map kept p50/p95':>23} {'SQL/it':>7}"
                  f" {'renamed p50/p95':>16}")
            warm_p95s, synced_p95s, sql_p95s, sql_ratios = [], [], [], []
            map_p95s: list[float] = []
            map_ratios: list[float] = []
            plains: dict[str, float] = {}
            renamed_p95s: list[float] = []
            for text in FILTERS:
                cold, counted = timed(partial(engine.count, text), args.cold_runs,
                                      before=engine.invalidate)
                after_sync, _ = timed(partial(engine.count, text), args.cold_runs,
                                      before=synced)
                warm, _ = timed(partial(engine.count, text), args.warm_runs)
                sql, params = sql_for(text, pks)
                plain, row = timed(partial(first_row, conn, sql, params), max(3, args.cold_runs))
                cold_sql, answered = timed(partial(from_sql.count, text), args.cold_runs,
                                           before=nothing_stored)
                cold_map, mapped = timed(partial(kept_map.count, text), args.cold_runs,
                                         before=kept_map.invalidate)
                after_rename, kept = timed(partial(gui.count, text), args.cold_runs,
                                           before=renamed)
                assert isinstance(counted, FilterCount) and isinstance(row, tuple)
                if ((counted.relations, counted.customers) != tuple(row) or answered != counted
                        or kept != counted or mapped != counted):
                    raise SystemExit(f"mismatch for {text!r}: {counted} vs SQL {row}"
                                     f" vs cold from SQL {answered}")
                warm_p95s.append(p(warm, 0.95))
                synced_p95s.append(p(after_sync, 0.95))
                sql_p95s.append(p(cold_sql, 0.95))
                sql_ratios.append(p(plain, .5) / p(cold_sql, .5))
                map_p95s.append(p(cold_map, 0.95))
                map_ratios.append(p(plain, .5) / p(cold_map, .5))
                plains[text] = p(plain, .5)
                print(f"{text or '(all)':<44} {counted.relations:>9,} "
                      f"{p(cold, .5):>7.1f}/{p(cold, .95):<7.1f} {p(after_sync, .5):>6.1f}/"
                      f"{p(after_sync, .95):<7.1f} {p(warm, .5):>6.2f}/"
                      f"{p(warm, .95):<7.2f} {p(plain, .5):>9.1f} "
                      f"{p(plain, .5) / max(p(warm, .5), 1e-3):>8.0f}x "
                      f"{p(plain, .5) / p(cold, .5):>8.1f}x "
                      f"{p(plain, .5) / max(p(after_sync, .5), 1e-3):>8.1f}x "
                      f"{p(cold_sql, .5):>13.1f}/{p(cold_sql, .95):<8.1f}"
                      f"{p(plain, .5) / p(cold_sql, .5):>6.1f}x "
                      f"{p(cold_map, .5):>14.1f}/{p(cold_map, .95):<8.1f}"
                      f"{p(plain, .5) / p(cold_map, .5):>6.1f}x "
                      f"{p(after_rename, .5):>7.1f}/{p(after_rename, .95):<7.1f}")
                renamed_p95s.append(p(after_rename, .95))
            print(f"\nwarm p95 over all filters: max {max(warm_p95s):.2f} ms")
            print(f"cold, answered from SQL (the GUI's engine while it warms, nothing kept nor"
                  f" stored): max p95"
                  f" {max(sql_p95s):.1f} ms; plain SQL / it: {min(sql_ratios):.1f}x"
                  f" to {max(sql_ratios):.1f}x (p50s)")
            print(f"cold, relations unchanged since the last prepare (the relation -> customer"
                  f" map kept): max p95 {max(map_p95s):.1f} ms, {sum(t <= 50 for t in map_p95s)}"
                  f" of {len(map_p95s)} at most 50 ms; plain SQL / it: {min(map_ratios):.1f}x"
                  f" to {max(map_ratios):.1f}x (p50s)")
            print(f"first filter after a tag rename (bitmaps kept, names reloaded): max p95"
                  f" {max(renamed_p95s):.1f} ms")
            print(f"first filter after a sync (prepared by the sync's worker): max p95"
                  f" {max(synced_p95s):.1f} ms; prepare() p50 {p(prepare_times, .5):.0f} ms,"
                  f" p95 {p(prepare_times, .95):.0f} ms (on the sync's worker, after its commit)")
            just_opened(cache, plains, args.cold_runs)
            just_opened_sorts(cache, args.cold_runs)
            print("\nfirst page of ids (relation_ids, limit 200):")
            for order_by in ("createtime", "name", "owner"):
                for text in ("高意向 -已流失", ""):
                    first_ids = partial(engine.relation_ids, text, order_by=order_by, limit=200)
                    cold, _ = timed(first_ids, args.cold_runs, before=engine.invalidate)
                    warm, _ = timed(first_ids, args.warm_runs)
                    print(f"  order_by={order_by:<10} {text or '(all)':<16} cold p50 "
                          f"{p(cold, .5):6.1f} ms   warm p50 {p(warm, .5):6.2f} ms")
            print("\ntyping a text filter (each keystroke is a new needle, index warm):")
            engine.count("")
            engine.count("text:x")
            for typed in ("text:北", "text:北京", "text:王", "text:王总", "text:acme"):
                times, counted = timed(partial(engine.count, typed), 1)
                print(f"  {typed:<12} {times[0]:6.1f} ms  {counted}")
            after_a_tagging_write(cache, engine, pks, args.cold_runs, args.seed)


if __name__ == "__main__":
    main()
