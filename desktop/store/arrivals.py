"""The arrival table: live codes' tags and pre-tags waiting for their relations."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from desktop.domain.arrivals import Appeared, Arrival
from desktop.store.db import Cache

PENDING = "pending"
APPLIED = "applied"
CANCELLED = "cancelled"
EXPIRED = "expired"

_COLUMNS = ("id, source, kind, match_key, tag_ids, config_id, created_at, created_by,"
            " expires_at, status, closed_at, batch_id")


@dataclass(frozen=True)
class ArrivalRecord:
    id: int
    source: str
    kind: str
    key: str
    tag_ids: tuple[str, ...]
    config_id: str
    created_at: float
    created_by: str
    expires_at: float | None
    status: str
    closed_at: float | None
    batch_id: str
    hits: int = 0

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id, "source": self.source, "kind": self.kind, "key": self.key,
            "tag_ids": list(self.tag_ids), "config_id": self.config_id,
            "created_at": round(self.created_at, 3), "created_by": self.created_by,
            "expires_at": None if self.expires_at is None else round(self.expires_at, 3),
            "status": self.status,
            "closed_at": None if self.closed_at is None else round(self.closed_at, 3),
            "batch_id": self.batch_id, "relations_tagged": self.hits,
        }


def add(conn: sqlite3.Connection, *, source: str, kind: str, key: str,
        tag_ids: Sequence[str], created_at: float, created_by: str,
        expires_at: float | None = None, config_id: str = "") -> int:
    cursor = conn.execute(
        "INSERT INTO arrival (source, kind, match_key, tag_ids, config_id, created_at,"
        " created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (source, kind, key, json.dumps(list(tag_ids)), config_id, created_at, created_by,
         expires_at))
    return int(cursor.lastrowid or 0)


def records(cache: Cache, *, source: str | None = None,
            status: str | None = None) -> list[ArrivalRecord]:
    where, params = _where(source, status)
    rows = cache.connection().execute(
        f"SELECT {_COLUMNS}, (SELECT count(*) FROM arrival_hit h WHERE h.arrival_id = a.id)"
        f" FROM arrival a {where} ORDER BY id", params).fetchall()
    return [_record(row) for row in rows]


def record(cache: Cache, arrival_id: int) -> ArrivalRecord | None:
    row = cache.connection().execute(
        f"SELECT {_COLUMNS}, (SELECT count(*) FROM arrival_hit h WHERE h.arrival_id = a.id)"
        " FROM arrival a WHERE id = ?", (arrival_id,)).fetchone()
    return None if row is None else _record(row)


def livecode(cache: Cache, config_id: str) -> ArrivalRecord | None:
    found = [r for r in records(cache, source="livecode", status=PENDING)
             if r.config_id == config_id]
    return found[0] if found else None


def waiting(cache: Cache) -> list[Arrival]:
    """Every pending arrival, with the relations each has already tagged."""
    conn = cache.connection()
    done: dict[int, set[tuple[str, str]]] = {}
    for arrival_id, external_userid, userid in conn.execute(
            "SELECT h.arrival_id, h.external_userid, h.userid FROM arrival_hit h"
            " JOIN arrival a ON a.id = h.arrival_id WHERE a.status = ?", (PENDING,)):
        done.setdefault(int(arrival_id), set()).add((str(external_userid), str(userid)))
    return [
        Arrival(id=r.id, source=r.source, kind=r.kind, key=r.key, tag_ids=r.tag_ids,
                created_at=r.created_at, expires_at=r.expires_at,
                done=frozenset(done.get(r.id, ())))
        for r in records(cache, status=PENDING)
    ]


def relations(cache: Cache, *, states: Iterable[str], external_userids: Iterable[str],
              unionids: Iterable[str], with_mobiles: bool) -> list[Appeared]:
    """The relations an arrival could match: by state, customer, unionid, and (only when a
    pre-tag waits for a phone number) every relation with a remark mobile."""
    select = ("SELECT r.id, r.external_userid, r.userid, r.createtime, r.state,"
              " r.remark_mobiles, c.unionid FROM relation r JOIN customer c"
              " ON c.external_userid = r.external_userid WHERE ")
    parts = [select + "r.state IN (SELECT value FROM json_each(?))",
             select + "r.external_userid IN (SELECT value FROM json_each(?))",
             select + "c.unionid IN (SELECT value FROM json_each(?)) AND c.unionid <> ''"]
    if with_mobiles:
        parts.append(select + "r.remark_mobiles <> '[]'")
    rows = cache.connection().execute(  # each part on its own index
        " UNION ".join(parts) + " ORDER BY 1",
        (json.dumps(list(states)), json.dumps(list(external_userids)),
         json.dumps(list(unionids)))).fetchall()
    return [Appeared(relation_id=int(row[0]), external_userid=str(row[1]), userid=str(row[2]),
                     createtime=int(row[3]), state=str(row[4]),
                     mobiles=tuple(str(m) for m in json.loads(row[5] or "[]")),
                     unionid=str(row[6]))
            for row in rows]


def record_hits(conn: sqlite3.Connection, hits: Mapping[int, Sequence[Appeared]], batch_id: str,
                now: float) -> None:
    """The relations each arrival tags in `batch_id`; a pre-tag is then spent."""
    conn.executemany(
        "INSERT OR IGNORE INTO arrival_hit (arrival_id, external_userid, userid, batch_id,"
        " applied_at) VALUES (?, ?, ?, ?, ?)",
        [(aid, r.external_userid, r.userid, batch_id, now)
         for aid, found in hits.items() for r in found])
    conn.executemany(
        "UPDATE arrival SET status = ?, closed_at = ?, batch_id = ? WHERE id = ?"
        " AND source = 'pretag' AND status = ?",
        [(APPLIED, now, batch_id, aid, PENDING) for aid in hits])


def close(conn: sqlite3.Connection, arrival_ids: Iterable[int], status: str,
          now: float) -> int:
    """Cancel or expire pending arrivals; returns how many were still pending."""
    changed = 0
    for arrival_id in arrival_ids:
        changed += conn.execute(
            "UPDATE arrival SET status = ?, closed_at = ? WHERE id = ? AND status = ?",
            (status, now, arrival_id, PENDING)).rowcount
    return changed


def set_tags(conn: sqlite3.Connection, arrival_id: int, tag_ids: Sequence[str]) -> None:
    conn.execute("UPDATE arrival SET tag_ids = ? WHERE id = ?",
                 (json.dumps(list(tag_ids)), arrival_id))


def set_key(conn: sqlite3.Connection, arrival_id: int, key: str, since: float) -> None:
    """A live code's new state: it tags relations that come through it from `since`."""
    conn.execute("UPDATE arrival SET match_key = ?, created_at = ? WHERE id = ?",
                 (key, since, arrival_id))


def _where(source: str | None, status: str | None) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if source is not None:
        clauses.append("source = ?")
        params.append(source)
    if status is not None:
        clauses.append("status = ?")
        params.append(status)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def _record(row: sqlite3.Row | tuple[object, ...]) -> ArrivalRecord:
    values = tuple(row)
    return ArrivalRecord(
        id=int(str(values[0])), source=str(values[1]), kind=str(values[2]), key=str(values[3]),
        tag_ids=tuple(str(t) for t in json.loads(str(values[4]))), config_id=str(values[5]),
        created_at=float(str(values[6])), created_by=str(values[7]),
        expires_at=None if values[8] is None else float(str(values[8])),
        status=str(values[9]),
        closed_at=None if values[10] is None else float(str(values[10])),
        batch_id=str(values[11]), hits=int(str(values[12])))
