"""The team server under load, against a real PostgreSQL and the sandbox over real HTTP.

Run: `.venv/bin/python tests/bench/bench_team_load.py [--quick]` (needs PostgreSQL's
initdb / pg_ctl, as the team server's tests do). Numbers only, no pass/fail on timings.

1. Load: `--desktops` simulated desktops (50), each its own device login and its own WeCom
   client in team mode, tag as fast as they can for `--seconds` (60) through one server
   process; the sandbox allows `--quota` mark_tag calls per minute (45009 and a block above
   it, like WeCom) and answers after 30 ms; the server's --calls-per-minute is the quota.
   Reported: mark_tag calls that landed per minute as a share of the quota, 45009s answered
   by the sandbox, and a check that no write was lost or doubled (every write the desktops
   saw succeed is on the relation in the sandbox and has exactly one team journal row; no
   outbox row is left `sending`).
2. Relay overhead: one desktop, no quota, no latency; the same read (externalcontact/get)
   and write (mark_tag) called directly on the sandbox and through the server, one at a
   time; p50 / p95 per call and the difference.
3. Journal inserts: `team_journal.append` of one row per transaction (as the relay writes)
   from 1 and from 4 connections; rows per second.
4. Team audit: `--rows` (1,000,000) team journal rows generated in SQL (50 operators, 20,000
   customers, 300 tags, a year of timestamps; their hashes are not a chain), then
   `GET /tagdesk/v1/journal` as the audit viewer asks it: the first page, and pages filtered
   by operator, customer, tag, action + period, group and batch; median of 5 each.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import psycopg
import requests

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.server import identity, team_journal
from desktop.server.database import migrate
from desktop.services.team import team_api_base
from desktop.store.journal import JournalEntry
from desktop.wecom.client import WeComClient
from desktop.wecom.ratelimit import RateLimits
from tests.server.team_support import PostgresCluster, TeamServerProcess, postgres_bin

MARK_TAG = "externalcontact/mark_tag"


def device_token(db_url: str, userid: str) -> str:
    """A device login made the way the server makes it, without a code message."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        login_id = identity.create_code(conn, userid, "123456")
        _, token = identity.redeem_code(conn, login_id, "123456", "bench desktop")
    return token


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def load(postgres: PostgresCluster, work: Path, desktops: int, seconds: float,
         quota: int) -> None:
    sandbox = SandboxServer(SandboxConfig(data_dir=work / "load-sandbox", customers=6000,
                                          members=desktops, seed=41, latency_ms=30)).start()
    db_url = postgres.new_database()
    server = TeamServerProcess(db_url, sandbox, work / "load-server",
                               "--calls-per-minute", str(quota), "--concurrency", "5")
    try:
        users = sorted(sandbox.state.follow_users())
        tag_id = sorted(sandbox.state.tag_ids_by_name().values())[0]
        relations = [(u, e) for u, e in sandbox.state.relations()
                     if tag_id not in sandbox.state.relation_tag_ids(u, e)]
        by_customer = list({e: (u, e) for u, e in relations}.values())
        shares = [by_customer[i::desktops] for i in range(desktops)]
        clients = [WeComClient(team_api_base(server.url), sandbox.corp_id,
                               device_token(db_url, users[i % len(users)]),
                               limits=RateLimits(max_concurrency=1, max_retries=4))
                   for i in range(desktops)]
        for client in clients:
            client.get_token()
        sandbox.configure(quota_per_min=quota)
        done: list[list[tuple[str, str]]] = [[] for _ in range(desktops)]
        stop = threading.Event()

        def desktop(index: int) -> None:
            for userid, euid in shares[index]:
                if stop.is_set():
                    return
                clients[index].mark_tag(userid, euid, add=[tag_id])
                done[index].append((userid, euid))

        started = time.monotonic()
        with ThreadPoolExecutor(desktops) as pool:
            running = [pool.submit(desktop, i) for i in range(desktops)]
            time.sleep(seconds)
            stop.set()
            for future in running:
                future.result()
        elapsed = time.monotonic() - started
        for client in clients:
            client.close()
        written = [pair for pairs in done for pair in pairs]
        landed = sandbox.stats.calls(MARK_TAG) - sandbox.stats.errors(45009)
        on_wecom = sum(tag_id in sandbox.state.relation_tag_ids(*pair) for pair in written)
        with psycopg.connect(db_url) as conn:
            rows = conn.execute("SELECT external_userid, count(*) FROM team_journal"
                                " WHERE tag_id = %s GROUP BY external_userid",
                                (tag_id,)).fetchall()
            sending = conn.execute("SELECT count(*) FROM outbox WHERE status = 'sending'"
                                   ).fetchone()
        doubled = sum(1 for _, n in rows if int(n) > 1)
        print(f"load: {desktops} desktops, {elapsed:.1f} s, quota {quota}/min")
        print(f"  writes seen ok by desktops: {len(written)}; mark_tag calls that landed:"
              f" {landed} = {landed / elapsed * 60:.0f}/min ="
              f" {landed / elapsed * 60 / quota:.1%} of the quota"
              + (" (under 60 s the starting burst, a sixth of the quota, counts as rate)"
                 if elapsed < 60 else ""))
        print(f"  45009 answered by the sandbox: {sandbox.stats.errors(45009)};"
              f" 45033: {sandbox.stats.errors(45033)}")
        print(f"  lost: {len(written) - on_wecom} (ok but not on WeCom);"
              f" journal rows: {sum(int(n) for _, n in rows)} for {len(written)} writes,"
              f" doubled: {doubled}; outbox rows left sending: {sending[0] if sending else '?'}")
    finally:
        server.stop()
        sandbox.stop()


