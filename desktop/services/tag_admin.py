"""Keeping the tag tree tidy: reorder, create, rename, delete; pins and abbreviations.

Every change to WeCom goes out first and lands in the cache and the journal only after WeCom
said yes, so the cache never shows a change WeCom refused, and a re-sync shows the same tree.
Names are checked before anything is sent. WeCom lets an app change only the tags it created
(81011): such refusals become one readable sentence and the tag is remembered as read-only so
the tree stops offering the change. Rule-group (strategy) tags take WeCom's strategy-tag calls;
a rule group made in the admin console is remembered as read-only as a whole on its first
refusal. Pins (per user) and abbreviations (team-wide) are local; on a team profile they are
written through to the team server first (`team_settings`).
A rename respells the rules and the auto-tagging keywords' tags kept in the cache that name
the tag or group (`rename_follow`).
Headless: the GUI runs these calls in its worker tasks, the CLI and tests call them directly.
The reads (tags with counts, pins, what a delete takes) are `TagCatalog`'s, which this extends.
"""

from __future__ import annotations

import json
import secrets
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from desktop.domain.bilingual import both
from desktop.domain.errors import UserError
from desktop.domain.tag_names import NameCheck
from desktop.domain.tag_names import validate_tag_name as _validate_tag_name
from desktop.domain.tag_order import (
    OrderChange,
    ReorderError,
    move_rows,
    moved_ids,
    pin_positions,
    plan_reorder,
    plan_tree_move,
    wanted_order,
)
from desktop.domain.tag_tree import TagNode, TagTree
from desktop.domain.tags import TagInfo, TagKind
from desktop.services import team_settings
from desktop.services.changes import ChangeSet
from desktop.services.tag_catalog import (
    PERSONAL_PREFIX,
    READ_ONLY_KEY,
    DoomedTag,
    GroupRow,
    TagCatalog,
    strategy_marker,
)
from desktop.services.tag_refs import TreeRefs
from desktop.services.team import TeamServerError
from desktop.services.workspace import Workspace
from desktop.store import journal, tag_snapshots
from desktop.store.in_chunks import placeholders
from desktop.store.rename_follow import follow_renames
from desktop.store.snapshot import bump_data_version
from desktop.wecom.client import WeComClient
from desktop.wecom.errors import WeComError
from desktop.wecom.models import Tag
from desktop.wecom.write_note import WriteNote

SOURCE = "tree"
OBSERVED = "observed"
DELETED_IN_WECOM = both("已在企业微信中删除", "deleted in WeCom meanwhile")
NOT_APP_OWNED_ERRCODE = 81011
MAX_ABBREVIATION_LEN = 8
_ABBREVIATION_EXTRA = frozenset("-_.")


