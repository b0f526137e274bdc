"""`GET /tagdesk/v1/expiries`: the tag expiries the team server keeps (`expiry_records.py`:
those its rule runs set and those desktops sent with their writes), for any logged-in desktop
like the team journal, page by page in key order (`after` = the last row's
`userid/external_userid/tag_id` of the previous page).

A team desktop copies them into its cache (`desktop/services/team_expiries.py`) for its
expiring-tags window, the tag tree's ⏳ counts and the detail pane; the server alone removes
them when due (`expiry_job.py`).
"""

from __future__ import annotations

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

from desktop.server import identity

log = logging.getLogger("tagdesk.server.expiry")

Conn = Connection[tuple[object, ...]]
Connect = Callable[[], AbstractContextManager[Conn]]
DEFAULT_PAGE = 5_000
MAX_PAGE = 20_000
BAD_REQUEST = 40058


class Refused(Exception):
    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(errmsg)
        self.errcode, self.errmsg = errcode, errmsg


def expiries_endpoint(connection: Connect) -> Callable[[Request], Any]:
    """The Starlette endpoint of `/tagdesk/v1/expiries` over the server's pooled connections."""

    async def endpoint(request: Request) -> JSONResponse:
        try:
            found = await run_in_threadpool(_answer, connection, request.query_params)
            return JSONResponse({"errcode": 0, "errmsg": "ok", **found})
        except Refused as refused:
            return JSONResponse({"errcode": refused.errcode, "errmsg": refused.errmsg})
        except (psycopg.OperationalError, psycopg_pool.PoolTimeout) as exc:
            log.error("team database unavailable: %s", type(exc).__name__)
            return JSONResponse({"errcode": -1, "errmsg": "team database unavailable, retry"},
                                status_code=503)

    return endpoint


def _answer(connection: Connect, query: Mapping[str, str]) -> dict[str, Any]:
    limit_text = query.get("limit") or str(DEFAULT_PAGE)
    if not limit_text.isdigit() or not 0 < int(limit_text) <= MAX_PAGE:
        raise Refused(BAD_REQUEST, f"limit must be a whole number from 1 to {MAX_PAGE}")
    after = query.get("after", "")
    key = tuple(after.split("/")) if after else ()
    if after and len(key) != 3:
        raise Refused(BAD_REQUEST, "after must be userid/external_userid/tag_id of a row")
    with connection() as conn:
        try:
            identity.authenticate(conn, query.get("access_token", ""))
        except identity.IdentityRefused as refused:
            raise Refused(refused.errcode, refused.errmsg) from None
        return page(conn, key, int(limit_text))


def page(conn: Conn, after: tuple[str, ...], limit: int) -> dict[str, Any]:
    """Up to `limit` expiries after the key `after` (userid, external_userid, tag_id)."""
    rows = conn.execute(
        "SELECT userid, external_userid, tag_id, extract(epoch FROM due_at), rule_name,"
        " batch_id FROM team_tag_expiry WHERE %s OR (userid, external_userid, tag_id) > (%s,"
        " %s, %s) ORDER BY userid, external_userid, tag_id LIMIT %s",
        (not after, *(after or ("", "", "")), limit)).fetchall()
    expiries = [{"userid": str(u), "external_userid": str(c), "tag_id": str(t),
                 "due_at": round(float(str(due)), 3), "rule": str(rule), "batch_id": str(batch)}
                for u, c, t, due, rule, batch in rows]
    last = expiries[-1] if len(expiries) == limit else None
    return {"expiries": expiries,
            "next_after": f"{last['userid']}/{last['external_userid']}/{last['tag_id']}"
            if last else None}
