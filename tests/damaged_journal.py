"""A cache whose journal has a damaged page, as a disk fault leaves it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.store import journal
from desktop.store.db import Cache


def journal_with_a_damaged_page(path: Path) -> None:
    """A cache whose journal holds 3,000 rows, one of its middle leaf pages overwritten."""
    with Cache(path) as cache, cache.write() as tx:
        journal.append(tx, (journal.JournalEntry(
            operator="zhangsan", action="tag_add", source="app", batch_id="",
            external_userid=f"wm{i:05d}", userid="zhangsan", tag_id="et1", tag_name="VIP",
            group_name="客户等级", before="[]", after='["et1"]', ts=1_700_000_000 + i)
            for i in range(3000)))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    pages = [row[0] for row in conn.execute(
        "SELECT pageno FROM dbstat WHERE name = 'journal' AND pagetype = 'leaf' ORDER BY pageno")]
    conn.close()
    with path.open("r+b") as file:
        file.seek((pages[len(pages) // 2] - 1) * size)
        file.write(b"\xff" * 64)

