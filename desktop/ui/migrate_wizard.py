"""The migration wizard: sources and target, a preview with calls and ETA, then the run.

The preview is `MigrationService.plan` on a worker thread, redone as the fields change. Run
does the tag-library step (rename, or create the target) on the writer thread, then runs the
moves as one batch in the usual batch progress panel (pause, cancel, retry failed), and
deletes the sources afterwards when asked and every move landed. On a team profile where the
team's rules make that deletion, or the rename (a tag on more customers than the team's
threshold, counted in the cache as the server counts them), an approval request, the preview
says so before Run, and the server's "request #N sent" is told as the migration's news, not
as its failure.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QWidget

from desktop.domain.migration_plan import MigrationPlan, Strategy
from desktop.domain.retag_plan import format_duration
from desktop.services.changes import ChangeSet
from desktop.services.governance import TeamRules
from desktop.services.migration import MigrationService, Started, approval_needed
from desktop.services.tagging import BatchResult
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS
from desktop.ui.i18n import in_ui_language, is_english, list_text, sentences
from desktop.ui.previewed_batch_dialog import PreviewedBatchDialog, error_text
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.tag_dialogs import request_sent


class MigrateDialog(PreviewedBatchDialog):
    """`migrated(ChangeSet)` when the migration is over (sources deleted if asked)."""

    migrated = Signal(object)

    def __init__(self, context: AppContext, source_ids: Sequence[str], target: str = "",
                 parent: QWidget | None = None, rules: TeamRules | None = None) -> None:
        super().__init__(context, parent)
        self.rules = rules      # a team profile's governance, once read
        self.service = MigrationService(context.workspace)
        self.plan: MigrationPlan | None = None
        self.started: Started | None = None
        self.batch_result: BatchResult | None = None
        self.sources = QLineEdit(self._labels(source_ids))
        self.target = QLineEdit(target)
        self.delete_source = QCheckBox()
        self.from_label, self.to_label = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.from_label, self.sources)
        form.addRow(self.to_label, self.target)
        form.addRow(self.delete_source)
        self.lay_out(form)
        for edit in (self.sources, self.target):
            edit.textChanged.connect(lambda _text: self.preview_soon())
        self.delete_source.toggled.connect(lambda _on: self.preview_soon())
        self.panel.batchFinished.connect(self._batch_finished)
        self.resize(620, 360)
        self.texts = retranslate_in_place(self, self.retranslate)
        self.preview()

    def _labels(self, tag_ids: Sequence[str]) -> str:
        labels = self.context.tagging.tag_labels()
        return list_text(labels.get(t, t) for t in tag_ids)

    def migrate(self, source_ids: Sequence[str], target: str) -> None:
        """Plan another migration in this wizard (it has not run one)."""
        self.sources.setText(self._labels(source_ids))
        self.target.setText(target)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Migrate tags"))
        self.intro.setText(self.tr(
            "Moves every customer of the sources onto the target. A single source going into"
            " a new name in its group is renamed: one call, whatever the number of customers."
            " Otherwise each relation gets one call, as one batch you can undo."))
        self.from_label.setText(self.tr("From"))
        self.to_label.setText(self.tr("To"))
        self.sources.setPlaceholderText(self.tr("source tags, separated by 、 or commas"))
        self.target.setPlaceholderText(self.tr("an existing tag, or a new name (group:name)"))
        self.delete_source.setText(self.tr("Delete the sources once every customer is moved"))
        self.run_button.setText(self.tr("Run"))
        self.close_button.setText(self.tr("Close"))

    # -- preview -------------------------------------------------------------------------

    def preview(self) -> None:
        sources = [s.strip() for s in self.sources.text().replace("，", ",").replace("、", ",")
                   .split(",") if s.strip()]
        target, delete = self.target.text().strip(), self.delete_source.isChecked()
        self.run_button.setEnabled(False)
        if not sources or not target:
            self.texts.say(self.preview_text, lambda: self.tr("Name the sources and the target."))
            return
        self.plan_in_background(
            "migration preview",
            lambda: self.service.plan(sources, target, delete_source=delete))

    def plan_text(self, plan: MigrationPlan) -> str:
        eta = format_duration(self.service.estimate_seconds(plan), english=is_english())
        if plan.strategy is Strategy.RENAME:
            text = self.tr("Rename: one call moves all %1 relations.", "",
                           plan.relations).replace("%1", f"{plan.relations:,}")
            request = approval_needed(plan, self.rules)
            if request is not None:
                text = sentences(text, self.tr(
                    "%1. Run sends a request, and nothing changes until an administrator"
                    " approves it.").replace("%1", in_ui_language(request.sentence)))
        else:
            text = (self.tr("Relabel: %1 carry a source; %2 (%3 already carry the target).")
                    .replace("%1", COUNTS.relations(plan.relations))
                    .replace("%2", COUNTS.calls(plan.relabel.api_calls))
                    .replace("%3", f"{plan.already_on_target:,}"))
            if plan.create_target:
                text = sentences(text, self.tr("The target is created first."))
            if approval_needed(plan, self.rules) is not None:   # the sources' deletion
                text = sentences(text, self.tr(
                    "Deleting the sources needs an administrator's approval: once every customer"
                    " is moved a request is sent, and the sources stay until it is approved."))
            elif plan.delete_source:
                text = sentences(text, self.tr("The sources are deleted at the end: a revert"
                                               " can no longer put them back."))
        return sentences(text, self.tr("%1 in all, about %2.").replace(  # 1 API call, not "calls"
            "%1", COUNTS.calls(plan.api_calls)).replace("%2", eta))

    # -- run -----------------------------------------------------------------------------

    def run(self) -> None:
        plan = self.plan
        if plan is None:
            return
        for widget in (self.run_button, self.sources, self.target, self.delete_source):
            widget.setEnabled(False)
        self.context.run_task(lambda _p, _c: self.service.start(plan), owner=self,
                              name="migration", writer=True, on_result=self._started,
                              on_error=self._failed)

    def _started(self, started: Started) -> None:
        self.started = started
        self.context.publish(started.changes)
        if started.batch_id:
            self.panel.setVisible(True)
            self.panel.start(started.batch_id)
        else:
            self._finish(None)

    def _batch_finished(self, result: BatchResult) -> None:
        self._finish(result)

    def _finish(self, result: BatchResult | None) -> None:
        self.batch_result = result
        started = self.started
        if started is None:
            return
        self.context.run_task(lambda _p, _c: self.service.finish(started, result), owner=self,
                              name="migration finish", writer=True, on_result=self._done,
                              on_error=self._failed)

    def _requested(self, exc: BaseException) -> bool:
        """A team's approval request is news, not a failure: the rename a migration makes
        (a tag on more customers than the threshold), or the sources' deletion once every
        customer moved. Says it; False for any other error."""
        if request_sent(exc) is None:
            return False
        self.context.status_message.emit(request_sent(exc) or "")
        self.context.approval_requested.emit()
        started = self.started
        if started is None:
            self.texts.say(self.preview_text, lambda: request_sent(exc) or "")
            return True
        self.texts.say(self.preview_text, lambda: (" " if is_english() else "").join(
            (self.tr("Migration finished."), request_sent(exc) or "")))
        self.migrated.emit(started.changes)
        return True

    def _done(self, changes: ChangeSet) -> None:
        assert self.started is not None
        merged = self.started.changes.merge(changes)
        if changes.tags_changed:
            self.context.publish(changes)
        result = self.batch_result
        if result is not None and (result.failed or result.pending or result.stop_reason):
            self.texts.say(self.preview_text, lambda: self.tr(
                "Not every customer was moved, so the sources were kept; retry or continue the"
                " batch, then migrate again."))
        else:
            self.texts.say(self.preview_text, lambda: self.tr("Migration finished."))
        self.migrated.emit(merged)

    def _failed(self, exc: BaseException) -> None:
        if self._requested(exc):
            return
        self.texts.say(self.preview_text, lambda: error_text(exc))
        for widget in (self.sources, self.target, self.delete_source):
            widget.setEnabled(True)
