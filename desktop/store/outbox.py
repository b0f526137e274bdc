"""The durable outbox: planned `mark_tag` calls, written before the first call is made.

A batch and all its rows are written in one transaction, so a plan is either wholly queued or
not at all. Each confirmed call is committed in one transaction too: the row turns `done`,
the relation's tags in the cache change, one journal row per changed tag is appended and the
data version is bumped. A process that dies between WeCom's answer and that commit leaves the
row `pending`; re-sending it is safe (`mark_tag` is idempotent) and the journal rows are
computed from the cache as it is at commit time, so nothing is journaled twice.

The module also reads what the planner needs from the cache (relation tags, the tag
catalogue, exclusive sets, a batch's journal rows), so the service layer holds no SQL.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from desktop.domain.retag_plan import AppliedChange, ExclusiveSet, RelationChange, RelationState
from desktop.store import journal
from desktop.store.db import Cache
from desktop.store.in_chunks import chunks, placeholders, rows_in
from desktop.store.snapshot import bump_data_version

KIND_MARK_TAG = "mark_tag"

# batch.status
PLANNED = "planned"      # queued, nothing sent yet
PILOT = "pilot"          # the first pilot_size rows run first, then the batch pauses
RUNNING = "running"      # the full run (still 'running' after a crash: resume it)
PAUSED = "paused"        # waiting for a person: after the pilot, or stopped for a reason
DONE = "done"            # every row is done, failed or skipped
CANCELLED = "cancelled"  # stopped by the user; the rest stays pending and can be resumed
ACTIVE = (PLANNED, PILOT, RUNNING, PAUSED)

# outbox.status
PENDING, APPLIED, FAILED, SKIPPED = "pending", "done", "failed", "skipped"



@dataclass(frozen=True)
class OutboxRow:
    """One queued `mark_tag` call."""

    id: int
    batch_id: str
    seq: int
    relation_id: int
    external_userid: str
    userid: str
    add: tuple[str, ...]
    remove: tuple[str, ...]


@dataclass(frozen=True)
class BatchCounts:
    total: int = 0
    pending: int = 0
    applied: int = 0
    failed: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class BatchRecord:
    """A batch header with its row counts."""

    id: str
    created_at: float
    operator: str
    source: str
    description: str
    status: str
    pilot_size: int
    summary: dict[str, object]
    counts: BatchCounts


@dataclass(frozen=True)
class RowFailure:
    relation_id: int
    external_userid: str
    userid: str
    errcode: int | None
    reason: str


@dataclass(frozen=True)
class TagRecord:
    id: str
    name: str
    group_id: str
    group_name: str

    @property
    def label(self) -> str:
        """"组:名", as previews name a tag."""
        return f"{self.group_name}:{self.name}"


# -- writing batches ------------------------------------------------------------------


def new_batch_id() -> str:
    """Sortable by creation time and unique across desktops: 20260315-142501-3f9a1c."""
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)


def create_batch(
    cache: Cache,
    changes: Sequence[RelationChange],
    *,
    operator: str,
    source: str,
    description: str = "",
    pilot_size: int = 0,
    summary: dict[str, object] | None = None,
) -> str:
    """Queue the whole plan (header + one row per relation) in one transaction."""
    batch_id = new_batch_id()
    now = time.time()
    status = PILOT if pilot_size > 0 else PLANNED
    with cache.write() as conn:
        conn.execute(
            "INSERT INTO batch (id, created_at, operator, source, description, status,"
            " pilot_size, plan) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (batch_id, now, operator, source, description, status, max(0, pilot_size),
             json.dumps(summary or {}, ensure_ascii=False)),
        )
        conn.executemany(
            "INSERT INTO outbox (batch_id, seq, kind, external_userid, userid, payload,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(batch_id, seq, KIND_MARK_TAG, c.external_userid, c.userid, _payload(c), now)
             for seq, c in enumerate(changes, start=1)],
        )
    return batch_id


def set_status(cache: Cache, batch_id: str, status: str) -> None:
    with cache.write() as conn:
        conn.execute("UPDATE batch SET status = ? WHERE id = ?", (status, batch_id))


def pending_rows(cache: Cache, batch_id: str, limit: int | None = None) -> list[OutboxRow]:
    """Pending rows in plan order (the first `limit` of them when given)."""
    sql = ("SELECT id, batch_id, seq, external_userid, userid, payload FROM outbox"
           " WHERE batch_id = ? AND status = ? ORDER BY seq")
    params: list[object] = [batch_id, PENDING]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(max(0, limit))
    rows = []
    for row_id, bid, seq, external_userid, userid, payload in (
        cache.connection().execute(sql, params)
    ):
        data = json.loads(payload)
        rows.append(OutboxRow(row_id, bid, seq, int(data["relation_id"]), external_userid,
                              userid, tuple(data["add"]), tuple(data["remove"])))
    return rows


def commit_applied(
    cache: Cache,
    row: OutboxRow,
    *,
    sent_add: Sequence[str],
    sent_remove: Sequence[str],
    operator: str,
    source: str,
    attempts: int = 1,
    note: str = "",
) -> frozenset[int]:
    """WeCom confirmed the call: update the cache and the journal, mark the row done.

    Journal rows are the difference between the relation's tags in the cache now and after
    this call, so a call re-sent after a crash journals nothing twice. Returns the ids of
    relations whose cached tags changed. Tags the cache does not know are neither stored
    nor journaled (the next sync brings them in).
    """
    with cache.write() as conn:
        status = conn.execute("SELECT status FROM outbox WHERE id = ?", (row.id,)).fetchone()
        if status is None or status[0] != PENDING:
            return frozenset()
        changed = _apply_to_relation(conn, row, sent_add, sent_remove, operator, source)
        _settle(conn, row.id, APPLIED, attempts, None, note)
        if changed:
            bump_data_version(cache, conn)
    return changed


def mark_sent(cache: Cache, row_id: int) -> None:
    """The row is being handed to WeCom: until its answer is committed it may have landed
    (a sync that sees its effect first settles it as the batch's, `snapshot` module)."""
    with cache.write() as conn:
        conn.execute("UPDATE outbox SET sent_at = ? WHERE id = ? AND status = ?",
                     (time.time(), row_id, PENDING))


def record_failure(
    cache: Cache, row_id: int, *, errcode: int | None, reason: str, attempts: int = 1,
    status: str = FAILED,
) -> None:
    """A row that will not succeed as it is (`failed`) or has nothing left to do (`skipped`)."""
    with cache.write() as conn:
        _settle(conn, row_id, status, attempts, errcode, reason)


def note_attempt(cache: Cache, row_id: int, reason: str) -> None:
    """A try that failed for a passing reason: the row stays pending, the reason is kept."""
    with cache.write() as conn:
        conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, error = ?, updated_at = ?"
            " WHERE id = ? AND status = ?",
            (reason, time.time(), row_id, PENDING),
        )


