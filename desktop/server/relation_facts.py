"""What the team server knows about each relation besides its tags, as rules read it: the
customer's name, gender and corp names, the follower's remark, description, corp remark,
the live code's `state` and when the relation was added.

The periodic re-sync reads them with the tags (`batch/get_by_user`, no extra call) and keeps
the newest read whole; a callback's re-read of one relation (`externalcontact/get`) keeps
that relation's. The server's rules evaluate relations as of those reads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop.server.snapshot import Conn

ConnectionFactory = Callable[[], AbstractContextManager[Conn]]
CHUNK = 5000
COLUMNS = ("name", "gender", "corp_name", "corp_full_name", "remark", "description",
           "remark_corp_name", "state", "createtime")


@dataclass(frozen=True)
class RelationFacts:
    name: str = ""
    gender: int = 0
    corp_name: str = ""
    corp_full_name: str = ""
    remark: str = ""
    description: str = ""
    remark_corp_name: str = ""
    state: str = ""
    createtime: int = 0


def facts_of(contact: dict[str, Any], follow: dict[str, Any]) -> RelationFacts:
    """The facts of one `batch/get_by_user` item (its `external_contact` and `follow_info`)."""
    gender = contact.get("gender")
    created = follow.get("createtime")
    return RelationFacts(
        str(contact.get("name") or ""), gender if isinstance(gender, int) else 0,
        str(contact.get("corp_name") or ""), str(contact.get("corp_full_name") or ""),
        str(follow.get("remark") or ""), str(follow.get("description") or ""),
        str(follow.get("remark_corp_name") or ""), str(follow.get("state") or ""),
        created if isinstance(created, int) else 0)


def store_all(connection: ConnectionFactory, rows: Sequence[tuple[str, str, RelationFacts]],
              started: datetime) -> None:
    """Replace every relation's facts with this read, begun at `started` (one transaction);
    a relation a callback re-read since (its tag snapshot is newer) keeps that re-read."""
    marks = ", ".join(["%s"] * (len(COLUMNS) + 2))
    with connection() as conn, conn.transaction(), conn.cursor() as cur:
        cur.execute("DELETE FROM relation_fact f WHERE NOT EXISTS (SELECT 1 FROM"
                    " relation_tag_snapshot s WHERE s.userid = f.userid AND"
                    " s.external_userid = f.external_userid AND s.updated_at > %s)", (started,))
        for start in range(0, len(rows), CHUNK):
            cur.executemany(
                f"INSERT INTO relation_fact (userid, external_userid, {', '.join(COLUMNS)})"
                f" VALUES ({marks}) ON CONFLICT DO NOTHING".encode(),
                [(userid, external_userid, *(getattr(facts, c) for c in COLUMNS))
                 for userid, external_userid, facts in rows[start:start + CHUNK]])


def store(conn: Conn, userid: str, external_userid: str, facts: RelationFacts) -> None:
    """One relation's facts as a callback's re-read found them."""
    marks = ", ".join(["%s"] * (len(COLUMNS) + 2))
    conn.execute(
        f"INSERT INTO relation_fact (userid, external_userid, {', '.join(COLUMNS)})"
        f" VALUES ({marks}) ON CONFLICT (userid, external_userid) DO UPDATE SET"
        f" {', '.join(f'{c} = excluded.{c}' for c in COLUMNS)}".encode(),
        (userid, external_userid, *(getattr(facts, c) for c in COLUMNS)))


def forget(conn: Conn, userid: str, external_userid: str) -> None:
    conn.execute("DELETE FROM relation_fact WHERE userid = %s AND external_userid = %s",
                 (userid, external_userid))


def read_all(conn: Conn) -> dict[tuple[str, str], RelationFacts]:
    return {(str(row[0]), str(row[1])): RelationFacts(
        str(row[2]), int(str(row[3])), str(row[4]), str(row[5]), str(row[6]), str(row[7]),
        str(row[8]), str(row[9]), int(str(row[10])))
        for row in conn.execute(
            f"SELECT userid, external_userid, {', '.join(COLUMNS)} FROM relation_fact".encode())}
