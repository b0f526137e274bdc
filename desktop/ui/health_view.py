"""The tag health window: every finding of `services.health` in a table, with fix actions.

Findings load on a worker thread and reload after every write or sync. Selected rows can be
exported (the whole report, to xlsx through the formula-safe writer), turned into a filter of
the customer table ("filter to these customers"), shown in the tag tree ("select these tags"),
or migrated: the migration wizard opens with the selected tags, the most used one as target.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.filter import quote
from desktop.domain.hygiene import HygieneSettings
from desktop.domain.hygiene_defaults import (
    DEFAULT_CORP_TAG_CAP,
    DEFAULT_GROUP_TAG_CAP,
    DEFAULT_ZOMBIE_DAYS,
)
from desktop.services import health
from desktop.services.changes import ChangeSet
from desktop.services.tag_admin import TagAdminService
from desktop.ui.adopt_dialog import AdoptDialog
from desktop.ui.context import AppContext
from desktop.ui.file_dialogs import ask_path
from desktop.ui.fit_rows import VisibleRowFitter
from desktop.ui.governance_monitor import GovernanceMonitor
from desktop.ui.i18n import is_english, list_text
from desktop.ui.migrate_wizard import MigrateDialog
from desktop.ui.previewed_batch_dialog import error_text
from desktop.ui.retranslate import relabel, retranslate_in_place

REDRAW_DELAY_MS = 500
_Index = QModelIndex | QPersistentModelIndex


class HealthModel(QAbstractTableModel):
    """Findings as rows: category, finding, tags, relations."""

    CATEGORY, FINDING, TAGS, RELATIONS = range(4)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: health.Health | None = None
        self.findings: list[health.Finding] = []
        self._order: tuple[int, Qt.SortOrder] | None = None    # the header clicked last

    def set_report(self, report: health.Health) -> None:
        self.beginResetModel()
        self.report = report
        self.findings = self._sorted(report.findings())
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Findings by a column (relations by number); the selection follows its rows."""
        self._order = None if column < 0 else (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        kept = [(self.findings[i.row()], i.column()) for i in before]
        self.findings = self._sorted(self.findings if self._order else
                                     (self.report.findings() if self.report else []))
        row_of = {id(f): row for row, f in enumerate(self.findings)}
        self.changePersistentIndexList(before, [self.index(row_of[id(f)], c) for f, c in kept])
        self.layoutChanged.emit()

    def resort(self) -> None:
        if self._order is not None:
            self.sort(*self._order)

    def _sorted(self, findings: list[health.Finding]) -> list[health.Finding]:
        if self._order is None:
            return findings
        column, order = self._order
        reverse = order == Qt.SortOrder.DescendingOrder
        if column == self.RELATIONS:
            return sorted(findings, key=lambda f: f.relations, reverse=reverse)
        return sorted(findings, key=lambda f: self._text(f, column), reverse=reverse)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.findings)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Kind"), self.tr("Finding"), self.tr("Tags"),
                self.tr("Relations"))[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.report is None:
            return None
        finding = self.findings[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(finding, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.RELATIONS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.FINDING:
            return finding.en if is_english() else finding.zh
        return None

    def _text(self, finding: health.Finding, column: int) -> str:
        if column == self.CATEGORY:
            return self._category(finding.category)
        if column == self.FINDING:
            return finding.en if is_english() else finding.zh
        if column == self.TAGS:
            tags = self.report.tags if self.report is not None else {}
            return list_text(tags[t].label for t in finding.tag_ids if t in tags)
        return f"{finding.relations:,}"

    def _category(self, key: str) -> str:
        return {
            "duplicate": self.tr("Duplicate"), "conflict_relation": self.tr("Exclusive conflict"),
            "conflict_cross_follower": self.tr("Followers disagree"),
            "zombie": self.tr("Zombie"), "risky_name": self.tr("Risky name"),
            "deep_path": self.tr("Too deep"), "personal_duplicate": self.tr("Personal duplicate"),
            "empty_group": self.tr("Empty group"), "group_near_cap": self.tr("Group near cap"),
            "read_only_group": self.tr("Not this app's"),
        }.get(key, key)


class HealthWindow(QWidget):
    """The report with its actions; `loaded` after each (re)load."""

    loaded = Signal()
    failed = Signal(object)
    filterRequested = Signal(str)       # a filter expression for the customer table
    tagRequested = Signal(str)          # a tag id to show in the tree

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 governance: GovernanceMonitor | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.context = context
        self.governance = governance    # a team profile's roles, once read
        if governance is not None:
            governance.rulesChanged.connect(lambda _rules: self._update_probe())
        self.model = HealthModel(self)
        self.wizard: MigrateDialog | None = None
        self.adopter: AdoptDialog | None = None
        self._redraw = QTimer(self, singleShot=True, interval=REDRAW_DELAY_MS)
        self._redraw.timeout.connect(self.refresh)
        self._build()
        self.texts = retranslate_in_place(self, self.retranslate)
        self.failed.connect(lambda exc: self.texts.say(self.notice, lambda: error_text(exc)))
        context.changed.connect(self._on_changed)
        self.refresh()
        self.table.setFocus()  # the findings first, not the zombie days' spin box

    def retranslate(self) -> None:
        """Texts and findings in the UI language; the report, settings and selection stay."""
        self.setWindowTitle(self.tr("Tag health"))
        texts = (self.tr("Zombie after (days)"), self.tr("Corp tag cap"),
                 self.tr("Tags per group"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        for button, text in ((self.export_button, self.tr("Export…")),
                             (self.filter_button, self.tr("Filter to these customers")),
                             (self.select_button, self.tr("Select these tags")),
                             (self.migrate_button, self.tr("Migrate…")),
                             (self.adopt_button, self.tr("Adopt…")),
                             (self.probe_button, self.tr("Ask WeCom which groups are ours"))):
            button.setText(text)
        relabel(self.model)
        self.model.resort()                  # a text column sorts in the new language

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.zombie_days = QSpinBox(minimum=1, maximum=3650, value=DEFAULT_ZOMBIE_DAYS)
        self.corp_cap = QSpinBox(minimum=1, maximum=100_000, value=DEFAULT_CORP_TAG_CAP)
        self.group_cap = QSpinBox(minimum=1, maximum=10_000, value=DEFAULT_GROUP_TAG_CAP)
        for box in (self.zombie_days, self.corp_cap, self.group_cap):
            box.editingFinished.connect(self.refresh)
        settings = QHBoxLayout()
        self.labels = [QLabel(), QLabel(), QLabel()]
        for label, box in zip(self.labels, (self.zombie_days, self.corp_cap, self.group_cap),
                              strict=True):
            settings.addWidget(label)
            settings.addWidget(box)
        settings.addStretch(1)
        self.capacity = QLabel()
        self.capacity.setObjectName("healthCapacity")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(True)     # a finding and its tags read whole, on more lines
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(HealthModel.FINDING, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(HealthModel.CATEGORY,
                                    QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(HealthModel.TAGS, 260)
        self.table.verticalHeader().setVisible(False)
        VisibleRowFitter(self.table)
        self.export_button = QPushButton()
        self.filter_button = QPushButton()
        self.select_button = QPushButton()
        self.migrate_button = QPushButton()
        self.adopt_button = QPushButton()
        self.probe_button = QPushButton()
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.filter_button, self.select_button, self.migrate_button,
                       self.adopt_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.probe_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(settings)
        layout.addWidget(self.capacity)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notice)
        layout.addLayout(buttons)
        self.export_button.clicked.connect(self._ask_export)
        self.filter_button.clicked.connect(self.filter_selected)
        self.select_button.clicked.connect(self.select_tags)
        self.migrate_button.clicked.connect(self.migrate_selected)
        self.adopt_button.clicked.connect(self.adopt_selected)
        self.probe_button.clicked.connect(self.probe_ownership)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()
        self.resize(1000, 620)

    # -- loading -------------------------------------------------------------------------

    def settings(self) -> HygieneSettings:
        return HygieneSettings(zombie_days=self.zombie_days.value(),
                               corp_tag_cap=self.corp_cap.value(),
                               group_tag_cap=self.group_cap.value())

    def refresh(self) -> None:
        cache, settings = self.context.cache, self.settings()
        self.texts.say(self.notice, lambda: self.tr("Checking the tag library…"))
        self.context.run_task(lambda _p, _c: health.gather(cache, settings), owner=self,
                              name="tag health", on_result=self._show,
                              on_error=self.failed.emit)

    def _show(self, report: health.Health) -> None:
        """The new report; the findings selected before stay selected where they still are
        (a refresh after any change would otherwise drop what the user was acting on)."""
        chosen = {_finding_key(finding) for finding in self.selected()}
        self.model.set_report(report)
        selection = self.table.selectionModel()
        for row, finding in enumerate(self.model.findings):
            if _finding_key(finding) in chosen:
                selection.select(self.model.index(row, 0), SELECT_ROW)
        zh, en = report.capacity_line()
        self.texts.say(self.capacity, lambda: en if is_english() else zh)
        count = len(self.model.findings)
        self.texts.say(self.notice, lambda: self.tr("%1 findings.").replace("%1", f"{count:,}"))
        self._update_buttons()
        self.loaded.emit()

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.tags_changed or changes.full_reload or changes.relation_ids \
                or changes.prefs_changed:
            self._redraw.start()

    # -- actions -------------------------------------------------------------------------

    def selected(self) -> list[health.Finding]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.findings[row] for row in rows]

    def filter_expression(self) -> str:
        """Customers of the selected conflicts, or relations carrying the selected tags."""
        report, found = self.model.report, self.selected()
        if report is None:
            return ""
        customers = dict.fromkeys(c for f in found for c in f.external_userids)
        if customers:
            return " | ".join(f"text:{quote(c)}" for c in customers)
        tags = dict.fromkeys(t for f in found for t in f.tag_ids if t in report.tags)
        return " | ".join(f"{quote(report.tags[t].group_name)}:{quote(report.tags[t].name)}"
                          for t in tags)

    def filter_selected(self) -> None:
        expression = self.filter_expression()
        if expression:
            self.filterRequested.emit(expression)

    def select_tags(self) -> None:
        tags = [t for f in self.selected() for t in f.tag_ids]
        if tags:
            self.tagRequested.emit(tags[0])

    def migrate_selected(self) -> MigrateDialog | None:
        """The wizard on the selected tags: the most used becomes the target."""
        report = self.model.report
        tags = list(dict.fromkeys(t for f in self.selected() for t in f.tag_ids))
        if report is None or not tags:
            return None
        tags.sort(key=lambda t: -report.tags[t].relations if t in report.tags else 0)
        target = report.tags[tags[0]].label if len(tags) > 1 and tags[0] in report.tags else ""
        sources = tags[1:] if target else tags
        if self.wizard is None or self.wizard.started is not None:
            rules = self.governance.rules if self.governance is not None else None
            self.wizard = MigrateDialog(self.context, sources, target, self, rules)
        else:                                  # one wizard: the idle one plans this instead
            self.wizard.migrate(sources, target)
        self.wizard.show()
        self.wizard.raise_()
        return self.wizard

    def adopt_selected(self) -> AdoptDialog | None:
        """The adoption dialog on the first selected read-only group."""
        report = self.model.report
        group_id = next((f.group_id for f in self.selected() if f.group_id), "")
        if report is None or not group_id:
            return None
        if self.adopter is None or self.adopter.group_id != group_id:   # one per group
            self.adopter = AdoptDialog(self.context, group_id,
                                       report.group_names.get(group_id, group_id), self)
            self.adopter.adopted.connect(lambda _changes: self.refresh())
        self.adopter.show()
        self.adopter.raise_()
        return self.adopter

    def probe_ownership(self) -> None:
        """`TagAdminService.probe_ownership` on the writer thread (one edit per group that
        changes nothing), then the report again with the groups WeCom refused."""
        service = TagAdminService(self.context.workspace)
        self.probe_button.setEnabled(False)
        self.texts.say(self.notice, lambda: self.tr("Asking WeCom which groups this app may"
                                                    " change…"))
        self.context.run_task(lambda _p, _c: service.probe_ownership(), owner=self,
                              name="ownership probe", writer=True, on_result=self._probed,
                              on_error=self._probe_failed)

    def _probed(self, _refused: list[str]) -> None:
        self._update_probe()
        self.context.publish(ChangeSet(tags_changed=True))
        self.refresh()

    def _probe_failed(self, exc: BaseException) -> None:
        self._update_probe()
        self.texts.say(self.notice, lambda: error_text(exc))

    def export_to(self, path: Path) -> None:
        report, english = self.model.report, is_english()
        if report is None:
            return
        self.context.run_task(
            lambda _p, _c: health.export(report, path, english=english), owner=self,
            name="health export",
            on_result=lambda rows: self.texts.say(self.notice, lambda: self.tr(
                "Exported %1 findings to %2.").replace("%1", f"{rows:,}").replace("%2", str(path))),
            on_error=self.failed.emit)

    def _ask_export(self) -> None:
        path = ask_path(self, self.tr("Export the health report"), "Excel (*.xlsx);;CSV (*.csv)",
                        save=True, suggested="tag-health.xlsx")
        if path is not None:
            self.export_to(path)

    def _update_buttons(self) -> None:
        chosen = bool(self.table.selectionModel().selectedRows())
        has_tags = any(f.tag_ids for f in self.selected()) if chosen else False
        self.filter_button.setEnabled(chosen)
        self.select_button.setEnabled(has_tags)
        mine = self._mine()
        self.migrate_button.setEnabled(has_tags and not mine)
        self.adopt_button.setEnabled(
            chosen and not mine and any(f.group_id for f in self.selected()))
        self.migrate_button.setToolTip(self.tr(
            "Only a desktop that sees the whole corp migrates tags: this one holds your own"
            " customers only (My customers), and a migration retags every customer of the"
            " tag.") if mine else "")
        self.adopt_button.setToolTip(self.tr(
            "Only a desktop that sees the whole corp adopts tag groups: this one holds your"
            " own customers only (My customers).") if mine else "")
        self.export_button.setEnabled(self.model.report is not None)
        self._update_probe()

    def _mine(self) -> bool:
        """The report is of a salesperson's cache, their own customers only (我的客户)."""
        report = self.model.report
        return report is not None and bool(report.only_follower)

    def _update_probe(self) -> None:
        """The question, which edits every group, is for a desktop that sees the whole corp,
        and on a team profile for an administrator: the team server refuses anyone else an
        edit of a public group or another department's (a head's question stopped at the
        first with errcode 9001010)."""
        mine = self._mine()
        rules = self.governance.rules if self.governance is not None else None
        not_admin = rules is not None and not rules.actor.admin
        self.probe_button.setEnabled(not mine and not not_admin)
        if mine:
            self.probe_button.setToolTip(self.tr(
                "Only a desktop that sees the whole corp asks WeCom: this one holds your own"
                " customers only (My customers), and the question edits every tag group."))
        elif not_admin:
            self.probe_button.setToolTip(self.tr(
                "Only an administrator asks WeCom on a team profile: the question edits every"
                " tag group, and the team server lets only administrators edit them all."))
        else:
            self.probe_button.setToolTip("")


SELECT_ROW = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows


def _finding_key(finding: health.Finding) -> tuple[object, ...]:
    """What a finding is about, whatever its counts and wording in a later report."""
    return (finding.category, finding.tag_ids, finding.external_userids, finding.group_id)
