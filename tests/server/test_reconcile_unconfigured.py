"""The reconcile dialog of a team profile whose server reconciles no orders: Run now stays
disabled even for an administrator, since the server would only refuse it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.sandbox import SandboxServer
from desktop.services.workspace import open_workspace
from desktop.ui.context import AppContext
from desktop.ui.reconcile_dialog import ReconcileDialog
from desktop.ui.tasks import pending_tasks
from tests.server.team_support import TeamServerProcess, desktop_env, logged_in_home

pytestmark = [pytest.mark.integration, pytest.mark.gui]


def test_run_now_stays_disabled_when_the_server_reconciles_no_orders(
        qtbot: Any, team_server: TeamServerProcess, team_sandbox: SandboxServer,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    admin = sorted(team_sandbox.state.follow_users())[1]     # --admin of the team server
    home = tmp_path / "home"
    logged_in_home(home, team_server.url, team_sandbox, admin)
    workspace = open_workspace(home, "team")
    context = AppContext(workspace)
    try:
        dialog = ReconcileDialog(context)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.server_status is not None and not any(
            t.name in ("reconcile admin", "reconcile server status") for t in pending_tasks()),
                        timeout=30_000)
        assert dialog.is_admin
        assert dialog.server_status is not None and not dialog.server_status.configured
        assert "--reconcile-tag" in dialog.server_run.text()
        assert not dialog.run_now_button.isEnabled()
        dialog.close()
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()
