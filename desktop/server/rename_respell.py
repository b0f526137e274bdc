"""The team's saved filters and rules follow a tag or group rename the relay carried out: in
the same transaction as the rename's journal row, each team saved filter naming the old name
is respelled with the new one (the same `Rename` the window and `tagdesk tags rename` use for
a user's own filters), saved under a new settings version so every desktop's next poll brings
it, and journaled as a `saved_filter_save` by the user who renamed; each team rule naming the
tag or group is respelled likewise (`rule_rename`, as a desktop's own rules are) and
journaled as a `rule_replaced`; the team's auto-tagging keywords kept for a renamed tag move
to its new name (`autotag_keywords_remove` of the old, `autotag_keywords_set` of the new),
and so do the team's auto-tagging review verdicts on it (rewritten in place; a desktop
respells the copies it fetched when its own sync or rename meets the same rename). A pending
approval request names the tag or group as it is called now (its target and the names a
deletion keeps to restore; one being decided at that instant keeps the names it had). A rename
made in the admin console, found by a callback or a re-sync, is followed the same way (its
rows name no operator, as WeCom names none)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence

from psycopg import Connection
from psycopg.types.json import Jsonb

from desktop.domain.filter.rename import Rename, group_rename, tag_rename
from desktop.domain.rule_rename import renamed_ref, renamed_rule
from desktop.domain.rule_reverts import definition_key
from desktop.server import snapshot, team_journal, team_rules
from desktop.server.setting_rows import SOURCE, TEAM
from desktop.server.snapshot import CorpTag
from desktop.store.journal import JournalEntry

Conn = Connection[tuple[object, ...]]
KEYWORDS = "autotag_keywords"        # the team setting: keywords by tag name
OtherTags = Callable[[str], list[tuple[str, str]]]   # tag id -> (name, group) of every other


def follow_renames(conn: Conn, entries: Sequence[JournalEntry], others: OtherTags) -> int:
    """Respell the team saved filters, rules, keywords and verdicts after the renames among
    `entries`; how many changed."""
    found = [(entry, rename) for entry in entries
             if (rename := _rename(entry, others)) is not None]
    if not found:
        return 0
    renames = [(entry.operator, rename) for entry, rename in found]
    return (_respell_rules(conn, renames) + _respell_filters(conn, renames)
            + _respell_keywords(conn, renames) + _respell_reviews(conn, renames)
            + _respell_approvals(conn, found))


def _follow_library(conn: Conn, entries: Sequence[JournalEntry],
                   after: Mapping[str, CorpTag]) -> int:
    """The same for the renames a callback or a re-sync found in WeCom's tag library (made in
    the admin console): `after` is the library as read now."""
    return follow_renames(conn, entries, lambda tag_id: [
        (tag.name, tag.group_name) for other, tag in after.items() if other != tag_id])


def keep_library(conn: Conn, before: Mapping[str, CorpTag], after: Mapping[str, CorpTag],
                 entries: Sequence[JournalEntry]) -> int:
    """WeCom's tag library as a callback or a re-sync read it (`after`) replaces the stored
    one (`before`; tags gone are forgotten), its changes (`entries`) are journaled and the
    renames among them followed; how many journal rows."""
    snapshot.store_corp_tags(conn, after)
    snapshot.forget_tags(conn, set(before) - set(after))
    journaled = team_journal.append(conn, entries, None)
    _follow_library(conn, entries, after)
    return journaled


def _respell_rules(conn: Conn, renames: Sequence[tuple[str, Rename]]) -> int:
    rows = conn.execute("SELECT name, definition, department_name FROM team_rule ORDER BY id"
                        " FOR UPDATE").fetchall()
    entries: list[JournalEntry] = []
    for name, definition, department in rows:
        assert isinstance(definition, dict)
        after = definition
        for _operator, rename in renames:
            after = renamed_rule(after, rename)
        if after != definition:
            conn.execute("UPDATE team_rule SET definition = %s WHERE name = %s",
                         (Jsonb(after), name))
            conn.execute("UPDATE team_rule_revert SET definition_key = %s WHERE rule_name = %s"
                         " AND definition_key = %s",   # the same rule: what it left alone stays
                         (definition_key(after), name, definition_key(definition)))
            entries.append(JournalEntry(
                operator=renames[0][0], action="rule_replaced", source=team_rules.SOURCE,
                tag_name=str(name), group_name=str(department),
                before=json.dumps(definition, ensure_ascii=False, sort_keys=True),
                after=json.dumps(after, ensure_ascii=False, sort_keys=True)))
    team_journal.append(conn, entries, None)
    return len(entries)


def _respell_filters(conn: Conn, renames: Sequence[tuple[str, Rename]]) -> int:
    rows = conn.execute(
        "SELECT key, value #>> '{}' FROM team_setting WHERE owner = %s"
        " AND kind = 'saved_filter' AND value IS NOT NULL ORDER BY key FOR UPDATE", (TEAM,),
    ).fetchall()
    changed: list[tuple[str, str, str, str]] = []      # (key, before, after, operator)
    for key, text in rows:
        respelled = str(text)
        for _operator, rename in renames:
            respelled = rename.respell(respelled)
        if respelled != text:
            changed.append((str(key), str(text), respelled, renames[0][0]))
    if not changed:
        return 0
    head = conn.execute(
        "UPDATE team_setting_head SET version = version + 1 RETURNING version").fetchone()
    assert head is not None, "the migration creates the head row"
    for key, _before, after, operator in changed:
        conn.execute(
            "UPDATE team_setting SET value = %s, version = %s, updated_by = %s,"
            " updated_at = now() WHERE owner = %s AND kind = 'saved_filter' AND key = %s",
            (Jsonb(after), head[0], operator, TEAM, key))
    team_journal.append(conn, [
        JournalEntry(operator=operator, action="saved_filter_save", source=SOURCE, tag_name=key,
                     before=json.dumps(before, ensure_ascii=False),
                     after=json.dumps(after, ensure_ascii=False))
        for key, before, after, operator in changed], None)
    return len(changed)


def _respell_keywords(conn: Conn, renames: Sequence[tuple[str, Rename]]) -> int:
    """The team's auto-tagging keywords kept for a renamed tag ("名" or "组:名") move to its
    new name (joining those the new name had): the old item deleted, the new one saved, under
    a new settings version, each journaled as a settings change by the one who renamed."""
    rows = conn.execute(
        "SELECT key, value FROM team_setting WHERE owner = %s AND kind = %s"
        " AND value IS NOT NULL ORDER BY key FOR UPDATE", (TEAM, KEYWORDS),
    ).fetchall()
    stored = {str(key): list(value) for key, value in rows if isinstance(value, list)}
    moves: list[tuple[str, str]] = []
    for key in stored:
        respelled = key
        for _operator, rename in renames:
            respelled = renamed_ref(respelled, rename)
        if respelled != key:
            moves.append((key, respelled))
    if not moves:
        return 0
    head = conn.execute(
        "UPDATE team_setting_head SET version = version + 1 RETURNING version").fetchone()
    assert head is not None, "the migration creates the head row"
    operator = renames[0][0]
    entries: list[JournalEntry] = []
    for old, new in moves:
        moved, had = stored.pop(old), stored.get(new)
        words = list(dict.fromkeys([*(had or []), *moved]))
        stored[new] = words
        conn.execute(
            "UPDATE team_setting SET value = NULL, version = %s, updated_by = %s,"
            " updated_at = now() WHERE owner = %s AND kind = %s AND key = %s",
            (head[0], operator, TEAM, KEYWORDS, old))
        conn.execute(
            "INSERT INTO team_setting (owner, kind, key, value, version, updated_by, author)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (owner, kind, key) DO UPDATE"
            " SET value = excluded.value, version = excluded.version,"
            " updated_by = excluded.updated_by, updated_at = now(),"
            " author = CASE WHEN team_setting.value IS NULL THEN excluded.author"
            " ELSE team_setting.author END",
            (TEAM, KEYWORDS, new, Jsonb(words), head[0], operator, operator))
        entries += [
            JournalEntry(operator=operator, action="autotag_keywords_remove", source=SOURCE,
                         tag_name=old, before=_json(moved)),
            JournalEntry(operator=operator, action="autotag_keywords_set", source=SOURCE,
                         tag_name=new, before=_json(had) if had is not None else "",
                         after=_json(words))]
    team_journal.append(conn, entries, None)
    return len(moves)


def _respell_reviews(conn: Conn, renames: Sequence[tuple[str, Rename]]) -> int:
    """The verdicts on a renamed tag ("名" or "组:名") name it anew, so that a suggestion under
    the new name keeps them, a revert marks them and training counts them; how many."""
    moved = 0
    for (name,) in conn.execute("SELECT DISTINCT tag_name FROM autotag_review").fetchall():
        respelled = str(name)
        for _operator, rename in renames:
            respelled = renamed_ref(respelled, rename)
        if respelled != name:
            moved += conn.execute("UPDATE autotag_review SET tag_name = %s WHERE tag_name = %s",
                                  (respelled, name)).rowcount
    return moved


def _respell_approvals(conn: Conn, found: Sequence[tuple[JournalEntry, Rename]]) -> int:
    """A pending approval request names its tags and groups as they are called now: its
    target (`组/名`, `组`, `组/名 → 新名` or `组 → 新组名`, joined by 、) and the names a
    deletion keeps to restore them; how many requests."""
    changed = 0
    for approval_id, target, target_ids, tag_names in conn.execute(
            "SELECT id, target, target_ids, tag_names FROM approval WHERE status = 'pending'"
            " FOR UPDATE SKIP LOCKED").fetchall():
        ids = frozenset(str(i) for i in target_ids) if isinstance(target_ids, list) else frozenset()
        kept = dict(tag_names) if isinstance(tag_names, dict) else {}
        respelled = "、".join(_respelled_target(part, ids, found) for part in str(target).split("、"))
        names = {tag_id: list(_respelled_names(tag_id, str(group), str(name), found))
                 for tag_id, (group, name) in kept.items()}
        if respelled != target or names != kept:
            conn.execute("UPDATE approval SET target = %s, tag_names = %s WHERE id = %s",
                         (respelled, Jsonb(names), approval_id))
            changed += 1
    return changed


def _respelled_target(part: str, ids: frozenset[str],
                      found: Sequence[tuple[JournalEntry, Rename]]) -> str:
    """One target (`组`, `组/名`, either followed by ` → ` and the name asked for) with its
    group and its tag (one of `ids`) named anew."""
    named, arrow, asked = part.partition(" → ")
    group, slash, tag = named.partition("/")
    for entry, rename in found:
        if rename.is_group and group == rename.old:
            group = rename.new
        elif (not rename.is_group and slash and entry.tag_id in ids and group == rename.group
              and tag == rename.old):
            tag = rename.new
    return f"{group}{slash}{tag}{arrow}{asked}"


def _respelled_names(tag_id: str, group: str, name: str,
                     found: Sequence[tuple[JournalEntry, Rename]]) -> tuple[str, str]:
    for entry, rename in found:
        if rename.is_group and group == rename.old:
            group = rename.new
        elif not rename.is_group and entry.tag_id == tag_id:
            name = rename.new
    return group, name


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _rename(entry: JournalEntry, others: OtherTags) -> Rename | None:
    if entry.action not in ("tag_rename", "group_rename") or not entry.before:
        return None
    old = json.loads(entry.before).get("name")
    if not isinstance(old, str) or old == entry.tag_name:
        return None
    if entry.action == "group_rename":
        return group_rename(old, entry.tag_name)
    return tag_rename(old, entry.tag_name, entry.group_name, others(entry.tag_id))
