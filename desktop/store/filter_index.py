"""What the filter engine keeps between calls for one version of the cache.

A `FilterIndex` belongs to one `data_version` (and one `invalidate()` generation);
when either changes the engine starts a new, empty one, or, after a tagging write,
a `patched` copy that differs only in the links of the written relations. Nothing
here is ever updated in place, so a call still holding the older index keeps a
consistent view. Everything is built lazily from the calling thread's connection,
inside that call's read transaction. The lock only guards the dictionaries: two
threads may build the same entry once each, and both results are correct.
"""

from __future__ import annotations

import sqlite3
import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import compress, repeat
from operator import contains
from typing import TypeVar

from pyroaring import BitMap, FrozenBitMap

from desktop.domain.filter import FilterCatalogue
from desktop.domain.filter.plan import (
    CreatedLeaf,
    Leaf,
    OwnerLeaf,
    StateLeaf,
    TagCountLeaf,
    TagLeaf,
    TextLeaf,
)
from desktop.store import filter_leaves as sql
from desktop.store import filter_sort_store, filter_stored, filter_tag_store
from desktop.store.customer_map import CustomerMap
from desktop.store.filter_catalogue import load_catalogue

RELATION_SET_PARTS = ("universe", "shared", "createtimes", "order:createtime", "owners",
                      "states")
"""What is built from which relations exist, whose customer and owner each is, their state
and createtime, nothing else: kept across versions with the same `relation_set_version` (see
`carried`)."""
SORT_VERSION = "sort_version:"
"""Keys of the version each order built from SQL was built at (`filter_sort_store`)."""
LEAF_CACHE_SIZE = 256
FEW_RELATIONS = 3000
"""Up to this many, customers are counted by primary-key lookups instead of building
the relation → customer map (about 50 ms for 120,000 relations)."""
T = TypeVar("T")


