"""The rules window: add rules from a file, simulate (who and why), run as one batch with
source `rule` (its pilot first); contradicting rules are shown and cannot be run."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget

from desktop.domain.sort_key import person_sort_key
from desktop.services.audit import preview_batch_revert, run_revert
from desktop.store import outbox
from desktop.ui.i18n import CHINESE, ENGLISH, Translations
from desktop.ui.rules_dialog import RulesDialog
from tests.gui.qt_items import top_item

REGION = {"name": "北京归华北", "when": {"all": [{"region": "北京"}, {"has_not": "地区:华北"}]},
          "then": {"add": ["地区:华北"]}}
FIGHT = {"name": "北京不分区", "when": {"region": "北京"}, "then": {"remove": ["地区:华北"]}}


def _dialog_with_the_region_rule(qtbot: Any, context: Any, tmp_path: Path) -> RulesDialog:
    """The Rules window with REGION added from a file and listed."""
    dialog = RulesDialog(context)
    qtbot.addWidget(dialog)
    path = tmp_path / "rules.json"
    path.write_text(json.dumps([REGION], ensure_ascii=False), encoding="utf-8")
    dialog.add_file(path)
    qtbot.waitUntil(lambda: dialog.rules.topLevelItemCount() == 1, timeout=10000)
    return dialog


def test_add_simulate_run_and_contradictions(qtbot: Any, synced_context: Any, sandbox: Any,
                                             tmp_path: Path) -> None:
    ws = synced_context.workspace
    north = synced_context.tagging.resolve_tag_names(["地区:华北"])[0]
    ids = [rid for (rid,) in ws.cache.connection().execute(
        "SELECT r.id FROM relation r JOIN customer c ON c.external_userid = r.external_userid"
        " WHERE r.remark LIKE '%北京%' OR r.description LIKE '%北京%' OR c.corp_name LIKE"
        " '%北京%' OR c.corp_full_name LIKE '%北京%' OR r.remark_corp_name LIKE '%北京%'")]
    states = outbox.relation_states(ws.cache, ids)
    expected = {(s.userid, s.external_userid) for s in states.values() if north not in s.tag_ids}
    assert expected

    dialog = _dialog_with_the_region_rule(qtbot, synced_context, tmp_path)
    dialog.simulate()
    qtbot.waitUntil(dialog.run_button.isEnabled, timeout=10000)
    assert dialog.changes.topLevelItemCount() == len(expected)
    assert "北京" in top_item(dialog.changes, 0).text(3)
    assert len(expected) > 2
    names = dict(ws.cache.connection().execute("SELECT userid, name FROM member"))
    rows = [top_item(dialog.changes, i) for i in range(dialog.changes.topLevelItemCount())]
    owners = {userid for userid, _customer in expected}
    assert {row.text(1) for row in rows} == {names[userid] for userid in owners}
    dialog.changes.header().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
    shown = [top_item(dialog.changes, i).text(1) for i in range(len(rows))]
    assert shown == sorted(shown, key=person_sort_key, reverse=True)    # by pinyin
    assert shown != sorted(shown, key=person_sort_key)
    dialog.pilot.setValue(2)
    with qtbot.waitSignal(dialog.panel.pilotFinished, timeout=30000):
        dialog.run()
    piloted = {key for key in expected if north in sandbox.state.relation_tag_ids(*key)}
    assert len(piloted) == 2
    with qtbot.waitSignal(dialog.panel.batchFinished, timeout=30000):
        dialog.panel.continue_rest()
    carrying = {key for key in expected if north in sandbox.state.relation_tag_ids(*key)}
    assert carrying == expected
    sources = {s for (s,) in ws.cache.connection().execute(
        "SELECT DISTINCT source FROM journal WHERE tag_id = ? AND batch_id != ''", (north,))}
    assert sources == {"rule"}
    qtbot.waitUntil(lambda: not dialog.run_button.isEnabled() and "0 of" in
                    dialog.summary.text(), timeout=10000)

    path = tmp_path / "rules.json"                       # the same file, another rule
    path.write_text(json.dumps([FIGHT], ensure_ascii=False), encoding="utf-8")
    dialog.add_file(path)
    qtbot.waitUntil(lambda: dialog.rules.topLevelItemCount() == 2, timeout=10000)
    dialog.rules.setCurrentItem(top_item(dialog.rules, 0))
    dialog.toggle_selected()                     # 北京归华北 off: only the remover is left
    qtbot.waitUntil(lambda: top_item(dialog.rules, 0) is not None
                    and top_item(dialog.rules, 0).text(1) == "", timeout=10000)
    dialog.rules.setCurrentItem(top_item(dialog.rules, 0))
    dialog.toggle_selected()                     # and on again: the two now fight
    qtbot.waitUntil(lambda: top_item(dialog.rules, 0) is not None
                    and top_item(dialog.rules, 0).text(1) == "✓", timeout=10000)
    dialog.simulate()
    qtbot.waitUntil(lambda: "Contradiction" in dialog.summary.text(), timeout=10000)
    assert not dialog.run_button.isEnabled()
    assert synced_context.wait_idle()



def test_a_reverted_run_stays_reverted_and_the_window_says_so(
        qtbot: Any, synced_context: Any, sandbox: Any, tmp_path: Path) -> None:
    """A solo profile: the audit viewer's revert of the window's run (the services it calls)
    is remembered; the list says how many relations the rule leaves alone, and a simulation
    changes none of them and counts the reverted changes."""
    ws = synced_context.workspace
    dialog = _dialog_with_the_region_rule(qtbot, synced_context, tmp_path)
    dialog.simulate()
    qtbot.waitUntil(dialog.run_button.isEnabled, timeout=10000)
    changed = dialog.changes.topLevelItemCount()
    assert changed > 2
    dialog.pilot.setValue(0)
    with qtbot.waitSignal(dialog.panel.batchFinished, timeout=30000):
        dialog.run()
    assert synced_context.wait_idle()
    [batch_id] = [b.id for b in outbox.list_batches(ws.cache) if b.source == "rule"]
    tagging = synced_context.tagging
    reverted = run_revert(tagging, preview_batch_revert(ws.cache, tagging, batch_id),
                          pilot_size=0)
    assert reverted.result.applied == changed

    dialog.reload()
    qtbot.waitUntil(lambda: top_item(dialog.rules, 0) is not None and top_item(
        dialog.rules, 0).text(3).endswith(f"{changed} reverted relations left alone"),
                    timeout=10000)
    dialog.simulate()
    qtbot.waitUntil(lambda: f"{changed} reverted changes left alone" in dialog.summary.text(),
                    timeout=10000)
    assert dialog.summary.text().startswith("0 of") and not dialog.run_button.isEnabled()
    assert synced_context.wait_idle()

def test_removing_a_rule_asks_first(qtbot: Any, synced_context: Any, tmp_path: Path,
                                    monkeypatch: Any) -> None:
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = _dialog_with_the_region_rule(qtbot, synced_context, tmp_path)
    dialog.rules.setCurrentItem(top_item(dialog.rules, 0))
    dialog.remove_button.click()                        # No: kept
    assert synced_context.wait_idle() and dialog.rules.topLevelItemCount() == 1
    assert "北京归华北" in asked[0]
    dialog.remove_button.click()                        # Yes: gone
    qtbot.waitUntil(lambda: dialog.rules.topLevelItemCount() == 0, timeout=10000)
    assert synced_context.wait_idle()


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_the_window_works_at_800_pixels_in_both_languages(
        qtbot: Any, synced_context: Any, language: str) -> None:
    translations = Translations()
    try:
        assert translations.install(language)
        dialog = RulesDialog(synced_context)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.resize(800, 620)
        qtbot.waitUntil(lambda: dialog.width() == 800)
        assert dialog.minimumSizeHint().width() <= 800, dialog.minimumSizeHint().width()
        buttons = [dialog.new_button, dialog.edit_button, dialog.duplicate_button,
                   dialog.add_button, dialog.toggle_button, dialog.remove_button,
                   dialog.simulate_button, dialog.run_button]
        for button in buttons:   # every button whole and inside the window
            assert button.isVisible() and button.width() >= button.minimumSizeHint().width()
            right = button.mapTo(dialog, button.rect().topRight()).x()
            assert button.mapTo(dialog, button.rect().topLeft()).x() >= 0 and right < 800
    finally:
        translations.uninstall()
        synced_context.wait_idle()


def test_the_why_of_a_change_is_punctuated_in_the_ui_language(
        qtbot: Any, synced_context: Any, tmp_path: Path) -> None:
    translations = Translations()
    try:
        for language, comma, other in ((ENGLISH, ", ", "，"), (CHINESE, "，", ", ")):
            translations.install(language)
            dialog = _dialog_with_the_region_rule(qtbot, synced_context, tmp_path)
            dialog.simulate()
            qtbot.waitUntil(dialog.run_button.isEnabled, timeout=10000)
            why = top_item(dialog.changes, 0).text(3)
            # the clauses' separator, not the customer's own text quoted in 「」
            clauses = re.sub(r"「[^」]*」", "", why)
            assert why.startswith("北京归华北") and comma in clauses and other not in clauses, why
            dialog.close()
    finally:
        translations.uninstall()


def test_the_chinese_intro_points_to_the_readme_in_chinese(
        qtbot: Any, synced_context: Any) -> None:
    translations = Translations()
    try:
        translations.install(CHINESE)
        dialog = RulesDialog(synced_context)
        qtbot.addWidget(dialog)
        words = set(re.findall(r"[A-Za-z]+", dialog.intro.text()))
        assert words <= {"README", "JSON"}, words
    finally:
        translations.uninstall()


def test_tab_goes_from_simulate_to_the_pilot_then_close_as_the_window_reads(
        qtbot: Any, synced_context: Any, tmp_path: Path) -> None:
    dialog = _dialog_with_the_region_rule(qtbot, synced_context, tmp_path)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.run_button.setEnabled(True)                 # as after a simulation

    def tabs_after(widget: QWidget, count: int) -> list[QWidget]:
        found: list[QWidget] = []
        while len(found) < count:
            following = widget.nextInFocusChain()
            assert following is not None
            widget = following
            if (widget.isVisible() and widget.isEnabled() and widget.window() is dialog
                    and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                    and widget.focusProxy() is None):
                found.append(widget)
        return found

    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    close = box.button(QDialogButtonBox.StandardButton.Close)
    assert tabs_after(dialog.simulate_button, 3) == [dialog.pilot, dialog.run_button, close]
    assert tabs_after(close, 1) == [dialog.new_button]


def test_a_rules_expiry_shows_in_its_then_column(qtbot: Any, synced_context: Any,
                                                 tmp_path: Path) -> None:
    dialog = RulesDialog(synced_context)
    qtbot.addWidget(dialog)
    path = tmp_path / "rules.json"
    rule = {**REGION, "then": {"add": ["地区:华北"], "expires": "30d"}}
    path.write_text(json.dumps([rule], ensure_ascii=False), encoding="utf-8")
    dialog.add_file(path)
    qtbot.waitUntil(lambda: dialog.rules.topLevelItemCount() == 1, timeout=10000)
    assert top_item(dialog.rules, 0).text(3) == "+地区:华北 · expires after 30d"


def test_with_no_rule_selected_only_what_needs_none_is_enabled(
        qtbot: Any, synced_context: Any, tmp_path: Path) -> None:
    """With no rules, Edit, Duplicate, Enable / disable, Remove and Simulate have nothing to
    act on and are disabled; a rule listed enables Simulate, a rule selected the others."""
    dialog = RulesDialog(synced_context)
    qtbot.addWidget(dialog)
    acting = (dialog.edit_button, dialog.duplicate_button, dialog.toggle_button,
              dialog.remove_button)
    qtbot.waitUntil(lambda: not dialog.simulate_button.isEnabled(), timeout=10000)
    assert dialog.rules.topLevelItemCount() == 0
    assert not any(button.isEnabled() for button in acting)
    assert dialog.new_button.isEnabled() and dialog.add_button.isEnabled()

    path = tmp_path / "rules.json"
    path.write_text(json.dumps([REGION], ensure_ascii=False), encoding="utf-8")
    dialog.add_file(path)
    qtbot.waitUntil(lambda: dialog.rules.topLevelItemCount() == 1, timeout=10000)
    assert dialog.simulate_button.isEnabled()
    dialog.rules.setCurrentItem(top_item(dialog.rules, 0))
    assert all(button.isEnabled() for button in acting)
