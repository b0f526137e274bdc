"""Behaviour events on the team server: pushed by outside systems with a per-source key (or by
a logged-in desktop), stored in PostgreSQL, paged to desktops for their rules.

`POST /tagdesk/v1/events` with `Authorization: Bearer <key>` (or `X-TagDesk-Event-Key: <key>`)
takes `{"events": [...]}`, each event in the shape `tagdesk events import` reads. A request is
all-or-nothing: a malformed event refuses the whole body (400, naming the event), a body over
`MAX_BODY_BYTES` or `MAX_EVENTS` is refused (413), an unknown or revoked key gets 401 and one
log line, and a key over its requests per minute gets 429 with `Retry-After`. Events are
stored once (`event_key`) with the source's name; a desktop's push with `?access_token=` is
recorded as `desktop:<userid>`. `GET /tagdesk/v1/events?access_token=…&after_id=N` pages
them by id for desktops (`&customer=ID`, repeated, for some customers only); a salesperson gets
the events of the customers they follow only (`customer_scope`), and none while the server's
relation snapshot is not filled yet.

Sources are made by `tagdesk server event-source add NAME`: the key is shown once and only its
SHA-256 is kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
import psycopg_pool
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from desktop.domain.events import BadEvent, Event, parse_event
from desktop.server import customer_scope, identity, paging, snapshot
from desktop.server.customer_scope import CustomerScope
from desktop.wecom.errors import WeComError, WeComNetworkError

log = logging.getLogger("tagdesk.server.events")

Conn = psycopg.Connection[tuple[object, ...]]
Connect = Callable[[], AbstractContextManager[Conn]]

MIGRATION = """
CREATE TABLE event_source (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    key_hash text NOT NULL UNIQUE,
    per_minute integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);
