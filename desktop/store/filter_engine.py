"""Evaluating TagDesk filters over the local cache, fast enough to run as the user types.

A filter (language: see `desktop.domain.filter`) is parsed, its names resolved against
the cache's catalogue, and its plan evaluated over roaring bitmaps of relation ids:
tag bitmaps come from the `(tag_pk, relation_id)` index and are kept per tag, scalar
conditions are indexed SQL queries, NOT is universe minus the operand. Results are
kept until `invalidate()` or until the `meta` key `data_version` changes (except by commits
that changed only names of tags and groups: the bitmaps are kept, the catalogue reloaded);
writers must bump that key by exactly one in each commit that changes relations or tags (
`bump_data_version`), or call `invalidate()` after committing. Each call reads inside
one read transaction, so all parts of a result come from the same snapshot. Safe to
call from several threads: each thread uses its own connection (`Cache.connection()`).

While the kept bitmaps are cold (after a sync or an `invalidate()`, until `prepare()` has
built them) an engine given `on_cold` answers every filter with one SQL query
(`filter_sql`, same results) and calls `on_cold()` once per new version, after that
answer, so its owner can run `prepare()` on a worker; without `on_cold`, the bitmaps are
built as needed.
What depends only on which relations exist, whose customer and owner each is and their
createtime (the universe, the relation -> customer map, relations by createtime and by owner)
is kept across versions, and across `invalidate()`, while the cache's `relation_set_version`
(kept by triggers) is unchanged, and `prepare()` stores them in the cache for that version
(`filter_stored`), so an engine on a just-opened cache starts with them; with them, a cold
filter builds just the bitmaps its leaves need from their indexes (a `text:` leaf: one search
of the folded texts in SQL, without keeping them), which costs less than SQL's lookup of every
matching relation's customer. The name and owner orders built are stored too, for
the version of what they sort by (`filter_sort_store`); other orders come from SQL.

After a tagging write, `refresh_relations(ids)` keeps the engine warm: it re-reads the
links of just those relations and patches what was kept, instead of starting cold.
It patches only when `data_version` advanced by exactly the commits the caller
reports since the kept results were built; any other advance means someone else
wrote too (a sync, a tag edit, an unreported write), and everything is dropped.

    engine = FilterEngine(cache)
    engine.count("高意向 -已流失 added>=2025-01")      # FilterCount(relations=…, customers=…)
    engine.relation_ids("owner:zhangsan", order_by="name", descending=False, limit=200)
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import tzinfo
from itertools import islice

from pyroaring import BitMap, FrozenBitMap

from desktop.domain.filter import Expr, parse, resolve
from desktop.domain.filter.plan import (
    AllRelations,
    CreatedLeaf,
    Plan,
    PlanAnd,
    PlanNot,
    PlanOr,
)
from desktop.store import (
    filter_sort_store,
    filter_sql,
    filter_stored,
    filter_tag_store,
    search_text,
)
from desktop.store.db import Cache
from desktop.store.filter_index import FilterIndex
from desktop.store.filter_leaves import ORDER_SQL
from desktop.store.filter_stored import RELATION_SET_KEY
from desktop.store.snapshot import DATA_VERSION_KEY, RELATIONS_VERSION_KEY

ORDER_COLUMNS = tuple(ORDER_SQL)
PATCH_LIMIT = 2000
"""Above this many written relations `refresh_relations` drops everything instead: it
runs on the caller's (GUI) thread and costs ~1 ms per 100 relations at 100,000
customers, while a cold rebuild happens lazily on a worker thread."""
"""Accepted `order_by` values: customer name, corp name, owner, remark, state, createtime."""


@dataclass(frozen=True)
class FilterCount:
    relations: int
    customers: int


class FilterEngine:
    def __init__(self, cache: Cache, *, tz: tzinfo | None = None,
                 on_cold: Callable[[], None] | None = None) -> None:
        """`tz` is the zone of the dates users type (None: the system's local zone);
        `on_cold` (called from any thread) asks for `prepare()` on a worker."""
        self._cache = cache
        self._tz = tz
        self._on_cold = on_cold
        self._local = threading.local()
        self._cold_reported: FilterIndex | None = None
        self._lock = threading.Lock()
        self._generation = 0
        self._index: FilterIndex | None = None
        self._carried: tuple[str, dict[str, object]] = ("", {})
        """The relation-set parts of the last index dropped by `invalidate()`, and its
        `relation_set_version`."""

    def parse(self, text: str) -> Expr:
        """The syntax tree only (no cache access); raises `FilterSyntaxError`/`BadDateError`."""
        return parse(text)

    def check(self, text: str) -> Plan:
        """Parse and resolve names without evaluating: every `FilterError`, cheaply."""
        expr = parse(text)
        with self._snapshot() as (conn, index):
            return resolve(expr, index.catalogue(conn), self._tz)

    def evaluate(self, text: str) -> BitMap:
        """Ids of the relations matching `text`; blank text matches every relation."""
        expr = parse(text)
        with self._snapshot() as (conn, index):
            plan = self._plan(conn, index, expr)
            cold = self._cold(index)
            if cold and not _bitmaps_cheaper(conn, index, plan):
                return BitMap(filter_sql.matching(conn, plan))
            return BitMap(self._evaluate(conn, index, plan, build=not cold))

    def count(self, text: str) -> FilterCount:
        expr = parse(text)
        with self._snapshot() as (conn, index):
            plan = self._plan(conn, index, expr)
            cold = self._cold(index)
            if cold and not _bitmaps_cheaper(conn, index, plan):
                return FilterCount(*filter_sql.count(conn, plan))
            matched = self._evaluate(conn, index, plan, build=not cold)
            return FilterCount(len(matched), index.customers_in(conn, matched))

    def relation_ids(
        self, text: str, order_by: str = "createtime", descending: bool = True,
        limit: int | None = None,
    ) -> list[int]:
        """Matching relation ids sorted by one of `ORDER_COLUMNS` (ties by id)."""
        if order_by not in ORDER_SQL:
            raise ValueError(f"cannot order by {order_by!r}; choose one of {ORDER_COLUMNS}")
        expr = parse(text)
        with self._snapshot() as (conn, index):
            plan = self._plan(conn, index, expr)
            cold = self._cold(index)
            if cold and not _bitmaps_cheaper(conn, index, plan, order_by):
                return filter_sql.ordered(conn, plan, order_by, descending, limit)
            matched = self._evaluate(conn, index, plan, build=not cold)
            order = index.order(conn, order_by)
            ordered = reversed(order) if descending else iter(order)
            if len(matched) < len(order):
                ordered = filter(matched.__contains__, ordered)
            return list(islice(ordered, limit))

    def prepare(self, orders: Iterable[str] = ("createtime",)) -> None:
        """Build and keep everything for the committed data, so the next filter is warm.

        Call it on a worker right after a write that changed much (a sync): every tag
        bitmap comes from one pass over the links, with the tag counts, customer map,
        text, these sort orders and those the previous index had built. Kept only if
        nothing was invalidated meanwhile; a filter that runs concurrently still works
        (it builds what it needs itself). The relation-set parts are then stored in the
        cache, unless they are already, and so are the bitmaps of the tags with many links
        for this data version (`filter_tag_store`), and the name and owner orders built
        (`filter_sort_store`). Call it outside any transaction of this thread.
        """
        with self._lock:
            previous, generation = self._index, self._generation
        wanted = set(orders) | set(previous.kept_orders() if previous is not None else ())
        conn = self._cache.connection()
        conn.execute("BEGIN")
        index: FilterIndex | None = None
        try:
            index = self._index_for(conn, generation, publish=True)
            with self._lock:  # filters meanwhile go to SQL without asking for another prepare
                self._cold_reported = index
            if not index.primed or not wanted <= set(index.kept_orders()):
                index.prime(conn, sorted(wanted & set(ORDER_SQL)))
        except BaseException:
            with self._lock:
                if index is not None and self._cold_reported is index:
                    self._cold_reported = None  # the next cold filter asks again
            raise
        finally:
            conn.execute("COMMIT")
        _store(self._cache, index)

    def sign_texts(self) -> None:
        """Give the folded texts written since the last call (a sync's) their signatures, so
        a `text:` search in SQL (the first on a just-opened cache) reads only the rows that
        may match (`search_text.sign_unsigned`). On a worker, after a sync, outside any
        transaction of this thread: about a second of CPU after a first sync of 100,000
        customers, a few ms after a re-sync."""
        search_text.sign_unsigned(self._cache)

    def store_kept(self) -> None:
        """Store what is kept for the cache's current data (the relation map, the bitmaps of
        the tags with many links, patched by tagging writes too), so that an engine on this
        cache opened next starts with them: call it when closing the cache, outside any
        transaction of this thread. Nothing kept for an older version is stored."""
        with self._lock:
            index = self._index
        if index is not None:
            _store(self._cache, index)

    def invalidate(self) -> None:
        """Forget everything kept; call after writing to the cache without bumping data_version."""
        with self._lock:
            self._generation += 1
            dropped, self._index = self._index, None
        if dropped is not None:
            carried = (dropped.relation_set, dropped.carried())
            with self._lock:
                self._carried = carried

    def refresh_relations(self, relation_ids: Iterable[int], commits: int | None = None) -> None:
        """Account for a committed write that changed only the corp-tag links of these relations.

        `commits` is how many commits that write made, each bumping `data_version` by one
        (default: one per relation, as the outbox applies each confirmed call on its own).
        Kept results are patched when `data_version` is exactly the kept version plus
        `commits` (or unchanged: nothing new to account for), and dropped otherwise.
        Call it after the write committed, outside any transaction of this thread.

        Why this is safe: each commit bumps the version by exactly one, so `current ==
        kept + commits` means exactly `commits` commits happened since the kept results
        were built; when the caller's commits all came after that point, they were all
        of them, and nothing but these links changed. The one case this cannot see: a
        filter ran between the caller's commits (the kept results are newer than its
        first commit) and an unreported commit made up exactly the difference. That
        other write's own publish then drops everything (its count no longer matches).
        """
        ids = BitMap(relation_ids)
        expected = len(ids) if commits is None else commits
        with self._lock:
            index, generation = self._index, self._generation
        if index is None:
            return
        conn = self._cache.connection()
        if conn.in_transaction or len(ids) > PATCH_LIMIT:
            self.invalidate()
            return
        conn.execute("BEGIN")
        try:
            version = self._data_version(conn)
            if version == index.version:
                return
            if not _advanced_by(index.version, version, expected):
                self.invalidate()
                return
            patched = index.patched(conn, ids, version)
        finally:
            conn.execute("COMMIT")
        with self._lock:
            if self._index is index and self._generation == generation:
                self._index = patched

    # -- internals ---------------------------------------------------------------------

    @contextmanager
    def _snapshot(self) -> Iterator[tuple[sqlite3.Connection, FilterIndex]]:
        """This thread's connection inside one read transaction, and the matching index."""
        with self._lock:
            generation = self._generation
        conn = self._cache.connection()
        own_transaction = not conn.in_transaction
        if own_transaction:
            conn.execute("BEGIN")
        try:
            yield conn, self._index_for(conn, generation, publish=own_transaction)
        finally:
            if own_transaction:
                conn.execute("COMMIT")
            if getattr(self._local, "cold_to_report", False) and self._on_cold is not None:
                self._local.cold_to_report = False
                self._on_cold()  # once answered: its prepare() does not slow this answer

    @staticmethod
    def _data_version(conn: sqlite3.Connection) -> str:
        return _meta(conn, DATA_VERSION_KEY)

    def _index_for(self, conn: sqlite3.Connection, generation: int, *, publish: bool,
                   ) -> FilterIndex:
        """The kept index for this snapshot, or a new one: a `renamed` copy of the kept one
        when every commit since it changed only names, else an empty one.

        A new index is kept for later calls only if no invalidate() came since the
        snapshot began and the snapshot is committed data (not the caller's open write
        transaction, which may still roll back).
        """
        version = self._data_version(conn)
        with self._lock:
            kept, carried = self._index, self._carried
        if kept is not None and (kept.version, kept.generation) == (version, generation):
            return kept
        if kept is not None and kept.generation == generation and _at_or_before(
                _meta(conn, RELATIONS_VERSION_KEY), kept.version):
            index = kept.renamed(conn, version)
        else:
            relation_set = _meta(conn, RELATION_SET_KEY)
            if kept is not None and kept.relation_set == relation_set:
                carried = (relation_set, kept.carried())
            index = FilterIndex(version, generation, relation_set,
                                carried[1] if carried[0] == relation_set else None)
        with self._lock:
            if publish and generation == self._generation:
                self._index = index
        return index

    def _cold(self, index: FilterIndex) -> bool:
        """Whether to answer from SQL (reporting a new cold index once, when this call's
        snapshot ends)."""
        if self._on_cold is None or index.primed:
            return False
        with self._lock:
            report, self._cold_reported = self._cold_reported is not index, index
        if report:
            self._local.cold_to_report = True
        return True

    def _plan(self, conn: sqlite3.Connection, index: FilterIndex, expr: Expr) -> Plan:
        return resolve(expr, index.catalogue(conn), self._tz)

    def _evaluate(self, conn: sqlite3.Connection, index: FilterIndex, plan: Plan, *,
                  build: bool = True) -> BitMap:
        """The plan's relations from bitmaps; with `build` False (a cold index answering
        meanwhile) `text:` leaves are searched in SQL instead of building the folded texts."""
        index.take_stored(conn)
        universe = index.universe(conn)
        return BitMap(_Evaluation(conn, index, universe, build).run(plan) & universe)