def overhead(postgres: PostgresCluster, work: Path, calls: int) -> None:
    sandbox = SandboxServer(SandboxConfig(data_dir=work / "overhead-sandbox", customers=2000,
                                          members=10, seed=42)).start()
    db_url = postgres.new_database()
    server = TeamServerProcess(db_url, sandbox, work / "overhead-server")
    try:
        userid = sorted(sandbox.state.follow_users())[0]
        relations = [(u, e) for u, e in sandbox.state.relations() if u == userid]
        tag_id = sorted(sandbox.state.tag_ids_by_name().values())[1]
        limits = RateLimits(max_retries=0)
        direct = WeComClient(sandbox.api_base, sandbox.corp_id, sandbox.secret, limits=limits)
        relayed = WeComClient(team_api_base(server.url), sandbox.corp_id,
                              device_token(db_url, userid), limits=limits)
        timings: dict[tuple[str, str], list[float]] = {}

        def timed(name: str, kind: str, call: Callable[[], object]) -> None:
            started = time.perf_counter()
            call()
            timings.setdefault((name, kind), []).append((time.perf_counter() - started) * 1000)

        for name, client in (("direct", direct), ("relayed", relayed)):
            client.get_token()
            for i in range(calls):
                _, euid = relations[i % len(relations)]
                timed(name, "read", partial(client.get_external_contact, euid))
                adding, removing = ([tag_id], []) if i % 2 == 0 else ([], [tag_id])
                timed(name, "write", partial(client.mark_tag, userid, euid, adding, removing))
            client.close()
        print(f"relay overhead: {calls} calls each, one at a time, sandbox without latency")
        for kind in ("read", "write"):
            d, r = timings[("direct", kind)], timings[("relayed", kind)]
            print(f"  {kind:5}: direct p50 {percentile(d, 0.5):.1f} ms p95"
                  f" {percentile(d, 0.95):.1f} ms; through the server p50"
                  f" {percentile(r, 0.5):.1f} ms p95 {percentile(r, 0.95):.1f} ms;"
                  f" overhead p50 {percentile(r, 0.5) - percentile(d, 0.5):.1f} ms"
                  f" p95 {percentile(r, 0.95) - percentile(d, 0.95):.1f} ms")
    finally:
        server.stop()
        sandbox.stop()


def journal_inserts(postgres: PostgresCluster, db_url: str, seconds: float) -> None:
    entry = JournalEntry(operator="bench", action="tag_add", source="relay",
                         external_userid="wm_bench", userid="bench", tag_id="et_bench",
                         tag_name="基准", group_name="基准组", before="[]", after="[\"et_bench\"]")
    print("journal inserts (one row per transaction, as the relay writes):")
    def writer(stop: threading.Event) -> int:
        appended = 0
        with psycopg.connect(db_url, autocommit=True) as conn:
            while not stop.is_set():
                with conn.transaction():
                    team_journal.append(conn, [entry], None)
                appended += 1
        return appended

    for writers in (1, 4):
        stop = threading.Event()
        with ThreadPoolExecutor(writers) as pool:
            running = [pool.submit(writer, stop) for _ in range(writers)]
            time.sleep(seconds)
            stop.set()
            appended = sum(future.result() for future in running)
        print(f"  {writers} connection(s): {appended / seconds:.0f} rows/s")
    with psycopg.connect(db_url) as conn:
        check = team_journal.verify(conn)
    print(f"  chain after the inserts: ok={check.ok}, {check.rows_checked} rows")


