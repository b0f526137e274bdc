"""标签 → 活码与预打标签… beyond listing: edit and remove a live code (the sandbox's contact way
changes, then is gone), the report counts customers per code per day and exports them, and
pre-tags are queued one by one or from a file whose bad rows are shown by line, nothing queued
until the user skips them; a WeCom refusal (a wrong secret) is said in the window."""

from __future__ import annotations

import csv
import json
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.services.livecodes import LiveCodeError, LiveCodeService
from desktop.services.pretags import PretagService
from desktop.services.sync import run_sync
from desktop.ui.arrivals_dialog import ArrivalsDialog
from tests.gui.qt_items import child_item, top_item

pytestmark = pytest.mark.gui

DAY_S = 86_400


def contact_way(sandbox: Any, config_id: str) -> tuple[str, ...] | None:
    """(remark, skip_verify, users) of a contact way as the sandbox keeps it, None if gone."""
    with sandbox.state.transaction() as conn:
        row = conn.execute("SELECT remark, skip_verify, users FROM contact_way"
                           " WHERE config_id = ?", (config_id,)).fetchone()
    return None if row is None else tuple(str(v) for v in row)


def rows_of(dialog: ArrivalsDialog) -> dict[str, Any]:
    return {item.text(5): item for n in range(dialog.codes.topLevelItemCount())
            if (item := dialog.codes.topLevelItem(n)) is not None}


