"""The server's picture of WeCom: every relation's tags and the corp tag library.

WeCom's callbacks and re-reads say what *is*; the team journal records what *changed*, so
the server keeps what it last saw and journals the difference. Re-syncs fill the snapshot,
callbacks and the relay's own writes keep it current. `updated_at` is the wall clock of
the last change to a row, so a re-sync that read WeCom before it leaves the row alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import Connection

from desktop.server import expiry_records
from desktop.store.journal import JournalEntry

Conn = Connection[tuple[object, ...]]
MARK_TAG = "externalcontact/mark_tag"
# pg_advisory_xact_lock keys: the tag library, and (with the relation's hash) one relation.
TAG_LIBRARY_LOCK = 0x7A6D_0005
# The first re-sync's bulk fill (exclusive) against the relay's writes (shared): see `hold_fill`.
FILL_LOCK = 0x7A6D_0006


@dataclass(frozen=True)
class CorpTag:
    name: str
    group_id: str
    group_name: str


def lock_relation(conn: Conn, userid: str, external_userid: str) -> None:
    """Serialise changes of one relation's snapshot until the transaction ends."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                 (f"{userid}\x1f{external_userid}",))


def write_in_flight(conn: Conn, userid: str, external_userid: str) -> bool:
    """Whether a relayed mark_tag on the relation is still `sending`: in flight, or its answer
    lost and not yet settled by the outbox's recovery. WeCom may already show it while the
    snapshot and the team journal do not yet."""
    return conn.execute(
        "SELECT 1 FROM outbox WHERE status = 'sending' AND path = %s"
        " AND body->>'userid' = %s AND body->>'external_userid' = %s LIMIT 1",
        (MARK_TAG, userid, external_userid)).fetchone() is not None


def hold_fill(conn: Conn) -> None:
    """Until the transaction ends, keep the relay from settling a write (the first re-sync's
    fill). The fill skips relations journaled since its read began; a write settled while a
    fill chunk is uncommitted would not see the chunk's rows (so not correct them) nor be
    seen by it (so not be skipped), and the chunk would store the relation as it was before
    that write."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (FILL_LOCK,))


def share_fill(conn: Conn) -> None:
    """Until the transaction ends, keep a fill chunk from starting (a relayed write settling);
    relayed writes do not wait for each other."""
    conn.execute("SELECT pg_advisory_xact_lock_shared(%s)", (FILL_LOCK,))


def lock_library(conn: Conn) -> None:
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (TAG_LIBRARY_LOCK,))


def relation_tags(conn: Conn, userid: str, external_userid: str) -> set[str] | None:
    row = conn.execute(
        "SELECT tag_ids FROM relation_tag_snapshot WHERE userid = %s AND external_userid = %s",
        (userid, external_userid)).fetchone()
    return None if row is None else set(text_list(row[0]))


def store_relation(conn: Conn, userid: str, external_userid: str, tag_ids: Iterable[str]) -> None:
    """The relation's tags now; the expiries of tags it lost are forgotten."""
    tag_ids = set(tag_ids)
    expiry_records.forget_lost(conn, userid, external_userid, tag_ids)
    conn.execute(
        "INSERT INTO relation_tag_snapshot (userid, external_userid, tag_ids)"
        " VALUES (%s, %s, %s) ON CONFLICT (userid, external_userid) DO UPDATE"
        " SET tag_ids = excluded.tag_ids, updated_at = clock_timestamp()",
        (userid, external_userid, sorted(tag_ids)))


def forget_relation(conn: Conn, userid: str, external_userid: str) -> None:
    expiry_records.forget_relation(conn, userid, external_userid)
    conn.execute(
        "DELETE FROM relation_tag_snapshot WHERE userid = %s AND external_userid = %s",
        (userid, external_userid))


def forget_tags(conn: Conn, tag_ids: Iterable[str]) -> None:
    """Deleted tags leave every relation (WeCom sends no per-relation event for that)."""
    gone = sorted(set(tag_ids))
    if gone:
        expiry_records.forget_tags(conn, gone)
        conn.execute(
            "UPDATE relation_tag_snapshot SET tag_ids = ARRAY(SELECT unnest(tag_ids)"
            " EXCEPT SELECT unnest(%s::text[]) ORDER BY 1), updated_at = clock_timestamp()"
            " WHERE tag_ids && %s::text[]", (gone, gone))


def follow_relay(conn: Conn, entries: Iterable[JournalEntry]) -> None:
    """Keep the snapshot in step with the writes the relay journaled (same transaction), so
    a re-sync does not see them again as changes made elsewhere. A row with `after` gives
    the relation's whole tag list; one without only the tag it added or removed, so it
    changes a relation the snapshot has and never starts one with a single tag."""
    changes: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    states: dict[tuple[str, str], list[str]] = {}
    deleted: list[str] = []
    for entry in entries:
        after = _json_list(entry.after) if entry.action in ("tag_add", "tag_remove") else None
        if after is not None and entry.external_userid:
            states[(entry.userid, entry.external_userid)] = after
        elif entry.action in ("tag_add", "tag_remove") and entry.external_userid:
            added, removed = changes.setdefault((entry.userid, entry.external_userid),
                                                (set(), set()))
            (added if entry.action == "tag_add" else removed).add(entry.tag_id)
        elif entry.action == "tag_delete":
            deleted.append(entry.tag_id)
        elif entry.action == "group_delete":
            deleted.extend(tag_id for tag_id, tag in corp_tags(conn).items()
                           if tag.group_id == entry.tag_id)
    for (userid, external_userid), (added, removed) in changes.items():
        before = relation_tags(conn, userid, external_userid)
        if before is not None:  # unknown: a re-sync or callback reads it whole
            store_relation(conn, userid, external_userid, (before | added) - removed)
    for (userid, external_userid), tag_ids in states.items():
        store_relation(conn, userid, external_userid, tag_ids)
    forget_tags(conn, deleted)
    _follow_library(conn, entries)


