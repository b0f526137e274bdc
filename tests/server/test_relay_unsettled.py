"""A write the team server decides on (a rule run, an expiry, a reconciliation) for a relation
whose last mark_tag is unsettled — WeCom applied it but the answer was lost — is refused
until the outbox has settled that call: planned from a snapshot that does not show the
call's outcome, it would otherwise be made and journaled twice (a rule run one second after
a lost answer re-added the tag, journaled it again and moved its expiry to the new batch)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import psycopg_pool
import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.server.database import migrate
from desktop.server.identity import Caller
from desktop.server.leases import ProcessLease
from desktop.server.outbox_recovery import MARK_TAG, outbox_row
from desktop.server.relay import Relay
from desktop.server.resync import Resync
from desktop.wecom.error_codes import TEAM_CALL_UNSETTLED
from desktop.wecom.errors import WeComNetworkError
from desktop.wecom.ratelimit import RateLimits
from desktop.wecom.transport import WeComTransport
from desktop.wecom.write_note import WriteNote
from tests.server.team_support import PostgresCluster

pytestmark = pytest.mark.integration

Pool = psycopg_pool.ConnectionPool[psycopg.Connection[tuple[object, ...]]]


@dataclass
class World:
    sandbox: SandboxServer
    pool: Pool
    relay: Relay


@pytest.fixture(scope="module")
def world(postgres: PostgresCluster, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    url = postgres.new_database()
    migrate(url)
    data = tmp_path_factory.mktemp("unsettled-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=12, members=2, seed=7)) as sandbox, \
            psycopg_pool.ConnectionPool(url, min_size=1, max_size=3,
                                        kwargs={"autocommit": True}) as pool:
        # One attempt and a short wait: an answer slower than that is lost.
        transport = WeComTransport(sandbox.api_base, sandbox.corp_id, sandbox.secret,
                                   limits=RateLimits(max_retries=0, read_timeout_s=0.5))
        lease = ProcessLease(url)
        try:
            Resync(pool.connection, transport).run()
            yield World(sandbox, pool, Relay(pool.connection, transport, lease.id))
        finally:
            lease.close()
            transport.close()


def _journal_rows(pool: Pool, external_userid: str, tag_id: str) -> list[str]:
    with pool.connection() as conn:
        return [str(batch) for (batch,) in conn.execute(
            "SELECT batch_id FROM team_journal WHERE external_userid = %s AND tag_id = %s"
            " AND action = 'tag_add' ORDER BY id", (external_userid, tag_id))]


def test_a_server_write_waits_until_the_relations_lost_answer_is_settled(world: World) -> None:
    state = world.sandbox.state
    tag_id = sorted(state.tag_ids_by_name().values())[0]
    userid, external_userid = next(
        (u, e) for u, e in sorted(state.relations()) if tag_id not in state.relation_tag_ids(u, e))
    body = {"userid": userid, "external_userid": external_userid, "add_tag": [tag_id]}
    rule = Caller("tagdesk-server", 0)

    world.sandbox.configure(latency_ms=1500)
    try:
        with pytest.raises(WeComNetworkError):
            world.relay.write(rule, MARK_TAG, body, WriteNote(batch_id="rule-first", source="rule"))
        deadline = time.monotonic() + 10
        while tag_id not in state.relation_tag_ids(userid, external_userid):
            assert time.monotonic() < deadline, "WeCom never applied the first call"
            time.sleep(0.05)
    finally:
        world.sandbox.configure(latency_ms=0)
    calls = world.sandbox.stats.calls(MARK_TAG)

    answer = world.relay.write(rule, MARK_TAG, body,
                               WriteNote(batch_id="rule-second", source="rule"))
    assert answer["errcode"] == TEAM_CALL_UNSETTLED
    assert "not confirmed yet" in answer["errmsg"]
    assert world.sandbox.stats.calls(MARK_TAG) == calls      # nothing sent
    assert _journal_rows(world.pool, external_userid, tag_id) == []

    with world.pool.connection() as conn:
        values = conn.execute(
            "SELECT id, operator, device_id, path, body, owner, write_note FROM outbox"
            " WHERE status = 'sending'").fetchone()
    assert values is not None
    assert world.relay.recovery.settle(outbox_row(tuple(values)))
    assert _journal_rows(world.pool, external_userid, tag_id) == ["rule-first"]

    again = world.relay.write(rule, MARK_TAG, body,
                              WriteNote(batch_id="rule-third", source="rule"))
    assert again["errcode"] == 0
    assert _journal_rows(world.pool, external_userid, tag_id) == ["rule-first"]
