"""Auto-tagging on a team profile: keywords and review verdicts belong to the team.

The keywords per tag are a shared team setting (kind `autotag_keywords`, journaled on the
server under the editor with source `settings`); the verdicts are appended on the server
(`/tagdesk/v1/autotag/reviews`) with who and when. Every edit goes to the server first and is
refused with one sentence when it cannot (nothing changes locally either); the cache keeps a
copy. Before each simulation `refresh` pulls the keywords, the chats and the verdicts; when
the server cannot be reached the copy on this computer is used and one sentence says so.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from typing import Any

from desktop.services import team_chats, team_settings
from desktop.services.progress import ProgressCallback, no_progress
from desktop.services.team import TeamServerError
from desktop.services.team_records import SharedRecords
from desktop.services.team_settings import SettingChange
from desktop.services.workspace import Workspace
from desktop.store import autotag_settings, chats
from desktop.store.autotag_settings import Review
from desktop.store.in_chunks import rows_in

KEYWORDS_KIND = team_settings.AUTOTAG_KEYWORDS
REVIEWS_PATH = "tagdesk/v1/autotag/reviews"
FETCHED_UP_TO_KEY = "team_autotag_reviews_after_id"
SETTING_CHANGES = 100          # the server's limit per settings request


def write_keywords(ws: Workspace, wanted: Mapping[str, Sequence[str]], *,
                   replace_all: bool = False) -> None:
    """Save these tags' keywords on the team server (every other tag's dropped with
    `replace_all`); the caller then saves them in the cache."""
    current = autotag_settings.keywords(ws.cache)
    changes = [SettingChange(KEYWORDS_KIND, name, list(words))
               for name, words in wanted.items() if current.get(name) != list(words)]
    if replace_all:
        changes += [SettingChange(KEYWORDS_KIND, name, None)
                    for name in current if name not in wanted]
    _write_settings(ws, changes)


def forget_keywords(ws: Workspace, names: Iterable[str]) -> None:
    """Drop these tags' keywords on the team server."""
    _write_settings(ws, [SettingChange(KEYWORDS_KIND, name, None) for name in names])


def _write_settings(ws: Workspace, changes: list[SettingChange]) -> None:
    for start in range(0, len(changes), SETTING_CHANGES):
        team_settings.write_through(ws, *changes[start:start + SETTING_CHANGES])


def push_reviews(ws: Workspace, reviews: Sequence[Review],
                 progress: ProgressCallback = no_progress) -> int:
    """Record verdicts on the team server (its user and time; with the ids of the tag and
    its group, so that a tag renamed since this desktop's last sync is recorded under its new
    name), then copy the team's new verdicts, these included, into the cache; returns how
    many were recorded."""
    keys = chats.keys_of(ws.cache, {m for r in reviews for m in r.message_ids})
    groups = _group_ids(ws.cache.connection(), {r.tag_id for r in reviews if r.tag_id})
    records = [{"external_userid": r.external_userid, "userid": r.userid, "tag": r.tag_name,
                **({"tag_id": r.tag_id, "group_id": groups[r.tag_id]}
                   if r.tag_id in groups else {}),
                "verdict": r.verdict, "msg_keys": [keys[m] for m in r.message_ids if m in keys]}
               for r in reviews]
    team_chats.fetch(ws)        # the messages of colleagues' verdicts, before those
    return VERDICTS.push(ws, records, progress)


def _group_ids(conn: sqlite3.Connection, tag_ids: set[str]) -> dict[str, str]:
    """Tag id -> its group's id, as the cache knows them."""
    return {str(tag_id): str(group_id) for tag_id, group_id in rows_in(
        conn.execute, "SELECT id, group_id FROM tag WHERE id IN ({marks})", sorted(tag_ids))}


def fetch_reviews(ws: Workspace, progress: ProgressCallback = no_progress) -> int:
    """Copy the team's verdicts this cache has not seen into it; returns how many."""
    return VERDICTS.fetch(ws, progress)


def latest_reviews(ws: Workspace) -> dict[tuple[str, str, str], Review]:
    """The latest verdict of each suggestion; on a team profile the team's new verdicts are
    copied in first (a revert's `reverted` marks are made on the server as it lands), unless
    the server cannot be reached: the copy on this computer then."""
    if ws.profile.is_team:
        with suppress(TeamServerError):
            fetch_reviews(ws)
    return autotag_settings.latest_reviews(ws.cache)


def _store_reviews(conn: sqlite3.Connection, page: Sequence[Mapping[str, Any]]) -> int:
    ids = chats.ids_of_keys(conn, {str(k) for r in page for k in r["msg_keys"]})
    autotag_settings.insert_reviews(conn, [
        (float(r["ts"]), str(r["operator"]), str(r["external_userid"]), str(r["userid"]),
         str(r["tag"]), str(r["verdict"]),
         json.dumps([ids[str(k)] for k in r["msg_keys"] if str(k) in ids])) for r in page])
    return len(page)


VERDICTS = SharedRecords(REVIEWS_PATH, "reviews", "team-autotag-reviews", FETCHED_UP_TO_KEY,
                         "条审阅", "verdicts", _store_reviews)


def refresh(ws: Workspace, progress: ProgressCallback = no_progress) -> list[str]:
    """Bring the team's keywords, chats and verdicts into the cache; when the server cannot
    be reached, one sentence saying the copy on this computer is used."""
    try:
        team_settings.pull(ws)
        team_chats.fetch(ws, progress)
        fetch_reviews(ws, progress)
    except TeamServerError as exc:
        return [f"团队服务器不可用，使用本机保存的关键词、聊天和审阅（团队日志中有人设置的标签这次不参与学习）："
                f"{exc.message_zh} / The team server is unavailable; using the keywords, chats"
                " and reviews saved on this computer (the tags people set, read from the team"
                f" journal, are not learnt from this time): {exc.message_en}"]
    return []
