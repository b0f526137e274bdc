"""The append-only, hash-chained audit journal.

Every row carries the hash of the row before it, and its own hash covers its id,
its fields and that previous hash. Editing, deleting or reordering any row
therefore breaks the chain at that row, and `verify()` names it. The newest
row's id and hash are also kept in `meta` and, outside the database, in a small
head file beside the cache (written after every commit that appends, 0600), so
cutting rows off the end, or rewriting the whole chain inside the database, shows
too. A local file can always be forged by someone who can write the user's files;
the head file only raises the bar from "edit one SQLite file" to "edit both".

Changes seen at sync (source `observed`) name no operator: WeCom does not say who
made them. They keep the relation's follower as the `probable_operator` and the
window in which they happened (`seen_after` .. `ts`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from desktop.domain.errors import UserError
from desktop.store import journal_head
from desktop.store.db import JOURNAL_HEAD_KEY, Cache

GENESIS = "0" * 64
HEAD_KEY = JOURNAL_HEAD_KEY

FIELDS = (
    "ts", "operator", "action", "source", "batch_id", "external_userid", "userid",
    "tag_id", "tag_name", "group_name", "before", "after", "reason",
)
# Columns added later. A row whose extensions are all empty hashes exactly as before they
# existed (so older journals still verify); any other row's hash covers them too.
EXTENSIONS = ("probable_operator", "seen_after")
OBSERVED = "observed"
TRIGGERS = ("journal_no_update", "journal_no_delete")


class JournalError(UserError):
    """A journal row that must not be written as it is."""


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
    probable_operator: str = ""   # observed rows: the relation's follower, most likely the one
    seen_after: float = 0.0       # observed rows: the previous sync; the change is in (this, ts]


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows_checked: int                    # rows found intact (those before the checkpoint too)
    first_bad_id: int | None = None
    problem: str = ""                    # the first problem found
    problems: tuple[str, ...] = ()       # every problem found, the first one first
    rows_walked: int = 0                 # rows hashed this time (after the checkpoint)
    full: bool = True                    # the walk started at row 1


def row_hash(row_id: int, values: tuple[object, ...], prev_hash: str) -> str:
    """`values` are FIELDS then EXTENSIONS; all-empty extensions are left out of the hash."""
    base, extra = values[: len(FIELDS)], values[len(FIELDS) :]
    hashed = (*base, *extra) if any(extra) else base
    payload = json.dumps([row_id, *hashed, prev_hash], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(conn: sqlite3.Connection, entries: Iterable[JournalEntry]) -> int:
    """Append entries inside the caller's write transaction; returns how many.

    Every row but an observed one must name its operator (raises `JournalError`, and the
    caller's transaction rolls back); an observed row never names one."""
    head = conn.execute("SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1").fetchone()
    last_id, prev = (head[0], head[1]) if head else (0, GENESIS)
    rows = []
    for entry in entries:
        _check(entry)
        last_id += 1
        values = tuple(getattr(entry, name) for name in (*FIELDS, *EXTENSIONS))
        digest = row_hash(last_id, values, prev)
        rows.append((last_id, *values, prev, digest))
        prev = digest
    if not rows:
        return 0
    columns = ", ".join(("id", *FIELDS, *EXTENSIONS, "prev_hash", "hash"))
    marks = ", ".join("?" * (len(FIELDS) + len(EXTENSIONS) + 3))
    conn.executemany(f"INSERT INTO journal ({columns}) VALUES ({marks})", rows)
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (HEAD_KEY, f"{last_id}:{prev}"),
    )
    return len(rows)


def _check(entry: JournalEntry) -> None:
    if entry.source == OBSERVED:
        if entry.operator:
            raise JournalError(
                "同步时发现的变更不能记录操作人（企业微信未说明是谁做的）。",
                "A change seen at sync cannot name an operator (WeCom does not say who made it).")
    elif not entry.operator.strip():
        raise JournalError(
            "日志行缺少操作人：请在配置中填写你的企业微信账号（userid）。",
            "A journal row needs its operator: set your WeCom userid in the profile.")


