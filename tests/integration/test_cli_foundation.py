"""The CLI as a new user runs it: profiles, sync, customers, and every bad-input sentence."""

from __future__ import annotations

import json
import re
import socket
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from desktop.store.db import Cache
from tests.cli_json import last_json

if TYPE_CHECKING:
    from tests.integration.conftest import Cli

pytestmark = pytest.mark.integration


def _assert_one_sentence(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines()
             if line.strip() and not line.startswith("[")]  # "[phase] ..." lines are progress
    assert len(lines) == 1 and lines[0].startswith("tagdesk: "), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_profile_secret_goes_to_the_keyring_only(cli: Cli, sandbox: Any) -> None:
    cli.add_profile(sandbox)
    listed = cli("profile", "list", "--json")
    assert [p["name"] for p in json.loads(listed.stdout)] == ["acme"]
    assert sandbox.secret not in (cli.home / "profiles.json").read_text(encoding="utf-8")
    removed = cli("profile", "remove", "acme")
    assert removed.returncode == 0
    assert json.loads(cli("profile", "list", "--json").stdout) == []


def test_sync_then_count_customers(cli: Cli, sandbox: Any) -> None:
    cli.add_profile(sandbox)
    synced = cli("sync", "--profile", "acme", "--json")
    assert synced.returncode == 0, synced.stderr
    summary = last_json(synced.stdout)
    for key in ("customers", "relations", "tags", "groups", "api_calls", "observed_changes",
                "elapsed_s"):
        assert key in summary
    relations = sandbox.state.relations()
    assert summary["relations"] == len(relations)
    assert summary["customers"] == len({euid for _, euid in relations})
    assert summary["observed_changes"] == 0 and summary["api_calls"] > 0
    assert summary["scope"] == "corp"          # a solo profile reads the corp

    counted = cli("customers", "--profile", "acme", "--filter", "", "--count", "--json")
    assert counted.returncode == 0, counted.stderr
    assert last_json(counted.stdout) == {
        "relations": summary["relations"], "customers": summary["customers"],
    }
    listed = cli("customers", "--profile", "acme", "--json", "--limit", "5")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 6 and rows[-1]["shown"] == 5
    assert {"customer", "owner", "tags", "external_userid"} <= set(rows[0])


def test_a_filter_syntax_error_points_at_the_position(cli: Cli, sandbox: Any) -> None:
    cli.add_profile(sandbox)
    assert cli("sync", "--profile", "acme").returncode == 0
    result = cli("customers", "--profile", "acme", "--filter", "高意向 AND (VIP", "--count")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert ")" in result.stderr


def test_customers_before_any_sync_says_what_to_do(cli: Cli, sandbox: Any) -> None:
    cli.add_profile(sandbox)
    result = cli("customers", "--profile", "acme", "--count")
    _assert_one_sentence(result, "tagdesk sync --profile acme")


def test_unknown_profile(cli: Cli) -> None:
    _assert_one_sentence(cli("sync", "--profile", "nope"), "No profile named nope")


def test_wrong_secret(cli: Cli, sandbox: Any, tmp_path: Path) -> None:
    cli.add_profile(sandbox, secret="not-the-secret-0000")
    result = cli("sync", "--profile", "acme")
    _assert_one_sentence(result, "40001")
    assert "not-the-secret-0000" not in result.stderr


def test_a_secret_reset_says_how_to_store_the_new_one_and_that_command_keeps_the_rest(
        cli: Cli, sandbox: Any) -> None:
    """After the app secret was reset in the admin console, `sync` said "enter it again in
    the profile", and `profile add acme --secret-stdin` alone was refused (no corp id): the
    profile had to be added again whole."""
    cli.add_profile(sandbox)
    assert cli("sync", "--profile", "acme").returncode == 0
    before = cli("profile", "list", "--json").stdout
    stored = cli("profile", "add", "acme", "--secret-stdin", stdin="reset-secret-0000\n")
    assert stored.returncode == 0, stored.stderr
    result = cli("sync", "--profile", "acme")
    _assert_one_sentence(result, "40001", "应用 Secret 不正确或已重置",
                         'echo "$SECRET" | tagdesk profile add acme --secret-stdin',
                         "The app secret is wrong or was reset")
    assert "reset-secret-0000" not in result.stderr
    done = cli("profile", "add", "acme", "--secret-stdin", stdin=sandbox.secret + "\n")
    assert done.returncode == 0, done.stderr
    assert cli("profile", "list", "--json").stdout == before     # corp, API base, userid kept
    assert cli("sync", "--profile", "acme").returncode == 0
    assert cli("customers", "--profile", "acme", "--count").returncode == 0


def test_wrong_corp_id(cli: Cli, sandbox: Any) -> None:
    cli.add_profile(sandbox, corp_id="ww0000000000000000")
    _assert_one_sentence(cli("sync", "--profile", "acme"), "40013")


def test_unreachable_api_base(cli: Cli, sandbox: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cli.add_profile(sandbox, api_base=f"http://127.0.0.1:{port}/cgi-bin/")
    result = cli("sync", "--profile", "acme", timeout=180)
    _assert_one_sentence(result, f"127.0.0.1:{port}", "2 attempts)")    # refused: one retry
    once = cli("sync", "--profile", "acme", env={"TAGDESK_RETRIES": "0"})
    _assert_one_sentence(once, f"127.0.0.1:{port}", "1 attempt)")
    _assert_one_sentence(cli("sync", "--profile", "acme", env={"TAGDESK_RETRIES": "many"}),
                         "TAGDESK_RETRIES must be a whole number from 0 to 10")


def test_no_usable_keyring_says_how_to_fix_it(cli: Cli, sandbox: Any) -> None:
    result = cli(
        "profile", "add", "acme", "--corp-id", sandbox.corp_id, "--api-base", sandbox.api_base,
        "--userid", "zhangsan", "--secret-stdin", stdin="s3cret\n",
        env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    _assert_one_sentence(result, "PYTHON_KEYRING_BACKEND")


def test_a_cache_that_is_not_sqlite_is_refused_and_kept(cli: Cli, sandbox: Any) -> None:
    cli.add_profile(sandbox)
    cache_file = cli.home / "profiles" / "acme" / "cache.sqlite"
    cache_file.write_bytes(b"my notes" * 1000)
    _assert_one_sentence(cli("sync", "--profile", "acme"), "is damaged", "move cache.sqlite")
    assert cache_file.read_bytes() == b"my notes" * 1000


def test_a_cache_in_use_by_another_tagdesk_is_refused(cli: Cli, sandbox: Any) -> None:
    cli.add_profile(sandbox)
    with Cache(cli.home / "profiles" / "acme" / "cache.sqlite", exclusive=True):
        _assert_one_sentence(cli("sync", "--profile", "acme"), "in use by another TagDesk")


def test_debug_logs_hold_no_secret_and_no_token(cli: Cli, sandbox: Any) -> None:
    cli.add_profile(sandbox)
    assert cli("sync", "--profile", "acme", "--debug").returncode == 0
    log_text = (cli.home / "logs" / "tagdesk.log").read_text(encoding="utf-8")
    assert "batch/get_by_user" in log_text  # debug logging really ran
    assert sandbox.secret not in log_text
    assert re.search(r"access_token=(?!\*\*\*)", log_text) is None
