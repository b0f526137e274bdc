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
from collections.abc import Iterable, Mapping, Sequence

from desktop.services import team_chats, team_settings
from desktop.services.progress import ProgressCallback, no_progress
from desktop.services.team import TeamServerError, team_call
from desktop.services.team_settings import SettingChange
from desktop.services.workspace import Workspace
from desktop.store import autotag_settings, chats
from desktop.store.autotag_settings import Review

KEYWORDS_KIND = team_settings.AUTOTAG_KEYWORDS
REVIEWS_PATH = "tagdesk/v1/autotag/reviews"
FETCHED_UP_TO_KEY = "team_autotag_reviews_after_id"
SETTING_CHANGES = 100          # the server's limit per settings request
PUSH_CHUNK = 1_000


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


def push_reviews(ws: Workspace, reviews: Sequence[Review]) -> int:
    """Record verdicts on the team server (its user and time), then copy the team's new
    verdicts, these included, into the cache; returns how many were recorded."""
    keys = chats.keys_of(ws.cache, {m for r in reviews for m in r.message_ids})
    records = [{"external_userid": r.external_userid, "userid": r.userid, "tag": r.tag_name,
                "verdict": r.verdict, "msg_keys": [keys[m] for m in r.message_ids if m in keys]}
               for r in reviews]
    session = team_settings._session(ws)
    for start in range(0, len(records), PUSH_CHUNK):
        team_call("POST", ws.profile.team_url, REVIEWS_PATH,
                  {"reviews": records[start:start + PUSH_CHUNK]}, {"access_token": session})
    team_chats.fetch(ws)        # the messages of colleagues' verdicts, before those
    fetch_reviews(ws, session)
    return len(records)


def fetch_reviews(ws: Workspace, session: str) -> int:
    """Copy the team's verdicts this cache has not seen into it; returns how many."""
    after_id = int(ws.cache.get_meta(FETCHED_UP_TO_KEY, "0") or 0)
    fetched = 0
    while True:
        answer = team_call("GET", ws.profile.team_url, REVIEWS_PATH, None,
                           {"access_token": session, "after_id": after_id})
        page = [r for r in answer.get("reviews") or [] if isinstance(r, dict)]
        if page:
            ids = chats.ids_of_keys(ws.cache, {str(k) for r in page for k in r["msg_keys"]})
            rows = [(float(r["ts"]), str(r["operator"]), str(r["external_userid"]),
                     str(r["userid"]), str(r["tag"]), str(r["verdict"]),
                     json.dumps([ids[str(k)] for k in r["msg_keys"] if str(k) in ids]))
                    for r in page]
            after_id = int(page[-1]["id"])
            with ws.cache.write() as conn:
                autotag_settings.insert_reviews(conn, rows)
                ws.cache.set_meta(conn, FETCHED_UP_TO_KEY, str(after_id))
            fetched += len(rows)
        if not isinstance(answer.get("next_after_id"), int):
            return fetched


def refresh(ws: Workspace, progress: ProgressCallback = no_progress) -> list[str]:
    """Bring the team's keywords, chats and verdicts into the cache; when the server cannot
    be reached, one sentence saying the copy on this computer is used."""
    try:
        team_settings.pull(ws)
        team_chats.fetch(ws, progress)
        fetch_reviews(ws, team_settings._session(ws))
    except TeamServerError as exc:
        return [f"团队服务器不可用，使用本机保存的关键词、聊天和审阅（团队日志中有人设置的标签这次不参与学习）："
                f"{exc.message_zh} / The team server is unavailable; using the keywords, chats"
                " and reviews saved on this computer (the tags people set, read from the team"
                f" journal, are not learnt from this time): {exc.message_en}"]
    return []