def _store(cache: Cache, index: FilterIndex) -> None:
    """Store in the cache what `index` built that an engine opened next starts with."""
    filter_stored.store(cache, index.relation_set, index.carried())
    filter_tag_store.store(cache, index.version, index.kept_tags())
    for order_by, (at, ids) in index.sort_orders().items():
        filter_sort_store.store(cache, order_by, at, ids)


def _meta(conn: sqlite3.Connection, key: str) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return "" if row is None else str(row[0])


def _bitmaps_cheaper(conn: sqlite3.Connection, index: FilterIndex, plan: Plan,
                     order_by: str | None = None) -> bool:
    """Whether a cold index answers `plan` (in `order_by`) faster than SQL: it knows every
    relation's customer (SQL looks up each match's customer: a third of a `text:` search's
    time), and the plan's leaves are small ranges of indexes or `text:` searches (one pass
    over the folded texts either way; a date range is usually large, unless the relations
    by createtime are kept: SQL checks it only on the rows the other leaves matched), and
    SQL does not probe the tags of just a few relations instead (`filter_sql.narrow`).
    Only then are the relation-set parts stored in the cache read."""
    kinds = {type(leaf) for leaf in _leaves(plan)}
    if filter_sql.narrow(conn, plan):
        return False
    index.take_stored(conn)
    return (index.knows_customers() and (CreatedLeaf not in kinds or index.has("createtimes"))
            and (order_by is None or index.take_stored_order(conn, order_by)))


