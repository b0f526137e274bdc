"""`tagdesk login` and `tagdesk approvals approve` with nowhere to type the code WeCom sends:
refused before any code is asked for (the team server here is a closed port)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.services.profiles import Profile, ProfileStore


@pytest.mark.parametrize("command", [["login"], ["approvals", "approve", "7"]])
def test_without_a_terminal_or_code_stdin_nothing_is_sent(tmp_path: Path,
                                                          command: list[str]) -> None:
    home = tmp_path / "home"
    home.mkdir()
    ProfileStore(home).add(Profile(name="team", corp_id="wwTEAM", api_base="http://127.0.0.1:9/",
                                   userid="zhangsan", team_url="http://127.0.0.1:9/"))
    refused = subprocess.run(
        [sys.executable, "-m", "desktop", *command, "--profile", "team"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
        env={**os.environ, "TAGDESK_HOME": str(home),
             "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring"})
    assert refused.returncode == 2, refused.stderr
    assert "No terminal to type the code on: add --code-stdin" in refused.stderr
    assert "没有可以输入验证码的终端" in refused.stderr
