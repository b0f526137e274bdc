"""A team server that is stopped, or whose PostgreSQL is down, is named as the team
server, not as WeCom: "团队服务器暂不可用，正在重试…" while retrying, "团队服务器不可用（URL）"
at the end, in the CLI and through the desktop's own WeCom client."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from desktop.sandbox import SandboxServer
from desktop.services.auto_resume import ResumeState
from desktop.services.team import TeamServerError, start_login, team_api_base
from desktop.wecom.client import WeComClient
from desktop.wecom.errors import NetworkReason, WeComNetworkError
from desktop.wecom.ratelimit import RateLimits
from desktop.wecom.transport import WaitNotice, WeComTransport
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    cli_login,
    desktop_env,
    log_in,
    postgres_bin,
    tagdesk,
)

pytestmark = pytest.mark.integration


def test_cli_sync_against_a_stopped_team_server_names_the_team_server(
    postgres: PostgresCluster, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    server = TeamServerProcess(postgres.new_database(), team_sandbox, tmp_path / "server")
    env = desktop_env(tmp_path / "desktop")
    try:
        cli_login(env, server.url, team_sandbox, sorted(team_sandbox.state.follow_users())[0])
    finally:
        assert server.stop() == 0
    failed = tagdesk("sync", "--profile", "team", env=env, timeout=120)
    assert failed.returncode != 0
    assert "团队服务器暂不可用，正在重试…" in failed.stderr
    assert "The team server is unavailable; retrying…" in failed.stderr
    assert f"团队服务器不可用（{server.url}）" in failed.stderr
    assert f"The team server is unavailable ({server.url})" in failed.stderr
    assert failed.stderr.rstrip().endswith("(API gettoken, 2 attempts)")  # refused: one retry
    assert "WeCom API" not in failed.stderr and "企业微信接口" not in failed.stderr
    with pytest.raises(TeamServerError) as caught:  # the server's own endpoints say the same
        start_login(server.url, "anyone")
    assert f"The team server is unavailable ({server.url})" in str(caught.value)


def test_a_team_server_whose_postgresql_is_down_is_unavailable_not_wecom(
    team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    root = Path(tempfile.mkdtemp(prefix="tagdesk-pg-down-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    cluster = PostgresCluster(postgres_bin(), root)
    cluster.start()
    server = TeamServerProcess(cluster.new_database(), team_sandbox, tmp_path)
    notices: list[WaitNotice] = []
    transport = None
    try:
        device = log_in(server.url, team_sandbox, sorted(team_sandbox.state.follow_users())[1])
        transport = WeComTransport(team_api_base(server.url), team_sandbox.corp_id,
                                   device.token, limits=RateLimits(max_retries=1))
        client = WeComClient.over(transport, on_wait=notices.append, team_url=server.url)
        client.get_token()
        cluster.stop()
        with pytest.raises(WeComNetworkError) as caught:
            client.get_follow_user_list()
        with pytest.raises(TeamServerError) as refused:
            start_login(server.url, "anyone")
    finally:
        if transport is not None:
            transport.close()
        server.stop()
        if cluster.data.exists() and (cluster.data / "postmaster.pid").exists():
            cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
    error = caught.value
    assert error.status == 503 and error.reason is NetworkReason.SERVER_ERROR
    assert error.message_zh.startswith(f"团队服务器不可用（{server.url}）：服务器的数据库暂时不可用")
    assert error.message_en.startswith(f"The team server is unavailable ({server.url}): its"
                                       " database is unavailable (HTTP 503)")
    retries = [n for n in notices if n.kind == "retry"]
    assert len(retries) == 1  # a pool waiting for the database answers slowly: also said
    assert all(n.sentence().startswith("团队服务器暂不可用，正在重试…") for n in retries)
    assert "The team server is unavailable; retrying…" in retries[0].sentence()
    assert all(n.sentence().startswith("团队服务器已") for n in notices if n.kind == "slow")
    assert refused.value.message_en.startswith(f"The team server is unavailable ({server.url})")


def test_solo_profiles_keep_the_wecom_wording() -> None:
    error = WeComNetworkError("qyapi.weixin.qq.com", "gettoken", NetworkReason.SERVER_ERROR,
                              attempts=5, status=503)
    assert error.message_en.startswith("The WeCom API at qyapi.weixin.qq.com answered with"
                                       " server error HTTP 503")
    retry = WaitNotice("retry", 2, "gettoken", 2, 5, ("服务器错误 HTTP 503", "server error HTTP 503"))
    assert retry.sentence().startswith("正在重试 gettoken")
    waiting = ResumeState("waiting", 1, 12, 28.0)
    assert waiting.sentence().startswith("企业微信暂时无法访问")
    team = ResumeState("waiting", 1, 12, 28.0, team_url="http://t/")
    assert team.sentence().startswith("团队服务器暂不可用，28 秒后自动重试（http://t/）：1 个批量任务")
    assert "The team server is unavailable; retrying in 28 s (http://t/): 1 batch (12 calls)" \
        " waiting" in team.sentence()


def test_a_team_url_that_is_no_team_server_names_the_team_server_url(
    team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    wrong = team_server.url + "not-here/"  # something answers, but not the API
    client = WeComClient(wrong + "cgi-bin/", team_sandbox.corp_id, "tdd_x",
                         limits=RateLimits(max_retries=0), team_url=wrong)
    with client, pytest.raises(WeComNetworkError) as caught:
        client.get_follow_user_list()
    assert caught.value.reason is NetworkReason.BAD_RESPONSE
    assert caught.value.message_zh.startswith(f"团队服务器不可用（{wrong}）：返回的不是有效的接口数据")
    assert "check the profile's team server URL" in caught.value.message_en
