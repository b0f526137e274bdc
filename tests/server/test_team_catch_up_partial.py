"""The refresh at start's catch-up against a real team server, where it is not whole: a server
that stops answering between two pages of the journal, a sync whose journal mark could not be
read, and a cache without a journal mark on a desktop whose clock is not the server's."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from desktop.domain.retag_plan import RelationState
from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.server import team_journal
from desktop.services.progress import Progress
from desktop.services.team_catch_up import MARK_KEY, PAGE, catch_up
from desktop.services.workspace import Workspace, open_workspace
from desktop.store import outbox
from desktop.store.journal import JournalEntry
from desktop.store.snapshot import LAST_SYNC_KEY
from tests.server.refusing_proxy import RefusingProxy
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    cli_login,
    desktop_env,
    tagdesk,
)

pytestmark = pytest.mark.integration


@pytest.fixture()
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(data_dir=tmp_path / "corp", customers=30, members=4,
                                     seed=29)) as server:
        yield server


def _synced_desktop(tmp_path: Path, team_url: str, sandbox: SandboxServer,
                    monkeypatch: pytest.MonkeyPatch) -> Path:
    """A team desktop logged in and synced through the team server at `team_url`, its
    environment this process's too; its home."""
    env = desktop_env(tmp_path / "desktop")
    cli_login(env, team_url, sandbox, sorted(sandbox.state.follow_users())[0])
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    _sync()
    return Path(env["TAGDESK_HOME"])


def _sync() -> None:
    synced = tagdesk("sync", "--profile", "team", env=dict(os.environ), timeout=120)
    assert synced.returncode == 0, synced.stderr


Change = tuple[str, str, tuple[str, ...]]   # external_userid, userid, tags after


def _tag_rows(db_url: str, changes: list[Change], batch_id: str = "elsewhere") -> list[int]:
    """One tag_add row per change appended to the team journal as a colleague's (WeCom is
    not told: only the journal says it); their ids."""
    with psycopg.connect(db_url) as conn, conn.transaction():
        team_journal.append(conn, [
            JournalEntry(operator="colleague", action="tag_add", source="app",
                         batch_id=batch_id, external_userid=customer, userid=userid,
                         tag_id=after[-1], after=json.dumps(list(after)))
            for customer, userid, after in changes], None)
        ids = conn.execute("SELECT id FROM team_journal WHERE batch_id = %s ORDER BY id",
                           (batch_id,)).fetchall()
    return [int(row[0]) for row in ids]


def _two_changes(ws: Workspace) -> tuple[list[RelationState], list[Change]]:
    """The cache's first two relations, and each with one tag more."""
    states = sorted(outbox.relation_states(ws.cache, [r for r, in ws.cache.connection().execute(
        "SELECT id FROM relation ORDER BY id LIMIT 2")]).values(), key=lambda s: s.relation_id)
    tags = sorted(outbox.live_tag_ids(ws.cache))
    return states, [(s.external_userid, s.userid,
                     tuple(sorted({*s.tag_ids, next(t for t in tags if t not in s.tag_ids)})))
                    for s in states]


def test_a_server_stopping_between_two_pages_keeps_the_first_and_marks_it(
    postgres: PostgresCluster, sandbox: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """1,001 rows since the last sync, the server stopped once the first page of 1,000 is
    read: that page's relation is set and the mark moves past it; the second page's waits
    for the next start, and the failure is said."""
    server = TeamServerProcess(postgres.new_database(), sandbox, tmp_path / "server")
    try:
        with open_workspace(_synced_desktop(tmp_path, server.url, sandbox, monkeypatch),
                            "team") as ws:
            states, (first, second) = _two_changes(ws)
            ids = _tag_rows(server.db_url, [first] * PAGE + [second])

            def stop_after_a_page(event: Progress) -> None:
                if event.phase == "team" and event.done >= PAGE:
                    server.stop()

            caught_up = catch_up(ws, stop_after_a_page)
            assert caught_up is not None and caught_up.failed is not None
            assert (caught_up.rows, caught_up.relations_changed) == (PAGE, 1)
            now = outbox.relation_states_by_key(ws.cache, [first[:2], second[:2]])
            assert now[first[:2]].tag_ids == frozenset(first[2])
            assert now[second[:2]].tag_ids == states[1].tag_ids
            assert ws.cache.get_meta(MARK_KEY) == str(ids[PAGE - 1])
    finally:
        server.stop()


def test_a_sync_whose_journal_mark_failed_catches_up_from_when_it_began(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The journal check before a sync answered 503 once (the proxy in front of the server
    refused it) and the sync went through: the next catch-up does not apply again the row
    the sync already read from WeCom (the mark of the sync before would), and applies the
    one written after it."""
    with RefusingProxy(team_server.url) as proxy:
        home = _synced_desktop(tmp_path, proxy.url, team_sandbox, monkeypatch)
        with open_workspace(home, "team") as ws:
            states, (before, after) = _two_changes(ws)
        _tag_rows(team_server.db_url, [before], "marklost-before")
        proxy.refuse_next("POST", "/tagdesk/v1/journal")
        _sync()
        assert proxy.refused == 1
        _tag_rows(team_server.db_url, [after], "marklost-after")
        with open_workspace(home, "team") as ws:
            caught_up = catch_up(ws)
            assert caught_up is not None and caught_up.failed is None
            assert (caught_up.rows, caught_up.relations_changed) == (1, 1)
            now = outbox.relation_states_by_key(ws.cache, [before[:2], after[:2]])
            assert now[before[:2]].tag_ids == states[0].tag_ids      # as the sync read it
            assert now[after[:2]].tag_ids == frozenset(after[2])


@pytest.mark.parametrize("skew_s", [600.0, -600.0], ids=["ahead", "behind"])
def test_a_cache_without_a_mark_catches_up_by_the_servers_clock(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, skew_s: float,
) -> None:
    """A cache synced before it kept a mark, on a desktop whose clock is ten minutes ahead of
    the server's or behind it: the row written after that sync is applied (ahead, it was
    taken for older than the sync), the one written before it is not applied again (behind,
    it was taken for newer: it would undo what the sync read from WeCom)."""
    batch = f"skew{skew_s:+.0f}"
    home = _synced_desktop(tmp_path, team_server.url, team_sandbox, monkeypatch)
    with open_workspace(home, "team") as ws:
        states, (before, after) = _two_changes(ws)
    _tag_rows(team_server.db_url, [before], batch + "-before")
    _sync()
    with open_workspace(home, "team") as ws:
        synced_at = float(ws.cache.get_meta(LAST_SYNC_KEY))
        with ws.cache.write() as conn:     # as a TagDesk that kept no mark, by its clock
            ws.cache.set_meta(conn, MARK_KEY, "")
            ws.cache.set_meta(conn, LAST_SYNC_KEY, repr(synced_at + skew_s))
        _tag_rows(team_server.db_url, [after], batch + "-after")
        caught_up = catch_up(ws, clock=lambda: time.time() + skew_s)
        assert caught_up is not None and caught_up.failed is None
        assert (caught_up.rows, caught_up.relations_changed) == (1, 1)
        now = outbox.relation_states_by_key(ws.cache, [before[:2], after[:2]])
        assert now[before[:2]].tag_ids == states[0].tag_ids      # as the sync read it
        assert now[after[:2]].tag_ids == frozenset(after[2])
