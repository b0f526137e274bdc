"""Migrating tags: resolve the names, plan with `domain.migration_plan`, run it.

The writes take the paths that already exist: a rename, a create and a delete go through
`TagAdminService` (checked names, journaled as tree changes, 81011 said plainly), and the
per-relation moves are one batch through `TaggingService` (outbox, runner, journal, source
"migration"), so the batch can be paused, resumed and undone like any other. Sources are
deleted only after every move landed; the delete journals each relation it unlinks.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from desktop.domain.bilingual import both
from desktop.domain.governance import Change, Decision, Operation, Verdict
from desktop.domain.hygiene_defaults import DEFAULT_GROUP_TAG_CAP
from desktop.domain.migration_plan import (
    MigrationError,
    MigrationPlan,
    MigrationTag,
    Strategy,
    Target,
    plan_migration,
    renames,
)
from desktop.domain.retag_plan import estimate_seconds
from desktop.services.changes import ChangeSet
from desktop.services.governance import TeamRules
from desktop.services.progress import CancelToken, ProgressCallback, no_progress
from desktop.services.tag_admin import TagAdminService
from desktop.services.tagging import BatchResult, TaggingService, UnknownTagError
from desktop.services.workspace import Workspace
from desktop.store import outbox
from desktop.store.in_chunks import placeholders

SOURCE = "migration"


@dataclass(frozen=True)
class MigrationResult:
    strategy: Strategy
    planned: int
    applied: int
    api_calls: int
    elapsed_s: float
    batch_id: str = ""
    failed: int = 0
    pending: int = 0
    sources_deleted: bool = False
    target_id: str = ""
    stop_reason: str = ""
    sources_deleted_in_wecom: tuple[str, ...] = ()
    """Sources an admin deleted in WeCom while the migration ran (only dropped locally)."""
    changes: ChangeSet = field(default_factory=ChangeSet)

    @property
    def complete(self) -> bool:
        return not self.failed and not self.pending and not self.stop_reason

    def as_json(self) -> dict[str, object]:
        return {
            "strategy": self.strategy.value, "planned": self.planned, "applied": self.applied,
            "api_calls": self.api_calls, "elapsed_s": round(self.elapsed_s, 3),
            "batch_id": self.batch_id or None, "failed": self.failed, "pending": self.pending,
            "sources_deleted": self.sources_deleted, "target_id": self.target_id,
            "stop_reason": self.stop_reason,
            "sources_deleted_in_wecom": list(self.sources_deleted_in_wecom),
        }


@dataclass(frozen=True)
class Started:
    """A migration under way: the final plan (the target's real id), the batch to run."""

    plan: MigrationPlan
    batch_id: str
    target_id: str
    changes: ChangeSet
    api_calls: int


class MigrationService:
    def __init__(self, ws: Workspace, *, group_cap: int = DEFAULT_GROUP_TAG_CAP) -> None:
        self._ws = ws
        self._cache = ws.cache
        self._tagging = TaggingService(ws)
        self._admin = TagAdminService(ws)
        self._group_cap = group_cap

    # -- planning --------------------------------------------------------------------------

    def plan(self, sources: Sequence[str], target: str, *, delete_source: bool) -> MigrationPlan:
        """Plan from names (组:名 allowed) or ids; the target may not exist yet."""
        found = self._sources(sources)
        wanted = self._target(target, found[0] if found else None)
        ids = self._carrying([s.id for s in found])
        rename = renames(found, wanted, delete_source=delete_source)
        states = {} if rename else outbox.relation_states(self._cache, ids)
        count = len(self._admin.tag_names_in_group(wanted.group_id)) if wanted.group_id else 0
        plan = plan_migration(found, wanted, states, delete_source=delete_source,
                              target_group_tags=count, group_cap=self._group_cap,
                              exclusive_sets=outbox.exclusive_sets(self._cache),
                              relation_count=len(ids))
        return replace(plan, customers=self._customers([s.id for s in found])) if rename \
            else plan

    def estimate_seconds(self, plan: MigrationPlan) -> float:
        """ETA at the call budget (the team server's on a team profile) for every call."""
        return estimate_seconds(plan.api_calls, *self._ws.call_budget())

    # -- running -----------------------------------------------------------------------------

    def start(self, plan: MigrationPlan) -> Started:
        """Rename the source, or create the target (when missing) and queue the moves as one
        batch (source "migration"); run that batch with `TaggingService.run`, then `finish`."""
        transport = self._ws.transport()
        calls_before = transport.api_calls
        if plan.strategy is Strategy.RENAME:
            source = plan.sources[0]
            changes = self._admin.rename(source.id, plan.target.name)
            return Started(plan, "", source.id, changes, transport.api_calls - calls_before)
        changes = ChangeSet()
        target_id = plan.target.id
        if plan.create_target:
            created = self._admin.create_tag(plan.target.group_id or plan.target.group_name,
                                             plan.target.name)
            target_id = created.tag.id
            changes = created.changes
            plan = self.plan([s.id for s in plan.sources], target_id,
                             delete_source=plan.delete_source)
        batch_id = ""
        if plan.relabel.api_calls:
            names = [s.name for s in plan.sources]
            batch_id = self._tagging.submit(
                plan.relabel, source=SOURCE,
                description=both(f"迁移 {'、'.join(names)} → {plan.target.name}",
                                 f"migrate {', '.join(names)} → {plan.target.name}"))
        return Started(plan, batch_id, target_id, changes, transport.api_calls - calls_before)

    def finish(self, started: Started, result: BatchResult | None) -> ChangeSet:
        """Delete the sources when asked and every move landed; else leave them."""
        plan = started.plan
        if plan.strategy is Strategy.RENAME or not plan.delete_source or not _landed(result):
            return ChangeSet()
        return self._delete_sources(plan)[0]

    def _delete_sources(self, plan: MigrationPlan) -> tuple[ChangeSet, tuple[str, ...]]:
        """Delete the sources still in WeCom; those an admin deleted meanwhile (re-read from
        WeCom) are only dropped from the cache. Returns the changes and the ids found gone."""
        ids = [s.id for s in plan.sources]
        client = self._ws.client()
        groups = client.list_corp_tags(tag_ids=ids)
        if self._rule_group_tags(ids):
            groups = [*groups, *client.list_strategy_tags(tag_ids=ids)]
        live = {tag.id for group in groups if not group.deleted
                for tag in group.tags if not tag.deleted}
        gone = tuple(tag_id for tag_id in ids if tag_id not in live)
        changes = self._admin.forget_deleted_in_wecom(gone)
        if live:
            changes = changes.merge(self._admin.delete_tags([i for i in ids if i in live]))
        return changes, gone

    def run(self, plan: MigrationPlan, *, progress: ProgressCallback = no_progress,
            cancel: CancelToken | None = None) -> MigrationResult:
        """`start`, the batch, `finish`, in one go (the CLI)."""
        started_at = time.monotonic()
        transport = self._ws.transport()
        calls_before = transport.api_calls
        started = self.start(plan)
        if started.plan.strategy is Strategy.RENAME:
            return MigrationResult(Strategy.RENAME, plan.planned, plan.planned,
                                   started.api_calls, time.monotonic() - started_at,
                                   sources_deleted=True, target_id=started.target_id,
                                   changes=started.changes)
        result = None
        if started.batch_id:
            result = self._tagging.run(started.batch_id, progress=progress, cancel=cancel)
        deleted, gone = ChangeSet(), tuple[str, ...]()
        if started.plan.delete_source and _landed(result):
            deleted, gone = self._delete_sources(started.plan)
        changes = started.changes.merge(deleted)
        if result is not None:
            changes = changes.merge(result.changes)
        return MigrationResult(
            Strategy.RELABEL, started.plan.planned, result.applied if result else 0,
            transport.api_calls - calls_before,
            time.monotonic() - started_at, batch_id=started.batch_id,
            failed=result.failed if result else 0, pending=result.pending if result else 0,
            sources_deleted=deleted.tags_changed, target_id=started.target_id,
            sources_deleted_in_wecom=gone,
            stop_reason=result.stop_reason if result else "", changes=changes,
        )

    # -- resolving -----------------------------------------------------------------------------

    def _sources(self, names: Sequence[str]) -> list[MigrationTag]:
        ids = self._tagging.resolve_tag_names(names)
        return [self._tag(tag_id) for tag_id in dict.fromkeys(ids)]

    def _target(self, text: str, first: MigrationTag | None) -> Target:
        text = text.strip()
        if not text:
            raise MigrationError("请指定目标标签。", "Name the target tag.")
        try:
            (tag_id,) = self._tagging.resolve_tag_names([text])
        except UnknownTagError:
            return self._new_target(text, first)
        tag = self._tag(tag_id)
        return Target(tag.name, tag.group_name, tag.group_id, tag)

    def _new_target(self, text: str, first: MigrationTag | None) -> Target:
        group_name, name = "", text
        for colon in (":", "："):
            if colon in text:
                group_name, _, name = (part.strip() for part in text.partition(colon))
                break
        if group_name:
            group_id = self._tagging_group_id(group_name)
            return Target(name, group_name, group_id)
        if first is None:
            raise MigrationError("请指定目标标签所在的组（组:名）。",
                                 "Say which group the target goes in (group:name).")
        return Target(name, first.group_name, first.group_id)

    def _tagging_group_id(self, group_name: str) -> str:
        for tag in outbox.tag_catalogue(self._cache):
            if tag.group_id == group_name or tag.group_name == group_name:
                return tag.group_id
        return ""

    def _tag(self, tag_id: str) -> MigrationTag:
        for tag in outbox.tag_catalogue(self._cache):
            if tag.id == tag_id:
                return MigrationTag(tag.id, tag.name, tag.group_id, tag.group_name)
        raise MigrationError(f"标签 {tag_id} 不在本地标签库中，请先同步。",
                             f"Tag {tag_id} is not in the local tag library; sync first.")

    def _rule_group_tags(self, tag_ids: Sequence[str]) -> bool:
        marks = placeholders(tag_ids)
        return self._cache.connection().execute(
            "SELECT 1 FROM tag t JOIN tag_group g ON g.id = t.group_id"
            f" WHERE g.strategy_id IS NOT NULL AND t.id IN ({marks}) LIMIT 1",
            list(tag_ids)).fetchone() is not None

    def _carrying(self, tag_ids: Sequence[str]) -> list[int]:
        if not tag_ids:
            return []
        marks = placeholders(tag_ids)
        return [row[0] for row in self._cache.connection().execute(
            "SELECT DISTINCT rt.relation_id FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
            f" WHERE t.id IN ({marks}) ORDER BY rt.relation_id", list(tag_ids))]

    def _customers(self, tag_ids: Sequence[str]) -> int:
        """The distinct customers carrying `tag_ids`: a rename's count, as the team server
        takes it for its approval threshold."""
        row = self._cache.connection().execute(
            "SELECT count(DISTINCT r.external_userid) FROM relation_tag rt"
            " JOIN tag t ON t.pk = rt.tag_pk JOIN relation r ON r.id = rt.relation_id"
            f" WHERE t.id IN ({placeholders(tag_ids)})", list(tag_ids)).fetchone()
        return int(row[0]) if row else 0



def approval_needed(plan: MigrationPlan, rules: TeamRules | None) -> Decision | None:
    """Why the team server will make the plan an approval request, if it will (`rules`: a
    team profile's governance; None in solo mode): a rename of a tag on more customers than
    the team's threshold, or the sources' deletion by a non-admin."""
    if rules is None:
        return None
    if plan.strategy is Strategy.RENAME:
        source = plan.sources[0]
        changes = [Change(Operation.RENAME_TAG, source.group_name, source.name,
                          plan.target.name, customers=plan.customers)]
    elif plan.delete_source:
        changes = [Change(Operation.DELETE_TAG, s.group_name, s.name) for s in plan.sources]
    else:
        return None
    decisions = (rules.decide(change) for change in changes)
    return next((d for d in decisions if d.verdict is Verdict.APPROVAL), None)


def _landed(result: BatchResult | None) -> bool:
    """Every move of the batch landed (or there was no batch)."""
    return result is None or (not result.failed and not result.pending and not result.stop_reason)
