"""Chat messages of a team profile live on the team server (PostgreSQL): an import pushes them
there, and before a simulation the desktop fetches what is new into its own cache."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from functools import partial
from typing import Any

from desktop.services.chat_import import Store
from desktop.services.progress import ProgressCallback, no_progress
from desktop.services.team_records import SharedRecords
from desktop.services.workspace import Workspace
from desktop.store import chats
from desktop.store.chats import ChatRow


def store_for(ws: Workspace) -> Store | None:
    """Where an import of this profile stores: the team server for a team profile, else
    the cache (None)."""
    return partial(push, ws) if ws.profile.is_team else None


def push(ws: Workspace, rows: list[ChatRow], progress: ProgressCallback = no_progress) -> int:
    """Store checked messages on the team server, then fetch them (and anything others
    pushed) into the cache; returns how many the server had not stored before."""
    return MESSAGES.push(ws, [_record(row) for row in rows], progress)


def fetch(ws: Workspace, progress: ProgressCallback = no_progress) -> int:
    """Copy the server's messages this cache has not seen into it; returns how many."""
    return MESSAGES.fetch(ws, progress)


def _store(conn: sqlite3.Connection, page: Sequence[Mapping[str, Any]]) -> int:
    return chats.insert_new(conn, [
        ChatRow(str(m["msg_key"]), float(m["ts"]), str(m["userid"]), str(m["external_userid"]),
                str(m["direction"]), str(m["text"])) for m in page])


def _record(row: ChatRow) -> dict[str, object]:
    """A checked message as pushed: TagDesk's shape with its key."""
    record = asdict(row)
    return {"time": record.pop("ts"), **record}


MESSAGES = SharedRecords("tagdesk/v1/chats", "messages", "team-chats", "team_chats_after_id",
                         "条消息", "messages", _store, by_customer=True)
