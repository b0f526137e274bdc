"""Each relation's number of corp-tag links (`relation.tag_count`, schema migration 15).

Triggers on `relation_tag` keep the count for every insert, delete and update of a link,
by any connection. They cost about 8 µs a link (the row and its index entry move), which
is nothing for a tagging write but seconds for the million links of a first sync: a
sync's merge inserts its new relations' links inside `links_of_new_relations`, which
sets the insert trigger aside and then counts those relations in one statement.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

INSERT_TRIGGER = "relation_tag_count_insert"

RECOUNT = (
    "UPDATE relation SET tag_count = (SELECT count(*) FROM relation_tag"
    " WHERE relation_id = relation.id) WHERE id > ?"
)


@contextmanager
def links_of_new_relations(conn: sqlite3.Connection, newest_before: int) -> Iterator[None]:
    """Links inserted inside are those of relations with ids above `newest_before` only
    (inserted by this write transaction); they are counted once when the block ends.

    The trigger is dropped and created again inside the caller's transaction: other
    connections never see it missing, and a rollback restores it.
    """
    if not conn.in_transaction:
        raise RuntimeError("links_of_new_relations needs the caller's write transaction")
    (trigger,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'"
                              " AND name = ?", (INSERT_TRIGGER,)).fetchone()
    conn.execute(f"DROP TRIGGER {INSERT_TRIGGER}")
    yield
    conn.execute(trigger)
    conn.execute(RECOUNT, (newest_before,))