def _leaves(plan: Plan) -> Iterator[Plan]:
    if isinstance(plan, PlanNot):
        yield from _leaves(plan.operand)
    elif isinstance(plan, PlanAnd | PlanOr):
        for operand in plan.operands:
            yield from _leaves(operand)
    else:
        yield plan


def _at_or_before(version: str, kept: str) -> bool:
    """Whether `version` is no later than `kept` (both integers; unknown: False)."""
    try:
        return int(version) <= int(kept)
    except ValueError:
        return False


def _advanced_by(seen: str, now: str, commits: int) -> bool:
    """Whether version `now` is exactly `commits` bumps after `seen` (both integers)."""
    try:
        return commits > 0 and int(now) - int(seen) == commits
    except ValueError:
        return False


class _Evaluation:
    def __init__(self, conn: sqlite3.Connection, index: FilterIndex,
                 universe: FrozenBitMap, build: bool) -> None:
        self.conn = conn
        self.index = index
        self.universe = universe
        self.build = build

    def run(self, plan: Plan) -> BitMap | FrozenBitMap:
        if isinstance(plan, AllRelations):
            return self.universe
        if isinstance(plan, PlanNot):
            return self.universe - self.run(plan.operand)
        if isinstance(plan, PlanOr):
            return BitMap.union(BitMap(), *(self.run(operand) for operand in plan.operands))
        if isinstance(plan, PlanAnd):
            return self.conjunction(plan.operands)
        return self.index.leaf(self.conn, plan, build=self.build)

    def conjunction(self, operands: tuple[Plan, ...]) -> BitMap | FrozenBitMap:
        """Intersect the positive operands smallest first, then subtract the negated ones."""
        positives = sorted((self.run(o) for o in operands if not isinstance(o, PlanNot)), key=len)
        negatives = [self.run(o.operand) for o in operands if isinstance(o, PlanNot)]
        result: BitMap | FrozenBitMap = positives[0] if positives else self.universe
        for other in positives[1:]:
            if not result:
                break
            result = result & other
        if negatives and result:
            result = result - BitMap.union(BitMap(), *negatives)
        return result
