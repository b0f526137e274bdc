"""`tagdesk server serve`: migrations, the first stdout line, a clean stop on SIGTERM."""

from __future__ import annotations

import re
import time
from pathlib import Path

import psycopg
import pytest
import requests

from desktop.sandbox import SandboxServer
from desktop.server.database import LATEST_VERSION, migrate
from desktop.server.errors import ServerError
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    desktop_env,
    tagdesk,
)

pytestmark = pytest.mark.integration


def test_first_line_is_the_url_and_sigterm_stops_cleanly(
    postgres: PostgresCluster, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    server = TeamServerProcess(postgres.new_database(), team_sandbox, tmp_path)
    try:
        assert re.fullmatch(r'\{"url": "http://127\.0\.0\.1:\d+/"\}\n', server.line)
        answer = requests.get(server.url, timeout=10).json()
        assert answer["errcode"] == 0 and answer["server"] == "TagDesk team server"
        info = requests.get(server.url + "tagdesk/v1/info", timeout=10).json()
        assert info["corp_id"] == team_sandbox.corp_id
        with requests.Session() as session:  # answers are not held back ~40 ms by Nagle
            times = []
            for _ in range(15):
                started = time.perf_counter()
                session.get(server.url, timeout=10)
                times.append(time.perf_counter() - started)
        assert sorted(times)[len(times) // 2] < 0.025, times
    finally:
        code = server.stop()
    assert code == 0
    assert "Traceback" not in server.stderr and team_sandbox.secret not in server.stderr


def test_migrations_are_versioned_and_refuse_a_newer_schema(
    postgres: PostgresCluster, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    url = postgres.new_database()
    assert migrate(url) == LATEST_VERSION
    assert migrate(url) == LATEST_VERSION  # a second run changes nothing
    with psycopg.connect(url) as conn:
        versions = [row[0] for row in conn.execute("SELECT version FROM tagdesk_schema")]
        assert versions == list(range(1, LATEST_VERSION + 1))
        conn.execute("INSERT INTO tagdesk_schema (version) VALUES (%s)", (LATEST_VERSION + 1,))
    with pytest.raises(ServerError, match="newer"):
        migrate(url)
    result = tagdesk("server", "serve", "--db", url, "--port", "0",
                     "--wecom-api-base", team_sandbox.api_base, "--corp-id",
                     team_sandbox.corp_id, "--secret-stdin", env=desktop_env(tmp_path),
                     stdin=team_sandbox.secret + "\n")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"schema version {LATEST_VERSION + 1}" in lines[0], lines
    assert "newer" in lines[0] and "Traceback" not in result.stderr


def test_an_unreachable_database_is_one_sentence_without_the_password(
    team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    result = tagdesk("server", "serve", "--db", "postgresql://u:hunter2pw@127.0.0.1:1/x",
                     "--wecom-api-base", team_sandbox.api_base, "--corp-id",
                     team_sandbox.corp_id, env={**desktop_env(tmp_path),
                                                "TAGDESK_CORP_SECRET": team_sandbox.secret})
    assert result.returncode == 2
    assert "Cannot connect to PostgreSQL at 127.0.0.1:1/x" in result.stderr
    assert "hunter2pw" not in result.stderr and "Traceback" not in result.stderr


def test_the_secret_comes_from_stdin_or_the_environment_only(
    postgres: PostgresCluster, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    result = tagdesk("server", "serve", "--db", postgres.url("postgres"),
                     "--wecom-api-base", team_sandbox.api_base, "--corp-id",
                     team_sandbox.corp_id, env=desktop_env(tmp_path))
    assert result.returncode == 2 and "TAGDESK_CORP_SECRET" in result.stderr


def test_a_negative_job_interval_is_one_sentence(
    team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    result = tagdesk("server", "serve", "--db", "postgresql://u@127.0.0.1:1/x",
                     "--wecom-api-base", team_sandbox.api_base, "--corp-id",
                     team_sandbox.corp_id, "--expiry-interval", "-1",
                     env={**desktop_env(tmp_path), "TAGDESK_CORP_SECRET": team_sandbox.secret})
    assert result.returncode == 2 and result.stdout == ""
    assert "--expiry-interval" in result.stderr and "不能为负" in result.stderr
    assert "must not be negative" in result.stderr and "Traceback" not in result.stderr


def test_the_team_journal_refuses_update_delete_and_truncate(postgres: PostgresCluster) -> None:
    url = postgres.new_database()
    migrate(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO team_journal (id, ts, operator, action, source, batch_id,"
            " external_userid, userid, tag_id, tag_name, group_name, before, after, reason,"
            " prev_hash, hash) VALUES (1, 0, 'a', 'tag_add', 'relay', '', '', '', '', '', '',"
            " '', '', '', '', '')"
        )
        for statement in ("UPDATE team_journal SET operator = 'b'", "DELETE FROM team_journal",
                          "TRUNCATE team_journal"):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement.encode())
        assert conn.execute("SELECT operator FROM team_journal").fetchall() == [("a",)]
