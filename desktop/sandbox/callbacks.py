"""The sandbox as WeCom's event push: callback settings and the delivery of encrypted events.

Like WeCom's console, saving a callback URL first checks it (a GET with an encrypted
`echostr` the receiver must answer in plaintext); the settings are kept in the corp's
file, so a `tagdesk sandbox phone` process and a running sandbox send alike. Each event
is POSTed encrypted and signed; no answer, or an answer other than HTTP 200, within
`timeout_s` is retried up to `retries` more times, `retry_delay_s` apart. Changes made
through the API never call back: only phone and console actions do (`phone.py`).
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.domain.callback_crypto import CallbackCrypto
from desktop.domain.callback_xml import to_xml
from desktop.domain.errors import UserError
from desktop.sandbox.state import SandboxState

if TYPE_CHECKING:
    import requests

log = logging.getLogger("tagdesk.sandbox.callbacks")

_KEYS = ("callback_url", "callback_token", "callback_aes_key", "callback_timeout_s",
         "callback_retries", "callback_retry_delay_s")
VERIFY_TIMEOUT_S = 5.0

Event = Mapping[str, str | int]


class CallbackSetupError(UserError):
    """The callback URL did not pass WeCom's check, or the settings are unusable."""


@dataclass(frozen=True)
class CallbackSettings:
    url: str
    token: str
    aes_key: str
    timeout_s: float = 5.0
    retries: int = 3
    retry_delay_s: float = 1.0

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise CallbackSetupError("回调 URL 须以 http:// 或 https:// 开头。",
                                     "The callback URL must start with http:// or https://.")
        if self.timeout_s <= 0 or self.retries < 0 or self.retry_delay_s < 0:
            raise CallbackSetupError("回调超时须大于 0，重试次数和间隔不能为负。",
                                     "The callback timeout must be positive; retries and their"
                                     " delay must not be negative.")


def load_settings(state: SandboxState) -> CallbackSettings | None:
    with state.transaction() as conn:
        found = dict(conn.execute(
            f"SELECT key, value FROM meta WHERE key IN ({', '.join('?' * len(_KEYS))})", _KEYS))
    if "callback_url" not in found:
        return None
    return CallbackSettings(found["callback_url"], found["callback_token"],
                            found["callback_aes_key"], float(found["callback_timeout_s"]),
                            int(found["callback_retries"]), float(found["callback_retry_delay_s"]))


def configure(state: SandboxState, settings: CallbackSettings | None) -> None:
    """Save (after checking the URL answers like a WeCom receiver) or clear the settings."""
    if settings is not None:
        verify_url(settings, state.identity.corp_id)
    with state.transaction() as conn:
        conn.execute(f"DELETE FROM meta WHERE key IN ({', '.join('?' * len(_KEYS))})", _KEYS)
        if settings is not None:
            values = (settings.url, settings.token, settings.aes_key, repr(settings.timeout_s),
                      str(settings.retries), repr(settings.retry_delay_s))
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", zip(_KEYS, values,
                                                                                 strict=True))


def verify_url(settings: CallbackSettings, corp_id: str) -> None:
    """WeCom's check when a callback URL is saved: GET with an encrypted echostr, expecting
    its plaintext back, bare."""
    import requests

    crypto = CallbackCrypto(settings.token, settings.aes_key, corp_id)
    plain = str(secrets.randbelow(10**19))
    echostr = crypto.encrypt(plain)
    timestamp, nonce = str(int(time.time())), str(secrets.randbelow(10**9))
    params = {"msg_signature": crypto.signature(timestamp, nonce, echostr),
              "timestamp": timestamp, "nonce": nonce, "echostr": echostr}
    try:
        answer = requests.get(settings.url, params=params, timeout=VERIFY_TIMEOUT_S)
    except requests.RequestException as exc:
        raise CallbackSetupError(
            f"回调 URL 无法访问（{type(exc).__name__}），设置未保存。",
            f"The callback URL cannot be reached ({type(exc).__name__}); nothing was saved.",
        ) from None
    if answer.status_code != 200 or answer.text != plain:
        raise CallbackSetupError(
            f"回调 URL 未通过验证（HTTP {answer.status_code}，未返回解密后的 echostr），"
            "请检查 URL、Token 和 EncodingAESKey。设置未保存。",
            f"The callback URL failed verification (HTTP {answer.status_code}, not the"
            " decrypted echostr): check the URL, Token and EncodingAESKey. Nothing was saved.",
        )


