"""A toggle on more than BIG_TOGGLE_CUSTOMERS customers asks first (the main window on the
real sandbox): 取消 / Esc / a stray Enter write nothing, 确定 writes, 批量重标 gets the
selection and the tag; below the threshold the toggle is written at once."""

from __future__ import annotations

from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.services.tag_admin import TagAdminService
from desktop.ui.big_toggle import BIG_TOGGLE_CUSTOMERS, BigToggleDialog, Toggle
from desktop.ui.i18n import CHINESE, Translations
from desktop.ui.main_window import MainWindow
from desktop.ui.retag_dialog import RetagDialog
from desktop.ui.tag_picker import TagPicker

pytestmark = pytest.mark.gui

ALT = Qt.KeyboardModifier.AltModifier


def _tag_id(context: Any, name: str) -> str:
    return str(context.cache.query("SELECT id FROM tag WHERE name = ?", (name,))[0]["id"])


def _lacking(context: Any, tag_id: str) -> list[int]:
    return [int(r["id"]) for r in context.cache.query(
        "SELECT id FROM relation WHERE id NOT IN (SELECT rt.relation_id FROM relation_tag rt"
        " JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?) ORDER BY id", (tag_id,))]


def _select(window: MainWindow, ids: list[int]) -> None:
    wanted = set(ids)
    selection = window.table.selectionModel()
    selection.clearSelection()
    for row in range(window.model.rowCount()):
        if window.model.relation_id(row) in wanted:
            selection.select(window.model.index(row, 0),
                             selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    assert sorted(window.selected_relation_ids()) == sorted(ids)


def _written(context: Any) -> tuple[int, int, int]:
    """Batches, outbox rows and undo steps: what any toggle adds to."""
    cache = context.cache
    return (cache.query("SELECT count(*) AS n FROM batch")[0]["n"],
            cache.query("SELECT count(*) AS n FROM outbox")[0]["n"],
            context.undo_stack.count())


def _pin_first(qtbot: Any, window: MainWindow, context: Any, tag_id: str) -> None:
    with qtbot.waitSignal(context.changed, timeout=10000):
        context.publish(TagAdminService(context.workspace).pin(context.operator, tag_id))
    qtbot.waitUntil(lambda: window.favourites.tag_for_slot(1) == tag_id, timeout=10000)


def _alt_1(qtbot: Any, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_1, ALT)


def _question(qtbot: Any, window: MainWindow) -> BigToggleDialog:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(BigToggleDialog)),
                    timeout=10000)
    [dialog] = [d for d in window.findChildren(BigToggleDialog) if d.isVisible()]
    return dialog


def test_alt_1_on_every_customer_asks_and_cancel_escape_and_enter_write_nothing(
        qtbot: Any, window: MainWindow, synced_context: Any) -> None:
    tag = _tag_id(synced_context, "VIP")
    _pin_first(qtbot, window, synced_context, tag)
    lacking = _lacking(synced_context, tag)
    assert len(lacking) > BIG_TOGGLE_CUSTOMERS
    window.table.selectAll()
    before = _written(synced_context)
    _alt_1(qtbot, window)
    dialog = _question(qtbot, window)
    count = f"{len(lacking):,}"
    assert dialog.question.text() == (
        f"Add VIP to {count} customer(s)? That is {count} WeCom call(s), one per customer.")
    assert dialog.isModal()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.cancel_button, timeout=5000)
    qtbot.keyClick(dialog.cancel_button, Qt.Key.Key_Return)    # a second Enter: nothing
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=5000)
    _alt_1(qtbot, window)
    dialog = _question(qtbot, window)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=5000)
    _alt_1(qtbot, window)
    dialog = _question(qtbot, window)
    dialog.cancel_button.click()
    synced_context.wait_idle()
    assert _written(synced_context) == before
    assert _lacking(synced_context, tag) == lacking


def test_ok_in_the_question_writes_the_toggle(
        qtbot: Any, window: MainWindow, synced_context: Any, sandbox: Any) -> None:
    tag = _tag_id(synced_context, "VIP")
    _pin_first(qtbot, window, synced_context, tag)
    window.table.selectAll()
    _alt_1(qtbot, window)
    dialog = _question(qtbot, window)
    dialog.ok_button.setFocus()
    with qtbot.waitSignal(synced_context.changed, timeout=60000):
        qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Return)
    synced_context.wait_idle()
    assert _lacking(synced_context, tag) == []
    assert all(tag in sandbox.state.relation_tag_ids(userid, external)
               for userid, external in sandbox.state.relations())


def test_a_toggle_at_the_threshold_is_written_without_a_question(
        qtbot: Any, window: MainWindow, synced_context: Any) -> None:
    tag = _tag_id(synced_context, "VIP")
    ids = _lacking(synced_context, tag)[:BIG_TOGGLE_CUSTOMERS]
    _select(window, ids)
    picker = window.open_tag_picker()
    assert isinstance(picker, TagPicker)
    qtbot.waitUntil(lambda: picker.picker_data is not None and picker.model.carried is not None,
                    timeout=10000)
    qtbot.keyClicks(picker.search, "VIP")
    current = picker.current_tag()
    assert current is not None and current.id == tag
    with qtbot.waitSignal(synced_context.changed, timeout=60000):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert not window.findChildren(BigToggleDialog)
    synced_context.wait_idle()
    assert not set(ids) & set(_lacking(synced_context, tag))


def test_the_pickers_question_hands_the_selection_and_tag_to_retag(
        qtbot: Any, window: MainWindow, synced_context: Any) -> None:
    tag = _tag_id(synced_context, "VIP")
    lacking = _lacking(synced_context, tag)
    window.table.selectAll()
    ids = window.selected_relation_ids()
    before = _written(synced_context)
    picker = window.open_tag_picker()
    assert isinstance(picker, TagPicker)
    qtbot.waitUntil(lambda: picker.picker_data is not None and picker.model.carried is not None,
                    timeout=10000)
    qtbot.keyClicks(picker.search, "VIP")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    dialog = _question(qtbot, window)
    dialog.retag_button.click()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(RetagDialog)),
                    timeout=5000)
    [retag] = [d for d in window.findChildren(RetagDialog) if d.isVisible()]
    assert retag.relation_ids == ids
    qtbot.waitUntil(lambda: retag.add_chooser.tag_ids() == [tag], timeout=10000)
    assert retag.remove_chooser.tag_ids() == []
    qtbot.waitUntil(lambda: retag.plan is not None, timeout=10000)
    assert retag.plan is not None and retag.plan.api_calls == len(lacking)  # the same toggle
    assert not shiboken6.isValid(dialog)
    synced_context.wait_idle()
    assert _written(synced_context) == before


def test_removing_from_many_says_so_in_chinese(qtbot: Any) -> None:
    translations = Translations()
    translations.install(CHINESE)
    try:
        dialog = BigToggleDialog(Toggle(list(range(26938)), "t", "深圳", 26938, True))
        qtbot.addWidget(dialog)
        assert dialog.question.text() == (
            "为 26,938 位客户移除 深圳？这需要调用企业微信 26,938 次，每位客户一次。")
        assert [b.text() for b in (dialog.ok_button, dialog.cancel_button)] == ["确定", "取消"]
        assert dialog.retag_button.text() == "在批量重标中预览…"
    finally:
        translations.uninstall()
