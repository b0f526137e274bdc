"""HTTP exchange with WeCom: access token, retries, rate limit, counters, redacted logging.

Every request TagDesk sends to WeCom goes through :meth:`WeComTransport.call`, so the
network policy lives here and only here. One transport serves a corp for the whole process
(:mod:`desktop.wecom.registry`); each operation calls it through its own cheap view, which
brings its cancel event and a :class:`CallStats` (its own counts, and a listener told
whenever a call waits: a 45009 pause or a retry).
"""

from __future__ import annotations

import enum
import json
import logging
import os
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from desktop.wecom.error_codes import GETTOKEN_PATH, ErrorKind
from desktop.wecom.errors import NetworkReason, WeComError, WeComNetworkError
from desktop.wecom.ratelimit import Clock, MonotonicClock, RateLimiter, RateLimits, backoff_delay
from desktop.wecom.redaction import MASK, install_urllib3_redaction, redact

if TYPE_CHECKING:  # requests loads with the first HTTP session (a fifth of a GUI start's imports)
    import requests

log = logging.getLogger("tagdesk.wecom")

# Refresh a token this long before WeCom says it expires (at most a tenth of its lifetime).
TOKEN_REFRESH_EARLY_S = 300.0
_JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}
# Names one logical write on every retry of it, so a TagDesk team server sends it at most
# once however often a lost answer makes the desktop repeat it (WeCom ignores the header).
CALL_KEY_HEADER = "X-TagDesk-Call"


class Effect(enum.Enum):
    """What re-sending a request could do; decides which failures may be retried."""

    READ = "read"  # no effect: retry anything
    IDEMPOTENT_WRITE = "idempotent_write"  # same end state when repeated: retry anything
    WRITE = "write"  # repeating could duplicate (a message, a contact way): retry only
    # failures where the request certainly never reached the server


@dataclass(frozen=True)
class ApiRequest:
    """One logical API call; ``params`` exclude the access token."""

    method: str
    path: str
    params: Mapping[str, str | int] = field(default_factory=dict)
    body: Mapping[str, Any] | None = None
    effect: Effect = Effect.READ
    headers: Mapping[str, str] = field(default_factory=dict)  # extra HTTP headers


class _TransientFailure(Exception):
    """A failed exchange that may succeed when tried again."""

    def __init__(
        self, reason: NetworkReason, *, maybe_sent: bool, status: int | None = None,
        refused: bool = False,
    ) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.maybe_sent = maybe_sent
        self.status = status
        self.refused = refused  # the connection was refused: nothing listens there

    def retries(self, limits: RateLimits) -> int:
        """How often a call failing this way is retried."""
        return min(limits.refused_retries, limits.max_retries) if self.refused else (
            limits.max_retries)


@dataclass(frozen=True)
class WaitNotice:
    """A call is waiting: a 45009 pause (``rate_limit``), the backoff before a retry, or an
    answer that is slow to come (``slow``)."""

    kind: Literal["rate_limit", "retry", "slow"]
    seconds: float  # rate_limit, retry: left before the call goes again; slow: waited so far
    path: str
    attempt: int = 0  # the attempt about to be made (retry)
    attempts: int = 0  # the most attempts a call gets
    reason: tuple[str, str] = ("", "")  # why the last attempt failed (retry): (zh, en)
    timeout_s: float = 0.0  # slow: how long the answer is waited for at most
    team_url: str = ""  # retry, slow: the team server that failed to answer (team mode)

    def sentence(self) -> str:
        """One "中文 / English" line for progress displays."""
        left = max(1, round(self.seconds))
        if self.kind == "rate_limit":
            return (
                f"已被企业微信频率限制暂停，{left} 秒后继续"
                f" / paused by WeCom's frequency limit, resuming in {left} s"
            )
        if self.kind == "slow":
            waited, most = round(self.seconds), round(self.timeout_s)
            if self.team_url:
                return (
                    f"团队服务器已 {waited} 秒未应答 {self.path}（{self.team_url}，最多等待 {most} 秒）"
                    f" / The team server has not answered {self.path} for {waited} s"
                    f" ({self.team_url}, waiting up to {most} s)"
                )
            return (
                f"企业微信已 {waited} 秒未应答 {self.path}（最多等待 {most} 秒）"
                f" / WeCom has not answered {self.path} for {waited} s (waiting up to {most} s)"
            )
        zh, en = self.reason
        if self.team_url:
            return (
                f"团队服务器暂不可用，正在重试…（{self.team_url}，{zh}，"
                f"第 {self.attempt}/{self.attempts} 次）"
                f" / The team server is unavailable; retrying… ({self.team_url}, {en},"
                f" attempt {self.attempt}/{self.attempts})"
            )
        return (
            f"正在重试 {self.path}（{zh}，第 {self.attempt}/{self.attempts} 次）"
            f" / retrying {self.path} ({en}, attempt {self.attempt}/{self.attempts})"
        )


