"""How a first sync's direct write runs its statements in SQLite."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import signal
import sqlite3
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.domain.sort_key import person_sort_key
from desktop.store import direct_sync, search_text
from desktop.store.db import Cache
from desktop.store.direct_sync import INSERT_LINKS, open_sync_write
from desktop.store.snapshot import (
    CustomerRow,
    GroupRow,
    ItemsPage,
    PageItem,
    PageValues,
    RelationRow,
    Snapshot,
    TagRow,
    relation_signature,
    tag_hashes,
)

OE_ABORT = 2  # SQLite's conflict action ABORT, as EXPLAIN shows it in a Halt's P2


def test_a_pages_links_go_in_by_a_statement_that_never_aborts(tmp_path: Path) -> None:
    """A statement that may abort (SQLite's default conflict action) inside a transaction
    keeps a journal of every page it changes, to undo just itself: for a first sync of
    100,000 customers 1.35 GB written to a temporary file, page after page."""
    with Cache(tmp_path / "c.sqlite") as cache:
        program = cache.connection().execute(f"EXPLAIN {INSERT_LINKS}", (1, "[]")).fetchall()
    halts = [(opcode, p2) for _, opcode, _, p2, *_ in program if opcode in ("Halt", "HaltIfNull")]
    assert halts
    assert all(p2 != OE_ABORT for _, p2 in halts), halts


def test_a_customer_twice_on_a_page_keeps_its_last_row(tmp_path: Path) -> None:
    snap = Snapshot(groups=[GroupRow(id="eg1", name="组")],
                    tags=[TagRow(id="et1", group_id="eg1", name="高意向")])
    with Cache(tmp_path / "c.sqlite") as cache:
        with open_sync_write(cache, snap) as target:
            target.add([CustomerRow("wm1", "张三", corp_name="旧公司"),
                        CustomerRow("wm1", "张三丰", corp_name="新公司")],
                       [RelationRow("wm1", "lisi", tag_ids=("et1",)),
                        RelationRow("wm1", "wangwu")])
            target.write(snap)
        assert cache.connection().execute(
            "SELECT name, corp_name FROM customer").fetchall() == [("张三丰", "新公司")]


def test_a_page_prepared_on_another_thread_is_written_as_added(tmp_path: Path) -> None:
    snap = Snapshot(groups=[GroupRow(id="eg1", name="组")],
                    tags=[TagRow(id="et1", group_id="eg1", name="高意向"),
                          TagRow(id="et2", group_id="eg1", name="已报价")])
    page = [(CustomerRow(f"wm{i}", f"客户{i}"),
             RelationRow(f"wm{i}", "lisi", remark=f"备注{i}", tag_ids=("et2", "et1", "etX")))
            for i in range(50)]
    tables = ("SELECT * FROM customer ORDER BY external_userid",
              "SELECT * FROM relation ORDER BY id", "SELECT * FROM relation_tag",
              "SELECT * FROM relation_search ORDER BY relation_id")
    written = []
    for on_a_chain in (False, True):
        with Cache(tmp_path / f"c{on_a_chain}.sqlite") as cache:
            with open_sync_write(cache, snap) as target:
                if on_a_chain:
                    with ThreadPoolExecutor(max_workers=1) as chain:
                        target.add_prepared(chain.submit(target.prepare_page, ItemsPage(page)).result())
                else:
                    target.add_page(page)
                result = target.write(snap)
            conn = cache.connection()
            written.append(([conn.execute(sql).fetchall() for sql in tables], result.tag_links))
    assert written[0] == written[1]
    assert written[1][1] == 100


@dataclass(frozen=True)
class ValuesPage:
    """A relation page as WeCom's client reads it: values first, objects made of them."""

    values: list[PageValues]

    @property
    def items(self) -> list[PageItem]:
        return [(CustomerRow(*c[:8]), RelationRow(
                    c[0], userid, remark, description, createtime, add_way, state, oper_userid,
                    remark_corp_name, tuple(remark_mobiles), tuple(tag_ids)))
                for c, (userid, remark, description, createtime, remark_corp_name,
                        remark_mobiles, oper_userid, add_way, state), tag_ids in self.values]


def test_a_page_written_from_its_values_is_written_as_its_objects_are(tmp_path: Path) -> None:
    """The rows, links, folded text, sort keys and signatures a first sync writes from a
    page's values are those its rows as objects give; each signature is the one a re-sync's
    staging makes of the same row, so a re-sync finds the relation unchanged."""
    page = ValuesPage([
        (("wm1", "张三", 2, 1, "公司", "全称", "经理", "un1", "http://avatar"),
         ("lisi", "备注", "描述", 1700000000, "备注公司", ("138", "+86 139"), "wangwu", 202,
          "expo"), ("et2", "et1", "etGone")),
        (("wm2", "", 1, 0, "", "", "", "", ""), ("lisi", "", "", 0, "", (), "", 0, ""), ()),
        (("wm1", "张三丰", 2, 1, "新公司", "", "", "un1", ""),
         ("zhaoliu", "ＡＢＣ", "e\u0301", 1700000001, "", ('1"2',), "", 1, ""), ("et3",)),
        (("wm2", "李四", 1, 2, "", "", "", "", ""), ("lisi", "again", "", 5, "", (), "", 3, ""),
         ("et8", "et1")),
    ])
    tables = ("SELECT * FROM customer ORDER BY external_userid",
              "SELECT * FROM relation ORDER BY id", "SELECT * FROM relation_tag",
              "SELECT * FROM relation_search ORDER BY relation_id")
    written = []
    for as_values in (True, False):
        with Cache(tmp_path / f"c{as_values}.sqlite") as cache:
            with open_sync_write(cache, EIGHT_TAGS) as target:
                if as_values:
                    target.add_prepared(target.prepare_page(page))
                else:
                    target.add_page(page.items)
                result = target.write(EIGHT_TAGS)
            conn = cache.connection()
            written.append(([conn.execute(sql).fetchall() for sql in tables], result.tag_links))
            signatures = conn.execute("SELECT userid || char(10) || external_userid, sync_sig"
                                      " FROM relation").fetchall()
    assert written[0] == written[1]
    assert written[0][1] == 5
    hashes = tag_hashes(t.id for t in EIGHT_TAGS.tags)
    latest = {f"{r.userid}\n{c.external_userid}": relation_signature(r, hashes, c)
              for c, r in page.items}
    assert dict(signatures) == latest


EDGES = ["e\u0301", "\u0301x", "ＡＢＣ", "ß", "İ", "\u1100", "\u1161", "ｶ\u3099", ""]
"""Text whose folding could cross the edge between two fields: combining marks, Hangul
jamo, full width, case folds longer than their letter."""
MOBILES = [(), ("13800000000",), ("+86 138-0000-0000", "021 555"), ('1"2', "3\\4"), ("１３８",),
           ("\x00\x7f",)]


def test_a_first_sync_writes_the_text_mobiles_and_sort_keys_the_cache_makes_of_its_fields(
        tmp_path: Path) -> None:
    """Made in Python while the pages arrive, the folded search text, the mobiles' JSON and
    the names' sort keys are what the cache's own SQL (`search_text.refresh`), JSON and sort
    keys make of the same fields, whatever sits at the edges of the fields."""
    page = []
    for i, (left, right) in enumerate(itertools.product(EDGES, repeat=2)):
        external_userid = f"wm{i}" if i % 3 else f"ＷM{i}ß\u0301"
        page.append((CustomerRow(external_userid, left + right, corp_name=right,
                                 corp_full_name=left),
                     RelationRow(external_userid, "lisi", remark=left, description=right,
                                 remark_corp_name=right + left,
                                 remark_mobiles=MOBILES[i % len(MOBILES)])))
    with Cache(tmp_path / "c.sqlite") as cache:
        with open_sync_write(cache, EIGHT_TAGS) as target:
            target.add_prepared(target.prepare_page(ItemsPage(page[:50])))
            target.add_page(page[50:])
            target.write(EIGHT_TAGS)
        conn = cache.connection()
        written = conn.execute("SELECT relation_id, folded FROM relation_search").fetchall()
        with cache.write() as tx:
            tx.execute("UPDATE relation_search SET folded = NULL")
            search_text.refresh(tx)
        assert conn.execute("SELECT relation_id, folded FROM relation_search").fetchall() == written
        assert len(written) == len(page)
        assert conn.execute("SELECT remark_mobiles FROM relation ORDER BY id").fetchall() == [
            (json.dumps(list(r.remark_mobiles)),) for _, r in page]
        assert conn.execute("SELECT name, name_sort FROM customer").fetchall() == [
            (c.name, person_sort_key(c.name) if c.name else "") for c, _ in page]


def _relations(count: int, prefix: str = "") -> tuple[list[CustomerRow], list[RelationRow]]:
    tags = tuple(f"et{t}" for t in range(1, 9))
    return ([CustomerRow(f"wm{prefix}{i}", f"客户{i}", corp_name=f"公司{i}") for i in range(count)],
            [RelationRow(f"wm{prefix}{i}", f"u{i % 40}", remark=f"备注{i} " * 8, tag_ids=tags)
             for i in range(count)])


EIGHT_TAGS = Snapshot(groups=[GroupRow(id="eg1", name="组")],
                      tags=[TagRow(id=f"et{t}", group_id="eg1", name=f"标签{t}")
                            for t in range(1, 9)])


def test_a_first_sync_leaves_copying_its_pages_into_the_file_to_the_next_write(
        tmp_path: Path) -> None:
    """Its commit writes the WAL only (at 100,000 customers the copy of 80 MB into the cache
    file took a quarter of a second at the end of the sync); the connection's own settings
    come back, and the next write to the cache copies them."""
    path = tmp_path / "c.sqlite"
    with Cache(path) as cache:
        conn = cache.connection()
        settings = ("PRAGMA cache_size", "PRAGMA wal_autocheckpoint")
        before = [conn.execute(pragma).fetchone()[0] for pragma in settings]
        with open_sync_write(cache, EIGHT_TAGS) as target:
            target.add(*_relations(8_000))
            target.write(EIGHT_TAGS)
        wal = path.with_name("c.sqlite-wal").stat().st_size
        assert path.stat().st_size * 4 < wal
        assert [conn.execute(pragma).fetchone()[0] for pragma in settings] == before
        with cache.write() as tx:
            tx.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
        assert path.stat().st_size > wal // 2
        assert cache.scalar("SELECT count(*) FROM relation_tag") == 64_000


def _killed_mid_sync(path: str) -> None:
    """A process that writes a first sync's pages past what its page cache holds, so SQLite
    writes them to the WAL, and dies before the commit."""
    import desktop.store.direct_sync as direct_sync

    direct_sync.FIRST_SYNC_PRAGMAS["cache_size"] = -512  # 0.5 MB: pages go to the WAL soon
    with Cache(Path(path)) as cache, open_sync_write(cache, EIGHT_TAGS) as target:
        for page in range(40):
            target.add(*_relations(100, prefix=f"p{page}-"))
        os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_first_sync_killed_after_its_pages_reached_the_wal_leaves_the_cache_as_it_was(
        tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    with Cache(path) as cache, cache.write() as tx:
        tx.execute("INSERT INTO meta (key, value) VALUES ('kept', 'yes')")
    process = multiprocessing.get_context("spawn").Process(
        target=_killed_mid_sync, args=(str(path),))
    process.start()
    process.join(timeout=60)
    assert process.exitcode == -signal.SIGKILL
    assert path.with_name("c.sqlite-wal").stat().st_size > 1_000_000  # the pages written
    with Cache(path) as cache:
        assert cache.scalar("PRAGMA integrity_check") == "ok"
        assert cache.scalar("SELECT count(*) FROM relation") == 0
        assert cache.scalar("SELECT count(*) FROM customer") == 0
        assert cache.get_meta("kept") == "yes"


def test_a_first_sync_that_fails_after_its_pages_reached_the_wal_rolls_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(direct_sync.FIRST_SYNC_PRAGMAS, "cache_size", -512)
    path = tmp_path / "c.sqlite"
    with Cache(path) as cache:
        with pytest.raises(RuntimeError, match="cancelled"), \
                open_sync_write(cache, EIGHT_TAGS) as target:
            for page in range(40):
                target.add(*_relations(100, prefix=f"p{page}-"))
            raise RuntimeError("cancelled")
        assert path.with_name("c.sqlite-wal").stat().st_size > 1_000_000
        assert cache.scalar("SELECT count(*) FROM relation") == 0
        assert cache.scalar("PRAGMA cache_size") == -65536
        with open_sync_write(cache, EIGHT_TAGS) as target:  # a first sync again
            target.add(*_relations(10))
            target.write(EIGHT_TAGS)
        assert cache.scalar("SELECT count(*) FROM relation") == 10


SCHEMA = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"


def test_a_first_sync_builds_the_keys_once_its_rows_are_in_and_leaves_the_schema_as_it_was(
        tmp_path: Path) -> None:
    """The customers' and relations' unique keys are dropped with their tables' other indexes
    while the pages go in (inserting into them row by row cost about 0.6 s of CPU at 100,000
    customers) and made again, sorted, before the commit: the schema after the sync is the one
    before it, the keys refuse a duplicate again and the count tables are those of the rows."""
    customers, relations = _relations(300)
    with Cache(tmp_path / "c.sqlite") as cache:
        conn = cache.connection()
        before = conn.execute(SCHEMA).fetchall()
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        with open_sync_write(cache, EIGHT_TAGS) as target:
            target.add(customers[:150], relations[:150])
            target.add(customers[150:], relations[150:])
            target.write(EIGHT_TAGS)
        conn.set_trace_callback(None)
        assert conn.execute(SCHEMA).fetchall() == before
        last_insert = max(i for i, sql in enumerate(statements)
                          if sql.startswith(("INSERT INTO relation ", "INSERT INTO customer ")))
        for key in ("customer_key", "relation_key"):
            dropped, made = (next(i for i, sql in enumerate(statements) if sql.startswith(
                f"{verb} {key}")) for verb in ("DROP index", "CREATE UNIQUE INDEX"))
            assert dropped < last_insert < made, key
        with pytest.raises(sqlite3.IntegrityError), cache.write() as tx:
            tx.execute("INSERT INTO relation (external_userid, userid) VALUES ('wm1', 'u1')")
        with pytest.raises(sqlite3.IntegrityError), cache.write() as tx:
            tx.execute("INSERT INTO customer (external_userid) VALUES ('wm1')")
        assert cache.scalar("SELECT count(*) FROM relation") == 300
        assert conn.execute("SELECT tag_count, count(*) FROM relation GROUP BY 1").fetchall() \
            == [(8, 300)]
        assert cache.scalar("SELECT count(*) FROM relation_tag") == 2400


def test_a_customer_written_again_with_other_fields_keeps_its_last_row_and_text(
        tmp_path: Path) -> None:
    """A customer whose fields change between two pages is updated once the keys are made
    again: its row is its last one, and every relation's folded text is made of it."""
    snap = Snapshot(groups=[GroupRow(id="eg1", name="组")],
                    tags=[TagRow(id="et1", group_id="eg1", name="高意向")])
    with Cache(tmp_path / "c.sqlite") as cache:
        with open_sync_write(cache, snap) as target:
            target.add([CustomerRow("wm1", "张三", corp_name="旧公司")],
                       [RelationRow("wm1", "lisi", tag_ids=("et1",))])
            target.add([CustomerRow("wm1", "张三丰", corp_name="新公司")],
                       [RelationRow("wm1", "wangwu")])
            target.add([CustomerRow("wm1", "张三丰", corp_name="新公司")],
                       [RelationRow("wm1", "zhaoliu")])
            target.write(snap)
        conn = cache.connection()
        assert conn.execute("SELECT name, corp_name, name_sort FROM customer").fetchall() == [
            ("张三丰", "新公司", person_sort_key("张三丰"))]
        written = conn.execute("SELECT relation_id, folded FROM relation_search").fetchall()
        assert len(written) == 3 and all("新公司" in folded for _, folded in written)
        with cache.write() as tx:
            tx.execute("UPDATE relation_search SET folded = NULL")
            search_text.refresh(tx)
        assert conn.execute("SELECT relation_id, folded FROM relation_search").fetchall() == written
