"""The refresh at start's catch-up against a real team server, where it is not whole: a server
that stops answering between two pages of the journal, and a cache without a journal mark
on a desktop whose clock is not the server's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.server import team_journal
from desktop.services.progress import Progress
from desktop.services.team_catch_up import MARK_KEY, PAGE, catch_up
from desktop.services.workspace import Workspace, open_workspace
from desktop.store import outbox
from desktop.store.journal import JournalEntry
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


def _synced_desktop(tmp_path: Path, server: TeamServerProcess, sandbox: SandboxServer,
                    monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A team desktop logged in and synced through `server` (`tagdesk sync`); its workspace,
    opened in this process."""
    env = desktop_env(tmp_path / "desktop")
    cli_login(env, server.url, sandbox, sorted(sandbox.state.follow_users())[0])
    synced = tagdesk("sync", "--profile", "team", env=env, timeout=120)
    assert synced.returncode == 0, synced.stderr
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return open_workspace(Path(env["TAGDESK_HOME"]), "team")


def _tag_rows(db_url: str, relations: list[tuple[str, str, tuple[str, ...]]]) -> list[int]:
    """One tag_add row per (external_userid, userid, tags after) appended to the team journal
    as a colleague's; their ids."""
    with psycopg.connect(db_url) as conn, conn.transaction():
        team_journal.append(conn, [
            JournalEntry(operator="colleague", action="tag_add", source="app",
                         batch_id="elsewhere", external_userid=customer, userid=userid,
                         tag_id=after[-1], after=json.dumps(list(after)))
            for customer, userid, after in relations], None)
        ids = conn.execute("SELECT id FROM team_journal WHERE batch_id = 'elsewhere'"
                           " ORDER BY id").fetchall()
    return [int(row[0]) for row in ids]


def test_a_server_stopping_between_two_pages_keeps_the_first_and_marks_it(
    postgres: PostgresCluster, sandbox: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """1,001 rows since the last sync, the server stopped once the first page of 1,000 is
    read: that page's relation is set and the mark moves past it; the second page's waits
    for the next start, and the failure is said."""
    server = TeamServerProcess(postgres.new_database(), sandbox, tmp_path / "server")
    try:
        ws = _synced_desktop(tmp_path, server, sandbox, monkeypatch)
        with ws:
            states = sorted(outbox.relation_states(ws.cache, [r for r, in ws.cache.connection(
                ).execute("SELECT id FROM relation ORDER BY id LIMIT 2")]).values(),
                key=lambda s: s.relation_id)
            tags = sorted(outbox.live_tag_ids(ws.cache))
            first, second = [(s.external_userid, s.userid,
                              tuple(sorted({*s.tag_ids, next(t for t in tags
                                                             if t not in s.tag_ids)})))
                             for s in states]
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
