"""Team audit benchmark: the viewer's reads of a team journal of 1,000,000 rows through a real
team server on a real PostgreSQL.

Starts a throw-away PostgreSQL cluster, a small sandbox corp and `tagdesk server serve`,
fills the team journal with a year of work by 50 people (one INSERT ... SELECT; the hash
chain is not computed, these are read-only timings), logs a desktop in with the sandbox's
code (its cache naming every customer and person), then times what a team profile's audit
viewer asks the server for, over HTTP, per
filter kind: the newest page, every matching id, the first page and every id sorted by a
column, a page of rows by id and the batch lines; and the reports' counts for 30 days, the
corp's and a department's. Prints the median of 5 runs; asserts nothing. `--first-pages` times only the
first page sorted by every column both ways, for four filters; `--source-labels` only the
first page and every id by 来源 in the order of its Chinese labels, both ways, for two.

Needs PostgreSQL's initdb / pg_ctl (Debian: apt-get install postgresql).
Usage: .venv/bin/python tests/bench/bench_team_journal.py [--quick] [--rows N] [--first-pages]
       [--source-labels]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.domain.sort_key import person_sort_key
from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.server.database import migrate
from desktop.services.journal_reader import TeamJournal
from desktop.services.team import team_api_base
from desktop.store.db import Cache
from desktop.store.journal_query import JournalFilter
from desktop.wecom.client import WeComClient
from tests.server.team_support import PostgresCluster, TeamServerProcess, log_in, postgres_bin

DAY = 86400
RUNS = 5
SOURCE_LABELS = ("expiry", "tree", "governance", "undo", "import", "reconcile", "rule",
                 "restore", "revert", "livecode", "relay", "batch", "migration", "app",
                 "callback", "observed", "settings", "pretag", "redo", "autotag")
"""The sources in the order of the audit viewer's Chinese labels (标签到期 biao…)."""

