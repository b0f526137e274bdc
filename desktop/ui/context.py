"""The GUI's shared state for one opened profile, passed explicitly into every widget.

It owns the worker pools, the change broadcast and the undo stack. Widgets
never refresh each other: a write publishes a `ChangeSet` on `changed`, and each
view decides what to redraw.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.domain.retag_plan import RetagPlan
from desktop.services.changes import ChangeSet
from desktop.services.progress import CancelToken, Progress
from desktop.services.tagging import BatchResult, TaggingService
from desktop.services.workspace import Workspace
from desktop.store.filter_engine import FilterEngine
from desktop.ui.tasks import Task

Work = Callable[[Callable[[Progress], None], CancelToken], Any]


class AppContext(QObject):
    changed = Signal(object)            # ChangeSet, after every write or sync
    write_started = Signal(object)      # frozenset of relation ids being written
    write_failed = Signal(str, object)  # readable message, frozenset of relation ids
    status_message = Signal(str)

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.cache = workspace.cache
        self.filter_engine = FilterEngine(workspace.cache)
        self.tagging = TaggingService(workspace)
        self.undo_stack = QUndoStack(self)
        self.io_pool = QThreadPool(self)
        self.io_pool.setMaxThreadCount(4)
        self.writer_pool = QThreadPool(self)   # one thread: writes never race each other
        self.writer_pool.setMaxThreadCount(1)
        self._tasks: set[Task] = set()

    @property
    def operator(self) -> str:
        return self.workspace.operator

    def run_task(
        self,
        work: Work,
        *,
        owner: QObject,
        name: str,
        writer: bool = False,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Task:
        """Run `work(progress, cancel)` on a pool thread; callbacks arrive on the GUI thread
        while `owner` (the widget or object that asked) still exists."""
        task = Task(work, owner=owner, name=name)
        if on_progress is not None:
            task.on_progress(on_progress)
        if on_result is not None:
            task.on_result(on_result)
        task.on_error(on_error or self._report_error)
        task.signals.finished.connect(lambda: self._tasks.discard(task))
        self._tasks.add(task)
        task.start(self.writer_pool if writer else self.io_pool)
        return task

    def publish(self, changes: ChangeSet) -> None:
        """Tell every view what changed; the filter engine stays warm after a tagging batch.

        A batch result lists exactly the relations whose links its commits changed, one
        commit each, so the engine can patch just those (it checks the version count and
        starts cold if anything else was written). A ChangeSet without a batch id (e.g. a
        batch that raised) lists relations that were planned, not committed: drop all.
        """
        tagging_only = not (changes.tags_changed or changes.full_reload)
        if changes.relation_ids and changes.batch_id and tagging_only:
            self.filter_engine.refresh_relations(changes.relation_ids)
        else:
            self.filter_engine.invalidate()
        self.changed.emit(changes)

    def wait_idle(self, msecs: int = 30000) -> bool:
        """Block until every running task is done (shutdown and tests)."""
        return self.io_pool.waitForDone(msecs) and self.writer_pool.waitForDone(msecs)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def interrupt_all(self) -> None:
        """Stop every task because TagDesk is closing: batches stay queued for the next start."""
        for task in list(self._tasks):
            task.cancel_token.interrupt()

    # -- tagging -------------------------------------------------------------

    def toggle_tag(self, relation_ids: Sequence[int], tag_id: str, label: str = "") -> None:
        """Toggle one tag on the relations (add where missing, or remove from all), undoably."""
        ids = list(relation_ids)
        if not ids:
            return
        plan = self.tagging.plan_toggle(ids, tag_id)
        if not plan.changes:
            return
        batch_id = self.tagging.submit(plan, source="app", description=label)
        self.undo_stack.push(_BatchCommand(self, batch_id, _relation_ids(plan), label or tag_id))

    def run_batch(self, batch_id: str, ids: frozenset[int]) -> Task:
        """Run a submitted batch on the writer thread; the rows show pending until it ends."""
        self.write_started.emit(ids)

        def finished(result: BatchResult) -> None:
            self.publish(result.changes)
            if result.failures:
                reasons = sorted({failure.reason for failure in result.failures})
                self.write_failed.emit("；".join(reasons),
                                       frozenset(f.relation_id for f in result.failures))

        def failed(exc: BaseException) -> None:
            self.write_failed.emit(str(exc), ids)
            self.publish(ChangeSet(relation_ids=ids))

        return self.run_task(
            lambda progress, cancel: self.tagging.run(batch_id, progress=progress, cancel=cancel),
            owner=self, name=f"batch {batch_id}", writer=True, on_result=finished, on_error=failed,
        )

    def _report_error(self, exc: BaseException) -> None:
        self.status_message.emit(str(exc))


class _BatchCommand(QUndoCommand):
    """Tagging as one undoable step: redo runs the batch, undo runs its inverse."""

    def __init__(
        self, context: AppContext, batch_id: str, ids: frozenset[int], label: str
    ) -> None:
        super().__init__(label)
        self._context = context
        self._batch_id = batch_id
        self._ids = ids
        self._undo_batch: str | None = None
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            self._context.run_batch(self._batch_id, self._ids)
            return
        self._context.writer_pool.waitForDone()
        plan, _ = self._context.tagging.plan_undo(self._undo_batch or self._batch_id)
        if plan.changes:
            batch = self._context.tagging.submit(plan, source="undo", description=self.text())
            self._context.run_batch(batch, _relation_ids(plan))

    def undo(self) -> None:
        self._context.writer_pool.waitForDone()
        plan, _ = self._context.tagging.plan_undo(self._batch_id)
        if plan.changes:
            self._undo_batch = self._context.tagging.submit(
                plan, source="undo", description=self.text()
            )
            self._context.run_batch(self._undo_batch, _relation_ids(plan))


def _relation_ids(plan: RetagPlan) -> frozenset[int]:
    return frozenset(change.relation_id for change in plan.changes)
