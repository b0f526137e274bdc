"""A `tagdesk retag` process killed mid-batch (SIGKILL) and then resumed finishes exactly the
planned state: nothing lost, nothing journaled twice, also with a sync in between."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desktop.sandbox import SandboxServer
from desktop.services.profiles import ProfileStore
from desktop.services.sync import run_sync
from desktop.services.tagging import TaggingService
from desktop.services.workspace import Workspace
from desktop.store import journal

pytestmark = [pytest.mark.integration, pytest.mark.skipif(
    sys.platform == "win32", reason="SIGKILL is POSIX")]


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "TAGDESK_HOME": str(tmp_path / "home"),
            "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
            "XDG_DATA_HOME": str(tmp_path / "xdg")}


def _tagdesk(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *args], input=stdin,
                          capture_output=True, text=True, timeout=120, env=env)


def _done_rows(cache: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{cache}?mode=ro", uri=True, timeout=5)
        try:
            row = conn.execute("SELECT count(*) FROM outbox WHERE status = 'done'").fetchone()
        finally:
            conn.close()
    except sqlite3.OperationalError:  # the batch is not queued yet
        return 0
    return int(row[0])


@dataclass
class Killed:
    env: dict[str, str]
    cache: Path
    batch: dict[str, Any]
    keen: str
    before: dict[tuple[str, str], set[str]]
    lacking: set[tuple[str, str]]


def _killed_batch(sandbox: SandboxServer, tmp_path: Path) -> Killed:
    """A `retag` adding 高意向 to every relation, SIGKILLed after 40 confirmed calls while
    others are in flight."""
    env = _env(tmp_path)
    added = _tagdesk(env, "profile", "add", "acme", "--corp-id", sandbox.corp_id, "--api-base",
                     sandbox.api_base, "--userid", "zhangsan", "--secret-stdin",
                     stdin=sandbox.secret + "\n")
    assert added.returncode == 0, added.stderr
    profile = ProfileStore(tmp_path / "home").get("acme")
    with Workspace(tmp_path / "home", profile, sandbox.secret) as ws:
        run_sync(ws.client(), ws.cache)
    keen = sandbox.state.find_tag("意向程度", "高意向")
    assert keen
    before = {key: sandbox.state.relation_tag_ids(*key) for key in sandbox.state.relations()}
    lacking = {key for key, tags in before.items() if keen not in tags}
    assert len(lacking) > 200

    sandbox.configure(latency_ms=25)
    cache = tmp_path / "home" / "profiles" / "acme" / "cache.sqlite"
    runner = subprocess.Popen(
        [sys.executable, "-m", "desktop", "retag", "--profile", "acme", "--filter", "",
         "--add", "高意向", "--yes", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 60
    while _done_rows(cache) < 40:
        assert runner.poll() is None, runner.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    runner.send_signal(signal.SIGKILL)
    runner.communicate()
    sandbox.configure(latency_ms=0)

    listed = _tagdesk(env, "batches", "--profile", "acme", "--json")
    [batch] = json.loads(listed.stdout.strip().splitlines()[-1])
    assert batch["status"] == "running" and 0 < batch["pending"] < len(lacking)
    return Killed(env, cache, batch, keen, before, lacking)


def _resume_to_the_end(killed: Killed) -> None:
    resumed = _tagdesk(killed.env, "batch", "resume", killed.batch["id"], "--profile", "acme",
                       "--json")
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads(resumed.stdout.strip().splitlines()[-1])
    assert (summary["status"], summary["planned"], summary["applied"], summary["failed"]) == (
        "done", len(killed.lacking), len(killed.lacking), 0)


def _journaled(killed: Killed, where: str, *params: object) -> Counter[tuple[Any, ...]]:
    conn = sqlite3.connect(killed.cache)
    try:
        return Counter(conn.execute(
            f"SELECT userid, external_userid, tag_id, action FROM journal WHERE {where}",
            params).fetchall())
    finally:
        conn.close()


def test_a_killed_batch_resumes_to_exactly_the_planned_state(
    sandbox: SandboxServer, tmp_path: Path,
) -> None:
    killed = _killed_batch(sandbox, tmp_path)
    _resume_to_the_end(killed)

    after = {key: sandbox.state.relation_tag_ids(*key) for key in sandbox.state.relations()}
    assert after == {key: tags | {killed.keen} for key, tags in killed.before.items()}
    conn = sqlite3.connect(killed.cache)
    cached = {tuple(row) for row in conn.execute(
        "SELECT r.userid, r.external_userid FROM relation r JOIN relation_tag rt"
        " ON rt.relation_id = r.id JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?",
        (killed.keen,))}
    conn.close()
    assert _journaled(killed, "batch_id = ?", killed.batch["id"]) == Counter(
        {(u, e, killed.keen, "tag_add"): 1 for u, e in killed.lacking})
    assert cached == set(killed.before)


def test_a_sync_between_the_kill_and_the_resume_credits_in_flight_calls_to_the_batch(
    sandbox: SandboxServer, tmp_path: Path,
) -> None:
    killed = _killed_batch(sandbox, tmp_path)
    landed = {key for key in killed.lacking
              if killed.keen in sandbox.state.relation_tag_ids(*key)}
    done_at_kill = _done_rows(killed.cache)
    assert len(landed) > done_at_kill   # calls WeCom applied whose answer never came back

    synced = _tagdesk(killed.env, "sync", "--profile", "acme", "--json")
    assert synced.returncode == 0, synced.stderr
    assert _done_rows(killed.cache) == len(landed)   # the sync settled them as the batch's
    _resume_to_the_end(killed)

    expected = Counter({(u, e, killed.keen, "tag_add"): 1 for u, e in killed.lacking})
    assert _journaled(killed, "batch_id = ?", killed.batch["id"]) == expected
    assert _journaled(killed, "source = 'observed'") == Counter()
    with Workspace(tmp_path / "home", ProfileStore(tmp_path / "home").get("acme"),
                   sandbox.secret) as ws:
        undo, skipped = TaggingService(ws).plan_undo(killed.batch["id"])
        assert (len(undo.changes), skipped) == (len(killed.lacking), [])
        assert journal.verify(ws.cache).ok
