"""On a team profile the retag window's estimate counts with the team server's WeCom budget,
which every desktop's calls go through, not with the desktop's own 6,000/min and 5 at a time,
and with the new one once the server restarts with other limits."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from desktop.domain.retag_plan import estimate_seconds, format_duration
from desktop.sandbox import SandboxServer
from desktop.services import workspace
from desktop.services.sync import run_sync
from desktop.services.team import fetch_info
from desktop.services.workspace import open_workspace
from desktop.ui.context import AppContext
from desktop.ui.retag_dialog import RetagDialog
from tests.server.team_support import PostgresCluster, TeamServerProcess, logged_in_home

pytestmark = [pytest.mark.integration, pytest.mark.gui]


def test_the_retag_estimate_on_a_team_profile_counts_with_the_server_s_budget(
    qtbot: Any, postgres: PostgresCluster, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    server = TeamServerProcess(postgres.new_database(), team_sandbox, tmp_path / "server",
                               "--calls-per-minute", "120", "--concurrency", "2")
    try:
        info = fetch_info(server.url)
        assert (info.calls_per_minute, info.max_concurrency) == (120, 2)
        user = sorted(team_sandbox.state.follow_users())[1]
        logged_in_home(tmp_path / "desk", server.url, team_sandbox, user)
        with open_workspace(tmp_path / "desk", "team") as ws:
            assert (ws.profile.calls_per_minute, ws.profile.max_concurrency) == (6000, 5)
            run_sync(ws.client(), ws.cache)
            context = AppContext(ws)
            try:
                ids = context.filter_engine.relation_ids("", order_by="createtime")
                (tag_id,) = context.tagging.resolve_tag_names(["客户等级:VIP"])
                dialog = RetagDialog(context, ids, "test")
                qtbot.addWidget(dialog)
                dialog.show()
                qtbot.waitUntil(lambda: dialog.group.count() > 0, timeout=20_000)
                with qtbot.waitSignal(dialog.previewReady, timeout=20_000) as blocker:
                    dialog.add_chooser.add_tag(tag_id)
                calls = blocker.args[0].api_calls
                assert calls > 10
                eta = format_duration(estimate_seconds(calls, 120, 2), english=False)
                text = dialog.preview.text()
                assert f"About {eta} at 120 calls/min, 2 at a time" in text, text
                assert context.tagging.estimate_seconds(blocker.args[0]) == pytest.approx(
                    estimate_seconds(calls, 120, 2))
            finally:
                context.cancel_all()
                context.wait_idle()
    finally:
        assert server.stop() == 0


def test_a_server_restarted_with_other_limits_is_counted_with_without_reopening(
    postgres: PostgresCluster, team_sandbox: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The budget is asked again (here at every ask, not once a minute): while the server
    is down its last answer stands, and once it is back with 60/min and 1 at a time, those."""
    monkeypatch.setattr(workspace, "BUDGET_REREAD_S", 0.0)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    db_url = postgres.new_database()
    server = TeamServerProcess(db_url, team_sandbox, tmp_path / "server", "--port", port,
                               "--calls-per-minute", "120", "--concurrency", "2")
    try:
        logged_in_home(tmp_path / "desk", server.url, team_sandbox,
                       sorted(team_sandbox.state.follow_users())[1])
        with open_workspace(tmp_path / "desk", "team") as ws:
            assert ws.call_budget() == (120, 2)
            assert server.stop() == 0
            assert ws.call_budget() == (120, 2)
            server = TeamServerProcess(db_url, team_sandbox, tmp_path / "again", "--port",
                                       port, "--calls-per-minute", "60", "--concurrency", "1")
            assert ws.call_budget() == (60, 1)
            assert ws.call_budget(ask=False) == (60, 1)
    finally:
        assert server.stop() == 0
