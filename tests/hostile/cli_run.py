"""`tagdesk` run as a user runs it, on an isolated home with a profile synced to a sandbox."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


class SyncedCli:
    """Runs `python -m desktop ARGS` against `home`, where profile `acme` is synced."""

    def __init__(self, tmp_path: Path, sandbox: Any) -> None:
        self.home = tmp_path / "home"
        self.env = {**os.environ, "TAGDESK_HOME": str(self.home),
                    "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
                    "XDG_DATA_HOME": str(tmp_path / "xdg")}
        added = self("profile", "add", "acme", "--corp-id", sandbox.corp_id, "--api-base",
                     sandbox.api_base, "--userid", "zhangsan", "--secret-stdin",
                     stdin=sandbox.secret + "\n")
        assert added.returncode == 0, added.stderr
        synced = self("sync", "--profile", "acme")
        assert synced.returncode == 0, synced.stderr

    def __call__(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop", *args], input=stdin,
                              capture_output=True, text=True, timeout=300, env=self.env)


def last_json(stdout: str) -> Any:
    return json.loads(stdout.strip().splitlines()[-1])
