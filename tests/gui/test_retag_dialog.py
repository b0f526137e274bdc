"""The retag dialog and the batch progress panel over a synced sandbox (300 customers): preview
numbers, the pilot pause, continue, cancel, pause, retry failed, and resuming at start."""

from __future__ import annotations

import json
import re
import threading
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.domain.tags import TagInfo, TagKind
from desktop.store import outbox
from desktop.ui.batch_progress import BatchProgressPanel, offer_unfinished_batches
from desktop.ui.i18n import CHINESE, Translations
from desktop.ui.retag_dialog import RetagDialog, TagChooser

pytestmark = pytest.mark.gui

MARK_TAG = "externalcontact/mark_tag"
WAIT_MS = 20000


def _tag(sandbox: Any, group: str, name: str) -> str:
    tag_id = sandbox.state.find_tag(group, name)
    assert tag_id is not None
    return str(tag_id)


def _ids(context: Any, count: int = 120) -> list[int]:
    return context.filter_engine.relation_ids("", order_by="createtime")[:count]


def _dialog(qtbot: Any, context: Any, ids: list[int]) -> RetagDialog:
    dialog = RetagDialog(context, ids, "test")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.group.count() > 0, timeout=WAIT_MS)
    return dialog


def _preview(qtbot: Any, dialog: RetagDialog, action: Any) -> Any:
    with qtbot.waitSignal(dialog.previewReady, timeout=WAIT_MS) as blocker:
        action()
    return blocker.args[0]


def _sandbox_tags(sandbox: Any, context: Any, ids: list[int]) -> dict[int, set[str]]:
    rows = context.cache.connection().execute(
        f"SELECT id, userid, external_userid FROM relation WHERE id IN ({','.join('?' * len(ids))})",
        ids).fetchall()
    return {rid: sandbox.state.relation_tag_ids(u, e) for rid, u, e in rows}


def _start(qtbot: Any, dialog: RetagDialog, signal: Any) -> Any:
    with qtbot.waitSignal(signal, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_the_dialog_opens_with_the_cursor_in_the_tags_to_add(
        qtbot: Any, synced_context: Any) -> None:
    dialog = _dialog(qtbot, synced_context, _ids(synced_context))
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.add_chooser.search, timeout=WAIT_MS)
    qtbot.keyClicks(dialog.focusWidget(), "gyx")
    assert dialog.add_chooser.results.item(0).text() == "意向程度:高意向"


