"""Reverted rule changes stay reverted: a revert of a rule run's batch (`tagdesk audit revert
rule-…` on a team profile, relayed with the batch it reverts) is remembered per change it
undid, for every rule of the run that makes that change (`desktop/domain/rule_reverts.py`:
what is held and for how long), and the server's rule runs hold those changes
(`rule_runs.py`); a revert of that revert makes them again and forgets them. `GET /tagdesk/v1/rules` counts, per rule, the relations it remembers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from psycopg import Connection

from desktop.domain.rule_reverts import (
    UNDONE,
    Held,
    Remembered,
    counts,
    held,
    makers,
    named_rules,
    resolved_rules,
)
from desktop.domain.rules import CatalogueTag, ResolvedRule
from desktop.server import snapshot
from desktop.store.journal import JournalEntry

Conn = Connection[tuple[object, ...]]


def remember(conn: Conn, entries: Sequence[JournalEntry], reverts: str) -> int:
    """The journal rows of a relayed revert of batch `reverts`: the rule changes they undo
    are remembered (in the caller's transaction); how many. An undo (`batch undo`, Ctrl+Z)
    takes a batch back without a verdict on the rules: nothing is remembered."""
    if not reverts or not entries or entries[0].source != "revert":
        return 0
    undone = conn.execute("SELECT reverts_batch FROM team_journal WHERE batch_id = %s"
                          " AND source = 'revert' AND reverts_batch != '' LIMIT 1",
                          (reverts,)).fetchone()
    if undone is not None:
        _forget_undone(conn, entries, str(undone[0]))
        return 0
    rules = _rules(conn)
    rows = []
    for entry in entries:
        did = UNDONE.get(entry.action)
        if did is None:
            continue
        found = conn.execute(
            "SELECT reason FROM team_journal WHERE batch_id = %s AND source = 'rule'"
            " AND userid = %s AND external_userid = %s AND tag_id = %s AND action = %s"
            " ORDER BY id DESC LIMIT 1",
            (reverts, entry.userid, entry.external_userid, entry.tag_id, did)).fetchone()
        if found is None:
            continue
        named = [rules[name] for name in named_rules(str(found[0]), rules)]
        for name in makers((rule for rule, _ in named), entry.tag_id, did):
            rows.append((name, entry.userid, entry.external_userid, entry.tag_id, did,
                         rules[name][1], reverts))
    if rows:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO team_rule_revert (rule_name, userid, external_userid, tag_id,"
                " action, definition_key, reverted_batch) VALUES (%s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (rule_name, userid, external_userid, tag_id, action) DO UPDATE"
                " SET definition_key = excluded.definition_key,"
                " reverted_batch = excluded.reverted_batch, reverted_at = now()", rows)
    return len(rows)


def _forget_undone(conn: Conn, entries: Sequence[JournalEntry], rule_batch: str) -> None:
    """A revert of the revert of `rule_batch` made these changes again: their memories go."""
    with conn.cursor() as cur:
        cur.executemany(
            "DELETE FROM team_rule_revert WHERE reverted_batch = %s AND userid = %s"
            " AND external_userid = %s AND tag_id = %s AND action = %s",
            [(rule_batch, e.userid, e.external_userid, e.tag_id, e.action) for e in entries
             if e.action in UNDONE])


def memory(conn: Conn, keys: Mapping[str, str]) -> Held:
    """The changes held for the rules (name → `definition_key` now, every rule kept);
    memories of a rule edited or removed since are forgotten."""
    found = held(_remembered(conn), keys)
    conn.execute("DELETE FROM team_rule_revert r WHERE NOT EXISTS (SELECT 1 FROM unnest("
                 "%s::text[], %s::text[]) AS k(name, key) WHERE k.name = r.rule_name"
                 " AND k.key = r.definition_key)", (list(keys), list(keys.values())))
    return found


def relations_left_alone(conn: Conn, keys: Mapping[str, str]) -> dict[str, int]:
    """Rule name → relations whose reverted change it remembers (for its definition now)."""
    return counts(_remembered(conn), keys)


def _remembered(conn: Conn) -> list[Remembered]:
    return [Remembered(*(str(v) for v in row)) for row in conn.execute(
        "SELECT rule_name, userid, external_userid, tag_id, action, definition_key"
        " FROM team_rule_revert")]


def _rules(conn: Conn) -> dict[str, tuple[ResolvedRule, str]]:
    """Each team rule the server's tags resolve, with its definition key."""
    catalogue = [CatalogueTag(tag_id, tag.name, tag.group_id, tag.group_name)
                 for tag_id, tag in snapshot.corp_tags(conn).items()]
    return resolved_rules({str(name): definition if isinstance(definition, dict) else {}
                           for name, definition in conn.execute(
                               "SELECT name, definition FROM team_rule")}, catalogue)
