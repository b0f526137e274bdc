"""标签 → 订单对账…: compare an orders CSV with the paid tag, see both mismatches and the
unreadable rows, fix as one batch in the window; the sandbox follows the orders."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from desktop.ui.i18n import CHINESE, ENGLISH, Translations
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.sync_controller import SyncController
from tests.gui.qt_items import top_item

pytestmark = pytest.mark.gui

TAG = "客户阶段:已成交"


def _paid_tagged(context: Any, sandbox: Any) -> tuple[str, list[str], list[str]]:
    tag_id = sandbox.state.find_tag("客户阶段", "已成交")
    rows = context.cache.query(
        "SELECT external_userid, MIN(has) AS every, MAX(has) AS some FROM (SELECT"
        " r.external_userid, EXISTS (SELECT 1 FROM relation_tag rt JOIN tag t ON"
        " t.pk = rt.tag_pk WHERE rt.relation_id = r.id AND t.id = ?) AS has FROM relation r)"
        " GROUP BY external_userid ORDER BY external_userid", (tag_id,))
    fully = [str(r["external_userid"]) for r in rows if r["every"]]
    none = [str(r["external_userid"]) for r in rows if not r["some"]]
    return tag_id, fully, none


def _carrying(sandbox: Any, tag_id: str) -> set[str]:
    return {external_userid for userid, external_userid in sandbox.state.relations()
            if tag_id in sandbox.state.relation_tag_ids(userid, external_userid)}


def test_orders_are_compared_and_fixed_from_the_window(
        qtbot: Any, synced_context: Any, gui_home: Path, sandbox: Any, tmp_path: Path) -> None:
    tag_id, fully, none = _paid_tagged(synced_context, sandbox)
    assert len(fully) >= 2 and none
    refunded, newly_paid = fully[0], none[0]
    orders = tmp_path / "orders.csv"
    with orders.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["订单号", "客户ID", "订单状态"])
        writer.writerow(["R1", refunded, "已退款"])
        for number, customer in enumerate([*fully[1:], newly_paid]):
            writer.writerow([f"P{number}", customer, "已支付"])
        writer.writerow(["X1", "13800138000", "已支付"])            # a phone number: unreadable
    window = MainWindow(synced_context, Settings(gui_home),
                        SyncController(synced_context, synced_context), "en")
    qtbot.addWidget(window)
    dialog = window.open_reconcile()
    assert window.open_reconcile() is dialog
    dialog.source.setText(str(orders))
    dialog.tag.setText(TAG)
    dialog.compare_button.click()
    qtbot.waitUntil(lambda: dialog.compared is not None, timeout=20000)
    texts = [(top_item(dialog.list, n).text(0), top_item(dialog.list, n).text(1))
             for n in range(dialog.list.topLevelItemCount())]
    assert ("extra", refunded) in texts and ("missing", newly_paid) in texts
    assert ("unreadable row", f"line {len(fully) + 3}") in texts
    translations = Translations()
    translations.install(CHINESE)             # the listed mismatches switch language too
    try:
        qtbot.waitUntil(lambda: dialog.windowTitle() == "订单对账", timeout=5000)
        shown = [(top_item(dialog.list, n).text(0), top_item(dialog.list, n).text(1))
                 for n in range(dialog.list.topLevelItemCount())]
        assert ("多标签", refunded) in shown and ("缺标签", newly_paid) in shown
        assert ("读不了的行", f"第 {len(fully) + 3} 行") in shown
    finally:
        translations.uninstall()
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Order reconciliation", timeout=5000)
    assert not dialog.fix_button.isEnabled()          # unreadable rows block the fix …
    dialog.skip_bad.setChecked(True)                  # … until skipped on purpose
    assert dialog.fix_button.isEnabled()
    before = _carrying(sandbox, tag_id)
    dialog.pilot.setValue(1)
    with qtbot.waitSignal(dialog.panel.pilotFinished, timeout=30000):
        dialog.fix_button.click()
    assert len(before ^ _carrying(sandbox, tag_id)) == 1     # the pilot: one relation first
    with qtbot.waitSignal(dialog.panel.batchFinished, timeout=30000):
        dialog.panel.continue_rest()
    # partly tagged customers have no order in this file: they lose the tag too
    assert _carrying(sandbox, tag_id) == (set(fully) - {refunded}) | {newly_paid}
    qtbot.waitUntil(lambda: dialog.compare_button.isEnabled() and dialog.compared is not None
                    and dialog.compared.result.in_step, timeout=20000)
    dialog.close()


def test_the_evidence_of_a_mismatch_reads_in_the_ui_language(
        qtbot: Any, synced_context: Any, gui_home: Path, sandbox: Any, tmp_path: Path) -> None:
    _tag_id, _fully, none = _paid_tagged(synced_context, sandbox)
    orders = tmp_path / "orders.csv"        # no status column: every order counts as paid
    orders.write_text(f"订单号,客户ID\nP1,{none[0]}\nP2,{none[0]}\n", encoding="utf-8")
    window = MainWindow(synced_context, Settings(gui_home),
                        SyncController(synced_context, synced_context), "en")
    qtbot.addWidget(window)
    dialog = window.open_reconcile()
    dialog.source.setText(str(orders))
    dialog.tag.setText(TAG)
    dialog.compare_button.click()
    qtbot.waitUntil(lambda: dialog.compared is not None, timeout=20000)

    def evidence() -> str:
        return next(top_item(dialog.list, n).text(3)
                    for n in range(dialog.list.topLevelItemCount())
                    if top_item(dialog.list, n).text(1) == none[0])

    translations = Translations()
    try:
        translations.install(ENGLISH)
        qtbot.waitUntil(lambda: evidence() == "P1 (paid), P2 (paid)", timeout=5000)
        translations.install(CHINESE)
        qtbot.waitUntil(lambda: dialog.windowTitle() == "订单对账", timeout=5000)
        assert evidence() == "P1（已支付）、P2（已支付）"
    finally:
        translations.uninstall()
