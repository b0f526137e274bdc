"""The auto-tagging review window: simulate on imported chats, accept / reject rows and in
bulk, tag the accepted ones as one batch in the sandbox, rejections kept as training data."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox, QStyle, QStyleOptionComboBox

from desktop.services import audit, autotag_keywords
from desktop.services.chat_import import import_chats
from desktop.store import autotag_settings, chats, outbox
from desktop.ui.autotag_keywords_dialog import KeywordsDialog
from desktop.ui.autotag_review import AutoTagReviewWindow, SuggestionModel
from desktop.ui.i18n import CHINESE, ENGLISH, Translations
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.style import apply_style
from desktop.ui.sync_controller import SyncController

pytestmark = pytest.mark.gui

WAIT_MS = 30000


@pytest.fixture
def window(qtbot: Any, synced_context: Any, sandbox: Any) -> Any:
    autotag_keywords.save(synced_context.cache, {"高意向": ["报价单", "采购", "试用", "演示"]})
    view = AutoTagReviewWindow(synced_context)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.chatsImported, timeout=WAIT_MS) as imported:
        view.import_chats(sandbox.state.chat_export_path)
    assert imported.args[0].imported > 0
    view.since.setDate(QDate(2000, 1, 1))
    yield view
    synced_context.wait_idle()


COMPLAINTS = ("我要投诉，上次的问题到现在还没解决", "你们客服太差了，我要投诉")


def _import_complaints(qtbot: Any, window: AutoTagReviewWindow, path: Path) -> None:
    """Two unmistakable complaints from each of three customers: the demo corp's chats hold
    only 上次的问题还没解决, an after-sales question the bundled model may not read as one."""
    rows = window.context.cache.query(
        "SELECT external_userid, userid FROM relation ORDER BY id LIMIT 3")
    lines = [{"time": 1780000000 + n, "userid": row["userid"],
              "external_userid": row["external_userid"], "direction": "in", "text": text}
             for n, (row, text) in enumerate((r, t) for r in rows for t in COMPLAINTS)]
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
                    encoding="utf-8")
    with qtbot.waitSignal(window.chatsImported, timeout=WAIT_MS):
        window.import_chats(path)


def _simulate(qtbot: Any, window: AutoTagReviewWindow) -> Any:
    with qtbot.waitSignal(window.simulated, timeout=WAIT_MS) as done:
        window.simulate_button.click()
    return done.args[0]


def _select(window: AutoTagReviewWindow, rows: list[int]) -> None:
    selection = window.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(window.proxy.mapFromSource(window.model.index(row, 0)),
                         QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)


def _accept_and_preview(qtbot: Any, window: AutoTagReviewWindow, count: int,
                        pilot: int) -> tuple[Any, list[int]]:
    """Simulate, accept the first `count` suggestions that would add a tag and preview them
    with a pilot of `pilot`: the simulation and the accepted rows."""
    simulation = _simulate(qtbot, window)
    adds = [row for row, s in enumerate(simulation.suggestions) if s.change == "add"][:count]
    assert len(adds) == count
    _select(window, adds)
    with qtbot.waitSignal(window.reviewsSaved, timeout=WAIT_MS):
        window.accept_button.click()
    window.pilot.setValue(pilot)
    with qtbot.waitSignal(window.previewReady, timeout=WAIT_MS):
        window.preview_button.click()
    return simulation, adds


def test_suggestions_show_with_evidence_and_confidence(
        qtbot: Any, window: AutoTagReviewWindow, sandbox: Any) -> None:
    simulation = _simulate(qtbot, window)
    model = window.model
    assert model.rowCount() == len(simulation.suggestions) > 0
    first = simulation.suggestions[0]
    assert model.data(model.index(0, SuggestionModel.TAG)) == "意向程度:高意向"
    assert model.data(model.index(0, SuggestionModel.CONFIDENCE)) == f"{first.confidence:.2f}"
    assert first.evidence[0].snippet in model.data(model.index(0, SuggestionModel.EVIDENCE))
    assert model.data(model.index(0, SuggestionModel.CHANGE)) == "would add"
    # No confirmed 高意向 taught anything yet: the tooltip names the bundled base model.
    assert first.source in ("base", "rules+base")
    assert "base model bundled with TagDesk" in model.data(
        model.index(0, SuggestionModel.CONFIDENCE), Qt.ItemDataRole.ToolTipRole)
    names = dict(window.context.cache.connection().execute("SELECT userid, name FROM member"))
    assert [model.data(model.index(row, SuggestionModel.MEMBER)) for row in range(3)] == [
        names[s.userid] for s in simulation.suggestions[:3]]      # the member's name
    assert "would add" in window.summary.text()
    window.member_messages.setChecked(True)
    everything = _simulate(qtbot, window)
    lines = sandbox.state.chat_export_path.read_text(encoding="utf-8").splitlines()
    assert (simulation.messages, everything.messages) == (
        sum(1 for line in lines if (m := json.loads(line))["from"] == m["external_userid"]),
        len(lines))


def test_accept_reject_and_tag_the_accepted_as_one_batch(
        qtbot: Any, window: AutoTagReviewWindow, synced_context: Any, sandbox: Any) -> None:
    simulation = _simulate(qtbot, window)
    adds = [row for row, s in enumerate(simulation.suggestions) if s.change == "add"]
    assert len(adds) >= 3
    with qtbot.waitSignal(window.reviewsSaved, timeout=WAIT_MS) as saved:
        window.decide_all("accepted")
    assert saved.args == [len(simulation.suggestions)]
    _select(window, adds[:1])
    with qtbot.waitSignal(window.reviewsSaved, timeout=WAIT_MS) as saved:
        window.reject_button.click()
    assert saved.args == [1]
    model = window.model
    assert model.data(model.index(adds[0], SuggestionModel.DECISION)) == "✗ rejected"
    assert model.data(model.index(adds[1], SuggestionModel.DECISION)) == "✓ accepted"
    accepted = [s for s in model.with_decision("accepted") if s.change == "add"]
    window.pilot.setValue(0)
    with qtbot.waitSignal(window.previewReady, timeout=WAIT_MS) as preview:
        window.preview_button.click()
    plan = preview.args[0]
    assert plan.api_calls == len({s.relation_id for s in accepted})
    assert plan.skipped_conflicts == 0 and "exclusive" not in window.preview.text()
    assert window.start_button.isEnabled()
    with qtbot.waitSignal(window.batch_progress.batchFinished, timeout=WAIT_MS) as finished:
        window.start_button.click()
    result = finished.args[0]
    assert result.status == "done" and result.applied == plan.api_calls
    batch = synced_context.tagging.batch(window.batch_id)
    assert batch.source == "autotag"
    labels = {s.tag_id: s.tag_label for s in accepted}
    assert all(f"{labels[tag]} {count}" in batch.description     # what it adds, not what
               for tag, count in plan.per_tag_add.items())       # was accepted
    for suggestion in accepted:
        assert suggestion.tag_id in sandbox.state.relation_tag_ids(
            suggestion.userid, suggestion.external_userid)
    rejected = simulation.suggestions[adds[0]]
    if rejected.relation_id not in {s.relation_id for s in accepted}:
        assert rejected.tag_id not in sandbox.state.relation_tag_ids(
            rejected.userid, rejected.external_userid)
    verdicts = {(r.external_userid, r.userid, r.verdict)
                for r in autotag_settings.reviews(synced_context.cache)}
    assert (rejected.external_userid, rejected.userid, "rejected") in verdicts
    assert all((s.external_userid, s.userid, "accepted") in verdicts for s in accepted)
    assert not window.preview_button.isEnabled()
    written = {s.key for s in accepted}        # the rows say what was done, not what would be
    qtbot.waitUntil(lambda: all(model.data(model.index(row, SuggestionModel.CHANGE)) == "added"
                                for row, s in enumerate(model.suggestions) if s.key in written),
                    timeout=WAIT_MS)
    assert model.data(model.index(adds[0], SuggestionModel.CHANGE)) == "would add"  # rejected
    again = _simulate(qtbot, window)           # tagged now, and trained on the verdicts
    assert not {s.key for s in accepted} & {s.key for s in again.would_add}
    window.decide_all("accepted")
    assert window.preview_button.isEnabled() == bool(again.would_add)


def test_a_reverted_batch_shows_its_suggestions_reverted_and_trains_on_none_of_them(
        qtbot: Any, window: AutoTagReviewWindow, synced_context: Any, sandbox: Any) -> None:
    simulation, adds = _accept_and_preview(qtbot, window, 4, pilot=0)
    with qtbot.waitSignal(window.batch_progress.batchFinished, timeout=WAIT_MS) as finished:
        window.start_button.click()
    assert finished.args[0].status == "done"
    synced_context.wait_idle()
    batch_id = window.batch_id
    accepted = [simulation.suggestions[row] for row in adds]
    assert _simulate(qtbot, window).training["高意向"].positives == len(
        {s.external_userid for s in accepted})

    tagging = synced_context.tagging
    preview = audit.preview_batch_revert(synced_context.cache, tagging, batch_id)
    assert audit.run_revert(tagging, preview, pilot_size=0).result.status == "done"
    for suggestion in accepted:
        assert suggestion.tag_id not in sandbox.state.relation_tag_ids(
            suggestion.userid, suggestion.external_userid)

    again = _simulate(qtbot, window)
    model = window.model
    rows = [row for row, s in enumerate(model.suggestions) if s.key in {a.key for a in accepted}]
    assert len(rows) == len(accepted)
    assert [model.data(model.index(row, SuggestionModel.DECISION)) for row in rows] == [
        "↺ reverted"] * len(rows)
    assert [model.data(model.index(row, SuggestionModel.CHANGE)) for row in rows] == [
        "would add"] * len(rows)
    assert all(model.data(model.index(row, SuggestionModel.DECISION),
                          Qt.ItemDataRole.ToolTipRole) for row in rows)     # who, and when
    assert model.with_decision("accepted") == []
    assert not window.preview_button.isEnabled()       # nothing to apply again unless re-accepted
    assert (f"0 accepted · 0 rejected · {len(rows)} reverted · {model.rowCount() - len(rows)} open"
            in window.preview.text())
    assert again.training["高意向"].positives == 0
    assert window.service.training_messages(["高意向"]) == []
    latest = autotag_settings.latest_reviews(synced_context.cache)
    assert {(latest[s.key].verdict, latest[s.key].operator) for s in accepted} == {
        ("reverted", window.context.workspace.operator)}


def test_a_revert_of_the_window_s_batch_shows_its_rows_reverted_without_a_new_simulation(
        qtbot: Any, window: AutoTagReviewWindow, synced_context: Any) -> None:
    _, adds = _accept_and_preview(qtbot, window, 3, pilot=0)
    with qtbot.waitSignal(window.batch_progress.batchFinished, timeout=WAIT_MS):
        window.start_button.click()
    model = window.model
    qtbot.waitUntil(lambda: model.data(model.index(adds[0], SuggestionModel.CHANGE)) == "added",
                    timeout=WAIT_MS)
    synced_context.wait_idle()

    tagging = synced_context.tagging
    preview = audit.preview_batch_revert(synced_context.cache, tagging, window.batch_id)
    outcome = audit.run_revert(tagging, preview, pilot_size=0)
    assert outcome.result.status == "done"
    synced_context.publish(outcome.result.changes)         # as the audit log's revert does
    qtbot.waitUntil(lambda: [model.data(model.index(row, SuggestionModel.DECISION))
                             for row in adds] == ["↺ reverted"] * 3, timeout=10000)
    assert [model.data(model.index(row, SuggestionModel.CHANGE)) for row in adds] == [
        "would add"] * 3
    assert model.with_decision("accepted") == []
    assert "3 reverted" in window.preview.text()


def test_the_focus_stays_on_simulate_through_a_simulation(
        qtbot: Any, window: AutoTagReviewWindow) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    window.simulate_button.setFocus()
    qtbot.waitUntil(window.simulate_button.hasFocus, timeout=5000)
    _simulate(qtbot, window)                 # 模拟 is disabled meanwhile: the focus moves on
    assert QApplication.focusWidget() is window.simulate_button      # Enter simulates again


def test_the_focus_follows_the_batch_from_start_to_continue_to_show(
        qtbot: Any, window: AutoTagReviewWindow) -> None:
    _accept_and_preview(qtbot, window, 3, pilot=1)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    window.start_button.setFocus()
    qtbot.waitUntil(window.start_button.hasFocus, timeout=5000)
    panel = window.batch_progress
    with qtbot.waitSignal(panel.pilotFinished, timeout=WAIT_MS):
        window.start_button.click()
    assert QApplication.focusWidget() is panel.continue_button     # not the pilot's size
    with qtbot.waitSignal(panel.batchFinished, timeout=WAIT_MS):
        panel.continue_button.click()
    assert QApplication.focusWidget() is panel.show_button         # not the first date


def test_a_time_window_that_ends_before_it_starts_is_refused_with_why(
        qtbot: Any, window: AutoTagReviewWindow) -> None:
    window.since.setDate(QDate(2026, 12, 10))
    window.until.setDate(QDate(2026, 12, 6))
    simulated: list[Any] = []
    window.simulated.connect(simulated.append)
    assert window.run_simulation() is None
    assert "ends before it starts" in window.summary.text() and "2026-12-06" in window.summary.text()
    qtbot.wait(200)
    assert simulated == [] and window.simulate_button.isEnabled()


def test_the_a_and_r_keys_decide_and_move_down_the_list(
        qtbot: Any, window: AutoTagReviewWindow) -> None:
    _simulate(qtbot, window)
    assert window.proxy.rowCount() >= 3
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    window.table.setFocus()
    window.table.selectRow(0)
    for key in (Qt.Key.Key_A, Qt.Key.Key_R, Qt.Key.Key_A):
        with qtbot.waitSignal(window.reviewsSaved, timeout=WAIT_MS):
            qtbot.keyClick(window.table, key)
    model, proxy = window.model, window.proxy
    decisions = [model.data(model.index(proxy.mapToSource(proxy.index(row, 0)).row(),
                                        SuggestionModel.DECISION)) for row in range(4)]
    assert decisions[:3] == ["✓ accepted", "✗ rejected", "✓ accepted"]
    assert decisions[3] in ("", None)
    assert [index.row() for index in window.table.selectionModel().selectedRows()] == [3]


def test_the_keywords_dialog_loads_and_saves_the_profile_keywords(
        qtbot: Any, window: AutoTagReviewWindow, synced_context: Any) -> None:
    dialog = window.open_keywords()
    assert isinstance(dialog, KeywordsDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT_MS)
    assert dialog.keywords() == {"高意向": ["报价单", "采购", "试用", "演示"]}
    assert window.open_keywords() is dialog                   # one dialog, brought forward
    header = dialog.table.horizontalHeader()
    assert header.sectionSize(0) >= header.sectionSizeFromContents(0).width()
    dialog.add_row("需上门", "上门，来一趟、 到现场")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save_button.click()
    assert autotag_keywords.stored(synced_context.cache) == {
        "需上门": ["上门", "来一趟", "到现场"], "高意向": ["报价单", "采购", "试用", "演示"]}
    kept = dialog.table.item(1, 1)
    assert kept is not None and kept.text() == "上门、来一趟、到现场"   # as kept: the split shows
    dialog.close()                                            # and nothing is left unsaved
    again = window.open_keywords()                           # closed: a fresh one
    assert again is not dialog
    again.close()


def test_add_tag_opens_the_new_row_s_name_for_typing_and_tab_moves_to_its_keywords(
        qtbot: Any, window: AutoTagReviewWindow) -> None:
    dialog = window.open_keywords()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT_MS)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    dialog.add_button.click()
    assert dialog.table.rowCount() == 2
    qtbot.keyClicks(QApplication.focusWidget(), "VIP")          # QTest types ASCII only
    name_editor = QApplication.focusWidget()
    qtbot.keyClick(name_editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: dialog.table.currentColumn() == 1
                    and QApplication.focusWidget() not in (name_editor, dialog.table))
    qtbot.keyClicks(QApplication.focusWidget(), "vip,svip")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.keywords().get("VIP") == ["vip", "svip"])  # committed
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save_button.click()
    dialog.close()


def test_tab_after_the_last_row_s_keywords_opens_a_new_row_for_the_next_tag(
        qtbot: Any, window: AutoTagReviewWindow) -> None:
    """Ten tags typed one after another: Tab after a new row's keywords went back to the
    first row's name with its text selected, and the next tag typed replaced 高意向."""
    dialog = window.open_keywords()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT_MS)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    dialog.add_button.click()

    def tab() -> None:
        """Tab from the cell being typed, once the next cell's editor has the keys."""
        editor = QApplication.focusWidget()
        qtbot.keyClick(editor, Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda: QApplication.focusWidget() not in (editor, dialog.table))

    for name, words in (("VIP", "vip"), ("API", "api,sdk")):
        qtbot.keyClicks(QApplication.focusWidget(), name)
        tab()
        qtbot.keyClicks(QApplication.focusWidget(), words)
        tab()
    assert dialog.table.rowCount() == 4 and dialog.table.currentRow() == 3
    assert dialog.table.currentColumn() == 0        # the new row's name, being edited
    assert dialog.keywords() == {"高意向": ["报价单", "采购", "试用", "演示"],
                                 "VIP": ["vip"], "API": ["api", "sdk"]}
    tab()                                               # a row left without a name:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.add_button)
    assert dialog.table.rowCount() == 4                  # no second empty row after it
    dialog.table.removeRow(3)
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save_button.click()
    dialog.close()


