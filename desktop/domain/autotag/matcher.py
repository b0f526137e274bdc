"""Finding a tag's phrases in a normalised message: exact or by sound (寻价 ~ 询价), only on
word boundaries (jieba segmentation, so 不想买了 holds no 想买), minus traps (代开发票 is
not a request for an invoice), with negation and reported speech marked on each hit."""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from desktop.domain.autotag.normalise import NormalText, is_cjk, normal_text
from desktop.domain.autotag.patterns import GAP_CHARS
from desktop.domain.autotag.scope import (
    negation_cue,
    postposed_negation,
    quoted_spans,
    reported,
)

EXACT = "exact"
SOUND = "sound"
# A sound-alike counts for this share of the phrase's strength.
SOUND_FACTOR = 0.75
# A phrase of two or more characters that meets a word boundary on one side only (jieba
# glued it to a neighbour: 能发顺丰吗 → 能 / 发顺丰 / 吗).
HALF_ALIGNED_FACTOR = 0.9
# A gapped phrase (约…时间) is a little less sure than a phrase written out.
GAPPED_FACTOR = 0.9
SEGMENTED_MIN = 3   # phrases at least this long are taught to the segmenter
SOUND_WORD_MAX = 3  # sound-alikes of phrases up to this long need a dictionary word
# Particles and degree words a phrase may cut off the word jieba made around it.
FUNCTION_CHARS = frozenset("太很好超挺更真蛮巨贼特了吗呢吧啊呀的么嘛哦啦也都就还再又还能可我你要想请问下个点些一")


@dataclass(frozen=True)
class Phrase:
    """A normalised phrase that votes for `tag` with `strength` (0–1); a `fallback` phrase
    counts only when no other phrase does. With `second`, the phrase is gapped: `text`, then
    `second` later in the same clause, at most GAP_CHARS characters after it. With
    `requires`, the phrase counts only when a phrase of that tag counts in the same message."""

    text: str
    tag: str
    strength: float
    fallback: bool = False
    second: str = ""
    requires: str = ""

    @property
    def name(self) -> str:
        """The phrase as the learner and the evidence name it (约…时间 for a gapped one)."""
        return f"{self.text}…{self.second}" if self.second else self.text


@dataclass(frozen=True)
class Hit:
    """One phrase found in a message: `matched` as the customer wrote it (預算不夠 for the
    phrase 预算不够), `start` and `end` in the normalised text."""

    tag: str
    phrase: str
    matched: str
    start: int
    end: int
    strength: float
    kind: str
    negation: str | None
    reported: bool
    fallback: bool = False
    requires: str = ""

    @property
    def counts(self) -> bool:
        """True when the hit is the customer's own, un-negated words."""
        return self.negation is None and not self.reported


