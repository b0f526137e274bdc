"""A wrong or reset app secret in solo mode: the window says, in one sentence, where to enter
the new one (File → Connection settings…, not the command line's way) and keeps the tagging
it could not send."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QStatusBar

from desktop.ui.context import AppContext
from desktop.ui.main_window import MainWindow
from tests.gui.conftest import RESET_SECRET

pytestmark = pytest.mark.gui


def test_a_wrong_secret_in_the_keyring_says_how_to_store_the_new_one_and_loses_nothing(
        qtbot: Any, refused_secret: tuple[MainWindow, AppContext]) -> None:
    window, context = refused_secret
    with qtbot.waitSignal(window.sync.failed, timeout=30_000):
        window.start_sync()
    said = window.status.currentMessage()
    assert said.startswith("Sync failed: The app secret is wrong or was reset"), said
    _shows_whole_or_ends_in_an_ellipsis(qtbot, window, said)
    assert "File → Connection settings…" in said and "tagdesk profile add" not in said
    assert "Traceback" not in said and RESET_SECRET not in said

    (tag_id,) = [str(r[0]) for r in context.cache.connection().execute(
        "SELECT id FROM tag ORDER BY id LIMIT 1")]
    (rid,) = [int(r[0]) for r in context.cache.connection().execute(
        "SELECT id FROM relation ORDER BY id LIMIT 1")]
    with qtbot.waitSignal(context.write_failed, timeout=30_000):
        context.toggle_tag([rid], tag_id, lambda: "toggle")
    said = window.status.currentMessage()
    assert "File → Connection settings…" in said, said
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.status.width() <= 1024, timeout=5_000)
    window.status.message(said)
    _shows_whole_or_ends_in_an_ellipsis(qtbot, window, said)
    assert window.status.secret_button.isVisibleTo(window)
    pending = context.cache.connection().execute(
        "SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()[0]
    assert pending == 1          # kept, sent once the secret is right again


def _shows_whole_or_ends_in_an_ellipsis(qtbot: Any, window: MainWindow, said: str) -> None:
    """The sentence shown fits left of the counts and the 输入新的 Secret… button; one cut
    ends in "…" and the status bar's tooltip has it whole."""
    status = window.status

    def fits() -> bool:
        room = min(widget.geometry().left() for widget in (status.counts, status.secret_button)
                   if widget.isVisible())
        return status.fontMetrics().horizontalAdvance(QStatusBar.currentMessage(status)) < room

    qtbot.waitUntil(fits, timeout=2_000)
    shown = QStatusBar.currentMessage(status)
    assert shown == said or (shown.endswith("…") and status.toolTip() == said), shown
