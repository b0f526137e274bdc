"""Normalising chat text before matching: traditional → simplified (OpenCC), full/half width
(NFKC), case, Cantonese and northern dialect words in Mandarin (冇 → 没, 咋 → 怎么), runs of
one repeated character, and spaces or punctuation inside words; chat emoji codes ([微笑]) go,
a web address becomes the word 链接.

Spaces and in-word punctuation between two Chinese characters are removed (`退 款`, `退-款`
→ `退款`) but remembered as soft breaks: a space often separates clauses in chat
(`不用了 谢谢`), so negation never reaches across one. Emoji and other symbols are dropped.

Every normalised character remembers the span of the customer's own characters it came from,
so evidence can be shown as they wrote it (預算不太夠, not 预算不太够; 退 款, not 退款).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
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
# Cantonese, northern and chat words in Mandarin (after traditional → simplified), so one
# phrase list serves them all: 冇收到 is 没收到, 得唔得 asks like 行不行, 忒贵 is 太贵.
DIALECT_WORDS = {
    "乜嘢": "什么", "咩嘢": "什么", "点解": "为什么", "点样": "怎么样", "边度": "哪里", "边个": "谁",
    "几时": "什么时候", "几多钱": "多少钱", "几钱": "多少钱", "听日": "明天", "琴日": "昨天",
    "寻日": "昨天", "今日": "今天", "下昼": "下午", "朝早": "早上", "而家": "现在", "唔该": "麻烦",
    "平啲": "便宜点", "平少少": "便宜一点", "贵啲": "贵点", "细码": "小码", "神马": "什么", "肿么": "怎么", "木有": "没有",
    "明儿": "明天", "今儿": "今天", "昨儿": "昨天", "瞅": "看",
    "呢个": "这个", "呢部": "这部", "呢款": "这款", "呢件": "这件", "呢只": "这只", "呢间": "这间",
    "呢张": "这张", "呢度": "这里", "喺度": "在", "呢排": "最近", "阿拉": "我们", "侬": "你", "辰光": "时候",
    "冇": "没", "唔": "不", "嚟": "来", "咗": "了", "喺": "在", "佢": "他", "啲": "些", "嘅": "的",
    "哋": "们", "睇": "看", "嘢": "东西", "揾": "找", "攞": "拿", "畀": "给", "俾": "给", "咁": "这么",
    "乜": "什么", "咩": "什么", "咋": "怎么", "啥": "什么", "俺": "我", "忒": "太",
}
_DIALECT = re.compile("|".join(sorted(DIALECT_WORDS, key=len, reverse=True)))
# In this order: emoji codes, web addresses, dialect words, then runs of one character
# (Latin kept at two).
_REWRITES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (_EMOJI_CODE, " "), (_URL, URL_WORD),
    (_DIALECT, lambda match: DIALECT_WORDS[match.group()]),
    (_LATIN_RUN, r"\1\1"), (_CJK_RUN, r"\1"))


Span = tuple[int, int]


@dataclass(frozen=True)
class NormalText:
    """Normalised text; `breaks`: positions of clause marks and of removed spaces (a soft
    break comes before the character at that position); `clauses`: clause marks only;
    `source`: the text as written; `origins`: per normalised character, the span of `source`
    it came from (None when the two cannot be lined up, which Unicode composition across
    characters can cause)."""

    text: str
    breaks: frozenset[int]
    clauses: frozenset[int]
    source: str = ""
    origins: tuple[Span, ...] | None = None

    def original(self, start: int, end: int) -> str:
        """The characters as written behind `text[start:end]` (the normalised ones when the
        text cannot be lined up with what was written)."""
        if self.origins is None or not 0 <= start < end <= len(self.origins):
            return self.text[start:end]
        return self.source[self.origins[start][0]:self.origins[end - 1][1]]

    def original_of(self, fragment: str) -> str:
        """`fragment` (a piece of the normalised text) as written, at its first occurrence."""
        at = self.text.find(fragment) if fragment else -1
        return self.original(at, at + len(fragment)) if at >= 0 else fragment

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


def _simplified_with_origins(text: str) -> tuple[str, list[Span] | None]:
    """`simplify(text)` and, per character of it, the span of `text` it came from."""
    simple = simplify(text)
    pieces = [_simple_char(char) for char in text]
    if "".join(pieces) != simple:
        return simple, None
    if len(simple) == len(text):      # one character for one: the usual case
        return simple, list(zip(range(len(text)), range(1, len(text) + 1), strict=True))
    return simple, [(index, index + 1) for index, piece in enumerate(pieces) for _ in piece]


@lru_cache(maxsize=65_536)
def _simple_char(char: str) -> str:
    """One character simplified on its own (as `simplify` does for whole texts)."""
    return simplify(char)


def _sub(pattern: re.Pattern[str], replacement: str | Callable[[re.Match[str]], str],
         text: str, origins: list[Span]) -> tuple[str, list[Span]]:
    """`pattern.sub(replacement, text)`, each new character coming from the whole match."""
    if pattern.search(text) is None:
        return text, origins
    out: list[str] = []
    spans: list[Span] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(text[last:match.start()])
        spans.extend(origins[last:match.start()])
        new = replacement(match) if callable(replacement) else match.expand(replacement)
        out.append(new)
        spans.extend([(origins[match.start()][0], origins[match.end() - 1][1])] * len(new))
        last = match.end()
    out.append(text[last:])
    spans.extend(origins[last:])
    return "".join(out), spans


def normalise(text: str) -> NormalText:
    """The text as the matcher sees it; see the module docstring."""
    simple, mapped = _simplified_with_origins(text)
    origins = mapped if mapped is not None else [(0, len(text))] * len(simple)
    for pattern, replacement in _REWRITES:
        simple, origins = _sub(pattern, replacement, simple, origins)
    text_out, spans, breaks, clauses = _joined(simple, origins)
    return NormalText(text_out, frozenset(breaks), frozenset(clauses), text,
                      tuple(spans) if mapped is not None else None)


@lru_cache(maxsize=1 << 16)
def normal_text(text: str) -> str:
    """The normalised text alone, kept: every tagger built normalises the same pack phrases."""
    return normalise(text).text


def _joined(text: str, origins: list[Span]) -> tuple[str, list[Span], set[int], set[int]]:
    """Spaces and in-word marks between Chinese characters removed (a soft break), other runs
    of them made one space; the clause marks and breaks found on the way."""
    out: list[str] = []
    spans: list[Span] = []
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
                spans.append((origins[index][0], origins[run_end - 1][1]))
            index = run_end
            continue
        if char in CLAUSE_MARKS:
            clauses.add(len(out))
        if pending_break or char in CLAUSE_MARKS:
            breaks.add(len(out))
            pending_break = False
        out.append(char)
        spans.append(origins[index])
        index += 1
    return "".join(out), spans, breaks, clauses
