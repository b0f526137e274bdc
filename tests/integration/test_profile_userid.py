"""Every WeCom profile names the user's own userid, so that no journal row is written without
its operator: `profile add` asks for it on a terminal and refuses without it otherwise, and a
profile saved before it was required writes nothing until it is set."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from desktop.services.profiles import MissingUseridError, Profile, ProfileStore
from desktop.services.tag_admin import TagAdminService
from desktop.services.workspace import Workspace
from tests.integration.conftest import Cli

pytestmark = [pytest.mark.integration, pytest.mark.skipif(
    sys.platform == "win32", reason="the terminal prompt is tested through a POSIX pty")]


def _profile_add(cli: Cli, sandbox: Any, *extra: str) -> subprocess.CompletedProcess[str]:
    return cli("profile", "add", "acme", "--corp-id", sandbox.corp_id, "--api-base",
               sandbox.api_base, *extra)


def test_profile_add_without_a_userid_and_no_terminal_is_one_sentence(
    cli: Cli, sandbox: Any
) -> None:
    result = _profile_add(cli, sandbox)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "--userid" in lines[0]
    assert not (cli.home / "profiles.json").exists()


def test_profile_add_asks_for_the_userid_on_a_terminal(cli: Cli, sandbox: Any) -> None:
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", "profile", "add", "acme", "--corp-id", sandbox.corp_id,
         "--api-base", sandbox.api_base],
        stdin=terminal, stdout=terminal, stderr=terminal, env=cli.env, close_fds=True)
    os.close(terminal)
    shown = b""
    deadline = time.monotonic() + 60
    try:
        while b"userid" not in shown:
            assert time.monotonic() < deadline, shown
            ready, _, _ = select.select([controller], [], [], 0.5)
            if ready:
                shown += os.read(controller, 1024)
        os.write(controller, b"lisi\n")
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(controller)
    assert ProfileStore(cli.home).get("acme").userid == "lisi"


def test_a_profile_saved_without_a_userid_writes_nothing(
    cli: Cli, sandbox: Any, tmp_path: Path
) -> None:
    cli.add_profile(sandbox)
    profiles = cli.home / "profiles.json"
    data = json.loads(profiles.read_text(encoding="utf-8"))
    data["profiles"]["acme"]["userid"] = ""          # saved by an older TagDesk
    profiles.write_text(json.dumps(data), encoding="utf-8")
    assert cli("sync", "--profile", "acme").returncode == 0   # reading names nobody
    calls = sandbox.stats.calls("externalcontact/mark_tag")

    result = cli("retag", "--profile", "acme", "--filter", "", "--add", "高意向", "--yes")
    assert result.returncode == 2 and "--userid" in result.stderr
    assert "Traceback" not in result.stderr
    assert sandbox.stats.calls("externalcontact/mark_tag") == calls
    with Workspace(cli.home, ProfileStore(cli.home).get("acme"), sandbox.secret) as ws:
        with pytest.raises(MissingUseridError):
            _ = ws.operator
        tree_calls = sandbox.stats.calls("externalcontact/add_corp_tag")
        with pytest.raises(MissingUseridError):   # refused before WeCom changes anything
            TagAdminService(ws).create_tag("意向程度", "待定")
        assert sandbox.stats.calls("externalcontact/add_corp_tag") == tree_calls
        ws.set_userid("zhangsan")
        assert ws.operator == "zhangsan"
    assert ProfileStore(cli.home).get("acme") == Profile(
        "acme", sandbox.corp_id, sandbox.api_base, userid="zhangsan")
