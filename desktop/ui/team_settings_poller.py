"""Keeping a team profile's shared settings fresh while the window is open.

The desktop polls (no push): when the window opens, after each sync and every minute it asks
the team server what changed since the version it last saw (`team_settings.pull`, on the
writer thread, never the GUI thread) and tells every view. A server that cannot be reached
is said once in the status bar (`unavailable`, then `available` once it answers again); the
settings cached on this computer stay in use until it answers again. Logging in again (File
menu) polls at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.services import team_settings
from desktop.services.team_settings import PullResult
from desktop.ui.context import AppContext
from desktop.ui.errors import readable
from desktop.ui.sync_controller import SyncController

POLL_INTERVAL_MS = 60_000


class TeamSettingsPoller(QObject):
    polled = Signal(object)          # PullResult
    unavailable = Signal(str)        # the readable reason, once per outage
    available = Signal()             # the server answers again after an outage

    def __init__(self, context: AppContext, sync: SyncController, parent: QObject | None = None,
                 interval_ms: int = POLL_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.context = context
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self._running = False
        self._stopped = False
        self.failing = False
        sync.finished.connect(self.poll)
        self.timer.start()
        self.poll()

    @property
    def busy(self) -> bool:
        return self._running

    def stop(self) -> None:
        """No more polls (the window closes)."""
        self._stopped = True
        self.timer.stop()

    def poll(self, *_: Any) -> None:
        """Ask the team server now, unless a poll is already under way or the window closed."""
        if self._running or self._stopped:
            return
        self._running = True
        workspace = self.context.workspace
        self.context.run_task(lambda _progress, _cancel: team_settings.pull(workspace),
                              owner=self, name="team settings", writer=True,
                              on_result=self._pulled, on_error=self._failed)

    def _pulled(self, result: PullResult) -> None:
        self._running = False
        if self.failing:
            self.failing = False
            self.available.emit()
        if result.changes.prefs_changed:
            self.context.publish(result.changes)
        self.polled.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        if self.failing:
            return
        self.failing = True
        reason = readable(exc)
        self.context.status_message.emit(
            self.tr("Team settings not refreshed; using the copy on this computer. %1")
            .replace("%1", reason))
        self.unavailable.emit(reason)
