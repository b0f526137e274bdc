"""Imported chat messages in the cache: de-duplicated on `msg_key`, read by time window."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.store.db import Cache
from desktop.store.in_chunks import placeholders, rows_in

CUSTOMER_SENT = "in"
MEMBER_SENT = "out"
DIRECTIONS = (CUSTOMER_SENT, MEMBER_SENT)


@dataclass(frozen=True)
class ChatRow:
    """One message as imported: `msg_key` identifies it across re-imports."""

    msg_key: str
    ts: float
    userid: str
    external_userid: str
    direction: str
    text: str


@dataclass(frozen=True)
class StoredMessage:
    """A message read back from the cache, with its local id."""

    id: int
    ts: float
    userid: str
    external_userid: str
    direction: str
    text: str


def insert_new(conn: sqlite3.Connection, rows: Iterable[ChatRow]) -> int:
    """Insert the rows not stored yet (inside the caller's transaction); returns how many."""
    before = conn.total_changes
    conn.executemany(
        "INSERT OR IGNORE INTO chat_message (msg_key, ts, userid, external_userid, direction,"
        " text) VALUES (?, ?, ?, ?, ?, ?)",
        ((r.msg_key, r.ts, r.userid, r.external_userid, r.direction, r.text) for r in rows),
    )
    return conn.total_changes - before


def messages(cache: Cache, *, since: float | None = None, until: float | None = None,
             directions: Iterable[str] = (CUSTOMER_SENT,)) -> list[StoredMessage]:
    """Messages in [since, until) in the given directions, by customer, then time."""
    wanted = tuple(directions)
    clauses = [f"direction IN ({placeholders(wanted)})"]
    params: list[object] = list(wanted)
    if since is not None:
        clauses.append("ts >= ?")
        params.append(since)
    if until is not None:
        clauses.append("ts < ?")
        params.append(until)
    return [StoredMessage(*row) for row in cache.query(
        "SELECT id, ts, userid, external_userid, direction, text FROM chat_message"
        f" WHERE {' AND '.join(clauses)} ORDER BY external_userid, ts, id", params)]


def messages_by_id(cache: Cache, ids: Iterable[int]) -> dict[int, StoredMessage]:
    return {row[0]: StoredMessage(*row) for row in rows_in(
        cache.query, "SELECT id, ts, userid, external_userid, direction, text FROM chat_message"
        " WHERE id IN ({marks})", sorted(set(ids)))}


def count(cache: Cache) -> int:
    return int(str(cache.scalar("SELECT count(*) FROM chat_message") or 0))


def customer_names(cache: Cache, customers: Iterable[str]) -> dict[str, str]:
    """external_userid → the customer's name, for those the cache knows."""
    return {row[0]: row[1] for row in rows_in(
        cache.query, "SELECT external_userid, name FROM customer WHERE external_userid"
        " IN ({marks})", sorted(set(customers)))}


def conversation(cache: Cache, external_userid: str, userid: str,
                 limit: int = 200) -> list[StoredMessage]:
    """The latest `limit` messages between one customer and one member, oldest first."""
    rows = cache.query(
        "SELECT id, ts, userid, external_userid, direction, text FROM chat_message"
        " WHERE external_userid = ? AND userid = ? ORDER BY ts DESC, id DESC LIMIT ?",
        [external_userid, userid, limit])
    return [StoredMessage(*row) for row in reversed(rows)]


def latest_of_customers(cache: Cache, customers: Iterable[str],
                        per_customer: int) -> dict[str, list[StoredMessage]]:
    """external_userid → its latest `per_customer` customer-sent messages, oldest first."""
    found: dict[str, list[StoredMessage]] = {}
    for row in rows_in(
            cache.query, "SELECT id, ts, userid, external_userid, direction, text FROM chat_message"
            " WHERE direction = ? AND external_userid IN ({marks})"
            " ORDER BY external_userid, ts DESC, id DESC", sorted(set(customers)),
            before=[CUSTOMER_SENT]):
        kept = found.setdefault(row[3], [])
        if len(kept) < per_customer:
            kept.append(StoredMessage(*row))
    return {customer: kept[::-1] for customer, kept in found.items()}


def keys_of(cache: Cache, ids: Iterable[int]) -> dict[int, str]:
    """Local message id → its `msg_key` (shared with the team server)."""
    return {row[0]: row[1] for row in rows_in(
        cache.query, "SELECT id, msg_key FROM chat_message WHERE id IN ({marks})",
        sorted(set(ids)))}


def ids_of_keys(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, int]:
    """`msg_key` → local message id, for the messages this cache holds (in the caller's
    transaction)."""
    return {row[0]: row[1] for row in rows_in(
        conn.execute, "SELECT msg_key, id FROM chat_message WHERE msg_key IN ({marks})",
        sorted(set(keys)))}


def customers_who_said(cache: Cache) -> list[str]:
    """Every customer with a customer-sent message in the cache."""
    return [row[0] for row in cache.query(
        "SELECT DISTINCT external_userid FROM chat_message WHERE direction = ?",
        [CUSTOMER_SENT])]
