"""The main window on a synced sandbox workspace: rows, clicks to filters, tagging, undo, sync."""

from __future__ import annotations

import gc
import json
import re
import struct
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QKeyCombination,
    QObject,
    QPoint,
    Qt,
    QTimer,
    QUrl,
)
from PySide6.QtGui import (
    QAction,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QStandardItemModel,
)
from PySide6.QtWidgets import QApplication, QHeaderView, QMenu, QSplitter, QWidget

from desktop.services.profiles import ProfileStore
from desktop.store import filter_leaves
from desktop.store.relations import load_relations
from desktop.store.snapshot import LAST_SYNC_KEY
from desktop.ui.customer_table_model import Column, WriteState
from desktop.ui.customer_table_view import DEFAULT_WIDTHS
from desktop.ui.i18n import CHINESE, ENGLISH, Translations
from desktop.ui.main_window import MainWindow
from desktop.ui.pane_splitter import PANE_MIN_WIDTHS
from desktop.ui.settings import KEY_SPLITTER, KEY_TABLE_HEADER, Settings
from tests.gui.conftest import open_main_window
from tests.gui.qt_items import laid_out_lines, sort_arrow_points_down

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
PLAIN = Qt.KeyboardModifier.NoModifier


def _tag_id(context: Any, name: str) -> str:
    return str(context.cache.query("SELECT id FROM tag WHERE name = ?", (name,))[0]["id"])


def _click(qtbot: Any, window: MainWindow, tag_id: str, modifiers: Qt.KeyboardModifier) -> None:
    """A click in the tag tree, as the tree reports it."""
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        window.tag_tree.tagClicked.emit(tag_id, modifiers)


def _cli_count(context: Any, text: str, capsys: pytest.CaptureFixture[str]) -> dict[str, int]:
    from desktop.cli import main

    ProfileStore(context.workspace.home).add(context.workspace.profile)
    capsys.readouterr()
    assert main(["customers", "--profile", context.workspace.profile.name, "--filter", text,
                 "--count", "--json"]) == 0
    return dict(json.loads(capsys.readouterr().out.strip().splitlines()[-1]))


def _sandbox_tags(context: Any, sandbox: Any, relation_id: int) -> set[str]:
    row = context.cache.query(
        "SELECT external_userid, userid FROM relation WHERE id = ?", (relation_id,))[0]
    return set(sandbox.state.relation_tag_ids(row["userid"], row["external_userid"]))


def test_the_window_shows_every_relation_and_the_counts(window: MainWindow,
                                                        synced_context: Any) -> None:
    total = synced_context.filter_engine.count("")
    assert window.model.rowCount() == total.relations > 300
    assert f"{total.relations:,} / {total.relations:,}" in window.status.counts.text()
    assert f"{total.customers:,} customers" in window.status.counts.text()
    assert "test" in window.status.profile.text()
    operator = synced_context.operator
    (name,) = synced_context.cache.connection().execute(
        "SELECT name FROM member WHERE userid = ?", (operator,)).fetchone()
    assert f" · {name} ({operator})" in window.status.profile.text()    # who acts, by name
    assert window.status.last_sync.text().startswith("Last sync: ")
    assert window.windowTitle() == "TagDesk — test"
    assert not window.status.progress.isVisible()


def test_the_about_box_says_the_version_and_where_the_data_and_log_are(
        window: MainWindow, synced_context: Any) -> None:
    from desktop import __version__
    from desktop.services.logs import current_log_file

    text = window.about_text()
    assert f"TagDesk {__version__}" in text
    assert f"Data folder: {synced_context.workspace.home}" in text
    log_file = current_log_file()
    assert f"Log file: {log_file if log_file else 'none'}" in text
    assert "Python 3." in text and " · Qt 6." in text


def test_ctrl_click_builds_an_and_filter_counted_like_the_cli(
        qtbot: Any, window: MainWindow, synced_context: Any,
        capsys: pytest.CaptureFixture[str]) -> None:
    _click(qtbot, window, _tag_id(synced_context, "高意向"), PLAIN)
    _click(qtbot, window, _tag_id(synced_context, "VIP"), CTRL)
    assert window.filter_bar.text() == "高意向 AND VIP"
    cli = _cli_count(synced_context, "高意向 AND VIP", capsys)
    assert 0 < window.model.rowCount() == cli["relations"]
    assert window.model.last_result is not None
    assert window.model.last_result.customers == cli["customers"]
    assert f"{cli['relations']:,} /" in window.status.counts.text()


def test_alt_click_adds_a_not(qtbot: Any, window: MainWindow, synced_context: Any) -> None:
    _click(qtbot, window, _tag_id(synced_context, "高意向"), PLAIN)
    with_tag = window.model.rowCount()
    _click(qtbot, window, _tag_id(synced_context, "VIP"), ALT)
    assert window.filter_bar.text() == "高意向 AND NOT VIP"
    both = synced_context.filter_engine.count("高意向 AND VIP").relations
    assert window.model.rowCount() == with_tag - both > 0


def test_another_filter_starts_at_its_first_row(qtbot: Any, window: MainWindow) -> None:
    """Scrolled far down, a new filter shows its own first rows, not the middle of them;
    the same filter run again (a sync, a write elsewhere) keeps the rows where they were."""
    bar = window.table.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    assert bar.value() > 0
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        window.filter_bar.set_filter("NOT 高意向")
    assert window.model.rowCount() > 100 and bar.maximum() > 0
    assert bar.value() == 0
    bar.setValue(bar.maximum() // 2)
    kept = bar.value()
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        window.model.refresh()
    assert bar.value() == kept > 0


def test_a_sync_keeps_the_customers_selected_and_the_detail(
        qtbot: Any, window: MainWindow, synced_context: Any) -> None:
    """F5 reloads the rows; the customers selected before stay selected (the current one
    in the detail pane), and the table does not jump to them."""
    table = window.table
    flags = QItemSelectionModel.SelectionFlag
    table.selectionModel().select(QItemSelection(window.model.index(3, 0), window.model.index(
        5, window.model.columnCount() - 1)), flags.ClearAndSelect)
    table.selectionModel().setCurrentIndex(window.model.index(4, 0), flags.NoUpdate)
    chosen, current = table.selected_relation_ids(), table.current_relation_id()
    assert len(chosen) == 3 and current == chosen[1]
    window.detail.show_relation(current)
    shown = window.detail.title.text()
    bar = table.verticalScrollBar()
    bar.setValue(bar.maximum())
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        window.start_sync()
    qtbot.waitUntil(lambda: not window.sync.running, timeout=15000)
    assert sorted(table.selected_relation_ids()) == sorted(chosen)
    assert table.current_relation_id() == current
    assert window.detail.title.text() == shown != ""
    assert bar.value() == bar.maximum() > 0


def test_ctrl_a_selects_every_row(qtbot: Any, window: MainWindow) -> None:
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A, CTRL)
    assert len(window.selected_relation_ids()) == window.model.rowCount()


def test_tagging_then_ctrl_z_restores_the_previous_tags_in_wecom(
        qtbot: Any, window: MainWindow, synced_context: Any, sandbox: Any) -> None:
    tag = _tag_id(synced_context, "高意向")
    rows = [r for r in range(60) if tag not in _sandbox_tags(
        synced_context, sandbox, window.model.relation_id(r))][:2]
    ids = [window.model.relation_id(r) for r in rows]
    before = {rid: _sandbox_tags(synced_context, sandbox, rid) for rid in ids}
    with qtbot.waitSignal(synced_context.changed, timeout=20000):
        synced_context.toggle_tag(ids, tag, lambda: "高意向")
    assert all(tag in _sandbox_tags(synced_context, sandbox, rid) for rid in ids)
    assert window.undo_action.isEnabled()
    assert QKeySequence(QKeySequence.StandardKey.Undo) in window.undo_action.shortcuts()
    window.activateWindow()
    window.table.setFocus()
    with qtbot.waitSignal(synced_context.changed, timeout=20000):
        qtbot.keyClick(window.table, Qt.Key.Key_Z, CTRL)
    assert {rid: _sandbox_tags(synced_context, sandbox, rid) for rid in ids} == before
    assert all("高意向" not in load_relations(synced_context.cache, [rid])[0].tag_names
               for rid in ids)


