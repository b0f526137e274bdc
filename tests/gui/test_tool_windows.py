"""The audit log and reports windows: one each, raised when asked again, closed by Esc / Ctrl+W."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget

from desktop.ui.audit_viewer import AuditViewer
from desktop.ui.export_dialog import ExportDialog
from desktop.ui.import_wizard import ImportWizard
from desktop.ui.main_window import MainWindow
from desktop.ui.reports import ReportsWindow
from desktop.ui.retag_dialog import RetagDialog
from tests.gui.qt_items import top_item

pytestmark = pytest.mark.gui

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _press(qtbot: Any, target: QWidget, key: Qt.Key,
           modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press in the active window, as a user makes it."""
    target.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is target, timeout=5000)
    qtbot.keyClick(target, key, modifiers)


@pytest.mark.parametrize(("key", "kind"), [(Qt.Key.Key_L, AuditViewer),
                                           (Qt.Key.Key_R, ReportsWindow)])
def test_the_shortcut_twice_shows_one_window_and_esc_or_ctrl_w_closes_it(
        qtbot: Any, window: MainWindow, key: Qt.Key, kind: type[QWidget]) -> None:
    _press(qtbot, window, key, CTRL_SHIFT)
    first = [w for w in window.findChildren(kind) if w.isVisible()]
    assert len(first) == 1
    _press(qtbot, window, key, CTRL_SHIFT)
    assert window.findChildren(kind) == first
    opened = first[0]
    assert opened.isWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is opened, timeout=5000)

    _press(qtbot, opened, Qt.Key.Key_Escape)
    assert not opened.isVisible()
    _press(qtbot, window, key, CTRL_SHIFT)
    assert opened.isVisible() and window.findChildren(kind) == [opened]
    _press(qtbot, opened, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert not opened.isVisible()



def test_esc_in_a_completion_list_closes_the_list_not_the_window(
        qtbot: Any, window: MainWindow) -> None:
    """Esc pressed to put away the operator box's list of people closed the whole audit log
    (and, opened again, it started clean: the filter was lost)."""
    viewer = window.open_audit_viewer()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is viewer, timeout=5000)
    people = viewer.filters._people
    line = viewer.filters.operator.lineEdit()
    assert line is not None
    operators = viewer.filters.operator
    qtbot.waitUntil(lambda: operators.count() > 1, timeout=5000)   # the people are read
    typed = str(operators.itemData(1))[:2]    # a userid's start finds them
    qtbot.waitUntil(lambda: bool(people.matches(typed)), timeout=5000)
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, typed)
    popup = people.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible, timeout=5000)
    qtbot.keyClick(line, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not popup.isVisible(), timeout=5000)
    assert viewer.isVisible() and line.text() == typed
    qtbot.keyClick(line, Qt.Key.Key_Escape)      # no list open: Esc closes the window
    assert not viewer.isVisible()


def test_scene_templates_and_exclusive_sets_open_once_and_come_back_as_left(
        qtbot: Any, window: MainWindow) -> None:
    scenes = window.open_scenes()
    scenes.list.setCurrentItem(top_item(scenes.list, 1))
    sets = window.open_exclusive_sets()
    sets.name.setText("成交状态")
    assert window.open_scenes() is scenes and window.open_exclusive_sets() is sets
    for opened in (scenes, sets):
        _press(qtbot, opened, Qt.Key.Key_Escape)
        assert not opened.isVisible()
    assert window.open_scenes() is scenes and scenes.isVisible()
    assert scenes.list.currentItem() is top_item(scenes.list, 1)
    assert window.open_exclusive_sets() is sets and sets.name.text() == "成交状态"
    assert len(window.findChildren(type(scenes))) == len(window.findChildren(type(sets))) == 1
    window.context.wait_idle()


@pytest.mark.parametrize(("key", "modifiers", "kind"), [
    (Qt.Key.Key_T, CTRL_SHIFT, RetagDialog),
    (Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier, ExportDialog),
    (Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier, ImportWizard)])
def test_retag_export_and_import_open_once_for_the_same_customers(
        qtbot: Any, window: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier,
        kind: type[QWidget]) -> None:
    window.table.selectRow(1)

    def shown() -> list[QWidget]:
        return [w for w in window.findChildren(kind) if w.isVisible()]

    _press(qtbot, window, key, modifiers)
    (first,) = shown()
    _press(qtbot, window, key, modifiers)
    assert shown() == [first]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is first, timeout=5000)
    window.table.selectRow(4)
    _press(qtbot, window, key, modifiers)
    (now,) = shown()
    if isinstance(now, (RetagDialog, ExportDialog)):     # not started: the new selection
        assert now is not first
        assert now.relation_ids == window.selected_relation_ids()
    else:
        assert now is first
    now.close()


def test_a_tool_window_opens_centred_on_the_main_window_then_where_it_was_put(
        qtbot: Any, window: MainWindow) -> None:
    """The window manager put the audit log, health and review windows in a corner. The
    offscreen screen is 800 px wide: the 1,200 px log starts at its left edge, and is
    centred from top to bottom over the main window."""
    window.resize(700, 500)
    window.move(50, 150)
    opened = window.open_audit_viewer()
    qtbot.waitExposed(opened)
    offset = opened.frameGeometry().center() - window.frameGeometry().center()
    assert abs(offset.y()) <= 2, offset
    assert opened.frameGeometry().left() == window.screen().availableGeometry().left()
    opened.move(0, 20)
    qtbot.waitUntil(lambda: opened.pos() == QPoint(0, 20), timeout=5000)
    opened.close()
    window.move(120, 90)
    assert window.open_audit_viewer() is opened
    qtbot.waitExposed(opened)
    assert opened.pos() == QPoint(0, 20)


def test_a_tool_window_bigger_than_the_screen_shrinks_to_fit_inside_it(
        qtbot: Any, window: MainWindow) -> None:
    """The review window is 1,100 × 720: at 1,366 × 768 its title bar pushed its last
    buttons below the screen; the offscreen screen (800 × 600) is smaller still."""
    room = window.screen().availableGeometry()
    opened = window.open_autotag_review()
    qtbot.waitExposed(opened)
    assert room.contains(opened.frameGeometry()), (room, opened.frameGeometry())
    assert opened.width() >= opened.minimumSizeHint().width()
