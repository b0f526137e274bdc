"""The rule editor, driven with the mouse and keyboard: a nested rule built row by row saves
as the expected JSON; a bad value names its path under the conditions and disables Save; the
JSON tab fills the form; Edit renames in place, Duplicate copies; Simulate this rule."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from desktop.domain.rule_draft import RuleDraft
from desktop.domain.sort_key import person_sort_key
from desktop.services.rules import RulesService
from desktop.ui.rule_editor import RuleEditor
from desktop.ui.rule_values import (
    CompareEditor,
    EventDaysEditor,
    EventEditor,
    JsonEditor,
    TagsEditor,
    WordsEditor,
)
from desktop.ui.rules_dialog import RulesDialog
from tests.gui.qt_items import top_item

EXPECTED = {"name": "北京新客", "enabled": True,
            "when": {"all": [{"region": ["北京", "天津"]},
                             {"any": [{"has_not": "地区:华北"}, {"tag_count": {"<": 3}}]}]},
            "then": {"add": ["地区:华北"], "expires": "2w"}}


def _row(editor: RuleEditor, *position: int) -> tuple[QComboBox, Any]:
    return editor.conditions.row(position)


def _click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _type(qtbot: Any, edit: Any, text: str) -> None:
    """Keys for ASCII; Chinese arrives as an input method commits it (QTest types ASCII only)."""
    edit.setFocus()
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)


def _number(qtbot: Any, spin: Any, digits: str) -> None:
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, digits)


def _choose(qtbot: Any, combo: QComboBox, data: str) -> None:
    """Pick an entry of a combo with the keyboard, as a user would."""
    wanted = combo.findData(data)
    wanted = combo.findText(data) if wanted < 0 else wanted
    assert wanted >= 0, data
    combo.setFocus()
    for _ in range(combo.count()):
        if combo.currentIndex() == wanted:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < wanted
                       else Qt.Key.Key_Up)
    assert combo.currentIndex() == wanted


def test_build_a_nested_rule_save_it_edit_rename_and_duplicate(
        qtbot: Any, synced_context: Any) -> None:
    dialog = RulesDialog(synced_context)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.rules.topLevelItemCount() == 0, timeout=10000)
    _click(qtbot, dialog.new_button)
    editor = dialog.editor
    assert editor is not None
    qtbot.waitUntil(lambda: len(editor.lookup.index) > 0, timeout=10000)
    assert not editor.save_button.isEnabled()       # a new rule has no name yet
    assert editor.name_error.text() == "Give the rule a name."    # a hint, not in red
    assert editor.name_error.styleSheet() == "color: #8a8f98"      # grey
    _type(qtbot, editor.name, "北京新客")
    kind, _value = _row(editor, 0)        # a new condition is the list's first, 渠道活码 state
    assert (kind.currentIndex(), kind.currentData()) == (0, "state")
    _choose(qtbot, kind, "region")
    _combo, region = _row(editor, 0)
    assert isinstance(region, WordsEditor)
    _type(qtbot, region.edit, "北京、天津")
    assert not editor.save_button.isEnabled()       # nothing to add yet
    assert editor.then_error.text().startswith("动作：")  # where, in words: not rule.then
    assert "rule.then" in editor.json_error.text()                # the JSON tab names it

    _click(qtbot, region.edit)                    # typing in a row selects it
    assert editor.conditions.tree.currentItem() is editor.conditions.item_at((0,))
    _click(qtbot, editor.conditions.add_group_button)      # an any-group beside the row
    kind, _value = _row(editor, 1, 0)
    assert (kind.currentIndex(), kind.currentData()) == (0, "state")
    _choose(qtbot, kind, "has_not")
    _kind, tags = _row(editor, 1, 0)
    assert isinstance(tags, TagsEditor)
    qtbot.keyClicks(tags.edit, "huabei")                  # pinyin type-ahead
    popup = tags.edit.suggest.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible, timeout=5000)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert tags.edit.tags() == ["地区:华北"]
    _click(qtbot, editor.conditions.add_leaf_button)       # under the selected row's group
    kind, _value = _row(editor, 1, 1)
    assert (kind.currentIndex(), kind.currentData()) == (0, "state")
    _choose(qtbot, kind, "tag_count")
    _kind, count = _row(editor, 1, 1)
    assert isinstance(count, CompareEditor)
    _choose(qtbot, count.first, "<")
    _number(qtbot, count.operands[0], "3")
    _type(qtbot, editor.add_tags, "地区:华北")
    _number(qtbot, editor.expires, "2")
    _choose(qtbot, editor.unit, "w")
    assert editor.definition() == EXPECTED
    assert json.loads(editor.json.toPlainText()) == EXPECTED
    assert editor.save_button.isEnabled() and not editor.when_error.isVisible()

    # a bad value: its path under the conditions, the row marked, Save disabled
    _combo, region = _row(editor, 0)          # the rows were rebuilt when the group came
    region.edit.clear()
    assert not editor.save_button.isEnabled()
    assert editor.when_error.isVisible() and editor.when_error.text()
    assert "rule.when.all[0].region" in editor.json_error.text()
    first = editor.conditions.item_at((0,))
    assert first is not None and first.background(0).color().red() == 255
    _type(qtbot, region.edit, "北京、天津")
    assert editor.save_button.isEnabled()

    # Del removes the selected row; the JSON follows
    _click(qtbot, _row(editor, 1, 1)[1].operands[0])
    assert editor.conditions.tree.currentItem() is editor.conditions.item_at((1, 1))
    editor.conditions.tree.setFocus()
    qtbot.keyClick(editor.conditions.tree, Qt.Key.Key_Delete)
    assert editor.definition()["when"] == {"all": [{"region": ["北京", "天津"]},
                                                   {"any": [{"has_not": "地区:华北"}]}]}
    _click(qtbot, editor.conditions.add_leaf_button)
    kind, _value = _row(editor, 1, 1)
    _choose(qtbot, kind, "tag_count")
    _kind, count = _row(editor, 1, 1)
    _choose(qtbot, count.first, "<")
    count.operands[0].setValue(3)
    assert editor.definition() == EXPECTED

    # Simulate this rule, then Ctrl+S keeps it
    _click(qtbot, editor.simulate_button)
    qtbot.waitUntil(lambda: "would change" in editor.status.text(), timeout=20000)
    qtbot.keyClick(editor.name, Qt.Key.Key_Return)        # Enter in a field does not save
    assert editor.isVisible() and not service_kept(synced_context)
    with qtbot.waitSignal(editor.saved, timeout=10000):
        qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.rules.topLevelItemCount() == 1, timeout=10000)
    service = RulesService(synced_context.workspace)
    assert service.get("北京新客").definition == EXPECTED

    # Edit (double-click) through the JSON tab, renamed: replaced in place
    item = top_item(dialog.rules, 0)
    dialog.rules.setCurrentItem(item)
    dialog.rules.itemDoubleClicked.emit(item, 0)
    editor = dialog.editor
    assert editor is not None and editor.replacing == "北京新客"
    assert editor.windowTitle() == "Rule: 北京新客"
    assert editor.definition() == EXPECTED
    renamed = {**EXPECTED, "name": "京津新客", "enabled": False}
    editor.tabs.setCurrentIndex(1)
    editor.json.setPlainText("{not json")
    assert not editor.save_button.isEnabled() and "JSON" in editor.json_error.text()
    editor.json.setPlainText(json.dumps(renamed, ensure_ascii=False))
    assert editor.name.text() == "京津新客" and not editor.enabled.isChecked()
    assert editor.save_button.isEnabled()
    with qtbot.waitSignal(editor.saved, timeout=10000):
        _click(qtbot, editor.save_button)
    qtbot.waitUntil(lambda: top_item(dialog.rules, 0) is not None
                    and top_item(dialog.rules, 0).text(0) == "京津新客", timeout=10000)
    assert [k.rule.name for k in service.kept()] == ["京津新客"]

    # Duplicate: a copy under a new name; saving it under a taken name is refused
    dialog.rules.setCurrentItem(top_item(dialog.rules, 0))
    _click(qtbot, dialog.duplicate_button)
    editor = dialog.editor
    assert editor is not None and editor.replacing is None
    assert editor.name.text() != "京津新客" and "京津新客" in editor.name.text()
    editor.name.setText("京津新客")
    _click(qtbot, editor.save_button)
    qtbot.waitUntil(lambda: "exists already" in editor.status.text()
                    or "已有名为" in editor.status.text(), timeout=10000)
    editor.name.setText("京津新客 2")
    with qtbot.waitSignal(editor.saved, timeout=10000):
        _click(qtbot, editor.save_button)
    qtbot.waitUntil(lambda: dialog.rules.topLevelItemCount() == 2, timeout=10000)
    assert service.get("京津新客 2").rule.when == service.get("京津新客").rule.when
    assert synced_context.wait_idle()


def test_an_unknown_tag_is_refused_on_save_and_esc_cancels(qtbot: Any,
                                                           synced_context: Any) -> None:
    dialog = RulesDialog(synced_context)
    qtbot.addWidget(dialog)
    editor = dialog.open_editor(dialog_rule())
    qtbot.waitUntil(editor.save_button.isEnabled, timeout=5000)
    named = editor.name.text()
    editor.name.setText("名" * 61)                  # said beside the name, without rule.name
    assert editor.name_error.text() == "规则名最多 60 个字符"
    assert editor.name_error.styleSheet() == "color: #b00020"      # red
    assert not editor.save_button.isEnabled()
    editor.name.setText(named)
    _click(qtbot, editor.save_button)
    qtbot.waitUntil(lambda: "不存在" in editor.status.text()
                    or "does not exist" in editor.status.text(), timeout=10000)
    assert RulesService(synced_context.workspace).kept() == []
    with qtbot.waitSignal(editor.rejected, timeout=5000):
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert synced_context.wait_idle()


def test_event_rows_and_json_rows_open_and_edit(qtbot: Any, synced_context: Any) -> None:
    """Event conditions get their own rows; a value the form cannot show stays JSON."""
    rule = {"name": "复购", "enabled": True, "when": {"any": [
        {"event": {"type": "order_paid", "within_days": 30, "count": {">=": 2}}},
        {"days_since_event": {"type": "content_viewed", "<=": 7}},
        {"tag_count": {">": 1, "<": 5, "!=": 3}}]}, "then": {"add": ["地区:华北"]}}
    dialog = RulesDialog(synced_context)
    qtbot.addWidget(dialog)
    editor = dialog.open_editor(RuleDraft.read(rule))
    assert editor.definition() == rule
    _kind, event = _row(editor, 0)
    _kind, days = _row(editor, 1)
    _kind, raw = _row(editor, 2)
    assert isinstance(event, EventEditor) and isinstance(days, EventDaysEditor)
    assert isinstance(raw, JsonEditor)
    _number(qtbot, event.within, "7")
    _choose(qtbot, event.value_op, ">=")
    _number(qtbot, event.amount, "100")
    kind, _value = _row(editor, 1)
    _choose(qtbot, kind, "event")                  # another kind: its own editor, empty
    assert isinstance(_row(editor, 1)[1], EventEditor)
    assert editor.definition()["when"] == {"any": [
        {"event": {"type": "order_paid", "within_days": 7, "count": {">=": 2},
                   "value": {">=": 100}}},
        {"event": {}}, {"tag_count": {">": 1, "<": 5, "!=": 3}}]}
    raw.edit.setText('{">": 1')
    assert not editor.save_button.isEnabled()
    assert "rule.when.any[2].tag_count" in editor.json_error.text()
    assert editor.when_error.text().startswith("条件 › 任一满足 › 第 3 项 › 标签数：")
    editor.reject()
    assert synced_context.wait_idle()


def service_kept(context: Any) -> list[Any]:
    assert context.wait_idle()
    return RulesService(context.workspace).kept()


def dialog_rule() -> RuleDraft:
    return RuleDraft.read({"name": "无此标签", "when": {"state": "expo"},
                           "then": {"add": ["没有这个标签"]}})


def test_every_scene_rule_opens_in_the_editor_and_saves_back_equal(
        qtbot: Any, synced_context: Any) -> None:
    """Through the real rows and fields, not just the model: what the widgets give back is
    the same rule (a row the form cannot show would be a JSON row; none of these is)."""
    from desktop.domain.rule_format import parse_rule
    from desktop.resources import resources_dir

    rules = [rule for path in sorted((resources_dir() / "scenes").glob("*.json"))
             for rule in json.loads(path.read_text(encoding="utf-8"))["rules"]]
    dialog = RulesDialog(synced_context)
    qtbot.addWidget(dialog)
    for rule in rules:
        editor = dialog.open_editor(RuleDraft.read(rule), replacing=rule["name"])
        assert parse_rule(editor.definition()) == parse_rule(rule), rule["name"]
        assert editor.save_button.isEnabled(), rule["name"]
        rows = [editor.conditions.row(editor.conditions.position(item) or ())[1]
                for item in editor.conditions.items()]
        assert not any(isinstance(row, JsonEditor) for row in rows), rule["name"]
        editor.reject()
    assert len(rules) >= 40
    assert synced_context.wait_idle()


def test_the_editor_s_simulation_names_owners_and_says_each_condition_in_words(
        qtbot: Any, synced_context: Any) -> None:
    """As the Rules window does: the owner's name, not the userid, and the reason in the
    editor's labels, a has_any condition as 有任一标签 (it read "has 意向程度:高意向", raw,
    beside userids; the Rules window called it 有全部标签)."""
    dialog = RulesDialog(synced_context)
    qtbot.addWidget(dialog)
    draft = RuleDraft.read({"name": "高意向回访", "when": {"has_any": ["意向程度:高意向"]},
                            "then": {"add": ["复购:首次购买"]}})
    editor = dialog.open_editor(draft)
    editor.resize(1000, 520)            # a short screen (its fonts took 740 px at 1,366 × 768)
    qtbot.waitUntil(editor.simulate_button.isEnabled, timeout=5000)
    _click(qtbot, editor.simulate_button)
    qtbot.waitUntil(lambda: "would change" in editor.status.text(), timeout=20000)
    qtbot.waitUntil(lambda: editor.changes.viewport().height()      # the form scrolls instead
                    >= 5 * editor.changes.sizeHintForRow(0), timeout=5000)  # (1.5 rows showed)
    assert editor.height() <= 520                                  # (the form held it taller)
    first = top_item(editor.changes, 0)
    assert first is not None
    assert first.text(3) == "高意向回访：有任一标签 意向程度:高意向"
    owners = RulesService(synced_context.workspace).simulate_rules([draft.check("rule")]).owners
    assert first.text(1) in set(owners.values())
    assert first.text(1) not in set(owners)
    editor.changes.header().setSortIndicator(1, Qt.SortOrder.AscendingOrder)  # a click: by
    shown = [top_item(editor.changes, n).text(1)                      # pinyin, 李 before 张
             for n in range(editor.changes.topLevelItemCount())]
    assert shown == sorted(shown, key=person_sort_key) and shown != sorted(shown)
    assert synced_context.wait_idle()


def test_the_condition_headers_are_as_wide_as_their_labels(qtbot: Any,
                                                            synced_context: Any) -> None:
    """"Operator" stood above a row whose operator is the short "any of", and the column took
    the row's width: the header read "Opera"."""
    dialog = RulesDialog(synced_context)
    qtbot.addWidget(dialog)
    editor = dialog.open_editor(RuleDraft.read({"name": "地区", "when": {"region": ["北京"]},
                                                "then": {"add": ["地区:华北"]}}))
    tree = editor.conditions.tree
    header = tree.header()
    assert header.model().headerData(1, Qt.Orientation.Horizontal) == "Operator"
    for column in (0, 1):
        assert tree.columnWidth(column) >= header.sectionSizeHint(column)
    assert synced_context.wait_idle()
