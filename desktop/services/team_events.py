"""Behaviour events of a team profile live on the team server (PostgreSQL): an import pushes
them there (source `desktop:<userid>`), outside systems push with their own keys, and before
rules are evaluated the desktop fetches what is new into its own cache."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from desktop.domain.events import Event
from desktop.services.event_import import Store
from desktop.services.progress import ProgressCallback, no_progress
from desktop.services.team_records import SharedRecords
from desktop.services.workspace import Workspace
from desktop.store import events as event_store


def store_for(ws: Workspace) -> Store | None:
    """Where an import of this profile stores: the team server for a team profile, else the
    cache (None)."""
    return partial(push, ws) if ws.profile.is_team else None


def fetch_if_team(ws: Workspace, progress: ProgressCallback = no_progress) -> int:
    return fetch(ws, progress) if ws.profile.is_team else 0


def push(ws: Workspace, found: list[Event], progress: ProgressCallback = no_progress) -> int:
    """Store checked events on the team server with this user's login, then fetch them (and
    anything others pushed) into the cache; returns how many the server had not stored."""
    return EVENTS.push(ws, [_record(e) for e in found], progress)


def fetch(ws: Workspace, progress: ProgressCallback = no_progress) -> int:
    """Copy the server's events this cache has not seen into it; returns how many."""
    return EVENTS.fetch(ws, progress)


def _store(conn: sqlite3.Connection, page: Sequence[Mapping[str, Any]]) -> int:
    by_source: dict[str, list[Event]] = defaultdict(list)
    for e in page:
        value = e.get("value")
        by_source[str(e["source"])].append(Event(
            str(e["event_key"]), float(e["time"]), str(e["external_userid"]), str(e["userid"]),
            str(e["type"]), str(e["name"]), str(e["detail"]),
            None if value is None else float(value)))
    return sum(event_store.insert_new(conn, events, source)
               for source, events in by_source.items())


def _record(event: Event) -> dict[str, object]:
    """A checked event as pushed: its key keeps it the same event on the server."""
    return {"id": event.event_key, "time": event.ts, "external_userid": event.external_userid,
            "userid": event.userid or None, "type": event.type, "name": event.name,
            "detail": event.detail, "value": event.value}


EVENTS = SharedRecords("tagdesk/v1/events", "events", "team-events", "team_events_after_id",
                       "个事件", "events", _store, by_customer=True)
