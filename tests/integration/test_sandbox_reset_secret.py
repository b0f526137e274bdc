"""Resetting the app's secret, as an admin does in WeCom's console (`tagdesk sandbox
reset-secret`, `SandboxServer.reset_secret`): over real HTTP the old secret answers 40001 on
gettoken and the tokens issued 40014, while the new one gets a token. A sandbox that another
process serves holds a reset made from the command line at once, and TagDesk's own client
meets it as WeCom's refused secret."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.wecom import WeComClient, WeComError
from tests.integration.sandbox_support import WeComHttp, running_sandbox

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
FOLLOW_USERS = "externalcontact/get_follow_user_list"


def _reset_from_the_command_line(data_dir: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", "sandbox", "reset-secret", "--data",
                           str(data_dir), *flags], cwd=ROOT, text=True, capture_output=True,
                          timeout=120)


def test_a_reset_from_the_command_line_holds_at_once_in_the_sandbox_served(
        tmp_path: Path) -> None:
    data_dir = tmp_path / "corp"
    with running_sandbox(data_dir) as server, WeComHttp(server) as http:
        old = server.secret
        assert http.login().get(FOLLOW_USERS)["errcode"] == 0

        done = _reset_from_the_command_line(data_dir, "--json")
        assert done.returncode == 0, done.stderr
        new = json.loads(done.stdout.splitlines()[-1])["secret"]
        assert f"New secret: {new}" in done.stdout
        assert new != old and len(new) == 43 and server.secret == new

        assert http.get(FOLLOW_USERS)["errcode"] == 40014      # the token issued is void
        assert http.gettoken(secret=old)["errcode"] == 40001
        assert http.gettoken(secret=new)["errcode"] == 0
        assert http.get(FOLLOW_USERS)["errcode"] == 0
    again = _reset_from_the_command_line(data_dir)              # a sandbox not served
    assert again.returncode == 0, again.stderr
    with running_sandbox(data_dir) as server:
        assert server.secret not in (old, new)
        assert f"New secret: {server.secret}" in again.stdout
    missing = _reset_from_the_command_line(tmp_path / "nothing")
    assert missing.returncode == 2 and "holds no sandbox" in missing.stderr


def test_tagdesks_client_meets_a_reset_as_the_refused_secret_of_gettoken(
        tmp_path: Path) -> None:
    with running_sandbox(tmp_path / "corp") as server:
        with WeComClient(server.api_base, server.corp_id, server.secret) as client:
            assert client.get_follow_user_list()
            new = server.reset_secret()
            with pytest.raises(WeComError) as refused:
                client.get_follow_user_list()
        assert (refused.value.errcode, refused.value.path) == (40001, "gettoken")
        with WeComClient(server.api_base, server.corp_id, new) as client:
            assert client.get_follow_user_list()
