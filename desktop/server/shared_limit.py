"""The corp's WeCom budget shared by every server process on one database.

:class:`SharedRateLimiter` keeps the interface of the desktop's
:class:`~desktop.wecom.ratelimit.RateLimiter` (the transport calls it the same way) but asks
PostgreSQL whether a call may start: `tagdesk_take_call` (migration 4) refills the token bucket,
counts the sliding 60 s window, honours the 45009 pause and takes one of `max_concurrency`
advisory locks, all in one round trip on PostgreSQL's clock. The lock is held on a connection
of the limiter's own small pool for the length of the HTTP request; a process that dies loses
its connections and PostgreSQL frees its slots with them. At most `max_concurrency` threads of
a process ask PostgreSQL at once; the others wait in the process.
"""

from __future__ import annotations

import logging
import threading

import psycopg

from desktop.server.db_health import Conn, DatabaseHealth, Pool
from desktop.wecom.ratelimit import CANCEL_POLL_S, PauseListener, RateLimiter, RateLimits

log = logging.getLogger("tagdesk.server")

# How soon a call that found every concurrency slot taken asks again.
SLOT_POLL_S = 0.02
# A call waiting out a pause or the window asks again at least this often (progress, cancel).
LONGEST_WAIT_S = 1.0


class SharedRateLimiter(RateLimiter):
    def __init__(self, pool: Pool, health: DatabaseHealth, corp_id: str,
                 limits: RateLimits) -> None:
        super().__init__(limits)
        self._pool = pool
        self._health = health
        self._corp = corp_id
        self._slot_key = f"tagdesk wecom slot {corp_id}"
        self._entered = 0  # threads asking PostgreSQL or holding a slot
        self._held = threading.local()

    def acquire(
        self, cancel: threading.Event | None = None, on_pause: PauseListener | None = None
    ) -> None:
        with self._cond:
            while self._entered >= self._limits.max_concurrency:
                self.raise_if_cancelled(cancel)
                self._clock.wait(self._cond, CANCEL_POLL_S)
            self._entered += 1
        try:
            conn, slot = self._take(cancel, on_pause)
        except BaseException:
            self._leave()
            raise
        held: list[tuple[Conn, int]] | None = getattr(self._held, "slots", None)
        if held is None:
            held = self._held.slots = []
        held.append((conn, slot))
        with self._cond:
            self._in_flight += 1

    def release(self) -> None:
        conn, slot = self._held.slots.pop()
        try:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s), %s)", (self._slot_key, slot))
        except psycopg.Error:
            # The connection died: PostgreSQL freed the lock with it; the pool drops it.
            log.warning("concurrency slot %d released with its lost connection", slot)
        finally:
            self._pool.putconn(conn)
            with self._cond:
                self._in_flight -= 1
            self._leave()

    def pause(self, seconds: float, *, sent_at: float | None = None) -> bool:
        sent_ago = 0.0 if sent_at is None else max(0.0, self._clock.now() - sent_at)
        with self._health.connection(self._pool) as conn:
            row = conn.execute("SELECT changed, serial, paused_s FROM tagdesk_pause_calls"
                               "(%s, %s, %s)", (self._corp, seconds, sent_ago)).fetchone()
        assert row is not None
        changed, serial, paused_s = bool(row[0]), int(str(row[1])), float(str(row[2]))
        self._note_pause(serial, paused_s)
        return changed

    def _take(self, cancel: threading.Event | None,
              on_pause: PauseListener | None) -> tuple[Conn, int]:
        """Ask PostgreSQL until a call may start; returns the connection holding the slot."""
        while True:
            self.raise_if_cancelled(cancel)
            limits = self.limits
            conn = self._health.getconn(self._pool)
            try:
                row = conn.execute(
                    "SELECT slot, wait_s, paused_s, serial FROM tagdesk_take_call(%s, %s, %s)",
                    (self._corp, limits.calls_per_minute, limits.max_concurrency),
                ).fetchone()
            except BaseException:
                self._pool.putconn(conn)
                if conn.broken:
                    self._health.lost()
                raise
            assert row is not None
            slot, wait_s = int(str(row[0])), float(str(row[1]))
            paused_s, serial = float(str(row[2])), int(str(row[3]))
            if slot >= 0:
                return conn, slot
            self._pool.putconn(conn)
            self._note_pause(serial, paused_s)
            if on_pause is not None and paused_s > 0.0:
                on_pause(serial, paused_s)
            self.sleep(min(max(wait_s, SLOT_POLL_S), LONGEST_WAIT_S), cancel)

    def _note_pause(self, serial: int, paused_s: float) -> None:
        """Remember the shared pause as seen now (pause_serial, pause_remaining)."""
        with self._cond:
            if serial >= self._pause_serial:
                self._pause_serial = serial
                self._paused_until = self._clock.now() + paused_s

    def _leave(self) -> None:
        with self._cond:
            self._entered -= 1
            self._cond.notify_all()
