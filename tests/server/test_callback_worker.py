"""The callback worker on its own: an event a stopped server left half-handled is taken up
again, and an event whose re-read keeps failing is retried, then given up, never lost
silently."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg_pool
import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.server import snapshot
from desktop.server.callback_worker import MAX_ATTEMPTS, CallbackWorker
from desktop.server.database import migrate
from desktop.wecom.ratelimit import RateLimits
from desktop.wecom.transport import WeComTransport
from tests.server.team_support import Pool, PostgresCluster, callback_status

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def pool(postgres: PostgresCluster) -> Iterator[Pool]:
    url = postgres.new_database()
    migrate(url)
    with psycopg_pool.ConnectionPool(url, min_size=1, max_size=2,
                                     kwargs={"autocommit": True}) as pool:
        yield pool


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    data = tmp_path_factory.mktemp("worker-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=5, members=1)) as sandbox:
        yield sandbox


@pytest.fixture
def worker(pool: Pool, sandbox: SandboxServer) -> Iterator[CallbackWorker]:
    transport = WeComTransport(sandbox.api_base, sandbox.corp_id, sandbox.secret,
                               limits=RateLimits())
    try:
        yield CallbackWorker(pool.connection, transport)
    finally:
        transport.close()


def _add_event(pool: Pool, key: str, userid: str, external_userid: str, status: str,
               claimed_ago: str = "0 seconds", change: str = "edit_external_contact") -> int:
    with pool.connection() as conn:
        row = conn.execute(
            "INSERT INTO callback_event (dedupe_key, event, change_type, userid,"
            " external_userid, item_id, state, create_time, status, claimed_at)"
            " VALUES (%s, 'change_external_contact', %s, %s, %s, '', '',"
            " 1700000000, %s, now() - %s::interval) RETURNING id",
            (key, change, userid, external_userid, status, claimed_ago)).fetchone()
    assert row is not None
    return int(str(row[0]))


def test_an_event_left_working_by_a_stopped_server_is_taken_up(
    pool: Pool, sandbox: SandboxServer, worker: CallbackWorker
) -> None:
    userid, external_userid = sandbox.state.relations()[0]
    fresh = _add_event(pool, "fresh", userid, external_userid, "working")
    stale = _add_event(pool, "stale", userid, external_userid, "working", "3 minutes")
    assert worker.process_one()
    assert not worker.process_one()  # the fresh claim belongs to a live server
    assert callback_status(pool, stale) == ("done", 1)
    assert callback_status(pool, fresh) == ("working", 0)
    with pool.connection() as conn:
        row = conn.execute("SELECT tag_ids FROM relation_tag_snapshot WHERE userid = %s"
                           " AND external_userid = %s", (userid, external_userid)).fetchone()
    assert row is not None


def test_a_re_read_that_keeps_failing_is_retried_then_given_up(pool: Pool) -> None:
    event_id = _add_event(pool, "unreachable", "zhangsan", "wmUNREACHABLE", "pending")
    transport = WeComTransport("http://127.0.0.1:9/cgi-bin/", "ww1", "secret",
                               limits=RateLimits(max_retries=0))
    try:
        worker = CallbackWorker(pool.connection, transport)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            assert not worker.process_one()
            assert callback_status(pool, event_id) == (
                "failed" if attempt == MAX_ATTEMPTS else "pending", attempt)
        assert not worker.process_one()
    finally:
        transport.close()


def test_a_customer_not_yet_visible_after_an_add_is_read_again_later(
    pool: Pool, sandbox: SandboxServer, worker: CallbackWorker
) -> None:
    userid = sandbox.state.relations()[0][0]
    event_id = _add_event(pool, "just-added", userid, "wmNOTYETVISIBLE", "pending",
                          change="add_external_contact")
    assert not worker.process_one()
    assert callback_status(pool, event_id) == ("pending", 1)


def test_a_relation_ended_before_its_edit_was_handled_is_journaled_by_its_ending(
    pool: Pool, sandbox: SandboxServer, worker: CallbackWorker
) -> None:
    """A member tags a customer and deletes it before the worker reaches the tag's event:
    that event's re-read finds no relation; the deletion's event that follows still knows
    the tags the customer had and journals them as lost."""
    userid, external_userid = sandbox.state.relations()[-1]
    tag_id = sorted(sandbox.state.tag_ids_by_name().values())[0]
    with pool.connection() as conn:
        # events other tests left waiting would be claimed first (the oldest goes first)
        conn.execute("UPDATE callback_event SET status = 'failed' WHERE status = 'pending'")
        snapshot.store_relation(conn, userid, external_userid, {tag_id})
    sandbox.state.delete_relation(userid, external_userid)
    edited = _add_event(pool, "tagged-then-deleted", userid, external_userid, "pending")
    deleted = _add_event(pool, "deleted", userid, external_userid, "pending",
                         change="del_external_contact")
    assert worker.process_one() and worker.process_one()
    assert callback_status(pool, edited) == ("done", 1) and callback_status(pool, deleted) == ("done", 1)
    with pool.connection() as conn:
        rows = conn.execute("SELECT action, tag_id, before FROM team_journal"
                            " WHERE external_userid = %s", (external_userid,)).fetchall()
        assert snapshot.relation_tags(conn, userid, external_userid) is None
    assert rows == [("customer_delete", tag_id, f'["{tag_id}"]')]
