"""`GET /tagdesk/v1/expiries`: the tag expiries the team server keeps (`expiry_records.py`:
those its rule runs set and those desktops sent with their writes), for any logged-in desktop
like the team journal, page by page in key order (`after` = the last row's
`userid/external_userid/tag_id` of the previous page).

A salesperson (`customer_scope.py`) gets and sets only those on their own relations.

`POST /tagdesk/v1/expiries` `{"set": [{"userid", "external_userid", "tag_id",
"expires_in_s"}, ...]}` gives tags relations already carry a (new) expiry (`tagdesk expiry
set`, the window's Change expiry… on a team profile): only where the server's snapshot has
the tag on the relation, and only for tags governance lets the caller remove (the check of
their own `mark_tag`; a refusal refuses the whole request). It is recorded with rule "" and
batch `set:USERID`.

A team desktop copies them into its cache (`desktop/services/team_expiries.py`) for its
expiring-tags window, the tag tree's ⏳ counts and the detail pane; the server alone removes
them when due (`expiry_job.py`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any

import psycopg
import psycopg_pool
from psycopg import Connection
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from desktop.server import customer_scope, identity, snapshot
from desktop.server.identity import Caller
from desktop.server.outbox_recovery import MARK_TAG
from desktop.server.relay import Relay
from desktop.server.write_notes import MAX_EXPIRY_S, MAX_ID_LENGTH
from desktop.wecom.errors import WeComError

log = logging.getLogger("tagdesk.server.expiry")

Conn = Connection[tuple[object, ...]]
Connect = Callable[[], AbstractContextManager[Conn]]
DEFAULT_PAGE = 5_000
MAX_PAGE = 20_000
BAD_REQUEST = 40058
BAD_BODY = 47001
MAX_SET = 10_000
MAX_BODY_BYTES = 4 << 20


class Refused(Exception):
    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(errmsg)
        self.errcode, self.errmsg = errcode, errmsg


def expiries_endpoint(connection: Connect, relay: Relay) -> Callable[[Request], Any]:
    """The Starlette endpoint of `/tagdesk/v1/expiries` over the server's pooled connections;
    `relay` has governance's gate."""

    async def endpoint(request: Request) -> JSONResponse:
        try:
            if request.method == "POST":
                items = _items(await _body(request))
                found = await run_in_threadpool(_set, connection, relay,
                                                request.query_params, items)
            else:
                found = await run_in_threadpool(_answer, connection, relay,
                                                request.query_params)
            return JSONResponse({"errcode": 0, "errmsg": "ok", **found})
        except Refused as refused:
            return JSONResponse({"errcode": refused.errcode, "errmsg": refused.errmsg})
        except (psycopg.OperationalError, psycopg_pool.PoolTimeout) as exc:
            log.error("team database unavailable: %s", type(exc).__name__)
            return JSONResponse({"errcode": -1, "errmsg": "team database unavailable, retry"},
                                status_code=503)

    return endpoint


def _answer(connection: Connect, relay: Relay, query: Mapping[str, str]) -> dict[str, Any]:
    limit_text = query.get("limit") or str(DEFAULT_PAGE)
    if not limit_text.isdigit() or not 0 < int(limit_text) <= MAX_PAGE:
        raise Refused(BAD_REQUEST, f"limit must be a whole number from 1 to {MAX_PAGE}")
    after = query.get("after", "")
    key = tuple(after.split("/")) if after else ()
    if after and len(key) != 3:
        raise Refused(BAD_REQUEST, "after must be userid/external_userid/tag_id of a row")
    with connection() as conn:
        try:
            caller = identity.authenticate(conn, query.get("access_token", ""))
        except identity.IdentityRefused as refused:
            raise Refused(refused.errcode, refused.errmsg) from None
    owner = _own(relay, caller)
    with connection() as conn:
        return page(conn, key, int(limit_text), owner)


def page(conn: Conn, after: tuple[str, ...], limit: int,
         owner: str | None = None) -> dict[str, Any]:
    """Up to `limit` expiries after the key `after` (userid, external_userid, tag_id), on
    `owner`'s relations only when given (a salesperson's own)."""
    rows = conn.execute(
        "SELECT userid, external_userid, tag_id, extract(epoch FROM due_at), rule_name,"
        " batch_id FROM team_tag_expiry WHERE (%s OR (userid, external_userid, tag_id) > (%s,"
        " %s, %s)) AND (%s::text IS NULL OR userid = %s)"
        " ORDER BY userid, external_userid, tag_id LIMIT %s",
        (not after, *(after or ("", "", "")), owner, owner, limit)).fetchall()
    expiries = [{"userid": str(u), "external_userid": str(c), "tag_id": str(t),
                 "due_at": round(float(str(due)), 3), "rule": str(rule), "batch_id": str(batch)}
                for u, c, t, due, rule, batch in rows]
    last = expiries[-1] if len(expiries) == limit else None
    return {"expiries": expiries,
            "next_after": f"{last['userid']}/{last['external_userid']}/{last['tag_id']}"
            if last else None}


