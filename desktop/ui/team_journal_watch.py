"""Watching the team journal for changes other desktops make while the audit viewer is open.

New rows are pushed: the viewer follows the journal's one wait on `/tagdesk/v1/journal/wait`
(`team_push.JournalFollower`, shared with File → 审批), which the team server answers as soon
as a row commits; the follower's thread raises a flag that the window's thread looks at every
LOOK_MS. Then the watch asks for the newest row matching the viewer's filter; `newer` says
when that row is newer than what the viewer shows. A server older than the push endpoint is
polled every POLL_S seconds instead; while the server cannot be reached it is polled too, and
pushing is tried again after `team_push.RETRY_PUSH_S`. While the viewer is hidden it follows
no more (with nothing else following, no wait is kept open).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from desktop.services.journal_reader import TeamJournal
from desktop.services.team_push import Following, JournalFollower
from desktop.store.journal_query import JournalRow
from desktop.ui.audit_model import AuditRowsModel
from desktop.ui.context import AppContext

POLL_S = 15
LOOK_MS = 50


class TeamJournalWatch(QObject):
    newer = Signal()

    def __init__(self, context: AppContext, model: AuditRowsModel, parent: QObject) -> None:
        super().__init__(parent)
        self._context = context
        self._model = model
        self._busy = False
        self._missed = False          # a push came while the view was still loading
        self._latest = 0              # the newest journal id the server has told of
        self._following: Following | None = None
        self._held: list[Following] = []    # what `destroyed` leaves (it must not reach self)
        self._paused = False          # the window is hidden: it follows no more
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_S * 1000)
        self._timer.timeout.connect(self.check)
        self._look = QTimer(self)
        self._look.setInterval(LOOK_MS)
        self._look.timeout.connect(self._look_at_push)
        model.loaded.connect(self._loaded)
        journal = context.journal
        if isinstance(journal, TeamJournal):
            follower, held = journal.follower, self._held
            self.destroyed.connect(lambda *_: _leave(follower, held))
        self._follow()

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

    def _follow(self) -> None:
        journal = self._context.journal
        if self._following is not None or not isinstance(journal, TeamJournal):
            return
        self._following = journal.follower.follow()
        self._held.append(self._following)
        self._latest = max(self._latest, self._following.latest)
        self._look.start()

    def _look_at_push(self) -> None:
        following = self._following
        if following is None:
            return
        parent = self.parent()
        if isinstance(parent, QWidget) and not parent.isVisible():
            self._pause(following)
            return
        if following.failing.is_set() and not self._timer.isActive():
            self._timer.start()
        elif not following.failing.is_set() and self._timer.isActive():
            self._timer.stop()
        self._latest = max(self._latest, following.latest)
        if following.news.is_set():
            following.news.clear()
            self.check()

    def _pause(self, following: Following) -> None:
        """A hidden viewer follows no more and polls no more; `resume` when shown."""
        journal = self._context.journal
        if isinstance(journal, TeamJournal):
            journal.follower.leave(following)
        self._held.remove(following)
        self._following = None
        self._look.stop()
        self._timer.stop()
        self._paused = True

    def resume(self) -> None:
        """The window shows again: show rows written while it was hidden, follow again."""
        if self._paused:
            self._paused = False
            self.check()
            self._follow()


def _leave(follower: JournalFollower, held: list[Following]) -> None:
    for following in held:
        follower.leave(following)
