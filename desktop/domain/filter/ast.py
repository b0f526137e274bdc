"""The filter expression tree produced by the parser.

Nodes are frozen and hashable so that parsed expressions can be cached and
compared. Every node carries `span`, the half-open character range of the text it
came from, so later stages (tag resolution) can point at the offending term;
spans are left out of equality so that `parse(to_text(e)) == e` holds.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

Span = tuple[int, int]


class Comparison(enum.Enum):
    """A comparison operator of `added` and `tags`; `:` means EQ."""

    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="


@dataclass(frozen=True)
class MatchAll:
    """The empty filter: every relation."""

    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class TagTerm:
    """A tag by name, optionally qualified by its group; `descendants` for `name/*`."""

    name: str
    group: str | None = None
    descendants: bool = False
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class GroupTerm:
    """Any tag of the named group (`group:客户等级`)."""

    group: str
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class OwnerTerm:
    """Relations owned by a member, given by userid or name (`owner:zhangsan`)."""

    value: str
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class DeptTerm:
    """Relations whose owner belongs to a department or its sub-departments."""

    value: str
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class StateTerm:
    """Relations that came through a live code, by `state` or the contact way's remark."""

    value: str
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class TextTerm:
    """Case-insensitive substring across the customer's and the relation's text fields."""

    value: str
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class DateRange:
    """A calendar day, month or year as the half-open range [first, end)."""

    first: date
    end: date
    text: str = field(default="", compare=False)


@dataclass(frozen=True)
class AddedTerm:
    """Relation `createtime` compared with a local calendar range (`added>=2025-01`)."""

    op: Comparison
    when: DateRange
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class TagCountTerm:
    """The number of corp tags on a relation compared with a number (`tags>=3`)."""

    op: Comparison
    count: int
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class Not:
    operand: Expr
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class And:
    operands: tuple[Expr, ...]
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class Or:
    operands: tuple[Expr, ...]
    span: Span = field(default=(0, 0), compare=False)


Term = TagTerm | GroupTerm | OwnerTerm | DeptTerm | StateTerm | TextTerm | AddedTerm | TagCountTerm
Expr = MatchAll | Term | Not | And | Or
