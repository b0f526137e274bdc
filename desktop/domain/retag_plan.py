"""Planning tag writes: which `mark_tag` calls a retag, a toggle or an undo really needs.

Planning is pure, so a preview can be shown for 100,000 relations before anything is
written. Rules (WeCom tags belong to a follow relation, and one `mark_tag` call may both add
and remove on it):

- effective add = wanted − present, remove = unwanted ∩ present; a relation with nothing
  left to do is a no-op and costs no call;
- "replace within group" (重标) removes every tag of the group that the relation carries,
  except the ones being added;
- a relation that would end up with two or more tags of one mutually exclusive set
  (已成交 / 无效客户) is a conflict when the plan adds one of them: it is listed and, unless
  conflicts are allowed, left out of the plan. Conflicts the relation already had and the
  plan does not touch are not this plan's business.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from desktop.domain.errors import UserError

TYPICAL_LATENCY_S = 0.15
RELATION_GONE = "客户关系已不存在 / relation gone"
CHANGED_AGAIN = "此后标签又被修改过 / changed again since"
TAG_DELETED = "要恢复的标签已被删除 / a tag to put back was deleted since"


class PlanError(UserError, ValueError):
    """A plan that cannot be built as asked; `str()` is "中文 / English"."""


@dataclass(frozen=True)
class RelationState:
    """What the cache knows about one follow relation: who, and its corp/strategy tag ids."""

    relation_id: int
    external_userid: str
    userid: str
    tag_ids: frozenset[str]


@dataclass(frozen=True)
class ExclusiveSet:
    """Tags no relation should carry two of at once (a row of `exclusive_set`)."""

    name: str
    tag_ids: frozenset[str]


@dataclass(frozen=True)
class RelationChange:
    """One `mark_tag` call: everything this plan adds to and removes from one relation."""

    relation_id: int
    external_userid: str
    userid: str
    add: tuple[str, ...]
    remove: tuple[str, ...]


@dataclass(frozen=True)
class Conflict:
    """A relation that would carry `tag_ids` (two or more) of the exclusive set `set_name`."""

    relation_id: int
    external_userid: str
    userid: str
    set_name: str
    tag_ids: tuple[str, ...]


@dataclass(frozen=True)
class Skipped:
    """A relation an undo leaves alone, and why (one readable sentence)."""

    relation_id: int | None
    external_userid: str
    userid: str
    reason: str


@dataclass(frozen=True)
class AppliedChange:
    """What one batch did to one relation, as its journal rows tell it."""

    external_userid: str
    userid: str
    before: frozenset[str]
    after: frozenset[str]


@dataclass(frozen=True)
class RetagPlan:
    """The calls to make plus everything a preview shows about them."""

    changes: tuple[RelationChange, ...]
    skipped_noop: int
    conflicts: tuple[Conflict, ...]
    per_tag_add: dict[str, int]
    per_tag_remove: dict[str, int]
    already_tagged: dict[str, int] = field(default_factory=dict)  # wanted, already present
    already_absent: dict[str, int] = field(default_factory=dict)  # unwanted, already absent
    conflicts_allowed: bool = False

    @property
    def api_calls(self) -> int:
        """One `mark_tag` per changed relation."""
        return len(self.changes)

    @property
    def conflicting_relations(self) -> int:
        return len({c.relation_id for c in self.conflicts})

    @property
    def skipped_conflicts(self) -> int:
        """Relations left out because of a conflict (0 when conflicts are allowed)."""
        return 0 if self.conflicts_allowed else self.conflicting_relations


EMPTY_PLAN = RetagPlan((), 0, (), {}, {})


def plan_retag(
    current: Mapping[int, RelationState],
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    replace_group_tags: Iterable[str] | None = None,
    exclusive_sets: Sequence[ExclusiveSet] = (),
    allow_conflicts: bool = False,
) -> RetagPlan:
    """The plan that makes every relation in `current` carry `add` and not carry `remove`
    (plus, with `replace_group_tags`, none of that group's other tags). Relations keep the
    order of `current`."""
    wanted = _unique(add)
    unwanted = _unique(remove)
    both = sorted(set(wanted) & set(unwanted))
    if both:
        raise PlanError(
            f"标签不能同时添加和移除：{'、'.join(both)}"
            f" / A tag cannot be both added and removed: {', '.join(both)}"
        )
    group_tags = frozenset(replace_group_tags or ()) - set(wanted)
    changes: list[RelationChange] = []
    conflicts: list[Conflict] = []
    per_add: Counter[str] = Counter()
    per_remove: Counter[str] = Counter()
    already_tagged: Counter[str] = Counter()
    already_absent: Counter[str] = Counter()
    noop = 0
    for state in current.values():
        present = state.tag_ids
        to_add = tuple(t for t in wanted if t not in present)
        to_remove = tuple(t for t in unwanted if t in present)
        to_remove += tuple(sorted((group_tags & present) - set(to_remove)))
        already_tagged.update(t for t in wanted if t in present)
        already_absent.update(t for t in unwanted if t not in present)
        if not to_add and not to_remove:
            noop += 1
            continue
        found = _conflicts(state, to_add, to_remove, exclusive_sets)
        conflicts.extend(found)
        if found and not allow_conflicts:
            continue
        changes.append(
            RelationChange(state.relation_id, state.external_userid, state.userid,
                           to_add, to_remove)
        )
        per_add.update(to_add)
        per_remove.update(to_remove)
    return RetagPlan(
        changes=tuple(changes),
        skipped_noop=noop,
        conflicts=tuple(conflicts),
        per_tag_add=dict(per_add),
        per_tag_remove=dict(per_remove),
        already_tagged=dict(already_tagged),
        already_absent=dict(already_absent),
        conflicts_allowed=allow_conflicts,
    )


def plan_toggle(
    current: Mapping[int, RelationState],
    tag_id: str,
    exclusive_sets: Sequence[ExclusiveSet] = (),
    allow_conflicts: bool = False,
) -> RetagPlan:
    """One click on a tag chip: if every relation carries it, remove it from all; otherwise
    add it where it is missing."""
    if current and all(tag_id in s.tag_ids for s in current.values()):
        return plan_retag(current, remove=(tag_id,))
    return plan_retag(current, add=(tag_id,), exclusive_sets=exclusive_sets,
                      allow_conflicts=allow_conflicts)


def plan_inverse(
    applied: Sequence[AppliedChange], current: Mapping[tuple[str, str], RelationState],
    live_tags: Collection[str],
) -> tuple[RetagPlan, list[Skipped]]:
    """Undo what a batch did, only where the relation still carries what the batch left.

    `applied` holds one item per relation; `current` is keyed by (external_userid, userid).
    A relation whose changed tags were changed again since, that no longer exists, or that
    would get back a tag no longer in `live_tags` (deleted since: WeCom ignores it, and the
    rest of its undo would leave it with neither tag) is skipped with the reason.
    """
    changes: list[RelationChange] = []
    skipped: list[Skipped] = []
    per_add: Counter[str] = Counter()
    per_remove: Counter[str] = Counter()
    noop = 0
    live = frozenset(live_tags)
    for item in applied:
        added = item.after - item.before
        removed = item.before - item.after
        if not added and not removed:
            noop += 1
            continue
        state = current.get((item.external_userid, item.userid))
        if state is None:
            skipped.append(Skipped(None, item.external_userid, item.userid, RELATION_GONE))
            continue
        if not added & state.tag_ids and removed <= state.tag_ids:
            noop += 1  # already back as it was before the batch
            continue
        if not added <= state.tag_ids or removed & state.tag_ids:
            skipped.append(Skipped(state.relation_id, item.external_userid, item.userid,
                                   CHANGED_AGAIN))
            continue
        if not removed <= live:
            skipped.append(Skipped(state.relation_id, item.external_userid, item.userid,
                                   TAG_DELETED))
            continue
        change = RelationChange(state.relation_id, item.external_userid, item.userid,
                                tuple(sorted(removed)), tuple(sorted(added)))
        changes.append(change)
        per_add.update(change.add)
        per_remove.update(change.remove)
    plan = RetagPlan(tuple(changes), noop, (), dict(per_add), dict(per_remove),
                     conflicts_allowed=True)
    return plan, skipped


def estimate_seconds(
    api_calls: int, calls_per_minute: int, concurrency: int,
    latency_s: float = TYPICAL_LATENCY_S,
) -> float:
    """Expected duration: calls / min(rate limit per second, concurrency / latency).

    The runner is bound either by the profile's calls-per-minute budget or by how many
    round trips `concurrency` calls in flight can complete per second, whichever is slower.
    Retries and 45009 pauses come on top.
    """
    if api_calls <= 0:
        return 0.0
    if calls_per_minute < 1 or concurrency < 1:
        raise ValueError("calls_per_minute and concurrency must be positive")
    rate_per_s = calls_per_minute / 60.0
    if latency_s > 0:
        rate_per_s = min(rate_per_s, concurrency / latency_s)
    return api_calls / rate_per_s


def _unique(ids: Iterable[str]) -> tuple[str, ...]:
    """Ids in first-seen order without repeats or blanks."""
    return tuple(dict.fromkeys(i for i in ids if i))


def _conflicts(
    state: RelationState,
    to_add: tuple[str, ...],
    to_remove: tuple[str, ...],
    exclusive_sets: Sequence[ExclusiveSet],
) -> list[Conflict]:
    if not to_add:
        return []
    final = (state.tag_ids - set(to_remove)) | set(to_add)
    found = []
    for tag_set in exclusive_sets:
        carried = final & tag_set.tag_ids
        if len(carried) >= 2 and carried & set(to_add):
            found.append(Conflict(state.relation_id, state.external_userid, state.userid,
                                  tag_set.name, tuple(sorted(carried))))
    return found


def format_duration(seconds: float, *, english: bool = True) -> str:
    """An ETA as people read it: "45 s", "12 min 05 s", "1 h 40 min"; in Chinese
    「45 秒」「12 分 05 秒」「1 小时 40 分」."""
    second, minute, hour = ("s", "min", "h") if english else ("秒", "分", "小时")
    seconds = max(1, round(seconds)) if seconds > 0 else 0    # some work takes a second
    if seconds < 60:
        return f"{seconds} {second}"
    if seconds < 3600:
        return f"{seconds // 60} {minute} {seconds % 60:02d} {second}"
    return f"{seconds // 3600} {hour} {seconds % 3600 // 60:02d} {minute}"


def merge_plans(plan: RetagPlan, part: RetagPlan) -> RetagPlan:
    """Two plans over different relations as one (their counts summed)."""
    def summed(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, int]:
        return {k: a.get(k, 0) + b.get(k, 0) for k in {*a, *b}}

    return RetagPlan(
        changes=plan.changes + part.changes, skipped_noop=plan.skipped_noop + part.skipped_noop,
        conflicts=plan.conflicts + part.conflicts,
        per_tag_add=summed(plan.per_tag_add, part.per_tag_add),
        per_tag_remove=summed(plan.per_tag_remove, part.per_tag_remove),
        already_tagged=summed(plan.already_tagged, part.already_tagged),
        already_absent=summed(plan.already_absent, part.already_absent),
        conflicts_allowed=part.conflicts_allowed or plan.conflicts_allowed)
