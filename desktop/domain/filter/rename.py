"""A filter after a tag is renamed: every reference to the tag respelled with its new name,
so the filter goes on showing the same relations instead of naming a tag that is gone."""

from __future__ import annotations

from collections.abc import Iterator

from desktop.domain.filter.ast import And, Expr, Not, Or, TagTerm
from desktop.domain.filter.errors import FilterError
from desktop.domain.filter.parser import parse
from desktop.domain.filter.printer import tag_text
from desktop.domain.filter.suggest import fold


def renamed_tag(text: str, old: str, new: str, group: str, *,
                name_elsewhere: bool = False) -> str:
    """`text` with each reference to the tag `old` of `group` spelled `new`. A bare name
    is left as it was when another group has a tag called `old` too (`name_elsewhere`):
    it never named this tag alone. Text that does not parse is returned unchanged."""
    try:
        expr = parse(text)
    except FilterError:
        return text
    terms = [term for term in _tag_terms(expr) if fold(term.name) == fold(old)
             and (fold(term.group) == fold(group) if term.group is not None
                  else not name_elsewhere)]
    for term in sorted(terms, key=lambda term: term.span, reverse=True):
        start, end = term.span
        text = text[:start] + tag_text(new, term.group, term.descendants) + text[end:]
    return text


def _tag_terms(expr: Expr) -> Iterator[TagTerm]:
    if isinstance(expr, TagTerm):
        yield expr
    elif isinstance(expr, Not):
        yield from _tag_terms(expr.operand)
    elif isinstance(expr, And | Or):
        for operand in expr.operands:
            yield from _tag_terms(operand)
