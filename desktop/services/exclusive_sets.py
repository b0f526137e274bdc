"""Mutually exclusive tags (已成交 vs 无效客户): team-wide sets the planner checks.

A relation that would end with two tags of one set is a conflict: previews list
it, batches skip it unless the user allows it, and the health report counts it.
Changes to the sets are journaled (source "tree"); on a team profile they are written
through to the team server first (`team_settings`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.domain.errors import UserError
from desktop.services import team_settings
from desktop.services.changes import ChangeSet
from desktop.services.tagging import TaggingService
from desktop.services.team_settings import EXCLUSIVE_SET, SettingChange
from desktop.services.workspace import Workspace
from desktop.store import journal, outbox


class ExclusiveSetError(UserError):
    """A set that cannot be saved; `str()` is one readable sentence."""


@dataclass(frozen=True)
class ExclusiveSetInfo:
    id: int
    name: str
    tag_ids: tuple[str, ...]
    tag_labels: tuple[str, ...]   # "组:名" of each tag, in the same order
    groups: tuple[str, ...]       # the names of its tags' groups, once each
    author: str                   # a team profile: who saved it first ("" unknown or solo)


class ExclusiveSets:
    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._cache = ws.cache
        self._tagging = TaggingService(ws)

    def list(self) -> list[ExclusiveSetInfo]:
        catalogue = {t.id: t for t in outbox.tag_catalogue(self._cache)}
        authors = team_settings.authors(self._cache, EXCLUSIVE_SET)
        result = []
        for set_id, name, tag_ids_json in self._cache.connection().execute(
            "SELECT id, name, tag_ids FROM exclusive_set ORDER BY id"
        ):
            tag_ids = tuple(json.loads(tag_ids_json))
            known = [catalogue[t] for t in tag_ids if t in catalogue]
            result.append(ExclusiveSetInfo(
                set_id, name, tag_ids,
                tuple(catalogue[t].label if t in catalogue else t for t in tag_ids),
                tuple(dict.fromkeys(t.group_name for t in known)), authors.get(name, "")))
        return result

    def add(self, name: str, tag_names: Sequence[str]) -> tuple[int, ChangeSet]:
        """Save a set of at least two tags (names, 组:名 or ids); returns its id."""
        name = name.strip()
        if not name:
            raise ExclusiveSetError("请给互斥标签组起个名字。 / Give the exclusive set a name.")
        if any(s.name == name for s in self.list()):
            raise ExclusiveSetError(
                f"已有名为「{name}」的互斥标签组。 / An exclusive set named {name!r} exists.")
        tag_ids = list(dict.fromkeys(self._tagging.resolve_tag_names(tag_names)))
        if len(tag_ids) < 2:
            raise ExclusiveSetError(
                "互斥标签组至少需要两个不同的标签。 / An exclusive set needs at least two"
                " different tags.")
        team_settings.write_through(self._ws, SettingChange(EXCLUSIVE_SET, name, tag_ids))
        with self._cache.write() as conn:
            cursor = conn.execute("INSERT INTO exclusive_set (name, tag_ids) VALUES (?, ?)",
                                  (name, json.dumps(tag_ids)))
            set_id = int(cursor.lastrowid or 0)
            journal.append(conn, [journal.JournalEntry(
                operator=self._ws.operator, action="exclusive_set_add", source="tree",
                tag_name=name, after=json.dumps(tag_ids))])
        return set_id, ChangeSet(prefs_changed=True, journal_appended=True)

    def remove(self, name_or_id: str) -> ChangeSet:
        match = [s for s in self.list() if s.name == name_or_id or str(s.id) == name_or_id]
        if not match:
            known = "、".join(s.name for s in self.list()) or "—"
            raise ExclusiveSetError(
                f"没有互斥标签组「{name_or_id}」（已有：{known}）。"
                f" / No exclusive set {name_or_id!r} (known: {known}).")
        found = match[0]
        team_settings.write_through(self._ws, SettingChange(EXCLUSIVE_SET, found.name, None))
        with self._cache.write() as conn:
            conn.execute("DELETE FROM exclusive_set WHERE id = ?", (found.id,))
            journal.append(conn, [journal.JournalEntry(
                operator=self._ws.operator, action="exclusive_set_remove", source="tree",
                tag_name=found.name, before=json.dumps(list(found.tag_ids)))])
        return ChangeSet(prefs_changed=True, journal_appended=True)
