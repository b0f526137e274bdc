"""The import wizard and the export dialog over a synced sandbox (300 customers)."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from desktop.services.spreadsheet_export import SHEET_TITLE
from desktop.ui import file_dialogs, import_wizard
from desktop.ui.export_dialog import ExportDialog
from desktop.ui.i18n import CHINESE, Translations
from desktop.ui.import_wizard import STEP_CHECK, STEP_RUN, ImportWizard
from desktop.ui.settings import Settings
from tests.import_sheets import import_sheet

pytestmark = pytest.mark.gui

WAIT_MS = 60000   # a check of 3,000 rows took over 20 s with the machine at load 20


def _wizard(qtbot: Any, context: Any, path: Path) -> ImportWizard:
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.set_path(path)
    with qtbot.waitSignal(wizard.checked, timeout=WAIT_MS):
        qtbot.mouseClick(wizard.check_button, Qt.MouseButton.LeftButton)
    assert wizard.steps.currentIndex() == STEP_CHECK
    return wizard


def _fresh_relations(sandbox: Any, tag_id: str, count: int) -> list[tuple[str, str]]:
    return [r for r in sorted(sandbox.state.relations())
            if tag_id not in sandbox.state.relation_tag_ids(*r)][:count]


def test_the_wizard_lists_problems_and_imports_only_valid_rows_when_asked(
        qtbot: Any, qtmodeltester: Any, synced_context: Any, sandbox: Any,
        tmp_path: Path) -> None:
    shipped = sandbox.state.find_tag("客户阶段", "已发货")
    relations = _fresh_relations(sandbox, shipped, 3)
    path = import_sheet(tmp_path / "a.xlsx", *([e, u, "已发货", ""] for u, e in relations),
                  ["13800138000", "", "已发货", ""], [relations[0][1], "", "高意象", ""])
    wizard = _wizard(qtbot, synced_context, path)
    model = wizard.problems
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    cells = [[model.data(model.index(r, c)) for c in range(5)] for r in range(2)]
    assert cells[0][:3] == ["5", "A external_userid", "13800138000"]
    assert "手机号码" in cells[0][3] and "导出" in cells[0][4]
    assert cells[1][:3] == ["6", "C add_tags", "高意象"] and "高意向" in cells[1][4]
    assert model.data(model.index(0, 0), Qt.ItemDataRole.EditRole) is None
    assert model.rowCount(model.index(0, 0)) == 0 and model.columnCount(QModelIndex()) == 5
    assert "3 valid, 2 with problems" in wizard.summary.text()
    view = wizard.problem_view           # a long problem or suggestion wraps, never cut short,
    qtbot.waitUntil(lambda: all(view.rowHeight(row) == view.sizeHintForRow(row)  # nor padded
                                for row in range(2)), timeout=5000)
    assert view.rowHeight(0) > view.verticalHeader().defaultSectionSize()
    view.setColumnWidth(3, view.columnWidth(3) + 200)          # and a wider column takes fewer
    qtbot.waitUntil(lambda: view.rowHeight(0) == view.sizeHintForRow(0), timeout=5000)  # lines
    wizard.problem_view.setCurrentIndex(model.index(1, 4))
    wizard.problem_view.setFocus()
    qtbot.keyClick(wizard.problem_view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == cells[1][4]
    wizard.problem_view.clearSelection()
    wizard.problem_view.selectRow(0)
    [copy] = wizard.problem_view.actions()
    copy.trigger()
    assert QGuiApplication.clipboard().text() == "\t".join(cells[0])
    assert "<b>3 relations</b> to change (3 API calls)" in wizard.preview.text()
    assert not wizard.import_button.isEnabled() and wizard.only_valid.isVisible()

    wizard.only_valid.setChecked(True)
    wizard.pilot.setValue(0)
    assert wizard.import_button.isEnabled()
    with qtbot.waitSignal(wizard.progress.batchFinished, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    assert wizard.steps.currentIndex() == STEP_RUN
    assert (blocker.args[0].status, blocker.args[0].applied) == ("done", 3)
    assert all(shipped in sandbox.state.relation_tag_ids(*r) for r in relations)
    assert synced_context.tagging.batch(wizard.batch_id).source == "import"


def test_a_long_list_after_a_short_one_keeps_no_row_of_the_short_ones_height(
        qtbot: Any, synced_context: Any, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.setattr(import_wizard, "WRAPPED_ROWS", 3)
    short = import_sheet(tmp_path / "short.xlsx", ["13800138000", "", "高意象", ""])
    wizard = _wizard(qtbot, synced_context, short)
    view = wizard.problem_view
    qtbot.waitUntil(lambda: view.rowHeight(0) > view.verticalHeader().defaultSectionSize(),
                    timeout=5000)                        # a short list wraps its problems
    long = import_sheet(tmp_path / "long.xlsx",
                        *(["13800138000", "", "高意象", ""] for _ in range(5)))
    wizard.set_path(long)
    with qtbot.waitSignal(wizard.checked, timeout=WAIT_MS):
        wizard.recheck_button.click()
    assert wizard.problems.rowCount() == 10
    qtbot.wait(import_wizard.REFIT_MS * 2)
    assert {view.rowHeight(row) for row in range(10)} == {
        view.verticalHeader().defaultSectionSize()}      # a long one keeps one line a row


def test_a_big_file_s_check_shows_rows_checked_of_all_and_can_be_cancelled(
        qtbot: Any, synced_context: Any, sandbox: Any, tmp_path: Path) -> None:
    userid, external_userid = sorted(sandbox.state.relations())[0]
    path = import_sheet(tmp_path / "big.xlsx",
                        *([external_userid, userid, f"标签{i}", ""] for i in range(3000)))
    wizard = ImportWizard(synced_context)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.set_path(path)
    bar, seen = wizard.check_bar, []
    bar.valueChanged.connect(lambda value: seen.append(
        (value, bar.maximum(), bar.text(), wizard.checking.isVisible(),
         wizard.check_button.isEnabled())))
    with qtbot.waitSignal(wizard.checked, timeout=WAIT_MS):
        wizard.check_button.click()
    assert (2500, 3000, "2,500 of 3,000 rows checked", True, False) in seen
    assert not wizard.checking.isVisible() and wizard.check_button.isEnabled()

    checked: list[Any] = []
    wizard.checked.connect(checked.append)
    wizard.recheck_button.click()                      # from the problems: Check again
    assert wizard.checking.isVisible() and not wizard.recheck_button.isEnabled()
    wizard.cancel_check_button.click()       # while the sheet is still being read
    assert "已取消" in wizard.file_message.text()          # at once, not after the reading
    assert wizard.steps.currentIndex() == import_wizard.STEP_FILE
    assert not wizard.checking.isVisible() and wizard.check_button.isEnabled()
    synced_context.wait_idle()                          # the worker's late answer is dropped
    qtbot.wait(100)
    assert checked == [] and wizard.steps.currentIndex() == import_wizard.STEP_FILE
    assert "已取消" in wizard.file_message.text()


def test_a_tag_typed_as_pinyin_initials_suggests_the_tag_it_spells(
        qtbot: Any, synced_context: Any, sandbox: Any, tmp_path: Path) -> None:
    userid, external_userid = sorted(sandbox.state.relations())[0]
    path = import_sheet(tmp_path / "a.xlsx", [external_userid, userid, "gyx", ""],
                        [external_userid, userid, "", "yfh"])
    model = _wizard(qtbot, synced_context, path).problems
    cells = [[model.data(model.index(r, c)) for c in range(5)] for r in range(model.rowCount())]
    assert [row[:3] for row in cells] == [["2", "C add_tags", "gyx"], ["3", "D remove_tags", "yfh"]]
    assert cells[0][4].startswith("是否要找：高意向、高意向客户")
    assert cells[1][4].startswith("是否要找：已发货")


def test_a_clean_file_imports_with_a_pilot_pause(qtbot: Any, synced_context: Any,
                                                 sandbox: Any, tmp_path: Path) -> None:
    refunded = sandbox.state.find_tag("客户阶段", "已退款")
    relations = _fresh_relations(sandbox, refunded, 9)
    path = import_sheet(tmp_path / "a.xlsx", *([e, u, "已退款", ""] for u, e in relations))
    wizard = _wizard(qtbot, synced_context, path)
    assert wizard.summary.text().endswith("all 9 rows are valid.")
    assert not wizard.problem_view.isVisible() and not wizard.only_valid.isVisible()
    wizard.pilot.setValue(4)
    with qtbot.waitSignal(wizard.progress.pilotFinished, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].applied == 4 and blocker.args[0].pending == 5
    assert sum(refunded in sandbox.state.relation_tag_ids(*r) for r in relations) == 4
    with qtbot.waitSignal(wizard.progress.batchFinished, timeout=WAIT_MS):
        qtbot.mouseClick(wizard.progress.continue_button, Qt.MouseButton.LeftButton)
    assert all(refunded in sandbox.state.relation_tag_ids(*r) for r in relations)
    panel = wizard.progress      # its lines one under another, not spread over the page
    assert panel.height() <= panel.sizeHint().height(), (panel.height(), panel.sizeHint())
    # the done page is the window's height: no blank half between the next actions and 关闭
    qtbot.wait(50)
    below = wizard.close_button.y() - panel.mapTo(wizard, QPoint(0, panel.height())).y()
    assert 0 <= below < 80, below


def test_a_clean_file_s_summary_preview_and_pilot_read_one_under_another(
        qtbot: Any, synced_context: Any, sandbox: Any, tmp_path: Path) -> None:
    """At 900 × 620 a file with no problem showed its summary, its preview and the pilot
    spread over the page with 150 px gaps between them, where the problem table stands."""
    refunded = sandbox.state.find_tag("客户阶段", "已退款")
    relations = _fresh_relations(sandbox, refunded, 3)
    path = import_sheet(tmp_path / "a.xlsx", *([e, u, "已退款", ""] for u, e in relations))
    wizard = _wizard(qtbot, synced_context, path)
    wizard.resize(900, 620)
    qtbot.waitUntil(lambda: wizard.height() == 620)
    qtbot.wait(50)

    def top(widget: Any) -> int:
        return widget.mapTo(wizard, QPoint(0, 0)).y()

    def bottom(widget: Any) -> int:
        return top(widget) + widget.height()

    for label in (wizard.summary, wizard.preview):    # each as tall as its lines
        assert label.height() <= label.heightForWidth(label.width()) + 8, label.text()
    assert top(wizard.preview) - bottom(wizard.summary) < 24
    assert top(wizard.pilot) - bottom(wizard.preview) < 24
    assert wizard.pilot.width() <= wizard.pilot.sizeHint().width()    # not the page's width
    assert top(wizard.close_button) - bottom(wizard.import_button) < 40    # buttons below
    assert "exclusive" not in wizard.preview.text()     # no "0 left out for exclusive tags"


def test_the_preview_says_how_many_an_exclusive_set_leaves_out(
        qtbot: Any, synced_context: Any, sandbox: Any, tmp_path: Path) -> None:
    closed = sandbox.state.find_tag("客户阶段", "已成交")
    invalid = sandbox.state.find_tag("客户阶段", "无效客户")
    with synced_context.cache.write() as conn:
        conn.execute("INSERT INTO exclusive_set (name, tag_ids) VALUES (?, ?)",
                     ("成交状态", json.dumps([closed, invalid])))
    carrying = [r for r in sorted(sandbox.state.relations())
                if closed in sandbox.state.relation_tag_ids(*r)
                and invalid not in sandbox.state.relation_tag_ids(*r)][:2]
    assert len(carrying) == 2
    path = import_sheet(tmp_path / "a.xlsx", *([e, u, "无效客户", ""] for u, e in carrying))
    wizard = _wizard(qtbot, synced_context, path)
    assert "2 left out for exclusive tags" in wizard.preview.text()


def test_an_import_queued_behind_a_write_still_running_says_it_waits_for_it(
        qtbot: Any, synced_context: Any, sandbox: Any, tmp_path: Path) -> None:
    """导入 behind a batch still sending (a toggle on 26,938 customers took minutes) greyed
    out and showed nothing else until that batch ended."""
    refunded = sandbox.state.find_tag("客户阶段", "已退款")
    relations = _fresh_relations(sandbox, refunded, 3)
    path = import_sheet(tmp_path / "a.xlsx", *([e, u, "已退款", ""] for u, e in relations))
    wizard = _wizard(qtbot, synced_context, path)
    assert "Waiting for the writes" not in wizard.preview.text()
    sending = threading.Event()
    synced_context.run_task(lambda _p, _c: sending.wait(30), owner=synced_context,
                            name="a batch still sending", writer=True)
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    assert "Waiting for the writes before it to finish" in wizard.preview.text()
    assert "+ 客户阶段:已退款: 3" in wizard.preview.text()     # the preview stays
    assert wizard.steps.currentIndex() == STEP_CHECK
    with qtbot.waitSignal(wizard.progress.batchFinished, timeout=WAIT_MS):
        sending.set()
    assert wizard.steps.currentIndex() == STEP_RUN
    assert all(refunded in sandbox.state.relation_tag_ids(*r) for r in relations)
    qtbot.waitUntil(lambda: synced_context.writes_ahead == 0)


def test_the_preview_counts_each_tag_in_the_interface_language(
        qtbot: Any, synced_context: Any, sandbox: Any, tmp_path: Path) -> None:
    refunded = sandbox.state.find_tag("客户阶段", "已退款")
    relations = _fresh_relations(sandbox, refunded, 2)
    path = import_sheet(tmp_path / "a.xlsx", *([e, u, "已退款", ""] for u, e in relations))
    translations = Translations()
    translations.install(CHINESE)
    try:
        wizard = _wizard(qtbot, synced_context, path)
        assert "+ 客户阶段:已退款：2" in wizard.preview.text().split("<br>")
    finally:
        translations.uninstall()
    qtbot.waitUntil(lambda: "+ 客户阶段:已退款: 2" in wizard.preview.text().split("<br>"))


def test_browse_opens_in_the_folder_of_the_file_chosen_in_an_earlier_run_of_the_profile(
        qtbot: Any, synced_context: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The import window opened in the documents at each start, however deep the folder the
    week's spreadsheets were in: the folder of the last file chosen is kept in the settings,
    for each profile (another corp's files are elsewhere; it opened in the last folder of
    whichever profile had chosen a file last)."""
    home, sheets = tmp_path / "run", tmp_path / "客户" / "本周"
    home.mkdir()
    sheets.mkdir(parents=True)
    sheet = sheets / "导入.xlsx"
    sheet.write_bytes(b"")
    seen: list[Path] = []

    def choose(file: Path | None) -> None:
        shown = next(w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QFileDialog) and w.isVisible())
        seen.append(Path(shown.directory().absolutePath()))
        if file is None:
            shown.reject()
        else:
            name = shown.findChild(QLineEdit, "fileNameEdit")    # the file typed in
            assert isinstance(name, QLineEdit)
            name.setText(str(file))
            shown.accept()

    def browse_in_a_new_run(file: Path | None, profile: str = "test") -> ImportWizard:
        monkeypatch.setattr(file_dialogs, "_last_folder", [])
        monkeypatch.setattr(file_dialogs, "_kept_in", [])
        file_dialogs.keep_last_folder_in(Settings(home), profile)    # as the app does at start
        wizard = ImportWizard(synced_context)
        qtbot.addWidget(wizard)
        wizard.show()
        QTimer.singleShot(200, lambda: choose(file))
        qtbot.mouseClick(wizard.browse_button, Qt.MouseButton.LeftButton)
        return wizard

    assert browse_in_a_new_run(sheet).path_edit.text() == str(sheet)
    browse_in_a_new_run(None)
    assert seen[1] == sheets != seen[0]
    browse_in_a_new_run(None, "other")
    browse_in_a_new_run(None)
    assert seen[2:] == [seen[0], sheets]


