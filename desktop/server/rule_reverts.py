"""Reverted rule changes stay reverted: a revert of a rule run's batch (`tagdesk audit revert
rule-…` on a team profile, relayed with the batch it reverts) is remembered per (rule,
relation, tag, what the rule did), and the server's rule runs leave that exact change alone
(`rule_runs.py`) until the rule is edited: the memory holds for the rule's definition as it
was at the revert (enabling or disabling it is no edit). The other relations and tags of the
rule keep being applied. `GET /tagdesk/v1/rules` counts, per rule, the relations left alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence

from psycopg import Connection

from desktop.store.journal import JournalEntry

Conn = Connection[tuple[object, ...]]
REASON_PREFIX = "规则 rule: "          # a rule run's reason: 规则 rule: NAME, NAME
UNDONE = {"tag_add": "tag_remove", "tag_remove": "tag_add"}
# (rule, userid, external_userid, tag_id, what the rule did: tag_add / tag_remove)
Memory = frozenset[tuple[str, str, str, str, str]]


def rule_reason(names: Sequence[str]) -> str:
    return f"{REASON_PREFIX}{', '.join(names)}"


def definition_key(definition: Mapping[str, object]) -> str:
    """The rule as written, but for `enabled`: a new key means the rule was edited."""
    kept = {key: value for key, value in definition.items() if key != "enabled"}
    return hashlib.sha256(json.dumps(kept, sort_keys=True, ensure_ascii=False)
                          .encode()).hexdigest()[:32]


def remember(conn: Conn, entries: Sequence[JournalEntry], reverts: str) -> int:
    """The journal rows of a relayed revert of batch `reverts`: the rule changes they undo
    are remembered (in the caller's transaction); how many."""
    if not reverts or not entries:
        return 0
    rules = {str(name): definition_key(definition if isinstance(definition, dict) else {})
             for name, definition in conn.execute("SELECT name, definition FROM team_rule")}
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
        for name in _rule_names(str(found[0]), rules):
            rows.append((name, entry.userid, entry.external_userid, entry.tag_id, did,
                         rules[name], reverts))
    if rows:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO team_rule_revert (rule_name, userid, external_userid, tag_id,"
                " action, definition_key, reverted_batch) VALUES (%s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (rule_name, userid, external_userid, tag_id, action) DO UPDATE"
                " SET definition_key = excluded.definition_key,"
                " reverted_batch = excluded.reverted_batch, reverted_at = now()", rows)
    return len(rows)


def memory(conn: Conn, keys: Mapping[str, str]) -> Memory:
    """What the rules (name → `definition_key` now) leave alone; memories of a rule edited
    since are forgotten."""
    found = set()
    for name, userid, external_userid, tag_id, action, key in conn.execute(
            "SELECT rule_name, userid, external_userid, tag_id, action, definition_key"
            " FROM team_rule_revert"):
        if keys.get(str(name)) == key:
            found.add((str(name), str(userid), str(external_userid), str(tag_id), str(action)))
    conn.execute("DELETE FROM team_rule_revert r WHERE EXISTS (SELECT 1 FROM unnest(%s::text[],"
                 " %s::text[]) AS k(name, key) WHERE k.name = r.rule_name"
                 " AND k.key <> r.definition_key)", (list(keys), list(keys.values())))
    return frozenset(found)


def left_alone(memory: Memory, rule_names: Iterable[str], userid: str, external_userid: str,
               tag_id: str, action: str) -> bool:
    """Every rule that makes this change had it reverted on this relation."""
    names = list(rule_names)
    return bool(names) and all((name, userid, external_userid, tag_id, action) in memory
                               for name in names)


def counts(conn: Conn, keys: Mapping[str, str]) -> dict[str, int]:
    """Rule name → relations it leaves alone (for its definition now)."""
    found: dict[str, set[tuple[str, str]]] = {}
    for name, userid, external_userid, key in conn.execute(
            "SELECT rule_name, userid, external_userid, definition_key FROM team_rule_revert"):
        if keys.get(str(name)) == key:
            found.setdefault(str(name), set()).add((str(userid), str(external_userid)))
    return {name: len(relations) for name, relations in found.items()}


def _rule_names(reason: str, rules: Mapping[str, str]) -> list[str]:
    """The rules a run's reason names (names may hold ", ": matched against the rules)."""
    listed = reason.removeprefix(REASON_PREFIX)
    return [name for name in rules
            if listed == name or listed.startswith(name + ", ") or listed.endswith(", " + name)
            or f", {name}, " in listed]
