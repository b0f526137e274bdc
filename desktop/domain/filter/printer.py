"""Writing an `Expr` back as canonical filter text: `parse(to_text(e)) == e`.

Used to show a normalised filter, to build filters from clicks (chips, Ctrl-click on
a tag), and to spell out candidates in error messages (`客户等级:VIP`).
"""

from __future__ import annotations

from desktop.domain.filter.ast import (
    AddedTerm,
    And,
    Comparison,
    DateRange,
    DeptTerm,
    Expr,
    GroupTerm,
    MatchAll,
    Not,
    Or,
    OwnerTerm,
    StateTerm,
    TagCountTerm,
    TagTerm,
    TextTerm,
)
from desktop.domain.filter.lexer import KEYWORDS, NOT_PREFIXES, QUOTES, WORD_BREAKS
from desktop.domain.filter.parser import FIELD_NAMES


def quote(text: str) -> str:
    """`text` as one filter word: bare when it reads back unchanged, else double-quoted."""
    bare = (
        text
        and not any(char.isspace() or char in WORD_BREAKS for char in text)
        and text[0] not in NOT_PREFIXES
        and text[0] not in QUOTES
        and not text.endswith("/*")
        and text.lower() not in KEYWORDS
        and text.lower() not in FIELD_NAMES
    )
    if bare:
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def tag_text(name: str, group: str | None = None, descendants: bool = False) -> str:
    """The spelling of one tag reference, e.g. `客户等级:VIP` or `"高 意向"/*`."""
    text = quote(name) + ("/*" if descendants else "")
    return f"{quote(group)}:{text}" if group is not None else text


_OPS = {Comparison.EQ: ":", Comparison.NE: "!=", Comparison.LT: "<", Comparison.LE: "<=",
        Comparison.GT: ">", Comparison.GE: ">="}


def to_text(expr: Expr) -> str:
    """Canonical text for `expr`, with English keywords and only the parentheses needed."""
    if isinstance(expr, MatchAll):
        return ""
    if isinstance(expr, Or):
        return " OR ".join(to_text(operand) for operand in expr.operands)
    if isinstance(expr, And):
        return " AND ".join(
            f"({to_text(operand)})" if isinstance(operand, Or) else to_text(operand)
            for operand in expr.operands
        )
    if isinstance(expr, Not):
        inner = to_text(expr.operand)
        return "NOT " + (f"({inner})" if isinstance(expr.operand, And | Or) else inner)
    return _term_text(expr)


def date_text(when: DateRange) -> str:
    """How the user wrote the date, or the shortest ISO spelling of the range."""
    if when.text:
        return quote(when.text)
    first, end = when.first, when.end
    if (first.month, first.day, end.year, end.month, end.day) == (1, 1, first.year + 1, 1, 1):
        return f"{first.year:04d}"
    if first.day == 1 and end.day == 1 and (end.year * 12 + end.month) - (
        first.year * 12 + first.month
    ) == 1:
        return f"{first.year:04d}-{first.month:02d}"
    return first.isoformat()


def _term_text(expr: Expr) -> str:
    if isinstance(expr, TagTerm):
        return tag_text(expr.name, expr.group, expr.descendants)
    if isinstance(expr, GroupTerm):
        return f"group:{quote(expr.group)}"
    if isinstance(expr, OwnerTerm):
        return f"owner:{quote(expr.value)}"
    if isinstance(expr, DeptTerm):
        return f"dept:{quote(expr.value)}"
    if isinstance(expr, StateTerm):
        return f"state:{quote(expr.value)}"
    if isinstance(expr, TextTerm):
        return f"text:{quote(expr.value)}"
    if isinstance(expr, AddedTerm):
        return f"added{_OPS[expr.op]}{date_text(expr.when)}"
    if isinstance(expr, TagCountTerm):
        return f"tags{_OPS[expr.op]}{expr.count}"
    raise TypeError(f"not a filter expression: {expr!r}")
