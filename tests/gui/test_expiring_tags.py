"""Expiry by hand in the app: the retag dialog's Expires field (a bad one keeps Start disabled
with its sentence; a good one lands in tag_expiry for the tags the batch adds), and the
Expiring tags window: listed soonest first, Change expiry… on selected rows, Remove due now
as one batch with source `expiry`."""

from __future__ import annotations

import time
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMenu

from desktop.services.changes import ChangeSet
from desktop.store import outbox, tag_expiry
from desktop.ui.expiring_tags_dialog import ExpiringTagsDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.retag_dialog import RetagDialog
from desktop.ui.settings import Settings
from desktop.ui.sync_controller import SyncController
from tests.gui.qt_items import top_item

WAIT_MS = 20000


def test_retag_with_an_expiry_then_change_and_remove_due_in_the_expiring_window(
        qtbot: Any, synced_context: Any, sandbox: Any, monkeypatch: pytest.MonkeyPatch,
        gui_home: Any) -> None:
    ws = synced_context.workspace
    tag_id = sandbox.state.find_tag("地区", "华北")
    assert tag_id is not None
    ids = [rid for rid in synced_context.filter_engine.relation_ids("", order_by="createtime")
           if tag_id not in outbox.relation_states(ws.cache, [rid])[rid].tag_ids][:4]
    assert len(ids) == 4

    dialog = RetagDialog(synced_context, ids, "test")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.group.count() > 0, timeout=WAIT_MS)
    dialog.expires.setFocus()
    qtbot.keyClicks(dialog.expires, "3x")
    assert dialog.expires_error.isVisible()
    assert "30d" in dialog.expires_error.text()
    with qtbot.waitSignal(dialog.previewReady, timeout=WAIT_MS):
        dialog.add_chooser.add_tag(tag_id)
    assert not dialog.start_button.isEnabled()           # the expiry is still wrong
    qtbot.keyClick(dialog.expires, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dialog.expires, "d")
    assert not dialog.expires_error.isVisible() and dialog.start_button.isEnabled()
    started = time.time()
    with qtbot.waitSignal(dialog.progress.batchFinished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    states = outbox.relation_states(ws.cache, ids)
    keys = {(s.external_userid, s.userid) for s in states.values()}
    expiring = [e for e in tag_expiry.expiries(ws.cache) if e.tag_id == tag_id]
    assert {(e.external_userid, e.userid) for e in expiring} == keys
    assert all(started + 3 * 86400 - 5 <= e.expires_at <= time.time() + 3 * 86400
               for e in expiring)
    assert {e.origin for e in expiring} == {f"batch:{dialog.batch_id}"}
    assert synced_context.wait_idle()

    window = ExpiringTagsDialog(synced_context)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.table.topLevelItemCount() == 4, timeout=WAIT_MS)
    assert not window.remove_due_button.isEnabled()      # nothing has run out yet
    assert top_item(window.table, 0).text(0) == "地区:华北"
    window.table.header().setSortIndicator(0, Qt.SortOrder.DescendingOrder)  # a click: 标签
    tags = [top_item(window.table, row).text(0) for row in range(4)]
    assert tags == sorted(tags, reverse=True)
    window.table.header().setSortIndicator(3, Qt.SortOrder.AscendingOrder)   # soonest first

    # two rows now run out in 1 hour, then the other two are made due at once
    for row in (0, 1):
        top_item(window.table, row).setSelected(True)
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("1小时", True))
    qtbot.mouseClick(window.change_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.table.topLevelItemCount() == 4
                    and top_item(window.table, 0).text(3) < top_item(window.table, 3)
                    .text(3), timeout=WAIT_MS)
    soonest = sorted(tag_expiry.expiries(ws.cache), key=lambda e: e.expires_at)
    assert soonest[1].expires_at < time.time() + 3600 + 5
    window.table.clearSelection()
    top_item(window.table, 3).setSelected(True)
    window.change_selected("soon")
    assert "30d" in window.status.text()                   # said, nothing changed
    tag_expiry.set_expiries(ws.cache, [
        tag_expiry.Expiry(e.external_userid, e.userid, e.tag_id, time.time() - 60, e.origin)
        for e in soonest[2:]], "test")
    window.show()
    synced_context.publish(ChangeSet(full_reload=True))    # as after a sync: read again
    qtbot.waitUntil(window.remove_due_button.isEnabled, timeout=WAIT_MS)
    assert "(due)" in top_item(window.table, 0).text(3) or "已到期" in \
        top_item(window.table, 0).text(3)
    qtbot.mouseClick(window.remove_due_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.table.topLevelItemCount() == 2, timeout=WAIT_MS)
    gone = {(e.userid, e.external_userid) for e in soonest[2:]}
    assert all(tag_id not in sandbox.state.relation_tag_ids(u, c) for u, c in gone)
    left = {(e.userid, e.external_userid) for e in soonest[:2]}
    assert all(tag_id in sandbox.state.relation_tag_ids(u, c) for u, c in left)
    sources = {s for (s,) in ws.cache.connection().execute(
        "SELECT DISTINCT b.source FROM batch b JOIN journal j ON j.batch_id = b.id"
        " WHERE j.tag_id = ? AND j.action = 'tag_remove'", (tag_id,))}
    assert sources == {"expiry"}
    qtbot.waitUntil(lambda: "Removed 2" in window.status.text()
                    or "已移除 2" in window.status.text(), timeout=WAIT_MS)
    assert synced_context.wait_idle()

    # the Tags menu opens the one window, listing what is left
    main = MainWindow(synced_context, Settings(gui_home), SyncController(synced_context,
                                                                         synced_context), "en")
    qtbot.addWidget(main)
    menus = [menu for action in main.menuBar().actions()
             if isinstance(menu := action.menu(), QMenu)]
    action = next(a for menu in menus for a in menu.actions() if a.text() == "&Expiring tags…")
    action.trigger()
    opened = main.open_expiring_tags()
    assert opened is main._expiring and opened.isVisible()
    qtbot.waitUntil(lambda: opened.table.topLevelItemCount() == 2, timeout=WAIT_MS)
    assert synced_context.wait_idle()
