"""The filter bar: inline syntax errors, tag completion, click combination, recent and saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop.domain.filter import FilterError, parse
from desktop.domain.tags import TagInfo, TagKind
from desktop.ui.filter_bar import Combine, FilterBar, combine, combine_mode
from desktop.ui.filter_completion import TagSpeller, word_at_cursor
from desktop.ui.settings import Settings

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
PLAIN = Qt.KeyboardModifier.NoModifier


def _tag(tag_id: str, name: str, group: str, count: int = 10, code: str = "") -> TagInfo:
    return TagInfo(tag_id, name, f"g-{group}", group, 0, TagKind.CORP, abbreviation=code,
                   relation_count=count)


TAGS = [
    _tag("t1", "高意向", "意向程度", 120),
    _tag("t2", "中意向", "意向程度", 3000),
    _tag("t3", "VIP", "客户等级", 50),
    _tag("t4", "VIP", "复购", 20),
    _tag("t5", "三次复购客户", "复购", 40, code="V3"),
    _tag("t6", "高 端", "客户等级", 5),
    _tag("t7", "教育/K12", "行业类型", 30),
]


def type_text(widget: Any, text: str) -> None:
    """Type any text, Chinese included, as key events (QTest only types ASCII)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path)


@pytest.fixture
def bar(qtbot: Any, settings: Settings) -> FilterBar:
    bar = FilterBar(settings, "test")
    qtbot.addWidget(bar)
    bar.set_tags(TAGS)
    bar.show()
    return bar


def test_a_syntax_error_is_shown_in_place(qtbot: Any, bar: FilterBar) -> None:
    with qtbot.assertNotEmitted(bar.filterRequested, wait=400):
        type_text(bar.edit, "高意向 AND (VIP")
    assert bar.error.isVisible()
    assert bar.edit.property("invalid") is True
    assert "第 13 个字符" in bar.error.text()       # just past the 12-character filter
    bar.edit.setText("高意向 AND ) VIP")
    assert "<span" in bar.error.text() and ")</span>" in bar.error.text()
    bar.edit.setText("高意向 AND VIP")
    assert not bar.error.isVisible()
    assert bar.edit.property("invalid") is False


def test_the_completion_popup_opens_below_the_error_line(qtbot: Any, bar: FilterBar) -> None:
    type_text(bar.edit, "(VIP AND gyx")
    assert bar.error.isVisible() and bar._popup().isVisible()
    error_bottom = bar.error.mapToGlobal(QPoint(0, bar.error.height())).y()
    assert bar._popup().geometry().top() >= error_bottom


def test_typing_applies_after_a_pause_and_enter_applies_at_once(qtbot: Any,
                                                                bar: FilterBar) -> None:
    with qtbot.waitSignal(bar.filterRequested, timeout=2000) as blocker:
        type_text(bar.edit, "owner:zhangsan")
        bar._popup().hide()
    assert blocker.args == ["owner:zhangsan"]
    with qtbot.waitSignal(bar.filterRequested, timeout=200) as blocker:
        qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert blocker.args == ["owner:zhangsan"]


def test_an_unknown_tag_from_the_query_is_shown(qtbot: Any, bar: FilterBar) -> None:
    from desktop.domain.filter import UnknownTagError

    bar.edit.setText("高意向 AND 没有")
    bar.query_failed(UnknownTagError("没有", None, ["高意向"], (8, 10)))
    assert bar.error.isVisible()
    assert "没有标签“没有”" in bar.error.text()
    bar.query_succeeded("高意向 AND 没有")
    assert not bar.error.isVisible()


def test_pinyin_initials_complete_a_tag(qtbot: Any, bar: FilterBar) -> None:
    type_text(bar.edit, "VIP AND gyx")
    assert bar._popup().isVisible()
    assert bar.completions.hit(0).tag.name == "高意向"
    bar.completer.activated[str].emit(  # type: ignore[index]  # the str overload of the signal
        bar.completions.insertion(0))
    assert bar.text() == "VIP AND 高意向"
    assert bar.edit.cursorPosition() == len("VIP AND 高意向 ")


