"""A batch stopped because the team server went away says it resumes once the team server,
not WeCom, is back: the team server is what the desktop cannot reach."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from desktop.sandbox import SandboxServer
from desktop.services.auto_resume import Backoff
from desktop.services.profiles import Profile, ProfileStore
from desktop.services.sync import run_sync
from desktop.services.team import (
    load_device_token,
    normalized_url,
    store_device_token,
    team_api_base,
)
from desktop.services.workspace import open_workspace
from desktop.ui.auto_resume import AutoResume
from desktop.ui.batch_progress import BatchProgressPanel
from desktop.ui.context import AppContext
from tests.quick_workspace import QuickWorkspace
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    _free_port,
    desktop_env,
    log_in,
    tagdesk,
)

pytestmark = [pytest.mark.integration, pytest.mark.gui]



def _synced_desk(server: TeamServerProcess, team_sandbox: SandboxServer, home: Path,
                 member: int) -> QuickWorkspace:
    """A desktop of the corp's `member`-th follower, logged in to `server` and synced through
    it, with the server then stopped: the workspace with millisecond retries."""
    home.mkdir()
    user = sorted(team_sandbox.state.follow_users())[member]
    profile = Profile(name="desk", corp_id=team_sandbox.corp_id,
                      api_base=team_api_base(server.url), team_url=normalized_url(server.url),
                      userid=user)
    ProfileStore(home).add(profile)
    try:
        store_device_token(profile, log_in(server.url, team_sandbox, user).token)
        with open_workspace(home, "desk") as ws:
            run_sync(ws.client(), ws.cache)
    finally:
        assert server.stop() == 0
    return QuickWorkspace(home, profile, load_device_token(profile))


def test_a_batch_stopped_by_a_stopped_team_server_waits_for_the_team_server(
    qtbot: Any, postgres: PostgresCluster, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    server = TeamServerProcess(postgres.new_database(), team_sandbox, tmp_path / "server")
    workspace = _synced_desk(server, team_sandbox, tmp_path / "desk", 3)
    context = AppContext(workspace)
    try:
        (tag_id,) = context.tagging.resolve_tag_names(["客户等级:VIP"])
        ids = [int(r[0]) for r in context.cache.connection().execute(
            "SELECT id FROM relation ORDER BY id LIMIT 3")]
        batch_id = context.tagging.submit(context.tagging.plan(ids, add=[tag_id]),
                                          source="batch")
        panel = BatchProgressPanel(context)
        qtbot.addWidget(panel)
        with qtbot.waitSignal(panel.batchFinished, timeout=60_000):
            panel.start(batch_id)
        assert panel.state == "stopped"
        text = panel.message.text()
        assert text.endswith("团队服务器恢复后，TagDesk 会自动继续发送。"), text
        assert "企业微信恢复后" not in text
        assert context.tagging.batch(batch_id).pending == 3
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()


def test_a_batch_resumed_once_the_team_server_is_back_says_the_team_server_is_back(
    qtbot: Any, postgres: PostgresCluster, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    """The status bar said "企业微信已恢复，正在继续批量任务… / WeCom is back" when the team
    server came back, and "1 batch(es) (1 calls)" while it waited."""
    db_url, port = postgres.new_database(), _free_port()
    server = TeamServerProcess(db_url, team_sandbox, tmp_path / "server", "--port", str(port))
    workspace = _synced_desk(server, team_sandbox, tmp_path / "desk", 2)
    context = AppContext(workspace)
    resume = AutoResume(context, backoff=Backoff(first_s=1, max_s=1))
    said: list[str] = []
    resume.stateChanged.connect(lambda state: said.append(state.sentence()))
    try:
        (tag_id,) = context.tagging.resolve_tag_names(["客户等级:VIP"])
        (rid,) = [int(r[0]) for r in context.cache.connection().execute(
            "SELECT r.id FROM relation r WHERE r.id NOT IN (SELECT relation_id FROM relation_tag"
            " rt JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?) ORDER BY r.id LIMIT 1",
            (tag_id,))]
        context.toggle_tag([rid], tag_id, lambda: "VIP")
        qtbot.waitUntil(lambda: resume.state.kind == "waiting", timeout=60_000)
        assert re.search(r"; retrying in \d+ s \(http://[^)]+\): 1 batch \(1 call\) waiting$",
                         resume.state.sentence())
        server = TeamServerProcess(db_url, team_sandbox, tmp_path / "again", "--port", str(port))
        qtbot.waitUntil(lambda: resume.state.kind == "idle", timeout=60_000)
        resumed = [text for text in said if "正在继续批量任务" in text]
        assert resumed and all(text.startswith("团队服务器已恢复") and "The team server is back;"
                               in text for text in resumed), resumed
        assert not any("企业微信" in text for text in said), said
    finally:
        resume.stop()
        context.cancel_all()
        context.wait_idle()
        workspace.close()
        server.stop()


def test_a_toggle_stopped_by_a_revoked_login_says_where_to_log_in_again(
    qtbot: Any, team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    home = tmp_path / "desk"
    home.mkdir()
    user = sorted(team_sandbox.state.follow_users())[4]
    profile = Profile(name="desk", corp_id=team_sandbox.corp_id,
                      api_base=team_api_base(team_server.url),
                      team_url=normalized_url(team_server.url), userid=user)
    ProfileStore(home).add(profile)
    device = log_in(team_server.url, team_sandbox, user)
    store_device_token(profile, device.token)
    with open_workspace(home, "desk") as ws:
        run_sync(ws.client(), ws.cache)
    revoked = tagdesk("server", "devices", "--db", team_server.db_url, "--revoke",
                      str(device.device_id), env=desktop_env(tmp_path))
    assert revoked.returncode == 0, revoked.stderr
    workspace = QuickWorkspace(home, profile, device.token)
    context = AppContext(workspace)
    try:
        (tag_id,) = context.tagging.resolve_tag_names(["客户等级:VIP"])
        (rid,) = [int(r[0]) for r in context.cache.connection().execute(
            "SELECT id FROM relation ORDER BY id LIMIT 1")]
        said: list[tuple[str, frozenset[int]]] = []
        context.write_failed.connect(lambda reason, ids: said.append((reason, ids)))
        context.toggle_tag([rid], tag_id, lambda: "VIP")
        qtbot.waitUntil(lambda: bool(said), timeout=60_000)   # not a silent hourglass
        reason, ids = said[0]
        assert ids == frozenset({rid})
        assert "管理员已撤销这台设备的登录" in reason
        assert "File → Log in to the team server…" in reason
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()
