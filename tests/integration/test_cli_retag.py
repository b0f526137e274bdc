"""`tagdesk retag`, `batches` and `batch …` as a user runs them, against the sandbox."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from desktop.sandbox import SandboxServer
from desktop.services import secrets
from desktop.services.profiles import Profile, ProfileStore
from desktop.services.sync import run_sync
from desktop.services.workspace import Workspace

pytestmark = pytest.mark.integration

MARK_TAG = "externalcontact/mark_tag"


class Cli:
    """`tagdesk` in a subprocess on an isolated home whose profile `acme` is set up and
    synced in-process (quicker than two more subprocesses per test)."""

    def __init__(self, tmp_path: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
                 ) -> None:
        self.home = tmp_path / "home"
        self.cache = self.home / "profiles" / "acme" / "cache.sqlite"
        self.env = {**os.environ, "TAGDESK_HOME": str(self.home),
                    "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
                    "XDG_DATA_HOME": str(tmp_path / "xdg")}
        add_synced_profile(self.home, tmp_path / "xdg", sandbox, monkeypatch)

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "desktop", *args]

    def __call__(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.command(*args), input=stdin, capture_output=True, text=True,
                              timeout=120, env=self.env)

    def batch_rows(self) -> int:
        conn = sqlite3.connect(self.cache)
        try:
            return int(conn.execute("SELECT count(*) FROM batch").fetchone()[0])
        finally:
            conn.close()


def add_synced_profile(home: Path, xdg: Path, sandbox: SandboxServer,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    """What `tagdesk profile add acme --secret-stdin` and `tagdesk sync` would leave behind."""
    monkeypatch.setenv("XDG_DATA_HOME", str(xdg))
    previous = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())
    try:
        secrets.store_secret("acme", sandbox.corp_id, sandbox.secret)
    finally:
        keyring.set_keyring(previous)
    profile = Profile("acme", sandbox.corp_id, sandbox.api_base, userid="zhangsan")
    home.mkdir(parents=True, exist_ok=True)
    ProfileStore(home).add(profile)
    with Workspace(home, profile, sandbox.secret) as ws:
        run_sync(ws.client(), ws.cache)


@pytest.fixture
def cli(tmp_path: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(tmp_path, sandbox, monkeypatch)


def _last_json(stdout: str) -> Any:
    return json.loads(stdout.strip().splitlines()[-1])


def _one_sentence(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def _carrying(sandbox: SandboxServer, tag_id: str) -> set[tuple[str, str]]:
    return {key for key in sandbox.state.relations()
            if tag_id in sandbox.state.relation_tag_ids(*key)}


def test_retag_swaps_the_tags_and_ends_with_a_json_summary(
    cli: Cli, sandbox: SandboxServer,
) -> None:
    shipped = sandbox.state.find_tag("客户阶段", "已发货")
    refunded = sandbox.state.find_tag("客户阶段", "已退款")
    assert shipped and refunded
    had_shipped = _carrying(sandbox, shipped)
    result = cli("retag", "--profile", "acme", "--filter", "已发货", "--add", "已退款",
                 "--remove", "客户阶段:已发货", "--yes", "--json")
    assert result.returncode == 0, result.stderr
    summary = _last_json(result.stdout)
    assert summary["batch_id"] and summary["status"] == "done"
    assert (summary["planned"], summary["applied"], summary["failed"], summary["skipped"]) == (
        len(had_shipped), len(had_shipped), 0, 0)
    assert summary["api_calls"] >= len(had_shipped) and summary["elapsed_s"] >= 0
    assert _carrying(sandbox, shipped) == set()
    assert _carrying(sandbox, refunded) >= had_shipped
    listed = _last_json(cli("batches", "--profile", "acme", "--json").stdout)
    assert [(b["id"], b["status"], b["applied"]) for b in listed] == [
        (summary["batch_id"], "done", len(had_shipped))]
    assert listed[0]["description"] == (
        "筛选：已发货 +已退款 -客户阶段:已发货 / Filter: 已发货 +已退款 -客户阶段:已发货")


def test_dry_run_writes_nothing_anywhere(cli: Cli, sandbox: SandboxServer) -> None:
    calls = sandbox.stats.calls(MARK_TAG)
    result = cli("retag", "--profile", "acme", "--filter", "", "--add", "高意向", "--dry-run",
                 "--json")
    assert result.returncode == 0, result.stderr
    summary = _last_json(result.stdout)
    assert summary["dry_run"] is True and summary["batch_id"] is None
    assert summary["planned"] > 0 and summary["noop"] > 0
    assert "高意向" in result.stderr  # the preview, kept off stdout by --json
    assert sandbox.stats.calls(MARK_TAG) == calls
    assert cli.batch_rows() == 0


def test_a_plan_from_an_old_cache_says_to_sync_first(cli: Cli) -> None:
    fresh = cli("retag", "--profile", "acme", "--filter", "", "--add", "高意向", "--dry-run")
    assert fresh.returncode == 0 and "tagdesk sync" not in fresh.stderr
    conn = sqlite3.connect(cli.cache)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'last_sync_at'",
                 (str(time.time() - 2 * 3600),))
    conn.commit()
    conn.close()
    stale = cli("retag", "--profile", "acme", "--filter", "", "--add", "高意向", "--dry-run")
    assert stale.returncode == 0, stale.stderr
    assert "120 min" in stale.stderr and "tagdesk sync" in stale.stderr


def test_refresh_re_reads_the_relations_before_planning(cli: Cli, sandbox: SandboxServer) -> None:
    high = sandbox.state.find_tag("意向程度", "高意向")
    assert high is not None
    lacking = [key for key in sorted(sandbox.state.relations())
               if high not in sandbox.state.relation_tag_ids(*key)]
    for userid, external_userid in lacking[:4]:      # tagged on phones since the sync
        sandbox.state.console_mark_tag(userid, external_userid, add=[high])
    stale = _last_json(cli("retag", "--profile", "acme", "--filter", "", "--add", "高意向",
                           "--dry-run", "--json").stdout)
    refused = cli("retag", "--profile", "acme", "--filter", "", "--add", "高意向",
                  "--dry-run", "--refresh")
    _one_sentence(refused, "--dry-run")
    calls = sandbox.stats.calls(MARK_TAG)
    done = cli("retag", "--profile", "acme", "--filter", "", "--add", "高意向", "--refresh",
               "--yes", "--json")
    assert done.returncode == 0, done.stderr
    summary = _last_json(done.stdout)
    assert summary["planned"] == stale["planned"] - 4
    assert "4 relations had changed tags" in done.stderr
    assert sandbox.stats.calls(MARK_TAG) - calls == summary["planned"]
    assert all(high in sandbox.state.relation_tag_ids(*key) for key in sandbox.state.relations())


def test_without_yes_and_without_a_terminal_it_refuses(cli: Cli, sandbox: SandboxServer) -> None:
    calls = sandbox.stats.calls(MARK_TAG)
    result = cli("retag", "--profile", "acme", "--filter", "", "--add", "高意向")
    _one_sentence(result, "--yes")
    assert "高意向" in result.stdout  # the preview was shown first
    assert sandbox.stats.calls(MARK_TAG) == calls
    assert cli.batch_rows() == 0


def test_replacing_a_group_with_nothing_to_add_asks_to_empty_it(
    cli: Cli, sandbox: SandboxServer,
) -> None:
    """As the window asks: the group's tags only go. --yes runs it without a prompt; with no
    terminal and no --yes it is refused."""
    conn = sqlite3.connect(cli.cache)
    try:
        group = str(conn.execute("SELECT g.name FROM tag t JOIN tag_group g ON g.id = t.group_id"
                                 " WHERE t.name = '高意向' AND t.deleted = 0").fetchone()[0])
    finally:
        conn.close()
    calls = sandbox.stats.calls(MARK_TAG)
    leader, follower = os.openpty()
    try:
        os.write(leader, b"n\n")
        process = subprocess.run(
            cli.command("retag", "--profile", "acme", "--filter", "高意向", "--replace-group",
                        group),
            stdin=follower, capture_output=True, text=True, timeout=120, env=cli.env)
    finally:
        os.close(follower)
        os.close(leader)
    assert process.returncode == 0, process.stderr
    assert f"清空组 {group}" in process.stderr
    assert f"Empty the group {group}: remove every tag of it from" in process.stderr
    assert sandbox.stats.calls(MARK_TAG) == calls and cli.batch_rows() == 0
    refused = cli("retag", "--profile", "acme", "--filter", "高意向", "--replace-group", group)
    _one_sentence(refused, "--yes")
    assert sandbox.stats.calls(MARK_TAG) == calls and cli.batch_rows() == 0
    emptied = cli("retag", "--profile", "acme", "--filter", "高意向", "--replace-group", group,
                  "--yes", "--json")
    assert emptied.returncode == 0, emptied.stderr
    summary = _last_json(emptied.stdout)
    assert summary["status"] == "done" and summary["applied"] == summary["planned"] > 0
    assert "Empty the group" not in emptied.stderr


def test_a_pilot_asks_before_the_rest_and_resume_finishes(
    cli: Cli, sandbox: SandboxServer,
) -> None:
    calls = sandbox.stats.calls(MARK_TAG)
    leader, follower = os.openpty()
    try:
        os.write(leader, b"y\nn\n")  # yes to the plan, no after the pilot
        process = subprocess.run(
            cli.command("retag", "--profile", "acme", "--filter", "", "--add", "低意向",
                        "--pilot", "5", "--json"),
            stdin=follower, capture_output=True, text=True, timeout=120, env=cli.env)
    finally:
        os.close(follower)
        os.close(leader)
    assert process.returncode == 0, process.stderr
    pilot = _last_json(process.stdout)
    assert (pilot["status"], pilot["applied"]) == ("paused", 5)
    assert sandbox.stats.calls(MARK_TAG) - calls == 5
    assert "batch resume" in process.stderr
    synced = cli("sync", "--profile", "acme")   # any later start says what is left
    assert synced.returncode == 0, synced.stderr
    assert f"tagdesk batch resume {pilot['batch_id']} --profile acme" in synced.stderr
    resumed = cli("batch", "resume", pilot["batch_id"], "--profile", "acme", "--json")
    assert resumed.returncode == 0, resumed.stderr
    done = _last_json(resumed.stdout)
    assert (done["status"], done["applied"]) == ("done", pilot["planned"])


def test_a_pilot_with_yes_continues_on_its_own(cli: Cli, sandbox: SandboxServer) -> None:
    result = cli("retag", "--profile", "acme", "--filter", "", "--add", "低意向", "--pilot", "3",
                 "--yes", "--json")
    assert result.returncode == 0, result.stderr
    summary = _last_json(result.stdout)
    assert (summary["status"], summary["applied"]) == ("done", summary["planned"])
    assert "Pilot: 3/" in result.stderr  # the pilot's own result line


def test_unknown_tags_and_batches_are_one_sentence(cli: Cli) -> None:
    _one_sentence(cli("retag", "--profile", "acme", "--filter", "", "--add", "已退欵", "--yes"),
                  "已退款")
    _one_sentence(cli("batch", "resume", "nope", "--profile", "acme"), "nope")
    _one_sentence(cli("retag", "--profile", "acme", "--filter", "", "--yes"), "--add")
    assert cli.batch_rows() == 0


def test_failed_calls_are_reported_and_can_be_retried(cli: Cli, sandbox: SandboxServer) -> None:
    keen = sandbox.state.find_tag("意向程度", "高意向")
    assert keen
    lacking = [key for key in sandbox.state.relations()
               if keen not in sandbox.state.relation_tag_ids(*key)]
    sandbox.state.delete_relation(*lacking[0])
    result = cli("retag", "--profile", "acme", "--filter", "", "--add", "高意向", "--yes", "--json")
    assert result.returncode == 1, result.stderr
    summary = _last_json(result.stdout)
    assert (summary["status"], summary["failed"]) == ("done", 1)
    assert summary["applied"] == summary["planned"] - 1
    assert "no longer connected" in result.stderr
    retried = cli("batch", "retry-failed", summary["batch_id"], "--profile", "acme", "--json")
    assert retried.returncode == 1
    assert _last_json(retried.stdout)["failed"] == 1  # the relation is still gone
    assert "Queued 1 failed calls again" in retried.stderr


def test_undo_from_the_command_line(cli: Cli, sandbox: SandboxServer) -> None:
    before = {key: sandbox.state.relation_tag_ids(*key) for key in sandbox.state.relations()}
    retag = cli("retag", "--profile", "acme", "--filter", "", "--add", "高意向",
                "--remove", "低意向", "--yes", "--json")
    batch_id = _last_json(retag.stdout)["batch_id"]
    undone = cli("batch", "undo", batch_id, "--profile", "acme", "--yes", "--json")
    assert undone.returncode == 0, undone.stderr
    assert _last_json(undone.stdout)["status"] == "done"
    assert {key: sandbox.state.relation_tag_ids(*key) for key in sandbox.state.relations()} == before


def test_other_commands_get_in_use_while_a_batch_runs(cli: Cli, sandbox: SandboxServer) -> None:
    sandbox.configure(latency_ms=400)  # the batch takes ~25 s; it is killed, not awaited
    runner = subprocess.Popen(
        cli.command("retag", "--profile", "acme", "--filter", "", "--add", "高意向", "--yes"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cli.env)
    try:
        deadline = time.monotonic() + 30
        while not cli.batch_rows():
            assert runner.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        _one_sentence(cli("sync", "--profile", "acme"), "in use")
        listed = cli("batches", "--profile", "acme", "--json")  # reading needs no lock
        assert listed.returncode == 0 and _last_json(listed.stdout)[0]["status"] == "running"
    finally:
        runner.kill()
        runner.wait()
        sandbox.configure(latency_ms=0)
