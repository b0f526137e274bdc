"""A phone's callback held behind a relayed write whose server process died mid-call goes as
soon as another process settles the write from WeCom (the outbox's recovery): every settle
NOTIFYs every server process's callback worker, not only the relay's own."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import psycopg
import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.sandbox.callbacks import CallbackSettings
from desktop.wecom.client import WeComClient
from desktop.wecom.errors import WeComError, WeComNetworkError
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    log_in,
    team_client,
    wait_for,
)

pytestmark = pytest.mark.integration

TOKEN = "TagDeskCb2026"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
MARK_TAG = "externalcontact/mark_tag"


@pytest.fixture()
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(data_dir=tmp_path / "corp", customers=30, members=4,
                                     seed=17)) as server:
        yield server


def _one(db_url: str, query: str, *params: object) -> object:
    with psycopg.connect(db_url) as conn:
        row = conn.execute(query.encode(), params).fetchone()
    return row[0] if row else None


def test_a_callback_held_behind_a_write_settled_by_another_process_goes_at_once(
    postgres: PostgresCluster, sandbox: SandboxServer, tmp_path: Path
) -> None:
    """Process A relays a mark_tag and is killed while WeCom holds its answer; the phone's
    change to the same relation reaches process B and waits for that write. B's outbox
    recovery settles the write from WeCom: B's worker handles the callback within a moment
    of the settle, not at its next 5-second poll."""
    db_url = postgres.new_database()
    userid, customer = sorted(sandbox.state.relations())[0]
    present = sandbox.state.relation_tag_ids(userid, customer)
    relayed, phoned = [t for t in sorted(sandbox.state.tag_ids_by_name().values())
                       if t not in present][:2]
    relay = TeamServerProcess(db_url, sandbox, tmp_path / "a")
    phones = TeamServerProcess(db_url, sandbox, tmp_path / "b", "--outbox-check-every", "1",
                               "--callback-token", TOKEN, "--callback-aes-key", AES_KEY)
    hold = sandbox.hold_answers(MARK_TAG)
    client = team_client(relay.url, sandbox, log_in(relay.url, sandbox, userid).token)
    write = threading.Thread(target=_tag, args=(client, userid, customer, relayed))
    try:
        wait_for(lambda: _one(db_url, "SELECT finished_at FROM resync_run"),
                 what="the first re-sync")
        sandbox.set_callback(CallbackSettings(phones.url + "tagdesk/v1/callback", TOKEN,
                                              AES_KEY, timeout_s=2, retries=3,
                                              retry_delay_s=0.2))
        write.start()
        assert hold.applied.wait(20), "the relayed mark_tag never reached WeCom"
        sandbox.phone.mark(userid, customer, add=[phoned])
        wait_for(lambda: _one(db_url, "SELECT count(*) FROM callback_event WHERE"
                              " external_userid = %s AND status = 'pending'", customer) == 1,
                 timeout=15, what="the phone's callback, waiting for the write")
        relay.process.send_signal(signal.SIGKILL)
        relay.process.wait(timeout=30)
        hold.release()
        wait_for(lambda: _one(db_url, "SELECT status FROM callback_event WHERE"
                              " external_userid = %s", customer) == "done",
                 timeout=20, what="the callback handled")
    finally:
        hold.release()
        sandbox.set_callback(None)
        client.close()
        write.join(30)
        relay.stop()
        assert phones.stop() == 0, phones.stderr
    settled_how = _one(db_url, "SELECT settled_how FROM outbox WHERE path = %s", MARK_TAG)
    assert settled_how == "applied: found on WeCom"
    gap = _one(db_url, "SELECT extract(epoch FROM e.finished_at - o.finished_at) FROM"
                       " callback_event e, outbox o WHERE e.external_userid = %s"
                       " AND o.path = %s", customer, MARK_TAG)
    assert float(str(gap)) < 2.0, gap
    with psycopg.connect(db_url) as conn:
        sources = conn.execute("SELECT tag_id, source FROM team_journal WHERE"
                               " external_userid = %s AND action = 'tag_add' ORDER BY id",
                               (customer,)).fetchall()
    assert sources == [(relayed, "relay"), (phoned, "callback")]


def _tag(client: WeComClient, userid: str, customer: str, tag_id: str) -> None:
    """The desktop's call; its server is killed under it, so its end is not looked at."""
    with suppress(WeComError, WeComNetworkError):
        client.mark_tag(userid, customer, add=[tag_id])
