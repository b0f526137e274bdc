"""The tag picker on the real sandbox: find by initials or abbreviation, Enter tags everyone."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop.domain.tags import TagInfo
from desktop.services.tag_admin import TagAdminService
from desktop.ui.i18n import CHINESE, Translations
from desktop.ui.tag_picker import CARRIED_ROLE, TagPicker

pytestmark = pytest.mark.gui


def _relations(context: Any, tag_id: str, *, carrying: bool, limit: int) -> list[Any]:
    op = "IN" if carrying else "NOT IN"
    return list(context.cache.query(
        f"SELECT id, userid, external_userid FROM relation WHERE id {op} (SELECT rt.relation_id"
        " FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?) ORDER BY id"
        " LIMIT ?", (tag_id, limit)))


def _sandbox_has(sandbox: Any, rows: list[Any], tag_id: str) -> list[bool]:
    return [tag_id in sandbox.state.relation_tag_ids(r["userid"], r["external_userid"])
            for r in rows]


def _open(qtbot: Any, context: Any, rows: list[Any], *, wait: bool = True) -> TagPicker:
    picker = TagPicker(context, [int(r["id"]) for r in rows])
    qtbot.addWidget(picker)
    picker.show()
    if wait:
        qtbot.waitUntil(lambda: picker.picker_data is not None
                        and picker.model.carried is not None, timeout=10000)
    return picker


@pytest.fixture
def high(sandbox: Any) -> str:
    return str(sandbox.state.find_tag("意向程度", "高意向"))


def test_gyx_then_enter_tags_every_selected_relation(
    qtbot: Any, synced_context: Any, sandbox: Any, high: str
) -> None:
    rows = _relations(synced_context, high, carrying=False, limit=3)
    picker = _open(qtbot, synced_context, rows)
    qtbot.keyClicks(picker.search, "gyx")
    assert _current(picker).name == "高意向"
    assert picker.results.currentIndex().data(Qt.ItemDataRole.CheckStateRole) == \
        Qt.CheckState.Unchecked
    with qtbot.waitSignal(synced_context.status_message, timeout=5000) as said:
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert not picker.isVisible()
    assert said.args == ["Added 高意向 to 3 customer(s)"]       # says what it did
    assert synced_context.undo_stack.undoText() == "Add 高意向 to 3 customer(s)"
    qtbot.waitUntil(lambda: all(_sandbox_has(sandbox, rows, high)), timeout=15000)
    synced_context.wait_idle()
    # One undoable step: Ctrl+Z takes the tag off again in WeCom.
    synced_context.undo_stack.undo()
    qtbot.waitUntil(lambda: not any(_sandbox_has(sandbox, rows, high)), timeout=15000)
    synced_context.wait_idle()


def test_abbreviation_finds_the_tag_and_typing_before_loading_counts(
    qtbot: Any, synced_context: Any, sandbox: Any, high: str
) -> None:
    TagAdminService(synced_context.workspace).set_abbreviation(high, "HI")
    rows = _relations(synced_context, high, carrying=False, limit=2)
    picker = _open(qtbot, synced_context, rows, wait=False)
    qtbot.keyClicks(picker.search, "hi")
    qtbot.waitUntil(lambda: picker.current_tag() is not None, timeout=10000)
    assert _current(picker).id == high
    assert "[HI]" in picker.results.currentIndex().data()
    qtbot.keyClick(picker.search, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: all(_sandbox_has(sandbox, rows, high)), timeout=15000)
    synced_context.wait_idle()


def test_some_all_none_and_ctrl_enter_keeps_it_open(
    qtbot: Any, synced_context: Any, sandbox: Any, high: str
) -> None:
    rows = [*_relations(synced_context, high, carrying=True, limit=2),
            *_relations(synced_context, high, carrying=False, limit=1)]
    picker = _open(qtbot, synced_context, rows)
    picker.search.setText("高意向")  # QTest types ASCII only
    current = picker.results.currentIndex()
    assert current.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.PartiallyChecked
    assert current.data(CARRIED_ROLE) == 2
    assert "2" in current.data(Qt.ItemDataRole.ToolTipRole)
    qtbot.keyClick(picker.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert picker.isVisible()
    assert picker.results.currentIndex().data(Qt.ItemDataRole.CheckStateRole) == \
        Qt.CheckState.Checked
    qtbot.waitUntil(lambda: all(_sandbox_has(sandbox, rows, high)), timeout=15000)
    synced_context.wait_idle()
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)  # on all now: removes it from all
    qtbot.waitUntil(lambda: not any(_sandbox_has(sandbox, rows, high)), timeout=15000)
    synced_context.wait_idle()


def _box(picker: TagPicker) -> QPoint:
    """The centre of the highlighted tag's box, in the list's viewport."""
    view, index = picker.results, picker.results.currentIndex()
    option = QStyleOptionViewItem()
    option.rect = view.visualRect(index)
    delegate = view.itemDelegate()
    assert isinstance(delegate, QStyledItemDelegate)
    delegate.initStyleOption(option, index)
    return view.style().subElementRect(
        QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view).center()


def _double_click(qtbot: Any, widget: QWidget, pos: QPoint) -> None:
    """A double click as the window system delivers it: press, release, then press and
    double click, release (QTest's mouseDClick sends the double click event alone)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=pos)
    QApplication.sendEvent(widget, QMouseEvent(
        QEvent.Type.MouseButtonDblClick, QPointF(pos), QPointF(widget.mapToGlobal(pos)),
        Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=pos)


def test_a_click_on_a_tag_s_box_toggles_it_and_keeps_the_picker_open(
    qtbot: Any, synced_context: Any, sandbox: Any, high: str
) -> None:
    """Clicking a box selected the row and nothing else: the box showed the selection's
    state but did not take a click, so a salesperson's mouse tagged no one."""
    rows = _relations(synced_context, high, carrying=False, limit=2)
    picker = _open(qtbot, synced_context, rows)
    picker.search.setText("高意向")  # QTest types ASCII only
    viewport = picker.results.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=_box(picker))
    qtbot.waitUntil(lambda: all(_sandbox_has(sandbox, rows, high)), timeout=15000)
    assert picker.isVisible()
    qtbot.waitUntil(lambda: picker.results.currentIndex().data(Qt.ItemDataRole.CheckStateRole)
                    == Qt.CheckState.Checked, timeout=15000)
    synced_context.wait_idle()
    steps = synced_context.undo_stack.count()
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    _double_click(qtbot, viewport, _box(picker))      # one toggle, the picker kept open
    qtbot.waitUntil(lambda: not any(_sandbox_has(sandbox, rows, high)), timeout=15000)
    synced_context.wait_idle()
    assert synced_context.undo_stack.count() == steps + 1 and picker.isVisible()
    assert not any(_sandbox_has(sandbox, rows, high))


def test_the_hint_counts_the_selected_customers_in_chinese(
    qtbot: Any, synced_context: Any, high: str
) -> None:
    """It read "Enter：为所选 3 个添加或移除": a count without what it counts."""
    translations = Translations()
    translations.install(CHINESE)
    try:
        picker = _open(qtbot, synced_context, _relations(synced_context, high, carrying=False,
                                                         limit=3))
        qtbot.keyClicks(picker.search, "gyx")
        assert picker.summary.text() == "Enter：为所选 3 位客户添加或移除 · Esc：关闭"
    finally:
        translations.uninstall()


def test_escape_closes_without_changes(qtbot: Any, synced_context: Any, sandbox: Any,
                                       high: str) -> None:
    rows = _relations(synced_context, high, carrying=False, limit=2)
    picker = _open(qtbot, synced_context, rows)
    qtbot.keyClicks(picker.search, "gyx")
    qtbot.keyClick(picker.search, Qt.Key.Key_Escape)
    assert not picker.isVisible()
    synced_context.wait_idle()
    assert not any(_sandbox_has(sandbox, rows, high))
    assert synced_context.undo_stack.count() == 0


def test_arrows_move_and_empty_query_starts_with_favourites(
    qtbot: Any, synced_context: Any, sandbox: Any, high: str
) -> None:
    vip = sandbox.state.find_tag("客户等级", "VIP")
    TagAdminService(synced_context.workspace).pin(synced_context.operator, vip)
    picker = _open(qtbot, synced_context, _relations(synced_context, high, carrying=False,
                                                     limit=1))
    assert _current(picker).id == vip
    second = picker.model.tags[1].id
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    assert _current(picker).id == second
    qtbot.keyClick(picker.search, Qt.Key.Key_Up)
    qtbot.keyClick(picker.search, Qt.Key.Key_Up)
    assert _current(picker).id == vip
    qtbot.keyClicks(picker.search, "zzzzqqq")
    assert picker.current_tag() is None and "zzzzqqq" in picker.summary.text()
    assert not picker.apply()


def test_model_tester(qtbot: Any, qtmodeltester: Any, synced_context: Any, high: str) -> None:
    picker = _open(qtbot, synced_context, _relations(synced_context, high, carrying=True,
                                                     limit=3))
    qtbot.keyClicks(picker.search, "yx")
    qtmodeltester.check(picker.model)


def test_t_in_the_main_window_opens_the_picker_on_the_selection(
    qtbot: Any, synced_context: Any, gui_home: Any, sandbox: Any, high: str
) -> None:
    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import Settings
    from desktop.ui.sync_controller import SyncController

    window = MainWindow(synced_context, Settings(gui_home),
                        SyncController(synced_context, synced_context), "en")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        window.show()
    selection = window.table.selectionModel()
    for row in (0, 1):
        selection.select(window.model.index(row, 0),
                         selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    ids = window.selected_relation_ids()
    rows = [synced_context.cache.query(
        "SELECT id, userid, external_userid FROM relation WHERE id = ?", (rid,))[0]
        for rid in ids]
    window.activateWindow()
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_T)
    picker = window.picker
    assert isinstance(picker, TagPicker) and picker.isVisible()
    assert picker.relation_ids == ids
    qtbot.waitUntil(lambda: picker.picker_data is not None, timeout=10000)
    qtbot.keyClicks(picker.search, "gyx")
    wanted = not all(_sandbox_has(sandbox, rows, high))
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _sandbox_has(sandbox, rows, high) == [wanted] * len(rows),
                    timeout=15000)
    synced_context.wait_idle()