def test_closing_the_keywords_dialog_with_unsaved_edits_asks_first(
        qtbot: Any, window: AutoTagReviewWindow, synced_context: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    answers: list[QMessageBox.StandardButton] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: answers.pop(0))
    closed: list[KeywordsDialog] = []

    def opened(rows: int) -> KeywordsDialog:
        dialog = window.open_keywords()
        dialog.finished.connect(lambda _result: closed.append(dialog))
        qtbot.waitUntil(lambda: dialog.table.rowCount() == rows, timeout=WAIT_MS)
        return dialog

    dialog = opened(1)
    dialog.close()                                       # nothing changed: no question
    assert closed == [dialog]
    dialog = opened(1)
    dialog.add_row("需上门", "上门")
    answers[:] = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    dialog.close()
    assert closed[-1] is not dialog and answers == [QMessageBox.StandardButton.Save]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)            # Esc asks too: save, then close
    qtbot.waitUntil(lambda: closed[-1] is dialog, timeout=WAIT_MS)
    assert autotag_keywords.stored(synced_context.cache)["需上门"] == ["上门"]
    dialog = opened(2)
    dialog.table.removeRow(0)
    answers[:] = [QMessageBox.StandardButton.Discard]
    dialog.close()
    assert closed[-1] is dialog and answers == []
    assert len(autotag_keywords.stored(synced_context.cache)) == 2


