"""Running a queued batch in the GUI: progress, pause / resume / cancel, the pilot stop, retries.

`BatchProgressPanel` runs `TaggingService.run` on the writer thread and shows the engine's own
counts, rate and ETA. A batch that is still in its pilot runs only the pilot and then waits for
the person: "continue with the rest" runs the remainder, "cancel" leaves it unsent and marks the
batch cancelled (so it is not offered for resuming). Failures are listed with WeCom's reason;
"retry failed" queues them again once the cause is fixed.

`offer_unfinished_batches` is what the main window calls at start: batches that a crash, a
closed window or a pause left with pending calls are listed, and each can be resumed or
cancelled. Nothing is resumed without the person saying so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.auto_resume import (
    RESUMES_ITSELF,
    RESUMES_WITH_TEAM_SERVER,
    waiting_batches,
)
from desktop.services.changes import ChangeSet
from desktop.services.progress import Progress
from desktop.services.tagging import BatchInfo, BatchResult, calls_per_minute
from desktop.store import outbox
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS, grouped
from desktop.ui.errors import (
    fixed_in_connection_settings,
    ip_not_trusted,
    readable,
    readable_stop,
)
from desktop.ui.i18n import in_ui_language as pick
from desktop.ui.i18n import sentences
from desktop.ui.retranslate import retranslate_in_place

SHOWN_FAILURES = 200


def message_for(exc: BaseException) -> str:
    """One sentence in the UI language."""
    return readable(exc)


class BatchProgressPanel(QWidget):
    """Runs one batch and shows where it stands; embed it in a dialog."""

    pilotFinished = Signal(object)    # BatchResult: the pilot is through, waiting for a person
    batchFinished = Signal(object)    # BatchResult: done, cancelled, or stopped with a reason
    stateChanged = Signal(str)        # running, pilot_done, paused, stopped, done, cancelled
    showRequested = Signal(object)    # frozenset of relation ids: show them in the table
    writesSettled = Signal(object)    # frozenset of relation ids no longer being written

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.batch_id = ""
        self.state = ""
        self.result: BatchResult | None = None
        self._task: Any = None
        self._pause = threading.Event()
        self._in_pilot = False
        self._secret_stop = False      # stopped by what a save in 连接设置… sets right: goes on
        self._ip_stop = False          # stopped by an untrusted IP: goes on once WeCom answers
        self._calls = 0                # API calls and seconds of every run in this panel,
        self._seconds = 0.0            # so the totals line adds up over pilot and rest
        self.touched: frozenset[int] = frozenset()
        self._relation_ids: frozenset[int] = frozenset()
        self.title = QLabel()
        self.bar = QProgressBar()
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.failures = QListWidget()
        self.failures.setVisible(False)
        self.pause_button = QPushButton()
        self.pause_button.setCheckable(True)
        self.continue_button = QPushButton()
        self.cancel_button = QPushButton()
        self.retry_button = QPushButton()
        self.show_button = QPushButton()
        buttons = QHBoxLayout()
        for button in (self.pause_button, self.continue_button, self.retry_button,
                       self.show_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.bar, self.counts, self.message, self.failures):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.pause_button.toggled.connect(self._toggle_pause)
        self.continue_button.clicked.connect(self.continue_rest)
        self.cancel_button.clicked.connect(self.cancel)
        self.retry_button.clicked.connect(self.retry_failed)
        self.show_button.clicked.connect(lambda: self.showRequested.emit(self.touched))
        context.changed.connect(self._batch_changed)
        context.secret_replaced.connect(self._secret_replaced)
        context.ip_trusted.connect(self._ip_trusted)
        self.texts = retranslate_in_place(self, self.retranslate)
        self.texts.say(self.pause_button, lambda: self.tr("Pause"))
        self._show_buttons(running=False)

    def retranslate(self) -> None:
        """The fixed texts; what the batch said last is said again by `texts`."""
        self.cancel_button.setText(self.tr("Cancel batch"))
        self.retry_button.setText(self.tr("Retry failed"))
        self.show_button.setText(self.tr("Show them in the table"))
        self.show_button.setToolTip(self.tr("Filter the customer table to the relations this"
                                            " batch has written so far"))

    # -- actions ----------------------------------------------------------------------------

    def start(self, batch_id: str, relation_ids: frozenset[int] = frozenset()) -> None:
        """Send the batch's pending calls (only the pilot while the batch is in its pilot).
        A batch is a new action: the undone toggles can no longer be redone."""
        self.batch_id = batch_id
        self.context.undo_stack.drop_undone()
        info = self.context.tagging.batch(batch_id)
        self.texts.say(self.title, lambda: self.tr("Batch %1 · %2").replace("%1", batch_id)
                           .replace("%2", pick(info.description) or info.source))
        self._show_progress(info.total - info.pending, info.total)
        if relation_ids:
            self._relation_ids = relation_ids
            self.context.write_started.emit(relation_ids)
        self._run(lambda progress, cancel: self.context.tagging.run(
            batch_id, progress=progress, cancel=cancel, pause=self._pause),
            pilot=info.status == outbox.PILOT)

    def continue_rest(self) -> None:
        """After the pilot (or a stop): send everything still pending."""
        batch_id = self.batch_id
        self._run(lambda progress, cancel: self.context.tagging.run(
            batch_id, progress=progress, cancel=cancel, pause=self._pause), pilot=False)

    def retry_failed(self) -> None:
        batch_id = self.batch_id
        tagging = self.context.tagging

        def work(progress: Callable[[Progress], None], cancel: Any) -> BatchResult:
            tagging.retry_failed(batch_id)
            return tagging.run(batch_id, progress=progress, cancel=cancel, pause=self._pause)

        self._run(work, pilot=False)

    def cancel(self) -> None:
        """Stop sending: a running batch stops after the calls in flight; a waiting one is
        marked cancelled. What was sent stays sent (undo it from the journal)."""
        if self._task is not None and self._task.running:
            self._task.cancel()  # a paused run stays paused: nothing new goes out before the stop
            self.texts.say(self.message,
                           lambda: self.tr("Cancelling after the calls in flight…"))
            return
        cache, batch_id = self.context.cache, self.batch_id
        self.context.run_task(
            lambda _p, _c: outbox.set_status(cache, batch_id, outbox.CANCELLED),
            owner=self, name=f"cancel {batch_id}", writer=True,
            on_result=lambda _r: self._cancelled_while_waiting())

    def set_paused(self, paused: bool) -> None:
        self.pause_button.setChecked(paused)

    @property
    def running(self) -> bool:
        return self._task is not None and self._task.running

    # -- internals --------------------------------------------------------------------------

    def _run(self, work: Callable[[Callable[[Progress], None], Any], BatchResult], *,
             pilot: bool) -> None:
        self._in_pilot = pilot
        self._pause.clear()
        self.pause_button.setChecked(False)
        self.texts.say(self.message,
                       lambda: self.tr("Running the pilot…") if pilot else self.tr("Running…"))
        self._set_state("running")
        self._show_buttons(running=True)
        self._task = self.context.run_task(work, owner=self, name=f"batch {self.batch_id}", writer=True,
                                           on_progress=self._progress, on_result=self._finished,
                                           on_error=self._failed)

    def _toggle_pause(self, paused: bool) -> None:
        if paused:
            self._pause.set()
            self.texts.say(self.pause_button, lambda: self.tr("Resume"))
            self.texts.say(self.message, lambda: self.tr(
                "Paused: calls in flight finish, nothing new is sent."))
            self._set_state("paused")
        else:
            self._pause.clear()
            self.texts.say(self.pause_button, lambda: self.tr("Pause"))
            if self.running:
                self.texts.say(self.message, lambda: self.tr("Running…"))
                self._set_state("running")

    def _progress(self, event: Progress) -> None:
        self._show_progress(event.done, event.total or self.bar.maximum())
        # the engine's counts, rate against the limit and ETA, after any wait (45009, retry)
        self.texts.say(self.counts, lambda: f"{pick(event.waiting)}\n{pick(event.text)}"
                       if event.waiting else pick(event.text))

    def _finished(self, result: BatchResult) -> None:
        self.result = result
        self._calls += result.api_calls
        self._seconds += result.elapsed_s
        self.touched = self.touched | result.changes.relation_ids
        self.context.publish(result.changes)
        self._show_progress(result.planned - result.pending, result.planned)
        self.texts.say(self.counts, lambda: self._counts_text(result))
        self._show_failures(result)
        self._show_buttons(running=False, result=result)
        if result.api_calls and not result.stop_reason:
            self.context.wecom_answered()
        if result.status == outbox.CANCELLED:
            self.texts.say(self.message, lambda: self.tr(
                "Cancelled: %1 calls were not sent.", "", result.pending)
                .replace("%1", f"{result.pending:,}"))
            self._set_state("cancelled")
            self.batchFinished.emit(result)
        elif result.status == outbox.DONE:
            self.texts.say(self.message, lambda: self.tr("Done."))
            self._set_state("done")
            self.batchFinished.emit(result)
        elif result.stop_reason:
            waits = any(b.id == result.batch_id for b in waiting_batches(self.context.cache))
            resumes = (RESUMES_WITH_TEAM_SERVER if self.context.workspace.profile.is_team
                       else RESUMES_ITSELF)

            def stopped() -> str:
                text = self.tr("Stopped: %1 The rest stays queued; continue when the cause is"
                               " fixed.").replace("%1", readable_stop(
                                   result.stop_reason, solo=self.context.solo))
                return sentences(text, pick(resumes)) if waits else text

            self.texts.say(self.message, stopped)
            self._secret_stop = fixed_in_connection_settings(result.stop_reason,
                                                             solo=self.context.solo)
            self._ip_stop = ip_not_trusted(result.stop_reason)
            self._set_state("stopped")
            self.batchFinished.emit(result)
            self.context.note_refusal(result.stop_reason)
        else:
            self.texts.say(self.message, lambda: self.tr(
                "Pilot finished. Check these customers in the table or on the phone, then"
                " continue with the remaining %1 or cancel.").replace("%1", grouped(result.pending)))
            self._set_state("pilot_done")
            self.pilotFinished.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.texts.say(self.message, lambda: readable(exc, solo=self.context.solo))
        self._show_buttons(running=False)
        self.continue_button.setVisible(True)
        self.texts.say(self.continue_button, lambda: self.tr("Try again"))
        self._secret_stop = fixed_in_connection_settings(exc, solo=self.context.solo)
        self._ip_stop = ip_not_trusted(exc)
        self._set_state("stopped")
        self.context.note_refusal(exc)

    def _secret_replaced(self) -> None:
        """A new app secret or API base is in use: a batch the old one stopped goes on by
        itself."""
        if self.state == "stopped" and self._secret_stop and not self.running:
            self._secret_stop = False
            self.continue_rest()

    def _ip_trusted(self) -> None:
        """WeCom answers again after refusing this computer's IP: a batch it stopped goes on by
        itself."""
        if self.state == "stopped" and self._ip_stop and not self.running:
            self._ip_stop = False
            self.continue_rest()

    def _batch_changed(self, changes: ChangeSet) -> None:
        """A stopped batch that the app resumed on its own (or another window finished) is
        shown done here too, instead of still offering to continue it."""
        if self.state != "stopped" or changes.batch_id != self.batch_id or self.running:
            return
        info = self.context.tagging.batch(self.batch_id)
        if info.status != outbox.DONE:
            return
        self._show_progress(info.total - info.pending, info.total)
        self.texts.say(self.counts, lambda: self._info_text(info))
        self.texts.say(self.message, lambda: self.tr("Done."))
        self._show_buttons(running=False)
        self._set_state("done")

    def _cancelled_while_waiting(self) -> None:
        self._show_buttons(running=False)
        self.texts.say(self.message, lambda: self.tr(
            "Cancelled: the remaining calls will not be sent."))
        self._set_state("cancelled")
        info = self.context.tagging.batch(self.batch_id)
        if self.result is not None:
            self.batchFinished.emit(self.result)
        self.texts.say(self.counts, lambda: self._info_text(info))

    def _show_buttons(self, *, running: bool, result: BatchResult | None = None) -> None:
        focus = QApplication.focusWidget()
        had_focus = focus is not None and self.isAncestorOf(focus)
        waiting = result is not None and result.pending > 0 and result.status != outbox.CANCELLED
        self.pause_button.setVisible(running)
        self.continue_button.setVisible(waiting)
        self.texts.say(self.continue_button, lambda: self.tr("Continue with the rest"))
        self.cancel_button.setVisible(running or waiting)
        self.retry_button.setVisible(not running and result is not None and result.failed > 0)
        self.show_button.setVisible(not running and bool(self.touched))
        if had_focus:
            self.focus_next_step()

    def focus_next_step(self) -> None:
        """The keyboard focus on the button pressed next: continue after a pilot, show the
        rows when done, else pause (a hidden button would hand it to the window's first box,
        or a pilot's size that a digit typed would change)."""
        for button in (self.continue_button, self.show_button, self.retry_button,
                       self.pause_button, self.cancel_button):
            if button.isVisibleTo(self) and button.isEnabled():
                button.setFocus()
                return

    def _show_failures(self, result: BatchResult) -> None:
        self.failures.clear()
        for failure in result.failures[:SHOWN_FAILURES]:
            item = QListWidgetItem(f"{failure.external_userid} ({failure.userid}):"
                                   f" {pick(failure.reason)}")
            item.setToolTip(failure.reason)
            self.failures.addItem(item)
        self.failures.setVisible(bool(result.failures))

    def _counts_text(self, result: BatchResult) -> str:
        """The whole batch: counts, and the calls and time of every run shown here (pilot
        and rest together), with the rate measured the way the profile's limit is."""
        limit = self.context.workspace.call_budget(ask=False)[0]
        return (self.tr("%1 of %2 applied · %3 failed · %4 skipped · %5 pending · %6"
                        " in %7 s (%8 of %9 calls/min)")
                .replace("%1", grouped(result.applied)).replace("%2", grouped(result.planned))
                .replace("%3", grouped(result.failed)).replace("%4", grouped(result.skipped))
                .replace("%5", grouped(result.pending)).replace("%6", COUNTS.calls(self._calls))
                .replace("%7", f"{self._seconds:.1f}")
                .replace("%8", grouped(calls_per_minute(self._calls, self._seconds)))
                .replace("%9", grouped(limit)))

    def _show_progress(self, done: int, total: int) -> None:
        """The bar reads "1,250 / 5,249": numbers with separators, like every count here."""
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.bar.setFormat(f"{grouped(done)} / {grouped(total)}")

    def _info_text(self, info: BatchInfo) -> str:
        return (self.tr("%1 of %2 applied · %3 failed · %4 not sent")
                .replace("%1", grouped(info.applied)).replace("%2", grouped(info.total))
                .replace("%3", grouped(info.failed)).replace("%4", grouped(info.pending)))

    def hideEvent(self, event: QHideEvent) -> None:
        """Its window closed on a pilot that waits: the status bar says where to go on."""
        super().hideEvent(event)
        result = self.result
        if self.state == "pilot_done" and result is not None and not event.spontaneous():
            self.context.status_message.emit(
                self.tr("Batch %1 waits after its pilot: %2 not sent yet. Tags → Unfinished"
                        " batches… continues or cancels it.")
                .replace("%1", self.batch_id).replace("%2", COUNTS.calls(result.pending)))

    def _set_state(self, state: str) -> None:
        self.state = state
        if state in ("done", "cancelled", "stopped"):   # the rows it did not write: not pending
            self.writesSettled.emit(self._relation_ids - self.touched)
        self.stateChanged.emit(state)


class BatchProgressDialog(QDialog):
    """A batch's progress in its own window (resuming an unfinished batch)."""

    def __init__(self, context: AppContext, batch_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.panel = BatchProgressPanel(context, self)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(560, 320)
        retranslate_in_place(self, self.retranslate)
        self.panel.start(batch_id)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Tag batch"))
        self.close_button.setText(self.tr("Close"))


class UnfinishedBatchesDialog(QDialog):
    """Batches with calls still pending: resume one, or cancel it for good."""

    def __init__(self, context: AppContext, batches: list[BatchInfo],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.progress_dialogs: list[BatchProgressDialog] = []
        self.batches = {info.id: info for info in batches}
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)         # a long description wraps instead of being cut
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        for info in batches:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.resume_button = QPushButton()
        self.cancel_batch_button = QPushButton()
        self.later_button = later = QPushButton()
        buttons = QHBoxLayout()
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.cancel_batch_button)
        buttons.addStretch(1)
        buttons.addWidget(later)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.resume_button.clicked.connect(self.resume_selected)
        self.cancel_batch_button.clicked.connect(self.cancel_selected)
        later.clicked.connect(self.close)
        retranslate_in_place(self, self.retranslate)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Unfinished tag batches"))
        self.intro.setText(self.tr(
            "These batches stopped before all their calls were sent (the app was closed, the"
            " pilot is waiting, or the team server could not be reached for a while). Resume"
            " sends exactly the calls still pending.") if self.context.workspace.profile.is_team
            else self.tr(
            "These batches stopped before all their calls were sent (the app was closed, the"
            " pilot is waiting, or WeCom refused for a while). Resume sends exactly the calls"
            " still pending."))
        for row in range(self.list.count()):
            item = self.list.item(row)
            info = self.batches[str(item.data(Qt.ItemDataRole.UserRole))]
            counts = (self.tr("%1 pending · %2 applied · %3 failed")
                      .replace("%1", grouped(info.pending)).replace("%2", grouped(info.applied))
                      .replace("%3", grouped(info.failed)))
            # the counts on a line of their own: a long description wraps above them
            item.setText(f"{info.id} · {pick(info.description) or info.source}\n{counts}")
        self.resume_button.setText(self.tr("Resume"))
        self.cancel_batch_button.setText(self.tr("Cancel batch"))
        self.later_button.setText(self.tr("Later"))

    def selected_batch(self) -> str:
        item = self.list.currentItem()
        return "" if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def resume_selected(self) -> BatchProgressDialog | None:
        batch_id = self.selected_batch()
        if not batch_id:
            return None
        self.list.takeItem(self.list.currentRow())
        dialog = BatchProgressDialog(self.context, batch_id, self.parentWidget())
        self.progress_dialogs.append(dialog)
        dialog.show()
        if not self.list.count():
            self.close()
        return dialog

    def cancel_selected(self) -> None:
        batch_id = self.selected_batch()
        if not batch_id:
            return
        self.list.takeItem(self.list.currentRow())
        cache, info, context = self.context.cache, self.batches[batch_id], self.context
        said = (self.tr("Batch %1 cancelled: %2 will not be sent; what was applied stays (the"
                        " audit log can revert it).")
                .replace("%1", batch_id).replace("%2", COUNTS.calls(info.pending)))
        context.run_task(lambda _p, _c: outbox.set_status(cache, batch_id, outbox.CANCELLED),
                         owner=context, name=f"cancel {batch_id}", writer=True,
                         on_result=lambda _r: context.status_message.emit(said))
        if not self.list.count():
            self.close()


def offer_unfinished_batches(context: AppContext,
                             parent: QWidget | None = None) -> UnfinishedBatchesDialog | None:
    """At start: show the unfinished batches (if any) and let the person resume them."""
    batches = context.tagging.unfinished_batches()
    if not batches:
        return None
    dialog = UnfinishedBatchesDialog(context, batches, parent)
    dialog.show()
    return dialog