def test_a_large_selection_reads_with_a_thousands_separator(
    qtbot: Any, synced_context: Any
) -> None:
    picker = TagPicker(synced_context, range(1, 1235))
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitUntil(lambda: picker.picker_data is not None and picker.model.carried is not None,
                    timeout=10000)
    assert "on 1,234 selected" in picker.summary.text()


def _current(picker: TagPicker) -> TagInfo:
    tag = picker.current_tag()
    assert tag is not None, "no current tag"
    return tag


def test_enter_before_the_counts_arrive_toggles_by_the_tags_own_count(
    qtbot: Any, synced_context: Any, sandbox: Any, high: str
) -> None:
    """Enter typed before the selection's counts are read: the picker took none as carrying
    the tag, so on customers who all carry it the toggle said (and was) an add. It now
    counts that one tag first: every selected customer carries it, so it is taken off."""
    rows = _relations(synced_context, high, carrying=True, limit=2)
    picker = _open(qtbot, synced_context, rows)
    picker.model.carried = None                 # as before the counts' task has answered
    qtbot.keyClicks(picker.search, "gyx")
    assert _current(picker).name == "高意向"
    with qtbot.waitSignal(synced_context.status_message, timeout=5000) as said:
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert said.args == ["Removed 高意向 from 2 customer(s)"]
    qtbot.waitUntil(lambda: not any(_sandbox_has(sandbox, rows, high)), timeout=15000)
    synced_context.wait_idle()
