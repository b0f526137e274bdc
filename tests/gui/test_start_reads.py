"""What the window reads before its first rows are painted: nothing of the journal.

The journal grows with every change (a million rows in a year of a busy team); what the
first paint waits for must not. Every statement of every connection is traced, on every
thread, from the opening of the cache to the first rows shown.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from desktop.store.db import Cache
from desktop.ui.i18n import Translations
from desktop.ui.settings import Settings

pytestmark = pytest.mark.gui

JOURNAL_TABLE = re.compile(r"\bjournal\b", re.IGNORECASE)


class Statements:
    """Every statement the cache's connections run, with when and on which thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.seen: list[tuple[float, str]] = []

    def trace(self, conn: sqlite3.Connection) -> sqlite3.Connection:
        conn.set_trace_callback(self._record)
        return conn

    def _record(self, sql: str) -> None:
        with self._lock:
            self.seen.append((time.monotonic(), sql))

    def on_journal(self, until: float = float("inf")) -> list[str]:
        with self._lock:
            return [sql for at, sql in self.seen if at <= until and JOURNAL_TABLE.search(sql)]


def test_the_window_reads_no_journal_row_or_page_before_its_first_rows_are_painted(
        qtbot: Any, synced_workspace: Any, gui_home: Path, sandbox: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """From the cache's opening to the first rows shown, no statement on any thread names
    the journal; the read of its pages comes after (so the trace does see it)."""
    from desktop.services.workspace import Workspace
    from desktop.ui.session import GuiSession

    statements = Statements()
    connect = Cache._connect
    monkeypatch.setattr(Cache, "_connect", lambda cache: statements.trace(connect(cache)))
    profile = synced_workspace.profile
    synced_workspace.close()
    workspace = Workspace(gui_home, profile, sandbox.secret, check_later=True)
    session = GuiSession(workspace, Settings(gui_home), Translations())
    window = session.window
    qtbot.addWidget(window)
    shown: list[float] = []
    window.firstRowsShown.connect(lambda: shown.append(time.monotonic()))
    try:
        with qtbot.waitSignal(window.firstRowsShown, timeout=20000):
            session.show()
        assert window.model.rowCount() > 300
        assert statements.on_journal(until=shown[0]) == []
        qtbot.waitUntil(lambda: bool(statements.on_journal()), timeout=20000)
        assert any("count(*) FROM journal" in sql for sql in statements.on_journal())
    finally:
        session.close()
