"""Loading the names a filter can refer to (tags, groups, members, departments, channels).

Deleted tags and tags of deleted groups are left out: a filter cannot name them.
Owners that appear on relations but are no longer members stay addressable by userid.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

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


def load_catalogue(conn: sqlite3.Connection,
                   directory: FilterCatalogue | None = None) -> FilterCatalogue:
    """The names in the cache; with `directory`, its members, departments and channels
    are taken as they are and only tags and groups are read."""
    groups = [GroupEntry(str(gid), str(name)) for gid, name in conn.execute(
        "SELECT id, name FROM tag_group WHERE deleted = 0"
    )]
    group_names = {group.id: group.name for group in groups}
    tags = [
        TagEntry(int(pk), str(name), str(gid), group_names[gid])
        for pk, name, gid in conn.execute("SELECT pk, name, group_id FROM tag WHERE deleted = 0")
        if gid in group_names
    ]
    if directory is not None:
        return FilterCatalogue(tags, groups, directory.members, directory.departments,
                               directory.channels)
    memberships: dict[str, list[int]] = defaultdict(list)
    for userid, department_id in conn.execute(
        "SELECT userid, department_id FROM member_department"
    ):
        memberships[userid].append(int(department_id))
    members = [
        MemberEntry(str(userid), str(name), tuple(memberships.get(userid, ())))
        for userid, name in conn.execute("SELECT userid, name FROM member")
    ]
    known = {member.userid for member in members}
    members += [
        MemberEntry(str(userid)) for (userid,) in conn.execute(OWNERS) if userid not in known
    ]
    departments = [
        DepartmentEntry(int(did), str(name), int(parent))
        for did, name, parent in conn.execute("SELECT id, name, parent_id FROM department")
    ]
    channels = [
        ChannelEntry(str(state), str(remark))
        for state, remark in conn.execute("SELECT state, remark FROM contact_way")
    ]
    return FilterCatalogue(tags, groups, members, departments, channels)
