"""New team journal rows pushed to desktops: `GET /tagdesk/v1/journal/wait?after=ID&timeout=S`
answers as soon as a row newer than ID has committed, or after S seconds (at most MAX_WAIT_S)
with what is newest then, and the newest governance row (approvals, policy), so that a
desktop's approvals count is read again only when one of those came.

Every append NOTIFYs `team_journal.CHANNEL` with the new last id (and its newest governance
row's) inside its transaction, so
PostgreSQL delivers it at commit, to every server process on the database. Each process keeps
one connection LISTENing on a thread; a waiting request holds no thread and no database
connection, only a future on the event loop. After the listener loses the database it
reconnects and reads the chain head again, so a row committed meanwhile still wakes waiters.
The same connection LISTENs for settled outbox writes that a callback event waits behind
(`outbox_recovery.SETTLED_CHANNEL`, from the relay or the outbox's recovery in any process)
and tells `on_settled` (the callback worker: the event may go), once more after each
reconnect.
A server that is stopping answers its waits within CLOSING_CHECK_S instead of holding its
shutdown for their timeout.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Mapping

import psycopg

from desktop.server.outbox_recovery import SETTLED_CHANNEL
from desktop.server.team_journal import CHANNEL, GOVERNANCE_SOURCE

log = logging.getLogger("tagdesk.server")

MAX_WAIT_S = 60.0
DEFAULT_WAIT_S = 25.0
RECONNECT_S = 1.0
CLOSING_CHECK_S = 0.5
CONNECT_TIMEOUT_S = 5


class BadWait(ValueError):
    """`after` or `timeout` that is not a number in range; the message names it."""


class JournalPush:
    def __init__(self, db_url: str) -> None:
        self._db_url = db_url
        # True once the server is stopping: waits answer then, not after their timeout
        self.closing: Callable[[], bool] = lambda: False
        # Told when a write a callback event waits behind has settled in any server process
        self.on_settled: Callable[[], None] = lambda: None
        self._lock = threading.Lock()
        self._latest = 0
        self._latest_governance = 0
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="journal-push", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    async def wait(self, query: Mapping[str, str]) -> dict[str, object]:
        after = _number(query, "after", 0, 2**62, 0)
        timeout = _number(query, "timeout", 0, MAX_WAIT_S, DEFAULT_WAIT_S)
        loop = asyncio.get_running_loop()
        woken: asyncio.Future[None] = loop.create_future()
        with self._lock:
            newer = self._latest > after
            if not newer:
                self._waiters.add((loop, woken))
        if not newer:
            deadline = loop.time() + timeout
            try:
                while not woken.done() and not self.closing() and loop.time() < deadline:
                    await asyncio.wait([woken], timeout=min(CLOSING_CHECK_S,
                                                            deadline - loop.time()))
            finally:
                with self._lock:
                    self._waiters.discard((loop, woken))
        latest = self._latest
        return {"errcode": 0, "errmsg": "ok", "latest_id": latest, "newer": latest > after,
                "latest_governance_id": self._latest_governance}

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._db_url, autocommit=True,
                                     connect_timeout=CONNECT_TIMEOUT_S) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    conn.execute(f"LISTEN {SETTLED_CHANNEL}")
                    head = conn.execute(
                        "SELECT last_id, (SELECT max(id) FROM team_journal WHERE"
                        " (source COLLATE \"C\") = %s) FROM team_journal_head",
                        (GOVERNANCE_SOURCE,)).fetchone()
                    self._publish(*(int(str(value or 0)) for value in head or (0, 0)))
                    self.on_settled()
                    while not self._stop.is_set():
                        for notice in conn.notifies(timeout=1.0):
                            if notice.channel == SETTLED_CHANNEL:
                                self.on_settled()
                            else:
                                self._publish(*_ids(notice.payload))
            except psycopg.Error as exc:
                log.warning("journal push: team database unavailable (%s)", type(exc).__name__)
                self._stop.wait(RECONNECT_S)

    def _publish(self, last_id: int, governance_id: int) -> None:
        with self._lock:
            self._latest_governance = max(self._latest_governance, governance_id)
            if last_id <= self._latest:
                return
            self._latest = last_id
            waiters, self._waiters = self._waiters, set()
        for loop, woken in waiters:
            loop.call_soon_threadsafe(_wake, woken)


def _ids(payload: str) -> tuple[int, int]:
    """A journal NOTIFY's last id and newest governance row's id; a server process of an
    earlier version sends the last id alone, which may be a governance row."""
    last, _, governance = payload.partition(" ")
    return int(last), int(governance or last)


def _wake(woken: asyncio.Future[None]) -> None:
    if not woken.done():
        woken.set_result(None)


def _number(query: Mapping[str, str], name: str, low: float, high: float,
            default: float) -> float:
    text = query.get(name, "")
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        raise BadWait(f"{name} must be a number from {low:g} to {high:g}")
    return value