FILL = """
INSERT INTO team_journal (id, ts, operator, action, source, batch_id, external_userid, userid,
    tag_id, tag_name, group_name, before, after, reason, prev_hash, hash)
SELECT i, %(start)s + i * %(step)s, 'user' || (i %% 50), CASE WHEN i %% 3 = 0
    THEN 'tag_remove' ELSE 'tag_add' END, CASE WHEN i %% 7 = 0 THEN 'app' ELSE 'batch' END,
    CASE WHEN i %% 7 = 0 THEN '' ELSE 'b' || (i / 100) END, 'wm' || lpad((i %% 100000)::text,
    7, '0'), 'user' || ((i / 7) %% 50), 'et' || (i %% 500), '标签' || (i %% 500),
    '组' || (i %% 25), '[]', '[]', '', '', ''
FROM generate_series(1, %(rows)s) AS i
"""


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    """The result of the last of RUNS runs and their median time in ms."""
    times, result = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - started) * 1000)
    return result, statistics.median(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--first-pages", action="store_true")
    parser.add_argument("--source-labels", action="store_true")
    args = parser.parse_args(argv)
    rows = args.rows or (50_000 if args.quick else 1_000_000)
    root = Path(tempfile.mkdtemp(prefix="tagdesk-bench-team-"))
    pg_root = Path(tempfile.mkdtemp(prefix="tagdesk-bench-pg-"))
    if os.geteuid() == 0:  # initdb runs as the postgres user then
        shutil.chown(pg_root, "postgres", "postgres")
    cluster = PostgresCluster(postgres_bin(), pg_root)
    cluster.start()
    try:
        url = cluster.new_database()
        migrate(url)
        now = time.time()
        started = time.perf_counter()
        with psycopg.connect(url) as conn:
            conn.execute(FILL, {"start": now - 365 * DAY, "step": 365 * DAY / rows,
                                "rows": rows})
            conn.execute("UPDATE team_journal_head SET last_id = %s", (rows,))
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE team_journal")
        print(f"team journal: {rows:,} rows written and analysed in"
              f" {time.perf_counter() - started:.1f} s", flush=True)
        with SandboxServer(SandboxConfig(data_dir=root / "sandbox", customers=20,
                                         members=3, seed=3)) as sandbox:
            server = TeamServerProcess(url, sandbox, root / "server")
            try:
                report(server, sandbox, root, now, args)
            finally:
                server.stop()
    finally:
        cluster.stop()
        shutil.rmtree(pg_root, ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)
    return 0


def report(server: TeamServerProcess, sandbox: SandboxServer, root: Path, now: float,
           args: argparse.Namespace) -> None:
    user = sorted(sandbox.state.follow_users())[0]
    device = log_in(server.url, sandbox, user)
    with WeComClient(team_api_base(server.url), sandbox.corp_id, device.token,
                     team_url=server.url) as client:
        session = client.get_token()
    cache = Cache(root / "desktop" / "cache.sqlite")
    name_everyone(cache)
    journal = TeamJournal(cache, server.url, lambda: session)
    filters = {
        "no filter": JournalFilter(),
        "operator": JournalFilter(operators=("user7",)),
        "tag": JournalFilter(tag_ids=("et123",)),
        "customer": JournalFilter(customer="wm0012345"),
        "last 24 hours": JournalFilter(since=now - DAY),
        "batch": JournalFilter(batch_ids=("b4321",)),
        "operator + tag + 30 days": JournalFilter(operators=("user7",), tag_ids=("et107",),
                                                  since=now - 30 * DAY),
        "source app (1 in 7)": JournalFilter(sources=("app",)),
    }
    print(f"median of {RUNS} runs over HTTP (desktop -> team server -> PostgreSQL),"
          f" load average {os.getloadavg()[0]:.1f}:")
    if args.first_pages:
        sorted_first_pages(journal, filters)
        return
    if args.source_labels:
        by_source_labels(journal, filters)
        return
    for name, flt in filters.items():
        page, page_ms = timed(partial(journal.first_page, flt))
        ids, ids_ms = timed(partial(journal.matching_ids, flt))
        print(f"  {name:26} first page ({len(page)} rows) {page_ms:7.1f} ms;"
              f" all {len(ids):>9,} ids {ids_ms:8.1f} ms", flush=True)
    for name in ("no filter", "last 24 hours", "source app (1 in 7)"):
        for column in ("tag", "batch", "reason", "customer", "operator"):   # shown first
            page, page_ms = timed(partial(journal.sorted_first_page, filters[name], column,
                                          True))
            print(f"  {name:26} first page ({len(page or [])} rows) sorted by {column:8}"
                  f" {page_ms:8.1f} ms", flush=True)
    for name in ("no filter", "last 24 hours", "source app (1 in 7)"):
        for column in ("customer", "operator", "tag"):
            ids, sort_ms = timed(partial(journal.sorted_ids, filters[name], column, False))
            print(f"  {name:26} all {len(ids):>9,} ids sorted by {column:8} {sort_ms:8.1f} ms",
                  flush=True)
    every = journal.matching_ids(JournalFilter())
    deep = list(every[len(every) // 2 :][:200])
    _, deep_ms = timed(lambda: journal.load_rows(deep))
    print(f"  a page of 200 rows by id deep in the list: {deep_ms:.1f} ms")
    day = JournalFilter(since=now - DAY)
    lines, lines_ms = timed(lambda: journal.batch_summaries(day))
    print(f"  batch lines of the last 24 hours: {len(lines)} lines in {lines_ms:.1f} ms")
    _, days_ms = timed(lambda: journal.changes_per_day(now - 30 * DAY, now))
    _, people_ms = timed(lambda: journal.changes_per_operator(now - 30 * DAY, now))
    print(f"  reports over 30 days: per day {days_ms:.1f} ms, per person {people_ms:.1f} ms")
    department = [f"user{n}" for n in range(10)]      # a department: 10 of the 50 people
    _, days_ms = timed(lambda: journal.changes_per_day(now - 30 * DAY, now, department))
    _, people_ms = timed(lambda: journal.changes_per_operator(now - 30 * DAY, now,
                                                              owners=department))
    print(f"  a department's (10 of 50 owners) over 30 days: per day {days_ms:.1f} ms,"
          f" per person {people_ms:.1f} ms")


def name_everyone(cache: Cache) -> None:
    """The desktop's names of the journal's 100,000 customers and 50 people (sorted by them)."""
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
    customers = [(f"wm{n:07d}", surnames[n % 20] + given[n // 20 % 20] + given[n // 400 % 20])
                 for n in range(100_000)]
    with cache.write() as conn:
        conn.executemany("INSERT INTO customer (external_userid, name, name_sort) VALUES (?, ?, ?)",
                         [(c, name, person_sort_key(name)) for c, name in customers])
        conn.executemany("INSERT INTO member (userid, name, name_sort) VALUES (?, ?, ?)",
                         [(f"user{n}", name, person_sort_key(name)) for n, (_, name)
                          in enumerate(customers[:50])])


def sorted_first_pages(journal: TeamJournal, filters: dict[str, JournalFilter]) -> None:
    for name in ("no filter", "source app (1 in 7)", "operator", "last 24 hours"):
        for column in journal.sort_keys[1:]:
            times = []
            for descending in (False, True):
                page, page_ms = timed(partial(journal.sorted_first_page, filters[name], column,
                                              descending))
                times.append(f"{page_ms:7.1f}")
            print(f"  {name:20} first page ({len(page or [])} rows) by {column:8}"
                  f" asc {times[0]} ms, desc {times[1]} ms", flush=True)
    print(f"  load average {os.getloadavg()[0]:.1f}")


def by_source_labels(journal: TeamJournal, filters: dict[str, JournalFilter]) -> None:
    for name in ("no filter", "operator"):
        for descending in (False, True):
            page, page_ms = timed(partial(journal.sorted_first_page, filters[name], "source",
                                          descending, 500, SOURCE_LABELS))
            ids, ids_ms = timed(partial(journal.sorted_ids, filters[name], "source",
                                        descending, SOURCE_LABELS))
            shown = f"{len(page)} rows {page_ms:7.1f} ms" if page is not None else "none"
            print(f"  {name:10} by 来源's labels {'desc' if descending else 'asc '}: first page"
                  f" ({shown}); all {len(ids):>9,} ids {ids_ms:8.1f} ms", flush=True)
    print(f"  load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
