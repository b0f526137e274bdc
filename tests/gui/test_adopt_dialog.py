"""Adopting a console-made group from the tag tree's context menu."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel

from desktop.services.tag_admin import ReadOnlyTagError, TagAdminService
from desktop.ui.health_view import HealthWindow
from desktop.ui.tag_tree_view import TagTreeView

pytestmark = pytest.mark.gui

GROUP = "客户来源"


def test_a_refused_group_is_adopted_from_the_tree(
    qtbot: Any, synced_context: Any, sandbox: Any
) -> None:
    context = synced_context
    old_group = sandbox.state.find_group(GROUP)
    owned_group = sandbox.state.find_group("客户等级")
    old = {name: sandbox.state.find_tag(GROUP, name) for name in ("自然到店", "地推")}
    carriers = {name: {key for key in sandbox.state.relations()
                       if tag_id in sandbox.state.relation_tag_ids(*key)}
                for name, tag_id in old.items()}
    with pytest.raises(ReadOnlyTagError):        # WeCom answers 81011: now known
        TagAdminService(context.workspace).rename(old_group, "来源渠道")
    tree = TagTreeView(context)
    qtbot.addWidget(tree)
    qtbot.waitUntil(lambda: tree.model.is_loaded, timeout=10000)
    assert tree.select_key(f"group:{owned_group}")
    tree._update_actions(tree.current_node())
    assert not tree.adopt_action.isVisible()
    assert tree.select_key(f"group:{old_group}")
    tree._update_actions(tree.current_node())
    assert tree.adopt_action.isVisible()

    dialog = tree.adopt_current()
    assert dialog is not None and dialog.new_name.text() == "客户来源(TagDesk)"
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.run_button.isEnabled(),
                    timeout=10000)
    assert "calls in all" in dialog.preview_text.text()
    assert "not refused" not in dialog.preview_text.text()
    with qtbot.waitSignal(dialog.adopted, timeout=30000):
        dialog.run_button.click()
    assert "admin console" in dialog.preview_text.text()
    for name, tag_id in old.items():
        twin = sandbox.state.find_tag("客户来源(TagDesk)", name)
        assert twin is not None and sandbox.state.is_app_owned(twin)
        assert {key for key in sandbox.state.relations()
                if twin in sandbox.state.relation_tag_ids(*key)} == carriers[name]
        assert not any(tag_id in sandbox.state.relation_tag_ids(*key) for key in carriers[name])
    dialog.close()
    context.wait_idle()


def test_the_health_report_lists_a_refused_group_and_opens_its_adoption(
    qtbot: Any, synced_context: Any, sandbox: Any
) -> None:
    context = synced_context
    region = sandbox.state.find_tag("地区", "深圳")
    with pytest.raises(ReadOnlyTagError):        # one refused tag makes its group a candidate
        TagAdminService(context.workspace).rename(region, "深圳市")
    window = HealthWindow(context)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=20000):
        pass
    assert window.model.report is not None
    assert window.model.report.as_json()["read_only_groups"] == [sandbox.state.find_group("地区")]
    row = next(i for i, f in enumerate(window.model.findings) if f.category == "read_only_group")
    assert not window.adopt_button.isEnabled()
    window.table.selectionModel().select(
        window.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    assert window.adopt_button.isEnabled()
    dialog = window.adopt_selected()
    assert dialog is not None and dialog.new_name.text() == "地区(TagDesk)"
    assert dialog.new_name.placeholderText() == "地区(TagDesk)"      # what an empty field uses
    assert window.adopt_selected() is dialog                # asked again: the same dialog
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    assert dialog.plan is not None and len(dialog.plan.tags) == 10 and dialog.plan.known_read_only
    dialog.close()
    context.wait_idle()


def test_asking_wecom_lists_both_console_made_groups(
    qtbot: Any, synced_context: Any, sandbox: Any
) -> None:
    window = HealthWindow(synced_context)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=20000):
        pass
    assert not any(f.category == "read_only_group" for f in window.model.findings)
    with qtbot.waitSignal(window.loaded, timeout=30000):
        window.probe_button.click()
    found = {f.group_id for f in window.model.findings if f.category == "read_only_group"}
    assert found == {sandbox.state.find_group(GROUP), sandbox.state.find_group("地区")}
    assert window.probe_button.isEnabled()
    synced_context.wait_idle()