class FilterIndex:
    def __init__(self, version: str, generation: int, relation_set: str = "",
                 carried: Mapping[str, object] | None = None) -> None:
        """`carried`: `RELATION_SET_PARTS` of an index of the same `relation_set` version
        ("": unknown, nothing may be carried)."""
        self.version = version
        self.generation = generation
        self.relation_set = relation_set
        self._lock = threading.Lock()
        self._shared: dict[str, object] = dict(carried or {}) if relation_set else {}
        self._tags: dict[int, FrozenBitMap] = {}
        self._leaves: OrderedDict[Leaf, FrozenBitMap] = OrderedDict()
        self._stored_taken = False
        self._complete_tags = False
        """True once every linked tag's bitmap is kept: a missing one has no links."""
        self.primed = False
        """True once `prime` built everything: any filter is answered from bitmaps."""

    def take_stored(self, conn: sqlite3.Connection) -> None:
        """Take what the cache stores of this relation set (`filter_stored`), once, unless
        every part is built already."""
        with self._lock:
            if self._stored_taken or not self.relation_set or all(
                    key in self._shared for key in RELATION_SET_PARTS):
                return
            self._stored_taken = True
        stored = filter_stored.load(conn, self.relation_set)
        with self._lock:
            for key, value in stored.items():
                self._shared.setdefault(key, value)

    def carried(self) -> dict[str, object]:
        """The `RELATION_SET_PARTS` built so far, for the next index of this relation set."""
        with self._lock:
            return {key: self._shared[key] for key in RELATION_SET_PARTS if key in self._shared}

    def knows_customers(self) -> bool:
        """Whether customers are counted without a query (the relation -> customer map)."""
        with self._lock:
            return "shared" in self._shared and "universe" in self._shared

    def has(self, key: str) -> bool:
        """Whether a shared structure ("text", "createtimes", …) is built."""
        with self._lock:
            return key in self._shared

    def _once(self, key: str, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._shared:
                return self._shared[key]  # type: ignore[return-value]
        value = build()
        with self._lock:
            return self._shared.setdefault(key, value)  # type: ignore[return-value]

    def catalogue(self, conn: sqlite3.Connection) -> FilterCatalogue:
        return self._once("catalogue", lambda: load_catalogue(conn))

    def universe(self, conn: sqlite3.Connection) -> FrozenBitMap:
        return self._once("universe", lambda: sql.universe(conn))

    def tag(self, conn: sqlite3.Connection, pk: int) -> FrozenBitMap:
        with self._lock:
            found = self._tags.get(pk)
            complete = self._complete_tags
        if found is None and complete:
            return FrozenBitMap()
        if found is None:
            found = filter_tag_store.load(conn, self.version, pk) or sql.tagged(conn, pk)
            with self._lock:
                self._tags[pk] = found
        return found

    def kept_tags(self) -> dict[int, FrozenBitMap]:
        """The tag bitmaps built so far."""
        with self._lock:
            return dict(self._tags)

    def leaf(self, conn: sqlite3.Connection, leaf: Leaf, *, build: bool = True) -> FrozenBitMap:
        """The relations of one plan leaf; recently used leaves are kept (LRU). With `build`
        False, a `text:` leaf is searched in SQL unless the folded texts are kept already
        (for a cold index's first answers: building them costs more than one search)."""
        if isinstance(leaf, TagLeaf) and len(leaf.pks) == 1:
            return self.tag(conn, next(iter(leaf.pks)))
        with self._lock:
            found = self._leaves.get(leaf)
            if found is not None:
                self._leaves.move_to_end(leaf)
                return found
        found = self._compute(conn, leaf, build)
        with self._lock:
            self._leaves[leaf] = found
            while len(self._leaves) > LEAF_CACHE_SIZE:
                self._leaves.popitem(last=False)
        return found

    def _compute(self, conn: sqlite3.Connection, leaf: Leaf, build: bool) -> FrozenBitMap:
        if isinstance(leaf, TagLeaf):
            return FrozenBitMap(BitMap.union(BitMap(), *(self.tag(conn, pk) for pk in leaf.pks)))
        if isinstance(leaf, OwnerLeaf | StateLeaf):
            values, key = ((leaf.userids, "owners") if isinstance(leaf, OwnerLeaf)
                           else (leaf.states, "states"))
            grouped = self._kept(key)
            if isinstance(grouped, dict):  # prepared: no query at all
                return FrozenBitMap(BitMap.union(BitMap(), *(grouped.get(v, BitMap())
                                                             for v in values)))
            if isinstance(leaf, OwnerLeaf):
                return sql.owned_by(conn, leaf.userids)
            return sql.with_state(conn, leaf.states)
        if isinstance(leaf, CreatedLeaf):
            return self._created(conn, leaf.start, leaf.end)
        if isinstance(leaf, TextLeaf):
            return self._text(conn, leaf.needle, build)
        if isinstance(leaf, TagCountLeaf):
            return self._tag_count(conn, leaf.low, leaf.high)
        raise TypeError(f"not a filter leaf: {leaf!r}")

    def _kept(self, key: str) -> object:
        """A shared structure if it was built (None otherwise); never builds it."""
        with self._lock:
            return self._shared.get(key)

    def _created(self, conn: sqlite3.Connection, start: int | None, end: int | None,
                 ) -> FrozenBitMap:
        kept = self._kept("createtimes")
        if not isinstance(kept, tuple):
            return sql.created_between(conn, start, end)
        times, ids = kept  # prepared: two binary searches and a slice
        low = 0 if start is None else bisect_left(times, start)
        high = len(times) if end is None else bisect_left(times, end)
        return FrozenBitMap(ids[low:high])

    def _text(self, conn: sqlite3.Connection, needle: str, build: bool) -> FrozenBitMap:
        if sql.ROW_SEPARATOR in needle or "\x1f" in needle:  # separators never match
            return FrozenBitMap()
        if not build and not self.has("text"):
            return sql.text_matches(conn, needle)
        ids, texts = self._once("text", lambda: sql.searchable_text(conn))
        return FrozenBitMap(compress(ids, map(contains, texts, repeat(needle))))

    def _tag_counts(self, conn: sqlite3.Connection) -> dict[int, FrozenBitMap]:
        """The tag-count buckets, and which linked tags they left out (see `renamed`)."""
        self._once("dead_linked", lambda: sql.dead_linked(conn))
        return self._once("tag_counts", lambda: sql.tag_count_buckets(conn))

    def _tag_count(self, conn: sqlite3.Connection, low: int, high: int | None) -> FrozenBitMap:
        """One range of the tag-count index while no dead tag is linked (every link is
        then a live tag) and the buckets are not built; else from the buckets."""
        if not self.has("tag_counts") and not sql.dead_linked(conn):
            return sql.tag_count_range(conn, low, high)
        buckets = self._tag_counts(conn)
        result = BitMap.union(BitMap(), *(bm for count, bm in buckets.items()
                                          if _counted(count, low, high)))
        if _counted(0, low, high):
            result |= self.universe(conn) - BitMap.union(BitMap(), *buckets.values())
        return FrozenBitMap(result)

    def prime(self, conn: sqlite3.Connection, orders: Iterable[str] = ()) -> None:
        """Build everything a first filter needs: every tag bitmap in one pass over the
        `(tag_pk, relation_id)` index, the tag-count buckets, the customer map (first, see
        `FilterEngine`), the text, relations by owner, state and createtime, and these sort
        orders. Costs about a second at 100,000 customers (on a worker), after which any
        filter is answered warm."""
        self.catalogue(conn)
        self.take_stored(conn)
        self.universe(conn)  # first the customer map: cold filters meanwhile may use it
        self._once("shared", lambda: CustomerMap.of(sql.shared_customers(conn))).lookup()
        every_tag = sql.every_tagged(conn)
        with self._lock:
            for pk, bm in every_tag.items():
                self._tags.setdefault(pk, bm)
            self._complete_tags = True
        self._tag_counts(conn)
        self._once("text", lambda: sql.searchable_text(conn))
        self._once("owners", lambda: sql.grouped(conn, "userid"))
        self._once("states", lambda: sql.grouped(conn, "state"))
        _, by_time = self._once("createtimes", lambda: sql.by_createtime(conn))
        self._once("order:createtime", lambda: by_time)
        for order_by in orders:
            self.order(conn, order_by)
        self.primed = True

    def kept_orders(self) -> list[str]:
        """The sort orders built so far (`order:` keys)."""
        with self._lock:
            return [key.split(":", 1)[1] for key in self._shared if key.startswith("order:")]

    def customers_in(self, conn: sqlite3.Connection, relations: BitMap) -> int:
        """How many distinct customers these relations belong to."""
        with self._lock:
            built = "shared" in self._shared
        if not built and len(relations) <= FEW_RELATIONS:
            return len(sql.customers_of(conn, relations))
        return self._once("shared", lambda: CustomerMap.of(sql.shared_customers(conn))
                          ).customers_in(relations)

    def order(self, conn: sqlite3.Connection, order_by: str) -> Sequence[int]:
        """Relation ids in one of `ORDER_SQL`'s orders: as the cache stores it for the current
        version of what it sorts by (`filter_sort_store`), else built from SQL."""
        key = f"order:{order_by}"
        kept = self._kept(key)
        if kept is not None:
            return kept  # type: ignore[return-value]
        at = filter_sort_store.version(conn, order_by)
        stored = None if at is None else filter_sort_store.load(conn, order_by, at)
        ids: Sequence[int] = sql.ordered_ids(conn, order_by) if stored is None else stored
        with self._lock:
            if stored is None and at is not None:
                self._shared.setdefault(SORT_VERSION + order_by, at)
            return self._shared.setdefault(key, ids)  # type: ignore[return-value]

    def take_stored_order(self, conn: sqlite3.Connection, order_by: str) -> bool:
        """Whether the order `order_by` is kept, taking it from the cache when it is stored
        for the current version of what it sorts by (never building it)."""
        key = f"order:{order_by}"
        if self.has(key):
            return True
        at = filter_sort_store.version(conn, order_by)
        stored = None if at is None else filter_sort_store.load(conn, order_by, at)
        if stored is None:
            return False
        with self._lock:
            self._shared.setdefault(key, stored)
        return True

    def sort_orders(self) -> dict[str, tuple[str, Sequence[int]]]:
        """The orders built from SQL so far, each with the version of what it sorts by at
        which it was built, for the cache to store (`filter_sort_store`)."""
        with self._lock:
            built = {key[len(SORT_VERSION):]: str(at) for key, at in self._shared.items()
                     if key.startswith(SORT_VERSION)}
            return {order_by: (at, self._shared[f"order:{order_by}"])  # type: ignore[misc]
                    for order_by, at in built.items()}

    def renamed(self, conn: sqlite3.Connection, version: str) -> FilterIndex:
        """A copy for `version`, whose commits since this one changed only names of tags
        and groups (`bump_data_version(names_only=True)`): everything built from relations
        and links is shared, members, departments and channels too; tags and groups are
        read again. The tag counts are kept while the same linked tags are dead (creating
        a deleted tag again may make it live); without them the copy is no longer primed.
        """
        with self._lock:
            shared, tags, leaves = dict(self._shared), dict(self._tags), list(self._leaves.items())
            complete = self._complete_tags
        kept = shared.pop("catalogue", None)
        catalogue = load_catalogue(conn, kept if isinstance(kept, FilterCatalogue) else None)
        shared["catalogue"] = catalogue
        counts_kept = "tag_counts" not in shared
        if counts_kept:  # tag-count leaves read without buckets: cheap to read again
            leaves = [(leaf, bm) for leaf, bm in leaves if not isinstance(leaf, TagCountLeaf)]
        else:
            live = {tag.pk for tag in catalogue.tags}
            dead = (frozenset(pk for pk, bm in tags.items() if bm and pk not in live)
                    if complete else sql.dead_linked(conn))
            counts_kept = shared.get("dead_linked") == dead
        if not counts_kept:
            del shared["tag_counts"], shared["dead_linked"]
            leaves = [(leaf, bm) for leaf, bm in leaves if not isinstance(leaf, TagCountLeaf)]
        fresh = FilterIndex(version, self.generation, self.relation_set)
        fresh._shared, fresh._tags, fresh._complete_tags = shared, tags, complete
        fresh._stored_taken = self._stored_taken
        fresh._leaves.update(leaves)
        fresh.primed = self.primed and counts_kept
        return fresh

    def patched(self, conn: sqlite3.Connection, relations: BitMap, version: str) -> FilterIndex:
        """A copy for `version`, where only the corp-tag links of `relations` differ.

        The links of those relations are read again from `conn`; every kept structure
        built from links (tag bitmaps, tag-count buckets, multi-tag and tag-count leaves)
        is patched, everything else (universe, orders, text, catalogue, owner, state and
        date leaves) is shared as it is.
        """
        by_tag, live_counts = sql.links_of(conn, relations)
        touched = FrozenBitMap(relations)
        with self._lock:
            shared, tags, leaves = dict(self._shared), dict(self._tags), list(self._leaves.items())
            complete = self._complete_tags
        fresh = FilterIndex(version, self.generation, self.relation_set)
        patched_pks = tags.keys() | by_tag.keys() if complete else tags.keys()
        fresh._tags = {pk: _replace_part(tags.get(pk, FrozenBitMap()), touched, by_tag.get(pk))
                       for pk in patched_pks}
        fresh._complete_tags = complete
        fresh._stored_taken = self._stored_taken
        fresh.primed = self.primed
        buckets = shared.pop("tag_counts", None)
        fresh._shared = shared
        if isinstance(buckets, dict):
            fresh._shared["tag_counts"] = _rebucketed(buckets, touched, live_counts)
        for leaf, bm in leaves:
            if isinstance(leaf, TagLeaf):
                now = BitMap.union(BitMap(), *(by_tag.get(pk, BitMap()) for pk in leaf.pks))
                bm = _replace_part(bm, touched, now)
            elif isinstance(leaf, TagCountLeaf):  # ids without a relation may enter:
                now = BitMap(rid for rid, count in live_counts.items()  # the engine ands
                             if _counted(count, leaf.low, leaf.high))  # results with the universe
                bm = _replace_part(bm, touched, now)
            fresh._leaves[leaf] = bm
        return fresh


def _counted(count: int, low: int, high: int | None) -> bool:
    """Whether a relation with `count` live tags matches `low <= tags < high` (a leaf)."""
    if count == 0:
        return low == 0 and high != 0
    return low <= count and (high is None or count < high)


def _replace_part(
    bm: FrozenBitMap, touched: FrozenBitMap, now: BitMap | None
) -> FrozenBitMap:
    """`bm` with its members among `touched` replaced by `now` (the same object if equal)."""
    now = now or BitMap()
    if bm & touched == now:
        return bm
    return FrozenBitMap((bm - touched) | now)


def _rebucketed(
    buckets: dict[int, FrozenBitMap], touched: FrozenBitMap, live_counts: dict[int, int]
) -> dict[int, FrozenBitMap]:
    """Tag-count buckets with the touched relations moved to their current counts."""
    moved: dict[int, BitMap] = {}
    for rid, count in live_counts.items():
        if count > 0:
            moved.setdefault(count, BitMap()).add(rid)
    result = {}
    for count in buckets.keys() | moved.keys():
        bm = _replace_part(buckets.get(count, FrozenBitMap()), touched, moved.get(count))
        if bm:
            result[count] = bm
    return result
