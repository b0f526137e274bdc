"""Several `tagdesk server serve` processes on one database: one WeCom budget and one
concurrency cap for all of them (kept in PostgreSQL), periodic jobs once per period, and a
process killed mid-batch loses and doubles nothing."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import psycopg
import psycopg_pool
import pytest
import requests

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.server import jobs, leases, team_journal
from desktop.server.database import migrate
from desktop.server.jobs import Job, Scheduler
from desktop.server.leases import LEASE_LOCK_CLASS, ProcessLease
from desktop.services.team import team_api_base
from desktop.wecom.client import WeComClient
from desktop.wecom.errors import WeComError, WeComNetworkError
from desktop.wecom.ratelimit import RateLimits
from desktop.wecom.transport import CALL_KEY_HEADER
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    log_in,
    team_client,
    wait_for,
)

pytestmark = pytest.mark.integration

PER_MINUTE = 60
MARK_TAG = "externalcontact/mark_tag"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    data = tmp_path_factory.mktemp("scale-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=80, members=6, seed=23,
                                     mark_tag_concurrency=2)) as server:
        yield server


@pytest.fixture(scope="module")
def two_servers(postgres: PostgresCluster, sandbox: SandboxServer,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[TeamServerProcess]]:
    db_url = postgres.new_database()
    servers: list[TeamServerProcess] = []
    try:
        for name in ("a", "b"):
            servers.append(TeamServerProcess(
                db_url, sandbox, tmp_path_factory.mktemp(f"server-{name}"),
                "--calls-per-minute", str(PER_MINUTE), "--concurrency", "2",
                "--outbox-check-every", "1"))
        yield servers
    finally:
        for server in servers:
            server.stop()


def _clients(servers: list[TeamServerProcess], sandbox: SandboxServer) -> list[WeComClient]:
    users = sorted(sandbox.state.follow_users())
    return [team_client(server.url, sandbox, log_in(server.url, sandbox, users[i]).token)
            for i, server in enumerate(servers)]


def _first_resync_ended(db_url: str) -> None:
    def ended() -> bool:
        with psycopg.connect(db_url) as conn:
            row = conn.execute("SELECT finished_at FROM resync_run").fetchone()
        return row is not None and row[0] is not None

    wait_for(ended, timeout=120, what="the servers' first re-sync")


def test_two_processes_share_one_rate_budget(
    two_servers: list[TeamServerProcess], sandbox: SandboxServer
) -> None:
    """Eight threads call as fast as they can through two processes for 6 s. One shared
    budget of 60/min allows at most its burst (10) plus 1 a second; two independent ones
    would allow twice that. The sandbox's own quota of 60/min answers no 45009. The servers'
    first re-sync draws on the same budget, so the threads start once it has ended (a full run
    saw 9 calls where it was still reading)."""
    _first_resync_ended(two_servers[0].db_url)
    clients = _clients(two_servers, sandbox)
    for client in clients:
        client.get_token()
    sandbox.configure(quota_per_min=PER_MINUTE)
    path = "externalcontact/get_follow_user_list"
    before = sandbox.stats.calls(path)
    stop = threading.Event()
    served = [0, 0]

    def hammer(index: int) -> None:
        while not stop.is_set():
            assert clients[index].get_follow_user_list()
            served[index] += 1

    try:
        with ThreadPoolExecutor(8) as pool:
            started = time.monotonic()
            running = [pool.submit(hammer, i % 2) for i in range(8)]
            time.sleep(6)
            stop.set()
            for future in running:
                future.result(timeout=60)
            elapsed = time.monotonic() - started
    finally:
        sandbox.configure(quota_per_min=0)
        for client in clients:
            client.close()
    calls = sandbox.stats.calls(path) - before
    one_budget = PER_MINUTE / 6 + PER_MINUTE / 60 * elapsed + 1
    assert sandbox.stats.errors(45009) == 0
    assert calls <= one_budget, (calls, one_budget)
    assert calls >= PER_MINUTE / 6  # the budget was drawn on, not idle
    assert all(served), served  # both processes served


def _hammer(clients: list[WeComClient], seconds: float,
            before_joining: Callable[[], object] = lambda: None,
            until: Callable[[], bool] = lambda: False) -> None:
    """Two threads per client read as fast as they are let for `seconds`, or until `until()`
    holds (and finish the call they are in); failures end a thread's reading (the sandbox
    counts them)."""
    stop = threading.Event()

    def reader(client: WeComClient) -> None:
        with contextlib.suppress(WeComError, WeComNetworkError):
            while not stop.is_set():
                client.get_follow_user_list()

    with ThreadPoolExecutor(2 * len(clients)) as pool:
        running = [pool.submit(reader, client) for client in clients for _ in range(2)]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not until():
            time.sleep(0.05)
        stop.set()
        before_joining()
        for future in running:
            future.result(timeout=60)


def _tripped(sandbox: SandboxServer, errors_before: int) -> bool:
    return sandbox.stats.errors(45009) > errors_before


def _budget_is_full(db_url: str) -> bool:
    """The process's bucket holds its whole burst again (PER_MINUTE / 6 calls): its start-up
    work (the first re-sync, the login codes) drew on it and it has refilled since."""
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            "SELECT least(%s, tokens + greatest(0.0, extract(epoch FROM clock_timestamp()"
            " - refilled_at)) * %s) FROM wecom_budget", (PER_MINUTE / 6, PER_MINUTE / 60)
        ).fetchone()
    return row is not None and float(row[0]) >= PER_MINUTE / 6 - 0.01


def test_the_same_two_processes_with_budgets_of_their_own_trip_the_quota(
    two_servers: list[TeamServerProcess], postgres: PostgresCluster, sandbox: SandboxServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The control: a sandbox quota of 20 a minute; each process allows a burst of 10 and
    one call a second. Sharing one budget, 4 s of load and the 4 calls waiting when it stops
    draw at most 10 + 4 + 4 calls, however full the budget: no 45009. Two processes of the
    same settings on two databases (a budget each), both buckets full, draw 20 at once and
    then 2 a second: they trip it (and are then killed: they would wait out WeCom's 60 s
    pause). They start first, so their start-up work is done and refilled meanwhile. A
    loaded machine may answer fewer than 21 calls in 4 s, so the independent ones read until
    they trip it, 30 s at most; a slow machine only makes fewer calls of the shared one."""
    independent = [TeamServerProcess(postgres.new_database(), sandbox,
                                     tmp_path_factory.mktemp(f"alone-{name}"),
                                     "--calls-per-minute", str(PER_MINUTE))
                   for name in ("a", "b")]

    def kill_independent() -> None:
        for server in independent:
            server.process.kill()

    tripped = {}
    try:
        for name, servers, ending, seconds in (
                ("shared", two_servers, lambda: None, 4.0),
                ("independent", independent, kill_independent, 30.0)):
            clients = _clients(servers, sandbox)
            for client in clients:
                client.get_token()
            if name == "independent":
                for server in independent:
                    wait_for(partial(_budget_is_full, server.db_url), what="a full bucket")
            before = sandbox.stats.errors(45009)
            sandbox.configure(quota_per_min=20, quota_block_s=1)
            try:
                _hammer(clients, seconds, ending, until=partial(_tripped, sandbox, before))
            finally:
                sandbox.configure(quota_per_min=0, quota_block_s=60)
                for client in clients:
                    client.close()
            tripped[name] = sandbox.stats.errors(45009) - before
    finally:
        for server in independent:
            server.stop()
    assert tripped["shared"] == 0, tripped
    assert tripped["independent"] > 0, tripped


