"""Contact ways (「联系我」 live codes, §6): the channel `state` that new relations carry.

`state` and `remark` are limited to 30 characters (40058 beyond); `update_contact_way`
replaces `user`/`party` lists and overwrites `remark`/`state` when they are given. An
unknown config_id answers 40058. At most 100 members per way after expanding departments.
"""

from __future__ import annotations

import json
import random
from typing import Any

from desktop.sandbox import directory
from desktop.sandbox.api_call import ApiCall, Route
from desktop.sandbox.cursor import decode_cursor, encode_cursor
from desktop.sandbox.errors import ApiError
from desktop.sandbox.ids import hex_id

MAX_TEXT = 30
MAX_MEMBERS = 100
LIST_DEFAULT_LIMIT = 100
LIST_MAX_LIMIT = 1000
DEFAULT_WINDOW_S = 90 * 86_400
EXTRA_FIELDS = ("is_temp", "expires_in", "chat_expires_in", "unionid", "conclusions")

_new_ids = random.SystemRandom()


def _short_text(call: ApiCall, key: str) -> str | None:
    value = call.optional_text(key)
    if value is not None and len(value) > MAX_TEXT:
        raise ApiError(40058, f"{key} exceeds {MAX_TEXT} characters")
    return value


def _check_members(call: ApiCall, way_type: int, users: list[str], parties: list[int]) -> None:
    if not users and not parties:
        raise ApiError(40063, "user or party is required")
    if way_type == 1 and (len(users) != 1 or parties):
        raise ApiError(40058, "a type 1 contact way takes exactly one user and no party")
    for userid in users:
        if not directory.member_exists(call.conn, userid):
            raise ApiError(60111, userid)
        if not directory.is_follow_user(call.conn, userid):
            raise ApiError(40058, f"{userid} has no customer contact permission")
    for party in parties:
        if not directory.department_exists(call.conn, party):
            raise ApiError(60123, str(party))
    reached = set(users) | set(directory.members_in(call.conn, parties, recursive=True))
    if len(reached) > MAX_MEMBERS:
        raise ApiError(40058, f"more than {MAX_MEMBERS} members")


def _find(call: ApiCall) -> tuple[Any, ...]:
    config_id = call.text("config_id", required=True)
    row = call.conn.execute(
        "SELECT config_id, type, scene, style, remark, skip_verify, state, qr_code, users,"
        " parties, create_time, extra FROM contact_way WHERE config_id = ?",
        (config_id,),
    ).fetchone()
    if row is None:
        raise ApiError(40058, f"invalid config_id: {config_id}")
    return tuple(row)


def add_contact_way(call: ApiCall) -> dict[str, Any]:
    way_type, scene = call.required_integer("type"), call.required_integer("scene")
    if way_type not in (1, 2) or scene not in (1, 2):
        raise ApiError(40058, "type and scene must be 1 or 2")
    remark, state = _short_text(call, "remark") or "", _short_text(call, "state") or ""
    users, parties = call.text_list("user"), call.int_list("party")
    _check_members(call, way_type, users, parties)
    skip_verify = call.body.get("skip_verify", True)
    config_id = hex_id(_new_ids)
    qr_code = f"https://wework.qpic.cn/wwpic/{hex_id(_new_ids, 24)}/0" if scene == 2 else ""
    extra = {key: call.body[key] for key in EXTRA_FIELDS if key in call.body}
    call.conn.execute(
        "INSERT INTO contact_way (config_id, type, scene, style, remark, skip_verify, state,"
        " qr_code, users, parties, create_time, extra) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            config_id,
            way_type,
            scene,
            call.integer("style", 1),
            remark,
            int(bool(skip_verify)),
            state,
            qr_code,
            json.dumps(users),
            json.dumps(parties),
            int(call.now),
            json.dumps(extra, ensure_ascii=False),
        ),
    )
    answer: dict[str, Any] = {"config_id": config_id}
    if qr_code:
        answer["qr_code"] = qr_code
    return answer


def get_contact_way(call: ApiCall) -> dict[str, Any]:
    row = _find(call)
    way = {
        "config_id": row[0],
        "type": row[1],
        "scene": row[2],
        "style": row[3],
        "remark": row[4],
        "skip_verify": bool(row[5]),
        "state": row[6],
        "qr_code": row[7],
        "user": json.loads(row[8]),
        "party": json.loads(row[9]),
        "is_temp": False,
    }
    way.update(json.loads(row[11]))
    return {"contact_way": way}


def list_contact_way(call: ApiCall) -> dict[str, Any]:
    end = call.integer("end_time", int(call.now)) or int(call.now)
    start = call.integer("start_time", end - DEFAULT_WINDOW_S) or 0
    limit = min(max(call.integer("limit", LIST_DEFAULT_LIMIT) or 1, 1), LIST_MAX_LIMIT)
    ids = [
        row[0]
        for row in call.conn.execute(
            "SELECT config_id FROM contact_way WHERE create_time BETWEEN ? AND ?"
            " ORDER BY create_time, config_id",
            (start, end),
        )
    ]
    cursor = call.text("cursor")
    offset = int(decode_cursor("ways", cursor)[0]) if cursor else 0
    more = offset + limit < len(ids)
    return {
        "contact_way": [{"config_id": config_id} for config_id in ids[offset : offset + limit]],
        "next_cursor": encode_cursor("ways", offset + limit) if more else "",
    }


def update_contact_way(call: ApiCall) -> dict[str, Any]:
    row = _find(call)
    remark, state = _short_text(call, "remark"), _short_text(call, "state")
    users = call.text_list("user") if "user" in call.body else json.loads(row[8])
    parties = call.int_list("party") if "party" in call.body else json.loads(row[9])
    _check_members(call, row[1], users, parties)
    skip_verify = call.body.get("skip_verify", bool(row[5]))
    call.conn.execute(
        "UPDATE contact_way SET remark = ?, state = ?, users = ?, parties = ?, skip_verify = ?,"
        " style = ? WHERE config_id = ?",
        (
            row[4] if remark is None else remark,
            row[6] if state is None else state,
            json.dumps(users),
            json.dumps(parties),
            int(bool(skip_verify)),
            call.integer("style", row[3]),
            row[0],
        ),
    )
    return {}


def del_contact_way(call: ApiCall) -> dict[str, Any]:
    call.conn.execute("DELETE FROM contact_way WHERE config_id = ?", (_find(call)[0],))
    return {}


ROUTES = {
    "externalcontact/add_contact_way": Route("POST", add_contact_way),
    "externalcontact/get_contact_way": Route("POST", get_contact_way),
    "externalcontact/list_contact_way": Route("POST", list_contact_way),
    "externalcontact/update_contact_way": Route("POST", update_contact_way),
    "externalcontact/del_contact_way": Route("POST", del_contact_way),
}
