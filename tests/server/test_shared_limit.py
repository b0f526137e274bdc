"""The WeCom budget kept in PostgreSQL, seen from two limiters as two server processes would
hold them: a 45009 pause, the concurrency slots and the per-minute window are shared, and the
slots of a process whose connections die are free at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import psycopg
import psycopg_pool
import pytest

from desktop.server.database import migrate
from desktop.server.db_health import DatabaseHealth, Pool
from desktop.server.shared_limit import SharedRateLimiter
from desktop.wecom.errors import CallCancelled
from desktop.wecom.ratelimit import RateLimits
from tests.server.team_support import PostgresCluster

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def db_url(postgres: PostgresCluster) -> str:
    url = postgres.new_database()
    migrate(url)
    return url


class Process:
    """One server process's view: its own pool, health and limiter; its connections'
    sessions are what PostgreSQL ties its slots to."""

    def __init__(self, db_url: str, corp: str, limits: RateLimits) -> None:
        self.health = DatabaseHealth(db_url)
        self.pool: Pool = psycopg_pool.ConnectionPool(
            db_url, min_size=1, max_size=limits.max_concurrency + 1, open=True,
            kwargs={"autocommit": True}, check=self.health.check_connection)
        self.health.watch(self.pool)
        self.limiter = SharedRateLimiter(self.pool, self.health, corp, limits)

    def close(self) -> None:
        self.pool.close()
        self.health.close()


@pytest.fixture
def two(db_url: str, request: pytest.FixtureRequest) -> Iterator[tuple[Process, Process]]:
    corp = request.node.name  # a budget of this test's own
    limits = RateLimits(calls_per_minute=600, max_concurrency=2)
    first, second = Process(db_url, corp, limits), Process(db_url, corp, limits)
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def test_a_pause_begun_by_one_process_holds_back_the_other(
    two: tuple[Process, Process]
) -> None:
    first, second = two
    sent = time.monotonic()
    assert first.limiter.pause(1.0, sent_at=sent)
    heard: list[tuple[int, float]] = []
    started = time.monotonic()
    with second.limiter.slot(on_pause=lambda serial, left: heard.append((serial, left))):
        waited = time.monotonic() - started
    assert 0.8 <= waited < 3.0, waited
    assert heard and heard[0][0] == 1 and 0 < heard[0][1] <= 1.0
    assert second.limiter.pause_serial == 1
    # A 45009 answer to a call sent before the pause began is an echo of it: no new pause.
    assert not second.limiter.pause(1.0, sent_at=sent - 5)


def test_the_concurrency_cap_is_shared_and_freed_when_a_process_dies(
    two: tuple[Process, Process], db_url: str, request: pytest.FixtureRequest
) -> None:
    first, second = two
    corp = request.node.name
    release = threading.Event()

    def hold() -> None:
        with first.limiter.slot():
            release.wait(10)

    holders = [threading.Thread(target=hold) for _ in range(2)]
    for thread in holders:
        thread.start()
    try:
        deadline = time.monotonic() + 10
        while first.limiter.in_flight < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert first.limiter.in_flight == 2
        cancel = threading.Event()
        threading.Timer(0.5, cancel.set).start()
        with pytest.raises(CallCancelled):  # both slots are the other process's
            second.limiter.acquire(cancel)
        with psycopg.connect(db_url, autocommit=True) as conn:  # the process dies
            killed = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                " AND objsubid = 2 AND classid::bigint = (hashtext(%s)::bigint & 4294967295)",
                (f"tagdesk wecom slot {corp}",)).fetchall()
        assert killed == [(True,), (True,)]
        started = time.monotonic()
        with second.limiter.slot():
            assert time.monotonic() - started < 2.0
    finally:
        release.set()
        for thread in holders:
            thread.join(10)


def test_the_minute_window_is_shared(db_url: str, request: pytest.FixtureRequest) -> None:
    """30 calls a minute: a burst of 5, then one every 2 s, for both processes together. Seven
    calls taken in turns need about 4 s; two budgets of their own would give them at once."""
    limits = RateLimits(calls_per_minute=30, max_concurrency=2)
    first = Process(db_url, request.node.name, limits)
    second = Process(db_url, request.node.name, limits)
    try:
        started = time.monotonic()
        for turn in range(7):
            with (first, second)[turn % 2].limiter.slot():
                pass
        elapsed = time.monotonic() - started
    finally:
        first.close()
        second.close()
    assert 3.5 <= elapsed < 8.0, elapsed
