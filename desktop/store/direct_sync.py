"""A first sync written straight into the cache's tables, in one write transaction.

When the cache holds no relation there is nothing to compare a page with, so staging
each page and copying it again in a final merge only doubles the work. `DirectWrite`
instead opens the write transaction before the first relation page and inserts every
page into `customer`, `relation`, `relation_tag` and `relation_search` as it arrives,
with each customer's pinyin sort key and each relation's folded search text made in
Python (no SQL callback per row), the links counted as they go. Readers on other
connections see the cache as it was until the commit; a failure or a cancel anywhere
rolls everything back, so the snapshot stays atomic. While it lasts, other writers of
the cache wait (a first sync of an empty cache has nothing for them to change).

`open_sync_write` picks this for an empty cache and `Staging` (compare, then merge)
otherwise.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from operator import itemgetter
from types import TracebackType
from typing import Any, Protocol, TypeVar

from desktop.domain.sort_key import person_sort_key
from desktop.store import journal, search_text, sort_keys, tag_counts
from desktop.store.db import Cache
from desktop.store.filter_sort_store import CUSTOMER_NAMES_KEY  # customer_names_insert's
from desktop.store.snapshot import (
    CUSTOMER_FIELDS,
    CUSTOMER_VALUES,
    FOLLOW_VALUES,
    LAST_SYNC_KEY,
    RELATION_FIELDS,
    CustomerRow,
    CustomerValues,
    FollowValues,
    PageCustomer,
    PageItem,
    PageRelation,
    PageSource,
    PageWriter,
    RelationRow,
    Snapshot,
    Staging,
    WriteResult,
    bump_data_version,
    linked_relation_signature,
    replace_directory,
    tag_hashes,
    write_tag_tree,
)

# Suspended while the pages are written and made again before the commit: the triggers a
# new row or link fires (each page writes its relations' folded text and link counts itself;
# the relation set's and the customer names' versions are bumped once), and every index of
# relations and customers, their keys too (each built once, sorted, at the end: about 0.6 s
# less CPU at 100,000 customers than inserting into them row by row). Nothing reads them by
# key while the pages are written: relation ids and customers are kept in dicts, and a
# customer written again with other fields is updated only once they are made again.
SUSPENDED_TRIGGERS = ("relation_search_insert", "relation_search_customer_insert",
                      tag_counts.INSERT_TRIGGER, "relation_set_insert", "customer_names_insert")
SUSPENDED = ("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ("
             f"(type = 'trigger' AND name IN ({', '.join('?' * len(SUSPENDED_TRIGGERS))})) OR"
             " (type = 'index' AND tbl_name IN ('relation', 'customer')))")
RELATION_SET_KEY = "relation_set_version"  # what the suspended relation_set_insert bumps
# Set on the writing connection while a first sync lasts. A page cache of 16 MB (64 MB
# otherwise) writes the pages the sync has filled to the WAL while later pages are still
# fetched, not all at its commit; and the commit does not copy them into the cache file
# then (a checkpoint of 80 MB at 100,000 customers): the next write to the cache or its
# closing does. Neither touches what a kill or a rollback leaves: the WAL's frames count
# only from a commit on.
FIRST_SYNC_PRAGMAS = {"cache_size": -16384, "wal_autocheckpoint": 0}


Prepared = TypeVar("Prepared")


class SyncWrite(Protocol[Prepared]):
    """Where a sync's relation pages go while they are fetched, and its final write. A page
    is made ready (`prepare_page`, on the thread that read it, while the pages before it are
    written) and then added (`add_prepared`, on the writing thread)."""

    def add(self, customers: Sequence[CustomerRow], relations: Sequence[RelationRow]) -> None:
        ...

    def add_page(self, items: Sequence[PageItem]) -> None:
        ...

    def prepare_page(self, page: PageSource) -> Prepared:
        ...

    def add_prepared(self, page: Prepared) -> None:
        ...

    def write(self, snap: Snapshot) -> WriteResult:
        ...


PreparedCustomer = tuple[str, tuple[object, ...], int, str]
"""A customer row: its external_userid, its fields, their hash() and its name's sort key."""
PreparedRelation = tuple[str, tuple[object, ...], list[int], str | None]
"""A relation's key, its row (`INSERT_RELATIONS` less the id), its tag pks and folded text."""


