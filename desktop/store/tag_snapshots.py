"""Snapshots of deleted tags: which relations carried a tag when it was deleted.

A snapshot is taken in its own transaction *before* WeCom is asked to delete the tag, so a
process killed between WeCom's answer and the journal still leaves the relations on record.
It counts as a deletion once the delete is confirmed (`delete_batch`), or once a sync shows
the tag gone; a snapshot of a tag that is still alive (WeCom refused) is dropped.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class TagSnapshot:
    id: int
    taken_at: float
    operator: str
    reason: str
    tag_id: str
    tag_name: str
    group_id: str
    group_name: str
    strategy_id: int | None
    order: int
    relations: int
    delete_batch: str
    restored_as: str
    restore_batch: str

    @property
    def restored(self) -> bool:
        return bool(self.restored_as)


_COLUMNS = ("s.id, s.taken_at, s.operator, s.reason, s.tag_id, s.tag_name, s.group_id,"
            " s.group_name, s.strategy_id, s.sort_order,"
            " (SELECT COUNT(*) FROM tag_snapshot_relation r WHERE r.snapshot_id = s.id),"
            " s.delete_batch, s.restored_as, s.restore_batch")


def take(conn: sqlite3.Connection, tag_pks: Sequence[int], *, operator: str,
         reason: str) -> list[int]:
    """Keep, per tag (by its local key), every relation that carries it now; returns the
    snapshot ids."""
    ids = []
    now = time.time()
    for pk in tag_pks:
        cursor = conn.execute(
            "INSERT INTO tag_snapshot (taken_at, operator, reason, tag_id, tag_name, group_id,"
            " group_name, strategy_id, sort_order)"
            " SELECT ?, ?, ?, t.id, t.name, g.id, g.name, g.strategy_id, t.sort_order"
            " FROM tag t JOIN tag_group g ON g.id = t.group_id WHERE t.pk = ?",
            (now, operator, reason, pk),
        )
        if not cursor.rowcount:
            continue
        snapshot_id = int(cursor.lastrowid or 0)
        conn.execute(
            "INSERT INTO tag_snapshot_relation (snapshot_id, external_userid, userid)"
            " SELECT ?, r.external_userid, r.userid FROM relation_tag rt"
            " JOIN relation r ON r.id = rt.relation_id WHERE rt.tag_pk = ?",
            (snapshot_id, pk),
        )
        ids.append(snapshot_id)
    return ids


def drop(conn: sqlite3.Connection, snapshot_ids: Sequence[int]) -> None:
    """Forget snapshots of a delete that did not happen."""
    for snapshot_id in snapshot_ids:
        conn.execute("DELETE FROM tag_snapshot_relation WHERE snapshot_id = ?", (snapshot_id,))
        conn.execute("DELETE FROM tag_snapshot WHERE id = ?", (snapshot_id,))


def confirm(conn: sqlite3.Connection, snapshot_ids: Sequence[int], batch_id: str) -> None:
    conn.executemany("UPDATE tag_snapshot SET delete_batch = ? WHERE id = ?",
                     [(batch_id, snapshot_id) for snapshot_id in snapshot_ids])


def deleted(conn: sqlite3.Connection) -> list[TagSnapshot]:
    """Snapshots of tags that are gone (confirmed, or no longer alive in the cache), newest
    first, the latest per tag (an earlier attempt may have failed); restored ones included
    (their `restored_as` is set)."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM tag_snapshot s"
        " WHERE s.id = (SELECT MAX(id) FROM tag_snapshot o WHERE o.tag_id = s.tag_id)"
        " AND (s.delete_batch != '' OR NOT EXISTS"
        " (SELECT 1 FROM tag t WHERE t.id = s.tag_id AND t.deleted = 0))"
        " ORDER BY s.taken_at DESC, s.id DESC"
    ).fetchall()
    return [_snapshot(row) for row in rows]


def relations(conn: sqlite3.Connection, snapshot_id: int) -> list[tuple[str, str]]:
    """(external_userid, userid) of every relation that carried the tag."""
    return [(str(e), str(u)) for e, u in conn.execute(
        "SELECT external_userid, userid FROM tag_snapshot_relation WHERE snapshot_id = ?"
        " ORDER BY external_userid, userid", (snapshot_id,))]


def mark_restored(conn: sqlite3.Connection, snapshot_id: int, new_tag_id: str,
                  batch_id: str) -> None:
    conn.execute("UPDATE tag_snapshot SET restored_as = ?, restore_batch = ? WHERE id = ?",
                 (new_tag_id, batch_id, snapshot_id))


def _snapshot(row: sqlite3.Row | tuple[object, ...]) -> TagSnapshot:
    values = tuple(row)
    strategy = values[8]
    return TagSnapshot(
        id=int(str(values[0])), taken_at=float(str(values[1])), operator=str(values[2]),
        reason=str(values[3]), tag_id=str(values[4]), tag_name=str(values[5]),
        group_id=str(values[6]), group_name=str(values[7]),
        strategy_id=None if strategy is None else int(str(strategy)),
        order=int(str(values[9])), relations=int(str(values[10])),
        delete_batch=str(values[11]), restored_as=str(values[12]),
        restore_batch=str(values[13]),
    )
