"""Spreadsheet export from a synced sandbox cache: formula safety, layout, and the round trip
export → fill in add_tags / remove_tags → import → exactly those tags in the sandbox."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from desktop.services.spreadsheet_export import SHEET_TITLE, export_relations, group_names
from desktop.services.spreadsheet_import import SpreadsheetImporter
from desktop.services.sync import run_sync
from desktop.services.tagging import TaggingService
from desktop.services.workspace import Workspace
from desktop.services.xlsx_safe import ExportError
from desktop.store.filter_engine import FilterEngine
from desktop.store.relations import load_relations

pytestmark = pytest.mark.integration

HOSTILE = ['=HYPERLINK("http://evil.example","点我")', "+86 call me", "-1+1", "@SUM(A1:A9)",
           "\t=1+1", "\r=2"]


@pytest.fixture
def ws(synced_ws: Workspace) -> Workspace:
    return synced_ws


def _header(sheet: Any) -> list[str]:
    return [str(c.value) for c in next(sheet.iter_rows(max_row=1))]


def test_formula_like_text_stays_text(ws: Workspace, tmp_path: Path) -> None:
    ids = FilterEngine(ws.cache).relation_ids("")[: len(HOSTILE)]
    with ws.cache.write() as conn:
        for rid, text in zip(ids, HOSTILE, strict=True):
            conn.execute("UPDATE relation SET remark = ? WHERE id = ?", (text, rid))
            conn.execute("UPDATE customer SET name = ? WHERE external_userid ="
                         " (SELECT external_userid FROM relation WHERE id = ?)", (text, rid))
    path = export_relations(ws.cache, ids, tmp_path / "out.xlsx").path
    with zipfile.ZipFile(path) as archive:
        sheet_xml = next(archive.read(n).decode() for n in archive.namelist()
                         if n.startswith("xl/worksheets/sheet"))
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = load_workbook(path)[SHEET_TITLE]
    header = _header(sheet)
    name_col, remark_col = header.index("客户 customer"), header.index("备注 remark")
    for row, text in zip(sheet.iter_rows(min_row=2), HOSTILE, strict=True):
        for cell in (row[name_col], row[remark_col]):
            assert cell.data_type == "s"
            assert cell.value == text.replace("\r", "\n")  # XML reads a bare CR as LF
            assert cell.quotePrefix


def test_layout_header_frozen_widths_and_group_columns(ws: Workspace, tmp_path: Path) -> None:
    ids = FilterEngine(ws.cache).relation_ids("客户等级:VIP")
    result = export_relations(ws.cache, ids, tmp_path / "vip.xlsx", groups=["客户等级", "意向程度"])
    assert result.rows == len(ids) > 0
    sheet = load_workbook(result.path)[SHEET_TITLE]
    assert sheet.freeze_panes == "A2"
    header = _header(sheet)
    assert header[:7] == ["客户 customer", "公司 company", "跟进人 owner", "备注 remark",
                          "渠道 channel", "添加时间 added", "标签 tags"]
    assert header[7:9] == ["客户等级", "意向程度"]
    assert header[9:] == ["external_userid 客户ID", "owner_userid 跟进成员（可空）",
                          "add_tags 添加标签", "remove_tags 移除标签"]
    assert all(sheet.column_dimensions[letter].width >= 12 for letter in "ABCDEFG")
    views = load_relations(ws.cache, ids)
    for row, view in zip(sheet.iter_rows(min_row=2, values_only=True), views, strict=True):
        assert row[0] == view.customer_name and row[9] == view.external_userid
        assert row[10] == view.userid and row[11] is None and row[12] is None
        assert isinstance(row[5], datetime)
        assert row[6].split("、") == view.tag_names
        assert "VIP" in row[7].split("、")
        assert set((row[8] or "").split("、")) - {""} == {
            t.name for t in view.tags if t.group_name == "意向程度"}


def test_unknown_groups_and_other_file_types_are_refused(ws: Workspace, tmp_path: Path) -> None:
    assert "客户等级" in group_names(ws.cache)
    with pytest.raises(ExportError, match="客户等级"):
        export_relations(ws.cache, [1], tmp_path / "a.xlsx", groups=["客户登记"])
    with pytest.raises(ExportError, match=r"\.xlsx"):
        export_relations(ws.cache, [1], tmp_path / "a.csv")


def test_export_edit_import_round_trip(ws: Workspace, sandbox: Any, tmp_path: Path) -> None:
    engine = FilterEngine(ws.cache)
    ids = engine.relation_ids("高意向")[:30]
    path = export_relations(ws.cache, ids, tmp_path / "round.xlsx", groups=["客户阶段"]).path
    untouched = SpreadsheetImporter(ws.cache).validate(path)
    assert untouched.ok and untouched.valid == 30 and untouched.plan.api_calls == 0

    book = load_workbook(path)
    sheet = book[SHEET_TITLE]
    header = _header(sheet)
    add_col, remove_col = header.index("add_tags 添加标签") + 1, header.index("remove_tags 移除标签") + 1
    for number in range(2, 22):
        sheet.cell(number, add_col, "已发货、VIP")
    for number in range(22, 32):
        sheet.cell(number, remove_col, "高意向")
    book.save(path)

    report = SpreadsheetImporter(ws.cache).validate(path)
    assert report.ok, [p.as_json() for p in report.problems]
    assert report.valid == 30
    tagging = TaggingService(ws)
    result = tagging.run(SpreadsheetImporter(ws.cache).submit(report, tagging))
    assert (result.status, result.failed) == ("done", 0)
    shipped = sandbox.state.find_tag("客户阶段", "已发货")
    vip = sandbox.state.find_tag("客户等级", "VIP")
    high = sandbox.state.find_tag("意向程度", "高意向")
    views = load_relations(ws.cache, ids)
    for index, view in enumerate(views):
        tags = sandbox.state.relation_tag_ids(view.userid, view.external_userid)
        if index < 20:
            assert {shipped, vip} <= tags and high in tags
        else:
            assert high not in tags
    assert engine.count("高意向").relations == len(engine.relation_ids("高意向"))


def test_an_ambiguous_tag_name_is_exported_as_group_and_name(ws: Workspace, sandbox: Any,
                                                            tmp_path: Path) -> None:
    sandbox.state.console_add_tag("会员等级", "VIP")
    run_sync(ws.client(), ws.cache)
    ids = FilterEngine(ws.cache).relation_ids("客户等级:VIP")[:5]
    path = export_relations(ws.cache, ids, tmp_path / "vip.xlsx").path
    book = load_workbook(path)
    sheet = book[SHEET_TITLE]
    header = _header(sheet)
    tags_col, add_col = header.index("标签 tags"), header.index("add_tags 添加标签")
    for row in sheet.iter_rows(min_row=2):
        names = str(row[tags_col].value).split("、")
        assert "客户等级:VIP" in names and "VIP" not in names
        row[add_col].value = row[tags_col].value
    book.save(path)
    report = SpreadsheetImporter(ws.cache).validate(path)
    assert report.ok and report.plan.api_calls == 0 and report.plan.skipped_noop == 5
