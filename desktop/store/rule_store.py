"""Rules kept in the cache (table `rule`: name, enabled, JSON definition) and the facts about
relations that rules read."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo

from desktop.domain.events import Event
from desktop.domain.rule_reverts import definition_key
from desktop.domain.rules import Subject
from desktop.store.db import Cache


@dataclass(frozen=True)
class StoredRule:
    name: str
    enabled: bool
    definition: str          # the rule's JSON, as written in a rule file
    created_at: float
    created_by: str


def rules(cache: Cache) -> list[StoredRule]:
    """Every rule, in the order they were added."""
    return [StoredRule(str(name), bool(enabled), str(definition), float(at), str(by))
            for name, enabled, definition, at, by in cache.connection().execute(
                "SELECT name, enabled, definition, created_at, created_by FROM rule ORDER BY id")]


def save(cache: Cache, name: str, definition: dict[str, object], operator: str, *,
         replacing: str | None = None) -> bool:
    """Add the rule, or replace the one of that name (or named `replacing`: renamed),
    keeping its place; True when new."""
    text = json.dumps(definition, ensure_ascii=False)
    with cache.write() as conn:
        updated = conn.execute(
            "UPDATE rule SET name = ?, definition = ?, enabled = ? WHERE name = ?",
            (name, text, int(bool(definition.get("enabled", True))),
             name if replacing is None else replacing)).rowcount
        if not updated:
            conn.execute("INSERT INTO rule (name, enabled, definition, created_at, created_by)"
                         " VALUES (?, ?, ?, ?, ?)",
                         (name, int(bool(definition.get("enabled", True))), text, time.time(),
                          operator))
    return not updated


def respell(conn: sqlite3.Connection,
            respelled: Callable[[dict[str, object]], dict[str, object]]) -> int:
    """Pass every rule's definition through `respelled` (a tag or a group was renamed), in
    the caller's transaction; how many rules changed. A respelled rule is the same rule: the
    reverted changes it leaves alone stay left alone (their definition key follows)."""
    changed = 0
    for name, text in conn.execute("SELECT name, definition FROM rule").fetchall():
        definition = json.loads(text)
        after = respelled(definition)
        if after != definition:
            conn.execute("UPDATE rule SET definition = ? WHERE name = ?",
                         (json.dumps(after, ensure_ascii=False), name))
            conn.execute("UPDATE rule_revert SET definition_key = ? WHERE rule_name = ?"
                         " AND definition_key = ?",
                         (definition_key(after), name, definition_key(definition)))
            changed += 1
    return changed


def remove(cache: Cache, name: str) -> bool:
    with cache.write() as conn:
        return bool(conn.execute("DELETE FROM rule WHERE name = ?", (name,)).rowcount)


def set_enabled(cache: Cache, name: str, definition: dict[str, object], enabled: bool) -> None:
    """Flip the flag in the column and in the stored JSON alike."""
    text = json.dumps({**definition, "enabled": enabled}, ensure_ascii=False)
    with cache.write() as conn:
        conn.execute("UPDATE rule SET enabled = ?, definition = ? WHERE name = ?",
                     (int(enabled), text, name))


def subjects(cache: Cache, tz: tzinfo | None = None,
             intents: dict[tuple[str, str], frozenset[str]] | None = None,
             events: Mapping[str, tuple[Event, ...]] | None = None) -> list[Subject]:
    """Every relation of the cache as rules see it (tags as WeCom ids, live tags only;
    `events`: each customer's events, by external_userid)."""
    conn = cache.connection()
    tags: dict[int, set[str]] = {}
    for rid, tag_id in conn.execute(
            "SELECT rt.relation_id, t.id FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
            " WHERE t.deleted = 0"):
        tags.setdefault(rid, set()).add(tag_id)
    found = intents or {}
    done = events or {}
    return [
        Subject(rid, customer, userid, name or "", state, remark, description,
                tuple(n for n in (corp, full, remark_corp) if n), gender, float(created),
                datetime.fromtimestamp(created, tz).date().toordinal(),
                frozenset(tags.get(rid, ())), found.get((customer, userid), frozenset()),
                done.get(customer, ()))
        for rid, customer, userid, name, state, remark, description, corp, full, remark_corp,
        gender, created in conn.execute(
            "SELECT r.id, r.external_userid, r.userid, c.name, r.state, r.remark,"
            " r.description, c.corp_name, c.corp_full_name, r.remark_corp_name, c.gender,"
            " r.createtime FROM relation r LEFT JOIN customer c"
            " ON c.external_userid = r.external_userid ORDER BY r.id")
    ]
