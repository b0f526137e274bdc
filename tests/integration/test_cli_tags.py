"""`tagdesk tags …` against the sandbox: every subcommand's success, refusal (exit code and
sentence) and `--json` shape, branch rule groups, and a console-made rule group refused.

One sandbox corp and one synced profile serve the whole module; each test edits its own tags.
The corp has ten members, so both branch departments have a head.
"""

from __future__ import annotations

import json
import os
import pty
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services.profiles import ProfileStore
from desktop.wecom import RateLimits, WeComClient, WeComError
from tests.integration.conftest import Cli

pytestmark = pytest.mark.integration

REFUSED, NOT_FOUND, NOT_CONFIRMED = 3, 4, 5


@pytest.fixture(scope="module")
def corp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    data = tmp_path_factory.mktemp("tags-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=300, members=10, seed=7)) as server:
        yield server


@pytest.fixture(scope="module")
def tags(corp: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli(tmp_path_factory.mktemp("tags-home"))
    cli.add_profile(corp)
    corp.state.console_add_tag("客户等级", "\x1b[2J后台")  # a name that would clear a terminal
    synced = cli("sync", "--profile", "acme")
    assert synced.returncode == 0, synced.stderr
    return cli


def run(cli: Cli, *args: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """`tagdesk tags ARGS --profile acme --json`: the process and its last JSON line ({} when
    it printed none)."""
    result = cli("tags", *args, "--profile", "acme", "--json")
    lines = result.stdout.strip().splitlines()
    return result, json.loads(lines[-1]) if result.returncode == 0 and lines else {}


def journal(cli: Cli, action: str) -> list[dict[str, Any]]:
    """The profile's journal rows of one action, oldest first, read from its cache file."""
    with closing(sqlite3.connect(ProfileStore(cli.home).cache_path("acme"))) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(
            "SELECT * FROM journal WHERE action = ? ORDER BY id", (action,))]


def listing(cli: Cli) -> dict[str, dict[str, Any]]:
    result, data = run(cli, "list")
    assert result.returncode == 0, result.stderr
    return {group["name"]: group for group in data["groups"]}


def test_list_shows_corp_rule_group_and_path_tags_with_counts(tags: Cli, corp: SandboxServer
                                                               ) -> None:
    listed, data = run(tags, "list")
    assert listed.returncode == 0, listed.stderr
    groups = {group["name"]: group for group in data["groups"]}
    industry = groups["行业类型"]
    assert industry["kind"] == "corp" and industry["strategy_id"] is None
    assert not industry["read_only"] and industry["reason"] is None
    primary = next(t for t in industry["tags"] if t["name"] == "教育/K12/小学")
    assert primary["path"] == "行业类型/教育/K12/小学"
    assert primary["id"] == corp.state.find_tag("行业类型", "教育/K12/小学")
    assert primary["relations"] > 0 and set(primary) == {
        "id", "name", "path", "order", "relations", "abbreviation", "read_only", "reason"}
    north = groups["华北-跟进阶段"]
    assert (north["kind"], north["strategy_id"], north["strategy_name"]) == (
        "strategy", 1, "华北区域")
    text = listed.stdout   # the lines before the JSON one, for people and grep
    assert "  行业类型/教育/K12/小学\t" in text
    assert "\x1b" not in text and "客户等级/\\x1b[2J后台\t" in text


def test_add_rename_move_and_delete_a_tag_are_journaled(tags: Cli, corp: SandboxServer) -> None:
    added, data = run(tags, "add", "行业类型/教育/K12/高中")
    assert added.returncode == 0, added.stderr
    assert corp.state.find_tag("行业类型", "教育/K12/高中") == data["id"]
    assert data["path"] == "行业类型/教育/K12/高中" and data["strategy_id"] is None

    renamed, data = run(tags, "rename", "行业类型/教育/K12/高中", "教育/K12/高级中学",
                        "--reason", "与学段名称一致")
    assert renamed.returncode == 0, renamed.stderr
    assert data["old_name"] == "教育/K12/高中" and data["name"] == "教育/K12/高级中学"
    assert corp.state.find_tag("行业类型", "教育/K12/高级中学") == data["id"]
    assert [row["reason"] for row in journal(tags, "tag_rename")] == ["与学段名称一致"]

    refund, won = corp.state.find_tag("客户阶段", "已退款"), corp.state.find_tag("客户阶段", "已成交")
    assert refund and won and corp.state.tag_order(refund) < corp.state.tag_order(won)
    moved, data = run(tags, "move", "客户阶段/已退款", "--before", "客户阶段:已成交")
    assert moved.returncode == 0, moved.stderr
    assert data == {"action": "move", "kind": "tag", "id": refund, "before": won,
                    "batch_id": data["batch_id"]}
    assert corp.state.tag_order(refund) > corp.state.tag_order(won)

    doomed = corp.state.find_tag("客户等级", "流失预警")
    carriers = [r for r in corp.state.relations() if doomed in corp.state.relation_tag_ids(*r)]
    deleted, data = run(tags, "delete", "流失预警", "--reason", "并入 重点客户", "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert data["relations"] == len(carriers) > 0
    assert data["customers"] == len({euid for _, euid in carriers})
    assert f"{data['customers']} 位客户" in deleted.stdout
    assert corp.state.find_tag("客户等级", "流失预警") is None

    assert journal(tags, "tag_create")[-1]["tag_name"] == "教育/K12/高中"
    assert journal(tags, "tag_rename")[-1]["tag_name"] == "教育/K12/高级中学"
    assert {row["source"] for row in journal(tags, "tag_rename")} == {"tree"}   # as the tree's
    audit = tags("audit", "list", "--profile", "acme", "--action", "tag_rename")
    assert audit.returncode == 0, audit.stderr
    line = next(text for text in audit.stdout.splitlines() if "教育/K12/高级中学" in text)
    assert "\t标签库编辑 tag library edit\t" in line      # a library edit, not the tree window's
    assert journal(tags, "tag_reorder")
    delete_row = journal(tags, "tag_delete")[-1]
    assert delete_row["tag_name"] == "流失预警" and delete_row["reason"] == "并入 重点客户"
    assert len(journal(tags, "tag_remove")) == len(carriers)


def test_groups_are_added_renamed_moved_and_deleted(tags: Cli, corp: SandboxServer) -> None:
    made, data = run(tags, "add-group", "展会线索", "--tag", "2026春季展")
    assert made.returncode == 0, made.stderr
    assert data["group_name"] == "展会线索" and data["rule_group"] is None
    group_id = data["group_id"]
    renamed, data = run(tags, "rename", "展会线索/", "展会-线索")
    assert renamed.returncode == 0 and data["kind"] == "group", renamed.stderr
    assert corp.state.find_group("展会-线索") == group_id
    moved, _ = run(tags, "move", "展会-线索/", "--after", "客户等级/")
    assert moved.returncode == 0, moved.stderr
    level = corp.state.find_group("客户等级")
    assert level and corp.state.tag_order(group_id) < corp.state.tag_order(level)
    gone, data = run(tags, "delete", "展会-线索/", "--yes")
    assert gone.returncode == 0 and data["tags"] == 1 and data["customers"] == 0, gone.stderr
    assert corp.state.find_group("展会-线索") is None
    assert journal(tags, "group_delete")[-1]["tag_id"] == group_id


def test_refusals_have_their_exit_code_and_one_sentence(tags: Cli, corp: SandboxServer) -> None:
    tags_before = len(corp.state.tag_ids_by_name())
    cases = [
        (("add", "意向程度/高意向"), REFUSED, "already has a tag named"),
        (("add", "行业类型/a/b/c/d/e"), REFUSED, "level"),
        (("add", "没有这个组/新标签"), NOT_FOUND, "tags add-group"),
        (("rename", "高意向X", "新名"), NOT_FOUND, "No tag or tag group named"),
        (("move", "高意向", "--before", "VIP"), REFUSED, "not siblings"),
        (("delete", "意向程度/高意向"), NOT_CONFIRMED, "--yes"),
        (("add-group", "组", "--tag", "x", "--branch", "没有的部门"), NOT_FOUND,
         "No department named"),
    ]
    for args, code, words in cases:
        result, _ = run(tags, *args)
        assert result.returncode == code, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0] and " / " in lines[0], (args, lines)
        assert "Traceback" not in result.stderr
    assert len(corp.state.tag_ids_by_name()) == tags_before
    assert corp.state.find_tag("意向程度", "高意向") is not None


def test_delete_asks_on_a_terminal_naming_the_customers(tags: Cli, corp: SandboxServer) -> None:
    doomed = corp.state.find_tag("复购", "高频复购")
    customers = len({e for u, e in corp.state.relations()
                     if doomed in corp.state.relation_tag_ids(u, e)})
    for answer, code in ((b"n\n", NOT_CONFIRMED), (b"y\n", 0)):
        output, returncode = _on_a_terminal(
            tags, ["tags", "delete", "复购/高频复购", "--profile", "acme"], answer)
        assert returncode == code, output
        assert f"{customers} 位客户" in output and "[y/N]" in output
    assert corp.state.find_tag("复购", "高频复购") is None


def _on_a_terminal(cli: Cli, args: list[str], answer: bytes) -> tuple[str, int]:
    """Run tagdesk with a pseudo-terminal as stdin and stderr, typing `answer`."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "desktop", *args], stdin=terminal,
                               stdout=subprocess.PIPE, stderr=terminal, env=cli.env)
    os.close(terminal)
    seen = b""
    while b"[y/N]" not in seen:
        chunk = os.read(controller, 4096)
        assert chunk, seen
        seen += chunk
    os.write(controller, answer)
    stdout, _ = process.communicate(timeout=60)
    try:
        while chunk := os.read(controller, 4096):
            seen += chunk
    except OSError:
        pass
    os.close(controller)
    return (seen + stdout).decode("utf-8", "replace"), process.returncode


def test_a_branch_rule_group_is_made_with_its_head_and_its_tags_edited(
    tags: Cli, corp: SandboxServer
) -> None:
    with corp.state.transaction() as conn:
        head = conn.execute("SELECT userid FROM member_department WHERE department_id = 11"
                            " AND is_leader = 1").fetchone()[0]
    made, data = run(tags, "add-group", "北京-渠道", "--tag", "展会", "--branch", "北京销售组")
    assert made.returncode == 0, made.stderr
    rule_group = data["rule_group"]
    assert rule_group["created"] and rule_group["department_id"] == 11
    assert rule_group["admins"] == [head]
    strategy_id = rule_group["id"]
    with corp.state.transaction() as conn:
        row = conn.execute("SELECT parent_id, name, admin_list FROM strategy WHERE id = ?",
                           (strategy_id,)).fetchone()
        scope = conn.execute("SELECT type, partyid FROM strategy_range WHERE strategy_id = ?",
                             (strategy_id,)).fetchall()
    assert (row[0], row[1], json.loads(row[2])) == (0, "北京销售组", [head])
    assert scope == [(2, 11)]
    assert data["strategy_id"] == strategy_id and data["id"].startswith("st")
    assert journal(tags, "rule_group_create")[-1]["tag_name"] == "北京销售组"
    _only_the_branch_can_carry(corp, data["id"], department=11)

    added, data = run(tags, "add", "北京-渠道/地推")
    assert added.returncode == 0 and data["strategy_id"] == strategy_id, added.stderr
    renamed, _ = run(tags, "rename", "北京-渠道/地推", "地面推广")
    assert renamed.returncode == 0, renamed.stderr
    assert corp.state.find_tag("北京-渠道", "地面推广") == data["id"]
    moved, _ = run(tags, "move", "北京-渠道/地面推广", "--before", "北京-渠道/展会")
    assert moved.returncode == 0, moved.stderr
    deleted, _ = run(tags, "delete", "北京-渠道/地面推广", "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert corp.state.find_tag("北京-渠道", "地面推广") is None

    north, data = run(tags, "add-group", "华北-重点项目", "--tag", "政企", "--branch", "华北分公司")
    assert north.returncode == 0, north.stderr
    assert data["rule_group"]["name"] == "华北区域" and not data["rule_group"]["created"]
    operations, data = run(tags, "add-group", "运营-回访", "--tag", "待回访", "--branch", "运营部")
    assert operations.returncode == 0 and data["rule_group"]["created"], operations.stderr
    with corp.state.transaction() as conn:
        scope = conn.execute("SELECT type, partyid FROM strategy_range WHERE strategy_id = ?"
                             " ORDER BY seq", (data["rule_group"]["id"],)).fetchall()
    assert scope == [(2, 3), (2, 9)]   # 运营部 and its 客服部, named one by one

    assert tags("sync", "--profile", "acme").returncode == 0
    groups = listing(tags)
    assert [t["name"] for t in groups["北京-渠道"]["tags"]] == ["展会"]
    assert groups["华北-重点项目"]["strategy_id"] == 1


def _only_the_branch_can_carry(corp: SandboxServer, tag_id: str, department: int) -> None:
    """WeCom lets a rule group's tag onto the relations of its range's members only."""
    with corp.state.transaction() as conn:
        inside = {row[0] for row in conn.execute(
            "SELECT userid FROM member_department WHERE department_id = ?", (department,))}
    relations = corp.state.relations()
    ours = next((u, e) for u, e in relations if u in inside)
    other = next((u, e) for u, e in relations if u not in inside)
    with WeComClient(corp.api_base, corp.corp_id, corp.secret,
                     limits=RateLimits(max_retries=1)) as client:
        client.mark_tag(*ours, add=[tag_id])
        with pytest.raises(WeComError) as refused:
            client.mark_tag(*other, add=[tag_id])
    assert refused.value.errcode == 60011
    assert tag_id in corp.state.relation_tag_ids(*ours)
    assert tag_id not in corp.state.relation_tag_ids(*other)


def test_a_console_made_rule_group_is_refused_and_then_shown_read_only(
    tags: Cli, corp: SandboxServer
) -> None:
    refused, _ = run(tags, "add", "客服-工单类型/退款")
    assert refused.returncode == REFUSED
    assert "管理后台" in refused.stderr and "admin console" in refused.stderr
    assert "客服部规则组" in refused.stderr
    assert corp.state.find_tag("客服-工单类型", "退款") is None
    group = listing(tags)["客服-工单类型"]
    assert group["read_only"] and "admin console" in group["reason"]
    assert all(tag["read_only"] for tag in group["tags"])
    renamed, _ = run(tags, "rename", "客服-工单类型/咨询", "问询")
    assert renamed.returncode == REFUSED and "客服部规则组" in renamed.stderr
    assert corp.state.find_tag("客服-工单类型", "咨询") is not None


def test_a_rename_respells_the_saved_and_recent_filters_as_the_window_does(tags: Cli) -> None:
    from desktop.ui.settings import Settings

    settings = Settings(tags.home)
    settings.save_filter("acme", "潜在", "潜在 -VIP")
    settings.add_recent_filter("acme", "客户等级:潜在 | 意向程度:低意向")
    settings.sync()
    for args in (("客户等级/潜在", "潜在客户"), ("意向程度/", "意向 等级")):
        renamed = tags("tags", "rename", *args, "--profile", "acme",
                       env={"PYTHONPROFILEIMPORTTIME": "1"})   # each module loaded, on stderr
        assert renamed.returncode == 0, renamed.stderr
        assert re.search(r"\|\s+desktop\.services\.tag_admin$", renamed.stderr, re.M)
        assert "PySide6" not in renamed.stderr      # the settings file is read without Qt
    settings = Settings(tags.home)   # as the next window start reads them
    assert settings.saved_filters("acme") == [("潜在", "潜在客户 -VIP")]
    assert settings.recent_filters("acme")[0] == '客户等级:潜在客户 | "意向 等级":低意向'


def test_a_sync_follows_a_tag_and_a_group_renamed_in_the_admin_console(
        tags: Cli, corp: SandboxServer, tmp_path: Any) -> None:
    """Renamed in WeCom's admin console, found by the next sync: journaled as renames (old →
    new), and the saved and recent filters and the rules naming them follow, as after a
    rename from the tree."""
    from desktop.ui.settings import Settings

    settings = Settings(tags.home)
    settings.save_filter("acme", "复购专业版", "复购:二次复购 专业版 -教育/*")
    settings.add_recent_filter("acme", "group:复购 | 产品兴趣:专业版")
    settings.sync()
    rule = tmp_path / "rule.json"
    rule.write_text(json.dumps({"name": "专业版复购", "when": {"any": [
        {"has": "产品兴趣:专业版"}, {"not": {"has_any": ["复购:首次购买", "专业版"]}}]},
        "then": {"add": ["复购:二次复购"]}}, ensure_ascii=False), encoding="utf-8")
    assert tags("rules", "add", str(rule), "--profile", "acme").returncode == 0
    state = corp.state
    for found, name in ((state.find_group("复购"), "复购次数"),
                        (state.find_tag("产品兴趣", "专业版"), "专业版套餐"),
                        (state.find_tag("行业类型", "教育"), "学习")):
        assert found is not None
        state.console_edit_tag(found, name=name)
    synced = tags("sync", "--profile", "acme", "--json")
    assert synced.returncode == 0, synced.stderr
    summary = json.loads(synced.stdout.strip().splitlines()[-1])
    group, *renamed_tags = summary["renamed"]          # the groups first, as followed
    assert group == {"kind": "group", "old": "复购", "new": "复购次数", "group": "复购次数"}
    assert sorted(renamed_tags, key=lambda r: r["old"]) == [
        {"kind": "tag", "old": "专业版", "new": "专业版套餐", "group": "产品兴趣"},
        {"kind": "tag", "old": "教育", "new": "学习", "group": "行业类型"}]
    assert summary["observed_changes"] >= 3 and "arrivals" in summary
    settings = Settings(tags.home)
    assert ("复购专业版", "复购次数:二次复购 专业版套餐 -(学习/* | 教育/*)") in (
        settings.saved_filters("acme"))                   # 教育/K12 keeps its name
    assert settings.recent_filters("acme")[0] == "group:复购次数 | 产品兴趣:专业版套餐"
    shown = tags("rules", "show", "专业版复购", "--profile", "acme", "--json")
    definition = json.loads(shown.stdout.strip().splitlines()[-1])["definition"]
    assert definition["when"] == {"any": [{"has": "产品兴趣:专业版套餐"}, {"not": {
        "has_any": ["复购次数:首次购买", "专业版套餐"]}}]}
    assert definition["then"]["add"] == ["复购次数:二次复购"]
    renames = {(action, json.loads(row["before"])["name"], row["tag_name"])
               for action in ("group_rename", "tag_rename") for row in journal(tags, action)
               if row["source"] == "observed"}
    assert renames == {("group_rename", "复购", "复购次数"), ("tag_rename", "专业版", "专业版套餐"),
                       ("tag_rename", "教育", "学习")}
