"""Expiries of the tags the team server's rule runs add (`then.expires`) and of those a
desktop adds with an expiry (the retag dialog's, `--expires`: its note's `expiring`).

A rule run's or a desktop's `mark_tag` carries the tags it adds that run out
(:class:`Expiring`, rule "" for a desktop's); the relay
records them in `team_tag_expiry` in the transaction that journals the call, only for the
tags the relation really gained. Whenever the server's snapshot learns that a relation lost
a tag (a callback, a re-sync, any relayed write), its expiry is forgotten
(`snapshot.store_relation`, `forget_relation`, `forget_tags`), as a desktop forgets an
expiry when its tag leaves the relation. `expiry_job.py` removes the tags when due.
The outbox row of such a call keeps them too (`to_note`), so a call whose process died and
that another process settles (`outbox_recovery.py`) records them as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from psycopg import Connection

from desktop.store.journal import JournalEntry

Conn = Connection[tuple[object, ...]]
# The key of the expiring tags in an outbox row's `write_note`.
NOTE_KEY = "expiring"


@dataclass(frozen=True)
class Expiring:
    """A tag a write adds that runs out `lasts_s` seconds later, set by rule `rule` ("" when
    a desktop set it)."""

    tag_id: str
    lasts_s: int
    rule: str


def to_note(expiring: Sequence[Expiring]) -> dict[str, object]:
    """The expiring tags as kept in an outbox row's `write_note` (nothing when none)."""
    return {NOTE_KEY: [[e.tag_id, e.lasts_s, e.rule] for e in expiring]} if expiring else {}


def from_note(note: Mapping[str, object]) -> tuple[Expiring, ...]:
    """The expiring tags an outbox row's `write_note` keeps (`to_note`)."""
    items = note.get(NOTE_KEY)
    return tuple(Expiring(str(item[0]), int(item[1]), str(item[2]))
                 for item in items if isinstance(item, list) and len(item) == 3
                 ) if isinstance(items, list) else ()


def record(conn: Conn, entries: Sequence[JournalEntry], expiring: Sequence[Expiring],
           batch_id: str) -> int:
    """Record (or move) the expiries of the tags these journal rows really added; how many."""
    lasting = {e.tag_id: e for e in expiring}
    rows = [(entry.userid, entry.external_userid, entry.tag_id, lasting[entry.tag_id].lasts_s,
             lasting[entry.tag_id].rule, batch_id)
            for entry in entries if entry.action == "tag_add" and entry.tag_id in lasting]
    if not rows:
        return 0
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO team_tag_expiry (userid, external_userid, tag_id, due_at, rule_name,"
            " batch_id) VALUES (%s, %s, %s, now() + make_interval(secs => %s), %s, %s)"
            " ON CONFLICT (userid, external_userid, tag_id) DO UPDATE SET"
            " due_at = excluded.due_at, rule_name = excluded.rule_name,"
            " batch_id = excluded.batch_id, set_at = now()", rows)
    return len(rows)


def forget_lost(conn: Conn, userid: str, external_userid: str, tag_ids: Iterable[str]) -> None:
    """The relation now carries exactly `tag_ids`: the expiries of the tags it lost go."""
    conn.execute("DELETE FROM team_tag_expiry WHERE userid = %s AND external_userid = %s"
                 " AND NOT tag_id = ANY(%s)", (userid, external_userid, sorted(tag_ids)))


def forget_relation(conn: Conn, userid: str, external_userid: str) -> None:
    conn.execute("DELETE FROM team_tag_expiry WHERE userid = %s AND external_userid = %s",
                 (userid, external_userid))


def forget_tags(conn: Conn, tag_ids: Sequence[str]) -> None:
    """Deleted tags: their expiries go on every relation."""
    conn.execute("DELETE FROM team_tag_expiry WHERE tag_id = ANY(%s)", (list(tag_ids),))
