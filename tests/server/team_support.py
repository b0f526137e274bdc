"""Helpers of the team server's tests: a throw-away PostgreSQL cluster, `tagdesk server
serve` as a real process, isolated desktops, bounded waits."""

from __future__ import annotations

import glob
import json
import os
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time
from itertools import count
from pathlib import Path
from typing import Any

import psycopg
import psycopg_pool
import pytest

from desktop.sandbox import SandboxServer
from desktop.sandbox.inbox import read_inbox_from
from desktop.services.profiles import Profile, ProfileStore
from desktop.services.team import (
    DeviceLogin,
    finish_login,
    normalized_url,
    start_login,
    store_device_token,
    team_api_base,
)
from desktop.wecom.client import WeComClient
from desktop.wecom.ratelimit import RateLimits

START_TIMEOUT_S = 60


def postgres_bin() -> Path:
    """PostgreSQL's initdb / pg_ctl: Debian's newest, else whatever is on PATH (Homebrew).

    Without PostgreSQL the team server's tests are skipped, so the README's test command runs
    on a machine with only Python; `.ci/run` installs it and sets TAGDESK_REQUIRE_POSTGRES,
    which turns the skip into a failure."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    message = ("PostgreSQL is not installed (Debian: apt-get install postgresql; macOS: brew"
               " install postgresql); the team server's tests need its initdb and pg_ctl")
    if os.environ.get("TAGDESK_REQUIRE_POSTGRES"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresCluster:
    """A throw-away cluster on 127.0.0.1 with trust authentication for the `tagdesk` role."""

    def __init__(self, bindir: Path, root: Path) -> None:
        self.bindir = bindir
        self.root = root
        self.data = root / "data"
        self.port = _free_port()
        self._prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self._numbers = count(1)

    def _run(self, *args: str) -> None:
        subprocess.run([*self._prefix, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "tagdesk",
                  "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
        self.start_again()

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def start_again(self) -> None:
        """Start a stopped cluster again on the same port, its data as it was."""
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
                   " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.root / "postgres.log"), "-w", "-t", "60", "start")

    def restart(self) -> None:
        """Stop (dropping every connection) and start again on the same port."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.root / "postgres.log"), "-m", "fast", "-w", "-t", "60", "restart")

    def url(self, dbname: str) -> str:
        return f"postgresql://tagdesk@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        """A fresh, empty database; its connection URL."""
        name = f"team_{next(self._numbers)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}".encode())
        return self.url(name)


def desktop_env(tmp: Path) -> dict[str, str]:
    """The environment of one isolated desktop: its own home and its own file keyring."""
    return {
        **os.environ,
        "TAGDESK_HOME": str(tmp / "home"),
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "XDG_DATA_HOME": str(tmp / "xdg"),
    }


def tagdesk(*args: str, env: dict[str, str], stdin: str = "",
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *args], input=stdin,
                          capture_output=True, text=True, timeout=timeout, env=env)


def first_line(process: subprocess.Popen[str], timeout: float = START_TIMEOUT_S) -> str:
    """The process's first stdout line, waiting at most `timeout` seconds."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            process.kill()
            raise AssertionError(f"no first line within {timeout} s")
    return process.stdout.readline()