WaitListener = Callable[[WaitNotice], None]
NOTICE_EVERY_S = 1.0  # repeat a running pause's countdown at most this often
SLOW_AFTER_S = 5.0  # an answer awaited this long is reported as slow ...
WATCH_EVERY_S = 1.0  # ... by a watchdog that looks this often


class CallStats:
    """What one view's calls did: requests per path, 45009 pauses waited out; and who to
    tell when a call waits. Thread-safe; the listener runs on the calling thread."""

    def __init__(self, on_wait: WaitListener | None = None) -> None:
        self.on_wait = on_wait
        self._lock = threading.Lock()
        self._calls: Counter[str] = Counter()
        self._pauses: set[int] = set()
        self._told_at = float("-inf")
        self._told_serial = -1
        self._slow_told_at = float("-inf")

    @property
    def api_calls(self) -> int:
        with self._lock:
            return sum(self._calls.values())

    def calls_by_path(self) -> dict[str, int]:
        with self._lock:
            return dict(self._calls)

    @property
    def rate_limit_pauses(self) -> int:
        """Distinct 45009 pauses that held back (or were caused by) this view's calls."""
        with self._lock:
            return len(self._pauses)

    def count(self, path: str) -> None:
        with self._lock:
            self._calls[path] += 1

    def paused(self, serial: int, seconds: float, path: str) -> None:
        """A call of this view is held back by pause ``serial``; tell the listener about a
        new pause at once and about a running one at most every NOTICE_EVERY_S."""
        now = time.monotonic()
        with self._lock:
            self._pauses.add(serial)
            due = serial != self._told_serial or now - self._told_at >= NOTICE_EVERY_S
            if due:
                self._told_serial, self._told_at = serial, now
        if due and self.on_wait is not None:
            self.on_wait(WaitNotice("rate_limit", seconds, path))

    def retrying(self, notice: WaitNotice) -> None:
        if self.on_wait is not None:
            self.on_wait(notice)

    def slow(self, notice: WaitNotice) -> None:
        """An answer is slow to come; told at most every NOTICE_EVERY_S."""
        now = time.monotonic()
        with self._lock:
            due = now - self._slow_told_at >= NOTICE_EVERY_S
            if due:
                self._slow_told_at = now
        if due and self.on_wait is not None:
            self.on_wait(notice)


@dataclass(frozen=True)
class CallContext:
    """Who is calling, for one view of a shared transport: its cancel event (interrupts
    every wait), its counters and wait listener, and its retry policy (retries, backoff,
    45009 pause length, timeouts; default: the transport's limits). The rate budget and
    the concurrency cap always come from the shared limiter. ``team_url`` is set when the
    API base is a TagDesk team server (a team profile): a failure to reach it is then
    worded as the team server's, not WeCom's."""

    cancel: threading.Event | None = None
    stats: CallStats | None = None
    policy: RateLimits | None = None
    team_url: str = ""


_NO_CONTEXT = CallContext()


@dataclass
class _Token:
    value: str
    refresh_at: float


