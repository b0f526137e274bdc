"""A server process's lease: its `server_process` row and a session advisory lock on its id.

The lock lives on a connection of its own for the process's lifetime, so PostgreSQL frees it
the moment the process dies (or its connection does). Any process can then tell whether the
owner of an outbox row is still alive with one try-lock (:func:`alive`). After PostgreSQL
restarts, the lease is taken again on a new connection as soon as the database answers.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

import psycopg

from desktop.server.database import connect
from desktop.server.db_health import Conn
from desktop.server.errors import ServerError

log = logging.getLogger("tagdesk.server")

# Advisory lock class of process leases (two-int form: (LEASE_LOCK_CLASS, process id)).
LEASE_LOCK_CLASS = 0x7A6D_0003


class ProcessLease:
    def __init__(self, url: str) -> None:
        self._url = url
        self._lock = threading.Lock()
        self._conn: Conn = connect(url)
        self._conn.autocommit = True
        row = self._conn.execute(
            "INSERT INTO server_process (host, pid) VALUES (%s, %s) RETURNING id",
            (socket.gethostname(), os.getpid()),
        ).fetchone()
        assert row is not None
        self.id = int(str(row[0]))
        self._conn.execute("SELECT pg_advisory_lock(%s, %s)", (LEASE_LOCK_CLASS, self.id))
        log.info("server process %d holds its lease", self.id)

    def renew(self) -> None:
        """Take the lease again if its connection was lost (PostgreSQL restarted)."""
        with self._lock:
            try:
                self._conn.execute("SELECT 1")
                return
            except psycopg.Error:
                self._conn.close()
            try:
                conn = connect(self._url)
            except ServerError:
                log.error("server process %d could not take its lease again", self.id)
                return
            conn.autocommit = True
            conn.execute("SELECT pg_advisory_lock(%s, %s)", (LEASE_LOCK_CLASS, self.id))
            self._conn = conn
            log.warning("server process %d took its lease again", self.id)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


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
