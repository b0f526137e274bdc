"""The approvals window's table: no column cut short, in either language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.ui.approvals_dialog import COLUMNS, DECISION_WIDTH, ApprovalsDialog

pytestmark = pytest.mark.gui


def test_who_decided_is_not_cut_short(qtbot: Any, gui_home: Path,
                                      synced_workspace: Any) -> None:
    """A long target (or English headers) leaves less room: the window widens within its
    screen and the reason gives way, so that who decided ("董雪琳 (dongxuelin)") shows whole
    rather than "董雪琳 …"."""
    dialog = ApprovalsDialog(synced_workspace.profile, members=[
        ("dongfangwei", "董芳伟"), ("dongxuelin", "董雪琳")])
    qtbot.addWidget(dialog)
    dialog.resize(600, 480)        # narrower than its requests
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog._task is None, timeout=10_000)   # a solo profile: refused
    requests = [
        {"id": 2, "kind": "rename_tag", "target": "MKT-活动/双11预热 → 双11预售",
         "requester": "dongfangwei", "customers": 473, "status": "pending",
         "reason": "活动改期，名称跟着改"},
        {"id": 1, "kind": "delete_tag", "target": "MKT-活动/新品发布会",
         "requester": "dongfangwei", "customers": 127, "status": "approved", "reason": "",
         "decided_by": "dongxuelin"},
    ]
    dialog._shown((requests, {"me": {"userid": "dongxuelin", "admin": True}}))
    table, last = dialog.table, len(COLUMNS) - 1
    decided = table.item(1, last)
    assert decided is not None and decided.text() == "董雪琳 (dongxuelin)"
    for column in range(len(COLUMNS)):     # the reason gives way, never who decided
        if COLUMNS[column] != "reason":
            assert table.columnWidth(column) >= table.sizeHintForColumn(column), COLUMNS[column]


def test_a_long_rejection_reason_does_not_push_the_table_off_screen(
        qtbot: Any, gui_home: Path, synced_workspace: Any) -> None:
    """A decision with a long reason is cut at DECISION_WIDTH (its tooltip has it whole), so
    the other columns keep their room; it made the column 611 px and the window wider than
    its screen."""
    dialog = ApprovalsDialog(synced_workspace.profile, members=[("dongxuelin", "董雪琳")])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog._task is None, timeout=10_000)
    why = "这个标签还在双11活动的自动规则里用着，删掉以后规则会落空，请先把规则改掉再申请删除" * 2
    dialog._shown(([{"id": 3, "kind": "delete_tag", "target": "MKT-活动/双11预热",
                     "requester": "dongxuelin", "customers": 12, "status": "rejected",
                     "reason": "", "decided_by": "dongxuelin", "decision_reason": why}],
                   {"me": {"userid": "dongxuelin", "admin": True}}))
    table, last = dialog.table, len(COLUMNS) - 1
    decided = table.item(0, last)
    assert decided is not None
    assert table.columnWidth(last) == DECISION_WIDTH
    assert table.columnWidth(last) >= table.fontMetrics().horizontalAdvance("董雪琳 (dongxuelin)")
    screen = dialog.screen()
    assert screen is not None and dialog.width() <= screen.availableGeometry().width()
    assert decided.toolTip() == decided.text()
    assert decided.text().startswith("董雪琳 (dongxuelin)") and decided.text().endswith(why)


@pytest.mark.parametrize(("language", "reason", "decision"), [
    ("zh_CN", "申请理由", "决定人"), ("en", "Why requested", "Decided by")])
def test_the_requesters_reason_is_not_taken_for_the_rejections(
        qtbot: Any, gui_home: Path, synced_workspace: Any, language: str, reason: str,
        decision: str) -> None:
    """A rejection's reason shows beside who decided; the column before it holds why the
    request was made (empty for a deletion asked from the tree), and its header said only
    理由 / Reason, so a head read the rejection as given without a reason."""
    from desktop.ui.i18n import Translations
    translations = Translations()
    translations.install(language)
    try:
        dialog = ApprovalsDialog(synced_workspace.profile)
        qtbot.addWidget(dialog)
        headers = [dialog.table.horizontalHeaderItem(c) for c in range(len(COLUMNS))]
        texts = [item.text() if item is not None else "" for item in headers]
        assert texts[COLUMNS.index("reason")] == reason
        assert texts[COLUMNS.index("decision")] == decision
    finally:
        translations.uninstall()


def test_a_member_sees_their_requests_without_the_decision_controls(
        qtbot: Any, gui_home: Path, synced_workspace: Any) -> None:
    """Only an administrator decides: a salesperson's window showed the code, approve,
    reject and restore controls (disabled) and "0 requests waiting", although it lists only
    their own requests; it now shows their requests and how many of them wait."""
    dialog = ApprovalsDialog(synced_workspace.profile, members=[("tangxiayue", "唐霞悦")])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog._task is None, timeout=10_000)
    mine = [{"id": 5, "kind": "delete_tag", "target": "MKT-活动/新品发布会",
             "requester": "tangxiayue", "customers": 12, "status": "pending",
             "reason": "活动结束"}]
    controls = (dialog.send_button, dialog.code, dialog.approve_button, dialog.reason,
                dialog.reject_button, dialog.restore_button)
    # the first read failed (a solo profile has no team server; a stopped one is the same):
    # nobody is known to be an administrator, so no decision controls, disabled or not
    assert dialog.message.text() and not any(widget.isVisible() for widget in controls)
    dialog._shown((mine, {"me": {"userid": "tangxiayue", "admin": False}}))
    assert not any(widget.isVisible() for widget in controls)
    assert dialog.table.rowCount() == 1 and dialog.refresh_button.isVisible()
    assert dialog.message.text() == "1 of your requests waiting for an administrator."
    dialog._shown((mine, {"me": {"userid": "dongxuelin", "admin": True}}))
    assert all(widget.isVisible() for widget in controls)
    assert dialog.message.text() == "1 requests waiting for a decision."


@pytest.mark.parametrize(("language", "said"), [
    ("zh_CN", "你是 董芳伟 (dongfangwei)（部门负责人），管理 市场部。"),
    ("en", "You are 董芳伟 (dongfangwei), department head of 市场部.")])
def test_a_head_reads_which_department_they_manage(
        qtbot: Any, gui_home: Path, synced_workspace: Any, language: str, said: str) -> None:
    """The policy tab named the head's role but not whose groups they edit (the server says
    it, `managed`), and the English read "You are 董芳伟 (dongfangwei) (department head).\""""
    from desktop.ui.i18n import Translations
    translations = Translations()
    translations.install(language)
    try:
        dialog = ApprovalsDialog(synced_workspace.profile, members=[("dongfangwei", "董芳伟")])
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog._task is None, timeout=10_000)
        dialog._shown(([], {"me": {"userid": "dongfangwei", "admin": False, "roles": ["head"],
                                   "managed": ["市场部"]}}))
        assert dialog.roles.text() == said
    finally:
        translations.uninstall()
