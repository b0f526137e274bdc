"""标签 → 已删除的标签…: a deleted tag is listed with its relations, previewed and restored
as a batch run in the window; the sandbox shows the re-created tag on those relations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.services.tag_admin import TagAdminService
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.sortable_tree import SORT_ROLE
from desktop.ui.sync_controller import SyncController

pytestmark = pytest.mark.gui


def _carriers(sandbox: Any, tag_id: str) -> set[tuple[str, str]]:
    return {(userid, external_userid) for userid, external_userid in sandbox.state.relations()
            if tag_id in sandbox.state.relation_tag_ids(userid, external_userid)}


def test_a_deleted_tag_is_restored_from_the_window(qtbot: Any, synced_context: Any,
                                                   gui_home: Path, sandbox: Any) -> None:
    context = synced_context
    admin = TagAdminService(context.workspace)
    old = admin.create_tag(admin.create_group("回访计划", "首次回访").tag.group_id, "二次回访").tag
    ids = [int(row["id"]) for row in context.cache.query(
        "SELECT id FROM relation ORDER BY id LIMIT 12")]
    tagging = context.tagging
    tagging.run(tagging.submit(tagging.plan(ids, add=[old.id]), source="batch"))
    carried = _carriers(sandbox, old.id)
    assert len(carried) == 12
    window = MainWindow(context, Settings(gui_home), SyncController(context, context), "en")
    qtbot.addWidget(window)
    dialog = window.open_deleted_tags()
    qtbot.waitUntil(lambda: dialog.summary.text() == "No tag has been deleted yet.",
                    timeout=15000)
    dialog.close()
    admin.delete_tags([old.id], reason="合并回访")
    assert _carriers(sandbox, old.id) == set()

    assert window.open_deleted_tags() is dialog          # opened again: the list is read again
    qtbot.waitUntil(lambda: dialog.list.topLevelItemCount() == 1, timeout=15000)
    qtbot.waitUntil(lambda: dialog.summary.text() in (          # the tree may choose the row
        "Choose a deleted tag to see what restoring it would do.",
        "Restoring re-creates 「二次回访」 and tags 12 relations with it again."), timeout=15000)
    item = dialog.list.topLevelItem(0)
    assert item is not None
    assert [item.text(n) for n in (1, 2, 3, 5)] == ["二次回访", "回访计划", "12", "合并回访"]
    operator = context.workspace.operator                   # by name, the userid in the tooltip
    (name,) = [row["name"] for row in context.cache.query(
        "SELECT name FROM member WHERE userid = ?", (operator,))]
    assert (item.text(4), item.toolTip(4)) == (name, operator)
    assert dialog.list.isSortingEnabled() and item.data(3, SORT_ROLE) == 12
    dialog.list.setCurrentItem(item)
    qtbot.waitUntil(dialog.restore_button.isEnabled, timeout=15000)
    assert "12" in dialog.summary.text() and "二次回访" in dialog.summary.text()
    with qtbot.waitSignal(dialog.panel.batchFinished, timeout=30000):
        dialog.restore_button.click()
    new_id = context.cache.query(
        "SELECT id FROM tag WHERE name = '二次回访' AND deleted = 0")[0]["id"]
    assert new_id != old.id and _carriers(sandbox, str(new_id)) == carried

    def restored_shown() -> bool:
        row = dialog.list.topLevelItem(0)
        return row is not None and str(new_id) in row.text(6)

    qtbot.waitUntil(restored_shown, timeout=15000)
    assert window.open_deleted_tags() is dialog          # one window, brought to the front
    qtbot.waitUntil(restored_shown, timeout=15000)
    dialog.close()
