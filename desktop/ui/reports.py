"""Reports with charts: relations per tag, changes per day by source, changes per operator,
and the health of the tag data (untagged customers, mutually exclusive tags together).

Changes per day and per operator are the whole corp's, or one department's: a head (or a
branch admin, or an administrator, for every department) picks a department they manage,
and the charts count the journal rows on its members' customers (its sub-departments'
too), as the audit log's department filter does. Their period and department controls
show above whichever of the two charts is open.

The numbers come from `services.audit` on worker threads; this module only draws
them (QtCharts) and saves a chart as PNG. A write or a sync redraws the reports.
"""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services import audit
from desktop.services.changes import ChangeSet
from desktop.services.customer_scope import cache_scope
from desktop.services.governance import TeamRules
from desktop.store.journal_query import department_members
from desktop.ui.audit_model import LABELS
from desktop.ui.batch_progress import message_for
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS
from desktop.ui.file_dialogs import ask_path
from desktop.ui.governance_monitor import GovernanceMonitor
from desktop.ui.i18n import colon, list_text
from desktop.ui.retranslate import retranslate_in_place

PERIOD_DAYS = (7, 30, 90, 365)
REDRAW_DELAY_MS = 500
MANY_CATEGORIES = 10


class ReportsWindow(QWidget):
    """Four report tabs; `loaded(name)` after each report is drawn ("tags", "days",
    "operators", "health")."""

    loaded = Signal(str)
    failed = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 governance: GovernanceMonitor | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.context = context
        self.governance = governance        # a team profile's roles, once read
        self.tag_counts: list[audit.TagCount] = []
        self.days: audit.DaySeries | None = None
        self.operators: list[audit.OperatorCount] = []
        self.health: audit.Health | None = None
        self._group_names: list[str] = []
        self._mine = False      # a salesperson's cache: their own customers and their rows
        self._shown_before = False
        self._redraw = QTimer(self, singleShot=True, interval=REDRAW_DELAY_MS)
        self._redraw.timeout.connect(self.refresh)
        self._build()
        self.texts = retranslate_in_place(self, self.retranslate)
        self.failed.connect(
            lambda exc: self.texts.say(self.notice, lambda: html.escape(message_for(exc))))
        context.changed.connect(self._on_changed)
        self._load_groups()
        self._load_departments()
        if governance is not None:
            governance.rulesChanged.connect(lambda _rules: self._load_departments())
        self.refresh()

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.scope = QComboBox()
        self.scope.addItem("", "")
        self.top = QSpinBox(minimum=5, maximum=100, value=15)
        self.period = QComboBox()
        for days in PERIOD_DAYS:
            self.period.addItem("", days)
        self.period.setCurrentIndex(1)
        self.department = QComboBox()
        self.department.addItem("", None)
        self._departments: list[tuple[int, str]] = []
        self.scope.activated.connect(self.refresh_tags)
        self.top.valueChanged.connect(self.refresh_tags)
        self.period.activated.connect(self.refresh_changes)
        self.department.activated.connect(self.refresh_changes)

        self.tags_view = _chart_view()
        self.days_view = _chart_view()
        self.operators_view = _chart_view()
        self.health_view = _chart_view()
        self.health_text = QLabel()
        self.health_text.setWordWrap(True)
        self.health_text.setTextFormat(Qt.TextFormat.RichText)

        self.labels = [QLabel(), QLabel(), QLabel(), QLabel()]  # Show, Top, Period, Department
        self.changes_controls = QWidget()      # above the chart of changes that is open
        row = QHBoxLayout(self.changes_controls)
        row.setContentsMargins(0, 0, 0, 0)
        for control in (self.labels[2], self.period, self.labels[3], self.department):
            row.addWidget(control)
        row.addStretch(1)
        self.labels[3].setVisible(False)
        self.department.setVisible(False)
        self.tabs = QTabWidget()
        self.tabs.addTab(_page(self.tags_view, self.labels[0], self.scope, self.labels[1],
                               self.top), "")
        self.tabs.addTab(_page(self.days_view), "")
        self._move_changes_controls(1)
        self.tabs.addTab(_page(self.operators_view), "")
        self.tabs.addTab(_page(self.health_view, below=self.health_text), "")
        self.tabs.currentChanged.connect(self._tab_changed)

        self.save_button = QPushButton()
        self.save_button.clicked.connect(self._ask_save)
        self.notice = QLabel()
        bottom = QHBoxLayout()
        bottom.addWidget(self.notice, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.resize(960, 640)

    def retranslate(self) -> None:
        """Texts and charts in the UI language, redrawn from the results already read;
        the chosen scope, period, tab and results stay."""
        self.setWindowTitle(LABELS.journal_title(self.tr("Reports"),
                                                 self.context.journal.team_url))
        self.scope.setItemText(0, self.tr("Most used tags"))
        for n, name in enumerate(self._group_names, start=1):
            self.scope.setItemText(n, self.tr("Group: %1").replace("%1", name))
        for n, days in enumerate(PERIOD_DAYS):
            self.period.setItemText(n, self.tr("Last %1 days").replace("%1", str(days)))
        self.department.setItemText(0, self.tr("Whole corp"))
        for label, text in zip(self.labels, (self.tr("Show"), self.tr("Top"),
                                             self.tr("Period"), self.tr("Department")),
                               strict=True):
            label.setText(text)
        for n, text in enumerate((self.tr("Tags"), self.tr("Changes per day"),
                                  self.tr("Changes per operator"), self.tr("Health"))):
            self.tabs.setTabText(n, text)
        self.save_button.setText(self.tr("Save chart as PNG…"))
        if self.tag_counts:
            self._draw_tags(self.tag_counts)
        if self.days is not None:
            self._draw_days(self.days)
        if self.operators:
            self._draw_operators(self.operators)
        if self.health is not None:
            self._draw_health(self.health)

    def _load_groups(self) -> None:
        cache = self.context.cache

        def fill(groups: list[tuple[str, str]]) -> None:
            for group_id, name in groups:
                self._group_names.append(name)
                self.scope.addItem(self.tr("Group: %1").replace("%1", name), group_id)

        self.context.run_task(lambda _p, _c: audit.tag_groups(cache), owner=self, name="report groups",
                              on_result=fill, on_error=self.failed.emit)

    def _load_departments(self) -> None:
        """The departments this user manages (every one for an administrator), offered as
        the changes' scope; the choice stays while it is still offered."""
        cache, operator = self.context.cache, self.context.operator
        rules = self.governance.rules if self.governance is not None else None
        also = _managed(rules)

        def fill(departments: list[tuple[int, str]]) -> None:
            if departments == self._departments:
                return
            chosen = self.department.currentData()
            self._departments = departments
            while self.department.count() > 1:
                self.department.removeItem(1)
            for department_id, name in departments:
                self.department.addItem(name, department_id)
            kept = self.department.findData(chosen) if chosen is not None else -1
            self.department.setCurrentIndex(max(0, kept))
            self.labels[3].setVisible(bool(departments))
            self.department.setVisible(bool(departments))
            if chosen is not None and kept < 0:
                self.refresh_changes()

        self.context.run_task(lambda _p, _c: audit.managed_departments(cache, operator, also),
                              owner=self, name="report departments", on_result=fill,
                              on_error=self.failed.emit)

    # -- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        workspace = self.context.workspace
        self._mine = cache_scope(self.context.cache, workspace.profile.is_team,
                                 self.context.operator) == "mine"
        self.refresh_tags()
        self.refresh_changes()
        self.refresh_health()

    def refresh_tags(self) -> None:
        cache, group, top = self.context.cache, self.scope.currentData() or "", self.top.value()
        self._run("tags", lambda: audit.relations_per_tag(cache, top=0 if group else top,
                                                          group_id=group), self._draw_tags)

    def refresh_changes(self) -> None:
        """Changes per day and per person from the profile's journal (a team profile's is
        the team server's)."""
        journal, cache = self.context.journal, self.context.cache
        until = datetime.now().timestamp()
        since = until - int(self.period.currentData()) * 86400
        department = self.department.currentData()

        def owners() -> list[str] | None:
            return None if department is None else department_members(cache, department)

        self._run("days", lambda: journal.changes_per_day(since, until, owners()),
                  self._draw_days)
        self._run("operators", lambda: journal.changes_per_operator(since, until,
                                                                    owners=owners()),
                  self._draw_operators)

    def refresh_health(self) -> None:
        cache = self.context.cache
        self._run("health", lambda: audit.health(cache), self._draw_health)

    def _run(self, name: str, compute: Any, draw: Any) -> None:
        def done(result: Any) -> None:
            draw(result)
            self.loaded.emit(name)

        self.context.run_task(lambda _p, _c: compute(), owner=self, name=f"report {name}",
                              on_result=done, on_error=self.failed.emit)

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.journal_appended or changes.full_reload or changes.tags_changed:
            self._redraw.start()

    # -- drawing -------------------------------------------------------------------------

    def _scoped(self, title: str) -> str:
        """A chart's title, saying when it counts the user's own customers only: a
        salesperson's cache and team journal hold their customers alone, and their charts
        read as the corp's."""
        return self.tr("%1 (My customers)").replace("%1", title) if self._mine else title

    def _of_department(self, title: str) -> str:
        """A changes chart's title, naming the department it counts when one is chosen."""
        if self.department.currentData() is None:
            return self._scoped(title)
        return self.tr("%1 (department %2)").replace("%1", title).replace(
            "%2", self.department.currentText())

    def _draw_tags(self, counts: list[audit.TagCount]) -> None:
        self.tag_counts = counts
        shown = list(reversed(counts))          # a horizontal chart draws bottom-up
        labels = [c.tag_name if self.scope.currentData() else f"{c.group_name}{colon()}{c.tag_name}"
                  for c in shown]
        chart = _bar_chart(self._scoped(self.tr("Follow relations per tag")), labels,
                           [(self.tr("Relations"), [c.relations for c in shown])],
                           horizontal=True)
        self.tags_view.setChart(chart)

    def _draw_days(self, series: audit.DaySeries) -> None:
        self.days = series
        sets = [(LABELS.source(source), list(values)) for source, values in series.counts.items()]
        chart = _bar_chart(self._of_department(self.tr("Journal rows per day, by source")),
                           [day[5:] for day in series.days], sets)
        self.days_view.setChart(chart)

    def _draw_operators(self, counts: list[audit.OperatorCount]) -> None:
        self.operators = counts
        shown = list(reversed(counts))
        chart = _bar_chart(self._of_department(self.tr(
            "Changes per operator (seen-at-sync changes left out)")),
                           [c.name for c in shown],
                           [(self.tr("Changes"), [c.changes for c in shown])], horizontal=True)
        self.operators_view.setChart(chart)

    def _draw_health(self, health: audit.Health) -> None:
        self.health = health
        pie = QPieSeries()
        pie.append(self.tr("Tagged customers"), health.customers - health.untagged_customers)
        pie.append(self.tr("Untagged customers"), health.untagged_customers)
        for piece in pie.slices():
            piece.setLabelVisible(True)
            piece.setLabel(f"{piece.label()} {int(piece.value()):,}")
        chart = QChart()
        chart.setTitle(self._scoped(self.tr("Customers with and without tags")))
        chart.addSeries(pie)
        self.health_view.setChart(chart)
        lines = [self.tr("%1 of %2 carry no tag; %3 of %4 carry none.")
                 .replace("%1", f"{health.untagged_customers:,}")
                 .replace("%2", COUNTS.customers(health.customers))
                 .replace("%3", f"{health.untagged_relations:,}")
                 .replace("%4", COUNTS.relations(health.relations))]
        if not health.conflicts:
            lines.append(self.tr("No mutually exclusive tag sets are defined."))
        for conflict in health.conflicts:
            lines.append(self.tr("%1 (%2): %3 on %4 carry two or more.")
                         .replace("%1", conflict.set_name)
                         .replace("%2", list_text(conflict.tag_names))
                         .replace("%3", COUNTS.customers(conflict.customers))
                         .replace("%4", COUNTS.relations(conflict.relations)))
        self.health_text.setText("<br>".join(html.escape(line) for line in lines))

    # -- saving --------------------------------------------------------------------------

    def current_chart_view(self) -> QChartView:
        views = (self.tags_view, self.days_view, self.operators_view, self.health_view)
        return views[self.tabs.currentIndex()]

    def save_png(self, path: Path, view: QChartView | None = None) -> bool:
        """Save a chart (the visible one by default) as a PNG image."""
        target = view or self.current_chart_view()
        if not target.isVisible():
            target.resize(900, 560)
        return target.grab().save(str(path), "PNG")

    def _ask_save(self) -> None:
        chosen = ask_path(self, self.tr("Save chart"), "PNG (*.png)", save=True,
                          suggested="chart.png")
        if chosen is not None:
            path = chosen.with_suffix(".png")
            saved = self.save_png(path)
            self.texts.say(self.notice, lambda: (
                self.tr("Saved %1") if saved else self.tr("Could not save %1")).replace(
                    "%1", str(path)))

    def _tab_changed(self, index: int) -> None:
        self.texts.say(self.notice, str)
        if index in (1, 2):
            self._move_changes_controls(index)

    def _move_changes_controls(self, index: int) -> None:
        """The period and department above the changes chart on tab `index`."""
        old, page = self.changes_controls.parentWidget(), self.tabs.widget(index)
        if old is page or page is None:
            return
        old_layout = old.layout() if old is not None else None
        if old_layout is not None:
            old_layout.removeWidget(self.changes_controls)
        layout = page.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, self.changes_controls)

    def showEvent(self, event: QShowEvent) -> None:
        """Opened again: counted afresh, since on a team profile other desktops, phones and
        the server's jobs add to the team journal without a change on this desktop."""
        super().showEvent(event)
        if self._shown_before and not event.spontaneous():
            self.refresh()
        self._shown_before = True


