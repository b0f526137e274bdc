"""Type-ahead in the customer table: letters typed in the table jump to the next customer whose
name or remark they spell (text, full pinyin, initials), on the real synced sandbox cache."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pypinyin import Style, pinyin
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from desktop.store import sort_keys
from desktop.ui.customer_table_model import Column, CustomerTableModel
from desktop.ui.customer_table_view import CustomerTableView

pytestmark = pytest.mark.gui

NAMES = {"zeng": "曾国藩", "ouyang": "欧阳娜娜", "tao": "张涛涛", "tian": "田小雨"}
REMARK = "Tom 老蔡"


@pytest.fixture
def named(synced_context: Any) -> dict[str, list[int]]:
    """Relation ids of customers renamed to NAMES (two customers for 欧阳娜娜) and of the
    relation whose remark is REMARK."""
    conn = synced_context.cache.connection()
    customers = [row[0] for row in conn.execute(
        "SELECT external_userid FROM customer ORDER BY external_userid LIMIT 6")]
    renamed = dict(zip(["zeng", "ouyang", "ouyang2", "tao", "tian"], customers[:5], strict=True))
    with conn:
        for key, external_userid in renamed.items():
            conn.execute("UPDATE customer SET name = ?, name_sort = '' WHERE external_userid = ?",
                         (NAMES[key.rstrip("2")], external_userid))
        conn.execute("UPDATE relation SET remark = ? WHERE external_userid = ?",
                     (REMARK, customers[5]))
        sort_keys.refresh(conn)
    found: dict[str, list[int]] = {
        key: [row[0] for row in conn.execute(
            "SELECT id FROM relation WHERE external_userid = ?", (external_userid,))]
        for key, external_userid in renamed.items()}
    found["remark"] = [row[0] for row in conn.execute(
        "SELECT id FROM relation WHERE external_userid = ?", (customers[5],))]
    return found


@pytest.fixture
def view(qtbot: Any, synced_context: Any, named: dict[str, list[int]]) -> Iterator[
        CustomerTableView]:
    model = CustomerTableModel(synced_context)
    with qtbot.waitSignal(model.queryFinished, timeout=15000):
        model.refresh()
    table = CustomerTableView(model)
    qtbot.addWidget(table)
    table.resize(900, 500)
    table.show()
    table.type_ahead.warm()
    qtbot.waitUntil(lambda: table.type_ahead.ready, timeout=15000)
    yield table


def _rows(view: CustomerTableView, ids: list[int]) -> list[int]:
    model = view.model()
    assert isinstance(model, CustomerTableModel)
    return sorted(row for rid in ids if (row := model.row_of(rid)) is not None)


def _next_of(rows: list[int], after: int) -> int:
    return next((row for row in rows if row > after), rows[0])


def _spells(text: str, typed: str) -> bool:
    """Whether `typed` starts `text`, its pinyin or its initials (any reading of the first
    character, pypinyin's first reading of the others)."""
    chars = [ch for ch in text.casefold() if not ch.isspace()]
    if not chars or text.strip().casefold().startswith(typed):
        return bool(chars)
    units = [pinyin(ch, style=Style.NORMAL, heteronym=True)[0] if "\u4e00" <= ch <= "\u9fff"
             else [ch] for ch in chars]
    for first in units[0]:
        syllables = [first, *(unit[0] for unit in units[1:])]
        spellings = ("".join(syllables), "".join(s[0] for s in syllables),
                     "".join(s[:2] if s[:2] in ("zh", "ch", "sh") else s[:1] for s in syllables))
        if any(spelling.startswith(typed) for spelling in spellings):
            return True
    return False


def _expected(view: CustomerTableView, typed: str, start: int) -> int:
    """The first row from `start` on, wrapping round, whose customer or remark `typed` spells."""
    model = view.model()
    rows = model.rowCount()
    for row in (*range(start, rows), *range(start)):
        texts = (model.data(model.index(row, Column.CUSTOMER)),
                 model.data(model.index(row, Column.REMARK)))
        if any(_spells(text, typed) for text in texts):
            return row
    raise AssertionError(f"no row spells {typed!r}")


def _go(view: CustomerTableView, row: int) -> None:
    view.selectionModel().setCurrentIndex(
        view.model().index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)


def _pause(qtbot: Any) -> None:
    qtbot.wait(QApplication.keyboardInputInterval() + 50)


def test_initials_full_pinyin_and_text_find_the_customer(
        qtbot: Any, view: CustomerTableView, named: dict[str, list[int]]) -> None:
    zeng = _rows(view, named["zeng"])
    for typed in ("zgf", "cgf", "zengguofan", "曾国"):   # 曾 read as a surname or as the word
        _go(view, 0)
        qtbot.keyClicks(view, typed) if typed.isascii() else view.keyboardSearch(typed)
        assert view.currentIndex().row() == _next_of(zeng, 0), typed
        assert view.selected_rows() == [view.currentIndex().row()]
        _pause(qtbot)
    remark = _rows(view, named["remark"])
    _go(view, 0)
    qtbot.keyClicks(view, "tom")
    assert view.currentIndex().row() == _next_of(remark, 0)
    _pause(qtbot)
    for typed in ("l", "zh", "wang", "ch", "lz", "xi"):     # the sandbox's own customers
        start = view.currentIndex().row()
        qtbot.keyClicks(view, typed)
        assert view.currentIndex().row() == _expected(view, typed, start + 1), typed
        _pause(qtbot)


def test_a_pause_starts_again_after_the_current_row(
        qtbot: Any, view: CustomerTableView, named: dict[str, list[int]]) -> None:
    ouyang = _rows(view, named["ouyang"] + named["ouyang2"])
    assert len(ouyang) >= 2
    _go(view, ouyang[0])
    qtbot.keyClicks(view, "oy")
    assert view.currentIndex().row() == ouyang[1]       # the next one, not the current one
    qtbot.keyClicks(view, "nn")                          # oynn: still this one
    assert view.currentIndex().row() == ouyang[1]
    _pause(qtbot)
    qtbot.keyClicks(view, "ouyang")
    assert view.currentIndex().row() == _next_of(ouyang, ouyang[1])


def test_nothing_matching_keeps_the_row_and_hidden_rows_are_skipped(
        qtbot: Any, view: CustomerTableView, named: dict[str, list[int]]) -> None:
    _go(view, 3)
    qtbot.keyClicks(view, "qqqqxz")
    assert view.currentIndex().row() == 3
    _pause(qtbot)
    model = view.model()
    assert isinstance(model, CustomerTableModel)
    with qtbot.waitSignal(model.queryFinished, timeout=15000):
        model.show_only(frozenset(named["ouyang"]))
    _go(view, 0)
    _pause(qtbot)
    qtbot.keyClicks(view, "zgf")                         # 曾国藩 is not shown
    assert view.currentIndex().row() == 0


def test_in_the_main_window_filter_typing_and_the_t_shortcut_are_left_alone(
        qtbot: Any, synced_context: Any, gui_home: Any, named: dict[str, list[int]]) -> None:
    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import Settings
    from desktop.ui.sync_controller import SyncController

    window = MainWindow(synced_context, Settings(gui_home),
                        SyncController(synced_context, synced_context), "zh_CN")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        window.show()
    window.activateWindow()
    table = window.table
    table.setFocus()
    qtbot.waitUntil(lambda: table.type_ahead.ready, timeout=15000)
    tao = _rows(table, named["tao"])
    _go(table, 0)
    qtbot.keyClicks(table, "zhangtaot")          # T mid-name spells the name ...
    assert table.currentIndex().row() == _next_of(tao, 0)
    assert window.picker is None
    assert window.status.currentMessage() == "Find: zhangtaot"   # what was typed, briefly
    _pause(qtbot)
    qtbot.keyClicks(table, "qxq")
    assert window.status.currentMessage() == "Find: qxq (no matching customer)"
    _pause(qtbot)
    _pause(qtbot)
    tian = _rows(table, named["tian"])
    _go(table, 0)
    qtbot.keyClick(table, Qt.Key.Key_T, Qt.KeyboardModifier.ShiftModifier)  # Shift+T starts
    qtbot.keyClicks(table, "xy")                                           # a name with T
    assert table.currentIndex().row() == _next_of(tian, 0)
    assert window.picker is None
    _pause(qtbot)
    qtbot.keyClick(table, Qt.Key.Key_T)          # ... and T alone still opens the tag picker
    assert window.picker is not None and window.picker.isVisible()
    window.picker.close()
    _go(table, 2)
    edit = window.filter_bar.edit
    edit.setFocus()
    qtbot.keyClicks(edit, "oy")
    assert edit.text() == "oy" and table.currentIndex().row() == 2
    assert table.currentIndex().column() == Column.CUSTOMER