def test_two_processes_share_one_concurrency_cap(
    two_servers: list[TeamServerProcess], sandbox: SandboxServer
) -> None:
    """The sandbox answers 45033 above 2 mark_tag calls in flight; each process allows 2,
    so only a cap shared between the two keeps it at 2."""
    clients = _clients(two_servers, sandbox)
    tag_id = sorted(sandbox.state.tag_ids_by_name().values())[-1]
    by_customer = {euid: (userid, euid) for userid, euid in sandbox.state.relations()
                   if tag_id not in sandbox.state.relation_tag_ids(userid, euid)}
    targets = list(by_customer.values())[:12]
    busy_before = sandbox.stats.errors(45033)
    sandbox.configure(latency_ms=150)
    try:
        started = time.monotonic()
        with ThreadPoolExecutor(12) as pool:
            list(pool.map(lambda i: clients[i % 2].mark_tag(*targets[i], add=[tag_id]),
                          range(len(targets))))
        elapsed = time.monotonic() - started
    finally:
        sandbox.configure(latency_ms=0)
        for client in clients:
            client.close()
    assert sandbox.stats.errors(45033) == busy_before
    assert all(tag_id in sandbox.state.relation_tag_ids(*t) for t in targets)
    assert elapsed >= len(targets) / 2 * 0.150 * 0.9  # at most two at a time in all
    with psycopg.connect(two_servers[0].db_url) as conn:  # both appended to one chain
        processes = conn.execute("SELECT count(DISTINCT o.owner) FROM team_journal j"
                                 " JOIN outbox o ON o.id = j.outbox_id WHERE j.tag_id = %s",
                                 (tag_id,)).fetchone()
        check = team_journal.verify(conn)
    assert processes == (2,)
    assert check.ok and check.rows_checked >= len(targets)


