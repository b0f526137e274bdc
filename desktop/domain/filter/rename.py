"""A filter after a tag or a group is renamed: every reference respelled with the new name,
so the filter goes on showing the same relations instead of naming a tag that is gone."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from desktop.domain.filter.ast import And, Expr, GroupTerm, Not, Or, TagTerm
from desktop.domain.filter.catalogue import path_segments
from desktop.domain.filter.errors import FilterError
from desktop.domain.filter.lexer import tokenize
from desktop.domain.filter.parser import parse
from desktop.domain.filter.printer import quote, tag_text
from desktop.domain.filter.suggest import fold

Edit = tuple[int, int, str]   # replace text[start:end] with this


@dataclass(frozen=True)
class Rename:
    """A tag or a group renamed, as the window, the command line and the team server all
    respell the filters that name it (`respell`)."""

    old: str
    new: str
    group: str = ""               # the renamed tag's group ("" for a group)
    is_group: bool = False
    name_elsewhere: bool = False  # another group has a tag called `old` too
    children: bool = False        # tags under `old/` keep their names

    def respell(self, text: str) -> str:
        if self.is_group:
            return renamed_group(text, self.old, self.new)
        return renamed_tag(text, self.old, self.new, self.group,
                           name_elsewhere=self.name_elsewhere, children=self.children)


def respelling(renames: Sequence[Rename]) -> Callable[[str], str]:
    """One respell for several renames, each applied in turn (a group's before its tags')."""

    def respell(text: str) -> str:
        for rename in renames:
            text = rename.respell(text)
        return text

    return respell


def tag_rename(old: str, new: str, group: str, others: Iterable[tuple[str, str]]) -> Rename:
    """The rename of the tag `old` of `group` to `new`; `others` is (name, group name) of
    every other tag, to tell whether the bare name meant this tag alone and whether tags
    beneath it keep their names."""
    path = path_segments(old)
    elsewhere = children = False
    for name, group_name in others:
        elsewhere = elsewhere or (name == old and group_name != group)
        children = children or (group_name == group and name != old
                                and path_segments(name)[:len(path)] == path)
    return Rename(old, new, group, name_elsewhere=elsewhere, children=children)


def group_rename(old: str, new: str) -> Rename:
    return Rename(old, new, is_group=True)


def renamed_tag(text: str, old: str, new: str, group: str, *,
                name_elsewhere: bool = False, children: bool = False) -> str:
    """`text` with each reference to the tag `old` of `group` spelled `new`. A bare name
    is left as it was when another group has a tag called `old` too (`name_elsewhere`):
    it never named this tag alone. `old/*` becomes `(new/* | old/*)` when tags under
    `old/` keep their names (`children`), so it still finds them. Text that does not
    parse is returned unchanged."""
    try:
        expr = parse(text)
    except FilterError:
        return text
    edits: list[Edit] = []
    for term in _terms(expr):
        if not isinstance(term, TagTerm) or fold(term.name) != fold(old):
            continue
        if term.group is not None and fold(term.group) != fold(group):
            continue
        if term.group is None and name_elsewhere:
            continue
        spelled = tag_text(new, term.group, term.descendants)
        if term.descendants and children:
            spelled = f"({spelled} | {tag_text(term.name, term.group, True)})"
        edits.append((*term.span, spelled))
    return _edited(text, edits)


def renamed_group(text: str, old: str, new: str) -> str:
    """`text` with each reference to the group `old` spelled `new`: `group:old` and the
    group of a qualified tag (`old:VIP`). Text that does not parse is returned unchanged."""
    try:
        expr = parse(text)
    except FilterError:
        return text
    tokens = tokenize(text)
    edits: list[Edit] = []
    for term in _terms(expr):
        if isinstance(term, GroupTerm) and fold(term.group) == fold(old):
            value = next(t for t in tokens if t.end == term.span[1])
            edits.append((value.start, value.end, quote(new)))
        elif (isinstance(term, TagTerm) and term.group is not None
              and fold(term.group) == fold(old)):
            head = next(t for t in tokens if t.start == term.span[0])
            edits.append((head.start, head.end, quote(new)))
    return _edited(text, edits)


def _edited(text: str, edits: list[Edit]) -> str:
    for start, end, spelled in sorted(edits, reverse=True):
        text = text[:start] + spelled + text[end:]
    return text


def _terms(expr: Expr) -> Iterator[Expr]:
    if isinstance(expr, Not):
        yield from _terms(expr.operand)
    elif isinstance(expr, And | Or):
        for operand in expr.operands:
            yield from _terms(operand)
    else:
        yield expr
