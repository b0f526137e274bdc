"""Spreadsheet import against a synced sandbox cache: one test per bad-input class, then real
imports that must leave exactly the planned tags in the sandbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services.import_template import write_template
from desktop.services.profiles import Profile
from desktop.services.spreadsheet_import import (
    ImportProblem,
    ImportRefused,
    ImportReport,
    SpreadsheetImporter,
)
from desktop.services.sync import run_sync
from desktop.services.tag_admin import TagAdminService
from desktop.services.tagging import TaggingService
from desktop.services.workspace import Workspace
from tests.import_sheets import import_sheet
from tests.integration import synced_copies

pytestmark = pytest.mark.integration


def _config(data_dir: Path) -> SandboxConfig:
    """tests/conftest.py's sandbox corp: 300 customers, 8 members."""
    return SandboxConfig(data_dir=data_dir, customers=300, members=8, seed=7)


def _profile(sandbox: SandboxServer) -> Profile:
    """tests/conftest.py's synced_ws profile: the first relation's member."""
    owner = sorted(sandbox.state.relations())[0][0]
    return Profile(name="t", corp_id=sandbox.corp_id, api_base=sandbox.api_base, userid=owner)


@pytest.fixture(scope="module")
def synced_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corp and a cache synced with it, made once for the module: each test starts from
    copies of both instead of syncing the same corp again."""
    return synced_copies.synced_template(tmp_path_factory.mktemp("synced-template"), _config,
                                         _profile)


@pytest.fixture
def sandbox(tmp_path: Path, synced_template: Path) -> Iterator[SandboxServer]:
    yield from synced_copies.sandbox_copy(synced_template, tmp_path, _config)


@pytest.fixture
def ws(tmp_path: Path, sandbox: SandboxServer, synced_template: Path) -> Iterator[Workspace]:
    yield from synced_copies.workspace_copy(synced_template, tmp_path, _profile(sandbox),
                                            sandbox.secret)


def check(ws: Workspace, path: Path) -> ImportReport:
    return SpreadsheetImporter(ws.cache).validate(path)


def only_problem(report: ImportReport) -> ImportProblem:
    assert len(report.problems) == 1, [p.as_json() for p in report.problems]
    return report.problems[0]


def tag_id(sandbox: Any, group: str, name: str) -> str:
    found = sandbox.state.find_tag(group, name)
    assert found is not None
    return str(found)


def customer(ws: Workspace, index: int = 0) -> tuple[str, list[str]]:
    """A customer of the cache and the members who follow it."""
    rows = ws.cache.connection().execute(
        "SELECT external_userid, group_concat(userid) FROM relation GROUP BY external_userid"
        " ORDER BY count(*) DESC, external_userid").fetchall()
    external_userid, owners = rows[index]
    return external_userid, sorted(owners.split(","))


def batch_count(ws: Workspace) -> int:
    return int(ws.cache.connection().execute("SELECT count(*) FROM batch").fetchone()[0])


# -- one test per bad-input class --------------------------------------------------------


def test_phone_number_in_the_id_column_names_the_customer(ws: Workspace, tmp_path: Path) -> None:
    external_userid, mobiles = next(
        (e, json.loads(m)) for e, m in ws.cache.connection().execute(
            "SELECT external_userid, remark_mobiles FROM relation"
            " WHERE remark_mobiles NOT IN ('', '[]') ORDER BY id"))
    path = import_sheet(tmp_path / "a.xlsx", [int(mobiles[0]), "", "VIP", ""])
    problem = only_problem(check(ws, path))
    assert (problem.row, problem.code, problem.value) == (2, "phone_number", str(mobiles[0]))
    assert problem.column.startswith("A ")
    assert "手机号码" in problem.problem_zh and "phone number" in problem.problem_en
    assert external_userid in problem.suggestion_en
    assert "导出" in problem.suggestion_zh and "detail pane" in problem.suggestion_en


def test_a_customer_name_where_the_id_belongs(ws: Workspace, tmp_path: Path) -> None:
    external_userid, name = ws.cache.connection().execute(
        "SELECT external_userid, name FROM customer WHERE name != '' ORDER BY external_userid"
    ).fetchone()
    problem = only_problem(check(ws, import_sheet(tmp_path / "a.xlsx", [name, "", "VIP", ""])))
    assert problem.code == "customer_name"
    assert "客户姓名" in problem.problem_zh and external_userid in problem.suggestion_zh


def test_an_unknown_customer(ws: Workspace, tmp_path: Path) -> None:
    unknown = "wmZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"
    problem = only_problem(check(ws, import_sheet(tmp_path / "a.xlsx", [unknown, "", "VIP", ""])))
    assert (problem.code, problem.value) == ("unknown_customer", unknown)
    assert "本地缓存中没有客户" in problem.problem_zh and "Sync first" in problem.suggestion_en


def test_an_unknown_tag_suggests_names_by_text_and_pinyin(ws: Workspace, tmp_path: Path) -> None:
    external_userid, _ = customer(ws)
    path = import_sheet(tmp_path / "a.xlsx", [external_userid, "", "高意象", ""],
                 [external_userid, "", "", "gaoyixiang"], [external_userid, "", "gyx", ""])
    first, second, initials = check(ws, path).problems
    assert (first.code, first.row, first.value) == ("unknown_tag", 2, "高意象")
    assert first.column.startswith("C ")
    assert "没有名为「高意象」的标签" in first.problem_zh and "高意向" in first.suggestion_zh
    assert (second.code, second.row) == ("unknown_tag", 3)
    assert second.column.startswith("D ") and "高意向" in second.suggestion_en
    assert (initials.code, initials.row, initials.value) == ("unknown_tag", 4, "gyx")
    assert initials.suggestion_zh.startswith("是否要找：高意向")
    assert initials.suggestion_en.startswith("Did you mean: 高意向")


def test_a_group_and_tag_in_traditional_characters_suggest_the_simplified_pair(
        ws: Workspace, tmp_path: Path) -> None:
    external_userid, _ = customer(ws)
    path = import_sheet(tmp_path / "a.xlsx", [external_userid, "", "客戶等級:VIP", ""],
                        [external_userid, "", "", "意向程度：高意嚮"])
    qualified, full_width = check(ws, path).problems
    assert (qualified.code, qualified.row, qualified.value) == ("unknown_tag", 2, "客戶等級:VIP")
    assert qualified.suggestion_zh.startswith("是否要找：客户等级:VIP")
    assert qualified.suggestion_en.startswith("Did you mean: 客户等级:VIP")
    assert (full_width.code, full_width.row) == ("unknown_tag", 3)
    assert full_width.suggestion_zh.startswith("是否要找：意向程度:高意向")


def test_an_ambiguous_tag_asks_for_group_and_name(ws: Workspace, sandbox: Any,
                                                 tmp_path: Path) -> None:
    sandbox.state.console_add_tag("会员等级", "VIP")
    run_sync(ws.client(), ws.cache)
    external_userid, _ = customer(ws)
    report = check(ws, import_sheet(tmp_path / "a.xlsx", [external_userid, "", "VIP", ""],
                             [external_userid, "", "会员等级:VIP", ""]))
    problem = only_problem(report)
    assert (problem.code, problem.row) == ("ambiguous_tag", 2)
    assert "客户等级:VIP" in problem.suggestion_zh and "会员等级:VIP" in problem.suggestion_zh
    assert report.valid_rows == [3]
    assert report.plan.per_tag_add.keys() <= {tag_id(sandbox, "会员等级", "VIP")}


def test_a_group_name_written_as_a_tag(ws: Workspace, tmp_path: Path) -> None:
    external_userid, _ = customer(ws)
    problem = only_problem(check(ws, import_sheet(tmp_path / "a.xlsx",
                                           [external_userid, "", "客户等级", ""])))
    assert problem.code == "unknown_tag" and "是标签组" in problem.problem_zh


def test_a_duplicate_row(ws: Workspace, tmp_path: Path) -> None:
    external_userid, _ = customer(ws)
    row = [external_userid, "", "VIP、高意向", ""]
    report = check(ws, import_sheet(tmp_path / "a.xlsx", row, [external_userid, "", "高意向,VIP", ""]))
    problem = only_problem(report)
    assert (problem.code, problem.row) == ("duplicate_row", 3)
    assert "第 2 行" in problem.problem_zh and report.valid_rows == [2]


def test_the_same_tag_added_and_removed_in_one_row(ws: Workspace, tmp_path: Path) -> None:
    external_userid, _ = customer(ws)
    problem = only_problem(check(ws, import_sheet(tmp_path / "a.xlsx",
                                           [external_userid, "", "VIP;高意向", "高意向"])))
    assert (problem.code, problem.value) == ("add_and_remove", "高意向")
    assert "既添加又移除" in problem.problem_zh


def test_two_rows_asking_opposite_things_of_one_relation(ws: Workspace,
                                                        tmp_path: Path) -> None:
    external_userid, owners = customer(ws)
    report = check(ws, import_sheet(tmp_path / "a.xlsx",
                             [external_userid, "", "高意向", ""],
                             [external_userid, owners[0], "VIP", "高意向"]))
    assert [(p.row, p.code) for p in report.problems] == [(2, "conflicting_rows"),
                                                          (3, "conflicting_rows")]
    assert "第 2 行与第 3 行" in report.problems[0].problem_zh
    assert report.valid == 0 and report.plan.api_calls == 0


def test_an_unknown_member_and_one_who_does_not_follow(ws: Workspace, tmp_path: Path) -> None:
    external_userid, owners = customer(ws, index=-1)
    outsider = next(u for (u,) in ws.cache.connection().execute(
        "SELECT userid FROM member ORDER BY userid") if u not in owners)
    report = check(ws, import_sheet(tmp_path / "a.xlsx", [external_userid, "nobody", "VIP", ""],
                             [external_userid, outsider, "VIP", ""]))
    unknown, stranger = report.problems
    assert (unknown.code, unknown.value) == ("unknown_member", "nobody")
    assert unknown.column.startswith("B ") and owners[0] in unknown.suggestion_en
    assert stranger.code == "not_followed" and owners[0] in stranger.suggestion_zh


def test_a_row_without_an_id_and_the_templates_example_row(ws: Workspace,
                                                          tmp_path: Path) -> None:
    report = check(ws, write_template(tmp_path / "template.xlsx"))
    assert only_problem(report).code == "example_row"
    problem = only_problem(check(ws, import_sheet(tmp_path / "a.xlsx", ["", "", "VIP", ""])))
    assert problem.code == "missing_id" and "wm" in problem.suggestion_en


def test_an_empty_sheet(ws: Workspace, tmp_path: Path) -> None:
    problem = only_problem(check(ws, import_sheet(tmp_path / "a.xlsx")))
    assert (problem.row, problem.code) == (None, "empty_sheet")
    assert "没有任何数据行" in problem.problem_zh


@pytest.mark.parametrize(("name", "content", "code", "needle"), [
    ("list.csv", b"external_userid,add_tags\nwmX,VIP\n", "csv", "CSV"),
    ("list.xlsx", "客户,标签\nwmX,VIP\n".encode("gb18030"), "csv", "CSV"),
    ("notes.xlsx", b"just some notes\nwithout any separators\n", "not_xlsx", "扩展名"),
    ("list.xlsx", b"\x00\x01binary junk" * 20, "not_xlsx", "扩展名"),
])
def test_wrong_file_types_are_one_problem_and_no_rows(ws: Workspace, tmp_path: Path, name: str,
                                                     content: bytes, code: str,
                                                     needle: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    report = check(ws, path)
    problem = only_problem(report)
    assert (problem.row, problem.code, problem.value) == (None, code, name)
    assert needle in problem.problem_zh
    assert (report.rows, report.valid, report.invalid) == (0, 0, 0)


# -- real imports ---------------------------------------------------------------------------


def test_a_valid_import_leaves_exactly_the_planned_tags(ws: Workspace, sandbox: Any,
                                                        tmp_path: Path) -> None:
    vip, high, low = (tag_id(sandbox, "客户等级", "VIP"), tag_id(sandbox, "意向程度", "高意向"),
                      tag_id(sandbox, "意向程度", "低意向"))
    relations = sorted(sandbox.state.relations(), key=lambda r: r[1])[:40]
    rows: list[list[object]] = [[e, u, "VIP、高意向", "低意向"] for u, e in relations[:30]]
    rows += [[e, u, "", "VIP"] for u, e in relations[30:]]
    before = {r: sandbox.state.relation_tag_ids(*r) for r in relations}
    report = check(ws, import_sheet(tmp_path / "a.xlsx", *rows))
    assert report.ok and report.valid == 40 and report.relations == 40
    expected = {}
    for userid, external_userid in relations[:30]:
        expected[(userid, external_userid)] = (before[(userid, external_userid)] | {vip, high}
                                               ) - {low}
    for userid, external_userid in relations[30:]:
        expected[(userid, external_userid)] = before[(userid, external_userid)] - {vip}
    changed = sum(expected[r] != before[r] for r in relations)
    assert report.plan.api_calls == changed and report.plan.skipped_noop == 40 - changed
    tagging = TaggingService(ws)
    batch_id = SpreadsheetImporter(ws.cache).submit(report, tagging, pilot_size=5)
    pilot = tagging.run(batch_id)
    assert pilot.applied == 5 and pilot.pending == changed - 5
    result = tagging.run(batch_id)
    assert (result.status, result.applied, result.failed) == ("done", changed, 0)
    assert {r: sandbox.state.relation_tag_ids(*r) for r in relations} == expected
    assert tagging.batch(batch_id).source == "import"


def test_rows_for_one_customer_without_owner_reach_every_follower(ws: Workspace, sandbox: Any,
                                                                  tmp_path: Path) -> None:
    external_userid, owners = customer(ws)
    assert len(owners) >= 2
    report = check(ws, import_sheet(tmp_path / "a.xlsx", [external_userid, "", "已发货", ""],
                             [external_userid, owners[0], "VIP", ""]))
    assert report.ok and report.relations == len(owners)
    tagging = TaggingService(ws)
    tagging.run(SpreadsheetImporter(ws.cache).submit(report, tagging))
    shipped, vip = tag_id(sandbox, "客户阶段", "已发货"), tag_id(sandbox, "客户等级", "VIP")
    for owner in owners:
        assert shipped in sandbox.state.relation_tag_ids(owner, external_userid)
    assert vip in sandbox.state.relation_tag_ids(owners[0], external_userid)


def test_problems_block_the_import_unless_only_valid_rows_are_asked_for(
        ws: Workspace, sandbox: Any, tmp_path: Path) -> None:
    external_userid, owners = customer(ws)
    report = check(ws, import_sheet(tmp_path / "a.xlsx", [external_userid, owners[0], "已退款", ""],
                             ["13800138000", "", "VIP", ""]))
    assert (report.valid, report.invalid) == (1, 1)
    importer, tagging = SpreadsheetImporter(ws.cache), TaggingService(ws)
    with pytest.raises(ImportRefused, match="nothing was written"):
        importer.submit(report, tagging)
    assert batch_count(ws) == 0
    tagging.run(importer.submit(report, tagging, skip_invalid=True))
    refunded = tag_id(sandbox, "客户阶段", "已退款")
    assert refunded in sandbox.state.relation_tag_ids(owners[0], external_userid)


def test_exclusive_set_conflicts_are_left_out_of_the_plan(ws: Workspace, sandbox: Any,
                                                          tmp_path: Path) -> None:
    closed, invalid = tag_id(sandbox, "客户阶段", "已成交"), tag_id(sandbox, "客户阶段", "无效客户")
    with ws.cache.write() as conn:
        conn.execute("INSERT INTO exclusive_set (name, tag_ids) VALUES (?, ?)",
                     ("成交状态", json.dumps([closed, invalid])))
    (userid, external_userid), other = sorted(sandbox.state.relations())[:2]
    sandbox.state.console_mark_tag(userid, external_userid, add=[closed])
    run_sync(ws.client(), ws.cache)
    report = check(ws, import_sheet(tmp_path / "a.xlsx", [external_userid, userid, "无效客户", ""],
                             [other[1], other[0], "无效客户", ""]))
    assert report.ok
    assert report.plan.conflicting_relations == 1
    assert [c.external_userid for c in report.plan.changes] == [other[1]]


def test_an_abbreviation_suggests_the_tag_it_stands_for(ws: Workspace, sandbox: Any,
                                                         tmp_path: Path) -> None:
    """The tree shows HOT beside 高意向 and the picker finds it by HOT; a sheet that says hot
    is told which tag that is, first, rather than only to check its spelling."""
    TagAdminService(ws).set_abbreviation(tag_id(sandbox, "意向程度", "高意向"), "HOT")
    external_userid, _ = customer(ws)
    path = import_sheet(tmp_path / "a.xlsx", [external_userid, "", "hot", ""])
    problem = only_problem(check(ws, path))
    assert (problem.code, problem.value) == ("unknown_tag", "hot")
    assert problem.suggestion_zh.startswith("是否要找：高意向")
    assert problem.suggestion_en.startswith("Did you mean: 高意向")