def event_xml(corp_id: str, fields: Event, create_time: int | None = None) -> str:
    """The plaintext of one event: WeCom's common elements, then `fields`."""
    return to_xml({"ToUserName": corp_id, "FromUserName": "sys",
                   "CreateTime": int(time.time()) if create_time is None else create_time,
                   "MsgType": "event", **fields})


@dataclass
class DeliveryCounts:
    events: int = 0
    delivered: int = 0
    attempts: int = 0
    given_up: int = 0


class CallbackSender:
    """Delivers events in order; `background=True` from a thread (a running sandbox),
    otherwise before `send` returns (a `tagdesk sandbox phone` process)."""

    def __init__(self, state: SandboxState, *, background: bool) -> None:
        self._state = state
        self._session: requests.Session | None = None   # with the first delivery
        self.counts = DeliveryCounts()
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._idle = threading.Condition()
        self._pending = 0
        self._closing = threading.Event()
        self._thread: threading.Thread | None = None
        if background:
            self._thread = threading.Thread(target=self._run, name="sandbox-callbacks",
                                            daemon=True)
            self._thread.start()

    def send(self, fields: Event) -> bool:
        """Queue (or deliver) one event; False when no callback URL is configured."""
        settings = load_settings(self._state)
        if settings is None:
            return False
        message = event_xml(self._state.identity.corp_id, fields)
        self.counts.events += 1
        if self._thread is None:
            self._deliver(message)
            return True
        with self._idle:
            self._pending += 1
        self._queue.put(message)
        return True

    def wait_idle(self, timeout: float) -> bool:
        """Whether every queued event was delivered or given up within `timeout` seconds."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self) -> None:
        """Stop; events not yet delivered are given up (a stopped WeCom sends nothing)."""
        self._closing.set()
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
        if self._session is not None:
            self._session.close()

    def _run(self) -> None:
        while (message := self._queue.get()) is not None:
            try:
                self._deliver(message)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _deliver(self, message: str) -> None:
        import requests  # with the first event: a sandbox that sends none never loads it

        settings = load_settings(self._state)
        if settings is None:
            return
        if self._session is None:
            self._session = requests.Session()
        crypto = CallbackCrypto(settings.token, settings.aes_key, self._state.identity.corp_id)
        for attempt in range(settings.retries + 1):
            if self._closing.is_set() or (attempt and self._closing.wait(settings.retry_delay_s)):
                break
            self.counts.attempts += 1
            timestamp, nonce = str(int(time.time())), str(secrets.randbelow(10**9))
            signature, body = crypto.seal_message(message, timestamp, nonce,
                                                  self._state.identity.agent_id)
            try:
                answer = self._session.post(
                    settings.url, data=body, timeout=settings.timeout_s,
                    params={"msg_signature": signature, "timestamp": timestamp, "nonce": nonce},
                    headers={"Content-Type": "text/xml; charset=utf-8"})
            except requests.RequestException as exc:
                log.info("callback attempt %d: no answer (%s)", attempt + 1, type(exc).__name__)
                continue
            if answer.status_code == 200:
                self.counts.delivered += 1
                return
            log.info("callback attempt %d: HTTP %d", attempt + 1, answer.status_code)
        self.counts.given_up += 1
        log.warning("callback given up after %d attempts", settings.retries + 1)
