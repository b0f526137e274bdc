"""Nearest names for "did you mean": by text and by full pinyin, so 高意相 finds 高意向.

Pinyin is computed lazily (only when a name is not found) and kept per suggester,
so a GUI that re-parses on every keystroke pays for it once per catalogue.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

SCORE_CUTOFF = 60.0
PINYIN_CUTOFF = 75.0   # pinyin shares many letters by chance: putong ~ huadong scores 62


def fold_text(text: str) -> str:
    """Comparison form of free text: full-width → half-width and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def fold(text: str) -> str:
    """Comparison form of a name: like `fold_text`, and trimmed."""
    return fold_text(text).strip()


def full_pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin  # its dictionaries take a while to load: only when needed

    return "".join(lazy_pinyin(fold(text))).replace(" ", "")


def pinyin_initials(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(fold(text), style=Style.FIRST_LETTER)).replace(" ", "")


class NameSuggester:
    """Ranks known names by closeness to a query that matched nothing."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names = sorted(set(names))
        self._folded = [fold(name) for name in self._names]
        self._pinyin: list[str] | None = None
        self._initials: list[str] | None = None

    def nearest(self, query: str, limit: int = 5) -> list[str]:
        if not self._names or not query.strip():
            return []
        from rapidfuzz import fuzz, process  # only when a name was not found
        from rapidfuzz.distance import Levenshtein

        if self._pinyin is None or self._initials is None:
            self._pinyin = [full_pinyin(name) for name in self._names]
            self._initials = [pinyin_initials(name) for name in self._names]
        folded, spelled = fold(query), full_pinyin(query)
        scores: dict[int, float] = {}
        for choices, probe, cutoff in ((self._folded, folded, SCORE_CUTOFF),
                                       (self._pinyin, spelled, PINYIN_CUTOFF)):
            for _, score, index in process.extract(
                probe, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            ):
                scores[index] = max(scores.get(index, 0.0), score)
        for index, name in enumerate(self._folded):
            if name.startswith(folded) or (
                folded.isascii() and len(folded) >= 2
                and (self._pinyin[index].startswith(folded)
                     or self._initials[index].startswith(folded))
            ):
                scores[index] = max(scores.get(index, 0.0), 99.0)
        if len(folded) >= 3 and not folded.isascii():   # 已流失: 流失预警 shares 流失
            for index, name in enumerate(self._folded):
                if index not in scores and _shares_most_of(folded, name):
                    scores[index] = SCORE_CUTOFF
        if not scores and len(folded) >= 2:   # nothing alike: one character mistyped (教肓)
            for _, _distance, index in process.extract(
                folded, self._folded, scorer=Levenshtein.distance, score_cutoff=1, limit=None
            ):
                scores[index] = SCORE_CUTOFF
        ranked = sorted(scores, key=lambda i: (-scores[i], len(self._names[i]), self._names[i]))
        return [self._names[i] for i in ranked[:limit]]


def _shares_most_of(query: str, name: str) -> bool:
    """Whether `name` holds a run of at least two thirds of `query`'s characters: a CJK name
    with a word before or after it (已流失 and 流失预警 score 57 by ratio, under the cutoff)."""
    run = max(2, -(-2 * len(query) // 3))
    if run > len(name):        # cannot hold it (a 100,000-character query: no slicing at all)
        return False
    return any(query[start:start + run] in name for start in range(len(query) - run + 1))