FILL = """
INSERT INTO team_journal (id, ts, operator, action, source, batch_id, external_userid, userid,
    tag_id, tag_name, group_name, before, after, reason, prev_hash, hash)
SELECT n, extract(epoch FROM now()) - 365 * 86400 + n * (365.0 * 86400 / %(rows)s),
    'user' || (n %% 50), CASE WHEN n %% 3 = 0 THEN 'tag_remove' ELSE 'tag_add' END,
    CASE WHEN n %% 10 = 0 THEN 'callback' ELSE 'relay' END,
    CASE WHEN n %% 7 = 0 THEN 'batch' || (n / 500) ELSE '' END,
    'wm' || (n * 7919 %% 20000), 'user' || (n %% 50), 'et' || (n * 31 %% 300),
    '标签' || (n * 31 %% 300), '组' || (n * 31 %% 300 / 10), '', '', '',
    md5((n - 1)::text), md5(n::text)
FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS n
"""


def audit(postgres: PostgresCluster, work: Path, rows: int) -> None:
    sandbox = SandboxServer(SandboxConfig(data_dir=work / "audit-sandbox", customers=50,
                                          members=5, seed=43)).start()
    db_url = postgres.new_database()
    server = TeamServerProcess(db_url, sandbox, work / "audit-server")
    try:
        started = time.monotonic()
        with psycopg.connect(db_url, autocommit=True) as conn:
            step = 200_000
            for first in range(1, rows + 1, step):
                conn.execute(FILL, {"rows": rows, "first": first,
                                    "last": min(rows, first + step - 1)})
            conn.execute("UPDATE team_journal_head SET last_id = %s, hash = md5(%s::text)",
                         (rows, rows))
            conn.execute("ANALYZE team_journal")
        print(f"team audit over {rows:,} journal rows (filled in {time.monotonic() - started:.0f}"
              " s):")
        token = device_token(db_url, sorted(sandbox.state.follow_users())[0])
        session = requests.get(server.url + "cgi-bin/gettoken",
                               params={"corpid": sandbox.corp_id, "corpsecret": token},
                               timeout=30).json()["access_token"]
        now = time.time()
        questions: dict[str, dict[str, str | float]] = {
            "first page": {},
            "operator": {"operator": "user7"},
            "customer": {"customer": "wm1234"},
            "tag": {"tag": "标签42"},
            "action + last 30 days": {"action": "tag_remove", "since": now - 30 * 86400},
            "group": {"group": "组12"},
            "batch": {"batch": "batch700"},
        }
        with requests.Session() as http:
            for name, params in questions.items():
                times, found = [], 0
                for _ in range(5):
                    began = time.perf_counter()
                    answer = http.get(server.url + "tagdesk/v1/journal",
                                      params={"access_token": session, **params}, timeout=60)
                    times.append((time.perf_counter() - began) * 1000)
                    found = len(answer.json()["rows"])
                print(f"  {name:22}: median {statistics.median(times):.0f} ms,"
                      f" worst {max(times):.0f} ms ({found} rows in the page)")
    finally:
        server.stop()
        sandbox.stop()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--desktops", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=0)
    parser.add_argument("--quota", type=int, default=1800)
    parser.add_argument("--rows", type=int, default=0)
    args = parser.parse_args(argv)
    desktops = args.desktops or (10 if args.quick else 50)
    seconds = args.seconds or (15 if args.quick else 60)
    rows = args.rows or (100_000 if args.quick else 1_000_000)
    root = Path(tempfile.mkdtemp(prefix="tagdesk-bench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    work = Path(tempfile.mkdtemp(prefix="tagdesk-bench-team-"))
    postgres = PostgresCluster(postgres_bin(), root)
    postgres.start()
    steps: list[Callable[[], None]] = [
        lambda: load(postgres, work, desktops, seconds, args.quota),
        lambda: overhead(postgres, work, 100 if args.quick else 300),
        lambda: journal_inserts(postgres, _migrated(postgres), 2 if args.quick else 5),
        lambda: audit(postgres, work, rows),
    ]
    try:
        for step in steps:
            step()
    finally:
        postgres.stop()
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _migrated(postgres: PostgresCluster) -> str:
    db_url = postgres.new_database()
    migrate(db_url)
    return db_url


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
