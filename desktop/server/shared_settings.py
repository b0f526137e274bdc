"""Shared team settings: abbreviations, exclusive sets, suggested favourites, team saved
filters, auto-tagging keywords per tag, and each user's own favourites, kept in PostgreSQL
for every desktop.

Each item is one row of `team_setting`, keyed by (owner, kind, key): the owner is "" for the
team and a userid for that user's own items. Every write takes the next number of the
one-row `team_setting_head` (locked until commit, so numbers are handed out in commit order)
and stamps it on the items it changes: a desktop that polls `since=N` gets exactly what
changed after N, deletions included (a deleted item keeps its row with a null value). The
last writer of an item wins. Team items are journaled in the team journal in the same
transaction (source `settings`, operator = the logged-in user), so a supervisor sees who
changed an abbreviation; a user's own favourites are not. An abbreviation already used by
another tag is refused.

Each item remembers its author (who saved it while it did not exist). An exclusive set or a
team saved filter is deleted or overwritten only by its author, an administrator or, for a set
whose tags all lie in groups a department owns, that department's head
(`desktop.domain.governance.decide_shared_item`); anyone else gets HTTP 403 with errcode
9001010 and one sentence naming who may, and nothing of the request is saved. That is decided
before the head row is locked, since it may read WeCom (the directory, the tags' groups), so
no other write waits for those calls; under the lock each item decided must still be as it
was, else it is decided again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import Connection
from psycopg.types.json import Jsonb

from desktop.domain.bilingual import both
from desktop.domain.governance import (
    SHARED_ITEMS,
    Actor,
    OrgChart,
    Policy,
    Verdict,
    decide_shared_item,
)
from desktop.server import team_journal
from desktop.server.identity import Caller
from desktop.server.relay import TagNames
from desktop.server.request_refused import RequestRefused
from desktop.server.setting_rows import SOURCE, TEAM
from desktop.services.autotag_keywords import KeywordsError, checked_keywords
from desktop.services.tag_admin import TagAdminError, check_abbreviation
from desktop.store.journal import JournalEntry
from desktop.wecom.error_codes import TEAM_NOT_ALLOWED, TEAM_REQUEST_REFUSED
from desktop.wecom.errors import WeComError, WeComNetworkError
from desktop.wecom.transport import WeComTransport

log = logging.getLogger("tagdesk.server")

MAX_CHANGES = 100
CHECK_ATTEMPTS = 3   # decisions made again when the items change between decision and lock
MAX_KEY_LEN = 200
MAX_FILTER_LEN = 4000
MAX_TAG_LIST = 200
INVALID_PARAMETER = 40058
FORBIDDEN = 403

Standing = Callable[[str], tuple[Policy, OrgChart, Actor]]   # a userid's policy, chart, roles

Conn = Connection[tuple[object, ...]]
ItemKey = tuple[str, str, str]       # (owner, kind, key)
Item = tuple[object | None, str]     # (value, author)
ConnectionFactory = Callable[[], AbstractContextManager[Conn]]


class SettingRefused(RequestRefused):
    """A change that is not saved (nothing of its request is); errmsg says why."""

    def __init__(self, errmsg: str) -> None:
        super().__init__(INVALID_PARAMETER, errmsg)


def _text(value: object, what: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingRefused(f"{what} must be a non-empty string")
    if len(value) > limit:
        raise SettingRefused(f"{what} is longer than {limit} characters")
    return value.strip()


def _tag_ids(value: object, what: str, minimum: int = 0) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_TAG_LIST:
        raise SettingRefused(f"{what} must be a list of at most {MAX_TAG_LIST} tag ids")
    ids = list(dict.fromkeys(_text(v, "a tag id", MAX_KEY_LEN) for v in value))
    if len(ids) < minimum:
        raise SettingRefused(f"{what} needs at least {minimum} different tag ids")
    return ids


def _abbreviation(value: object) -> str:
    if not isinstance(value, str):
        raise SettingRefused("an abbreviation must be a string")
    try:
        return check_abbreviation(value, {})
    except TagAdminError as exc:
        raise SettingRefused(exc.en) from None


def _keywords(value: object) -> list[str]:
    try:
        return checked_keywords(value)
    except KeywordsError as exc:
        raise SettingRefused(exc.message_en) from None


@dataclass(frozen=True)
class Kind:
    """One kind of setting: whose it is, how its value is checked, how it is journaled."""

    team: bool
    check: Callable[[object], object]
    keyed: bool = True           # False: one item per owner, key ""
    saved_action: str = ""
    removed_action: str = ""


KINDS: dict[str, Kind] = {
    "abbreviation": Kind(True, _abbreviation, saved_action="abbreviation_set",
                         removed_action="abbreviation_set"),
    "exclusive_set": Kind(True, lambda v: _tag_ids(v, "an exclusive set", 2),
                          saved_action="exclusive_set_add", removed_action="exclusive_set_remove"),
    "saved_filter": Kind(True, lambda v: _text(v, "a filter", MAX_FILTER_LEN),
                         saved_action="saved_filter_save", removed_action="saved_filter_remove"),
    "suggested_favourites": Kind(True, lambda v: _tag_ids(v, "suggested favourites"),
                                 keyed=False, saved_action="suggested_favourites_set",
                                 removed_action="suggested_favourites_set"),
    "favourites": Kind(False, lambda v: _tag_ids(v, "favourites"), keyed=False),
    "autotag_keywords": Kind(True, _keywords, saved_action="autotag_keywords_set",
                             removed_action="autotag_keywords_remove"),
}


@dataclass(frozen=True)
class Change:
    owner: str
    kind: str
    key: str
    value: object | None       # None: delete the item


def parse_changes(body: Mapping[str, Any], caller: Caller) -> list[Change]:
    """The request's changes, checked all at once (one bad change refuses them all)."""
    raw = body.get("changes")
    if not isinstance(raw, list) or not raw:
        raise SettingRefused("changes must be a non-empty list")
    if len(raw) > MAX_CHANGES:
        raise SettingRefused(f"at most {MAX_CHANGES} changes per request")
    changes: dict[tuple[str, str, str], Change] = {}
    for item in raw:
        if not isinstance(item, dict):
            raise SettingRefused("each change must be an object")
        kind_name = item.get("kind")
        kind = KINDS.get(kind_name) if isinstance(kind_name, str) else None
        if kind is None or not isinstance(kind_name, str):
            raise SettingRefused(f"unknown kind of setting: {str(kind_name)[:40]!r}")
        key = _text(item.get("key"), "key", MAX_KEY_LEN) if kind.keyed else ""
        value = item.get("value")
        checked = None if value is None else kind.check(value)
        if checked == "":  # an abbreviation cleared
            checked = None
        owner = TEAM if kind.team else caller.userid
        changes[(owner, kind_name, key)] = Change(owner, kind_name, key, checked)
    return list(changes.values())


