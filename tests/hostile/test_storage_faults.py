"""Storage faults: a full disk, a read-only cache or home, damaged cache files, file modes.

The faults are real: `RLIMIT_FSIZE` makes the kernel refuse writes past a size (SQLite then
reports SQLITE_FULL, exactly as on a full disk, and it binds root too, unlike chmod), a
read-only SQLite connection refuses writes with SQLITE_READONLY, and damaged files are
truncated or have a page overwritten.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.services.errors import readable
from desktop.store.db import Cache
from desktop.store.errors import CacheReadOnlyError
from tests.integration.conftest import Cli

pytestmark = pytest.mark.integration

POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and rlimits")


def _limited(cli: Cli, max_bytes: int, *args: str) -> subprocess.CompletedProcess[str]:
    """`tagdesk ARGS` in a process that may not write any file past `max_bytes`."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True,
                          text=True, timeout=300, env=cli.env, preexec_fn=limit)


def _cache(cli: Cli) -> Path:
    return cli.home / "profiles" / "acme" / "cache.sqlite"


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Logging error" not in result.stderr
    assert "internal error" not in result.stderr


def _batches(cli: Cli) -> list[dict[str, Any]]:
    listed = cli("batches", "--profile", "acme", "--json")
    assert listed.returncode == 0, listed.stderr
    batches: list[dict[str, Any]] = json.loads(listed.stdout.splitlines()[-1])
    return batches


@POSIX_ONLY
def test_a_full_disk_during_sync_says_to_free_space(cli: Cli, sandbox: Any) -> None:
    cli.add_profile(sandbox)
    result = _limited(cli, 150_000, "sync", "--profile", "acme")
    assert result.returncode == 2, result
    _no_traceback(result)
    assert "The disk is full" in result.stderr and "Free some disk space" in result.stderr
    assert "磁盘已满" in result.stderr
    assert cli("sync", "--profile", "acme").returncode == 0


@POSIX_ONLY
def test_a_full_disk_during_retag_pauses_the_batch_and_resume_finishes_it(
    synced: Cli, sandbox: Any
) -> None:
    result = _limited(synced, 200_000, "retag", "--profile", "acme", "--filter", "",
                      "--add", "高意向", "--yes")
    _no_traceback(result)
    assert result.returncode != 0
    assert "The disk is full" in result.stderr
    (batch,) = _batches(synced)
    assert batch["status"] == "paused" and batch["pending"] > 0
    assert f"tagdesk batch resume {batch['id']} --profile acme" in result.stderr

    resumed = synced("batch", "resume", batch["id"], "--profile", "acme")
    assert resumed.returncode == 0, resumed.stderr
    (batch,) = _batches(synced)
    assert batch["status"] == "done" and batch["pending"] == 0 and batch["failed"] == 0
    verified = synced("audit", "verify", "--profile", "acme")
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_read_only_cache_says_so(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    cache = Cache(path)
    try:
        cache._local.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True,
                                            isolation_level=None, check_same_thread=False)
        cache._connections.append(cache._local.conn)
        with pytest.raises(CacheReadOnlyError) as caught, cache.write() as tx:
            cache.set_meta(tx, "k", "v")
    finally:
        cache.close()
    assert "is read-only" in readable(caught.value, english=True)
    assert "只读" in readable(caught.value, english=False)


def test_a_home_that_cannot_be_written_is_a_sentence(cli: Cli) -> None:
    result = cli("profile", "list", "--home", "/sys/tagdesk-home")   # sysfs: never writable
    assert result.returncode == 2, result
    _no_traceback(result)
    assert "/sys/tagdesk-home" in result.stderr
    assert "read-only" in result.stderr or "No permission" in result.stderr


def test_a_truncated_cache_is_called_damaged_with_the_way_out(synced: Cli) -> None:
    cache = _cache(synced)
    data = cache.read_bytes()
    cache.write_bytes(data[: len(data) // 3])
    for command in (("customers", "--profile", "acme", "--filter", "客户等级:VIP"),
                    ("sync", "--profile", "acme")):
        result = synced(*command)
        assert result.returncode == 2, result
        _no_traceback(result)
        assert "is damaged" in result.stderr and "move cache.sqlite" in result.stderr
        assert "tagdesk sync --profile" in result.stderr
    cache.rename(cache.with_name("cache.sqlite.damaged"))
    assert synced("sync", "--profile", "acme").returncode == 0


def _journal_leaf_page(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        pages = [row[0] for row in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'journal' AND pagetype = 'leaf'"
            " ORDER BY pageno")]
    finally:
        conn.close()
    assert len(pages) >= 3
    return pages[len(pages) // 2], page_size


def test_a_damaged_journal_page_stops_every_write(synced: Cli, sandbox: Any) -> None:
    retag = synced("retag", "--profile", "acme", "--filter", "", "--add", "高意向", "--yes")
    assert retag.returncode == 0, retag.stderr
    cache = _cache(synced)
    page, size = _journal_leaf_page(cache)
    with cache.open("r+b") as file:
        file.seek((page - 1) * size)
        file.write(b"\xff" * 64)
    calls = sandbox.stats.calls("externalcontact/mark_tag")
    for command in (("retag", "--profile", "acme", "--filter", "", "--add", "已成交", "--yes"),
                    ("sync", "--profile", "acme")):
        result = synced(*command)
        assert result.returncode == 2, result
        _no_traceback(result)
        assert "is damaged" in result.stderr and "writes nothing more" in result.stderr
    assert sandbox.stats.calls("externalcontact/mark_tag") == calls
    verify = synced("audit", "verify", "--profile", "acme")
    assert verify.returncode != 0 and "Traceback" not in verify.stderr
    app = subprocess.run([sys.executable, "-m", "desktop", "--profile", "acme",
                          "--no-crash-dialog"], capture_output=True, text=True, timeout=300,
                         env={**synced.env, "QT_QPA_PLATFORM": "offscreen"})
    assert app.returncode == 2, app     # the window reads the journal once it has painted
    _no_traceback(app)
    assert "is damaged" in app.stderr and "writes nothing more" in app.stderr
    assert sandbox.stats.calls("externalcontact/mark_tag") == calls


@POSIX_ONLY
def test_every_file_and_folder_tagdesk_writes_is_private(synced: Cli) -> None:
    retag = synced("retag", "--profile", "acme", "--filter", "", "--add", "高意向", "--yes")
    assert retag.returncode == 0, retag.stderr
    home = synced.home
    private_dirs = [home, home / "profiles", home / "profiles" / "acme", home / "logs"]
    for folder in private_dirs:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    files = [path for path in home.rglob("*") if path.is_file()]
    assert {path.name for path in files} >= {"profiles.json", "cache.sqlite", "tagdesk.log"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


@POSIX_ONLY
def test_an_older_world_readable_cache_is_tightened(synced: Cli) -> None:
    cache = _cache(synced)
    cache.chmod(0o644)
    (synced.home / "profiles" / "acme").chmod(0o755)
    assert synced("customers", "--profile", "acme", "--count").returncode == 0
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert stat.S_IMODE((synced.home / "profiles" / "acme").stat().st_mode) == 0o700
