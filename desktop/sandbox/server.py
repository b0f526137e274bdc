"""`SandboxServer`: the emulated WeCom corp served over HTTP on loopback.

Powers `tagdesk --demo` and every integration test: start it, point any WeCom client at
`api_base` with `corp_id` / `secret`, inspect or steer it through `state`, `stats` and the
console-style methods.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any

from desktop.sandbox.callbacks import CallbackSender, CallbackSettings, configure
from desktop.sandbox.config import SandboxConfig, ip_addresses
from desktop.sandbox.dispatcher import AnswerHold, ApiDispatcher
from desktop.sandbox.http_server import SandboxHTTPServer
from desktop.sandbox.phone import Phone
from desktop.sandbox.state import SandboxState
from desktop.sandbox.stats import SandboxStats

# How soon the serving thread notices a stop: every sandbox stopped (each demo command, each
# test's sandbox) waits up to this long for it.
STOP_NOTICED_S = 0.02


class SandboxServer:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.stats = SandboxStats()
        self._state: SandboxState | None = None
        self._dispatcher: ApiDispatcher | None = None
        self._httpd: SandboxHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._sender: CallbackSender | None = None

    def start(self) -> SandboxServer:
        """Generate the corp if `data_dir` is new, then serve in a background thread."""
        if self._httpd is not None:
            raise RuntimeError("sandbox already started")
        state = SandboxState.open(self.config)
        try:
            dispatcher = ApiDispatcher(state, self.stats, self.config)
            httpd = SandboxHTTPServer((self.config.host, self.config.port), dispatcher)
        except BaseException:
            state.close()
            raise
        self._state, self._dispatcher, self._httpd = state, dispatcher, httpd
        self._sender = CallbackSender(state, background=True)
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": STOP_NOTICED_S},
            name="tagdesk-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        if self._sender is not None:
            self._sender.close()
        if self._state is not None:
            self._state.close()
        self._state = self._dispatcher = self._thread = self._sender = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def state(self) -> SandboxState:
        if self._state is None:
            raise RuntimeError("sandbox not started")
        return self._state

    @property
    def callbacks(self) -> CallbackSender:
        """The event push: its delivery counts and `wait_idle`."""
        if self._sender is None:
            raise RuntimeError("sandbox not started")
        return self._sender

    @property
    def phone(self) -> Phone:
        """People on phones and in the admin console; each action calls back."""
        return Phone(self.state, self.callbacks)

    def set_callback(self, settings: CallbackSettings | None) -> None:
        """Save the callback settings after WeCom's URL check (None: no callbacks)."""
        configure(self.state, settings)

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("sandbox not started")
        return int(self._httpd.server_address[1])

    @property
    def api_base(self) -> str:
        return f"http://{self.config.host}:{self.port}/cgi-bin/"

    @property
    def corp_id(self) -> str:
        return self.state.identity.corp_id

    @property
    def secret(self) -> str:
        return self.state.secret

    def reset_secret(self) -> str:
        """Reset the app's secret (`tagdesk sandbox reset-secret`): the new one is returned;
        the old one answers 40001 and every issued token 40014."""
        return self.state.reset_secret()

    @property
    def agent_id(self) -> int:
        return self.state.identity.agent_id

    @property
    def info(self) -> dict[str, object]:
        return {
            "api_base": self.api_base,
            "corp_id": self.corp_id,
            "secret": self.secret,
            "agent_id": self.agent_id,
        }

    def expire_tokens(self) -> None:
        """Every issued token now answers 42001."""
        self.state.expire_tokens()

    def invalidate_tokens(self) -> None:
        """Every issued token now answers 40014."""
        self.state.invalidate_tokens()

    def hold_answers(self, api: str) -> AnswerHold:
        """Each call of `api` from now on takes effect and then waits to answer until
        `release()` (or 60 s): WeCom's answer late at a moment a test chooses."""
        if self._dispatcher is None:
            raise RuntimeError("sandbox not started")
        return self._dispatcher.hold_answers(api)

    def configure(
        self,
        *,
        latency_ms: float | None = None,
        fault_rate: float | None = None,
        quota_per_min: int | None = None,
        quota_block_s: float | None = None,
        trusted_ips: Iterable[str] | None = None,
    ) -> None:
        """Change latency, faults, quota or the app's trusted IPs while serving (a new quota
        starts fresh windows; an empty list of IPs trusts every caller again)."""
        if self._dispatcher is None:
            raise RuntimeError("sandbox not started")
        if latency_ms is not None:
            self.config.latency_ms = latency_ms
            self._dispatcher.set_latency(latency_ms)
        if fault_rate is not None:
            self._dispatcher.faults.set_rate(fault_rate)
            self.config.fault_rate = fault_rate
        if quota_per_min is not None or quota_block_s is not None:
            self._dispatcher.quota.configure(per_min=quota_per_min, block_s=quota_block_s)
            if quota_per_min is not None:
                self.config.quota_per_min = quota_per_min
            if quota_block_s is not None:
                self.config.quota_block_s = quota_block_s
        if trusted_ips is not None:
            self.config.trusted_ips = ip_addresses(trusted_ips)
            self._dispatcher.set_trusted_ips(self.config.trusted_ips)

    def __repr__(self) -> str:
        where: Any = self.api_base if self._httpd is not None else "stopped"
        return f"SandboxServer({where})"
