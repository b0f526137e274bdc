"""The team policy as a form: administrators, department prefixes and groups, branch admins,
member sub-tag groups, restricted tagging groups and the rename threshold, with a "JSON" tab
for power users that follows the form both ways.

Every change is checked at once with the server's own checks (`policy_from_json` and
`check_policy`), so the sentence under the form is the one the server would answer and
`valid` says whether Save may be pressed. Non-admins see the same form, read-only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.governance import (
    OrgChart,
    Policy,
    PolicyError,
    check_policy,
    policy_field,
    policy_from_json,
)
from desktop.ui.i18n import is_english

Choices = Sequence[tuple[str, str]]          # (value stored in the policy, label shown)
MAX_THRESHOLD = 1_000_000


class PickerRows(QWidget):
    """Rows of one or two pickers (an editable list or a "name → department" table); each
    cell offers `choices` and, where `typed`, also takes any text."""

    changed = Signal()

    def __init__(self, columns: Sequence[tuple[Choices, bool]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.table = QTableWidget(0, len(self.columns))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(90)
        self.add_button = QPushButton("+")
        self.add_button.clicked.connect(lambda: self.add_row(("",) * len(self.columns)))
        self.remove_button = QPushButton("−")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_headers(self, labels: Sequence[str]) -> None:
        self.table.setHorizontalHeaderLabels(list(labels))
        self.table.horizontalHeader().setVisible(len(labels) > 1)

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.table.setRowCount(0)
        for row in rows:
            self.add_row(row, announce=False)

    def add_row(self, values: Sequence[str], announce: bool = True) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, ((choices, typed), value) in enumerate(zip(self.columns, values,
                                                               strict=True)):
            self.table.setCellWidget(row, column, self._picker(choices, typed, value))
        if announce:
            self.changed.emit()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()},
                      reverse=True) or ([self.table.rowCount() - 1]
                                        if self.table.rowCount() else [])
        for row in rows:
            self.table.removeRow(row)
        self.changed.emit()

    def rows(self) -> list[tuple[str, ...]]:
        return [tuple(_value(self._cell(row, column)) for column in range(len(self.columns)))
                for row in range(self.table.rowCount())]

    def pairs(self) -> dict[str, str]:
        """A two-column table as the policy's "name → department" object."""
        return {row[0]: row[1] for row in self.rows()}

    def set_read_only(self, read_only: bool) -> None:
        self.add_button.setVisible(not read_only)
        self.remove_button.setVisible(not read_only)
        for row in range(self.table.rowCount()):
            for column in range(len(self.columns)):
                self._cell(row, column).setEnabled(not read_only)

    def _cell(self, row: int, column: int) -> QComboBox:
        widget = self.table.cellWidget(row, column)
        assert isinstance(widget, QComboBox)
        return widget

    def _picker(self, choices: Choices, typed: bool, value: str) -> QComboBox:
        box = QComboBox()
        box.setEditable(typed)
        for stored, label in choices:
            box.addItem(label, stored)
        found = box.findData(value)
        if found < 0 and value and not typed:
            box.addItem(value, value)             # kept as it is, so the check can name it
            found = box.count() - 1
        if found >= 0:
            box.setCurrentIndex(found)
        else:
            box.setCurrentIndex(-1)
            box.setEditText(value)
        box.currentIndexChanged.connect(lambda _i: self.changed.emit())
        if typed:
            box.editTextChanged.connect(lambda _t: self.changed.emit())
        return box


def _value(box: QComboBox) -> str:
    """What a picker holds: the chosen item's stored value, else the typed text."""
    text = box.currentText().strip()
    found = box.findText(box.currentText())
    if found >= 0 and box.itemData(found) is not None:
        return str(box.itemData(found))
    return text