def test_a_wrong_file_type_is_shown_and_nothing_can_be_imported(
        qtbot: Any, synced_context: Any, tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text("external_userid,add_tags\nwmX,VIP\n", encoding="utf-8")
    wizard = _wizard(qtbot, synced_context, path)
    model = wizard.problems
    assert model.rowCount() == 1
    assert model.data(model.index(0, 0)) == "" and "CSV" in model.data(model.index(0, 3))
    assert not wizard.import_button.isEnabled() and not wizard.only_valid.isVisible()
    assert wizard.summary.text().startswith("customers.csv: no row could be read (")
    assert "valid" not in wizard.summary.text()


def test_the_problems_start_on_a_cell_with_text_for_a_file_level_problem(
        qtbot: Any, synced_context: Any, tmp_path: Path) -> None:
    """A problem of the whole file has no row or column: the keyboard starts on its value,
    not on an empty cell drawn as current."""
    path = tmp_path / "customers.csv"
    path.write_text("external_userid,add_tags\nwmX,VIP\n", encoding="utf-8")
    wizard = _wizard(qtbot, synced_context, path)
    view = wizard.problem_view
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=5000)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=5000)
    current = view.currentIndex()
    assert current.isValid() and current.row() == 0
    assert current.data() == "customers.csv"


def test_tab_and_shift_tab_skip_the_empty_cells_of_a_file_level_problem(
        qtbot: Any, synced_context: Any, tmp_path: Path) -> None:
    """Tab went value → problem → suggestion, but Shift+Tab from the value went on to the
    empty row and column cells of a problem of the whole file, drawn as current with nothing
    in them: both ways now go through the cells with text only."""
    path = tmp_path / "customers.csv"
    path.write_text("external_userid,add_tags\nwmX,VIP\n", encoding="utf-8")
    wizard = _wizard(qtbot, synced_context, path)
    view = wizard.problem_view
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=5000)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=5000)
    for key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
        view.selectionModel().setCurrentIndex(
            wizard.problems.first_filled(0), QItemSelectionModel.SelectionFlag.NoUpdate)
        view.setFocus()
        reached = []
        for _ in range(6):
            qtbot.keyClick(QApplication.focusWidget(), key)
            if view.hasFocus():
                reached.append(view.currentIndex().data())
        assert "" not in reached and reached, (key, reached)


