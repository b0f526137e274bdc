"""The tag library written alone (the refresh at start), as a whole sync writes it: the live
tags and groups and the rule groups replaced, the tree's edits made elsewhere journaled
(`observed`, seen at sync) and its renames followed (`snapshot.write_tag_tree`), and the links
to a tag deleted elsewhere removed from its relations, each journaled as the relation's change
(WeCom removed the tag from them)."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from desktop.domain.filter.rename import Rename
from desktop.store import journal
from desktop.store.db import Cache
from desktop.store.snapshot import (
    LAST_SYNC_KEY,
    Changes,
    Snapshot,
    bump_data_version,
    observed_entries,
    write_strategies,
    write_tag_tree,
)


@dataclass(frozen=True)
class LibraryWrite:
    renames: tuple[Rename, ...]   # tags and groups found renamed elsewhere, followed
    tree_changes: int             # journaled tree edits made elsewhere
    unlinked: frozenset[int]      # relations that lost a tag deleted elsewhere


def write_tag_library(cache: Cache, conn: sqlite3.Connection, snap: Snapshot) -> LibraryWrite:
    """Write `snap`'s groups, tags and strategies within the open transaction `conn`."""
    now = time.time()
    previous = float(cache.get_meta(LAST_SYNC_KEY) or 0)
    tree = write_tag_tree(conn, snap.groups, snap.tags)
    write_strategies(conn, snap.strategies)
    gone = {pk for tag_id, pk in tree.live_before.items() if tag_id not in tree.live_after}
    unlinked = _unlink(conn, gone)
    tree_changes = tree.entries(previous, now)
    journal.append(conn, tree_changes)
    if unlinked and previous:
        journal.append(conn, observed_entries(conn, unlinked, previous, now))
    bump_data_version(cache, conn, names_only=not gone)
    return LibraryWrite(renames=tree.renames, tree_changes=len(tree_changes),
                        unlinked=frozenset(unlinked))


def _unlink(conn: sqlite3.Connection, gone: set[int]) -> Changes:
    """Remove the links to these tag pks; each relation's tag pks before and after."""
    if not gone:
        return {}
    marks = ", ".join("?" * len(gone))
    changes: Changes = {}
    for rid, pk in conn.execute(
        "SELECT relation_id, tag_pk FROM relation_tag WHERE relation_id IN"
        f" (SELECT relation_id FROM relation_tag WHERE tag_pk IN ({marks}))", sorted(gone),
    ):
        changes.setdefault(rid, (set(), set()))[0].add(pk)
    for have, wanted in changes.values():
        wanted.update(have - gone)
    conn.execute(f"DELETE FROM relation_tag WHERE tag_pk IN ({marks})", sorted(gone))
    return changes
