"""Switching the language through 视图 → 语言 retranslates the open tool windows and dialogs
in place: their labels, headers and buttons change language, what the user set stays."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from desktop.ui.audit_model import BatchColumn, RowColumn
from desktop.ui.batch_progress import BatchProgressDialog, offer_unfinished_batches
from desktop.ui.i18n import CHINESE, ENGLISH, Translations, is_english
from desktop.ui.main_window import MainWindow
from desktop.ui.migrate_wizard import MigrateDialog
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.session import GuiSession
from desktop.ui.settings import Settings
from desktop.ui.userid_dialog import UseridDialog
from tests.gui.qt_items import top_item

pytestmark = pytest.mark.gui


@pytest.fixture
def session(qtbot: Any, synced_workspace: Any, gui_home: Path, sandbox: Any
            ) -> Iterator[GuiSession]:
    translations = Translations()
    translations.install(CHINESE)
    gui = GuiSession(synced_workspace, Settings(gui_home), translations)
    qtbot.addWidget(gui.window)
    tagging = gui.context.tagging
    keen = sandbox.state.find_tag("意向程度", "高意向")
    ids = [r[0] for r in synced_workspace.cache.connection().execute(
        "SELECT id FROM relation ORDER BY id LIMIT 30")]
    tagging.run(tagging.submit(tagging.plan(ids, add=[keen]), source="batch"))
    try:
        with qtbot.waitSignal(gui.window.model.queryFinished, timeout=15000):
            gui.show()
        yield gui
    finally:
        translations.uninstall()
        gui.context.cancel_all()
        gui.context.wait_idle()


def _switch(qtbot: Any, gui: GuiSession, code: str) -> None:
    """What choosing a language in 视图 → 语言 does; Qt posts LanguageChange to each window."""
    window = gui.window
    action = next(a for a in window.findChildren(QAction) if a.data() == code)
    action.trigger()
    sync_now = "Sync now" if code == ENGLISH else "立即同步"
    qtbot.waitUntil(lambda: window.sync_action.text() == sync_now, timeout=5000)
    qtbot.wait(50)              # the events posted to the other windows


def _select(view: Any, row: int) -> None:
    view.selectionModel().select(view.model().index(row, 0),
                                 QItemSelectionModel.SelectionFlag.ClearAndSelect
                                 | QItemSelectionModel.SelectionFlag.Rows)


def test_open_tool_windows_retranslate_and_keep_their_state(
        qtbot: Any, session: GuiSession) -> None:
    window = session.window
    audit = window.open_audit_viewer()
    reports = window.open_reports()
    loaded: set[str] = set()
    reports.loaded.connect(loaded.add)
    health = window.open_health()
    with qtbot.waitSignal(health.loaded, timeout=20000):
        pass
    qtbot.waitUntil(lambda: loaded >= {"tags", "days", "operators", "health"}, timeout=20000)
    qtbot.waitUntil(lambda: audit.filters.operator.count() > 1, timeout=10000)

    filters = audit.filters
    with qtbot.waitSignal(audit.rows_model.loaded, timeout=10000):
        filters.choose(filters.source, "batch")
    qtbot.waitUntil(lambda: audit.rows_model.complete, timeout=10000)
    shown = audit.rows_model.row_at(0)
    assert shown is not None
    batch = shown.batch_id
    filters.batch.setText(batch)
    qtbot.waitUntil(lambda: audit.rows_model.journal_filter.batch_ids == (batch,),
                    timeout=10000)
    qtbot.waitUntil(lambda: audit.rows_model.complete, timeout=10000)
    rows = audit.rows_model.rowCount()
    assert rows > 0
    audit.select_row(1)
    selected = audit.selected_rows()
    assert audit.rows_button.text() == "明细"
    assert filters.source.currentText() == "批量"
    assert filters.period.currentText() == "全部时间"
    assert audit.rows_model.headerData(RowColumn.OPERATOR, Qt.Orientation.Horizontal) == "操作人"

    reports.period.setCurrentIndex(0)
    reports.tabs.setCurrentIndex(2)
    assert reports.tabs.tabText(0) == "标签"
    health.zombie_days.setValue(45)
    _select(health.table, 0)
    findings = health.model.rowCount()
    assert health.migrate_button.text() == "迁移…"

    with qtbot.assertNotEmitted(audit.rows_model.loading), \
            qtbot.assertNotEmitted(reports.loaded), qtbot.assertNotEmitted(health.loaded):
        _switch(qtbot, session, ENGLISH)

    assert audit.windowTitle() == "Audit log"
    assert audit.rows_button.text() == "Rows"
    assert audit.csv_button.text() == "Export CSV…"
    assert audit.rows_model.headerData(RowColumn.OPERATOR, Qt.Orientation.Horizontal) == "Operator"
    assert audit.batches_model.headerData(BatchColumn.ROWS, Qt.Orientation.Horizontal) == "Changes"
    assert audit.rows_model.index(0, RowColumn.SOURCE).data() == "Batch"
    assert audit.status.text().endswith(" ms") and "changes" in audit.status.text()
    assert "Customer" in audit.detail.toPlainText()
    assert filters.source.currentText() == "Batch"
    assert filters.period.currentText() == "All time"
    assert filters.operator.currentText() == "All operators"
    assert filters.clear_button.text() == "Clear filters"
    assert filters.batch.text() == batch
    assert filters.journal_filter().sources == ("batch",)
    assert audit.rows_model.rowCount() == rows
    assert audit.selected_rows() == selected

    assert reports.windowTitle() == "Reports"
    assert [reports.tabs.tabText(n) for n in range(4)] == [
        "Tags", "Changes per day", "Changes per operator", "Health"]
    assert reports.period.currentIndex() == 0 and reports.period.currentText() == "Last 7 days"
    assert reports.tabs.currentIndex() == 2
    assert reports.operators_view.chart().title().startswith("Changes per operator")
    assert reports.save_button.text() == "Save chart as PNG…"

    assert health.windowTitle() == "Tag health"
    assert health.migrate_button.text() == "Migrate…"
    assert health.model.headerData(1, Qt.Orientation.Horizontal) == "Finding"
    assert health.notice.text().endswith("findings.")
    assert health.zombie_days.value() == 45
    assert health.model.rowCount() == findings
    assert [i.row() for i in health.table.selectionModel().selectedRows()] == [0]

    _switch(qtbot, session, CHINESE)
    assert audit.rows_button.text() == "明细"
    assert filters.source.currentText() == "批量"
    assert reports.tabs.tabText(0) == "标签"
    assert health.migrate_button.text() == "迁移…"


Texts = list[tuple[Callable[[], Any], object]]   # what a text is read from, and its English
Opened = tuple[QWidget, Texts, Callable[[], Any]]  # the dialog, its texts, its state


def _retag(qtbot: Any, window: MainWindow) -> Opened:
    dialog = window.open_retag_dialog()
    assert dialog is not None
    dialog.pilot.setValue(7)
    dialog.replace_mode.setChecked(True)
    return dialog, [(dialog.windowTitle, "Retag customers"),
                    (lambda: dialog.scope.text().split(" · ")[-1], "filter: all customers"),
                    (dialog.add_mode.text, "Add / remove tags"),
                    (dialog.group_label.text, "Group to replace:"),
                    (dialog.pilot.suffix, " relations first"),
                    (dialog.close_button.text, "Close"),
                    (dialog.progress.cancel_button.text, "Cancel batch"),
                    (dialog.progress.pause_button.text, "Pause")], \
        lambda: (dialog.pilot.value(), dialog.replace_mode.isChecked())


def _import(qtbot: Any, window: MainWindow) -> Opened:
    wizard = window.open_import_wizard()
    wizard.check()                                  # no file yet: it says so
    wizard.path_edit.setText("customers.xlsx")
    return wizard, [(wizard.windowTitle, "Import tags from a spreadsheet"),
                    (wizard.check_button.text, "Check"),
                    (wizard.file_message.text, "Choose a file first."),
                    (lambda: wizard.problems.headerData(3, Qt.Orientation.Horizontal),
                     "Problem")], \
        lambda: (wizard.path_edit.text(), wizard.steps.currentIndex())


def _export(qtbot: Any, window: MainWindow) -> Opened:
    dialog = window.open_export_dialog()
    assert dialog is not None
    dialog.export()                                 # no file yet: it says so
    dialog.groups.item(0).setCheckState(Qt.CheckState.Checked)
    return dialog, [(dialog.windowTitle, "Export customers"),
                    (lambda: dialog.scope_label.text().split(" · ")[-1],
                     "filter: all customers"),
                    (dialog.export_button.text, "Export"),
                    (dialog.groups_label.text, "Group columns:"),
                    (dialog.message.text, "Choose a file first.")], \
        lambda: dialog.chosen_groups()


def _syntax(qtbot: Any, window: MainWindow) -> Opened:
    dialog = window.open_filter_syntax()
    assert window.open_filter_syntax() is dialog     # a second open brings the same one up
    return dialog, [(dialog.windowTitle, "Filter syntax"),
                    (lambda: dialog.browser.toPlainText().splitlines()[0],
                     "How to write a filter")], \
        lambda: window.open_filter_syntax() is dialog


def _exclusive(qtbot: Any, window: MainWindow) -> Opened:
    dialog = window.open_exclusive_sets()
    dialog.name.setText("成交状态")
    return dialog, [(dialog.windowTitle, "Mutually exclusive tags"),
                    (dialog.add_button.text, "Add set"),
                    (dialog.name_label.text, "Name")], lambda: dialog.name.text()


def _migrate(qtbot: Any, window: MainWindow) -> Opened:
    dialog = MigrateDialog(window.context, [], "", window)
    dialog.delete_source.setChecked(True)
    dialog.preview()
    empty = dialog.preview_text.text
    keen = window.context.tagging.resolve_tag_names(["意向程度:高意向"])
    planned = MigrateDialog(window.context, keen, "意向程度:中意向", dialog)
    qtbot.waitUntil(lambda: planned.plan is not None, timeout=10000)
    assert planned.preview_text.text().endswith(" 秒。")          # not "约 4 s。"
    return dialog, [(dialog.windowTitle, "Migrate tags"),
                    (dialog.run_button.text, "Run"),
                    (dialog.from_label.text, "From"),
                    (lambda: empty(), "Name the sources and the target."),
                    (lambda: planned.preview_text.text().rsplit(" ", 1)[-1], "s.")], \
        lambda: dialog.delete_source.isChecked()


def _userid(qtbot: Any, window: MainWindow) -> Opened:
    dialog = UseridDialog(window.context.workspace, window)
    qtbot.waitUntil(lambda: dialog.members is not None, timeout=10000)
    dialog.userid.setText("nobody")
    dialog.buttons.accepted.emit()                  # not a member: it says so
    return dialog, [(dialog.windowTitle, "Your WeCom account"),
                    (dialog.message.text, "nobody is not a member of this corp.")], \
        lambda: dialog.userid.text()


def _batch(qtbot: Any, window: MainWindow) -> Opened:
    context = window.context
    conn = context.cache.connection()
    ids = [r[0] for r in conn.execute("SELECT id FROM relation ORDER BY id LIMIT 3")]
    (tag_id,) = conn.execute("SELECT id FROM tag WHERE NOT deleted ORDER BY id").fetchone()
    batch_id = context.tagging.submit(context.tagging.plan(ids, add=[tag_id]), source="batch")
    dialog = BatchProgressDialog(context, batch_id, window)
    qtbot.waitUntil(lambda: dialog.panel.state == "done", timeout=20000)
    return dialog, [(dialog.windowTitle, "Tag batch"),
                    (dialog.close_button.text, "Close"),
                    (dialog.panel.message.text, "Done."),
                    (lambda: dialog.panel.title.text().split(" · ")[0], f"Batch {batch_id}")], \
        lambda: (dialog.panel.bar.value(), dialog.panel.state)


def _unfinished(qtbot: Any, window: MainWindow) -> Opened:
    context = window.context
    conn = context.cache.connection()
    ids = [r[0] for r in conn.execute("SELECT id FROM relation ORDER BY id DESC LIMIT 3")]
    # a tag none of them carries (tests before this one may have tagged them): a batch with calls
    (tag_id,) = conn.execute(
        "SELECT t.id FROM tag t WHERE NOT t.deleted AND NOT EXISTS (SELECT 1 FROM relation_tag rt"
        f" WHERE rt.tag_pk = t.pk AND rt.relation_id IN ({','.join('?' * len(ids))}))"
        " ORDER BY t.id", ids).fetchone()
    context.tagging.submit(context.tagging.plan(ids, add=[tag_id]), source="batch")
    (info,) = context.tagging.unfinished_batches()
    dialog = offer_unfinished_batches(context, window)
    assert dialog is not None
    return dialog, [(dialog.windowTitle, "Unfinished tag batches"),
                    (dialog.resume_button.text, "Resume"),
                    (lambda: dialog.list.item(0).text().splitlines()[-1],
                     f"{info.pending}\N{NO-BREAK SPACE}pending · 0\N{NO-BREAK SPACE}applied"
                     " · 0\N{NO-BREAK SPACE}failed")], \
        lambda: (dialog.list.count(), dialog.selected_batch())


def _revert(qtbot: Any, window: MainWindow) -> Opened:
    audit = window.open_audit_viewer()
    qtbot.waitUntil(lambda: audit.rows_model.complete and audit.rows_model.rowCount() > 0,
                    timeout=10000)
    audit.select_row(0)
    audit.revert_selected_batch()
    qtbot.waitUntil(lambda: audit.revert_dialog is not None, timeout=10000)
    dialog = audit.revert_dialog
    assert dialog is not None
    scroll = dialog.listing.verticalScrollBar()
    scroll.setValue(scroll.maximum() // 2)
    return dialog, [(dialog.ok_button.text, "Revert"),
                    (lambda: dialog.listing.toPlainText().splitlines()[0], "Will restore:"),
                    (lambda: dialog.summary.text().split("; ")[0].split(" ", 1)[-1],
                     "relations will be restored")], \
        lambda: (scroll.value(), dialog.ok_button.isEnabled())


def _picker(qtbot: Any, window: MainWindow) -> Opened:
    window.table.selectRow(0)
    picker = window.open_tag_picker()
    assert picker is not None
    qtbot.waitUntil(lambda: picker.picker_data is not None, timeout=10000)
    picker.search.setText("zzzz")
    return picker, [(picker.windowTitle, "Tag customers"),
                    (picker.search.placeholderText, "Tag: 中文, pinyin, gyx or V3"),
                    (picker.summary.text, "No tag matches “zzzz”")], \
        lambda: (picker.search.text(), picker.model.rowCount())


def _rule_editor(qtbot: Any, window: MainWindow) -> Opened:
    from desktop.domain.rule_draft import RuleDraft

    rules = window.open_rules()
    editor = rules.open_editor(RuleDraft.read({"name": "男客", "when": {"all": [
        {"gender": "男"}, {"event": {"type": "order_paid"}}, {"tag_count": {">=": 2}}]},
        "then": {"add": ["意向程度:高意向"], "expires": "2w"}}))
    tree = editor.conditions
    rows: list[tuple[Any, Any]] = [tree.row(position) for position in ((), (0,), (1,), (2,))]
    gender: Any = tree.row((0,))[1]
    gender.combo.setCurrentIndex(1)                     # 女
    editor.name.clear()                                 # a problem, said under the name
    return editor, [(editor.windowTitle, "New rule"),
                    (editor.save_button.text, "Save (Ctrl+S)"),
                    (editor.unit.currentText, "weeks"),
                    (rows[0][0].currentText, "All of"),
                    (rows[1][0].currentText, "Gender"),
                    (rows[1][1].combo.currentText, "female"),
                    (rows[2][1].within.specialValueText, "any time"),
                    (rows[3][1].second.currentText, "(and …)"),
                    (tree.add_leaf_button.text, "Add condition"),
                    (editor.name_error.text, "Give the rule a name.")], \
        lambda: (editor.definition(), editor.save_button.isEnabled())


def _rules(qtbot: Any, window: MainWindow) -> Opened:
    """The simulation's reasons are said again in the new language, in the order sorted."""
    dialog = window.open_rules()
    path = window.context.workspace.home / "region-rule.json"
    path.write_text(json.dumps({"name": "北京归华北", "when": {"region": "北京"},
                               "then": {"add": ["地区:华北"]}}, ensure_ascii=False),
                    encoding="utf-8")
    dialog.add_file(path)
    qtbot.waitUntil(lambda: dialog.rules.topLevelItemCount() == 1, timeout=10000)
    dialog.simulate()
    qtbot.waitUntil(dialog.run_button.isEnabled, timeout=10000)
    dialog.changes.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    first = partial(top_item, dialog.changes)
    return dialog, [(dialog.windowTitle, "Rules"),
                    (lambda: first(0).text(3).split(" ")[0], "北京归华北:"),
                    (lambda: " ∋ " in first(0).text(3), True),
                    (lambda: top_item(dialog.rules, 0).text(2).split(" ")[0], "Region")], \
        lambda: [first(i).text(0) for i in range(dialog.changes.topLevelItemCount())]


