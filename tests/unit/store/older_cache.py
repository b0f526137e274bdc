"""Cache files as older versions of TagDesk left them, for tests of opening older caches: at
a schema version, or before the migration that creates a table holding four customers with one
tag each, synced (a data version)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.store import sort_keys
from desktop.store.db import _statements
from desktop.store.schema import MIGRATIONS


def cache_at_version(path: Path, version: int) -> sqlite3.Connection:
    """Write an empty cache as the first `version` migrations leave it; returns its open
    connection (committed)."""
    conn = sqlite3.connect(path)
    sort_keys.register(conn)  # migrations may call TagDesk's SQL functions
    for script in MIGRATIONS[:version]:
        for statement in _statements(script):
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    return conn


def cache_before(path: Path, table: str) -> int:
    """Write the cache at the version just before the migration that creates `table`;
    returns that version."""
    version = next(number for number, script in enumerate(MIGRATIONS)
                   if f"CREATE TABLE {table} " in script)
    conn = cache_at_version(path, version)
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('data_version', '5')")
    conn.execute("INSERT INTO tag_group (id, name) VALUES ('g1', '意向')")
    conn.execute("INSERT INTO tag (pk, id, group_id, name) VALUES (1, 'et1', 'g1', '高意向')")
    for number in range(1, 5):
        conn.execute("INSERT INTO customer (external_userid, name) VALUES (?, ?)",
                     (f"wm{number}", f"客户{number}"))
        conn.execute("INSERT INTO relation (id, external_userid, userid) VALUES (?, ?, 'u1')",
                     (number, f"wm{number}"))
        conn.execute("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (?, 1)", (number,))
    conn.commit()
    conn.close()
    return version
