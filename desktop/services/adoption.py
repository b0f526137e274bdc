"""Adopting a tag group TagDesk's app may not edit (made in the admin console or by another
app: WeCom answers 81011): re-create it under TagDesk's app and move its customers over.

The twin group (`domain.adoption_plan`) is made with one `add_corp_tag` through
`TagAdminService` (names checked, journaled as a tree change); the moves are one batch through
`TaggingService` (source "migration": outbox, runner, journal, pause, resume, undo). The old
group is left as it is: only an admin can delete it, in the admin console. Abbreviations move
to the twins once every move landed. Running the same adoption again reuses the twin group and
the twins already made, so an interrupted adoption finishes by running it again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from desktop.domain.adoption_plan import (
    AdoptedTag,
    adopted_group_name,
    placeholder_twin,
    plan_adoption,
)
from desktop.domain.bilingual import both
from desktop.domain.errors import UserError
from desktop.domain.hygiene_defaults import DEFAULT_GROUP_TAG_CAP
from desktop.domain.retag_plan import RelationState, RetagPlan, estimate_seconds
from desktop.domain.tag_names import name_key
from desktop.services.changes import ChangeSet
from desktop.services.migration import SOURCE
from desktop.services.progress import CancelToken, ProgressCallback, no_progress
from desktop.services.tag_admin import InvalidNameError, TagAdminService
from desktop.services.tagging import BatchResult, TaggingService
from desktop.services.workspace import Workspace
from desktop.store import outbox

DESCRIPTION_PREFIX = "收编 "    # an adoption batch's description starts so (older ones: 收编 adopt …)


def adoption_description(group_name: str, twin_group_name: str) -> str:
    """收编 客户阶段 → 客户阶段（新） / adopt 客户阶段 → 客户阶段（新）"""
    moved = f"{group_name} → {twin_group_name}"
    return both(f"{DESCRIPTION_PREFIX}{moved}", f"adopt {moved}")


class AdoptionError(UserError):
    """An adoption TagDesk will not plan as asked."""


@dataclass(frozen=True)
class AdoptionPlan:
    group_id: str
    group_name: str
    group_order: int
    twin_group_name: str
    twin_group_id: str
    """"" while the twin group does not exist yet."""
    tags: tuple[AdoptedTag, ...]
    relations: int
    """Relations carrying at least one tag of the old group."""
    relabel: RetagPlan
    known_read_only: bool
    """TagDesk already met WeCom's 81011 for this group or one of its tags."""

    @property
    def missing(self) -> tuple[AdoptedTag, ...]:
        return tuple(tag for tag in self.tags if not tag.twin_exists)

    @property
    def api_calls(self) -> int:
        return int(bool(self.missing)) + self.relabel.api_calls

    @property
    def planned(self) -> int:
        return self.relabel.api_calls

    def as_json(self) -> dict[str, object]:
        return {
            "strategy": "adopt", "group_id": self.group_id, "group_name": self.group_name,
            "new_group_name": self.twin_group_name, "new_group_id": self.twin_group_id or None,
            "tags": len(self.tags), "tags_to_create": len(self.missing),
            "relations": self.relations, "planned": self.planned,
            "planned_api_calls": self.api_calls, "known_read_only": self.known_read_only,
        }


@dataclass(frozen=True)
class AdoptionResult:
    plan: AdoptionPlan
    applied: int
    api_calls: int
    elapsed_s: float
    batch_id: str = ""
    failed: int = 0
    pending: int = 0
    stop_reason: str = ""
    twins: dict[str, str] = field(default_factory=dict)
    """Old tag id → new tag id."""
    changes: ChangeSet = field(default_factory=ChangeSet)

    @property
    def complete(self) -> bool:
        return not self.failed and not self.pending and not self.stop_reason

    def as_json(self) -> dict[str, object]:
        return {
            **self.plan.as_json(), "applied": self.applied, "api_calls": self.api_calls,
            "elapsed_s": round(self.elapsed_s, 3), "batch_id": self.batch_id or None,
            "failed": self.failed, "pending": self.pending, "stop_reason": self.stop_reason,
            "twins": self.twins,
        }