def _expiring(qtbot: Any, window: MainWindow) -> Opened:
    dialog = window.open_expiring_tags()
    qtbot.waitUntil(lambda: dialog.summary.text() != "", timeout=10000)
    return dialog, [(dialog.windowTitle, "Expiring tags"),
                    (dialog.remove_due_button.text, "Remove due now"),
                    (lambda: dialog.table.headerItem().text(3), "Due"),
                    (dialog.summary.text, "0 tags set to expire, 0 due now.")], \
        lambda: dialog.table.topLevelItemCount()


@pytest.mark.parametrize("open_dialog", [_retag, _import, _export, _syntax, _exclusive, _migrate,
                                         _userid, _batch, _unfinished, _revert, _picker,
                                         _rule_editor, _expiring, _rules],
                         ids=lambda f: f.__name__.strip("_"))
def test_open_dialogs_retranslate_and_keep_their_state(
        qtbot: Any, session: GuiSession,
        open_dialog: Callable[[Any, MainWindow], Opened]) -> None:
    dialog, texts, state = open_dialog(qtbot, session.window)
    dialog.show()
    before = state()
    for text, english in texts:
        assert text() != english
    _switch(qtbot, session, ENGLISH)
    assert [text() for text, _ in texts] == [english for _, english in texts]
    assert state() == before
    dialog.close()


def test_a_window_inside_another_retranslates_once_per_switch(qtbot: Any) -> None:
    translations = Translations()
    translations.install(CHINESE)
    try:
        main = QWidget()
        qtbot.addWidget(main)
        tool = QWidget(main)
        tool.setWindowFlag(Qt.WindowType.Window)
        main.show()
        tool.show()
        calls: list[bool] = []
        retranslate_in_place(tool, lambda: calls.append(is_english()))
        translations.install(ENGLISH)      # three translators, each announced
        qtbot.wait(50)
        assert calls == [False, True]
    finally:
        translations.uninstall()
