"""The append-only, hash-chained audit journal.

Every row carries the hash of the row before it, and its own hash covers its id,
its fields and that previous hash. Editing, deleting or reordering any row
therefore breaks the chain at that row, and `verify()` names it. The newest
row's id and hash are also kept in `meta`, so cutting rows off the end shows too.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from desktop.store.db import Cache

GENESIS = "0" * 64
HEAD_KEY = "journal_head"

FIELDS = (
    "ts", "operator", "action", "source", "batch_id", "external_userid", "userid",
    "tag_id", "tag_name", "group_name", "before", "after", "reason",
)


@dataclass(frozen=True)
class JournalEntry:
    """One change: a tag on a relation, or one edit of the tag tree."""

    operator: str
    action: str
    source: str
    batch_id: str = ""
    external_userid: str = ""
    userid: str = ""
    tag_id: str = ""
    tag_name: str = ""
    group_name: str = ""
    before: str = ""
    after: str = ""
    reason: str = ""
    ts: float = field(default_factory=time.time)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows_checked: int
    first_bad_id: int | None = None
    problem: str = ""


def row_hash(row_id: int, values: tuple[object, ...], prev_hash: str) -> str:
    payload = json.dumps([row_id, *values, prev_hash], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(conn: sqlite3.Connection, entries: Iterable[JournalEntry]) -> int:
    """Append entries inside the caller's write transaction; returns how many."""
    head = conn.execute("SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1").fetchone()
    last_id, prev = (head[0], head[1]) if head else (0, GENESIS)
    rows = []
    for entry in entries:
        last_id += 1
        values = tuple(getattr(entry, name) for name in FIELDS)
        digest = row_hash(last_id, values, prev)
        rows.append((last_id, *values, prev, digest))
        prev = digest
    if not rows:
        return 0
    columns = ", ".join(("id", *FIELDS, "prev_hash", "hash"))
    marks = ", ".join("?" * (len(FIELDS) + 3))
    conn.executemany(f"INSERT INTO journal ({columns}) VALUES ({marks})", rows)
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (HEAD_KEY, f"{last_id}:{prev}"),
    )
    return len(rows)


def verify(cache: Cache) -> VerifyResult:
    """Walk the whole chain; report the first row whose link or content does not match."""
    conn = cache.connection()
    columns = ", ".join(("id", *FIELDS, "prev_hash", "hash"))
    prev = GENESIS
    expected_id = 1
    checked = 0
    for row in conn.execute(f"SELECT {columns} FROM journal ORDER BY id"):
        row_id = int(row[0])
        values = tuple(row[1 : 1 + len(FIELDS)])
        stored_prev, stored_hash = row[-2], row[-1]
        if row_id != expected_id:
            return VerifyResult(False, checked, expected_id,
                                f"第 {expected_id} 行缺失 / row {expected_id} is missing")
        if stored_prev != prev:
            return VerifyResult(False, checked, row_id,
                                f"第 {row_id} 行与前一行的链接断开（行被删除或调换）"
                                f" / row {row_id} does not link to the row before it"
                                " (a row was deleted or reordered)")
        if row_hash(row_id, values, stored_prev) != stored_hash:
            return VerifyResult(False, checked, row_id,
                                f"第 {row_id} 行的内容被修改 / row {row_id} was edited")
        prev = stored_hash
        expected_id += 1
        checked += 1
    head = cache.get_meta(HEAD_KEY)
    if head and head != (f"{expected_id - 1}:{prev}" if checked else ""):
        head_id = int(head.split(":", 1)[0])
        return VerifyResult(False, checked, min(head_id, expected_id),
                            f"日志末尾的行被删除（应到第 {head_id} 行）"
                            f" / rows were cut off the end (the journal reached row {head_id})")
    return VerifyResult(True, checked)
