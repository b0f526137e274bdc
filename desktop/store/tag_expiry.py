"""Tags that expire on a relation (table `tag_expiry`): set when added with an expiry,
removed by `tagdesk expiry run` once due. A team profile's expiries live on its team server,
which removes them; the cache keeps a copy of them (table `team_tag_expiry`, `TEAM`), read
like the local ones."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.store.db import Cache

LOCAL, TEAM = "tag_expiry", "team_tag_expiry"   # the tables expiries are read from
TEAM_COPIED_KEY = "team_expiries_copied_at"     # meta: when the team copy was last fetched


@dataclass(frozen=True)
class Expiry:
    external_userid: str
    userid: str
    tag_id: str
    expires_at: float
    origin: str = ""


def set_expiries(cache: Cache, items: Iterable[Expiry], operator: str) -> int:
    """Record (or move) the expiry of these tags on these relations."""
    now = time.time()
    rows = [(e.external_userid, e.userid, e.tag_id, e.expires_at, now, operator, e.origin)
            for e in items]
    with cache.write() as conn:
        conn.executemany(
            "INSERT INTO tag_expiry (external_userid, userid, tag_id, expires_at, set_at,"
            " set_by, origin) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (external_userid, userid, tag_id) DO UPDATE SET"
            " expires_at = excluded.expires_at, set_at = excluded.set_at,"
            " set_by = excluded.set_by, origin = excluded.origin", rows)
    return len(rows)


def expiries(cache: Cache, *, due_by: float | None = None, table: str = LOCAL
             ) -> list[Expiry]:
    """Expiries still on a relation that carries the tag (all, or those due by `due_by`)."""
    sql = ("SELECT e.external_userid, e.userid, e.tag_id, e.expires_at, e.origin"
           f" FROM {_table(table)} e JOIN relation r ON r.external_userid = e.external_userid"
           " AND r.userid = e.userid JOIN tag t ON t.id = e.tag_id AND t.deleted = 0"
           " JOIN relation_tag rt ON rt.relation_id = r.id AND rt.tag_pk = t.pk")
    params: tuple[object, ...] = ()
    if due_by is not None:
        sql += " WHERE e.expires_at <= ?"
        params = (due_by,)
    return [Expiry(str(c), str(u), str(t), float(at), str(origin))
            for c, u, t, at, origin in cache.connection().execute(
                sql + " ORDER BY e.expires_at, e.external_userid, e.userid", params)]


def seconds_left(cache: Cache, external_userid: str, userid: str, tag_ids: Iterable[str],
                 batch_id: str, now: float) -> tuple[tuple[str, int], ...]:
    """(tag id, whole seconds left, at least 1) of the expiries batch `batch_id` set on these
    tags of one relation (origin `batch:ID` or `rule:ID`), set before it runs."""
    wanted = sorted(set(tag_ids))
    if not wanted:
        return ()
    marks = ", ".join("?" * len(wanted))
    return tuple((str(tag_id), max(1, round(float(at) - now)))
                 for tag_id, at, origin in cache.connection().execute(
                     "SELECT tag_id, expires_at, origin FROM tag_expiry WHERE"
                     f" external_userid = ? AND userid = ? AND tag_id IN ({marks})"
                     " ORDER BY tag_id", (external_userid, userid, *wanted))
                 if str(origin).partition(":")[2] == batch_id)


@dataclass(frozen=True)
class NamedExpiry:
    expiry: Expiry
    customer: str        # the customer's name ('' when the cache has none)
    member: str          # the member's name ('' when unknown)


def named_expiries(cache: Cache, table: str = LOCAL) -> list[NamedExpiry]:
    """Every expiry still on a relation, soonest first, with the customer's and member's
    names. The team server's copy is its own word on what relations carry (it forgets an
    expiry when the tag leaves), so those are listed also before this cache has synced the
    tag onto the relation (names left empty where the cache does not know them yet)."""
    carried = "" if table == TEAM else (
        " JOIN relation r ON r.external_userid = e.external_userid AND r.userid = e.userid"
        " JOIN tag t ON t.id = e.tag_id AND t.deleted = 0"
        " JOIN relation_tag rt ON rt.relation_id = r.id AND rt.tag_pk = t.pk")
    return [NamedExpiry(Expiry(str(c), str(u), str(t), float(at), str(origin)),
                        str(customer or ""), str(member or ""))
            for c, u, t, at, origin, customer, member in cache.connection().execute(
                "SELECT e.external_userid, e.userid, e.tag_id, e.expires_at, e.origin, c.name,"
                f" m.name FROM {_table(table)} e{carried}"
                " LEFT JOIN customer c ON c.external_userid = e.external_userid"
                " LEFT JOIN member m ON m.userid = e.userid"
                " ORDER BY e.expires_at, e.external_userid, e.userid")]


def prune(cache: Cache) -> int:
    """Forget expiries whose tag is no longer on the relation (removed by hand, on a phone,
    or by an expiry run): a tag added again later starts without one."""
    with cache.write() as conn:
        return conn.execute(
            "DELETE FROM tag_expiry WHERE NOT EXISTS (SELECT 1 FROM relation r"
            " JOIN relation_tag rt ON rt.relation_id = r.id JOIN tag t ON t.pk = rt.tag_pk"
            " WHERE r.external_userid = tag_expiry.external_userid"
            " AND r.userid = tag_expiry.userid AND t.id = tag_expiry.tag_id"
            " AND t.deleted = 0)").rowcount


def counts_by_tag(cache: Cache, table: str = LOCAL) -> dict[str, int]:
    """Tag id → relations carrying it with an expiry (for the tag tree)."""
    return {str(tag_id): int(n) for tag_id, n in cache.connection().execute(
        f"SELECT e.tag_id, COUNT(*) FROM {_table(table)} e JOIN relation r"
        " ON r.external_userid = e.external_userid AND r.userid = e.userid"
        " JOIN tag t ON t.id = e.tag_id JOIN relation_tag rt ON rt.relation_id = r.id"
        " AND rt.tag_pk = t.pk GROUP BY e.tag_id")}


def on_relation(cache: Cache, external_userid: str, userid: str, table: str = LOCAL
                ) -> dict[str, float]:
    """Tag id → when it expires, for the tags this relation carries with an expiry."""
    return {str(tag_id): float(at) for tag_id, at in cache.connection().execute(
        f"SELECT e.tag_id, e.expires_at FROM {_table(table)} e JOIN relation r"
        " ON r.external_userid = e.external_userid AND r.userid = e.userid"
        " JOIN tag t ON t.id = e.tag_id AND t.deleted = 0 JOIN relation_tag rt"
        " ON rt.relation_id = r.id AND rt.tag_pk = t.pk"
        " WHERE e.external_userid = ? AND e.userid = ?", (external_userid, userid))}


def replace_team(cache: Cache, items: Iterable[Expiry]) -> int:
    """The team server's expiries, as fetched, replace the cache's copy of them."""
    rows = [(e.external_userid, e.userid, e.tag_id, e.expires_at, e.origin) for e in items]
    with cache.write() as conn:
        cache.set_meta(conn, TEAM_COPIED_KEY, repr(time.time()))
        conn.execute("DELETE FROM team_tag_expiry")
        conn.executemany("INSERT OR REPLACE INTO team_tag_expiry (external_userid, userid,"
                         " tag_id, expires_at, origin) VALUES (?, ?, ?, ?, ?)", rows)
    return len(rows)


def team_copied_at(cache: Cache) -> float | None:
    """When the team server's expiries were last fetched (None: never)."""
    found = cache.get_meta(TEAM_COPIED_KEY)
    return float(found) if found else None


def copy_sent(cache: Cache, external_userid: str, userid: str,
              expiring: Iterable[tuple[str, int]], before: Iterable[str], batch_id: str,
              now: float) -> None:
    """A team write the server took with these expiries: its copy shows them at once (the
    server records those of tags the relation did not carry before), until the next fetch."""
    had = set(before)
    with cache.write() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO team_tag_expiry (external_userid, userid, tag_id,"
            " expires_at, origin) VALUES (?, ?, ?, ?, ?)",
            [(external_userid, userid, tag_id, now + seconds, f"batch:{batch_id}")
             for tag_id, seconds in expiring if tag_id not in had])


def _table(table: str) -> str:
    if table not in (LOCAL, TEAM):
        raise ValueError(f"no expiry table {table!r}")
    return table
