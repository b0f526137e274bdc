"""What the server sees of WeCom while and after the relay writes to it. A phone's change to
a relation arrives (a callback) while a relayed mark_tag to the same relation has reached
WeCom but not yet settled: the callback's re-read already shows the relayed tag, which the
server's snapshot does not, so the worker journaled it a second time, as a change made on the
phone (and a re-sync did the same, as seen at sync). They now leave the relation alone until
the relayed write has settled; a relayed write to another relation meanwhile does not wait.
WeCom's late answer is a sandbox hold, so every step happens in a known order. Relayed
renames, deletions and new tags, likewise, are no longer seen again by the next re-sync."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg_pool
import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.server import snapshot
from desktop.server.callback_worker import CallbackWorker, WriteInFlight, apply_event
from desktop.server.callbacks import CONTACT, TAG, CallbackEvent
from desktop.server.database import migrate
from desktop.server.identity import Caller
from desktop.server.leases import ProcessLease
from desktop.server.outbox_recovery import MARK_TAG
from desktop.server.relay import Relay
from desktop.server.resync import Resync
from desktop.wecom.ratelimit import RateLimits
from desktop.wecom.transport import WeComTransport
from desktop.wecom.write_note import WriteNote
from tests.server.team_support import Pool, PostgresCluster, callback_status, wait_for

pytestmark = pytest.mark.integration

WAIT_S = 20


@dataclass
class World:
    sandbox: SandboxServer
    pool: Pool
    relay: Relay
    worker: CallbackWorker
    transport: WeComTransport


@pytest.fixture
def world(postgres: PostgresCluster, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    url = postgres.new_database()
    migrate(url)
    data = tmp_path_factory.mktemp("race-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=12, members=2, seed=7)) as sandbox, \
            psycopg_pool.ConnectionPool(url, min_size=1, max_size=4,
                                        kwargs={"autocommit": True}) as pool:
        transport = WeComTransport(sandbox.api_base, sandbox.corp_id, sandbox.secret,
                                   limits=RateLimits(max_retries=0))
        lease = ProcessLease(url)
        try:
            Resync(pool.connection, transport).run()
            yield World(sandbox, pool, Relay(pool.connection, transport, lease.id),
                        CallbackWorker(pool.connection, transport), transport)
        finally:
            lease.close()
            transport.close()


def _phone_event(pool: Pool, userid: str, external_userid: str) -> int:
    """The callback WeCom sends for a member's tagging on the phone, as the receiver stores it."""
    with pool.connection() as conn:
        row = conn.execute(
            "INSERT INTO callback_event (dedupe_key, event, change_type, userid,"
            " external_userid, item_id, state, create_time) VALUES (%s,"
            " 'change_external_contact', 'edit_external_contact', %s, %s, '', '', 1780000000)"
            " RETURNING id", (f"phone-{external_userid}", userid, external_userid)).fetchone()
    assert row is not None
    return int(str(row[0]))


def _journal(pool: Pool, external_userid: str) -> list[tuple[object, ...]]:
    with pool.connection() as conn:
        return conn.execute("SELECT action, source, tag_id FROM team_journal"
                            " WHERE external_userid = %s ORDER BY id",
                            (external_userid,)).fetchall()


def test_a_callback_during_a_relayed_write_journals_only_the_phones_change(
        world: World) -> None:
    state = world.sandbox.state
    relayed, phoned = sorted(state.tag_ids_by_name().values())[:2]
    free = [(u, e) for u, e in sorted(state.relations())
            if not {relayed, phoned} & state.relation_tag_ids(u, e)]
    (userid, customer), (other_userid, other_customer) = free[0], free[1]
    had = state.relation_tag_ids(userid, customer)
    desk = Caller(userid, 0)
    answers: dict[str, dict[str, Any]] = {}

    def tag(key: str, follower: str, external_userid: str) -> None:
        answers[key] = world.relay.write(
            desk, MARK_TAG, {"userid": follower, "external_userid": external_userid,
                             "add_tag": [relayed]}, WriteNote(batch_id=f"desk-{key}", source="app"))

    hold = world.sandbox.hold_answers(MARK_TAG)
    writes = [threading.Thread(target=tag, args=("first", userid, customer))]
    try:
        writes[0].start()
        assert hold.applied.wait(WAIT_S), "the relayed mark_tag never reached WeCom"
        state.console_mark_tag(userid, customer, [phoned], [])    # on the phone, meanwhile
        event = _phone_event(world.pool, userid, customer)

        assert not world.worker.process_one()                      # nothing it may handle yet
        assert callback_status(world.pool, event) == ("pending", 0)       # left for after the write
        with world.pool.connection() as conn, pytest.raises(WriteInFlight):
            apply_event(conn, world.transport, CallbackEvent(   # one claimed just before
                CONTACT, "edit_external_contact", userid, customer, "", "", 1780000000, ""))
        assert _journal(world.pool, customer) == []

        writes.append(threading.Thread(target=tag, args=("other", other_userid, other_customer)))
        writes[1].start()                                          # another relation: no wait
        wait_for(lambda: relayed in state.relation_tag_ids(other_userid, other_customer),
                 timeout=WAIT_S, what="the other relation's write reaching WeCom")
        assert writes[0].is_alive()                                # the first is still held
    finally:
        hold.release()
        for write in writes:
            write.join(WAIT_S)
    assert answers["first"]["errcode"] == 0 and answers["other"]["errcode"] == 0

    assert world.worker.process_one()
    assert callback_status(world.pool, event) == ("done", 1)
    assert _journal(world.pool, customer) == [("tag_add", "app", relayed),
                                              ("tag_add", "callback", phoned)]
    with world.pool.connection() as conn:
        assert snapshot.relation_tags(conn, userid, customer) == had | {relayed, phoned}


