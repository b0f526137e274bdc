"""Behaviour events in the app: 标签 → 行为事件….

The stored events, newest first, filtered by type, customer and a date range, with the number
they match and how many of each type each day; export writes everything they match to .xlsx or
.csv. Every query runs on a worker: the table holds one page of `PAGE` rows and asks for the
next as it is scrolled, so 240,000 events open as fast as 240. On a team profile the window
first fetches what is new on the team server, as `tagdesk events list` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.events import Event, type_name
from desktop.services.event_table import EventFilter, export_events
from desktop.services.progress import CancelToken, Progress
from desktop.services.team_events import fetch_if_team
from desktop.store import chats, events, members
from desktop.store.db import Cache
from desktop.ui.context import AppContext
from desktop.ui.errors import readable
from desktop.ui.events_dialog import EventsDialog
from desktop.ui.file_dialogs import ask_path
from desktop.ui.i18n import datetime_text, is_english
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.tasks import Task

PAGE = 500
ANY_DAY = QDate(2000, 1, 1)      # the date fields' "no bound" value, shown as 不限 / Any
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class EventPage:
    generation: int
    offset: int
    rows: list[tuple[Event, str]]
    names: dict[str, str]
    members: dict[str, str]


@dataclass(frozen=True)
class EventsLoaded:
    generation: int
    total: int
    kinds: list[str]
    summary: list[events.DayCount]
    first: EventPage


def load_page(cache: Cache, where: EventFilter, generation: int, offset: int) -> EventPage:
    rows = events.listed(cache, **where.args(), limit=PAGE, offset=offset)
    return EventPage(generation, offset, rows,
                     chats.customer_names(cache, (e.external_userid for e, _ in rows)),
                     members.member_names(cache))


class EventTableModel(QAbstractTableModel):
    """The events one filter matches, a page at a time: `fetchMore` asks `load_more`."""

    COLUMNS = 8

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[Event, str]] = []
        self.names: dict[str, str] = {}
        self.members: dict[str, str] = {}
        self.total = 0
        self.generation = 0
        self.loading = False
        self.load_more: Callable[[int, int], None] | None = None   # (generation, offset)

    def reset(self, total: int, page: EventPage) -> None:
        self.beginResetModel()
        self.generation, self.total = page.generation, total
        self.rows, self.names = list(page.rows), dict(page.names)
        self.members = dict(page.members)
        self.loading = False
        self.endResetModel()

    def append(self, page: EventPage) -> None:
        if page.generation != self.generation or page.offset != len(self.rows):
            return
        self.loading = False
        if page.rows:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self.rows.extend(page.rows)
            self.names.update(page.names)
            self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self.loading and len(self.rows) < self.total

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent) and self.load_more is not None:
            self.loading = True
            self.load_more(self.generation, len(self.rows))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        event, source = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(event, source, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (1, 2, 3):
            return (event.external_userid, event.userid, event.type)[column - 1]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, event: Event, source: str, column: int) -> str:
        if column == 0:
            return datetime_text(event.ts)
        if column == 1:
            return self.names.get(event.external_userid) or event.external_userid
        if column == 6:
            return "" if event.value is None else f"{event.value:,.2f}".rstrip("0").rstrip(".")
        if column == 2:
            return self.members.get(event.userid) or event.userid
        if column == 3:
            return type_name(event.type, is_english())
        if column == 7:
            return self.tr("file import") if source == "file" else source
        return (event.name, event.detail)[column - 4]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Time"), self.tr("Customer"), self.tr("Member"), self.tr("Type"),
                self.tr("Name"), self.tr("Detail"), self.tr("Value"), self.tr("Source"))[section]


class EventsBrowser(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventsBrowser")
        self.context = context
        self.loaded: EventsLoaded | None = None
        self.generation = 0
        self.where = EventFilter()
        self.importer: EventsDialog | None = None
        self.resize(980, 640)
        self.kind = QComboBox()
        self.kind.setMinimumContentsLength(14)
        self.customer = QLineEdit()
        self.customer.setClearButtonEnabled(True)
        self.since, self.until = self._date_field(), self._date_field()
        self.kind_label, self.customer_label = QLabel(), QLabel()
        self.since_label, self.until_label = QLabel(), QLabel()
        self.refresh_button = QPushButton()
        self.import_button = QPushButton()
        self.export_button = QPushButton()
        self.cancel_export = QPushButton()
        self.cancel_export.setVisible(False)
        self.exporting: Task | None = None
        self.summary = QLabel()
        self.summary.setObjectName("eventsCount")
        self.summary.setWordWrap(True)
        self.model = EventTableModel(self)
        self.model.load_more = self._load_more
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.per_day = QTreeWidget()
        self.per_day.setRootIsDecorated(False)
        self.per_day.setAlternatingRowColors(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "")
        self.tabs.addTab(self.per_day, "")
        filters = QHBoxLayout()
        for label, field in ((self.kind_label, self.kind), (self.customer_label, self.customer),
                             (self.since_label, self.since), (self.until_label, self.until)):
            filters.addWidget(label)
            filters.addWidget(field, 1 if field is self.customer else 0)
        filters.addWidget(self.refresh_button)
        actions = QHBoxLayout()
        actions.addWidget(self.summary, 1)
        actions.addWidget(self.import_button)
        actions.addWidget(self.export_button)
        actions.addWidget(self.cancel_export)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.tabs, 1)
        self.kind.currentIndexChanged.connect(lambda _n: self.refresh())
        self.customer.returnPressed.connect(self.refresh)
        self.since.dateChanged.connect(lambda _d: self.refresh())
        self.until.dateChanged.connect(lambda _d: self.refresh())
        self.refresh_button.clicked.connect(lambda: self.refresh(fetch=True))
        self.import_button.clicked.connect(self.open_import)
        self.export_button.clicked.connect(self._choose_export)
        self.cancel_export.clicked.connect(self.stop_export)
        self.texts = retranslate_in_place(self, self.retranslate)
        self.refresh(fetch=True)

    def _date_field(self) -> QDateEdit:
        field = QDateEdit()
        field.setCalendarPopup(True)
        field.setDisplayFormat("yyyy-MM-dd")
        field.setMinimumDate(ANY_DAY)
        field.setDate(ANY_DAY)
        return field

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Behaviour events"))
        self.kind_label.setText(self.tr("Type"))
        self.customer_label.setText(self.tr("Customer"))
        self.customer.setPlaceholderText(self.tr("external_userid, Enter to apply"))
        self.since_label.setText(self.tr("From"))
        self.until_label.setText(self.tr("To"))
        for field in (self.since, self.until):
            field.setSpecialValueText(self.tr("Any"))
        if self.kind.count():
            self.kind.setItemText(0, self.tr("All types"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.import_button.setText(self.tr("Import…"))
        self.export_button.setText(self.tr("Export…"))
        self.cancel_export.setText(self.tr("Cancel export"))
        self.tabs.setTabText(0, self.tr("Events"))
        self.tabs.setTabText(1, self.tr("Per type per day"))
        self.per_day.setHeaderLabels([self.tr("Day"), self.tr("Type"), self.tr("Events")])
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0,
                                          EventTableModel.COLUMNS - 1)
        if self.loaded is not None:     # titles and type names are as wide as the language
            self.table.resizeColumnsToContents()
        self._say_count()

    # -- the filters -------------------------------------------------------------------------

    def current_filter(self) -> EventFilter:
        kind = self.kind.currentData()
        return EventFilter(customer=self.customer.text().strip() or None,
                           kind=kind if isinstance(kind, str) else None,
                           since=_midnight(self.since.date(), 0),
                           until=_midnight(self.until.date(), 1))

    def refresh(self, *, fetch: bool = False) -> Task:
        """Count, summarise and load the first page for the filters (first fetching the team
        server's new events when `fetch`)."""
        self.generation += 1
        self.where = where = self.current_filter()
        generation = self.generation
        workspace = self.context.workspace

        def work(_progress: Any, _cancel: Any) -> EventsLoaded:
            if fetch:
                fetch_if_team(workspace)
            cache = workspace.cache
            return EventsLoaded(generation, events.counted(cache, **where.args()),
                                events.kinds(cache),
                                events.per_type_per_day(cache, **where.args()),
                                load_page(cache, where, generation, 0))

        self.texts.say(self.summary, lambda: self.tr("Reading events…"))
        return self.context.run_task(work, owner=self, name="events", writer=fetch,
                                     on_result=self._loaded, on_error=self._failed)

    def _loaded(self, loaded: EventsLoaded) -> None:
        if loaded.generation != self.generation:
            return
        self.loaded = loaded
        self._offer_kinds(loaded.kinds)
        self.model.reset(loaded.total, loaded.first)
        self.table.resizeColumnsToContents()
        self.per_day.clear()
        for row in loaded.summary:
            item = QTreeWidgetItem([row.day, type_name(row.type, is_english()),
                                    f"{row.events:,}"])
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.per_day.addTopLevelItem(item)
        self._say_count()

    def _offer_kinds(self, kinds: list[str]) -> None:
        chosen = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(self.tr("All types"), None)
        for kind in kinds:
            self.kind.addItem(type_name(kind, is_english()), kind)
        if isinstance(chosen, str) and chosen not in kinds:
            self.kind.addItem(chosen, chosen)
        self.kind.setCurrentIndex(max(0, self.kind.findData(chosen)) if chosen else 0)
        self.kind.blockSignals(False)

    def _say_count(self) -> None:
        loaded = self.loaded
        if loaded is None:
            return
        per_type: dict[str, int] = {}
        for row in loaded.summary:
            per_type[row.type] = per_type.get(row.type, 0) + row.events
        total = f"{loaded.total:,}"

        def said() -> str:
            kinds = " · ".join(f"{type_name(kind, is_english())} {n:,}"
                               for kind, n in sorted(per_type.items()))
            return (self.tr("%1 events match: %2", "", loaded.total).replace("%1", total)
                    .replace("%2", kinds or "-"))

        self.texts.say(self.summary, said)

    def _failed(self, exc: BaseException) -> None:
        self.model.loading = False
        self.texts.say(self.summary, lambda: readable(exc))

    def _load_more(self, generation: int, offset: int) -> None:
        where, cache = self.where, self.context.workspace.cache

        def work(_progress: Any, _cancel: Any) -> EventPage:
            return load_page(cache, where, generation, offset)

        self.context.run_task(work, owner=self, name="more events",
                              on_result=self.model.append, on_error=self._failed)

    # -- import and export -------------------------------------------------------------------

    def open_import(self) -> EventsDialog:
        """The import window; the list is read again after each import."""
        if self.importer is None:
            self.importer = EventsDialog(self.context, self)
            self.importer.finished.connect(lambda _code: self.refresh())
        self.importer.show()
        self.importer.raise_()
        return self.importer

    def _choose_export(self) -> None:
        path = ask_path(self, self.tr("Export events"),
                        self.tr("Excel workbook (*.xlsx);;CSV (*.csv)"), save=True,
                        suggested="events.xlsx")
        if path is not None:
            self.export(path)

    def export(self, path: Path) -> Task:
        """Write every event the shown filters match to `path` (.xlsx or .csv) on a worker."""
        where, cache = self.where, self.context.workspace.cache

        def work(progress: Any, cancel: CancelToken) -> int:
            return export_events(cache, path, where, progress=progress, cancel=cancel)

        def done(rows: int) -> None:
            self._exported()
            self.texts.say(self.summary, lambda: self.tr("Exported %1 events to %2", "", rows)
                           .replace("%1", f"{rows:,}").replace("%2", path.name))

        def failed(exc: BaseException) -> None:
            self._exported()
            self._failed(exc)

        def progressed(event: Progress) -> None:
            shown = f"{event.done:,}/{event.total:,}"
            self.texts.say(self.summary, lambda: self.tr("Exporting to %1… %2")
                           .replace("%1", path.name).replace("%2", shown))

        self.export_button.setEnabled(False)
        self.cancel_export.setVisible(True)
        self.texts.say(self.summary, lambda: self.tr("Exporting to %1… %2")
                       .replace("%1", path.name).replace("%2", ""))
        self.exporting = self.context.run_task(work, owner=self, name="export events",
                                               on_result=done, on_error=failed,
                                               on_progress=progressed)
        return self.exporting

    def stop_export(self) -> None:
        """Cancel the running export: no file is left behind."""
        if self.exporting is not None:
            self.exporting.cancel()

    def _exported(self) -> None:
        self.exporting = None
        self.export_button.setEnabled(True)
        self.cancel_export.setVisible(False)


def _midnight(day: QDate, days_after: int) -> float | None:
    """Local midnight of `day` (+ `days_after` days) in epoch seconds; None for 不限 / Any."""
    if day == ANY_DAY or not day.isValid():
        return None
    chosen = date(day.year(), day.month(), day.day()) + timedelta(days=days_after)
    return datetime.combine(chosen, time.min).timestamp()