class TeamServerProcess:
    """`tagdesk server serve` as a real process; `stop()` sends SIGTERM and returns the exit."""

    def __init__(self, db_url: str, sandbox: SandboxServer, tmp: Path, *extra: str) -> None:
        self.db_url = db_url
        self.process = subprocess.Popen(
            [sys.executable, "-m", "desktop", "server", "serve", "--db", db_url, "--port", "0",
             "--wecom-api-base", sandbox.api_base, "--corp-id", sandbox.corp_id,
             "--agent-id", str(sandbox.agent_id), "--secret-stdin", *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=desktop_env(tmp),
        )
        assert self.process.stdin is not None
        self.process.stdin.write(sandbox.secret + "\n")
        self.process.stdin.close()
        self.process.stdin = None
        self.stderr = ""
        self.line = first_line(self.process)
        if not self.line:
            _, err = self.process.communicate(timeout=30)
            raise AssertionError(f"server did not start: {err}")
        self.url: str = json.loads(self.line)["url"]

    def stop(self, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            _, self.stderr = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, self.stderr = self.process.communicate()
            raise
        return self.process.returncode


def wait_for(condition: Any, timeout: float = 30, what: str = "condition") -> Any:
    """Poll `condition()` until it returns something truthy (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


def newest_code(sandbox: SandboxServer, userid: str, seen: int) -> str:
    """The login code in the first message `userid` received after the first `seen` ones."""
    messages = wait_for(lambda: (found := read_inbox_from(sandbox.config.data_dir, userid))
                        and len(found) > seen and found, what=f"a message to {userid}")
    text = messages[seen].text
    runs = re.findall(r"\d{6,}", text)
    assert len(runs) == 1 and CODE.fullmatch(runs[0]), text
    return str(runs[0])


def inbox_size(sandbox: SandboxServer, userid: str) -> int:
    return len(read_inbox_from(sandbox.config.data_dir, userid))


def log_in(team_url: str, sandbox: SandboxServer, userid: str) -> DeviceLogin:
    """A desktop's login, as `tagdesk login` does it, reading the code from the inbox."""
    seen = inbox_size(sandbox, userid)
    challenge = start_login(team_url, userid)
    return finish_login(team_url, challenge, newest_code(sandbox, userid, seen), "test desktop")


def logged_in_home(home: Path, team_url: str, sandbox: SandboxServer, userid: str,
                   name: str = "team", token: str | None = None) -> Profile:
    """`home`, made here, with team profile `name` of the team server at `team_url`, logged
    in as `userid` (its device token in the keyring: `token`, one the member already has,
    or a new login's — a member gets at most 5 login codes in 15 minutes); the profile."""
    home.mkdir()
    profile = Profile(name=name, corp_id=sandbox.corp_id, api_base=team_api_base(team_url),
                      team_url=normalized_url(team_url), userid=userid)
    ProfileStore(home).add(profile)
    store_device_token(profile, token or log_in(team_url, sandbox, userid).token)
    return profile


def team_client(team_url: str, sandbox: SandboxServer, token: str,
                concurrency: int = 5) -> WeComClient:
    """The desktop's own WeCom client in team mode: server URL and device token only."""
    return WeComClient(team_api_base(team_url), sandbox.corp_id, token,
                       limits=RateLimits(max_concurrency=concurrency, max_retries=1))


def cli_login(env: dict[str, str], team_url: str, sandbox: SandboxServer, userid: str,
              profile: str = "team") -> None:
    """`tagdesk profile add --team-url` and `tagdesk login --code-stdin`, as a person would,
    typing the code from the member's inbox."""
    added = tagdesk("profile", "add", profile, "--team-url", team_url, "--userid", userid,
                    env=env)
    assert added.returncode == 0, added.stderr
    seen = inbox_size(sandbox, userid)
    login = subprocess.Popen([sys.executable, "-m", "desktop", "login", "--profile", profile,
                              "--code-stdin"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    try:
        code = newest_code(sandbox, userid, seen)
        _, err = login.communicate(code + "\n", timeout=60)
    finally:
        if login.poll() is None:
            login.kill()
            login.communicate()
    assert login.returncode == 0, err


Pool = psycopg_pool.ConnectionPool[psycopg.Connection[tuple[object, ...]]]


def callback_status(pool: Pool, event_id: int) -> tuple[object, ...]:
    """A stored phone callback's (status, attempts)."""
    with pool.connection() as conn:
        row = conn.execute("SELECT status, attempts FROM callback_event WHERE id = %s",
                           (event_id,)).fetchone()
    assert row is not None
    return tuple(row)
