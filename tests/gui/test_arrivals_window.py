"""标签 → 活码与预打标签…: the app's sync tags a live code's new customer; the window lists the
codes with their tags and what they tagged, and the pre-tags, a pending one cancellable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.domain.arrivals import BY_EXTERNAL_USERID, BY_PHONE
from desktop.services.livecodes import LiveCodeService
from desktop.services.pretags import PretagService
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.sync_controller import SyncController

pytestmark = pytest.mark.gui


def test_the_app_applies_live_codes_and_lists_pre_tags(qtbot: Any, synced_context: Any,
                                                       gui_home: Path, sandbox: Any) -> None:
    context = synced_context
    (group, name), tag_id = sorted(sandbox.state.tag_ids_by_name().items())[0]
    member = sandbox.state.follow_users()[0]
    code = LiveCodeService(context.workspace).create("gui_expo", users=[member],
                                                     tags=[f"{group}:{name}"])
    pretags = PretagService(context.workspace)
    kept = pretags.add(BY_PHONE, "13900139000", [f"{group}:{name}"])
    spent = pretags.add(BY_EXTERNAL_USERID, "wmNotYetACustomer", [f"{group}:{name}"])
    customer = sandbox.phone.add_customer(member, state="gui_expo")

    controller = SyncController(context, context)
    window = MainWindow(context, Settings(gui_home), controller, "en")
    qtbot.addWidget(window)
    with qtbot.waitSignal(controller.idle, timeout=60000):
        assert controller.start()
    assert tag_id in sandbox.state.relation_tag_ids(member, customer)

    dialog = window.open_arrivals()
    qtbot.waitUntil(lambda: any(
        (item := dialog.codes.topLevelItem(n)) is not None and item.text(5) == code.config_id
        for n in range(dialog.codes.topLevelItemCount())), timeout=15000)
    row = next(item for n in range(dialog.codes.topLevelItemCount())
               if (item := dialog.codes.topLevelItem(n)) is not None
               and item.text(5) == code.config_id)
    member_name = context.cache.query("SELECT name FROM member WHERE userid = ?",
                                      (member,))[0]["name"]
    assert [row.text(n) for n in (0, 1, 2, 3)] == [
        "gui_expo", member_name, f"{group}:{name}", "1"]
    qtbot.waitUntil(lambda: dialog.pretags.topLevelItemCount() == 2, timeout=15000)
    items = [dialog.pretags.topLevelItem(n) for n in range(2)]
    listed = {int(item.text(0)): item for item in items if item is not None}
    assert listed[kept].text(1) == "waiting" and listed[kept].text(2) == "Phone: 13900139000"
    dialog.pretags.setCurrentItem(listed[spent])
    assert dialog.cancel_button.isEnabled()
    dialog.cancel_button.click()

    def cancelled() -> bool:
        items = [dialog.pretags.topLevelItem(n) for n in range(dialog.pretags.topLevelItemCount())]
        return any(i is not None and i.text(0) == str(spent) and i.text(1) == "cancelled"
                   for i in items)

    qtbot.waitUntil(cancelled, timeout=15000)
    assert not dialog.cancel_button.isEnabled()
    assert [r.status for r in pretags.list()] == ["pending", "cancelled"]

    dialog.state_edit.setText("gui_new")
    dialog.members_edit.setText(member)
    dialog.tags_edit.setText(f"{group}:{name}")
    dialog.create_button.click()
    qtbot.waitUntil(lambda: "gui_new" in sandbox.state.contact_way_ids(), timeout=15000)
    qtbot.waitUntil(lambda: any(
        (item := dialog.codes.topLevelItem(n)) is not None and item.text(0) == "gui_new"
        and item.text(2) == f"{group}:{name}"
        for n in range(dialog.codes.topLevelItemCount())), timeout=15000)
    assert dialog.state_edit.text() == "" and "gui_new" in dialog.summary.text()
    dialog.state_edit.setText("gui_new")
    dialog.members_edit.setText(member)
    dialog.create_button.click()                           # the state is taken: said, kept
    qtbot.waitUntil(lambda: any(words in dialog.summary.text()
                                for words in ("already used", "已被活码")), timeout=15000)
    assert dialog.state_edit.text() == "gui_new" and dialog.create_button.isEnabled()
    dialog.close()
