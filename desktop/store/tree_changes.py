"""The tag tree as the cache holds it (its live tags and groups by WeCom id) and the edits
found between two readings of it around a sync's write: journaled as made elsewhere
(`observed`, seen at sync)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from desktop.store import journal

SEEN_AT_SYNC = "同步时发现的变更（手机或其他工具） / seen at sync (phone or another tool)"

TreeItem = tuple[str, str, int, str]  # (kind, name, order, group name)


def tag_tree(conn: sqlite3.Connection) -> dict[str, TreeItem]:
    """Live tags and groups by WeCom id."""
    items: dict[str, TreeItem] = {
        group_id: ("group", name, order, name) for group_id, name, order in conn.execute(
            "SELECT id, name, sort_order FROM tag_group WHERE deleted = 0")
    }
    for tag_id, name, order, group_name in conn.execute(
        "SELECT t.id, t.name, t.sort_order, coalesce(g.name, '') FROM tag t"
        " LEFT JOIN tag_group g ON g.id = t.group_id WHERE t.deleted = 0"
    ):
        items[tag_id] = ("tag", name, order, group_name)
    return items


def tree_entries(
    before: dict[str, TreeItem], after: dict[str, TreeItem], seen_after: float, now: float
) -> Iterable[journal.JournalEntry]:
    """Tag-tree edits made elsewhere since the last sync, one row per item and kind."""

    def entry(action: str, item_id: str, item: TreeItem, old: dict[str, object] | None,
              new: dict[str, object] | None) -> journal.JournalEntry:
        return journal.JournalEntry(
            operator="", action=f"{item[0]}_{action}", source=journal.OBSERVED, tag_id=item_id,
            tag_name=item[1], group_name=item[3],
            before=json.dumps(old, ensure_ascii=False) if old is not None else "",
            after=json.dumps(new, ensure_ascii=False) if new is not None else "",
            reason=SEEN_AT_SYNC, ts=now, seen_after=seen_after,
        )

    for item_id in sorted(after.keys() - before.keys()):
        item = after[item_id]
        yield entry("create", item_id, item, None, {"name": item[1], "order": item[2]})
    for item_id in sorted(after.keys() & before.keys()):
        old, new = before[item_id], after[item_id]
        if old[1] != new[1]:
            yield entry("rename", item_id, new, {"name": old[1]}, {"name": new[1]})
        if old[2] != new[2]:
            yield entry("reorder", item_id, new, {"order": old[2]}, {"order": new[2]})
    for item_id in sorted(before.keys() - after.keys()):
        item = before[item_id]
        yield entry("delete", item_id, item, {"name": item[1], "order": item[2]}, None)
