"""The bitmaps of the tags with many links, stored in the cache (table `filter_tag_bitmap`).

Building a tag's bitmap reads its links (about 10-30 ms for a tag on tens of thousands of
relations at 100,000 customers); reading it stored takes well under a millisecond.
`prepare()` stores those of the tags with at least `MANY_LINKS` links for the cache's
`data_version` they were built at, so an engine on a just-opened cache whose data did not
change since reads them. A row of another version (stale) or one that fails its checksum
or does not deserialize (damaged) is ignored, and the bitmap is built from the links.
"""

from __future__ import annotations

import logging
import sqlite3
import zlib
from collections.abc import Mapping

from pyroaring import FrozenBitMap

from desktop.store.db import Cache
from desktop.store.errors import CacheError
from desktop.store.snapshot import DATA_VERSION_KEY

log = logging.getLogger("tagdesk.store")

MANY_LINKS = 2000
"""Tags with fewer links are read from their links as fast as from a stored bitmap."""


def load(conn: sqlite3.Connection, version: str, tag_pk: int) -> FrozenBitMap | None:
    """The stored bitmap of `tag_pk` at data version `version` (None: none, stale or
    damaged)."""
    row = conn.execute("SELECT crc, bitmap FROM filter_tag_bitmap WHERE tag_pk = ?"
                       " AND data_version = ?", (tag_pk, version)).fetchone()
    if row is None:
        return None
    crc, blob = row
    if zlib.crc32(blob) == crc:
        try:
            return FrozenBitMap.deserialize(blob)
        except ValueError:
            pass
    log.warning("the stored filter bitmap of tag %s is damaged: built again", tag_pk)
    return None


def store(cache: Cache, version: str, tags: Mapping[int, FrozenBitMap]) -> bool:
    """Store the bitmaps of the tags with many links built at data version `version`, in
    place of every stored one, unless they are stored for it already or the data changed
    since (they would be stale at once). Call it outside any transaction of this thread; a
    cache that cannot be written only logs it."""
    many = {pk: bm for pk, bm in tags.items() if len(bm) >= MANY_LINKS}
    if not version or not many or cache.connection().execute(
            "SELECT EXISTS (SELECT 1 FROM filter_tag_bitmap WHERE data_version = ?)",
            (version,)).fetchone()[0]:
        return False
    rows = [(pk, version, zlib.crc32(blob), blob)
            for pk, blob in ((pk, bm.serialize()) for pk, bm in many.items())]
    try:
        with cache.write() as tx:
            if cache.get_meta(DATA_VERSION_KEY) != version:
                return False
            tx.execute("DELETE FROM filter_tag_bitmap")
            tx.executemany("INSERT INTO filter_tag_bitmap (tag_pk, data_version, crc, bitmap)"
                           " VALUES (?, ?, ?, ?)", rows)
    except (CacheError, sqlite3.Error) as exc:
        log.warning("could not store the filter bitmaps in %s: %s", cache.path, exc)
        return False
    return True