def test_a_periodic_job_runs_once_per_period_across_processes(
    two_servers: list[TeamServerProcess]
) -> None:
    """Both processes look for the outbox job four times a second; it is due every second."""

    def runs() -> int:
        with psycopg.connect(two_servers[0].db_url) as conn:
            row = conn.execute("SELECT runs FROM scheduled_job WHERE name = 'outbox-recovery'"
                               ).fetchone()
        return int(row[0]) if row else 0

    wait_for(runs, what="the first run of the job")
    first, started = runs(), time.monotonic()
    time.sleep(4)
    ran = runs() - first
    elapsed = time.monotonic() - started
    assert 2 <= ran <= elapsed + 1, (ran, elapsed)


def test_a_job_never_runs_twice_at_once(postgres: PostgresCluster) -> None:
    """Two schedulers (as in two processes) look at a due job at the same moment: one runs
    it, the other neither waits nor runs it, and it does not run again within its period."""
    db_url = postgres.new_database()
    migrate(db_url)
    running, most, ran = [0], [0], []
    lock = threading.Lock()

    def slow_job() -> None:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.3)
        with lock:
            running[0] -= 1
        ran.append(1)

    pools = [psycopg_pool.ConnectionPool(db_url, min_size=1, max_size=2, open=True,
                                         kwargs={"autocommit": True}) for _ in range(2)]
    try:
        schedulers = [Scheduler(pool.connection, number, [Job("slow", 60, slow_job)])
                      for number, pool in enumerate(pools)]
        barrier = threading.Barrier(2)

        def look(scheduler: Scheduler) -> list[str]:
            barrier.wait()
            return scheduler.run_due()

        with ThreadPoolExecutor(2) as executor:
            names = list(executor.map(look, schedulers))
        assert sorted(names) == [[], ["slow"]]
        assert most[0] == 1
        assert schedulers[0].run_due() == [] and schedulers[1].run_due() == []
        assert len(ran) == 1
    finally:
        for pool in pools:
            pool.close()