def test_a_file_with_bad_lines_imports_nothing_until_the_valid_lines_are_chosen(
        qtbot: Any, window: AutoTagReviewWindow, synced_context: Any, tmp_path: Path) -> None:
    before = chats.count(synced_context.cache)
    path = tmp_path / "week.jsonl"
    good = {"time": "2026-12-01 09:30", "userid": "zhangsan", "external_userid": "wmNEW1",
            "direction": "in", "text": "能安排个演示吗"}
    path.write_text(json.dumps(good, ensure_ascii=False) + "\n{broken\n", encoding="utf-8")
    with qtbot.waitSignal(window.chatsImported, timeout=WAIT_MS) as refused:
        window.import_chats(path)
    assert refused.args[0].status == "invalid"
    assert "第 2 行：不是有效的 JSON" in window.summary.text()
    assert chats.count(synced_context.cache) == before
    assert window.import_valid_button.isVisibleTo(window)
    with qtbot.waitSignal(window.chatsImported, timeout=WAIT_MS) as imported:
        window.import_valid_button.click()
    assert imported.args[0].imported == 1
    assert chats.count(synced_context.cache) == before + 1
    assert not window.import_valid_button.isVisibleTo(window)
    clean = tmp_path / "clean.jsonl"
    clean.write_text(json.dumps({**good, "text": "报价单发我一下"}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    with qtbot.waitSignal(window.chatsImported, timeout=WAIT_MS):
        window.import_chats(clean)
    assert window.summary.text() == "clean.jsonl: 1 messages stored."    # no "0 already
    with qtbot.waitSignal(window.chatsImported, timeout=WAIT_MS):       # stored", nor "0 lines
        window.import_chats(clean)                                      # with problems"
    assert window.summary.text() == "clean.jsonl: 0 messages stored, 1 already stored."


def test_a_refused_file_s_lines_read_in_the_window_s_language_and_say_how_many_more(
        qtbot: Any, window: AutoTagReviewWindow, tmp_path: Path) -> None:
    path = tmp_path / "week.jsonl"
    good = {"time": "2026-12-01 09:30", "userid": "zhangsan", "external_userid": "wmNEW1",
            "direction": "in", "text": "能安排个演示吗"}
    bad = [{**good, "direction": "incoming"}, {**good, "time": "昨天下午"}] * 4
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [good, *bad]) + "\n",
                    encoding="utf-8")
    translations = Translations()
    try:
        translations.install(CHINESE)
        with qtbot.waitSignal(window.chatsImported, timeout=WAIT_MS):
            window.import_chats(path)
        chinese = window.summary.text()
        assert "8 行有问题" in chinese
        assert "第 2 行：direction 须为 in" in chinese and "第 6 行：" in chinese
        assert "第 7 行" not in chinese and "…另有 3 行" in chinese
        assert "line 2" not in chinese
        translations.install(ENGLISH)
        qtbot.waitUntil(lambda: "8 lines with problems" in window.summary.text(), timeout=5000)
        english = window.summary.text()
        assert "Line 2: direction must be in" in english and "…and 3 more" in english
        assert "第" not in english and "须为" not in english
    finally:
        translations.uninstall()


