"""The relation-set parts of a filter index, stored in the cache (table `filter_relation_set`).

What a `FilterIndex` builds from which relations exist, whose customer each is and their
createtime (`RELATION_SET_PARTS`: about 60 ms of queries at 100,000 customers) holds for
as long as `relation_set_version` stays. `prepare()` stores them for that version, so an
engine on a just-opened cache reads them in one blob (a few ms) and counts as one that kept
them. A row for another version (stale) or one that fails its checks (damaged) is ignored:
the parts are then built from the relations again and stored by the next `prepare()`.

The blob: a header (format, byte order, section sizes, CRC-32 of the rest), then the
universe (a serialized roaring bitmap), the ids of relations whose customer has other
relations and, aligned, that customer's number (32-bit), then every relation's createtime
(a double) and, aligned, its id (32-bit), in ascending order.
"""

from __future__ import annotations

import logging
import sqlite3
import struct
import sys
import zlib
from array import array
from collections.abc import Mapping
from typing import Any

from pyroaring import FrozenBitMap

from desktop.store.db import Cache
from desktop.store.errors import CacheError

log = logging.getLogger("tagdesk.store")

FORMAT = b"TDRS1" + (b"L" if sys.byteorder == "little" else b"B")
_HEADER = struct.Struct("<6sQQQI")  # format, universe bytes, shared count, relation count, CRC
RELATION_SET_KEY = "relation_set_version"  # bumped by triggers (cache migrations 16, 17)


def encode(parts: Mapping[str, object]) -> bytes | None:
    """The blob of complete parts (None if some part is not built, or an id is over 32 bits)."""
    universe, shared = parts.get("universe"), parts.get("shared")
    createtimes = parts.get("createtimes")
    if not (isinstance(universe, FrozenBitMap) and isinstance(shared, dict)
            and isinstance(createtimes, tuple)):
        return None
    times, ids = createtimes
    try:
        sections = (array("I", shared.keys()), array("I", shared.values()), array("d", times),
                    array("I", ids))
    except OverflowError:
        return None
    body = b"".join((universe.serialize(), *(section.tobytes() for section in sections)))
    header = _HEADER.pack(FORMAT, len(body) - 4 * (2 * len(shared) + 3 * len(ids)),
                          len(shared), len(ids), zlib.crc32(body))
    return header + body


def decode(blob: bytes) -> dict[str, object] | None:
    """The parts of a blob, or None if it is not one this build wrote intact. Relations by
    createtime stay arrays: sliced into bitmaps, searched and iterated as they are."""
    if len(blob) < _HEADER.size:
        return None
    form, universe_size, shared_count, count, crc = _HEADER.unpack_from(blob)
    body = memoryview(blob)[_HEADER.size:]
    if (form != FORMAT or len(body) != universe_size + 4 * (2 * shared_count + 3 * count)
            or zlib.crc32(body) != crc):
        return None
    sizes = (universe_size, 4 * shared_count, 4 * shared_count, 8 * count, 4 * count)
    starts = [sum(sizes[:i]) for i in range(len(sizes))]
    universe_bytes, keys, numbers, times, ids = (
        body[start:start + size] for start, size in zip(starts, sizes, strict=True))
    try:
        universe = FrozenBitMap.deserialize(bytes(universe_bytes))
    except ValueError:
        return None
    if len(universe) != count:
        return None
    shared = dict(zip(_array("I", keys), _array("I", numbers), strict=True))
    order = _array("I", ids)
    return {"universe": universe, "shared": shared, "shared_ids": FrozenBitMap(shared),
            "createtimes": (_array("d", times), order), "order:createtime": order}


def _array(typecode: str, section: memoryview) -> array[Any]:
    values = array(typecode)
    values.frombytes(section)
    return values


def load(conn: sqlite3.Connection, relation_set: str) -> dict[str, object]:
    """The stored parts of `relation_set` ({} when none, stale or damaged)."""
    row = conn.execute("SELECT parts FROM filter_relation_set WHERE relation_set = ?",
                       (relation_set,)).fetchone()
    if row is None:
        return {}
    parts = decode(row[0])
    if parts is None:
        log.warning("the stored filter map of relation set %s is damaged: built again",
                    relation_set)
        return {}
    return parts


def store(cache: Cache, relation_set: str, parts: Mapping[str, object]) -> bool:
    """Store complete `parts` built at `relation_set`, unless they are stored intact already
    or the relations changed since (then they would be stale at once). Call it outside any
    transaction of this thread; a cache that cannot be written only logs it."""
    if not relation_set or load(cache.connection(), relation_set):
        return False
    blob = encode(parts)
    if blob is None:
        return False
    try:
        with cache.write() as tx:
            if cache.get_meta(RELATION_SET_KEY) != relation_set:
                return False
            tx.execute("INSERT OR REPLACE INTO filter_relation_set (id, relation_set, parts)"
                       " VALUES (1, ?, ?)", (relation_set, blob))
    except (CacheError, sqlite3.Error) as exc:
        log.warning("could not store the filter map in %s: %s", cache.path, exc)
        return False
    return True
