"""Creating, editing and deleting rule groups (§3.1), and whose they are.

A rule group made by hand in the admin console (listed in `strategy_console`) is read like
any other, but the app may not change it, nor add, rename or delete its tags: 81011, as for
console-made corp tags. With `console_rule_groups_listed=False` the app does not see such rule
groups at all (WeCom's documented behaviour): every rule-group call treats them as unknown.
Rule groups the app creates are its own.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from desktop.sandbox import corpus, directory
from desktop.sandbox.api_call import ApiCall, Route
from desktop.sandbox.errors import ApiError
from desktop.sandbox.tag_library import MAX_NAME_LENGTH

MAX_ADMINS = 20
MAX_RANGE_NODES = 100
MAX_DEPTH = 5
NOT_APP_OWNED = 81011
INVALID_USERID = 60111
INVALID_DEPARTMENT = 60123


def is_console_made(conn: sqlite3.Connection, strategy_id: int | None) -> bool:
    if strategy_id is None:
        return False
    found = conn.execute(
        "SELECT 1 FROM strategy_console WHERE strategy_id = ?", (strategy_id,)
    ).fetchone()
    return found is not None


def check_app_owned(call: ApiCall, strategy_id: int | None) -> None:
    """81011 for a rule group (or a tag of one) that was made in the admin console; 40058,
    an unknown rule group, when the app does not even see those."""
    if not is_console_made(call.conn, strategy_id):
        return
    if not call.config.console_rule_groups_listed:
        raise ApiError(40058, f"invalid strategy_id: {strategy_id}")
    raise ApiError(NOT_APP_OWNED, f"rule group {strategy_id} was not created by this app")


def _existing(conn: sqlite3.Connection, strategy_id: int) -> int:
    row = conn.execute("SELECT parent_id FROM strategy WHERE id = ?", (strategy_id,)).fetchone()
    if row is None:
        raise ApiError(40058, f"invalid strategy_id: {strategy_id}")
    return int(row[0])


def _depth(conn: sqlite3.Connection, strategy_id: int) -> int:
    depth = 0
    while strategy_id:
        depth += 1
        strategy_id = _existing(conn, strategy_id)
    return depth


def _name(call: ApiCall, *, required: bool) -> str | None:
    if not required and "strategy_name" not in call.body:
        return None
    name = call.text("strategy_name", required=True)
    if len(name) > MAX_NAME_LENGTH:
        raise ApiError(40058, f"strategy_name must have at most {MAX_NAME_LENGTH} characters")
    return name


def _admins(call: ApiCall, *, required: bool) -> list[str] | None:
    if not required and "admin_list" not in call.body:
        return None
    admins = call.text_list("admin_list")
    if not admins:
        raise ApiError(40063, "admin_list is required")
    if len(admins) > MAX_ADMINS:
        raise ApiError(40058, f"at most {MAX_ADMINS} admins")
    for userid in admins:
        if not directory.member_exists(call.conn, userid):
            raise ApiError(INVALID_USERID, f"invalid userid: {userid}")
    return admins


def _range(call: ApiCall, key: str) -> list[tuple[int, str | None, int | None]]:
    raw = call.body.get(key)
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise ApiError(40058, f"{key} must be a list of objects")
    if len(raw) > MAX_RANGE_NODES:
        raise ApiError(40058, f"at most {MAX_RANGE_NODES} range nodes per call")
    nodes: list[tuple[int, str | None, int | None]] = []
    for item in raw:
        kind, userid, party = item.get("type"), item.get("userid"), item.get("partyid")
        if kind == 1 and isinstance(userid, str):
            if not directory.member_exists(call.conn, userid):
                raise ApiError(INVALID_USERID, f"invalid userid: {userid}")
            nodes.append((1, userid, None))
        elif kind == 2 and isinstance(party, int) and not isinstance(party, bool):
            if not directory.department_exists(call.conn, party):
                raise ApiError(INVALID_DEPARTMENT, f"invalid partyid: {party}")
            nodes.append((2, None, party))
        else:
            raise ApiError(40058, f"invalid range node in {key}")
    return nodes


def _add_range(conn: sqlite3.Connection, strategy_id: int,
               nodes: list[tuple[int, str | None, int | None]]) -> None:
    present = set(conn.execute(
        "SELECT type, userid, partyid FROM strategy_range WHERE strategy_id = ?", (strategy_id,)))
    seq = conn.execute("SELECT coalesce(max(seq) + 1, 0) FROM strategy_range WHERE strategy_id = ?",
                       (strategy_id,)).fetchone()[0]
    for node in dict.fromkeys(nodes):
        if node in present:
            continue
        conn.execute("INSERT INTO strategy_range (strategy_id, seq, type, userid, partyid)"
                     " VALUES (?, ?, ?, ?, ?)", (strategy_id, seq, *node))
        seq += 1


def _privilege(call: ApiCall) -> dict[str, bool]:
    raw = call.body.get("privilege")
    granted = dict(corpus.STRATEGY_PRIVILEGES)
    if raw is None:
        return granted
    if not isinstance(raw, dict) or not all(isinstance(v, bool) for v in raw.values()):
        raise ApiError(40058, "privilege must be an object of booleans")
    granted.update({str(key): value for key, value in raw.items()})
    return granted


def create(call: ApiCall) -> dict[str, Any]:
    parent_id = call.integer("parent_id", 0) or 0
    if parent_id and _depth(call.conn, parent_id) >= MAX_DEPTH:
        raise ApiError(40058, f"rule groups nest at most {MAX_DEPTH} levels")
    name = _name(call, required=True)
    admins = _admins(call, required=True)
    nodes = _range(call, "range")
    if not nodes:
        raise ApiError(40063, "range is required")
    cursor = call.conn.execute(
        "INSERT INTO strategy (id, parent_id, name, create_time, admin_list, privilege)"
        " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM strategy), ?, ?, ?, ?, ?)",
        (parent_id, name, int(call.now), json.dumps(admins, ensure_ascii=False),
         json.dumps(_privilege(call))),
    )
    strategy_id = int(cursor.lastrowid or 0)
    _add_range(call.conn, strategy_id, nodes)
    return {"strategy_id": strategy_id}


def edit(call: ApiCall) -> dict[str, Any]:
    strategy_id = call.required_integer("strategy_id")
    _existing(call.conn, strategy_id)
    check_app_owned(call, strategy_id)
    name, admins = _name(call, required=False), _admins(call, required=False)
    added, removed = _range(call, "range_add"), _range(call, "range_del")
    if name is not None:
        call.conn.execute("UPDATE strategy SET name = ? WHERE id = ?", (name, strategy_id))
    if admins is not None:
        call.conn.execute("UPDATE strategy SET admin_list = ? WHERE id = ?",
                          (json.dumps(admins, ensure_ascii=False), strategy_id))
    if "privilege" in call.body:
        call.conn.execute("UPDATE strategy SET privilege = ? WHERE id = ?",
                          (json.dumps(_privilege(call)), strategy_id))
    _add_range(call.conn, strategy_id, added)
    for kind, userid, party in removed:
        call.conn.execute(
            "DELETE FROM strategy_range WHERE strategy_id = ? AND type = ?"
            " AND userid IS ? AND partyid IS ?", (strategy_id, kind, userid, party))
    return {}


def delete(call: ApiCall) -> dict[str, Any]:
    """Delete a rule group without sub-rule-groups, with its tags (tombstoned) and range."""
    strategy_id = call.required_integer("strategy_id")
    _existing(call.conn, strategy_id)
    check_app_owned(call, strategy_id)
    if call.conn.execute("SELECT 1 FROM strategy WHERE parent_id = ?", (strategy_id,)).fetchone():
        raise ApiError(40058, "delete the rule group's sub rule groups first")
    conn = call.conn
    groups = "SELECT key FROM tag_group WHERE strategy_id = ?"
    conn.execute(f"DELETE FROM relation_tag WHERE tag_key IN (SELECT key FROM tag"
                 f" WHERE group_key IN ({groups}))", (strategy_id,))
    conn.execute(f"UPDATE tag SET deleted = 1 WHERE group_key IN ({groups})", (strategy_id,))
    conn.execute("UPDATE tag_group SET deleted = 1 WHERE strategy_id = ?", (strategy_id,))
    conn.execute("DELETE FROM strategy_range WHERE strategy_id = ?", (strategy_id,))
    conn.execute("DELETE FROM strategy WHERE id = ?", (strategy_id,))
    return {}


ROUTES = {
    "externalcontact/customer_strategy/create": Route("POST", create),
    "externalcontact/customer_strategy/edit": Route("POST", edit),
    "externalcontact/customer_strategy/del": Route("POST", delete),
}
