"""A real PostgreSQL for the team server's tests, started once per session with Debian's
`initdb` / `pg_ctl` (as the `postgres` user when the tests run as root), a small sandbox
corp and one `tagdesk server serve` process per module."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from tests.server.team_support import PostgresCluster, TeamServerProcess, postgres_bin


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    bindir = postgres_bin()
    root = Path(tempfile.mkdtemp(prefix="tagdesk-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    cluster = PostgresCluster(bindir, root)
    try:
        cluster.start()
        yield cluster
        cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def team_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """A small corp whose mark_tag concurrency gate is 2, so a shared cap of 2 can be proven."""
    data = tmp_path_factory.mktemp("team-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=60, members=6, seed=11,
                                     mark_tag_concurrency=2)) as server:
        yield server


@pytest.fixture(scope="module")
def team_server(postgres: PostgresCluster, team_sandbox: SandboxServer,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamServerProcess]:
    server = TeamServerProcess(postgres.new_database(), team_sandbox,
                               tmp_path_factory.mktemp("team-server"),
                               "--concurrency", "2", "--admin", "boss",
                               "--admin", sorted(team_sandbox.state.follow_users())[1])
    try:
        yield server
    finally:
        server.stop()