@dataclass(frozen=True, slots=True)
class PreparedPage:
    """A page made into rows: its customers, the last row of each of its relations, and
    the JSON of those relations' tag pks in that order (the links, should they all be new)."""

    customers: list[PreparedCustomer]
    relations: list[PreparedRelation]
    links: str


@contextmanager
def open_sync_write(cache: Cache, snap: Snapshot) -> Iterator[SyncWrite[Any]]:
    """A `DirectWrite` when the cache holds no relation, else a `Staging`. `snap` holds the
    tag groups and tags already (a direct write needs their keys for the links)."""
    direct = DirectWrite.begin(cache, snap)
    if direct is None:
        with Staging(cache, [t.id for t in snap.tags]) as staging:
            yield staging
    else:
        with direct:
            yield direct


class DirectWrite(PageWriter):
    """A first sync's pages inserted into the cache inside one write transaction, held by
    the thread that began it until `write` commits it; leaving its `with` block without
    that rolls it back. A relation added again keeps its later row."""

    def __init__(self, cache: Cache, conn: sqlite3.Connection, snap: Snapshot,
                 transaction: ExitStack) -> None:
        self._cache = cache
        self._conn = conn
        self._transaction: ExitStack | None = transaction
        self._thread = threading.get_ident()
        self._previous = float(cache.get_meta(LAST_SYNC_KEY) or 0)
        self._tree = write_tag_tree(conn, snap.groups, snap.tags)
        self._live = self._tree.live_after
        self._tag_ids = frozenset(self._live)
        self._hashes = tag_hashes(self._tag_ids)
        self._ids: dict[str, int] = {}  # relation key -> its id
        self._customers: dict[str, int] = {}  # external_userid -> hash() of its written fields
        self._updates: dict[str, tuple[object, ...]] = {}  # `UPDATE_CUSTOMER`'s, at the end
        self._next_id = 1
        self._links = 0
        suspended = conn.execute(SUSPENDED, SUSPENDED_TRIGGERS).fetchall()
        self._suspended = [str(sql) for _, _, sql in suspended]  # made again before the commit
        for kind, name, _ in suspended:
            conn.execute(f"DROP {kind} {name}")
        self._pragmas = {name: int(conn.execute(f"PRAGMA {name}").fetchone()[0])
                         for name in FIRST_SYNC_PRAGMAS}  # set again once it ends
        for name, value in FIRST_SYNC_PRAGMAS.items():
            conn.execute(f"PRAGMA {name} = {value}")

    @classmethod
    def begin(cls, cache: Cache, snap: Snapshot) -> DirectWrite | None:
        """Open the write transaction if the cache holds no relation and no customer (None,
        and no transaction, otherwise)."""
        with ExitStack() as attempt:
            conn = attempt.enter_context(cache.write())
            if conn.execute("SELECT EXISTS (SELECT 1 FROM relation)"
                            " OR EXISTS (SELECT 1 FROM customer)").fetchone()[0]:
                return None
            return cls(cache, conn, snap, attempt.pop_all())

    def prepare_page(self, page: PageSource) -> PreparedPage:
        """One relation page as rows (on any thread: it only reads what `begin` set), made
        from its values."""
        values = page.values
        return self._prepare([c for c, _, _ in values],
                             ((c[0], r, tag_ids, c) for c, r, tag_ids in values))

    def _prepare(self, customers: Sequence[CustomerValues],
                 relations: Iterable[ValuesRelation]) -> PreparedPage:
        """Each customer's row and sort key, and each relation's row, links, signature and
        folded text (by the last row of its customer on the page), made in one pass."""
        import orjson  # with the first page, not with the store

        live, tag_ids, hashes = self._live, self._tag_ids, self._hashes
        page_customers = {c[0]: c for c in customers}
        latest: dict[str, PreparedRelation] = {}
        for external_userid, r, row_tag_ids, row_customer in relations:
            (userid, remark, description, createtime, remark_corp_name, remark_mobiles,
             oper_userid, add_way, state) = r
            linked = tag_ids.intersection(row_tag_ids)
            pks = sorted(map(live.__getitem__, linked))
            mobiles = _mobiles_json(remark_mobiles)
            customer = page_customers.get(external_userid)
            key = f"{userid}\n{external_userid}"
            latest[key] = (  # a relation's last row wins
                key,
                (external_userid, userid, remark, description, createtime, add_way, state,
                 oper_userid, remark_corp_name, mobiles, len(pks),
                 linked_relation_signature(r, sum(map(hashes.__getitem__, linked)),
                                           row_customer)),
                pks,
                None if customer is None else search_text.fold_fields(  # None: folded at the end
                    remark, description, remark_corp_name, customer[1], customer[4],
                    customer[5], external_userid, mobiles))
        return PreparedPage(
            customers=[(c[0], fields, hash(fields), _sort_key(c[1])) for c, fields
                       in zip(customers, map(_CUSTOMER_FIELDS, customers), strict=True)],
            relations=list(latest.values()),
            links=orjson.dumps([pks for _, _, pks, _ in latest.values()]).decode())

    def _add(self, customers: Sequence[PageCustomer],
             relations: Sequence[PageRelation]) -> None:
        self.add_prepared(self._prepare(
            list(map(CUSTOMER_VALUES, customers)),
            [(external_userid, FOLLOW_VALUES(r), r.tag_ids,
              None if customer is None else CUSTOMER_VALUES(customer))
             for external_userid, r, customer in relations]))

    def add_prepared(self, page: PreparedPage) -> None:
        """Insert one prepared page: its customers (the last row of one wins), its relations
        with their folded text and links (a relation added again replaces its earlier row)."""
        self._check_thread()
        self._add_customers(page.customers)
        fresh: list[tuple[object, ...]] = []
        links: list[list[int]] = []
        texts: list[tuple[int, str | None]] = []
        first = self._next_id  # the new relations' ids follow it in order
        ids = self._ids
        for key, row, pks, text in page.relations:
            rid = ids.get(key)
            if rid is None:
                rid = ids[key] = self._next_id
                self._next_id += 1
                links.append(pks)
                fresh.append((rid, *row))
            else:
                self._replace(rid, row, pks)
            texts.append((rid, text))
        self._conn.executemany(INSERT_RELATIONS, fresh)
        self._conn.executemany(FOLDED_TEXT, texts)
        if fresh:
            self._insert_links(first, page.links if len(fresh) == len(page.relations)
                               else json.dumps(links), links)

    def _add_customers(self, customers: Sequence[PreparedCustomer]) -> None:
        """Insert the customers not written yet; one written before with other fields is
        updated by `write` (its update trigger marks its relations' text to fold again)."""
        new: dict[str, tuple[object, ...]] = {}
        for external_userid, fields, digest, sort_key in customers:
            written = self._customers.get(external_userid)
            if written is None or external_userid in new:
                new[external_userid] = (external_userid, *fields, sort_key)
            elif written != digest:
                self._updates[external_userid] = (*fields, sort_key, external_userid)
            self._customers[external_userid] = digest
        self._conn.executemany(INSERT_CUSTOMERS, new.values())

    def _replace(self, rid: int, row: tuple[object, ...], pks: list[int]) -> None:
        """A relation added again: its later row and links replace the earlier ones."""
        self._links -= self._conn.execute(
            "DELETE FROM relation_tag WHERE relation_id = ?", (rid,)).rowcount
        self._conn.execute(
            f"UPDATE relation SET ({RELATION_FIELDS}, tag_count, sync_sig) ="
            f" ({', '.join('?' * 10)}) WHERE id = ?", (*row[2:], rid))
        self._insert_links(rid, json.dumps([pks]), [pks])

    def _insert_links(self, first_id: int, pks_json: str, pks: list[list[int]]) -> None:
        """Links of consecutive relations from `first_id` on: `pks`, a list of tag pks each,
        given as their JSON too."""
        self._conn.execute(INSERT_LINKS, (first_id, pks_json))
        self._links += sum(map(len, pks))

    def write(self, snap: Snapshot) -> WriteResult:
        """Write the directory, fold what a later customer row made stale, mark the sync
        and commit."""
        self._check_thread()
        if self._transaction is None:
            raise RuntimeError("a sync's direct write is written once")
        started = time.perf_counter()
        now = time.time()
        conn = self._conn
        for sql in self._suspended:
            conn.execute(sql)
        conn.executemany(UPDATE_CUSTOMER, self._updates.values())
        conn.execute("UPDATE meta SET value = value + 1 WHERE key IN (?, ?)",
                      (RELATION_SET_KEY, CUSTOMER_NAMES_KEY))
        replace_directory(conn, snap)
        sort_keys.refresh(conn)
        search_text.refresh(conn)
        tree_changes = self._tree.entries(self._previous, now)
        journal.append(conn, tree_changes)
        self._cache.set_meta(conn, LAST_SYNC_KEY, str(now))
        bump_data_version(self._cache, conn)
        customers = int(conn.execute(
            "SELECT count(DISTINCT external_userid) FROM relation").fetchone()[0])
        transaction, self._transaction = self._transaction, None
        try:
            transaction.close()  # commits
        finally:
            self._restore_pragmas()
        return WriteResult(
            customers=customers, relations=len(self._ids), tags=len(snap.tags),
            groups=len(snap.groups), tag_links=self._links,
            observed_changes=len(tree_changes), elapsed_s=time.perf_counter() - started,
            renames=self._tree.renames)

    def _restore_pragmas(self) -> None:
        for name, value in self._pragmas.items():
            self._conn.execute(f"PRAGMA {name} = {value}")

    def _check_thread(self) -> None:
        if threading.get_ident() != self._thread:
            raise RuntimeError("a sync's direct write is used by the thread that began it")

    def __enter__(self) -> DirectWrite:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._transaction is not None:  # not written: roll it back
            failure = exc if exc is not None else RuntimeError("a sync left unwritten")
            try:
                self._transaction.__exit__(type(failure), failure, tb)
            finally:
                self._transaction = None
                self._restore_pragmas()


