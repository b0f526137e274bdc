"""Handing a command-line sync to the TagDesk app that holds the profile open.

The app holds the cache's writer lock for as long as it runs (a supervisor leaves it open),
so `tagdesk sync` cannot write the cache itself. Instead the app listens on 127.0.0.1 and
runs the sync for the command: within the corp's one rate budget, with its views reloaded
afterwards, and with progress and the summary sent back to the command as it goes.

The app writes where it listens, with a random token, into `cache.sqlite.app` beside the
cache (readable by the user only); a request must carry that token. The protocol is JSON
lines: the command sends `{"token": ..., "op": "sync"}`, the app answers `{"accepted": PID}`,
any number of `{"progress": {...}}` lines, then one `{"result": {...}}` or
`{"error": "中文 / English"}`.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import os
import queue
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from desktop.domain.errors import UserError
from desktop.services.progress import Progress, ProgressCallback

log = logging.getLogger("tagdesk.services.handover")

ENDPOINT_SUFFIX = ".app"
CONNECT_TIMEOUT_S = 5.0
ANSWER_TIMEOUT_S = 600.0   # the app sends progress at least this often while it works
MAX_LINE = 1 << 20
SYNC = "sync"


def endpoint_path(cache_path: Path) -> Path:
    return cache_path.with_name(cache_path.name + ENDPOINT_SUFFIX)


class HandoverFailed(UserError):
    """The app took the sync but could not finish it (or closed meanwhile)."""


class HandoverReply:
    """The app's side of one request: thread-safe, never blocks the caller (the GUI thread)."""

    def __init__(self, op: str) -> None:
        self.op = op
        self._lines: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._closed = threading.Event()

    def accepted(self) -> None:
        self._lines.put({"accepted": os.getpid()})

    def progress(self, event: Progress) -> None:
        if not self._closed.is_set():
            self._lines.put({"progress": asdict(event)})

    def done(self, result: dict[str, Any]) -> None:
        self._end({"result": result})

    def fail(self, message: str) -> None:
        self._end({"error": message})

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def _end(self, line: dict[str, Any]) -> None:
        if not self._closed.is_set():
            self._closed.set()
            self._lines.put(line)
            self._lines.put(None)

    def next_line(self, timeout: float) -> dict[str, Any] | None:
        """The next line to send (None after the last); raises queue.Empty after `timeout`."""
        return self._lines.get(timeout=timeout)


Handler = Callable[[HandoverReply], None]


class HandoverServer:
    """Listens for command-line requests while the app holds a profile; `handle` is called
    on a connection thread with a reply to answer through (from any thread)."""

    def __init__(self, cache_path: Path, handle: Handler) -> None:
        self.endpoint = endpoint_path(cache_path)
        self._handle = handle
        self._token = secrets.token_urlsafe(32)
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen(4)
        sock.settimeout(0.2)
        self._socket = sock
        port = sock.getsockname()[1]
        _write_private(self.endpoint, json.dumps(
            {"port": port, "token": self._token, "pid": os.getpid()}))
        self._thread = threading.Thread(target=self._accept, name="tagdesk-handover",
                                        daemon=True)
        self._thread.start()
        log.info("accepting command-line syncs on 127.0.0.1:%d", port)

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(5)
        if self._socket is not None:
            self._socket.close()
        with contextlib.suppress(OSError):
            if json.loads(self.endpoint.read_text(encoding="utf-8")).get("token") == self._token:
                self.endpoint.unlink()

    def _accept(self) -> None:
        assert self._socket is not None
        while not self._stopping.is_set():
            try:
                conn, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), name="tagdesk-handover-conn",
                             daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(CONNECT_TIMEOUT_S)
            try:
                request = json.loads(_read_line(conn.makefile("rb")))
            except (OSError, ValueError):
                return
            if not isinstance(request, dict) or not hmac.compare_digest(
                    str(request.get("token", "")), self._token):
                log.warning("refused a command-line request without the right token")
                return
            reply = HandoverReply(str(request.get("op", "")))
            reply.accepted()
            if reply.op != SYNC:
                reply.fail(f"未知请求 {reply.op} / Unknown request {reply.op}")
            else:
                self._handle(reply)
            self._answer(conn, reply)

    def _answer(self, conn: socket.socket, reply: HandoverReply) -> None:
        conn.settimeout(None)
        while not self._stopping.is_set():
            try:
                line = reply.next_line(0.2)
            except queue.Empty:
                continue
            if line is None:
                return
            try:
                conn.sendall(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")
            except OSError:
                reply.fail("")  # the command went away; nothing more to send
                return
        with contextlib.suppress(OSError):
            conn.sendall(json.dumps({"error": APP_CLOSED}, ensure_ascii=False).encode() + b"\n")


APP_CLOSED = ("TagDesk 应用在同步完成前关闭了。 / The TagDesk app closed before the sync finished.")


def request_sync(cache_path: Path, progress: ProgressCallback,
                 accepted: Callable[[int], None] = lambda pid: None) -> dict[str, Any] | None:
    """Ask the app holding this cache to sync; its summary, or None when no app listens.

    `accepted` hears the app's pid once it took the request; its progress lines go to
    `progress` as they come. Raises `HandoverFailed` when the app took the request but
    the sync failed or the app closed meanwhile."""
    try:
        endpoint = json.loads(endpoint_path(cache_path).read_text(encoding="utf-8"))
        port, token = int(endpoint["port"]), str(endpoint["token"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        conn = socket.create_connection(("127.0.0.1", port), timeout=CONNECT_TIMEOUT_S)
    except OSError:
        return None  # an app that died without cleaning up
    with conn:
        conn.settimeout(ANSWER_TIMEOUT_S)
        stream = conn.makefile("rb")
        try:
            conn.sendall(json.dumps({"token": token, "op": SYNC}).encode("utf-8") + b"\n")
            first = True
            while True:
                raw = _read_line(stream)
                if not raw:
                    if first:
                        return None  # not a TagDesk app, or a refused token
                    raise HandoverFailed(*_split(APP_CLOSED))
                line = json.loads(raw)
                first = False
                if "accepted" in line:
                    accepted(int(line["accepted"]))
                elif "progress" in line:
                    progress(Progress(**line["progress"]))
                elif "result" in line:
                    return dict(line["result"])
                else:
                    raise HandoverFailed(*_split(str(line.get("error") or APP_CLOSED)))
        except (OSError, ValueError, TypeError) as exc:
            if isinstance(exc, TimeoutError) or not first:
                raise HandoverFailed(*_split(APP_CLOSED)) from None
            return None


def _split(text: str) -> tuple[str, str]:
    zh, _, en = text.partition(" / ")
    return zh, en or zh


def _read_line(stream: Any) -> bytes:
    line: bytes = stream.readline(MAX_LINE)
    return line


def _write_private(path: Path, text: str) -> None:
    """Write `text` to `path` readable by the user only, replacing it atomically."""
    temp = path.with_name(path.name + ".tmp")
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temp, path)
