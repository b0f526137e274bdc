"""Attacks on the command line: every one ends in one sentence (or the right answer)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tests.hostile.conftest import in_process
from tests.integration.conftest import Cli

pytestmark = pytest.mark.integration

DUMMY_PROFILE = ("--corp-id", "ww0123", "--api-base", "http://127.0.0.1:9/cgi-bin/",
                 "--userid", "zhangsan")


def _sentence(result: subprocess.CompletedProcess[str]) -> str:
    """The single "tagdesk: ..." line of a failed command (no traceback, no logging noise)."""
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr and "Logging error" not in result.stderr
    lines = [line for line in result.stderr.splitlines()
             if line.strip() and not line.startswith("[")]
    assert len(lines) == 1 and lines[0].startswith("tagdesk: "), result.stderr
    return lines[0]


def _count(cli: Cli, expression: str, *prefix: str) -> int:
    result = in_process(cli.home, "customers", "--profile", "acme", *prefix, expression,
                        "--count", "--json")
    assert result.returncode == 0, result.stderr
    relations: int = json.loads(result.stdout.splitlines()[-1])["relations"]
    return relations


def test_profile_names_that_leave_their_folder_are_refused(cli: Cli) -> None:
    for name in (".", "..", ".hidden", "trailing.", "a/b", "x" * 41, "a\nb"):
        line = _sentence(in_process(cli.home, "profile", "add", name, *DUMMY_PROFILE))
        assert "cannot be used" in line and "not starting or ending with a dot" in line, name
    assert not (cli.home / "cache.sqlite").exists()
    assert not (cli.home / "profiles.json").exists()
    line = _sentence(in_process(cli.home, "customers", "--profile", ".."))
    assert "No profile named .." in line
    assert not (cli.home / "cache.sqlite").exists()


def test_ordinary_names_are_kept(cli: Cli) -> None:
    for name in ("acme", "北京-分公司_2", "v1.2"):
        result = in_process(cli.home, "profile", "add", name, *DUMMY_PROFILE)
        assert result.returncode == 0, result.stderr


ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31mVIP"


def test_terminal_escapes_in_arguments_are_shown_escaped(synced_once: Cli) -> None:
    attacks = [
        ("customers", "--profile", "acme", "--filter", ESCAPES),
        ("customers", "--profile", "acme", "--filter", f"owner:{ESCAPES}"),
        ("customers", "--profile", ESCAPES),
        ("profile", "add", ESCAPES, *DUMMY_PROFILE),
        ("customers", "--profile", "acme", "--limit", ESCAPES),
        ("customers", "--profile", "acme", ESCAPES),
    ]
    for attack in attacks:
        result = in_process(synced_once.home, *attack)
        assert result.returncode == 2, (attack, result)
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr, attack
        assert "\\x1b" in result.stderr or "\\x1b" in repr(result.stderr), attack


def test_invalid_utf8_in_a_filter_is_a_sentence_not_a_logging_traceback(synced_once: Cli) -> None:
    result = synced_once("customers", "--profile", "acme", "--filter", "VIP\udcff\udcfe", "--debug")
    line = _sentence(result)
    assert "\\udcff" in line


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_log_disk_never_reaches_the_terminal(synced: Cli) -> None:
    device_mode = os.stat("/dev/full").st_mode
    log_file = synced.home / "logs" / "tagdesk.log"
    log_file.unlink()
    log_file.symlink_to("/dev/full")      # every write fails with ENOSPC
    result = synced("customers", "--profile", "acme", "--filter", "(VIP", "--debug")
    assert "at character" in _sentence(result)
    assert synced("customers", "--profile", "acme", "--count").returncode == 0
    assert os.stat("/dev/full").st_mode == device_mode     # a device is never "made private"


@pytest.mark.parametrize("attack", ["(" * 330 + "VIP" + ")" * 330, "!" * 1000 + "VIP",
                                    "NOT " * 500 + "VIP"])
def test_filters_nested_too_deep_name_the_limit(synced_once: Cli, attack: str) -> None:
    line = _sentence(in_process(synced_once.home, "customers", "--profile", "acme", "--filter",
                                attack))
    assert "at most 100 levels" in line and "最多嵌套 100 层" in line


def test_a_filter_at_the_depth_limit_still_works(synced_once: Cli) -> None:
    assert _count(synced_once, "(" * 100 + "客户等级:VIP" + ")" * 100, "--filter") == \
        _count(synced_once, "客户等级:VIP", "--filter")


def test_the_not_prefix_is_a_filter_not_an_option(synced_once: Cli) -> None:
    total = _count(synced_once, "", "--filter")
    vip = _count(synced_once, "客户等级:VIP", "--filter")
    assert 0 < vip < total
    assert _count(synced_once, "-客户等级:VIP", "--filter") == total - vip
    assert _count(synced_once, "--filter=-客户等级:VIP") == total - vip


def test_a_date_out_of_range_names_the_range(synced_once: Cli) -> None:
    line = _sentence(in_process(synced_once.home, "customers", "--profile", "acme", "--filter",
                                "added:9999-12-31"))
    assert "years 1970 to 2999" in line and "1970 至 2999 年" in line


def test_import_dry_run_of_an_invalid_file_says_dry_run(synced_once: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    book = Workbook()
    book.active.append(["external_userid", "owner_userid", "add_tags", "remove_tags"])
    book.active.append(["wm-nobody", "", "没有这个标签", ""])
    book.save(path)
    result = synced_once("import", str(path), "--profile", "acme", "--dry-run", "--json")
    assert result.returncode == 1, result.stderr
    summary: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    assert summary["status"] == "invalid" and summary["dry_run"] is True


def test_a_reader_closing_the_pipe_early_ends_quietly(synced_once: Cli) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", "customers", "--profile", "acme", "--limit", "100000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=synced_once.env,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()                  # `| head` that has read enough
    try:
        stderr = process.stderr.read().decode()
        code = process.wait(timeout=120)
    finally:
        process.kill()
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr and "internal" not in stderr
    assert code == 141, stderr


def test_wecom_refusals_in_sync_are_bilingual(cli: Cli, sandbox: Any) -> None:
    cli.add_profile(sandbox, secret="not-the-secret-0000")
    line = _sentence(cli("sync", "--profile", "acme"))
    zh, _, en = line.removeprefix("tagdesk: ").partition(" / ")
    assert "40001" in zh and "40001" in en
    assert any("\u4e00" <= char <= "\u9fff" for char in zh)
    assert en.isascii() and "errcode 40001" in en