def verify(cache: Cache, *, full: bool = False) -> VerifyResult:
    """Walk the chain and check what guards it: the head in `meta`, the head file beside
    the cache, the append-only triggers, and that a cache with applied batches has a
    journal at all. The first bad row is named; every problem found is listed.

    The walk starts after the checkpoint a previous verify left beside the cache (the
    last row it found intact). That row must still be there, hash as recorded and hash
    right; if not, verify fails and walks the whole chain to say where. With `full`, or
    without a checkpoint, the walk starts at row 1 (and a checkpoint is still checked).
    A verify that finds nothing wrong moves the checkpoint to the last row.
    """
    conn = cache.connection()
    checkpoint_problems: list[str] = []
    checkpoint, mismatch_id = _checkpoint(cache, checkpoint_problems)
    start = (0, GENESIS) if full or checkpoint is None else checkpoint
    problems: list[str] = []
    last, checked, bad_id = _walk(conn, start, problems)
    problems.extend(checkpoint_problems)
    if bad_id is None:
        bad_id = mismatch_id
    if bad_id is None:
        bad_id = _head_problems(cache, last if last[0] else None, problems)
    problems.extend(_guard_problems(cache, last[0]))
    if not problems and last[0]:
        end = f"{last[0]}:{last[1]}"
        with contextlib.suppress(OSError):  # a read-only folder: the next verify walks all
            journal_head.write_checkpoint(cache.path, end)
            if journal_head.read(cache.path) != end:
                journal_head.write(cache.path, end)
    return VerifyResult(not problems, last[0], bad_id, problems[0] if problems else "",
                        tuple(problems), rows_walked=checked, full=start[0] == 0)


def _checkpoint(
    cache: Cache, problems: list[str]
) -> tuple[tuple[int, str] | None, int | None]:
    """The last row a previous verify found intact (id, hash) if it still matches the
    chain; otherwise None, with a problem and the row it names (None: no checkpoint)."""
    recorded = journal_head.read_checkpoint(cache.path)
    if recorded is None:
        return None, None
    row_id, _, digest = recorded.partition(":")
    if not row_id.isdigit() or int(row_id) == 0:
        name = journal_head.checkpoint_path_for(cache.path).name
        problems.append(f"校验检查点文件 {name} 已损坏 / the verify checkpoint ({name})"
                        " is damaged")
        return None, None
    columns = ", ".join((*FIELDS, *EXTENSIONS, "prev_hash", "hash"))
    row = cache.connection().execute(
        f"SELECT {columns} FROM journal WHERE id = ?", (int(row_id),)).fetchone()
    if (row is None or row[-1] != digest
            or row_hash(int(row_id), tuple(row[:-2]), row[-2]) != digest):
        problems.append(f"第 {row_id} 行与校验检查点的记录不符（日志被改写或截断）"
                        f" / row {row_id} does not match the verify checkpoint"
                        " (the journal was rewritten or cut)")
        return None, int(row_id)
    return (int(row_id), digest), None


def _walk(
    conn: sqlite3.Connection, start: tuple[int, str], problems: list[str],
) -> tuple[tuple[int, str], int, int | None]:
    """Check the rows after `start` (id, hash); returns the last intact row, how many
    rows were checked, and the first bad row (with its problem added) if any."""
    columns = ", ".join(("id", *FIELDS, *EXTENSIONS, "prev_hash", "hash"))
    prev = start[1]
    expected_id = start[0] + 1
    checked = 0
    for row in conn.execute(f"SELECT {columns} FROM journal WHERE id > ? ORDER BY id",
                            (start[0],)):
        row_id = int(row[0])
        values = tuple(row[1 : 1 + len(FIELDS) + len(EXTENSIONS)])
        stored_prev, stored_hash = row[-2], row[-1]
        if row_id != expected_id:
            problem = f"第 {expected_id} 行缺失 / row {expected_id} is missing"
            problems.append(problem)
            return (expected_id - 1, prev), checked, expected_id
        if stored_prev != prev:
            problems.append(f"第 {row_id} 行与前一行的链接断开（行被删除或调换）"
                            f" / row {row_id} does not link to the row before it"
                            " (a row was deleted or reordered)")
            return (expected_id - 1, prev), checked, row_id
        if row_hash(row_id, values, stored_prev) != stored_hash:
            problems.append(f"第 {row_id} 行的内容被修改 / row {row_id} was edited")
            return (expected_id - 1, prev), checked, row_id
        prev = stored_hash
        expected_id += 1
        checked += 1
    return (expected_id - 1, prev), checked, None


