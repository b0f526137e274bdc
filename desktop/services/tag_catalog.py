"""Reading the tag library from the cache: tags with counts, groups, personal tags, pins.

Everything here only reads, so the GUI can call it from any worker thread while the writer
thread changes the tree. `TagAdminService` builds on it for every change.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from desktop.domain.tag_names import NameCheck, name_key, validate_group_name, validate_tag_name
from desktop.domain.tag_tree import TagTree, build_tag_tree
from desktop.domain.tags import GroupInfo, TagInfo, TagKind
from desktop.store.db import Cache
from desktop.store.in_chunks import placeholders, rows_in

READ_ONLY_KEY = "tag_admin_read_only_ids"
"""Meta key: JSON list of tag and group ids WeCom answered 81011 for, and `strategy:<id>` for
rule groups made in the admin console (81011 on any of their tags)."""
PERSONAL_PREFIX = "personal:"
UNGROUPED = "未分组"

_TAG_QUERY = (
    "SELECT t.id, t.name, t.group_id, g.name, t.sort_order, g.strategy_id,"
    " coalesce(m.abbreviation, ''), {count} FROM tag t JOIN tag_group g ON g.id = t.group_id"
    " LEFT JOIN tag_meta m ON m.tag_id = t.id {join} WHERE t.deleted = 0 AND g.deleted = 0"
)
_COUNT_JOIN = (
    "LEFT JOIN (SELECT tag_pk, count(*) AS n FROM relation_tag GROUP BY tag_pk) c"
    " ON c.tag_pk = t.pk"
)


@dataclass(frozen=True)
class TagLibrary:
    """Everything the tree needs, read in one go (on a worker thread: counts take a while)."""

    groups: list[GroupInfo]
    tags: list[TagInfo]
    strategy_names: dict[int, str]

    def tree(self) -> TagTree:
        return build_tag_tree(self.groups, self.tags, strategy_names=self.strategy_names)

    def settable_tags(self) -> list[TagInfo]:
        """Tags TagDesk can put on a customer (not personal ones)."""
        return [tag for tag in self.tags if tag.kind is not TagKind.PERSONAL]


@dataclass(frozen=True)
class DeletionImpact:
    """What a delete takes away, for the confirmation."""

    tags: int
    relations: int
    customers: int
    names: tuple[str, ...]


class TagCatalog:
    """Read-only queries over one profile's cached tag library."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def library(self, *, counts: bool = True) -> TagLibrary:
        """Corp, rule-group and personal tags with abbreviations and (optionally) relation counts.

        The counts are one GROUP BY over relation_tag (about 100 ms at a million links).
        """
        read_only = self.read_only_ids()

        def owned(item_id: str, strategy_id: int | None) -> bool:
            return item_id not in read_only and (
                strategy_id is None or strategy_marker(strategy_id) not in read_only)

        conn = self.cache.connection()
        groups = [
            GroupInfo(
                gid, name, order,
                TagKind.CORP if strategy_id is None else TagKind.STRATEGY,
                strategy_id, owned(gid, strategy_id),
            )
            for gid, name, order, strategy_id in conn.execute(
                "SELECT g.id, g.name, g.sort_order, g.strategy_id FROM tag_group g"
                " WHERE g.deleted = 0 AND EXISTS"
                " (SELECT 1 FROM tag t WHERE t.group_id = g.id AND t.deleted = 0)"
            )
        ]
        sql = _TAG_QUERY.format(
            count="coalesce(c.n, 0)" if counts else "0", join=_COUNT_JOIN if counts else ""
        )
        tags = [
            TagInfo(
                tid, name, gid, group_name, order,
                TagKind.CORP if strategy_id is None else TagKind.STRATEGY,
                abbreviation, count, owned(tid, strategy_id), strategy_id,
            )
            for tid, name, gid, group_name, order, strategy_id, abbreviation, count
            in conn.execute(sql)
        ]
        personal_groups, personal_tags = self._personal(conn)
        names = {int(sid): str(name) for sid, name in conn.execute("SELECT id, name FROM strategy")}
        return TagLibrary(groups + personal_groups, tags + personal_tags, names)

    def tag_infos(self, *, counts: bool = True) -> list[TagInfo]:
        """Tags that can be put on customers (corp and rule-group), with counts."""
        return self.library(counts=counts).settable_tags()

    def group_infos(self) -> list[GroupInfo]:
        return self.library(counts=False).groups

    def _personal(self, conn: sqlite3.Connection) -> tuple[list[GroupInfo], list[TagInfo]]:
        groups: dict[str, GroupInfo] = {}
        tags: list[TagInfo] = []
        for group_name, tag_name, count in conn.execute(
            "SELECT group_name, tag_name, count(*) FROM personal_tag GROUP BY group_name, tag_name"
        ):
            shown = group_name or UNGROUPED
            gid = f"{PERSONAL_PREFIX}{group_name}"
            groups.setdefault(gid, GroupInfo(gid, shown, 0, TagKind.PERSONAL, None, False))
            tags.append(TagInfo(
                f"{PERSONAL_PREFIX}{group_name}\x1f{tag_name}", tag_name, gid, shown, 0,
                TagKind.PERSONAL, "", int(count), False,
            ))
        return list(groups.values()), tags

    def read_only_ids(self) -> set[str]:
        raw = self.cache.get_meta(READ_ONLY_KEY)
        return set(json.loads(raw)) if raw else set()

    def strategy_name(self, strategy_id: int) -> str:
        row = self.cache.connection().execute(
            "SELECT name FROM strategy WHERE id = ?", (strategy_id,)).fetchone()
        return str(row[0]) if row else f"规则组 {strategy_id}"

    def tag_names_in_group(self, group_id: str, *, exclude: str = "") -> list[str]:
        return [
            row[0] for row in self.cache.connection().execute(
                "SELECT name FROM tag WHERE group_id = ? AND deleted = 0 AND id != ?",
                (group_id, exclude),
            )
        ]

    def group_names(self, *, exclude: str = "", strategy_id: int | None = None) -> list[str]:
        """Corp group names (WeCom wants them unique across the corp), or the tag group
        names of one rule group (unique within it)."""
        return [
            row[0] for row in self.cache.connection().execute(
                "SELECT name FROM tag_group WHERE deleted = 0 AND strategy_id IS ? AND id != ?",
                (strategy_id, exclude),
            )
        ]

    def check_tag_name(self, group_id: str, name: str, *, exclude: str = "") -> NameCheck:
        return validate_tag_name(name, self.tag_names_in_group(group_id, exclude=exclude))

    def check_group_name(
        self, name: str, *, exclude: str = "", strategy_id: int | None = None
    ) -> NameCheck:
        return validate_group_name(
            name, self.group_names(exclude=exclude, strategy_id=strategy_id))

    def deletion_impact(
        self, tag_ids: Collection[str] = (), group_ids: Collection[str] = ()
    ) -> DeletionImpact:
        """Distinct relations and customers that lose a tag when these tags / groups go."""
        rows = self._doomed_tags(tag_ids, group_ids)
        pks = [row[0] for row in rows]
        relations = customers = 0
        if pks:
            marks = placeholders(pks)
            relations, customers = self.cache.connection().execute(
                "SELECT count(DISTINCT r.id), count(DISTINCT r.external_userid)"
                f" FROM relation_tag rt JOIN relation r ON r.id = rt.relation_id"
                f" WHERE rt.tag_pk IN ({marks})",
                pks,
            ).fetchone()
        return DeletionImpact(len(rows), int(relations), int(customers),
                              tuple(row[2] for row in rows))

    def relation_tag_counts(self, relation_ids: Sequence[int]) -> dict[str, int]:
        """How many of `relation_ids` carry each tag (for "on all / some / none")."""
        counts: dict[str, int] = {}
        for tag_id, count in rows_in(
            self.cache.connection().execute,
            "SELECT t.id, count(*) FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
            " WHERE rt.relation_id IN ({marks}) GROUP BY t.id", relation_ids,
        ):
            counts[tag_id] = counts.get(tag_id, 0) + int(count)
        return counts

    def pinned_tags(self, userid: str) -> list[TagInfo]:
        """The user's favourites, first first (deleted tags left out), without counts."""
        return [
            TagInfo(tid, name, gid, group_name, order,
                    TagKind.CORP if strategy_id is None else TagKind.STRATEGY,
                    abbreviation, strategy_id=strategy_id)
            for tid, name, gid, group_name, order, strategy_id, abbreviation, _ in
            self.cache.connection().execute(
                _TAG_QUERY.format(count="p.position", join="JOIN tag_pin p ON p.tag_id = t.id")
                + " AND p.userid = ? ORDER BY p.position, t.id", (userid,),
            )
        ]

    def pins(self, userid: str) -> list[str]:
        return [tag.id for tag in self.pinned_tags(userid)]

    def _tag_row(self, tag_id: str) -> TagRow | None:
        row = self.cache.connection().execute(
            "SELECT id, name, group_id FROM tag WHERE id = ? AND deleted = 0", (tag_id,)
        ).fetchone()
        return TagRow(*row) if row else None

    def _group_row(self, group_id: str) -> GroupRow | None:
        row = self.cache.connection().execute(
            "SELECT id, name, sort_order, strategy_id FROM tag_group WHERE id = ? AND deleted = 0",
            (group_id,),
        ).fetchone()
        return GroupRow(*row) if row else None

    def _group_by_name(self, name: str) -> GroupRow | None:
        key = name_key(name)
        for row in self.cache.connection().execute(
            "SELECT id, name, sort_order, strategy_id FROM tag_group"
            " WHERE deleted = 0 AND strategy_id IS NULL"
        ):
            if name_key(row[1]) == key:
                return GroupRow(*row)
        return None

    def _doomed_tags(
        self, tag_ids: Collection[str], group_ids: Collection[str]
    ) -> list[DoomedTag]:
        """(pk, id, name, group name, strategy id, order) of live tags listed or in the groups."""
        found: dict[int, DoomedTag] = {}
        conn = self.cache.connection()
        base = (
            "SELECT t.pk, t.id, t.name, g.name, g.strategy_id, t.sort_order FROM tag t"
            " JOIN tag_group g ON g.id = t.group_id WHERE t.deleted = 0 AND "
        )
        for column, ids in (("t.id", tag_ids), ("t.group_id", group_ids)):
            for item in dict.fromkeys(ids):
                for row in conn.execute(base + f"{column} = ?", (item,)):
                    found[int(row[0])] = (int(row[0]), row[1], row[2], row[3], row[4], int(row[5]))
        return list(found.values())



_STRATEGY_MARK = "strategy:"


def strategy_marker(strategy_id: int) -> str:
    """How a console-made rule group is kept among the read-only ids."""
    return f"{_STRATEGY_MARK}{strategy_id}"


@dataclass(frozen=True)
class TagRow:
    id: str
    name: str
    group_id: str


@dataclass(frozen=True)
class GroupRow:
    id: str
    name: str
    order: int
    strategy_id: int | None


_DoomedTag = tuple[int, str, str, str, "int | None", int]
DoomedTag = tuple[int, str, str, str, "int | None", int]
"""(pk, id, name, group name, strategy id, order) of a tag about to be deleted."""