class AdoptionService:
    def __init__(self, ws: Workspace, *, group_cap: int = DEFAULT_GROUP_TAG_CAP) -> None:
        self._ws = ws
        self._cache = ws.cache
        self._admin = TagAdminService(ws)
        self._tagging = TaggingService(ws)
        self._group_cap = group_cap

    # -- planning --------------------------------------------------------------------------

    def plan(self, group: str, *, new_name: str = "") -> AdoptionPlan:
        """Plan from the cache: `group` is a corp group's name or id; `new_name` the twin
        group's name (default: the old name with the suffix "(TagDesk)")."""
        old = self._old_group(group)
        self._refuse_unfinished()
        twin_name = (new_name or adopted_group_name(old[1])).strip()
        if name_key(twin_name) == name_key(old[1]):
            raise AdoptionError(
                f"新标签组不能与「{old[1]}」同名：企业微信要求标签组名唯一，同名会把标签加进旧组。"
                "请换一个名字，旧组删除后可再改回原名。",
                f"The new group cannot share the name {old[1]!r}: WeCom keeps group names unique"
                " and would add the tags to the old group. Pick another name; once the old group"
                " is deleted the new one can be renamed back.")
        twin_group = self._twin_group(twin_name)
        if not twin_group:
            check = self._admin.check_group_name(twin_name)
            if not check.ok:
                raise InvalidNameError(check)
            twin_name = check.normalized
        existing = self._tags_by_name(twin_group) if twin_group else {}
        tags = tuple(
            AdoptedTag(tag_id, name, order, existing.get(name_key(name), placeholder_twin(tag_id)))
            for tag_id, name, order in self._old_tags(old[0])
        )
        total = len(existing) + sum(not tag.twin_exists for tag in tags)
        if total > self._group_cap:
            raise AdoptionError(
                f"标签组「{twin_name}」将有 {total} 个标签，超过每组 {self._group_cap} 个的上限；"
                "请换一个新组名。",
                f"The group {twin_name!r} would hold {total} tags, over the cap of"
                f" {self._group_cap} a group may hold; pick another name for the new group.")
        states = self._carrying(old[0], twin_group)
        relabel = plan_adoption(tags, states)
        read_only = self._admin.read_only_ids()
        known = old[0] in read_only or any(tag.old_id in read_only for tag in tags)
        return AdoptionPlan(old[0], old[1], old[2], twin_name, twin_group or "", tags, len(states),
                            relabel, known)

    def estimate_seconds(self, plan: AdoptionPlan) -> float:
        return estimate_seconds(plan.api_calls, *self._ws.call_budget())

    # -- running -------------------------------------------------------------------------------

    def start(self, plan: AdoptionPlan) -> tuple[AdoptionPlan, str, ChangeSet]:
        """Create the missing twins (one call), re-plan on their real ids and queue the moves as
        one batch; returns the final plan, the batch id ("" when nothing moves) and the change
        set of the creation. Run the batch with `TaggingService.run`, then `finish`."""
        changes = ChangeSet()
        if plan.missing:
            _, changes = self._admin.create_tags(
                plan.twin_group_name, [(tag.name, tag.order) for tag in plan.missing],
                group_order=plan.group_order)
            plan = self.plan(plan.group_id, new_name=plan.twin_group_name)
        batch_id = ""
        if plan.relabel.api_calls:
            batch_id = self._tagging.submit(
                plan.relabel, source=SOURCE,
                description=adoption_description(plan.group_name, plan.twin_group_name))
        return plan, batch_id, changes

    def finish(self, plan: AdoptionPlan, result: BatchResult | None) -> ChangeSet:
        """Once every move landed, give each twin its old tag's abbreviation and its place in
        the operator's favourites."""
        if result is not None and (result.failed or result.pending or result.stop_reason):
            return ChangeSet()
        codes = dict(self._cache.connection().execute(
            "SELECT tag_id, abbreviation FROM tag_meta WHERE abbreviation != ''"))
        changes = ChangeSet()
        for tag in plan.tags:
            code = codes.get(tag.old_id)
            if code and tag.twin_exists:
                changes = changes.merge(self._admin.set_abbreviation(tag.old_id, ""))
                changes = changes.merge(self._admin.set_abbreviation(tag.twin_id, code))
        twins = {tag.old_id: tag.twin_id for tag in plan.tags if tag.twin_exists}
        return changes.merge(self._admin.swap_pins(self._ws.operator, twins))

    def run(self, plan: AdoptionPlan, *, progress: ProgressCallback = no_progress,
            cancel: CancelToken | None = None) -> AdoptionResult:
        """`start`, the batch, `finish`, in one go (the CLI)."""
        started_at = time.monotonic()
        transport = self._ws.transport()
        calls_before = transport.api_calls
        plan, batch_id, changes = self.start(plan)
        result = None
        if batch_id:
            result = self._tagging.run(batch_id, progress=progress, cancel=cancel)
            changes = changes.merge(result.changes)
        changes = changes.merge(self.finish(plan, result))
        return AdoptionResult(
            plan, result.applied if result else 0, transport.api_calls - calls_before,
            time.monotonic() - started_at, batch_id,
            failed=result.failed if result else 0, pending=result.pending if result else 0,
            stop_reason=result.stop_reason if result else "",
            twins={tag.old_id: tag.twin_id for tag in plan.tags}, changes=changes)

    # -- reading the cache -----------------------------------------------------------------

    def _old_group(self, text: str) -> tuple[str, str, int]:
        wanted = text.strip()
        rows = self._cache.connection().execute(
            "SELECT id, name, sort_order, strategy_id FROM tag_group WHERE deleted = 0"
            " ORDER BY strategy_id IS NOT NULL").fetchall()
        for gid, name, order, strategy_id in rows:
            if wanted in (gid, name) or name_key(name) == name_key(wanted):
                if strategy_id is not None:
                    raise AdoptionError(
                        f"「{name}」是规则组的标签组；收编只适用于企业标签组。",
                        f"{name!r} belongs to a rule group; only corp tag groups can be adopted.")
                return str(gid), str(name), int(order)
        raise AdoptionError(f"本地标签库中没有标签组「{wanted}」，请检查名称或先同步。",
                            f"There is no tag group {wanted!r} in the local library; check the"
                            " name or sync first.")

    def _twin_group(self, name: str) -> str:
        for gid, group_name in self._cache.connection().execute(
            "SELECT id, name FROM tag_group WHERE deleted = 0 AND strategy_id IS NULL"
        ):
            if name_key(group_name) == name_key(name):
                if gid in self._admin.read_only_ids():
                    raise AdoptionError(
                        f"标签组「{group_name}」已存在且不归本应用所有，请换一个新组名。",
                        f"The group {group_name!r} exists and is not this app's; pick another"
                        " name for the new group.")
                return str(gid)
        return ""

    def _tags_by_name(self, group_id: str) -> dict[str, str]:
        return {name_key(name): str(tag_id) for tag_id, name in self._cache.connection().execute(
            "SELECT id, name FROM tag WHERE group_id = ? AND deleted = 0", (group_id,))}

    def _old_tags(self, group_id: str) -> list[tuple[str, str, int]]:
        return [(str(r[0]), str(r[1]), int(r[2])) for r in self._cache.connection().execute(
            "SELECT id, name, sort_order FROM tag WHERE group_id = ? AND deleted = 0"
            " ORDER BY sort_order DESC, pk", (group_id,))]

    def _carrying(self, group_id: str, twin_group_id: str) -> dict[int, RelationState]:
        """Every relation carrying a tag of the group, with the tags it carries of the group
        and of the twin group (all the plan looks at), in one pass over their links."""
        tags: dict[int, set[str]] = {}
        owners: dict[int, tuple[str, str]] = {}
        old: set[int] = set()
        for rid, external_userid, userid, tag_id, tag_group in self._cache.connection().execute(
            "SELECT r.id, r.external_userid, r.userid, t.id, t.group_id FROM tag t"
            " JOIN relation_tag rt ON rt.tag_pk = t.pk JOIN relation r ON r.id = rt.relation_id"
            " WHERE t.group_id IN (?, ?) AND t.deleted = 0", (group_id, twin_group_id),
        ):
            tags.setdefault(rid, set()).add(tag_id)
            owners[rid] = (external_userid, userid)
            if tag_group == group_id:
                old.add(rid)
        return {rid: RelationState(rid, *owners[rid], frozenset(tags[rid])) for rid in sorted(old)}

    def _refuse_unfinished(self) -> None:
        for batch in outbox.list_batches(self._cache):
            if batch.description.startswith(DESCRIPTION_PREFIX) and batch.counts.pending:
                raise AdoptionError(
                    f"上一次收编还有 {batch.counts.pending} 个客户关系未完成：请先运行"
                    f" tagdesk batch resume {batch.id}，再重新收编。",
                    f"An earlier adoption has {batch.counts.pending} relations left: run"
                    f" `tagdesk batch resume {batch.id}` first, then adopt again.")
