"""The team server's HTTP face: WeCom's paths for the relay, `/tagdesk/v1/` for logins.

Answers are WeCom-shaped JSON (`errcode`, `errmsg`, ...). Blocking work (PostgreSQL, the
WeCom transport) runs in Starlette's thread pool. Nothing here logs a query string, a
body or a token.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
import psycopg_pool
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from desktop import __version__
from desktop.server import (
    autotag_reviews,
    customer_scope,
    identity,
    journal_api,
    reconcile_job,
    team_chats,
    team_events,
    team_expiries,
)
from desktop.server.approval_desk import build_governance
from desktop.server.callbacks import CallbackEvent, CallbackReceiver, callback_routes
from desktop.server.customer_scope import CustomerScope
from desktop.server.db_health import DatabaseHealth
from desktop.server.identity import Caller, IdentityRefused
from desktop.server.journal_push import BadWait, JournalPush
from desktop.server.livecode_tags import LiveCodeTags
from desktop.server.pretags import Pretags
from desktop.server.reconcile_now import ReconcileNow
from desktop.server.relay import API, Relay
from desktop.server.request_refused import RequestRefused
from desktop.server.shared_settings import SharedSettings, parse_changes
from desktop.server.team_rules import TeamRules
from desktop.server.write_notes import BadNote, read_note
from desktop.wecom.error_codes import GETTOKEN_PATH
from desktop.wecom.errors import WeComError, WeComNetworkError
from desktop.wecom.transport import CALL_KEY_HEADER, ApiRequest, Effect, WeComTransport

log = logging.getLogger("tagdesk.server")

MAX_BODY_BYTES = 1 << 20
MAX_CALL_KEY = 64
NO_RECIPIENT = 81013
Conn = psycopg.Connection[tuple[object, ...]]


@dataclass(frozen=True)
class TeamSettings:
    corp_id: str
    agent_id: int | None
    admins: frozenset[str]
    sales_see_all: bool = False   # salespeople read the corp's customers, not their own only


class TeamServer:
    """Shared state of one server process: the pool, the one transport and the relay."""

    def __init__(self, pool: psycopg_pool.ConnectionPool[Conn], transport: WeComTransport,
                 settings: TeamSettings, health: DatabaseHealth, process_id: int) -> None:
        self.pool = pool
        self.transport = transport
        self.settings = settings
        self.health = health
        self.relay = Relay(self.connection, transport, process_id)
        self.callbacks: CallbackReceiver | None = None  # WeCom's callbacks, when configured
        self.reconcile: reconcile_job.ReconcileConfig | None = None  # scheduled, when configured
        self.reconcile_now = ReconcileNow(self.connection, None, settings.admins, process_id)
        self.livecodes = LiveCodeTags(self.connection, self.relay)
        self.pretags = Pretags(self.connection, self.relay, transport)
        self.governance = build_governance(self.connection, transport, self.relay,
                                           settings.admins, settings.agent_id)
        self.rules = TeamRules(self.connection, self.governance.actor)
        self.scope = CustomerScope(self.governance.actor, settings.sales_see_all)
        self.relay.scope = self.scope
        self.shared_settings = SharedSettings(self.connection, transport,
                                              self.governance.standing)
        self.journal_push: JournalPush | None = None  # new rows pushed, once listening

    @contextmanager
    def connection(self) -> Iterator[Conn]:
        """A pooled connection; DatabaseDown (503) at once while the database is down."""
        with self.health.connection(self.pool) as conn:
            yield conn

    # -- identity ---------------------------------------------------------------------

    def login_start(self, body: dict[str, Any]) -> dict[str, Any]:
        userid = _text(body, "userid")
        if self.settings.agent_id is None:
            raise RequestRefused(40056, "the team server was started without --agent-id")
        code = identity.new_code()
        with self.connection() as conn, conn.transaction():
            login_id = identity.create_code(conn, userid, code)
        message = {"touser": userid, "msgtype": "text", "agentid": self.settings.agent_id,
                   "text": {"content": identity.code_message(code)}}
        try:
            answer = self.transport.call(
                ApiRequest("POST", "message/send", body=message, effect=Effect.WRITE))
        except WeComError as err:
            if err.errcode == NO_RECIPIENT:  # the only recipient is unknown
                raise RequestRefused(60111, f"userid {userid} not found") from None
            raise RequestRefused(err.errcode, err.errmsg) from None
        if userid in str(answer.get("invaliduser", "")).split("|"):
            raise RequestRefused(60111, f"userid {userid} not found")
        log.info("login code sent to %s", userid)
        return {"errcode": 0, "errmsg": "ok", "login_id": login_id,
                "expires_in": identity.CODE_TTL_S}

    def login_finish(self, body: dict[str, Any]) -> dict[str, Any]:
        login_id, code = _text(body, "login_id"), _text(body, "code")
        device_name = str(body.get("device_name") or "desktop")
        refused: IdentityRefused | None = None
        with self.connection() as conn, conn.transaction():
            try:
                device, token = identity.redeem_code(conn, login_id, code, device_name)
            except IdentityRefused as exc:
                refused = exc  # committed: a wrong code still counts as an attempt
        if refused is not None:
            log.info("login refused: errcode %d", refused.errcode)
            raise refused
        log.info("device %d registered for %s", device.id, device.userid)
        return {"errcode": 0, "errmsg": "ok", "device_id": device.id, "userid": device.userid,
                "device_token": token}

    def gettoken(self, query: dict[str, str]) -> dict[str, Any]:
        corp_id, device_token = query.get("corpid", ""), query.get("corpsecret", "")
        if not corp_id:
            raise RequestRefused(41002, "corpid missing")
        if not secrets.compare_digest(corp_id, self.settings.corp_id):
            raise RequestRefused(40013, "this team server serves another corp")
        if not device_token:
            raise RequestRefused(41004, "corpsecret missing")
        with self.connection() as conn, conn.transaction():
            session, expires_in = identity.open_session(conn, device_token)
        return {"errcode": 0, "errmsg": "ok", "access_token": session, "expires_in": expires_in}

    def authenticate(self, query: dict[str, str]) -> Caller:
        with self.connection() as conn:
            return identity.authenticate(conn, query.get("access_token", ""))

    def whoami(self, query: dict[str, str]) -> dict[str, Any]:
        caller = self.authenticate(query)
        return {"errcode": 0, "errmsg": "ok", "userid": caller.userid,
                "device_id": caller.device_id, "admin": caller.userid in self.settings.admins}

    def journal(self, action: str, query: dict[str, list[str]],
                body: dict[str, Any] | None) -> dict[str, Any]:
        """The team journal for any logged-in user (filters run in PostgreSQL); a salesperson
        reads the rows on their own relations only (`customer_scope`)."""
        caller = self.authenticate({"access_token": _one(query, "access_token")})
        criteria = journal_api.criteria_of(query, body)
        own = self._own(caller)
        if own is not None:
            others = sorted({o for o in criteria.get("owner", []) if o != own})
            if others:
                raise RequestRefused(**customer_scope.others_refused(others))
            criteria["owner"] = [own]
        try:
            return journal_api.answer(self.connection, action, criteria, own)
        except journal_api.JournalRefused as refused:
            raise RequestRefused(40058, str(refused)) from None

    def settings_since(self, query: dict[str, list[str]]) -> dict[str, Any]:
        caller = self.authenticate({"access_token": _one(query, "access_token")})
        since = int(_number(query, "since") or 0)
        return {"errcode": 0, "errmsg": "ok",
                **self.shared_settings.changed_since(caller, since)}

    def settings_write(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        caller = self.authenticate(query)
        saved = self.shared_settings.write(caller, parse_changes(body, caller))
        return {"errcode": 0, "errmsg": "ok", **saved}

    def chats_push(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        caller = self.authenticate(query)
        owner = self._own(caller)
        with self.connection() as conn, conn.transaction():
            return {"errcode": 0, "errmsg": "ok",
                    **team_chats.push(conn, caller.userid, body, owner)}

    def chats_page(self, query: dict[str, list[str]]) -> dict[str, Any]:
        """The team's chats; a salesperson's own relations' only (`customer_scope`)."""
        owner = self._own(self.authenticate({"access_token": _one(query, "access_token")}))
        customers = query.get("customer", [])
        if len(customers) > customer_scope.MAX_CUSTOMERS:
            raise RequestRefused(40058, f"at most {customer_scope.MAX_CUSTOMERS} customers a page")
        with self.connection() as conn:
            return {"errcode": 0, "errmsg": "ok", **team_chats.page(
                conn, int(_number(query, "after_id") or 0),
                int(_number(query, "limit") or team_chats.DEFAULT_PAGE), owner, customers)}

    def _own(self, caller: Caller) -> str | None:
        """Whose customers the caller reaches: their own userid for a salesperson."""
        try:
            return self.scope.own(caller)
        except WeComError as err:
            raise RequestRefused(**customer_scope.unreadable(err)) from None

    def autotag_reviews(self, method: str, query: dict[str, list[str]],
                        body: dict[str, Any]) -> dict[str, Any]:
        """Verdicts for any logged-in user; a salesperson reads those on their own relations
        only (`customer_scope`)."""
        caller = self.authenticate({"access_token": _one(query, "access_token")})
        owner = self._own(caller) if method == "GET" else None
        with self.connection() as conn, conn.transaction():
            if method == "GET":
                return {"errcode": 0, "errmsg": "ok", **autotag_reviews.page(
                    conn, int(_number(query, "after_id") or 0),
                    int(_number(query, "limit") or autotag_reviews.DEFAULT_PAGE), owner)}
            return {"errcode": 0, "errmsg": "ok", **autotag_reviews.record(conn, caller, body)}

    def governance_call(self, action: str, method: str, query: dict[str, str],
                        body: dict[str, Any]) -> dict[str, Any]:
        return self.governance.handle(self.authenticate(query), action, method, body)

    def livecodes_call(self, method: str, query: dict[str, str],
                       body: dict[str, Any]) -> dict[str, Any]:
        return self.livecodes.answer(self.authenticate(query), method, body)

    def pretags_call(self, method: str, query: dict[str, str],
                     body: dict[str, Any]) -> dict[str, Any]:
        return self.pretags.answer(self.authenticate(query), method, body)

    def reconcile_status(self, query: dict[str, str]) -> dict[str, Any]:
        self.authenticate(query)
        with self.connection() as conn:
            return reconcile_job.status(conn, self.reconcile)

    def reconcile_run(self, query: dict[str, str]) -> dict[str, Any]:
        started = self.reconcile_now.start(self.authenticate(query))
        return {"errcode": 0, "errmsg": "ok", **started}

    def rules_call(self, verb: str, method: str, query: dict[str, str],
                   body: dict[str, Any]) -> dict[str, Any]:
        return self.rules.answer(self.authenticate(query), verb, method, query, body)

    def contact_added(self, event: CallbackEvent) -> None:
        """A relation's callback was handled: its live code's tags and pre-tags, if any."""
        self.livecodes.apply(event)
        self.pretags.apply(event)

    def relay_call(self, path: str, method: str, query: dict[str, str],
                   body: dict[str, Any] | None, headers: Mapping[str, str]) -> dict[str, Any]:
        api = API.get(path)
        if api is None:
            raise RequestRefused(48002, f"api forbidden: {path} is not relayed")
        if method != api.method:
            raise RequestRefused(43001 if api.method == "GET" else 43002, f"{api.method} required")
        caller = self.authenticate(query)
        try:
            note = read_note(headers)
        except BadNote as exc:
            raise RequestRefused(47001, str(exc)) from None
        params = {k: v for k, v in query.items() if k != "access_token"}
        call_key = headers.get(CALL_KEY_HEADER, "")[:MAX_CALL_KEY] or None
        return self.relay.forward(caller, path, params, body, note, call_key)


