"""Splitting filter text into tokens, keeping each token's character offsets.

Bare words run until whitespace or an operator character; quote characters and `-`
are ordinary inside a word (`Women's`, `MKT-高意向`) and only start a string or a
NOT at the beginning of a token. Keywords (AND/OR/NOT, 且/或/非) are whole words.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from desktop.domain.filter.ast import Comparison
from desktop.domain.filter.errors import FilterSyntaxError


class Kind(enum.Enum):
    WORD = "word"
    STRING = "string"
    LPAREN = "("
    RPAREN = ")"
    AND = "AND"
    OR = "OR"
    NOT = "NOT"
    COLON = ":"
    COMPARE = "compare"
    EOF = "eof"


@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str  # the word, or a string's content without quotes and escapes
    start: int
    end: int
    descendants: bool = False  # a quoted name followed by `/*`
    op: Comparison | None = None


QUOTES = {'"': '"', "'": "'", "「": "」", "“": "”", "‘": "’", "『": "』"}
KEYWORDS = {"and": Kind.AND, "or": Kind.OR, "not": Kind.NOT, "且": Kind.AND, "或": Kind.OR,
            "非": Kind.NOT}

_SINGLE = {"(": Kind.LPAREN, "（": Kind.LPAREN, ")": Kind.RPAREN, "）": Kind.RPAREN,
           "&": Kind.AND, "＆": Kind.AND, "|": Kind.OR, "｜": Kind.OR, ":": Kind.COLON,
           "：": Kind.COLON}
_COMPARE = [  # longest first
    ("!=", Comparison.NE), ("！=", Comparison.NE), (">=", Comparison.GE), ("<=", Comparison.LE),
    ("≥", Comparison.GE), ("≤", Comparison.LE), ("≠", Comparison.NE), (">", Comparison.GT),
    ("<", Comparison.LT), ("=", Comparison.EQ), ("＞", Comparison.GT), ("＜", Comparison.LT),
    ("＝", Comparison.EQ),
]
WORD_BREAKS = frozenset("()（）&＆|｜:：<>=＜＞＝≤≥≠!！")
NOT_PREFIXES = frozenset("-－!！")


def tokenize(text: str) -> list[Token]:
    """All tokens of `text`, ending with an EOF token at `len(text)`."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        token = _operator_at(text, i) or _string_at(text, i) or _word_at(text, i)
        tokens.append(token)
        i = token.end
    tokens.append(Token(Kind.EOF, "", n, n))
    return tokens


def _operator_at(text: str, i: int) -> Token | None:
    for symbol, op in _COMPARE:
        if text.startswith(symbol, i):
            return Token(Kind.COMPARE, symbol, i, i + len(symbol), op=op)
    char = text[i]
    kind = _SINGLE.get(char)
    if kind is not None:
        end = i + 2 if char in "&|" and text.startswith(char * 2, i) else i + 1
        return Token(kind, text[i:end], i, end)
    if char in NOT_PREFIXES:
        return Token(Kind.NOT, char, i, i + 1)
    return None


def _string_at(text: str, i: int) -> Token | None:
    closing = QUOTES.get(text[i])
    if closing is None:
        return None
    chars: list[str] = []
    j = i + 1
    while j < len(text):
        char = text[j]
        if char == "\\" and j + 1 < len(text):
            chars.append(text[j + 1])
            j += 2
            continue
        if char == closing:
            end = j + 1
            descendants = text.startswith("/*", end)
            if descendants:
                end += 2
            return Token(Kind.STRING, "".join(chars), i, end, descendants=descendants)
        chars.append(char)
        j += 1
    raise FilterSyntaxError(
        len(text), [closing], "",
        zh=f"第 {i + 1} 个字符处的引号 {text[i]} 没有闭合，应以 {closing} 结束",
        en=f"the quote {text[i]} at character {i + 1} is not closed; end it with {closing}",
    )


def _word_at(text: str, i: int) -> Token:
    j = i
    while j < len(text) and not text[j].isspace() and text[j] not in WORD_BREAKS:
        j += 1
    word = text[i:j]
    kind = KEYWORDS.get(word.lower(), Kind.WORD)
    return Token(kind, word, i, j)
