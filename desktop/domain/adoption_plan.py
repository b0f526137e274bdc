"""Planning an adoption: a tag group made in the admin console (or by another app), which
WeCom does not let TagDesk's app edit (81011), re-created under TagDesk's app.

The twin group holds the same tags (same names, same order); every relation carrying an old
tag gets one `mark_tag` that adds the twins of the old tags it carries and removes the old
ones. A relation that already carries every twin only loses the old tags, and one carrying no
old tag costs nothing. The old group stays for an admin to delete in the console.

WeCom keeps corp group names unique and `add_corp_tag` with a taken group name adds to that
group instead of making a new one, so the twin cannot share the old name while the old group
lives: it is named with a suffix (`adopted_group_name`) that the user sees before anything runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

from desktop.domain.retag_plan import RelationChange, RelationState, RetagPlan

ADOPTED_SUFFIX = "(TagDesk)"
MAX_GROUP_NAME_LEN = 30
NEW_TWIN_PREFIX = "\x00new-twin:"
"""Stands for a twin's id in a preview, before the twin is created."""


@dataclass(frozen=True)
class AdoptedTag:
    """One tag of the old group and its twin's id (a placeholder until the twin exists)."""

    old_id: str
    name: str
    order: int
    twin_id: str

    @property
    def twin_exists(self) -> bool:
        return not self.twin_id.startswith(NEW_TWIN_PREFIX)


def adopted_group_name(name: str) -> str:
    """The twin group's default name: the old name and a suffix, within WeCom's 30 characters."""
    room = MAX_GROUP_NAME_LEN - len(ADOPTED_SUFFIX)
    return f"{name.strip()[:room]}{ADOPTED_SUFFIX}"


def placeholder_twin(old_id: str) -> str:
    return f"{NEW_TWIN_PREFIX}{old_id}"


def plan_adoption(tags: Sequence[AdoptedTag], current: Mapping[int, RelationState]) -> RetagPlan:
    """One `mark_tag` per relation carrying an old tag: add its twins, remove the old tags."""
    twins = {tag.old_id: tag.twin_id for tag in tags}
    changes: list[RelationChange] = []
    noop = 0
    for state in current.values():
        old = sorted(twins.keys() & state.tag_ids)
        if not old:
            noop += 1
            continue
        add = tuple(sorted({twins[o] for o in old} - state.tag_ids))
        changes.append(RelationChange(state.relation_id, state.external_userid, state.userid,
                                      add, tuple(old)))
    per_add = Counter(chain.from_iterable(change.add for change in changes))
    per_remove = Counter(chain.from_iterable(change.remove for change in changes))
    return RetagPlan(tuple(changes), noop, (), dict(per_add), dict(per_remove),
                     conflicts_allowed=True)
