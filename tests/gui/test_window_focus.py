"""Each window opens with the keyboard focus where the work starts, never in a number box:
a key pressed at once (a digit, an arrow) would change a pilot's size or the zombie days."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QPushButton, QWidget

from desktop.ui.main_window import MainWindow

SELECT_ONLY_ROW = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                   | QItemSelectionModel.SelectionFlag.Rows)
FIRST_FOCUS = {  # the windows whose start is clear, and the widget it is
    "open_reconcile": "source", "open_rules": "rules", "open_health": "table",
    "open_autotag_review": "simulate_button",
}
OTHERS = ["open_import_wizard", "open_export_dialog", "open_approvals", "open_events_browser",
          "open_events", "open_deleted_tags", "open_scenes", "open_arrivals",
          "open_expiring_tags", "open_exclusive_sets", "open_audit_viewer", "open_reports",
          "open_filter_syntax", "open_team_login"]


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    """The main window with its first row selected."""
    window.table.selectRow(0)
    return window


def _focused(qtbot: Any, window: MainWindow, opener: str) -> tuple[QWidget, QWidget | None]:
    opened = getattr(window, opener)()
    assert opened is not None, opener
    opened.activateWindow()
    qtbot.waitUntil(lambda: opened.focusWidget() is not None, timeout=5000)
    return opened, opened.focusWidget()


@pytest.mark.parametrize("opener", sorted(FIRST_FOCUS))
def test_a_tool_window_opens_with_the_focus_where_its_work_starts(
        qtbot: Any, window: MainWindow, opener: str) -> None:
    opened, focused = _focused(qtbot, window, opener)
    assert focused is getattr(opened, FIRST_FOCUS[opener]), (opener, focused)


def test_no_window_opens_with_the_focus_in_a_number_box(qtbot: Any, window: MainWindow) -> None:
    for opener in OTHERS:
        opened, focused = _focused(qtbot, window, opener)
        assert not isinstance(focused, QAbstractSpinBox), (opener, focused)
        opened.close()


def test_a_health_finding_shown_in_the_table_brings_the_main_window_forward(
        qtbot: Any, window: MainWindow) -> None:
    """筛选这些客户 and 定位这些标签 act on the main window: it comes over the health window
    instead of filtering (or selecting a tag) behind it, out of sight."""
    health = window.open_health()
    qtbot.waitUntil(lambda: health.model.report is not None and health.model.rowCount() > 0,
                    timeout=15000)
    for button in (health.filter_button, health.select_button):
        health.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is health, timeout=5000)
        health.table.selectionModel().select(  # selectRow would follow a Ctrl an earlier
            health.model.index(0, 0), SELECT_ONLY_ROW)  # test's key events left held
        assert button.isEnabled()
        button.click()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    assert window.filter_bar.text() == health.filter_expression() != ""


@pytest.mark.parametrize("opener", ["open_autotag_review", "open_audit_viewer"])
def test_enter_presses_the_focused_button_of_a_tool_window(
        qtbot: Any, window: MainWindow, opener: str) -> None:
    """Tool windows that are no dialogs: Qt's buttons take Enter only in a dialog, so Enter
    on 模拟, where the review window starts, did nothing."""
    opened, _focused_at_start = _focused(qtbot, window, opener)
    button = opened.findChild(QPushButton)
    assert button is not None
    pressed: list[bool] = []
    button.clicked.connect(lambda: pressed.append(True))
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Return)
    assert pressed == [True]


ENTER_PRESSES = {  # the button Enter presses where no other has the focus: the step forward
    "open_scenes": "Next", "open_events": "Import", "open_reconcile": "Compare",
    "open_expiring_tags": "Close",          # never 立即移除到期标签: a batch, asked nothing
}


@pytest.mark.parametrize("opener", sorted(ENTER_PRESSES))
def test_enter_in_a_dialog_presses_its_step_forward(
        qtbot: Any, window: MainWindow, opener: str) -> None:
    opened, _focused_at_start = _focused(qtbot, window, opener)
    defaults = [b.text() for b in opened.findChildren(QPushButton)
                if b.isDefault() and b.isVisible()]
    assert defaults == [ENTER_PRESSES[opener]], (opener, defaults)


def test_enter_in_the_keywords_dialog_saves(qtbot: Any, window: MainWindow) -> None:
    review = window.open_autotag_review()
    dialog = review.open_keywords()
    with qtbot.waitSignal(dialog.loaded, timeout=15000):
        pass                                    # its keywords are read on a worker
    dialog.add_row("VIP", "vip")
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    dialog.table.setFocus()
    with qtbot.waitSignal(dialog.saved, timeout=15000):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
