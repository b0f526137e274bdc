"""A synced profile reads its tag library again in the background at start, after the window has
painted its first rows (by default on a team profile; `prefs/refresh_at_start` in tagdesk.ini)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.store import outbox
from desktop.ui.i18n import Translations
from desktop.ui.session import GuiSession
from desktop.ui.settings import Settings

pytestmark = pytest.mark.gui


def _session(qtbot: Any, workspace: Any, home: Path, ini: str) -> GuiSession:
    (home / "tagdesk.ini").write_text(ini, encoding="utf-8")
    session = GuiSession(workspace, Settings(home), Translations())
    qtbot.addWidget(session.window)
    return session


def _stop(session: GuiSession) -> None:
    session.context.cancel_all()
    session.context.wait_idle()
    session.handover.stop()
    session.auto_resume.stop()


def test_a_tag_deleted_elsewhere_is_gone_after_the_refresh_at_start_without_f5(
        qtbot: Any, synced_workspace: Any, gui_home: Path, sandbox: Any) -> None:
    cache = synced_workspace.cache
    vip = next(t.id for t in outbox.tag_catalogue(cache) if t.name == "VIP")
    carried = _carrying(cache, vip)
    sandbox.state.console_delete_tag(vip)           # someone else, after the last sync
    session = _session(qtbot, synced_workspace, gui_home,
                       "[prefs]\nrefresh_at_start=always\n")
    window = session.window
    order: list[str] = []
    window.firstRowsShown.connect(lambda: order.append("rows"))
    session.sync.started.connect(lambda: order.append("sync"))
    try:
        with qtbot.waitSignal(session.sync.refreshed, timeout=30000):
            session.show()
            assert not session.sync.running          # the first paint does not wait for it
        assert order == ["rows", "sync"]
        assert vip not in outbox.live_tag_ids(cache)
        assert carried and _carrying(cache, vip) == 0   # WeCom took it off its customers
        assert _journaled(cache, vip) == {("tag_delete", 1), ("tag_remove", carried)}
        assert window.status.currentMessage().startswith("Tag library refreshed:")
        qtbot.waitUntil(lambda: "VIP" not in _tree_names(window), timeout=10000)
    finally:
        _stop(session)


@pytest.mark.parametrize("ini", [
    "",                                                      # a solo profile, by default
    "[prefs]\nrefresh_at_start=never\n",
    "[prefs]\nrefresh_at_start=always\nrefresh_after_min=60\n",   # synced minutes ago
])
def test_no_refresh_at_start_unless_the_setting_asks_for_it(
        qtbot: Any, synced_workspace: Any, gui_home: Path, ini: str) -> None:
    session = _session(qtbot, synced_workspace, gui_home, ini)
    started: list[bool] = []
    session.sync.started.connect(lambda: started.append(True))
    try:
        with qtbot.waitSignal(session.window.firstRowsShown, timeout=15000):
            session.show()
        qtbot.wait(200)
        assert started == [] and not session.sync.running
    finally:
        _stop(session)


def test_the_file_menu_toggle_writes_the_setting_the_next_start_reads(
        qtbot: Any, synced_workspace: Any, gui_home: Path) -> None:
    session = _session(qtbot, synced_workspace, gui_home, "")
    action = session.window.refresh_at_start_action
    try:
        assert action.text() == "&Sync again at start" and not action.isChecked()   # solo
        action.trigger()
        assert action.isChecked() and Settings(gui_home).refresh_at_start(False, 0.0)
        action.trigger()
        assert not Settings(gui_home).refresh_at_start(True, 1e6)           # never, team too
    finally:
        _stop(session)


@pytest.mark.parametrize(("ini", "team", "age_s", "refresh"), [
    ("", True, 0.0, True),
    ("", False, 1e6, False),
    ("[prefs]\nrefresh_at_start=always\n", False, 0.0, True),
    ("[prefs]\nrefresh_at_start=never\n", True, 1e6, False),
    ("[prefs]\nrefresh_at_start=always\nrefresh_after_min=60\n", False, 3599.0, False),
    ("[prefs]\nrefresh_at_start=always\nrefresh_after_min=60\n", False, 3600.0, True),
    ("[prefs]\nrefresh_at_start=Team\nrefresh_after_min=x\n", True, 0.0, True),
    ("[prefs]\nrefresh_at_start=sometimes\n", False, 1e6, False),   # unknown: the default
])
def test_the_setting_reads_the_mode_and_the_age(
        gui_home: Path, ini: str, team: bool, age_s: float, refresh: bool) -> None:
    (gui_home / "tagdesk.ini").write_text(ini, encoding="utf-8")
    assert Settings(gui_home).refresh_at_start(team, age_s) is refresh


def _carrying(cache: Any, tag_id: str) -> int:
    return int(cache.scalar("SELECT count(*) FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
                            " WHERE t.id = ?", (tag_id,)))


def _journaled(cache: Any, tag_id: str) -> set[tuple[str, int]]:
    """The observed journal rows naming the tag, counted by action."""
    return {(str(action), int(n)) for action, n in cache.connection().execute(
        "SELECT action, count(*) FROM journal WHERE tag_id = ? AND source = 'observed'"
        " GROUP BY action", (tag_id,))}


def _tree_names(window: Any) -> set[str]:
    model = window.tag_tree.model
    names: set[str] = set()
    pending = [model.index(row, 0) for row in range(model.rowCount())]
    while pending:
        index = pending.pop()
        names.add(str(index.data()))
        pending += [model.index(row, 0, index) for row in range(model.rowCount(index))]
    return names
