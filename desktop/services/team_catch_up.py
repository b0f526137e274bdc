"""Bringing a team desktop's cache up to date without a whole sync: the refresh at start.

A whole sync reads every relation from WeCom. What other desktops and the team server's jobs
(rules, expiries, live codes, pre-tags, callbacks of phones) changed since is in the team
journal, each tag row with the relation's tags after it (or, when the server did not know
them, the tag that came or went). Each sync remembers the newest journal row it could see
before it read the relations (`journal_mark` then `remember_mark`), or, when the server could
not say it then, the desktop's time the sync began; the catch-up reads the
rows after it, a page of up to 1,000 rows a call, and sets each relation the cache knows to
its tags after the last of them (differences journaled locally as `observed`, as a partial
re-read does). Relations added or deleted since (a customer the cache does not have yet, one
it still has) are counted and left for the next sync. It also copies the team's behaviour events and tag expiries, as a
sync does. None of it calls WeCom.

A sync that could not read its mark starts the next catch-up from the newest row before that
sync began, by the server's clock: the desktop's clock is set against the server's
(`server_time`) first, so a desktop clock ahead of the server's misses no row and one behind
reads none from before that sync (rows written while that sync read the relations are read
again, as after any sync). A cache synced before it kept a mark starts, the same way, from
the newest row before its last sync ended. When
the team server stops answering part-way, the catch-up keeps what it copied (events, expiries,
the journal's pages read so far, applied and marked) and says why: the next refresh reads the
rest from there.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.domain.errors import UserError
from desktop.services.progress import Progress, ProgressCallback, no_progress
from desktop.services.team import TeamServerError, journal_call
from desktop.services.team_events import EVENTS
from desktop.services.team_events import fetch as fetch_events
from desktop.services.team_expiries import fetch as fetch_expiries
from desktop.services.workspace import Workspace
from desktop.store import outbox
from desktop.store.db import Cache
from desktop.store.snapshot import LAST_SYNC_KEY, replace_relation_tags
from desktop.wecom.errors import WeComError, WeComNetworkError

MARK_KEY = "team_journal_seen"     # meta: the newest team journal row the cache reflects
SINCE_KEY = "team_journal_since"   # meta: or the desktop's time a sync that had no mark began
PAGE = 1000
MAX_PAGES = 20                     # the rest waits for the next refresh
TAG_ACTIONS = ("tag_add", "tag_remove")
CUSTOMER_ACTIONS = ("customer_add", "customer_delete")


@dataclass(frozen=True)
class TeamCatchUp:
    rows: int                 # team journal rows read
    relations_changed: int    # relations whose tags the cache now has as the journal says
    needs_sync: int           # relations added or deleted elsewhere (F5 reads them)
    events: int               # behaviour events copied
    expiries: int             # tag expiries copied
    failed: UserError | None = None   # why the rest of the team's changes were not read

    @property
    def copied(self) -> bool:
        """Whether anything was read into the cache (before a failure, some may have been)."""
        return bool(self.relations_changed or self.needs_sync or self.events or self.expiries)


@dataclass(frozen=True)
class JournalMark:
    """Where a sync's relations stand in the team journal: the newest row the user could read
    before the sync read them (0 for none), or None when the server could not say; `taken_at`
    is the desktop's time it asked."""
    row_id: int | None
    taken_at: float


def journal_mark(ws: Workspace) -> JournalMark | None:
    """The team journal's mark, taken before a sync reads the relations; None for a solo
    profile."""
    if not ws.profile.is_team:
        return None
    taken_at = time.time()
    try:
        rows = journal_call(ws.profile.team_url, _token(ws), "",
                            {"order": "desc", "limit": 1}).get("rows") or []
    except (TeamServerError, WeComError, WeComNetworkError):
        return JournalMark(None, taken_at)
    return JournalMark(int(rows[0]["id"]) if rows else 0, taken_at)


def remember_mark(ws: Workspace, mark: JournalMark | None) -> None:
    """After a sync: its relations reflect the team journal up to `mark`; one the server could
    not say is kept as the sync's start, which the next catch-up sets on the server's clock
    (the mark of the sync before would have it apply again rows this sync already read)."""
    if mark is None:
        return
    with ws.cache.write() as conn:
        if mark.row_id is None:
            ws.cache.set_meta(conn, MARK_KEY, "")
            ws.cache.set_meta(conn, SINCE_KEY, repr(mark.taken_at))
        else:
            _set_mark(ws, conn, mark.row_id)


def _set_mark(ws: Workspace, conn: sqlite3.Connection, row_id: int) -> None:
    ws.cache.set_meta(conn, MARK_KEY, str(row_id))
    ws.cache.set_meta(conn, SINCE_KEY, "")


def catch_up(ws: Workspace, progress: ProgressCallback = no_progress,
             clock: Callable[[], float] = time.time) -> TeamCatchUp | None:
    """On a team profile, the team's changes since the last sync (None on a solo profile);
    `clock`: the desktop's, the one its last sync's time was taken by."""
    if not ws.profile.is_team:
        return None
    progress(Progress("team", 0, 0, "读取团队的更改… / Reading the team's changes…"))
    events, expiries = _EventsCopied(progress), 0
    try:
        fetch_events(ws, events.noted)
        expiries = fetch_expiries(ws)
    except (TeamServerError, WeComError, WeComNetworkError) as exc:
        return TeamCatchUp(0, 0, 0, events.copied, expiries, failed=exc)
    return _journal_rows(ws, progress, clock, events.copied, expiries)


