"""Running a sync in the background, with progress, cancel and one broadcast at the end.

The sync reads everything first and replaces the cache in one transaction, so a
cancelled or failed sync leaves the cache exactly as it was. Tags and groups it finds renamed
in WeCom are followed by the rules in its write transaction and by the filters when its
change set is published (`SyncResult.renames`), as after a rename from the tree. After it, the live codes' tags and pre-tags waiting for new
relations are applied as batches (`services/arrivals.py`) within the same task. The client used for
the run is a view of the corp's shared transport bound to the task's cancel token,
which interrupts even a request in flight; its waits (a 45009 pause, a retry) reach
the status bar as the progress events' `waiting` line. Progress is throttled to a few updates a second so a fast sync cannot
flood the event loop.

While a sync runs, Python's cyclic garbage collector waits (`gui_thread_gc.paused()`): the
sync builds about ten objects per relation, and each full collection over a million of them
held the GIL (and froze the window) for up to 0.8 s at 100,000 customers. Reference counting
still frees them; collections resume when the sync ends, however it ends.

Tags that run out are removed after every sync and, while the app is open, within a minute
of running out (a check every `EXPIRY_CHECK_MS` that reads only the cache).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from desktop.services.arrivals import ArrivalService
from desktop.services.changes import ChangeSet
from desktop.services.demo_persona import choose_demo_persona
from desktop.services.handover import HandoverReply, HandoverServer
from desktop.services.library_refresh import LibraryRefresh, refresh_tag_library
from desktop.services.progress import CancelToken, OperationCancelled, Progress, WaitReporter
from desktop.services.sync import SyncResult, run_sync
from desktop.services.sync_renames import renamed_json
from desktop.services.tag_expiry import ExpiryService
from desktop.services.team_catch_up import TeamCatchUp, catch_up, journal_mark, remember_mark
from desktop.services.team_events import fetch_if_team
from desktop.services.team_expiries import fetch_if_team as fetch_expiries_if_team
from desktop.ui import gui_thread_gc
from desktop.ui.context import AppContext
from desktop.ui.errors import is_expected, readable
from desktop.ui.tasks import Task
from desktop.wecom.errors import CallCancelled

PROGRESS_INTERVAL_S = 0.15
EXPIRY_CHECK_MS = 60_000


class SyncController(QObject):
    started = Signal()
    progressed = Signal(object)      # Progress
    finished = Signal(object)        # SyncResult
    refreshed = Signal(object)       # LibraryRefresh (the tag library alone)
    failed = Signal(object)          # the exception
    cancelled = Signal()
    idle = Signal()                  # after finished, failed or cancelled

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._task: Task | None = None
        self._last_progress = 0.0
        self.last_result: SyncResult | None = None
        self.last_catch_up: TeamCatchUp | None = None   # of the last refresh at start
        self._expiries_due = False
        self._expiring = False
        self.expiry_timer = QTimer(self, interval=EXPIRY_CHECK_MS)
        self.expiry_timer.timeout.connect(self._check_expiries)

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self) -> bool:
        """Start a sync unless one is running; False when one already is."""
        if self._task is not None:
            return False
        workspace = self._context.workspace
        engine = self._context.filter_engine

        def work(progress: Any, cancel: CancelToken) -> SyncResult:
            reporter = WaitReporter(progress)
            mark = journal_mark(workspace)    # what the refresh at start catches up from
            client = workspace.client(cancel.event, on_wait=reporter.on_wait)
            try:
                with gui_thread_gc.paused():
                    synced = run_sync(
                        client, workspace.cache, progress=reporter, cancel=cancel,
                        chains=workspace.profile.max_concurrency)
            finally:
                client.close()
            remember_mark(workspace, mark)
            ArrivalService(workspace).apply(progress=reporter, cancel=cancel)
            fetch_if_team(workspace, reporter)     # the detail pane shows the team's events
            fetch_expiries_if_team(workspace)      # and its expiries, as the tree's ⏳
            engine.prepare()  # the first filter after the sync is then warm
            choose_demo_persona(workspace)
            self._expiries_due = bool(ExpiryService(workspace).due())
            return synced

        self._run("sync", work, self._done)
        return True

    def refresh_library(self) -> bool:
        """The refresh at start, unless a sync runs (False when one already does): the tag
        library alone (a few WeCom calls) and, on a team profile, the team's changes since
        the last sync from the team server (`team_catch_up`: the tags other desktops and the
        server's jobs changed, its events and expiries; no WeCom call); tags that ran out are
        then removed, as after a sync. Its progress and failure are a sync's; its end is
        `refreshed`, with `last_catch_up` set."""
        if self._task is not None:
            return False
        workspace = self._context.workspace

        def work(progress: Any, cancel: CancelToken
                 ) -> tuple[LibraryRefresh, TeamCatchUp | None]:
            reporter = WaitReporter(progress)
            client = workspace.client(cancel.event, on_wait=reporter.on_wait)
            try:
                refreshed = refresh_tag_library(client, workspace.cache, progress=reporter,
                                                cancel=cancel)
            finally:
                client.close()
            cancel.raise_if_cancelled()
            caught_up = catch_up(workspace, reporter)
            self._expiries_due = bool(ExpiryService(workspace).due())
            return refreshed, caught_up

        self._run("tag library refresh", work, self._refreshed)
        return True

    def _run(self, name: str, work: Callable[[Any, CancelToken], Any],
             on_result: Callable[[Any], None]) -> None:
        self._last_progress = 0.0
        self._task = self._context.run_task(
            work, owner=self, name=name, on_result=on_result, on_error=self._failed,
            on_progress=self._progress,
        )
        self.started.emit()

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _progress(self, event: Progress) -> None:
        now = time.monotonic()
        final = bool(event.total) and event.done >= event.total
        if (final or event.waiting or event.phase != "relations"
                or now - self._last_progress >= PROGRESS_INTERVAL_S):
            self._last_progress = now
            self.progressed.emit(event)

    def _done(self, result: SyncResult) -> None:
        self._task = None
        self.last_result = result
        self._context.publish(ChangeSet(full_reload=True, tags_changed=True,
                                        prefs_changed=True, journal_appended=True,
                                        renames=result.renames))   # the filters follow them
        self._context.sign_search_texts()
        if self._expiries_due:
            self._remove_expired()
        self.finished.emit(result)
        self.idle.emit()

    def _refreshed(self, refreshed: tuple[LibraryRefresh, TeamCatchUp | None]) -> None:
        result, self.last_catch_up = refreshed
        self._task = None
        relations_changed = result.relations_changed + (
            self.last_catch_up.relations_changed if self.last_catch_up is not None else 0)
        self._context.publish(ChangeSet(full_reload=bool(relations_changed),
                                        tags_changed=True, prefs_changed=True,
                                        journal_appended=True, renames=result.renames))
        if self._expiries_due:
            self._remove_expired()
        self.refreshed.emit(result)
        self.idle.emit()

    def start_expiry_checks(self) -> None:
        """While the app is open: look for tags that ran out every `EXPIRY_CHECK_MS`."""
        self.expiry_timer.start()

    def stop_expiry_checks(self) -> None:
        self.expiry_timer.stop()

    def _check_expiries(self) -> None:
        """Between syncs: remove what ran out since (nothing while a sync or a removal runs)."""
        if self.running or self._expiring or not shiboken6.isValid(self._context):
            return
        workspace = self._context.workspace
        self._expiring = True

        def checked(due: bool) -> None:
            self._expiring = False
            if due and not self.running:
                self._remove_expired()

        def failed(_exc: BaseException) -> None:
            self._expiring = False

        self._context.run_task(lambda _p, _c: bool(ExpiryService(workspace).due()), owner=self,
                               name="expiry check", on_result=checked, on_error=failed)

    def _remove_expired(self) -> None:
        """Tags that ran out are removed: one batch (source expiry), on the writer thread
        like every write; the batch shows in the audit log."""
        workspace = self._context.workspace
        self._expiring = True

        def work(progress: Any, _cancel: CancelToken) -> ChangeSet | None:
            run = ExpiryService(workspace).run(progress=progress)
            return run.result.changes if run.result is not None else None

        def finished(_changes: ChangeSet | None) -> None:
            self._expiring = False

        def failed(exc: BaseException) -> None:
            self._expiring = False
            self._context.status_message.emit(readable(exc))

        self._context.run_operation(work, owner=self, name="tag expiry",
                                    on_success=finished, on_failure=failed)

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        if isinstance(exc, OperationCancelled | CallCancelled):
            self.cancelled.emit()
        else:
            self.failed.emit(exc)
        self.idle.emit()


HANDED_OVER_CANCELLED = ("同步已在 TagDesk 应用中取消。 / The sync was cancelled in the TagDesk app.")
HANDED_OVER_BUG = ("TagDesk 应用同步时出现内部错误，详情见应用日志。"
                   " / The TagDesk app hit an internal error while syncing; see its log.")


class SyncHandover(QObject):
    """Runs the syncs that `tagdesk sync` hands over while this app holds the profile.

    The cache's writer lock stays with the app; a command-line sync (a supervisor's
    scheduled export) asks the app instead, and gets its progress and summary. A request
    that arrives during a sync waits for it to end and then gets a sync of its own, so its
    data is never older than the request."""

    _requested = Signal(object)     # HandoverReply, emitted on a connection thread

    def __init__(self, controller: SyncController, cache_path: Path,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._waiting: list[HandoverReply] = []
        self._current: list[HandoverReply] = []
        self._requested.connect(self._enqueue)
        controller.progressed.connect(self._progress)
        controller.finished.connect(self._finished)
        controller.failed.connect(self._failed)
        controller.cancelled.connect(lambda: self._answer(HANDED_OVER_CANCELLED))
        controller.idle.connect(self._start_waiting)
        self._server = HandoverServer(cache_path, self._requested.emit)

    def start(self) -> None:
        self._server.start()

    def stop(self) -> None:
        """Stop listening; requests still waiting hear that the app closed."""
        self._server.stop()

    def _enqueue(self, reply: HandoverReply) -> None:
        self._waiting.append(reply)
        self._start_waiting()

    def _start_waiting(self) -> None:
        if not self._waiting or self._controller.running:
            return
        if self._controller.start():
            self._current, self._waiting = self._waiting, []

    def _progress(self, event: Progress) -> None:
        for reply in self._current:
            reply.progress(event)

    def _finished(self, result: SyncResult) -> None:
        for reply in self._current:
            reply.done({**result.as_json(),
                        "renamed": renamed_json(result.renames)})
        self._current = []

    def _failed(self, exc: BaseException) -> None:
        self._answer(str(exc) if is_expected(exc) else HANDED_OVER_BUG)

    def _answer(self, error: str) -> None:
        for reply in self._current:
            reply.fail(error)
        self._current = []