class TagAdminError(UserError):
    """A change TagDesk will not make or WeCom refused, said in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh, en)
        self.zh = zh
        self.en = en


class InvalidNameError(TagAdminError):
    """The name breaks WeCom's rules or TagDesk's; nothing was sent."""

    def __init__(self, check: NameCheck) -> None:
        first = check.errors[0]
        super().__init__(first.zh, first.en)
        self.check = check


class ReadOnlyTagError(TagAdminError):
    """WeCom does not let TagDesk change this item (personal, rule-group or console-made)."""


@dataclass(frozen=True)
class CreatedTag:
    """A new tag as WeCom answered it, and the change set to publish."""

    tag: TagInfo
    changes: ChangeSet


class TagAdminService(TagCatalog):
    """The reads of `TagCatalog` plus every change to the tree, the pins and the codes."""

    def __init__(self, ws: Workspace) -> None:
        super().__init__(ws.cache)
        self.ws = ws

    # -- order -----------------------------------------------------------------------------

    def reorder_tags(
        self, group_id: str, ordered_tag_ids: Sequence[str], *, moved: Collection[str] = ()
    ) -> ChangeSet:
        """Make the group's tags sort as `ordered_tag_ids` (all of them) with the fewest edits."""
        group = self._editable_group(group_id)
        return self._reorder(
            lambda: self._orders("tag", "group_id = ?", (group.id,)),
            ordered_tag_ids, moved, action="tag_reorder", group_name=group.name,
            strategy_id=group.strategy_id,
        )

    def reorder_groups(
        self, ordered_group_ids: Sequence[str], *, moved: Collection[str] = (),
        strategy_id: int | None = None,
    ) -> ChangeSet:
        """Make the corp tag groups (or one rule group's tag groups) sort as
        `ordered_group_ids` (all of them)."""
        if strategy_id is None:
            return self._reorder(
                lambda: self._orders("tag_group", "strategy_id IS NULL", ()),
                ordered_group_ids, moved, action="group_reorder", group_name="",
            )
        return self._reorder(
            lambda: self._orders("tag_group", "strategy_id = ?", (str(strategy_id),)),
            ordered_group_ids, moved, action="group_reorder", group_name="",
            strategy_id=strategy_id,
        )

    def move(self, item_id: str, other_id: str, *, after: bool) -> ChangeSet:
        """Put a tag (with its path children) or a group just before or after a sibling, as a
        drag in the tree does."""
        tree = self.library(counts=False).tree()
        node, other = _node(tree, item_id), _node(tree, other_id)
        if node is other:
            return ChangeSet()
        if node.parent is None or node.parent is not other.parent:
            raise TagAdminError(
                f"「{node.full_name}」和「{other.full_name}」不在同一层级，只能排在同组（同级）的"
                "旁边。",
                f"\"{node.full_name}\" and \"{other.full_name}\" are not siblings; an item "
                "moves only among its own group's (or level's) items.",
            )
        container = node.parent
        row = other.row + (1 if after else 0)
        try:
            plan_tree_move([node], row)
        except ReorderError as exc:
            raise ReadOnlyTagError(exc.zh, exc.en) from None
        ordered, group_id = wanted_order(container, [node], move_rows(container.children,
                                                                      [node], row))
        if group_id is None:
            strategy_id = node.group.strategy_id if node.group else None
            return self.reorder_groups(ordered, moved=moved_ids(node), strategy_id=strategy_id)
        return self.reorder_tags(group_id, ordered, moved=moved_ids(node))

    def _orders(self, table: str, where: str, params: tuple[str, ...]) -> dict[str, tuple[int, str]]:
        live = " AND EXISTS (SELECT 1 FROM tag t WHERE t.group_id = x.id AND t.deleted = 0)"
        sql = (
            f"SELECT x.id, x.sort_order, x.name FROM {table} x WHERE x.deleted = 0 AND {where}"
            + (live if table == "tag_group" else "")
        )
        return {row[0]: (int(row[1]), row[2]) for row in self.cache.connection().execute(sql, params)}

    def _reorder(
        self,
        read: _OrderReader,
        desired: Sequence[str],
        moved: Collection[str],
        *,
        action: str,
        group_name: str,
        strategy_id: int | None = None,
    ) -> ChangeSet:
        """Plan, send each edit, record each as it is confirmed; re-plan around 81011s."""
        batch_id = _new_batch_id()
        while True:
            current = read()
            if set(current) != set(desired):
                raise TagAdminError(
                    "标签树已被其他人或同步改动，请刷新后再拖动。",
                    "The tag tree changed meanwhile (another user or a sync); drag again.",
                )
            fixed = self.read_only_ids() & current.keys()
            try:
                plan = plan_reorder(
                    {key: value[0] for key, value in current.items()}, desired,
                    moved=moved, fixed=fixed,
                )
            except ReorderError as exc:
                raise ReadOnlyTagError(exc.zh, exc.en) from None
            if not plan:
                break
            if self._send_orders(plan, current, batch_id, action, group_name,
                                 strategy_id) is None:
                break
        return ChangeSet(tags_changed=True, journal_appended=True, batch_id=batch_id)

    def _send_orders(
        self,
        plan: list[OrderChange],
        current: dict[str, tuple[int, str]],
        batch_id: str,
        action: str,
        group_name: str,
        strategy_id: int | None,
    ) -> str | None:
        """Send the plan; returns the id WeCom refused with 81011 (now remembered), else None."""
        client = self._wecom(batch_id)
        edit = client.edit_corp_tag if strategy_id is None else client.edit_strategy_tag
        table = "tag" if action == "tag_reorder" else "tag_group"
        for change in plan:
            try:
                edit(change.id, order=change.new_order)
            except WeComError as exc:
                if exc.errcode != NOT_APP_OWNED_ERRCODE:
                    raise
                self._remember_read_only([change.id])
                return change.id
            name = current[change.id][1]
            with self.cache.write() as conn:
                conn.execute(f"UPDATE {table} SET sort_order = ? WHERE id = ?",
                             (change.new_order, change.id))
                journal.append(conn, [self._entry(
                    action, batch_id, change.id, name, group_name or name,
                    before={"order": change.old_order}, after={"order": change.new_order},
                )])
        return None

    # -- create, rename, delete -------------------------------------------------------------

    def create_tag(self, group_name_or_id: str, name: str) -> CreatedTag:
        """Add a tag to an existing group (by id or name); an unknown name makes a new group."""
        group = self._group_row(group_name_or_id) or self._group_by_name(group_name_or_id)
        if group is None:
            return self.create_group(group_name_or_id, name)
        check = self.check_tag_name(group.id, name)
        if not check.ok:
            raise InvalidNameError(check)
        self._guard_owned([group.id], group.name, group.strategy_id)
        batch_id = _new_batch_id()
        client = self._wecom(batch_id)
        try:
            if group.strategy_id is None:
                answer = client.add_corp_tag(tags=[check.normalized], group_id=group.id)
            else:
                answer = client.add_strategy_tag(
                    group.strategy_id, tags=[check.normalized], group_id=group.id)
        except WeComError as exc:
            raise self._refusal(exc, [group.id], group.name, group.strategy_id) from None
        return self._record_created(answer.id, answer.name or group.name, answer.order,
                                    answer.create_time, answer.tags, batch_id, new_group=False,
                                    strategy_id=group.strategy_id)

    def create_group(
        self, name: str, first_tag_name: str, *, strategy_id: int | None = None
    ) -> CreatedTag:
        """A new corp group, or a new tag group of the rule group `strategy_id`, with its
        first tag (WeCom has no empty groups)."""
        group_check = self.check_group_name(name, strategy_id=strategy_id)
        if not group_check.ok:
            raise InvalidNameError(group_check)
        tag_check = _validate_tag_name(first_tag_name, [])
        if not tag_check.ok:
            raise InvalidNameError(tag_check)
        batch_id = _new_batch_id()
        client = self._wecom(batch_id)
        if strategy_id is None:
            answer = client.add_corp_tag(
                tags=[tag_check.normalized], group_name=group_check.normalized)
        else:
            label = self.strategy_name(strategy_id)
            self._guard_owned([], label, strategy_id)
            try:
                answer = client.add_strategy_tag(
                    strategy_id, tags=[tag_check.normalized], group_name=group_check.normalized)
            except WeComError as exc:
                raise self._refusal(exc, [], label, strategy_id) from None
        return self._record_created(answer.id, answer.name or group_check.normalized,
                                    answer.order, answer.create_time, answer.tags, batch_id,
                                    new_group=True, strategy_id=strategy_id)

    def create_tags(
        self, group_name: str, tags: Sequence[tuple[str, int]], *, group_order: int = 0
    ) -> tuple[list[str], ChangeSet]:
        """Several corp tags, (name, order) each, in one call into the group named
        `group_name`, made (with `group_order`) when missing. Returns the new ids in the order
        given. Every name is checked before anything is sent."""
        group = self._group_by_name(group_name)
        siblings = self.tag_names_in_group(group.id) if group is not None else []
        specs: list[tuple[str, int | None]] = []
        for name, order in tags:
            check = _validate_tag_name(name, siblings)
            if not check.ok:
                raise InvalidNameError(check)
            siblings.append(check.normalized)
            specs.append((check.normalized, order))
        batch_id = _new_batch_id()
        client = self._wecom(batch_id)
        if group is None:
            group_check = self.check_group_name(group_name)
            if not group_check.ok:
                raise InvalidNameError(group_check)
            answer = client.add_corp_tag(tags=specs, group_name=group_check.normalized,
                                         group_order=group_order)
        else:
            self._guard_owned([group.id], group.name)
            try:
                answer = client.add_corp_tag(tags=specs, group_id=group.id)
            except WeComError as exc:
                raise self._refusal(exc, [group.id], group.name) from None
        created = self._record_created(answer.id, answer.name or group_name, answer.order,
                                       answer.create_time, answer.tags, batch_id,
                                       new_group=group is None)
        ids = {tag.name: tag.id for tag in answer.tags}
        if any(name not in ids for name, _ in specs):
            raise TagAdminError("企业微信没有返回全部新标签，请同步后查看。",
                                "WeCom did not return every new tag; sync to see them.")
        return [ids[name] for name, _ in specs], created.changes

    def _record_created(
        self, group_id: str, group_name: str, group_order: int, create_time: int,
        tags: Iterable[Tag], batch_id: str, *, new_group: bool, strategy_id: int | None = None,
    ) -> CreatedTag:
        created = list(tags)
        if not created:
            raise TagAdminError("企业微信没有返回新标签，请同步后查看。",
                                "WeCom did not return the new tag; sync to see it.")
        with self.cache.write() as conn:
            conn.execute(
                "INSERT INTO tag_group (id, name, sort_order, create_time, strategy_id)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET deleted = 0",
                (group_id, group_name, group_order, create_time, strategy_id),
            )
            entries = []
            if new_group:
                entries.append(self._entry("group_create", batch_id, group_id, group_name,
                                           group_name, after={"name": group_name}))
            for tag in created:
                conn.execute(
                    "INSERT INTO tag (id, group_id, name, sort_order, create_time)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET deleted = 0,"
                    " name = excluded.name, sort_order = excluded.sort_order",
                    (tag.id, group_id, tag.name, tag.order, tag.create_time),
                )
                entries.append(self._entry("tag_create", batch_id, tag.id, tag.name, group_name,
                                           after={"name": tag.name, "order": tag.order}))
            journal.append(conn, entries)
            bump_data_version(self.cache, conn, names_only=True)
        first = created[0]
        kind = TagKind.CORP if strategy_id is None else TagKind.STRATEGY
        info = TagInfo(first.id, first.name, group_id, group_name, first.order, kind,
                       strategy_id=strategy_id)
        return CreatedTag(info, ChangeSet(tags_changed=True, journal_appended=True,
                                          batch_id=batch_id))

    def rename(self, item_id: str, new_name: str, *, reason: str = "") -> ChangeSet:
        """Rename a corp tag or group; the name is checked against its siblings first. The
        change set carries the `Rename` the filters naming it are respelled with. `reason`
        goes with a team profile's rename (a request's 申请理由) and on the journal's row."""
        tag = self._tag_row(item_id)
        if tag is not None:
            group = self._group_row(tag.group_id)
            assert group is not None, "a live tag always has its group"
            check = self.check_tag_name(group.id, new_name, exclude=item_id)
            kind, table, old, group_name = "tag", "tag", tag.name, group.name
        else:
            group = self._editable_group(item_id)
            check = self.check_group_name(new_name, exclude=item_id,
                                          strategy_id=group.strategy_id)
            kind, table, old, group_name = "group", "tag_group", group.name, group.name
        if not check.ok:
            raise InvalidNameError(check)
        if check.normalized == old:
            return ChangeSet()
        self._guard_owned([item_id], old, group.strategy_id)
        refs = TreeRefs(self.library(counts=False))
        rename = refs.rename(refs.item(item_id), check.normalized)
        batch_id = _new_batch_id()
        client = self._wecom(batch_id)
        edit = client.edit_corp_tag if group.strategy_id is None else client.edit_strategy_tag
        try:
            edit(item_id, name=check.normalized, reason=reason)
        except WeComError as exc:
            raise self._refusal(exc, [item_id], old, group.strategy_id) from None
        with self.cache.write() as conn:
            conn.execute(f"UPDATE {table} SET name = ? WHERE id = ?", (check.normalized, item_id))
            shown_group = check.normalized if kind == "group" else group_name
            journal.append(conn, [self._entry(
                f"{kind}_rename", batch_id, item_id, check.normalized, shown_group,
                before={"name": old}, after={"name": check.normalized}, reason=reason.strip(),
            )])
            follow_renames(conn, [rename])
            bump_data_version(self.cache, conn, names_only=True)
        return ChangeSet(tags_changed=True, journal_appended=True, batch_id=batch_id,
                         renames=(rename,))

    def delete_tags(self, tag_ids: Collection[str], *, reason: str = "") -> ChangeSet:
        """Delete corp tags or the tags of one rule group; the relations that carried them
        are journaled, then unlinked. `reason` is kept on the journal's delete rows."""
        rows = self._doomed_tags(tag_ids, ())
        if len(rows) != len(set(tag_ids)):
            raise TagAdminError("有标签已经不存在了，请同步后再试。",
                                "Some of these tags no longer exist; sync and try again.")
        strategies = {row[4] for row in rows}
        if len(strategies) > 1:
            raise TagAdminError("企业标签和不同规则组的标签请分开删除。",
                                "Delete corp tags and each rule group's tags separately.")
        strategy_id = strategies.pop() if strategies else None
        ids, names = [row[1] for row in rows], "、".join(row[2] for row in rows)
        self._guard_owned(ids, names, strategy_id)
        batch_id = _new_batch_id()
        client = self._wecom(batch_id)
        delete = client.del_corp_tag if strategy_id is None else client.del_strategy_tag
        snapshots = self._snapshot(rows, reason)
        try:
            delete(tag_ids=ids, reason=reason)
        except WeComError as exc:
            self._drop_snapshots(snapshots)
            raise self._refusal(exc, ids, names, strategy_id) from None
        return self._record_deleted(rows, [], batch_id, reason, snapshots)

    def delete_group(self, group_id: str, *, reason: str = "") -> ChangeSet:
        """Delete a corp group (or a rule group's tag group) with all its tags."""
        group = self._editable_group(group_id)
        rows = self._doomed_tags((), [group_id])
        self._guard_owned([group_id], group.name, group.strategy_id)
        batch_id = _new_batch_id()
        client = self._wecom(batch_id)
        delete = client.del_corp_tag if group.strategy_id is None else client.del_strategy_tag
        snapshots = self._snapshot(rows, reason)
        try:
            delete(group_ids=[group_id], reason=reason)
        except WeComError as exc:
            self._drop_snapshots(snapshots)
            raise self._refusal(exc, [group_id], group.name, group.strategy_id) from None
        return self._record_deleted(rows, [group], batch_id, reason, snapshots)

    def _snapshot(self, rows: list[DoomedTag], reason: str) -> list[int]:
        """Keep the relations carrying these tags before WeCom deletes them (restorable)."""
        with self.cache.write() as conn:
            return tag_snapshots.take(conn, [row[0] for row in rows],
                                      operator=self.ws.operator, reason=reason)

    def _drop_snapshots(self, snapshot_ids: list[int]) -> None:
        with self.cache.write() as conn:
            tag_snapshots.drop(conn, snapshot_ids)

    def forget_deleted_in_wecom(self, tag_ids: Collection[str]) -> ChangeSet:
        """Tags an admin deleted in WeCom meanwhile (it answered 40068): snapshot their
        relations (restorable), journal them as observed, unlink and tombstone them."""
        rows = self._doomed_tags(tag_ids, ())
        if not rows:
            return ChangeSet()
        snapshots = self._snapshot(rows, DELETED_IN_WECOM)
        return self._record_deleted(rows, [], _new_batch_id(), DELETED_IN_WECOM, snapshots,
                                    source=OBSERVED)

    def _record_deleted(
        self, rows: list[DoomedTag], groups: list[GroupRow], batch_id: str, reason: str = "",
        snapshots: list[int] | None = None, *, source: str = SOURCE,
    ) -> ChangeSet:
        """Journal every relation that lost a tag (its tags before and after, as the outbox
        does), then unlink and tombstone the tags, their pins and codes."""
        pks = [row[0] for row in rows]
        doomed = {row[1] for row in rows}
        marks = placeholders(pks)
        with self.cache.write() as conn:
            carried: dict[int, set[str]] = {}
            owners: dict[int, tuple[str, str]] = {}
            for rid, external_userid, userid, tag_id in conn.execute(
                "SELECT r.id, r.external_userid, r.userid, t.id FROM relation r"
                " JOIN relation_tag rt ON rt.relation_id = r.id JOIN tag t ON t.pk = rt.tag_pk"
                f" WHERE r.id IN (SELECT relation_id FROM relation_tag WHERE tag_pk IN ({marks}))"
                " ORDER BY r.id", pks,
            ):
                carried.setdefault(rid, set()).add(tag_id)
                owners[rid] = (external_userid, userid)
            entries = [
                replace(self._entry("group_delete", batch_id, group.id, group.name, group.name,
                                    before={"name": group.name, "order": group.order}),
                        reason=reason, source=source)
                for group in groups
            ]
            for _, tag_id, name, group_name, _, order in rows:
                losers = [rid for rid, tags in carried.items() if tag_id in tags]
                entries.append(replace(self._entry(
                    "tag_delete", batch_id, tag_id, name, group_name,
                    before={"name": name, "order": order, "relations": len(losers)},
                ), reason=reason, source=source))
                entries.extend(
                    replace(self._entry("tag_remove", batch_id, tag_id, name, group_name),
                            external_userid=owners[rid][0], userid=owners[rid][1],
                            before=json.dumps(sorted(carried[rid])),
                            after=json.dumps(sorted(carried[rid] - doomed)),
                            reason=both("标签已被删除", "the tag was deleted"), source=source)
                    for rid in losers
                )
            if source == OBSERVED:   # WeCom does not say who deleted it
                entries = [replace(entry, operator="") for entry in entries]
            conn.execute(f"DELETE FROM relation_tag WHERE tag_pk IN ({marks})", pks)
            conn.execute(f"UPDATE tag SET deleted = 1 WHERE pk IN ({marks})", pks)
            ids = [(tag_id,) for tag_id in doomed]
            conn.executemany("DELETE FROM tag_pin WHERE tag_id = ?", ids)
            conn.executemany("DELETE FROM tag_meta WHERE tag_id = ?", ids)
            conn.execute(
                "UPDATE tag_group SET deleted = 1 WHERE deleted = 0"
                " AND NOT EXISTS (SELECT 1 FROM tag t WHERE t.group_id = tag_group.id"
                " AND t.deleted = 0)"
            )
            journal.append(conn, entries)
            tag_snapshots.confirm(conn, snapshots or [], batch_id)
            bump_data_version(self.cache, conn)
        return ChangeSet(relation_ids=frozenset(carried), tags_changed=True, prefs_changed=True,
                         journal_appended=True, batch_id=batch_id)

    # -- pins and abbreviations (local) ----------------------------------------------------

    def pin(self, userid: str, tag_id: str) -> ChangeSet:
        """Add a tag at the end of the user's favourites (no-op when already pinned)."""
        if tag_id.startswith(PERSONAL_PREFIX) or self._tag_row(tag_id) is None:
            raise TagAdminError("只能收藏可以打到客户上的企业标签或规则组标签。",
                                "Only corp or rule-group tags that can be set can be pinned.")
        pins = self.pins(userid)
        if tag_id not in pins:
            team_settings.write_through(self.ws, _favourites([*pins, tag_id]))
        with self.cache.write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO tag_pin (userid, tag_id, position) VALUES (?, ?,"
                " (SELECT coalesce(max(position) + 1, 0) FROM tag_pin WHERE userid = ?))",
                (userid, tag_id, userid),
            )
        return ChangeSet(prefs_changed=True)

    def unpin(self, userid: str, tag_id: str) -> ChangeSet:
        pins = self.pins(userid)
        if tag_id in pins:
            team_settings.write_through(self.ws, _favourites([p for p in pins if p != tag_id]))
        with self.cache.write() as conn:
            conn.execute("DELETE FROM tag_pin WHERE userid = ? AND tag_id = ?", (userid, tag_id))
        return ChangeSet(prefs_changed=True)

    def swap_pins(self, userid: str, replacements: Mapping[str, str]) -> ChangeSet:
        """Put each new tag where its old one was in the user's favourites (adoption)."""
        pins = self.pins(userid)
        if not set(pins) & replacements.keys():
            return ChangeSet()
        ordered = list(dict.fromkeys(replacements.get(tag_id, tag_id) for tag_id in pins))
        team_settings.write_through(self.ws, _favourites(ordered))
        with self.cache.write() as conn:
            conn.executemany(
                "UPDATE OR IGNORE tag_pin SET tag_id = ? WHERE userid = ? AND tag_id = ?",
                [(new, userid, old) for old, new in replacements.items()])
            conn.executemany("DELETE FROM tag_pin WHERE userid = ? AND tag_id = ?",
                             [(userid, old) for old in replacements])
        return ChangeSet(prefs_changed=True)

    def reorder_pins(self, userid: str, ordered_ids: Sequence[str]) -> ChangeSet:
        """Store the favourites in this order; pins not listed keep their place after them."""
        rest = [tag_id for tag_id in self.pins(userid) if tag_id not in set(ordered_ids)]
        positions = pin_positions([*dict.fromkeys(ordered_ids), *rest])
        team_settings.write_through(self.ws, _favourites(list(positions)))
        with self.cache.write() as conn:
            conn.executemany(
                "UPDATE tag_pin SET position = ? WHERE userid = ? AND tag_id = ?",
                [(position, userid, tag_id) for tag_id, position in positions.items()],
            )
        return ChangeSet(prefs_changed=True)

    def set_abbreviation(self, tag_id: str, code: str) -> ChangeSet:
        """Set (or clear, with "") the team-wide short code of a tag."""
        if self._tag_row(tag_id) is None:
            raise TagAdminError("这个标签已经不存在了。", "This tag no longer exists.")
        text = check_abbreviation(code, self._taken_abbreviations(tag_id))
        try:
            team_settings.write_through(self.ws, team_settings.SettingChange(
                team_settings.ABBREVIATION, tag_id, text or None))
        except TeamServerError as exc:
            if exc.errcode != team_settings.INVALID_PARAMETER:
                raise
            check_abbreviation(code, self._taken_in_team(tag_id))  # says which tag has it
            raise
        with self.cache.write() as conn:
            conn.execute(
                "INSERT INTO tag_meta (tag_id, abbreviation) VALUES (?, ?)"
                " ON CONFLICT(tag_id) DO UPDATE SET abbreviation = excluded.abbreviation",
                (tag_id, text),
            )
        return ChangeSet(prefs_changed=True)

    # -- helpers -----------------------------------------------------------------------------

    def _taken_in_team(self, tag_id: str) -> dict[str, str]:
        """The team server's codes of the other tags (another desktop may have taken one
        since this desktop last polled), with the tags' names."""
        names = dict(self.cache.connection().execute("SELECT id, name FROM tag"))
        return {code: names.get(other, other)
                for other, code in team_settings.team_abbreviations(self.ws).items()
                if other != tag_id}

    def _taken_abbreviations(self, tag_id: str) -> dict[str, str]:
        """Codes of the other live tags, with their names."""
        return {
            row[0]: row[1] for row in self.cache.connection().execute(
                "SELECT m.abbreviation, t.name FROM tag_meta m JOIN tag t ON t.id = m.tag_id"
                " WHERE t.deleted = 0 AND m.tag_id != ? AND m.abbreviation != ''", (tag_id,),
            )
        }

    def _wecom(self, batch_id: str = "") -> WeComClient:
        """The client for a tree edit, after checking the edit can be journaled under its
        operator: a profile without a userid is refused before WeCom changes anything. A team
        server journals its writes as the tree's, under `batch_id` (one per user action, the
        same as the local journal's rows)."""
        _ = self.ws.operator
        return self.ws.client().noting(WriteNote(batch_id=batch_id, source=SOURCE))

    def _entry(
        self, action: str, batch_id: str, item_id: str, name: str, group_name: str,
        *, before: dict[str, object] | None = None, after: dict[str, object] | None = None,
        reason: str = "",
    ) -> journal.JournalEntry:
        return journal.JournalEntry(
            operator=self.ws.operator, action=action, source=SOURCE, batch_id=batch_id,
            tag_id=item_id, tag_name=name, group_name=group_name, reason=reason,
            before=json.dumps(before, ensure_ascii=False) if before is not None else "",
            after=json.dumps(after, ensure_ascii=False) if after is not None else "",
        )

    def _editable_group(self, group_id: str) -> GroupRow:
        if group_id.startswith(PERSONAL_PREFIX):
            raise ReadOnlyTagError(
                "个人标签由成员自己在企业微信里维护，企业微信不允许应用修改。",
                "Personal tags belong to each member; WeCom does not let apps change them.",
            )
        group = self._group_row(group_id)
        if group is None:
            raise TagAdminError("这个标签组已经不存在了，请同步后再试。",
                                "This tag group no longer exists; sync and try again.")
        return group

    def _guard_owned(self, ids: Iterable[str], name: str, strategy_id: int | None = None) -> None:
        """Refuse at once what WeCom refused before, without another call."""
        known = self.read_only_ids()
        if strategy_id is not None and strategy_marker(strategy_id) in known:
            raise _console_rule_group(self.strategy_name(strategy_id))
        if set(ids) & known:
            raise _not_app_owned(name)

    def _refusal(
        self, exc: WeComError, ids: list[str], name: str, strategy_id: int | None = None
    ) -> Exception:
        """81011 as a sentence, remembered: the item, or for a rule-group item the whole
        rule group (WeCom lets an app change only the rule groups it created)."""
        if exc.errcode != NOT_APP_OWNED_ERRCODE:
            return exc
        if strategy_id is not None:
            self._remember_read_only([strategy_marker(strategy_id)])
            return _console_rule_group(self.strategy_name(strategy_id))
        if len(ids) == 1:
            self._remember_read_only(ids)
        return _not_app_owned(name)

    def probe_ownership(self) -> list[str]:
        """Ask WeCom which corp groups this app may change, before any edit is refused: the
        groups' current orders are read (one call), then each group not known yet gets one
        edit setting the order it already has, which changes nothing; 81011 marks the group
        read-only. Returns the read-only corp group ids."""
        known = self.read_only_ids()
        ids = [row[0] for row in self.cache.connection().execute(
            "SELECT id FROM tag_group WHERE deleted = 0 AND strategy_id IS NULL ORDER BY id")]
        client = self._wecom()
        refused = [gid for gid in ids if gid in known]
        unknown = [gid for gid in ids if gid not in known]
        for group in client.list_corp_tags(group_ids=unknown) if unknown else []:
            if group.deleted:
                continue
            try:
                client.edit_corp_tag(group.id, order=group.order)
            except WeComError as exc:
                if exc.errcode != NOT_APP_OWNED_ERRCODE:
                    raise
                refused.append(group.id)
        self._remember_read_only(refused)
        return sorted(refused)

    def _remember_read_only(self, ids: Iterable[str]) -> None:
        with self.cache.write() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (READ_ONLY_KEY,)).fetchone()
            known = set(json.loads(row[0])) if row else set()
            self.cache.set_meta(conn, READ_ONLY_KEY, json.dumps(sorted(known | set(ids))))


