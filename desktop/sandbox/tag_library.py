"""Corp tags and rule-group (strategy) tags: the rules WeCom enforces on the tag library.

Two levels (group → tag); group names unique per scope, tag names unique per group; names
of 1..30 code points (else 40072; WeCom does not say whether it counts bytes or characters,
the sandbox counts code points); duplicate names answer 40071; no empty groups; a group whose
last tag goes is deleted with it; deletions leave tombstones that only id queries show; and
only items created through the API (or generated as app-owned) may be edited or deleted,
anything made in the admin console answers 81011.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from typing import Any

from desktop.sandbox.errors import ApiError
from desktop.sandbox.ids import CORP_TAG_PREFIX, STRATEGY_TAG_PREFIX, opaque_id

MAX_NAME_LENGTH = 30
MAX_ORDER = 2**32 - 1

_new_ids = random.SystemRandom()


@dataclass(frozen=True)
class Scope:
    """Corp tags, or the tags of one rule group (all rule groups when strategy_id is None)."""

    strategy: bool
    strategy_id: int | None = None

    def covers(self, strategy_id: int | None) -> bool:
        if not self.strategy:
            return strategy_id is None
        return strategy_id is not None and self.strategy_id in (None, strategy_id)


CORP = Scope(strategy=False)


@dataclass(frozen=True)
class Group:
    key: int
    id: str
    name: str
    order: int
    create_time: int
    strategy_id: int | None
    app_owned: bool
    deleted: bool


@dataclass(frozen=True)
class Tag:
    key: int
    id: str
    group_key: int
    name: str
    order: int
    create_time: int
    app_owned: bool
    deleted: bool
    group_name: str
    strategy_id: int | None


_GROUP_COLUMNS = "key, id, name, ord, create_time, strategy_id, app_owned, deleted"
_TAG_QUERY = (
    "SELECT t.key, t.id, t.group_key, t.name, t.ord, t.create_time, t.app_owned, t.deleted,"
    " g.name, g.strategy_id FROM tag t JOIN tag_group g ON g.key = t.group_key"
)


def _group(row: tuple[Any, ...]) -> Group:
    return Group(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), bool(row[7]))


def _tag(row: tuple[Any, ...]) -> Tag:
    return Tag(
        row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), bool(row[7]), row[8], row[9]
    )


def find_group(conn: sqlite3.Connection, group_id: str) -> Group | None:
    row = conn.execute(f"SELECT {_GROUP_COLUMNS} FROM tag_group WHERE id = ?", (group_id,))
    found = row.fetchone()
    return _group(found) if found else None


def find_tag(conn: sqlite3.Connection, tag_id: str) -> Tag | None:
    found = conn.execute(f"{_TAG_QUERY} WHERE t.id = ?", (tag_id,)).fetchone()
    return _tag(found) if found else None


def tags_by_keys(conn: sqlite3.Connection, keys: list[int]) -> list[Tag]:
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    return [_tag(row) for row in conn.execute(f"{_TAG_QUERY} WHERE t.key IN ({marks})", keys)]


def live_group_by_name(conn: sqlite3.Connection, scope: Scope, name: str) -> Group | None:
    found = conn.execute(
        f"SELECT {_GROUP_COLUMNS} FROM tag_group"
        " WHERE deleted = 0 AND name = ? AND IFNULL(strategy_id, 0) = ?",
        (name, scope.strategy_id or 0),
    ).fetchone()
    return _group(found) if found else None


def live_tag_in_group(conn: sqlite3.Connection, group_key: int, name: str) -> Tag | None:
    found = conn.execute(
        f"{_TAG_QUERY} WHERE t.group_key = ? AND t.name = ? AND t.deleted = 0", (group_key, name)
    ).fetchone()
    return _tag(found) if found else None


def check_name(name: str) -> None:
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        raise ApiError(40072, f"name must have 1..{MAX_NAME_LENGTH} characters")


def check_order(order: int) -> None:
    if not 0 <= order <= MAX_ORDER:
        raise ApiError(40058, "order must be in [0, 2^32)")


# -- reading -------------------------------------------------------------------------------


def list_tag_groups(
    conn: sqlite3.Connection, scope: Scope, tag_ids: list[str], group_ids: list[str]
) -> list[dict[str, Any]]:
    """The §2.1 answer: everything live, or the groups / tags asked for with tombstones."""
    if group_ids:
        found_groups = (find_group(conn, group_id) for group_id in dict.fromkeys(group_ids))
        groups = [g for g in found_groups if g and scope.covers(g.strategy_id)]
        tags_of = {g.key: _tags_of_group(conn, g.key, with_deleted=True) for g in groups}
    elif tag_ids:
        found_tags = (find_tag(conn, tag_id) for tag_id in dict.fromkeys(tag_ids))
        tags_of = {}
        for tag in (t for t in found_tags if t and scope.covers(t.strategy_id)):
            tags_of.setdefault(tag.group_key, []).append(tag)
        groups = [g for g in (_group_by_key(conn, key) for key in tags_of) if g]
    else:
        rows = conn.execute(
            f"SELECT {_GROUP_COLUMNS} FROM tag_group"
            " WHERE deleted = 0 AND (strategy_id IS NOT NULL) = ?",
            (scope.strategy,),
        ).fetchall()
        groups = [g for g in map(_group, rows) if scope.covers(g.strategy_id)]
        tags_of = {g.key: _tags_of_group(conn, g.key, with_deleted=False) for g in groups}
    groups.sort(key=lambda g: (-g.order, g.key))
    return [
        render_group(g, sorted(tags_of[g.key], key=lambda t: (-t.order, t.key)), scope)
        for g in groups
    ]


def _group_by_key(conn: sqlite3.Connection, key: int) -> Group | None:
    found = conn.execute(f"SELECT {_GROUP_COLUMNS} FROM tag_group WHERE key = ?", (key,))
    row = found.fetchone()
    return _group(row) if row else None


def _tags_of_group(conn: sqlite3.Connection, group_key: int, *, with_deleted: bool) -> list[Tag]:
    live_only = "" if with_deleted else " AND t.deleted = 0"
    rows = conn.execute(f"{_TAG_QUERY} WHERE t.group_key = ?{live_only}", (group_key,))
    return [_tag(row) for row in rows]


def render_group(group: Group, tags: list[Tag], scope: Scope) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "group_id": group.id,
        "group_name": group.name,
        "create_time": group.create_time,
        "order": group.order,
        "deleted": group.deleted,
        "tag": [
            {
                "id": t.id,
                "name": t.name,
                "create_time": t.create_time,
                "order": t.order,
                "deleted": t.deleted,
            }
            for t in tags
        ],
    }
    if scope.strategy:
        rendered["strategy_id"] = group.strategy_id
    return rendered


# -- writing -------------------------------------------------------------------------------


def add_tags(
    conn: sqlite3.Connection,
    scope: Scope,
    *,
    group_id: str,
    group_name: str,
    group_order: int,
    tags: list[tuple[str, int]],
    now: int,
    app_owned: bool,
    cap: int,
) -> dict[str, Any]:
    """§2.2: merge by group name, ignore name/order with a group id, answer the new tags only."""
    if not tags:
        raise ApiError(40063, "tag must not be empty")
    wanted: dict[str, int] = {}
    for name, order in tags:
        check_name(name)
        check_order(order)
        wanted.setdefault(name, order)
    if group_id:
        group = find_group(conn, group_id)
        if group is None or group.deleted or not scope.covers(group.strategy_id):
            raise ApiError(40068, f"invalid group id: {group_id}")
    elif group_name:
        check_name(group_name)
        check_order(group_order)
        group = live_group_by_name(conn, scope, group_name)
    else:
        raise ApiError(40063, "group_id or group_name is required")
    if group is not None:
        for name in wanted:
            if live_tag_in_group(conn, group.key, name):
                raise ApiError(40071, name)
    live = conn.execute("SELECT COUNT(*) FROM tag WHERE deleted = 0").fetchone()[0]
    if live + len(wanted) > cap:
        raise ApiError(40058, f"tag count would exceed the corp limit of {cap}")
    prefix = STRATEGY_TAG_PREFIX if scope.strategy else CORP_TAG_PREFIX
    if group is None:
        cursor = conn.execute(
            "INSERT INTO tag_group (id, name, ord, create_time, strategy_id, app_owned)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                opaque_id(_new_ids, prefix),
                group_name,
                group_order,
                now,
                scope.strategy_id,
                int(app_owned),
            ),
        )
        group = _group_by_key(conn, int(cursor.lastrowid or 0))
        assert group is not None
    created = []
    for name, order in wanted.items():
        cursor = conn.execute(
            "INSERT INTO tag (id, group_key, name, ord, create_time, app_owned)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (opaque_id(_new_ids, prefix), group.key, name, order, now, int(app_owned)),
        )
        created.extend(tags_by_keys(conn, [int(cursor.lastrowid or 0)]))
    answer = render_group(group, created, scope)
    del answer["deleted"]
    for tag in answer["tag"]:
        del tag["deleted"]
    return answer


def edit_item(
    conn: sqlite3.Connection,
    scope: Scope,
    item_id: str,
    *,
    name: str | None,
    order: int | None,
    as_app: bool,
) -> None:
    """§2.3: rename or reorder one tag or group (the id may be either)."""
    tag = find_tag(conn, item_id)
    group = None if tag else find_group(conn, item_id)
    item = tag or group
    if item is None or item.deleted or not scope.covers(item.strategy_id):
        raise ApiError(40068, f"invalid tagid: {item_id}")
    if as_app and not item.app_owned:
        raise ApiError(81011, item_id)
    if order is not None:
        check_order(order)
    if name is not None:
        check_name(name)
        if tag is not None:
            clash = live_tag_in_group(conn, tag.group_key, name)
            if clash is not None and clash.key != tag.key:
                raise ApiError(40071, name)
        elif group is not None:
            other = live_group_by_name(conn, Scope(scope.strategy, group.strategy_id), name)
            if other is not None and other.key != group.key:
                raise ApiError(40071, name)
    table = "tag" if tag is not None else "tag_group"
    if name is not None:
        conn.execute(f"UPDATE {table} SET name = ? WHERE key = ?", (name, item.key))
    if order is not None:
        conn.execute(f"UPDATE {table} SET ord = ? WHERE key = ?", (order, item.key))


def delete_items(
    conn: sqlite3.Connection,
    scope: Scope,
    *,
    tag_ids: list[str],
    group_ids: list[str],
    as_app: bool,
) -> None:
    """§2.4: validate every id first (nothing changes on error), then tombstone."""
    if not tag_ids and not group_ids:
        raise ApiError(40063, "tag_id and group_id must not both be empty")
    tags = []
    for tag_id in dict.fromkeys(tag_ids):
        tag = find_tag(conn, tag_id)
        if tag is None or tag.deleted or not scope.covers(tag.strategy_id):
            raise ApiError(40068, f"invalid tagid: {tag_id}")
        if as_app and not tag.app_owned:
            raise ApiError(81011, tag_id)
        tags.append(tag)
    groups = []
    for group_id in dict.fromkeys(group_ids):
        group = find_group(conn, group_id)
        if group is None or group.deleted or not scope.covers(group.strategy_id):
            raise ApiError(40068, f"invalid group id: {group_id}")
        if as_app and not group.app_owned:
            raise ApiError(81011, group_id)
        groups.append(group)
    doomed = [t.key for t in tags]
    for group in groups:
        doomed.extend(t.key for t in _tags_of_group(conn, group.key, with_deleted=False))
        conn.execute("UPDATE tag_group SET deleted = 1 WHERE key = ?", (group.key,))
    conn.executemany("UPDATE tag SET deleted = 1 WHERE key = ?", [(k,) for k in doomed])
    conn.executemany("DELETE FROM relation_tag WHERE tag_key = ?", [(k,) for k in doomed])
    for group_key in {t.group_key for t in tags}:
        if not _tags_of_group(conn, group_key, with_deleted=False):
            conn.execute("UPDATE tag_group SET deleted = 1 WHERE key = ?", (group_key,))