def _item(row: tuple[object, ...]) -> dict[str, object]:
    owner, kind, key, value, version, updated_by, updated_at, author = row
    assert isinstance(updated_at, datetime)
    return {"scope": "user" if owner else "team", "kind": kind, "key": key, "value": value,
            "version": version, "updated_by": updated_by,
            "updated_at": updated_at.isoformat(timespec="seconds"), "author": author}


_COLUMNS = "owner, kind, key, value, version, updated_by, updated_at, author"


class SharedSettings:
    def __init__(self, connection: ConnectionFactory, transport: WeComTransport,
                 standing: Standing) -> None:
        self._connection = connection
        self._names = TagNames(transport)
        self._standing = standing

    def changed_since(self, caller: Caller, since: int) -> dict[str, object]:
        """The team's items and the caller's own changed after version `since`."""
        with self._connection() as conn, conn.transaction():
            head = conn.execute("SELECT version FROM team_setting_head").fetchone()
            assert head is not None, "the migration creates the head row"
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM team_setting WHERE version > %s"
                " AND owner IN (%s, %s) ORDER BY version, kind, key".encode(),
                (since, TEAM, caller.userid),
            ).fetchall()
        items = [_item(row) for row in rows]
        version = max([int(str(head[0]))] + [int(str(item["version"])) for item in items])
        return {"version": version, "items": items}

    def write(self, caller: Caller, changes: list[Change]) -> dict[str, object]:
        """Save `changes` under one new version; answers that version and the items saved
        (an item whose value is already the one asked for keeps its version). Whether the
        caller may overwrite or delete someone else's item is decided before the head row
        is locked (it may ask WeCom); under the lock each such item must still be as it was
        when decided, else it is decided again (at most CHECK_ATTEMPTS times)."""
        abbreviated = [c.key for c in changes if c.kind == "abbreviation"]
        names = self._names.lookup(abbreviated) if abbreviated else {}
        for _attempt in range(CHECK_ATTEMPTS):
            allowed = self._allowed(caller, changes)
            try:
                return self._save(caller, changes, names, allowed)
            except _ChangedMeanwhile:
                log.info("settings: an item %s changes was changed meanwhile; checking again",
                         caller.userid)
        raise RequestRefused(TEAM_REQUEST_REFUSED, both(
            "这些团队设置正被他人同时修改，请稍后重试",
            "These team settings are being changed by someone else at the same time; try"
            " again later"))

    def _allowed(self, caller: Caller, changes: list[Change]) -> dict[ItemKey, Item]:
        """Refuse (403) the changes the caller may not make to someone else's items; the
        items decided, as they were read (no lock held)."""
        allowed: dict[ItemKey, Item] = {}
        with self._connection() as conn:
            current = [(change, _current(conn, change, lock=False)) for change in changes]
        for change, (before, author) in current:
            if _someone_elses(caller, change, before, author):
                self._refuse_unless_allowed(caller, change, author, before)
                allowed[_key(change)] = (before, author)
        return allowed

    def _save(self, caller: Caller, changes: list[Change], names: Mapping[str, tuple[str, str]],
              allowed: Mapping[ItemKey, Item]) -> dict[str, object]:
        """Write `changes` in one transaction; raises _ChangedMeanwhile (nothing written)
        when an item of someone else's is not as it was when `allowed`."""
        with self._connection() as conn, conn.transaction():
            head = conn.execute(
                "UPDATE team_setting_head SET version = version + 1 RETURNING version"
            ).fetchone()
            assert head is not None, "the migration creates the head row"
            version = int(str(head[0]))
            saved: list[dict[str, object]] = []
            entries: list[JournalEntry] = []
            for change in changes:
                before, author = _current(conn, change, lock=True)
                if (_someone_elses(caller, change, before, author)
                        and allowed.get(_key(change)) != (before, author)):
                    raise _ChangedMeanwhile
                if before == change.value:
                    continue
                if change.kind == "abbreviation" and isinstance(change.value, str):
                    _refuse_taken_abbreviation(conn, change.key, change.value)
                row = conn.execute(
                    "INSERT INTO team_setting (owner, kind, key, value, version, updated_by,"
                    " device_id, author) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (owner, kind, key) DO UPDATE SET value = excluded.value,"
                    " version = excluded.version, updated_by = excluded.updated_by,"
                    " device_id = excluded.device_id, updated_at = now(),"
                    " author = CASE WHEN team_setting.value IS NULL THEN excluded.author"
                    " ELSE team_setting.author END"
                    f" RETURNING {_COLUMNS}".encode(),
                    (change.owner, change.kind, change.key,
                     None if change.value is None else Jsonb(change.value), version,
                     caller.userid, caller.device_id, caller.userid),
                ).fetchone()
                assert row is not None
                saved.append(_item(row))
                if KINDS[change.kind].team:
                    entries.append(_entry(caller, change, before, names))
            team_journal.append(conn, entries, None)
        log.info("settings version %d: %d of %d items changed by %s", version, len(saved),
                 len(changes), caller.userid)
        return {"version": version, "items": saved}

    def _refuse_unless_allowed(self, caller: Caller, change: Change, author: str,
                               before: object) -> None:
        """Refuse (403) deleting or overwriting someone else's set or filter unless the caller
        is an administrator or heads the departments owning the set's groups."""
        tag_ids = [str(t) for t in before] if isinstance(before, list) else []
        try:
            policy, chart, actor = self._standing(caller.userid)
            names = self._names.lookup(tag_ids) if tag_ids and not actor.admin else {}
        except (WeComError, WeComNetworkError):
            raise RequestRefused(
                TEAM_REQUEST_REFUSED, "暂时无法从企业微信读取你的部门和角色，请稍后重试"
                " / Your departments and roles cannot be read from WeCom now; try again later"
            ) from None
        decision = decide_shared_item(policy, chart, actor, change.kind, change.key, author,
                                      [group for _tag, group in names.values() if group])
        if decision.verdict is not Verdict.ALLOW:
            log.info("settings: %s may not change %s %r of %s", caller.userid, change.kind,
                     change.key, author)
            raise RequestRefused(TEAM_NOT_ALLOWED, decision.sentence, FORBIDDEN)


