"""`tagdesk health` and `tagdesk migrate` against the sandbox's seeded tag library."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from desktop.sandbox import SandboxServer
from tests.integration.test_cli_retag import add_synced_profile

pytestmark = pytest.mark.integration

MARK_TAG = "externalcontact/mark_tag"
EDIT = "externalcontact/edit_corp_tag"
DELETE = "externalcontact/del_corp_tag"


class Cli:
    def __init__(self, tmp_path: Path, sandbox: SandboxServer,
                 monkeypatch: pytest.MonkeyPatch) -> None:
        self.home = tmp_path / "home"
        self.env = {**os.environ, "TAGDESK_HOME": str(self.home),
                    "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
                    "XDG_DATA_HOME": str(tmp_path / "xdg")}
        add_synced_profile(self.home, tmp_path / "xdg", sandbox, monkeypatch)

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop", *args, "--profile", "acme"],
                              capture_output=True, text=True, timeout=120, env=self.env)

    def json(self, *args: str) -> Any:
        result = self(*args, "--json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def cli(tmp_path: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(tmp_path, sandbox, monkeypatch)


def _carrying(sandbox: SandboxServer, tag_id: str) -> set[tuple[str, str]]:
    return {key for key in sandbox.state.relations()
            if tag_id in sandbox.state.relation_tag_ids(*key)}


def _tag(sandbox: SandboxServer, group: str, name: str) -> str:
    tag_id = sandbox.state.find_tag(group, name)
    assert tag_id is not None, (group, name)
    return tag_id


def test_health_finds_the_seeded_duplicates_zombies_conflicts_and_capacity(
    cli: Cli, sandbox: SandboxServer, tmp_path: Path
) -> None:
    assert cli("exclusive", "add", "成交状态", "--tags", "已成交,无效客户").returncode == 0
    export = tmp_path / "health.xlsx"
    report = cli.json("health", "--export", str(export))
    t = lambda group, name: _tag(sandbox, group, name)  # noqa: E731
    duplicates = {frozenset(d["tags"]): d["reason"] for d in report["duplicates"]}
    assert duplicates[frozenset({t("客户来源", "电话咨询"), t("历史标签", "電話諮詢")})] == "same_name"
    assert duplicates[frozenset({t("MKT-渠道", "官网咨询"), t("历史标签", "官网资询")})] == "same_pinyin"
    assert duplicates[frozenset({t("意向程度", "高意向"), t("历史标签", "高意向客户")})] == "contains"
    assert {t("2023春节活动", "春节礼盒"), t("2023春节活动", "春节拜年"),
            t("历史标签", "2023老客户回馈#专场活动邀约名单"),
            t("历史标签", " 老带新 ")} <= set(report["zombies"])
    assert report["zombie_reasons"][t("历史标签", " 老带新 ")] == "stale"
    won, lost = t("客户阶段", "已成交"), t("客户阶段", "无效客户")
    kinds = [c["kind"] for c in report["conflicts"]]
    assert kinds.count("relation") >= 2 and kinds.count("cross_follower") >= 3
    assert all(sorted(c["tags"]) == sorted([won, lost]) and c["external_userid"]
               for c in report["conflicts"])
    deep = t("历史标签", "区域/华东/江苏/苏州/工业园区")
    assert report["deep_paths"] == [deep]
    assert report["capacity"]["tags_used"] >= 90 and report["capacity"]["corp_cap"] == 3000
    rows = list(load_workbook(export).active.iter_rows(values_only=True))
    assert len(rows) > 10 and any("電話諮詢" in str(row[2]) for row in rows)

    tighter = cli.json("health", "--corp-cap", "100", "--group-cap", "17")
    assert tighter["capacity"]["corp_cap"] == 100
    assert [g["name"] for g in tighter["capacity"]["groups_near_cap"]] == ["行业类型"]


def test_a_tag_on_many_relations_moves_into_a_new_tag_with_one_rename(
    cli: Cli, sandbox: SandboxServer
) -> None:
    hot = _tag(sandbox, "意向程度", "高意向")
    carriers = _carrying(sandbox, hot)
    assert len(carriers) > 50
    preview = cli.json("migrate", "--from", "高意向", "--to", "强意向", "--delete-source",
                       "--dry-run")
    assert preview["strategy"] == "rename" and preview["planned_api_calls"] == 1
    before = sandbox.stats.calls()
    summary = cli.json("migrate", "--from", "高意向", "--to", "强意向", "--delete-source", "--yes")
    assert summary["strategy"] == "rename"
    assert summary["planned"] == summary["applied"] == len(carriers)
    assert 1 <= summary["api_calls"] == sandbox.stats.calls() - before <= 3
    assert sandbox.state.find_tag("意向程度", "强意向") == hot
    assert _carrying(sandbox, hot) == carriers


def test_merging_into_an_existing_tag_costs_one_call_per_relation_lacking_it(
    cli: Cli, sandbox: SandboxServer
) -> None:
    source, target = _tag(sandbox, "历史标签", "高意向客户"), _tag(sandbox, "意向程度", "高意向")
    carriers = _carrying(sandbox, source)
    lacking = carriers - _carrying(sandbox, target)
    assert lacking and lacking != carriers
    marks, edits, deletes = (sandbox.stats.calls(p) for p in (MARK_TAG, EDIT, DELETE))
    summary = cli.json("migrate", "--from", "历史标签:高意向客户", "--to", "意向程度:高意向",
                       "--delete-source", "--yes")
    assert summary["strategy"] == "relabel"
    assert summary["planned"] == summary["applied"] == len(lacking)
    assert sandbox.stats.calls(MARK_TAG) - marks == len(lacking)
    assert len(lacking) + 1 <= summary["api_calls"] <= len(lacking) + 3
    assert sandbox.stats.calls(EDIT) == edits and sandbox.stats.calls(DELETE) - deletes == 1
    assert carriers <= _carrying(sandbox, target)
    assert sandbox.state.find_tag("历史标签", "高意向客户") is None


def test_a_merge_is_one_batch_that_undo_reverts(cli: Cli, sandbox: SandboxServer) -> None:
    sources = [_tag(sandbox, "历史标签", "官网资询"), _tag(sandbox, "历史标签", "電話諮詢")]
    target = _tag(sandbox, "MKT-渠道", "官网咨询")
    before = {tag_id: _carrying(sandbox, tag_id) for tag_id in [*sources, target]}
    summary = cli.json("migrate", "--from", "官网资询,電話諮詢", "--to", "官网咨询", "--yes")
    assert summary["strategy"] == "relabel" and summary["batch_id"]
    assert not _carrying(sandbox, sources[0]) and not _carrying(sandbox, sources[1])
    batches = cli.json("batches")
    assert [(b["source"], b["description"]) for b in batches if b["id"] == summary["batch_id"]] \
        == [("migration", "迁移 官网资询、電話諮詢 → 官网咨询 / Migrate 官网资询, 電話諮詢 → 官网咨询")]
    undone = cli("batch", "undo", summary["batch_id"], "--yes")
    assert undone.returncode == 0, undone.stderr
    assert {tag_id: _carrying(sandbox, tag_id) for tag_id in before} == before
    assert [b["description"] for b in cli.json("batches") if b["source"] == "undo"] == [
        f"撤销 {summary['batch_id']} / Undo {summary['batch_id']}"]


@pytest.mark.parametrize(("args", "needle"), [
    (("--from", "高意向", "--to", "意向程度:高意向"), "into itself"),
    (("--from", "教育", "--to", "教育/K12"), "own descendant"),
    (("--from", "高意向客户", "--to", "客户阶段:再联系", "--group-cap", "6"), "its cap of 6"),
])
def test_impossible_migrations_are_refused_in_one_sentence(
    cli: Cli, sandbox: SandboxServer, args: tuple[str, ...], needle: str
) -> None:
    before = sandbox.stats.calls()
    result = cli("migrate", *args, "--yes")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], result.stderr
    assert sandbox.stats.calls() == before


def test_a_console_made_tag_is_not_renamed_and_says_why(cli: Cli, sandbox: SandboxServer) -> None:
    shenzhen = _tag(sandbox, "地区", "深圳")
    carriers = _carrying(sandbox, shenzhen)
    result = cli("migrate", "--from", "地区:深圳", "--to", "深圳市", "--delete-source", "--yes")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "admin console" in result.stderr
    assert sandbox.state.find_tag("地区", "深圳") == shenzhen
    assert _carrying(sandbox, shenzhen) == carriers


def test_an_interrupted_merge_keeps_the_sources_until_the_rerun_finishes_it(
    cli: Cli, sandbox: SandboxServer
) -> None:
    from desktop.services.migration import MigrationService
    from desktop.services.profiles import ProfileStore
    from desktop.services.tagging import TaggingService
    from desktop.services.workspace import Workspace

    source, target = _tag(sandbox, "历史标签", "高意向客户"), _tag(sandbox, "意向程度", "高意向")
    carriers = _carrying(sandbox, source)
    profile = ProfileStore(cli.home).get("acme")
    with Workspace(cli.home, profile, sandbox.secret) as ws:
        service = MigrationService(ws)
        started = service.start(service.plan(["高意向客户"], "意向程度:高意向", delete_source=True))
        partial = TaggingService(ws).run(started.batch_id, limit=3)   # the process "dies" here
        assert partial.pending > 0
        assert service.finish(started, partial).tags_changed is False
    assert sandbox.state.find_tag("历史标签", "高意向客户") == source

    resumed = cli("batch", "resume", started.batch_id)
    assert resumed.returncode == 0, resumed.stderr
    again = cli.json("migrate", "--from", "历史标签:高意向客户", "--to", "意向程度:高意向",
                     "--delete-source", "--yes")
    assert again["planned"] == 0 and again["sources_deleted"] is True
    assert sandbox.state.find_tag("历史标签", "高意向客户") is None
    assert carriers <= _carrying(sandbox, target)


def test_a_source_deleted_in_the_console_mid_migration_is_stripped_and_the_rest_moves(
    cli: Cli, sandbox: SandboxServer
) -> None:
    from desktop.services.migration import MigrationService
    from desktop.services.profiles import ProfileStore
    from desktop.services.workspace import Workspace

    sources = [_tag(sandbox, "历史标签", "官网资询"), _tag(sandbox, "历史标签", "電話諮詢")]
    target = _tag(sandbox, "MKT-渠道", "官网咨询")
    carriers = _carrying(sandbox, sources[0]) | _carrying(sandbox, sources[1])
    profile = ProfileStore(cli.home).get("acme")
    with Workspace(cli.home, profile, sandbox.secret) as ws:
        service = MigrationService(ws)
        plan = service.plan(["官网资询", "電話諮詢"], "官网咨询", delete_source=True)
        sandbox.state.console_delete_tag(sources[0])        # an admin, between plan and run
        result = service.run(plan)
        rows = ws.cache.connection().execute(
            "SELECT external_userid, userid, action, tag_id FROM journal WHERE batch_id = ?",
            (result.batch_id,)).fetchall()
    assert result.complete and result.sources_deleted, result
    assert result.sources_deleted_in_wecom == (sources[0],)
    assert carriers <= _carrying(sandbox, target)
    assert sandbox.state.find_tag("历史标签", "電話諮詢") is None
    listed = {t["id"] for g in cli.json("tags", "list")["groups"] for t in g["tags"]}
    assert not listed & set(sources)
    assert len(rows) == len(set(rows)) and len({r[:2] for r in rows}) == result.applied


def test_a_merge_killed_mid_batch_is_resumed_exactly_and_finished_by_running_it_again(
    cli: Cli, sandbox: SandboxServer
) -> None:
    source, target = _tag(sandbox, "历史标签", "高意向客户"), _tag(sandbox, "意向程度", "高意向")
    carriers = _carrying(sandbox, source)
    lacking = carriers - _carrying(sandbox, target)
    marks = sandbox.stats.calls(MARK_TAG)
    sandbox.configure(latency_ms=150)
    runner = subprocess.Popen(
        [sys.executable, "-m", "desktop", "migrate", "--from", "历史标签:高意向客户", "--to",
         "意向程度:高意向", "--delete-source", "--yes", "--profile", "acme"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cli.env)
    try:
        deadline = time.monotonic() + 60
        while sandbox.stats.calls(MARK_TAG) - marks < 11:   # two rounds of 5 answered
            assert runner.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        runner.kill()                                       # SIGKILL, mid-batch
        runner.wait()
        sandbox.configure(latency_ms=0)
    assert sandbox.state.find_tag("历史标签", "高意向客户") == source
    (batch,) = [b for b in cli.json("batches") if b["source"] == "migration"]
    assert 0 < batch["pending"] < len(lacking)
    resumed = cli("batch", "resume", batch["id"])
    assert resumed.returncode == 0, resumed.stderr
    again = cli.json("migrate", "--from", "历史标签:高意向客户", "--to", "意向程度:高意向",
                     "--delete-source", "--yes")
    assert again["planned"] == 0 and again["sources_deleted"] is True
    assert carriers <= _carrying(sandbox, target)
    assert sandbox.stats.calls(MARK_TAG) - marks <= len(lacking) + 5   # at most the in-flight again
    journal = sqlite3.connect(cli.home / "profiles" / "acme" / "cache.sqlite")
    try:
        rows = journal.execute("SELECT external_userid, userid, action, tag_id FROM journal"
                               " WHERE batch_id = ?", (batch["id"],)).fetchall()
    finally:
        journal.close()
    assert len(rows) == len(set(rows))                    # nothing journaled twice
    assert {(r[0], r[1]) for r in rows if r[2] == "tag_add"} == {
        (e, u) for u, e in lacking}


def test_a_rule_group_tag_merged_into_its_sibling_is_deleted_in_wecom(
    cli: Cli, sandbox: SandboxServer
) -> None:
    source, target = _tag_of(sandbox, "华南-客户分级", "C类"), _tag_of(sandbox, "华南-客户分级", "B类")
    carriers = _carrying(sandbox, source)
    assert carriers
    summary = cli.json("migrate", "--from", "华南-客户分级:C类", "--to", "华南-客户分级:B类",
                       "--delete-source", "--yes")
    assert summary["sources_deleted"] is True and summary["sources_deleted_in_wecom"] == []
    assert sandbox.state.find_tag("华南-客户分级", "C类") is None
    assert carriers <= _carrying(sandbox, target)


def _tag_of(sandbox: SandboxServer, group: str, name: str) -> str:
    tag_id = sandbox.state.find_tag(group, name)     # rule-group tags too
    assert tag_id is not None, (group, name)
    return tag_id
