"""HTTP exchange with WeCom: access token, retries, rate limit, counters, redacted logging.

Every request TagDesk sends to WeCom goes through :meth:`WeComTransport.call`, so the
network policy lives here and only here.
"""

from __future__ import annotations

import enum
import json
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter

from desktop.wecom.error_codes import GETTOKEN_PATH, ErrorKind
from desktop.wecom.errors import NetworkReason, WeComError, WeComNetworkError
from desktop.wecom.ratelimit import Clock, MonotonicClock, RateLimiter, RateLimits, backoff_delay
from desktop.wecom.redaction import MASK, install_urllib3_redaction, redact

log = logging.getLogger("tagdesk.wecom")

# Refresh a token this long before WeCom says it expires (at most a tenth of its lifetime).
TOKEN_REFRESH_EARLY_S = 300.0
_JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}


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


class _TransientFailure(Exception):
    """A failed exchange that may succeed when tried again."""

    def __init__(
        self, reason: NetworkReason, *, maybe_sent: bool, status: int | None = None
    ) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.maybe_sent = maybe_sent
        self.status = status


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
    ) -> None:
        install_urllib3_redaction()
        self._base = api_base if api_base.endswith("/") else api_base + "/"
        self.host = urlsplit(self._base).netloc or self._base
        self._corp_id = corp_id
        self._secret = secret
        self._limits = limits
        self._clock: Clock = clock if clock is not None else MonotonicClock()
        self._rng = rng if rng is not None else random.Random()
        self.limiter = RateLimiter(limits, cancel_event=cancel_event, clock=self._clock)
        self._owns_session = session is None
        self._session = session if session is not None else _new_session(limits)
        self._token_lock = threading.Lock()
        self._token: _Token | None = None
        self._counter_lock = threading.Lock()
        self._api_calls = 0
        self._calls_by_path: Counter[str] = Counter()

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
        """Close the HTTP session if this transport created it."""
        if self._owns_session:
            self._session.close()

    def get_token(self) -> str:
        """A valid access token: cached, refreshed early, one fetch at a time."""
        with self._token_lock:
            if self._token is not None and self._clock.now() < self._token.refresh_at:
                return self._token.value
            request = ApiRequest(
                "GET", GETTOKEN_PATH, {"corpid": self._corp_id, "corpsecret": self._secret}
            )
            data = self._exchange(request, token=None)
            value = data.get("access_token")
            if not isinstance(value, str) or not value:
                raise WeComNetworkError(
                    self.host, GETTOKEN_PATH, NetworkReason.BAD_RESPONSE, attempts=1, status=200
                )
            expires_in = _positive_float(data.get("expires_in"), 7200.0)
            early = min(TOKEN_REFRESH_EARLY_S, expires_in / 10)
            self._token = _Token(value, self._clock.now() + expires_in - early)
            log.info("access token fetched for %s, valid %.0f s", self.host, expires_in)
            return value

    def call(self, request: ApiRequest) -> dict[str, Any]:
        """Send ``request`` with a token; on a token error renew it once and resend once."""
        token = self.get_token()
        try:
            return self._exchange(request, token=token)
        except WeComError as err:
            if err.kind is not ErrorKind.TOKEN:
                raise
            log.info("%s answered errcode %s: renewing the access token", request.path, err.errcode)
            self._drop_token(token)
            return self._exchange(request, token=self.get_token())

    def _drop_token(self, failed: str) -> None:
        """Forget ``failed`` unless another thread already replaced it (single flight)."""
        with self._token_lock:
            if self._token is not None and self._token.value == failed:
                self._token = None

    def _exchange(self, request: ApiRequest, *, token: str | None) -> dict[str, Any]:
        """Send until WeCom answers for good, retrying transient failures with backoff."""
        attempt = 0
        maybe_applied = False
        while True:
            attempt += 1
            try:
                data = self._send_once(request, token)
            except _TransientFailure as failure:
                maybe_applied |= failure.maybe_sent and request.effect is not Effect.READ
                resend_unsafe = failure.maybe_sent and request.effect is Effect.WRITE
                if attempt > self._limits.max_retries or resend_unsafe:
                    raise WeComNetworkError(
                        self.host,
                        request.path,
                        failure.reason,
                        attempts=attempt,
                        status=failure.status,
                        may_have_applied=maybe_applied,
                    ) from None
                self._back_off(request.path, failure.reason.value, attempt)
                continue
            errcode = _errcode(data) or 0
            if errcode == 0:
                return data
            error = WeComError(errcode, self._scrub(str(data.get("errmsg", ""))), request.path)
            if attempt > self._limits.max_retries:
                raise error
            if error.kind is ErrorKind.RATE_LIMITED:
                pause_s = self._limits.rate_limit_pause_s
                log.warning(
                    "%s hit the frequency limit (45009): pausing all calls %.1f s",
                    request.path,
                    pause_s,
                )
                self.limiter.pause(pause_s)
            elif error.kind in (ErrorKind.RETRYABLE, ErrorKind.CONCURRENCY):
                self._back_off(request.path, f"errcode {errcode}", attempt)
            else:
                raise error

    def _back_off(self, path: str, why: str, attempt: int) -> None:
        delay = backoff_delay(attempt, self._limits, self._rng)
        log.warning(
            "%s failed (%s); retry %d/%d in %.2f s",
            path,
            why,
            attempt,
            self._limits.max_retries,
            delay,
        )
        self.limiter.sleep(delay)

    def _send_once(self, request: ApiRequest, token: str | None) -> dict[str, Any]:
        params: dict[str, str | int] = dict(request.params)
        if token is not None:
            params["access_token"] = token
        body: bytes | None = None
        headers: dict[str, str] | None = None
        if request.body is not None:
            body = json.dumps(request.body, ensure_ascii=False).encode("utf-8")
            headers = _JSON_HEADERS
        with self.limiter.slot():
            self._count(request.path)
            started = time.monotonic()
            response = self._http(request, params, body, headers)
        elapsed_ms = (time.monotonic() - started) * 1000
        status = response.status_code
        if status == 429 or status >= 500:
            log.debug(
                "%s %s -> HTTP %d (%.0f ms)", request.method, request.path, status, elapsed_ms
            )
            raise _TransientFailure(
                NetworkReason.SERVER_ERROR, maybe_sent=status != 429, status=status
            )
        data = self._parse(request.path, response)
        log.debug(
            "%s %s -> errcode %s (%.0f ms)",
            request.method,
            request.path,
            _errcode(data),
            elapsed_ms,
        )
        return data

    def _http(
        self,
        request: ApiRequest,
        params: Mapping[str, str | int],
        body: bytes | None,
        headers: Mapping[str, str] | None,
    ) -> requests.Response:
        """One HTTP round trip.

        requests' exceptions quote the URL (token or secret included), so they are turned
        into TagDesk's own exceptions and raised outside the ``except`` block: not even
        ``__context__`` keeps them.
        """
        try:
            return self._session.request(
                request.method,
                self._base + request.path,
                params=params,
                data=body,
                headers=headers,
                timeout=(self._limits.connect_timeout_s, self._limits.read_timeout_s),
            )
        except requests.exceptions.RequestException as exc:
            failure = self._classify(exc, request.path)
        raise failure

    def _classify(
        self, exc: requests.exceptions.RequestException, path: str
    ) -> _TransientFailure | WeComNetworkError:
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return _TransientFailure(NetworkReason.UNREACHABLE, maybe_sent=False)
        if isinstance(exc, requests.exceptions.Timeout):
            return _TransientFailure(NetworkReason.TIMEOUT, maybe_sent=True)
        if isinstance(exc, requests.exceptions.ConnectionError):
            if _never_connected(exc):
                return _TransientFailure(NetworkReason.UNREACHABLE, maybe_sent=False)
            return _TransientFailure(NetworkReason.CONNECTION_LOST, maybe_sent=True)
        if isinstance(exc, requests.exceptions.ChunkedEncodingError):
            return _TransientFailure(NetworkReason.CONNECTION_LOST, maybe_sent=True)
        # A malformed API base (no scheme, bad characters): nothing to retry.
        return WeComNetworkError(self.host, path, NetworkReason.UNREACHABLE, attempts=1)

    def _parse(self, path: str, response: requests.Response) -> dict[str, Any]:
        try:
            data = json.loads(response.content.decode("utf-8"))
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
            )
        return data

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


def _new_session(limits: RateLimits) -> requests.Session:
    session = requests.Session()
    adapter = HTTPAdapter(pool_maxsize=max(10, limits.max_concurrency))
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _never_connected(exc: requests.exceptions.ConnectionError) -> bool:
    """True when the failure happened before any byte of the request could be sent."""
    reason: object = exc.args[0] if exc.args else None
    if isinstance(reason, urllib3.exceptions.MaxRetryError):
        reason = reason.reason
    return isinstance(
        reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError
    )


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
