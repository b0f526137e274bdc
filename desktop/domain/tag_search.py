"""Type-ahead over tag names: Chinese text, pinyin, initials, abbreviations and paths.

Sales staff type `gyx`, `gaoyi`, `高意`, `高yx` or a team abbreviation like `V3` and expect the
right tag on top at once. Every spelling of every path segment (text, pinyin, initials) goes into
sorted tables when the index is built, so a query is a binary search plus the rows it starts.
Only when those give fewer than `limit` hits does the search scan names for substrings, and only
when nothing matched at all does it fall back to fuzzy matching (rapidfuzz), so typos still find
something without adding noise.

Ranking (score, highest first; ties go to the tag on more relations, then the shorter name):

====  ==========================================================================
100   abbreviation equals the query (case-insensitive)
 90   the whole name or its last path segment equals the query (`k12` → 教育/K12)
 80   the name or one of its path segments starts with the query (`高意` → 高意向)
 75   the abbreviation starts with the query
 72   pinyin initials equal the query (`gyx` → 高意向); 70 they start with it
 62   full pinyin equals the query (`gaoyixiang`); 60 it starts with it (`gaoyi`)
 58   Chinese and pinyin mixed from the start (`高yx`, `高yixiang`)
 50   the name contains the query (`意向` → 高意向)
 45   pinyin from a later syllable (`yixiang` → 高意向); 40 initials from a later character
 38   mixed from a later character (`意x` → 高意向)
≤30   fuzzy, when nothing above matched: similar text or pinyin (`gaoyixaing`, 高义向)
====  ==========================================================================

Heteronyms: every reading pypinyin knows for a character is accepted, one character at a time
(`zq` and `cq` both find 重庆, `yinhang` and `yinxing` both find 银行). Initials are the first
letter of each syllable, or `zh` / `ch` / `sh` written out (`zs` and `zhs` both find 张三);
`ü` is typed `v`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rapidfuzz import fuzz, process

from desktop.domain.tag_names import name_key, split_path
from desktop.domain.tags import TagInfo

ABBREVIATION_EXACT = 100.0
NAME_EXACT = 90.0
NAME_PREFIX = 80.0
ABBREVIATION_PREFIX = 75.0
INITIALS_EXACT = 72.0
INITIALS_PREFIX = 70.0
PINYIN_EXACT = 62.0
PINYIN_PREFIX = 60.0
MIXED_PREFIX = 58.0
SUBSTRING = 50.0
PINYIN_LATER = 45.0
INITIALS_LATER = 40.0
MIXED_LATER = 38.0
FUZZY_MAX = 30.0

_FUZZY_TEXT_CUTOFF = 60.0
_FUZZY_PINYIN_CUTOFF = 75.0
_LAST_CHAR = "\U0010ffff"
_DOUBLE_INITIALS = frozenset({"zh", "ch", "sh"})


class MatchForm(StrEnum):
    """Which spelling of the tag matched, so the popup can explain or highlight it."""

    NAME = "name"
    PINYIN = "pinyin"
    INITIALS = "initials"
    ABBREVIATION = "abbreviation"
    MIXED = "mixed"
    FUZZY = "fuzzy"


@dataclass(frozen=True, slots=True)
class SearchHit:
    tag: TagInfo
    score: float
    matched: MatchForm


_Unit = tuple[str, tuple[str, ...]]
"""One character of a name and its readings (empty for anything but Chinese characters)."""
_Hit = tuple[int, float, MatchForm]

# How a spelling scores: (when the query equals it, when the query only starts it, form).
# Rows refer to these by position, so building an index allocates no tuple per row.
_SCORINGS: tuple[tuple[float, float, MatchForm], ...] = (
    (NAME_EXACT, NAME_PREFIX, MatchForm.NAME),
    (NAME_PREFIX, NAME_PREFIX, MatchForm.NAME),
    (ABBREVIATION_EXACT, ABBREVIATION_PREFIX, MatchForm.ABBREVIATION),
    (INITIALS_EXACT, INITIALS_PREFIX, MatchForm.INITIALS),
    (INITIALS_PREFIX, INITIALS_PREFIX, MatchForm.INITIALS),
    (PINYIN_EXACT, PINYIN_PREFIX, MatchForm.PINYIN),
    (PINYIN_PREFIX, PINYIN_PREFIX, MatchForm.PINYIN),
    (PINYIN_LATER, PINYIN_LATER, MatchForm.PINYIN),
    (INITIALS_LATER, INITIALS_LATER, MatchForm.INITIALS),
)
(
    _NAME_LABEL,
    _NAME_SEGMENT,
    _ABBREVIATION,
    _INITIALS_LABEL,
    _INITIALS_SEGMENT,
    _PINYIN_LABEL,
    _PINYIN_SEGMENT,
    _PINYIN_LATER,
    _INITIALS_LATER,
) = range(len(_SCORINGS))
_SCORING_BITS = 4


class _PrefixTable:
    """Spellings kept sorted, so that all spellings a query starts sit in one bisect range.

    Each row is a spelling and one int (tag index and scoring), not a tuple: an index holds tens
    of thousands of rows, and fewer container objects keep the garbage collector quiet.
    """

    def __init__(self) -> None:
        self._keys: list[str] = []
        self._rows: list[int] = []

    def add(self, index: int, spellings: dict[str, int]) -> None:
        for text, scoring in spellings.items():
            self._keys.append(text)
            self._rows.append(index << _SCORING_BITS | scoring)

    def freeze(self) -> None:
        order = sorted(range(len(self._keys)), key=self._keys.__getitem__)
        self._keys = [self._keys[i] for i in order]
        self._rows = [self._rows[i] for i in order]

    def lookup(self, query: str) -> Iterator[_Hit]:
        start = bisect_left(self._keys, query)
        end = bisect_left(self._keys, query + _LAST_CHAR, start)
        mask = (1 << _SCORING_BITS) - 1
        for position in range(start, end):
            row = self._rows[position]
            exact, prefix, form = _SCORINGS[row & mask]
            score = exact if self._keys[position] == query else prefix
            yield row >> _SCORING_BITS, score, form


class TagSearchIndex:
    """Built once per tag list, then queried on every keystroke."""

    def __init__(self, tags: Iterable[TagInfo]) -> None:
        self._tags = list(tags)
        self._name_keys = [name_key(tag.name) for tag in self._tags]
        self._texts = _PrefixTable()
        self._spelled = _PrefixTable()
        self._later = _PrefixTable()
        self._units: list[list[list[_Unit]]] = []
        self._han_index: dict[str, set[int]] = {}
        self._default_pinyin: list[str] = []
        for index, tag in enumerate(self._tags):
            self._add(index, tag)
        for table in (self._texts, self._spelled, self._later):
            table.freeze()
        order = sorted(
            range(len(self._tags)),
            key=lambda i: (
                -self._tags[i].relation_count,
                len(self._tags[i].name),
                self._name_keys[i],
                self._tags[i].id,
            ),
        )
        self._rank = [0] * len(self._tags)
        for rank, index in enumerate(order):
            self._rank[index] = rank

    def __len__(self) -> int:
        return len(self._tags)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """The best `limit` tags for what the user typed so far, best first."""
        text = name_key(query)
        spelled = _spelled_form(text)
        if not text or limit <= 0:
            return []
        best: dict[int, tuple[float, MatchForm]] = {}
        _merge(best, self._texts.lookup(text))
        if spelled.isascii():
            _merge(best, self._spelled.lookup(spelled))
        if any(_is_han(ch) for ch in spelled) and not all(_is_han(ch) for ch in spelled):
            _merge(best, self._mixed(spelled, limit))
        if _count_above(best, SUBSTRING) < limit:
            _merge(best, self._substrings(text))
            if spelled.isascii():
                _merge(best, self._later.lookup(spelled))
        if not best and len(spelled) >= 2:
            _merge(best, self._fuzzy(text, spelled, limit))
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], self._rank[item[0]]))
        return [
            SearchHit(self._tags[index], score, form) for index, (score, form) in ranked[:limit]
        ]

    def _add(self, index: int, tag: TagInfo) -> None:
        texts: dict[str, int] = {}
        spelled: dict[str, int] = {}
        later: dict[str, int] = {}
        key = self._name_keys[index]
        _offer(texts, key, _NAME_LABEL)
        segments = [segment.casefold() for segment in split_path(tag.name)] or [key]
        label = len(segments) - 1
        for position, segment in enumerate(segments):
            _offer(texts, segment, _NAME_LABEL if position == label else _NAME_SEGMENT)
        _offer(texts, name_key(tag.abbreviation), _ABBREVIATION)
        tag_units = [_units(segment) for segment in segments]
        for position, units in enumerate(tag_units):
            _offer_spellings(spelled, later, units, is_label=position == label)
            for char, readings in units:
                if readings:
                    self._han_index.setdefault(char, set()).add(index)
        self._units.append(tag_units)
        self._default_pinyin.append("".join(_default_spelling(tag_units[-1])))
        self._texts.add(index, texts)
        self._spelled.add(index, spelled)
        self._later.add(index, later)

    def _mixed(self, query: str, limit: int) -> list[_Hit]:
        """`高yx`: Chinese characters as typed, the rest as pinyin or initials.

        Candidates are tried best-ranked first, and the search stops once `limit` of them match
        from the start: no later candidate could rank above those.
        """
        han = {ch for ch in query if _is_han(ch)}
        candidates = set.intersection(*(self._han_index.get(ch, set()) for ch in han))
        hits: list[_Hit] = []
        from_start = 0
        for index in sorted(candidates, key=self._rank.__getitem__):
            score = _mixed_score(self._units[index], query)
            if score:
                hits.append((index, score, MatchForm.MIXED))
                from_start += score == MIXED_PREFIX
                if from_start >= limit:
                    break
        return hits

    def _substrings(self, text: str) -> list[_Hit]:
        return [
            (index, SUBSTRING, MatchForm.NAME)
            for index, key in enumerate(self._name_keys)
            if text in key
        ]

    def _fuzzy(self, text: str, spelled: str, limit: int) -> list[_Hit]:
        hits = [
            (index, FUZZY_MAX * similarity / 100, MatchForm.FUZZY)
            for _, similarity, index in process.extract(
                text,
                self._name_keys,
                scorer=fuzz.ratio,
                score_cutoff=_FUZZY_TEXT_CUTOFF,
                limit=limit,
            )
        ]
        sound = "".join(_default_spelling(_units(spelled)))
        if sound.isascii():
            hits += [
                (index, FUZZY_MAX * similarity / 100, MatchForm.FUZZY)
                for _, similarity, index in process.extract(
                    sound,
                    self._default_pinyin,
                    scorer=fuzz.ratio,
                    score_cutoff=_FUZZY_PINYIN_CUTOFF,
                    limit=limit,
                )
            ]
        return hits


def nearest_names(
    name: str, candidates: Iterable[str], limit: int = 3, *, min_score: float = 70.0
) -> list[str]:
    """Up to `limit` candidates that look or sound like `name`, for "unknown tag, did you mean…".

    Names that `name` spells from their start as pinyin initials, full pinyin or both mixed
    with Chinese come first, the shorter first (`gyx` → 高意向, then 高意向客户); then the names
    alike in normalised text or pinyin (the homophone typo 高意象 finds 高意向), pinyin
    similarity counting slightly less than text similarity.
    """
    names = list(dict.fromkeys(candidates))
    if not names or limit <= 0:
        return []
    spelled = _spelled_names(name, names)
    if len(spelled) >= limit:
        return spelled[:limit]
    scores = [0.0] * len(names)
    keys = [name_key(candidate) for candidate in names]
    for _, similarity, index in process.extract(
        name_key(name), keys, scorer=fuzz.ratio, score_cutoff=min_score, limit=None
    ):
        scores[index] = max(scores[index], similarity)
    sound = _sound(name)
    if sound:
        sounds = [_sound(candidate) for candidate in names]
        for _, similarity, index in process.extract(
            sound, sounds, scorer=fuzz.ratio, score_cutoff=min_score, limit=None
        ):
            scores[index] = max(scores[index], similarity * 0.95)
    ranked = sorted(
        (index for index, score in enumerate(scores) if score >= min_score),
        key=lambda index: -scores[index],
    )
    alike = [names[index] for index in ranked if names[index] not in spelled]
    return [*spelled, *alike][:limit]


def _spelled_names(name: str, names: list[str]) -> list[str]:
    """The names `name` spells from the start of the name or of its last path segment, in
    pinyin initials, full pinyin or mixed with Chinese: those spelled in the usual readings
    first (公众号 spells `gyx` only in rare ones), then the shortest. Needs two letters or
    more, and at least one of them Latin: Chinese alone is what the text comparison is for."""
    query = _spelled_form(name_key(name))
    if len(query) < 2 or all(_is_han(ch) for ch in query):
        return []
    found: list[tuple[bool, int, int, str]] = []
    for position, candidate in enumerate(names):
        key = name_key(candidate)
        segments = {key, *(segment.casefold() for segment in split_path(candidate)[-1:])}
        spelled = [units for units in map(_units, segments)
                   if units and _matches_units(units, 0, query)]
        if spelled:
            usual = any(_matches_units([(char, readings[:1]) for char, readings in units], 0,
                                       query) for units in spelled)
            found.append((not usual, len(key), position, candidate))
    return [candidate for *_, candidate in sorted(found)]


def _sound(name: str) -> str:
    return "".join(_default_spelling(_units(_spelled_form(name_key(name)))))


def _merge(best: dict[int, tuple[float, MatchForm]], hits: Iterable[_Hit]) -> None:
    for index, score, form in hits:
        if index not in best or best[index][0] < score:
            best[index] = (score, form)


def _count_above(best: dict[int, tuple[float, MatchForm]], floor: float) -> int:
    return sum(1 for score, _ in best.values() if score > floor)


def _offer(spellings: dict[str, int], text: str, scoring: int) -> None:
    """Record a spelling of one tag, keeping the better scoring when it comes up twice."""
    if text and (text not in spellings or _SCORINGS[spellings[text]] < _SCORINGS[scoring]):
        spellings[text] = scoring


def _offer_spellings(
    spelled: dict[str, int], later: dict[str, int], units: list[_Unit], *, is_label: bool
) -> None:
    """Full pinyin and initials of one path segment, with one heteronym substituted at a time,
    and the default spelling from each later character on (for matches inside the name)."""
    syllables = _default_spelling(units)
    variants = [syllables]
    for position, (_, readings) in enumerate(units):
        for reading in readings[1:]:
            variants.append([*syllables[:position], reading, *syllables[position + 1 :]])
    pinyin_scoring = _PINYIN_LABEL if is_label else _PINYIN_SEGMENT
    initials_scoring = _INITIALS_LABEL if is_label else _INITIALS_SEGMENT
    for variant in variants:
        _offer(spelled, "".join(variant), pinyin_scoring)
        _offer(spelled, "".join([syllable[0] for syllable in variant]), initials_scoring)
        _offer(spelled, "".join([_initial(syllable) for syllable in variant]), initials_scoring)
    for start in range(1, len(syllables)):
        rest = syllables[start:]
        _offer(later, "".join(rest), _PINYIN_LATER)
        _offer(later, "".join([syllable[0] for syllable in rest]), _INITIALS_LATER)


def _initial(syllable: str) -> str:
    """The initial as pinyin writes it: `zh`, `ch` and `sh` keep both letters."""
    return syllable[:2] if syllable[:2] in _DOUBLE_INITIALS else syllable[:1]


def _spelled_form(text: str) -> str:
    """Letters, digits and Chinese characters only, the way pinyin is typed (`xi'an` → `xian`)."""
    return "".join(ch for ch in text if ch.isalnum())


def _units(text: str) -> list[_Unit]:
    return [_unit(ch) for ch in _spelled_form(text)]


def _default_spelling(units: Sequence[_Unit]) -> list[str]:
    return [readings[0] if readings else char for char, readings in units]


def _mixed_score(segments: list[list[_Unit]], query: str) -> float:
    """MIXED_PREFIX if `query` spells a path segment from its start, MIXED_LATER if from a later
    character, 0 if not at all."""
    first = query[0]
    later = False
    for units in segments:
        for start, (char, readings) in enumerate(units):
            if later and start > 0:
                break
            could_start = char == first or any(reading[0] == first for reading in readings)
            if could_start and _matches_units(units, start, query):
                if start == 0:
                    return MIXED_PREFIX
                later = True
    return MIXED_LATER if later else 0.0


def _matches_units(units: Sequence[_Unit], start: int, query: str) -> bool:
    """Does `query` spell `units[start:]` from its start, each character typed as itself, its
    full pinyin or its initial (the last one may be cut short)?"""
    states = {(start, 0)}
    while states:
        following: set[tuple[int, int]] = set()
        for unit, offset in states:
            if offset == len(query):
                return True
            if unit == len(units):
                continue
            char, readings = units[unit]
            if query[offset] == char:
                following.add((unit + 1, offset + 1))
            for reading in readings:
                if reading.startswith(query[offset:]):
                    return True
                if query.startswith(reading, offset):
                    following.add((unit + 1, offset + len(reading)))
                if query[offset] == reading[0]:
                    following.add((unit + 1, offset + 1))
                initial = _initial(reading)
                if len(initial) == 2 and query.startswith(initial, offset):
                    following.add((unit + 1, offset + 2))
        states = following
    return False


def _is_han(ch: str) -> bool:
    return bool(pinyin_readings(ch))


@lru_cache(maxsize=8192)
def _unit(ch: str) -> _Unit:
    return ch, pinyin_readings(ch)


@lru_cache(maxsize=8192)
def pinyin_readings(ch: str) -> tuple[str, ...]:
    """Every toneless reading pypinyin knows for a Chinese character; () for anything else."""
    if not "\u3400" <= ch <= "\u9fff" and not "\uf900" <= ch <= "\ufaff":
        return ()
    from pypinyin import Style, pinyin  # its dictionaries take a while to load: only when needed

    readings = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    found = readings[0] if readings else []
    return tuple(dict.fromkeys(r for r in found if r.isascii() and r.isalpha()))
