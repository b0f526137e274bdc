"""Behaviour events of a team profile live on the team server (PostgreSQL): an import pushes
them there (source `desktop:<userid>`), outside systems push with their own keys, and before
rules are evaluated the desktop fetches what is new into its own cache."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from desktop.domain.events import Event
from desktop.services.event_import import Store
from desktop.services.progress import Progress, ProgressCallback, no_progress
from desktop.services.team import team_call
from desktop.services.workspace import Workspace
from desktop.store import events as event_store

PUSH_CHUNK = 1_000
PHASE = "team-events"
FETCHED_UP_TO_KEY = "team_events_after_id"
"""The highest server id fetched into this cache (meta)."""


def store_for(ws: Workspace) -> Store | None:
    """Where an import of this profile stores: the team server for a team profile, else the
    cache (None)."""
    return partial(push, ws) if ws.profile.is_team else None


def fetch_if_team(ws: Workspace, progress: ProgressCallback = no_progress) -> int:
    return fetch(ws, progress) if ws.profile.is_team else 0


def push(ws: Workspace, found: list[Event], progress: ProgressCallback = no_progress) -> int:
    """Store checked events on the team server with this user's login, then fetch them (and
    anything others pushed) into the cache; returns how many the server had not stored."""
    stored = 0
    with ws.client() as client:
        token = client.get_token()
    for start in range(0, len(found), PUSH_CHUNK):
        chunk = found[start:start + PUSH_CHUNK]
        answer = team_call("POST", ws.profile.team_url, "tagdesk/v1/events",
                           {"events": [_record(e) for e in chunk]}, {"access_token": token})
        stored += int(answer.get("stored", 0))
        done = start + len(chunk)
        progress(Progress(PHASE, done, len(found),
                          f"已发送到团队服务器 {done:,}/{len(found):,} / sent to the team server"))
    fetch(ws, progress)
    return stored


def fetch(ws: Workspace, progress: ProgressCallback = no_progress) -> int:
    """Copy the server's events this cache has not seen into it; returns how many."""
    after_id = int(ws.cache.get_meta(FETCHED_UP_TO_KEY, "0") or 0)
    with ws.client() as client:
        token = client.get_token()
    fetched = 0
    while True:
        answer = team_call("GET", ws.profile.team_url, "tagdesk/v1/events", None,
                           {"access_token": token, "after_id": after_id})
        page = answer.get("events") or []
        if page:
            by_source: dict[str, list[Event]] = defaultdict(list)
            for e in page:
                value = e.get("value")
                by_source[str(e["source"])].append(Event(
                    str(e["event_key"]), float(e["time"]), str(e["external_userid"]),
                    str(e["userid"]), str(e["type"]), str(e["name"]), str(e["detail"]),
                    None if value is None else float(value)))
            after_id = int(page[-1]["id"])
            with ws.cache.write() as conn:
                for source, events in by_source.items():
                    fetched += event_store.insert_new(conn, events, source)
                ws.cache.set_meta(conn, FETCHED_UP_TO_KEY, str(after_id))
            progress(Progress(PHASE, fetched, 0, f"已从团队服务器取得 {fetched:,} 个事件"
                                                 f" / {fetched:,} events from the team server"))
        if not isinstance(answer.get("next_after_id"), int):
            return fetched


def _record(event: Event) -> dict[str, object]:
    """A checked event as pushed: its key keeps it the same event on the server."""
    return {"id": event.event_key, "time": event.ts, "external_userid": event.external_userid,
            "userid": event.userid or None, "type": event.type, "name": event.name,
            "detail": event.detail, "value": event.value}
