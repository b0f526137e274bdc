"""The favourites strip: pin, unpin, reorder by drag, slots for Alt+1..3, click to tag."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt

from desktop.services.tag_admin import TagAdminService
from desktop.ui.favourites_bar import FAVOURITE_IDS_MIME, TAG_ID_ROLE, FavouritesBar
from desktop.ui.tag_tree_model import TagTreeModel

pytestmark = pytest.mark.gui

MOVE = Qt.DropAction.MoveAction


@pytest.fixture
def bar(qtbot: Any, synced_context: Any) -> FavouritesBar:
    widget = FavouritesBar(synced_context)
    qtbot.addWidget(widget)
    widget.resize(400, 80)
    widget.show()
    return widget


@pytest.fixture
def intent_ids(sandbox: Any) -> list[str]:
    return [sandbox.state.find_tag("意向程度", name) for name in ("高意向", "中意向", "低意向")]


def _pin(context: Any, ids: list[str]) -> None:
    admin = TagAdminService(context.workspace)
    for tag_id in ids:
        context.publish(admin.pin(context.operator, tag_id))


def _shown(bar: FavouritesBar) -> list[str]:
    return [bar.model.index(row).data(TAG_ID_ROLE) for row in range(bar.model.rowCount())]


def _stored(bar: FavouritesBar) -> list[str]:
    return bar.service.pins(bar.context.operator)


def test_model_tester(qtmodeltester: Any, bar: FavouritesBar, synced_context: Any,
                      intent_ids: list[str]) -> None:
    _pin(synced_context, intent_ids)
    qtmodeltester.check(bar.model)


def test_pins_show_as_chips_with_slots(bar: FavouritesBar, synced_context: Any,
                                       intent_ids: list[str], sandbox: Any) -> None:
    assert bar.hint.isVisible() and bar.tag_for_slot(1) is None
    extra = sandbox.state.find_tag("客户等级", "VIP")
    _pin(synced_context, [*intent_ids, extra])
    assert _shown(bar) == [*intent_ids, extra]
    assert not bar.hint.isVisible()
    assert [bar.tag_for_slot(n) for n in (1, 2, 3, 4, 5)] == [*intent_ids, extra, None]
    assert "Alt+1" in bar.model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Alt+" not in bar.model.index(3).data(Qt.ItemDataRole.ToolTipRole)
    bar.context.publish(bar.service.unpin(synced_context.operator, intent_ids[0]))
    assert bar.tag_for_slot(1) == intent_ids[1]


def test_drag_reorders_and_is_stored(qtbot: Any, bar: FavouritesBar, synced_context: Any,
                                     intent_ids: list[str]) -> None:
    _pin(synced_context, intent_ids)
    mime = bar.model.mimeData([bar.model.index(2)])
    assert json.loads(bytes(mime.data(FAVOURITE_IDS_MIME).data())) == [intent_ids[2]]
    assert bar.model.canDropMimeData(mime, MOVE, 0, 0, QModelIndex())
    assert not bar.model.canDropMimeData(mime, MOVE, 0, 0, bar.model.index(0))
    assert bar.model.dropMimeData(mime, MOVE, 0, 0, QModelIndex())
    wanted = [intent_ids[2], intent_ids[0], intent_ids[1]]
    assert _shown(bar) == wanted  # at once
    qtbot.waitUntil(lambda: _stored(bar) == wanted, timeout=10000)
    synced_context.wait_idle()
    bar.model.reload()
    assert _shown(bar) == wanted and bar.tag_for_slot(1) == intent_ids[2]


def test_a_tag_dragged_from_the_tree_is_pinned_where_dropped(
    qtbot: Any, bar: FavouritesBar, synced_context: Any, intent_ids: list[str], sandbox: Any
) -> None:
    _pin(synced_context, intent_ids[:2])
    tree = TagTreeModel(synced_context)
    qtbot.waitUntil(lambda: tree.is_loaded, timeout=10000)
    vip = sandbox.state.find_tag("客户等级", "VIP")
    mime = tree.mimeData([tree.index_for_key(f"tag:{vip}")])
    assert bar.model.dropMimeData(mime, Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    pinned = [intent_ids[0], vip, intent_ids[1]]
    # Stored on the writer thread, shown once the write's end reaches the bar.
    qtbot.waitUntil(lambda: _stored(bar) == pinned
                    and [tag.id for tag in bar.model.tags] == pinned, timeout=10000)
    again = tree.mimeData([tree.index_for_key(f"tag:{vip}")])
    assert not bar.model.dropMimeData(again, Qt.DropAction.CopyAction, 0, 0, QModelIndex())
    node = tree.tree.tag_node(vip)
    assert node is not None and node.tag is not None
    group_only = tree.mimeData([tree.index_for_key(f"group:{node.tag.group_id}")])
    assert not bar.model.canDropMimeData(group_only, MOVE, 0, 0, QModelIndex())
    junk = QMimeData()
    junk.setData(FAVOURITE_IDS_MIME, b"[")
    assert not bar.model.canDropMimeData(junk, MOVE, 0, 0, QModelIndex())


def test_click_and_slot_one_toggle_the_tag_on_the_selection(
    qtbot: Any, bar: FavouritesBar, synced_context: Any, intent_ids: list[str], sandbox: Any
) -> None:
    _pin(synced_context, intent_ids)
    rows = synced_context.cache.query(
        "SELECT id, userid, external_userid FROM relation ORDER BY id LIMIT 4")
    selection = [int(row["id"]) for row in rows]
    before = [sandbox.state.relation_tag_ids(r["userid"], r["external_userid"]) for r in rows]
    first = bar.tag_for_slot(1)
    bar.toggleRequested.connect(lambda tag_id: synced_context.toggle_tag(selection, tag_id))
    with qtbot.waitSignal(bar.toggleRequested) as clicked:
        rect = bar.view.visualRect(bar.model.index(0))
        qtbot.mouseClick(bar.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert clicked.args == [first]
    adds = not all(first in tags for tags in before)

    def applied() -> bool:
        now = [sandbox.state.relation_tag_ids(r["userid"], r["external_userid"]) for r in rows]
        return all((first in tags) == adds for tags in now)

    qtbot.waitUntil(applied, timeout=15000)
    synced_context.wait_idle()


def test_alt_1_in_the_main_window_toggles_the_first_favourite(
    qtbot: Any, synced_context: Any, gui_home: Any, intent_ids: list[str], sandbox: Any
) -> None:
    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import Settings
    from desktop.ui.sync_controller import SyncController

    _pin(synced_context, intent_ids)
    window = MainWindow(synced_context, Settings(gui_home),
                        SyncController(synced_context, synced_context), "en")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        window.show()
    assert window.favourites is not None and window.favourites.tag_for_slot(1) == intent_ids[0]
    selection = window.table.selectionModel()
    for row in range(3):
        selection.select(window.model.index(row, 0),
                         selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    ids = window.selected_relation_ids()
    assert len(ids) == 3
    rows = [synced_context.cache.query(
        "SELECT userid, external_userid FROM relation WHERE id = ?", (rid,))[0] for rid in ids]
    before = [intent_ids[0] in sandbox.state.relation_tag_ids(r["userid"], r["external_userid"])
              for r in rows]
    window.activateWindow()
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    wanted = not all(before)

    def applied() -> bool:
        return all((intent_ids[0] in sandbox.state.relation_tag_ids(
            r["userid"], r["external_userid"])) == wanted for r in rows)

    qtbot.waitUntil(applied, timeout=15000)
    synced_context.wait_idle()


def test_every_chip_shows_without_scrolling_at_any_width(
        qtbot: Any, bar: FavouritesBar, synced_context: Any, intent_ids: list[str],
        sandbox: Any) -> None:
    _pin(synced_context, [*intent_ids, sandbox.state.find_tag("客户阶段", "已发货")])
    view = bar.view
    for width in range(200, 420, 2):
        bar.resize(width, 80)
        qtbot.waitUntil(lambda w=width: bar.width() == w, timeout=2000)
        view.doItemsLayout()
        qtbot.wait(1)
        assert not view.verticalScrollBar().isVisible(), width
        for row in range(bar.model.rowCount()):
            assert view.viewport().rect().contains(view.visualRect(bar.model.index(row))), (
                width, row)
