"""Normalising chat text before matching: traditional → simplified (OpenCC), full/half width
(NFKC), case, runs of one repeated character, and spaces or punctuation inside words; chat
emoji codes ([微笑]) go, a web address becomes the word 链接.

Spaces and in-word punctuation between two Chinese characters are removed (`退 款`, `退-款`
→ `退款`) but remembered as soft breaks: a space often separates clauses in chat
(`不用了 谢谢`), so negation never reaches across one. Emoji and other symbols are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opencc import OpenCC

# Clause punctuation (after NFKC): negation and reported speech stop here.
CLAUSE_MARKS = frozenset(",.!?;:，。！？；：…\n\r\t、~")
# Characters that may sit inside a word in chat: removed between Chinese characters.
IN_WORD_MARKS = frozenset(" -_*·/|+=^\u3000")
QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", '"': '"', "'": "'"}
_LATIN_RUN = re.compile(r"([a-z])\1{2,}")
# Chat emoji codes as WeCom and WeChat send them: [微笑], [捂脸], [OK], [666].
_EMOJI_CODE = re.compile(r"\[(?:[\u4e00-\u9fff]{1,4}|[a-z0-9]{1,4})\]")
# A web address says "a link" and nothing more (its letters are no English words).
_URL = re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff，。！？]+")
URL_WORD = "链接"
_CJK_RUN = re.compile(r"([\u4e00-\u9fff])\1{2,}")


@dataclass(frozen=True)
class NormalText:
    """Normalised text; `breaks`: positions of clause marks and of removed spaces (a soft
    break comes before the character at that position); `clauses`: clause marks only."""

    text: str
    breaks: frozenset[int]
    clauses: frozenset[int]

    @cached_property
    def sorted_breaks(self) -> tuple[int, ...]:
        return tuple(sorted(self.breaks))

    @cached_property
    def sorted_clauses(self) -> tuple[int, ...]:
        return tuple(sorted(self.clauses))


@cache
def _converter() -> OpenCC:
    from opencc import OpenCC  # loads its conversion tables: only for auto-tagging

    return OpenCC("t2s")


def is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _kept(char: str) -> bool:
    category = unicodedata.category(char)
    return not (category in ("So", "Sk", "Cs", "Co", "Cn", "Cf") or (category == "Cc" and char not in "\n\r\t"))


def simplify(text: str) -> str:
    """Simplified Chinese, half width, lower case, emoji and control characters dropped."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(char for char in text if _kept(char))
    return _converter().convert(text) if text else text


def normalise(text: str) -> NormalText:
    """The text as the matcher sees it; see the module docstring."""
    text = _URL.sub(URL_WORD, _EMOJI_CODE.sub(" ", simplify(text)))
    text = _CJK_RUN.sub(r"\1", _LATIN_RUN.sub(r"\1\1", text))
    out: list[str] = []
    breaks: set[int] = set()
    clauses: set[int] = set()
    pending_break = False
    index = 0
    while index < len(text):
        char = text[index]
        if char in IN_WORD_MARKS:
            run_end = index
            while run_end < len(text) and text[run_end] in IN_WORD_MARKS:
                run_end += 1
            before = out[-1] if out else ""
            after = text[run_end] if run_end < len(text) else ""
            if is_cjk(before) or is_cjk(after):
                pending_break = True
            elif out and out[-1] != " ":
                out.append(" ")
            index = run_end
            continue
        if char in CLAUSE_MARKS:
            clauses.add(len(out))
        if pending_break or char in CLAUSE_MARKS:
            breaks.add(len(out))
            pending_break = False
        out.append(char)
        index += 1
    return NormalText("".join(out), frozenset(breaks), frozenset(clauses))