def requeue_failed(cache: Cache, batch_id: str) -> int:
    """Failed rows become pending again; returns how many."""
    with cache.write() as conn:
        cursor = conn.execute(
            "UPDATE outbox SET status = ?, errcode = NULL, error = '', updated_at = ?"
            " WHERE batch_id = ? AND status = ?",
            (PENDING, time.time(), batch_id, FAILED),
        )
        return cursor.rowcount


# -- reading batches ------------------------------------------------------------------


def get_batch(cache: Cache, batch_id: str) -> BatchRecord | None:
    found = _batches(cache, "WHERE b.id = ?", (batch_id,))
    return found[0] if found else None


def list_batches(cache: Cache) -> list[BatchRecord]:
    """Every batch, newest first."""
    return _batches(cache, "", ())


def counts(cache: Cache, batch_id: str) -> BatchCounts:
    row = cache.connection().execute(
        "SELECT count(*), " + _COUNT_COLUMNS + " FROM outbox o WHERE o.batch_id = ?",
        (batch_id,),
    ).fetchone()
    return BatchCounts(*(int(v or 0) for v in row))


def failures(cache: Cache, batch_id: str, status: str = FAILED) -> list[RowFailure]:
    """Rows that failed (or were skipped) with their reasons, in plan order."""
    result = []
    for external_userid, userid, payload, errcode, error in cache.connection().execute(
        "SELECT external_userid, userid, payload, errcode, error FROM outbox"
        " WHERE batch_id = ? AND status = ? ORDER BY seq", (batch_id, status),
    ):
        relation_id = int(json.loads(payload)["relation_id"])
        result.append(RowFailure(relation_id, external_userid, userid, errcode, error))
    return result


