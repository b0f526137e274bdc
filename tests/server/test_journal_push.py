"""New team journal rows are pushed: `/tagdesk/v1/journal/wait` answers as soon as a row
commits (PostgreSQL LISTEN/NOTIFY), the desktop's wait can be cut off at once, a server
without the endpoint is told apart, and the audit viewer on a team profile shows a row
committed elsewhere without polling, through the one wait it shares with File → 审批."""

from __future__ import annotations

import os
import statistics
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from desktop.sandbox import SandboxServer
from desktop.server import team_journal
from desktop.services.team import TeamServerError
from desktop.services.team_push import JournalNews, PushUnsupported, wait_newer
from desktop.services.workspace import open_workspace
from desktop.store.journal import JournalEntry
from desktop.ui.audit_viewer import AuditViewer
from desktop.ui.context import AppContext
from desktop.ui.governance_monitor import PUSH_GAP_S, GovernanceMonitor
from tests.server.refusing_proxy import RefusingProxy
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    _free_port,
    cli_login,
    desktop_env,
    log_in,
    logged_in_home,
    tagdesk,
)

pytestmark = pytest.mark.integration
ROUNDS = 20
WAIT_PATH = "/tagdesk/v1/journal/wait"


@pytest.fixture(scope="module")
def session(team_server: TeamServerProcess, team_sandbox: SandboxServer) -> str:
    """A session token of a logged-in desktop."""
    device = log_in(team_server.url, team_sandbox, sorted(team_sandbox.state.follow_users())[2])
    answer = requests.get(team_server.url + "cgi-bin/gettoken", timeout=10, params={
        "corpid": team_sandbox.corp_id, "corpsecret": device.token}).json()
    return str(answer["access_token"])


def _commit_row(db_url: str, name: str, action: str = "tag_create",
                source: str = "tree") -> tuple[int, float]:
    """Append one row as any server process does; (its id, when the commit returned)."""
    with psycopg.connect(db_url) as conn:
        with conn.transaction():
            team_journal.append(conn, [JournalEntry(operator="pusher", action=action,
                                                    source=source, tag_name=name)], None)
            row = conn.execute("SELECT last_id FROM team_journal_head").fetchone()
        committed = time.monotonic()
    assert row is not None
    return int(str(row[0])), committed


def _latest(db_url: str) -> int:
    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT last_id FROM team_journal_head").fetchone()
    assert row is not None
    return int(str(row[0]))


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def test_a_wait_is_answered_as_soon_as_a_row_commits(
    team_server: TeamServerProcess, session: str
) -> None:
    delays = []
    for n in range(ROUNDS):
        after = _latest(team_server.db_url)
        answers: list[tuple[JournalNews, float]] = []

        def wait(after: int = after, answers: list[tuple[JournalNews, float]] = answers
                 ) -> None:
            answers.append((wait_newer(team_server.url, session, after, threading.Event()),
                            time.monotonic()))

        waiting = threading.Thread(target=wait)
        waiting.start()
        time.sleep(0.3)   # the request is in and waiting
        row_id, committed = _commit_row(team_server.db_url, f"push {n}")
        waiting.join(timeout=10)
        assert answers, "the wait did not end"
        news, answered = answers[0]
        assert news == JournalNews(row_id, True, 0)   # no approvals or policy row yet
        delays.append(answered - committed)
    p50, p95 = _percentiles(delays)
    print(f"\ncommit -> wait answered over {ROUNDS} rows: p50 {p50 * 1000:.1f} ms,"
          f" p95 {p95 * 1000:.1f} ms")
    assert p95 < 1.0


def test_a_wait_without_news_ends_after_its_timeout(
    team_server: TeamServerProcess, session: str
) -> None:
    latest = _latest(team_server.db_url)
    started = time.monotonic()
    news = wait_newer(team_server.url, session, latest, threading.Event(), timeout_s=0.5)
    assert news == JournalNews(latest, False, 0)
    assert 0.4 < time.monotonic() - started < 5
    older = wait_newer(team_server.url, session, latest - 1, threading.Event())
    assert older == JournalNews(latest, True, 0)   # at once: the row is already there


def test_a_cancelled_wait_ends_at_once(team_server: TeamServerProcess, session: str) -> None:
    cancel = threading.Event()
    latest = _latest(team_server.db_url)
    ended: list[float] = []

    def wait() -> None:
        assert not wait_newer(team_server.url, session, latest, cancel).newer
        ended.append(time.monotonic())

    waiting = threading.Thread(target=wait)
    waiting.start()
    time.sleep(0.3)
    cancel.set()
    cancelled = time.monotonic()
    waiting.join(timeout=5)
    assert ended and ended[0] - cancelled < 1.0


