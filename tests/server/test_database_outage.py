"""PostgreSQL stopped and started again under load: the team server answers 503 at once while
it is down (not after the pool's 10 s wait), desktops say "团队服务器暂不可用，正在重试…" and
carry on when it is back, and no write is lost, doubled or left half-journaled."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from desktop.sandbox import SandboxServer
from desktop.server import team_journal
from desktop.services.team import team_api_base
from desktop.wecom.client import WeComClient
from desktop.wecom.ratelimit import RateLimits
from desktop.wecom.transport import WaitNotice, WeComTransport
from tests.server.team_support import PostgresCluster, TeamServerProcess, log_in, postgres_bin

pytestmark = pytest.mark.integration


@pytest.fixture
def own_cluster() -> Iterator[PostgresCluster]:
    """A cluster of this test's own: it is stopped and started while others may use theirs."""
    root = Path(tempfile.mkdtemp(prefix="tagdesk-pg-outage-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    cluster = PostgresCluster(postgres_bin(), root)
    cluster.start()
    try:
        yield cluster
    finally:
        if (cluster.data / "postmaster.pid").exists():
            cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_postgresql_restarted_under_load(
    own_cluster: PostgresCluster, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    db_url = own_cluster.new_database()
    server = TeamServerProcess(db_url, team_sandbox, tmp_path)
    operator = sorted(team_sandbox.state.follow_users())[5]
    tag_id = sorted(team_sandbox.state.tag_ids_by_name().values())[1]
    relations = [(u, e) for u, e in team_sandbox.state.relations()][-2:]
    notices: list[WaitNotice] = []
    transport: WeComTransport | None = None
    stop = threading.Event()
    writes = [0, 0]
    try:
        device = log_in(server.url, team_sandbox, operator)
        transport = WeComTransport(
            team_api_base(server.url), team_sandbox.corp_id, device.token,
            limits=RateLimits(max_retries=15, backoff_base_s=0.2, backoff_max_s=1.0))
        client = WeComClient.over(transport, on_wait=notices.append, team_url=server.url)
        session = client.get_token()

        def read() -> None:
            while not stop.is_set():
                assert client.get_follow_user_list()

        def write(index: int) -> None:
            userid, euid = relations[index]
            while not stop.is_set():
                tagged = tag_id in team_sandbox.state.relation_tag_ids(userid, euid)
                change: dict[str, Any] = {"remove": [tag_id]} if tagged else {"add": [tag_id]}
                client.mark_tag(userid, euid, **change)
                writes[index] += 1

        with ThreadPoolExecutor(4) as pool:
            load = [pool.submit(read), pool.submit(read), pool.submit(write, 0),
                    pool.submit(write, 1)]
            time.sleep(1)
            own_cluster.stop()
            whoami = server.url + "tagdesk/v1/whoami"
            answers = []
            for _ in range(2):
                started = time.monotonic()
                answer = requests.get(whoami, params={"access_token": session}, timeout=30)
                answers.append((answer.status_code, time.monotonic() - started))
            time.sleep(2)
            own_cluster.start_again()
            time.sleep(2)
            stop.set()
            for future in load:
                future.result(timeout=120)
    finally:
        stop.set()
        if transport is not None:
            transport.close()
        server.stop()
    assert [status for status, _ in answers] == [503, 503]
    assert answers[0][1] < 3.0 and answers[1][1] < 0.5, answers  # not the pool's 10 s wait
    retries = [n.sentence() for n in notices if n.kind == "retry"]
    assert retries and all(s.startswith("团队服务器暂不可用，正在重试…") for s in retries)
    assert min(writes) >= 2, writes
    with psycopg.connect(db_url) as conn:
        journaled = conn.execute(
            "SELECT count(*) FROM team_journal WHERE operator = %s AND tag_id = %s",
            (operator, tag_id)).fetchone()
        sending = conn.execute("SELECT count(*) FROM outbox WHERE status = 'sending'"
                               ).fetchone()
        check = team_journal.verify(conn)
    assert journaled == (sum(writes),)
    assert sending == (0,)
    assert check.ok