def test_the_detail_pane_follows_the_selection(qtbot: Any, window: MainWindow,
                                               synced_context: Any) -> None:
    window.table.selectRow(3)
    view = load_relations(synced_context.cache, [window.model.relation_id(3)])[0]
    assert window.detail.relation_id == view.id
    assert window.detail.title.text() == (view.customer_name or view.external_userid)
    page = window.detail.browser.visible_text()
    assert view.owner_name in page
    assert all(name in page for name in view.tag_names)
    window.detail.load_personal_tags()
    qtbot.waitUntil(lambda: "Loading" not in window.detail.browser.toPlainText(), timeout=15000)
    assert "Load personal tags" not in window.detail.browser.toPlainText()


def test_the_detail_pane_lists_journal_rows_after_tagging(
        qtbot: Any, window: MainWindow, synced_context: Any) -> None:
    window.table.selectRow(0)
    rid = window.model.relation_id(0)
    with qtbot.waitSignal(synced_context.changed, timeout=20000):
        synced_context.toggle_tag([rid], _tag_id(synced_context, "VIP"), lambda: "VIP")
    qtbot.waitUntil(lambda: "No changes recorded" not in window.detail.browser.toPlainText())
    recent = window.detail.browser.visible_text().split("Recent changes", 1)[1]
    assert "\nAdded VIP · " in recent      # a line of its own, starting with a capital


def test_a_journal_time_in_the_detail_pane_never_wraps(
        qtbot: Any, window: MainWindow, synced_context: Any) -> None:
    window.table.selectRow(0)
    rid = window.model.relation_id(0)
    with qtbot.waitSignal(synced_context.changed, timeout=20000):
        synced_context.toggle_tag([rid], _tag_id(synced_context, "VIP"), lambda: "VIP")
    qtbot.waitUntil(lambda: "No changes recorded" not in window.detail.browser.toPlainText())
    window.splitter.setSizes([200, 900, 120])
    qtbot.waitUntil(lambda: window.detail.browser.width() < 200, timeout=5000)
    window.detail.browser.document().setTextWidth(window.detail.browser.viewport().width())
    lines = laid_out_lines(window.detail.browser)
    stamps = [line for line in lines if re.fullmatch(r"\d{4}-\d\d-\d\d\s\d\d:\d\d", line.strip())]
    assert stamps, lines  # "2026-12-06 10:29" stays one line, not "2026-12-0" / "6 10:29"


def _cache_fingerprint(context: Any) -> tuple[Any, ...]:
    conn = context.cache.connection()
    return (conn.execute("SELECT count(*) FROM relation").fetchone()[0],
            conn.execute("SELECT count(*), sum(relation_id * tag_pk) FROM relation_tag").fetchone()[:],
            context.cache.get_meta(LAST_SYNC_KEY))


def test_a_cancelled_sync_leaves_the_cache_as_it_was(qtbot: Any, window: MainWindow,
                                                     synced_context: Any, sandbox: Any) -> None:
    before = _cache_fingerprint(synced_context)
    sandbox.state.console_mark_tag(*sandbox.state.relations()[0],
                                   add=[_tag_id(synced_context, "VIP")])
    window.sync.progressed.connect(lambda _event: window.status.cancel_button.click())
    with qtbot.waitSignal(window.sync.cancelled, timeout=20000):
        window.start_sync()
        assert window.status.progress.isVisible()
        assert not window.sync_action.isEnabled()
    assert _cache_fingerprint(synced_context) == before
    assert not window.status.progress.isVisible()
    assert window.sync_action.isEnabled()


