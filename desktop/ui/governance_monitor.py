"""What the team server's governance says about this desktop's user, kept fresh while the
window is open (team profiles only).

When the window opens, after each sync, after an approval is decided or requested from this
desktop (`AppContext.approval_requested`) and every minute it
reads the policy with the user's roles (so the tag tree can disable what the server would
refuse, with the reason) and the number of approval requests waiting (the badge on
File → Approvals). Both calls run on a pool thread; a server that cannot be reached keeps
the last answer (the server decides every write anyway). A refresh asked for while one is
under way runs again after it, since the one under way may have read before the change.

A request or a decision made anywhere is a team journal row (`approval_requested`, …), so
the monitor follows the journal push (`/tagdesk/v1/journal/wait`, one wait the audit viewer
shares: `team_push.JournalFollower`), whose thread raises a flag when such a row (source
`governance`, which the server's answer tells apart) commits; the
window's thread looks at the flag every PUSH_LOOK_MS and refreshes, at most once every
PUSH_GAP_S (the push thread touches no Qt object, so a window closing under it is never
reached from it): the count follows other desktops within seconds, not at the next minute.
A server without the push, or one that cannot be reached, leaves the minute's poll (the
wait is tried again after `team_push.RETRY_PUSH_S`).
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.services import governance
from desktop.services.governance import TeamRules
from desktop.services.journal_reader import TeamJournal
from desktop.services.team_push import Following
from desktop.ui.context import AppContext

POLL_INTERVAL_MS = 60_000
PUSH_GAP_S = 3.0
PUSH_LOOK_MS = 500


class GovernanceMonitor(QObject):
    rulesChanged = Signal(object)     # TeamRules
    pendingChanged = Signal(int)

    def __init__(self, context: AppContext, parent: QObject | None = None,
                 interval_ms: int = POLL_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.context = context
        self.rules: TeamRules | None = None
        self.pending = 0
        self._running = False
        self._again = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self._stopped = False
        self._following: Following | None = None
        self._pushed_at = 0.0                 # time.monotonic() of the last push refresh
        self._look: QTimer | None = None
        journal = context.journal
        if isinstance(journal, TeamJournal):
            following = self._following = journal.follower.follow()
            self.destroyed.connect(lambda *_: journal.follower.leave(following))
            self._look = QTimer(self)
            self._look.setInterval(PUSH_LOOK_MS)
            self._look.timeout.connect(self._take_push)
            self._look.start()
        self.refresh()

    def stop(self) -> None:
        """Follow the journal no more and end the polls (the window closes)."""
        self._stopped = True
        journal = self.context.journal
        if self._following is not None and isinstance(journal, TeamJournal):
            journal.follower.leave(self._following)
        self.timer.stop()
        if self._look is not None:
            self._look.stop()

    def _take_push(self) -> None:
        following = self._following
        if (following is not None and following.governance.is_set()
                and time.monotonic() - self._pushed_at >= PUSH_GAP_S):
            following.governance.clear()
            self._pushed_at = time.monotonic()
            self.refresh()

    @property
    def busy(self) -> bool:
        return self._running

    def refresh(self, *_: Any) -> None:
        if self._stopped:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        profile = self.context.workspace.profile

        def read(_progress: object, _cancel: object) -> tuple[TeamRules, int]:
            return governance.team_rules(profile), governance.pending_approvals(profile)

        self.context.run_task(read, owner=self, name="governance", on_result=self._read,
                              on_error=self._failed)

    def _read(self, result: tuple[TeamRules, int]) -> None:
        self._done()
        self.rules, pending = result
        self.rulesChanged.emit(self.rules)
        if pending != self.pending:
            self.pending = pending
            self.pendingChanged.emit(pending)

    def _failed(self, _exc: BaseException) -> None:
        self._done()

    def _done(self) -> None:
        self._running = False
        if self._again:
            self._again = False
            QTimer.singleShot(0, self, self.refresh)
