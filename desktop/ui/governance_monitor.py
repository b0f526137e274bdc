"""What the team server's governance says about this desktop's user, kept fresh while the
window is open (team profiles only).

When the window opens, after each sync, after an approval is decided or requested from this
desktop (`AppContext.approval_requested`) and every minute it
reads the policy with the user's roles (so the tag tree can disable what the server would
refuse, with the reason) and the number of approval requests waiting (the badge on
File → Approvals). Both calls run on a pool thread; a server that cannot be reached keeps
the last answer (the server decides every write anyway). A refresh asked for while one is
under way runs again after it, since the one under way may have read before the change.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.services import governance
from desktop.services.governance import TeamRules
from desktop.ui.context import AppContext

POLL_INTERVAL_MS = 60_000


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
        self.refresh()

    @property
    def busy(self) -> bool:
        return self._running

    def refresh(self, *_: Any) -> None:
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
