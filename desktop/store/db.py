"""Opening the SQLite cache: WAL mode, migrations, one connection per thread.

A `Cache` is shared by the whole process. Readers on any thread get their own
connection (WAL lets them read while a writer commits); writes go through
`Cache.write()`, which serialises them and runs each in one transaction.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.store import journal_head, sort_keys
from desktop.store.errors import (
    CacheError,
    CacheFullError,
    CacheLockedError,
    CacheReadOnlyError,
    CacheTooNewError,
    CacheUnavailableError,
    DamagedCacheError,
    NotACacheError,
)
from desktop.store.lockfile import CacheLock
from desktop.store.schema import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger("tagdesk.store")

BUSY_TIMEOUT_MS = 5000
JOURNAL_HEAD_KEY = "journal_head"
PRIVATE_FILE_MODE = 0o600
INTERRUPT_CHECK_OPS = 1000   # SQLite VM steps between looks at an `interruptible` stop


class Cache:
    """The local cache of one profile."""

    def __init__(self, path: Path, *, exclusive: bool = False, check_later: bool = False) -> None:
        """`exclusive`: this process writes (it holds the writer lock and reads every
        journal page before its first write, see `check_journal`); `check_later` leaves that
        read to a `check_journal()` call or the first write (a window shows first)."""
        self.path = Path(path)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._journal_lock = threading.Lock()
        self._journal_due = False
        self._journal_fault: sqlite3.DatabaseError | None = None
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._lock = CacheLock(self.path) if exclusive else None
        self._head_copied: str | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _make_private(self.path)
        if self._lock is not None:
            self._lock.acquire()
        try:
            self._migrate()
            self._journal_due = exclusive
            if exclusive and not check_later:
                self.check_journal()
        except BaseException:
            self.close()
            raise

    # -- connections ---------------------------------------------------------

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (autocommit mode; use `write()` for changes)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._connections_lock:
                self._connections.append(conn)
        return conn

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                check_same_thread=False,
            )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute("PRAGMA cache_size = -65536")
            sort_keys.register(conn)
        except sqlite3.Error as exc:
            raise translate_sqlite_error(exc, self.path) from None
        return conn

    @contextmanager
    def interruptible(self, stop: Callable[[], bool]) -> Iterator[None]:
        """Within the block, a statement of this thread's connection ends with
        `sqlite3.OperationalError` ("interrupted") soon after `stop()` turns true: a read
        of a million rows nobody waits for any more gives its core back."""
        conn = self.connection()
        conn.set_progress_handler(lambda: 1 if stop() else 0, INTERRUPT_CHECK_OPS)
        try:
            yield
        finally:
            conn.set_progress_handler(None, 0)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; serialised within the process, rolled back on error."""
        self.check_journal()
        with self._write_lock:
            conn = self.connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise translate_sqlite_error(exc, self.path) from None
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                _rollback(conn)
                if isinstance(exc, sqlite3.Error) and is_storage_fault(exc):
                    raise translate_sqlite_error(exc, self.path) from exc
                raise
            self._copy_journal_head(conn)

    def _copy_journal_head(self, conn: sqlite3.Connection) -> None:
        """After a commit that moved the journal's head, copy it beside the cache."""
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (JOURNAL_HEAD_KEY,)).fetchone()
        if row is None or row[0] == self._head_copied:
            return
        try:
            journal_head.write(self.path, str(row[0]))
        except OSError as exc:  # verify will name the head file as behind
            log.warning("could not write the journal head file beside %s: %s", self.path, exc)
            return
        self._head_copied = str(row[0])

    def query(self, sql: str, params: tuple[object, ...] | list[object] = ()) -> list[sqlite3.Row]:
        conn = self.connection()
        conn.row_factory = sqlite3.Row
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise translate_sqlite_error(exc, self.path) from None
        finally:
            conn.row_factory = None

    def scalar(self, sql: str, params: tuple[object, ...] | list[object] = ()) -> object:
        try:
            row = self.connection().execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise translate_sqlite_error(exc, self.path) from None
        return None if row is None else row[0]

    def close(self) -> None:
        with self._connections_lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- meta ----------------------------------------------------------------

    def get_meta(self, key: str, default: str = "") -> str:
        value = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return default if value is None else str(value)

    def set_meta(self, conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @property
    def schema_version(self) -> int:
        return int(str(self.scalar("PRAGMA user_version") or 0))

    def check_journal(self) -> None:
        """A writer refuses a cache whose journal pages cannot be read: appending past a
        damaged page would grow a log that `audit verify` can never check. Reading every
        page of the journal (not its rows) takes about 1 ms per 1,000 entries, so it is read
        once: the first call reads (a write meanwhile waits for it), later ones and every
        write give its answer. A reader's cache (not `exclusive`) reads nothing."""
        with self._journal_lock:
            if self._journal_due:
                try:
                    self.connection().execute(
                        "SELECT count(*) FROM journal NOT INDEXED").fetchone()
                except sqlite3.DatabaseError as exc:
                    self._journal_fault = exc
                self._journal_due = False
            if self._journal_fault is not None:
                raise translate_sqlite_error(self._journal_fault, self.path) from None

    # -- migrations ----------------------------------------------------------

    def _migrate(self) -> None:
        conn = self.connection()
        try:
            found = int(conn.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            raise translate_sqlite_error(exc, self.path) from None
        if found > SCHEMA_VERSION:
            raise CacheTooNewError(self.path, found, SCHEMA_VERSION)
        if found and not _has_table(conn, "meta"):
            raise NotACacheError(self.path)
        if found == 0 and _has_foreign_tables(conn):
            raise NotACacheError(self.path)
        if found == 0 and journal_head.read(self.path) is not None:
            # a new cache where an old one was (moved aside to re-sync): its head is not ours
            log.warning("a new cache replaces %s: its old journal head file is set aside",
                        self.path)
            journal_head.set_aside(self.path)
        for version in range(found, SCHEMA_VERSION):
            log.info("upgrading cache %s to schema %d", self.path, version + 1)
            with self.write() as tx:
                for statement in _statements(MIGRATIONS[version]):
                    tx.execute(statement)
                tx.execute(f"PRAGMA user_version = {version + 1}")


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into statements (triggers keep their inner `;`)."""
    buffer = ""
    for line in script.splitlines():
        code = line.split("--", 1)[0].rstrip()
        if not code.strip():
            continue
        buffer += code + "\n"
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()


def _make_private(path: Path) -> None:
    """The cache and its -wal / -shm files readable by the user alone (0600 on POSIX).

    A new cache file is created 0600 before SQLite opens it; SQLite gives its -wal and
    -shm files the database file's mode. Files an older TagDesk left 0644 are tightened."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0),
                         PRIVATE_FILE_MODE))
    except OSError as exc:
        raise translate_os_error(exc, path) from None
    if os.name != "posix":
        return
    for member in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            mode = member.lstat().st_mode
            if stat.S_ISREG(mode) and mode & 0o077:
                member.chmod(PRIVATE_FILE_MODE)


