"""One API call from raw request to reply: the checks WeCom makes, in WeCom's order.

1. Path: `/cgi-bin/<api>`; an API the sandbox does not know answers errcode 48002
   ("api forbidden") with HTTP 200, anything outside /cgi-bin/ an HTTP 404.
2. Method: 43001 (GET required) / 43002 (POST required).
3. Trusted IPs, when the app has a list (gettoken included): a caller outside it answers 60020,
   whose errmsg names the address the call came from.
4. Token (all but gettoken): 41001 missing, 40014 unknown or invalidated, 42001 expired.
5. Quota per (corp, API) minute window → 45009 and a block (`quota.py`).
6. Fault injection on business calls (`faults.py`).
7. Body (POST): must be UTF-8 JSON object text. Non-ASCII characters written as `\\uXXXX`
   escapes answer 40033, as real WeCom does, so clients must send `ensure_ascii=False`;
   invalid UTF-8 is 40033 too, malformed JSON (or an empty body) 47001.
8. mark_tag only: the concurrency gate (45033).
9. Latency, then the handler in one SQLite transaction (rolled back on any error).
10. A held API (`hold_answers`, tests only) answers once the hold is released: the call has
    taken effect, its answer is late at a moment the test chooses.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from desktop.sandbox import tokens
from desktop.sandbox.api_call import ApiCall
from desktop.sandbox.concurrency import ConcurrencyGate
from desktop.sandbox.config import SandboxConfig
from desktop.sandbox.errors import ApiError, format_errmsg
from desktop.sandbox.faults import FaultInjector, FaultKind
from desktop.sandbox.quota import QuotaLimiter
from desktop.sandbox.routes import ROUTES
from desktop.sandbox.state import SandboxState
from desktop.sandbox.stats import SandboxStats

log = logging.getLogger("tagdesk.sandbox")

API_PREFIX = "/cgi-bin/"
JSON_TYPE = "application/json; charset=UTF-8"
BAD_GATEWAY_HTML = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>stgw</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
_ESCAPED_CHAR = re.compile(rb"(?<!\\)(?:\\\\)*\\u([0-9a-fA-F]{4})")


HOLD_AT_MOST_S = 60.0   # a hold never released stops holding after this


class AnswerHold:
    """The answers of one API held back after the calls took effect, until `release`."""

    def __init__(self) -> None:
        self.applied = threading.Event()   # a call took effect and waits for its answer
        self._released = threading.Event()

    def release(self) -> None:
        self._released.set()

    def wait(self) -> None:
        self.applied.set()
        self._released.wait(HOLD_AT_MOST_S)


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str
    drop: bool = False


def parse_json_body(raw: bytes) -> dict[str, Any]:
    """The request body as a JSON object, with WeCom's 40033 / 47001 rules."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(40033, "body is not UTF-8") from exc
    for match in _ESCAPED_CHAR.finditer(raw):
        if int(match.group(1), 16) > 0x7F:
            raise ApiError(40033)
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise ApiError(47001) from exc
    if not isinstance(value, dict):
        raise ApiError(47001)
    return value


def _json_reply(payload: dict[str, Any]) -> Reply:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return Reply(200, body, JSON_TYPE)


class ApiDispatcher:
    def __init__(self, state: SandboxState, stats: SandboxStats, config: SandboxConfig) -> None:
        self._state = state
        self._stats = stats
        self._config = config
        self._latency_s = config.latency_ms / 1000
        self.quota = QuotaLimiter(config.quota_per_min, config.quota_block_s)
        self.faults = FaultInjector(config.fault_rate, config.seed)
        self._gate = ConcurrencyGate(config.mark_tag_concurrency)
        self._holds: dict[str, AnswerHold] = {}
        self._trusted = frozenset(config.trusted_ips)

    def set_trusted_ips(self, addresses: Iterable[str]) -> None:
        """The app's trusted IPs from now on (none: every caller is trusted)."""
        self._trusted = frozenset(addresses)

    def hold_answers(self, api: str) -> AnswerHold:
        """From now on each call of `api` takes effect, then waits to answer until the hold is
        released."""
        hold = self._holds[api] = AnswerHold()
        return hold

    def set_latency(self, latency_ms: float) -> None:
        self._latency_s = max(0.0, latency_ms) / 1000

    def handle(self, method: str, target: str, body: bytes, client_ip: str) -> Reply:
        split = urlsplit(target)
        if not split.path.startswith(API_PREFIX):
            return Reply(404, b"404 page not found", "text/plain; charset=utf-8")
        api = split.path[len(API_PREFIX) :]
        query = {key: values[0] for key, values in parse_qs(split.query).items()}
        self._stats.record_call(api)
        self._stats.enter(api)
        try:
            return self._answer(method, api, query, body, client_ip)
        finally:
            self._stats.leave(api)

    def _answer(
        self, method: str, api: str, query: dict[str, str], body: bytes, client_ip: str
    ) -> Reply:
        fault: FaultKind | None = None
        waited = False
        try:
            route = ROUTES.get(api)
            if route is None:
                raise ApiError(48002, f"api not found: {api}")
            if method != route.method:
                raise ApiError(43001 if route.method == "GET" else 43002)
            trusted = self._trusted
            if trusted and client_ip not in trusted:
                raise ApiError(60020)
            now = time.time()
            if route.needs_token:
                with self._state.transaction() as conn:
                    tokens.check_token(conn, query.get("access_token", ""), now)
            if not self.quota.admit((self._state.identity.corp_id, api)):
                raise ApiError(45009)
            if route.needs_token:
                fault = self.faults.draw()
            if fault is not None:
                self._stats.record_fault(fault.value)
            if fault is FaultKind.BUSY:
                raise ApiError(-1)
            if fault is FaultKind.FREQ:
                raise ApiError(45009)
            if fault is FaultKind.HTTP_502:
                self._wait()
                return Reply(502, BAD_GATEWAY_HTML, "text/html")
            payload = parse_json_body(body) if method == "POST" else {}
            with self._gate_for(route.gated, payload):
                self._wait()
                waited = True
                with self._state.transaction() as conn:
                    call = ApiCall(conn, query, payload, now, self._state.identity, self._config)
                    result = route.handler(call)
            hold = self._holds.get(api)
            if hold is not None:
                hold.wait()
            reply = _json_reply({"errcode": 0, "errmsg": "ok", **result})
        except ApiError as error:
            if not waited:
                self._wait()
            self._stats.record_error(error.errcode)
            message = format_errmsg(error, client_ip)
            reply = _json_reply({"errcode": error.errcode, "errmsg": message, **error.fields})
        except Exception:
            log.exception("sandbox failed on %s", api)
            reply = Reply(500, b"internal sandbox error", "text/plain; charset=utf-8")
        if fault is FaultKind.DROP:
            return Reply(0, b"", "", drop=True)
        return reply

    def _gate_for(self, gated: bool, payload: dict[str, Any]) -> AbstractContextManager[None]:
        external_userid = payload.get("external_userid")
        if gated and isinstance(external_userid, str) and external_userid:
            return self._gate.enter(external_userid)
        return nullcontext()

    def _wait(self) -> None:
        if self._latency_s > 0:
            time.sleep(self._latency_s)