class _ChangedMeanwhile(Exception):
    """An item of someone else's changed between the decision and the lock."""


def _key(change: Change) -> ItemKey:
    return change.owner, change.kind, change.key


def _current(conn: Conn, change: Change, *, lock: bool) -> Item:
    """The item's value now (None: there is none) and its author; `lock`: locked until the
    transaction ends."""
    row = conn.execute(
        "SELECT value, author FROM team_setting WHERE owner = %s AND kind = %s AND key = %s"
        + (" FOR UPDATE" if lock else ""), (change.owner, change.kind, change.key),
    ).fetchone()
    return (row[0], str(row[1])) if row is not None else (None, "")


def _someone_elses(caller: Caller, change: Change, before: object | None, author: str) -> bool:
    """Does `change` overwrite or delete a shared item someone else saved?"""
    return (before is not None and before != change.value and change.kind in SHARED_ITEMS
            and author != caller.userid)


def _refuse_taken_abbreviation(conn: Conn, tag_id: str, code: str) -> None:
    """Abbreviations are unique across the team, ignoring case (writes take turns on the
    head row, so two desktops cannot both take one code)."""
    row = conn.execute(
        "SELECT key FROM team_setting WHERE owner = '' AND kind = 'abbreviation'"
        " AND key <> %s AND lower(value #>> '{}') = lower(%s)", (tag_id, code),
    ).fetchone()
    if row is not None:
        raise SettingRefused(f"the abbreviation {code} is already used by tag {row[0]}")


def _entry(caller: Caller, change: Change, before: object | None,
           names: Mapping[str, tuple[str, str]]) -> JournalEntry:
    kind = KINDS[change.kind]
    action = kind.removed_action if change.value is None else kind.saved_action
    tag_name, group_name = names.get(change.key, ("", ""))

    def text(value: object | None) -> str:
        return "" if value is None else json.dumps(value, ensure_ascii=False)

    return JournalEntry(
        operator=caller.userid, action=action, source=SOURCE,
        tag_id=change.key if change.kind == "abbreviation" else "",
        tag_name=tag_name if change.kind == "abbreviation" else change.key,
        group_name=group_name, before=text(before), after=text(change.value),
    )
