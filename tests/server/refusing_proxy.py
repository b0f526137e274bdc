"""A reverse proxy on 127.0.0.1 in front of a real team server that can answer one path's next
request with HTTP 503 itself, as nginx does when its upstream fails that request: the team
server stays whole and every other call reaches it. It counts the requests of each path open
at once (a long-poll stays open until the server answers)."""

from __future__ import annotations

import http.client
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

NOT_PASSED = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length",
                        "host", "date", "server"})    # hop by hop, or written by each side


class RefusingProxy(ThreadingHTTPServer):
    """Forwards every request to `upstream`; `refuse_next(method, path)` makes the next request
    of that method and path (no query) get 503 without reaching it. `refused` counts them;
    `most_open[path]` is the most requests of a path that were open at once."""

    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"
        self.refused = 0
        self.open: Counter[str] = Counter()
        self.most_open: Counter[str] = Counter()
        self._armed: set[tuple[str, str]] = set()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def __enter__(self) -> RefusingProxy:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=10)

    def refuse_next(self, method: str, path: str) -> None:
        with self._lock:
            self._armed.add((method, path))

    def opened(self, path: str, change: int) -> None:
        with self._lock:
            self.open[path] += change
            self.most_open[path] = max(self.most_open[path], self.open[path])

    def take_refusal(self, method: str, path: str) -> bool:
        with self._lock:
            if (method, path) not in self._armed:
                return False
            self._armed.discard((method, path))
            self.refused += 1
            return True


class _Forward(BaseHTTPRequestHandler):
    server: RefusingProxy
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward()

    def do_PUT(self) -> None:
        self._forward()

    def do_DELETE(self) -> None:
        self._forward()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read what they need from the server and the desktop."""

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = urlsplit(self.path).path
        if self.server.take_refusal(self.command, path):
            self._answer(503, [("Content-Type", "text/plain")], b"upstream failed")
            return
        upstream = http.client.HTTPConnection(*self.server.upstream, timeout=120)
        self.server.opened(path, 1)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in NOT_PASSED}
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            response = upstream.getresponse()
            answer = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in NOT_PASSED]
        finally:
            upstream.close()
            self.server.opened(path, -1)
        self._answer(response.status, kept, answer)

    def _answer(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