def test_tab_takes_the_completion_and_stays_in_the_field(qtbot: Any, bar: FilterBar) -> None:
    bar.activateWindow()
    bar.edit.setFocus()
    qtbot.waitUntil(bar.edit.hasFocus, timeout=2000)
    type_text(bar.edit, "VIP AND gyx")
    popup = bar._popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Tab)
    assert not popup.isVisible()
    assert bar.text() == "VIP AND 高意向"
    assert bar.edit.cursorPosition() == len("VIP AND 高意向 ")
    assert bar.edit.hasFocus()


def test_completion_searches_the_index_built_on_a_worker(qtbot: Any, bar: FilterBar) -> None:
    from desktop.domain.tag_search import TagSearchIndex

    index = TagSearchIndex(TAGS[:1])  # as the window's tag task builds it with the tags
    bar.set_tags(TAGS[:1], index)
    type_text(bar.edit, "VIP AND gyx")
    assert bar.completions.hit(0).tag.name == "高意向"
    assert bar.completions._index is index


def test_completion_counts_read_with_thousands_separators(qtbot: Any, bar: FilterBar) -> None:
    type_text(bar.edit, "zyx")
    assert bar.completions.index(0, 0).data() == "中意向    意向程度 · 3,000"


def test_completion_spells_ambiguous_and_quoted_names(qtbot: Any, bar: FilterBar) -> None:
    bar.edit.setText("")
    type_text(bar.edit, "vip")
    insertions = {bar.completions.insertion(r) for r in range(bar.completions.rowCount())}
    assert {"客户等级:VIP", "复购:VIP"} <= insertions
    bar.edit.setText("")
    type_text(bar.edit, "V3")
    assert bar.completions.hit(0).tag.name == "三次复购客户"
    bar.edit.setText("")
    type_text(bar.edit, "复购:v")
    assert {bar.completions.hit(r).tag.group_name
            for r in range(bar.completions.rowCount())} == {"复购"}
    assert TagSpeller(TAGS).tag_term("t6") == '"高 端"'


def test_no_completion_for_fields_keywords_or_quotes() -> None:
    assert word_at_cursor("owner:zh", 8) is None
    assert word_at_cursor("高意向 AND", 7) is None
    assert word_at_cursor('"高 意', 4) is None
    word = word_at_cursor("(VIP | -gy", 10)
    assert word is not None and (word.start, word.query, word.group) == (8, "gy", None)
    word = word_at_cursor("客户等级：V", 6)
    assert word is not None and (word.group, word.query) == ("客户等级", "V")


def test_clicks_replace_and_or_and_not() -> None:
    assert combine_mode(PLAIN) is Combine.REPLACE
    assert combine_mode(CTRL) is Combine.AND
    assert combine_mode(ALT) is Combine.AND_NOT
    assert combine("高意向", "VIP", Combine.REPLACE) == "VIP"
    assert combine("高意向", "VIP", Combine.AND) == "高意向 AND VIP"
    assert combine("高意向", "VIP", Combine.AND_NOT) == "高意向 AND NOT VIP"
    assert combine("", "VIP", Combine.AND_NOT) == "NOT VIP"
    assert combine("a | b", "VIP", Combine.AND) == "(a | b) AND VIP"
    assert combine("(a", "VIP", Combine.AND) == "VIP"


def test_tag_clicks_build_filters_the_language_reads(qtbot: Any, bar: FilterBar) -> None:
    requested: list[str] = []
    bar.filterRequested.connect(requested.append)
    assert bar.add_tag("t1", PLAIN)
    assert bar.add_tag("t3", CTRL)
    assert bar.add_tag("t6", ALT)
    assert bar.add_group("g-复购", CTRL)
    expected = '高意向 AND 客户等级:VIP AND NOT "高 端" AND group:复购'
    assert bar.text() == expected
    assert requested[-1] == expected
    parse(expected)
    assert not bar.add_tag("unknown", PLAIN)