def test_edit_remove_and_report_live_codes(qtbot: Any, synced_context: Any, sandbox: Any,
                                           tmp_path: Path, monkeypatch: Any) -> None:
    ws = synced_context.workspace
    tags = sorted(sandbox.state.tag_ids_by_name().items())
    (first, _), ((group, name), second_id) = tags[0], tags[1]
    first_member, second_member, third_member = sandbox.state.follow_users()[:3]
    single = LiveCodeService(ws).create("gui_single", users=[first_member])
    with pytest.raises(LiveCodeError, match="single-member code"):
        LiveCodeService(ws).edit(single.config_id, users=[first_member, second_member])
    department, department_name = ws.cache.connection().execute(
        "SELECT id, name FROM department ORDER BY id DESC LIMIT 1").fetchone()
    code = LiveCodeService(ws).create("gui_edit", users=[first_member, second_member],
                                      parties=[department], tags=[":".join(first)])
    names = dict(ws.cache.connection().execute("SELECT userid, name FROM member"))
    added = [sandbox.phone.add_customer(first_member, state="gui_edit") for _ in range(3)]
    with sandbox.state.transaction() as conn:                 # one came yesterday, one 3 days ago
        for external_userid, days in zip(added[1:], (1, 3), strict=True):
            conn.execute("UPDATE relation SET createtime = createtime - ? WHERE"
                         " external_userid = ?", (days * DAY_S, external_userid))
    run_sync(ws.client(), ws.cache)

    dialog = ArrivalsDialog(synced_context)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: code.config_id in rows_of(dialog), timeout=15000)
    qtbot.waitUntil(lambda: not dialog.busy.isVisible(), timeout=15000)
    assert not dialog.edit_button.isEnabled()
    listed = rows_of(dialog)[code.config_id]                  # by name, userids in the tooltip
    assert listed.text(1) == (f"{names[first_member]}、{names[second_member]}、"
                              f"{department_name} (department)")
    assert listed.toolTip(1) == f"{first_member}, {second_member}"
    dialog.codes.header().setSortIndicator(0, Qt.SortOrder.DescendingOrder)   # a click: State
    states = [top_item(dialog.codes, n).text(0) for n in range(len(rows_of(dialog)))]
    assert states == sorted(states, reverse=True)
    dialog.select_code(code.config_id)
    assert dialog.edit_button.isEnabled() and dialog.remove_button.isEnabled()

    editor = dialog.edit_selected()
    members = f"{first_member}, {second_member}"
    assert editor is not None and editor.members_edit.text() == members
    editor.tags_edit.setText("没有这个标签")                  # refused: said, kept open
    editor.save()
    qtbot.waitUntil(lambda: "没有这个标签" in editor.message.text()
                    and editor.buttons.isEnabled(), timeout=15000)
    assert editor.isVisible() and editor.members_edit.text() == members
    editor.members_edit.setText(f"{second_member}, {third_member}")
    editor.skip_verify.setChecked(False)
    editor.remark_edit.setText("展会二号")
    editor.tags_edit.setText(f"{group}:{name}")
    editor.save()
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=15000)
    remark, skip_verify, users = contact_way(sandbox, code.config_id) or ("", "", "")
    assert remark == "展会二号" and skip_verify == "0"
    assert json.loads(users) == [second_member, third_member]
    qtbot.waitUntil(lambda: rows_of(dialog).get(code.config_id) is not None
                    and rows_of(dialog)[code.config_id].text(2) == f"{group}:{name}",
                    timeout=15000)
    assert [c.tag_ids for c in LiveCodeService(ws).list()
            if c.config_id == code.config_id] == [(second_id,)]

    report = dialog.report
    dialog.show()
    dialog.tabs.setCurrentWidget(report)         # opening the tab counts the last 30 days
    qtbot.waitUntil(lambda: report.report is not None, timeout=15000)
    report.since.setDate(report.since.date().addDays(-10))
    report.refresh()
    assert not report.export_button.isEnabled()      # no export of the last range's counts
    qtbot.waitUntil(lambda: report.export_button.isEnabled(), timeout=15000)
    today = date.today()
    item = next(top_item(report.table, n) for n in range(report.table.topLevelItemCount())
                if top_item(report.table, n).text(0) == "gui_edit")
    assert item.text(1) == "3" and item.text(2).endswith("▁█▁██")   # 3 days ago … today
    per_day = {child_item(item, n).text(0): child_item(item, n).text(1)
               for n in range(item.childCount())}
    assert per_day == {(today - timedelta(days=d)).isoformat(): "1" for d in (0, 1, 3)}
    report.table.header().setSortIndicator(1, Qt.SortOrder.AscendingOrder)  # a click: fewest
    added = [int(top_item(report.table, n).text(1).replace(",", ""))       # first, by number
             for n in range(report.table.topLevelItemCount())]
    assert added == sorted(added) and len(set(added)) > 1
    report.table.header().setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # by code
    codes = [top_item(report.table, n).text(0) for n in range(report.table.topLevelItemCount())]
    assert codes == sorted(codes)
    exported = tmp_path / "livecodes.csv"
    report.export_to(exported)
    qtbot.waitUntil(lambda: "livecodes.csv" in report.summary.text(), timeout=15000)
    with exported.open(encoding="utf-8-sig") as handle:
        written = [r for r in csv.reader(handle)][1:]
    assert sorted(r[1] for r in written if r[0] == "gui_edit") == sorted(per_day)

    asked: list[str] = []

    def answer(_parent: Any, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No if len(asked) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    dialog.remove_selected()                                  # No: nothing happens
    assert "gui_edit" in asked[0] and contact_way(sandbox, code.config_id) is not None
    dialog.remove_selected()
    qtbot.waitUntil(lambda: code.config_id not in rows_of(dialog), timeout=15000)
    assert contact_way(sandbox, code.config_id) is None
    assert "gui_edit" not in sandbox.state.contact_way_ids()
    dialog.close()


def test_the_editor_changes_a_codes_state_and_departments(qtbot: Any, synced_context: Any,
                                                         sandbox: Any) -> None:
    """State and departments change from the window with the CLI's checks: department ids
    that are not numbers and a state a console-made code uses are refused in the window,
    nothing sent; then both change in WeCom and the code keeps its tags under its new state."""
    ws = synced_context.workspace
    member, other = sandbox.state.follow_users()[:2]
    (group, name), tag_id = sorted(sandbox.state.tag_ids_by_name().items())[2]
    department = int(ws.cache.connection().execute(
        "SELECT id FROM department ORDER BY id LIMIT 1").fetchone()[0])
    code = LiveCodeService(ws).create("gui_rename", users=[member, other],
                                      tags=[f"{group}:{name}"])
    with ws.client() as client:                    # made in the admin console: TagDesk keeps
        console, _ = client.add_contact_way(2, 2, state="gui_console", user=[member])  # no tags
    dialog = ArrivalsDialog(synced_context)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: code.config_id in rows_of(dialog), timeout=15000)
    qtbot.waitUntil(lambda: not dialog.busy.isVisible(), timeout=15000)
    dialog.select_code(code.config_id)
    editor = dialog.edit_selected()
    assert editor is not None and editor.state_edit.text() == "gui_rename"

    def state_and_parties() -> tuple[str, list[int]]:
        with sandbox.state.transaction() as conn:
            state, parties = conn.execute("SELECT state, parties FROM contact_way"
                                          " WHERE config_id = ?", (code.config_id,)).fetchone()
        return str(state), json.loads(parties)

    editor.departments_edit.setText("市场部")
    editor.save()
    assert "市场部" in editor.message.text() and editor.buttons.isEnabled()
    editor.departments_edit.setText(str(department))
    editor.state_edit.setText("gui_console")
    editor.save()
    qtbot.waitUntil(lambda: console in editor.message.text()
                    and editor.buttons.isEnabled(), timeout=15000)
    assert editor.isVisible() and state_and_parties() == ("gui_rename", [])
    editor.state_edit.setText("gui_renamed")
    editor.save()
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=15000)
    assert state_and_parties() == ("gui_renamed", [department])
    assert [(c.state, c.tag_ids) for c in LiveCodeService(ws).list()
            if c.config_id == code.config_id] == [("gui_renamed", (tag_id,))]
    qtbot.waitUntil(lambda: rows_of(dialog).get(code.config_id) is not None
                    and rows_of(dialog)[code.config_id].text(0) == "gui_renamed",
                    timeout=15000)
    dialog.close()


