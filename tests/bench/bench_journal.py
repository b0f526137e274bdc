"""Audit-journal benchmark: filtering 1,000,000 journal rows the way the viewer does.

Builds a temporary profile cache whose journal holds a year of work (written with
`journal.append` in bulk, so the hash chain is real), then times per filter kind:
the newest page (what the viewer shows first), every matching id (the viewer's
scroll range), the batch lines, and the viewer's model end to end on a Qt event
loop. Also times a page fetched deep in the list, `audit verify --full`, then `audit verify`
from the checkpoint after 2,000 more rows, and a day's export.
Prints numbers; asserts nothing about time.

Usage: .venv/bin/python tests/bench/bench_journal.py [--quick] [--rows N]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from desktop.services import audit
from desktop.services.journal_reader import LocalJournal
from desktop.services.profiles import Profile
from desktop.services.workspace import Workspace
from desktop.store import journal
from desktop.store.db import Cache
from desktop.store.journal_query import (
    JournalFilter,
    batch_summaries,
    first_page,
    load_rows,
    matching_ids,
)

DAY = 86400
OPERATORS = [f"user{i:02d}" for i in range(60)]
SOURCES = ["app"] * 30 + ["batch"] * 35 + ["import"] * 10 + ["observed"] * 18 + \
    ["undo"] * 3 + ["revert"] * 2 + ["tree"] * 2


def build(cache: Cache, rows: int, customers: int) -> float:
    """A year of journal rows over a realistic directory; returns the newest timestamp."""
    rng = random.Random(7)
    tags = [(f"et{i:05d}", f"标签{i}", f"组{i % 20}") for i in range(300)]
    with cache.write() as conn:
        conn.executemany("INSERT INTO department (id, name, parent_id) VALUES (?, ?, ?)",
                         [(1, "总部", 0)] + [(d, f"部门{d}", 1 if d < 6 else d - 4)
                                             for d in range(2, 12)])
        conn.executemany("INSERT INTO member (userid, name) VALUES (?, ?)",
                         [(u, f"成员{u[-2:]}") for u in OPERATORS])
        conn.executemany("INSERT INTO member_department (userid, department_id) VALUES (?, ?)",
                         [(u, 2 + i % 10) for i, u in enumerate(OPERATORS)])
        conn.executemany("INSERT INTO customer (external_userid, name) VALUES (?, ?)",
                         [(f"wm{i:07d}", f"客户{i}") for i in range(customers)])
        conn.executemany("INSERT INTO tag_group (id, name) VALUES (?, ?)",
                         [(f"grp{g}", f"组{g}") for g in range(20)])
        conn.executemany("INSERT INTO tag (id, group_id, name) VALUES (?, ?, ?)",
                         [(t, f"grp{int(g[1:])}", n) for t, n, g in tags])
    start = time.time() - 365 * DAY
    step = 365 * DAY / rows

    def entries() -> Iterator[journal.JournalEntry]:
        batch, source, operator = "", "app", OPERATORS[0]
        for i in range(rows):
            if i % 200 == 0:
                source = rng.choice(SOURCES)
                operator = rng.choice(OPERATORS)
                batch = "" if source in ("observed", "app") else f"b{i // 200:07d}"
            tag_id, name, group = rng.choice(tags)
            yield journal.JournalEntry(
                operator="" if source == "observed" else operator,
                action=rng.choice(("tag_add", "tag_remove")),
                source=source, batch_id=batch,
                external_userid=f"wm{rng.randrange(customers):07d}",
                userid=rng.choice(OPERATORS), tag_id=tag_id, tag_name=name, group_name=group,
                before='["et00001","et00002"]', after='["et00001","et00002","et00003"]',
                ts=start + i * step,
            )

    with cache.write() as conn:
        journal.append(conn, entries())
    return start + (rows - 1) * step


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def filters(cache: Cache, newest: float) -> list[tuple[str, JournalFilter]]:
    """One filter per kind, with values taken from the journal so that each matches."""
    conn = cache.connection()
    operator, customer = conn.execute(
        "SELECT operator, external_userid FROM journal ORDER BY id DESC LIMIT 1").fetchone()
    middle = conn.execute("SELECT max(id) / 2 FROM journal").fetchone()[0]
    batch = conn.execute("SELECT batch_id FROM journal WHERE id >= ? AND batch_id != ''"
                         " ORDER BY id LIMIT 1", (middle,)).fetchone()[0]
    name = conn.execute("SELECT name FROM customer WHERE external_userid = ?",
                        (customer,)).fetchone()[0]
    return [
        ("no filter", JournalFilter()),
        ("last 24 hours", JournalFilter(since=newest - DAY)),
        ("last 30 days", JournalFilter(since=newest - 30 * DAY)),
        ("operator", JournalFilter(operators=(operator,))),
        ("operator + 30 days", JournalFilter(operators=(operator,), since=newest - 30 * DAY)),
        ("owner's department", JournalFilter(department_id=3)),
        ("action", JournalFilter(actions=("tag_remove",))),
        ("source (rare)", JournalFilter(sources=("revert",))),
        ("tag", JournalFilter(tag_ids=("et00042",))),
        ("group", JournalFilter(groups=("组3",))),
        ("customer id", JournalFilter(customer=customer)),
        ("customer name part", JournalFilter(customer=name[1:])),
        ("batch", JournalFilter(batch_ids=(batch,))),
        ("30 days + batch + removals", JournalFilter(since=newest - 30 * DAY,
                                                     sources=("batch",),
                                                     actions=("tag_remove",))),
    ]


def bench_queries(cache: Cache, newest: float) -> None:
    print(f"{'filter':<28} {'rows':>9} {'first page':>11} {'all ids':>9} {'batches':>9}"
          f" {'lines':>6}", flush=True)
    for name, flt in filters(cache, newest):
        _, page_s = timed(partial(first_page, cache, flt))
        ids, ids_s = timed(partial(matching_ids, cache, flt))
        lines, lines_s = timed(partial(batch_summaries, cache, flt))
        print(f"{name:<28} {len(ids):>9,} {page_s * 1000:>8.1f} ms {ids_s * 1000:>6.0f} ms"
              f" {lines_s * 1000:>6.0f} ms {len(lines):>6,}", flush=True)


def bench_viewer(ws: Workspace, newest: float) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop.ui.audit_model import AuditRowsModel
    from desktop.ui.context import AppContext

    app = QApplication.instance() or QApplication([])
    context = AppContext(ws)
    model = AuditRowsModel(context)
    print(f"\nviewer model (AuditRowsModel on a Qt event loop)\n{'filter':<28} {'rows':>9}"
          f" {'first page':>11} {'complete':>9}", flush=True)
    for name, flt in filters(ws.cache, newest):
        done: list[Any] = []
        model.loaded.connect(done.append)
        model.set_filter(flt)
        while not done:
            app.processEvents()
            time.sleep(0.0005)
        model.loaded.disconnect(done.append)
        loaded = done[0]
        print(f"{name:<28} {loaded.count:>9,} {loaded.first_page_s * 1000:>8.1f} ms"
              f" {loaded.total_s * 1000:>6.0f} ms", flush=True)
    model.set_filter(JournalFilter())
    while not model.complete:
        app.processEvents()
        time.sleep(0.0005)
    middle = model.rowCount() // 2
    _, deep_s = timed(lambda: model.index(middle, 0).data())
    _, again_s = timed(lambda: model.index(middle + 1, 0).data())
    print(f"scroll to row {middle:,}: page fetch {deep_s * 1000:.1f} ms,"
          f" next row from the page cache {again_s * 1000:.3f} ms", flush=True)
    context.wait_idle()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100,000 rows")
    parser.add_argument("--rows", type=int)
    args = parser.parse_args(argv)
    rows = args.rows or (100_000 if args.quick else 1_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        profile = Profile(name="bench", corp_id="ww-bench", api_base="http://127.0.0.1:9/",
                          userid="bench")
        with Workspace(home, profile, "unused", exclusive=False) as ws:
            newest, build_s = timed(lambda: build(ws.cache, rows, customers=100_000))
            size = ws.cache.path.stat().st_size / 1e6
            print(f"built {rows:,} journal rows in {build_s:.1f} s ({size:.0f} MB cache)\n",
                  flush=True)
            bench_queries(ws.cache, newest)
            _, page_s = timed(lambda: load_rows(ws.cache, range(rows // 2, rows // 2 + 200)))
            print(f"\nload one page of 200 rows by id: {page_s * 1000:.1f} ms")
            verified, verify_s = timed(lambda: journal.verify(ws.cache, full=True))
            print(f"audit verify --full: {verified.rows_checked:,} rows in {verify_s:.1f} s"
                  f" (ok={verified.ok})")
            with ws.cache.write() as conn:  # a day's work after that verify's checkpoint
                journal.append(conn, [journal.JournalEntry(
                    operator=OPERATORS[0], action="tag_add", source="app",
                    external_userid=f"wm{i:07d}", tag_id="et00001", tag_name="标签1",
                ) for i in range(2_000)])
            again, again_s = timed(lambda: journal.verify(ws.cache))
            print(f"audit verify (from the checkpoint): {again.rows_walked:,} new rows of"
                  f" {again.rows_checked:,} in {again_s * 1000:.0f} ms (ok={again.ok});"
                  f" {verify_s / again_s:.0f}x faster than --full in this run")
            day = JournalFilter(since=newest - DAY)
            written, export_s = timed(lambda: audit.export_journal(LocalJournal(ws.cache), day,
                                                                   home / "day.xlsx"))
            print(f"export last 24 hours: {written:,} rows to xlsx in {export_s:.2f} s",
                  flush=True)
            bench_viewer(ws, newest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
