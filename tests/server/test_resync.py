"""The periodic re-sync against a real PostgreSQL and the sandbox: the first run fills the
snapshot, changes made through the API (which never call back) are journaled once as
`observed` with the follower as probable operator, writes the relay journaled are not seen
again, a tag renamed in the admin console is journaled and followed by the team's saved
filters, keywords and verdicts, and the job runs once per period across server processes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import psycopg_pool
import pytest
from psycopg.types.json import Jsonb

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.server import snapshot
from desktop.server.database import migrate
from desktop.server.jobs import Job, Scheduler
from desktop.server.resync import Resync, ResyncResult
from desktop.store.journal import JournalEntry
from desktop.wecom.client import WeComClient
from desktop.wecom.ratelimit import RateLimits
from desktop.wecom.transport import WeComTransport
from tests.server.team_support import PostgresCluster

pytestmark = pytest.mark.integration


@dataclass
class World:
    sandbox: SandboxServer
    pool: psycopg_pool.ConnectionPool[psycopg.Connection[tuple[object, ...]]]
    resync: Resync
    client: WeComClient


@pytest.fixture(scope="module")
def world(postgres: PostgresCluster, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    url = postgres.new_database()
    migrate(url)
    data = tmp_path_factory.mktemp("resync-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=150, members=3, seed=9)) as sandbox, \
            psycopg_pool.ConnectionPool(url, min_size=1, max_size=3,
                                        kwargs={"autocommit": True}) as pool, \
            WeComClient(sandbox.api_base, sandbox.corp_id, sandbox.secret) as client:
        transport = WeComTransport(sandbox.api_base, sandbox.corp_id, sandbox.secret,
                                   limits=RateLimits())
        try:
            yield World(sandbox, pool, Resync(pool.connection, transport), client)
        finally:
            transport.close()


def _journal(world: World, after: int = 0) -> list[tuple[object, ...]]:
    with world.pool.connection() as conn:
        return conn.execute(
            "SELECT action, source, operator, probable_operator, userid, external_userid,"
            " tag_id, seen_after > 0 FROM team_journal WHERE id > %s ORDER BY id",
            (after,)).fetchall()


def _last_id(world: World) -> int:
    with world.pool.connection() as conn:
        row = conn.execute("SELECT coalesce(max(id), 0) FROM team_journal").fetchone()
    return int(str(row[0])) if row else 0


@dataclass(frozen=True)
class ConsoleTag:
    group: str
    name: str
    id: str

    @property
    def label(self) -> str:
        """How the team's filters, keywords and verdicts name it: `组:名`."""
        return f"{self.group}:{self.name}"


def _tag_after_a_resync(world: World, index: int) -> ConsoleTag:
    """Re-sync, then the corp tag at `index` in (group, name) order."""
    world.resync.run()
    (group, name), tag_id = sorted(world.sandbox.state.tag_ids_by_name().items())[index]
    return ConsoleTag(group, name, tag_id)


def _rename_in_console(world: World, tag: ConsoleTag, name: str) -> ResyncResult:
    """Rename `tag` in the admin console (no callback), then re-sync."""
    world.sandbox.state.console_edit_tag(tag.id, name=name)
    return world.resync.run()


def _team_settings(world: World, kind: str, values: dict[str, object]) -> None:
    """Team-wide settings of `kind` by key, saved by 'li' in one transaction."""
    with world.pool.connection() as conn, conn.transaction():
        for key, value in values.items():
            conn.execute("INSERT INTO team_setting (owner, kind, key, value, version,"
                         " updated_by, author) VALUES ('', %s, %s, %s, 0, 'li', 'li')",
                         (kind, key, Jsonb(value)))


def _untagged(world: World, skip: int = 0) -> tuple[str, str, str]:
    state = world.sandbox.state
    found = [(u, e, t) for u, e in state.relations() for t in state.tag_ids_by_name().values()
             if t not in state.relation_tag_ids(u, e)]
    return found[skip * 7]


def test_the_first_run_fills_the_snapshot_then_api_changes_are_journaled_once(
    world: World
) -> None:
    first = world.resync.run()
    assert first.baseline and first.changes == 0
    assert first.relations == len(world.sandbox.state.relations())
    assert _journal(world) == []

    userid, external_userid, tag_id = _untagged(world)
    world.client.mark_tag(userid, external_userid, add=[tag_id])  # another tool: no callback
    second = world.resync.run()
    assert (second.baseline, second.changes) == (False, 1)
    assert _journal(world) == [("tag_add", "observed", "", userid, userid, external_userid,
                                tag_id, True)]
    assert world.resync.run().changes == 0


