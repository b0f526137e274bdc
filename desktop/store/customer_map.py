"""Which customer each relation belongs to, for counting the distinct customers of a filter.

Only relations whose customer has other relations are listed (a third of them at 100,000
customers): every other relation is a customer of its own. Kept as two aligned arrays (the
relations' ids in ascending order and their customer's number, 0, 1, … by first relation),
as `filter_stored` stores them with the numbers also indexed by relation id, so a
just-opened cache reads them and counts without building a dictionary of every listed
relation (3-5 ms at 40,000); one is built when a count needs many of them and no such
index was stored.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections.abc import Mapping
from typing import Any

from pyroaring import BitMap, FrozenBitMap

FEW_LOOKUPS = 4000
"""Up to this many listed relations, a count finds each one's position in the ids by binary
search (about 0.4 µs each) instead of building the dictionary (a few ms at 40,000)."""


class CustomerMap:
    def __init__(self, ids: array[Any], numbers: array[Any],
                 lookup: dict[int, int] | None = None, by_id: array[Any] | None = None,
                 ) -> None:
        """`ids` ascending, `numbers` aligned (each customer numbered 0, 1, … with no gap);
        `by_id`, if given, holds each listed relation's number at its id (`numbers_by_id`),
        and counts index it instead of building the dictionary."""
        self.ids = ids
        self.numbers = numbers
        self.members = FrozenBitMap(ids)
        self._lookup = lookup
        self._by_id = by_id
        self._lock = threading.Lock()

    @classmethod
    def of(cls, shared: Mapping[int, int]) -> CustomerMap:
        """The map of relation id -> customer number (numbered 0, 1, … with no gap)."""
        ids = array("I", sorted(shared))
        return cls(ids, array("I", (shared[i] for i in ids)), dict(shared))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, CustomerMap) and list(self.ids) == list(other.ids)
                and list(self.numbers) == list(other.numbers))

    __hash__ = None  # type: ignore[assignment]

    def customers_in(self, relations: BitMap | FrozenBitMap) -> int:
        """How many distinct customers these relations belong to."""
        listed = relations & self.members
        if not listed:
            return len(relations)
        if len(listed) == len(self.members):
            distinct = max(self.numbers) + 1
        elif self._by_id is not None and self._lookup is None:
            distinct = len(set(map(self._by_id.__getitem__, listed)))
        elif len(listed) <= FEW_LOOKUPS and self._lookup is None:
            ids, numbers, seen, at = self.ids, self.numbers, set(), 0
            for rid in listed:  # ascending: each found after the one before
                at = bisect_left(ids, rid, at)
                seen.add(numbers[at])
            distinct = len(seen)
        else:
            lookup = self.lookup()
            distinct = len({lookup[rid] for rid in listed})
        return len(relations) - len(listed) + distinct

    def numbers_by_id(self, most: int) -> array[Any] | None:
        """Each listed relation's customer number at its id in one array (the other ids' 0),
        for `filter_stored` to store: None when the highest id is `most` or more."""
        if self._by_id is not None or not self.ids:
            return self._by_id
        if self.ids[-1] >= most:
            return None
        by_id = array("I", bytes(4 * (self.ids[-1] + 1)))
        for relation, number in zip(self.ids, self.numbers, strict=True):
            by_id[relation] = number
        return by_id

    def lookup(self) -> dict[int, int]:
        """relation id -> customer number, built once."""
        with self._lock:
            if self._lookup is None:
                self._lookup = dict(zip(self.ids, self.numbers, strict=True))
            return self._lookup
