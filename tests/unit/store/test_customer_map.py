"""Counting the distinct customers of relations (`desktop/store/customer_map.py`): the same
count whether the map was built from SQL (with its dictionary) or read as stored (without),
for a few listed relations, many, and all of them."""

from __future__ import annotations

import random
from array import array

import pytest
from pyroaring import BitMap

from desktop.store import customer_map
from desktop.store.customer_map import CustomerMap


def _relations_of(customers: int, seed: int) -> dict[int, int]:
    """relation id -> customer number for `customers` customers of one to three relations."""
    rng = random.Random(seed)
    owner: dict[int, int] = {}
    for number in range(customers):
        for _ in range(rng.choice((1, 1, 2, 3))):
            owner[len(owner) + 1] = number
    return owner


@pytest.mark.parametrize("few", [0, 5, 4000])
def test_the_stored_and_the_built_map_count_alike(monkeypatch: pytest.MonkeyPatch,
                                                  few: int) -> None:
    monkeypatch.setattr(customer_map, "FEW_LOOKUPS", few)
    owner = _relations_of(3000, seed=7)
    counts = {relation: list(owner.values()).count(number) for relation, number in owner.items()}
    renumbered: dict[int, int] = {}
    shared = {relation: renumbered.setdefault(number, len(renumbered))
              for relation, number in owner.items() if counts[relation] > 1}
    built = CustomerMap.of(shared)
    stored = CustomerMap(array("I", built.ids), array("I", built.numbers))
    by_id = built.numbers_by_id(len(owner) + 1)
    assert by_id is not None and built.numbers_by_id(max(shared)) is None  # ids too sparse
    indexed = CustomerMap(array("I", built.ids), array("I", built.numbers), by_id=by_id)
    assert stored == built == indexed
    rng = random.Random(3)
    every = list(owner)
    for size in (0, 1, 10, 300, 2000, len(every)):
        relations = BitMap(rng.sample(every, size))
        expected = len({owner[relation] for relation in relations})
        assert built.customers_in(relations) == expected, size
        assert stored.customers_in(relations) == expected, size
        assert indexed.customers_in(relations) == expected, size
    assert indexed._lookup is None  # counted by id, without the dictionary