_COUNT_COLUMNS = (
    f"sum(o.status = '{PENDING}'), sum(o.status = '{APPLIED}'),"
    f" sum(o.status = '{FAILED}'), sum(o.status = '{SKIPPED}')"
)


def _batches(cache: Cache, where: str, params: tuple[object, ...]) -> list[BatchRecord]:
    sql = (
        "SELECT b.id, b.created_at, b.operator, b.source, b.description, b.status,"
        " b.pilot_size, b.plan, count(o.id), " + _COUNT_COLUMNS +
        " FROM batch b LEFT JOIN outbox o ON o.batch_id = b.id " + where +
        " GROUP BY b.id ORDER BY b.created_at DESC, b.id DESC"
    )
    records = []
    for row in cache.connection().execute(sql, params):
        records.append(BatchRecord(
            id=row[0], created_at=row[1], operator=row[2], source=row[3], description=row[4],
            status=row[5], pilot_size=row[6], summary=json.loads(row[7] or "{}"),
            counts=BatchCounts(*(int(v or 0) for v in row[8:13])),
        ))
    return records


# -- reading what plans need ------------------------------------------------------------


def relation_states(cache: Cache, relation_ids: Sequence[int]) -> dict[int, RelationState]:
    """Current tags of these relations, in the order given (unknown ids are left out)."""
    conn = cache.connection()
    found: dict[int, RelationState] = {}
    for chunk in chunks(relation_ids):
        marks = placeholders(chunk)
        tags: dict[int, set[str]] = {}
        for rid, tag_id in conn.execute(
            f"SELECT rt.relation_id, t.id FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
            f" WHERE rt.relation_id IN ({marks})", chunk,
        ):
            tags.setdefault(rid, set()).add(tag_id)
        for rid, external_userid, userid in conn.execute(
            f"SELECT id, external_userid, userid FROM relation WHERE id IN ({marks})", chunk
        ):
            found[rid] = RelationState(rid, external_userid, userid,
                                       frozenset(tags.get(rid, ())))
    return {rid: found[rid] for rid in dict.fromkeys(relation_ids) if rid in found}


def relation_states_by_key(
    cache: Cache, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], RelationState]:
    """Current tags of relations named by (external_userid, userid)."""
    wanted = set(keys)
    customers = sorted({external_userid for external_userid, _ in wanted})
    conn = cache.connection()
    ids = [rid for rid, external_userid, userid in rows_in(
        conn.execute,
        "SELECT id, external_userid, userid FROM relation WHERE external_userid IN ({marks})",
        customers) if (external_userid, userid) in wanted]
    return {(s.external_userid, s.userid): s for s in relation_states(cache, ids).values()}


def tag_catalogue(cache: Cache) -> list[TagRecord]:
    """Live tags with their group names, larger `order` first as WeCom shows them."""
    return [
        TagRecord(*row) for row in cache.connection().execute(
            "SELECT t.id, t.name, t.group_id, g.name FROM tag t JOIN tag_group g"
            " ON g.id = t.group_id WHERE t.deleted = 0 AND g.deleted = 0"
            " ORDER BY g.sort_order DESC, g.name, t.sort_order DESC, t.name")
    ]


def live_tag_ids(cache: Cache) -> frozenset[str]:
    """The ids of the tags not deleted (in groups not deleted)."""
    return frozenset(t.id for t in tag_catalogue(cache))


