"""Keyset paging by id of the records desktops fetch (`GET …?after_id=N&limit=L`): chats,
behaviour events, auto-tagging verdicts. Oldest first, at most `most` a page; a full page
names the id to ask after next (`next_after_id`), a short one ends the listing (None)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import psycopg

Conn = psycopg.Connection[tuple[object, ...]]


def after_id(conn: Conn, table: str, fields: Mapping[str, str], key: str, after: int,
             limit: int, most: int, where: str = "TRUE",
             params: Sequence[object] = ()) -> dict[str, Any]:
    """`{key: [records], "next_after_id": id | None}`: the rows of `table` with an id above
    `after` (and matching the SQL condition `where` with `params`), each record `id` plus
    `fields` (name in the answer → SQL expression)."""
    limit = max(1, min(limit, most))
    rows = conn.execute(
        f"SELECT id, {', '.join(fields.values())} FROM {table} WHERE id > %s AND ({where})"
        " ORDER BY id LIMIT %s", (after, *params, limit)).fetchall()
    records = [dict(zip(("id", *fields), row, strict=True)) for row in rows]
    return {key: records, "next_after_id": records[-1]["id"] if len(records) == limit else None}
