"""Planning a tag migration: map one or more source tags into a target with the fewest calls.

- The target does not exist, one source, and the source goes away: **rename** the source.
  One `edit_corp_tag` call, whatever the number of customers (WeCom keeps the id and every
  relation carrying it). Only within the source's own group: WeCom cannot move a tag.
- Otherwise **relabel**: create the target when it is missing (one call), then one `mark_tag`
  per relation carrying a source that adds the target and removes the sources. When the
  sources are deleted afterwards, relations that already carry the target are skipped: the
  delete takes the source off them without a call. Without the delete they get a remove-only
  call, so no relation is left carrying a source.

Refused, with one sentence each: a tag into itself, a tag into its own descendant
(`教育` → `教育/K12`, which the rename would leave without a parent), and a new target in a
group already holding its cap of tags.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from desktop.domain.errors import UserError
from desktop.domain.retag_plan import EMPTY_PLAN, ExclusiveSet, RelationState, RetagPlan, plan_retag
from desktop.domain.tag_names import PATH_SEPARATOR, name_key

NEW_TARGET_ID = "\x00new-target"
"""Stands for the target's id in a preview, before the target is created."""


class Strategy(StrEnum):
    RENAME = "rename"
    RELABEL = "relabel"


class MigrationError(UserError):
    """A migration TagDesk will not plan as asked."""


@dataclass(frozen=True)
class MigrationTag:
    id: str
    name: str
    group_id: str
    group_name: str


@dataclass(frozen=True)
class Target:
    """The target: an existing tag, or a name to create in a group (`group_id` "" = new group)."""

    name: str
    group_name: str
    group_id: str = ""
    existing: MigrationTag | None = None

    @property
    def id(self) -> str:
        return self.existing.id if self.existing is not None else NEW_TARGET_ID


@dataclass(frozen=True)
class MigrationPlan:
    strategy: Strategy
    sources: tuple[MigrationTag, ...]
    target: Target
    delete_source: bool
    relations: int
    """Relations carrying at least one source."""
    relabel: RetagPlan
    already_on_target: int
    """Relations carrying a source and the target already."""
    customers: int = 0
    """A rename's customers (distinct), which a team's rename threshold counts."""

    @property
    def create_target(self) -> bool:
        return self.strategy is Strategy.RELABEL and self.target.existing is None

    @property
    def tag_calls(self) -> int:
        """Calls to the tag library: rename, or create and delete."""
        if self.strategy is Strategy.RENAME:
            return 1
        return int(self.create_target) + int(self.delete_source)

    @property
    def api_calls(self) -> int:
        return self.tag_calls + self.relabel.api_calls

    @property
    def planned(self) -> int:
        """Relations the migration moves onto the target."""
        if self.strategy is Strategy.RENAME:
            return self.relations
        return self.relabel.api_calls


def plan_migration(
    sources: Sequence[MigrationTag],
    target: Target,
    current: Mapping[int, RelationState],
    *,
    delete_source: bool,
    target_group_tags: int,
    group_cap: int,
    exclusive_sets: Sequence[ExclusiveSet] = (),
    relation_count: int | None = None,
) -> MigrationPlan:
    """The plan for `current` (relations carrying at least one source). `target_group_tags`
    is how many live tags the target's group holds now (0 for a new group). A rename needs
    no relation states: `relation_count` may stand for `current` then (see `renames`)."""
    sources = tuple(dict((s.id, s) for s in sources).values())
    if not sources:
        raise MigrationError("请至少指定一个要迁移的源标签。", "Name at least one source tag.")
    _refuse_self_and_descendants(sources, target)
    if renames(sources, target, delete_source=delete_source):
        count = len(current) if relation_count is None else relation_count
        return MigrationPlan(Strategy.RENAME, sources, target, delete_source, count,
                             EMPTY_PLAN, 0)
    if target.existing is None and target.group_id and target_group_tags >= group_cap:
        raise MigrationError(
            f"标签组「{target.group_name}」已有 {target_group_tags} 个标签，达到每组 {group_cap}"
            f" 个的上限，无法在其中新建「{target.name}」；请选择其他组或先清理该组。",
            f"The group {target.group_name!r} already holds {target_group_tags} tags, its cap of"
            f" {group_cap}, so {target.name!r} cannot be created there; pick another group or"
            f" tidy this one first.",
        )
    source_ids = [s.id for s in sources]
    holding = {rid: s for rid, s in current.items() if target.id in s.tag_ids}
    moving = {rid: s for rid, s in current.items() if rid not in holding} if delete_source \
        else dict(current)
    relabel = plan_retag(moving, add=(target.id,), remove=source_ids,
                         exclusive_sets=exclusive_sets, allow_conflicts=True)
    return MigrationPlan(Strategy.RELABEL, sources, target, delete_source, len(current),
                         relabel, len(holding))


def renames(sources: Sequence[MigrationTag], target: Target, *, delete_source: bool) -> bool:
    """One source going away into a name that does not exist yet in its own group."""
    return (target.existing is None and delete_source and len(sources) == 1
            and target.group_id == sources[0].group_id)


def _refuse_self_and_descendants(sources: Sequence[MigrationTag], target: Target) -> None:
    target_key = name_key(target.name)
    for source in sources:
        if (target.existing is not None and target.existing.id == source.id) or (
            target.existing is None and target.group_id == source.group_id
            and target_key == name_key(source.name)
        ):
            raise MigrationError(f"不能把标签「{source.name}」迁移到它自己。",
                                 f"A tag cannot be migrated into itself ({source.name!r}).")
        same_group = target.group_id == source.group_id
        if same_group and target_key.startswith(name_key(source.name) + PATH_SEPARATOR):
            raise MigrationError(
                f"不能把标签「{source.name}」迁移到它自己的下级标签「{target.name}」。",
                f"A tag cannot be migrated into its own descendant ({source.name!r} →"
                f" {target.name!r}).",
            )