LIBRARY_EDITS = ("tag_rename", "group_rename", "tag_delete", "group_delete")
ADD_CORP_TAG = "externalcontact/add_corp_tag"
CORP_LIBRARY_WRITES = (ADD_CORP_TAG, "externalcontact/edit_corp_tag",
                       "externalcontact/del_corp_tag")


def library_write_in_flight(conn: Conn) -> bool:
    """Whether a relayed write to the corp tag library is still `sending` (see
    `write_in_flight`)."""
    return conn.execute("SELECT 1 FROM outbox WHERE status = 'sending' AND path = ANY(%s)"
                        " LIMIT 1", (list(CORP_LIBRARY_WRITES),)).fetchone() is not None


def created_tags(path: str, answer: Mapping[str, Any] | None) -> dict[str, CorpTag]:
    """The corp tags an `add_corp_tag` answer names, with their group (none for any other
    call: rule-group tags are not in the library snapshot)."""
    group = (answer or {}).get("tag_group") if path == ADD_CORP_TAG else None
    if not isinstance(group, dict):
        return {}
    return {str(tag["id"]): CorpTag(str(tag.get("name", "")), str(group.get("group_id", "")),
                                    str(group.get("group_name", "")))
            for tag in group.get("tag") or [] if isinstance(tag, dict) and tag.get("id")}


def store_created(conn: Conn, created: Mapping[str, CorpTag]) -> None:
    """Relayed new tags in the library snapshot, so that a re-sync does not journal them
    again."""
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO corp_tag_snapshot (tag_id, tag_name, group_id, group_name)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (tag_id) DO NOTHING",
            [(tag_id, t.name, t.group_id, t.group_name) for tag_id, t in created.items()])


def _follow_library(conn: Conn, entries: Iterable[JournalEntry]) -> None:
    """Relayed renames and deletions in the tag library snapshot, so that a re-sync or a
    callback does not journal them again (rule-group tags are not in it: no row matches)."""
    for entry in entries:
        if entry.action == "tag_rename":
            conn.execute("UPDATE corp_tag_snapshot SET tag_name = %s WHERE tag_id = %s",
                         (entry.tag_name, entry.tag_id))
        elif entry.action == "group_rename":
            conn.execute("UPDATE corp_tag_snapshot SET group_name = %s WHERE group_id = %s",
                         (entry.tag_name, entry.tag_id))
        elif entry.action == "tag_delete":
            conn.execute("DELETE FROM corp_tag_snapshot WHERE tag_id = %s", (entry.tag_id,))
        elif entry.action == "group_delete":
            conn.execute("DELETE FROM corp_tag_snapshot WHERE group_id = %s", (entry.tag_id,))


def _json_list(text: str) -> list[str] | None:
    """A row's `after` as the relation's whole tag list (rows of a call with before / after)."""
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return None
    return [str(v) for v in value] if isinstance(value, list) else None


def corp_tags(conn: Conn) -> dict[str, CorpTag]:
    return {str(tag_id): CorpTag(str(name), str(group_id), str(group_name))
            for tag_id, name, group_id, group_name in conn.execute(
                "SELECT tag_id, tag_name, group_id, group_name FROM corp_tag_snapshot")}


def store_corp_tags(conn: Conn, tags: Mapping[str, CorpTag]) -> None:
    conn.execute("DELETE FROM corp_tag_snapshot")
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO corp_tag_snapshot (tag_id, tag_name, group_id, group_name)"
            " VALUES (%s, %s, %s, %s)",
            [(tag_id, t.name, t.group_id, t.group_name) for tag_id, t in tags.items()])


def tag_list_shape(tags: Mapping[str, CorpTag]) -> dict[str, Any]:
    """The tags as `get_corp_tag_list` answers them (what the relay's tag names learn)."""
    groups: dict[str, dict[str, Any]] = {}
    for tag_id, tag in tags.items():
        group = groups.setdefault(tag.group_id, {"group_id": tag.group_id,
                                                 "group_name": tag.group_name, "tag": []})
        group["tag"].append({"id": tag_id, "name": tag.name})
    return {"tag_group": list(groups.values())}


def last_resync(conn: Conn) -> tuple[datetime | None, datetime | None]:
    """(started_at, finished_at) of the newest re-sync; finished_at is that of the newest
    completed one (older than started_at while a run is under way)."""
    row = conn.execute("SELECT started_at, finished_at FROM resync_run").fetchone()
    if row is None:
        return None, None
    started, finished = row
    return (started if isinstance(started, datetime) else None,
            finished if isinstance(finished, datetime) else None)


def has_baseline(conn: Conn) -> bool:
    """Whether a full re-sync has completed: relations not in the snapshot are then new."""
    row = conn.execute("SELECT 1 FROM resync_run WHERE finished_at IS NOT NULL").fetchone()
    return row is not None


def text_list(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []
