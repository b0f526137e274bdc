"""Shared team settings on a team profile: the team server holds them, the cache keeps a copy.

On a team profile the abbreviations, exclusive sets, team saved filters, suggested
favourites and auto-tagging keywords are the team's, and the user's own favourites follow the
user to any computer: every edit is written to the team server first (`write_through`; refused with one sentence
when the server cannot take it, so nothing changes locally either), then to the cache. The
desktop polls: `pull` asks `GET /tagdesk/v1/settings?since=VERSION` for what changed after
the last version it saw and applies it to the cache in one transaction, so a desktop that
cannot reach the server keeps working with its cached copy. On a solo profile nothing here
runs: the settings stay local as before.

The cache also keeps who wrote each exclusive set and team saved filter first (its author):
only they, a head of the set's groups' department or an administrator may delete or overwrite
it (the server decides; the window greys out what it would refuse).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from desktop.domain.errors import UserError
from desktop.domain.governance import SHARED_ITEMS
from desktop.services.changes import ChangeSet
from desktop.services.tag_catalog import TagCatalog
from desktop.services.team import TeamServerError, _exchange
from desktop.services.workspace import Workspace
from desktop.store.db import Cache
from desktop.wecom.error_codes import GETTOKEN_PATH, describe
from desktop.wecom.errors import WeComError, WeComNetworkError

SETTINGS_PATH = "tagdesk/v1/settings"
MAX_NAME_LEN = 200             # the team server's limits (desktop.server.shared_settings)
MAX_FILTER_LEN = 4000
INVALID_PARAMETER = 40058      # the server refused a value (an abbreviation taken meanwhile)
VERSION_KEY = "team_settings_version"
SAVED_FILTERS_KEY = "team_saved_filters"
SUGGESTED_KEY = "team_suggested_favourites"
AUTHORS_KEY = "team_item_authors"    # {"exclusive_set": {name: userid}, "saved_filter": {...}}

ABBREVIATION = "abbreviation"
EXCLUSIVE_SET = "exclusive_set"
SAVED_FILTER = "saved_filter"
SUGGESTED_FAVOURITES = "suggested_favourites"
FAVOURITES = "favourites"
AUTOTAG_KEYWORDS = "autotag_keywords"


@dataclass(frozen=True)
class SettingChange:
    """One item to save on the team server; `value` None deletes it."""

    kind: str
    key: str
    value: object | None

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "key": self.key, "value": self.value}


@dataclass(frozen=True)
class PullResult:
    applied: int          # items that changed since the last pull
    version: int          # the server's settings version now in the cache
    changes: ChangeSet


def is_team(ws: Workspace) -> bool:
    return ws.profile.is_team


def write_through(ws: Workspace, *changes: SettingChange) -> None:
    """Save `changes` on the team server (a team profile; a solo one has nothing to do).
    Raises TeamServerError when the server refuses or cannot be reached."""
    if not is_team(ws):
        return
    data = _exchange("POST", ws.profile.team_url, SETTINGS_PATH,
                     {"changes": [c.as_json() for c in changes]}, {"access_token": _session(ws)})
    authored = [i for i in data.get("items") or []
                if isinstance(i, dict) and i.get("kind") in SHARED_ITEMS]
    if authored:
        with ws.cache.write() as conn:
            for item in authored:
                _remember_author(conn, ws.cache, item)


def pull(ws: Workspace) -> PullResult:
    """Apply to the cache what changed on the team server since the last pull."""
    since = int(ws.cache.get_meta(VERSION_KEY, "0") or 0)
    session = _session(ws)
    data = _exchange("GET", ws.profile.team_url, SETTINGS_PATH, None,
                     {"access_token": session, "since": since})
    if int(data.get("version", since)) < since:  # a new team database: read it all again
        data = _exchange("GET", ws.profile.team_url, SETTINGS_PATH, None,
                         {"access_token": session, "since": 0})
    items = [i for i in data.get("items") or [] if isinstance(i, dict)]
    version = int(data.get("version", 0))
    if not items and version == since:  # the usual answer: nothing to write
        return PullResult(0, version, ChangeSet())
    with ws.cache.write() as conn:
        for item in items:
            _apply(conn, ws, item)
        ws.cache.set_meta(conn, VERSION_KEY, str(version))
    return PullResult(len(items), version, ChangeSet(prefs_changed=bool(items)))


def team_abbreviations(ws: Workspace) -> dict[str, str]:
    """Tag id → abbreviation as the team server has them now (read, not applied)."""
    data = _exchange("GET", ws.profile.team_url, SETTINGS_PATH, None,
                     {"access_token": _session(ws), "since": 0})
    return {str(i.get("key")): str(i["value"]) for i in data.get("items") or []
            if isinstance(i, dict) and i.get("kind") == ABBREVIATION
            and isinstance(i.get("value"), str)}


def author(cache: Cache, kind: str, key: str) -> str:
    """Who saved the team's exclusive set or saved filter `key` first ("" when not known)."""
    return authors(cache, kind).get(key, "")


def authors(cache: Cache, kind: str) -> dict[str, str]:
    """Who saved each of the team's exclusive sets or saved filters first, by name (those
    known)."""
    value = _json_value(cache.get_meta(AUTHORS_KEY))
    found = value.get(kind) if isinstance(value, dict) else None
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def saved_filters(cache: Cache) -> list[tuple[str, str]]:
    """The team's saved filters cached on this desktop, (name, expression) by name."""
    return sorted(_json_dict(cache.get_meta(SAVED_FILTERS_KEY)).items())


def save_filter(ws: Workspace, name: str, text: str) -> ChangeSet:
    """Save (or overwrite) a filter for the whole team."""
    name, text = name.strip(), text.strip()
    if not name or not text:
        raise UserError("团队筛选需要名称和筛选条件。", "A team filter needs a name and a filter.")
    if len(name) > MAX_NAME_LEN or len(text) > MAX_FILTER_LEN:
        raise UserError(f"筛选名称最多 {MAX_NAME_LEN} 个字符，筛选条件最多 {MAX_FILTER_LEN} 个字符。",
                        f"A filter's name has at most {MAX_NAME_LEN} characters and its"
                        f" expression at most {MAX_FILTER_LEN}.")
    write_through(ws, SettingChange(SAVED_FILTER, name, text))
    _update_filters(ws.cache, name, text)
    return ChangeSet(prefs_changed=True)


def remove_filter(ws: Workspace, name: str) -> ChangeSet:
    write_through(ws, SettingChange(SAVED_FILTER, name, None))
    _update_filters(ws.cache, name, None)
    return ChangeSet(prefs_changed=True)


def suggested_favourites(cache: Cache) -> list[str]:
    """The tag ids the team suggests as favourites, in their order."""
    value = _json_value(cache.get_meta(SUGGESTED_KEY))
    return [str(v) for v in value] if isinstance(value, list) else []


def suggest_favourites(ws: Workspace, tag_ids: Iterable[str]) -> ChangeSet:
    """Suggest these tags, in this order, as favourites to the whole team."""
    ordered = list(dict.fromkeys(tag_ids))
    write_through(ws, SettingChange(SUGGESTED_FAVOURITES, "", ordered))
    with ws.cache.write() as conn:
        ws.cache.set_meta(conn, SUGGESTED_KEY, json.dumps(ordered))
    return ChangeSet(prefs_changed=True)


def adopt_suggested_favourites(ws: Workspace) -> ChangeSet:
    """Add the team's suggested favourites the user has not pinned yet after the user's own
    (tags deleted since are left out)."""
    userid = ws.operator
    current = TagCatalog(ws.cache).pins(userid)
    live = {str(row[0]) for row in ws.cache.connection().execute(
        "SELECT id FROM tag WHERE deleted = 0")}
    wanted = [*current, *(t for t in suggested_favourites(ws.cache)
                          if t in live and t not in current)]
    if wanted == current:
        return ChangeSet()
    write_through(ws, SettingChange(FAVOURITES, "", wanted))
    with ws.cache.write() as conn:
        _store_pins(conn, userid, wanted)
    return ChangeSet(prefs_changed=True)


def _session(ws: Workspace) -> str:
    """The session token of the desktop's login, asked for once (no retries: a poll that
    cannot reach the server says so at once and tries again later)."""
    from desktop.wecom.client import WeComClient

    policy = replace(ws.limits, max_retries=0)
    client = WeComClient.over(ws.transport(), policy=policy, team_url=ws.profile.team_url)
    try:
        return client.get_token()
    except WeComNetworkError as err:
        raise TeamServerError(err.explanation_zh, err.explanation_en) from None
    except WeComError as err:
        info = describe(err.errcode, GETTOKEN_PATH, err.errmsg)
        raise TeamServerError(f"{info.zh}（errcode {err.errcode}）",
                              f"{info.en} (errcode {err.errcode})", err.errcode) from None


def _remember_author(conn: sqlite3.Connection, cache: Cache, item: Mapping[str, Any]) -> None:
    value = _json_value(_meta(conn, AUTHORS_KEY))
    authors = value if isinstance(value, dict) else {}
    of_kind = authors.setdefault(str(item.get("kind")), {})
    if item.get("value") is None:
        of_kind.pop(str(item.get("key", "")), None)
    else:
        of_kind[str(item.get("key", ""))] = str(item.get("author") or "")
    cache.set_meta(conn, AUTHORS_KEY, json.dumps(authors, ensure_ascii=False))


def _apply(conn: sqlite3.Connection, ws: Workspace, item: Mapping[str, Any]) -> None:
    kind, key, value = item.get("kind"), str(item.get("key", "")), item.get("value")
    if kind in SHARED_ITEMS:
        _remember_author(conn, ws.cache, item)
    if kind == ABBREVIATION:
        conn.execute(
            "INSERT INTO tag_meta (tag_id, abbreviation) VALUES (?, ?)"
            " ON CONFLICT(tag_id) DO UPDATE SET abbreviation = excluded.abbreviation",
            (key, value if isinstance(value, str) else ""),
        )
    elif kind == EXCLUSIVE_SET:
        conn.execute("DELETE FROM exclusive_set WHERE name = ?", (key,))
        if isinstance(value, list):
            conn.execute("INSERT INTO exclusive_set (name, tag_ids) VALUES (?, ?)",
                         (key, json.dumps([str(v) for v in value])))
    elif kind == SAVED_FILTER:
        filters = _json_dict(_meta(conn, SAVED_FILTERS_KEY))
        _set_or_drop(filters, key, value if isinstance(value, str) else None)
        ws.cache.set_meta(conn, SAVED_FILTERS_KEY, json.dumps(filters, ensure_ascii=False))
    elif kind == SUGGESTED_FAVOURITES:
        ws.cache.set_meta(conn, SUGGESTED_KEY, json.dumps(value if isinstance(value, list)
                                                          else []))
    elif kind == AUTOTAG_KEYWORDS:
        conn.execute("DELETE FROM autotag_keywords WHERE tag_name = ?", (key,))
        if isinstance(value, list):
            conn.execute("INSERT INTO autotag_keywords (tag_name, keywords) VALUES (?, ?)",
                         (key, json.dumps([str(v) for v in value], ensure_ascii=False)))
    elif kind == FAVOURITES and item.get("scope") == "user":
        _store_pins(conn, ws.profile.userid,
                    [str(v) for v in value] if isinstance(value, list) else [])


def _store_pins(conn: sqlite3.Connection, userid: str, ordered: list[str]) -> None:
    conn.execute("DELETE FROM tag_pin WHERE userid = ?", (userid,))
    conn.executemany("INSERT OR IGNORE INTO tag_pin (userid, tag_id, position) VALUES (?, ?, ?)",
                     [(userid, tag_id, position) for position, tag_id in enumerate(ordered)])


def _update_filters(cache: Cache, name: str, text: str | None) -> None:
    with cache.write() as conn:
        filters = _json_dict(_meta(conn, SAVED_FILTERS_KEY))
        _set_or_drop(filters, name, text)
        cache.set_meta(conn, SAVED_FILTERS_KEY, json.dumps(filters, ensure_ascii=False))


def _set_or_drop(filters: dict[str, str], name: str, text: str | None) -> None:
    if text is None:
        filters.pop(name, None)
    else:
        filters[name] = text


def _meta(conn: sqlite3.Connection, key: str) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row is not None else ""


def _json_value(text: str) -> object:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _json_dict(text: str) -> dict[str, str]:
    value = _json_value(text)
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
