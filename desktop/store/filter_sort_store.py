"""The customer table's name and owner orders, stored in the cache (table `filter_sort_order`).

Sorting every relation by its customer's or its owner's name is a join and a sort of every
relation (about 100 ms at 100,000 customers); read stored, the order takes a few ms. Each
order is stored with the version of all it is sorted by (`version`), read in the same
transaction as the order was built, and read only at that version, so it can never be stale:

- the relation set (`relation_set_version`, moved by triggers when a relation is added or
  removed, or its id, customer, owner or createtime changes);
- by name, the customers' sort keys (`customer_names_version`, moved by triggers when a
  customer is added, removed or its sort key changes: every rename, cache migration 23);
- by owner, the members' sort keys themselves: a CRC of every member's userid and key (a
  few hundred rows, which a sync writes again each time even when nothing changed), and
  the customers' sort keys, which order one owner's customers (as by name).

A row of another version (stale) or one that fails its checksum (damaged) is ignored and
the order is built from SQL.
"""

from __future__ import annotations

import logging
import sqlite3
import zlib
from array import array
from collections.abc import Sequence

from desktop.store.db import Cache
from desktop.store.errors import CacheError
from desktop.store.filter_stored import RELATION_SET_KEY

log = logging.getLogger("tagdesk.store")

STORED_ORDERS = ("name", "owner")
CUSTOMER_NAMES_KEY = "customer_names_version"  # moved by triggers (cache migration 23)


def version(conn: sqlite3.Connection, order_by: str) -> str | None:
    """The version of what `order_by` sorts by in `conn`'s snapshot (None: an order that
    is not stored, or a cache whose versions are unknown)."""
    if order_by not in STORED_ORDERS:
        return None
    relation_set = _meta(conn, RELATION_SET_KEY)
    if order_by == "name":
        names = _meta(conn, CUSTOMER_NAMES_KEY)
    else:
        crc = 0
        for userid, key in conn.execute("SELECT userid, name_sort FROM member ORDER BY userid"):
            crc = zlib.crc32(f"{userid}\x1f{key}\x1e".encode(), crc)
        customers = _meta(conn, CUSTOMER_NAMES_KEY)
        names = f"m{crc:08x}:{customers}" if customers else ""
    return f"{relation_set}:{names}" if relation_set and names else None


def load(conn: sqlite3.Connection, order_by: str, at: str) -> array[int] | None:
    """The stored order `order_by` at version `at` (None: none, stale or damaged)."""
    row = conn.execute("SELECT crc, ids FROM filter_sort_order WHERE order_by = ?"
                       " AND version = ?", (order_by, at)).fetchone()
    if row is None:
        return None
    crc, blob = row
    if zlib.crc32(blob) != crc or len(blob) % 4:
        log.warning("the stored %s order of the customer table is damaged: built again",
                    order_by)
        return None
    ids = array("I")
    ids.frombytes(blob)
    return ids


def store(cache: Cache, order_by: str, at: str, ids: Sequence[int]) -> bool:
    """Store the order `order_by` built at version `at`, unless it is stored already or what
    it sorts by changed since (it would be stale at once). Call it outside any transaction
    of this thread; a cache that cannot be written only logs it."""
    conn = cache.connection()
    if conn.execute("SELECT EXISTS (SELECT 1 FROM filter_sort_order WHERE order_by = ?"
                    " AND version = ?)", (order_by, at)).fetchone()[0]:
        return False
    try:
        blob = (ids if isinstance(ids, array) and ids.typecode == "I"
                else array("I", ids)).tobytes()
    except OverflowError:
        return False
    try:
        with cache.write() as tx:
            if version(tx, order_by) != at:
                return False
            tx.execute("INSERT OR REPLACE INTO filter_sort_order (order_by, version, crc, ids)"
                       " VALUES (?, ?, ?, ?)", (order_by, at, zlib.crc32(blob), blob))
    except (CacheError, sqlite3.Error) as exc:
        log.warning("could not store the %s order in %s: %s", order_by, cache.path, exc)
        return False
    return True


def _meta(conn: sqlite3.Connection, key: str) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return "" if row is None else str(row[0])
