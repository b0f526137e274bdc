"""The GUI's shared state for one opened profile, passed explicitly into every widget.

It owns the worker pools, the change broadcast and the undo stack. Widgets
never refresh each other: a write publishes a `ChangeSet` on `changed`, and each
view decides what to redraw.

Writes are operations (Anki's `CollectionOp`): the GUI thread only queues them. Each runs
on the one writer thread, in the order queued, so it may wait for the cache's write lock
(behind a sync's replace transaction) without freezing the window; when it is done its
change set is published on the GUI thread. Tagging, undo and redo are such operations:
Ctrl+Z during a running batch queues the inverse behind it instead of waiting for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal

from desktop.domain.retag_plan import RetagPlan
from desktop.services.auto_resume import waiting_batches
from desktop.services.changes import ChangeSet
from desktop.services.journal_reader import reader_for
from desktop.services.progress import CancelToken, Progress
from desktop.services.tagging import (
    BatchResult,
    TaggingService,
    inverse_description,
    toggle_description,
)
from desktop.services.workspace import Workspace
from desktop.store import outbox
from desktop.store.filter_engine import FilterEngine
from desktop.ui.errors import ip_not_trusted, readable, readable_stop, secret_rejected
from desktop.ui.i18n import in_ui_language
from desktop.ui.tasks import Task
from desktop.ui.undo_history import UndoHistory

log = logging.getLogger("tagdesk.ui")

Work = Callable[[Callable[[Progress], None], CancelToken], Any]
Prepared = tuple[str, frozenset[int]]
"""A batch written to the outbox and the relations it touches."""


class AppContext(QObject):
    changed = Signal(object)            # ChangeSet, after every write or sync
    write_started = Signal(object)      # frozenset of relation ids being written
    write_failed = Signal(str, object)  # readable message, frozenset of relation ids
    writes_settled = Signal(object)     # frozenset of relation ids a write left as they were
    status_message = Signal(str)
    approval_requested = Signal()       # this desktop filed a request the team server keeps
    filters_cold = Signal()             # a filter was answered by SQL: warm the bitmaps
    secret_refused = Signal()           # WeCom refused the app secret: a new one is needed
    secret_replaced = Signal()          # a new app secret is in use: resume what waited
    ip_refused = Signal()               # WeCom refused this computer's IP (60020)
    ip_trusted = Signal()               # WeCom answers again after 60020: resume what waited

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.cache = workspace.cache
        self.filter_engine = FilterEngine(workspace.cache, on_cold=self.filters_cold.emit)
        self.tagging = TaggingService(workspace)
        self.journal = reader_for(workspace)   # a team profile's is the team server's
        self.undo_stack = UndoHistory(self)
        self.io_pool = QThreadPool(self)
        self.io_pool.setMaxThreadCount(4)
        self.writer_pool = QThreadPool(self)   # one thread: writes never race each other
        self.writer_pool.setMaxThreadCount(1)
        self._tasks: set[Task] = set()
        self._writes_queued = 0     # writer tasks queued or running
        self._warming: Task | None = None
        self._warm_again = False
        self._cold_held = False
        self._cold_waiting = False
        self._held_for_secret: dict[str, frozenset[int]] = {}   # batch id: relations
        # since WeCom last refused the secret in use, until a new one or an API base is saved:
        # what 输入新的 Secret… and the connection window's secret row show
        self.secret_is_refused = False
        self.secret_refused.connect(self._note_secret_refused)
        # since WeCom last refused this computer's IP, until a call succeeds or a secret or
        # API base is saved: what 重试 in the status bar shows
        self.ip_is_refused = False
        self.filters_cold.connect(self._warm_cold_filters)  # queued from the worker that asked

    @property
    def operator(self) -> str:
        return self.workspace.operator

    @property
    def solo(self) -> bool:
        """A solo profile: File → Connection settings… takes its app secret and API base (a
        team's are on its server, the demo needs none)."""
        profile = self.workspace.profile
        return not profile.is_team and not profile.is_demo

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
        while `owner` (the widget or object that asked) still exists. Once the session that
        owns the pools is gone (a poller's timer or a queued signal firing as the window
        closes), the task is not started and none of its callbacks come."""
        task = Task(work, owner=owner, name=name)
        pool = self.writer_pool if writer else self.io_pool
        if not shiboken6.isValid(pool):
            log.debug("task %s not started: the session is closed", name)
            task.abandon()
            return task
        if on_progress is not None:
            task.on_progress(on_progress)
        if on_result is not None:
            task.on_result(on_result)
        task.on_error(on_error or self._report_error)
        task.signals.finished.connect(lambda: self._tasks.discard(task))
        if writer:
            self._writes_queued += 1
            task.signals.finished.connect(self._write_ended)
        self._tasks.add(task)
        task.start(pool)
        return task

    @property
    def writes_ahead(self) -> int:
        """Writes queued or running on the writer thread: one queued now starts after them
        (a batch being sent holds the thread until its last call, at 100,000 customers for
        minutes)."""
        return self._writes_queued

    def _write_ended(self) -> None:
        self._writes_queued -= 1

    def queued_behind_writes(self) -> str:
        """What a window says of its write queued behind `writes_ahead` others."""
        return self.tr("Waiting for the writes before it to finish (a batch being sent holds"
                       " them until its last call); it starts as soon as they are done.")

    def publish(self, changes: ChangeSet) -> None:
        """Tell every view what changed; the filter engine stays warm after a tagging batch.

        A batch result lists exactly the relations whose links its commits changed, one
        commit each, so the engine can patch just those (it checks the version count and
        starts cold if anything else was written). A tag edit that linked or unlinked
        nothing drops nothing either: the engine keeps its bitmaps across commits that
        changed only names and starts cold by itself after any other. After a sync nothing is dropped: its
        commit bumped `data_version` and its worker already prepared the engine for the new
        data (dropping that would make the next filter cold). A ChangeSet without a batch
        id (e.g. a batch that raised) lists relations that were planned, not committed:
        drop all.
        """
        tagging_only = not (changes.tags_changed or changes.full_reload)
        if changes.relation_ids and changes.batch_id and tagging_only:
            self.filter_engine.refresh_relations(changes.relation_ids)
        elif changes.tags_changed and not (changes.relation_ids or changes.full_reload):
            self.rewarm_filters()  # a commit of names only keeps the bitmaps (data_version)
        elif not changes.full_reload:
            self.filter_engine.invalidate()
            self.rewarm_filters()
        self.changed.emit(changes)

    @property
    def warming(self) -> bool:
        """The filter engine is being rebuilt in the background after a change."""
        return self._warming is not None

    def hold_cold_warming(self) -> None:
        """Until `release_cold_warming()`, the warming a cold filter asks for waits: on two
        cores, a warming that starts with the window's first query delays its first paint."""
        self._cold_held = True

    def release_cold_warming(self) -> None:
        held, self._cold_held = self._cold_held, False
        if held and self._cold_waiting:
            self._cold_waiting = False
            self.rewarm_filters()

    def _warm_cold_filters(self) -> None:
        if self._cold_held:
            self._cold_waiting = True
        else:
            self.rewarm_filters()

    def rewarm_filters(self) -> None:
        """Rebuild the filter engine on a worker after it was dropped (a tag created,
        renamed or deleted) or when a filter found it cold (answered by SQL meanwhile), so
        the next filter is warm; changes arriving meanwhile run it once more when it is
        done."""
        if self._warming is not None:
            self._warm_again = True
            return
        engine = self.filter_engine

        def done(_result: object = None) -> None:
            self._warming = None
            if self._warm_again:
                self._warm_again = False
                self.rewarm_filters()

        def failed(exc: BaseException) -> None:
            log.warning("warming the filters failed (the next filter builds what it needs):"
                        " %s", exc)
            done()

        self._warming = self.run_task(lambda _p, _c: engine.prepare(), owner=self,
                                      name="warm filters", on_result=done, on_error=failed)

    def sign_search_texts(self) -> None:
        """After a sync, sign the folded texts it wrote on a worker (`FilterEngine.sign_texts`),
        so the next `text:` filter answered in SQL (the first after opening the app) skips
        most rows; a cache that cannot be written only logs it."""
        engine = self.filter_engine
        self.run_task(lambda _p, _c: engine.sign_texts(), owner=self, name="sign search texts")

    def run_operation(
        self,
        work: Callable[[Callable[[Progress], None], CancelToken], ChangeSet | None],
        *,
        owner: QObject,
        name: str,
        on_success: Callable[[ChangeSet | None], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> Task:
        """Queue a write on the writer thread. Its change set is published when it is done
        (even if `owner` has gone meanwhile); then `on_success` or `on_failure` runs while
        `owner` exists. A failure without a handler goes to the status bar."""

        def succeeded(changes: ChangeSet | None) -> None:
            if changes is not None:
                self.publish(changes)
            if on_success is not None and shiboken6.isValid(owner):
                on_success(changes)

        def failed(exc: BaseException) -> None:
            if on_failure is not None and shiboken6.isValid(owner):
                on_failure(exc)
            else:
                self._report_error(exc)

        return self.run_task(work, owner=self, name=name, writer=True, on_result=succeeded,
                             on_error=failed)

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

    def toggle_tag(self, relation_ids: Sequence[int], tag_id: str,
                   label: Callable[[], str] | None = None, description: str = "") -> None:
        """Toggle one tag on the relations (add where missing, or remove from all), undoably.

        `label` says the step in the current language ("移除 高意向（6 位客户）"); it is asked
        again when the language changes, so the Undo menu follows the language; the batch
        stores `description` (both languages, `toggle_description`), else the label.

        Returns at once: planning, queueing and sending run as one operation on the writer
        thread, and the undo step is on the stack already (Ctrl+Z queues its inverse)."""
        ids = list(relation_ids)
        if not ids:
            return
        tagging = self.tagging

        def submit() -> Prepared | None:
            plan = tagging.plan_toggle(ids, tag_id)
            if not plan.changes:
                return None
            return (tagging.submit(plan, source="app", description=description or describe()),
                    _relation_ids(plan))

        describe = label or (lambda: tag_id)
        self.undo_stack.push(_BatchCommand(self, submit, frozenset(ids), describe, description))

    def toggle_counted(self, relation_ids: Sequence[int], tag_id: str, name: str, count: int,
                       *, removing: bool) -> str:
        """`toggle_tag` for the tag `tag_id` called `name`, which it adds to `count` of the
        relations (or, `removing`, takes off `count`), its undo step and batch saying so
        ("Add VIP to 2 customers"); returns the sentence saying it was done."""

        customers = f"{count:,}"     # 26,938, as every other count the window shows

        def label() -> str:
            if removing:
                text = self.tr("Remove %1 from %2 customer(s)", "", count)
            else:
                text = self.tr("Add %1 to %2 customer(s)", "", count)
            return text.replace("%2", customers).replace("%1", name)

        self.toggle_tag(relation_ids, tag_id, label,
                        toggle_description(name, count, removing=removing))
        done = (self.tr("Removed %1 from %2 customer(s)", "", count) if removing
                else self.tr("Added %1 to %2 customer(s)", "", count))
        return done.replace("%2", customers).replace("%1", name)

    def retranslate_undo_steps(self) -> None:
        """The language changed: every step on the undo stack says itself again (nothing to
        do once TagDesk is closing and the stack is gone)."""
        stack = self.undo_stack
        if not shiboken6.isValid(stack):
            return
        for index in range(stack.count()):
            command = stack.command(index)
            if isinstance(command, _BatchCommand):
                command.retranslate()

    def run_batch(self, batch_id: str, ids: frozenset[int]) -> Task:
        """Run a submitted batch on the writer thread; the rows show pending until it ends."""
        return self.run_batch_operation(lambda: (batch_id, ids), ids, name=f"batch {batch_id}")

    def run_batch_operation(self, prepare: Callable[[], Prepared | None], ids: frozenset[int],
                            *, name: str,
                            on_empty: Callable[[], None] | None = None) -> Task:
        """Queue `prepare` (which writes a batch to the outbox, or returns None when there is
        nothing to do) and the batch's run as one operation on the writer thread. The rows
        in `ids` show pending from now until it ends; `on_empty` runs if there was nothing
        to do, or the batch ended without writing anything (every call refused or skipped)."""
        self.write_started.emit(ids)
        tagging, cache = self.tagging, self.cache
        halted: list[str] = []      # stopped by what waiting will not fix (a revoked login)

        def work(progress: Callable[[Progress], None], cancel: CancelToken) -> BatchResult | None:
            prepared = prepare()
            if prepared is None:
                return None
            result = tagging.run(prepared[0], progress=progress, cancel=cancel)
            if result.stop_reason and result.pending and result.status != outbox.CANCELLED \
                    and all(b.id != result.batch_id for b in waiting_batches(cache)):
                halted.append(result.stop_reason)
            return result

        def finished(result: BatchResult | None) -> None:
            if result is None:
                self.publish(ChangeSet(relation_ids=ids))   # clears the pending marks
                if on_empty is not None:
                    on_empty()
                return
            self.publish(result.changes)
            if result.pending == 0:     # the rest needed nothing (a toggle's already tagged)
                failed_ids = frozenset(f.relation_id for f in result.failures)
                self.writes_settled.emit(ids - result.changes.relation_ids - failed_ids)
            if result.failures:
                reasons = sorted({in_ui_language(failure.reason) for failure in result.failures})
                self.write_failed.emit("；".join(reasons),
                                       frozenset(f.relation_id for f in result.failures))
            if halted:
                self.write_failed.emit(readable_stop(halted[0], solo=self.solo),
                                       ids - result.changes.relation_ids)
            if halted and (secret_rejected(halted[0]) or ip_not_trusted(halted[0])):
                self._held_for_secret[result.batch_id] = ids
            if halted:
                self.note_refusal(halted[0])
            elif result.api_calls and not result.stop_reason:
                self.wecom_answered()
            if result.applied == 0 and result.pending == 0 and on_empty is not None:
                on_empty()

        def failed(exc: BaseException) -> None:
            self.write_failed.emit(readable(exc, solo=self.solo), ids)
            self.publish(ChangeSet(relation_ids=ids))
            self.note_refusal(exc)

        return self.run_task(work, owner=self, name=name, writer=True, on_result=finished,
                             on_error=failed)

    def use_new_secret(self) -> int:
        """A new app secret or API base is stored and in use
        (`services.secret_check.store_and_use`): the tagging the refused secret or the untrusted
        IP (60020) stopped is sent now, and `secret_replaced` tells the rest (the automatic
        resume, the batch windows). Returns how many batches were sent again."""
        self.secret_is_refused = self.ip_is_refused = False
        sent = self._send_held()
        self.secret_replaced.emit()
        return sent

    def note_refusal(self, failure: BaseException | str) -> None:
        """A call or a batch (its stop reason) failed: a refused app secret or an untrusted IP
        (60020) is told on `secret_refused` or `ip_refused`; anything else changes nothing."""
        if secret_rejected(failure):
            self.secret_refused.emit()
        elif ip_not_trusted(failure):
            self.ip_is_refused = True
            self.ip_refused.emit()

    def wecom_answered(self) -> int:
        """A call to WeCom succeeded (a sync, tagging, a probe, 重试): if it had refused this
        computer's IP, an administrator has added it meanwhile, so the tagging the refusal
        stopped is sent now and `ip_trusted` tells the rest (the status bar, the automatic
        resume, the batch windows). Returns how many batches were sent again."""
        if not self.ip_is_refused:
            return 0
        self.ip_is_refused = False
        sent = self._send_held()
        self.ip_trusted.emit()
        return sent

    def _send_held(self) -> int:
        held, self._held_for_secret = self._held_for_secret, {}
        for batch_id, ids in held.items():
            self.run_batch(batch_id, ids)
        return len(held)

    def _note_secret_refused(self) -> None:
        self.secret_is_refused = True

    def _report_error(self, exc: BaseException) -> None:
        self.status_message.emit(readable(exc, solo=self.solo))


class _BatchCommand:
    """Tagging as one undoable step: redo queues the batch, undo queues its inverse.

    The batch ids are set on the writer thread by the operations themselves; the writer
    runs one operation at a time in order, so an undo queued while the batch is still
    running sees the batch id once its turn comes."""

    def __init__(self, context: AppContext, submit: Callable[[], Prepared | None],
                 ids: frozenset[int], describe: Callable[[], str], description: str) -> None:
        self._describe = describe
        self._label = describe()
        self._description = description or self._label   # as the batch stores it
        self._text = self._label
        self.obsolete = False
        self._context = context
        self._submit: Callable[[], Prepared | None] | None = submit
        self._ids = ids
        self._batch_id: str | None = None
        self._undo_batch: str | None = None
        self._empty = False

    def text(self) -> str:
        return self._text

    def retranslate(self) -> None:
        self._text = self._describe()

    def redo(self) -> None:
        first = self._submit is not None
        self._context.run_batch_operation(self._forward, self._ids, name=f"do {self._label}",
                                          on_empty=self._nothing_to_do if first else None)

    def undo(self) -> None:
        if self._empty:
            return
        self._context.run_batch_operation(self._inverse, self._ids,
                                          name=f"undo {self._label}")

    def _forward(self) -> Prepared | None:
        """Writer thread: the first time the batch itself, later the inverse of the undo."""
        if self._submit is not None:
            submit, self._submit = self._submit, None
            prepared = submit()
            self._batch_id = prepared[0] if prepared else None
            return prepared
        return self._submit_inverse(self._undo_batch or self._batch_id, "redo")

    def _inverse(self) -> Prepared | None:
        """Writer thread: the inverse of the batch, where relations still carry its result."""
        prepared = self._submit_inverse(self._batch_id, "undo")
        if prepared is not None:
            self._undo_batch = prepared[0]
        return prepared

    def _submit_inverse(self, batch_id: str | None, source: str) -> Prepared | None:
        if batch_id is None:
            return None
        tagging = self._context.tagging
        plan, _ = tagging.plan_undo(batch_id)
        if not plan.changes:
            return None
        return (tagging.submit(plan, source=source, reverts=batch_id,
                               description=inverse_description(self._description, source)),
                _relation_ids(plan))

    def _nothing_to_do(self) -> None:
        """The toggle changed nothing (nothing to do, or WeCom took none of it): drop this
        step if it is still the newest one."""
        if self._empty:
            return
        self._empty = True
        self.obsolete = True
        stack = self._context.undo_stack
        if stack.index() == stack.count() and stack.command(stack.count() - 1) is self:
            stack.undo()    # an obsolete step leaves the stack when undone


def _relation_ids(plan: RetagPlan) -> frozenset[int]:
    return frozenset(change.relation_id for change in plan.changes)
