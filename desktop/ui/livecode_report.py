"""The live-code report tab: customers added per code per day over a date range.

One row per code (its state) with the range's total and a per-day sparkline, opened into one
row per day with a bar; counted in the background from the cache (the relations' `createtime`
and `state`), exportable to .xlsx or .csv.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.sparkline import sparkline
from desktop.services.livecodes import LiveCodeReport, LiveCodeService, export_report
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS
from desktop.ui.errors import readable
from desktop.ui.file_dialogs import ask_path
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.sortable_tree import SORT_ROLE, SortableItem, sort_on_header_click

DEFAULT_DAYS = 30
BAR_WIDTH = 20
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class LiveCodeReportView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.report: LiveCodeReport | None = None
        today = QDate.currentDate()
        self.since = _date_edit(today.addDays(1 - DEFAULT_DAYS))
        self.until = _date_edit(today)
        self.since_label, self.until_label = QLabel(), QLabel()
        self.refresh_button = QPushButton()
        self.export_button = QPushButton()
        self.export_button.setEnabled(False)
        self.table = QTreeWidget()
        self.table.setAlternatingRowColors(True)
        sort_on_header_click(self.table)      # by code, or by customers added (as numbers)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        bar = QHBoxLayout()
        for widget in (self.since_label, self.since, self.until_label, self.until,
                       self.refresh_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self._ask_export)
        self.texts = retranslate_in_place(self, self.retranslate)

    def showEvent(self, event: QShowEvent) -> None:
        """The first time the tab is shown, count the default range at once."""
        super().showEvent(event)
        if self.report is None and self.refresh_button.isEnabled():
            self.refresh()

    def retranslate(self) -> None:
        self.since_label.setText(self.tr("From"))
        self.until_label.setText(self.tr("to"))
        self.refresh_button.setText(self.tr("Count"))
        self.export_button.setText(self.tr("Export…"))
        self.table.setHeaderLabels([self.tr("State / day"), self.tr("Customers added"),
                                    self.tr("Per day")])
        if self.report is not None:
            self._fill(self.report)

    def range(self) -> tuple[date, date]:
        return _day(self.since.date()), _day(self.until.date())

    def refresh(self) -> None:
        """Count the customers each code brought per day in the chosen range; nothing can be
        exported until it is counted (an export meanwhile would write the previous range)."""
        since, until = self.range()
        workspace = self.context.workspace
        self.refresh_button.setEnabled(False)
        self.export_button.setEnabled(False)
        self.texts.say(self.summary, lambda: self.tr("Counting…"))

        def counted(report: LiveCodeReport) -> None:
            self.refresh_button.setEnabled(True)
            self._fill(report)

        def failed(exc: BaseException) -> None:
            self.refresh_button.setEnabled(True)
            self.texts.say(self.summary, lambda: readable(exc))

        self.context.run_task(lambda _p, _c: LiveCodeService(workspace).report(since, until),
                              owner=self, name="live-code report", on_result=counted,
                              on_error=failed)

    def _fill(self, report: LiveCodeReport) -> None:
        self.report = report
        since, until = self.range()
        days = [(since + timedelta(days=n)).isoformat() for n in range((until - since).days + 1)]
        per_state: dict[str, dict[str, int]] = {}
        for row in report.rows:
            per_state.setdefault(row.state, {})[row.day] = row.customers
        top = max((r.customers for r in report.rows), default=0)
        bar = QBrush(self.palette().color(QPalette.ColorRole.Highlight))
        self.table.setSortingEnabled(False)
        self.table.clear()
        for state, counts in sorted(per_state.items(), key=lambda kv: -sum(kv[1].values())):
            total = report.totals.get(state, 0)
            item = SortableItem([state, f"{total:,}",
                                 sparkline([counts.get(d, 0) for d in days])])
            item.setTextAlignment(1, RIGHT)
            item.setForeground(2, bar)
            for day, count in sorted(counts.items()):
                child = SortableItem([day, f"{count:,}",
                                      "█" * max(1, round(count * BAR_WIDTH / top))])
                child.setTextAlignment(1, RIGHT)
                child.setForeground(2, bar)
                for column in (1, 2):
                    child.setData(column, SORT_ROLE, count)
                item.addChild(child)
            for column in (1, 2):
                item.setData(column, SORT_ROLE, total)
            self.table.addTopLevelItem(item)
        self.table.setSortingEnabled(True)
        for column in range(self.table.columnCount()):
            self.table.resizeColumnToContents(column)
        day_width = (self.table.fontMetrics().horizontalAdvance("0000-00-00")
                     + 3 * self.table.indentation())     # the days are collapsed, yet shown
        self.table.setColumnWidth(0, max(self.table.columnWidth(0), day_width))
        total, codes = sum(report.totals.values()), len(per_state)
        self.texts.say(self.summary, lambda: self.tr(
            "%1 added through %2 from %3 to %4.")
            .replace("%1", COUNTS.customers(total)).replace("%2", COUNTS.live_codes(codes))
            .replace("%3", since.isoformat()).replace("%4", until.isoformat()))
        self.export_button.setEnabled(bool(report.rows))

    def export_to(self, path: Path) -> None:
        report = self.report
        if report is None:
            return
        self.context.run_task(
            lambda _p, _c: export_report(report, path), owner=self, name="live-code export",
            on_result=lambda rows: self.texts.say(self.summary, lambda: self.tr(
                "Exported %1 rows to %2.", "", rows).replace("%1", f"{rows:,}")
                .replace("%2", str(path))),
            on_error=lambda exc: self.texts.say(self.summary, lambda: readable(exc)))

    def _ask_export(self) -> None:
        path = ask_path(self, self.tr("Export the live-code report"),
                        "Excel (*.xlsx);;CSV (*.csv)", save=True, suggested="livecodes.xlsx")
        if path is not None:
            self.export_to(path)


def _date_edit(day: QDate) -> QDateEdit:
    edit = QDateEdit(day)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _day(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())
