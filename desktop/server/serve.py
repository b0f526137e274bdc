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
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import TextIO

import psycopg
import psycopg_pool
import uvicorn

from desktop.server import team_events, team_rules
from desktop.server.app import TeamServer, TeamSettings, build_app
from desktop.server.database import CONNECT_TIMEOUT_S, describe_target, migrate
from desktop.server.db_health import Conn, DatabaseHealth
from desktop.server.errors import ServerError
from desktop.server.expiry_job import ExpiryJob
from desktop.server.jobs import Job, Scheduler
from desktop.server.journal_push import JournalPush
from desktop.server.leases import ProcessLease
from desktop.server.phone_changes import PhoneChanges
from desktop.server.reconcile_job import ReconcileConfig, ReconcileJob
from desktop.server.reconcile_now import ReconcileNow
from desktop.server.reconcile_schema import JOB_NAME as RECONCILE_JOB
from desktop.server.rule_runs import RuleRuns
from desktop.server.shared_limit import SharedRateLimiter
from desktop.wecom.errors import WeComError, WeComNetworkError
from desktop.wecom.ratelimit import RateLimits
from desktop.wecom.transport import WeComTransport

log = logging.getLogger("tagdesk.server")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
POOL_SIZE = 10
APPROVAL_EXPIRY_EVERY_S = 3600
EVENT_RETENTION_EVERY_S = 3600
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
    outbox_check_every_s: float = 30.0
    callback_token: str = ""
    callback_aes_key: str = ""
    resync_interval_s: float = 3600.0
    reconcile: ReconcileConfig | None = None
    rules_interval_s: float = 600.0
    expiry_interval_s: float = 60.0
    events_retention_days: int = 365
    sales_see_all: bool = False


def serve(options: ServeOptions, out: TextIO = sys.stdout) -> int:
    version = migrate(options.db_url)
    log.info("team database %s at schema version %d", describe_target(options.db_url), version)
    health = DatabaseHealth(options.db_url)
    with ExitStack() as stack:
        for signum in STOP_SIGNALS:
            stack.callback(signal.signal, signum, signal.getsignal(signum))
        stack.callback(health.close)
        pool = stack.enter_context(_open_pool(options.db_url, POOL_SIZE, health, "tagdesk"))
        # The limiter's own connections: each holds one slot's lock during a call, and one
        # more records a 45009 pause while every slot is held.
        slots = stack.enter_context(_open_pool(options.db_url, options.max_concurrency + 1,
                                               health, "tagdesk-wecom-slots"))
        lease = ProcessLease(options.db_url)
        stack.callback(lease.close)
        health.on_back(lease.renew)
        limits = RateLimits(calls_per_minute=options.calls_per_minute,
                            max_concurrency=options.max_concurrency)
        transport = WeComTransport(
            options.api_base, options.corp_id, options.secret, limits=limits,
            limiter=SharedRateLimiter(slots, health, options.corp_id, limits))
        stack.callback(transport.close)
        if options.agent_id is None:
            log.warning("started without --agent-id: logins cannot send codes")
        team = TeamServer(pool, transport, TeamSettings(
            options.corp_id, options.agent_id, options.admins, options.sales_see_all), health,
            lease.id)
        phone_changes = PhoneChanges(team, options.callback_token, options.callback_aes_key,
                                     options.resync_interval_s)
        team.callbacks = phone_changes.receiver
        team.journal_push = JournalPush(options.db_url)
        team.journal_push.on_settled = phone_changes.worker.wake
        team.journal_push.start()
        stack.callback(team.journal_push.stop)
        team.reconcile = options.reconcile
        reconcile = None if options.reconcile is None else ReconcileJob(
            team.connection, team.relay, options.reconcile, lease.id)
        team.reconcile_now = ReconcileNow(team.connection, reconcile, options.admins, lease.id)
        stack.callback(team.reconcile_now.wait)
        _settle_orphans(team)
        scheduler = Scheduler(team.connection, lease.id, [
            Job("outbox-recovery", options.outbox_check_every_s, lambda: _settle_orphans(team)),
            *phone_changes.jobs,
            Job("approval-expiry", APPROVAL_EXPIRY_EVERY_S, team.governance.expire),
            *([] if reconcile is None or options.reconcile is None else [Job(
                RECONCILE_JOB, options.reconcile.interval_s, reconcile.run)]),
            *([Job("event-retention", EVENT_RETENTION_EVERY_S, team_events.retention_job(
                team.connection, options.events_retention_days))]
              if options.events_retention_days > 0 else []),
            *([Job(team_rules.JOB_NAME, options.rules_interval_s,
                   RuleRuns(team.connection, team.relay, lease.id,
                            team.governance.actor).run)]
              if options.rules_interval_s > 0 else []),
            *([Job("tag-expiry", options.expiry_interval_s,
                   ExpiryJob(team.connection, team.relay).run)]
              if options.expiry_interval_s > 0 else []),
        ])
        sock = _listen(options.host, options.port)
        phone_changes.start()
        stack.callback(phone_changes.stop)
        server = uvicorn.Server(uvicorn.Config(
            build_app(team),
            log_config=None, access_log=False, lifespan="off", server_header=False,
            timeout_graceful_shutdown=GRACEFUL_STOP_S,
        ))
        team.journal_push.closing = lambda: server.should_exit
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        log.info("team server process %d listening on %s:%d for corp %s", lease.id, host,
                 port, options.corp_id)
        scheduler.start()
        stack.callback(scheduler.stop)
        _serve_until_stopped(server, sock, json.dumps({"url": f"http://{shown}:{port}/"}), out)
    log.info("team server stopped")
    return 0


@contextmanager
def _open_pool(url: str, size: int, health: DatabaseHealth,
               name: str) -> Iterator[psycopg_pool.ConnectionPool[Conn]]:
    pool: psycopg_pool.ConnectionPool[Conn] = psycopg_pool.ConnectionPool(
        url, min_size=1, max_size=size, open=False, timeout=CONNECT_TIMEOUT_S,
        # Autocommit: a lone statement costs one round trip; multi-statement work opens an
        # explicit transaction (`conn.transaction()`).
        kwargs={"connect_timeout": CONNECT_TIMEOUT_S, "autocommit": True}, name=name,
        check=health.check_connection,
    )
    try:
        pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
    except psycopg_pool.PoolTimeout:
        pool.close()
        raise ServerError(
            f"无法连接 PostgreSQL（{describe_target(url)}）。",
            f"Cannot connect to PostgreSQL at {describe_target(url)}.",
        ) from None
    health.watch(pool)
    try:
        yield pool
    finally:
        pool.close()


def _settle_orphans(team: TeamServer) -> None:
    """Settle outbox rows of dead server processes; WeCom or the database being unreachable
    leaves them for the next run of the job."""
    try:
        team.relay.recovery.settle_orphans()
    except (WeComError, WeComNetworkError, psycopg.Error) as exc:
        log.warning("outbox rows of stopped processes not settled yet: %s", type(exc).__name__)


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
    quiet handlers absorb so the process exits 0. They stay until the process has let go of
    its pools, lease and jobs (`serve` restores the previous ones), so a second stop signal
    during that does not kill it half-way."""

    def absorb(signum: int, frame: FrameType | None) -> None:
        server.should_exit = True

    for signum in STOP_SIGNALS:
        signal.signal(signum, absorb)
    try:
        out.write(first_line + "\n")
        out.flush()
        server.run(sockets=[sock])
    finally:
        sock.close()