def test_one_tags_suggestions_are_shown_sorted_and_decided_together(
        qtbot: Any, window: AutoTagReviewWindow, synced_context: Any) -> None:
    autotag_keywords.save(synced_context.cache, {"需上门": ["上门", "来一趟", "到现场"]})
    simulation = _simulate(qtbot, window)
    labels = {s.tag_label for s in simulation.suggestions}
    assert labels == {"意向程度:高意向", "OPS-售后:需上门"}
    index = window.tag_filter.findData("OPS-售后:需上门")
    window.tag_filter.setCurrentIndex(index)
    visits = [row for row, s in enumerate(simulation.suggestions)
              if s.tag_label == "OPS-售后:需上门"]
    assert window.proxy.rowCount() == len(visits) > 0
    assert window.tag_filter.currentText() == f"OPS-售后:需上门 ({len(visits)})"
    with qtbot.waitSignal(window.reviewsSaved, timeout=WAIT_MS) as saved:
        window.reject_all_button.click()
    assert saved.args == [len(visits)]
    assert set(window.model.decisions) == set(visits)
    window.tag_filter.setCurrentIndex(0)
    assert window.proxy.rowCount() == len(simulation.suggestions)
    window.table.sortByColumn(SuggestionModel.CONFIDENCE, Qt.SortOrder.DescendingOrder)
    shown = [float(window.proxy.index(row, SuggestionModel.CONFIDENCE).data())
             for row in range(window.proxy.rowCount())]
    assert shown == sorted(shown, reverse=True)