def _managed(rules: TeamRules | None) -> frozenset[int]:
    """The departments the team's rules give this user beyond those they lead in WeCom:
    their branches, or every department for an administrator."""
    if rules is None:
        return frozenset()
    return frozenset(rules.chart.names) if rules.actor.admin else (
        rules.actor.headed | rules.actor.branches)


def _chart_view() -> QChartView:
    view = QChartView()
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    return view


def _page(view: QChartView, *controls: QWidget, below: QWidget | None = None) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    if controls:
        row = QHBoxLayout()
        for control in controls:
            row.addWidget(control)
        row.addStretch(1)
        layout.addLayout(row)
    layout.addWidget(view, 1)
    if below is not None:
        layout.addWidget(below)
    return page


def _bar_chart(
    title: str, categories: list[str], sets: list[tuple[str, list[int]]], *,
    horizontal: bool = False,
) -> QChart:
    """Bars per category; several sets stack (vertical charts) so a day's total shows."""
    series: QAbstractBarSeries = QHorizontalBarSeries() if horizontal else QStackedBarSeries()
    for label, values in sets:
        bar_set = QBarSet(label)
        bar_set.append([float(v) for v in values])
        series.append(bar_set)
    chart = QChart()
    chart.setTitle(title)
    chart.addSeries(series)
    category_axis = QBarCategoryAxis()
    category_axis.append(categories)
    category_axis.setTruncateLabels(False)     # Qt elides to "..." long before space runs out
    if not horizontal and len(categories) > MANY_CATEGORIES:
        category_axis.setLabelsAngle(-90)      # a month of days stays readable
    value_axis = QValueAxis()
    value_axis.setLabelFormat("%'d")   # 10,000, as every count in the window reads
    top = max((sum(column) for column in zip(*(v for _, v in sets), strict=True)), default=0)
    value_axis.setRange(0, max(1, top))
    value_axis.applyNiceNumbers()
    _whole_number_ticks(value_axis)
    chart.addAxis(category_axis, Qt.AlignmentFlag.AlignLeft if horizontal
                  else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom if horizontal
                  else Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(category_axis)
    series.attachAxis(value_axis)
    chart.legend().setVisible(len(sets) > 1)
    return chart


def _whole_number_ticks(axis: QValueAxis) -> None:
    """Counts are whole numbers: below a step of 1 the whole-number labels would repeat (0 0 0 0 1),
    so a small range gets one tick per unit."""
    span = round(axis.max() - axis.min())
    if axis.tickCount() > 1 and span < axis.tickCount() - 1:
        axis.setTickCount(span + 1)
