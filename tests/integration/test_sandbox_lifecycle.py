"""The sandbox across restarts, and `serve()` run as a real foreground process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.integration.sandbox_support import WeComHttp, running_sandbox

ROOT = Path(__file__).resolve().parents[2]
SERVE = (
    "import sys; from pathlib import Path; from desktop.sandbox import SandboxConfig;"
    " from desktop.sandbox.serve import serve;"
    " sys.exit(serve(SandboxConfig(data_dir=Path(sys.argv[1]), customers=200, members=6)))"
)


def test_state_survives_a_restart(tmp_path: Path) -> None:
    with running_sandbox(tmp_path) as server, WeComHttp(server) as api:
        api.login()
        info = server.info
        tag = api.ok(
            "externalcontact/add_corp_tag", {"group_name": "重启测试", "tag": [{"name": "留下"}]}
        )["tag_group"]["tag"][0]["id"]
        first, second = server.state.relations()[:2]
        api.ok(
            "externalcontact/mark_tag",
            {"userid": first[0], "external_userid": first[1], "add_tag": [tag]},
        )
        server.state.delete_relation(*second)
        counts = server.state.counts()
        token = api.token
    with running_sandbox(tmp_path, customers=10, seed=99) as again, WeComHttp(again) as api:
        assert (again.corp_id, again.secret, again.agent_id) == (
            info["corp_id"],
            info["secret"],
            info["agent_id"],
        )
        assert again.state.counts() == counts, "an existing corp is reused, not regenerated"
        api.token = token
        assert api.get("externalcontact/get_follow_user_list")["errcode"] == 0, "token kept"
        assert again.state.find_tag("重启测试", "留下") == tag
        assert tag in again.state.relation_tag_ids(*first)
        assert second not in again.state.relations()
        assert again.state.chat_export_path == tmp_path / "chat_export.jsonl"
        assert again.state.chat_export_path.stat().st_size > 0


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_prints_its_address_first_and_exits_cleanly_on_a_signal(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        info = json.loads(process.stdout.readline())
        assert set(info) == {"api_base", "corp_id", "secret", "agent_id"}
        assert info["api_base"].startswith("http://127.0.0.1:")
        assert info["api_base"].endswith("/cgi-bin/")
        answer = requests.get(
            info["api_base"] + "gettoken",
            params={"corpid": info["corp_id"], "corpsecret": info["secret"]},
            timeout=5,
        ).json()
        assert answer["errcode"] == 0
        process.send_signal(stop_signal)
        assert process.wait(timeout=10) == 0
        assert process.stdout.read() == ""
        assert process.stderr is not None and "Traceback" not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    with pytest.raises(requests.ConnectionError):
        requests.get(info["api_base"] + "gettoken", timeout=2)


def test_inbox_reads_a_data_directory_given_as_a_relative_path(sandbox: object,
                                                               tmp_path: Path) -> None:
    data_dir: Path = sandbox.config.data_dir  # type: ignore[attr-defined]
    userid = sorted(sandbox.state.follow_users())[0]  # type: ignore[attr-defined]
    api = WeComHttp(sandbox)  # type: ignore[arg-type]
    with api:
        api.login()
        api.ok("message/send", {"touser": userid, "msgtype": "text",
                                "agentid": sandbox.agent_id,  # type: ignore[attr-defined]
                                "text": {"content": "验证码 482913"}})
    inbox = subprocess.run([sys.executable, "-m", "desktop", "sandbox", "inbox", "--data",
                            data_dir.name, "--userid", userid, "--json"],
                           cwd=data_dir.parent, capture_output=True, text=True, timeout=60,
                           env={**os.environ, "PYTHONPATH": str(ROOT),
                                "TAGDESK_HOME": str(tmp_path / "home")})
    assert inbox.returncode == 0, inbox.stderr
    messages = json.loads(inbox.stdout.strip().splitlines()[-1])["messages"]
    assert "482913" in messages[-1]["text"]


def test_a_sandbox_that_sends_no_callback_loads_no_http_client(tmp_path: Path) -> None:
    """The demo's in-process sandbox serves a read-only command (`tags list --profile demo`)
    without loading requests: its callback sender loads it with the first event."""
    script = ("import sys; from pathlib import Path; from desktop.sandbox import SandboxConfig,"
              " SandboxServer\n"
              "with SandboxServer(SandboxConfig(data_dir=Path(sys.argv[1]), customers=20,"
              " members=2)):\n    pass\n"
              "print(sorted(m for m in sys.modules if m in ('requests', 'urllib3')))")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "sandbox")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
