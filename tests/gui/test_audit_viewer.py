"""The audit viewer on a real journal: its filters show exactly the rows `tagdesk audit list`
prints for the same criteria; batches, detail, jump, copy, export and revert."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypinyin import lazy_pinyin
from PySide6.QtCore import QDateTime, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QDialogButtonBox

from desktop.cli import main
from desktop.domain.errors import UserError
from desktop.domain.sort_key import person_sort_key, pinyin_sort_key
from desktop.resources import resource_path
from desktop.services import audit
from desktop.services.changes import ChangeSet
from desktop.services.profiles import ProfileStore
from desktop.services.sync import run_sync
from desktop.services.tag_admin import TagAdminService
from desktop.services.tagging import TaggingService
from desktop.services.workspace import Workspace
from desktop.store import journal, journal_query
from desktop.store.journal_query import PAGE_SIZE, journal_operators
from desktop.ui.audit_filter_bar import CUSTOM
from desktop.ui.audit_model import ROW_SORT_KEYS, BatchColumn, RowColumn, time_text
from desktop.ui.audit_viewer import AuditViewer, RevertDialog
from desktop.ui.batch_progress import BatchProgressPanel
from desktop.ui.i18n import CHINESE, ENGLISH, Translations
from desktop.ui.style import apply_style, ui_font
from tests.gui.qt_items import sort_arrow_points_down

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def _synced_template(_synced_template: Path,
                     tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The session's synced corp and cache, and then a journal that holds batches, changes
    seen at sync and a tree edit: made once for the module, each test starts from copies."""
    from desktop.sandbox import SandboxServer
    from tests.gui.conftest import PROFILE, _profile, _sandbox_config

    root = tmp_path_factory.mktemp("journal-template")
    shutil.copytree(_synced_template / "sandbox", root / "sandbox")
    shutil.copytree(_synced_template / "home" / "profiles" / PROFILE,
                    root / "home" / "profiles" / PROFILE)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TAGDESK_HOME", str(root / "home"))
        env.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
        env.setenv("XDG_DATA_HOME", str(root / "xdg"))
        with (SandboxServer(_sandbox_config(root / "sandbox")) as sandbox,
              Workspace(root / "home", _profile(sandbox), sandbox.secret) as ws):
            _write_journal(ws, sandbox, root / "home")
    yield root


def _write_journal(ws: Workspace, sandbox: Any, home: Path) -> None:
    tagging = TaggingService(ws)
    keen = sandbox.state.find_tag("意向程度", "高意向")
    vip = sandbox.state.find_tag("客户等级", "VIP")
    ids = [r[0] for r in ws.cache.connection().execute("SELECT id FROM relation ORDER BY id")]
    tagging.run(tagging.submit(tagging.plan(ids[:40], add=[keen]), source="batch"))
    tagging.run(tagging.submit(tagging.plan(ids[20:70], add=[vip], remove=[keen]),
                               source="import"))
    for external_userid, userid in ws.cache.connection().execute(
            "SELECT external_userid, userid FROM relation WHERE id IN (?, ?, ?, ?)",
            ids[200:204]).fetchall():
        sandbox.state.console_mark_tag(userid, external_userid, add=[vip])
    run_sync(ws.client(), ws.cache)
    other = sorted({u for u, _ in sandbox.state.relations()} - {ws.operator})[0]
    with Workspace(home, replace(ws.profile, userid=other), sandbox.secret,
                   exclusive=False) as colleague:
        theirs = TaggingService(colleague)
        theirs.run(theirs.submit(theirs.plan(ids[100:130], add=[keen]), source="app"))
    TagAdminService(ws).rename(sandbox.state.find_tag("意向程度", "低意向"), "意向较低")
    with ws.cache.write() as conn:             # last week's work, for the time filters
        journal.append(conn, [
            journal.JournalEntry(operator=other, action="tag_add", source="app",
                                 external_userid=external_userid, userid=userid, tag_id=vip,
                                 tag_name="VIP", group_name="客户等级", before="[]",
                                 after=json.dumps([vip]), ts=time.time() - 3 * 86400 + i)
            for i, (userid, external_userid) in enumerate(sorted(sandbox.state.relations())[:6])
        ])


@pytest.fixture
def journal_context(synced_context: Any, gui_home: Path) -> Any:
    """A context whose journal holds batches, changes seen at sync and a tree edit (a copy
    of the module's journal template)."""
    ProfileStore(gui_home).add(synced_context.workspace.profile)   # so that the CLI can open
    return synced_context                                          # the same cache


@pytest.fixture
def viewer(qtbot: Any, journal_context: Any) -> Iterator[AuditViewer]:
    view = AuditViewer(journal_context)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.filters.choicesLoaded, timeout=10000):
        pass
    _wait_rows(qtbot, view)
    yield view
    journal_context.wait_idle()


def _wait_rows(qtbot: Any, view: AuditViewer) -> None:
    qtbot.waitUntil(lambda: view.rows_model.complete
                    and view.rows_model.last is not None
                    and view.rows_model.last.flt == view.rows_model.journal_filter, timeout=10000)


def _apply(qtbot: Any, view: AuditViewer, change: Callable[[], None]) -> list[int]:
    with qtbot.waitSignal(view.rows_model.loaded, timeout=10000):
        change()
    return list(view.rows_model.ids)


def _cli_ids(home: Path, capsys: pytest.CaptureFixture[str], *options: str) -> list[int]:
    capsys.readouterr()
    code = main(["audit", "list", "--profile", "test", "--json", "--home", str(home), *options])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    return [json.loads(line)["id"] for line in lines[:-1]]