def test_accept_all_shown_accepts_the_rest_and_keeps_the_rows_rejected_before(
        qtbot: Any, window: AutoTagReviewWindow, synced_context: Any) -> None:
    """Reject two, then 接受全部显示的建议: it accepted the two as well, silently, and would
    have tagged what the reviewer had just turned down."""
    simulation = _simulate(qtbot, window)
    rejected = [row for row, s in enumerate(simulation.suggestions) if s.change == "add"][:2]
    assert len(rejected) == 2
    _select(window, rejected)
    with qtbot.waitSignal(window.reviewsSaved, timeout=WAIT_MS):
        window.reject_button.click()
    with qtbot.waitSignal(window.reviewsSaved, timeout=WAIT_MS) as saved:
        window.accept_all_button.click()
    assert saved.args == [len(simulation.suggestions) - 2]
    model = window.model
    assert [model.data(model.index(row, SuggestionModel.DECISION)) for row in rejected] == [
        "✗ rejected", "✗ rejected"]
    assert not {simulation.suggestions[row].key for row in rejected} & {
        s.key for s in model.with_decision("accepted")}
    synced_context.wait_idle()
    latest = autotag_settings.latest_reviews(synced_context.cache)
    assert {latest[simulation.suggestions[row].key].verdict for row in rejected} == {"rejected"}
    with qtbot.assertNotEmitted(window.reviewsSaved, wait=500):
        window.reject_all_button.click()        # nothing open is left: it says so
    assert len(model.with_decision("accepted")) == len(simulation.suggestions) - 2
    assert window.preview.text() == ("Every suggestion shown is decided already: to change"
                                     " some, select them and press A or R.")


def test_the_tag_box_widens_to_show_each_tag_whole_after_a_simulation(
        qtbot: Any, window: AutoTagReviewWindow, synced_context: Any, tmp_path: Path) -> None:
    autotag_keywords.save(synced_context.cache, {"OPS-售后:投诉处理中": ["没解决", "投诉"]})
    _import_complaints(qtbot, window, tmp_path / "complaints.jsonl")
    window.show()                        # shown first, with only 所有标签 in the box
    qtbot.waitExposed(window)
    _simulate(qtbot, window)
    box = window.tag_filter
    assert box.count() >= 3
    widest = max(box.fontMetrics().horizontalAdvance(box.itemText(i)) for i in range(box.count()))

    def text_room() -> int:
        option = QStyleOptionComboBox()
        box.initStyleOption(option)
        return box.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                          QStyle.SubControl.SC_ComboBoxEditField, box).width()

    qtbot.waitUntil(lambda: text_room() >= widest, timeout=5000)


def test_the_window_is_chinese_first_and_switches_language_keeping_the_review(
        qtbot: Any, window: AutoTagReviewWindow) -> None:
    translations = Translations()
    try:
        translations.install(CHINESE)
        qtbot.waitUntil(lambda: window.simulate_button.text() == "模拟", timeout=5000)
        simulation = _simulate(qtbot, window)
        model = window.model
        with qtbot.waitSignal(window.reviewsSaved, timeout=WAIT_MS):
            window.decide_all("accepted")
        assert window.windowTitle() == "从聊天自动打标"
        assert model.headerData(SuggestionModel.EVIDENCE, Qt.Orientation.Horizontal) == "依据"
        assert model.data(model.index(0, SuggestionModel.DECISION)) == "✓ 已接受"
        assert "自带的基础模型" in model.data(model.index(0, SuggestionModel.CONFIDENCE),
                                       Qt.ItemDataRole.ToolTipRole)
        assert "条客户消息" in window.summary.text()
        translations.install(ENGLISH)
        qtbot.waitUntil(lambda: window.simulate_button.text() == "Simulate", timeout=5000)
        assert window.windowTitle() == "Auto-tagging from chats"
        assert model.headerData(SuggestionModel.EVIDENCE, Qt.Orientation.Horizontal) == "Evidence"
        assert model.data(model.index(0, SuggestionModel.DECISION)) == "✓ accepted"
        assert "customer messages" in window.summary.text()
        assert window.tag_filter.itemText(0) == "All tags"
        assert model.rowCount() == len(simulation.suggestions)
        assert len(model.with_decision("accepted")) == len(simulation.suggestions)
        assert window.minimumSizeHint().width() <= 800      # fits a screen 800 wide
    finally:
        translations.uninstall()


def test_the_chat_behind_a_suggestion_shows_beside_it_with_the_evidence_in_bold(
        qtbot: Any, window: AutoTagReviewWindow) -> None:
    simulation = _simulate(qtbot, window)
    first = simulation.suggestions[0]
    with qtbot.waitSignal(window.conversationShown, timeout=WAIT_MS) as shown:
        window.table.setCurrentIndex(window.proxy.index(0, SuggestionModel.TAG))
    assert shown.args == [first]
    bold = re.findall(r'<span style=" font-weight:700;">([^<]*)</span>', window.chat.toHtml())
    assert bold and all(any(e.snippet in b for b in bold) for e in first.evidence)
    said = window.chat.toPlainText()
    assert first.customer_name and first.customer_name in said
    assert first.member_name and first.member_name in said and first.userid not in said
    with qtbot.waitSignal(window.customerRequested, timeout=WAIT_MS) as asked:
        window.table.doubleClicked.emit(window.proxy.index(0, SuggestionModel.CUSTOMER))
    assert asked.args == [first.external_userid]


