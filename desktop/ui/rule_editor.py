"""The rule editor (规则 → 新建 / 编辑 / 复制): a rule as a form and as its JSON, both editable.

The form: name, description, enabled; the condition tree (`rule_condition_tree.py`); the
action: tags to add and remove (typed with the tag search's pinyin type-ahead), replace
within group, an expiry (a number and 天 / 小时 / 周). Every edit is checked at once by the
rule format: its sentence, naming the bad field's path, shows under that part of the form
(and the row it points into turns red), and Save stays disabled until the rule is valid.
The JSON tab shows exactly what is saved; editing it fills the form. Save (Ctrl+S) keeps
the rule, replacing the one it was opened on (renamed if the name changed); Esc cancels.
Simulate shows who this rule alone would change, before it is kept.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import UserError
from desktop.domain.rule_draft import (
    UNITS,
    Group,
    RuleDraft,
    blank_leaf,
    dumps,
    place_text,
    reasons_text,
)
from desktop.domain.rule_format import MAX_EXPIRY_DAYS, RuleFormatError, read_rules_text
from desktop.domain.rules import RelationOutcome
from desktop.domain.sort_key import person_sort_key
from desktop.domain.tags import TagInfo
from desktop.services.changes import ChangeSet
from desktop.services.rules import RulesService, Simulation
from desktop.services.tag_admin import TagAdminService
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS
from desktop.ui.errors import readable
from desktop.ui.i18n import is_english
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.rule_condition_tree import ConditionTree
from desktop.ui.rule_values import TagListEdit, TagLookup
from desktop.ui.sortable_tree import SORT_ROLE, SortableItem, sort_on_header_click
from desktop.ui.tag_dialogs import pick

ROOT = "rule"
SHOWN_CHANGES = 200
ERROR_STYLE = "color: #b00020"
HINT_STYLE = "color: #8a8f98"


def new_rule(*, enabled: bool = True) -> RuleDraft:
    """A blank rule; a team profile's starts disabled, since the team server runs every enabled
    team rule on its schedule, writing to WeCom with no pilot: it is simulated, then enabled."""
    return RuleDraft(enabled=enabled, when=Group("all", [blank_leaf()]))


def change_item(outcome: RelationOutcome, simulation: Simulation) -> SortableItem:
    """A simulated relation's row: customer, owner by name, change, and why in the UI
    language; the customer and the owner sort by pinyin, as names do in the customer table."""
    labels, subject = simulation.labels, outcome.subject
    change = " ".join([f"+{labels.get(t, t)}" for t in outcome.add]
                      + [f"-{labels.get(t, t)}" for t in outcome.remove])
    customer = subject.name or subject.external_userid
    owner = simulation.owners.get(subject.userid) or subject.userid
    item = SortableItem([customer, owner, change, reasons_text(outcome.reasons, is_english())])
    item.setData(0, SORT_ROLE, person_sort_key(customer))
    item.setData(1, SORT_ROLE, person_sort_key(owner))
    return item


class RuleEditor(QDialog):
    saved = Signal(str)          # the rule's name, once kept

    def __init__(self, context: AppContext, draft: RuleDraft, replacing: str | None = None,
                 parent: QWidget | None = None, home: tuple[str, str] = ("", "")) -> None:
        """`home`: a team rule's department and visibility as kept (empty for a new one)."""
        super().__init__(parent)
        self.home = home
        self.setObjectName("ruleEditor")
        self.context = context
        self.service = RulesService(context.workspace)
        self.replacing = replacing
        self.problem: UserError | None = None
        self._filling = False
        self.lookup = TagLookup()
        self.resize(1000, 720)
        self._build()
        self.texts = retranslate_in_place(self, self.retranslate)
        self.fill(draft)
        self._load_tags()
        self._load_departments()

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.name = QLineEdit()
        self.description = QLineEdit()
        self.enabled = QCheckBox()
        self.name_error, self.when_error, self.then_error, self.json_error, self.status = (
            _error_label(), _error_label(), _error_label(), _error_label(), QLabel())
        self.status.setWordWrap(True)
        self.conditions = ConditionTree(self.lookup)
        self.add_tags, self.remove_tags = TagListEdit(self.lookup), TagListEdit(self.lookup)
        self.replace_group = QCheckBox()
        self.expires = QSpinBox()
        self.expires.setRange(0, MAX_EXPIRY_DAYS * 24)
        self.unit = QComboBox()
        for unit in UNITS:
            self.unit.addItem("", unit)
        form = QWidget()
        fields = QFormLayout(form)
        self.name_label, self.description_label = QLabel(), QLabel()
        self.when_label, self.add_label, self.remove_label = QLabel(), QLabel(), QLabel()
        self.expires_label = QLabel()
        fields.addRow(self.name_label, self.name)
        fields.addRow("", self.name_error)
        fields.addRow(self.description_label, self.description)
        fields.addRow("", self.enabled)
        self.department, self.visibility = QComboBox(), QComboBox()
        self.department_label, self.visibility_label = QLabel(), QLabel()
        if self.context.workspace.profile.is_team:
            fields.addRow(self.department_label, self.department)
            fields.addRow(self.visibility_label, self.visibility)
        fields.addRow(self.when_label, self.conditions)
        fields.addRow("", self.when_error)
        fields.addRow(self.add_label, self.add_tags)
        fields.addRow(self.remove_label, self.remove_tags)
        fields.addRow("", self.replace_group)
        expiry = QHBoxLayout()
        expiry.addWidget(self.expires)
        expiry.addWidget(self.unit)
        expiry.addStretch(1)
        fields.addRow(self.expires_label, expiry)
        fields.addRow("", self.then_error)
        self.json = QPlainTextEdit()
        self.json.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        json_page = QWidget()
        json_layout = QVBoxLayout(json_page)
        json_layout.addWidget(self.json, 1)
        json_layout.addWidget(self.json_error)
        scroll = QScrollArea()     # a short screen gives the simulation's rows the room
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(form)
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, "")
        self.tabs.addTab(json_page, "")
        self.changes = QTreeWidget()
        self.changes.setRootIsDecorated(False)
        self.changes.setVisible(False)
        sort_on_header_click(self.changes)       # as the Rules window's changes
        self.simulate_button, self.save_button, self.cancel_button = (
            QPushButton(), QPushButton(), QPushButton())
        buttons = QHBoxLayout()
        buttons.addWidget(self.simulate_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        self.split = QSplitter(Qt.Orientation.Vertical)   # the rule above, who it changes below
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(self.tabs)
        self.split.addWidget(self.changes)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        for signal in (self.name.textChanged, self.description.textChanged,
                       self.enabled.toggled, self.conditions.changed, self.add_tags.textChanged,
                       self.remove_tags.textChanged, self.replace_group.toggled,
                       self.expires.valueChanged, self.unit.currentIndexChanged):
            signal.connect(self._form_changed)
        self.json.textChanged.connect(self._json_changed)
        self.simulate_button.clicked.connect(self.simulate)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)     # Enter in a field presses nothing; Ctrl+S saves

    def retranslate(self) -> None:
        replacing = self.replacing
        self.setWindowTitle(self.tr("Rule: %1").replace("%1", replacing) if replacing
                            else self.tr("New rule"))
        self.name_label.setText(self.tr("Name:"))
        self.description_label.setText(self.tr("Description:"))
        self.enabled.setText(self.tr(
            "Enabled (the team server runs it on its schedule and writes to WeCom, with no"
            " pilot)") if self.context.workspace.profile.is_team
            else self.tr("Enabled (runs with the other rules)"))
        self.when_label.setText(self.tr("When:"))
        self.add_label.setText(self.tr("Add tags:"))
        self.remove_label.setText(self.tr("Remove tags:"))
        for edit in (self.add_tags, self.remove_tags):
            edit.setPlaceholderText(self.tr("tags: name, pinyin or initials"))
        self.replace_group.setText(self.tr(
            "Replace within group (adding a tag removes the other tags of its group)"))
        self.expires_label.setText(self.tr("Added tags expire after:"))
        self.expires.setSpecialValueText(self.tr("never"))
        for index in range(self.unit.count()):
            zh, en = UNITS[str(self.unit.itemData(index))]
            self.unit.setItemText(index, pick(zh, en))
        self.department_label.setText(self.tr("Department:"))
        self.visibility_label.setText(self.tr("Visible to:"))
        if self.department.count():
            self.department.setItemText(0, self.tr("as it is (new rules: the one you head)"))
        for index, text in enumerate((self.tr("its department"), self.tr("the whole team"))):
            if index < self.visibility.count():
                self.visibility.setItemText(index, text)
        self.tabs.setTabText(0, self.tr("Form"))
        self.tabs.setTabText(1, "JSON")
        self.changes.setHeaderLabels([self.tr("Customer"), self.tr("Owner"), self.tr("Change"),
                                      self.tr("Why")])
        self.simulate_button.setText(self.tr("Simulate this rule"))
        self.save_button.setText(self.tr("Save (Ctrl+S)"))
        self.cancel_button.setText(self.tr("Cancel"))
        self._show_problem()

    # -- the form and the JSON -------------------------------------------------------------

    def fill(self, draft: RuleDraft, *, keep_json: bool = False) -> None:
        """Show `draft` in the form, and in the JSON tab unless it was typed there."""
        self._filling = True
        try:
            self.name.setText(draft.name)
            self.description.setText(draft.description)
            self.enabled.setChecked(draft.enabled)
            self.conditions.set_node(draft.when, ())
            self.add_tags.set_tags(draft.add)
            self.remove_tags.set_tags(draft.remove)
            self.replace_group.setChecked(draft.replace_group)
            count, unit = draft.expires or (0, "d")
            self.expires.setValue(count)
            self.unit.setCurrentIndex(self.unit.findData(unit))
        finally:
            self._filling = False
        if keep_json:
            self._check(self.draft())
        else:
            self._form_changed()

    def draft(self) -> RuleDraft:
        count = self.expires.value()
        return RuleDraft(
            name=self.name.text().strip(), description=self.description.text(),
            enabled=self.enabled.isChecked(), when=self.conditions.node(),
            add=self.add_tags.tags(), remove=self.remove_tags.tags(),
            replace_group=self.replace_group.isChecked(),
            expires=(count, str(self.unit.currentData())) if count else None)

    def definition(self) -> dict[str, object]:
        return self.draft().definition()

    def _form_changed(self) -> None:
        if self._filling:
            return
        draft = self.draft()
        self._set_json(dumps(draft.definition()))
        self._check(draft)

    def _check(self, draft: RuleDraft) -> None:
        try:
            draft.check(ROOT)
            self.problem = None
        except RuleFormatError as exc:
            self.problem = exc
        self._show_problem()

    def _set_json(self, text: str) -> None:
        if self.json.toPlainText() != text:
            self.json.blockSignals(True)
            self.json.setPlainText(text)
            self.json.blockSignals(False)

    def _json_changed(self) -> None:
        try:
            found = read_rules_text(self.json.toPlainText(), "JSON")
            if len(found) != 1:
                raise RuleFormatError("JSON", "应为一条规则", "expected one rule")
            draft = RuleDraft.read(found[0][0])
        except UserError as exc:
            self.problem = exc
            self._show_problem()
            return
        self.fill(draft, keep_json=True)

    def _show_problem(self) -> None:
        """The problem's sentence under the part of the form it names (and under the JSON);
        Save only without one."""
        problem = self.problem
        path = problem.path if isinstance(problem, RuleFormatError) else None
        text = readable(problem) if problem is not None else ""
        json_side = problem is not None and (path is None or path.startswith("JSON"))
        where = {self.name_error: not json_side and path is not None and path.startswith(
                     (f"{ROOT}.name", f"{ROOT}.enabled", f"{ROOT}.description")),
                 self.when_error: not json_side and path is not None and path.startswith(
                     f"{ROOT}.when"),
                 self.then_error: not json_side and path is not None and path.startswith(
                     f"{ROOT}.then")}
        if problem is not None and not json_side and not any(where.values()):
            where[self.then_error] = True
        where[self.json_error] = problem is not None     # the JSON tab says it too
        beside = text      # on the form: where it is in words, not as a JSON path
        if isinstance(problem, RuleFormatError):
            english = is_english()
            reason = problem.reason[english]
            in_form = where[self.when_error] or where[self.then_error]
            place = place_text(problem.path, ROOT, english) if in_form else ""
            beside = (f"{place}: {reason}" if english else f"{place}：{reason}") if place \
                else reason[:1].upper() + reason[1:]
            if path == f"{ROOT}.name" and not self.name.text().strip():
                beside = self.tr("Give the rule a name.")
        # no name yet is no mistake: a grey hint, not a red error, as a new rule opens
        unnamed = path == f"{ROOT}.name" and not self.name.text().strip()
        self.name_error.setStyleSheet(HINT_STYLE if unnamed else ERROR_STYLE)
        for label, shown in where.items():
            said = text if label is self.json_error else beside
            label.setText(said if shown else "")
            label.setVisible(shown)
        self.conditions.mark(path if path and path.startswith(ROOT) else None, f"{ROOT}.when")
        self.save_button.setEnabled(problem is None)
        self.simulate_button.setEnabled(problem is None)

    # -- tags, saving, simulating ----------------------------------------------------------

    def _load_tags(self) -> None:
        service = TagAdminService(self.context.workspace)
        self.context.run_task(lambda _p, _c: service.tag_infos(), owner=self,
                              name="rule editor tags", on_result=self._tags_loaded)

    def _tags_loaded(self, tags: list[TagInfo]) -> None:
        self.lookup.set_tags(tags)

    def _load_departments(self) -> None:
        """A team rule is filed under a department and shown to it or to the whole team."""
        if not self.context.workspace.profile.is_team:
            return
        department, visibility = self.home
        self.visibility.addItem("", "department")
        self.visibility.addItem("", "team")
        self.visibility.setCurrentIndex(max(0, self.visibility.findData(visibility)))
        self.department.addItem("", "")
        service = self.service

        def loaded(names: list[str]) -> None:
            for name in names:
                self.department.addItem(name, name)
            self.department.setCurrentIndex(max(0, self.department.findData(department)))

        self.context.run_task(lambda _p, _c: service.departments(), owner=self,
                              name="rule editor departments", on_result=loaded)
        self.retranslate()

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        self.save_button.setEnabled(False)
        definition, replacing, service = self.definition(), self.replacing, self.service
        department = str(self.department.currentData() or "") or None
        visibility = str(self.visibility.currentData() or "") or None

        def work(_progress: Any, _cancel: Any) -> ChangeSet | None:
            service.save(definition, replacing, department=department, visibility=visibility)
            return None

        name = str(definition["name"])
        self.context.run_operation(work, owner=self, name="save rule",
                                   on_success=lambda _c: self._saved(name),
                                   on_failure=self._failed)

    def _saved(self, name: str) -> None:
        self.replacing = name
        self.saved.emit(name)
        self.accept()

    def simulate(self) -> None:
        try:
            rule = replace(self.draft().check(ROOT), enabled=True)
        except RuleFormatError:
            return
        self.simulate_button.setEnabled(False)
        service = self.service
        self.texts.say(self.status, lambda: self.tr("Simulating…"))
        self.context.run_task(lambda _p, _c: service.simulate_rules([rule]), owner=self,
                              name="rule editor simulation", on_result=self._simulated,
                              on_error=self._failed)

    def _simulated(self, simulation: Simulation) -> None:
        evaluation = simulation.evaluation
        self.simulate_button.setEnabled(self.problem is None)
        self.changes.setSortingEnabled(False)
        self.changes.clear()
        for outcome in evaluation.outcomes[:SHOWN_CHANGES]:     # as the Rules window shows it
            self.changes.addTopLevelItem(change_item(outcome, simulation))
        self.changes.setSortingEnabled(True)
        self.changes.setVisible(True)
        changed, total = len(evaluation.outcomes), simulation.relations
        calls, warnings = evaluation.api_calls, simulation.warnings
        self.texts.say(self.status, lambda: "\n".join([
            self.tr("This rule alone would change %1 of %2 (%3).")
            .replace("%1", f"{changed:,}").replace("%2", COUNTS.relations(total))
            .replace("%3", COUNTS.calls(calls)), *warnings]))

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(self.problem is None)
        self.simulate_button.setEnabled(self.problem is None)
        self.texts.say(self.status, lambda: readable(exc))


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setVisible(False)
    return label