def test_a_write_the_relay_journaled_is_not_journaled_again(world: World) -> None:
    world.resync.run()
    userid, external_userid, tag_id = _untagged(world, skip=1)
    world.client.mark_tag(userid, external_userid, add=[tag_id])
    with world.pool.connection() as conn, conn.transaction():  # what the relay does after it
        snapshot.follow_relay(conn, [JournalEntry(
            operator="boss", action="tag_add", source="relay", userid=userid,
            external_userid=external_userid, tag_id=tag_id)])
    before = _last_id(world)
    assert world.resync.run().changes == 0
    assert _journal(world, before) == []


def test_console_tag_library_edits_are_journaled(world: World) -> None:
    tag = _tag_after_a_resync(world, 0)
    before = _last_id(world)
    assert _rename_in_console(world, tag, tag.name + "（新）").changes == 1
    with world.pool.connection() as conn:
        row = conn.execute("SELECT action, source, tag_id, before, after FROM team_journal"
                           " WHERE id > %s", (before,)).fetchone()
    assert row == ("tag_rename", "observed", tag.id, f'{{"name": "{tag.name}"}}',
                   f'{{"name": "{tag.name}（新）"}}')


def test_a_console_rename_respells_the_teams_saved_filters(world: World) -> None:
    tag = _tag_after_a_resync(world, -1)
    _team_settings(world, "saved_filter", {"控制台改名": f"{tag.label} -VIP"})
    _rename_in_console(world, tag, tag.name + "2")
    with world.pool.connection() as conn:
        saved = conn.execute("SELECT value #>> '{}', author FROM team_setting"
                             " WHERE key = '控制台改名'").fetchone()
        journaled = conn.execute("SELECT count(*) FROM team_journal WHERE action ="
                                 " 'saved_filter_save' AND tag_name = '控制台改名'").fetchone()
    assert saved == (f"{tag.label}2 -VIP", "li") and journaled == (1,)


def test_a_console_rename_moves_the_teams_keywords_to_the_new_name(world: World) -> None:
    tag = _tag_after_a_resync(world, -1)
    _team_settings(world, "autotag_keywords", {
        tag.label: ["上门", "到家"], f"{tag.label}2": ["师傅"], "别的标签": ["无关"]})
    before = _last_id(world)
    _rename_in_console(world, tag, tag.name + "2")
    with world.pool.connection() as conn:
        kept = conn.execute("SELECT key, value, version > 0 FROM team_setting WHERE kind ="
                            " 'autotag_keywords' ORDER BY key").fetchall()
        journaled = conn.execute("SELECT action, tag_name, before, after FROM team_journal"
                                 " WHERE action LIKE 'autotag_keywords%%' AND id > %s"
                                 " ORDER BY id",
                                 (before,)).fetchall()
    assert sorted(kept) == sorted([
        (tag.label, None, True), (f"{tag.label}2", ["师傅", "上门", "到家"], True),
        ("别的标签", ["无关"], False)])        # deleted, joined, untouched; every desktop polls
    assert journaled == [
        ("autotag_keywords_remove", tag.label, '["上门", "到家"]', ""),
        ("autotag_keywords_set", f"{tag.label}2", '["师傅"]', '["师傅", "上门", "到家"]')]


def test_a_console_rename_moves_the_teams_verdicts_to_the_new_name(world: World) -> None:
    tag = _tag_after_a_resync(world, -2)
    reviewed = [(tag.label, "accepted"), (tag.label, "reverted"), (tag.label, "rejected"),
                ("别的标签", "accepted")]
    with world.pool.connection() as conn, conn.transaction():
        for tag_name, verdict in reviewed:
            conn.execute("INSERT INTO autotag_review (operator, external_userid, userid,"
                         " tag_name, verdict, msg_keys) VALUES ('li', 'wm1', 'u1', %s, %s,"
                         " '{}')", (tag_name, verdict))
    _rename_in_console(world, tag, tag.name + "新")
    with world.pool.connection() as conn:
        kept = conn.execute("SELECT tag_name, verdict FROM autotag_review WHERE userid = 'u1'"
                            " ORDER BY id").fetchall()
    assert kept == [(f"{tag.label}新", "accepted"), (f"{tag.label}新", "reverted"),
                    (f"{tag.label}新", "rejected"), ("别的标签", "accepted")]


def test_the_job_runs_once_per_period_across_processes(world: World) -> None:
    runs: list[str] = []

    def job(process: str) -> Job:
        def run() -> object:
            runs.append(process)
            return world.resync.run()
        return Job("resync", 3600, run)

    first = Scheduler(world.pool.connection, 1, [job("first")])
    second = Scheduler(world.pool.connection, 2, [job("second")])
    assert first.run_due() == ["resync"]
    assert second.run_due() == []
    assert runs == ["first"]