def exclusive_sets(cache: Cache) -> list[ExclusiveSet]:
    return [
        ExclusiveSet(name, frozenset(json.loads(tag_ids)))
        for name, tag_ids in cache.connection().execute(
            "SELECT name, tag_ids FROM exclusive_set ORDER BY id")
    ]


def batch_changes(cache: Cache, batch_id: str) -> list[AppliedChange]:
    """Per relation, its tags before the batch's first change and after its last one."""
    merged: dict[tuple[str, str], tuple[str, str]] = {}
    for external_userid, userid, before, after in cache.connection().execute(
        "SELECT external_userid, userid, before, after FROM journal WHERE batch_id = ?"
        " AND action IN ('tag_add', 'tag_remove') ORDER BY id", (batch_id,),
    ):
        key = (external_userid, userid)
        merged[key] = (merged[key][0] if key in merged else before, after)
    return [
        AppliedChange(key[0], key[1], frozenset(json.loads(before or "[]")),
                      frozenset(json.loads(after or "[]")))
        for key, (before, after) in merged.items()
    ]


# -- internals --------------------------------------------------------------------------


def _payload(change: RelationChange) -> str:
    return json.dumps({"relation_id": change.relation_id, "add": list(change.add),
                       "remove": list(change.remove)}, ensure_ascii=False)


def _settle(
    conn: sqlite3.Connection, row_id: int, status: str, attempts: int, errcode: int | None,
    error: str,
) -> None:
    conn.execute(
        "UPDATE outbox SET status = ?, attempts = attempts + ?, errcode = ?, error = ?,"
        " updated_at = ? WHERE id = ?",
        (status, attempts, errcode, error, time.time(), row_id),
    )


def _apply_to_relation(
    conn: sqlite3.Connection,
    row: OutboxRow,
    add: Sequence[str],
    remove: Sequence[str],
    operator: str,
    source: str,
) -> frozenset[int]:
    found = conn.execute(
        "SELECT id FROM relation WHERE external_userid = ? AND userid = ?",
        (row.external_userid, row.userid),
    ).fetchone()
    if found is None:
        return frozenset()
    relation_id = int(found[0])
    before = {
        tag_id: pk for tag_id, pk in conn.execute(
            "SELECT t.id, t.pk FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
            " WHERE rt.relation_id = ?", (relation_id,))
    }
    names = _tag_names(conn, {*add, *remove})
    added = sorted(t for t in set(add) if t in names and t not in before)
    removed = sorted(t for t in set(remove) - set(add) if t in before)
    if not added and not removed:
        return frozenset()
    conn.executemany("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (?, ?)",
                     [(relation_id, names[t][0]) for t in added])
    conn.executemany("DELETE FROM relation_tag WHERE relation_id = ? AND tag_pk = ?",
                     [(relation_id, before[t]) for t in removed])
    before_json = json.dumps(sorted(before))
    after_json = json.dumps(sorted((set(before) - set(removed)) | set(added)))
    now = time.time()
    journal.append(conn, [
        journal.JournalEntry(
            operator=operator, action=action, source=source, batch_id=row.batch_id,
            external_userid=row.external_userid, userid=row.userid, tag_id=tag_id,
            tag_name=names[tag_id][1], group_name=names[tag_id][2],
            before=before_json, after=after_json, ts=now,
        )
        for action, ids in (("tag_add", added), ("tag_remove", removed)) for tag_id in ids
    ])
    return frozenset({relation_id})


def _tag_names(conn: sqlite3.Connection, tag_ids: set[str]) -> dict[str, tuple[int, str, str]]:
    """tag id -> (pk, name, group name) for the tags the cache knows."""
    if not tag_ids:
        return {}
    marks = placeholders(tag_ids)
    return {
        row[0]: (row[1], row[2], row[3]) for row in conn.execute(
            f"SELECT t.id, t.pk, t.name, coalesce(g.name, '') FROM tag t"
            f" LEFT JOIN tag_group g ON g.id = t.group_id WHERE t.id IN ({marks})",
            sorted(tag_ids),
        )
    }