def test_pinyin_search_picks_tags_and_the_preview_matches_the_plan(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    ids = _ids(synced_context)
    dialog = _dialog(qtbot, synced_context, ids)
    high, low = _tag(sandbox, "意向程度", "高意向"), _tag(sandbox, "意向程度", "低意向")

    def choose() -> None:
        qtbot.keyClicks(dialog.add_chooser.search, "gyx")
        assert dialog.add_chooser.results.item(0).text() == "意向程度:高意向"
        qtbot.keyClick(dialog.add_chooser.search, Qt.Key.Key_Return)
        dialog.remove_chooser.add_tag(low)

    plan = _preview(qtbot, dialog, choose)
    assert dialog.add_chooser.tag_ids() == [high]
    expected = synced_context.tagging.plan(ids, [high], [low])
    assert plan.api_calls == expected.api_calls > 0
    assert plan.skipped_noop == expected.skipped_noop
    assert plan.per_tag_add == expected.per_tag_add
    assert plan.per_tag_remove == expected.per_tag_remove
    text = dialog.preview.text()
    assert f"<b>{expected.api_calls} relations</b>" in text
    assert f"{expected.skipped_noop} already as asked" in text
    assert (f"+ 意向程度:高意向: {expected.per_tag_add[high]} (already tagged:"
            f" {expected.already_tagged.get(high, 0)})") in text
    assert f"already absent: {expected.already_absent.get(low, 0)}" in text
    assert "calls/min" in text
    assert dialog.start_button.isEnabled()
    assert dialog.start_button.text() == "Start pilot (first 50)"
    assert "sync first" not in text and "建议先同步" not in text   # just synced


def test_a_preview_from_an_old_cache_says_to_sync_first(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    import time

    from desktop.store.snapshot import LAST_SYNC_KEY

    with synced_context.cache.write() as conn:
        synced_context.cache.set_meta(conn, LAST_SYNC_KEY, str(time.time() - 3 * 3600))
    dialog = _dialog(qtbot, synced_context, _ids(synced_context))
    _preview(qtbot, dialog, lambda: dialog.add_chooser.add_tag(_tag(sandbox, "意向程度", "高意向")))
    text = dialog.preview.text()
    assert "180 min" in text or "180 分钟" in text
    assert "sync first" in text or "建议先同步" in text


def test_replace_within_group_and_exclusive_conflicts(qtbot: Any, synced_context: Any,
                                                      sandbox: Any) -> None:
    closed, invalid = _tag(sandbox, "客户阶段", "已成交"), _tag(sandbox, "客户阶段", "无效客户")
    with synced_context.cache.write() as conn:
        conn.execute("INSERT INTO exclusive_set (name, tag_ids) VALUES (?, ?)",
                     ("成交状态", json.dumps([closed, invalid])))
    ids = _ids(synced_context)
    dialog = _dialog(qtbot, synced_context, ids)
    plan = _preview(qtbot, dialog, lambda: dialog.add_chooser.add_tag(invalid))
    carrying = synced_context.filter_engine.count("客户阶段:已成交").relations
    assert plan.conflicting_relations == synced_context.tagging.plan(
        ids, [invalid]).conflicting_relations
    if carrying:
        assert "exclusive tags (left out)" in dialog.preview.text()

    def replace() -> None:
        dialog.replace_mode.setChecked(True)
        dialog.group.setCurrentIndex(dialog.group.findText("客户阶段"))

    plan = _preview(qtbot, dialog, replace)
    group_id = dialog.group.currentData()
    expected = synced_context.tagging.plan(ids, [invalid], [], group_id)
    assert not dialog.remove_chooser.isVisible()
    assert plan.per_tag_remove == expected.per_tag_remove and plan.per_tag_remove
    assert plan.api_calls == expected.api_calls
    dialog.pilot.setValue(1)
    _start(qtbot, dialog, dialog.progress.pilotFinished)   # the batch says what it does in
    title = dialog.progress.title.text()                    # the UI language only
    assert "重标 客户阶段 +客户阶段:无效客户" in title and "replace" not in title, title
    dialog.progress.cancel()


def test_the_pilot_writes_exactly_n_then_continue_writes_the_rest(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    ids = _ids(synced_context)
    shipped = _tag(sandbox, "客户阶段", "已发货")
    dialog = _dialog(qtbot, synced_context, ids)
    dialog.pilot.setValue(7)
    plan = _preview(qtbot, dialog, lambda: dialog.add_chooser.add_tag(shipped))
    before = _sandbox_tags(sandbox, synced_context, ids)
    result = _start(qtbot, dialog, dialog.progress.pilotFinished)
    after = _sandbox_tags(sandbox, synced_context, ids)
    changed = [rid for rid in ids if after[rid] != before[rid]]
    assert len(changed) == 7 and result.applied == 7
    assert set(changed) == {c.relation_id for c in plan.changes[:7]}
    counts = outbox.counts(synced_context.cache, dialog.batch_id)
    assert counts.pending == plan.api_calls - 7
    assert dialog.progress.continue_button.isVisible()
    assert dialog.progress.cancel_button.isVisible()
    assert "Pilot finished" in dialog.progress.message.text()

    with qtbot.waitSignal(dialog.progress.batchFinished, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.progress.continue_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].status == "done"
    assert blocker.args[0].applied == plan.api_calls
    # the totals line counts the pilot's calls too: one call per relation, pilot and rest
    totals = dialog.progress.counts.text()
    assert f"{plan.api_calls} of {plan.api_calls} applied" in totals
    assert f"{plan.api_calls} API calls" in totals
    limit = synced_context.workspace.profile.calls_per_minute
    assert f"{plan.api_calls} of {limit:,} calls/min" in totals     # 6,000: with separators
    assert dialog.progress.bar.text() == f"{plan.api_calls:,} / {plan.api_calls:,}"
    final = _sandbox_tags(sandbox, synced_context, ids)
    assert all(shipped in tags for tags in final.values())
    assert not dialog.progress.continue_button.isVisible()


def test_a_start_queued_behind_a_write_still_running_says_it_waits_for_it(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    """开始 behind a batch still sending (at 100,000 customers, minutes) greyed the form out
    and showed nothing else until that batch ended."""
    ids = _ids(synced_context, 20)
    dialog = _dialog(qtbot, synced_context, ids)
    dialog.pilot.setValue(5)
    plan = _preview(qtbot, dialog, lambda: dialog.add_chooser.add_tag(
        _tag(sandbox, "客户阶段", "已发货")))
    sending = threading.Event()
    synced_context.run_task(lambda _p, _c: sending.wait(30), owner=synced_context,
                            name="a batch still sending", writer=True)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    shown = dialog.preview.text()
    assert "Waiting for the writes before it to finish" in shown
    assert f"<b>{plan.api_calls} relations</b>" in shown        # the preview stays above it
    with qtbot.waitSignal(dialog.progress.pilotFinished, timeout=WAIT_MS):
        sending.set()
    assert dialog.batch_id


def test_by_keyboard_start_then_enter_after_the_pilot_continues(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    """Start, disabled once pressed, left the focus nowhere: Enter after the pilot did nothing."""
    ids = _ids(synced_context, 30)
    dialog = _dialog(qtbot, synced_context, ids)
    dialog.pilot.setValue(5)
    plan = _preview(qtbot, dialog, lambda: dialog.add_chooser.add_tag(
        _tag(sandbox, "客户阶段", "已发货")))
    dialog.start_button.setFocus()
    with qtbot.waitSignal(dialog.progress.pilotFinished, timeout=WAIT_MS):
        qtbot.keyClick(dialog.start_button, Qt.Key.Key_Space)
    progress = dialog.progress
    qtbot.waitUntil(lambda: dialog.focusWidget() is progress.continue_button, timeout=WAIT_MS)
    with qtbot.waitSignal(progress.batchFinished, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert blocker.args[0].status == "done" and blocker.args[0].applied == plan.api_calls


def test_closing_on_a_waiting_pilot_says_where_to_go_on(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    dialog = _dialog(qtbot, synced_context, _ids(synced_context, 30))
    dialog.pilot.setValue(2)
    plan = _preview(qtbot, dialog, lambda: dialog.add_chooser.add_tag(
        _tag(sandbox, "客户阶段", "已发货")))
    _start(qtbot, dialog, dialog.progress.pilotFinished)
    with qtbot.waitSignal(synced_context.status_message, timeout=WAIT_MS) as said:
        dialog.close()
    assert said.args == [f"Batch {dialog.batch_id} waits after its pilot: {plan.api_calls - 2}"
                         " API calls not sent yet. Tags → Unfinished batches… continues or"
                         " cancels it."]


def test_cancel_after_the_pilot_writes_nothing_more(qtbot: Any, synced_context: Any,
                                                    sandbox: Any) -> None:
    ids = _ids(synced_context)
    dialog = _dialog(qtbot, synced_context, ids)
    dialog.pilot.setValue(5)
    plan = _preview(qtbot, dialog,
                    lambda: dialog.add_chooser.add_tag(_tag(sandbox, "客户阶段", "已退款")))
    _start(qtbot, dialog, dialog.progress.pilotFinished)
    calls = sandbox.stats.calls(MARK_TAG)
    with qtbot.waitSignal(dialog.progress.stateChanged, timeout=WAIT_MS,
                          check_params_cb=lambda state: state == "cancelled"):
        qtbot.mouseClick(dialog.progress.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.wait(300)
    assert sandbox.stats.calls(MARK_TAG) == calls
    info = synced_context.tagging.batch(dialog.batch_id)
    assert (info.status, info.applied, info.pending) == ("cancelled", 5, plan.api_calls - 5)
    assert synced_context.tagging.unfinished_batches() == []
    assert not dialog.progress.continue_button.isVisible()


def test_pause_holds_new_calls_and_cancel_stops_the_run(qtbot: Any, synced_context: Any,
                                                        sandbox: Any) -> None:
    sandbox.configure(latency_ms=20)
    ids = _ids(synced_context, 200)
    dialog = _dialog(qtbot, synced_context, ids)
    dialog.pilot.setValue(0)
    plan = _preview(qtbot, dialog,
                    lambda: dialog.add_chooser.add_tag(_tag(sandbox, "OPS-售后", "待回访")))
    assert plan.api_calls > 60
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sandbox.stats.calls(MARK_TAG) >= 10, timeout=WAIT_MS)
    qtbot.mouseClick(dialog.progress.pause_button, Qt.MouseButton.LeftButton)
    assert dialog.progress.state == "paused"
    qtbot.waitUntil(lambda: "已暂停" in dialog.progress.counts.text(), timeout=WAIT_MS)
    counts = dialog.progress.counts.text()      # the UI language's half, the rate vs the limit
    limit = synced_context.workspace.profile.calls_per_minute
    assert "已暂停" in counts and f"/{limit:,} 次/分" in counts and "剩余约" in counts
    assert "calls/min" not in counts
    assert 0 < dialog.progress.bar.value() < dialog.progress.bar.maximum() == plan.api_calls
    qtbot.wait(200)
    held = sandbox.stats.calls(MARK_TAG)
    qtbot.wait(300)
    assert sandbox.stats.calls(MARK_TAG) == held
    with qtbot.waitSignal(dialog.progress.batchFinished, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.progress.cancel_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result.status == "cancelled" and result.pending > 0
    assert result.applied + result.pending == plan.api_calls
    qtbot.wait(200)
    assert sandbox.stats.calls(MARK_TAG) == held


def test_failures_are_listed_and_retried_once_fixed(qtbot: Any, synced_context: Any,
                                                    sandbox: Any) -> None:
    with sandbox.state.transaction() as conn:
        ways = conn.execute("SELECT config_id, users FROM contact_way WHERE parties = '[]'"
                            ).fetchall()
    config_id, userid = next((c, json.loads(u)[0]) for c, u in ways if len(json.loads(u)) == 1)
    rid, external_userid = synced_context.cache.connection().execute(
        "SELECT id, external_userid FROM relation WHERE userid = ? ORDER BY id", (userid,)
    ).fetchone()
    ids = [rid, *[i for i in _ids(synced_context, 20) if i != rid]]
    shipped = _tag(sandbox, "客户阶段", "已发货")
    sandbox.state.delete_relation(userid, external_userid)
    context = synced_context
    batch_id = context.tagging.submit(context.tagging.plan(ids, [shipped]), source="app")
    panel = BatchProgressPanel(context)
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.waitSignal(panel.batchFinished, timeout=WAIT_MS) as blocker:
        panel.start(batch_id)
    assert blocker.args[0].failed == 1
    assert panel.retry_button.isVisible() and panel.failures.count() == 1
    assert external_userid in panel.failures.item(0).text()

    sandbox.state.simulate_scan(config_id, external_userid)
    with qtbot.waitSignal(panel.batchFinished, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert (result.status, result.failed) == ("done", 0)
    assert shipped in sandbox.state.relation_tag_ids(userid, external_userid)
    assert not panel.retry_button.isVisible() and not panel.failures.isVisible()


def test_unfinished_batches_are_offered_and_resumed(qtbot: Any, synced_context: Any,
                                                    sandbox: Any) -> None:
    context = synced_context
    assert offer_unfinished_batches(context) is None
    ids = _ids(context, 40)
    won = _tag(sandbox, "客户阶段", "已成交")
    plan = context.tagging.plan(ids, [won])
    described = "规则 rule: " + ", ".join(["北京归华北", "付款即成交", "展会码", "开票提醒"] * 3)
    batch_id = context.tagging.submit(plan, source="app", description=described, pilot_size=3)
    context.tagging.run(batch_id)
    dialog = offer_unfinished_batches(context)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1 and batch_id in dialog.list.item(0).text()
    assert "WeCom refused" in dialog.intro.text()   # a solo profile's calls go to WeCom
    qtbot.waitExposed(dialog)                    # a long line wraps in the list, not cut off
    assert dialog.list.horizontalScrollBar().maximum() == 0
    assert dialog.list.visualItemRect(dialog.list.item(0)).height() > 2 * dialog.fontMetrics(
    ).height()
    counts = dialog.list.item(0).text().splitlines()[-1]    # whole, on a line of their own
    assert re.fullmatch(r"[\d,]+\s+pending · 3\s+applied · 0\s+failed", counts)
    assert dialog.fontMetrics().horizontalAdvance(counts) < dialog.list.viewport().width()
    progress = dialog.resume_selected()
    assert progress is not None
    qtbot.addWidget(progress)
    qtbot.waitUntil(lambda: progress.panel.state == "done", timeout=WAIT_MS)
    assert context.tagging.batch(batch_id).applied == plan.api_calls
    tags = _sandbox_tags(sandbox, context, ids)
    assert all(won in t for t in tags.values())
    assert context.tagging.unfinished_batches() == []


def test_a_cancelled_batch_is_no_longer_offered(qtbot: Any, synced_context: Any,
                                                sandbox: Any) -> None:
    context = synced_context
    plan = context.tagging.plan(_ids(context, 30), [_tag(sandbox, "客户阶段", "已报价")])
    batch_id = context.tagging.submit(plan, source="app", pilot_size=2)
    context.tagging.run(batch_id)
    dialog = offer_unfinished_batches(context)
    assert dialog is not None
    qtbot.addWidget(dialog)
    calls = sandbox.stats.calls(MARK_TAG)
    with qtbot.waitSignal(context.status_message, timeout=WAIT_MS) as said:
        dialog.cancel_selected()        # the dialog closes: the status bar says what happened
    assert said.args == [f"Batch {batch_id} cancelled: {plan.api_calls - 2} API calls will not"
                         " be sent; what was applied stays (the audit log can revert it)."]
    assert context.tagging.batch(batch_id).status == "cancelled"
    assert context.tagging.unfinished_batches() == []
    assert sandbox.stats.calls(MARK_TAG) == calls
    assert context.tagging.batch(batch_id).pending == plan.api_calls - 2


def test_the_estimate_reads_in_the_interface_language(qtbot: Any, synced_context: Any,
                                                      sandbox: Any) -> None:
    translations = Translations()
    translations.install(CHINESE)
    try:
        dialog = _dialog(qtbot, synced_context, _ids(synced_context, 3))
        _preview(qtbot, dialog, lambda: dialog.add_chooser.add_tag(
            _tag(sandbox, "意向程度", "高意向")))
        estimate = dialog.preview.text().split("<br>")[-1]
        assert re.search(r"约需 \d+ 秒", estimate) and " s" not in estimate, estimate
    finally:
        translations.uninstall()


def test_a_preview_with_nothing_to_change_gives_no_time_estimate(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    keen = _tag(sandbox, "意向程度", "高意向")
    ids = synced_context.filter_engine.relation_ids("高意向", order_by="createtime")[:5]
    dialog = _dialog(qtbot, synced_context, ids)
    plan = _preview(qtbot, dialog, lambda: dialog.add_chooser.add_tag(keen))
    assert plan.api_calls == 0 and plan.skipped_noop == 5
    assert "About" not in dialog.preview.text() and "5 already as asked" in dialog.preview.text()
    assert not dialog.start_button.isEnabled()


def test_replace_within_group_plans_nothing_until_a_group_is_chosen(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    """Ticking 组内替换 alone must not offer to strip the first group in the list from every
    relation: the group box starts empty and Start stays off until a group is chosen."""
    dialog = _dialog(qtbot, synced_context, _ids(synced_context))
    dialog.replace_mode.setChecked(True)
    qtbot.wait(500)                                     # past the preview's delay
    assert dialog.group.currentIndex() == -1 and dialog.group.currentText() == ""
    assert dialog.plan is None and not dialog.start_button.isEnabled()
    assert dialog.preview.text() == "Choose tags to see what would change."
    plan = _preview(qtbot, dialog, lambda: dialog.group.setCurrentIndex(
        dialog.group.findText("客户等级")))
    assert plan.api_calls > 0 and dialog.start_button.isEnabled()


def test_each_tag_box_sits_beside_its_label_in_either_mode(
        qtbot: Any, synced_context: Any) -> None:
    """添加: and its search box on one line, 到期: right below; the room 组内替换 frees (no 移除
    box) went between them, the box 97 px below its label, then between the rows."""
    dialog = _dialog(qtbot, synced_context, _ids(synced_context))
    for replace in (False, True):
        dialog.replace_mode.setChecked(replace)
        qtbot.waitUntil(lambda shown=replace: dialog.group.isVisible() == shown, timeout=WAIT_MS)
        label = dialog.add_label.mapTo(dialog, QPoint(0, 0)).y()
        search = dialog.add_chooser.search.mapTo(dialog, QPoint(0, 0)).y()
        assert abs(search - label) <= dialog.add_label.height(), (replace, label, search)
        chosen = dialog.add_chooser.chosen
        below = chosen.mapTo(dialog, QPoint(0, chosen.height())).y()
        assert dialog.expires.mapTo(dialog, QPoint(0, 0)).y() - below <= 20   # the next row


def test_the_arrow_keys_pick_another_hit_than_the_first(qtbot: Any) -> None:
    """`gyx` finds 高意向 and 高意向客户: Down then Enter takes the second; Up goes back."""
    chooser = TagChooser()
    qtbot.addWidget(chooser)
    chooser.set_tags([
        TagInfo("t1", "高意向", "g1", "意向程度", 0, TagKind.CORP, relation_count=120),
        TagInfo("t2", "高意向客户", "g2", "历史标签", 0, TagKind.CORP, relation_count=40),
    ])
    chooser.show()
    qtbot.keyClicks(chooser.search, "gyx")
    assert chooser.results.count() == 2 and chooser.results.currentRow() == 0
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown):
        qtbot.keyClick(chooser.search, key)
    assert chooser.results.currentRow() == 1
    qtbot.keyClick(chooser.search, Qt.Key.Key_Return)
    assert chooser.tag_ids() == ["t2"] and chooser.search.text() == ""


def test_a_batch_drops_the_toggle_undone_before_it_from_redo(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    """Undo a toggle, then run an unrelated batch: Redo must not replay the toggle over it."""
    stack = synced_context.undo_stack
    ids = _ids(synced_context, 40)
    synced_context.toggle_tag(ids[:3], _tag(sandbox, "意向程度", "高意向"), lambda: "高意向")
    qtbot.waitUntil(lambda: synced_context.wait_idle(100), timeout=WAIT_MS)
    stack.undo()
    qtbot.waitUntil(lambda: synced_context.wait_idle(100), timeout=WAIT_MS)
    assert stack.canRedo()
    dialog = _dialog(qtbot, synced_context, ids[10:])
    dialog.pilot.setValue(0)
    _preview(qtbot, dialog, lambda: dialog.add_chooser.add_tag(_tag(sandbox, "客户阶段", "已发货")))
    _start(qtbot, dialog, dialog.progress.batchFinished)
    assert not stack.canRedo() and stack.redoText() == ""
    assert stack.count() == 0


def test_emptying_a_group_asks_first_naming_the_group_and_the_customers(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    """组内替换 with a group and nothing to add only removes: Start asks before it empties."""
    translations = Translations()
    translations.install(CHINESE)
    try:
        dialog = _dialog(qtbot, synced_context, _ids(synced_context))
        dialog.pilot.setValue(0)
        dialog.replace_mode.setChecked(True)
        plan = _preview(qtbot, dialog, lambda: dialog.group.setCurrentIndex(
            dialog.group.findText("客户等级")))
        assert plan.api_calls > 0 and not plan.per_tag_add
        asked: list[str] = []

        def answer(button: QMessageBox.StandardButton) -> None:
            box = QApplication.activeModalWidget()
            assert isinstance(box, QMessageBox)
            asked.append(box.text())
            box.button(button).click()

        QTimer.singleShot(300, lambda: answer(QMessageBox.StandardButton.No))
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        assert asked == [f"要从 {plan.api_calls:,} 位客户身上移除分组「客户等级」的全部标签吗？"
                         "不会添加任何标签来代替。"]
        assert not dialog.batch_id and dialog.start_button.isEnabled()
        QTimer.singleShot(300, lambda: answer(QMessageBox.StandardButton.Yes))
        with qtbot.waitSignal(dialog.progress.batchFinished, timeout=WAIT_MS):
            qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        assert len(asked) == 2 and dialog.batch_id
    finally:
        translations.uninstall()
