"""Exclusive tag sets from the CLI: saved, listed, enforced by retag, removed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.integration.conftest import Cli

pytestmark = pytest.mark.integration


def test_an_exclusive_set_is_saved_enforced_and_removed(cli: Cli, sandbox: Any) -> None:
    cli.add_profile(sandbox)
    assert cli("sync", "--profile", "acme").returncode == 0
    added = cli("exclusive", "add", "成交状态", "--tags", "已成交,无效客户", "--profile", "acme")
    assert added.returncode == 0, added.stderr
    listed = json.loads(cli("exclusive", "list", "--profile", "acme", "--json").stdout)
    assert [(s["name"], s["tags"]) for s in listed] == [
        ("成交状态", ["客户阶段:已成交", "客户阶段:无效客户"])]

    plan = cli("retag", "--profile", "acme", "--filter", "已成交", "--add", "无效客户",
               "--dry-run", "--json")
    assert plan.returncode == 0, plan.stderr
    summary = json.loads(plan.stdout.strip().splitlines()[-1])
    assert summary["planned"] == 0          # every one of them would carry both tags
    assert "conflict" in plan.stdout.lower() or "冲突" in plan.stdout

    assert cli("exclusive", "remove", "成交状态", "--profile", "acme").returncode == 0
    assert json.loads(cli("exclusive", "list", "--profile", "acme", "--json").stdout) == []
    journal = cli("audit", "list", "--profile", "acme", "--json")
    actions = [json.loads(line).get("action") for line in journal.stdout.splitlines()]
    assert "exclusive_set_add" in actions and "exclusive_set_remove" in actions


def test_bad_exclusive_sets_are_refused_with_a_reason(cli: Cli, sandbox: Any) -> None:
    cli.add_profile(sandbox)
    assert cli("sync", "--profile", "acme").returncode == 0
    unknown = cli("exclusive", "add", "x", "--tags", "已成交,不存在的标签", "--profile", "acme")
    assert unknown.returncode == 2 and "不存在的标签" in unknown.stderr
    single = cli("exclusive", "add", "x", "--tags", "已成交", "--profile", "acme")
    assert single.returncode == 2 and "at least two" in single.stderr
    missing = cli("exclusive", "remove", "nope", "--profile", "acme")
    assert missing.returncode == 2 and "No exclusive set" in missing.stderr
