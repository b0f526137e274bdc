"""Chat messages of a team profile live on the team server (PostgreSQL): an import pushes them
there, and before a simulation the desktop fetches what is new into its own cache."""

from __future__ import annotations

from dataclasses import asdict
from functools import partial

from desktop.services.chat_import import Store
from desktop.services.progress import Progress, ProgressCallback, no_progress
from desktop.services.team import team_call
from desktop.services.workspace import Workspace
from desktop.store import chats
from desktop.store.chats import ChatRow

PUSH_CHUNK = 1_000
PHASE = "team-chats"
FETCHED_UP_TO_KEY = "team_chats_after_id"
"""The highest server id fetched into this cache (meta)."""


def store_for(ws: Workspace) -> Store | None:
    """Where an import of this profile stores: the team server for a team profile, else
    the cache (None)."""
    return partial(push, ws) if ws.profile.is_team else None


def push(ws: Workspace, rows: list[ChatRow], progress: ProgressCallback = no_progress) -> int:
    """Store checked messages on the team server, then fetch them (and anything others
    pushed) into the cache; returns how many the server had not stored before."""
    stored = 0
    with ws.client() as client:
        token = client.get_token()
    for start in range(0, len(rows), PUSH_CHUNK):
        chunk = rows[start:start + PUSH_CHUNK]
        answer = team_call("POST", ws.profile.team_url, "tagdesk/v1/chats",
                           {"messages": [_record(row) for row in chunk]},
                           {"access_token": token})
        stored += int(answer.get("stored", 0))
        done = start + len(chunk)
        progress(Progress(PHASE, done, len(rows),
                          f"已发送到团队服务器 {done:,}/{len(rows):,} / sent to the team server"))
    fetch(ws, progress)
    return stored


def fetch(ws: Workspace, progress: ProgressCallback = no_progress) -> int:
    """Copy the server's messages this cache has not seen into it; returns how many."""
    after_id = int(ws.cache.get_meta(FETCHED_UP_TO_KEY, "0") or 0)
    with ws.client() as client:
        token = client.get_token()
    fetched = 0
    while True:
        answer = team_call("GET", ws.profile.team_url, "tagdesk/v1/chats", None,
                           {"access_token": token, "after_id": after_id})
        page = answer.get("messages") or []
        if page:
            rows = [ChatRow(str(m["msg_key"]), float(m["ts"]), str(m["userid"]),
                            str(m["external_userid"]), str(m["direction"]), str(m["text"]))
                    for m in page]
            after_id = int(page[-1]["id"])
            with ws.cache.write() as conn:
                fetched += chats.insert_new(conn, rows)
                ws.cache.set_meta(conn, FETCHED_UP_TO_KEY, str(after_id))
            progress(Progress(PHASE, fetched, 0, f"已从团队服务器取得 {fetched:,} 条消息"
                                                 f" / {fetched:,} messages from the team server"))
        if not isinstance(answer.get("next_after_id"), int):
            return fetched


def _record(row: ChatRow) -> dict[str, object]:
    """A checked message as pushed: TagDesk's shape with its key."""
    record = asdict(row)
    return {"time": record.pop("ts"), **record}