@cache
def _char_pinyin(char: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(char, style=Style.NORMAL)[0]


def _teachable(word: str) -> bool:
    return len(word) >= SEGMENTED_MIN and all(is_cjk(c) for c in word)


class Segmenter:
    """jieba's dictionary plus the phrases of one tag set kept whole (代开发票 is one word,
    not 代 + 开发票). Each phrase set has its own, so a tagger's words never depend on which
    taggers were built before it in the process; it learns nothing once built, so threads
    may share it."""

    def __init__(self, taught: frozenset[str]) -> None:
        import rjieba  # loads its dictionary: only for auto-tagging, never for other commands

        self.taught = taught
        self._jieba = rjieba.Jieba()
        for word in sorted(taught):
            if not self._jieba.has_word(word):
                self._jieba.add_word(word, None, None)

    def cut(self, body: str) -> list[str]:
        """jieba's words of a normalised text."""
        return list(self._jieba.cut(body, True))

    def known(self, word: str) -> bool:
        """True when the word is in the dictionary (taught phrases included)."""
        return bool(self._jieba.has_word(word))


# A dictionary costs a third of a second and about 25 MB: the latest phrase sets keep theirs.
SEGMENTERS_KEPT = 3
_SEGMENTERS: OrderedDict[frozenset[str], Segmenter] = OrderedDict()
_SEGMENTERS_LOCK = threading.Lock()


def segmenter_for(phrases: Iterable[str]) -> Segmenter:
    """The segmenter that keeps these phrases whole (those of three or more Chinese
    characters; the others jieba cuts well enough), shared by taggers of the same phrases."""
    taught = frozenset(p for p in phrases if _teachable(p))
    with _SEGMENTERS_LOCK:
        found = _SEGMENTERS.get(taught)
        if found is None:
            found = _SEGMENTERS[taught] = Segmenter(taught)
            while len(_SEGMENTERS) > SEGMENTERS_KEPT:
                _SEGMENTERS.popitem(last=False)
        _SEGMENTERS.move_to_end(taught)
        return found


def _is_latin(text: str) -> bool:
    return any("a" <= c <= "z" or "0" <= c <= "9" for c in text)


def _word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


class PhraseIndex:
    """Every phrase of every tag, looked up by text and by toneless pinyin."""

    def __init__(self, phrases: Iterable[Phrase], traps: dict[str, tuple[str, ...]]) -> None:
        self.exact: dict[str, list[Phrase]] = defaultdict(list)
        self.gapped: dict[str, list[Phrase]] = defaultdict(list)
        self.sound: dict[tuple[str, ...], list[Phrase]] = defaultdict(list)
        for phrase in phrases:
            if not phrase.text:
                continue
            if phrase.second:
                self.gapped[phrase.text].append(phrase)
                continue
            self.exact[phrase.text].append(phrase)
            if (len(phrase.text) >= 2 and all(is_cjk(c) for c in phrase.text)
                    and not phrase.fallback and not phrase.requires):
                self.sound[tuple(_char_pinyin(c) for c in phrase.text)].append(phrase)
        self.traps: dict[str, list[str]] = defaultdict(list)
        for tag, tag_traps in traps.items():
            for trap in tag_traps:
                normal = normal_text(trap)
                if normal:
                    self.traps[normal].append(tag)
        self.lengths = sorted({len(text) for text in self.exact} | {len(t) for t in self.traps}
                              | {len(text) for text in self.gapped})
        self.sound_lengths = sorted({len(key) for key in self.sound})
        self.trap_lengths = sorted({len(t) for t in self.traps})
        self.segmenter = segmenter_for([*self.exact, *self.traps])

    def trapped(self, text: NormalText) -> dict[str, list[tuple[int, int]]]:
        """(start, end) of each trap in the text, by the tag it belongs to."""
        body = text.text
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for length in self.trap_lengths:
            for start in range(len(body) - length + 1):
                for tag in self.traps.get(body[start:start + length], ()):
                    spans[tag].append((start, start + length))
        return spans

    def find(self, text: NormalText) -> list[Hit]:
        """Every hit in the text, traps removed, each marked negated or reported or not (a
        phrase inside a longer one of the same tag shares its fate: 不用开发票 negates 发票);
        a phrase that requires another tag only when that tag's own phrases count here."""
        body = text.text
        if not body:
            return []
        starts, ends = _boundaries(self.segmenter.cut(body))
        quotes = quoted_spans(body)
        trapped: dict[str, list[tuple[int, int]]] = defaultdict(list)
        candidates: list[tuple[Phrase, int, int, float, str]] = []
        for length in self.lengths:
            for start in range(len(body) - length + 1):
                window = body[start:start + length]
                for tag in self.traps.get(window, ()):
                    trapped[tag].append((start, start + length))
                for phrase in self.exact.get(window, ()):
                    factor = _alignment(body, start, start + length, starts, ends)
                    if factor:
                        candidates.append((phrase, start, start + length, factor, EXACT))
                for phrase in self.gapped.get(window, ()):
                    end = _second_part(text, phrase.second, start + length, starts, ends)
                    if end and _side_ok(body, start, start + length, starts, ends)[0]:
                        candidates.append((phrase, start, end, GAPPED_FACTOR, EXACT))
        candidates.extend(self._sound_alikes(body, starts, ends))
        hits: list[Hit] = []
        ruled_out: dict[str, list[Hit]] = defaultdict(list)    # negated or reported, per tag
        for phrase, start, end, factor, kind in sorted(candidates, key=lambda c: c[1] - c[2]):
            if any(b < end and start < e for b, e in trapped.get(phrase.tag, ())):
                continue
            if _asks_either_way(body, start) or _asked_after(body, end):
                continue
            strength = phrase.strength * factor * (SOUND_FACTOR if kind == SOUND else 1.0)
            latin = _is_latin(phrase.text)
            negation = negation_cue(text, start, latin) or (
                None if latin else postposed_negation(text, end))
            is_reported = reported(text, start, quotes)
            for outer in ruled_out.get(phrase.tag, ()):
                if outer.start <= start and end <= outer.end:
                    negation = negation or outer.negation
                    is_reported = is_reported or outer.reported
            hit = Hit(
                tag=phrase.tag, phrase=phrase.name, matched=text.original(start, end),
                start=start, end=end,
                strength=strength, kind=kind, negation=negation, reported=is_reported,
                fallback=phrase.fallback, requires=phrase.requires,
            )
            hits.append(hit)
            if not hit.counts:
                ruled_out[hit.tag].append(hit)
        return _supported(hits)

    def _sound_alikes(
        self, body: str, starts: list[int], ends: list[int],
    ) -> list[tuple[Phrase, int, int, float, str]]:
        """Windows that sound like a phrase but are written differently (寻价 for 询价).

        Guard against short-word false hits (邮吗 is not 有吗, 月到 not 约到): at most one
        character in three may differ; a phrase of up to three characters must be a word of
        the dictionary and the window must not be one; the window must sit on word
        boundaries on both sides.
        """
        found: list[tuple[Phrase, int, int, float, str]] = []
        if not self.sound_lengths:
            return found
        sounds = [_char_pinyin(c) if is_cjk(c) else "" for c in body]
        for length in self.sound_lengths:
            for start in range(len(body) - length + 1):
                key = tuple(sounds[start:start + length])
                if "" in key:
                    continue
                phrases = self.sound.get(key)
                if not phrases:
                    continue
                window = body[start:start + length]
                for phrase in phrases:
                    differing = sum(a != b for a, b in zip(window, phrase.text, strict=True))
                    if differing == 0 or differing > max(1, length // 3):
                        continue
                    if length <= SOUND_WORD_MAX and (self.segmenter.known(window)
                                                     or not self.segmenter.known(phrase.text)):
                        continue
                    if _alignment(body, start, start + length, starts, ends) == 1.0:
                        found.append((phrase, start, start + length, 1.0, SOUND))
        return found


def _asks_either_way(body: str, start: int) -> bool:
    """True when a phrase starts at the 不 or 没 of an A-not-A question (不好用 in 好不好用
    asks whether it works; it does not say it fails)."""
    return (0 < start < len(body) - 1 and body[start] in "不没"
            and body[start - 1] == body[start + 1])


def _asked_after(body: str, end: int) -> bool:
    """True when a phrase ends where an A-not-A question about its last word begins (噪音大
    in 噪音大不大 asks whether it is loud; it does not say it is)."""
    return (0 < end < len(body) - 1 and body[end] in "不没"
            and body[end + 1] == body[end - 1])


def _supported(hits: list[Hit]) -> list[Hit]:
    """The hits without those whose required tag has no phrase of its own that counts."""
    if not any(hit.requires for hit in hits):
        return hits
    present = {hit.tag for hit in hits if hit.counts and not hit.requires and not hit.fallback}
    return [hit for hit in hits if not hit.requires or hit.requires in present]


def _second_part(text: NormalText, second: str, after: int, starts: list[int],
                 ends: list[int]) -> int:
    """Where the second part of a gapped phrase ends when it follows `after` within
    GAP_CHARS characters of the same clause and ends on a word boundary; 0 when it does not."""
    body = text.text
    limit = min(len(body), after + GAP_CHARS + len(second))
    clause_end = next((mark for mark in text.sorted_clauses if mark >= after), len(body))
    found = body.find(second, after, min(limit, clause_end))
    while found != -1:
        end = found + len(second)
        if _side_ok(body, found, end, starts, ends)[1]:
            return end
        found = body.find(second, found + 1, min(limit, clause_end))
    return 0


def words(body: str) -> list[str]:
    """jieba's words of a normalised text, by its dictionary alone."""
    return segmenter_for(()).cut(body)


def _boundaries(tokens: Iterable[str]) -> tuple[list[int], list[int]]:
    """The start and end positions of the words, ascending."""
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for token in tokens:
        starts.append(position)
        position += len(token)
        ends.append(position)
    return starts, ends


def _side_ok(body: str, start: int, end: int, starts: list[int], ends: list[int]) -> tuple[bool, bool]:
    """Whether each side of a match is a word boundary, or cuts only a particle or degree
    word off the word around it (太贵 holds 贵; 不想 holds no 想)."""
    at = bisect_right(starts, start) - 1
    word_start = starts[at] if at >= 0 else 0
    left = body[word_start:start]
    at = bisect_left(ends, end)
    word_end = ends[at] if at < len(ends) else len(body)
    right = body[end:word_end]
    return all(c in FUNCTION_CHARS for c in left), all(c in FUNCTION_CHARS for c in right)


def _alignment(body: str, start: int, end: int, starts: list[int], ends: list[int]) -> float:
    """How well a match sits on word boundaries: 1 on both, less on one (phrases of two or
    more characters), 0 when it cuts into words on both sides. Latin phrases need whole
    words."""
    if _is_latin(body[start:end]):
        before_ok = start == 0 or not _word_char(body[start - 1])
        after_ok = end == len(body) or not _word_char(body[end])
        return 1.0 if before_ok and after_ok else 0.0
    left_ok, right_ok = _side_ok(body, start, end, starts, ends)
    if left_ok and right_ok:
        return 1.0
    if end - start >= 2 and (left_ok or right_ok):
        return HALF_ALIGNED_FACTOR
    return 0.0
