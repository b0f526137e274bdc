"""Test doubles for the WeCom client: a fake clock and a session that replays scripted answers.

The scripted session is a real ``requests.Session`` with a transport adapter mounted, so the
client's own code (URL building, body encoding, error mapping) runs unchanged.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from requests.adapters import BaseAdapter

API_BASE = "http://wecom.test/cgi-bin/"
CORP_ID = "wwCORP0001"
SECRET = "S3CRET-never-shown-0123456789"
TOKEN = "TOKEN-never-shown-abcdef"

Answer = dict[str, Any] | tuple[int, bytes] | BaseException


class Call:
    """One request the client sent, decoded for assertions."""

    def __init__(self, request: requests.PreparedRequest) -> None:
        split = urlsplit(request.url or "")
        self.path = split.path.removeprefix("/cgi-bin/")
        self.query = {key: values[0] for key, values in parse_qs(split.query).items()}
        self.method = request.method or ""
        self.headers = dict(request.headers)
        raw = request.body
        self.raw_body: bytes = raw.encode() if isinstance(raw, str) else (raw or b"")
        self.body: Any = json.loads(self.raw_body) if self.raw_body else None


class FakeWeCom(BaseAdapter):
    """Answers by path from per-path queues; ``gettoken`` answers TOKEN unless scripted."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Call] = []
        self._scripts: dict[str, list[Answer | Callable[[Call], Answer]]] = {}
        self._lock = threading.Lock()
        self.token = TOKEN

    def script(self, path: str, *answers: Answer | Callable[[Call], Answer]) -> None:
        """Queue answers for ``path``; the last one repeats once the queue runs dry."""
        self._scripts.setdefault(path, []).extend(answers)

    def paths(self) -> list[str]:
        return [call.path for call in self.calls]

    def send(
        self, request: requests.PreparedRequest, stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True, cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        call = Call(request)
        with self._lock:
            self.calls.append(call)
            queue = self._scripts.get(call.path)
            if queue:
                answer = queue.pop(0) if len(queue) > 1 else queue[0]
            elif call.path == "gettoken":
                answer = {
                    "errcode": 0,
                    "errmsg": "ok",
                    "access_token": self.token,
                    "expires_in": 7200,
                }
            else:
                answer = {"errcode": 0, "errmsg": "ok"}
        if callable(answer):
            answer = answer(call)
        if isinstance(answer, BaseException):
            raise answer
        status, content = (
            answer
            if isinstance(answer, tuple)
            else (200, json.dumps(answer, ensure_ascii=False).encode())
        )
        response = requests.Response()
        response.status_code = status
        response._content = content
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        """Nothing to release."""


class FakeClock:
    """Time that moves only when someone waits; waiting briefly yields to other threads."""

    def __init__(self) -> None:
        self.time = 1000.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self.time

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.time += seconds

    def wait(self, condition: threading.Condition, timeout: float) -> None:
        self.advance(timeout)
        condition.wait(0)
