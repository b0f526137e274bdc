"""Rules: 标签 → 规则…. The rules kept for this profile, made or edited in the rule editor
(New, Edit or a double-click, Duplicate) or added from a JSON file, enabled, disabled or
removed; a simulation lists who would change and why (and any contradiction or loop between
rules); the run queues one batch (source `rule`), sent below with the usual progress, pause
and cancel, and revertible like any other batch.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.rule_draft import RuleDraft, read_condition, summary
from desktop.services.changes import ChangeSet
from desktop.services.rules import KeptRule, RulesService, Simulation
from desktop.store import members
from desktop.ui.batch_progress import BatchProgressPanel
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS
from desktop.ui.errors import readable
from desktop.ui.file_dialogs import ask_path
from desktop.ui.i18n import is_english
from desktop.ui.pilot_box import PilotBox
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.rule_editor import RuleEditor, change_item, new_rule

NAME_ROLE = Qt.ItemDataRole.UserRole + 1
SHOWN_CHANGES = 500
# the kept rules, the team server's last run, and the members' names (team profiles)
_Loaded = tuple[list[KeptRule], dict[str, Any] | None, dict[str, str]]


class RulesDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rulesDialog")
        self.context = context
        self.service = RulesService(context.workspace)
        self.kept: list[KeptRule] = []
        self._names: dict[str, str] = {}     # userid → name, for the owners of team rules
        self.simulation: Simulation | None = None
        self.editor: RuleEditor | None = None
        self.resize(900, 620)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.server_run = QLabel()  # a team profile: the server's last scheduled run
        self.server_run.setWordWrap(True)
        self.server_run.setVisible(False)
        self.rules = QTreeWidget()
        self.rules.setRootIsDecorated(False)
        self.rules.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rules.header().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.rules.setSortingEnabled(True)
        self.rules.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.team = context.workspace.profile.is_team  # owner and department columns
        self.changes = QTreeWidget()
        self.changes.setAlternatingRowColors(True)
        self.changes.setRootIsDecorated(False)
        self.changes.header().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.rules)
        splitter.addWidget(self.changes)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.new_button, self.edit_button, self.duplicate_button = (
            QPushButton(), QPushButton(), QPushButton())
        self.add_button, self.toggle_button, self.remove_button = (
            QPushButton(), QPushButton(), QPushButton())
        self.simulate_button, self.run_button = QPushButton(), QPushButton()
        self.run_button.setEnabled(False)
        # two rows, editing the rules above running them: the window gets down to 800 px
        buttons, running = QHBoxLayout(), QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.duplicate_button,
                       self.add_button, self.toggle_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.pilot = PilotBox(context.workspace.profile.pilot_size, self)
        for widget in (self.simulate_button, self.pilot.label, self.pilot, self.run_button):
            running.addWidget(widget)
        running.addStretch(1)
        self.panel = BatchProgressPanel(context, self)
        self.panel.setVisible(False)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        close_button = close.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.server_run)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        layout.addLayout(running)
        layout.addWidget(self.summary)
        layout.addWidget(self.panel)
        layout.addWidget(close)
        # Tab as the eye reads the running row, then Close; the pilot box was made first
        for before, after in ((self.simulate_button, self.pilot), (self.pilot, self.run_button),
                              (self.run_button, close_button)):
            QWidget.setTabOrder(before, after)
        self.new_button.clicked.connect(lambda: self.open_editor(
            new_rule(enabled=not context.workspace.profile.is_team)))
        self.edit_button.clicked.connect(self.edit_selected)
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.rules.itemDoubleClicked.connect(lambda _item, _column: self.edit_selected())
        self.add_button.clicked.connect(self.add_from_file)
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.simulate_button.clicked.connect(self.simulate)
        self.run_button.clicked.connect(self.run)
        self.panel.batchFinished.connect(lambda _result: self.simulate())
        self.texts = retranslate_in_place(self, self.retranslate)
        self._update_buttons()
        self.reload()
        self.rules.setFocus()  # the arrow keys walk the rules; no key lands in the pilot's size

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Rules"))
        self.intro.setText(self.tr(
            "A rule adds or removes tags when its conditions hold. Make one with New, edit it"
            " with a double-click, add rules from a JSON file (the format is in the README,"
            " \"Rules and automation\") or a whole set with Tags → Scene templates…; simulate"
            " first, then run them as one batch that can be undone."))
        self.rules.setHeaderLabels([self.tr("Rule"), self.tr("Enabled"), self.tr("When"),
                                    self.tr("Then")]
                                   + ([self.tr("Owner"), self.tr("Department")] if self.team
                                      else []))
        self.changes.setHeaderLabels([self.tr("Customer"), self.tr("Owner"), self.tr("Change"),
                                      self.tr("Why")])
        self.new_button.setText(self.tr("New…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.duplicate_button.setText(self.tr("Duplicate…"))
        self.add_button.setText(self.tr("Add from file…"))
        self.toggle_button.setText(self.tr("Enable / disable"))
        self.remove_button.setText(self.tr("Remove"))
        self.simulate_button.setText(self.tr("Simulate"))
        self.run_button.setText(self.tr("Run…"))
        self._fill(self.kept)
        if self.simulation is not None:
            self._fill_changes(self.simulation)

    # -- the rules -------------------------------------------------------------------------

    def reload(self) -> None:
        service, team, cache = self.service, self.team, self.context.cache

        def work(_progress: Any, _cancel: Any) -> _Loaded:
            return (service.kept(), service.server_last_run() if team else None,
                    members.member_names(cache) if team else {})

        self.context.run_task(work, owner=self, name="rules", on_result=self._loaded,
                              on_error=self._failed)

    def _loaded(self, found: _Loaded) -> None:
        kept, last_run, self._names = found
        self._fill(kept)
        if self.team:
            self.server_run.setVisible(True)
            self.texts.say(self.server_run, lambda: self._server_run_text(last_run))

    def _server_run_text(self, run: dict[str, Any] | None) -> str:
        if run is None:
            return self.tr("The team server runs the enabled team rules on a schedule; it has"
                           " not run them yet.")
        last = (self.tr("Last run on the team server: %1 · %2 changed, %3 failed,"
                        " %4 contested, %5 skipped.")
                .replace("%1", datetime.fromtimestamp(run["finished_at"]).strftime(
                    "%Y-%m-%d %H:%M")).replace("%2", COUNTS.relations(int(run["applied"])))
                .replace("%3", f"{int(run['failed']):,}")
                .replace("%4", f"{int(run['contested']):,}")
                .replace("%5", COUNTS.rules(len(run["skipped"]))))
        if run.get("running_now"):
            now = self.tr("The team server is running the team rules now.")
            return f"{last} {now}"
        return last

    def _fill(self, kept: list[KeptRule]) -> None:
        self.kept = list(kept)
        current = self.selected_name()
        self.rules.clear()
        for rule in self.kept:
            then = rule.rule.then
            action = " ".join([f"+{t.text}" for t in then.add] + [f"-{t.text}" for t in then.remove])
            expires = _expires_of(rule.definition)
            if expires:
                action += " · " + self.tr("expires after %1").replace("%1", expires)
            if rule.reverted_left_alone:
                action += " · " + self.tr("%1 reverted relations left alone", "",
                                          rule.reverted_left_alone).replace(
                    "%1", f"{rule.reverted_left_alone:,}")
            owner = self._names.get(rule.owner) or rule.owner
            team = [owner, rule.department or self.tr("Whole corp")] if self.team else []
            item = QTreeWidgetItem([rule.rule.name, "✓" if rule.rule.enabled else "",
                                    _condition_text(rule.definition), action, *team])
            if self.team:
                item.setToolTip(4, rule.owner)
            if rule.reverted_left_alone:
                item.setToolTip(3, self.tr(
                    "A revert undid this rule's change on these relations: rule runs leave it"
                    " alone until every rule that made it is edited."))
            item.setData(0, NAME_ROLE, rule.rule.name)
            self.rules.addTopLevelItem(item)
            if rule.rule.name == current:
                self.rules.setCurrentItem(item)
        for column in range(self.rules.columnCount() - 1):
            self.rules.resizeColumnToContents(column)
        self._update_buttons()

    def _update_buttons(self) -> None:
        """Edit, enable / disable and remove only on a selected rule this user may change (on
        a team profile the server says which; the others are shown read-only); duplicate on
        any selected rule; simulate once there is a rule."""
        kept = self._selected()
        read_only = kept is not None and not kept.editable
        tip = self.tr("Read-only: only an administrator or the head of its department may"
                      " change this rule.") if read_only else ""
        for button in (self.edit_button, self.toggle_button, self.remove_button):
            button.setEnabled(kept is not None and kept.editable)
            button.setToolTip(tip)
        self.duplicate_button.setEnabled(kept is not None)
        self.simulate_button.setEnabled(self.rules.topLevelItemCount() > 0)

    def selected_name(self) -> str | None:
        item = self.rules.currentItem()
        return None if item is None else str(item.data(0, NAME_ROLE))

    def edit_selected(self) -> None:
        kept = self._selected()
        if kept is not None:
            self.open_editor(RuleDraft.read(kept.definition), replacing=kept.rule.name,
                             home=(kept.department, kept.visibility))

    def duplicate_selected(self) -> None:
        kept = self._selected()
        if kept is not None:
            draft = RuleDraft.read(kept.definition)
            taken = {k.rule.name for k in self.kept}
            draft.name = next(name for n in range(1, len(taken) + 2)
                              if (name := self.tr("%1 (copy %2)").replace("%1", draft.name)
                                  .replace("%2", str(n))) not in taken)
            self.open_editor(draft)

    def open_editor(self, draft: RuleDraft, replacing: str | None = None,
                    home: tuple[str, str] = ("", "")) -> RuleEditor:
        """The rule editor on `draft` (window-modal); the list reloads once it saved."""
        editor = RuleEditor(self.context, draft, replacing, self, home)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(lambda _name: self.reload())
        self.editor = editor
        editor.open()
        return editor

    def _selected(self) -> KeptRule | None:
        name = self.selected_name()
        return next((k for k in self.kept if k.rule.name == name), None)

    def add_from_file(self) -> None:
        path = ask_path(self, self.tr("Add rules"), self.tr("Rule files (*.json)"), save=False)
        if path is not None:
            self.add_file(path)

    def add_file(self, path: Path) -> None:
        service = self.service
        self._write(lambda: service.add(service.read_file(path)), "add rules")

    def toggle_selected(self) -> None:
        name = self.selected_name()
        rule = next((k.rule for k in self.kept if k.rule.name == name), None)
        if rule is not None:
            service = self.service
            self._write(lambda: service.set_enabled(rule.name, not rule.enabled), "toggle rule")

    def remove_selected(self) -> None:
        """Remove the selected rule once the user confirms (a removal cannot be undone)."""
        name = self.selected_name()
        if name is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Remove rule"),
            self.tr("Remove the rule 「%1」? Its conditions and actions are not kept; tags it"
                    " already set stay.").replace("%1", name))
        if answer == QMessageBox.StandardButton.Yes:
            service = self.service
            self._write(lambda: service.remove(name), "remove rule")

    def _write(self, change: Any, name: str) -> None:
        def work(_progress: Any, _cancel: Any) -> None:
            change()

        self.context.run_operation(work, owner=self, name=name,
                                   on_success=lambda _changes: self.reload(),
                                   on_failure=self._failed)

    # -- simulation and run ------------------------------------------------------------------

    def simulate(self) -> None:
        self.run_button.setEnabled(False)
        service = self.service
        self.context.run_task(lambda _p, _c: service.simulate(), owner=self,
                              name="rules simulation", on_result=self._simulated,
                              on_error=self._failed)

    def _simulated(self, simulation: Simulation) -> None:
        self.simulation = simulation
        evaluation = simulation.evaluation
        self._fill_changes(simulation)
        contested = len(evaluation.contradictions) + len(evaluation.loops)
        self.texts.say(self.summary, lambda: self._summary_text(simulation))
        self.run_button.setEnabled(bool(evaluation.outcomes) and not contested)

    def _fill_changes(self, simulation: Simulation) -> None:
        """Who would change and why, in the UI language, owners by name."""
        self.changes.setSortingEnabled(False)
        self.changes.clear()
        for outcome in simulation.evaluation.outcomes[:SHOWN_CHANGES]:
            self.changes.addTopLevelItem(change_item(outcome, simulation))
        for column in range(self.changes.columnCount() - 1):
            self.changes.resizeColumnToContents(column)
        self.changes.setSortingEnabled(True)

    def _summary_text(self, simulation: Simulation) -> str:
        evaluation, labels = simulation.evaluation, simulation.labels
        lines = [self.tr("%1 of %2 would change (%3).")
                 .replace("%1", f"{len(evaluation.outcomes):,}")
                 .replace("%2", COUNTS.relations(simulation.relations))
                 .replace("%3", COUNTS.calls(evaluation.api_calls))]
        for c in evaluation.contradictions:
            lines.append(self.tr("Contradiction: 「%1」 adds %2, 「%3」 removes it (%4"
                                 " left alone).").replace("%1", c.adding)
                         .replace("%2", labels.get(c.tag_id, c.tag_id)).replace("%3", c.removing)
                         .replace("%4", COUNTS.relations(c.relations)))
        for loop in evaluation.loops:
            lines.append(self.tr("Loop: %1 undo each other (%2 left alone).")
                         .replace("%1", " ⇄ ".join(loop.rules))
                         .replace("%2", COUNTS.relations(loop.relations)))
        if evaluation.left_alone:
            lines.append(self.tr("%1 reverted changes left alone: they stay reverted until"
                                 " every rule that made them is edited.", "",
                                 evaluation.left_alone)
                         .replace("%1", f"{evaluation.left_alone:,}"))
        lines.extend(simulation.warnings)
        return "\n".join(lines)

    def run(self) -> None:
        simulation = self.simulation
        if simulation is None:
            return
        self.run_button.setEnabled(False)
        service = self.service
        relation_ids = frozenset(o.subject.relation_id for o in simulation.evaluation.outcomes)
        pilot = self.pilot.value()

        def work(_progress: Any, _cancel: Any) -> ChangeSet:
            batch_id = service.submit(simulation, service.plan(simulation), pilot_size=pilot)
            return ChangeSet(batch_id=batch_id)

        def queued(changes: ChangeSet | None) -> None:
            if changes is not None and changes.batch_id:
                self.panel.setVisible(True)
                self.panel.start(changes.batch_id, relation_ids)

        self.context.run_operation(work, owner=self, name="run rules", on_success=queued,
                                   on_failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.texts.say(self.summary, lambda: readable(exc))


def _expires_of(definition: dict[str, object]) -> str:
    """The rule's expiry as its author wrote it ("30d", "12h"), or ""."""
    then = definition.get("then")
    return str(then.get("expires") or "") if isinstance(then, dict) else ""


def _condition_text(definition: Mapping[str, Any]) -> str:
    """The rule's condition with the editor's labels in the UI language."""
    return summary(read_condition(definition.get("when")), is_english())