def test_the_tags_menu_opens_one_review_window_that_shows_a_customer_in_the_table(
        qtbot: Any, synced_context: Any, gui_home: Path) -> None:
    main = MainWindow(synced_context, Settings(gui_home), SyncController(synced_context), "en")
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.model.queryFinished, timeout=WAIT_MS):
        main.show()
    action = next(a for a in main.findChildren(QAction) if a.text() == "&Auto-tag from chats…")
    action.trigger()
    review = main.findChildren(AutoTagReviewWindow)
    assert len(review) == 1 and review[0].isVisible() and review[0].isWindow()
    action.trigger()
    assert main.findChildren(AutoTagReviewWindow) == review
    review[0].close()
    assert not review[0].isVisible()
    action.trigger()                     # closed (Esc, Ctrl+W), the menu opens it again
    assert review[0].isVisible()
    review[0].customerRequested.emit("wmSOMEONE")
    assert main.filter_bar.text() == "text:wmSOMEONE"


def test_the_window_says_whether_chats_are_stored_yet(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    empty = AutoTagReviewWindow(synced_context)
    qtbot.addWidget(empty)
    qtbot.waitUntil(lambda: "No chats yet" in empty.summary.text(), timeout=WAIT_MS)
    stored = import_chats(synced_context.cache, sandbox.state.chat_export_path).imported
    filled = AutoTagReviewWindow(synced_context)
    qtbot.addWidget(filled)
    qtbot.waitUntil(lambda: f"{stored:,} chat messages stored" in filled.summary.text(),
                    timeout=WAIT_MS)
    assert not filled.preview_button.isEnabled()       # nothing accepted before a simulation


def test_a_tag_with_only_rejections_says_they_are_kept_until_a_customer_has_it_confirmed(
        qtbot: Any, window: AutoTagReviewWindow) -> None:
    first = _simulate(qtbot, window)
    rows = [row for row, s in enumerate(first.suggestions) if s.tag_name == "高意向"][:2]
    assert len(rows) == 2 and first.training["高意向"].positives == 0
    _select(window, rows)
    with qtbot.waitSignal(window.reviewsSaved, timeout=WAIT_MS):
        window.reject_button.click()
    again = _simulate(qtbot, window)
    against = again.training["高意向"].negatives
    assert again.training["高意向"].positives == 0 and against >= 1
    assert re.search(r"意向程度:高意向: [^<]* · nothing learnt from your tags yet: no customer has it"
                     rf" confirmed \({against} customers? against it kept until one has\)$",
                     window.summary.text(), re.MULTILINE)
    translations = Translations()
    try:
        translations.install(CHINESE)                      # no space after the counted phrase
        qtbot.waitUntil(lambda: f"已记下 {against} 位客户作为反例，" in window.summary.text(),
                        timeout=5000)
    finally:
        translations.uninstall()


def test_the_summary_says_how_many_customers_with_confirmed_tags_the_learner_trained_on(
        qtbot: Any, window: AutoTagReviewWindow, synced_context: Any, sandbox: Any) -> None:
    first = _simulate(qtbot, window)
    assert first.training["高意向"].positives == 0
    assert re.search(r"意向程度:高意向: [\d,]+ customers, [\d,]+ would add, [\d,]+ already tagged"
                     r" · nothing learnt from your tags yet: no customer has it confirmed$",
                     window.summary.text())
    assert "trained on 0 customers" not in window.summary.text()
    group = {sandbox.state.find_tag("意向程度", name) for name in ("高意向", "中意向", "低意向")}
    said = {(m.external_userid, m.userid) for m in chats.messages(synced_context.cache)}
    states = outbox.relation_states_by_key(synced_context.cache, said)
    picked: dict[str, int] = {}
    for (customer, _), state in sorted(states.items()):
        if customer not in picked and not group & set(state.tag_ids):
            picked[customer] = state.relation_id
    relations = sorted(picked.values())[:6]
    tagging = synced_context.tagging
    plan = tagging.plan(relations, add=[sandbox.state.find_tag("意向程度", "高意向")])
    assert tagging.run(tagging.submit(plan, source="batch")).status == "done"
    again = _simulate(qtbot, window)
    assert again.training["高意向"].positives == 6
    assert ("trained on 6 customers for it (6 with a confirmed tag, 0 by accepted suggestions)"
            in window.summary.text())


def test_the_evidence_title_stays_whole_when_the_table_narrows_in_english(
        qtbot: Any, window: AutoTagReviewWindow) -> None:
    translations = Translations()
    try:
        translations.install(ENGLISH)
        qtbot.waitUntil(lambda: window.simulate_button.text() == "Simulate", timeout=5000)
        _simulate(qtbot, window)
        window.show()
        qtbot.waitExposed(window)
        window.resize(1400, 700)
        header = window.table.horizontalHeader()
        evidence = SuggestionModel.EVIDENCE
        others = sum(header.sectionSize(i) for i in range(header.count()) if i != evidence)
        frame = window.table.width() - window.table.viewport().width()
        table = others + frame + 40            # 40 px left over for Evidence
        window.splitter.setSizes([table, window.splitter.width() - table])
        qtbot.waitUntil(lambda: abs(window.table.width() - table) <= 2)
        assert header.sectionSize(evidence) >= header.sectionSizeHint(evidence)
        assert header.sectionSizeHint(evidence) > header.fontMetrics().horizontalAdvance(
            "Evidence")
    finally:
        translations.uninstall()


def test_a_long_summary_scrolls_and_leaves_the_table_room_at_800_by_600(
        qtbot: Any, window: AutoTagReviewWindow, synced_context: Any) -> None:
    one_word_each = {f"{group}:{name}": [name[:2]] for group, names in (
        ("客户阶段", ("已报价", "已成交", "已发货", "已退款")),
        ("产品兴趣", ("企业版", "专业版", "标准版", "私有化部署")),
        ("OPS-售后", ("满意", "需上门", "投诉处理中", "待回访"))) for name in names}
    autotag_keywords.save(synced_context.cache, {"高意向": ["报价单", "采购", "试用", "演示"],
                                                 **one_word_each})
    window.show()
    qtbot.waitExposed(window)
    window.resize(800, 600)
    simulation = _simulate(qtbot, window)
    assert len(simulation.per_tag) + len(simulation.warnings) > 20
    rows = window.table.verticalHeader().defaultSectionSize()
    qtbot.waitUntil(lambda: window.summary.height() > 10 * rows)    # laid out: every line
    assert window.height() <= 600
    assert window.table.viewport().height() >= 6 * rows
    assert window.summary_area.height() < window.summary.height()   # the rest scrolls
    chinese, _english = simulation.warnings[-1].split(" / ")
    assert chinese in window.summary.text()


def test_keyword_warnings_read_in_the_window_s_language_only(
        qtbot: Any, window: AutoTagReviewWindow, synced_context: Any) -> None:
    autotag_keywords.save(synced_context.cache, {"OPS-售后:需上门": ["上门"]})
    translations = Translations()
    try:
        translations.install(CHINESE)
        simulation = _simulate(qtbot, window)
        [warning] = [w for w in simulation.warnings if "需上门" in w and "只有 1 个" in w]
        chinese, english = warning.split(" / ")
        assert chinese in window.summary.text() and english not in window.summary.text()
        translations.install(ENGLISH)
        qtbot.waitUntil(lambda: english in window.summary.text(), timeout=5000)
        assert chinese not in window.summary.text()
    finally:
        translations.uninstall()


def test_saving_keywords_of_a_name_that_is_no_tag_says_so_with_the_nearest_names(
        qtbot: Any, window: AutoTagReviewWindow, synced_context: Any) -> None:
    dialog = window.open_keywords()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT_MS)
    dialog.add_row("客户阶段/已发货", "发货、物流、快递")     # the tree's path, not 组:名
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save_button.click()
    assert "客户阶段/已发货" in autotag_keywords.stored(synced_context.cache)   # kept as typed
    said = dialog.status.text()
    assert "Saved the keywords of 2 tags." in said
    assert "没有名为「客户阶段/已发货」的标签，是否要找：客户阶段:已发货" in said
    assert "高意向" not in said and "No tag named" not in said   # the unknown only, one language
    renamed = dialog.table.item(1, 0)
    assert renamed is not None
    renamed.setText("客户阶段:已发货")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save_button.click()
    assert "没有名为" not in dialog.status.text()
    dialog.close()