def _favourites(ordered: list[str]) -> team_settings.SettingChange:
    """A user's favourites, in order, as the team server keeps them (team profiles)."""
    return team_settings.SettingChange(team_settings.FAVOURITES, "", ordered)


def check_abbreviation(code: str, taken: dict[str, str]) -> str:
    """The code as stored (width-folded, trimmed), or `TagAdminError` saying what to change.

    `taken` maps codes already in use to their tag names; codes compare ignoring case.
    """
    text = unicodedata.normalize("NFKC", code).strip()
    if not text:
        return ""
    if len(text) > MAX_ABBREVIATION_LEN:
        raise TagAdminError(
            f"缩写最多 {MAX_ABBREVIATION_LEN} 个字符，现在有 {len(text)} 个。",
            f"An abbreviation has at most {MAX_ABBREVIATION_LEN} characters; this one has "
            f"{len(text)}.",
        )
    if not all(ch.isalnum() or ch in _ABBREVIATION_EXTRA for ch in text):
        raise TagAdminError("缩写只能包含字母、数字和 - _ .，不能有空格。",
                            "Use only letters, digits and - _ . in an abbreviation, no spaces.")
    clash = next((name for taken_code, name in taken.items()
                  if taken_code.casefold() == text.casefold()), None)
    if clash is not None:
        raise TagAdminError(f"缩写 {text} 已被标签「{clash}」使用，请换一个。",
                            f"The abbreviation {text} is already used by \"{clash}\".")
    return text


