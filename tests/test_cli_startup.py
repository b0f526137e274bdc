"""Every `tagdesk` command pays for what the parser imports: building it stays light.

Each case runs in a fresh interpreter and lists `sys.modules` after the command, so a
heavy library imported at module level anywhere under the parser shows up by name.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HEAVY = (
    "pypinyin", "openpyxl", "psycopg", "psycopg_pool", "starlette", "uvicorn", "PySide6",
    "shiboken6", "jieba", "rjieba", "opencc", "desktop.sandbox.server", "desktop.wecom.client",
)

PROBE = """
import contextlib, io, json, sys
from desktop.cli import main
from desktop.cli.parser import build_parser
build_parser()
with contextlib.redirect_stdout(io.StringIO()):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exit:
        code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _heavy(modules: list[str]) -> list[str]:
    return [name for name in modules
            if any(name == heavy or name.startswith(heavy + ".") for heavy in HEAVY)]


@pytest.fixture(scope="module")
def synced_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A home whose profile `t` has a synced cache of a small sandbox (the sandbox is gone
    when the commands run: reading the cache needs no network)."""
    from desktop.sandbox import SandboxConfig, SandboxServer
    from desktop.services.profiles import Profile, ProfileStore
    from desktop.services.sync import run_sync
    from desktop.services.workspace import Workspace

    root = tmp_path_factory.mktemp("startup")
    server = SandboxServer(SandboxConfig(data_dir=root / "sandbox", customers=40, members=3,
                                         seed=7)).start()
    try:
        profile = Profile(name="t", corp_id=server.corp_id, api_base=server.api_base,
                          userid="zhangsan")
        (root / "home").mkdir()
        ProfileStore(root / "home").add(profile)
        with Workspace(root / "home", profile, server.secret) as workspace:
            run_sync(workspace.client(), workspace.cache)
    finally:
        server.stop()
    yield root / "home"


@pytest.mark.parametrize("argv", [
    ["--help"],
    ["sync", "--help"],
    ["customers", "--help"],
    ["profile", "list"],
    ["customers", "--profile", "t", "--count"],
    ["audit", "list", "--profile", "t"],
    ["batches", "--profile", "t"],
], ids=" ".join)
def test_command_loads_no_heavy_library(argv: list[str], synced_home: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120,
        env={**os.environ, "TAGDESK_HOME": str(synced_home)},
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["code"] == 0
    assert "desktop.cli.parser" in report["modules"]
    assert _heavy(report["modules"]) == []


def test_the_probe_sees_a_heavy_import(tmp_path: Path) -> None:
    """The check above can fail: the tag tree's service, imported, brings the WeCom client."""
    result = subprocess.run(
        [sys.executable, "-c", "import json, sys; import desktop.services.tag_admin;"
                               " print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "TAGDESK_HOME": str(tmp_path)},
    )
    assert "desktop.wecom.client" in _heavy(json.loads(result.stdout))
