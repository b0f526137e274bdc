"""Customers added or deleted on a phone reach the team journal: the callback worker writes
"customer added" with the contact way's state and "customer deleted" with every tag the
relation had in the server's snapshot, once however often WeCom retries the event."""

from __future__ import annotations

import json
from collections.abc import Iterator

import psycopg
import psycopg_pool
import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.server import team_audit
from desktop.server.callback_worker import CallbackWorker
from desktop.server.database import migrate
from desktop.server.team_audit import TeamJournalQuery
from desktop.wecom.ratelimit import RateLimits
from desktop.wecom.transport import WeComTransport
from tests.server.team_support import PostgresCluster

pytestmark = pytest.mark.integration
Pool = psycopg_pool.ConnectionPool[psycopg.Connection[tuple[object, ...]]]
CREATED = 1_700_000_000


@pytest.fixture(scope="module")
def pool(postgres: PostgresCluster) -> Iterator[Pool]:
    url = postgres.new_database()
    migrate(url)
    with psycopg_pool.ConnectionPool(url, min_size=1, max_size=2,
                                     kwargs={"autocommit": True}) as pool:
        yield pool


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    data = tmp_path_factory.mktemp("customer-journal-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=6, members=1)) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def worker(pool: Pool, sandbox: SandboxServer) -> Iterator[CallbackWorker]:
    transport = WeComTransport(sandbox.api_base, sandbox.corp_id, sandbox.secret,
                               limits=RateLimits())
    try:
        yield CallbackWorker(pool.connection, transport)
    finally:
        transport.close()


def _handle(pool: Pool, worker: CallbackWorker, change: str, userid: str,
            external_userid: str, state: str = "") -> None:
    """Record the event as the callback endpoint does, then let the worker take it."""
    with pool.connection() as conn:
        conn.execute(
            "INSERT INTO callback_event (dedupe_key, event, change_type, userid,"
            " external_userid, item_id, state, create_time)"
            " VALUES (%s, 'change_external_contact', %s, %s, %s, '', %s, %s)",
            (f"{change}-{external_userid}", change, userid, external_userid, state, CREATED))
    assert worker.process_one()


def _retry(pool: Pool, worker: CallbackWorker, change: str, external_userid: str) -> None:
    """WeCom delivers the event again after it was handled: it is queued once more."""
    with pool.connection() as conn:
        conn.execute("UPDATE callback_event SET status = 'pending' WHERE dedupe_key = %s",
                     (f"{change}-{external_userid}",))
    assert worker.process_one()


def _rows(pool: Pool, action: str, external_userid: str) -> list[dict[str, object]]:
    with pool.connection() as conn:
        return team_audit.page(conn, TeamJournalQuery(actions=(action,),
                                                      customers=(external_userid,)))


def _tagged(sandbox: SandboxServer, userid: str, external_userid: str, count: int) -> set[str]:
    tag_ids = sorted(sandbox.state.tag_ids_by_name().values())[:count]
    sandbox.state.console_mark_tag(userid, external_userid, tag_ids, [])
    return sandbox.state.relation_tag_ids(userid, external_userid)


def test_a_customer_added_through_a_contact_way_is_journaled_once_with_its_state(
    pool: Pool, sandbox: SandboxServer, worker: CallbackWorker
) -> None:
    userid, external_userid = sandbox.state.relations()[0]
    _handle(pool, worker, "add_external_contact", userid, external_userid, state="expo2026")
    _retry(pool, worker, "add_external_contact", external_userid)
    rows = _rows(pool, "customer_add", external_userid)
    assert len(rows) == 1
    row = rows[0]
    assert (row["operator"], row["probable_operator"], row["userid"], row["source"]) == (
        "", userid, userid, "callback")
    assert json.loads(str(row["after"])) == {"state": "expo2026"}
    assert "expo2026" in str(row["reason"])
    assert row["ts"] == CREATED


def test_a_deleted_customer_is_journaled_with_every_tag_the_relation_had(
    pool: Pool, sandbox: SandboxServer, worker: CallbackWorker
) -> None:
    userid, external_userid = sandbox.state.relations()[1]
    had = _tagged(sandbox, userid, external_userid, 2)
    assert len(had) >= 2
    with pool.connection() as conn:  # the tag library's snapshot names the tags
        conn.execute(
            "INSERT INTO callback_event (dedupe_key, event, change_type, userid,"
            " external_userid, item_id, state, create_time) VALUES ('library',"
            " 'change_external_tag', 'update', '', '', '', '', %s)", (CREATED,))
    assert worker.process_one()
    _handle(pool, worker, "edit_external_contact", userid, external_userid)  # the snapshot
    sandbox.state.delete_relation(userid, external_userid)
    _handle(pool, worker, "del_external_contact", userid, external_userid)
    _retry(pool, worker, "del_external_contact", external_userid)
    rows = _rows(pool, "customer_delete", external_userid)
    assert sorted(str(r["tag_id"]) for r in rows) == sorted(had)
    assert all(r["tag_name"] for r in rows)
    assert {(r["before"], r["after"], r["probable_operator"]) for r in rows} == {
        (json.dumps(sorted(had)), "[]", userid)}
    assert "member deleted the customer" in str(rows[0]["reason"])
    tag_id = sorted(had)[0]
    with pool.connection() as conn:
        by_tag = team_audit.page(conn, TeamJournalQuery(actions=("customer_delete",),
                                                        tags=(tag_id,)))
        snapshot = conn.execute("SELECT 1 FROM relation_tag_snapshot WHERE external_userid"
                                " = %s", (external_userid,)).fetchone()
    assert [r["external_userid"] for r in by_tag] == [external_userid]
    assert snapshot is None


def test_a_customer_who_deletes_the_member_is_journaled_with_the_tags_kept(
    pool: Pool, sandbox: SandboxServer, worker: CallbackWorker
) -> None:
    userid, external_userid = sandbox.state.relations()[2]
    sandbox.state.console_mark_tag(userid, external_userid, [],
                                   sorted(sandbox.state.relation_tag_ids(userid,
                                                                         external_userid)))
    _handle(pool, worker, "edit_external_contact", userid, external_userid)
    _handle(pool, worker, "del_follow_user", userid, external_userid)
    _retry(pool, worker, "del_follow_user", external_userid)
    rows = _rows(pool, "customer_delete", external_userid)
    assert [(r["tag_id"], r["before"], r["after"]) for r in rows] == [("", "[]", "[]")]
    assert "customer deleted the member" in str(rows[0]["reason"])
