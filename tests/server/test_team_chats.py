"""Chats in team mode: an import pushes them to the team server (PostgreSQL), stored once and
only for a logged-in user; another desktop's simulation fetches them first."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
import requests

from desktop.sandbox import SandboxServer
from tests.cli_json import last_json
from tests.server.team_support import (
    TeamServerProcess,
    cli_login,
    desktop_env,
    log_in,
    tagdesk,
    team_client,
)

pytestmark = pytest.mark.integration


def _stored(db_url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(db_url) as conn:
        return conn.execute("SELECT msg_key, external_userid, direction, text, pushed_by"
                            " FROM chat_message ORDER BY id").fetchall()


def test_an_import_lands_on_the_team_server_once_and_a_colleague_simulates_on_it(
    team_server: TeamServerProcess, team_sandbox: SandboxServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    seller, boss = sorted(team_sandbox.state.follow_users())[:2]
    export = team_sandbox.state.chat_export_path
    lines = export.read_text(encoding="utf-8").splitlines()
    seller_env = desktop_env(tmp_path_factory.mktemp("chat-seller"))
    cli_login(seller_env, team_server.url, team_sandbox, seller)
    pushed = tagdesk("autotag", "import-chats", "--profile", "team", str(export), "--json",
                     env=seller_env, timeout=120)
    assert pushed.returncode == 0, pushed.stderr
    assert last_json(pushed.stdout)["imported"] == len(lines)
    rows = _stored(team_server.db_url)
    assert len(rows) == len(lines)
    assert {row[4] for row in rows} == {seller}
    first = json.loads(lines[0])
    assert (f"id:{first['msgid']}", first["external_userid"], first["content"]) in {
        (row[0], row[1], row[3]) for row in rows}
    again = tagdesk("autotag", "import-chats", "--profile", "team", str(export), "--json",
                    env=seller_env, timeout=120)
    assert last_json(again.stdout)["imported"] == 0
    assert len(_stored(team_server.db_url)) == len(lines)

    boss_env = desktop_env(tmp_path_factory.mktemp("chat-boss"))
    cli_login(boss_env, team_server.url, team_sandbox, boss)
    assert tagdesk("sync", "--profile", "team", env=boss_env, timeout=120).returncode == 0
    assert tagdesk("autotag", "keywords", "--profile", "team", "--set",
                   "高意向=报价单,采购,试用,演示,合同", env=boss_env).returncode == 0
    simulated = tagdesk("autotag", "simulate", "--profile", "team", "--json", env=boss_env,
                        timeout=120)
    assert simulated.returncode == 0, simulated.stderr
    summary = last_json(simulated.stdout)
    customer_sent = sum(1 for line in lines
                        if (m := json.loads(line))["from"] == m["external_userid"])
    assert summary["messages"] == customer_sent
    assert isinstance(summary["would_add"], int) and summary["would_add"] > 0


def test_pushes_need_a_login_and_valid_messages(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path,
) -> None:
    url = f"{team_server.url}tagdesk/v1/chats"
    message = {"time": "2026-12-01 09:30", "userid": "zhangsan", "external_userid": "wmPUSH1",
               "direction": "in", "text": "能便宜点不"}
    anonymous = requests.post(url, json={"messages": [message]}, timeout=30).json()
    assert anonymous["errcode"] == 41001
    assert requests.get(url, params={"access_token": "forged"}, timeout=30).json()[
        "errcode"] == 40014
    userid = sorted(team_sandbox.state.follow_users())[2]
    with team_client(team_server.url, team_sandbox,
                     log_in(team_server.url, team_sandbox, userid).token) as client:
        token = client.get_token()
    deep = requests.post(url, params={"access_token": token},
                         data=b'{"messages": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                         timeout=30).json()
    assert deep == {"errcode": 47001, "errmsg": "request body is not JSON"}
    bad = {**message, "direction": "sideways"}
    refused = requests.post(url, params={"access_token": token},
                            json={"messages": [message, bad]}, timeout=30).json()
    assert refused["errcode"] == 47001
    assert "message 1: direction must be in" in refused["errmsg"]
    assert "nothing stored" in refused["errmsg"]
    assert not any(row[1] == "wmPUSH1" for row in _stored(team_server.db_url))
    taken = requests.post(url, params={"access_token": token},
                          json={"messages": [message, bad], "skip_invalid": True},
                          timeout=30).json()
    assert (taken["errcode"], taken["stored"], taken["invalid"]) == (0, 1, 1)
    page = requests.get(url, params={"access_token": token, "after_id": "0", "limit": "100000"},
                        timeout=30).json()
    assert any(m["external_userid"] == "wmPUSH1" and m["text"] == "能便宜点不"
               for m in page["messages"])
