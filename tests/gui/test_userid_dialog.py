"""At first start on a profile without the user's WeCom userid, TagDesk asks for it and accepts
only a member of the corp (from the cache, or from WeCom before the first sync)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.services.profiles import ProfileStore
from desktop.services.workspace import Workspace
from desktop.ui.userid_dialog import UseridDialog

pytestmark = pytest.mark.gui


def _dialog(qtbot: Any, workspace: Workspace) -> UseridDialog:
    dialog = UseridDialog(workspace)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.membersLoaded, timeout=20000):
        dialog.show()
    return dialog


def test_only_a_member_of_the_corp_is_accepted_and_saved(
    qtbot: Any, synced_workspace: Workspace, sandbox: Any
) -> None:
    ws = synced_workspace
    ws.profile = replace(ws.profile, userid="")
    dialog = _dialog(qtbot, ws)
    member = sorted(sandbox.state.relations())[0][0]
    qtbot.keyClicks(dialog.userid, "nobody-here")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "nobody-here" in dialog.message.text()
    dialog.userid.setText(member)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    ws.set_userid(dialog.chosen)
    assert ws.operator == member
    assert ProfileStore(ws.home).get(ws.profile.name).userid == member


def test_before_the_first_sync_the_members_come_from_wecom(
    qtbot: Any, gui_home: Path, sandbox: Any
) -> None:
    from desktop.services.profiles import Profile

    profile = Profile(name="fresh", corp_id=sandbox.corp_id, api_base=sandbox.api_base)
    with Workspace(gui_home, profile, sandbox.secret) as ws:
        dialog = _dialog(qtbot, ws)
        assert dialog.members and sorted(sandbox.state.relations())[0][0] in dialog.members
        assert dialog.ok_button.isEnabled()