def test_a_failed_run_is_tried_again_soon_not_a_period_later(
    postgres: PostgresCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that failed (the team database or WeCom went away under it) is tried again after
    RETRY_FAILED_S; a run that succeeded waits its whole period."""
    db_url = postgres.new_database()
    migrate(db_url)
    # long enough that the second look (three round trips after the failed run started)
    # comes before it on a machine under load
    monkeypatch.setattr(jobs, "RETRY_FAILED_S", 1.0)
    attempts: list[int] = []

    def flaky() -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("the first run fails")

    with psycopg_pool.ConnectionPool(db_url, min_size=1, max_size=2, open=True,
                                     kwargs={"autocommit": True}) as pool:
        scheduler = Scheduler(pool.connection, 1, [Job("flaky", 3600, flaky)])
        assert scheduler.run_due() == ["flaky"] and len(attempts) == 1
        assert scheduler.run_due() == []                   # not at once …
        time.sleep(1.1)
        assert scheduler.run_due() == ["flaky"] and len(attempts) == 2   # … but soon
        time.sleep(0.3)
        assert scheduler.run_due() == [] and len(attempts) == 2    # then once an hour


@contextlib.contextmanager
def _slow_then_stopped(sandbox: SandboxServer, client: WeComClient, server: TeamServerProcess,
                       latency_ms: int) -> Iterator[list[TeamServerProcess]]:
    """WeCom answers `latency_ms` late while the block runs; after it the client is closed,
    the server stopped, and every restarted one the block appends to the list too."""
    restarted: list[TeamServerProcess] = []
    sandbox.configure(latency_ms=latency_ms)
    try:
        yield restarted
    finally:
        sandbox.configure(latency_ms=0)
        client.close()
        server.stop()
        for process in restarted:
            assert process.stop() == 0, process.stderr


def _kill_mid_call(sandbox: SandboxServer, server: TeamServerProcess, path: str) -> None:
    """SIGKILL the server once WeCom is answering one of its calls to `path`."""
    wait_for(lambda: sandbox.stats.in_flight(path), what=f"a call to {path} in flight")
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=30)


def test_a_server_killed_mid_batch_loses_and_doubles_nothing(
    postgres: PostgresCluster, sandbox: SandboxServer, tmp_path: Path
) -> None:
    """SIGKILL while mark_tag calls are in flight, then a new process on the same database
    and port: the calls left `sending` are settled from what WeCom shows, the desktop's own
    retries of them are answered from the outbox, and every relation ends with its tag and
    exactly one journal row."""
    db_url = postgres.new_database()
    server = TeamServerProcess(db_url, sandbox, tmp_path / "first", "--concurrency", "2")
    port = server.url.rstrip("/").rsplit(":", 1)[1]
    operator = sorted(sandbox.state.follow_users())[4]
    tag_id = sorted(sandbox.state.tag_ids_by_name().values())[-2]
    by_customer = {euid: (userid, euid) for userid, euid in sandbox.state.relations()
                   if tag_id not in sandbox.state.relation_tag_ids(userid, euid)}
    targets = list(by_customer.values())[:16]
    device = log_in(server.url, sandbox, operator)
    # The desktop's transport retries a lost answer with the same call key, here for up to
    # ~2 minutes: the new process may take that long to start on a busy machine (its port
    # refuses connections until then, which a desktop's default policy retries once only).
    patient = RateLimits(max_retries=60, refused_retries=60, backoff_base_s=0.3,
                         backoff_max_s=2.0)
    client = WeComClient(team_api_base(server.url), sandbox.corp_id, device.token,
                         limits=patient)
    with _slow_then_stopped(sandbox, client, server, 300) as restarted:
        client.get_token()
        with ThreadPoolExecutor(4) as pool:
            writes = [pool.submit(client.mark_tag, *target, add=[tag_id]) for target in targets]
            wait_for(lambda: sum(w.done() for w in writes) >= 4, what="a few writes done")
            _kill_mid_call(sandbox, server, MARK_TAG)
            restarted.append(TeamServerProcess(db_url, sandbox, tmp_path / "second",
                                               "--concurrency", "2", "--port", port))
            for write in writes:
                write.result(timeout=120)
    assert all(tag_id in sandbox.state.relation_tag_ids(*t) for t in targets)
    with psycopg.connect(db_url) as conn:
        journaled = conn.execute(
            "SELECT external_userid, count(*) FROM team_journal WHERE tag_id = %s"
            " AND action = 'tag_add' GROUP BY external_userid", (tag_id,)).fetchall()
        sending = conn.execute("SELECT count(*) FROM outbox WHERE status = 'sending'"
                               ).fetchone()
        settled = conn.execute("SELECT count(*) FROM outbox WHERE settled_how IS NOT NULL"
                               ).fetchone()
    assert sorted(journaled) == sorted((euid, 1) for _, euid in targets)
    assert sending == (0,)
    assert settled is not None and settled[0] >= 1  # the kill did leave rows mid-call


def test_a_rename_settled_after_a_kill_journals_its_old_name(
    postgres: PostgresCluster, sandbox: SandboxServer, tmp_path: Path
) -> None:
    """SIGKILL while a tag rename is in flight: the process started after it settles the
    rename from WeCom and journals the old name the first process knew when it sent it."""
    db_url = postgres.new_database()
    admin = sorted(sandbox.state.follow_users())[4]
    server = TeamServerProcess(db_url, sandbox, tmp_path / "first", "--admin", admin)
    (group, old), tag_id = sorted(sandbox.state.tag_ids_by_name().items())[0]
    client = team_client(server.url, sandbox, log_in(server.url, sandbox, admin).token)
    with _slow_then_stopped(sandbox, client, server, 1500) as restarted:
        with ThreadPoolExecutor(1) as pool:
            rename = pool.submit(client.edit_corp_tag, tag_id, name=f"{old}改")
            _kill_mid_call(sandbox, server, "externalcontact/edit_corp_tag")
            with contextlib.suppress(WeComError, WeComNetworkError):
                rename.result(timeout=60)
        # WeCom finishes the call it accepted although its caller died: wait for it, or a
        # quick restart settles the rename before WeCom applied it
        wait_for(lambda: not sandbox.stats.in_flight("externalcontact/edit_corp_tag"),
                 what="WeCom done with the rename")
        sandbox.configure(latency_ms=0)
        restarted.append(TeamServerProcess(db_url, sandbox, tmp_path / "second",
                                           "--admin", admin))
    assert sandbox.state.find_tag(group, f"{old}改") == tag_id
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT action, tag_name, group_name, before, after FROM team_journal"
                            " WHERE tag_id = %s", (tag_id,)).fetchall()
        settled = conn.execute("SELECT settled_how FROM outbox WHERE path = %s",
                               ("externalcontact/edit_corp_tag",)).fetchall()
    assert settled == [("applied: found on WeCom",)]
    assert rows == [("tag_rename", f"{old}改", group, f'{{"name": "{old}"}}',
                     f'{{"name": "{old}改"}}')]


def test_a_lease_lost_with_its_connection_is_taken_again(postgres: PostgresCluster) -> None:
    """The lease's connection is cut (as a restart or a network device would): for a moment
    the process looks dead to the others, then it holds its lease again on its own."""
    db_url = postgres.new_database()
    migrate(db_url)
    lease = ProcessLease(db_url)
    try:
        with psycopg.connect(db_url, autocommit=True) as conn:

            def holder() -> int | None:
                # pg_locks covers the whole cluster: other tests' servers hold leases with
                # the same ids in their own databases
                row = conn.execute(
                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND database = (SELECT oid FROM pg_database"
                    " WHERE datname = current_database())"
                    " AND classid = %s::oid AND objid = %s::oid AND objsubid = 2",
                    (LEASE_LOCK_CLASS, lease.id)).fetchone()
                return int(row[0]) if row else None

            first = holder()
            assert first is not None and leases.alive(conn, lease.id)
            conn.execute("SELECT pg_terminate_backend(%s)", (first,))
            wait_for(lambda: holder() not in (None, first), timeout=20,
                     what="the lease taken again")
            assert leases.alive(conn, lease.id)
    finally:
        lease.close()


def test_a_repeated_call_is_sent_once_whichever_process_gets_it(
    two_servers: list[TeamServerProcess], sandbox: SandboxServer
) -> None:
    """A load balancer may send a desktop's retry to the other process: the same call key
    is answered from the outbox there, with no second WeCom call and no second journal row."""
    userid = sorted(sandbox.state.follow_users())[2]
    tag_id = sorted(sandbox.state.tag_ids_by_name().values())[-3]
    euid = next(e for u, e in sandbox.state.relations()
                if u == userid and tag_id not in sandbox.state.relation_tag_ids(u, e))
    token = log_in(two_servers[0].url, sandbox, userid).token
    body = {"userid": userid, "external_userid": euid, "add_tag": [tag_id]}
    headers = {CALL_KEY_HEADER: "same-call-on-every-retry"}
    calls_before = sandbox.stats.calls(MARK_TAG)
    answers = []
    for server in (*two_servers, two_servers[0]):
        session = requests.get(server.url + "cgi-bin/gettoken", timeout=30,
                               params={"corpid": sandbox.corp_id, "corpsecret": token}
                               ).json()["access_token"]
        answers.append(requests.post(server.url + "cgi-bin/" + MARK_TAG, json=body,
                                     headers=headers, params={"access_token": session},
                                     timeout=30).json())
    assert [a["errcode"] for a in answers] == [0, 0, 0]
    assert sandbox.stats.calls(MARK_TAG) == calls_before + 1
    with psycopg.connect(two_servers[0].db_url) as conn:
        rows = conn.execute("SELECT count(*) FROM team_journal WHERE external_userid = %s"
                            " AND tag_id = %s", (euid, tag_id)).fetchone()
    assert rows == (1,)
