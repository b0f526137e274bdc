"""Type-ahead over people's names: jump to the next row whose name starts with what was typed.

A name is found by its text (`张`, `tom`), its full pinyin (`zhangsan`) or its initials (`zs`,
`zhs`); the first character is read as a surname (曾 zeng, 单 shan) and by every reading
pypinyin knows for it. Every spelling of every distinct name goes into one sorted table when
the index is built, so a keystroke is a binary search plus the rows of the names its prefix
starts, whatever the number of rows: the table then picks the nearest matching row after the
current one.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from operator import indexOf

from desktop.domain.sort_key import SURNAMES
from desktop.domain.tag_names import name_key
from desktop.domain.tag_search import pinyin_readings

_LAST_CHAR = "\U0010ffff"
_DOUBLE_INITIALS = ("zh", "ch", "sh")


def name_spellings(text: str) -> set[str]:
    """Every way to type the start of a person's name: text, full pinyin, initials."""
    key = name_key(text).strip()
    if not key:
        return set()
    found = {key}
    readings = [pinyin_readings(char) for char in key if not char.isspace()]
    if not any(readings):
        return found
    chars = [char for char in key if not char.isspace()]
    first = SURNAMES.get(chars[0], "").rstrip("0123456789 ")
    firsts = [first] if first else []
    firsts += [r for r in readings[0] if r not in firsts] or [chars[0]]
    rest = [spelled[0] if spelled else char for char, spelled in zip(chars[1:], readings[1:],
                                                                        strict=True)]
    for reading in firsts:
        syllables = [reading, *rest]
        found.add("".join(syllables))
        found.add("".join(syllable[0] for syllable in syllables))
        found.add("".join(syllable[:2] if syllable.startswith(_DOUBLE_INITIALS)
                          else syllable[:1] for syllable in syllables))
    return found


class TypeAheadIndex:
    """Spellings of each distinct name, sorted once, and the rows carrying each name; rows are
    any int ids (relation ids). Names repeat (a customer on several relations, remarks such as
    王总), so a name is spelled and stored once, whatever the number of its rows."""

    def __init__(self, rows: Iterable[tuple[int, Iterable[str]]]) -> None:
        number: dict[str, int] = {}
        owners, row_ids = array("q"), array("q")    # (name number, row id) pairs
        for row_id, names in rows:
            for name in dict.fromkeys(names):
                owners.append(number.setdefault(name, len(number)))
                row_ids.append(row_id)
        by_name = sorted(range(len(owners)), key=owners.__getitem__)
        self._rows = array("q", [row_ids[i] for i in by_name])
        self._starts = array("q", [0] * (len(number) + 1))     # name n: _rows[starts[n]:starts[n+1]]
        for owner in owners:
            self._starts[owner + 1] += 1
        for position in range(len(number)):
            self._starts[position + 1] += self._starts[position]
        keys: list[str] = []
        spelt = array("q")      # the name number of each key
        for name, name_number in number.items():
            spellings = name_spellings(name)
            keys.extend(spellings)
            spelt.extend([name_number] * len(spellings))
        order = sorted(range(len(keys)), key=keys.__getitem__)
        self._keys = [keys[i] for i in order]
        self._names = array("q", [spelt[i] for i in order])

    def __len__(self) -> int:
        """How many spellings it holds."""
        return len(self._keys)

    def matching_ids(self, typed: str) -> Iterator[int]:
        """Ids with a name one of whose spellings starts with `typed` (an id may repeat)."""
        query = name_key(typed).strip()
        if not query:
            return iter(())
        start = bisect_left(self._keys, query)
        end = bisect_left(self._keys, query + _LAST_CHAR, start)
        starts, rows = self._starts, self._rows
        return chain.from_iterable(rows[starts[name]:starts[name + 1]]
                                   for name in set(self._names[start:end]))

    def next_row(self, typed: str, shown: Sequence[int], start: int) -> int | None:
        """The first row at or after `start` (wrapping round) of the ids `shown` in row order
        whose name `typed` starts; C-speed set look-ups, no Python step per row."""
        matched = set(self.matching_ids(typed))
        if not matched:
            return None
        start = max(0, min(start, len(shown)))
        for first, rows in ((start, islice(shown, start, None)), (0, islice(shown, start))):
            try:
                return first + indexOf(map(matched.__contains__, rows), True)
            except ValueError:
                continue
        return None
