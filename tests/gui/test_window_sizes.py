"""Every top-level window and dialog fits a screen of 800×600 in both languages: its minimum
size (what the layout cannot shrink below) is at most 800 wide and 600 high. The windows are
listed here, in one place, each opened as the app opens it on a synced workspace."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from desktop.domain.rule_draft import RuleDraft
from desktop.ui.i18n import CHINESE, ENGLISH, Translations
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.sync_controller import SyncController

pytestmark = pytest.mark.gui

SCREEN = (800, 600)

Opener = Callable[[MainWindow], QWidget | None]
WINDOWS: dict[str, Opener] = {
    "main window": lambda w: w,
    "tag picker": MainWindow.open_tag_picker,
    "retag": MainWindow.open_retag_dialog,
    "import": MainWindow.open_import_wizard,
    "export": MainWindow.open_export_dialog,
    "team login": MainWindow.open_team_login,
    "approvals": MainWindow.open_approvals,
    "reconcile": MainWindow.open_reconcile,
    "events browser": MainWindow.open_events_browser,
    "events import": MainWindow.open_events,
    "deleted tags": MainWindow.open_deleted_tags,
    "scene templates": MainWindow.open_scenes,
    "new customers": MainWindow.open_arrivals,
    "rules": MainWindow.open_rules,
    "rule editor": lambda w: w.open_rules().open_editor(RuleDraft()),
    "expiring tags": MainWindow.open_expiring_tags,
    "exclusive sets": MainWindow.open_exclusive_sets,
    "audit log": MainWindow.open_audit_viewer,
    "reports": MainWindow.open_reports,
    "tag health": MainWindow.open_health,
    "auto-tagging review": MainWindow.open_autotag_review,
    "auto-tagging keywords": lambda w: w.open_autotag_review().open_keywords(),
    "filter syntax": MainWindow.open_filter_syntax,
}


@pytest.fixture(params=[CHINESE, ENGLISH])
def window(request: pytest.FixtureRequest, qtbot: Any, synced_context: Any,
           gui_home: Path) -> Iterator[MainWindow]:
    translations = Translations()
    assert translations.install(request.param)
    window = MainWindow(synced_context, Settings(gui_home), SyncController(synced_context),
                        request.param)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        window.show()
    window.table.selectRow(1)
    yield window
    synced_context.wait_idle()
    translations.uninstall()


def _too_big(widget: QWidget) -> tuple[int, int] | None:
    hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    fits = hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1]
    return None if fits else (hint.width(), hint.height())


def test_every_window_fits_800_by_600(qtbot: Any, window: MainWindow) -> None:
    too_big = {}
    for name, opener in WINDOWS.items():
        opened = opener(window)
        assert opened is not None, name
        qtbot.waitExposed(opened)
        size = _too_big(opened)
        if size is not None:
            too_big[name] = size
        if opened is not window:
            opened.close()
    assert too_big == {}, f"minimum sizes past {SCREEN}: {too_big}"
