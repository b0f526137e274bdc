"""Corp tags (§2), rule groups and their tags (§3) over HTTP.

Every rule group is listed; one made by hand in the admin console is read-only to the app
(81011, see `api_strategies`). Strategy tags can be added only under top-level rule groups
(40058 otherwise).
"""

from __future__ import annotations

import json
from typing import Any

from desktop.sandbox import tag_library
from desktop.sandbox.api_call import ApiCall, Route
from desktop.sandbox.api_strategies import check_app_owned, is_console_made
from desktop.sandbox.cursor import decode_cursor, encode_cursor
from desktop.sandbox.errors import ApiError
from desktop.sandbox.tag_library import CORP, Scope

STRATEGY_PAGE_MAX = 1000


def _new_tags(call: ApiCall) -> list[tuple[str, int]]:
    raw = call.body.get("tag")
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise ApiError(40058, "tag must be a list of objects")
    tags = []
    for item in raw:
        name, order = item.get("name"), item.get("order", 0)
        if not isinstance(name, str):
            raise ApiError(40072, "tag name is required")
        if isinstance(order, bool) or not isinstance(order, int):
            raise ApiError(40058, "order must be an integer")
        tags.append((name, order))
    return tags


def _add(call: ApiCall, scope: Scope) -> dict[str, Any]:
    group = tag_library.add_tags(
        call.conn,
        scope,
        group_id=call.text("group_id"),
        group_name=call.text("group_name"),
        group_order=call.integer("order", 0) or 0,
        tags=_new_tags(call),
        now=int(call.now),
        app_owned=True,
        cap=call.config.corp_tag_cap,
    )
    return {"tag_group": group}


def _edit(call: ApiCall, scope: Scope) -> dict[str, Any]:
    tag_library.edit_item(
        call.conn,
        scope,
        call.text("id", required=True),
        name=call.optional_text("name"),
        order=call.integer("order"),
        as_app=True,
    )
    return {}


def _delete(call: ApiCall, scope: Scope) -> dict[str, Any]:
    tag_library.delete_items(
        call.conn,
        scope,
        tag_ids=call.text_list("tag_id"),
        group_ids=call.text_list("group_id"),
        as_app=True,
    )
    return {}


def get_corp_tag_list(call: ApiCall) -> dict[str, Any]:
    groups = tag_library.list_tag_groups(
        call.conn, CORP, call.text_list("tag_id"), call.text_list("group_id")
    )
    return {"tag_group": groups}


def _strategy_scope(call: ApiCall, *, required: bool) -> Scope:
    strategy_id = call.required_integer("strategy_id") if required else call.integer("strategy_id")
    if strategy_id is None:
        return Scope(strategy=True)
    _strategy_row(call, strategy_id)
    return Scope(strategy=True, strategy_id=strategy_id)


def _strategy_row(call: ApiCall, strategy_id: int) -> tuple[Any, ...]:
    row = call.conn.execute(
        "SELECT id, parent_id, name, create_time, admin_list, privilege FROM strategy WHERE id = ?",
        (strategy_id,),
    ).fetchone()
    if row is None or _hidden(call, strategy_id):
        raise ApiError(40058, f"invalid strategy_id: {strategy_id}")
    return tuple(row)


def _hidden(call: ApiCall, strategy_id: int | None) -> bool:
    """A console-made rule group the app does not see (`console_rule_groups_listed=False`)."""
    return not call.config.console_rule_groups_listed and is_console_made(call.conn, strategy_id)


def get_strategy_tag_list(call: ApiCall) -> dict[str, Any]:
    scope = _strategy_scope(call, required=False)
    groups = tag_library.list_tag_groups(
        call.conn, scope, call.text_list("tag_id"), call.text_list("group_id")
    )
    return {"tag_group": [g for g in groups if not _hidden(call, g["strategy_id"])]}


def add_strategy_tag(call: ApiCall) -> dict[str, Any]:
    scope = _strategy_scope(call, required=True)
    assert scope.strategy_id is not None
    if _strategy_row(call, scope.strategy_id)[1] != 0:
        raise ApiError(40058, "tags can be added only under a top-level rule group")
    check_app_owned(call, scope.strategy_id)
    answer = _add(call, scope)
    answer["tag_group"]["strategy_id"] = scope.strategy_id
    return answer


def _page(call: ApiCall, kind: str, items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """Offset paging where `next_cursor` is absent on the last page (§3.1)."""
    limit = call.integer("limit", STRATEGY_PAGE_MAX) or STRATEGY_PAGE_MAX
    limit = max(1, min(limit, STRATEGY_PAGE_MAX))
    cursor = call.text("cursor")
    start = int(decode_cursor(kind, cursor)[0]) if cursor else 0
    answer: dict[str, Any] = {key: items[start : start + limit]}
    if start + limit < len(items):
        answer["next_cursor"] = encode_cursor(kind, start + limit)
    return answer


def strategy_list(call: ApiCall) -> dict[str, Any]:
    ids = [{"strategy_id": r[0]} for r in call.conn.execute("SELECT id FROM strategy ORDER BY id")
           if not _hidden(call, r[0])]
    return _page(call, "strategy", ids, "strategy")


def strategy_get(call: ApiCall) -> dict[str, Any]:
    row = _strategy_row(call, call.required_integer("strategy_id"))
    return {
        "strategy": {
            "strategy_id": row[0],
            "parent_id": row[1],
            "strategy_name": row[2],
            "create_time": row[3],
            "admin_list": json.loads(row[4]),
            "privilege": json.loads(row[5]),
        }
    }


def strategy_get_range(call: ApiCall) -> dict[str, Any]:
    strategy_id = call.required_integer("strategy_id")
    _strategy_row(call, strategy_id)
    entries = [
        {"type": 1, "userid": userid} if kind == 1 else {"type": 2, "partyid": party}
        for kind, userid, party in call.conn.execute(
            "SELECT type, userid, partyid FROM strategy_range WHERE strategy_id = ? ORDER BY seq",
            (strategy_id,),
        )
    ]
    return _page(call, f"range-{strategy_id}", entries, "range")


ROUTES = {
    "externalcontact/get_corp_tag_list": Route("POST", get_corp_tag_list),
    "externalcontact/add_corp_tag": Route("POST", lambda call: _add(call, CORP)),
    "externalcontact/edit_corp_tag": Route("POST", lambda call: _edit(call, CORP)),
    "externalcontact/del_corp_tag": Route("POST", lambda call: _delete(call, CORP)),
    "externalcontact/customer_strategy/list": Route("POST", strategy_list),
    "externalcontact/customer_strategy/get": Route("POST", strategy_get),
    "externalcontact/customer_strategy/get_range": Route("POST", strategy_get_range),
    "externalcontact/get_strategy_tag_list": Route("POST", get_strategy_tag_list),
    "externalcontact/add_strategy_tag": Route("POST", add_strategy_tag),
    "externalcontact/edit_strategy_tag": Route(
        "POST", lambda call: _edit(call, Scope(strategy=True))
    ),
    "externalcontact/del_strategy_tag": Route(
        "POST", lambda call: _delete(call, Scope(strategy=True))
    ),
}
