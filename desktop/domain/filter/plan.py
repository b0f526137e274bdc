"""A resolved filter: names replaced by tag keys, userids and timestamps.

The store evaluates a plan over bitmaps of relation ids. Leaves are frozen and
hashable so the store can cache each leaf's result until the cache changes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AllRelations:
    pass


@dataclass(frozen=True)
class TagLeaf:
    """Relations carrying any of these tags (local `tag.pk` keys)."""

    pks: frozenset[int]


@dataclass(frozen=True)
class OwnerLeaf:
    """Relations owned by any of these members."""

    userids: frozenset[str]


@dataclass(frozen=True)
class StateLeaf:
    """Relations whose live-code `state` is one of these."""

    states: frozenset[str]


@dataclass(frozen=True)
class TextLeaf:
    """Relations whose text fields contain `needle` (already `suggest.fold_text`-ed)."""

    needle: str


@dataclass(frozen=True)
class CreatedLeaf:
    """Relations with `start <= createtime < end` (unix seconds; None is unbounded)."""

    start: int | None
    end: int | None


@dataclass(frozen=True)
class TagCountLeaf:
    """Relations with `low <= number of corp tags < high` (None is unbounded)."""

    low: int
    high: int | None


@dataclass(frozen=True)
class PlanNot:
    operand: Plan


@dataclass(frozen=True)
class PlanAnd:
    operands: tuple[Plan, ...]


@dataclass(frozen=True)
class PlanOr:
    operands: tuple[Plan, ...]


Leaf = TagLeaf | OwnerLeaf | StateLeaf | TextLeaf | CreatedLeaf | TagCountLeaf
Plan = AllRelations | Leaf | PlanNot | PlanAnd | PlanOr
