"""Adopting a console-made tag group: the twin group's name, a preview, then the run.

The preview is `AdoptionService.plan` on a worker thread, redone as the name changes. Run makes
the twin group on the writer thread, then moves the customers as one batch in the usual batch
progress panel (pause, cancel, retry failed), and finally hands the abbreviations over. The old
group stays: the dialog says that an admin deletes it in the admin console.

On a team profile, when the server refuses this user the twin group, the adoption is sent to
the administrators as an approval request instead, and the dialog shows the server's sentence.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from desktop.domain.adoption_plan import adopted_group_name
from desktop.domain.retag_plan import format_duration
from desktop.services import governance
from desktop.services.adoption import AdoptionPlan, AdoptionService
from desktop.services.changes import ChangeSet
from desktop.services.tagging import BatchResult
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS, grouped
from desktop.ui.i18n import in_ui_language, is_english, sentences
from desktop.ui.previewed_batch_dialog import PreviewedBatchDialog, error_text
from desktop.ui.retranslate import retranslate_in_place
from desktop.wecom.error_codes import TEAM_NOT_ALLOWED
from desktop.wecom.errors import WeComError


class AdoptDialog(PreviewedBatchDialog):
    """`adopted(ChangeSet)` once every customer is on the twin group."""

    adopted = Signal(object)
    requested = Signal(int)        # team profiles: the approval request's id

    def __init__(self, context: AppContext, group_id: str, group_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.service = AdoptionService(context.workspace)
        self.group_id = group_id
        self.group_name = group_name
        self.plan: AdoptionPlan | None = None
        self.changes = ChangeSet()
        self.new_name = QLineEdit(adopted_group_name(group_name))
        self.new_name.setPlaceholderText(adopted_group_name(group_name))   # used when empty
        self.name_label = QLabel()
        self.reason = QLineEdit()              # team profiles: for an approval request
        self.reason_label = QLabel()
        form = QFormLayout()
        form.addRow(self.name_label, self.new_name)
        if context.workspace.profile.is_team:
            form.addRow(self.reason_label, self.reason)
        self.lay_out(form)
        self.new_name.textChanged.connect(lambda _text: self.preview_soon())
        self.panel.batchFinished.connect(self._finish)
        self.resize(620, 320)
        self.texts = retranslate_in_place(self, self.retranslate)
        self.preview()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Adopt tag group"))
        self.intro.setText(self.tr(
            "WeCom lets only the app that created a group change it. Adopting re-creates the"
            " group \"%1\" under TagDesk's app with the same tags, and moves every customer onto"
            " them as one batch you can undo. WeCom keeps group names unique, so the new group"
            " needs another name while the old one exists.").replace("%1", self.group_name))
        self.name_label.setText(self.tr("New group"))
        self.reason_label.setText(self.tr("Why"))
        self.reason.setPlaceholderText(self.tr(
            "For the administrators, when the adoption needs their approval"))
        self.run_button.setText(self.tr("Adopt"))
        self.close_button.setText(self.tr("Close"))

    # -- preview -------------------------------------------------------------------------

    def preview(self) -> None:
        group_id, name = self.group_id, self.new_name.text().strip()
        self.plan_in_background("adoption preview",
                                lambda: self.service.plan(group_id, new_name=name))

    def plan_text(self, plan: AdoptionPlan) -> str:
        text = (self.tr("%1 (%2 to create), %3 carry them: %4 in all, about %5.")
                .replace("%1", COUNTS.tags(len(plan.tags)))
                .replace("%2", grouped(len(plan.missing)))
                .replace("%3", COUNTS.relations(plan.relations))
                .replace("%4", COUNTS.calls(plan.api_calls))
                .replace("%5", format_duration(self.service.estimate_seconds(plan),
                                                  english=is_english())))
        if not plan.known_read_only:
            text = sentences(text, self.tr("WeCom has not refused an edit of this group yet; if this app"
                                  " owns it, edit it directly instead."))
        return text

    # -- run -----------------------------------------------------------------------------

    def run(self) -> None:
        plan = self.plan
        if plan is None:
            return
        self.run_button.setEnabled(False)
        self.new_name.setEnabled(False)
        self.context.run_task(lambda _p, _c: self.service.start(plan), owner=self,
                              name="adoption", writer=True, on_result=self._started,
                              on_error=self._failed)

    def _started(self, started: tuple[AdoptionPlan, str, ChangeSet]) -> None:
        self.plan, batch_id, self.changes = started
        self.context.publish(self.changes)
        if batch_id:
            self.panel.setVisible(True)
            self.panel.start(batch_id)
        else:
            self._finish(None)

    def _finish(self, result: BatchResult | None) -> None:
        plan = self.plan
        if plan is None:
            return
        if result is not None and (result.failed or result.pending or result.stop_reason):
            self.texts.say(self.preview_text, lambda: self.tr(
                "Not every customer was moved; retry or continue the batch, then adopt again."))
            return
        self.context.run_task(lambda _p, _c: self.service.finish(plan, result), owner=self,
                              name="adoption finish", writer=True, on_result=self._done,
                              on_error=self._failed)

    def _done(self, changes: ChangeSet) -> None:
        self.context.publish(changes)
        plan = self.plan
        assert plan is not None
        self.texts.say(self.preview_text, lambda: self.tr(
            "Adopted: every customer is on \"%1\". An admin deletes the old group \"%2\" in the"
            " WeCom admin console; then the new group can be renamed back.")
            .replace("%1", plan.twin_group_name).replace("%2", plan.group_name))
        self.adopted.emit(self.changes.merge(changes))

    def _failed(self, exc: BaseException) -> None:
        plan, profile = self.plan, self.context.workspace.profile
        reason = self.reason.text().strip()
        if (plan is not None and profile.is_team and isinstance(exc, WeComError)
                and exc.errcode == TEAM_NOT_ALLOWED):
            self.context.run_task(
                lambda _p, _c: governance.request_adoption(profile, plan.group_id,
                                                           plan.twin_group_name, reason),
                owner=self, name="adoption request", on_result=self._requested,
                on_error=self._request_failed)
            return
        self._request_failed(exc)

    def _requested(self, asked: dict[str, object]) -> None:
        sentence = str(asked.get("sentence", ""))
        self.texts.say(self.preview_text, lambda: in_ui_language(sentence))
        self.context.approval_requested.emit()
        self.requested.emit(int(str(asked.get("approval_id", 0))))

    def _request_failed(self, exc: BaseException) -> None:
        self.texts.say(self.preview_text, lambda: error_text(exc))
        self.new_name.setEnabled(True)
        self.run_button.setEnabled(self.plan is not None)