def test_the_tags_box_shows_its_whole_hint_at_800_pixels_in_both_languages(
        qtbot: Any, window: AutoTagReviewWindow) -> None:
    translations = Translations()
    window.show()
    qtbot.waitExposed(window)
    window.resize(800, 600)
    try:
        for language in (ENGLISH, CHINESE):
            translations.install(language)
            qtbot.wait(50)
            hint = window.tags.placeholderText()
            qtbot.waitUntil(lambda h=hint: window.tags.width() >= window.tags.fontMetrics(
                ).horizontalAdvance(h) + 12, timeout=5000)
    finally:
        translations.uninstall()


def test_an_import_after_a_simulation_says_the_table_is_from_before_it(
        qtbot: Any, window: AutoTagReviewWindow, tmp_path: Path) -> None:
    path = tmp_path / "later.jsonl"
    path.write_text(json.dumps({"time": "2026-12-01 09:30", "userid": "zhangsan",
                                "external_userid": "wmNEW1", "direction": "in",
                                "text": "能发一份报价单吗"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    simulation = _simulate(qtbot, window)
    with qtbot.waitSignal(window.chatsImported, timeout=WAIT_MS) as imported:
        window.import_chats(path)
    assert imported.args[0].imported == 1
    said = window.summary.text()
    assert said.startswith("later.jsonl: 1 messages stored")
    assert "the simulation from before this import: press Simulate" in said
    assert window.model.rowCount() == len(simulation.suggestions)     # kept, decisions too
    with qtbot.waitSignal(window.chatsImported, timeout=WAIT_MS):
        window.import_chats(path)                    # nothing new, but still not simulated
    assert "from before this import" in window.summary.text()
    _simulate(qtbot, window)
    assert "from before this import" not in window.summary.text()
    with qtbot.waitSignal(window.chatsImported, timeout=WAIT_MS):
        window.import_chats(path)                    # nothing new: the table is current
    assert "from before this import" not in window.summary.text()


@pytest.mark.parametrize("size", [(1100, 720), (800, 600)])
def test_a_refused_file_s_report_shows_whole_without_scrolling(
        qtbot: Any, window: AutoTagReviewWindow, tmp_path: Path, size: tuple[int, int]) -> None:
    path = tmp_path / "week.jsonl"
    good = {"time": "2026-12-01 09:30", "userid": "zhangsan", "external_userid": "wmNEW1",
            "direction": "in", "text": "能安排个演示吗"}
    bad = [{**good, "direction": "incoming"}, {**good, "time": "昨天下午"}] * 4
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [good, *bad]) + "\n",
                    encoding="utf-8")
    window.show()
    qtbot.waitExposed(window)
    window.resize(*size)
    _simulate(qtbot, window)             # a long summary first: the report takes its place
    with qtbot.waitSignal(window.chatsImported, timeout=WAIT_MS):
        window.import_chats(path)
    translations = Translations()
    try:
        for language, more in ((ENGLISH, "…and 3 more"), (CHINESE, "…另有 3 行")):
            translations.install(language)
            qtbot.waitUntil(lambda m=more: m in window.summary.text(), timeout=5000)
            scroll = window.summary_area.verticalScrollBar()
            qtbot.waitUntil(lambda s=scroll: s.maximum() == 0, timeout=5000)   # the last line too
            rows = window.table.verticalHeader().defaultSectionSize()
            assert window.table.viewport().height() >= 6 * rows
    finally:
        translations.uninstall()


@pytest.fixture
def app_style(qapp: Any) -> Any:
    """The app's look (font, palette, style sheet) as `tagdesk` applies it, then the tests'."""
    font, palette = qapp.font(), qapp.palette()
    apply_style(qapp)
    yield
    qapp.styleHints().colorSchemeChanged.disconnect()
    qapp.setStyleSheet("")
    qapp.setFont(font)
    qapp.setPalette(palette)


@pytest.mark.parametrize("language", [ENGLISH, CHINESE])
def test_the_table_fits_its_columns_at_1100_pixels_without_scrolling_sideways(
        qtbot: Any, app_style: Any, window: AutoTagReviewWindow, synced_context: Any,
        language: str, tmp_path: Path) -> None:
    autotag_keywords.save(synced_context.cache, {"高意向": ["报价单", "采购", "试用", "演示"],
                                                 "OPS-售后:投诉处理中": ["没解决", "投诉"]})
    _import_complaints(qtbot, window, tmp_path / "complaints.jsonl")
    translations = Translations()
    try:
        translations.install(language)
        window.show()
        qtbot.waitExposed(window)
        window.resize(1100, 720)
        simulation = _simulate(qtbot, window)
        assert {s.tag_label for s in simulation.suggestions} >= {"OPS-售后:投诉处理中"}
        header = window.table.horizontalHeader()
        evidence = SuggestionModel.EVIDENCE
        qtbot.waitUntil(lambda: header.length() <= window.table.viewport().width(),
                        timeout=5000)                       # no scrolling sideways
        assert window.table.horizontalScrollBar().maximum() == 0
        assert header.sectionSize(evidence) >= header.sectionSizeHint(evidence)  # title whole
        assert window.chat.width() >= 260                   # the chat keeps room to read
    finally:
        translations.uninstall()


def test_the_table_fits_its_columns_again_when_the_window_is_resized(
        qtbot: Any, app_style: Any, window: AutoTagReviewWindow, synced_context: Any) -> None:
    """Simulated in a narrow window, then made wider (maximised) or narrower again: the table
    takes the width its columns need from the chat each time, as after a simulation; it
    widened only at the next simulation or language switch and scrolled sideways meanwhile."""
    autotag_keywords.save(synced_context.cache, {"高意向": ["报价单", "采购", "试用", "演示"],
                                                 "OPS-售后:投诉处理中": ["没解决", "投诉"]})
    window.show()
    qtbot.waitExposed(window)
    window.resize(820, 720)
    _simulate(qtbot, window)
    header = window.table.horizontalHeader()
    assert header.length() > window.table.viewport().width()     # too narrow for them
    for width in (1366, 1100):
        window.resize(width, 720)
        qtbot.waitUntil(lambda: header.length() <= window.table.viewport().width(),
                        timeout=5000)
        assert window.table.horizontalScrollBar().maximum() == 0
        assert window.chat.width() >= 260


@pytest.mark.parametrize("size", [(1366, 768), (1100, 720)])
def test_the_table_keeps_six_rows_after_a_preview_a_start_and_an_import_s_report(
        qtbot: Any, app_style: Any, window: AutoTagReviewWindow, synced_context: Any,
        tmp_path: Path, size: tuple[int, int]) -> None:
    one_word_each = {f"{group}:{name}": [name[:2]] for group, names in (
        ("客户阶段", ("已报价", "已成交", "已发货", "已退款")),
        ("产品兴趣", ("企业版", "专业版", "标准版", "私有化部署")),
        ("OPS-售后", ("满意", "需上门", "投诉处理中", "待回访"))) for name in names}
    autotag_keywords.save(synced_context.cache, {"高意向": ["报价单", "采购", "试用", "演示"],
                                                 **one_word_each})
    _import_complaints(qtbot, window, tmp_path / "complaints.jsonl")
    window.show()
    qtbot.waitExposed(window)
    window.resize(*size)
    simulation = _simulate(qtbot, window)
    adds = [row for row, s in enumerate(simulation.suggestions) if s.change == "add"]
    with qtbot.waitSignal(window.reviewsSaved, timeout=WAIT_MS):
        window.decide_all("accepted")
    window.pilot.setValue(1)
    with qtbot.waitSignal(window.previewReady, timeout=WAIT_MS) as ready:
        window.preview_button.click()
    assert len(ready.args[0].per_tag_add) >= 4 and adds     # a line for each tag
    rows = window.table.verticalHeader().defaultSectionSize()
    qtbot.waitUntil(lambda: "+ " in window.preview.text(), timeout=5000)
    qtbot.wait(50)                                           # laid out
    assert window.height() <= size[1]
    assert window.table.viewport().height() >= 6 * rows
    with qtbot.waitSignal(window.batch_progress.pilotFinished, timeout=WAIT_MS):
        window.start_button.click()
    qtbot.wait(50)
    assert window.height() <= size[1]
    assert window.table.viewport().height() >= 6 * rows
    path = tmp_path / "week.jsonl"          # then an import's report of ten lines above
    good = {"time": "2026-12-01 09:30", "userid": "zhangsan", "external_userid": "wmNEW1",
            "direction": "in", "text": "能安排个演示吗"}
    bad = [{**good, "direction": "incoming"}, {**good, "time": "昨天下午"}] * 4
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [good, *bad]) + "\n",
                    encoding="utf-8")
    with qtbot.waitSignal(window.chatsImported, timeout=WAIT_MS):
        window.import_chats(path)
    qtbot.wait(50)
    assert window.height() <= size[1]
    assert window.table.viewport().height() >= 6 * rows