class PolicyForm(QWidget):
    """The policy's form and JSON tabs; `policy()` is what would be saved."""

    changed = Signal()

    def __init__(self, members: Choices = (), groups: Sequence[str] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.members = [(userid, f"{name}（{userid}）" if name != userid else userid)
                        for userid, name in members]
        self.groups = [(name, name) for name in groups]
        self.chart = OrgChart({}, {})
        self.server_admins: tuple[str, ...] = ()
        self.read_only = True
        self.problem: PolicyError | None = None
        self._loaded = Policy()
        self._loading = False
        self.admins = PickerRows([(self.members, True)])
        self.prefixes = PickerRows([((), True), ((), False)])
        self.group_owners = PickerRows([(self.groups, True), ((), False)])
        self.branch_admins = PickerRows([(self.members, True), ((), False)])
        self.subtag_groups = PickerRows([(self.groups, True)])
        self.restricted = PickerRows([(self.groups, True)])
        self.server_note = QLabel()            # the server's --admin list, not the policy's
        self.server_note.setWordWrap(True)
        self.threshold = QSpinBox()
        self.threshold.setRange(0, MAX_THRESHOLD)
        self.json = QPlainTextEdit()
        self.sentence = QLabel()
        self.sentence.setWordWrap(True)
        self.sentence.setObjectName("policySentence")
        for rows in self._tables():
            rows.changed.connect(self._form_changed)
        self.threshold.valueChanged.connect(lambda _v: self._form_changed())
        self.json.textChanged.connect(self._json_changed)

        self.labels = [QLabel() for _ in range(7)]
        form_page = QWidget()
        form = QFormLayout(form_page)
        for label, field in zip(self.labels, (*self._tables(), self.threshold), strict=True):
            form.addRow(label, field)
            if field is self.admins:
                form.addRow("", self.server_note)
        scroller = QScrollArea()        # seven tables: the window stays within a small screen
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(form_page)
        self.tabs = QTabWidget()
        self.tabs.addTab(scroller, "")
        self.tabs.addTab(self.json, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.sentence)

    def retranslate(self) -> None:
        texts = (self.tr("Administrators"), self.tr("Department prefixes"),
                 self.tr("Groups → department"), self.tr("Branch admins"),
                 self.tr("Members may add sub-tags in"), self.tr("Restricted tagging"),
                 self.tr("Renames needing approval above (customers)"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.prefixes.set_headers([self.tr("Prefix"), self.tr("Department")])
        self.group_owners.set_headers([self.tr("Tag group"), self.tr("Department")])
        self.branch_admins.set_headers([self.tr("Member"), self.tr("Department")])
        for rows in (self.admins, self.subtag_groups, self.restricted):
            rows.set_headers([""])
        self.tabs.setTabText(0, self.tr("Form"))
        self.tabs.setTabText(1, "JSON")
        self.server_note.setText(self.tr(
            "Also administrators, by the server's --admin: %1").replace(
                "%1", ", ".join(self.server_admins)) if self.server_admins else "")
        self._show_problem()

    # -- loading and reading ----------------------------------------------------------------

    def load(self, answer: dict[str, Any], admin: bool) -> None:
        """Show the server's `policy show` answer; editable only for an admin."""
        self.chart = OrgChart.from_json(answer.get("chart"))
        self.server_admins = tuple(str(a) for a in answer.get("server_admins") or [])
        departments = [(name, name) for _id, name in sorted(self.chart.names.items())]
        for rows in (self.prefixes, self.group_owners, self.branch_admins):
            rows.columns[1] = (departments, False)
        self.read_only = not admin
        self.retranslate()
        self._loaded = policy_from_json(answer.get("policy") or {})
        self._fill_form(answer.get("policy") or {})
        self._fill_json()
        self.json.setReadOnly(self.read_only)
        self.threshold.setReadOnly(self.read_only)
        for rows in self._tables():
            rows.set_read_only(self.read_only)
        self._check()

    def policy(self) -> dict[str, Any]:
        """The policy the current tab shows (JSON text that is not an object gives {})."""
        if self.tabs.currentIndex() == 1:
            try:
                data = json.loads(self.json.toPlainText())
            except ValueError:
                return {}
            return data if isinstance(data, dict) else {}
        return self._form_policy()

    @property
    def valid(self) -> bool:
        return self.problem is None

    @property
    def edited(self) -> bool:
        """Whether the policy shown differs from the one loaded (what Save would change)."""
        try:
            return policy_from_json(self.policy()) != self._loaded
        except PolicyError:
            return True

    def _form_policy(self) -> dict[str, Any]:
        return {
            "admins": [u for (u,) in self.admins.rows()],
            "prefixes": self.prefixes.pairs(),
            "groups": self.group_owners.pairs(),
            "branch_admins": self.branch_admins.pairs(),
            "member_subtag_groups": [g for (g,) in self.subtag_groups.rows()],
            "restricted_tagging_groups": [g for (g,) in self.restricted.rows()],
            "rename_threshold": self.threshold.value(),
        }

    def _fill_form(self, data: dict[str, Any]) -> None:
        policy = policy_from_json(data)
        self._loading = True
        try:
            self.admins.set_rows([(u,) for u in policy.admins])
            self.prefixes.set_rows(policy.prefixes)
            self.group_owners.set_rows(policy.groups)
            self.branch_admins.set_rows(policy.branch_admins)
            self.subtag_groups.set_rows([(g,) for g in policy.member_subtag_groups])
            self.restricted.set_rows([(g,) for g in policy.restricted_tagging_groups])
            self.threshold.setValue(min(policy.rename_threshold, MAX_THRESHOLD))
        finally:
            self._loading = False

    def _fill_json(self) -> None:
        self._loading = True
        try:
            self.json.setPlainText(json.dumps(self._form_policy(), ensure_ascii=False,
                                              indent=2))
        finally:
            self._loading = False

    def _tables(self) -> tuple[PickerRows, ...]:
        return (self.admins, self.prefixes, self.group_owners, self.branch_admins,
                self.subtag_groups, self.restricted)

    # -- live checks ------------------------------------------------------------------------

    def _form_changed(self) -> None:
        if not self._loading:
            self._check()

    def _json_changed(self) -> None:
        if not self._loading:
            self._check()

    def _tab_changed(self, index: int) -> None:
        if index == 1:
            self._fill_json()
        elif self.problem is None:
            self._fill_form(json.loads(self.json.toPlainText()))
        else:
            self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(1)          # the form cannot show what does not parse
            self.tabs.blockSignals(False)
        self._check()

    def _check(self) -> None:
        try:
            if self.tabs.currentIndex() == 1:
                try:
                    data = json.loads(self.json.toPlainText())
                except ValueError as exc:
                    raise PolicyError(f"策略不是有效的 JSON：{exc}",
                                      f"The policy is not valid JSON: {exc}") from None
            else:
                self._refuse_repeats()
                data = self._form_policy()
            check_policy(policy_from_json(data), self.chart, self.server_admins)
            self.problem = None
        except PolicyError as exc:
            self.problem = exc
        self._show_problem()
        self.changed.emit()

    def _refuse_repeats(self) -> None:
        """A name twice in one table would be lost in the policy's object: said, not saved."""
        for key, rows in (("admins", self.admins), ("prefixes", self.prefixes),
                          ("groups", self.group_owners), ("branch_admins", self.branch_admins),
                          ("member_subtag_groups", self.subtag_groups),
                          ("restricted_tagging_groups", self.restricted)):
            names = [row[0] for row in rows.rows()]
            repeated = sorted({n for n in names if n and names.count(n) > 1})
            if repeated:
                zh, en = policy_field(key)
                raise PolicyError(f"{zh}中 {repeated[0]} 出现了不止一次。",
                                  f"In {en}, {repeated[0]} appears more than once.")

    def _show_problem(self) -> None:
        problem = self.problem
        self.sentence.setVisible(problem is not None)
        if problem is not None:
            self.sentence.setText(problem.en if is_english() else problem.zh)
