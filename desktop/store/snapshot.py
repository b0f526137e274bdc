"""Writing a full sync into the cache in one transaction.

The sync service stages customers and relations page by page while it is still
fetching (`Staging`: temporary tables of the writing thread's connection, so the
cache itself is untouched and nothing is held in memory), each page compared with the
cache as it is staged, and hands over the small rest as a `Snapshot`; `write_snapshot`
merges both in one transaction, writing only what differs. Customers nobody follows any
more stay in `customer`, so the journal and revert previews can still name them. A
failure anywhere rolls the whole write back, so the previous cache stays exactly as it
was. Tag differences on relations that were already known are returned as `observed`
changes: they were made on phones or by other tools since the last sync.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from hashlib import blake2b
from operator import attrgetter
from types import TracebackType
from typing import Any, Protocol

from desktop.domain.filter.rename import Rename
from desktop.store import journal, search_text, sort_keys, tag_counts
from desktop.store.db import Cache
from desktop.store.rename_follow import follow_renames, renames
from desktop.store.tree_changes import SEEN_AT_SYNC, TreeItem, tag_tree, tree_entries

LAST_SYNC_KEY = "last_sync_at"
DATA_VERSION_KEY = "data_version"
RELATIONS_VERSION_KEY = "relations_version"  # the last data_version not only of names


@dataclass(frozen=True, slots=True)
class GroupRow:
    id: str
    name: str
    order: int = 0
    create_time: int = 0
    strategy_id: int | None = None


@dataclass(frozen=True, slots=True)
class TagRow:
    id: str
    group_id: str
    name: str
    order: int = 0
    create_time: int = 0


@dataclass(frozen=True, slots=True)
class StrategyRow:
    id: int
    parent_id: int
    name: str
    create_time: int = 0


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    id: int
    name: str
    name_en: str = ""
    parent_id: int = 0
    order: int = 0


@dataclass(frozen=True, slots=True)
class MemberRow:
    userid: str
    name: str
    main_department: int | None = None
    status: int = 1
    position: str = ""
    follows: bool = False
    departments: tuple[tuple[int, bool], ...] = ()  # (department id, is leader there)


@dataclass(frozen=True, slots=True)
class CustomerRow:
    external_userid: str
    name: str
    type: int = 1
    gender: int = 0
    corp_name: str = ""
    corp_full_name: str = ""
    position: str = ""
    unionid: str = ""


@dataclass(frozen=True, slots=True)
class RelationRow:
    external_userid: str
    userid: str
    remark: str = ""
    description: str = ""
    createtime: int = 0
    add_way: int = 0
    state: str = ""
    oper_userid: str = ""
    remark_corp_name: str = ""
    remark_mobiles: tuple[str, ...] = ()
    tag_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ContactWayRow:
    config_id: str
    state: str = ""
    remark: str = ""
    users: tuple[str, ...] = ()


@dataclass
class Snapshot:
    groups: list[GroupRow] = field(default_factory=list)
    tags: list[TagRow] = field(default_factory=list)
    strategies: list[StrategyRow] = field(default_factory=list)
    departments: list[DepartmentRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    customers: list[CustomerRow] = field(default_factory=list)
    relations: list[RelationRow] = field(default_factory=list)
    contact_ways: list[ContactWayRow] = field(default_factory=list)


class PageCustomer(Protocol):
    """A customer as a relation page of WeCom's (or a `CustomerRow`) holds it."""

    @property
    def external_userid(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def type(self) -> int: ...
    @property
    def gender(self) -> int: ...
    @property
    def corp_name(self) -> str: ...
    @property
    def corp_full_name(self) -> str: ...
    @property
    def position(self) -> str: ...
    @property
    def unionid(self) -> str: ...


class PageFollow(Protocol):
    """A relation as a relation page of WeCom's (or a `RelationRow`) holds it, less its
    customer."""

    @property
    def userid(self) -> str: ...
    @property
    def remark(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def createtime(self) -> int: ...
    @property
    def add_way(self) -> int: ...
    @property
    def state(self) -> str: ...
    @property
    def oper_userid(self) -> str: ...
    @property
    def remark_corp_name(self) -> str: ...
    @property
    def remark_mobiles(self) -> Sequence[str]: ...
    @property
    def tag_ids(self) -> Sequence[str]: ...


PageItem = tuple[PageCustomer, PageFollow]  # one row of a relation page

CustomerValues = tuple[Any, ...]
"""A customer as values: its external_userid and its fields in `CustomerRow`'s order
(external_userid, name, type, gender, corp_name, corp_full_name, position, unionid), and
whatever a page holds after them (WeCom's avatar)."""
FollowValues = tuple[str, str, str, int, str, Sequence[str], str, int, str]
"""A relation as values, less its customer and tags: userid, remark, description,
createtime, remark_corp_name, remark_mobiles, oper_userid, add_way, state."""
PageValues = tuple[CustomerValues, FollowValues, Sequence[str]]
"""One row of a relation page as values: its customer, its relation and its tag ids."""

CUSTOMER_VALUES: Callable[[PageCustomer], CustomerValues] = attrgetter(
    "external_userid", "name", "type", "gender", "corp_name", "corp_full_name", "position",
    "unionid")
FOLLOW_VALUES: Callable[[PageFollow], FollowValues] = attrgetter(
    "userid", "remark", "description", "createtime", "remark_corp_name", "remark_mobiles",
    "oper_userid", "add_way", "state")


class PageSource(Protocol):
    """A relation page (WeCom's client's `RelationPage`): its rows as objects and as values."""

    @property
    def items(self) -> Sequence[PageItem]: ...
    @property
    def values(self) -> Sequence[PageValues]: ...


@dataclass(frozen=True, slots=True)
class ItemsPage:
    """A relation page of rows as objects (WeCom's, or a `CustomerRow` and a `RelationRow`
    each)."""

    items: Sequence[PageItem]

    @property
    def values(self) -> list[PageValues]:
        return [(CUSTOMER_VALUES(c), FOLLOW_VALUES(f), f.tag_ids) for c, f in self.items]


TagHashes = Mapping[str, int]
"""The sync's tag list: each tag id with its 64-bit `tag_hash`."""


def tag_hashes(tag_ids: Iterable[str]) -> dict[str, int]:
    return {tag_id: tag_hash(tag_id) for tag_id in tag_ids}


def tag_hash(tag_id: str) -> int:
    """A tag id hashed to 64 bits apart from any row's fields (its own personalisation)."""
    return int.from_bytes(blake2b(tag_id.encode("utf-8", "surrogatepass"), digest_size=8,
                                  person=b"tagdesk-tag").digest(), "little")


def relation_signature(r: PageFollow, hashes: TagHashes, customer: PageCustomer | None) -> int:
    """What a page row says of a relation, as a 64-bit signature: its fields, its links to
    those of its tag ids that the sync's tag list (`hashes`) names, and its customer's
    fields as the row gave them (None: a relation added without its customer)."""
    return linked_relation_signature(
        FOLLOW_VALUES(r), sum({hashes[t] for t in r.tag_ids if t in hashes}),
        None if customer is None else CUSTOMER_VALUES(customer))


def linked_relation_signature(r: FollowValues, linked: int,
                              customer: CustomerValues | None) -> int:
    """`relation_signature` of a relation given as values, whose tags that the sync's tag
    list names have hashes summing to `linked`: a sum needs no sorting, the order of a row's
    tag ids does not matter, and any other set of tags gives another sum but with odds of
    2**-64."""
    _, remark, description, createtime, remark_corp_name, mobiles, oper_userid, add_way, state = r
    if customer is None:
        fields: tuple[str, ...] = (
            remark, description, str(createtime), str(add_way), state, oper_userid,
            remark_corp_name, "\x01".join(mobiles))
    else:
        fields = (remark, description, str(createtime), str(add_way), state, oper_userid,
                  remark_corp_name, "\x01".join(mobiles), "\x02", customer[1], str(customer[2]),
                  str(customer[3]), customer[4], customer[5], customer[6], customer[7])
    # the fields joined by NUL (a character no WeCom text carries; joining is several times
    # cheaper than a quoted form), hashed to 8 bytes, plus the tags' sum
    text = "\x00".join(fields).encode("utf-8", "surrogatepass")
    unsigned = (int.from_bytes(blake2b(text, digest_size=8).digest(), "little") + linked) & MASK_64
    return unsigned - (unsigned >> 63 << 64)  # as SQLite's signed INTEGER


MASK_64 = (1 << 64) - 1


PageRelation = tuple[str, PageFollow, PageCustomer | None]
"""A relation by its customer's external_userid, with that customer as its row gave it."""


class PageWriter(ABC):
    """Where a sync's pages go (`Staging`, `direct_sync.DirectWrite`): rows as lists, or a
    relation page as WeCom's client read it; either way `_add` takes one page's customers
    and its relations with their customers."""

    def add(self, customers: Sequence[CustomerRow], relations: Sequence[RelationRow]) -> None:
        """These rows as one page (a relation's customer: the last of these rows for it)."""
        by_id = {c.external_userid: c for c in customers}
        self._add(customers, [(r.external_userid, r, by_id.get(r.external_userid))
                              for r in relations])

    def add_page(self, items: Sequence[PageItem]) -> None:
        """One relation page as WeCom's client read it."""
        self.add_prepared(self.prepare_page(ItemsPage(items)))

    @abstractmethod
    def prepare_page(self, page: PageSource) -> Any:
        """One relation page made ready to add (on any thread)."""

    @abstractmethod
    def add_prepared(self, page: Any) -> None:
        """Add a page `prepare_page` made ready (on the writing thread)."""

    @abstractmethod
    def _add(self, customers: Sequence[PageCustomer],
             relations: Sequence[PageRelation]) -> None: ...


SignedRelation = tuple[str, PageFollow, PageCustomer | None, int]
"""A `PageRelation` with its `relation_signature`."""


@dataclass(frozen=True, slots=True)
class SignedPage:
    """A page's customers, and its relations each with its signature."""

    customers: Sequence[PageCustomer]
    relations: list[SignedRelation]


@dataclass(frozen=True)
class WriteResult:
    customers: int
    relations: int
    tags: int
    groups: int
    tag_links: int
    observed_changes: int
    elapsed_s: float
    renames: tuple[Rename, ...]   # tags and groups found renamed elsewhere, followed


class Staging(PageWriter):
    """A sync's customers and relations, added page by page into temporary tables of this
    thread's connection: the cache is not touched (a failed sync leaves it as it was) and
    the rows are not held in memory until `write_snapshot` merges them. Only the thread
    that created it may add to it or merge it.

    A relation whose signature (`relation_signature` of its page row, its customer's fields
    included: `tag_ids` are the ids of the sync's tag list) is the one the cache keeps for
    it is as the last sync wrote it and nothing wrote it since: it is only counted, not
    staged, nor is the customer of that row (unless another row of it is). Every other row is
    compared with the cache in the statement that stages it, while the chains fetch the
    next pages: a known relation gets its id and whether its fields and its live tags are
    as cached, a new one its number among the new (its id will be the cache's newest id
    plus that number) and its links. The merge then writes only what differs, and deletes
    the relations no page named. The staged comparisons hold while no other connection
    wrote the cache (`PRAGMA data_version`) and the sync's own tag list removed no live
    tag; otherwise the merge stages those rows again inside its transaction. A relation
    found unchanged keeps a write another connection made after that (the write is newer
    than the page). A relation staged twice keeps only its later row."""

    def __init__(self, cache: Cache, tag_ids: Collection[str]) -> None:
        self._cache = cache
        self._conn = cache.connection()
        self._thread = threading.get_ident()
        self._tag_ids = frozenset(tag_ids)
        self._hashes = tag_hashes(self._tag_ids)
        self._version = self.data_version()
        self.close()
        for table in STAGE_TABLES:
            self._conn.execute(table)
        # the signatures of the cached relations no page named yet (those left at the end
        # are gone; one named again is staged and compared)
        self._known: dict[str, int | None] = dict(self._conn.execute(
            "SELECT userid || char(10) || external_userid, sync_sig FROM main.relation"))
        self._start()

    def _start(self) -> None:
        self._customers = 0
        self._seq = 0
        self._fresh = 0
        self._staged: dict[str, int] = {}  # relation key -> seq of its latest staged row
        self._staged_customers: set[str] = set()
        self._live: dict[str, int] = dict(self._conn.execute(
            "SELECT id, pk FROM main.tag WHERE deleted = 0").fetchall())

    def _add(self, customers: Sequence[PageCustomer],
             relations: Sequence[PageRelation]) -> None:
        self.add_prepared(self._sign(customers, relations))

    def _sign(self, customers: Sequence[PageCustomer],
              relations: Sequence[PageRelation]) -> SignedPage:
        hashes = self._hashes
        return SignedPage(customers, [(external_userid, r, customer,
                                       relation_signature(r, hashes, customer))
                                      for external_userid, r, customer in relations])

    def prepare_page(self, page: PageSource) -> SignedPage:
        """A page with each row's signature (on the chain that read it: it only reads the
        tag list): staging then compares each row with the cache and with what it staged
        before."""
        items = page.items
        return self._sign([c for c, _ in items], [(c.external_userid, f, c) for c, f in items])

    def add_prepared(self, page: SignedPage) -> None:
        """Stage one page: relations with their customers, then the customers. A customer
        (one row per relation) is merged once per row, the last one winning.

        One multi-row INSERT a table, not one statement a row: SQLite releases the GIL once
        a statement, and each time the staging thread waits behind the fetching threads."""
        self.check_thread()
        customers, relations = page.customers, page.relations
        unchanged: set[str] = set()  # customers whose rows here signed their relation as is
        staged: set[str] = set()
        for start in range(0, len(relations), ROWS_PER_INSERT):
            self._add_relations(relations[start:start + ROWS_PER_INSERT], unchanged, staged)
        insert_rows(self._conn, STAGE_CUSTOMERS,
                    self._changed_customers(customers, unchanged - staged))
        self._customers += len(customers)

    def _changed_customers(self, customers: Sequence[PageCustomer], unchanged: set[str]
                           ) -> list[tuple[object, ...]]:
        """The rows to stage: all but those of customers whose relations on this page are
        as the last sync wrote them, and every later row of a customer staged once (so its
        last row wins)."""
        rows: list[tuple[object, ...]] = []
        for row, c in enumerate(customers, start=self._customers + 1):
            customer = c.external_userid
            if customer not in self._staged_customers:
                if customer in unchanged:
                    continue
                self._staged_customers.add(customer)
            rows.append((row, customer, c.name, c.type, c.gender, c.corp_name,
                         c.corp_full_name, c.position, c.unionid))
        return rows

    def _add_relations(self, relations: Sequence[SignedRelation], unchanged: set[str],
                       staged: set[str]) -> None:
        """Stage these relations (`unchanged`, `staged`: their customers' ids as found)."""
        first = self._seq
        self._seq += len(relations)
        latest: dict[str, tuple[int, str, PageFollow, int]] = {}
        for seq, (external_userid, r, customer, sig) in enumerate(relations, start=first):
            key = f"{r.userid}\n{external_userid}"
            earlier = self._staged.get(key)
            if earlier is None:
                if self._known.pop(key, None) == sig:
                    if customer is not None:
                        unchanged.add(external_userid)
                    continue
            elif earlier < first:
                for statement in DROP_STAGED:
                    self._conn.execute(statement, (earlier,))
            staged.add(external_userid)
            self._staged[key] = seq
            latest[key] = (seq, external_userid, r, sig)
        if not latest:
            return
        insert_rows(self._conn, STAGE_RELATIONS, [
            (seq, external_userid, r.userid, r.remark, r.description, r.createtime,
             r.add_way, r.state, r.oper_userid, r.remark_corp_name,
             json.dumps(list(r.remark_mobiles)) if r.remark_mobiles else "[]",
             *self._live_pks(r.tag_ids), sig)
            for seq, external_userid, r, sig in latest.values()])
        fresh_before = self._fresh
        self._conn.execute(STAGE_FRESH, (first, self._seq - 1))
        self._fresh = int(self._conn.execute(
            "SELECT coalesce(max(n), 0) FROM temp.stage_fresh").fetchone()[0])
        if self._fresh > fresh_before:
            for statement in FRESH_LINKS:
                self._conn.execute(statement, (fresh_before,))

    def _live_pks(self, tag_ids: Sequence[str]) -> tuple[str, str | None]:
        """The sorted "pk,pk" of these ids' live tags, and the JSON of the ids that name no
        live tag (None when all do)."""
        live = self._live
        try:
            return ",".join(map(str, sorted({live[t] for t in tag_ids}))), None
        except KeyError:
            pks = sorted({live[t] for t in tag_ids if t in live})
            unknown = [t for t in tag_ids if t not in live]
            return ",".join(map(str, pks)), json.dumps(unknown)

    def write(self, snap: Snapshot) -> WriteResult:
        """Merge what was staged and the rest of `snap` into the cache (`write_snapshot`)."""
        return write_snapshot(self._cache, snap, self)

    def check_tags(self, tags: Iterable[TagRow]) -> None:
        """Refuse to merge under another tag list than the one the rows were signed with."""
        if {t.id for t in tags} != self._tag_ids:
            raise ValueError("a sync's staging is merged with the tag list it was given")

    def stage_gone(self) -> None:
        """Stage the keys of the cached relations that no page named."""
        self.check_thread()
        self._conn.execute("DELETE FROM temp.stage_gone")
        insert_rows(self._conn, "INSERT INTO temp.stage_gone (userid, external_userid)"
                    " VALUES {values}", [tuple(key.split("\n", 1)) for key in self._known])

    def compare_again(self) -> None:
        """Stage every row again, compared with the cache as this connection sees it now."""
        self.check_thread()
        for table in ("stage_customer", "stage_relation"):
            self._conn.execute(f"ALTER TABLE temp.{table} RENAME TO {table}_before")
        for table in ("stage_fresh", "stage_link", "stage_unknown_tag"):
            self._conn.execute(f"DELETE FROM temp.{table}")
        for table in STAGE_TABLES[:2]:
            self._conn.execute(table)
        tag_ids = {pk: tag_id for tag_id, pk in self._live.items()}  # as staged
        self._start()
        rows = self._conn.execute(
            f"SELECT external_userid, {CUSTOMER_FIELDS} FROM temp.stage_customer_before"
            " ORDER BY row")
        while chunk := rows.fetchmany(ROWS_PER_INSERT):
            self.add([CustomerRow(*row) for row in chunk], [])
        rows = self._conn.execute(
            f"SELECT external_userid, userid, {RELATION_FIELDS}, tag_pks, unknown_tag_ids"
            " FROM temp.stage_relation_before ORDER BY seq")
        while chunk := rows.fetchmany(ROWS_PER_INSERT):
            self.add([], [_relation_row(tag_ids, *row) for row in chunk])
        for table in ("stage_customer_before", "stage_relation_before"):
            self._conn.execute(f"DROP TABLE temp.{table}")

    def comparisons_hold(self) -> bool:
        """No other connection wrote the cache since staging began."""
        return self.data_version() == self._version

    def data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def count(self, rows: str) -> int:
        return int(self._conn.execute(f"SELECT count(*) FROM {rows}").fetchone()[0])

    def check_thread(self) -> None:
        if threading.get_ident() != self._thread:
            raise RuntimeError("a sync's staging is used by the thread that created it")

    def close(self) -> None:
        for table in ("stage_customer", "stage_relation", "stage_fresh", "stage_link",
                      "stage_unknown_tag", "stage_gone", "stage_customer_before",
                      "stage_relation_before"):
            self._conn.execute(f"DROP TABLE IF EXISTS temp.{table}")

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _relation_row(tag_ids: Mapping[int, str], external_userid: str, userid: str, remark: str,
                  description: str, createtime: int, add_way: int, state: str,
                  oper_userid: str, remark_corp_name: str, remark_mobiles: str, tag_pks: str,
                  unknown_tag_ids: str | None) -> RelationRow:
    """A staged relation as it was added (its tag ids from the tags staging knew, and the
    ids it did not know)."""
    return RelationRow(external_userid, userid, remark, description, createtime, add_way, state,
                       oper_userid, remark_corp_name, tuple(json.loads(remark_mobiles)),
                       (*_tag_ids(tag_ids, tag_pks), *json.loads(unknown_tag_ids or "[]")))


def _tag_ids(tag_ids: Mapping[int, str], tag_pks: str) -> list[str]:
    return [tag_ids[int(pk)] for pk in tag_pks.split(",")] if tag_pks else []


CUSTOMER_FIELDS = "name, type, gender, corp_name, corp_full_name, position, unionid"
RELATION_FIELDS = ("remark, description, createtime, add_way, state, oper_userid,"
                   " remark_corp_name, remark_mobiles")


def columns(table: str, fields: str) -> str:
    return ", ".join(f"{table}.{name.strip()}" for name in fields.split(","))


STAGE_TABLES = (
    # same: the cache holds this customer with these fields; name_sort: the name's pinyin
    # key, made here (by the staging thread while the chains fetch) when the cache has
    # another name or no such customer
    "CREATE TEMP TABLE stage_customer (row INTEGER PRIMARY KEY, external_userid TEXT,"
    f" {CUSTOMER_FIELDS}, same INTEGER, name_sort TEXT)",
    # tag_pks: the live tags' sorted "pk,pk"; unknown_tag_ids: a JSON array of the ids that
    # named no live tag (a tag new in this sync, or none); id, fields_same, tags_same: the
    # cached relation's id and whether it is as staged (NULL for a new relation); sig: the
    # row's `relation_signature`
    "CREATE TEMP TABLE stage_relation (seq INTEGER PRIMARY KEY, external_userid TEXT,"
    f" userid TEXT, {RELATION_FIELDS}, tag_pks TEXT, unknown_tag_ids TEXT, sig INTEGER,"
    " id INTEGER, fields_same INTEGER, tags_same INTEGER)",
    # the new relations in arrival order: each one's id is the cache's newest plus n
    "CREATE TEMP TABLE stage_fresh (n INTEGER PRIMARY KEY, seq INTEGER NOT NULL)",
    "CREATE TEMP TABLE stage_link (n INTEGER NOT NULL, tag_pk INTEGER NOT NULL,"
    " PRIMARY KEY (n, tag_pk)) WITHOUT ROWID",
    "CREATE TEMP TABLE stage_unknown_tag (n INTEGER NOT NULL, tag_id TEXT NOT NULL)",
    # the cached relations no page named
    "CREATE TEMP TABLE stage_gone (userid TEXT NOT NULL, external_userid TEXT NOT NULL)",
)

STAGE_CUSTOMERS = (
    f"WITH page (row, external_userid, {CUSTOMER_FIELDS}) AS (VALUES {{values}})"
    f" INSERT INTO temp.stage_customer (row, external_userid, {CUSTOMER_FIELDS}, same,"
    " name_sort)"
    f" SELECT page.*, c.external_userid IS NOT NULL AND ({columns('c', CUSTOMER_FIELDS)})"
    f" IS ({columns('page', CUSTOMER_FIELDS)}), CASE WHEN c.name IS NOT page.name"
    f" THEN {sort_keys.SORT_KEY_FUNCTION}(page.name) END FROM page"
    " LEFT JOIN main.customer c ON c.external_userid = page.external_userid"
)

STAGE_RELATIONS = (
    f"WITH page (seq, external_userid, userid, {RELATION_FIELDS}, tag_pks, unknown_tag_ids,"
    " sig) AS (VALUES {values})"
    f" INSERT INTO temp.stage_relation (seq, external_userid, userid, {RELATION_FIELDS},"
    " tag_pks, unknown_tag_ids, sig, id, fields_same, tags_same)"
    " SELECT page.*, r.id, CASE WHEN r.id IS NOT NULL THEN"
    f" ({columns('r', RELATION_FIELDS)}) IS ({columns('page', RELATION_FIELDS)}) END,"
    " CASE WHEN r.id IS NOT NULL THEN page.unknown_tag_ids IS NULL AND page.tag_pks ="
    " coalesce((SELECT group_concat(tag_pk) FROM (SELECT tag_pk FROM main.relation_tag"
    " WHERE relation_id = r.id ORDER BY tag_pk)), '') END"
    " FROM page LEFT JOIN main.relation r"
    " ON r.external_userid = page.external_userid AND r.userid = page.userid"
)

STAGE_FRESH = ("INSERT INTO temp.stage_fresh (seq) SELECT seq FROM temp.stage_relation"
               " WHERE seq BETWEEN ?1 AND ?2 AND id IS NULL ORDER BY seq")

FRESH_LINKS = (
    "INSERT INTO temp.stage_link (n, tag_pk) SELECT f.n, j.value"
    " FROM temp.stage_fresh f JOIN temp.stage_relation s ON s.seq = f.seq,"
    " json_each('[' || s.tag_pks || ']') j WHERE f.n > ?1",
    "INSERT INTO temp.stage_unknown_tag (n, tag_id) SELECT f.n, j.value"
    " FROM temp.stage_fresh f JOIN temp.stage_relation s ON s.seq = f.seq,"
    " json_each(s.unknown_tag_ids) j WHERE f.n > ?1 AND s.unknown_tag_ids IS NOT NULL",
)

DROP_STAGED = (  # the earlier row of a relation staged again
    "DELETE FROM temp.stage_link WHERE n = (SELECT n FROM temp.stage_fresh WHERE seq = ?1)",
    "DELETE FROM temp.stage_unknown_tag"
    " WHERE n = (SELECT n FROM temp.stage_fresh WHERE seq = ?1)",
    "DELETE FROM temp.stage_fresh WHERE seq = ?1",
    "DELETE FROM temp.stage_relation WHERE seq = ?1",
)


ROWS_PER_INSERT = 500  # 500 rows of 14 values stay far below SQLite's 32,766 parameters


def insert_rows(conn: sqlite3.Connection, insert: str, rows: Sequence[tuple[object, ...]]
                ) -> None:
    """`insert` with its `{values}` replaced by up to ROWS_PER_INSERT rows at a time."""
    for start in range(0, len(rows), ROWS_PER_INSERT):
        chunk = rows[start:start + ROWS_PER_INSERT]
        values = "(" + ", ".join("?" * len(chunk[0])) + ")"
        conn.execute(insert.format(values=", ".join([values] * len(chunk))),
                     [value for row in chunk for value in row])


def write_snapshot(cache: Cache, snap: Snapshot, staged: Staging | None = None) -> WriteResult:
    """Replace the mirror with `snap`, whose customers and relations are `staged` (when
    given) or listed in `snap` itself, in one transaction."""
    if staged is None:
        with Staging(cache, [t.id for t in snap.tags]) as staging:
            staging.add(snap.customers, snap.relations)
            return write_snapshot(cache, snap, staging)
    staged.check_thread()
    staged.check_tags(snap.tags)
    started = time.perf_counter()
    now = time.time()
    with cache.write() as conn:
        previous = float(cache.get_meta(LAST_SYNC_KEY) or 0)
        first_sync = not previous
        tree = write_tag_tree(conn, snap.groups, snap.tags)
        tree_changes = tree.entries(previous, now)
        tags_kept = tree.live_before.items() <= tree.live_after.items()
        if not staged.comparisons_hold() or not tags_kept:
            staged.compare_again()
        staged.stage_gone()
        replace_directory(conn, snap)
        _write_customers(conn)
        sort_keys.refresh(conn)
        # relation ids only grow: every relation known before this write has an id up to
        # this one, and the new ones follow it in the order they arrived
        newest_before = int(
            conn.execute("SELECT coalesce(max(id), 0) FROM relation").fetchone()[0])
        _write_relations(conn, newest_before)
        changed = _write_relation_tags(conn, newest_before)
        _write_signatures(conn)
        observed = {} if first_sync else changed  # a first sync has nothing to compare with
        journal.append(conn, tree_changes)
        if observed:
            journal.append(conn, observed_entries(conn, observed, previous, now))
        cache.set_meta(conn, LAST_SYNC_KEY, str(now))
        search_text.refresh(conn)
        bump_data_version(cache, conn)
        links = int(conn.execute("SELECT count(*) FROM relation_tag").fetchone()[0])
        # the cache holds the relations the pages named, no other
        relations, customers = conn.execute(
            "SELECT count(*), count(DISTINCT external_userid) FROM relation").fetchone()
    return WriteResult(
        customers=int(customers),
        relations=int(relations),
        tags=len(snap.tags),
        groups=len(snap.groups),
        tag_links=links,
        observed_changes=sum(len(a ^ b) for a, b in observed.values()) + len(tree_changes),
        elapsed_s=time.perf_counter() - started,
        renames=tree.renames,
    )


def replace_relation_tags(
    cache: Cache, fetched: Mapping[tuple[str, str], Iterable[str]]
) -> set[int]:
    """Set the corp tags of just these relations, keyed (external_userid, userid), to what
    WeCom answered (a partial refresh). Differences are journaled as `observed`; relations
    the cache does not know and tag ids it does not know are left alone. Returns the ids of
    the relations that changed."""
    now = time.time()
    with cache.write() as conn:
        previous = float(cache.get_meta(LAST_SYNC_KEY) or 0)
        tag_pks = dict(conn.execute("SELECT id, pk FROM tag WHERE deleted = 0").fetchall())
        observed: Changes = {}
        for (external_userid, userid), tag_ids in fetched.items():
            row = conn.execute("SELECT id FROM relation WHERE external_userid = ? AND userid = ?",
                               (external_userid, userid)).fetchone()
            if row is None:
                continue
            rid = int(row[0])
            have = {pk for (pk,) in conn.execute(
                "SELECT tag_pk FROM relation_tag WHERE relation_id = ?", (rid,))}
            wanted = {tag_pks[t] for t in tag_ids if t in tag_pks}
            if wanted == have:
                continue
            conn.executemany("DELETE FROM relation_tag WHERE relation_id = ? AND tag_pk = ?",
                             [(rid, pk) for pk in have - wanted])
            conn.executemany("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (?, ?)",
                             [(rid, pk) for pk in wanted - have])
            observed[rid] = (have, wanted)
        if observed:
            journal.append(conn, observed_entries(conn, observed, previous, now))
            bump_data_version(cache, conn)
    return set(observed)


def bump_data_version(cache: Cache, conn: sqlite3.Connection, *, names_only: bool = False,
                      ) -> None:
    """Tell every reader (filter caches, views) that relations or tags changed.

    `names_only`: this commit only named or added tags and groups; relations, customers,
    links and which linked tags are live stayed as they were (the filter engine keeps its
    bitmaps). Otherwise `RELATIONS_VERSION_KEY` records this version too."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (DATA_VERSION_KEY,)).fetchone()
    version = str(int(row[0]) + 1 if row else 1)
    cache.set_meta(conn, DATA_VERSION_KEY, version)
    if not names_only:
        cache.set_meta(conn, RELATIONS_VERSION_KEY, version)


@dataclass(frozen=True)
class TreeWrite:
    """The tag tree written by a sync or the refresh at start: by WeCom id, before and after
    (`tag_tree`), the live tags' pks before and after, and the renames it followed."""

    before: dict[str, TreeItem]
    after: dict[str, TreeItem]
    live_before: dict[str, int]
    live_after: dict[str, int]
    renames: tuple[Rename, ...]

    def entries(self, previous_sync: float, now: float) -> list[journal.JournalEntry]:
        """The tree's edits made elsewhere since the previous sync, to journal (none at the
        first: there is nothing to compare with)."""
        if not previous_sync:
            return []
        return list(tree_entries(self.before, self.after, previous_sync, now))


def write_tag_tree(conn: sqlite3.Connection, groups: list[GroupRow], tags: list[TagRow]
                   ) -> TreeWrite:
    """Replace the live groups and tags within the open transaction `conn`; the tags and
    groups renamed elsewhere are followed by the rules, keywords and verdicts in it too
    (`rename_follow`), so that a failure anywhere later in it leaves the old names and the
    old spellings alike."""
    before, live_before = tag_tree(conn), live_tags(conn)
    write_tags(conn, groups, tags)
    after = tag_tree(conn)
    found = renames(before, after)
    if found:
        follow_renames(conn, found)
    return TreeWrite(before=before, after=after, live_before=live_before,
                     live_after=live_tags(conn), renames=found)


def write_tags(conn: sqlite3.Connection, groups: list[GroupRow], tags: list[TagRow]) -> None:
    conn.execute("UPDATE tag_group SET deleted = 1")
    conn.executemany(
        "INSERT INTO tag_group (id, name, sort_order, create_time, strategy_id, deleted)"
        " VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
        " sort_order = excluded.sort_order, create_time = excluded.create_time,"
        " strategy_id = excluded.strategy_id, deleted = 0",
        [(g.id, g.name, g.order, g.create_time, g.strategy_id) for g in groups],
    )
    conn.execute("UPDATE tag SET deleted = 1")
    conn.executemany(
        "INSERT INTO tag (id, group_id, name, sort_order, create_time, deleted)"
        " VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT(id) DO UPDATE SET group_id = excluded.group_id,"
        " name = excluded.name, sort_order = excluded.sort_order,"
        " create_time = excluded.create_time, deleted = 0",
        [(t.id, t.group_id, t.name, t.order, t.create_time) for t in tags],
    )


def replace_directory(conn: sqlite3.Connection, snap: Snapshot) -> None:
    """Replace strategies, departments, members and contact ways; a member named as before
    keeps its sort key (`sort_keys.refresh` keys only new names, and loads the pinyin
    tables only for them)."""
    keys = {(userid, name): key for userid, name, key in conn.execute(
        "SELECT userid, name, name_sort FROM member")}
    write_strategies(conn, snap.strategies)
    for table in ("department", "member_department", "member", "contact_way"):
        conn.execute(f"DELETE FROM {table}")
    conn.executemany(
        "INSERT INTO department (id, name, name_en, parent_id, sort_order) VALUES (?, ?, ?, ?, ?)",
        [(d.id, d.name, d.name_en, d.parent_id, d.order) for d in snap.departments],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO member (userid, name, main_department, status, position, follows,"
        " name_sort) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(m.userid, m.name, m.main_department, m.status, m.position, int(m.follows),
          keys.get((m.userid, m.name), "")) for m in snap.members],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO member_department (userid, department_id, is_leader)"
        " VALUES (?, ?, ?)",
        [(m.userid, dept, int(leader)) for m in snap.members for dept, leader in m.departments],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO contact_way (config_id, state, remark, users) VALUES (?, ?, ?, ?)",
        [(w.config_id, w.state, w.remark, json.dumps(list(w.users), ensure_ascii=False))
         for w in snap.contact_ways],
    )


def write_strategies(conn: sqlite3.Connection, strategies: Sequence[StrategyRow]) -> None:
    conn.execute("DELETE FROM strategy")
    conn.executemany(
        "INSERT INTO strategy (id, parent_id, name, create_time) VALUES (?, ?, ?, ?)",
        [(s.id, s.parent_id, s.name, s.create_time) for s in strategies],
    )


def live_tags(conn: sqlite3.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT id, pk FROM tag WHERE deleted = 0").fetchall())


def _write_customers(conn: sqlite3.Connection) -> None:
    """Every staged row of each customer with a row that differs from the cache, in
    arrival order (the last one wins)."""
    if not conn.execute("SELECT EXISTS (SELECT 1 FROM temp.stage_customer WHERE NOT same)"
                        ).fetchone()[0]:
        return
    differing = "true" if not conn.execute(  # all of them: a first sync
        "SELECT EXISTS (SELECT 1 FROM temp.stage_customer WHERE same)").fetchone()[0] else (
        "external_userid IN (SELECT external_userid FROM temp.stage_customer WHERE NOT same)")
    conn.execute(
        f"INSERT INTO customer (external_userid, {CUSTOMER_FIELDS}, name_sort)"
        f" SELECT external_userid, {CUSTOMER_FIELDS}, coalesce(name_sort, '')"
        " FROM temp.stage_customer"
        f" WHERE {differing} ORDER BY row"
        " ON CONFLICT(external_userid) DO UPDATE SET"
        " name = excluded.name, type = excluded.type, gender = excluded.gender,"
        " corp_name = excluded.corp_name, corp_full_name = excluded.corp_full_name,"
        " position = excluded.position, unionid = excluded.unionid,"
        # a key left '' (a name that changed back and forth while staging) is made by
        # sort_keys.refresh
        " name_sort = iif(name IS excluded.name, name_sort, excluded.name_sort)"
        f" WHERE ({CUSTOMER_FIELDS}) IS NOT ({columns('excluded', CUSTOMER_FIELDS)})"
    )


def _write_relations(conn: sqlite3.Connection, newest_before: int) -> None:
    """Remove the relations no page named, update those whose fields changed and add the
    new ones with their ids."""
    if conn.execute("SELECT EXISTS (SELECT 1 FROM temp.stage_gone)").fetchone()[0]:
        gone = ("SELECT r.id FROM temp.stage_gone g JOIN relation r"
                " ON r.external_userid = g.external_userid AND r.userid = g.userid")
        for table in ("relation_tag", "personal_tag"):
            conn.execute(f"DELETE FROM {table} WHERE relation_id IN ({gone})")
        conn.execute(f"DELETE FROM relation WHERE id IN ({gone})")
    conn.execute(
        f"INSERT INTO relation (external_userid, userid, {RELATION_FIELDS})"
        f" SELECT external_userid, userid, {RELATION_FIELDS} FROM temp.stage_relation"
        " WHERE NOT fields_same ON CONFLICT(external_userid, userid) DO UPDATE SET"
        " remark = excluded.remark, description = excluded.description,"
        " createtime = excluded.createtime, add_way = excluded.add_way, state = excluded.state,"
        " oper_userid = excluded.oper_userid, remark_corp_name = excluded.remark_corp_name,"
        " remark_mobiles = excluded.remark_mobiles")
    conn.execute(
        f"INSERT INTO relation (id, external_userid, userid, {RELATION_FIELDS})"
        f" SELECT ? + f.n, s.external_userid, s.userid, {columns('s', RELATION_FIELDS)}"
        " FROM temp.stage_fresh f JOIN temp.stage_relation s ON s.seq = f.seq ORDER BY f.n",
        (newest_before,))


Changes = dict[int, tuple[set[int], set[int]]]  # relation id -> (tag pks before, tag pks after)


def _write_relation_tags(conn: sqlite3.Connection, newest_before: int) -> Changes:
    """Add the new relations' links, and set those of known relations whose tags differ
    from the cache, returning their changes."""
    with tag_counts.links_of_new_relations(conn, newest_before):
        conn.execute("INSERT INTO relation_tag (relation_id, tag_pk)"
                     " SELECT ? + n, tag_pk FROM temp.stage_link", (newest_before,))
        conn.execute(
            "INSERT OR IGNORE INTO relation_tag (relation_id, tag_pk) SELECT ? + u.n, t.pk"
            " FROM temp.stage_unknown_tag u JOIN tag t ON t.id = u.tag_id WHERE t.deleted = 0",
            (newest_before,))
    tag_pks = live_tags(conn)
    changed: Changes = {}
    for rid, staged_pks, unknown, stored in conn.execute(
        "SELECT s.id, s.tag_pks, s.unknown_tag_ids, coalesce((SELECT group_concat(tag_pk)"
        " FROM (SELECT tag_pk"
        " FROM relation_tag WHERE relation_id = s.id ORDER BY tag_pk)), '')"
        " FROM temp.stage_relation s WHERE NOT tags_same"
    ).fetchall():
        # the staged tags were live when staged and still are (or it was staged again)
        wanted = sorted(_pks(staged_pks) | {
            tag_pks[t] for t in json.loads(unknown or "[]") if t in tag_pks})
        if ",".join(map(str, wanted)) != stored:
            changed[rid] = (_pks(stored), set(wanted))
    conn.executemany(
        "DELETE FROM relation_tag WHERE relation_id = ? AND tag_pk = ?",
        ((rid, pk) for rid, (have, wanted) in changed.items() for pk in have - wanted))
    conn.executemany(
        "INSERT INTO relation_tag (relation_id, tag_pk) VALUES (?, ?)",
        ((rid, pk) for rid, (have, wanted) in changed.items() for pk in wanted - have))
    return changed


def _write_signatures(conn: sqlite3.Connection) -> None:
    """Keep the signatures of the staged relations, now written (after their links: a link
    written clears its relation's)."""
    conn.execute(
        "UPDATE relation SET sync_sig = s.sig FROM temp.stage_relation s"
        " WHERE relation.external_userid = s.external_userid AND relation.userid = s.userid")


def _pks(joined: str) -> set[int]:
    return {int(pk) for pk in joined.split(",")} if joined else set()


CONFIRMED_AT_SYNC = ("同步时确认已在企业微信生效 / confirmed at sync: already in effect in WeCom")


@dataclass(frozen=True)
class _InFlight:
    """An outbox row handed to WeCom whose answer never came back (maybe sent)."""

    id: int
    batch_id: str
    operator: str
    source: str
    add: frozenset[str]
    remove: frozenset[str]


def observed_entries(
    conn: sqlite3.Connection, observed: Changes, seen_after: float, now: float
) -> list[journal.JournalEntry]:
    """Journal rows for these relations' changes: the part an unfinished batch's maybe-sent
    call explains as that batch's (its outbox row settles), the rest as seen at sync."""
    tags = {
        row[0]: (row[1], row[2], row[3])
        for row in conn.execute(
            "SELECT t.pk, t.id, t.name, g.name FROM tag t JOIN tag_group g ON g.id = t.group_id"
        )
    }
    keys = {
        row[0]: (row[1], row[2])
        for row in conn.execute("SELECT id, external_userid, userid FROM relation")
        if row[0] in observed
    }
    in_flight = _in_flight(conn)
    pk_of = {tag_id: pk for pk, (tag_id, _, _) in tags.items()}
    entries: list[journal.JournalEntry] = []

    def rows(state: set[int], after: set[int], template: journal.JournalEntry) -> None:
        before_json = json.dumps(sorted(tags[pk][0] for pk in state))
        after_json = json.dumps(sorted(tags[pk][0] for pk in after))
        for action, pks in (("tag_add", after - state), ("tag_remove", state - after)):
            for pk in sorted(pks):
                tag_id, tag_name, group_name = tags[pk]
                entries.append(replace(
                    template, action=action, tag_id=tag_id, tag_name=tag_name,
                    group_name=group_name, before=before_json, after=after_json))

    for rid in sorted(observed):
        before, after = observed[rid]
        key = keys[rid]
        state = set(before)
        for row in in_flight.get(key, ()):
            add = {pk_of[t] for t in row.add if t in pk_of}
            remove = {pk_of[t] for t in row.remove - row.add if t in pk_of}
            if not add <= after or remove & after:
                continue  # WeCom does not show this call's effect: it did not land
            done = (state | add) - remove
            rows(state, done, journal.JournalEntry(
                operator=row.operator, action="", source=row.source, batch_id=row.batch_id,
                external_userid=key[0], userid=key[1], reason=CONFIRMED_AT_SYNC, ts=now))
            conn.execute(
                "UPDATE outbox SET status = 'done', attempts = attempts + 1, error = ?,"
                " updated_at = ? WHERE id = ?", (CONFIRMED_AT_SYNC, now, row.id))
            state = done
        rows(state, after, journal.JournalEntry(
            operator="", action="", source=journal.OBSERVED, external_userid=key[0],
            userid=key[1], reason=SEEN_AT_SYNC, ts=now, probable_operator=key[1],
            seen_after=seen_after))
    settled = sorted({e.batch_id for e in entries if e.batch_id})
    conn.executemany(  # a batch whose last calls were settled here is done
        "UPDATE batch SET status = 'done' WHERE id = ? AND status IN"
        " ('planned', 'pilot', 'running', 'paused') AND NOT EXISTS"
        " (SELECT 1 FROM outbox WHERE batch_id = batch.id AND status = 'pending')",
        [(batch_id,) for batch_id in settled])
    return entries


def _in_flight(conn: sqlite3.Connection) -> dict[tuple[str, str], list[_InFlight]]:
    """Pending outbox rows that were handed to WeCom, per (external_userid, userid), in the
    order they were queued."""
    found: dict[tuple[str, str], list[_InFlight]] = {}
    for row_id, batch_id, external_userid, userid, payload, operator, source in conn.execute(
        "SELECT o.id, o.batch_id, o.external_userid, o.userid, o.payload, b.operator, b.source"
        " FROM outbox o JOIN batch b ON b.id = o.batch_id"
        " WHERE o.status = 'pending' AND o.sent_at > 0 ORDER BY b.created_at, o.seq"
    ):
        data = json.loads(payload)
        found.setdefault((external_userid, userid), []).append(_InFlight(
            row_id, batch_id, operator, source, frozenset(data["add"]),
            frozenset(data["remove"])))
    return found
