"""The app's trusted IPs (企业可信IP): a caller outside the list gets WeCom's 60020, with the
address it called from in the errmsg, on gettoken and on every business call; a fixed-IP relay
in the list gets through. Set at start (`trusted_ips`, `sandbox serve --trusted-ip`) or while
serving (`configure`)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.fixed_ip_relay import RELAY_IP, fixed_ip_relay
from tests.integration.sandbox_support import WeComHttp, running_sandbox

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def _refused_from(answer: dict[str, object], address: str) -> None:
    assert answer["errcode"] == 60020, answer
    assert re.fullmatch(
        r"not allow to access from your ip, hint: \[\d+_\d+_[0-9a-f]{32}\],"
        rf" from ip: {re.escape(address)}, more info at"
        r" https://open\.work\.weixin\.qq\.com/devtool/query\?e=60020",
        str(answer["errmsg"])), answer["errmsg"]
    assert "access_token" not in answer


def test_a_caller_outside_the_trusted_ips_gets_60020_and_a_relay_inside_gets_through(
        tmp_path: Path) -> None:
    with (running_sandbox(tmp_path, trusted_ips=(RELAY_IP,)) as server,
          WeComHttp(server) as direct):
        _refused_from(direct.gettoken(), "127.0.0.1")
        with fixed_ip_relay(server.api_base) as relay_base:
            relayed = WeComHttp(server)
            relayed.base = relay_base
            with relayed:
                token = relayed.login().token
                assert relayed.get("externalcontact/get_follow_user_list")["errcode"] == 0
        direct.token = token              # a valid token does not help from elsewhere
        _refused_from(direct.get("externalcontact/get_follow_user_list"), "127.0.0.1")
        _refused_from(direct.post("externalcontact/get_corp_tag_list", {}), "127.0.0.1")
        assert server.stats.errors(60020) == 3

        server.configure(trusted_ips=[])     # no list: every caller is trusted again
        assert direct.get("externalcontact/get_follow_user_list")["errcode"] == 0
        server.configure(trusted_ips=["127.0.0.1"])
        assert direct.get("externalcontact/get_follow_user_list")["errcode"] == 0
        with fixed_ip_relay(server.api_base) as relay_base:
            answer = requests.get(relay_base + "gettoken", timeout=10, params={
                "corpid": server.corp_id, "corpsecret": server.secret}).json()
        _refused_from(answer, RELAY_IP)
        with pytest.raises(ValueError):
            server.configure(trusted_ips=["not-an-ip"])


def test_sandbox_serve_takes_the_trusted_ips_from_the_command_line(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "desktop", "sandbox", "serve", "--data",
               str(tmp_path / "corp"), "--customers", "20", "--members", "2"]
    wrong = subprocess.run([*command, "--trusted-ip", "10.0.0"], cwd=ROOT, text=True,
                           capture_output=True, timeout=60)
    assert wrong.returncode != 0 and "--trusted-ip" in wrong.stderr, wrong.stderr
    process = subprocess.Popen([*command, "--trusted-ip", RELAY_IP, "--trusted-ip", "10.0.0.9"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        assert process.stdout is not None
        info = json.loads(process.stdout.readline())
        params = {"corpid": info["corp_id"], "corpsecret": info["secret"]}
        _refused_from(requests.get(info["api_base"] + "gettoken", params=params,
                                   timeout=10).json(), "127.0.0.1")
        with fixed_ip_relay(info["api_base"]) as relay_base:
            answer = requests.get(relay_base + "gettoken", params=params, timeout=10).json()
        assert answer["errcode"] == 0, answer
    finally:
        process.terminate()
        process.wait(timeout=30)