@pytest.mark.parametrize("rows", [[["external_userid", "备注"], ["wmX", "VIP"]],
                                  [["客户", "add_tags"], ["wmX", "VIP"]], []])
def test_a_file_problem_points_to_the_window_s_own_template_button(
        qtbot: Any, synced_context: Any, tmp_path: Path, rows: list[list[str]]) -> None:
    """A sheet without the tag columns, without a header or empty said to start from
    `tagdesk template`, a command, in the window that has 保存模板… on its first page."""
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / "sheet.xlsx"
    book.save(path)
    wizard = _wizard(qtbot, synced_context, path)
    suggestion = wizard.problems.index(0, 4).data()
    assert "保存模板…" in suggestion and "`" not in suggestion, suggestion


def test_a_file_without_one_valid_row_offers_no_valid_rows_to_import(
        qtbot: Any, synced_context: Any, tmp_path: Path) -> None:
    path = import_sheet(tmp_path / "a.xlsx", ["13800138000", "", "已发货", ""])
    wizard = _wizard(qtbot, synced_context, path)
    assert "0 valid, 1 with problems" in wizard.summary.text()
    assert "unless" not in wizard.summary.text() and not wizard.only_valid.isVisible()


def test_the_export_dialog_writes_the_chosen_group_columns(qtbot: Any, synced_context: Any,
                                                           tmp_path: Path) -> None:
    ids = synced_context.filter_engine.relation_ids("高意向")
    dialog = ExportDialog(synced_context, ids, "高意向")
    qtbot.addWidget(dialog)
    dialog.show()
    row = next(i for i in range(dialog.groups.count())
               if dialog.groups.item(i).text() == "客户等级")
    dialog.groups.item(row).setCheckState(Qt.CheckState.Checked)
    assert dialog.chosen_groups() == ["客户等级"]
    dialog.set_path(tmp_path / "high")
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result.rows == len(ids) and result.path == tmp_path / "high.xlsx"
    sheet = load_workbook(result.path)[SHEET_TITLE]
    assert "客户等级" in [c.value for c in sheet[1]] and sheet.max_row == len(ids) + 1
    assert str(len(ids)) in dialog.message.text()


def test_an_export_to_a_folder_that_cannot_exist_says_why(qtbot: Any, synced_context: Any,
                                                          tmp_path: Path) -> None:
    blocker = tmp_path / "report.txt"
    blocker.write_text("a file where the folder should be")
    dialog = ExportDialog(synced_context, synced_context.filter_engine.relation_ids("VIP"), "VIP")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_path(blocker / "out.xlsx")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.export_button.isEnabled, timeout=WAIT_MS)
    assert dialog.message.text() == (f"无法写入 {blocker / 'out.xlsx'}：路径中有一段是文件而不是"
                                     "文件夹。请换一个文件夹或文件名。")
    assert blocker.read_text() == "a file where the folder should be"