def _waited_for_a_core() -> float:
    """Seconds this thread has spent runnable but waiting for a core (Linux's run queue;
    0 where /proc/thread-self/schedstat is missing)."""
    try:
        return int(Path("/proc/thread-self/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def _assert_responsive_through_a_sync(qtbot: Any, window: MainWindow, sandbox: Any) -> None:
    """The GUI thread's gaps between 10 ms ticks, less the time it waited for a core (other
    processes of a busy machine), stay short: work on the GUI thread, or a GIL the sync's
    threads keep, still counts."""
    sandbox.configure(latency_ms=30)
    gc.freeze()             # as run_gui does after start-up: no long full collections
    ticks: list[tuple[float, float]] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append((time.perf_counter(), _waited_for_a_core())))
    timer.start(10)
    started = time.perf_counter()
    with qtbot.waitSignal(window.sync.finished, timeout=60000):
        window.start_sync()
    elapsed = time.perf_counter() - started
    timer.stop()
    gc.unfreeze()
    gaps = [(b[0] - a[0]) - (b[1] - a[1]) for a, b in pairwise(ticks)]
    assert elapsed > 0.5                   # long enough for a frozen window to show
    assert len(ticks) > elapsed / 0.05
    assert max(gaps) < 0.25
    assert window.status.last_sync.text().startswith("Last sync: ")


def test_the_window_stays_responsive_during_a_sync(qtbot: Any, window: MainWindow,
                                                   synced_context: Any, sandbox: Any) -> None:
    _assert_responsive_through_a_sync(qtbot, window, sandbox)


def test_the_window_stays_responsive_while_a_first_sync_holds_the_cache_for_writing(
        qtbot: Any, window: MainWindow, synced_context: Any, sandbox: Any) -> None:
    with synced_context.cache.write() as tx:  # nothing cached: the sync writes straight in
        for table in ("relation_tag", "relation_search", "relation", "customer"):
            tx.execute(f"DELETE FROM {table}")
    _assert_responsive_through_a_sync(qtbot, window, sandbox)
    assert synced_context.cache.scalar("SELECT count(*) FROM relation") == len(
        sandbox.state.relations())


def test_the_first_filter_after_a_sync_is_warm(qtbot: Any, window: MainWindow,
                                               synced_context: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    with qtbot.waitSignals([window.sync.finished, window.model.queryFinished], timeout=60000):
        window.start_sync()

    def refuse(*_: object) -> None:
        raise AssertionError("the filter engine went cold after the sync")

    for name in ("tagged", "every_tagged", "tag_count_buckets", "searchable_text",
                 "shared_customers", "universe"):
        monkeypatch.setattr(filter_leaves, name, refuse)
    engine = synced_context.filter_engine
    for text in ("VIP", "text:a", "tags>=2", "-VIP"):
        assert engine.count(text).relations > 0, text


def test_after_a_sync_the_search_texts_get_their_signatures(
        qtbot: Any, window: MainWindow, synced_context: Any) -> None:
    conn = synced_context.workspace.cache.connection()
    conn.execute("UPDATE relation_search SET sig = NULL")
    with qtbot.waitSignal(window.sync.finished, timeout=60000):
        window.start_sync()

    def unsigned() -> int:
        return int(conn.execute("SELECT count(*) FROM relation_search WHERE sig IS NULL"
                                ).fetchone()[0])
    qtbot.waitUntil(lambda: unsigned() == 0, timeout=30000)
    assert conn.execute("SELECT count(*) FROM relation_search").fetchone()[0] > 0


def test_filters_are_warm_again_soon_after_a_tag_is_renamed(
        qtbot: Any, window: MainWindow, synced_context: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.services.changes import ChangeSet
    from desktop.services.tag_admin import TagAdminService

    tag_id = _tag_id(synced_context, "VIP")
    changes = TagAdminService(synced_context.workspace).rename(tag_id, "VIP客户")
    synced_context.publish(changes)
    assert synced_context.warming
    synced_context.publish(ChangeSet(tags_changed=True))   # a second change meanwhile
    qtbot.waitUntil(lambda: not synced_context.warming, timeout=30000)

    def refuse(*_: object) -> None:
        raise AssertionError("the filter engine stayed cold after the rename")

    for name in ("tagged", "every_tagged", "tag_count_buckets", "searchable_text",
                 "shared_customers", "universe"):
        monkeypatch.setattr(filter_leaves, name, refuse)
    engine = synced_context.filter_engine
    for text in ("VIP客户", "text:a", "tags>=2", "-VIP客户"):
        assert engine.count(text).relations > 0, text


def test_layout_and_sort_persist_between_runs(qtbot: Any, window: MainWindow,
                                              synced_context: Any, gui_home: Path) -> None:
    window.splitter.setSizes([200, 900, 210])   # room for the table's minimum on any screen
    sizes = window.splitter.sizes()
    window.table.horizontalHeader().setSectionHidden(Column.REMARK, True)
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        window.table.sortByColumn(Column.OWNER, Qt.SortOrder.AscendingOrder)
    window.close()
    again = open_main_window(qtbot, synced_context, Settings(gui_home))
    again.resize(1400, 860)     # wider than the offscreen screen, which a restore fits into
    qtbot.waitUntil(lambda: again.splitter.sizes()[::2] == sizes[::2], timeout=5000)
    assert again.table.horizontalHeader().isSectionHidden(Column.REMARK)
    assert (again.model.query.order_by, again.model.query.descending) == ("owner", False)
    assert again.table.horizontalHeader().sortIndicatorSection() == Column.OWNER


def test_side_panes_a_narrow_window_squeezed_are_as_wide_as_before_in_the_next_run(
        qtbot: Any, window: MainWindow, synced_context: Any, gui_home: Path) -> None:
    """A run ended at 1,024 px saved the panes as squeezed (200 and 160 px), so the next
    run at 1,366 px kept the detail pane at 160 px for good."""
    window.resize(1400, 860)
    qtbot.wait(50)
    wide = window.splitter.sizes()
    window.resize(780, 600)
    qtbot.waitUntil(lambda: window.splitter.sizes()[2] < wide[2], timeout=5000)
    window.save_layout()
    window.close()
    again = open_main_window(qtbot, synced_context, Settings(gui_home))
    again.resize(1400, 860)
    qtbot.waitUntil(lambda: again.splitter.sizes()[::2] == wide[::2], timeout=5000)


def test_side_panes_squeezed_in_a_state_saved_before_their_widths_were_kept_open_wide(
        qtbot: Any, window: MainWindow, synced_context: Any, gui_home: Path) -> None:
    """A state an earlier version saved at 1,024 px holds the squeezed panes (the tree at
    160 or 200 px, the detail at 160): they open at their first widths, not squeezed until
    dragged. A pane dragged to its minimum and saved now stays there in the next run."""
    window.resize(1400, 860)
    qtbot.wait(50)
    wide = window.splitter.sizes()
    window.resize(780, 600)
    qtbot.waitUntil(lambda: window.splitter.sizes()[2] < wide[2], timeout=5000)
    settings = Settings(gui_home)
    for tree in (160, 200):     # the tree's minimum was 160 px before it was 200
        squeezed = bytes(QSplitter.saveState(window.splitter).data())   # as saved then
        settings.set_state(KEY_SPLITTER, QByteArray(
            squeezed[:12] + struct.pack(">3i", tree, 420, 160) + squeezed[24:]))
        again = open_main_window(qtbot, synced_context, settings)
        again.resize(1400, 860)
        qtbot.waitUntil(lambda a=again: a.splitter.sizes()[::2] == wide[::2], timeout=5000)
        again.close()
    window.resize(1400, 860)
    qtbot.waitUntil(lambda: window.splitter.sizes() == wide, timeout=5000)
    handle = window.splitter.handle(2)
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=QPoint(2, 10))
    qtbot.mouseMove(handle, QPoint(400, 10))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=QPoint(400, 10))
    qtbot.waitUntil(lambda: window.splitter.sizes()[2] == PANE_MIN_WIDTHS[1], timeout=5000)
    window.save_layout()
    window.close()
    last = open_main_window(qtbot, synced_context, Settings(gui_home))
    last.resize(1400, 860)
    qtbot.waitUntil(lambda: last.splitter.sizes()[0] == wide[0], timeout=5000)
    assert last.splitter.sizes()[2] == PANE_MIN_WIDTHS[1]


def test_the_sort_is_kept_at_once_so_a_crash_keeps_it(
        qtbot: Any, window: MainWindow, gui_home: Path) -> None:
    """The filter was kept as each query finished, the sort only at close: after a crash
    (kill -9) the window came back sorted by 添加时间."""
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        window.table.sortByColumn(Column.OWNER, Qt.SortOrder.AscendingOrder)
    assert Settings(gui_home).sort == (int(Column.OWNER), False)     # no close, no save


def test_the_window_opens_on_the_filter_it_closed_with(qtbot: Any, window: MainWindow,
                                                      synced_context: Any,
                                                      gui_home: Path) -> None:
    name = str(synced_context.cache.query(
        "SELECT name FROM tag ORDER BY id LIMIT 1")[0]["name"])
    window.filter_bar.set_filter(name)
    qtbot.waitUntil(lambda: window.model.last_result is not None
                    and window.model.last_result.query.text == name, timeout=15000)
    shown = window.model.last_result
    assert shown is not None and 0 < shown.relations < shown.total_relations
    profile = synced_context.workspace.profile.name
    assert Settings(gui_home).last_filter(profile) == name   # kept before any close: a crash
    window.close()
    again = open_main_window(qtbot, synced_context, Settings(gui_home))
    first = again.model.last_result
    assert first is not None and first.query.text == name    # the very first query, not a second
    assert again.filter_bar.text() == name
    assert first.relations == shown.relations


def test_a_restored_filter_that_no_longer_works_falls_back_to_everything(
        qtbot: Any, synced_context: Any, gui_home: Path) -> None:
    settings = Settings(gui_home)
    settings.set_last_filter(synced_context.workspace.profile.name, "不存在的标签XYZ")
    window = open_main_window(qtbot, synced_context, settings)
    qtbot.waitUntil(lambda: window.model.last_result is not None
                    and window.model.last_result.query.text == "", timeout=15000)
    assert window.filter_bar.text() == ""
    assert not window.filter_bar.error.isVisible()
    assert "no longer works" in window.status.currentMessage()


def test_menus_use_platform_shortcuts(window: MainWindow) -> None:
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Tags", "&Help"]
    assert QKeySequence("F5") in window.sync_action.shortcuts()
    assert QKeySequence(QKeySequence.StandardKey.Redo) in window.redo_action.shortcuts()
    assert QKeySequence("Ctrl+T") in window.picker_action.shortcuts()
    assert [a.shortcuts()[0].toString() for a in window.favourite_actions] == [
        "Alt+1", "Alt+2", "Alt+3"]


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_every_tags_menu_item_without_a_key_has_its_own_alt_letter(
        qtbot: Any, window: MainWindow, language: str) -> None:
    """Chinese menu items have no first letter to type: Alt+T then A opens 从聊天自动打标(A)…,
    where the keyboard could only walk the menu's seventeen items with the arrows."""
    translations = Translations()
    try:
        translations.install(language)
        tags_menu = window.menuBar().actions()[3].menu()
        assert isinstance(tags_menu, QMenu)
        retag = window.retag_action
        qtbot.waitUntil(lambda: retag.text() == ("批量重标…" if language == CHINESE
                                                 else "Retag…"), timeout=5000)
        items = [a for a in tags_menu.actions() if not a.isSeparator() and not a.shortcuts()]
        letters = [QKeySequence.mnemonic(a.text()).toString() for a in items]
        assert len(items) >= 10 and all(letters), [a.text() for a in items]
        assert len(set(letters)) == len(letters), letters
        auto = next(a for a in items if "Auto-tag" in a.text() or "自动打标" in a.text())
        assert auto.text() == ("从聊天自动打标(&A)…" if language == CHINESE
                               else "&Auto-tag from chats…")
    finally:
        translations.uninstall()


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_every_menu_item_without_a_key_has_its_own_alt_letter(
        qtbot: Any, window: MainWindow, language: str) -> None:
    """The Tags menu had its letters, the others not: 文件 → 审批…, 登录团队服务器… and
    启动时自动同步, 视图 → 标签树 / 客户详情, 编辑 → 显示全部客户 and 帮助 → 关于 could only be
    reached with the arrows. In Chinese the letter follows the words, as Chinese menus write
    it: 关于 TagDesk(A), where it was underlined inside the product's name."""
    window.approvals_action.setVisible(True)        # a team profile's File menu
    window.login_action.setVisible(True)
    translations = Translations()
    try:
        translations.install(language)
        qtbot.waitUntil(lambda: window.retag_action.text() == (
            "批量重标…" if language == CHINESE else "Retag…"), timeout=5000)
        for title in window.menuBar().actions():
            menu = title.menu()
            assert isinstance(menu, QMenu)
            items = [a for a in menu.actions() if a.isVisible() and not a.isSeparator()
                     and not a.shortcuts()]
            letters = [QKeySequence.mnemonic(a.text()).toString() for a in items]
            assert all(letters), [a.text() for a in items]
            assert len(set(letters)) == len(letters), letters
            if language == CHINESE:     # 关于 TagDesk(&A), not 关于 T&agDesk
                assert all(re.search(r"\(&[A-Z]\)…?$", a.text()) for a in items), [
                    a.text() for a in items]
        assert window.approvals_action.text() == ("审批(&A)…" if language == CHINESE
                                                  else "&Approvals…")
    finally:
        translations.uninstall()


def test_alt_1_toggles_the_first_favourite_and_ctrl_z_takes_it_back(
        qtbot: Any, window: MainWindow, synced_context: Any, sandbox: Any) -> None:
    from desktop.services.tag_admin import TagAdminService

    tag = _tag_id(synced_context, "VIP")
    with qtbot.waitSignal(synced_context.changed, timeout=10000):
        synced_context.publish(TagAdminService(synced_context.workspace).pin(
            synced_context.operator, tag))
    qtbot.waitUntil(lambda: window.favourites.tag_for_slot(1) == tag, timeout=10000)
    rows = [r for r in range(40) if tag not in _sandbox_tags(
        synced_context, sandbox, window.model.relation_id(r))][:2]
    for row in rows:
        window.table.selectionModel().select(
            window.model.index(row, 0), window.table.selectionModel().SelectionFlag.Select
            | window.table.selectionModel().SelectionFlag.Rows)
    ids = window.selected_relation_ids()
    assert len(ids) == 2
    window.activateWindow()
    window.table.setFocus()
    with qtbot.waitSignal(synced_context.changed, timeout=20000):
        qtbot.keyClick(window.table, Qt.Key.Key_1, ALT)
    assert all(tag in _sandbox_tags(synced_context, sandbox, rid) for rid in ids)
    assert window.status.currentMessage() == "Added VIP to 2 customer(s)"
    assert window.undo_action.text() == "Undo add VIP to 2 customer(s)"
    assert [r["description"] for r in synced_context.workspace.cache.query(
        "SELECT description FROM batch ORDER BY created_at DESC LIMIT 1")] == [
        "为 2 位客户添加 VIP / Add VIP to 2 customers"]      # both languages, whichever the UI's
    with qtbot.waitSignal(synced_context.changed, timeout=20000):
        qtbot.keyClick(window.table, Qt.Key.Key_Z, CTRL)
    assert not any(tag in _sandbox_tags(synced_context, sandbox, rid) for rid in ids)
    assert window.redo_action.text() == "Redo add VIP to 2 customer(s)"     # not "Redo Add"
    assert [r["description"] for r in synced_context.workspace.cache.query(
        "SELECT description FROM batch WHERE source = 'undo'")] == [
        "撤销 为 2 位客户添加 VIP / Undo add VIP to 2 customers"]


def test_undo_and_redo_say_what_they_undid_and_redid(
        qtbot: Any, window: MainWindow, synced_context: Any, sandbox: Any) -> None:
    """Alt+2, then Ctrl+Z: the status bar went on saying 已为 1 位客户添加 VIP, true no more,
    and an undo of a step whose customers were out of sight said nothing at all."""
    tag = _tag_id(synced_context, "VIP")
    row = next(r for r in range(40) if tag not in _sandbox_tags(
        synced_context, sandbox, window.model.relation_id(r)))
    rid = window.model.relation_id(row)
    with qtbot.waitSignal(synced_context.changed, timeout=20000):
        window._toggle_counted([rid], tag, 0)
    assert window.status.currentMessage() == "Added VIP to 1 customer(s)"
    window.activateWindow()
    window.table.setFocus()
    with qtbot.waitSignal(synced_context.changed, timeout=20000):
        qtbot.keyClick(window.table, Qt.Key.Key_Z, CTRL)
    assert tag not in _sandbox_tags(synced_context, sandbox, rid)
    assert window.status.currentMessage() == "Undone: add VIP to 1 customer(s)"
    with qtbot.waitSignal(synced_context.changed, timeout=20000):
        qtbot.keyClick(window.table, Qt.Key.Key_Z, CTRL | SHIFT)
    assert tag in _sandbox_tags(synced_context, sandbox, rid)
    assert window.status.currentMessage() == "Redone: add VIP to 1 customer(s)"
    translations = Translations()
    translations.install(CHINESE)
    try:
        qtbot.waitUntil(lambda: window.undo_action.text() == "撤销 为 1 位客户添加 VIP")
        with qtbot.waitSignal(synced_context.changed, timeout=20000):
            window.undo_action.trigger()
        assert window.status.currentMessage() == "已撤销：为 1 位客户添加 VIP"
    finally:
        translations.uninstall()


def test_a_test_after_a_ctrl_shift_key_click_finds_no_modifier_held_and_selects_a_row(
        qtbot: Any, window: MainWindow) -> None:
    """Run after the test above (its Ctrl+Shift+Z on the table), this test found Shift
    still held: `selectRow(2)` selected nothing, and the toggle that followed wrote nothing
    (tests/gui/conftest.py `_no_modifier_held`)."""
    from PySide6.QtWidgets import QApplication

    assert QApplication.keyboardModifiers() == PLAIN
    window.table.selectRow(2)
    assert window.table.selected_rows() == [2]
    qtbot.keyClick(window.table, Qt.Key.Key_Z, CTRL | SHIFT)   # QTest still leaves Shift
    assert QApplication.keyboardModifiers() == SHIFT            # held: the fixture is needed


def test_a_toggle_on_tens_of_thousands_says_its_count_with_thousands_separators(
        synced_context: Any) -> None:
    """Select all at 100,000 customers and T, Enter: the status bar, the undo step and the
    batch said 26938 where every other count in the window reads 26,938."""
    from desktop.services.tagging import toggle_description

    assert toggle_description("深圳", 26938, removing=False) == (
        "为 26,938 位客户添加 深圳 / Add 深圳 to 26,938 customers")
    translations = Translations()
    translations.install(CHINESE)
    try:
        assert synced_context.toggle_counted([], "t", "深圳", 26938, removing=False) == (
            "已为 26,938 位客户添加 深圳")
        assert synced_context.toggle_counted([], "t", "%2 组", 1200, removing=True) == (
            "已为 1,200 位客户移除 %2 组")     # a tag's own name is never filled in
    finally:
        translations.uninstall()
    translations.install(ENGLISH)
    try:
        assert synced_context.toggle_counted([], "t", "VIP", 26938, removing=True) == (
            "Removed VIP from 26,938 customers")
    finally:
        translations.uninstall()


def test_a_toggle_leaves_no_pending_mark_on_a_customer_it_did_not_change(
        qtbot: Any, window: MainWindow, synced_context: Any, sandbox: Any) -> None:
    """Alt+1 on three customers, one of them tagged already: the two written show done, the
    third nothing (it showed pending, an hourglass, until TagDesk closed)."""
    tag = _tag_id(synced_context, "VIP")
    has = [window.model.relation_id(r) for r in range(60)
           if tag in _sandbox_tags(synced_context, sandbox, window.model.relation_id(r))][:1]
    lacks = [window.model.relation_id(r) for r in range(60)
             if tag not in _sandbox_tags(synced_context, sandbox, window.model.relation_id(r))][:2]
    assert len(has) == 1 and len(lacks) == 2
    with qtbot.waitSignal(synced_context.changed, timeout=20000):
        synced_context.toggle_tag([*has, *lacks], tag, lambda: "VIP")
    qtbot.waitUntil(lambda: window.model.write_state(has[0]) is None, timeout=10000)
    assert all(window.model.write_state(rid) == (WriteState.DONE, "") for rid in lacks)
    assert tag in _sandbox_tags(synced_context, sandbox, has[0])


def test_a_window_larger_than_its_screen_opens_inside_it(
        qtbot: Any, synced_workspace: Any, gui_home: Path) -> None:
    """The default 1,400 × 860, or a size kept on a bigger screen, on a small or scaled
    screen (200 % makes a 1,600 × 1,000 screen 800 × 500) opens shrunk to fit, all of it
    on the screen."""
    from desktop.ui.i18n import Translations
    from desktop.ui.session import GuiSession

    session = GuiSession(synced_workspace, Settings(gui_home), Translations())
    window = session.window
    qtbot.addWidget(window)
    try:
        area = window.screen().availableGeometry()
        window.setGeometry(area.x() + 300, area.y() + 200, area.width() + 600,
                           area.height() + 400)
        with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
            session.show()
        assert area.contains(window.frameGeometry())
        assert window.frameGeometry().width() == area.width()          # shrunk, not moved off
        qtbot.waitUntil(lambda: not session.context._cold_held, timeout=10000)  # first paint
    finally:
        session.context.cancel_all()
        session.context.wait_idle()
        session.handover.stop()
        session.auto_resume.stop()



def test_the_first_rows_show_before_the_journal_is_read_and_a_damaged_page_is_said(
        qtbot: Any, synced_workspace: Any, gui_home: Path, sandbox: Any) -> None:
    """The window opens without reading every journal page first (0.5-0.8 s at a million
    rows that the window waited for); once its first rows are painted a worker reads them,
    and a damaged page is said as when the cache would not open (the app shows the sentence
    and quits), every write refused meanwhile."""
    from desktop.services.workspace import Workspace
    from desktop.store.errors import DamagedCacheError
    from desktop.ui.session import GuiSession
    from tests.damaged_journal import journal_with_a_damaged_page

    path, profile = synced_workspace.cache.path, synced_workspace.profile
    synced_workspace.close()
    journal_with_a_damaged_page(path)
    workspace = Workspace(gui_home, profile, sandbox.secret, check_later=True)
    session = GuiSession(workspace, Settings(gui_home), Translations())
    window = session.window
    qtbot.addWidget(window)
    painted: list[bool] = []
    window.firstRowsShown.connect(lambda: painted.append(window.model.rowCount() > 300))
    try:
        with qtbot.waitSignal(session.journalDamaged, timeout=20000) as damaged:
            session.show()
        assert painted == [True]
        assert isinstance(damaged.args[0], DamagedCacheError)
        assert "writes nothing more" in str(damaged.args[0])
        with pytest.raises(DamagedCacheError), workspace.cache.write():
            pass
    finally:
        session.close()

def test_a_window_framed_after_its_fit_fits_again(
        qtbot: Any, synced_workspace: Any, gui_home: Path) -> None:
    """On X11 the window manager frames a window after `show()`: the fit then took no frame,
    and on a 1,366 × 768 screen the title bar pushed the status bar below the screen. Once
    the frame is known the window fits again."""
    from desktop.ui.i18n import Translations
    from desktop.ui.session import GuiSession

    session = GuiSession(synced_workspace, Settings(gui_home), Translations())
    window = session.window
    qtbot.addWidget(window)
    try:
        area = window.screen().availableGeometry()
        window.setGeometry(area.x(), area.y(), area.width() + 600, area.height() + 400)
        window.fit_to_screen()        # not framed yet, as on X11 right after show()
        assert window.frameGeometry().size() == area.size()
        with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
            window.show()
        assert window.frameGeometry().size() != window.size()      # framed now
        qtbot.waitUntil(lambda: area.contains(window.frameGeometry()), timeout=5000)
        qtbot.waitUntil(lambda: not session.context._cold_held, timeout=10000)  # first paint
    finally:
        session.context.cancel_all()
        session.context.wait_idle()
        session.handover.stop()
        session.auto_resume.stop()


def test_switching_the_language_retranslates_in_place_and_keeps_the_state(
        qtbot: Any, synced_workspace: Any, gui_home: Path) -> None:
    from desktop.ui.session import GuiSession

    translations = Translations()
    translations.install(CHINESE)
    session = GuiSession(synced_workspace, Settings(gui_home), translations)
    window = session.window
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
            session.show()
        assert window.menuBar().actions()[0].text() == "文件(&F)"
        assert window.sync_action.text() == "立即同步"
        assert window.model.headerData(0, Qt.Orientation.Horizontal) == "客户"
        with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
            window.filter_bar.set_filter("VIP")
        window.table.selectRow(2)
        selected = window.selected_relation_ids()
        tree = window.tag_tree
        qtbot.waitUntil(lambda: tree.model.rowCount() > 0, timeout=15000)
        section = tree.model.index(0, 0)
        tree.tree.collapseAll()
        tree.tree.expand(section)
        group = tree.model.index(0, 0, section)
        tree.tree.expand(group)
        audit = window.open_audit_viewer()
        with qtbot.waitSignal(window.context.changed, timeout=20000):
            window._toggle_counted(selected, _tag_id(window.context, "VIP"), len(selected))
        assert window.undo_action.text() == "撤销 为 1 位客户移除 VIP"
        language = next(a for a in window.findChildren(QAction) if a.data() == ENGLISH)
        with qtbot.assertNotEmitted(window.model.queryStarted):
            language.trigger()
            qtbot.waitUntil(lambda: window.sync_action.text() == "Sync now", timeout=5000)
        assert session.window is window and window.isVisible()
        assert window.menuBar().actions()[0].text() == "&File"
        assert window.undo_action.text() == "Undo remove VIP from 1 customer"
        assert window.model.headerData(0, Qt.Orientation.Horizontal) == "Customer"
        assert window.table.horizontalHeader().sectionsClickable()
        assert window.filter_bar.edit.text() == "VIP"
        assert window.selected_relation_ids() == selected
        assert tree.tree.isExpanded(section) and tree.tree.isExpanded(group)
        assert tree.model.index(0, 0).data() in ("Corp tags", "Rule-group tags")
        assert tree.search.placeholderText().startswith("Find a tag")
        assert window.status.counts.text().endswith("customers")
        assert "Customer ID" in window.detail.browser.visible_text()
        assert audit.isVisible()
        assert language.isChecked()
        assert Settings(gui_home).language == ENGLISH
    finally:
        translations.uninstall()
        session.context.cancel_all()
        session.context.wait_idle()


def test_the_palette_follows_the_system_colour_scheme(qapp: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui import style

    scheme = [Qt.ColorScheme.Light]
    monkeypatch.setattr(style, "is_dark", lambda: scheme[0] == Qt.ColorScheme.Dark)
    hints = qapp.styleHints()
    font, palette = qapp.font(), qapp.palette()
    style.apply_style(qapp)
    try:
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 200
        scheme[0] = Qt.ColorScheme.Dark
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)      # the system switched
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 80
        assert qapp.palette().color(QPalette.ColorRole.Text).lightness() > 200
        scheme[0] = Qt.ColorScheme.Light
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 200
    finally:
        hints.colorSchemeChanged.disconnect()
        qapp.setStyleSheet("")
        qapp.setFont(font)
        qapp.setPalette(palette)


def test_applying_the_style_keeps_the_fusion_style_the_widgets_were_polished_with(
        qapp: Any) -> None:
    from desktop.ui import style

    font, palette = qapp.font(), qapp.palette()
    qapp.setStyle("Fusion")
    deleted: list[bool] = []
    qapp.style().destroyed.connect(lambda: deleted.append(True))
    style.apply_style(qapp)
    try:
        assert deleted == []         # the style the widgets were polished with lives on
        assert qapp.styleSheet()
    finally:
        qapp.styleHints().colorSchemeChanged.disconnect()
        qapp.setStyleSheet("")
        qapp.setFont(font)
        qapp.setPalette(palette)

def test_retag_uses_the_selection_or_else_the_whole_filter(
    qtbot: Any, window: MainWindow, synced_context: Any
) -> None:
    from PySide6.QtCore import QItemSelectionModel

    from desktop.ui.retag_dialog import RetagDialog

    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        window.filter_bar.set_filter("VIP")
    dialog = window.open_retag_dialog()
    assert isinstance(dialog, RetagDialog)
    assert sorted(dialog.relation_ids) == sorted(synced_context.filter_engine.relation_ids("VIP"))

    selection = window.table.selectionModel()
    for row in (0, 1):
        selection.select(window.model.index(row, 0),
                         QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    dialog = window.open_retag_dialog()
    assert isinstance(dialog, RetagDialog)
    assert sorted(dialog.relation_ids) == sorted(window.selected_relation_ids())
    assert len(dialog.relation_ids) == 2
    dialog.close()


def test_import_and_export_open_from_the_file_menu(qtbot: Any, window: MainWindow) -> None:
    from desktop.ui.export_dialog import ExportDialog
    from desktop.ui.import_wizard import ImportWizard

    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    texts = [action.text() for action in file_menu.actions()]
    assert "Import tags from a spreadsheet…" in texts and "Export customers…" in texts
    assert isinstance(window.open_import_wizard(), ImportWizard)
    assert isinstance(window.open_export_dialog(), ExportDialog)


class _X11LineEditKeys(QObject):
    """What a QLineEdit does on X11 (not offscreen): it takes Ctrl+E as end of line."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.keyCombination() == QKeyCombination(CTRL, Qt.Key.Key_E):
            event.accept()
        return False


def _export_dialogs() -> list[QWidget]:
    from desktop.ui.export_dialog import ExportDialog

    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, ExportDialog) and w.isVisible()]


@pytest.mark.parametrize("edit", ["filter bar", "tag search"])
def test_ctrl_e_exports_from_the_filter_bar_and_the_tag_search_as_on_x11(
        qtbot: Any, window: MainWindow, edit: str) -> None:
    line_edit = window.filter_bar.edit if edit == "filter bar" else window.tag_tree.search
    x11 = _X11LineEditKeys(line_edit)
    line_edit.installEventFilter(x11)
    line_edit.setFocus()
    line_edit.setText("ab")
    line_edit.setCursorPosition(0)
    qtbot.keyClick(line_edit, Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(lambda: bool(_export_dialogs()), timeout=5000)
    for dialog in _export_dialogs():
        dialog.close()
    qtbot.keyClick(line_edit, Qt.Key.Key_A, CTRL)      # text keys stay the line edit's
    assert line_edit.selectedText() == "ab"


def test_ctrl_z_in_the_filter_bar_undoes_typing_then_the_tagging(
        qtbot: Any, window: MainWindow, synced_context: Any, sandbox: Any) -> None:
    """Alt+1 in the filter bar, then Ctrl+Z: the filter bar took the key with no typing to
    undo, and the tagging stayed."""
    tag = _tag_id(synced_context, "VIP")
    row = next(r for r in range(40) if tag not in _sandbox_tags(
        synced_context, sandbox, window.model.relation_id(r)))
    window.table.selectRow(row)
    rid = window.model.relation_id(row)
    with qtbot.waitSignal(synced_context.changed, timeout=20000):
        synced_context.toggle_tag([rid], tag, lambda: "VIP")
    assert tag in _sandbox_tags(synced_context, sandbox, rid)
    edit = window.filter_bar.edit
    edit.setFocus()
    qtbot.keyClicks(edit, "x")
    qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL)           # the typing first
    assert edit.text() == "" and window.undo_action.isEnabled()
    with qtbot.waitSignal(synced_context.changed, timeout=20000):
        qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL)       # then the tagging
    assert tag not in _sandbox_tags(synced_context, sandbox, rid)


def test_a_narrow_window_keeps_the_customer_table_readable(qtbot: Any,
                                                            window: MainWindow) -> None:
    tree, _table, detail = window.splitter.sizes()
    window.resize(780, 600)
    qtbot.waitUntil(lambda: window.width() <= 800)
    narrow_tree, narrow_table, narrow_detail = window.splitter.sizes()
    assert narrow_table >= 360 and narrow_tree < tree and narrow_detail < detail


def test_f1_shows_the_filter_examples_once_for_users_not_developers(
    qtbot: Any, window: MainWindow
) -> None:
    window.activateWindow()
    qtbot.keyClick(window.table, Qt.Key.Key_F1)
    syntax = window.open_filter_syntax()
    assert syntax.isVisible() and not syntax.isModal()
    qtbot.keyClick(window.table, Qt.Key.Key_F1)            # again: the same window comes up
    assert window.open_filter_syntax() is syntax
    assert [w for w in window.findChildren(QWidget) if w.isWindow() and w.isVisible()
            and w.windowTitle() == "Filter syntax"] == [syntax]
    page = syntax.browser.toPlainText()
    assert "客户等级:VIP" in page and "The tag VIP of the group 客户等级" in page
    assert "FilterError" not in page and "describe_error" not in page   # no API reference
    syntax.close()


def test_the_audit_log_jumps_to_a_customer_in_the_table(
    qtbot: Any, window: MainWindow, synced_context: Any
) -> None:
    from desktop.ui.audit_viewer import AuditViewer
    from desktop.ui.reports import ReportsWindow

    viewer = window.open_audit_viewer()
    assert isinstance(viewer, AuditViewer)
    assert isinstance(window.open_reports(), ReportsWindow)
    external_userid = synced_context.cache.query(
        "SELECT external_userid FROM relation ORDER BY id LIMIT 1")[0]["external_userid"]
    followers = synced_context.cache.scalar(
        "SELECT count(*) FROM relation WHERE external_userid = ?", (external_userid,))
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        viewer.customerRequested.emit(external_userid)
    assert window.model.rowCount() == followers
    shown = load_relations(synced_context.cache,
                           window.model.relation_ids(range(window.model.rowCount())))
    assert {row.external_userid for row in shown} == {external_userid}


def test_counts_stay_right_after_tagging_through_the_window(
    qtbot: Any, window: MainWindow, synced_context: Any
) -> None:
    from desktop.store.filter_engine import FilterEngine

    engine = synced_context.filter_engine
    tag_id = _tag_id(synced_context, "高意向")
    before = engine.count("高意向")                      # warm the cached bitmaps
    ids = sorted(synced_context.filter_engine.relation_ids("-高意向"))[:7]
    with qtbot.waitSignal(synced_context.changed, timeout=20000):
        synced_context.toggle_tag(ids, tag_id, lambda: "高意向")
    after = engine.count("高意向")
    assert after == FilterEngine(synced_context.cache).count("高意向")
    assert after.relations == before.relations + len(ids)


def _shortcut_actions(window: MainWindow) -> list[QAction]:
    """Every action of the window and its menus (the menus' own actions included)."""
    found: dict[int, QAction] = {id(a): a for a in window.findChildren(QAction)}
    for menu in window.menuBar().findChildren(QMenu):
        found.update({id(a): a for a in menu.actions()})
    return list(found.values())


def _scope(action: QAction) -> tuple[str, int]:
    """Where a shortcut is live: the whole window, or one widget (and maybe its children)."""
    context = action.shortcutContext()
    if context in (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut):
        return "window", 0
    widgets = [o for o in action.associatedObjects() if isinstance(o, QWidget)]
    return "widget", id(widgets[0]) if widgets else 0


def test_no_shortcut_is_ambiguous(window: MainWindow) -> None:
    """Qt does nothing for an ambiguous key ("Ambiguous shortcut overload"): F5, Ctrl+Q."""
    owners: dict[str, list[tuple[str, tuple[str, int]]]] = {}
    for action in _shortcut_actions(window):
        keys = [k.toString(QKeySequence.SequenceFormat.PortableText) for k in action.shortcuts()]
        keys = [k for k in keys if k]
        assert len(keys) == len(set(keys)), f"{action.text()!r} lists a key twice: {keys}"
        if action.isEnabled():
            for key in keys:
                owners.setdefault(key, []).append((action.text(), _scope(action)))
    for key, users in owners.items():
        scopes = [scope for _text, scope in users]
        window_wide = [u for u in users if u[1][0] == "window"]
        clash = len(window_wide) > 1 or (window_wide and len(users) > 1) \
            or len(scopes) != len(set(scopes))
        assert not clash, f"{key} is bound to {[text for text, _s in users]}"


def test_f5_syncs_and_ctrl_q_quits(qtbot: Any, window: MainWindow) -> None:
    window.activateWindow()
    window.table.setFocus()
    with qtbot.waitSignal(window.sync_action.triggered, timeout=5000):
        qtbot.keyClick(window.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: not window.sync.running, timeout=30000)
    qtbot.keyClick(window.table, Qt.Key.Key_Q, CTRL)
    assert not window.isVisible()


def _click_header(qtbot: Any, window: MainWindow, column: Column) -> None:
    header = window.table.horizontalHeader()
    position = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2,
                      header.height() // 2)
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=position)


def test_clicking_a_column_header_sorts_by_it(qtbot: Any, window: MainWindow,
                                              synced_context: Any) -> None:
    engine = synced_context.filter_engine
    _click_header(qtbot, window, Column.OWNER)
    assert (window.model.query.order_by, window.model.query.descending) == ("owner", False)
    ids = [window.model.relation_id(r) for r in range(window.model.rowCount())]
    assert ids == engine.relation_ids("", order_by="owner", descending=False)
    _click_header(qtbot, window, Column.OWNER)
    assert (window.model.query.order_by, window.model.query.descending) == ("owner", True)
    assert window.table.horizontalHeader().sortIndicatorSection() == Column.OWNER


def test_the_sort_arrow_points_up_from_a_to_z_and_down_from_z_to_a(
        qtbot: Any, qapp: Any, window: MainWindow) -> None:
    """The main table's header arrow drew ▲ over a descending sort (added time, newest
    first, when the window opens), as Fusion on Linux draws Qt's ascending as ▼."""
    from desktop.ui import style

    font, palette = qapp.font(), qapp.palette()
    style.apply_style(qapp)
    try:
        header = window.table.horizontalHeader()
        _click_header(qtbot, window, Column.OWNER)
        assert window.model.query.descending is False
        qtbot.wait(50)
        a_to_z = header.grab().toImage()
        _click_header(qtbot, window, Column.OWNER)
        assert window.model.query.descending is True
        qtbot.wait(50)
        assert sort_arrow_points_down(header.grab().toImage(), a_to_z, header, Column.OWNER)
    finally:
        qapp.styleHints().colorSchemeChanged.disconnect()
        qapp.setStyleSheet("")
        qapp.setFont(font)
        qapp.setPalette(palette)


def test_headers_stay_clickable_after_restoring_a_saved_state(
        qtbot: Any, synced_context: Any, gui_home: Path) -> None:
    """A header state saved while the header was not clickable must not make it so again."""
    settings = Settings(gui_home)
    old = QHeaderView(Qt.Orientation.Horizontal)
    old.setModel(QStandardItemModel(1, len(Column)))
    assert not old.sectionsClickable()
    settings.set_state(KEY_TABLE_HEADER, old.saveState())
    window = open_main_window(qtbot, synced_context, settings)
    _click_header(qtbot, window, Column.CUSTOMER)
    assert window.model.query.order_by == "name"


def test_tags_come_right_after_the_customer_and_fit_the_default_window(
        qtbot: Any, window: MainWindow) -> None:
    header = window.table.horizontalHeader()
    assert [header.logicalIndex(v) for v in range(2)] == [Column.CUSTOMER, Column.TAGS]
    qtbot.waitUntil(lambda: header.isSectionHidden(Column.COMPANY), timeout=10000)
    qtbot.waitUntil(lambda: header.sectionViewportPosition(Column.OWNER)
                    + header.sectionSize(Column.ADDED) + header.sectionSize(Column.OWNER)
                    == window.table.viewport().width(), timeout=5000)
    right = header.sectionViewportPosition(Column.TAGS) + header.sectionSize(Column.TAGS)
    assert right < window.table.viewport().width()       # whole, and the spare room is theirs
    assert header.sectionSize(Column.TAGS) > DEFAULT_WIDTHS[Column.TAGS]
    assert window.table.horizontalScrollBar().maximum() == 0


def test_sparse_columns_start_hidden_and_the_header_menu_brings_them_back(
        qtbot: Any, window: MainWindow, synced_context: Any) -> None:
    sparse = window.model.sparse_columns()
    filled = dict(synced_context.cache.connection().execute(
        "SELECT 'remark', avg(remark != '') FROM relation").fetchall())
    assert (Column.REMARK in sparse) == (filled["remark"] < 0.5)
    header = window.table.horizontalHeader()
    qtbot.waitUntil(lambda: all(header.isSectionHidden(c) for c in sparse), timeout=10000)
    assert not header.isSectionHidden(Column.TAGS)
    column = next(iter(sparse))
    QTimer.singleShot(0, lambda: _check_in_menu(window, column))
    window.table._header_menu(QPoint(5, 5))
    qtbot.waitUntil(lambda: not header.isSectionHidden(column), timeout=5000)


def _check_in_menu(window: MainWindow, column: Column) -> None:
    menu = next(m for m in window.table.findChildren(QMenu) if m.isVisible())
    title = window.model.column_title(column)
    action = next(a for a in menu.actions() if a.text() == title)
    assert not action.isChecked()
    action.trigger()
    menu.close()


def test_the_customer_column_stays_in_place_when_scrolling_sideways(
        qtbot: Any, window: MainWindow) -> None:
    header = window.table.horizontalHeader()
    for column in Column:
        header.setSectionHidden(column, False)
    window.resize(700, 600)
    bar = window.table.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5000)
    assert not window.table.frozen.isVisible()
    bar.setValue(bar.maximum())
    frozen = window.table.frozen
    assert frozen.isVisible()
    assert frozen.columnWidth(Column.CUSTOMER) == window.table.columnWidth(Column.CUSTOMER)
    name = window.model.index(0, Column.CUSTOMER).data()
    assert frozen.indexAt(QPoint(10, 5)).data() == name
    qtbot.mouseClick(frozen.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(10, frozen.rowViewportPosition(2) + 5))
    assert window.table.selected_rows() == [2]
    bar.setValue(0)
    assert not frozen.isVisible()


def test_detail_chips_never_wrap_inside_a_tag_name(qtbot: Any, window: MainWindow,
                                                   synced_context: Any) -> None:
    row = max(range(30), key=lambda r: len(load_relations(
        synced_context.cache, [window.model.relation_id(r)])[0].tags))
    window.table.selectRow(row)
    names = load_relations(synced_context.cache, [window.model.relation_id(row)])[0].tag_names
    assert len(names) >= 3
    window.splitter.setSizes([200, 900, 120])
    qtbot.waitUntil(lambda: window.detail.browser.width() < 200, timeout=5000)
    window.detail.browser.document().setTextWidth(window.detail.browser.viewport().width())
    lines = laid_out_lines(window.detail.browser)
    for name in names:
        assert any(name.replace(" ", "\u00a0") in line for line in lines), (name, lines)


@pytest.mark.parametrize("width", [120, 170, 400])
def test_detail_labels_and_dates_stay_whole_in_a_narrow_pane(
        qtbot: Any, window: MainWindow, synced_context: Any, width: int) -> None:
    row = next(r for r in range(60) if load_relations(
        synced_context.cache, [window.model.relation_id(r)])[0].description)
    window.table.selectRow(row)
    window.splitter.setSizes([200, 900, width])
    browser = window.detail.browser
    qtbot.waitUntil(lambda: abs(browser.width() - width) < 60, timeout=5000)
    browser.document().setTextWidth(browser.viewport().width())
    lines = [line.replace("\u00a0", " ").strip() for line in laid_out_lines(browser)]
    text = "\n".join(lines)
    for label in ("Type", "Followed by", "Description", "Added"):
        assert re.search(rf"^{label}\b", text, re.MULTILINE), (label, lines)  # not "Descripti"
    assert re.search(r"^(Added\s*)?\d{4}-\d\d-\d\d$", text, re.MULTILINE), lines
    assert not any(re.fullmatch(r"[a-z]{1,3}|\d{1,2}", line) for line in lines), lines


def test_recent_changes_keep_tag_and_people_names_whole_in_a_narrow_pane(
        qtbot: Any, window: MainWindow, synced_context: Any, sandbox: Any) -> None:
    relation_id = window.model.relation_id(0)
    tagging = synced_context.tagging
    tagging.run(tagging.submit(tagging.plan(
        [relation_id], add=[sandbox.state.find_tag("客户等级", "重点客户")]), source="app"))
    window.table.selectRow(0)
    window.splitter.setSizes([200, 900, 120])
    qtbot.waitUntil(lambda: window.detail.browser.width() < 200, timeout=5000)
    browser = window.detail.browser
    qtbot.waitUntil(lambda: "重点客户" in browser.visible_text().split("Recent changes")[1],
                    timeout=5000)
    browser.document().setTextWidth(browser.viewport().width())
    (operator,) = synced_context.cache.connection().execute(
        "SELECT name FROM member WHERE userid = ?", (synced_context.operator,)).fetchone()
    lines = laid_out_lines(browser)
    recent = lines[next(i for i, line in enumerate(lines) if line.startswith("Recent")):]
    for name in ("重点客户", operator, window.model.index(0, Column.OWNER).data()):
        assert any(name in line for line in recent), (name, recent)


def test_the_detail_pane_shows_and_copies_the_external_userid(
        qtbot: Any, window: MainWindow, synced_context: Any) -> None:
    window.table.selectRow(2)
    view = load_relations(synced_context.cache, [window.model.relation_id(2)])[0]
    assert view.external_userid in window.detail.browser.visible_text()
    with qtbot.waitSignal(synced_context.status_message, timeout=2000):
        window.detail.browser.anchorClicked.emit(QUrl("tagdesk:copy-id"))
    assert QGuiApplication.clipboard().text() == view.external_userid


def test_the_row_context_menu_copies_ids_tags_and_opens_the_detail(
        qtbot: Any, window: MainWindow, synced_context: Any) -> None:
    window.table.selectRow(1)
    menu = window.row_menu()
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Copy customer ID", "Tag…\tT", "Open detail"]   # the key the window takes
    assert window.picker_action.shortcut().toString() == "T"
    menu.actions()[0].trigger()
    view = load_relations(synced_context.cache, [window.model.relation_id(1)])[0]
    assert QGuiApplication.clipboard().text() == view.external_userid
    assert window.status.currentMessage().startswith("Copied 1 customer ID")
    window.detail_toggle.setChecked(False)
    menu.actions()[2].trigger()
    assert window.detail.isVisible() and window.detail.relation_id == view.id
    menu.actions()[1].trigger()
    assert window.picker is not None and window.picker.isVisible()
    window.picker.close()


def test_the_rows_a_pilot_wrote_can_be_shown_alone(qtbot: Any, window: MainWindow,
                                                   synced_context: Any, sandbox: Any) -> None:
    dialog = window.open_retag_dialog()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.group.count() > 0, timeout=15000)
    dialog.pilot.setValue(5)
    with qtbot.waitSignal(dialog.previewReady, timeout=15000):
        dialog.add_chooser.add_tag(sandbox.state.find_tag("客户阶段", "已发货"))
    with qtbot.waitSignal(dialog.progress.pilotFinished, timeout=20000) as blocker:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    written = blocker.args[0].changes.relation_ids
    assert len(written) == 5 and dialog.progress.show_button.isVisible()
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        qtbot.mouseClick(dialog.progress.show_button, Qt.MouseButton.LeftButton)
    shown = set(window.model.relation_ids(range(window.model.rowCount())))
    assert shown == set(written)
    assert window.status.counts.text().startswith("5 / ")
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        window.filter_bar.set_filter("")
    assert window.model.rowCount() > 5
    waiting = {rid for rid in dialog.relation_ids if (state := window.model.write_state(rid))
               and state[0] == WriteState.PENDING}
    assert waiting and not waiting & written                   # queued behind the pilot
    with qtbot.waitSignal(dialog.progress.writesSettled, timeout=10000):
        dialog.progress.cancel()
    assert not any(window.model.write_state(rid) for rid in waiting)     # no longer pending
    assert all(window.model.write_state(rid) for rid in written)        # still marked done
    dialog.close()


