"""Every writer journals under its own source, the same from the desktop app and the command
line: one source per kind of write (the CLI's are in tests/integration/test_cli_sources.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt

from desktop.services import audit
from desktop.services.exclusive_sets import ExclusiveSets
from desktop.services.spreadsheet_import import SpreadsheetImporter
from desktop.services.sync import run_sync
from desktop.services.tag_admin import TagAdminService
from desktop.store import journal
from desktop.ui.retag_dialog import RetagDialog
from desktop.ui.tag_picker import TagPicker

pytestmark = pytest.mark.gui

WAIT_MS = 20000
# The source of each kind of write; tests/integration/test_cli_sources.py holds the CLI to it.
SOURCES = {
    "toggle": "app", "picker": "app", "retag": "batch", "import": "import", "undo": "undo",
    "redo": "redo", "revert": "revert", "tree": "tree", "exclusive": "tree",
    "observed": "observed",
}


def _last(context: Any) -> int:
    return int(context.cache.scalar("SELECT coalesce(max(id), 0) FROM journal") or 0)


def _sources_since(context: Any, start: int) -> set[str]:
    return {row[0] for row in context.cache.connection().execute(
        "SELECT DISTINCT source FROM journal WHERE id > ?", (start,))}


def _keys(context: Any, ids: list[int]) -> list[tuple[str, str]]:
    marks = ",".join("?" * len(ids))
    return [(u, e) for u, e in context.cache.connection().execute(
        f"SELECT userid, external_userid FROM relation WHERE id IN ({marks}) ORDER BY id", ids)]


def test_every_desktop_writer_journals_under_its_source(
    qtbot: Any, synced_context: Any, sandbox: Any, tmp_path: Path
) -> None:
    context = synced_context
    keen = str(sandbox.state.find_tag("意向程度", "高意向"))
    vip = str(sandbox.state.find_tag("客户等级", "VIP"))
    ids = context.filter_engine.relation_ids("", order_by="createtime")
    seen: dict[str, set[str]] = {}

    def run(kind: str, write: Any) -> None:
        start = _last(context)
        write()
        context.wait_idle()
        qtbot.waitUntil(lambda: _last(context) > start, timeout=WAIT_MS)
        context.wait_idle()
        seen[kind] = _sources_since(context, start)

    run("toggle", lambda: context.toggle_tag(ids[:3], vip, lambda: "VIP"))
    run("undo", context.undo_stack.undo)
    run("redo", context.undo_stack.redo)

    def pick() -> None:
        picker = TagPicker(context, ids[10:13])
        qtbot.addWidget(picker)
        picker.show()
        qtbot.waitUntil(lambda: picker.picker_data is not None, timeout=WAIT_MS)
        qtbot.keyClicks(picker.search, "gyx")
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)

    run("picker", pick)

    def retag() -> None:
        dialog = RetagDialog(context, ids[20:60], "test")
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.group.count() > 0, timeout=WAIT_MS)
        dialog.pilot.setValue(0)
        with qtbot.waitSignal(dialog.previewReady, timeout=WAIT_MS):
            dialog.add_chooser.add_tag(vip)
        with qtbot.waitSignal(dialog.progress.batchFinished, timeout=WAIT_MS):
            qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)

    run("retag", retag)
    retagged = str(context.cache.scalar("SELECT batch_id FROM journal ORDER BY id DESC LIMIT 1"))

    def import_sheet() -> None:
        book = Workbook()
        book.active.append(["external_userid", "owner_userid", "add_tags", "remove_tags"])
        for userid, external_userid in _keys(context, ids[70:75]):
            book.active.append([external_userid, userid, "意向程度:高意向", ""])
        path = tmp_path / "tags.xlsx"
        book.save(path)
        report = SpreadsheetImporter(context.cache).validate(path)
        context.tagging.run(SpreadsheetImporter(context.cache).submit(report, context.tagging))

    run("import", import_sheet)
    run("revert", lambda: audit.run_revert(
        context.tagging, audit.preview_batch_revert(context.cache, context.tagging, retagged),
        pilot_size=0))
    run("tree", lambda: TagAdminService(context.workspace).rename(keen, "高意向（来源测试）"))
    run("exclusive", lambda: ExclusiveSets(context.workspace).add(
        "意向", ["意向程度:高意向（来源测试）", "意向程度:低意向"]))

    def phone() -> None:
        userid, external_userid = _keys(context, ids[90:91])[0]
        sandbox.state.console_mark_tag(userid, external_userid, add=[vip, keen])
        run_sync(context.workspace.client(), context.cache)

    run("observed", phone)

    assert seen == {kind: {source} for kind, source in SOURCES.items()}
    assert journal.verify(context.cache).ok


def test_the_detail_pane_names_nobody_for_a_change_seen_at_sync(
    qtbot: Any, synced_context: Any, sandbox: Any
) -> None:
    from desktop.ui.detail_pane import DetailPane

    context = synced_context
    rid = context.filter_engine.relation_ids("", order_by="createtime")[0]
    [(userid, external_userid)] = _keys(context, [rid])
    sandbox.state.console_mark_tag(userid, external_userid,
                                   add=[str(sandbox.state.find_tag("客户等级", "VIP"))])
    run_sync(context.workspace.client(), context.cache)
    pane = DetailPane(context)
    qtbot.addWidget(pane)
    pane.show_relation(rid)
    qtbot.waitUntil(lambda: "Recent changes" in pane.browser.toPlainText(), timeout=WAIT_MS)
    recent = pane.browser.toPlainText().split("Recent changes", 1)[1]
    assert "WeCom client / unknown, seen at sync →" in recent
    assert f"{context.operator} →" not in recent


def test_the_detail_pane_names_the_operator_by_name(qtbot: Any, synced_context: Any,
                                                    sandbox: Any) -> None:
    from desktop.ui.detail_pane import DetailPane

    context = synced_context
    userid = context.operator                           # a member of the corp
    (name,) = context.cache.connection().execute(
        "SELECT name FROM member WHERE userid = ?", (userid,)).fetchone()
    assert name and name != userid
    rid = context.filter_engine.relation_ids("", order_by="createtime")[1]
    tagging = context.tagging
    tagging.run(tagging.submit(tagging.plan([rid], add=[sandbox.state.find_tag("客户等级", "VIP")]),
                               source="app"))
    pane = DetailPane(context)
    qtbot.addWidget(pane)
    pane.show_relation(rid)
    qtbot.waitUntil(lambda: "Recent changes" in pane.browser.toPlainText(), timeout=WAIT_MS)
    recent = pane.browser.visible_text().split("Recent changes", 1)[1]
    assert f"{name} →" in recent and f"{userid} →" not in recent