class WeComTransport:
    """Sends :class:`ApiRequest` objects; thread-safe, one instance per (corp, secret)."""

    def __init__(
        self,
        api_base: str,
        corp_id: str,
        secret: str,
        *,
        limits: RateLimits,
        cancel_event: threading.Event | None = None,
        session: requests.Session | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        install_urllib3_redaction()
        self._base = api_base if api_base.endswith("/") else api_base + "/"
        self.host = urlsplit(self._base).netloc or self._base
        self._corp_id = corp_id
        self._secret = secret
        self._clock: Clock = clock if clock is not None else MonotonicClock()
        self._rng = rng if rng is not None else random.Random()
        self.limiter = limiter or RateLimiter(limits, cancel_event=cancel_event, clock=self._clock)
        self._owns_session = session is None
        self._session = session
        self._session_lock = threading.Lock()
        self._token_lock = threading.Lock()
        self._token: _Token | None = None
        self._counter_lock = threading.Lock()
        self._api_calls = 0
        self._calls_by_path: Counter[str] = Counter()
        self._awaited: dict[int, tuple[float, str, CallStats, float, str]] = {}
        self._watchdog: threading.Thread | None = None
        self._closed = threading.Event()

    @property
    def api_calls(self) -> int:
        """HTTP requests sent so far, including gettoken and retries."""
        with self._counter_lock:
            return self._api_calls

    def calls_by_path(self) -> dict[str, int]:
        """HTTP requests sent so far per API path (a snapshot)."""
        with self._counter_lock:
            return dict(self._calls_by_path)

    def close(self) -> None:
        """Stop the slow-answer watchdog; close the HTTP session if this transport made it."""
        self._closed.set()
        with self._session_lock:
            if self._owns_session and self._session is not None:
                self._session.close()

    @property
    def limits(self) -> RateLimits:
        return self.limiter.limits

    def get_token(self, ctx: CallContext = _NO_CONTEXT) -> str:
        """A valid access token: cached, refreshed early, one fetch at a time."""
        with self._token_lock:
            if self._token is not None and self._clock.now() < self._token.refresh_at:
                return self._token.value
            request = ApiRequest(
                "GET", GETTOKEN_PATH, {"corpid": self._corp_id, "corpsecret": self._secret}
            )
            data = self._exchange(request, None, ctx)
            value = data.get("access_token")
            if not isinstance(value, str) or not value:
                raise WeComNetworkError(
                    self.host, GETTOKEN_PATH, NetworkReason.BAD_RESPONSE, attempts=1, status=200,
                    team_url=ctx.team_url,
                )
            expires_in = _positive_float(data.get("expires_in"), 7200.0)
            early = min(TOKEN_REFRESH_EARLY_S, expires_in / 10)
            self._token = _Token(value, self._clock.now() + expires_in - early)
            log.info("access token fetched for %s, valid %.0f s", self.host, expires_in)
            return value

    def call(self, request: ApiRequest, ctx: CallContext = _NO_CONTEXT) -> dict[str, Any]:
        """Send ``request`` with a token; on a token error renew it once and resend once.

        A write carries a call key, the same on each resend: the request's own (a queued
        call's, stable across restarts) or a new one."""
        token = self.get_token(ctx)
        call_key = (request.headers.get(CALL_KEY_HEADER) or uuid.uuid4().hex
                    if request.effect is not Effect.READ else None)
        try:
            return self._exchange(request, token, ctx, call_key)
        except WeComError as err:
            if err.kind is not ErrorKind.TOKEN:
                raise
            log.info("%s answered errcode %s: renewing the access token", request.path, err.errcode)
            self._drop_token(token)
            return self._exchange(request, self.get_token(ctx), ctx, call_key)

    def _drop_token(self, failed: str) -> None:
        """Forget ``failed`` unless another thread already replaced it (single flight)."""
        with self._token_lock:
            if self._token is not None and self._token.value == failed:
                self._token = None

    def _exchange(
        self, request: ApiRequest, token: str | None, ctx: CallContext,
        call_key: str | None = None,
    ) -> dict[str, Any]:
        """Send until WeCom answers for good, retrying transient failures with backoff."""
        limits = ctx.policy or self.limits
        stats = ctx.stats
        attempt = 0
        maybe_applied = False
        while True:
            attempt += 1
            try:
                data, sent_at = self._send_once(request, token, ctx, call_key)
            except _TransientFailure as failure:
                maybe_applied |= failure.maybe_sent and request.effect is not Effect.READ
                resend_unsafe = failure.maybe_sent and request.effect is Effect.WRITE
                if attempt > failure.retries(limits) or resend_unsafe:
                    raise WeComNetworkError(
                        self.host,
                        request.path,
                        failure.reason,
                        attempts=attempt,
                        status=failure.status,
                        may_have_applied=maybe_applied,
                        team_url=ctx.team_url,
                    ) from None
                self._back_off(request.path, _why(failure), attempt, ctx, team=True,
                               retries=failure.retries(limits))
                continue
            errcode = _errcode(data) or 0
            if errcode == 0:
                return data
            error = WeComError(errcode, self._scrub(str(data.get("errmsg", ""))), request.path)
            if attempt > limits.max_retries:
                raise error
            if error.kind is ErrorKind.RATE_LIMITED:
                pause_s = limits.rate_limit_pause_s
                if self.limiter.pause(pause_s, sent_at=sent_at):
                    log.warning(
                        "%s hit the frequency limit (45009): pausing all calls %.1f s",
                        request.path,
                        pause_s,
                    )
                if stats is not None:
                    serial = self.limiter.pause_serial
                    stats.paused(serial, self.limiter.pause_remaining(), request.path)
            elif error.kind in (ErrorKind.RETRYABLE, ErrorKind.CONCURRENCY):
                why = (f"错误码 {errcode}", f"errcode {errcode}")
                self._back_off(request.path, why, attempt, ctx)
            else:
                raise error

    def _back_off(
        self,
        path: str,
        why: tuple[str, str],
        attempt: int,
        ctx: CallContext,
        *,
        team: bool = False,
        retries: int | None = None,
    ) -> None:
        """Wait before retry ``attempt`` of ``retries`` (the policy's by default); ``team``:
        the failure was the API base's own (no answer, HTTP 5xx), said as the team server's
        in team mode."""
        limits = ctx.policy or self.limits
        retries = limits.max_retries if retries is None else retries
        delay = backoff_delay(attempt, limits, self._rng)
        log.warning("%s failed (%s); retry %d/%d in %.2f s", path, why[1], attempt, retries, delay)
        if ctx.stats is not None:
            ctx.stats.retrying(
                WaitNotice("retry", delay, path, attempt + 1, retries + 1, why,
                           team_url=ctx.team_url if team else "")
            )
        self.limiter.sleep(delay, ctx.cancel)

    def _send_once(
        self, request: ApiRequest, token: str | None, ctx: CallContext,
        call_key: str | None = None,
    ) -> tuple[dict[str, Any], float]:
        """One exchange; returns the answer and when the request was sent (limiter clock)."""
        params: dict[str, str | int] = dict(request.params)
        if token is not None:
            params["access_token"] = token
        body: bytes | None = None
        headers: dict[str, str] | None = dict(request.headers) or None
        if request.body is not None:
            body = json.dumps(request.body, ensure_ascii=False).encode("utf-8")
            headers = {**_JSON_HEADERS, **request.headers}
        if call_key is not None:
            headers = {**(headers or {}), CALL_KEY_HEADER: call_key}
        stats = ctx.stats

        def on_pause(serial: int, seconds: float) -> None:
            if stats is not None:
                stats.paused(serial, seconds, request.path)

        with self.limiter.slot(ctx.cancel, on_pause):
            self._count(request.path)
            if stats is not None:
                stats.count(request.path)
            sent_at = self._clock.now()
            started = time.monotonic()
            policy = ctx.policy or self.limits
            key = self._await(request.path, started, stats, policy.read_timeout_s,
                              ctx.team_url)
            try:
                response = self._http(request, params, body, headers, policy)
            finally:
                if key is not None:
                    with self._counter_lock:
                        del self._awaited[key]
        elapsed_ms = (time.monotonic() - started) * 1000
        status = response.status_code
        if status == 429 or status >= 500:
            log.debug(
                "%s %s -> HTTP %d (%.0f ms)", request.method, request.path, status, elapsed_ms
            )
            raise _TransientFailure(
                NetworkReason.SERVER_ERROR, maybe_sent=status != 429, status=status
            )
        data = self._parse(request.path, response, ctx.team_url)
        log.debug(
            "%s %s -> errcode %s (%.0f ms)",
            request.method,
            request.path,
            _errcode(data),
            elapsed_ms,
        )
        return data, sent_at

    def _http(
        self,
        request: ApiRequest,
        params: Mapping[str, str | int],
        body: bytes | None,
        headers: Mapping[str, str] | None,
        policy: RateLimits,
    ) -> requests.Response:
        """One HTTP round trip.

        requests' exceptions quote the URL (token or secret included), so they are turned
        into TagDesk's own exceptions and raised outside the ``except`` block: not even
        ``__context__`` keeps them.
        """
        import requests

        try:
            return self._http_session().request(
                request.method,
                self._base + request.path,
                params=params,
                data=body,
                headers=headers,
                timeout=(policy.connect_timeout_s, policy.read_timeout_s),
            )
        except requests.exceptions.RequestException as exc:
            failure = self._classify(exc, request.path)
        raise failure

    def _http_session(self) -> requests.Session:
        """The HTTP session: the one given, else made at the first request."""
        with self._session_lock:
            if self._session is None:
                self._session = _new_session(self.limits, self._base)
            return self._session

    def _classify(
        self, exc: requests.exceptions.RequestException, path: str
    ) -> _TransientFailure | WeComNetworkError:
        import requests

        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return _TransientFailure(NetworkReason.UNREACHABLE, maybe_sent=False)
        if isinstance(exc, requests.exceptions.Timeout):
            return _TransientFailure(NetworkReason.TIMEOUT, maybe_sent=True)
        if isinstance(exc, requests.exceptions.ConnectionError):
            if _never_connected(exc):
                return _TransientFailure(NetworkReason.UNREACHABLE, maybe_sent=False,
                                         refused=_refused(exc))
            return _TransientFailure(NetworkReason.CONNECTION_LOST, maybe_sent=True)
        if isinstance(exc, requests.exceptions.ChunkedEncodingError):
            return _TransientFailure(NetworkReason.CONNECTION_LOST, maybe_sent=True)
        # A malformed API base (no scheme, bad characters): nothing to retry.
        return WeComNetworkError(self.host, path, NetworkReason.UNREACHABLE, attempts=1)

    def _parse(self, path: str, response: requests.Response, team_url: str) -> dict[str, Any]:
        try:
            data = parse_json(response.content)
        except (UnicodeDecodeError, ValueError):
            data = None
        if (
            not isinstance(data, dict)
            or _errcode(data) is None
            or ("errcode" not in data and not response.ok)
        ):
            raise WeComNetworkError(
                self.host,
                path,
                NetworkReason.BAD_RESPONSE,
                attempts=1,
                status=response.status_code,
                team_url=team_url,
            )
        return data

    def _await(
        self, path: str, started: float, stats: CallStats | None, timeout_s: float,
        team_url: str,
    ) -> int | None:
        """Register an answer awaited by a view that listens for waits (for the watchdog)."""
        if stats is None or stats.on_wait is None:
            return None
        key = threading.get_ident()
        with self._counter_lock:
            self._awaited[key] = (started, path, stats, timeout_s, team_url)
            if self._watchdog is None:
                self._watchdog = threading.Thread(
                    target=self._watch, name="tagdesk-wecom-watchdog", daemon=True
                )
                self._watchdog.start()
        return key

    def _watch(self) -> None:
        """Tell the views whose answers are overdue, until the transport closes."""
        while not self._closed.wait(WATCH_EVERY_S):
            now = time.monotonic()
            with self._counter_lock:
                overdue = [entry for entry in self._awaited.values()
                           if now - entry[0] >= SLOW_AFTER_S]
            for started, path, stats, timeout_s, team_url in overdue:
                stats.slow(WaitNotice("slow", now - started, path, timeout_s=timeout_s,
                                      team_url=team_url))

    def _count(self, path: str) -> None:
        with self._counter_lock:
            self._api_calls += 1
            self._calls_by_path[path] += 1

    def _scrub(self, text: str) -> str:
        """``text`` without the secret or the current token, should WeCom ever echo them."""
        text = redact(text)
        for secret in (self._secret, self._token.value if self._token else ""):
            if secret:
                text = text.replace(secret, MASK)
        return text


_REASONS: dict[NetworkReason, tuple[str, str]] = {
    NetworkReason.UNREACHABLE: ("无法连接", "unreachable"),
    NetworkReason.TIMEOUT: ("没有应答", "no answer in time"),
    NetworkReason.CONNECTION_LOST: ("连接中断", "connection lost"),
    NetworkReason.SERVER_ERROR: ("服务器错误", "server error"),
    NetworkReason.BAD_RESPONSE: ("无效应答", "bad answer"),
}


def _why(failure: _TransientFailure) -> tuple[str, str]:
    """A short (zh, en) name of a transient failure for the retry line."""
    zh, en = _REASONS[failure.reason]
    if failure.status:
        return f"{zh} HTTP {failure.status}", f"{en} HTTP {failure.status}"
    return zh, en


def _new_session(limits: RateLimits, base: str) -> requests.Session:
    """A session for calls to `base`, with the proxy (`HTTPS_PROXY`, `NO_PROXY` …) and the CA
    bundle (`REQUESTS_CA_BUNDLE`, `CURL_CA_BUNDLE`) the environment names for it read once:
    requests would read them, and look for a ~/.netrc, again at every call (a tenth of a
    relation page's CPU)."""
    import requests
    from requests.adapters import HTTPAdapter
    from requests.utils import get_environ_proxies

    session = requests.Session()
    adapter = HTTPAdapter(pool_maxsize=max(10, limits.max_concurrency))
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.proxies.update(get_environ_proxies(base))
    session.verify = (os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
                      or True)
    session.trust_env = False
    return session


def _never_connected(exc: requests.exceptions.ConnectionError) -> bool:
    """True when the failure happened before any byte of the request could be sent."""
    import urllib3.exceptions

    return isinstance(
        _connection_failure(exc),
        urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError,
    )


def _refused(exc: requests.exceptions.ConnectionError) -> bool:
    """True when the connection was refused: the host answered that nothing listens there."""
    return isinstance(_connection_failure(exc).__cause__, ConnectionRefusedError)


def _connection_failure(exc: requests.exceptions.ConnectionError) -> BaseException:
    """urllib3's reason for the failure (requests wraps it in its own and in MaxRetryError)."""
    import urllib3.exceptions

    reason = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    if isinstance(reason, urllib3.exceptions.MaxRetryError) and reason.reason is not None:
        return reason.reason
    return reason


def parse_json(body: bytes) -> Any:
    """An answer's JSON: by orjson (a relation page in 55-65 % of the standard parser's
    CPU), or by the standard parser where orjson refuses what it accepts (NaN, lone
    surrogates); an integer past 64 bits comes as a float (WeCom sends none). Raises
    ValueError (or UnicodeDecodeError) where the standard parser does."""
    import orjson  # with the first answer, as requests: a GUI start paints before any call

    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body.decode("utf-8"))


def _errcode(data: Mapping[str, Any]) -> int | None:
    """The answer's errcode (absent means success), or None when it is not a number."""
    value = data.get("errcode", 0)
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _positive_float(value: object, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return default
    try:
        number = float(value)
    except ValueError:
        return default
    return number if number > 0 else default