Item = tuple[str, str, str, int]   # userid, external_userid, tag_id, seconds from now


def _set(connection: Connect, relay: Relay, query: Mapping[str, str],
         items: list[Item]) -> dict[str, Any]:
    with connection() as conn:
        try:
            caller = identity.authenticate(conn, query.get("access_token", ""))
        except identity.IdentityRefused as refused:
            raise Refused(refused.errcode, refused.errmsg) from None
    owner = _own(relay, caller)
    others = sorted({userid for userid, *_ in items if owner is not None and userid != owner})
    if others:
        raise Refused(**customer_scope.others_refused(others))
    _check_gate(relay, caller, items)
    recorded = 0
    with connection() as conn, conn.transaction():
        for userid, external_userid, tag_id, seconds in items:
            if tag_id not in (snapshot.relation_tags(conn, userid, external_userid) or ()):
                continue
            conn.execute(
                "INSERT INTO team_tag_expiry (userid, external_userid, tag_id, due_at,"
                " rule_name, batch_id) VALUES (%s, %s, %s, now() + make_interval(secs => %s),"
                " '', %s) ON CONFLICT (userid, external_userid, tag_id) DO UPDATE SET"
                " due_at = excluded.due_at, rule_name = excluded.rule_name,"
                " batch_id = excluded.batch_id, set_at = now()",
                (userid, external_userid, tag_id, seconds, f"set:{caller.userid}"))
            recorded += 1
    log.info("expiries set by %s: %d recorded, %d not carrying their tag", caller.userid,
             recorded, len(items) - recorded)
    return {"recorded": recorded, "not_carrying": len(items) - recorded}


def _own(relay: Relay, caller: Caller) -> str | None:
    """Whose relations the caller reaches: their own for a salesperson (`customer_scope`)."""
    if relay.scope is None:
        return None
    try:
        return relay.scope.own(caller)
    except WeComError as err:
        raise Refused(**customer_scope.unreadable(err)) from None


def _check_gate(relay: Relay, caller: Caller, items: list[Item]) -> None:
    """Governance lets the caller remove each of these tags (one check per tag)."""
    if relay.gate is None:
        return
    first: dict[str, Item] = {}
    for item in items:
        first.setdefault(item[2], item)
    for tag_id, (userid, external_userid, _, _) in sorted(first.items()):
        refusal = relay.gate(caller, MARK_TAG, {"userid": userid,
                                                "external_userid": external_userid,
                                                "remove_tag": [tag_id]})
        if refusal is not None:
            raise Refused(int(refusal.get("errcode") or BAD_REQUEST),
                          str(refusal.get("errmsg", "")))


def _items(body: Mapping[str, Any]) -> list[Item]:
    raw = body.get("set")
    if not isinstance(raw, list) or not 0 < len(raw) <= MAX_SET:
        raise Refused(BAD_REQUEST, f"set must be a list of 1 to {MAX_SET} expiries")
    items = []
    for index, item in enumerate(raw):
        texts = [item.get(k) if isinstance(item, dict) else None
                 for k in ("userid", "external_userid", "tag_id")]
        seconds = item.get("expires_in_s") if isinstance(item, dict) else None
        if (not all(isinstance(t, str) and 0 < len(t) <= MAX_ID_LENGTH for t in texts)
                or type(seconds) is not int or not 0 < seconds <= MAX_EXPIRY_S):
            raise Refused(BAD_REQUEST, f"set[{index}] needs userid, external_userid, tag_id"
                                       f" and expires_in_s (1 to {MAX_EXPIRY_S})")
        items.append((str(texts[0]), str(texts[1]), str(texts[2]), int(seconds)))
    return items


async def _body(request: Request) -> dict[str, Any]:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise Refused(BAD_BODY, f"request body over {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    try:
        value = json.loads(b"".join(chunks).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Refused(BAD_BODY, "request body is not JSON") from None
    if not isinstance(value, dict):
        raise Refused(BAD_BODY, "request body is not a JSON object")
    return value