_CUSTOMER_FIELDS: Callable[[CustomerValues], tuple[object, ...]] = itemgetter(
    1, 2, 3, 4, 5, 6, 7)  # `CUSTOMER_FIELDS` of a customer's values
ValuesRelation = tuple[str, FollowValues, Sequence[str], CustomerValues | None]
"""A relation by its customer's external_userid, as values with its tag ids and the values of
its customer as its row gave them (None: a relation added without its customer)."""


def _sort_key(name: str) -> str:
    return person_sort_key(name) if name else ""


_PLAIN_MOBILES = re.compile(r'[ !#-\[\]-~]*')
"""Printable ASCII but for `"` and `\\`: what JSON writes as it is."""


def _mobiles_json(mobiles: Sequence[str]) -> str:
    """`json.dumps(list(mobiles))`, written directly when the mobiles need no escaping (a
    mobile number's digits, spaces and signs do not): a fifth of the time."""
    if not mobiles:
        return "[]"
    if _PLAIN_MOBILES.fullmatch("".join(mobiles)):
        return '["' + '", "'.join(mobiles) + '"]'
    return json.dumps(list(mobiles))


# One prepared statement run for each row of a page (`executemany`): about 0.6 s less CPU
# for 100,000 customers than multi-row VALUES, which SQLite runs as a compound select.
INSERT_CUSTOMERS = (f"INSERT INTO customer (external_userid, {CUSTOMER_FIELDS}, name_sort)"
                    f" VALUES ({', '.join('?' * 9)})")
UPDATE_CUSTOMER = (f"UPDATE customer SET ({CUSTOMER_FIELDS}, name_sort) ="
                   f" ({', '.join('?' * 8)}) WHERE external_userid = ?")
INSERT_RELATIONS = (f"INSERT INTO relation (id, external_userid, userid, {RELATION_FIELDS},"
                    f" tag_count, sync_sig) VALUES ({', '.join('?' * 13)})")
FOLDED_TEXT = "INSERT OR REPLACE INTO relation_search (relation_id, folded) VALUES (?, ?)"
# OR FAIL: a statement that may abort (the default) keeps a journal of every page it changes
# inside the transaction, to undo just itself; a page's links never conflict (fresh relation
# ids, distinct tags), and any failure rolls the whole sync back. Without it a first sync of
# 100,000 customers wrote 1.35 GB of such journals to a temporary file.
INSERT_LINKS = ("INSERT OR FAIL INTO relation_tag (relation_id, tag_pk)"
                " SELECT ?1 + r.key, t.value FROM json_each(?2) r, json_each(r.value) t")
