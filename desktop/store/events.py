"""Behaviour events in the cache: stored once (`event_key`), listed, counted per type and
day, and read per customer for rule conditions in one query."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from desktop.domain.events import Event
from desktop.store.db import Cache
from desktop.store.in_chunks import placeholders

_COLUMNS = "event_key, ts, external_userid, userid, type, name, detail, value"


@dataclass(frozen=True)
class DayCount:
    day: str
    type: str
    events: int


def insert_new(conn: sqlite3.Connection, events: Iterable[Event], source: str) -> int:
    """Insert the events not stored yet (inside the caller's transaction); returns how many."""
    before = conn.total_changes
    conn.executemany(
        f"INSERT OR IGNORE INTO event ({_COLUMNS}, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((e.event_key, e.ts, e.external_userid, e.userid, e.type, e.name, e.detail, e.value,
          source) for e in events))
    return conn.total_changes - before


def listed(cache: Cache, *, customer: str | None = None, kind: str | None = None,
           since: float | None = None, until: float | None = None, limit: int = 100,
           offset: int = 0) -> list[tuple[Event, str]]:
    """The newest events first (with where each came from), filtered; `until` excluded."""
    clauses, params = _filters(customer, kind, since, until)
    rows = cache.query(
        f"SELECT {_COLUMNS}, source FROM event{clauses} ORDER BY ts DESC, id DESC"
        " LIMIT ? OFFSET ?", [*params, limit, offset])
    return [(Event(*row[:8]), str(row[8])) for row in rows]


def each(cache: Cache, *, customer: str | None = None, kind: str | None = None,
         since: float | None = None, until: float | None = None
         ) -> Iterator[tuple[Event, str]]:
    """Every event `listed` would give, newest first, read as it goes (for an export)."""
    clauses, params = _filters(customer, kind, since, until)
    for row in cache.connection().execute(
            f"SELECT {_COLUMNS}, source FROM event{clauses} ORDER BY ts DESC, id DESC", params):
        yield Event(*row[:8]), str(row[8])


def counted(cache: Cache, *, customer: str | None = None, kind: str | None = None,
            since: float | None = None, until: float | None = None) -> int:
    """How many events the same filters as `listed` match."""
    clauses, params = _filters(customer, kind, since, until)
    return int(cache.query(f"SELECT count(*) FROM event{clauses}", params)[0][0])


def kinds(cache: Cache) -> list[str]:
    """Every event type stored, sorted."""
    return [str(row[0]) for row in cache.query("SELECT DISTINCT type FROM event ORDER BY type")]


def per_type_per_day(cache: Cache, *, customer: str | None = None, kind: str | None = None,
                     since: float | None = None, until: float | None = None
                     ) -> list[DayCount]:
    """How many events of each type each local day, newest day first."""
    clauses, params = _filters(customer, kind, since, until)
    return [DayCount(str(day), str(kind), int(n)) for day, kind, n in cache.query(
        "SELECT date(ts, 'unixepoch', 'localtime') AS day, type, count(*) FROM event"
        f"{clauses} GROUP BY day, type ORDER BY day DESC, type", params)]


def count(cache: Cache) -> int:
    return int(cache.query("SELECT count(*) FROM event")[0][0])


def prune(cache: Cache, before: float) -> int:
    """Delete the events dated before `before` (epoch seconds); returns how many."""
    with cache.write() as conn:
        return conn.execute("DELETE FROM event WHERE ts < ?", (before,)).rowcount


def by_customer(cache: Cache, kinds: Sequence[str] | None) -> dict[str, tuple[Event, ...]]:
    """Each customer's events of these types (all types for None), oldest first: one query
    for every relation a rule looks at."""
    sql = f"SELECT {_COLUMNS} FROM event"
    params: list[object] = []
    if kinds is not None:
        sql += f" WHERE type IN ({placeholders(kinds)})"
        params = list(kinds)
    found: dict[str, list[Event]] = defaultdict(list)
    for row in cache.connection().execute(sql + " ORDER BY ts, id", params):
        event = Event(*row)
        found[event.external_userid].append(event)
    return {customer: tuple(events) for customer, events in found.items()}


def _filters(customer: str | None, kind: str | None, since: float | None,
             until: float | None = None) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    for clause, value in (("external_userid = ?", customer), ("type = ?", kind),
                          ("ts >= ?", since), ("ts < ?", until)):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), params
