"""`tagdesk` run as a user runs it, on an isolated home with a profile synced to a sandbox."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any


def copy_synced_home(template: Path, tmp_path: Path, sandbox: Any) -> None:
    """`tmp_path`/home and its keyring (`tmp_path`/xdg): copies of the template's, whose
    profile `acme` was synced with the corp `sandbox` serves a copy of; the profile is
    pointed at `sandbox`."""
    from desktop.services.profiles import ProfileStore

    shutil.copytree(template / "home", tmp_path / "home")
    shutil.copytree(template / "xdg", tmp_path / "xdg")
    store = ProfileStore(tmp_path / "home")
    store.add(store.get("acme").with_api_base(sandbox.api_base))


class SyncedCli:
    """Runs `python -m desktop ARGS` against `home`, where profile `acme` is synced (a copy
    of the session's `synced_template`)."""

    def __init__(self, tmp_path: Path, sandbox: Any, template: Path) -> None:
        self.home = tmp_path / "home"
        self.env = {**os.environ, "TAGDESK_HOME": str(self.home),
                    "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
                    "XDG_DATA_HOME": str(tmp_path / "xdg")}
        copy_synced_home(template, tmp_path, sandbox)

    def __call__(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop", *args], input=stdin,
                              capture_output=True, text=True, timeout=300, env=self.env)


def last_json(stdout: str) -> Any:
    return json.loads(stdout.strip().splitlines()[-1])