def test_queue_and_import_pre_tags(qtbot: Any, synced_context: Any, sandbox: Any,
                                   tmp_path: Path) -> None:
    (group, name), _ = sorted(sandbox.state.tag_ids_by_name().items())[0]
    dialog = ArrivalsDialog(synced_context)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy.isVisible(), timeout=15000)
    form = dialog.pretag_form
    form.value_edit.setText("13800138000")                     # a phone number as a customer id
    form.tags_edit.setText(f"{group}:{name}")
    form.queue_one()
    qtbot.waitUntil(lambda: "是电话号码" in dialog.summary.text(), timeout=15000)
    assert PretagService(synced_context.workspace).list() == []
    form.kind.setCurrentIndex(1)                              # phone
    form.value_edit.setText("139-0013-9000")
    form.tags_edit.setText(f"{group}:{name}")
    form.days.setValue(7)
    form.queue_one()
    qtbot.waitUntil(lambda: dialog.pretags.topLevelItemCount() == 1, timeout=15000)
    (queued,) = PretagService(synced_context.workspace).list()
    assert (queued.kind, queued.key) == ("phone", "13900139000")
    assert top_item(dialog.pretags, 0).text(2) == "Phone: 13900139000"
    assert queued.expires_at is not None and 6.9 < (queued.expires_at - time.time()) / DAY_S <= 7

    leads = tmp_path / "leads.csv"
    leads.write_text("手机号,标签,有效天数\n13800138000,{0}\n不是电话,{0}\n13700137000,没有这个标签\n"
                     "13600136000,{0}\n".format(f"{group}:{name}"), encoding="utf-8")
    form.import_file(leads)
    qtbot.waitUntil(lambda: form.bad_rows is not None and form.bad_rows.isVisible(),
                    timeout=15000)
    bad = form.bad_rows
    assert bad is not None
    lines = [top_item(bad.rows, n).text(0) for n in range(bad.rows.topLevelItemCount())]
    assert lines == ["3", "4"] and "2" in bad.skip_button.text()
    assert len(PretagService(synced_context.workspace).list()) == 1   # nothing queued yet
    bad.skip_button.click()
    qtbot.waitUntil(lambda: dialog.pretags.topLevelItemCount() == 3, timeout=15000)
    keys = sorted(r.key for r in PretagService(synced_context.workspace).list())
    assert keys == ["13600136000", "13800138000", "13900139000"]
    assert "2" in dialog.summary.text()
    PretagService(synced_context.workspace).add("phone", "13500135000", [f"{group}:{name}"])
    dialog.tabs.setCurrentIndex(0)          # queued elsewhere (another desktop, the command
    dialog.tabs.setCurrentIndex(2)          # line): the tab shows it when shown again
    qtbot.waitUntil(lambda: dialog.pretags.topLevelItemCount() == 4, timeout=15000)
    dialog.close()


def test_a_wecom_refusal_is_said_in_the_window(qtbot: Any, synced_workspace: Any,
                                               gui_home: Path) -> None:
    from desktop.services.workspace import Workspace
    from desktop.ui.context import AppContext

    wrong = Workspace(gui_home, synced_workspace.profile, "not-the-secret", exclusive=False)
    context = AppContext(wrong)
    try:
        dialog = ArrivalsDialog(context)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: bool(dialog.summary.text()) or dialog.codes.topLevelItemCount()
                        > 0, timeout=15000)
        said = dialog.summary.text()
        assert "40001" in said and ("Secret 不正确" in said or "secret is wrong" in said)
        assert "Traceback" not in said
        assert not dialog.edit_button.isEnabled()
        dialog.close()
    finally:
        context.cancel_all()
        context.wait_idle()
        wrong.close()
