"""A solo profile's memory of reverted rule changes (table `rule_revert`; what it means:
`desktop/domain/rule_reverts.py`)."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from desktop.domain.rule_reverts import Remembered
from desktop.store.db import Cache


def remember(cache: Cache, found: Sequence[Remembered], reverted_batch: str) -> None:
    """Keep these memories (a rule's memory of the same change is replaced)."""
    if not found:
        return
    now = time.time()
    with cache.write() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO rule_revert (rule_name, userid, external_userid, tag_id,"
            " action, definition_key, reverted_batch, reverted_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(r.rule_name, r.userid, r.external_userid, r.tag_id, r.action, r.definition_key,
              reverted_batch, now) for r in found])


def remembered(cache: Cache) -> list[Remembered]:
    return [Remembered(*(str(v) for v in row)) for row in cache.connection().execute(
        "SELECT rule_name, userid, external_userid, tag_id, action, definition_key"
        " FROM rule_revert")]


def forget_edited(cache: Cache, keys: Mapping[str, str]) -> None:
    """Forget the memories of rules edited or removed since (`keys`: every rule kept, name
    → its definition key now)."""
    stale = {(r.rule_name, r.definition_key) for r in remembered(cache)
             if keys.get(r.rule_name) != r.definition_key}
    if stale:
        with cache.write() as conn:
            conn.executemany("DELETE FROM rule_revert WHERE rule_name = ? AND definition_key = ?",
                             sorted(stale))


def forget_undone(cache: Cache, reverted_batch: str, userid: str, external_userid: str,
                  changes: Sequence[tuple[str, str]]) -> None:
    """A revert of the revert of `reverted_batch` made these changes (tag id, action) on the
    relation again: the memories of them go."""
    with cache.write() as conn:
        conn.executemany(
            "DELETE FROM rule_revert WHERE reverted_batch = ? AND userid = ?"
            " AND external_userid = ? AND tag_id = ? AND action = ?",
            [(reverted_batch, userid, external_userid, tag, action) for tag, action in changes])
