"""Logging a desktop in with a one-time code sent through message/send; device tokens."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import requests

from desktop.sandbox import SandboxServer
from desktop.server.identity import MAX_CODES_PER_WINDOW, MAX_WRONG_ATTEMPTS
from desktop.services.team import TeamServerError, finish_login, start_login
from desktop.wecom.error_codes import (
    TEAM_CODE_EXPIRED,
    TEAM_CODE_WRONG,
    TEAM_NOT_LOGGED_IN,
    TEAM_TOKEN_REVOKED,
    TEAM_TOO_MANY_ATTEMPTS,
)
from desktop.wecom.errors import WeComError
from tests.server.team_support import (
    TeamServerProcess,
    desktop_env,
    inbox_size,
    log_in,
    newest_code,
    tagdesk,
    team_client,
)

pytestmark = pytest.mark.integration


def _member(sandbox: SandboxServer, index: int) -> str:
    return sorted(sandbox.state.follow_users())[index]


def test_cli_login_with_the_code_from_the_inbox_then_sync_through_the_server(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    env = desktop_env(tmp_path)
    user = _member(team_sandbox, 0)
    added = tagdesk("profile", "add", "team", "--team-url", team_server.url, "--userid", user,
                    env=env)
    assert added.returncode == 0, added.stderr
    stored = json.loads((tmp_path / "home" / "profiles.json").read_text(encoding="utf-8"))
    assert stored["profiles"]["team"]["api_base"] == team_server.url + "cgi-bin/"
    assert stored["profiles"]["team"]["corp_id"] == team_sandbox.corp_id

    not_yet = tagdesk("sync", "--profile", "team", env=env)
    assert not_yet.returncode == 2 and "tagdesk login --profile team" in not_yet.stderr

    seen = inbox_size(team_sandbox, user)
    login = subprocess.Popen([sys.executable, "-m", "desktop", "login", "--profile", "team",
                              "--code-stdin"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    try:
        code = newest_code(team_sandbox, user, seen)
        out, err = login.communicate(code + "\n", timeout=60)
    finally:
        if login.poll() is None:
            login.kill()
    assert login.returncode == 0, err
    assert f"Logged in as {user}" in out

    inbox = tagdesk("sandbox", "inbox", "--data", str(team_sandbox.config.data_dir),
                    "--userid", user, "--json", env=env)
    messages = json.loads(inbox.stdout.strip().splitlines()[-1])["messages"]
    assert code in messages[-1]["text"] and set(messages[-1]) == {"ts", "text"}

    devices = tagdesk("server", "devices", "--db", team_server.db_url, "--json", env=env)
    listed = json.loads(devices.stdout.strip().splitlines()[-1])["devices"]
    token_home = (tmp_path / "home").rglob("*")
    assert all("tdd_" not in p.read_text(errors="ignore") for p in token_home if p.is_file())
    assert [d["userid"] for d in listed if d["revoked_at"] is None].count(user) >= 1

    synced = tagdesk("sync", "--profile", "team", "--json", env=env, timeout=120)
    assert synced.returncode == 0, synced.stderr
    summary = json.loads(synced.stdout.strip().splitlines()[-1])
    assert summary["relations"] == len(team_sandbox.state.relations())


def test_a_script_without_a_terminal_logs_in_in_two_steps_reading_the_inbox_between(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    """`login --send-code` exits once the code is sent; `login --code CODE` finishes that
    login, in another process, with stdin not a terminal and nothing written to it."""
    env = desktop_env(tmp_path)
    user = _member(team_sandbox, 4)
    added = tagdesk("profile", "add", "team", "--team-url", team_server.url, "--userid", user,
                    env=env)
    assert added.returncode == 0, added.stderr
    early = tagdesk("login", "--profile", "team", "--code", "123456", env=env)
    assert early.returncode == 2 and "--send-code` first" in early.stderr, early.stderr
    both = tagdesk("login", "--profile", "team", "--send-code", "--code", "123456", env=env)
    assert both.returncode == 2 and "not allowed with" in both.stderr, both.stderr

    seen = inbox_size(team_sandbox, user)
    sent = tagdesk("login", "--profile", "team", "--send-code", env=env)
    assert sent.returncode == 0, sent.stderr
    assert f"A login code was sent to {user}" in sent.stdout
    assert "tagdesk login --profile team --code CODE" in sent.stdout
    code = newest_code(team_sandbox, user, seen)
    wrong = tagdesk("login", "--profile", "team", "--code", f"{(int(code) + 1) % 10**6:06d}",
                    env=env)
    assert wrong.returncode != 0 and "Logged in" not in wrong.stdout
    done = tagdesk("login", "--profile", "team", "--code", code, env=env)
    assert done.returncode == 0, done.stderr
    assert f"Logged in as {user}" in done.stdout
    again = tagdesk("login", "--profile", "team", "--code", code, env=env)
    assert again.returncode == 2 and "No login is waiting for a code" in again.stderr

    synced = tagdesk("sync", "--profile", "team", "--json", env=env, timeout=120)
    assert synced.returncode == 0, synced.stderr


def _refused(errcode: int, action: object) -> TeamServerError:
    with pytest.raises(TeamServerError) as caught:
        action()  # type: ignore[operator]
    assert f"errcode {errcode}" in str(caught.value), str(caught.value)
    return caught.value


def test_wrong_expired_and_replayed_codes_are_refused(
    team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    url, user = team_server.url, _member(team_sandbox, 1)
    seen = inbox_size(team_sandbox, user)
    challenge = start_login(url, user)
    code = newest_code(team_sandbox, user, seen)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    error = _refused(TEAM_CODE_WRONG, lambda: finish_login(url, challenge, wrong, "t"))
    assert "验证码不正确" in str(error) and "wrong" in str(error)
    assert finish_login(url, challenge, code, "t").userid == user  # one slip is forgiven
    _refused(TEAM_CODE_EXPIRED, lambda: finish_login(url, challenge, code, "t"))  # replayed

    seen = inbox_size(team_sandbox, user)
    late = start_login(url, user)
    late_code = newest_code(team_sandbox, user, seen)
    with psycopg.connect(team_server.db_url, autocommit=True) as conn:
        conn.execute("UPDATE login_code SET expires_at = now() - interval '1 second'"
                     " WHERE id = %s", (late.login_id,))
    _refused(TEAM_CODE_EXPIRED, lambda: finish_login(url, late, late_code, "t"))

    seen = inbox_size(team_sandbox, user)
    guessed = start_login(url, user)
    right = newest_code(team_sandbox, user, seen)
    for _ in range(MAX_WRONG_ATTEMPTS):
        _refused(TEAM_CODE_WRONG,
                 lambda: finish_login(url, guessed, f"{(int(right) + 7) % 10**6:06d}", "t"))
    _refused(TEAM_TOO_MANY_ATTEMPTS, lambda: finish_login(url, guessed, right, "t"))


def test_code_requests_are_rate_limited_per_member(
    team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    user = _member(team_sandbox, 2)
    for _ in range(MAX_CODES_PER_WINDOW):
        start_login(team_server.url, user)
    _refused(TEAM_TOO_MANY_ATTEMPTS, lambda: start_login(team_server.url, user))


def test_an_unknown_member_gets_no_code(team_server: TeamServerProcess) -> None:
    _refused(60111, lambda: start_login(team_server.url, "nobody-here"))


def test_a_revoked_device_is_refused_at_once(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    device = log_in(team_server.url, team_sandbox, _member(team_sandbox, 3))
    client = team_client(team_server.url, team_sandbox, device.token)
    try:
        assert client.list_corp_tags()
        revoked = tagdesk("server", "devices", "--db", team_server.db_url, "--revoke",
                          str(device.device_id), "--json", env=desktop_env(tmp_path))
        assert revoked.returncode == 0, revoked.stderr
        listed = json.loads(revoked.stdout.strip().splitlines()[-1])["devices"]
        assert next(d for d in listed if d["id"] == device.device_id)["revoked_at"]
        with pytest.raises(WeComError) as caught:
            client.list_corp_tags()
        assert caught.value.errcode == TEAM_TOKEN_REVOKED
        assert "撤销" in str(caught.value) and "revoked" in caught.value.explanation_en
    finally:
        client.close()
    fresh = team_client(team_server.url, team_sandbox, device.token)
    with pytest.raises(WeComError) as again:
        fresh.list_corp_tags()
    assert again.value.errcode == TEAM_TOKEN_REVOKED
    fresh.close()


def test_a_token_the_server_never_issued_is_not_logged_in(
    team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    forged = team_client(team_server.url, team_sandbox, "tdd_forged-or-from-another-server")
    with forged, pytest.raises(WeComError) as caught:
        forged.list_corp_tags()
    assert caught.value.errcode == TEAM_NOT_LOGGED_IN
    assert "tagdesk login" in caught.value.explanation_en


def test_whoami_names_the_logged_in_user_and_whether_they_are_an_admin(
    team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    for index, admin in ((1, True), (0, False)):  # the fixture lists member 1 with --admin
        user = _member(team_sandbox, index)
        device = log_in(team_server.url, team_sandbox, user)
        with team_client(team_server.url, team_sandbox, device.token) as client:
            session = client.get_token()
        answer = requests.get(team_server.url + "tagdesk/v1/whoami", timeout=10,
                              params={"access_token": session}).json()
        assert answer == {"errcode": 0, "errmsg": "ok", "userid": user,
                          "device_id": device.device_id, "admin": admin}
