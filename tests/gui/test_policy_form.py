"""The policy form: what it shows is the policy (both ways with the JSON tab), a bad entry
shows the server's own sentence at once, and a member's view cannot be edited."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox

from desktop.domain.governance import OrgChart, policy_from_json
from desktop.ui.policy_form import PolicyForm

pytestmark = pytest.mark.gui

CHART = OrgChart({1: "总部", 2: "市场部", 3: "运营部", 7: "华北分公司"}, {1: 0, 2: 1, 3: 1, 7: 1})
POLICY = {
    "admins": ["boss", "wang"],
    "prefixes": {"MKT-": "市场部", "OPS-": "运营部"},
    "groups": {"华北-区域": "华北分公司"},
    "branch_admins": {"liu": "华北分公司"},
    "member_subtag_groups": ["行业类型"],
    "restricted_tagging_groups": ["OPS-售后", "华北区域"],
    "rename_threshold": 40,
}
MEMBERS = [("boss", "老板"), ("wang", "王经理"), ("liu", "刘分总"), ("li", "李四")]
GROUPS = ["MKT-活动", "OPS-售后", "行业类型"]


def _answer(policy: dict[str, Any]) -> dict[str, Any]:
    return {"policy": policy, "chart": CHART.as_json(), "server_admins": ["root"]}


def _form(qtbot: Any, admin: bool = True) -> PolicyForm:
    form = PolicyForm(MEMBERS, GROUPS)
    qtbot.addWidget(form)
    form.retranslate()
    form.load(_answer(POLICY), admin)
    return form


def test_the_form_shows_the_policy_and_the_json_tab_follows_it_both_ways(qtbot: Any) -> None:
    form = _form(qtbot)
    assert form.policy() == POLICY and form.valid
    assert form.server_note.text() == "Also administrators, by the server's --admin: root"
    admin_cell = form.admins.table.cellWidget(1, 0)
    assert isinstance(admin_cell, QComboBox) and admin_cell.currentText() == "王经理（wang）"

    form.threshold.setValue(7)
    form.subtag_groups.add_row(("MKT-活动",))
    form.tabs.setCurrentIndex(1)
    shown = json.loads(form.json.toPlainText())
    assert shown == {**POLICY, "rename_threshold": 7,
                     "member_subtag_groups": ["行业类型", "MKT-活动"]}

    edited = {**shown, "prefixes": {"MKT-": "市场部", "OPS-": "运营部", "LAW-": "总部"},
              "admins": ["li"]}
    form.json.setPlainText(json.dumps(edited, ensure_ascii=False))
    assert form.valid and form.policy() == edited
    form.tabs.setCurrentIndex(0)
    assert form.policy() == edited
    assert form.prefixes.table.rowCount() == 3
    assert policy_from_json(form.policy()) == policy_from_json(edited)


def test_an_invalid_entry_shows_the_servers_sentence(qtbot: Any) -> None:
    form = _form(qtbot)
    form.prefixes.add_row(("", "市场部"))
    assert not form.valid
    assert form.sentence.text() == "部门前缀（prefixes）必须是“名称 → 部门”的对象。"
    form.prefixes.remove_selected()                    # nothing selected: the last row goes
    assert form.valid and form.sentence.isHidden()
    form.prefixes.add_row(("MKT-", "运营部"))           # would silently replace the first
    assert form.sentence.text() == "部门前缀（prefixes）中 MKT- 出现了不止一次。" and not form.valid
    form.prefixes.remove_selected()
    assert form.valid

    for row in range(form.admins.table.rowCount() - 1, -1, -1):
        form.admins.table.selectRow(row)
        form.admins.remove_selected()
    assert form.valid                                 # the server's --admin still counts
    form.load({**_answer(POLICY), "server_admins": []}, True)
    for _ in range(2):
        form.admins.remove_selected()
    assert form.sentence.text() == "策略没有留下任何管理员（服务器也没有 --admin）：已拒绝。"

    form.tabs.setCurrentIndex(1)
    form.json.setPlainText('{"admins": ["boss"], "rename_threshold": -3}')
    assert form.sentence.text() == "改名需审批的客户数（rename_threshold）必须是不小于 0 的整数。"
    form.tabs.setCurrentIndex(0)                      # what does not parse stays in JSON
    assert form.tabs.currentIndex() == 1
    form.json.setPlainText("{")
    assert form.sentence.text().startswith("策略不是有效的 JSON")


def test_the_form_is_edited_only_once_the_policy_differs_from_the_loaded_one(
    qtbot: Any,
) -> None:
    form = _form(qtbot)
    assert form.valid and not form.edited
    form.tabs.setCurrentIndex(1)
    assert not form.edited                            # the JSON tab alone changes nothing
    form.tabs.setCurrentIndex(0)
    form.threshold.setValue(41)
    assert form.edited
    form.threshold.setValue(40)
    assert not form.edited                            # back as it was
    form.restricted.add_row(("MKT-活动",))
    assert form.edited


def test_a_member_sees_the_same_form_read_only(qtbot: Any) -> None:
    form = _form(qtbot, admin=False)
    assert form.policy() == POLICY
    assert form.json.isReadOnly() and form.threshold.isReadOnly()
    for rows in (form.admins, form.prefixes, form.group_owners, form.branch_admins,
                 form.subtag_groups, form.restricted):
        assert rows.add_button.isHidden() and rows.remove_button.isHidden()
        cells = [rows.table.cellWidget(r, c) for r in range(rows.table.rowCount())
                 for c in range(rows.table.columnCount())]
        assert cells and not any(cell.isEnabled() for cell in cells)


def test_the_form_scrolls_so_its_window_fits_a_screen_600_high(qtbot: Any) -> None:
    form = _form(qtbot)
    assert form.minimumSizeHint().height() <= 360      # the approvals window's policy tab
