"""The approvals window's table: no column cut short, in either language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.ui.approvals_dialog import COLUMNS, ApprovalsDialog

pytestmark = pytest.mark.gui


def test_who_decided_is_not_cut_short(qtbot: Any, gui_home: Path,
                                      synced_workspace: Any) -> None:
    """A long target (or English headers) leaves less room: the window widens within its
    screen and the reason gives way, so that who decided ("董雪琳 (dongxuelin)") shows whole
    rather than "董雪琳 …"."""
    dialog = ApprovalsDialog(synced_workspace.profile, members=[
        ("dongfangwei", "董芳伟"), ("dongxuelin", "董雪琳")])
    qtbot.addWidget(dialog)
    dialog.resize(600, 480)        # narrower than its requests
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog._task is None, timeout=10_000)   # a solo profile: refused
    requests = [
        {"id": 2, "kind": "rename_tag", "target": "MKT-活动/双11预热 → 双11预售",
         "requester": "dongfangwei", "customers": 473, "status": "pending",
         "reason": "活动改期，名称跟着改"},
        {"id": 1, "kind": "delete_tag", "target": "MKT-活动/新品发布会",
         "requester": "dongfangwei", "customers": 127, "status": "approved", "reason": "",
         "decided_by": "dongxuelin"},
    ]
    dialog._shown((requests, {"me": {"userid": "dongxuelin", "admin": True}}))
    table, last = dialog.table, len(COLUMNS) - 1
    decided = table.item(1, last)
    assert decided is not None and decided.text() == "董雪琳 (dongxuelin)"
    for column in range(len(COLUMNS)):     # the reason gives way, never who decided
        if COLUMNS[column] != "reason":
            assert table.columnWidth(column) >= table.sizeHintForColumn(column), COLUMNS[column]
