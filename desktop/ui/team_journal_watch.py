"""Watching the team journal for changes other desktops make while the audit viewer is open.

Every POLL_S seconds (while the window shows) it asks the team server for the newest row
matching the viewer's filter, on a worker thread; `newer` says when that row is newer than
what the viewer shows.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.store.journal_query import JournalRow
from desktop.ui.audit_model import AuditRowsModel
from desktop.ui.context import AppContext

POLL_S = 15


class TeamJournalWatch(QObject):
    newer = Signal()

    def __init__(self, context: AppContext, model: AuditRowsModel, parent: QObject) -> None:
        super().__init__(parent)
        self._context = context
        self._model = model
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_S * 1000)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Ask once now (nothing while a question is open or the view is still loading)."""
        model = self._model
        if self._busy or not model.complete:
            return
        flt, shown = model.journal_filter, (model.ids[0] if model.ids else 0)
        journal = self._context.journal
        self._busy = True

        def answered(rows: list[JournalRow]) -> None:
            self._busy = False
            if rows and rows[0].id > shown and flt == model.journal_filter:
                self.newer.emit()

        def failed(_exc: BaseException) -> None:
            self._busy = False   # the server is away: the next round asks again

        self._context.run_task(lambda _p, _c: journal.first_page(flt, 1), owner=self,
                               name="team journal watch", on_result=answered, on_error=failed)
