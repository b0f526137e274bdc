"""A review verdict recorded under the name its tag has now, not the one the desktop knew.

The team's verdicts are kept by tag name ("名" or "组:名"), and a rename (relayed, or found by
a callback or a re-sync) respells the stored ones in its transaction (`rename_respell`). A
desktop that has not synced since the rename still sends a verdict under the old name; it
sends the ids of the tag and its group too, and the server names them as the team journal's
latest renames of them do (every rename is journaled, relayed or found in WeCom).
`lock_renames` first waits for a rename being journaled to commit, so a verdict is never
written under an old name after that rename has respelled the others.
"""

from __future__ import annotations

import psycopg

from desktop.domain.filter.rename import tag_rename
from desktop.domain.filter.suggest import fold
from desktop.domain.rule_rename import renamed_ref
from desktop.domain.rules import TagRef
from desktop.server import snapshot

Conn = psycopg.Connection[tuple[object, ...]]


def lock_renames(conn: Conn) -> None:
    """Wait for the journal appends under way (a rename's among them) and hold new ones off
    until the caller's transaction ends."""
    conn.execute("SELECT 1 FROM team_journal_head WHERE only_row FOR SHARE")


def current_ref(conn: Conn, ref_text: str, tag_id: str, group_id: str) -> str:
    """`ref_text` naming the tag `tag_id` of the group `group_id` spelled as they are named
    now: each as its latest journaled rename names it (unchanged when none did, and a bare
    name another group's tag also has stays as it was, as a rename leaves it)."""
    renamed = _latest_rename(conn, "tag_rename", tag_id)
    regrouped = _latest_rename(conn, "group_rename", group_id) if group_id else None
    if renamed is None and regrouped is None:
        return ref_text
    ref = TagRef.parse(ref_text)
    name = renamed[0] if renamed is not None else ref.name
    if ref.group is not None:
        group = regrouped[0] if regrouped is not None else ref.group
        return (f"{ref.group if fold(ref.group) == fold(group) else group}:"
                f"{ref.name if fold(ref.name) == fold(name) else name}")
    if fold(ref.name) == fold(name):
        return ref_text
    group = regrouped[0] if regrouped is not None else renamed[1] if renamed is not None else ""
    others = [(tag.name, tag.group_name) for other, tag in snapshot.corp_tags(conn).items()
              if other != tag_id]
    return renamed_ref(ref_text, tag_rename(ref.name, name, group, others))


def _latest_rename(conn: Conn, action: str, item_id: str) -> tuple[str, str] | None:
    """(new name, group name) of the latest `action` row of the tag or group `item_id`."""
    row = conn.execute("SELECT tag_name, group_name FROM team_journal WHERE tag_id = %s"
                       " AND action = %s ORDER BY id DESC LIMIT 1", (item_id, action)).fetchone()
    return None if row is None else (str(row[0]), str(row[1]))
