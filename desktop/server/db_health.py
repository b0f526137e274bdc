"""Whether the team database can be reached, so a request meets a quick 503 while it cannot.

A pool left to itself waits up to its timeout (10 s) for a connection when PostgreSQL is
down, for every request. Here the first dead connection found at checkout is followed by one
short connection attempt: if PostgreSQL answers, only that connection was stale (the pool
replaces it and every idle one is tested); if not, the database is marked down, every request
is refused at once (`DatabaseDown`, answered 503) and a background probe tries to connect
twice a second (a request more than half a second after the last try tries once itself).
When one succeeds the pools drop their dead connections and the listeners run (a process
re-takes its lease), then requests are served again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import psycopg
import psycopg_pool

log = logging.getLogger("tagdesk.server")

Conn = psycopg.Connection[tuple[object, ...]]
Pool = psycopg_pool.ConnectionPool[Conn]
ConnectionFactory = Callable[[], AbstractContextManager[Conn]]
PROBE_EVERY_S = 0.5
PROBE_TIMEOUT_S = 2


class DatabaseDown(psycopg.OperationalError):
    """The team database is known to be unreachable right now."""


class _StopCheckout(BaseException):
    """Ends the pool's checkout loop at once (it retries on any Exception until its timeout)."""


class DatabaseHealth:
    def __init__(self, url: str) -> None:
        self._url = url
        self._down = threading.Event()
        self._lock = threading.Lock()
        self._pools: list[Pool] = []
        self._listeners: list[Callable[[], None]] = []
        self._prober: threading.Thread | None = None
        self._probing = threading.Lock()
        self._probed_at = float("-inf")
        self._closed = threading.Event()

    @property
    def down(self) -> bool:
        return self._down.is_set()

    def watch(self, pool: Pool) -> None:
        """Have `pool`'s dead connections dropped when the database is back."""
        with self._lock:
            self._pools.append(pool)

    def on_back(self, listener: Callable[[], None]) -> None:
        """Run `listener` (on the probe's thread) each time the database is back."""
        with self._lock:
            self._listeners.append(listener)

    def close(self) -> None:
        self._closed.set()
        prober = self._prober
        if prober is not None:
            prober.join(timeout=PROBE_TIMEOUT_S + PROBE_EVERY_S)

    def check_connection(self, conn: Conn) -> None:
        """The pools' checkout check."""
        if self.down:
            raise _StopCheckout()
        try:
            psycopg_pool.ConnectionPool.check_connection(conn)
        except psycopg.Error:
            if self._reachable():
                log.warning("team database connection lost: testing every pooled connection")
                threading.Thread(target=self._check_pools, name="pool-check",
                                 daemon=True).start()
                raise
            self._mark_down()
            raise _StopCheckout() from None

    def getconn(self, pool: Pool) -> Conn:
        """A connection from `pool`, or DatabaseDown at once while the database is down."""
        if self.down and not self._back_now():
            raise DatabaseDown("team database unavailable")
        try:
            return pool.getconn()
        except _StopCheckout:
            raise DatabaseDown("team database unavailable") from None
        except psycopg_pool.PoolTimeout:
            self.lost()
            raise

    @contextmanager
    def connection(self, pool: Pool) -> Iterator[Conn]:
        conn = self.getconn(pool)
        try:
            yield conn
        except psycopg.OperationalError:
            if conn.broken:
                self.lost()
            raise
        finally:
            pool.putconn(conn)

    def lost(self) -> None:
        """A query or checkout failed for want of the database: mark it down unless it answers."""
        if not self.down and not self._reachable():
            self._mark_down()

    def _reachable(self) -> bool:
        try:
            with psycopg.connect(self._url, connect_timeout=PROBE_TIMEOUT_S):
                return True
        except psycopg.Error:
            return False

    def _mark_down(self) -> None:
        with self._lock:
            if self._down.is_set():
                return
            self._down.set()
            self._probed_at = time.monotonic()
            log.error("team database unreachable: answering 503 until it is back")
            self._prober = threading.Thread(target=self._probe, name="db-probe", daemon=True)
            self._prober.start()

    def _probe(self) -> None:
        while not self._closed.wait(PROBE_EVERY_S):
            if self._back_now():
                return

    def _back_now(self) -> bool:
        """Whether the database is back, asking it at most once per PROBE_EVERY_S (a request
        arriving just after a restart need not wait for the probe's next turn). Only one
        thread asks; the others are answered at once from what is known."""
        if not self._probing.acquire(blocking=False):
            return not self.down
        try:
            if not self.down:
                return True
            if time.monotonic() - self._probed_at < PROBE_EVERY_S:
                return False
            self._probed_at = time.monotonic()
            if not self._reachable():
                return False
            self._check_pools()
            with self._lock:
                listeners = list(self._listeners)
                self._down.clear()
        finally:
            self._probing.release()
        log.warning("team database reachable again")
        for listener in listeners:
            listener()
        return True

    def _check_pools(self) -> None:
        with self._lock:
            pools = list(self._pools)
        for pool in pools:
            pool.check()
