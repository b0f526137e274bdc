"""The scene wizard: every template listed; a template tag mapped to an existing tag (a
collision highlighted and resolved that way), members for the live codes, a last page with
everything Apply does; Apply creates the tags in WeCom, keeps the rules naming the mapped
tags, and makes the live codes."""

from __future__ import annotations

import json
from typing import Any

from pypinyin import Style, lazy_pinyin
from PySide6.QtCore import Qt

from desktop.services.livecodes import LiveCodeService
from desktop.services.tag_admin import TagAdminService
from desktop.store import rule_store
from desktop.ui.scene_wizard_pages import COLLISION
from desktop.ui.scenes_dialog import MAP, MEMBERS, REVIEW, ScenesDialog
from tests.gui.qt_items import top_item


def to_review(qtbot: Any, dialog: ScenesDialog, name: str) -> None:
    dialog.select(name)
    qtbot.waitUntil(dialog.next_button.isEnabled, timeout=10000)
    dialog.next_button.click()
    assert dialog.pages.currentIndex() == MAP


def test_preview_and_apply_a_template(qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    dialog = ScenesDialog(synced_context)
    qtbot.addWidget(dialog)
    assert dialog.list.topLevelItemCount() >= 20
    industries = [top_item(dialog.list, n).text(1)
                  for n in range(dialog.list.topLevelItemCount())]
    assert all(" / " not in text for text in industries)   # one language, the UI's
    dialog.list.header().setSortIndicator(2, Qt.SortOrder.DescendingOrder)  # a click: tags
    counts = [int(top_item(dialog.list, n).text(2)) for n in range(len(industries))]
    assert counts == sorted(counts, reverse=True)
    to_review(qtbot, dialog, "b2b-distributor")
    assert dialog.mapping.mapping() == {}                     # defaults: create or reuse
    dialog.next_button.click()
    assert dialog.pages.currentIndex() == MEMBERS
    dialog.next_button.click()
    qtbot.waitUntil(dialog.apply_button.isEnabled, timeout=10000)
    assert dialog.pages.currentIndex() == REVIEW
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


def test_mapping_reaches_the_rules_and_live_codes(qtbot: Any, synced_context: Any,
                                                  sandbox: Any) -> None:
    ws = synced_context.workspace
    (group, name), existing = sorted(sandbox.state.tag_ids_by_name().items())[0]
    TagAdminService(ws).create_tag("旧售后", "好评")          # 售后-关怀:好评 now collides
    old_praise = sandbox.state.find_tag("旧售后", "好评")
    member = sandbox.state.follow_users()[0]
    names_before = sorted(n for _g, n in sandbox.state.tag_ids_by_name())

    dialog = ScenesDialog(synced_context)
    qtbot.addWidget(dialog)
    to_review(qtbot, dialog, "after-sales-care")
    table = dialog.mapping.table
    rows = {top_item(table, n).text(0): top_item(table, n)
            for n in range(table.topLevelItemCount())}
    assert rows["售后-关怀:好评"].background(0) == COLLISION
    assert "旧售后" in rows["售后-关怀:好评"].text(2)
    assert rows["售后-关怀:投诉中"].background(0) != COLLISION
    combo = dialog.mapping.combos[("售后-关怀", "待回访客户")]
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))
    line, completer = combo.lineEdit(), combo.completer()
    assert line is not None and completer is not None
    line.clear()
    qtbot.keyClicks(line, initials)                           # searched as the tag picker does
    found = completer.model()
    assert f"{group}:{name}" in [found.index(n, 0).data() for n in range(found.rowCount())]
    popup = completer.popup()
    assert popup is not None and popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)                  # the first hit, chosen
    assert line.text() == f"{group}:{name}"
    dialog.mapping.choose("售后-关怀:好评", "旧售后:好评")
    assert dialog.mapping.mapping() == {"售后-关怀:待回访客户": existing,
                                        "售后-关怀:好评": old_praise}
    dialog.next_button.click()
    dialog.members.filter.setText(member)
    dialog.members.tick(member)
    dialog.members.others.setText("13800138000")              # a phone number: said, not taken
    dialog.next_button.click()
    assert dialog.pages.currentIndex() == MEMBERS
    assert dialog.summary.text().startswith("13800138000: not a member")
    dialog.members.others.clear()
    assert dialog.members.chosen() == [member]
    dialog.next_button.click()
    qtbot.waitUntil(dialog.apply_button.isEnabled, timeout=10000)
    details = dialog.details.toPlainText()
    assert f"Use existing: 售后-关怀:待回访客户 → {group}:{name}" in details
    assert "Use existing: 售后-关怀:好评 → 旧售后:好评" in details
    assert "Name collision" not in details and not dialog.allow_collisions.isVisible()
    assert f"made in WeCom for {member}: state=aftersales-card → {group}:{name}" in details

    dialog.apply()
    qtbot.waitUntil(lambda: "Applied: 2 tags created" in dialog.summary.text(), timeout=20000)
    assert "1 live codes made" in dialog.summary.text()
    assert "Live code made: state=aftersales-card" in dialog.details.toPlainText()
    assert sandbox.state.find_tag("售后-关怀", "待回访客户") is None
    assert sandbox.state.find_tag("售后-关怀", "好评") is None
    assert sorted(n for _g, n in sandbox.state.tag_ids_by_name()) == sorted(
        [*names_before, "已回访客户", "投诉中"])                    # no duplicate made
    kept = {r.name: json.loads(r.definition) for r in rule_store.rules(ws.cache)}
    assert kept["售后·扫售后卡"]["then"]["add"] == [f"{group}:{name}"]
    code = next(c for c in LiveCodeService(ws).list() if c.state == "aftersales-card")
    assert code.tag_ids == (existing,) and code.users == (member,)
    assert synced_context.wait_idle()
