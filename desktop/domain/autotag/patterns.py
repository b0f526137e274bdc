"""Phrase families of the intent packs, written once as patterns instead of as sentences.

A pattern is text with alternatives in parentheses and at most one gap:

* `(开|关|按)(不了|不上)` stands for 开不了, 开不上, 关不了 … (a verb and what goes wrong);
* `(找|叫)你们…(店长|经理)`: the two parts in this order in one clause, with at most
  GAP_CHARS characters between them (找你们店长, 叫你们的值班经理), so the family holds
  the customer's own object or time words (约个周六的时间, 明天上午十点我过来).

`expand` turns a pattern into its phrases; a gapped phrase keeps GAP between its parts.
"""

from __future__ import annotations

from itertools import product

from desktop.domain.errors import UserError

GAP = "…"
# Characters that may stand between the two parts of a gapped phrase.
GAP_CHARS = 8
# A family larger than this is a mistake in the pack, not a phrase list.
MAX_EXPANSION = 5000


class BadPattern(UserError):
    """A pack pattern that cannot be read."""


def _bad(pattern: str, zh: str, en: str) -> BadPattern:
    return BadPattern(f"意图包的说法模式“{pattern}”有误：{zh}", f"Intent pack pattern “{pattern}” is wrong: {en}")


def _pieces(pattern: str) -> list[tuple[str, ...]]:
    """The pattern as a list of choices: a literal run is a choice of one."""
    pieces: list[tuple[str, ...]] = []
    literal = ""
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == ")":
            raise _bad(pattern, "多了一个“)”。", "an unmatched “)”.")
        if char != "(":
            literal += char
            index += 1
            continue
        end = pattern.find(")", index)
        if end == -1:
            raise _bad(pattern, "“(”没有配对的“)”。", "a “(” without its “)”.")
        inner = pattern[index + 1:end]
        if "(" in inner or GAP in inner:
            raise _bad(pattern, "括号里不能再有括号或间隔。", "parentheses may hold neither parentheses nor the gap.")
        if literal:
            pieces.append((literal,))
            literal = ""
        pieces.append(tuple(inner.split("|")))
        index = end + 1
    if literal:
        pieces.append((literal,))
    return pieces


def expand(pattern: str) -> tuple[str, ...]:
    """Every phrase a pattern stands for, in order, without repeats."""
    if pattern.count(GAP) > 1:
        raise _bad(pattern, "最多只能有一个间隔“…”。", "at most one gap “…”.")
    if pattern.startswith(GAP) or pattern.endswith(GAP):
        raise _bad(pattern, "间隔“…”两边都要有字。", "the gap “…” needs text on both sides.")
    choices = _pieces(pattern)
    size = 1
    for choice in choices:
        size *= len(choice)
    if size > MAX_EXPANSION:
        raise _bad(pattern, f"展开后超过 {MAX_EXPANSION} 个说法。", f"it stands for over {MAX_EXPANSION} phrases.")
    phrases = ("".join(parts) for parts in product(*choices))
    return tuple(dict.fromkeys(p for p in phrases if p and not p.startswith(GAP) and not p.endswith(GAP)))


def split_gap(phrase: str) -> tuple[str, str]:
    """The two parts of a gapped phrase; ("phrase", "") for one without a gap."""
    first, _, second = phrase.partition(GAP)
    return first, second