def test_bad_waits_get_one_sentence(team_server: TeamServerProcess, session: str) -> None:
    url = team_server.url + "tagdesk/v1/journal/wait"
    for params, needle in (({"after": "1 OR 1=1"}, "after"), ({"timeout": "600"}, "timeout"),
                           ({"timeout": "nan"}, "timeout")):
        answer = requests.get(url, timeout=10, params={"access_token": session, **params})
        assert answer.json()["errcode"] == 40058 and needle in answer.json()["errmsg"]
    refused = requests.get(url, timeout=10, params={"access_token": "forged"}).json()
    assert refused["errcode"] not in (0, 40058)
    with pytest.raises(TeamServerError) as caught:
        wait_newer(team_server.url, "forged", 0, threading.Event())
    assert not isinstance(caught.value, PushUnsupported)


def test_a_server_without_the_endpoint_is_told_apart(team_sandbox: SandboxServer) -> None:
    """WeCom's emulator stands for anything that is not a pushing TagDesk server."""
    with pytest.raises(PushUnsupported):
        wait_newer(team_sandbox.api_base.removesuffix("cgi-bin/"), "token", 0,
                   threading.Event(), timeout_s=1)


def test_a_stopping_server_answers_its_waits_at_once(
    postgres: PostgresCluster, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    server = TeamServerProcess(postgres.new_database(), team_sandbox, tmp_path)
    try:
        device = log_in(server.url, team_sandbox, sorted(team_sandbox.state.follow_users())[4])
        token = requests.get(server.url + "cgi-bin/gettoken", timeout=10, params={
            "corpid": team_sandbox.corp_id, "corpsecret": device.token}).json()["access_token"]
        answers: list[JournalNews] = []
        waiting = threading.Thread(target=lambda: answers.append(wait_newer(
            server.url, token, _latest(server.db_url), threading.Event())))
        waiting.start()
        time.sleep(0.5)
    finally:
        started = time.monotonic()
        assert server.stop() == 0
    stopped = time.monotonic() - started
    waiting.join(timeout=5)
    assert answers and not answers[0].newer
    assert stopped < 10, f"the stop waited {stopped:.1f} s for a 25 s wait"


@pytest.mark.gui
def test_the_team_viewer_shows_a_row_committed_elsewhere_without_polling(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    team_server: TeamServerProcess, team_sandbox: SandboxServer,
) -> None:
    env = desktop_env(tmp_path)
    cli_login(env, team_server.url, team_sandbox, sorted(team_sandbox.state.follow_users())[3])
    synced = tagdesk("sync", "--profile", "team", env=env, timeout=120)
    assert synced.returncode == 0, synced.stderr
    _commit_row(team_server.db_url, "before the viewer opens")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    workspace = open_workspace(Path(os.environ["TAGDESK_HOME"]), "team")
    context = AppContext(workspace)
    try:
        viewer = AuditViewer(context)
        qtbot.addWidget(viewer)
        viewer.show()
        model = viewer.rows_model
        qtbot.waitUntil(lambda: model.complete, timeout=20000)
        watch = viewer.watch
        assert watch is not None
        qtbot.waitUntil(lambda: watch.pushed and watch.latest > 0, timeout=10000)
        delays = []
        for n in range(ROUNDS // 2):
            time.sleep(0.2)   # the watch is waiting again
            row_id, committed = _commit_row(team_server.db_url, f"shown {n}")
            qtbot.waitUntil(lambda row_id=row_id: bool(model.ids) and model.ids[0] == row_id,
                            timeout=10000)
            delays.append(time.monotonic() - committed)
        assert watch.pushed   # never fell back to polling
        p50, p95 = _percentiles(delays)
        print(f"\ncommit -> row in the team viewer over {len(delays)} rows:"
              f" p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
        assert p95 < 5.0   # the poll it replaces took up to 15 s

        def pushing() -> bool:
            return any(thread.name == "team journal push" and thread.is_alive()
                       for thread in threading.enumerate())

        viewer.hide()   # a hidden viewer leaves no wait open
        hidden_row, _ = _commit_row(team_server.db_url, "while hidden")
        qtbot.waitUntil(lambda: not pushing(), timeout=10000)
        viewer.show()
        assert pushing()
        qtbot.waitUntil(lambda: model.ids[0] >= hidden_row, timeout=10000)
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()


@pytest.mark.gui
def test_the_team_viewer_takes_back_its_error_once_the_server_answers_again(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, postgres: PostgresCluster,
    team_sandbox: SandboxServer,
) -> None:
    """The team server stopped while the audit log was open: the changes could not be read
    and the window said so in red; once it answered again the rows came back, but the red
    sentence stayed under them. Now the next successful read takes it back."""
    db_url, port = postgres.new_database(), _free_port()
    server = TeamServerProcess(db_url, team_sandbox, tmp_path / "server", "--port", str(port))
    env = desktop_env(tmp_path)
    workspace = None
    try:
        cli_login(env, server.url, team_sandbox, sorted(team_sandbox.state.follow_users())[5])
        synced = tagdesk("sync", "--profile", "team", env=env, timeout=120)
        assert synced.returncode == 0, synced.stderr
        _commit_row(db_url, "before the stop")
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        workspace = open_workspace(Path(os.environ["TAGDESK_HOME"]), "team")
        context = AppContext(workspace)
        viewer = AuditViewer(context)
        qtbot.addWidget(viewer)
        viewer.show()
        qtbot.waitUntil(lambda: viewer.rows_model.complete, timeout=20000)
        assert server.stop() == 0
        viewer.apply_filter()
        qtbot.waitUntil(lambda: bool(viewer.notice.text()), timeout=120_000)
        assert str(port) in viewer.notice.text()       # the team server is named
        server = TeamServerProcess(db_url, team_sandbox, tmp_path / "again", "--port", str(port))
        with qtbot.waitSignal(viewer.rows_model.loaded, timeout=60_000):
            viewer.apply_filter()
        assert viewer.notice.text() == "" and viewer.rows_model.ids
    finally:
        if workspace is not None:
            context.cancel_all()
            context.wait_idle()
            workspace.close()
        server.stop()


@pytest.mark.gui
def test_the_viewer_and_the_approvals_item_share_one_wait_and_both_see_each_row(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    team_server: TeamServerProcess, team_sandbox: SandboxServer,
) -> None:
    """File → 审批（N） and an open audit viewer each kept a long-poll of their own: two waits
    on the server for one desktop. They now follow one (counted by a proxy in front of the
    server), and an approvals or policy row committed elsewhere still reaches both: the
    viewer shows it and the approvals item reads its count again."""
    with RefusingProxy(team_server.url) as proxy:
        env = desktop_env(tmp_path)
        cli_login(env, proxy.url, team_sandbox, sorted(team_sandbox.state.follow_users())[4])
        synced = tagdesk("sync", "--profile", "team", env=env, timeout=120)
        assert synced.returncode == 0, synced.stderr
        _commit_row(team_server.db_url, "before the window opens")
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        workspace = open_workspace(Path(os.environ["TAGDESK_HOME"]), "team")
        context = AppContext(workspace)
        monitor = GovernanceMonitor(context)
        try:
            refreshed: list[object] = []
            monitor.rulesChanged.connect(refreshed.append)
            viewer = AuditViewer(context)
            qtbot.addWidget(viewer)
            viewer.show()
            model, watch = viewer.rows_model, viewer.watch
            assert watch is not None
            qtbot.waitUntil(lambda: model.complete and watch.latest > 0, timeout=20000)
            qtbot.waitUntil(lambda: proxy.open[WAIT_PATH] == 1, timeout=10000)
            qtbot.wait(int(PUSH_GAP_S * 1000) + 500)   # the first answer's refresh is spent
            qtbot.waitUntil(lambda: not monitor.busy, timeout=20000)
            before = len(refreshed)
            row_id, _ = _commit_row(team_server.db_url, "seen by both", action="policy_set",
                                    source="governance")
            qtbot.waitUntil(lambda: bool(model.ids) and model.ids[0] == row_id, timeout=10000)
            qtbot.waitUntil(lambda: len(refreshed) > before, timeout=10000)
            assert watch.pushed
            assert proxy.most_open[WAIT_PATH] == 1
        finally:
            monitor.stop()
            context.cancel_all()
            context.wait_idle()
            workspace.close()


@pytest.mark.gui
def test_the_approvals_count_is_read_again_for_an_approvals_or_policy_row_only(
    qtbot: Any, tmp_path: Path, team_server: TeamServerProcess, team_sandbox: SandboxServer,
) -> None:
    """File → 审批（N） read its count and the policy again (two calls) for every team journal
    row, every 3 s while a rule run or a batch wrote rows; the wait's answer now names the
    newest governance row, and only such a row has them read again."""
    logged_in_home(tmp_path / "home", team_server.url, team_sandbox,
                   sorted(team_sandbox.state.follow_users())[0])
    _commit_row(team_server.db_url, "before the window opens")
    with open_workspace(tmp_path / "home", "team") as workspace:
        context = AppContext(workspace)
        monitor = GovernanceMonitor(context)
        try:
            refreshed: list[object] = []
            monitor.rulesChanged.connect(refreshed.append)
            qtbot.wait(int(PUSH_GAP_S * 1000) + 1000)   # the first answer's refresh is spent
            qtbot.waitUntil(lambda: not monitor.busy, timeout=20000)
            before = len(refreshed)
            _commit_row(team_server.db_url, "a tag row")
            qtbot.wait(int(PUSH_GAP_S * 1000) + 1500)
            assert len(refreshed) == before
            _commit_row(team_server.db_url, "", action="policy_set", source="governance")
            qtbot.waitUntil(lambda: len(refreshed) > before, timeout=10000)
        finally:
            monitor.stop()
            context.cancel_all()
            context.wait_idle()
