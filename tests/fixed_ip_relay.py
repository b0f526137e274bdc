"""A fixed-IP relay on loopback: what a person puts between TagDesk and WeCom when the
computer's own address is not among the app's trusted IPs (60020).

It listens on 127.0.0.1 and passes each request on, as it came, to the WeCom base it relays
to, from the address `RELAY_IP` (another loopback address), so the sandbox sees every relayed
call come from that one address and every direct call from 127.0.0.1.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

RELAY_IP = "127.0.0.2"


class _Relay(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True    # headers and body leave in two writes (see the sandbox's)
    server: _RelayServer

    def do_GET(self) -> None:
        self._relay("GET")

    def do_POST(self) -> None:
        self._relay("POST")

    def _relay(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        host, port = self.server.target
        upstream = http.client.HTTPConnection(host, port, timeout=30,
                                              source_address=(RELAY_IP, 0))
        try:
            upstream.request(method, self.path, body=body,
                             headers={"Content-Type": self.headers.get("Content-Type", "")})
            answer = upstream.getresponse()
            data = answer.read()
        finally:
            upstream.close()
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.getheader("Content-Type", ""))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the query strings hold tokens and secrets."""


class _RelayServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        super().__init__(("127.0.0.1", 0), _Relay)


@contextmanager
def fixed_ip_relay(api_base: str) -> Iterator[str]:
    """A relay to `api_base` while the block runs; yields the relay's own API base."""
    url = urlsplit(api_base)
    server = _RelayServer((url.hostname or "127.0.0.1", url.port or 80))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              name="fixed-ip-relay", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{url.path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
