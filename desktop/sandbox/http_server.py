"""The loopback HTTP front of the sandbox: stdlib ThreadingHTTPServer, keep-alive, no TLS.

Request lines are logged without their query string, so tokens and secrets never reach logs.
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from desktop.sandbox.dispatcher import ApiDispatcher

log = logging.getLogger("tagdesk.sandbox.http")

IDLE_CONNECTION_TIMEOUT_S = 120
_SECRET_PARAMS = re.compile(r"(access_token|corpsecret)=[^&\s]*")


def redact(text: str) -> str:
    return _SECRET_PARAMS.sub(r"\1=***", text)


class SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], dispatcher: ApiDispatcher) -> None:
        self.dispatcher = dispatcher
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _RequestHandler)

    def track(self, connection: socket.socket) -> None:
        with self._open_lock:
            self._open.add(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._open_lock:
            self._open.discard(connection)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that vanished mid-answer is routine here; keep stderr clean."""
        log.debug("connection from %s ended abnormally", client_address[0], exc_info=True)

    def close_connections(self) -> None:
        """End kept-alive connections so that their handler threads finish."""
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    timeout = IDLE_CONNECTION_TIMEOUT_S
    # Headers and body leave in two writes; with Nagle's algorithm the second one would wait
    # for the client's delayed ACK and every keep-alive call would take ~40 ms.
    disable_nagle_algorithm = True
    server: SandboxHTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.send_error(400, "bad Content-Length")
            return
        body = self.rfile.read(length) if length > 0 else b""
        reply = self.server.dispatcher.handle(method, self.path, body, self.client_address[0])
        if reply.drop:
            self.close_connection = True
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), redact(format % args))