def _not_app_owned(name: str) -> ReadOnlyTagError:
    return ReadOnlyTagError(
        f"「{name}」是在企业微信管理后台或由其他应用创建的，企业微信只允许创建它的应用修改；"
        "企业微信里没有任何改动。",
        f"\"{name}\" was created in the admin console or by another app; WeCom lets only the "
        "creating app change it. Nothing was changed in WeCom.",
    )


def _console_rule_group(name: str) -> ReadOnlyTagError:
    return ReadOnlyTagError(
        f"规则组「{name}」是在企业微信管理后台创建的，企业微信只允许创建规则组的应用修改它和它的"
        "标签；企业微信里没有任何改动。",
        f"The rule group \"{name}\" was made in the WeCom admin console; WeCom lets only the "
        "app that created a rule group change it or its tags. Nothing was changed in WeCom.",
    )


def _node(tree: TagTree, item_id: str) -> TagNode:
    node = tree.get(f"tag:{item_id}") or tree.get(f"group:{item_id}")
    if node is None:
        raise TagAdminError("这个标签或标签组已经不存在了，请同步后再试。",
                            "This tag or group no longer exists; sync and try again.")
    return node


def _new_batch_id() -> str:
    return f"tree-{secrets.token_hex(6)}"


_OrderReader = Callable[[], dict[str, tuple[int, str]]]
