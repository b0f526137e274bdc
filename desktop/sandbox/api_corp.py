"""gettoken, the org chart (department/list, user/get|list|simplelist) and message/send."""

from __future__ import annotations

import secrets
from typing import Any

from desktop.sandbox import app_secret, directory, tokens
from desktop.sandbox.api_call import ApiCall, Route
from desktop.sandbox.errors import ApiError

MAX_MESSAGE_BYTES = 2048


def gettoken(call: ApiCall) -> dict[str, Any]:
    corp_id, secret = call.arg("corpid"), call.arg("corpsecret")
    if not corp_id:
        raise ApiError(41002)
    if not secret:
        raise ApiError(41004)
    if corp_id != call.corp.corp_id:
        raise ApiError(40013)
    if not secrets.compare_digest(secret, app_secret.current_secret(call.conn)):
        raise ApiError(40001)
    token, expires_in = tokens.issue_token(call.conn, call.now, call.config.token_ttl)
    return {"access_token": token, "expires_in": expires_in}


def department_list(call: ApiCall) -> dict[str, Any]:
    root = call.int_arg("id", 0)
    if root and not directory.department_exists(call.conn, root):
        raise ApiError(60123, str(root))
    wanted = set(directory.subtree(call.conn, root)) if root else None
    leaders: dict[int, list[str]] = {}
    for department, userid in call.conn.execute(
        "SELECT d.department_id, d.userid FROM member_department d JOIN member m"
        " ON m.userid = d.userid WHERE d.is_leader = 1 ORDER BY m.seq"
    ):
        leaders.setdefault(department, []).append(userid)
    departments = [
        {
            "id": dept_id,
            "name": name,
            "name_en": name_en,
            "department_leader": leaders.get(dept_id, []),
            "parentid": parent,
            "order": order,
        }
        for dept_id, name, name_en, parent, order in call.conn.execute(
            "SELECT id, name, name_en, parentid, ord FROM department ORDER BY id"
        )
        if wanted is None or dept_id in wanted
    ]
    return {"department": departments}


def user_get(call: ApiCall) -> dict[str, Any]:
    userid = call.arg("userid", required=True)
    member = directory.render_member(call.conn, userid)
    if member is None:
        raise ApiError(60111, userid)
    return member


def _department_members(call: ApiCall) -> list[str]:
    department = call.int_arg("department_id", 0)
    if not department:
        raise ApiError(40063, "department_id is required")
    if not directory.department_exists(call.conn, department):
        raise ApiError(60123, str(department))
    recursive = call.int_arg("fetch_child", 0) == 1
    return directory.members_in(call.conn, [department], recursive=recursive)


def user_list(call: ApiCall) -> dict[str, Any]:
    members = [directory.render_member(call.conn, userid) for userid in _department_members(call)]
    return {"userlist": [m for m in members if m is not None]}


def user_simplelist(call: ApiCall) -> dict[str, Any]:
    userlist = []
    for userid in _department_members(call):
        member = directory.render_member(call.conn, userid)
        if member is not None:
            userlist.append(
                {key: member[key] for key in ("userid", "name", "department", "open_userid")}
            )
    return {"userlist": userlist}


def message_send(call: ApiCall) -> dict[str, Any]:
    """A text app message; unknown recipients come back in invaliduser/invalidparty/invalidtag."""
    if str(call.body.get("agentid", "")) != str(call.corp.agent_id):
        raise ApiError(40056)
    if call.text("msgtype", required=True) != "text":
        raise ApiError(40008)
    text = call.body.get("text")
    content = text.get("content") if isinstance(text, dict) else None
    if not isinstance(content, str) or not content:
        raise ApiError(44004)
    if len(content.encode()) > MAX_MESSAGE_BYTES:
        raise ApiError(45002)
    users = [u for u in call.text("touser").split("|") if u]
    parties = [p for p in call.text("toparty").split("|") if p]
    tags = [t for t in call.text("totag").split("|") if t]
    if users == ["@all"]:
        users = [r[0] for r in call.conn.execute("SELECT userid FROM member ORDER BY seq")]
    invalid_users = [u for u in users if not directory.member_exists(call.conn, u)]
    invalid_parties = [
        p for p in parties if not p.isdigit() or not directory.department_exists(call.conn, int(p))
    ]
    reached = set(users) - set(invalid_users)
    reached.update(
        directory.members_in(
            call.conn, [int(p) for p in parties if p not in invalid_parties], recursive=True
        )
    )
    if not reached:
        raise ApiError(81013)
    msgid = secrets.token_urlsafe(24)
    call.conn.execute(
        "INSERT INTO sent_message (msgid, sent_at, touser, toparty, content) VALUES (?,?,?,?,?)",
        (msgid, call.now, "|".join(sorted(reached)), "|".join(parties), content),
    )
    return {
        "invaliduser": "|".join(invalid_users),
        "invalidparty": "|".join(invalid_parties),
        "invalidtag": "|".join(tags),
        "unlicenseduser": "",
        "msgid": msgid,
    }


ROUTES = {
    "gettoken": Route("GET", gettoken, needs_token=False),
    "department/list": Route("GET", department_list),
    "user/get": Route("GET", user_get),
    "user/list": Route("GET", user_list),
    "user/simplelist": Route("GET", user_simplelist),
    "message/send": Route("POST", message_send),
}