def test_recent_filters_are_kept_per_profile(qtbot: Any, bar: FilterBar,
                                             settings: Settings, tmp_path: Path) -> None:
    bar.set_filter("高意向")
    bar.query_succeeded("高意向")
    bar.set_filter("VIP")
    bar.query_succeeded("VIP")
    bar.edit.setText("中意向")          # typed, never committed
    bar.query_succeeded("中意向")
    assert Settings(tmp_path).recent_filters("test") == ["VIP", "高意向"]
    assert Settings(tmp_path).recent_filters("other") == []
    menu = bar.recent_button.menu()
    menu.aboutToShow.emit()
    with qtbot.waitSignal(bar.filterRequested) as blocker:
        next(a for a in menu.actions() if a.text() == "高意向").trigger()
    assert blocker.args == ["高意向"]


def _save_dialog(bar: FilterBar) -> Any:
    menu = bar.saved_button.menu()
    menu.aboutToShow.emit()
    next(a for a in menu.actions() if a.text().startswith("Save current")).trigger()
    assert bar.save_dialog is not None and not bar.save_dialog.team.isVisibleTo(bar.save_dialog)
    return bar.save_dialog


def test_saved_filters_persist_and_apply(qtbot: Any, bar: FilterBar, tmp_path: Path) -> None:
    bar.edit.setText("高意向 AND NOT VIP")
    dialog = _save_dialog(bar)
    dialog.name.setText("热线索")
    dialog.accept()
    assert Settings(tmp_path).saved_filters("test") == [("热线索", "高意向 AND NOT VIP")]
    bar.edit.setText("")
    menu = bar.saved_button.menu()
    menu.aboutToShow.emit()
    with qtbot.waitSignal(bar.filterRequested) as blocker:
        next(a for a in menu.actions() if a.text() == "热线索").trigger()
    assert blocker.args == ["高意向 AND NOT VIP"]
    Settings(tmp_path).remove_saved_filter("test", "热线索")
    assert Settings(tmp_path).saved_filters("test") == []


def test_a_name_typed_at_once_replaces_the_suggested_one(qtbot: Any, bar: FilterBar) -> None:
    """The dialog offers the filter's text as the name; typing a name replaces it instead of
    being added after it."""
    bar.edit.setText("高意向 AND NOT VIP")
    dialog = _save_dialog(bar)
    qtbot.waitUntil(dialog.name.hasFocus, timeout=5000)
    assert dialog.name.text() == "高意向 AND NOT VIP"
    qtbot.keyClicks(dialog.name, "hot leads")
    assert dialog.name.text() == "hot leads"
    dialog.reject()


def test_a_filter_with_an_error_cannot_be_saved(qtbot: Any, bar: FilterBar) -> None:
    menu = bar.saved_button.menu()

    def save_action() -> Any:
        menu.aboutToShow.emit()
        return next(a for a in menu.actions() if a.text().startswith("Save current"))

    bar.edit.setText("高意向 AND")                       # cut short: the error line says where
    assert not bar.error.isHidden() and not save_action().isEnabled()
    bar.edit.setText("高意向 AND 展会")
    assert save_action().isEnabled()
    bar.query_failed(FilterError("没有标签「展会」", "no tag 展会", 8, 10))   # evaluated: refused
    assert not save_action().isEnabled()


def test_a_blank_name_says_so_and_a_taken_one_asks_before_replacing(
        qtbot: Any, bar: FilterBar, tmp_path: Path) -> None:
    bar.edit.setText("高意向")
    first = _save_dialog(bar)
    first.name.setText("热线索")
    first.accept()
    bar.edit.setText("高意向 AND NOT VIP")
    dialog = _save_dialog(bar)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.name.setText("   ")
    assert not save.isEnabled() and dialog.message.text() == "Give the filter a name."
    dialog.name.setText("热线索")
    assert save.isEnabled() and save.text() == "Replace"
    assert "「热线索」 (高意向)" in dialog.message.text() and "replaces it" in dialog.message.text()
    dialog.reject()                                       # not confirmed: nothing changes
    assert Settings(tmp_path).saved_filters("test") == [("热线索", "高意向")]
    dialog = _save_dialog(bar)
    dialog.name.setText("新线索")
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save).text() == "Save"
    assert dialog.message.text() == ""
