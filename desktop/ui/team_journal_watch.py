"""Watching the team journal for changes other desktops make while the audit viewer is open.

New rows are pushed: a worker keeps one long-poll open (`/tagdesk/v1/journal/wait`) that the
team server answers as soon as a row commits. Then it asks for the newest row matching the
viewer's filter; `newer` says when that row is newer than what the viewer shows. A server
older than the push endpoint is polled every POLL_S seconds instead; while the server cannot
be reached it is polled too, and pushing is tried again after RETRY_PUSH_S. While the viewer
is hidden no wait is kept open (the worker is free for other work).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from desktop.services.journal_reader import TeamJournal
from desktop.services.team_push import JournalNews, PushUnsupported
from desktop.store.journal_query import JournalRow
from desktop.ui.audit_model import AuditRowsModel
from desktop.ui.context import AppContext
from desktop.ui.tasks import Task

POLL_S = 15
RETRY_PUSH_S = 30


class TeamJournalWatch(QObject):
    newer = Signal()

    def __init__(self, context: AppContext, model: AuditRowsModel, parent: QObject) -> None:
        super().__init__(parent)
        self._context = context
        self._model = model
        self._busy = False
        self._missed = False          # a push came while the view was still loading
        self._latest = 0              # the newest journal id the server has told of
        self._waiting: Task | None = None
        self._paused = False          # the window is hidden: no wait is kept open
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_S * 1000)
        self._timer.timeout.connect(self.check)
        model.loaded.connect(self._loaded)
        self._wait()

    @property
    def latest(self) -> int:
        """The newest team journal id the server has told of (0: none yet)."""
        return self._latest

    @property
    def pushed(self) -> bool:
        """Whether new rows come by push (False: polled every POLL_S seconds)."""
        return not self._timer.isActive()

    def check(self) -> None:
        """Ask once now (nothing while a question is open; after loading if still loading)."""
        model = self._model
        if self._busy or not model.complete:
            self._missed = self._missed or not model.complete
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

    def _loaded(self) -> None:
        if self._missed:
            self._missed = False
            self.check()

    def _wait(self) -> None:
        journal = self._context.journal
        if self._waiting is not None or not isinstance(journal, TeamJournal):
            return
        after = self._latest
        self._waiting = self._context.run_task(
            lambda _p, cancel: journal.wait_newer(after, cancel.event), owner=self,
            name="team journal push", on_result=self._pushed, on_error=self._push_failed)

    def _pushed(self, news: JournalNews) -> None:
        cancelled = self._waiting is not None and self._waiting.cancel_token.cancelled
        self._waiting = None
        if cancelled:   # the window or TagDesk is closing
            return
        self._timer.stop()
        if news.latest_id > self._latest:
            self._latest = news.latest_id
            self.check()
        parent = self.parent()
        if isinstance(parent, QWidget) and not parent.isVisible():
            self._paused = True   # a hidden viewer holds no worker; `resume` when shown
            return
        self._wait()

    def resume(self) -> None:
        """The window shows again: show rows written while it was hidden, wait again."""
        if self._paused:
            self._paused = False
            self.check()
            self._wait()

    def _push_failed(self, exc: BaseException) -> None:
        self._waiting = None
        self._timer.start()
        if not isinstance(exc, PushUnsupported):
            QTimer.singleShot(RETRY_PUSH_S * 1000, self, self._wait)
