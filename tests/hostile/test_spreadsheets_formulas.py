"""Formula cells in an import: a saved value is used, a missing one is a row error.

A script that writes `="zhangsan"` with openpyxl leaves no saved value; read as empty, the
owner column then meant "every owner" and one row tagged three relations without a word.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from desktop.services.spreadsheet_import import SpreadsheetImporter
from desktop.services.spreadsheet_reader import read_import_sheet
from desktop.services.workspace import Workspace
from tests.hostile.xlsx_build import text_cell, workbook

pytestmark = pytest.mark.integration


@pytest.fixture
def ws(synced_ws: Workspace) -> Workspace:
    return synced_ws


def shared_customer(ws: Workspace) -> tuple[str, list[str]]:
    """A customer followed by several members."""
    external_userid, owners = ws.cache.connection().execute(
        "SELECT external_userid, group_concat(userid) FROM relation GROUP BY external_userid"
        " HAVING count(*) > 1 ORDER BY count(*) DESC, external_userid").fetchone()
    return external_userid, sorted(owners.split(","))


def test_a_formula_without_a_saved_value_is_a_row_error_naming_the_cell(
        ws: Workspace, tmp_path: Path) -> None:
    external_userid, owners = shared_customer(ws)
    book = Workbook()
    book.active.append(["external_userid", "owner_userid", "add_tags", "remove_tags"])
    book.active.append([external_userid, f'="{owners[0]}"', "高意向", ""])
    book.save(tmp_path / "script.xlsx")

    report = SpreadsheetImporter(ws.cache).validate(tmp_path / "script.xlsx")

    assert [(p.row, p.code) for p in report.problems] == [(2, "formula_without_value")]
    problem = report.problems[0]
    assert problem.column.startswith("B ")
    assert problem.value == f'="{owners[0]}"'
    assert problem.problem_zh.startswith("B2 是公式但没有保存的值")
    assert "Open and save it in Excel" in problem.suggestion_en
    assert report.valid == 0 and report.plan.api_calls == 0 and report.relations == 0


def test_a_formula_with_a_saved_value_reads_as_that_value(ws: Workspace,
                                                          tmp_path: Path) -> None:
    external_userid, owners = shared_customer(ws)
    path = workbook(tmp_path / "excel.xlsx", (
        f'<row r="2">{text_cell("A2", external_userid)}'
        f'<c r="B2" t="str"><f>LOWER("{owners[0].upper()}")</f><v>{owners[0]}</v></c>'
        f'{text_cell("C2", "高意向")}</row>'))

    report = SpreadsheetImporter(ws.cache).validate(path)

    assert report.problems == [] and report.valid_rows == [2]
    assert report.relations == 1  # this owner's relation, not all of them
    assert {change.userid for change in report.plan.changes} <= {owners[0]}


def test_saved_values_of_every_kind_and_formulas_outside_the_import_columns(
        tmp_path: Path) -> None:
    path = workbook(tmp_path / "kinds.xlsx", (
        '<row r="2"><c r="A2"><f>A3</f><v>13800138000</v></c>'
        '<c r="C2" t="str"><f>"VIP"&amp;""</f><v>VIP</v></c>'
        '<c r="E2"><f>1+1</f><v/></c></row>'
        '<row r="3"><c r="A3" t="str"><f>""</f><v></v></c><c r="D3" t="b"><v>1</v></c></row>'))

    rows = read_import_sheet(path).rows

    assert [(r.number, r.external_userid, r.add, r.remove, r.unsaved_formulas)
            for r in rows] == [(2, "13800138000", "VIP", "", ()), (3, "", "", "True", ())]


def test_the_template_explains_the_formula_rule(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from desktop.services.import_template import INSTRUCTIONS_SHEET, write_template

    book = load_workbook(write_template(tmp_path / "t.xlsx"))
    notes = "\n".join(str(c.value) for row in book[INSTRUCTIONS_SHEET] for c in row if c.value)
    assert "没有保存值的公式" in notes and "formula without a saved value" in notes


def test_a_header_broken_over_two_lines_is_named_on_one(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["external_userid", "owner_userid", "add_tags\n添加标签"])
    book.active.append(["wm1", "", "VIP"])
    book.save(tmp_path / "broken.xlsx")

    assert read_import_sheet(tmp_path / "broken.xlsx").column_label("add_tags") == \
        "C add_tags 添加标签"
