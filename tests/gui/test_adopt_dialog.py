"""Adopting a console-made group from the tag tree's context menu."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.services.tag_admin import ReadOnlyTagError, TagAdminService
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
