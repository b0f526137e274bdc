"""The relation-set parts of a filter index, stored in the cache (table `filter_relation_set`).

What a `FilterIndex` builds from which relations exist, whose customer and owner each is, their
state and createtime (`RELATION_SET_PARTS`: about 60 ms of queries at 100,000 customers) holds for
as long as `relation_set_version` stays. `prepare()` stores them for that version, so an
engine on a just-opened cache reads them in one blob (a few ms) and counts as one that kept
them. A row for another version (stale), of another format (older) or one that fails its
checks (damaged) is ignored: the parts are then built from the relations again and stored
by the next `prepare()`.

The blob: a header (format, byte order, section sizes, CRC-32 of the rest), then the
universe (a serialized roaring bitmap), the ids of relations whose customer has other
relations in ascending order and, aligned, that customer's number (32-bit), then those
numbers again at their relations' ids (32-bit each, the other ids' 0; none when the highest
id is over twice the relations' count), then every
relation's createtime (32-bit seconds) and, aligned, its id (32-bit), in ascending order, then the
relations of each owner, then those of each state: the value's length (32-bit) and UTF-8
bytes, the bitmap's size (32-bit) and the bitmap serialized.
"""

from __future__ import annotations

import logging
import sqlite3
import struct
import sys
import zlib
from array import array
from collections.abc import Mapping
from operator import ne
from typing import Any

from pyroaring import FrozenBitMap

from desktop.store.customer_map import CustomerMap
from desktop.store.db import Cache
from desktop.store.errors import CacheError

log = logging.getLogger("tagdesk.store")

FORMAT = b"TDRS4" + (b"L" if sys.byteorder == "little" else b"B")
OLDER_FORMATS = (b"TDRS1", b"TDRS2", b"TDRS3")  # without the owners', the states' relations
# or the customer numbers by relation id
_HEADER = struct.Struct("<6sQQQQQQI")  # format, universe, shared count, numbers by id,
# relations, owners, states, CRC
_SIZE = struct.Struct("<I")
RELATION_SET_KEY = "relation_set_version"  # bumped by triggers (cache migrations 16-25)


def encode(parts: Mapping[str, object]) -> bytes | None:
    """The blob of complete parts (None if some part is not built, or an id is over 32 bits)."""
    universe, shared = parts.get("universe"), parts.get("shared")
    createtimes, owners, states = (parts.get(key) for key in ("createtimes", "owners",
                                                              "states"))
    if not (isinstance(universe, FrozenBitMap) and isinstance(shared, CustomerMap)
            and isinstance(createtimes, tuple) and isinstance(owners, dict)
            and isinstance(states, dict)):
        return None
    times, ids = createtimes
    try:
        seconds = array("I", map(int, times))
        by_id = shared.numbers_by_id(2 * len(universe)) or array("I")
        sections = (array("I", shared.ids), array("I", shared.numbers), array("I", by_id),
                    seconds, array("I", ids))
    except OverflowError:
        return None
    if any(map(ne, times, seconds)):
        return None  # a createtime that is not a whole second
    by_owner, by_state = _grouped(owners), _grouped(states)
    body = b"".join((universe.serialize(), *(section.tobytes() for section in sections),
                     by_owner, by_state))
    header = _HEADER.pack(FORMAT, len(body) - 4 * (2 * len(shared.ids) + len(by_id)
                                                   + 2 * len(ids))
                          - len(by_owner) - len(by_state), len(shared.ids), len(by_id),
                          len(ids), len(by_owner), len(by_state), zlib.crc32(body))
    return header + body


def decode(blob: bytes) -> dict[str, object] | None:
    """The parts of a blob, or None if it is not one this build wrote intact. Relations by
    createtime stay arrays: sliced into bitmaps, searched and iterated as they are."""
    if len(blob) < _HEADER.size:
        return None
    form, universe_size, shared_count, by_id_count, count, owners_size, states_size, crc = (
        _HEADER.unpack_from(blob))
    body = memoryview(blob)[_HEADER.size:]
    if (form != FORMAT or len(body) != universe_size + 4 * (2 * shared_count + by_id_count
                                                             + 2 * count)
            + owners_size + states_size or zlib.crc32(body) != crc):
        return None
    sizes = (universe_size, 4 * shared_count, 4 * shared_count, 4 * by_id_count, 4 * count,
             4 * count, owners_size, states_size)
    starts = [sum(sizes[:i]) for i in range(len(sizes))]
    universe_bytes, keys, numbers, by_id, times, ids, by_owner, by_state = (
        body[start:start + size] for start, size in zip(starts, sizes, strict=True))
    try:
        universe = FrozenBitMap.deserialize(bytes(universe_bytes))
        owners, states = _ungrouped(by_owner), _ungrouped(by_state)
    except (ValueError, struct.error, UnicodeDecodeError):
        return None
    shared_ids = _array("I", keys)
    if len(universe) != count or (by_id_count and shared_ids and shared_ids[-1] >= by_id_count):
        return None
    order = _array("I", ids)
    shared = CustomerMap(shared_ids, _array("I", numbers),
                         by_id=_array("I", by_id) if by_id_count else None)
    return {"universe": universe, "shared": shared,
            "createtimes": (_array("I", times), order), "order:createtime": order,
            "owners": owners, "states": states}


def _grouped(relations: dict[object, FrozenBitMap]) -> bytes:
    """Relations by a value (an owner, a state) as a section of the blob."""
    return b"".join(_SIZE.pack(len(name)) + name + _SIZE.pack(len(bitmap)) + bitmap
                    for name, bitmap in ((str(value).encode(), found.serialize())
                                         for value, found in relations.items()))


def _ungrouped(section: memoryview) -> dict[str, FrozenBitMap]:
    relations: dict[str, FrozenBitMap] = {}
    at = 0
    while at < len(section):
        (size,) = _SIZE.unpack_from(section, at)
        value = bytes(section[at + 4:at + 4 + size]).decode()
        at += 4 + size
        (size,) = _SIZE.unpack_from(section, at)
        relations[value] = FrozenBitMap.deserialize(bytes(section[at + 4:at + 4 + size]))
        at += 4 + size
    return relations


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
    if bytes(row[0][:5]) in OLDER_FORMATS:
        return {}  # written before owners and states were stored: by the next prepare() then
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