def _one(query: dict[str, list[str]], key: str) -> str:
    values = query.get(key) or [""]
    return values[-1]


def _number(query: dict[str, list[str]], key: str) -> float | None:
    text = _one(query, key)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise RequestRefused(40058, f"{key} must be a number") from None


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RequestRefused(40063, f"{key} is required")
    return value.strip()


async def _json_body(request: Request, limit: int = MAX_BODY_BYTES) -> dict[str, Any]:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise RequestRefused(47001, "request body too large", status=413)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestRefused(47001, "request body too large", status=413)
        chunks.append(chunk)
    try:
        value = json.loads(b"".join(chunks).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise RequestRefused(47001, "request body is not JSON") from None
    if not isinstance(value, dict):
        raise RequestRefused(47001, "request body is not a JSON object")
    return value


def _multi(request: Request) -> dict[str, list[str]]:
    query: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        query.setdefault(key, []).append(value)
    return query


Handler = Callable[[Request], Awaitable[dict[str, Any]]]


def _answering(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """WeCom-shaped JSON for answers, refusals and the faults a desktop should retry."""

    async def endpoint(request: Request) -> Response:
        try:
            return JSONResponse(await handler(request))
        except RequestRefused as refusal:
            return JSONResponse({"errcode": refusal.errcode, "errmsg": refusal.errmsg},
                                status_code=refusal.status)
        except WeComNetworkError as err:
            return JSONResponse({"errcode": -1, "errmsg": f"WeCom unreachable from the team"
                                 f" server: {err.reason.value}"}, status_code=502)
        except (psycopg.OperationalError, psycopg_pool.PoolTimeout) as exc:
            log.error("team database unavailable: %s", type(exc).__name__)
            return JSONResponse({"errcode": -1, "errmsg": "team database unavailable, retry"},
                                status_code=503)

    return endpoint


def build_app(server: TeamServer) -> Starlette:
    async def root(request: Request) -> dict[str, Any]:
        return {"errcode": 0, "errmsg": "ok", "server": "TagDesk team server",
                "version": __version__}

    async def info(request: Request) -> dict[str, Any]:
        limits = server.transport.limits    # the corp's one WeCom budget, shared by desktops
        return {"errcode": 0, "errmsg": "ok", "corp_id": server.settings.corp_id,
                "agent_id": server.settings.agent_id,
                "calls_per_minute": limits.calls_per_minute,
                "max_concurrency": limits.max_concurrency}

    async def login_start(request: Request) -> dict[str, Any]:
        body = await _json_body(request)
        return await run_in_threadpool(server.login_start, body)

    async def login_finish(request: Request) -> dict[str, Any]:
        body = await _json_body(request)
        return await run_in_threadpool(server.login_finish, body)

    async def whoami(request: Request) -> dict[str, Any]:
        return await run_in_threadpool(server.whoami, dict(request.query_params))

    async def journal(request: Request) -> dict[str, Any]:
        body = await _json_body(request) if request.method == "POST" else None
        return await run_in_threadpool(server.journal, request.path_params.get("action", ""),
                                       _multi(request), body)

    async def journal_wait(request: Request) -> dict[str, Any]:
        await run_in_threadpool(server.authenticate, dict(request.query_params))
        if server.journal_push is None:
            raise RequestRefused(40058, "this team server does not push journal rows")
        try:
            return await server.journal_push.wait(request.query_params)
        except BadWait as bad:
            raise RequestRefused(40058, str(bad)) from None

    async def settings(request: Request) -> dict[str, Any]:
        if request.method == "POST":
            body = await _json_body(request)
            return await run_in_threadpool(server.settings_write, dict(request.query_params),
                                           body)
        return await run_in_threadpool(server.settings_since, _multi(request))

    async def chats(request: Request) -> dict[str, Any]:
        if request.method == "POST":
            body = await _json_body(request, team_chats.MAX_BODY_BYTES)
            return await run_in_threadpool(server.chats_push, dict(request.query_params), body)
        return await run_in_threadpool(server.chats_page, _multi(request))

    async def reviews(request: Request) -> dict[str, Any]:
        body = await _json_body(request, 4 << 20) if request.method == "POST" else {}
        return await run_in_threadpool(server.autotag_reviews, request.method, _multi(request),
                                       body)

    async def governance(request: Request) -> dict[str, Any]:
        body = await _json_body(request) if request.method == "POST" else {}
        return await run_in_threadpool(server.governance_call, request.path_params["action"],
                                       request.method, dict(request.query_params), body)

    async def livecodes(request: Request) -> dict[str, Any]:
        body = await _json_body(request) if request.method == "POST" else {}
        return await run_in_threadpool(server.livecodes_call, request.method,
                                       dict(request.query_params), body)

    async def pretags(request: Request) -> dict[str, Any]:
        body = await _json_body(request) if request.method == "POST" else {}
        return await run_in_threadpool(server.pretags_call, request.method,
                                       dict(request.query_params), body)

    async def reconcile_status(request: Request) -> dict[str, Any]:
        return await run_in_threadpool(server.reconcile_status, dict(request.query_params))

    async def reconcile_run(request: Request) -> dict[str, Any]:
        return await run_in_threadpool(server.reconcile_run, dict(request.query_params))

    async def rules(request: Request) -> dict[str, Any]:
        body = await _json_body(request) if request.method == "POST" else {}
        return await run_in_threadpool(server.rules_call, request.path_params.get("verb", ""),
                                       request.method, dict(request.query_params), body)

    async def cgi(request: Request) -> dict[str, Any]:
        path = request.path_params["path"]
        query = dict(request.query_params)
        if path == GETTOKEN_PATH:
            return await run_in_threadpool(server.gettoken, query)
        body = await _json_body(request) if request.method == "POST" else None
        return await run_in_threadpool(server.relay_call, path, request.method, query, body,
                                       request.headers)

    return Starlette(routes=[
        Route("/", _answering(root), methods=["GET"]),
        Route("/tagdesk/v1/info", _answering(info), methods=["GET"]),
        Route("/tagdesk/v1/login/start", _answering(login_start), methods=["POST"]),
        Route("/tagdesk/v1/login/finish", _answering(login_finish), methods=["POST"]),
        Route("/tagdesk/v1/whoami", _answering(whoami), methods=["GET"]),
        Route("/tagdesk/v1/journal/wait", _answering(journal_wait), methods=["GET"]),
        Route("/tagdesk/v1/journal", _answering(journal), methods=["GET", "POST"]),
        Route("/tagdesk/v1/journal/{action}", _answering(journal), methods=["GET", "POST"]),
        Route("/tagdesk/v1/settings", _answering(settings), methods=["GET", "POST"]),
        Route("/tagdesk/v1/chats", _answering(chats), methods=["GET", "POST"]),
        Route("/tagdesk/v1/events", team_events.events_endpoint(server.connection,
                                                                  server.scope),
              methods=["GET", "POST"]),
        Route("/tagdesk/v1/expiries", team_expiries.expiries_endpoint(server.connection,
                                                                      server.relay),
              methods=["GET", "POST"]),
        Route("/tagdesk/v1/autotag/reviews", _answering(reviews), methods=["GET", "POST"]),
        Route("/tagdesk/v1/governance/{action:path}", _answering(governance),
              methods=["GET", "POST"]),
        Route("/tagdesk/v1/livecodes", _answering(livecodes), methods=["GET", "POST"]),
        Route("/tagdesk/v1/pretags", _answering(pretags), methods=["GET", "POST"]),
        Route("/tagdesk/v1/reconcile/status", _answering(reconcile_status), methods=["GET"]),
        Route("/tagdesk/v1/reconcile/run", _answering(reconcile_run), methods=["POST"]),
        Route("/tagdesk/v1/rules", _answering(rules), methods=["GET"]),
        Route("/tagdesk/v1/rules/{verb}", _answering(rules), methods=["GET", "POST"]),
        Route("/cgi-bin/{path:path}", _answering(cgi), methods=["GET", "POST"]),
        *callback_routes(server.callbacks),
    ])
