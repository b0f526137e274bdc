"""Approval requests in PostgreSQL: a deletion or a large rename a non-admin asked for.

A request keeps the WeCom write to perform (path and body), who asked and why, how many
customers it touches and a snapshot of every relation carrying the tags. An admin approves
with a fresh one-time code (only its hash is kept); a request not decided within 7 days
expires. Only `pending` requests change state, under a row lock, so a request is decided once.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import Connection
from psycopg.types.json import Jsonb

from desktop.server.identity import digest

APPROVAL_TTL_S = 7 * 24 * 3600
CODE_TTL_S = 300
MAX_CODE_ATTEMPTS = 5
KINDS = ("delete_tag", "delete_group", "rename_tag", "adopt_group")

Conn = Connection[tuple[object, ...]]
_COLUMNS = ("id, kind, path, body, target_ids, target, requester, reason, customers, status,"
            " created_at, expires_at, decided_by, decision_reason, tag_names, restored_by")


@dataclass(frozen=True)
class Approval:
    id: int
    kind: str
    path: str
    body: dict[str, Any]
    target_ids: tuple[str, ...]
    target: str
    requester: str
    reason: str
    customers: int
    status: str
    created_at: datetime
    expires_at: datetime
    decided_by: str
    decision_reason: str
    tag_names: dict[str, tuple[str, str]]   # deleted tag id -> (group name, tag name)
    restored_by: str

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "target": self.target,
                "requester": self.requester, "status": self.status,
                "customers": self.customers, "reason": self.reason,
                "created_at": self.created_at.isoformat(timespec="seconds"),
                "expires_at": self.expires_at.isoformat(timespec="seconds"),
                "decided_by": self.decided_by, "decision_reason": self.decision_reason,
                "restored_by": self.restored_by,
                **{k: self.body[k] for k in ("relations", "api_calls") if k in self.body}}


def create(conn: Conn, *, kind: str, path: str, body: dict[str, Any], target_ids: list[str],
           target: str, requester: str, reason: str, snapshot: list[dict[str, object]],
           customers: int, tag_names: dict[str, tuple[str, str]]) -> Approval:
    row = conn.execute(
        "INSERT INTO approval (kind, path, body, target_ids, target, requester, reason,"
        " customers, snapshot, tag_names, expires_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s,"
        f" %s, %s, now() + make_interval(secs => %s)) RETURNING {_COLUMNS}".encode(),
        (kind, path, Jsonb(body), target_ids, target, requester, reason, customers,
         Jsonb(snapshot), Jsonb({k: list(v) for k, v in tag_names.items()}), APPROVAL_TTL_S),
    ).fetchone()
    assert row is not None
    return _approval(row)


def waiting(conn: Conn, *, kind: str, path: str, body: dict[str, Any],
            requester: str) -> int | None:
    """The id of `requester`'s own pending, unexpired request for the same call, if any (the
    same deletion asked twice, say from the tree and then from a migration, is one request).
    Holds a transaction lock on that call until commit, so two at once file one request."""
    key = json.dumps([kind, path, body, requester], ensure_ascii=False, sort_keys=True)
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (key,))
    row = conn.execute(
        "SELECT id FROM approval WHERE status = 'pending' AND expires_at > now() AND kind = %s"
        " AND path = %s AND body = %s AND requester = %s ORDER BY id LIMIT 1",
        (kind, path, Jsonb(body), requester),
    ).fetchone()
    return int(str(row[0])) if row is not None else None


def get(conn: Conn, approval_id: int, *, lock: bool = False) -> Approval | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM approval WHERE id = %s{' FOR UPDATE' if lock else ''}".encode(),
        (approval_id,),
    ).fetchone()
    return _approval(row) if row is not None else None


def listing(conn: Conn, requester: str | None = None) -> list[Approval]:
    """Every request (or only `requester`'s), newest first."""
    if requester is None:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM approval ORDER BY id DESC".encode())
    else:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM approval WHERE requester = %s"
                            " ORDER BY id DESC".encode(), (requester,))
    return [_approval(row) for row in rows]


def pending_count(conn: Conn) -> int:
    row = conn.execute("SELECT count(*) FROM approval WHERE status = 'pending'").fetchone()
    return int(str(row[0])) if row is not None else 0