def _head_problems(
    cache: Cache, last: tuple[int, str] | None, problems: list[str]
) -> int | None:
    """Compare the chain's end with the head in `meta` and in the head file; returns the
    first row missing from the end, if rows were cut off."""
    conn = cache.connection()
    end = f"{last[0]}:{last[1]}" if last else ""
    last_id = last[0] if last else 0
    cut: int | None = None
    head = cache.get_meta(HEAD_KEY)
    if head and head != end:
        head_id = int(head.split(":", 1)[0])
        cut = min(head_id, last_id + 1)
        problems.append(f"日志末尾的行被删除（应到第 {head_id} 行）"
                        f" / rows were cut off the end (the journal reached row {head_id})")
    elif last and not head:
        problems.append("数据库中记录日志末行的 journal_head 缺失 / the journal head"
                        " (journal_head in meta) is missing from the database")
    copy = journal_head.read(cache.path)
    if copy is None:
        if last:
            problems.append(
                f"缓存旁的日志头文件 {journal_head.path_for(cache.path).name} 缺失"
                f" / the head file beside the cache"
                f" ({journal_head.path_for(cache.path).name}) is missing")
        return cut
    copy_id, _, copy_hash = copy.partition(":")
    if not copy_id.isdigit():
        problems.append("日志头文件已损坏 / the head file is damaged")
        return cut
    n = int(copy_id)
    if n > last_id:
        problems.append(f"日志末尾的行被删除（缓存旁的头文件记录到第 {n} 行）"
                        f" / rows were cut off the end (the head file beside the cache"
                        f" records row {n})")
        return min(cut or n, last_id + 1)
    if n == 0:
        return cut
    stored = conn.execute("SELECT hash FROM journal WHERE id = ?", (n,)).fetchone()
    if stored is None or stored[0] != copy_hash:
        problems.append(f"第 {n} 行与缓存旁头文件中的记录不符（日志被重写）"
                        f" / row {n} differs from the copy in the head file beside the cache"
                        " (the journal was rewritten)")
        return cut if cut is not None else n
    # A head file behind an intact chain is what a process killed between its commit and
    # the file's update leaves: rows up to n are pinned, the ones after chain from them.
    # Only someone who can edit the file could also have set it to anything, so it is no
    # alarm; verify moves the file up to the end when it finds nothing else wrong.
    return cut


def _guard_problems(cache: Cache, rows: int) -> list[str]:
    conn = cache.connection()
    found: list[str] = []
    triggers = {name: sql or "" for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'journal'")}
    missing = [name for name in TRIGGERS if "RAISE(ABORT" not in triggers.get(name, "").upper()]
    if missing:
        names = ", ".join(missing)
        found.append(f"日志的只追加保护（触发器 {names}）被移除"
                     f" / the journal's append-only triggers were removed: {names}")
    if not rows:
        applied = int(conn.execute(
            "SELECT count(DISTINCT batch_id) FROM outbox WHERE status = 'done'").fetchone()[0])
        if applied:
            found.append(f"日志为空，但缓存中有 {applied} 个已写入的批次"
                         f" / the journal is empty but the cache holds {applied} applied"
                         " batches")
    return found
