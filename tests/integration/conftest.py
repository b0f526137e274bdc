"""Integration fixtures: the `tagdesk` command run as a real process on an isolated home."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/integration carries the `integration` marker (`-m integration`)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.integration)


class Cli:
    def __init__(self, tmp_path: Path) -> None:
        self.home = tmp_path / "home"
        self.env = {
            **os.environ,
            "TAGDESK_HOME": str(self.home),
            "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
            "XDG_DATA_HOME": str(tmp_path / "xdg"),
        }

    def __call__(self, *args: str, stdin: str = "", env: dict[str, str] | None = None,
                 timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "desktop", *args], input=stdin, capture_output=True,
            text=True, timeout=timeout, env={**self.env, **(env or {})},
        )

    def add_profile(self, sandbox: Any, name: str = "acme", *, secret: str | None = None,
                    corp_id: str | None = None, api_base: str | None = None) -> None:
        result = self(
            "profile", "add", name, "--corp-id", corp_id or sandbox.corp_id,
            "--api-base", api_base or sandbox.api_base, "--userid", "zhangsan",
            "--secret-stdin", stdin=(secret or sandbox.secret) + "\n",
        )
        assert result.returncode == 0, result.stderr


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)
