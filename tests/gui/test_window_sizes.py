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
from desktop.services.audit import preview_batch_revert
from desktop.ui.adopt_dialog import AdoptDialog
from desktop.ui.audit_viewer import RevertDialog
from desktop.ui.batch_progress import BatchProgressDialog, offer_unfinished_batches
from desktop.ui.crash_dialog import CrashDialog
from desktop.ui.i18n import CHINESE, ENGLISH, Translations
from desktop.ui.main_window import MainWindow
from desktop.ui.migrate_wizard import MigrateDialog
from desktop.ui.settings import Settings
from desktop.ui.sync_controller import SyncController
from desktop.ui.tag_dialogs import CreateGroupDialog, RenameDialog
from desktop.ui.team_filters import SaveFilterDialog
from desktop.ui.userid_dialog import UseridDialog

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
    "unfinished batches": lambda w: offer_unfinished_batches(w.context, w),
    "batch progress": lambda w: BatchProgressDialog(w.context, _batch(w), w),
    "revert": lambda w: RevertDialog(preview_batch_revert(
        w.context.cache, w.context.tagging, _batch(w)), {}, w),
    "new tag group": lambda w: CreateGroupDialog(w.context, w.tag_tree.model.service, w),
    "rename": lambda w: RenameDialog(w.context, w.tag_tree.model.service, "t", "高意向",
                                     is_group=False, parent=w),
    "save filter": lambda w: SaveFilterDialog("高意向 AND NOT 已成交", {}, None, w),
    "userid": lambda w: UseridDialog(w.context.workspace, w),
    "crash report": lambda w: CrashDialog("TagDesk", "ValueError", "Traceback\n" * 80, None, w),
    "adopt": lambda w: AdoptDialog(w.context, *_a_group(w), w),
    "migrate": lambda w: MigrateDialog(w.context, [_a_tag(w.context)], "", w),
}


def _a_group(window: MainWindow) -> tuple[str, str]:
    group_id, name = window.context.cache.connection().execute(
        "SELECT id, name FROM tag_group WHERE deleted = 0 ORDER BY id LIMIT 1").fetchone()
    return str(group_id), str(name)


def _batch(window: MainWindow) -> str:
    """The fixture's batch: its pilot of one written, the rest paused (until the progress
    window, opened as when resuming, sends it)."""
    return window.context.tagging.batches()[0].id


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
    tagging = synced_context.tagging
    tag_id = _a_tag(synced_context)
    ids = [r[0] for r in synced_context.cache.connection().execute(
        "SELECT id FROM relation WHERE id NOT IN (SELECT rt.relation_id FROM relation_tag rt"
        " JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?) ORDER BY id LIMIT 3", (tag_id,))]
    batch_id = tagging.submit(tagging.plan(ids, [tag_id]), pilot_size=1)
    assert tagging.run(batch_id).pending == 2            # paused after its pilot of one
    yield window
    synced_context.wait_idle()
    translations.uninstall()


def _a_tag(context: Any) -> str:
    return str(context.cache.scalar("SELECT id FROM tag WHERE deleted = 0 ORDER BY id LIMIT 1"))


def _too_big(widget: QWidget) -> tuple[int, int] | None:
    hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    fits = hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1]
    return None if fits else (hint.width(), hint.height())


def test_every_window_fits_800_by_600(qtbot: Any, window: MainWindow) -> None:
    too_big = {}
    for name, opener in WINDOWS.items():
        opened = opener(window)
        assert opened is not None, name
        opened.show()                      # polished, its texts in the language
        qtbot.waitUntil(opened.isVisible)
        size = _too_big(opened)
        if size is not None:
            too_big[name] = size
        if opened is not window:
            opened.close()
    assert too_big == {}, f"minimum sizes past {SCREEN}: {too_big}"
