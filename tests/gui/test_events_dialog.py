"""标签 → 导入行为事件…: a file with a bad line is refused whole with the line named, the
valid lines are imported on request, the window counts the events per type, and a cancel
stores nothing."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from desktop.store import events
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.sync_controller import SyncController

pytestmark = pytest.mark.gui


def _per_type(dialog: Any) -> dict[str, str]:
    return {dialog.per_type.topLevelItem(n).text(0): dialog.per_type.topLevelItem(n).text(1)
            for n in range(dialog.per_type.topLevelItemCount())}


def _window(qtbot: Any, context: Any, gui_home: Path) -> MainWindow:
    window = MainWindow(context, Settings(gui_home), SyncController(context, context), "en")
    qtbot.addWidget(window)
    return window


def test_bad_lines_are_shown_then_the_valid_ones_imported_and_counted_per_type(
        qtbot: Any, synced_context: Any, gui_home: Path, sandbox: Any, tmp_path: Path) -> None:
    window = _window(qtbot, synced_context, gui_home)
    dialog = window.open_events()
    assert window.open_events() is dialog
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join([
        json.dumps({"time": "2026-12-01 09:30", "external_userid": "wmA", "type": "order_paid"}),
        json.dumps({"time": "2026-12-01 09:30", "external_userid": "13800138000",
                    "type": "order_paid"}),
        json.dumps({"time": "2026-12-02 10:00", "external_userid": "wmB",
                    "type": "content_viewed"})]) + "\n", encoding="utf-8")
    dialog.path.setText(str(path))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.imported is not None, timeout=20000)
    assert dialog.imported is not None and dialog.imported.status == "invalid"
    first = dialog.problems.topLevelItem(0)
    assert first is not None and first.text(0) == "2" and "13800138000" in first.text(1)
    assert "nothing was imported" in dialog.summary.text()
    assert dialog.valid_button.isVisibleTo(dialog)
    assert events.count(synced_context.cache) == 0

    dialog.valid_button.click()
    qtbot.waitUntil(lambda: dialog.imported is not None and dialog.imported.status == "imported",
                    timeout=20000)
    assert events.count(synced_context.cache) == 2
    assert _per_type(dialog) == {"order_paid": "1", "content_viewed": "1"}
    assert not dialog.valid_button.isVisibleTo(dialog)

    written = [json.loads(line) for line in
               sandbox.state.events_path.read_text(encoding="utf-8").splitlines()]
    dialog.path.setText(str(sandbox.state.events_path))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.imported is not None
                    and dialog.imported.path == sandbox.state.events_path, timeout=20000)
    assert _per_type(dialog) == {kind: f"{n:,}" for kind, n in
                                 Counter(e["type"] for e in written).items()}
    assert f"{len(written):,} events stored" in dialog.summary.text()


def test_a_cancelled_import_stores_nothing(
        qtbot: Any, synced_context: Any, gui_home: Path, tmp_path: Path) -> None:
    window = _window(qtbot, synced_context, gui_home)
    dialog = window.open_events()
    path = tmp_path / "many.csv"
    path.write_text("time,external_userid,type\n" + "".join(
        f"2026-12-01 09:30,wm{n},content_viewed\n" for n in range(30_000)), encoding="utf-8")
    dialog.path.setText(str(path))
    task = dialog.start_import()
    assert task is not None and dialog.cancel_button.isVisibleTo(dialog)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=20000)
    assert "操作已取消" in dialog.summary.text()
    assert dialog.imported is None and events.count(synced_context.cache) == 0
