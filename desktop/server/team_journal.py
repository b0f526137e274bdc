"""The team journal in PostgreSQL: append-only (triggers refuse UPDATE, DELETE and TRUNCATE)
and hash-chained exactly like the desktop's journal (`desktop.store.journal.row_hash`).

A revert's rows also name the batch they revert (`reverts_batch`), and rows of changes
WeCom reported name the probable operator; extension columns are covered by the hash
when set, like the desktop's. Appending locks the one-row `team_journal_head` for the rest
of the caller's transaction, so writers on any number of connections or server processes
take turns and the chain never interleaves. Each append NOTIFYs `CHANNEL` with the new
last id and the id of the last governance row it appended (0 for none), delivered when the
transaction commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from psycopg import Connection

from desktop.store.journal import EXTENSIONS, FIELDS, GENESIS, JournalEntry, row_hash

Conn = Connection[tuple[object, ...]]
# Extension columns, in the order they were added: `reverts_batch`, then the desktop's
# (`probable_operator`, `seen_after`: who probably made a change WeCom reported).
TEAM_FIELDS = (*FIELDS, "reverts_batch", *EXTENSIONS)
# NOTIFY channel: "LAST_ID GOVERNANCE_ID", delivered at commit (desktop/server/journal_push.py).
CHANNEL = "tagdesk_team_journal"
# The source of approvals and policy rows (desktop/server/governance.py), pushed on their own.
GOVERNANCE_SOURCE = "governance"


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    rows_checked: int
    first_bad_id: int | None = None


def append(conn: Conn, entries: Sequence[JournalEntry], outbox_id: int | None,
           reverts_batch: str = "") -> int:
    """Append `entries` inside the caller's transaction; returns how many. `reverts_batch`:
    the batch these rows revert."""
    if not entries:
        return 0
    head = conn.execute(
        "SELECT last_id, hash FROM team_journal_head WHERE only_row FOR UPDATE"
    ).fetchone()
    assert head is not None, "migration 1 creates the head row"
    last_id, prev = int(str(head[0])), str(head[1])
    governance_id = 0
    columns = ", ".join((*TEAM_FIELDS, "id", "outbox_id", "prev_hash", "hash"))
    marks = ", ".join(["%s"] * (len(TEAM_FIELDS) + 4))
    with conn.cursor() as cur:
        for entry in entries:
            last_id += 1
            values = (*(getattr(entry, name) for name in FIELDS), reverts_batch,
                      *(getattr(entry, name) for name in EXTENSIONS))
            digest = row_hash(last_id, hashed(values), prev)
            cur.execute(
                f"INSERT INTO team_journal ({columns}) VALUES ({marks})".encode(),
                (*values, last_id, outbox_id, prev, digest),
            )
            prev = digest
            if entry.source == GOVERNANCE_SOURCE:
                governance_id = last_id
    conn.execute(
        "UPDATE team_journal_head SET last_id = %s, hash = %s WHERE only_row", (last_id, prev)
    )
    conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"{last_id} {governance_id}"))
    return len(entries)


def hashed(values: tuple[object, ...]) -> tuple[object, ...]:
    """The values a row's hash covers: empty extensions at the end are left out, so a row
    hashes exactly as it did before the columns it leaves empty existed."""
    end = len(values)
    while end > len(FIELDS) and not values[end - 1]:
        end -= 1
    return values[:end]


def verify(conn: Conn) -> ChainCheck:
    """Recompute every row's hash in order; names the first row that does not fit."""
    prev = GENESIS
    checked = 0
    columns = ", ".join(("id", *TEAM_FIELDS, "prev_hash", "hash"))
    with conn.cursor(name="team_journal_verify") as cur:
        cur.execute(f"SELECT {columns} FROM team_journal ORDER BY id".encode())
        for row in cur:
            row_id = int(str(row[0]))
            values = tuple(row[1:-2])
            if row[-2] != prev or row_hash(row_id, hashed(values), prev) != row[-1]:
                return ChainCheck(False, checked, row_id)
            prev = str(row[-1])
            checked += 1
    head = conn.execute("SELECT hash FROM team_journal_head WHERE only_row").fetchone()
    if head is None or head[0] != prev:
        return ChainCheck(False, checked, None)
    return ChainCheck(True, checked)
