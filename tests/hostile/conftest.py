"""Hostile input and faults, replayed against the real `tagdesk` command.

Each test here is an attack that once ended in a traceback, "internal error", a raw
terminal escape or silent wrongness, and now must end in one readable sentence (or the
right result). The suite runs in CI with the rest and takes well under a few minutes.

What is here:

- `test_cli_attacks.py`: profile names that escape their folder (`.`, `..`), terminal
  escape sequences and invalid UTF-8 in arguments, filters nested 1,000 deep, the NOT
  prefix read as an option (`--filter -VIP`), dates outside the supported range,
  `import --dry-run` on a broken file, and `| head` closing stdout early.
- `test_storage_faults.py`: a full disk during sync and retag (SQLite's own SQLITE_FULL,
  provoked with `PRAGMA max_page_count`), a read-only cache (SQLite opened read-only: chmod
  does not stop root, who runs CI), truncated and garbled cache files, and the modes of
  every file TagDesk writes.

- `test_output_*.py`: echoes and results cut to a readable size; `test_spreadsheets_*.py`:
  zip bombs, formula cells without a value, lying dimensions (helpers in `cli_run.py`,
  `xlsx_build.py`).

Fixtures: `cli` runs `python -m desktop` on an isolated home;
`synced` is that CLI with a profile `acme` synced from a small sandbox (copies of one home the
session synced through the real CLI, and `sandbox` a copy of its corp); `synced_once` is one
such home shared by a whole module, for attacks that change nothing. `in_process(home, ...)`
runs the same `tagdesk` entry point inside the test process (no interpreter start-up, which
keeps the suite fast); attacks on argv bytes, pipes and the keyring use the real process.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.cli_run import copy_synced_home
from tests.integration.conftest import Cli

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.hostile)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def _sandbox_config(data_dir: Path) -> Any:
    from desktop.sandbox import SandboxConfig

    return SandboxConfig(data_dir=data_dir, customers=300, members=8, seed=7)


@pytest.fixture(scope="session")
def synced_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small corp and a home whose profile `acme` the real CLI added and synced with it,
    made once per process: tests start from copies of both."""
    from desktop.sandbox import SandboxServer

    folder = tmp_path_factory.mktemp("synced-template")
    with SandboxServer(_sandbox_config(folder / "sandbox")) as server:
        cli = Cli(folder)
        cli.add_profile(server)
        result = cli("sync", "--profile", "acme")
        assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def sandbox(tmp_path: Path, synced_template: Path) -> Iterator[Any]:
    """tests/conftest.py's sandbox (300 customers, 8 members), started from a copy of the
    template's corp."""
    from desktop.sandbox import SandboxServer

    shutil.copytree(synced_template / "sandbox", tmp_path / "sandbox")
    with SandboxServer(_sandbox_config(tmp_path / "sandbox")) as server:
        yield server


@pytest.fixture
def synced(cli: Cli, sandbox: Any, synced_template: Path) -> Cli:
    copy_synced_home(synced_template, cli.home.parent, sandbox)
    return cli


@pytest.fixture(scope="module")
def synced_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    from desktop.sandbox import SandboxConfig, SandboxServer

    folder = tmp_path_factory.mktemp("synced")
    server = SandboxServer(SandboxConfig(data_dir=folder / "sandbox", customers=300, members=8,
                                         seed=7))
    server.start()
    try:
        cli = Cli(folder)
        cli.add_profile(server)
        result = cli("sync", "--profile", "acme")
        assert result.returncode == 0, result.stderr
        yield cli
    finally:
        server.stop()


def in_process(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`tagdesk ARGS --home HOME` through `desktop.cli.main`, with its output captured."""
    from desktop.cli import main

    out, err = io.StringIO(), io.StringIO()
    argv = [*args, "--home", str(home)]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:       # argparse refusing the arguments
            code = exit_.code if isinstance(exit_.code, int) else 2
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())