CREATE TABLE event_rate (
    source_id integer NOT NULL REFERENCES event_source(id),
    minute bigint NOT NULL,
    requests integer NOT NULL,
    PRIMARY KEY (source_id, minute)
);
CREATE TABLE team_event (
    id bigserial PRIMARY KEY,
    event_key text NOT NULL UNIQUE,
    ts double precision NOT NULL,
    external_userid text NOT NULL,
    userid text NOT NULL,
    type text NOT NULL,
    name text NOT NULL,
    detail text NOT NULL,
    value double precision,
    source text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX team_event_customer ON team_event (external_userid, type, ts);
"""

KEY_PREFIX = "tdk_ev_"
KEY_HEADER = "x-tagdesk-event-key"
DEFAULT_PER_MINUTE = 600
MAX_EVENTS = 5_000
MAX_BODY_BYTES = 4 << 20
DEFAULT_PAGE = 2_000
MAX_PAGE = 5_000
PROBLEMS_NAMED = 3
BAD_KEY, RATE_LIMITED, BAD_BODY = 40001, 45009, 47001
RATE_ROWS_KEPT_MINUTES = 10


@dataclass(frozen=True)
class EventSource:
    id: int
    name: str
    per_minute: int
    created_at: datetime
    revoked_at: datetime | None

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "per_minute": self.per_minute,
                "created_at": self.created_at.isoformat(),
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None}


class SourceRefused(Exception):
    """An admin request on sources that cannot be done; `zh` / `en` say why."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


class Refused(Exception):
    """Answer the request with this HTTP status and JSON error."""

    def __init__(self, status: int, errcode: int, errmsg: str, retry_after: int = 0) -> None:
        super().__init__(errmsg)
        self.status, self.errcode, self.errmsg, self.retry_after = \
            status, errcode, errmsg, retry_after


# -- sources (admin commands) ------------------------------------------------------------------


def add_source(conn: Conn, name: str, per_minute: int = DEFAULT_PER_MINUTE) -> str:
    """A new source and its key (returned once; only its hash is stored)."""
    name = name.strip()
    if not name or len(name) > 64 or not name.isprintable():
        raise SourceRefused("来源名须为 1–64 个可打印字符", "a source name is 1-64 printable"
                                                        " characters")
    if name.startswith("desktop:"):
        raise SourceRefused("「desktop:」开头的名字留给桌面端导入",
                            "names starting with desktop: are kept for desktop imports")
    if per_minute < 1:
        raise SourceRefused("每分钟请求数须大于 0", "requests per minute must be positive")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    try:
        with conn.transaction():
            conn.execute("INSERT INTO event_source (name, key_hash, per_minute)"
                         " VALUES (%s, %s, %s)", (name, _digest(key), per_minute))
    except psycopg.errors.UniqueViolation:
        raise SourceRefused(f"已有名为「{name}」的来源", f"a source named {name!r} exists"
                            ) from None
    return key


def list_sources(conn: Conn) -> list[EventSource]:
    return [EventSource(int(str(r[0])), str(r[1]), int(str(r[2])), _stamp(r[3]),
                        None if r[4] is None else _stamp(r[4]))
            for r in conn.execute("SELECT id, name, per_minute, created_at, revoked_at"
                                  " FROM event_source ORDER BY id")]


def revoke_source(conn: Conn, name: str) -> None:
    with conn.transaction():
        done = conn.execute("UPDATE event_source SET revoked_at = now() WHERE name = %s"
                            " AND revoked_at IS NULL", (name,)).rowcount
    if not done:
        raise SourceRefused(f"没有名为「{name}」的有效来源", f"no active source named {name!r}")


def set_limit(conn: Conn, name: str, per_minute: int) -> None:
    """A source's requests per minute, from its next request on."""
    if per_minute < 1:
        raise SourceRefused("每分钟请求数须大于 0", "requests per minute must be positive")
    with conn.transaction():
        done = conn.execute("UPDATE event_source SET per_minute = %s WHERE name = %s",
                            (per_minute, name)).rowcount
    if not done:
        raise SourceRefused(f"没有名为「{name}」的来源", f"no source named {name!r}")


# -- storing and paging ------------------------------------------------------------------------


def check_events(body: dict[str, Any]) -> list[Event]:
    """Every event of the body, or Refused naming the bad ones (nothing is stored then)."""
    records = body.get("events")
    if not isinstance(records, list):
        raise Refused(400, BAD_BODY, "events must be a list")
    if len(records) > MAX_EVENTS:
        raise Refused(413, BAD_BODY, f"at most {MAX_EVENTS} events per request")
    found, problems = [], []
    for index, record in enumerate(records):
        try:
            found.append(parse_event(record))
        except BadEvent as bad:
            problems.append(f"event {index}: {bad.en}")
    if problems:
        raise Refused(400, BAD_BODY, f"{len(problems)} invalid events, nothing stored"
                                     f" ({'; '.join(problems[:PROBLEMS_NAMED])})")
    return found


def store(conn: Conn, events: list[Event], source: str) -> int:
    """Insert the events not stored yet (one transaction is the caller's)."""
    stored = 0
    with conn.cursor() as cursor:
        for e in events:
            cursor.execute(
                "INSERT INTO team_event (event_key, ts, external_userid, userid, type, name,"
                " detail, value, source) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (event_key) DO NOTHING",
                (e.event_key, e.ts, e.external_userid, e.userid, e.type, e.name, e.detail,
                 e.value, source))
            stored += cursor.rowcount
    return stored


def page(conn: Conn, after_id: int, limit: int, owner: str | None = None,
         customers: list[str] | None = None) -> dict[str, Any]:
    """Events with an id above `after_id`, oldest first; of the customers `owner` follows only
    when given (a salesperson), none until the relation snapshot is filled; of `customers`
    only when given."""
    if owner is not None and not snapshot.has_baseline(conn):
        return {"events": [], "next_after_id": None,
                "withheld": customer_scope.withheld("暂不提供客户的行为事件",
                                                          "gives you no behaviour events")}
    return paging.after_id(conn, "team_event", {
        "event_key": "event_key", "time": "ts", "external_userid": "external_userid",
        "userid": "userid", "type": "type", "name": "name", "detail": "detail",
        "value": "value", "source": "source"}, "events", after_id, limit, MAX_PAGE,
        *customer_scope.paged_where(customer_scope.SQL_FOLLOWED_CUSTOMER, owner, customers or []))


def prune(conn: Conn, keep_days: int) -> int:
    """Delete the events dated more than `keep_days` days ago; returns how many."""
    return conn.execute("DELETE FROM team_event WHERE ts < extract(epoch FROM now())"
                        " - %s * 86400.0", (keep_days,)).rowcount


def retention_job(connection: Connect, keep_days: int) -> Callable[[], int]:
    """The `event-retention` job's function: prune, and log what it deleted."""

    def run() -> int:
        with connection() as conn:
            deleted = prune(conn, keep_days)
        if deleted:
            log.info("deleted %d events older than %d days", deleted, keep_days)
        return deleted

    return run


def by_customer(conn: Conn, kinds: Sequence[str] | None) -> dict[str, tuple[Event, ...]]:
    """Each customer's events of these types (all for None), oldest first, in one query: what
    the server's own rule runs read."""
    sql = ("SELECT event_key, ts, external_userid, userid, type, name, detail, value"
           " FROM team_event")
    params: list[object] = []
    if kinds is not None:
        sql += " WHERE type = ANY(%s)"
        params.append(list(kinds))
    found: dict[str, list[Event]] = defaultdict(list)
    for key, ts, customer, userid, kind, name, detail, value in conn.execute(
            sql + " ORDER BY ts, id", params):
        found[str(customer)].append(Event(
            str(key), float(str(ts)), str(customer), str(userid), str(kind), str(name),
            str(detail), None if value is None else float(str(value))))
    return {customer: tuple(events) for customer, events in found.items()}


# -- the endpoint ------------------------------------------------------------------------------


def events_endpoint(connection: Connect, scope: CustomerScope) -> Callable[[Request], Any]:
    """The Starlette endpoint of `/tagdesk/v1/events` over the server's pooled connections;
    `scope` says whose customers' events a reader gets."""

    async def endpoint(request: Request) -> JSONResponse:
        try:
            if request.method == "GET":
                answer = await run_in_threadpool(_page, connection, scope, request)
            else:
                answer = await _push(connection, request)
            return JSONResponse({"errcode": 0, "errmsg": "ok", **answer})
        except Refused as refused:
            headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
            return JSONResponse({"errcode": refused.errcode, "errmsg": refused.errmsg},
                                status_code=refused.status, headers=headers)
        except WeComNetworkError as err:
            return JSONResponse({"errcode": -1, "errmsg": f"WeCom unreachable from the team"
                                 f" server: {err.reason.value}"}, status_code=502)
        except (psycopg.OperationalError, psycopg_pool.PoolTimeout) as exc:
            log.error("team database unavailable: %s", type(exc).__name__)
            return JSONResponse({"errcode": -1, "errmsg": "team database unavailable, retry"},
                                status_code=503)

    return endpoint


async def _push(connection: Connect, request: Request) -> dict[str, Any]:
    key = _key(request)
    token = request.query_params.get("access_token", "")
    if key:
        source = await run_in_threadpool(_admit, connection, key,
                                          request.client.host if request.client else "-")
    elif token:
        source = "desktop:" + (await run_in_threadpool(_caller, connection, token))
    else:
        raise Refused(401, BAD_KEY, "an event key is required: Authorization: Bearer <key>"
                                    " or X-TagDesk-Event-Key")
    events = check_events(await _body(request))
    return await run_in_threadpool(_store, connection, events, source)


def _store(connection: Connect, events: list[Event], source: str) -> dict[str, Any]:
    with connection() as conn, conn.transaction():
        stored = store(conn, events, source)
    return {"received": len(events), "stored": stored, "duplicates": len(events) - stored,
            "source": source}


def _page(connection: Connect, scope: CustomerScope, request: Request) -> dict[str, Any]:
    query = request.query_params
    try:
        after_id = int(query.get("after_id") or 0)
        limit = int(query.get("limit") or DEFAULT_PAGE)
    except ValueError:
        raise Refused(400, 40058, "after_id and limit must be whole numbers") from None
    customers = query.getlist("customer")
    if len(customers) > customer_scope.MAX_CUSTOMERS:
        raise Refused(400, 40058, f"at most {customer_scope.MAX_CUSTOMERS} customers a page")
    with connection() as conn:
        caller = _authenticated(conn, query.get("access_token", ""))
    try:
        owner = scope.own(caller)
    except WeComError as err:
        raise Refused(200, **customer_scope.unreadable(err)) from None
    with connection() as conn:
        return page(conn, after_id, limit, owner, customers)


def _caller(connection: Connect, token: str) -> str:
    with connection() as conn:
        return _authenticated(conn, token).userid


def _authenticated(conn: Conn, token: str) -> identity.Caller:
    try:
        return identity.authenticate(conn, token)
    except identity.IdentityRefused as refused:
        raise Refused(200, refused.errcode, refused.errmsg) from None


def _admit(connection: Connect, key: str, client: str) -> str:
    """The key's source name once its request is counted, or 401 / 429."""
    now = time.time()
    minute = int(now // 60)
    with connection() as conn, conn.transaction():
        row = conn.execute("SELECT id, name, per_minute FROM event_source WHERE key_hash = %s"
                           " AND revoked_at IS NULL", (_digest(key),)).fetchone()
        if row is None:
            log.warning("event push refused from %s: unknown or revoked key", client)
            raise Refused(401, BAD_KEY, "unknown or revoked event key")
        source_id, name, per_minute = int(str(row[0])), str(row[1]), int(str(row[2]))
        counted = conn.execute(
            "INSERT INTO event_rate (source_id, minute, requests) VALUES (%s, %s, 1)"
            " ON CONFLICT (source_id, minute) DO UPDATE SET requests = event_rate.requests + 1"
            " RETURNING requests", (source_id, minute)).fetchone()
        conn.execute("DELETE FROM event_rate WHERE source_id = %s AND minute < %s",
                     (source_id, minute - RATE_ROWS_KEPT_MINUTES))
    if counted is not None and int(str(counted[0])) > per_minute:
        raise Refused(429, RATE_LIMITED, f"more than {per_minute} requests per minute for"
                                         f" source {name}, retry later",
                      retry_after=max(1, math.ceil((minute + 1) * 60 - now)))
    return name


def _key(request: Request) -> str:
    given = request.headers.get(KEY_HEADER, "").strip()
    auth = request.headers.get("authorization", "")
    if not given and auth[:7].lower() == "bearer ":
        given = auth[7:].strip()
    return given


async def _body(request: Request) -> dict[str, Any]:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise Refused(413, BAD_BODY, f"request body over {MAX_BODY_BYTES} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise Refused(413, BAD_BODY, f"request body over {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    try:
        value = json.loads(b"".join(chunks).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Refused(400, BAD_BODY, "request body is not JSON") from None
    if not isinstance(value, dict):
        raise Refused(400, BAD_BODY, "request body is not a JSON object")
    return value


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _stamp(value: object) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(value)
    return value
