"""A server process's lease: its `server_process` row and a session advisory lock on its id.

The lock lives on a connection of its own for the process's lifetime, so PostgreSQL frees it
the moment the process dies (or its connection does). Any process can then tell whether the
owner of an outbox row is still alive with one try-lock (:func:`alive`). The connection sends
TCP keepalives and is looked at every few seconds: when it was lost (PostgreSQL restarted, a
network device dropped it) the lease is taken again on a new connection as soon as the
database answers.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

import psycopg

from desktop.server.database import CONNECT_TIMEOUT_S, unavailable
from desktop.server.db_health import Conn

log = logging.getLogger("tagdesk.server")

# Advisory lock class of process leases (two-int form: (LEASE_LOCK_CLASS, process id)).
LEASE_LOCK_CLASS = 0x7A6D_0003
KEEP_EVERY_S = 5.0


class ProcessLease:
    def __init__(self, url: str) -> None:
        self._url = url
        self._lock = threading.Lock()
        self._closed = threading.Event()
        try:
            self._conn: Conn = _connect(url)
        except psycopg.Error as exc:
            raise unavailable(url, exc) from None
        row = self._conn.execute(
            "INSERT INTO server_process (host, pid) VALUES (%s, %s) RETURNING id",
            (socket.gethostname(), os.getpid()),
        ).fetchone()
        assert row is not None
        self.id = int(str(row[0]))
        self._conn.execute("SELECT pg_advisory_lock(%s, %s)", (LEASE_LOCK_CLASS, self.id))
        log.info("server process %d holds its lease", self.id)
        self._keeper = threading.Thread(target=self._keep, name="tagdesk-lease", daemon=True)
        self._keeper.start()

    def renew(self) -> None:
        """Take the lease again if its connection was lost (PostgreSQL restarted)."""
        with self._lock:
            try:
                self._conn.execute("SELECT 1")
                return
            except psycopg.Error:
                self._conn.close()
            try:
                conn = _connect(self._url)
            except psycopg.Error:
                log.error("server process %d could not take its lease again yet", self.id)
                return
            conn.execute("SELECT pg_advisory_lock(%s, %s)", (LEASE_LOCK_CLASS, self.id))
            self._conn = conn
            log.warning("server process %d took its lease again", self.id)

    def close(self) -> None:
        self._closed.set()
        self._keeper.join()
        with self._lock:
            self._conn.close()

    def _keep(self) -> None:
        while not self._closed.wait(KEEP_EVERY_S):
            self.renew()


def _connect(url: str) -> Conn:
    return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                           keepalives=1, keepalives_idle=10, keepalives_interval=5,
                           keepalives_count=3)


def alive(conn: Conn, process_id: int | None) -> bool:
    """Whether server process `process_id` still holds its lease (None: no owner)."""
    if process_id is None:
        return False
    row = conn.execute("SELECT pg_try_advisory_lock(%s, %s)",
                       (LEASE_LOCK_CLASS, process_id)).fetchone()
    if row is None or not row[0]:
        return True
    conn.execute("SELECT pg_advisory_unlock(%s, %s)", (LEASE_LOCK_CLASS, process_id))
    return False