def test_a_tag_rename_keeps_the_filters_warm_at_once(
        qtbot: Any, window: MainWindow, synced_context: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.services.tag_admin import TagAdminService
    from desktop.store.filter_engine import FilterEngine

    qtbot.waitUntil(lambda: not synced_context.warming, timeout=30000)
    engine = synced_context.filter_engine
    engine.prepare()
    tag_id, name = synced_context.cache.query(
        "SELECT t.id, t.name FROM tag t JOIN relation_tag l ON l.tag_pk = t.pk WHERE t.deleted = 0"
        " GROUP BY t.pk ORDER BY count(*) DESC LIMIT 1")[0]
    changes = TagAdminService(synced_context.workspace).rename(tag_id, f"{name}改")
    text = f'"{name}改" | tags>=2 | text:a'

    def refuse(*_: object) -> None:
        raise AssertionError("the filter engine went cold after the rename")

    with monkeypatch.context() as patch:
        for builder in ("tagged", "every_tagged", "tag_count_buckets", "searchable_text",
                        "shared_customers", "universe"):
            patch.setattr(filter_leaves, builder, refuse)
        colds: list[int] = []
        synced_context.filters_cold.connect(lambda: colds.append(1))
        synced_context.publish(changes)
        counted = engine.count(text)
        qtbot.waitUntil(lambda: not synced_context.warming, timeout=30000)
    assert colds == []  # answered from the kept bitmaps, not from SQL
    assert counted == FilterEngine(synced_context.cache).count(text)
    assert counted.relations > 0


def _rename_under_filters(qtbot: Any, window: MainWindow, saved: str, shown: str, key: str,
                         name: str) -> int:
    """Save the filter `saved`, show `shown`, then rename the tree's item `key` through its
    rename dialog as a user does; the rows `shown` had before."""
    from desktop.ui.tag_dialogs import RenameDialog

    window.settings.save_filter(window.context.workspace.profile.name, "saved", saved)
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        window.filter_bar.set_filter(shown)
    rows = window.model.rowCount()
    assert window.tag_tree.select_key(key)
    dialog = window.tag_tree.rename_current()
    assert isinstance(dialog, RenameDialog)
    dialog.name_edit.setText(name)
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    return rows


def test_renaming_a_tag_the_filter_names_keeps_the_filter_working(
        qtbot: Any, window: MainWindow, synced_context: Any, sandbox: Any) -> None:
    settings, profile = window.settings, synced_context.workspace.profile.name
    shown = _rename_under_filters(qtbot, window, "低意向 -VIP", "低意向 OR 意向程度:高意向",
                                  f"tag:{sandbox.state.find_tag('意向程度', '低意向')}", "意向较低")
    assert window.filter_bar.text() == "意向较低 OR 意向程度:高意向"
    assert window.model.rowCount() == shown
    assert settings.saved_filters(profile) == [("saved", "意向较低 -VIP")]    # saved and recent
    assert "低意向 OR 意向程度:高意向" not in settings.recent_filters(profile)   # ones follow


def test_renaming_a_group_the_filter_names_keeps_the_filter_working(
        qtbot: Any, window: MainWindow, synced_context: Any, sandbox: Any) -> None:
    settings, profile = window.settings, synced_context.workspace.profile.name
    shown = _rename_under_filters(qtbot, window, "group:意向程度 -VIP", "意向程度:高意向 | 分组:意向程度",
                                  f"group:{sandbox.state.find_group('意向程度')}", "意向 等级")
    assert window.filter_bar.text() == '"意向 等级":高意向 | 分组:"意向 等级"'
    assert window.model.rowCount() == shown
    assert settings.saved_filters(profile) == [("saved", 'group:"意向 等级" -VIP')]
    assert "意向程度:高意向 | 分组:意向程度" not in settings.recent_filters(profile)


def test_a_sync_that_finds_a_tag_renamed_in_the_admin_console_keeps_the_filter_working(
        qtbot: Any, window: MainWindow, synced_context: Any, sandbox: Any) -> None:
    settings, profile = window.settings, synced_context.workspace.profile.name
    settings.save_filter(profile, "saved", "低意向 -VIP")
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        window.filter_bar.set_filter("低意向 OR 客户等级:VIP")
    shown = window.model.rowCount()
    sandbox.state.console_edit_tag(sandbox.state.find_tag("意向程度", "低意向"), name="意向较低")
    sandbox.state.console_edit_tag(sandbox.state.find_group("客户等级"), name="客户级别")
    with qtbot.waitSignal(window.sync.finished, timeout=60000):
        window.start_sync()
    qtbot.waitUntil(lambda: window.model.query.text == "意向较低 OR 客户级别:VIP", timeout=15000)
    assert window.filter_bar.text() == "意向较低 OR 客户级别:VIP"
    qtbot.waitUntil(lambda: window.model.rowCount() == shown, timeout=15000)
    assert settings.saved_filters(profile) == [("saved", "意向较低 -VIP")]


def test_a_filter_a_sync_breaks_falls_back_to_everything(
        qtbot: Any, window: MainWindow, synced_context: Any, sandbox: Any) -> None:
    """A tag deleted elsewhere while the window filters by it: after the sync the window
    shows every customer and says why, rather than the old rows with the deleted tag's
    chips and their count."""
    tag_id = sandbox.state.find_tag("意向程度", "低意向")
    window.filter_bar.set_filter("低意向")
    qtbot.waitUntil(lambda: window.model.last_result is not None
                    and window.model.last_result.query.text == "低意向", timeout=15000)
    sandbox.state.console_delete_tag(tag_id)
    with qtbot.waitSignal(window.sync.finished, timeout=60000):
        window.start_sync()
    qtbot.waitUntil(lambda: window.model.last_result is not None
                    and window.model.last_result.query.text == "", timeout=15000)
    shown = window.model.last_result
    assert shown is not None and shown.relations == shown.total_relations
    assert window.filter_bar.text() == "" and not window.filter_bar.error.isVisible()
    assert "no longer works" in window.status.currentMessage()


def test_at_1024_by_700_the_side_panes_give_the_table_its_columns(
        qtbot: Any, window: MainWindow) -> None:
    """The tree and the detail kept 270 and 255 px and the table scrolled sideways, 负责人 and
    添加时间 out of sight; they narrow first now, and take their width back as it grows."""
    qtbot.waitUntil(lambda: window.splitter.sizes()[::2] == [310, 300], timeout=5000)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.table.width() < 900, timeout=5000)
    table, header = window.table, window.table.horizontalHeader()
    last = max((c for c in Column if not header.isSectionHidden(c)), key=header.visualIndex)
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0, timeout=5000)
    right_edge = header.sectionViewportPosition(last) + header.sectionSize(last)
    assert right_edge <= table.viewport().width(), (right_edge, window.splitter.sizes())
    left, _, right = window.splitter.sizes()
    assert left < 310 and right < 300
    window.resize(1400, 860)
    qtbot.waitUntil(lambda: window.splitter.sizes()[::2] == [310, 300], timeout=5000)
    handle = window.splitter.handle(1)     # the tree dragged wider than the table's room
    start = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=start)
    for step in range(0, 500, 50):
        qtbot.mouseMove(handle, start + QPoint(step, 0))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=start + QPoint(500, 0))
    dragged = window.splitter.sizes()
    qtbot.wait(200)
    assert window.splitter.sizes() == dragged and dragged[0] > 600   # stays so
