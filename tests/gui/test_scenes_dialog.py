"""The scene lab window: every template listed, a preview of what applying creates and keeps,
and Apply creating the tags in WeCom and keeping the rules."""

from __future__ import annotations

from typing import Any

from desktop.store import rule_store
from desktop.ui.scenes_dialog import ScenesDialog


def test_preview_and_apply_a_template(qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    dialog = ScenesDialog(synced_context)
    qtbot.addWidget(dialog)
    assert dialog.list.topLevelItemCount() >= 20
    industries = [dialog.list.topLevelItem(n).text(1)
                  for n in range(dialog.list.topLevelItemCount())]
    assert all(" / " not in text for text in industries)   # one language, the UI's
    dialog.select("b2b-distributor")
    qtbot.waitUntil(dialog.apply_button.isEnabled, timeout=10000)
    details = dialog.details.toPlainText()
    assert "Create: 经销-区域:华北经销" in details and "Add rule: 经销·华北" in details
    assert "Live code (data only" in details
    assert sandbox.state.find_tag("经销-区域", "华北经销") is None

    dialog.apply()
    qtbot.waitUntil(lambda: "Applied: 7 tags created" in dialog.summary.text(), timeout=20000)
    assert sandbox.state.find_tag("经销-区域", "华北经销") is not None
    kept = {r.name for r in rule_store.rules(synced_context.workspace.cache)}
    assert {"经销·华北", "经销·华东", "经销·华南", "经销·西南"} <= kept
    assert not dialog.apply_button.isEnabled()
    assert synced_context.wait_idle()