def test_a_re_sync_during_a_relayed_write_leaves_the_relation_to_it(world: World) -> None:
    """The periodic re-sync reads a relation while a relayed write to it is under way: it
    does not journal the relayed tag as seen at sync; the write journals it once."""
    state = world.sandbox.state
    relayed = sorted(state.tag_ids_by_name().values())[0]
    userid, customer = next((u, e) for u, e in sorted(state.relations())
                            if relayed not in state.relation_tag_ids(u, e))
    answers: list[dict[str, Any]] = []
    hold = world.sandbox.hold_answers(MARK_TAG)
    write = threading.Thread(target=lambda: answers.append(world.relay.write(
        Caller(userid, 0), MARK_TAG, {"userid": userid, "external_userid": customer,
                                      "add_tag": [relayed]},
        WriteNote(batch_id="desk-1", source="app"))))
    try:
        write.start()
        assert hold.applied.wait(WAIT_S), "the relayed mark_tag never reached WeCom"
        Resync(world.pool.connection, world.transport).run()
        assert _journal(world.pool, customer) == []
    finally:
        hold.release()
        write.join(WAIT_S)
    assert answers and answers[0]["errcode"] == 0
    assert _journal(world.pool, customer) == [("tag_add", "app", relayed)]


def test_relayed_tag_library_edits_are_not_seen_again_by_the_next_re_sync(
        world: World) -> None:
    """The tag library snapshot follows the relay's renames, deletions and new tags in their
    settle's transaction: the next re-sync finds nothing to journal as seen at sync."""
    state = world.sandbox.state
    (group, name), renamed = sorted(state.tag_ids_by_name().items())[0]
    doomed = next(tag_id for (other, _), tag_id in sorted(state.tag_ids_by_name().items())
                  if other != group)
    tree = WriteNote(batch_id="tree-1", source="tree")
    admin = Caller("boss", 0)
    assert world.relay.write(admin, "externalcontact/edit_corp_tag",
                             {"id": renamed, "name": f"{name}（新）"}, tree)["errcode"] == 0
    assert world.relay.write(admin, "externalcontact/edit_corp_tag",
                             {"id": _group_of(world, renamed), "name": f"{group}（新）"},
                             tree)["errcode"] == 0
    assert world.relay.write(admin, "externalcontact/del_corp_tag",
                             {"tag_id": [doomed]}, tree)["errcode"] == 0
    assert world.relay.write(admin, "externalcontact/add_corp_tag", {
        "group_id": _group_of(world, renamed), "tag": [{"name": "新标签"}]}, tree)["errcode"] == 0

    Resync(world.pool.connection, world.transport).run()
    with world.pool.connection() as conn:
        rows = conn.execute("SELECT action, source FROM team_journal"
                            " WHERE action NOT IN ('tag_add', 'tag_remove') ORDER BY id").fetchall()
    assert rows == [("tag_rename", "tree"), ("group_rename", "tree"), ("tag_delete", "tree"),
                    ("tag_create", "tree")]


def test_a_tag_event_and_a_re_sync_during_a_relayed_rename_leave_it_to_the_rename(
        world: World) -> None:
    """A console edit calls back (and a re-sync runs) while a relayed rename has reached WeCom
    but not settled: neither journals the rename; the relay journals it once."""
    state = world.sandbox.state
    (_, name), tag_id = sorted(state.tag_ids_by_name().items())[0]
    answers: list[dict[str, Any]] = []
    hold = world.sandbox.hold_answers("externalcontact/edit_corp_tag")
    rename = threading.Thread(target=lambda: answers.append(world.relay.write(
        Caller("boss", 0), "externalcontact/edit_corp_tag", {"id": tag_id, "name": f"{name}2"},
        WriteNote(batch_id="tree-1", source="tree"))))
    try:
        rename.start()
        assert hold.applied.wait(WAIT_S), "the relayed rename never reached WeCom"
        with world.pool.connection() as conn:
            row = conn.execute(
                "INSERT INTO callback_event (dedupe_key, event, change_type, userid,"
                " external_userid, item_id, state, create_time) VALUES ('console-edit',"
                " %s, 'update', '', '', %s, '', 1780000000) RETURNING id",
                (TAG, tag_id)).fetchone()
        assert row is not None
        assert not world.worker.process_one()                      # nothing it may handle yet
        assert callback_status(world.pool, int(str(row[0]))) == ("pending", 0)
        Resync(world.pool.connection, world.transport).run()
    finally:
        hold.release()
        rename.join(WAIT_S)
    assert answers and answers[0]["errcode"] == 0
    assert world.worker.process_one()
    with world.pool.connection() as conn:
        rows = conn.execute("SELECT action, source FROM team_journal WHERE tag_id = %s"
                            " ORDER BY id", (tag_id,)).fetchall()
    assert rows == [("tag_rename", "tree")]


def _group_of(world: World, tag_id: str) -> str:
    with world.pool.connection() as conn:
        row = conn.execute("SELECT group_id FROM corp_tag_snapshot WHERE tag_id = %s",
                           (tag_id,)).fetchone()
    assert row is not None
    return str(row[0])
