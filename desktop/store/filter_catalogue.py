"""Loading the names a filter can refer to (tags, groups, members, departments, channels).

Deleted tags and tags of deleted groups are left out: a filter cannot name them.
Owners that appear on relations but are no longer members stay addressable by userid.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

from desktop.domain.filter import (
    ChannelEntry,
    DepartmentEntry,
    FilterCatalogue,
    GroupEntry,
    MemberEntry,
    TagEntry,
)

LIVE_TAG_PKS = (
    "SELECT t.pk FROM tag t JOIN tag_group g ON g.id = t.group_id"
    " WHERE t.deleted = 0 AND g.deleted = 0"
)

OWNERS = (  # each relation owner once: a probe of the owner index per owner, not a scan
    "WITH RECURSIVE owner(userid) AS (SELECT min(userid) FROM relation UNION ALL"
    " SELECT (SELECT min(userid) FROM relation WHERE userid > owner.userid) FROM owner"
    " WHERE owner.userid IS NOT NULL) SELECT userid FROM owner WHERE userid IS NOT NULL"
)


_Rows = tuple[list[tuple[Any, ...]], ...]
_last: tuple[_Rows, FilterCatalogue] | None = None
"""The catalogue built last in this process and the rows it was built from: a filter
engine's new version (a sync, a tagging write) usually has the same names, and reading
them costs far less than building the catalogue's indexes (~1.7 against ~4 ms at 1,500 tags)."""


def load_catalogue(conn: sqlite3.Connection,
                   directory: FilterCatalogue | None = None) -> FilterCatalogue:
    """The names in the cache; with `directory`, its members, departments and channels
    are taken as they are and only tags and groups are read."""
    group_rows = conn.execute("SELECT id, name FROM tag_group WHERE deleted = 0").fetchall()
    tag_rows = conn.execute("SELECT pk, name, group_id FROM tag WHERE deleted = 0").fetchall()
    if directory is not None:
        groups, tags = _tags(group_rows, tag_rows)
        return FilterCatalogue(tags, groups, directory.members, directory.departments,
                               directory.channels)
    rows: _Rows = (
        group_rows, tag_rows,
        conn.execute("SELECT userid, department_id FROM member_department").fetchall(),
        conn.execute("SELECT userid, name FROM member").fetchall(),
        conn.execute(OWNERS).fetchall(),
        conn.execute("SELECT id, name, parent_id FROM department").fetchall(),
        conn.execute("SELECT state, remark FROM contact_way").fetchall(),
    )
    global _last
    last = _last
    if last is not None and last[0] == rows:
        return last[1]
    catalogue = _build(rows)
    _last = (rows, catalogue)
    return catalogue


def _tags(group_rows: list[tuple[Any, ...]], tag_rows: list[tuple[Any, ...]],
          ) -> tuple[list[GroupEntry], list[TagEntry]]:
    groups = [GroupEntry(str(gid), str(name)) for gid, name in group_rows]
    group_names = {group.id: group.name for group in groups}
    tags = [TagEntry(int(pk), str(name), str(gid), group_names[gid])
            for pk, name, gid in tag_rows if gid in group_names]
    return groups, tags


def _build(rows: _Rows) -> FilterCatalogue:
    group_rows, tag_rows, membership_rows, member_rows, owner_rows, department_rows, \
        channel_rows = rows
    groups, tags = _tags(group_rows, tag_rows)
    memberships: dict[str, list[int]] = defaultdict(list)
    for userid, department_id in membership_rows:
        memberships[userid].append(int(department_id))
    members = [MemberEntry(str(userid), str(name), tuple(memberships.get(userid, ())))
               for userid, name in member_rows]
    known = {member.userid for member in members}
    members += [MemberEntry(str(userid)) for (userid,) in owner_rows if userid not in known]
    departments = [DepartmentEntry(int(did), str(name), int(parent))
                   for did, name, parent in department_rows]
    channels = [ChannelEntry(str(state), str(remark)) for state, remark in channel_rows]
    return FilterCatalogue(tags, groups, members, departments, channels)