class _EventsCopied:
    """A progress callback passing every event on and keeping how many events were copied
    (stored page by page: a fetch failing part-way has kept those)."""

    def __init__(self, progress: ProgressCallback) -> None:
        self._progress = progress
        self.copied = 0

    def noted(self, event: Progress) -> None:
        if event.phase == EVENTS.phase:
            self.copied = event.done
        self._progress(event)


def _journal_rows(ws: Workspace, progress: ProgressCallback, clock: Callable[[], float],
                  events: int, expiries: int) -> TeamCatchUp:
    """The journal's rows since the mark, a page at a time: when the server stops answering,
    the pages read so far are applied and the mark moves past them."""
    rows: list[dict[str, Any]] = []
    after_id: int | None = None
    failed: UserError | None = None
    try:
        session, mark = _token(ws), ws.cache.get_meta(MARK_KEY)
        after_id = int(mark) if mark else _mark_before_last_sync(ws, session, clock)
        for _ in range(MAX_PAGES):
            page = journal_call(ws.profile.team_url, session, "", {
                "after_id": after_id, "limit": PAGE,
                "action": [*TAG_ACTIONS, *CUSTOMER_ACTIONS]})
            found = page.get("rows") or []
            rows.extend(found)
            after_id = int(found[-1]["id"]) if found else after_id
            progress(Progress("team", len(rows), 0, f"已读取团队的更改 {len(rows):,} 行"
                              f" / {len(rows):,} rows of the team's changes read"))
            if not isinstance(page.get("next_after_id"), int):
                break
    except (TeamServerError, WeComError, WeComNetworkError) as exc:
        failed = exc
    wanted, needs_sync = relation_tags(ws.cache, rows)
    changed = replace_relation_tags(ws.cache, wanted) if wanted else set()
    if after_id is not None:
        with ws.cache.write() as conn:
            _set_mark(ws, conn, after_id)
    return TeamCatchUp(len(rows), len(changed), needs_sync, events, expiries, failed)


def _mark_before_last_sync(ws: Workspace, session: str, clock: Callable[[], float]) -> int:
    """The newest team journal row this user may read that is older than the start of the
    cache's last sync (kept when that sync could not read its mark) or else its end, on the
    server's clock (0 for none). The desktop's clock is read once
    the server's answer is in, so the offset errs by at most the call's round trip, towards
    reading a row again rather than missing one; an older server, which does not say its
    clock, is taken to share the desktop's."""
    since = float(ws.cache.get_meta(SINCE_KEY) or ws.cache.get_meta(LAST_SYNC_KEY) or 0)
    newest = journal_call(ws.profile.team_url, session, "", {"order": "desc", "limit": 1})
    server_time = newest.get("server_time")
    offset = float(server_time) - clock() if isinstance(server_time, int | float) else 0.0
    rows = journal_call(ws.profile.team_url, session, "", {
        "order": "desc", "limit": 1, "until": since + offset}).get("rows") or []
    return int(rows[0]["id"]) if rows else 0


def relation_tags(cache: Cache, rows: Iterable[Mapping[str, Any]]
                  ) -> tuple[dict[tuple[str, str], tuple[str, ...]], int]:
    """Each cached relation's tags after the journal rows (in id order), keyed (external_userid,
    userid), and how many relations the rows say were added or deleted that a sync has not
    brought yet (not in the cache, or still in it)."""
    tagged = [r for r in rows if r.get("userid") and r.get("external_userid")]
    keys = {(str(r["external_userid"]), str(r["userid"])) for r in tagged}
    cached = outbox.relation_states_by_key(cache, keys)
    tags = {key: set(state.tag_ids) for key, state in cached.items()}
    deleted: set[tuple[str, str]] = set()
    for row in tagged:
        key = (str(row["external_userid"]), str(row["userid"]))
        if row["action"] == "customer_delete":
            deleted.add(key)
        elif row["action"] == "customer_add":
            deleted.discard(key)
        if key not in tags or row["action"] not in TAG_ACTIONS:
            continue
        after = _tag_ids(row.get("after"))
        if after is not None:
            tags[key] = set(after)
        elif row["action"] == "tag_add":
            tags[key].add(str(row["tag_id"]))
        else:
            tags[key].discard(str(row["tag_id"]))
    changed = {key: tuple(sorted(ids)) for key, ids in tags.items()
               if ids != set(cached[key].tag_ids)}
    changed = {key: ids for key, ids in changed.items() if key not in deleted}
    missing, kept = keys - set(cached) - deleted, deleted & set(cached)
    return changed, len(missing | kept)


def _tag_ids(value: object) -> list[str] | None:
    """A tag row's `after`: the relation's tag ids as JSON, or None when the server did not
    know them (the row then says only which tag came or went)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        found = json.loads(value)
    except ValueError:
        return None
    return [str(t) for t in found] if isinstance(found, list) else None


def _token(ws: Workspace) -> str:
    with ws.client() as client:
        return client.get_token()