def test_viewer_filters_show_the_rows_audit_list_prints(
    qtbot: Any, viewer: AuditViewer, gui_home: Path, sandbox: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bar = viewer.filters
    ws = viewer.context.workspace
    owner = ws.operator
    keen = sandbox.state.find_tag("意向程度", "高意向")
    department = ws.cache.scalar("SELECT main_department FROM member WHERE userid = ?", (owner,))
    customer = ws.cache.scalar(
        "SELECT c.name FROM journal j JOIN customer c USING (external_userid) ORDER BY j.id")
    batch = ws.cache.scalar("SELECT batch_id FROM journal WHERE source = 'import'")
    assert isinstance(customer, str) and isinstance(batch, str)
    middle = datetime.fromtimestamp(int(time.time() - 86400)).strftime("%Y-%m-%d %H:%M:%S")

    def custom_range() -> None:
        bar.since_edit.setDateTime(QDateTime.fromString(middle, "yyyy-MM-dd HH:mm:ss"))
        bar.until_edit.setDateTime(QDateTime.currentDateTime().addDays(1))
        bar.choose(bar.period, CUSTOM)

    def customer_text() -> None:
        bar.customer.setText(customer[1:3])

    def batch_text() -> None:
        bar.batch.setText(batch)

    cases: list[tuple[str, Callable[[], None], list[str]]] = [
        ("operator", lambda: bar.choose(bar.operator, owner), ["--operator", owner]),
        ("source", lambda: bar.choose(bar.source, "observed"), ["--source", "observed"]),
        ("action", lambda: bar.choose(bar.action, "tag_remove"), ["--action", "tag_remove"]),
        ("tag", lambda: bar.choose(bar.tag, keen), ["--tag", keen]),
        ("group", lambda: bar.choose(bar.group, "意向程度"), ["--group", "意向程度"]),
        ("department", lambda: bar.choose(bar.department, department),
         ["--department", str(department)]),
        ("customer", customer_text, ["--customer", customer[1:3]]),
        ("batch", batch_text, ["--batch", batch]),
        ("time range", custom_range, ["--since", middle]),
    ]
    everything = _cli_ids(gui_home, capsys)
    assert list(viewer.rows_model.ids) == everything[::-1] and len(everything) > 100
    for name, change, options in cases:
        bar.clear()
        _wait_rows(qtbot, viewer)
        shown = _apply(qtbot, viewer, change)
        expected = _cli_ids(gui_home, capsys, *options)
        assert shown == expected[::-1], name
        assert 0 < len(shown) < len(everything), name
    combined = _apply(qtbot, viewer, lambda: bar.choose(bar.action, "tag_add"))
    assert combined == _cli_ids(gui_home, capsys, "--since", middle, "--action", "tag_add")[::-1]
    assert 0 < len(combined) < len(_cli_ids(gui_home, capsys, "--since", middle))


def test_rows_show_the_journal_and_the_detail_diffs_tag_names(
    qtbot: Any, viewer: AuditViewer, sandbox: Any
) -> None:
    bar = viewer.filters
    keen = sandbox.state.find_tag("意向程度", "高意向")
    names = {tag_id: name for (_, name), tag_id in sandbox.state.tag_ids_by_name().items()}
    _apply(qtbot, viewer, lambda: bar.choose(bar.source, "import"))
    _apply(qtbot, viewer, lambda: bar.choose(bar.tag, keen))
    model = viewer.rows_model
    first = model.row_at(0)
    assert first is not None and (first.source, first.action) == ("import", "tag_remove")
    assert model.index(0, RowColumn.TAG).data() == "高意向"
    assert model.index(0, RowColumn.SOURCE).data() == "Import"
    assert model.index(0, RowColumn.ACTION).data() == "Tag removed"
    viewer.select_row(0)
    shown = viewer.detail.toPlainText()
    before, after = set(json.loads(first.before)), set(json.loads(first.after))
    added = [line for line in shown.splitlines() if line.startswith("Added")]
    removed = [line for line in shown.splitlines() if line.startswith("Removed")]
    assert removed and "高意向" in removed[0]
    assert all(names[t] in added[0] for t in after - before)
    assert first.customer in shown
    with qtbot.waitSignal(viewer.customerRequested) as asked:
        viewer.customer_button.click()
    assert asked.args == [first.external_userid]

    bar.clear()
    _wait_rows(qtbot, viewer)
    _apply(qtbot, viewer, lambda: bar.choose(bar.action, "tag_rename"))
    viewer.select_row(0)
    rename = model.row_at(0)
    assert rename is not None and rename.action == "tag_rename"
    assert "低意向" in viewer.detail.toPlainText() and "意向较低" in viewer.detail.toPlainText()
    assert not viewer.customer_button.isEnabled()


def test_batch_lines_name_their_operators_like_the_rows_do(
    qtbot: Any, viewer: AuditViewer, journal_context: Any
) -> None:
    with qtbot.waitSignal(viewer.batches_model.loaded, timeout=10000):
        viewer.batches_button.click()
    operator = journal_context.operator
    (name,) = journal_context.cache.connection().execute(
        "SELECT name FROM member WHERE userid = ?", (operator,)).fetchone()
    row = next(i for i, line in enumerate(viewer.batches_model.lines)
               if line.operators == (operator,))
    assert viewer.batches_model.index(row, BatchColumn.OPERATORS).data() == f"{name} ({operator})"
    viewer.select_row(row)
    assert f"{name} ({operator})" in viewer.detail.toPlainText()


def test_batches_mode_folds_batches_into_lines_and_opens_one(
    qtbot: Any, viewer: AuditViewer
) -> None:
    with qtbot.waitSignal(viewer.batches_model.loaded, timeout=10000):
        viewer.batches_button.click()
    lines = viewer.batches_model.lines
    assert sum(line.rows for line in lines) == len(viewer.rows_model.ids)
    imported = next(i for i, line in enumerate(lines) if line.sources == ("import",))
    line = lines[imported]
    assert line.by_action["tag_add"] > 0 and line.by_action["tag_remove"] > 0
    assert any(not ln.batch_id and ln.sources == ("observed",) for ln in lines)
    viewer.select_row(imported)
    assert viewer.revert_button.isEnabled()
    assert str(line.rows) in viewer.batches_model.index(imported, 4).data()
    view = viewer.batches_view
    viewer.show()
    qtbot.waitExposed(viewer)
    view.scrollTo(viewer.batches_model.index(imported, 0))
    spot = view.visualRect(viewer.batches_model.index(imported, 0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    with qtbot.waitSignal(viewer.rows_model.loaded, timeout=10000):
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert viewer.rows_button.isChecked() and viewer.drill_label.isVisibleTo(viewer)
    rows = viewer.rows_model.rows_at(range(len(viewer.rows_model.ids)))
    assert len(rows) == line.rows and {r.batch_id for r in rows} == {line.batch_id}


def test_ctrl_c_puts_the_selected_rows_on_the_clipboard(
    qtbot: Any, viewer: AuditViewer
) -> None:
    viewer.show()
    qtbot.waitExposed(viewer)
    view = viewer.rows_view
    view.setFocus()
    view.selectRow(0)
    selection = view.selectionModel()
    selection.select(viewer.rows_model.index(2, 0),
                     selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].split("\t")[:3] == ["Time", "Operator", "Action"]
    assert len(lines) == 3
    first, third = viewer.rows_model.row_at(0), viewer.rows_model.row_at(2)
    assert first is not None and third is not None
    assert lines[1].split("\t")[RowColumn.TAG] == first.tag_name
    assert lines[2].split("\t")[RowColumn.CUSTOMER] == (third.customer or third.external_userid)


def test_export_of_the_current_view_round_trips(
    qtbot: Any, viewer: AuditViewer, tmp_path: Path
) -> None:
    bar = viewer.filters
    shown = _apply(qtbot, viewer, lambda: bar.choose(bar.action, "tag_add"))
    target = tmp_path / "view.xlsx"
    with qtbot.waitSignal(viewer.exported, timeout=10000) as done:
        viewer.export_to(target)
    assert done.args == [str(target), len(shown)]
    sheet = load_workbook(target).worksheets[0]
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ids == sorted(shown)


def test_an_export_that_cannot_be_written_says_why_in_the_window_s_language(
    qtbot: Any, viewer: AuditViewer, tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file, not a folder", encoding="utf-8")
    viewer.export_to(not_a_folder / "log.xlsx")
    qtbot.waitUntil(lambda: "无法写入" in viewer.notice.text(), timeout=10000)
    assert "Cannot write" not in viewer.notice.text()
    assert "请换一个文件夹或文件名" in viewer.notice.text()


@pytest.mark.parametrize(("language", "title"), [
    (ENGLISH, "Revert batch {}"), (CHINESE, "回滚 批次 {}")])
def test_the_revert_window_names_the_batch_inside_its_title(
        qtbot: Any, viewer: AuditViewer, language: str, title: str) -> None:
    """"Revert Batch 20261207-…" in English: the batch was capitalised as if it began the
    title, where the revert's progress line reads "Revert batch 20261207-…"."""
    ws = viewer.context.workspace
    batch = ws.cache.scalar("SELECT batch_id FROM journal WHERE source = 'import'")
    assert isinstance(batch, str)
    preview = audit.preview_batch_revert(ws.cache, viewer.context.tagging, batch)
    translations = Translations()
    translations.install(language)
    try:
        dialog = RevertDialog(preview, {})
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == title.format(batch)
    finally:
        translations.uninstall()


def test_a_reverted_batch_says_which_batch_reverted_it_and_when(
        qtbot: Any, viewer: AuditViewer) -> None:
    """Revert an import, then open it in 批次: it read 已完成 and nothing else,
    as if its tags still stood."""
    bar = viewer.filters
    batch = viewer.context.workspace.cache.scalar(
        "SELECT batch_id FROM journal WHERE source = 'import'")
    assert isinstance(batch, str)
    _apply(qtbot, viewer, lambda: bar.batch.setText(batch))
    viewer.select_row(0)
    viewer.revert_button.click()
    qtbot.waitUntil(lambda: viewer.revert_dialog is not None, timeout=10000)
    assert viewer.revert_dialog is not None
    with qtbot.waitSignal(viewer.reverted, timeout=20000) as done:
        viewer.revert_dialog.accept()
    revert = done.args[0].batch_id
    with qtbot.waitSignal(viewer.batches_model.loaded, timeout=10000):
        viewer.batches_button.click()
    qtbot.waitUntil(lambda: any(line.batch_id == batch
                                for line in viewer.batches_model.lines), timeout=10000)
    row = next(i for i, line in enumerate(viewer.batches_model.lines) if line.batch_id == batch)
    viewer.select_row(row)
    when = viewer.context.workspace.cache.scalar(
        "SELECT created_at FROM batch WHERE id = ?", (revert,))
    assert isinstance(when, float)
    assert f"Reverted by batch {revert} · {time_text(when)}" in viewer.detail.toPlainText()


def test_revert_a_batch_from_the_viewer(qtbot: Any, viewer: AuditViewer, sandbox: Any) -> None:
    bar = viewer.filters
    ws = viewer.context.workspace
    batch = ws.cache.scalar("SELECT batch_id FROM journal WHERE source = 'import'")
    assert isinstance(batch, str)
    changed = ws.cache.query("SELECT external_userid, userid, action, tag_id FROM journal"
                             " WHERE batch_id = ?", (batch,))
    keys = {(r["userid"], r["external_userid"]) for r in changed}
    vip = sandbox.state.find_tag("客户等级", "VIP")
    assert all(vip in sandbox.state.relation_tag_ids(*key) for key in keys)
    _apply(qtbot, viewer, lambda: bar.batch.setText(batch))
    viewer.select_row(0)
    viewer.revert_button.click()
    qtbot.waitUntil(lambda: viewer.revert_dialog is not None, timeout=10000)
    dialog = viewer.revert_dialog
    assert dialog is not None and dialog.ok_button.isEnabled()
    assert f"{len(keys)} relations will be restored; 0 cannot" in dialog.summary.text()
    with qtbot.waitSignal(viewer.reverted, timeout=20000) as done:
        dialog.accept()
    result = done.args[0]
    assert result.applied == len(keys)
    progress = viewer.revert_progress       # a real progress bar, with pause and cancel
    assert progress is not None and progress.isVisible()
    panel = progress.findChild(BatchProgressPanel)
    assert panel is not None
    assert panel.bar.value() == panel.bar.maximum() == len(keys)
    assert panel.state == "done" and "Done." in panel.message.text()
    limit = viewer.context.workspace.profile.calls_per_minute
    assert f"{len(keys)} of {limit:,} calls/min" in panel.counts.text()
    assert f"{len(keys)} restored, 0 failed" in viewer.notice.text()
    # what is reverted, not the revert's own batch (which the panel's first line names)
    assert batch in progress.windowTitle() and result.batch_id not in progress.windowTitle()
    assert batch in viewer.notice.text() and result.batch_id not in viewer.notice.text()
    assert result.batch_id != batch and result.batch_id in panel.title.text()
    close = progress.findChild(QDialogButtonBox)  # a window of its own needs a way out
    assert close is not None and close.button(QDialogButtonBox.StandardButton.Close)
    close.button(QDialogButtonBox.StandardButton.Close).click()
    assert not progress.isVisible()
    given = {(r["userid"], r["external_userid"]) for r in changed
             if (r["action"], r["tag_id"]) == ("tag_add", vip)}
    assert given and not any(vip in sandbox.state.relation_tag_ids(*key) for key in given)
    bar.batch.clear()
    reverted = _apply(qtbot, viewer, lambda: bar.choose(bar.source, "revert"))
    rows = viewer.rows_model.rows_at(range(len(reverted)))
    inverse = {"tag_add": "tag_remove", "tag_remove": "tag_add"}
    assert sorted((r.external_userid, r.userid, r.action, r.tag_id) for r in rows) == sorted(
        (r["external_userid"], r["userid"], inverse[r["action"]], r["tag_id"]) for r in changed)
    _apply(qtbot, viewer, bar.clear)
    _apply(qtbot, viewer, lambda: bar.batch.setText(batch))   # the same batch, once more
    viewer.select_row(0)
    viewer.revert_dialog = None
    viewer.revert_button.click()
    qtbot.waitUntil(lambda: viewer.revert_dialog is not None, timeout=10000)
    again = viewer.revert_dialog
    assert again is not None and not again.ok_button.isEnabled()
    assert f"{len(keys)} relations already carry the tags they had before." in again.summary.text()
    assert "There is nothing to revert." in again.summary.text()
    assert "Will restore" not in again.listing.toPlainText()
    again.reject()


def test_a_revert_waiting_after_its_pilot_says_so_under_the_log(
        qtbot: Any, viewer: AuditViewer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The log's line said "Reverting…" while the revert's pilot was through and nothing ran
    until someone continued it in the progress window."""
    workspace = viewer.context.workspace
    monkeypatch.setattr(workspace, "profile", replace(workspace.profile, pilot_size=5))
    batch = workspace.cache.scalar("SELECT batch_id FROM journal WHERE source = 'import'")
    assert isinstance(batch, str)
    _apply(qtbot, viewer, lambda: viewer.filters.batch.setText(batch))
    viewer.select_row(0)
    viewer.revert_button.click()
    qtbot.waitUntil(lambda: viewer.revert_dialog is not None, timeout=10000)
    dialog = viewer.revert_dialog
    assert dialog is not None
    dialog.accept()
    qtbot.waitUntil(lambda: viewer.revert_progress is not None, timeout=10000)
    progress = viewer.revert_progress
    assert progress is not None
    panel = progress.findChild(BatchProgressPanel)
    assert panel is not None
    qtbot.waitUntil(lambda: panel.state == "pilot_done", timeout=20000)
    assert batch in viewer.notice.text() and viewer.notice.text().endswith(
        ": the pilot is through (5 restored); continue or cancel the rest in its window")
    with qtbot.waitSignal(viewer.reverted, timeout=20000):
        panel.continue_button.click()
    assert "restored, 0 failed" in viewer.notice.text()


def test_the_revert_window_says_why_a_relation_cannot_be_restored_in_one_language(
        qtbot: Any, viewer: AuditViewer, sandbox: Any) -> None:
    ws, tagging = viewer.context.workspace, viewer.context.tagging
    batch = ws.cache.scalar("SELECT batch_id FROM journal WHERE source = 'import'")
    vip = sandbox.state.find_tag("客户等级", "VIP")
    (relation_id,) = ws.cache.connection().execute(
        "SELECT r.id FROM journal j JOIN relation r ON r.userid = j.userid AND"
        " r.external_userid = j.external_userid WHERE j.batch_id = ? AND j.action = 'tag_add'"
        " LIMIT 1", (batch,)).fetchone()
    tagging.run(tagging.submit(tagging.plan([relation_id], remove=[vip]), source="app"))
    _apply(qtbot, viewer, lambda: viewer.filters.batch.setText(str(batch)))
    viewer.select_row(0)
    viewer.revert_button.click()
    qtbot.waitUntil(lambda: viewer.revert_dialog is not None, timeout=10000)
    dialog = viewer.revert_dialog
    assert dialog is not None
    listing = dialog.listing.toPlainText()
    assert "此后标签又被修改过" in listing and "changed again since" not in listing, listing
    names = dict(ws.cache.connection().execute("SELECT userid, name FROM member"))
    owners = {userid for userid, in ws.cache.connection().execute(
        "SELECT DISTINCT userid FROM journal WHERE batch_id = ?", (batch,))}
    for userid in owners:   # owners by name and userid, as the viewer's columns show them
        assert f"· {names[userid]} ({userid})" in listing, listing
    dialog.reject()


def test_a_missing_row_shows_in_place(qtbot: Any, viewer: AuditViewer) -> None:
    conn = sqlite3.connect(viewer.context.cache.path)
    conn.execute("DROP TRIGGER journal_no_delete")
    conn.execute("DELETE FROM journal WHERE id = 3")
    conn.commit()
    conn.close()
    model = viewer.rows_model
    with qtbot.waitSignal(model.loaded, timeout=10000):
        model.refresh()
    row = list(model.ids).index(3)
    assert "row 3 is missing" in model.index(row, 0).data()


def test_models_pass_the_model_tester(
    qtbot: Any, qtmodeltester: Any, viewer: AuditViewer
) -> None:
    qtmodeltester.check(viewer.rows_model)
    with qtbot.waitSignal(viewer.batches_model.loaded, timeout=10000):
        viewer.batches_button.click()
    assert viewer.batches_model.rowCount() > 3
    qtmodeltester.check(viewer.batches_model)


def test_changes_seen_at_sync_show_no_operator_and_match_one_only_when_asked(
    qtbot: Any, viewer: AuditViewer, gui_home: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    bar = viewer.filters
    ws = viewer.context.workspace
    seen = _apply(qtbot, viewer, lambda: bar.choose(bar.source, "observed"))
    assert seen
    row = viewer.rows_model.row_at(0)
    assert row is not None and row.operator == "" and row.probable_operator == row.userid
    shown = viewer.rows_model.index(0, RowColumn.OPERATOR).data()
    assert shown.startswith("WeCom client / unknown, seen at sync (probably ")
    assert row.probable_operator in shown and ws.operator not in shown.split("probably")[0]
    tip = viewer.rows_model.index(0, RowColumn.TIME).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("made between ")

    follower = row.probable_operator       # the probable operator never acted in TagDesk
    bar.clear()
    _wait_rows(qtbot, viewer)
    only_acts = _apply(qtbot, viewer, lambda: bar.choose(bar.operator, follower))
    assert only_acts == _cli_ids(gui_home, capsys, "--operator", follower)[::-1]
    assert not set(only_acts) & set(seen)
    asked = _apply(qtbot, viewer, lambda: bar.include_observed.setChecked(True))
    assert asked == _cli_ids(gui_home, capsys, "--operator", follower,
                             "--include-observed")[::-1]
    assert row.id in asked


def test_batch_ids_are_shown_in_full(qtbot: Any, viewer: AuditViewer) -> None:
    viewer.show()
    qtbot.waitExposed(viewer)
    row = next(r for r in viewer.rows_model.rows_at(range(20)) if r.batch_id)
    metrics = viewer.rows_view.fontMetrics()
    assert viewer.rows_view.columnWidth(RowColumn.BATCH) > metrics.horizontalAdvance(
        row.batch_id) + 8
    assert viewer.batches_view.columnWidth(BatchColumn.BATCH) > metrics.horizontalAdvance(
        row.batch_id) + 8
    digit = max("0123456789", key=metrics.horizontalAdvance)       # the widest any id can be
    hex_digit = max("0123456789abcdef", key=metrics.horizontalAdvance)
    widest = metrics.horizontalAdvance(f"{digit * 8}-{digit * 6}-{hex_digit * 6}")
    assert viewer.rows_view.columnWidth(RowColumn.BATCH) > widest + 8
    assert viewer.batches_view.columnWidth(BatchColumn.BATCH) > widest + 8


@pytest.mark.parametrize("language", [CHINESE, "en"])
def test_a_day_s_line_of_changes_not_in_a_batch_is_shown_whole(
        qtbot: Any, qapp: Any, journal_context: Any, language: str) -> None:
    """The Batch column was as wide as a batch id: in English, in the app's font and style,
    a day's line of changes not in a batch read "2026-12-07 · not in a bat…"."""
    translations, font, sheet = Translations(), qapp.font(), qapp.styleSheet()
    translations.install(language)
    qapp.setFont(ui_font(font))
    qapp.setStyleSheet(resource_path("style/tagdesk.qss").read_text(encoding="utf-8"))
    try:
        viewer = AuditViewer(journal_context)
        qtbot.addWidget(viewer)
        viewer.show()
        qtbot.waitExposed(viewer)
        with qtbot.waitSignal(viewer.batches_model.loaded, timeout=10000):
            viewer.batches_button.click()
        day = next(i for i, line in enumerate(viewer.batches_model.lines) if not line.batch_id)
        text = viewer.batches_model.index(day, BatchColumn.BATCH).data()
        assert text.endswith("非批次操作" if language == CHINESE else "not in a batch")
        view = viewer.batches_view
        assert view.columnWidth(BatchColumn.BATCH) >= view.sizeHintForColumn(BatchColumn.BATCH)
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setFont(font)
        translations.uninstall()
        journal_context.wait_idle()


def test_people_columns_show_name_and_userid_whole(qtbot: Any, viewer: AuditViewer) -> None:
    viewer.show()
    qtbot.waitExposed(viewer)
    metrics = viewer.rows_view.fontMetrics()
    rows = viewer.rows_model
    for column in (RowColumn.OPERATOR, RowColumn.OWNER):
        texts = {str(rows.index(n, column).data() or "") for n in range(min(rows.rowCount(), 40))}
        people = {text for text in texts if text.count("(") == 1}     # "袁浩丽 (yuanhaoli)"
        assert people, texts
        widest = max(people, key=metrics.horizontalAdvance)
        assert viewer.rows_view.columnWidth(column) > metrics.horizontalAdvance(widest) + 8
    assert viewer.batches_view.columnWidth(BatchColumn.OPERATORS) == viewer.rows_view.columnWidth(
        RowColumn.OPERATOR)


def test_the_operator_filter_lists_who_acted_first_and_finds_them_by_pinyin(
    qtbot: Any, viewer: AuditViewer
) -> None:
    bar = viewer.filters
    ws = viewer.context.workspace
    acted = set(journal_operators(ws.cache))
    people = [bar.operator.itemData(i) for i in range(1, bar.operator.count())]
    assert len(people) > len(acted) >= 2
    assert set(people[: len(acted)]) == acted
    name = str(ws.cache.scalar("SELECT name FROM member WHERE userid = ?", (ws.operator,)))
    initials = "".join(syllable[0] for syllable in lazy_pinyin(name))
    text = bar.operator.itemText(bar.operator.findData(ws.operator))
    assert text in bar._people.matches(initials)[:3]
    viewer.show()
    qtbot.waitExposed(viewer)
    line = bar.operator.lineEdit()
    assert line is not None
    line.clear()
    qtbot.keyClicks(line, initials)
    popup = bar._people.popup()
    qtbot.waitUntil(lambda: popup is not None and popup.isVisible(), timeout=5000)
    with qtbot.waitSignal(viewer.rows_model.loaded, timeout=10000):
        bar._people.activated.emit(text)
    assert viewer.current_filter().operators == (ws.operator,)


def test_a_click_in_a_searchable_filter_showing_all_replaces_it_with_what_is_typed(
    qtbot: Any, viewer: AuditViewer
) -> None:
    """A click in 操作人 put the caret after "所有操作人": typing a name's pinyin read
    "所有操作人tangx", found no one and filtered nothing. The "all" text is selected on a
    click or Tab into the box, so what is typed replaces it; a name chosen stays as it is."""
    bar = viewer.filters
    ws = viewer.context.workspace
    name = str(ws.cache.scalar("SELECT name FROM member WHERE userid = ?", (ws.operator,)))
    initials = "".join(syllable[0] for syllable in lazy_pinyin(name))
    viewer.show()
    qtbot.waitExposed(viewer)
    for box in (bar.operator, bar.tag, bar.group):
        line = box.lineEdit()
        assert line is not None and box.currentIndex() == 0
        qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=line.rect().center())
        qtbot.waitUntil(line.hasSelectedText, timeout=5000)
        assert line.selectedText() == box.itemText(0)
    line = bar.operator.lineEdit()
    assert line is not None
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=line.rect().center())
    qtbot.waitUntil(line.hasSelectedText, timeout=5000)
    qtbot.keyClicks(line, initials)
    assert line.text() == initials
    popup = bar._people.popup()
    qtbot.waitUntil(lambda: popup is not None and popup.isVisible(), timeout=5000)


def test_the_filter_lists_open_wide_enough_for_every_name(qtbot: Any,
                                                          viewer: AuditViewer) -> None:
    bar = viewer.filters
    viewer.show()
    qtbot.waitExposed(viewer)
    for combo in (bar.operator, bar.department, bar.tag, bar.group):
        combo.setMaximumWidth(90)                       # a box narrower than its names
        view = combo.view()
        combo.showPopup()
        qtbot.waitUntil(view.isVisible, timeout=5000)
        assert view.viewport().width() >= view.sizeHintForColumn(0), combo
        combo.hidePopup()
    line = bar.operator.lineEdit()
    assert line is not None
    line.clear()
    ws = viewer.context.workspace
    name = str(ws.cache.scalar("SELECT name FROM member WHERE userid = ?", (ws.operator,)))
    qtbot.keyClicks(line, lazy_pinyin(name)[0])
    popup = bar._people.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible, timeout=5000)
    assert popup.viewport().width() >= popup.sizeHintForColumn(0)
    popup.hide()


def test_the_filters_fit_a_window_of_800_by_600(qtbot: Any, viewer: AuditViewer) -> None:
    from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QLabel

    viewer.show()
    qtbot.waitExposed(viewer)
    bar = viewer.filters
    assert viewer.minimumSizeHint().width() <= 800        # a window manager lets it be
    for width in (800, 1200):
        viewer.resize(width, 600)
        qtbot.waitUntil(lambda w=width: viewer.width() == w, timeout=5000)
        qtbot.waitUntil(lambda w=width: bar.width() > w - 40, timeout=5000)
        cut = [widget.text() if isinstance(widget, QLabel | QCheckBox) else type(widget).__name__
               for widget in [*bar.labels, bar.since_edit, bar.until_edit, bar.include_observed,
                              bar.clear_button]
               if isinstance(widget, QLabel | QCheckBox | QDateTimeEdit)
               and widget.width() < widget.sizeHint().width()]
        assert cut == [], (width, cut)


def _click_header(qtbot: Any, view: Any, section: int) -> None:
    header = view.horizontalHeader()
    spot = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(spot, header.height() // 2))


def test_a_click_on_a_changes_header_sorts_every_matching_row_in_sql(
    qtbot: Any, viewer: AuditViewer, journal_context: Any
) -> None:
    viewer.show()
    qtbot.waitExposed(viewer)
    model, view = viewer.rows_model, viewer.rows_view
    newest_first = list(model.ids)
    view.scrollTo(model.index(0, RowColumn.OPERATOR))
    with qtbot.waitSignal(model.loaded, timeout=10000):
        _click_header(qtbot, view, RowColumn.OPERATOR)
    assert view.horizontalHeader().sortIndicatorSection() == RowColumn.OPERATOR
    rows = model.rows_at(range(model.rowCount()))
    keys = ["" if row.observed else person_sort_key(row.operator_name) for row in rows]
    assert keys == sorted(keys) and len(set(keys)) > 2   # unknown, then 李 before 张
    assert sorted(model.ids) == sorted(newest_first)
    assert list(model.ids) == list(journal_query.sorted_ids(
        journal_context.cache, model.journal_filter, "operator", False))
    with qtbot.waitSignal(model.loaded, timeout=10000):
        _click_header(qtbot, view, RowColumn.TIME)
    with qtbot.waitSignal(model.loaded, timeout=10000):
        _click_header(qtbot, view, RowColumn.TIME)   # again: the other direction
    descending = view.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert list(model.ids) == (newest_first if descending else newest_first[::-1])
    assert model.order == (RowColumn.TIME, view.horizontalHeader().sortIndicatorOrder())


@pytest.mark.parametrize("column", [RowColumn.TAG, RowColumn.CUSTOMER])
def test_a_new_sort_shows_its_first_page_before_every_id_is_sorted(
    qtbot: Any, viewer: AuditViewer, journal_context: Any, monkeypatch: pytest.MonkeyPatch,
    column: RowColumn,
) -> None:
    model, reader = viewer.rows_model, journal_context.journal
    every_id_sorted = threading.Event()
    sort_every_id = reader.sorted_ids

    def held_back(*args: Any) -> Any:
        every_id_sorted.wait(10)
        return sort_every_id(*args)

    monkeypatch.setattr(reader, "sorted_ids", held_back)
    with qtbot.waitSignal(model.modelReset, timeout=10000):
        model.sort(column, Qt.SortOrder.DescendingOrder)
    first = list(model.ids)
    assert not model.complete and 0 < len(first) <= PAGE_SIZE
    assert model.row_at(0) is not None   # the rows came with the page
    with qtbot.waitSignal(model.loaded, timeout=10000):
        every_id_sorted.set()
    assert list(model.ids)[:len(first)] == first
    assert list(model.ids) == list(journal_query.sorted_ids(
        journal_context.cache, model.journal_filter, ROW_SORT_KEYS[column], True))


def test_a_first_page_that_cannot_be_read_leaves_the_whole_sort_to_show(
    qtbot: Any, viewer: AuditViewer, journal_context: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    model, reader = viewer.rows_model, journal_context.journal

    def refused(*_args: Any) -> None:
        raise UserError("团队服务器较旧。", "The team server is older.")   # no such action

    monkeypatch.setattr(reader, "sorted_first_page", refused)
    failures: list[BaseException] = []
    model.failed.connect(failures.append)
    with qtbot.waitSignal(model.loaded, timeout=10000):
        model.sort(RowColumn.TAG, Qt.SortOrder.AscendingOrder)
    journal_context.wait_idle()
    assert failures == [] and list(model.ids) == list(journal_query.sorted_ids(
        journal_context.cache, model.journal_filter, "tag", False))


def test_sorts_given_up_for_a_newer_one_stop_reading_instead_of_sorting_to_the_end(
    qtbot: Any, viewer: AuditViewer, journal_context: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Clicks on three headers in a row: the reads of the first two, begun or still queued,
    stop; only the last sort's are read to the end (at a million rows each whole sort takes
    seconds of a core, and the last sort's rows waited for all of them)."""
    model, reader = viewer.rows_model, journal_context.journal
    go = threading.Event()
    read_to_the_end: list[str] = []

    def held_back(name: str) -> Callable[..., Any]:
        read = getattr(reader, name)

        def wait_then_read(flt: Any, key: str, *args: Any) -> Any:
            go.wait(10)
            rows = read(flt, key, *args)
            read_to_the_end.append(f"{name} {key}")
            return rows
        return wait_then_read

    for name in ("sorted_ids", "sorted_first_page"):
        monkeypatch.setattr(reader, name, held_back(name))
    model.sort(RowColumn.TAG, Qt.SortOrder.AscendingOrder)
    model.sort(RowColumn.CUSTOMER, Qt.SortOrder.AscendingOrder)
    model.sort(RowColumn.OPERATOR, Qt.SortOrder.DescendingOrder)
    with qtbot.waitSignal(model.loaded, timeout=10000):
        go.set()
    journal_context.wait_idle()
    assert sorted(read_to_the_end) == ["sorted_first_page operator", "sorted_ids operator"]
    assert list(model.ids) == list(journal_query.sorted_ids(
        journal_context.cache, model.journal_filter, "operator", True))


@pytest.fixture
def app_style(qapp: Any) -> Iterator[None]:
    """The app's look (style, font, palette, style sheet) as `tagdesk` applies it."""
    font, palette = qapp.font(), qapp.palette()
    apply_style(qapp)
    yield
    qapp.styleHints().colorSchemeChanged.disconnect()
    qapp.setStyleSheet("")
    qapp.setFont(font)
    qapp.setPalette(palette)


def _header_image(qtbot: Any, view: Any) -> QImage:
    qtbot.wait(50)
    return view.horizontalHeader().grab().toImage()


def test_the_time_header_s_arrow_points_down_while_the_newest_come_first(
    qtbot: Any, app_style: None, viewer: AuditViewer
) -> None:
    viewer.show()
    qtbot.waitExposed(viewer)
    model, view = viewer.rows_model, viewer.rows_view
    assert model.order == (RowColumn.TIME, Qt.SortOrder.DescendingOrder)
    ids = list(model.ids)
    assert ids == sorted(ids, reverse=True) != sorted(ids)             # newest first
    newest_first = _header_image(qtbot, view)
    with qtbot.waitSignal(model.loaded, timeout=10000):
        _click_header(qtbot, view, RowColumn.TIME)
    assert list(model.ids) == sorted(ids)                               # oldest first
    assert sort_arrow_points_down(newest_first, _header_image(qtbot, view),
                                  view.horizontalHeader(), RowColumn.TIME)

    with qtbot.waitSignal(viewer.batches_model.loaded, timeout=10000):
        viewer.batches_button.click()
    lines, view = viewer.batches_model, viewer.batches_view
    assert [line.last_ts for line in lines.lines] == sorted(
        (line.last_ts for line in lines.lines), reverse=True)
    newest_first = _header_image(qtbot, view)
    _click_header(qtbot, view, BatchColumn.LAST)
    assert [line.last_ts for line in lines.lines] == sorted(line.last_ts for line in lines.lines)
    assert sort_arrow_points_down(newest_first, _header_image(qtbot, view),
                                  view.horizontalHeader(), BatchColumn.LAST)


def test_a_click_on_a_batches_header_sorts_the_loaded_lines(
    qtbot: Any, viewer: AuditViewer
) -> None:
    with qtbot.waitSignal(viewer.batches_model.loaded, timeout=10000):
        viewer.batches_button.click()
    viewer.show()
    qtbot.waitExposed(viewer)
    model = viewer.batches_model
    viewer.select_row(0)
    chosen = model.lines[0]
    _click_header(qtbot, viewer.batches_view, BatchColumn.ROWS)
    rows = [line.rows for line in model.lines]
    assert rows == sorted(rows) != [line.rows for line in sorted(
        model.lines, key=lambda line: line.last_ts, reverse=True)]
    assert viewer.selected_rows() == [model.lines.index(chosen)]   # the selection follows
    _click_header(qtbot, viewer.batches_view, BatchColumn.ROWS)
    assert [line.rows for line in model.lines] == sorted(rows, reverse=True)


def test_the_detail_writes_chinese_colons_in_chinese(qtbot: Any, viewer: AuditViewer) -> None:
    translations = Translations()
    try:
        translations.install(CHINESE)
        with qtbot.waitSignal(viewer.batches_model.loaded, timeout=10000):
            viewer.batches_button.click()
        lines = viewer.batches_model.lines
        viewer.select_row(next(i for i, ln in enumerate(lines) if ln.sources == ("import",)))
        shown = viewer.detail.toPlainText()
        assert "添加标签：" in shown and ": " not in shown, shown
        with qtbot.waitSignal(viewer.rows_model.loaded, timeout=10000):
            viewer.rows_button.click()
        viewer.select_row(0)
        shown = viewer.detail.toPlainText()
        assert "客户：" in shown and ": " not in shown, shown
    finally:
        translations.uninstall()


def test_the_batches_view_keeps_its_count_when_new_rows_arrive(
    qtbot: Any, viewer: AuditViewer
) -> None:
    """Newer rows (another desktop's, a revert's) reload the changes behind the batches
    view too: the count above it still counts batches, not changes."""
    viewer.show()
    qtbot.waitExposed(viewer)
    with qtbot.waitSignal(viewer.batches_model.loaded, timeout=10000):
        viewer.batches_button.click()
    batches = len(viewer.batches_model.lines)
    assert viewer.status.text() == f"{batches} batches"
    with qtbot.waitSignal(viewer.batches_model.loaded, timeout=10000), \
            qtbot.waitSignal(viewer.rows_model.loaded, timeout=10000):
        viewer._newer_on_server()
    assert viewer.status.text() == f"{batches} batches"


def test_a_reloaded_batches_view_keeps_the_line_selected_or_shows_no_stale_detail(
    qtbot: Any, viewer: AuditViewer
) -> None:
    """A reload (newer rows, a finished revert) selects the same line again (here a day's
    changes outside a batch), with its detail; a line the reload no longer has leaves no
    detail describing it."""
    viewer.show()
    qtbot.waitExposed(viewer)
    with qtbot.waitSignal(viewer.batches_model.loaded, timeout=10000):
        viewer.batches_button.click()
    last = len(viewer.batches_model.lines) - 1
    line = viewer.batches_model.lines[last]
    viewer.select_row(last)
    assert not line.batch_id
    described = viewer.detail.toPlainText()
    assert described
    with qtbot.waitSignal(viewer.batches_model.loaded, timeout=10000):
        viewer.batches_model.set_filter(viewer.batches_model.journal_filter)
    assert viewer.selected_rows() == [viewer.batches_model.lines.index(line)]
    assert viewer.detail.toPlainText() == described
    others = [ln for ln in viewer.batches_model.lines if ln.sources != line.sources]
    with qtbot.waitSignal(viewer.batches_model.loaded, timeout=10000):
        viewer.batches_model.set_filter(replace(viewer.batches_model.journal_filter,
                                                sources=others[0].sources))
    assert not viewer.selected_rows() and viewer.detail.toPlainText() == ""


def test_a_batch_reverted_from_the_batches_view_stays_selected_beside_its_revert(
    qtbot: Any, viewer: AuditViewer
) -> None:
    """After a revert the batches are read again with the revert's line among them: the
    reverted batch stays selected, its detail shown, so the two can be compared."""
    viewer.show()
    qtbot.waitExposed(viewer)
    with qtbot.waitSignal(viewer.batches_model.loaded, timeout=10000):
        viewer.batches_button.click()
    imported = next(i for i, line in enumerate(viewer.batches_model.lines)
                    if line.sources == ("import",))
    batch = viewer.batches_model.lines[imported].batch_id
    viewer.select_row(imported)
    described = viewer.detail.toPlainText()
    viewer.revert_button.click()
    qtbot.waitUntil(lambda: viewer.revert_dialog is not None, timeout=10000)
    dialog = viewer.revert_dialog
    assert dialog is not None
    with qtbot.waitSignal(viewer.reverted, timeout=20000), \
            qtbot.waitSignal(viewer.batches_model.loaded, timeout=20000):
        dialog.accept()
    lines = viewer.batches_model.lines
    assert any(line.sources == ("revert",) for line in lines)
    assert [lines[row].batch_id for row in viewer.selected_rows()] == [batch]
    revert = next(line.batch_id for line in lines if line.sources == ("revert",))
    shown = viewer.detail.toPlainText()     # as before, and now which batch reverted it
    assert shown.replace(next(t for t in shown.splitlines() if revert in t) + "\n", "") == (
        described)
    assert viewer.revert_button.isEnabled() and viewer.selected_batch_id() == batch


def test_changes_selected_stay_selected_when_newer_rows_arrive_or_the_sort_changes(
    qtbot: Any, viewer: AuditViewer
) -> None:
    """Tags set in the main window put newer rows above the changes selected: the same
    changes stay selected (lower down), the current one with its detail, and so through a
    new sort; a filter that leaves them out leaves no selection and no detail."""
    viewer.show()
    qtbot.waitExposed(viewer)
    model = viewer.rows_model
    viewer.select_row(3)
    described = viewer.detail.toPlainText()
    assert described
    chosen = viewer.rows_view.selectionModel()
    chosen.select(model.index(5, 0), chosen.SelectionFlag.Select | chosen.SelectionFlag.Rows)
    kept = [model.ids[3], model.ids[5]]
    context = viewer.context
    ids = [r[0] for r in context.cache.connection().execute(
        "SELECT id FROM relation ORDER BY id DESC LIMIT 4")]
    vip = next(iter(context.tagging.resolve_tag_names(["VIP"])))
    context.tagging.run(context.tagging.submit(context.tagging.plan(ids, add=[vip])))
    with qtbot.waitSignal(model.loaded, timeout=10000):
        context.publish(ChangeSet(journal_appended=True))
    assert model.ids[0] not in kept
    assert [model.ids[row] for row in viewer.selected_rows()] == kept
    assert model.ids[viewer.rows_view.currentIndex().row()] == kept[0]
    viewer.select_row(model.ids.index(kept[0]))
    assert viewer.detail.toPlainText() == described
    with qtbot.waitSignal(model.loaded, timeout=10000):
        model.sort(RowColumn.CUSTOMER, Qt.SortOrder.AscendingOrder)
    assert [model.ids[row] for row in viewer.selected_rows()] == [kept[0]]
    assert viewer.detail.toPlainText() == described and viewer.customer_button.isEnabled()
    bar = viewer.filters
    _apply(qtbot, viewer, lambda: bar.choose(bar.action, "tag_rename"))
    assert not viewer.selected_rows() and viewer.detail.toPlainText() == ""


def test_back_from_a_batchs_changes_the_batches_view_is_whole_again(
    qtbot: Any, viewer: AuditViewer
) -> None:
    """Opening a batch shows its changes; 批次 brings back the batches with the line still
    selected: their count (not the batch's changes), no 仅：batch chip, the line's detail and
    回滚批次 for it, as before the batch was opened."""
    viewer.show()
    qtbot.waitExposed(viewer)
    with qtbot.waitSignal(viewer.batches_model.loaded, timeout=10000):
        viewer.batches_button.click()
    batches = len(viewer.batches_model.lines)
    imported = next(i for i, line in enumerate(viewer.batches_model.lines)
                    if line.sources == ("import",))
    view = viewer.batches_view
    spot = view.visualRect(viewer.batches_model.index(imported, 0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    described = viewer.detail.toPlainText()
    with qtbot.waitSignal(viewer.rows_model.loaded, timeout=10000):
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert viewer.drill_label.isVisibleTo(viewer) and "changes" in viewer.status.text()
    # the batch opened is the one 回滚批次 takes, before a change of it is selected
    assert not viewer.selected_rows() and viewer.revert_button.isEnabled()
    assert viewer.selected_batch_id() == viewer.batches_model.lines[imported].batch_id
    viewer.batches_button.click()
    assert viewer.selected_rows() == [imported]
    assert viewer.status.text() == f"{batches} batches"
    assert not viewer.drill_label.isVisibleTo(viewer)
    assert not viewer.drill_clear.isVisibleTo(viewer)
    assert viewer.detail.toPlainText() == described != ""
    assert viewer.revert_button.isEnabled()
    with qtbot.waitSignal(viewer.rows_model.loaded, timeout=10000):
        viewer.rows_button.click()
    assert len(viewer.rows_model.ids) == sum(line.rows for line in viewer.batches_model.lines)


@pytest.mark.parametrize("language", ["en", CHINESE])
def test_the_source_column_sorts_by_the_label_shown_in_either_language(
    qtbot: Any, viewer: AuditViewer, language: str
) -> None:
    """来源 sorted by the stored code read 手动, 批量, 导入… (app, batch, import): unordered."""
    translations = Translations()
    if language == CHINESE:
        translations.install(CHINESE)
    try:
        model = viewer.rows_model
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            with qtbot.waitSignal(model.loaded, timeout=10000):
                model.sort(RowColumn.SOURCE, order)
            shown = [model.index(row, RowColumn.SOURCE).data()
                     for row in range(model.rowCount())]
            labels = list(dict.fromkeys(shown))
            assert len(labels) >= 4 and ("Batch" if language == "en" else "批量") in labels, labels
            assert labels == sorted(labels, key=pinyin_sort_key,
                                    reverse=order == Qt.SortOrder.DescendingOrder), labels
    finally:
        translations.uninstall()


def test_sorted_by_source_a_language_switch_sorts_by_the_new_labels(
    qtbot: Any, viewer: AuditViewer
) -> None:
    viewer.show()
    qtbot.waitExposed(viewer)
    model = viewer.rows_model
    with qtbot.waitSignal(model.loaded, timeout=10000):
        model.sort(RowColumn.SOURCE, Qt.SortOrder.AscendingOrder)
    translations = Translations()
    try:
        with qtbot.waitSignal(model.loaded, timeout=10000):
            translations.install(CHINESE)
        shown = [model.index(row, RowColumn.SOURCE).data() for row in range(model.rowCount())]
        labels = list(dict.fromkeys(shown))
        assert "批量" in labels and labels == sorted(labels, key=pinyin_sort_key), labels
    finally:
        translations.uninstall()


def test_the_audit_log_closed_and_opened_again_starts_clean(
    qtbot: Any, viewer: AuditViewer
) -> None:
    """A supervisor who closes the log and opens it again sees the latest changes: it kept
    the last filter (来源 = 导入) and the last revert's message, and showed only those rows."""
    everything = list(viewer.rows_model.ids)
    viewer.show()
    qtbot.waitExposed(viewer)
    imported = _apply(qtbot, viewer, lambda: viewer.filters.choose(viewer.filters.source,
                                                                   "import"))
    assert 0 < len(imported) < len(everything)
    viewer.texts.say(viewer.notice, lambda: "已回滚批次")
    viewer.batches_button.setChecked(True)
    viewer.close()
    assert not viewer.isVisible()
    with qtbot.waitSignal(viewer.rows_model.loaded, timeout=10000):
        viewer.show()
    _wait_rows(qtbot, viewer)
    assert viewer.filters.source.currentIndex() == 0 and viewer.notice.text() == ""
    assert viewer.rows_button.isChecked() and list(viewer.rows_model.ids) == everything


def test_the_keyboard_starts_on_the_changes_each_time_the_log_opens(
    qtbot: Any, viewer: AuditViewer
) -> None:
    viewer.show()
    qtbot.waitExposed(viewer)
    assert viewer.focusWidget() is viewer.rows_view
    viewer.filters.source.setFocus()
    viewer.close()
    with qtbot.waitSignal(viewer.rows_model.loaded, timeout=10000):
        viewer.show()
    assert viewer.focusWidget() is viewer.rows_view


def test_enter_on_a_typed_userid_picks_that_person(qtbot: Any, viewer: AuditViewer) -> None:
    """Typing a userid (or pinyin) and Enter chooses the best match, the list's first row:
    it left "chensi" in the box, matching no item, and filtered nothing."""
    bar = viewer.filters
    ws = viewer.context.workspace
    viewer.show()
    qtbot.waitExposed(viewer)
    line = bar.operator.lineEdit()
    assert line is not None
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=line.rect().center())
    qtbot.waitUntil(line.hasSelectedText, timeout=5000)
    qtbot.keyClicks(line, ws.operator)
    popup = bar._people.popup()
    qtbot.waitUntil(lambda: popup is not None and popup.isVisible(), timeout=5000)
    with qtbot.waitSignal(viewer.rows_model.loaded, timeout=10000):
        qtbot.keyClick(line, Qt.Key.Key_Return)
    assert viewer.current_filter().operators == (ws.operator,)
    assert bar.operator.currentData() == ws.operator