def snapshot(conn: Conn, approval_id: int) -> list[dict[str, object]]:
    row = conn.execute("SELECT snapshot FROM approval WHERE id = %s", (approval_id,)).fetchone()
    value = row[0] if row is not None else []
    return list(value) if isinstance(value, list) else list(json.loads(str(value)))


def expire_due(conn: Conn) -> list[Approval]:
    """Mark pending requests past their 7 days `expired`; the ones just expired."""
    return [_approval(row) for row in conn.execute(
        "UPDATE approval SET status = 'expired', decided_at = now() WHERE status = 'pending'"
        f" AND expires_at <= now() RETURNING {_COLUMNS}".encode())]


def close(conn: Conn, approval_id: int, status: str, by: str, reason: str = "") -> None:
    conn.execute(
        "UPDATE approval SET status = %s, decided_by = %s, decided_at = now(),"
        " decision_reason = %s WHERE id = %s", (status, by, reason, approval_id))


def reopen(conn: Conn, approval_id: int) -> None:
    """An approval whose write never reached WeCom waits for a decision again."""
    conn.execute("UPDATE approval SET status = 'pending', decided_by = NULL, decided_at = NULL"
                 " WHERE id = %s AND status = 'approved'", (approval_id,))


def claim_restore(conn: Conn, approval_id: int, by: str) -> bool:
    """Mark an approved deletion restored (once); False when it already was."""
    row = conn.execute(
        "UPDATE approval SET restored_by = %s, restored_at = now() WHERE id = %s"
        " AND status = 'approved' AND restored_at IS NULL RETURNING id", (by, approval_id),
    ).fetchone()
    return row is not None


def create_code(conn: Conn, approval_id: int, userid: str, code: str) -> str:
    """Store a one-time approval code for `userid`; its challenge id."""
    challenge = secrets.token_urlsafe(18)
    conn.execute(
        "INSERT INTO approval_code (id, approval_id, userid, code_hash, expires_at)"
        " VALUES (%s, %s, %s, %s, now() + make_interval(secs => %s))",
        (challenge, approval_id, userid, digest(f"{challenge}:{code}"), CODE_TTL_S),
    )
    return challenge


def code_problem(conn: Conn, challenge: str, approval_id: int, userid: str,
                 code: str) -> str | None:
    """None when `code` is right for this challenge, approval and admin (the code is then
    spent); otherwise which of 'unknown', 'spent', 'wrong' (a wrong code counts an attempt,
    so the caller commits even then)."""
    row = conn.execute(
        "SELECT code_hash, expires_at > now(), used_at IS NOT NULL, attempts FROM approval_code"
        " WHERE id = %s AND approval_id = %s AND userid = %s FOR UPDATE",
        (challenge, approval_id, userid),
    ).fetchone()
    if row is None:
        return "unknown"
    code_hash, fresh, used, attempts = row
    if used or not fresh or int(str(attempts)) >= MAX_CODE_ATTEMPTS:
        return "spent"
    if not secrets.compare_digest(str(code_hash), digest(f"{challenge}:{code.strip()}")):
        conn.execute("UPDATE approval_code SET attempts = attempts + 1 WHERE id = %s",
                     (challenge,))
        return "wrong"
    conn.execute("UPDATE approval_code SET used_at = now() WHERE id = %s", (challenge,))
    return None


def _approval(row: tuple[object, ...]) -> Approval:
    (approval_id, kind, path, body, target_ids, target, requester, reason, customers, status,
     created_at, expires_at, decided_by, decision_reason, tag_names, restored_by) = row
    assert isinstance(created_at, datetime) and isinstance(expires_at, datetime)
    return Approval(
        int(str(approval_id)), str(kind), str(path), dict(body) if isinstance(body, dict) else {},
        tuple(str(t) for t in target_ids) if isinstance(target_ids, list) else (),
        str(target), str(requester), str(reason), int(str(customers)), str(status),
        created_at, expires_at, str(decided_by or ""), str(decision_reason or ""),
        {str(k): (str(v[0]), str(v[1])) for k, v in tag_names.items()
         if isinstance(v, list) and len(v) == 2} if isinstance(tag_names, dict) else {},
        str(restored_by or ""),
    )