def _rollback(conn: sqlite3.Connection) -> None:
    """Undo the open transaction; SQLite may already have rolled it back (full disk)."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            log.warning("rollback after a failed write failed too", exc_info=True)


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None


def _has_foreign_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
    return bool(row[0])


_DAMAGED = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})
_FULL = frozenset({"SQLITE_FULL", "SQLITE_IOERR_WRITE"})
_STORAGE = frozenset({"BUSY", "LOCKED", "READONLY", "IOERR", "CORRUPT", "FULL", "CANTOPEN",
                      "NOTADB", "PERM"})
_STORAGE_TEXTS = ("locked", "busy", "not a database", "malformed", "disk is full", "readonly",
                  "disk i/o error", "unable to open", "file is encrypted")


def _primary(exc: sqlite3.Error) -> str:
    """SQLite's primary result code name without the prefix ("FULL", "CORRUPT", ...)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    parts = name.split("_")
    return parts[1] if len(parts) > 1 else ""


def is_storage_fault(exc: sqlite3.Error) -> bool:
    """Trouble with the file or the disk (not a mistake in TagDesk's own SQL)."""
    if _primary(exc) in _STORAGE:
        return True
    text = str(exc).lower()
    return any(part in text for part in _STORAGE_TEXTS)


def translate_sqlite_error(exc: sqlite3.Error, path: Path | None) -> CacheError:
    """A sentence for an SQLite failure on the cache at `path` (None: not known here).

    Sorted by SQLite's own result code (full disk, read-only, damaged, cannot open);
    the message text is only a fallback for errors raised without a code.
    """
    name = getattr(exc, "sqlite_errorname", "") or ""
    primary = _primary(exc)
    text = str(exc).lower()
    if primary in ("BUSY", "LOCKED") or "locked" in text or "busy" in text:
        return CacheLockedError(path or Path("cache.sqlite"))
    if f"SQLITE_{primary}" in _DAMAGED or "not a database" in text or "malformed" in text \
            or "file is encrypted" in text:
        return DamagedCacheError(path, str(exc))
    if name in _FULL or primary == "FULL" or "disk is full" in text:
        return CacheFullError(path)
    if primary == "READONLY" or "readonly" in text:
        return CacheReadOnlyError(path)
    return CacheUnavailableError(path, str(exc))


def translate_os_error(exc: OSError, path: Path) -> CacheError:
    """A sentence for the cache file the system would not create or open."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return CacheFullError(path)
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return CacheReadOnlyError(path)
    return CacheUnavailableError(path, exc.strerror or str(exc))
