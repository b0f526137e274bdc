"""`tagdesk server serve`: migrate, then serve until SIGTERM or Ctrl-C, then stop cleanly.

The first stdout line is one JSON object, `{"url": "http://HOST:PORT/"}`, printed once the
database is migrated and the socket listens; nothing is printed before it. On SIGTERM or
Ctrl-C the server stops accepting, lets in-flight requests (WeCom writes included) finish
and their outbox and journal rows commit, then closes the pool and exits 0.
"""

from __future__ import annotations

import json
import logging
import signal
import socket
import sys
import threading
from dataclasses import dataclass
from types import FrameType
from typing import TextIO

import psycopg
import psycopg_pool
import uvicorn

from desktop.server.app import TeamServer, TeamSettings, build_app
from desktop.server.database import CONNECT_TIMEOUT_S, describe_target, migrate
from desktop.server.errors import ServerError
from desktop.wecom.ratelimit import RateLimits
from desktop.wecom.transport import WeComTransport

log = logging.getLogger("tagdesk.server")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
POOL_SIZE = 10
GRACEFUL_STOP_S = 30


@dataclass(frozen=True)
class ServeOptions:
    db_url: str
    host: str
    port: int
    api_base: str
    corp_id: str
    agent_id: int | None
    secret: str
    admins: frozenset[str]
    calls_per_minute: int = 6000
    max_concurrency: int = 5


def serve(options: ServeOptions, out: TextIO = sys.stdout) -> int:
    version = migrate(options.db_url)
    log.info("team database %s at schema version %d", describe_target(options.db_url), version)
    pool: psycopg_pool.ConnectionPool = psycopg_pool.ConnectionPool(
        options.db_url, min_size=1, max_size=POOL_SIZE, open=False, timeout=CONNECT_TIMEOUT_S,
        # Autocommit: a lone statement costs one round trip; multi-statement work opens an
        # explicit transaction (`conn.transaction()`).
        kwargs={"connect_timeout": CONNECT_TIMEOUT_S, "autocommit": True}, name="tagdesk",
        check=(check := _DroppedConnections()),
    )
    check.pool = pool
    try:
        pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
    except psycopg_pool.PoolTimeout:
        pool.close()
        raise ServerError(
            f"无法连接 PostgreSQL（{describe_target(options.db_url)}）。",
            f"Cannot connect to PostgreSQL at {describe_target(options.db_url)}.",
        ) from None
    limits = RateLimits(calls_per_minute=options.calls_per_minute,
                        max_concurrency=options.max_concurrency)
    transport = WeComTransport(options.api_base, options.corp_id, options.secret, limits=limits)
    if options.agent_id is None:
        log.warning("started without --agent-id: logins cannot send codes")
    try:
        sock = _listen(options.host, options.port)
        server = uvicorn.Server(uvicorn.Config(
            build_app(TeamServer(pool, transport, TeamSettings(
                options.corp_id, options.agent_id, options.admins))),
            log_config=None, access_log=False, lifespan="off", server_header=False,
            timeout_graceful_shutdown=GRACEFUL_STOP_S,
        ))
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        log.info("team server listening on %s:%d for corp %s", host, port, options.corp_id)
        _serve_until_stopped(server, sock, json.dumps({"url": f"http://{shown}:{port}/"}), out)
    finally:
        transport.close()
        pool.close()
    log.info("team server stopped")
    return 0


class _DroppedConnections:
    """The pool's checkout check. A connection PostgreSQL dropped (a restart, a failover) is
    replaced; the first one found dead has every idle connection tested at once, so a restart
    costs one short wait instead of the pool's growing backoff for each dead connection."""

    def __init__(self) -> None:
        self.pool: psycopg_pool.ConnectionPool | None = None
        self._purging = threading.Lock()

    def __call__(self, conn: psycopg.Connection[tuple[object, ...]]) -> None:
        try:
            psycopg_pool.ConnectionPool.check_connection(conn)
        except psycopg.Error:
            if self.pool is not None and self._purging.acquire(blocking=False):
                log.warning("team database connection lost: testing every pooled connection")
                threading.Thread(target=self._purge, name="pool-check", daemon=True).start()
            raise

    def _purge(self) -> None:
        try:
            if self.pool is not None:
                self.pool.check()
        finally:
            self._purging.release()


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP given explicitly: asyncio sets TCP_NODELAY only on sockets that say TCP, and
    # without it every answer waits ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ServerError(
            f"无法在 {host}:{port} 上监听：{exc.strerror}",
            f"Cannot listen on {host}:{port}: {exc.strerror}",
        ) from None
    sock.listen(128)
    return sock


def _serve_until_stopped(
    server: uvicorn.Server, sock: socket.socket, first_line: str, out: TextIO
) -> None:
    """Print `first_line`, then run uvicorn. A stop signal before uvicorn is up ends it at
    once; uvicorn's own handlers drain requests and then re-raise the signal, which these
    quiet handlers absorb so the process exits 0."""

    def absorb(signum: int, frame: FrameType | None) -> None:
        server.should_exit = True

    previous = {signum: signal.signal(signum, absorb) for signum in STOP_SIGNALS}
    try:
        out.write(first_line + "\n")
        out.flush()
        server.run(sockets=[sock])
    finally:
        sock.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
