"""Table models over the audit journal: rows (an id list plus a page cache) and batch lines.

The rows model never holds a million rows. A filter first fetches its newest
page (what the user sees at once), then the full list of matching ids on a
worker thread (8 bytes a row); `data()` loads rows a page at a time by id.
Newest first, the order of the hash chain. A new filter swaps the id list; a
write that appends to the journal runs the filter again.

The journal is the context's (`journal_reader`): this computer's, or for a team
profile the team server's, whose pages are read on a worker thread as they come
into view (their lines say "Loading…" until then), never on the GUI thread.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from desktop.domain.sort_key import pinyin_sort_key
from desktop.services.changes import ChangeSet
from desktop.services.progress import CancelToken, reads_stopped_by
from desktop.store import members
from desktop.store.journal_query import PAGE_SIZE, BatchSummary, JournalFilter, JournalRow
from desktop.ui.context import AppContext
from desktop.ui.i18n import datetime_text, in_ui_language

MAX_PAGES = 64
RowRole = Qt.ItemDataRole.UserRole + 1      # the JournalRow / BatchSummary behind a line
MUTED = QColor("#8a8f98")

AnyIndex = QModelIndex | QPersistentModelIndex


class RowColumn(IntEnum):
    TIME = 0
    OPERATOR = 1
    ACTION = 2
    SOURCE = 3
    CUSTOMER = 4
    OWNER = 5
    TAG = 6
    GROUP = 7
    BATCH = 8
    REASON = 9


class BatchColumn(IntEnum):
    LAST = 0
    BATCH = 1
    OPERATORS = 2
    SOURCES = 3
    ROWS = 4
    ADDED = 5
    REMOVED = 6
    OTHER = 7
    DESCRIPTION = 8


ROW_SORT_KEYS = {
    RowColumn.TIME: "time", RowColumn.OPERATOR: "operator", RowColumn.ACTION: "action",
    RowColumn.SOURCE: "source", RowColumn.CUSTOMER: "customer", RowColumn.OWNER: "owner",
    RowColumn.TAG: "tag", RowColumn.GROUP: "group", RowColumn.BATCH: "batch",
    RowColumn.REASON: "reason",
}
"""The journal's `sorted_ids` key of each column (this computer's or the team server's)."""
NEWEST_FIRST = (RowColumn.TIME, Qt.SortOrder.DescendingOrder)


@dataclass(frozen=True)
class Loaded:
    """What the last finished filter found, and how long it took."""

    flt: JournalFilter
    count: int
    first_page_s: float
    total_s: float


def time_text(ts: float) -> str:
    return datetime_text(ts)


class _Labels(QObject):
    """Readable names of actions and sources, translatable in one place."""

    def action(self, key: str) -> str:
        names = {
            "tag_add": self.tr("Tag added"), "tag_remove": self.tr("Tag removed"),
            "tag_create": self.tr("Tag created"), "tag_rename": self.tr("Tag renamed"),
            "tag_delete": self.tr("Tag deleted"), "tag_reorder": self.tr("Tags reordered"),
            "group_create": self.tr("Group created"), "group_rename": self.tr("Group renamed"),
            "group_delete": self.tr("Group deleted"),
            "group_reorder": self.tr("Groups reordered"),
            "tag_restore": self.tr("Deleted tag restored"),
            "customer_add": self.tr("Customer added"),
            "customer_delete": self.tr("Customer deleted"),
            "exclusive_set_add": self.tr("Exclusive set added"),
            "exclusive_set_remove": self.tr("Exclusive set removed"),
            "abbreviation_set": self.tr("Abbreviation set"),
            "saved_filter_save": self.tr("Team filter saved"),
            "saved_filter_remove": self.tr("Team filter deleted"),
            "suggested_favourites_set": self.tr("Suggested favourites set"),
            "autotag_keywords_set": self.tr("Auto-tagging keywords set"),
            "autotag_keywords_remove": self.tr("Auto-tagging keywords removed"),
            "refused": self.tr("Refused by the team server"),
            "policy_set": self.tr("Team policy changed"),
            "approval_requested": self.tr("Approval requested"),
            "approval_approved": self.tr("Request approved"),
            "approval_rejected": self.tr("Request rejected"),
            "approval_expired": self.tr("Request expired"),
            "approval_gone": self.tr("Request closed: the tag was gone"),
            "approval_failed": self.tr("Request failed"),
            "approval_restored": self.tr("Restored from a request's snapshot"),
            "approval_withdrawn": self.tr("Request withdrawn"),
            "rule_added": self.tr("Team rule added"),
            "rule_replaced": self.tr("Team rule changed"),
            "rule_enabled": self.tr("Team rule enabled"),
            "rule_disabled": self.tr("Team rule disabled"),
            "rule_removed": self.tr("Team rule removed"),
            "externalcontact/edit_corp_tag": self.tr("Tag or group edited"),
            "externalcontact/edit_strategy_tag": self.tr("Rule-group tag edited"),
            "externalcontact/customer_strategy/edit": self.tr("Rule group edited"),
            "externalcontact/customer_strategy/del": self.tr("Rule group deleted"),
            "externalcontact/add_contact_way": self.tr("Live code created"),
            "externalcontact/update_contact_way": self.tr("Live code changed"),
            "externalcontact/del_contact_way": self.tr("Live code deleted"),
            "message/send": self.tr("App message sent"),
        }
        return names.get(key, key)

    def source(self, key: str) -> str:
        return self._sources().get(key, key)

    def source_order(self) -> tuple[str, ...]:
        """The sources in the order of their labels in the UI's language (pinyin in Chinese),
        as the 来源 column sorts."""
        names = self._sources()
        return tuple(sorted(names, key=lambda code: pinyin_sort_key(names[code])))

    def _sources(self) -> dict[str, str]:
        return {
            "app": self.tr("By hand"), "batch": self.tr("Batch"), "import": self.tr("Import"),
            "rule": self.tr("Rule"), "migration": self.tr("Migration"), "undo": self.tr("Undo"),
            "redo": self.tr("Redo"),
            "revert": self.tr("Revert"), "observed": self.tr("Seen at sync"),
            "tree": self.tr("Tag library edit"), "autotag": self.tr("Auto-tagging"),
            "settings": self.tr("Team settings"),
            "relay": self.tr("Through the team server"),
            "callback": self.tr("On a phone (WeCom callback)"),
            "governance": self.tr("Governance"),
            "restore": self.tr("Tag restore"),
            "reconcile": self.tr("Order reconciliation"),
            "expiry": self.tr("Tag expiry"),
            "livecode": self.tr("Live code"),
            "pretag": self.tr("Pre-tag"),
        }

    def status(self, key: str) -> str:
        """A batch's state (the outbox's words) for people."""
        names = {
            "planned": self.tr("queued"), "pilot": self.tr("in its pilot"),
            "running": self.tr("running"), "paused": self.tr("paused"),
            "done": self.tr("done"), "cancelled": self.tr("cancelled"),
        }
        return names.get(key, key)

    def journal_title(self, title: str, team_url: str) -> str:
        """A window title that says whose journal it shows: the team server's, by its
        address (never mixed with this computer's mirror of it), or this computer's."""
        if not team_url:
            return title
        return self.tr("%1 · team journal on %2").replace("%1", title).replace("%2", team_url)

    def unknown_operator(self) -> str:
        """Who made a change seen at sync: WeCom does not say."""
        return self.tr("WeCom client / unknown, seen at sync")

    def probably(self, who: str) -> str:
        return self.tr("probably %1").replace("%1", who)

    def window(self, start: float, end: float) -> str:
        return self.tr("made between %1 and %2").replace("%1", time_text(start)).replace(
            "%2", time_text(end))


LABELS = _Labels()


class AuditRowsModel(QAbstractTableModel):
    """Journal rows matching a filter, newest first."""

    loading = Signal()
    loaded = Signal(object)          # Loaded
    failed = Signal(object)          # the exception
    sortChanged = Signal(int, Qt.SortOrder)   # the order shown (kept when one is refused)

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._filter = JournalFilter()
        self._order: tuple[RowColumn, Qt.SortOrder] = NEWEST_FIRST
        self._ids: Sequence[int] = ()
        self._complete = False
        self._pages: OrderedDict[int, dict[int, JournalRow]] = OrderedDict()
        self._fetching: set[int] = set()     # pages of a remote journal being read
        self._generation = 0
        self._reading: list[CancelToken] = []   # the reads of the query shown
        self.last: Loaded | None = None
        context.changed.connect(self._on_changed)

    # -- filtering -------------------------------------------------------------

    @property
    def journal_filter(self) -> JournalFilter:
        return self._filter

    @property
    def ids(self) -> Sequence[int]:
        """Ids of every row shown (all of them once `loaded` has been emitted)."""
        return self._ids

    @property
    def complete(self) -> bool:
        return self._complete

    @property
    def order(self) -> tuple[RowColumn, Qt.SortOrder]:
        return self._order

    def sortable(self, column: int) -> bool:
        key = ROW_SORT_KEYS.get(RowColumn(column)) if 0 <= column < len(RowColumn) else None
        return key is not None and key in self._context.journal.sort_keys

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort every matching row by a column, in SQL (on the team server for a team
        journal); a column the journal cannot sort by keeps the order shown."""
        if not self.sortable(column):
            self.sortChanged.emit(*self._order)
            return
        if (RowColumn(column), order) == self._order:
            return
        self._order = (RowColumn(column), order)
        self.sortChanged.emit(*self._order)
        self.set_filter(self._filter)

    def set_filter(self, flt: JournalFilter) -> None:
        """Show the first page as soon as it is read, then every matching id."""
        self._filter = flt
        self._generation += 1
        generation = self._generation
        for reading in self._reading:   # a sort of a million rows nobody waits for stops
            reading.cancel()
        self._reading.clear()
        self._pages.clear()  # rows read before this query may have changed since
        self._fetching.clear()
        journal = self._context.journal
        started = time.perf_counter()
        self.loading.emit()
        first_page_s = 0.0

        def page_done(rows: list[JournalRow] | None) -> None:
            nonlocal first_page_s
            if rows is None:   # only the whole sort tells the first rows
                return
            first_page_s = time.perf_counter() - started
            if generation == self._generation and not self._complete:
                self._apply([r.id for r in rows], {r.id: r for r in rows}, complete=False)

        def ids_done(ids: Sequence[int]) -> None:
            if generation != self._generation:
                return
            self._apply(ids, None, complete=True)
            total = time.perf_counter() - started
            self.last = Loaded(flt, len(ids), first_page_s or total, total)
            self.loaded.emit(self.last)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.failed.emit(exc)

        self._complete = False
        column, order = self._order
        if self._order != NEWEST_FIRST:
            key, descending = ROW_SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder
            labels = LABELS.source_order() if key == "source" else ()
            if key != "time":   # its failure is said by the whole sort's, which follows
                self._read(lambda: journal.sorted_first_page(flt, key, descending, PAGE_SIZE,
                                                             labels),
                           "audit sorted first page", page_done, lambda _exc: None)
            self._read(lambda: journal.sorted_ids(flt, key, descending, labels),
                       "audit sorted ids", ids_done, failed)
            return
        self._read(lambda: journal.first_page(flt, PAGE_SIZE), "audit first page", page_done,
                   failed)
        self._read(lambda: journal.matching_ids(flt), "audit ids", ids_done, failed)

    def _read(self, read: Callable[[], Any], name: str, on_result: Callable[[Any], None],
              on_error: Callable[[BaseException], None]) -> None:
        """`read` on a worker, stopped (not begun, or its statement interrupted) when the
        next filter or sort replaces this query: clicking through six headers of a million
        rows queued twelve whole sorts, and the last one's rows came minutes later."""
        cache = self._context.cache

        def work(_progress: Any, cancel: CancelToken) -> Any:
            with reads_stopped_by(cache, cancel):
                return read()

        task = self._context.run_task(work, owner=self, name=name, on_result=on_result,
                                      on_error=on_error)
        self._reading.append(task.cancel_token)

    def refresh(self) -> None:
        self.set_filter(self._filter)

    def _apply(self, ids: Sequence[int], page: dict[int, JournalRow] | None,
               *, complete: bool) -> None:
        shown = len(self._ids)
        grows = (complete and not self._complete and shown and len(ids) >= shown
                 and list(ids[:shown]) == list(self._ids))
        if grows and len(ids) > shown:  # the first page stays put; the rest goes below it
            self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
            self._ids = ids
            self.endInsertRows()
        elif grows:
            self._ids = ids
            if ids:  # same ids as before, but their rows are read again
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(ids) - 1, self.columnCount() - 1))
        else:
            self.beginResetModel()
            self._ids = ids
            self._pages.clear()
            self._fetching.clear()
            if page:
                self._pages[0] = page
            self.endResetModel()
        self._complete = complete

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.journal_appended or changes.full_reload:
            self.refresh()

    # -- rows ------------------------------------------------------------------

    def row_at(self, row: int) -> JournalRow | None:
        """The journal row shown on line `row` (None when the journal lacks it)."""
        if not 0 <= row < len(self._ids):
            return None
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            ids = self._ids[page_no * PAGE_SIZE : (page_no + 1) * PAGE_SIZE]
            journal = self._context.journal
            if journal.remote:
                self._fetch(page_no, ids)
                return None
            page = self._keep(page_no, journal.load_rows(ids))
        else:
            self._pages.move_to_end(page_no)
        return page.get(self._ids[row])

    def loading_row(self, row: int) -> bool:
        """Line `row` waits for its page from the team server."""
        return row // PAGE_SIZE in self._fetching

    def _keep(self, page_no: int, rows: list[JournalRow]) -> dict[int, JournalRow]:
        page = {r.id: r for r in rows}
        self._pages[page_no] = page
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def _fetch(self, page_no: int, ids: Sequence[int]) -> None:
        """Read one page of a remote journal on a worker thread; its lines update then."""
        if page_no in self._fetching:
            return
        self._fetching.add(page_no)
        generation, journal, wanted = self._generation, self._context.journal, list(ids)

        def done(rows: list[JournalRow]) -> None:
            if generation != self._generation or page_no not in self._fetching:
                return
            self._fetching.discard(page_no)
            self._keep(page_no, rows)
            first = page_no * PAGE_SIZE
            last = min(len(self._ids), first + PAGE_SIZE) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0),
                                      self.index(last, self.columnCount() - 1))

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._fetching.discard(page_no)
                self.failed.emit(exc)

        self._context.run_task(lambda _p, _c: journal.load_rows(wanted), owner=self,
                               name="audit page", on_result=done, on_error=failed)

    def rows_at(self, rows: Sequence[int]) -> list[JournalRow]:
        return [r for r in (self.row_at(i) for i in sorted(rows)) if r is not None]

    # -- Qt model API ----------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(RowColumn)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        """Never fetches: selecting a million rows must stay instant."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole
                or not 0 <= section < len(RowColumn)):
            return None
        return self.column_titles()[RowColumn(section)]

    def column_titles(self) -> dict[RowColumn, str]:
        return {
            RowColumn.TIME: self.tr("Time"), RowColumn.OPERATOR: self.tr("Operator"),
            RowColumn.ACTION: self.tr("Action"), RowColumn.SOURCE: self.tr("Source"),
            RowColumn.CUSTOMER: self.tr("Customer"), RowColumn.OWNER: self.tr("Owner"),
            RowColumn.TAG: self.tr("Tag"), RowColumn.GROUP: self.tr("Group"),
            RowColumn.BATCH: self.tr("Batch"), RowColumn.REASON: self.tr("Reason"),
        }

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, RowRole,
                        Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole):
            return None
        row = self.row_at(index.row())
        if row is None:
            return self._missing(index.row(), index.column(), role)
        if role == RowRole:
            return row
        if role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole):
            return MUTED if (row.observed and index.column() == RowColumn.OPERATOR
                             and role == Qt.ItemDataRole.ForegroundRole) else None
        if (role == Qt.ItemDataRole.ToolTipRole and index.column() == RowColumn.TIME
                and row.observed and row.seen_after):
            return LABELS.window(row.seen_after, row.ts)
        return cell_text(row, RowColumn(index.column()))

    def _missing(self, row: int, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and self.loading_row(row):
            return self.tr("Loading…") if column == RowColumn.TIME else ""
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr("(row %1 is missing: run the journal check)").replace(
                "%1", str(self._ids[row]))
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            return font
        return MUTED if role == Qt.ItemDataRole.ForegroundRole else None


def cell_text(row: JournalRow, column: RowColumn) -> str:
    """The text of one cell (also what Copy puts on the clipboard)."""
    if column == RowColumn.TIME:
        return time_text(row.ts)
    if column == RowColumn.OPERATOR:
        return operator_text(row)
    if column == RowColumn.ACTION:
        return LABELS.action(row.action)
    if column == RowColumn.SOURCE:
        return LABELS.source(row.source)
    if column == RowColumn.CUSTOMER:
        return row.customer or row.external_userid
    if column == RowColumn.OWNER:
        return _person(row.owner_name, row.userid)
    texts = {RowColumn.TAG: row.tag_name, RowColumn.GROUP: row.group_name,
             RowColumn.BATCH: row.batch_id, RowColumn.REASON: in_ui_language(row.reason)}
    return texts[column]


def operator_text(row: JournalRow) -> str:
    """Who made the change; for a change seen at sync nobody known, and the probable one."""
    if not row.observed:
        return _person(row.operator_name, row.operator)
    if not row.probable_operator:
        return LABELS.unknown_operator()
    name = row.owner_name if row.probable_operator == row.userid else ""
    return (f"{LABELS.unknown_operator()} ("
            f"{LABELS.probably(_person(name, row.probable_operator))})")


def lines_operators(line: BatchSummary, names: Mapping[str, str]) -> str:
    """The people of a batch line (`names`: userid → member name); changes seen at sync
    have none known."""
    people = [_person(names.get(userid, ""), userid) for userid in line.operators]
    if "observed" in line.sources:
        people.append(LABELS.unknown_operator())
    return ", ".join(people)


def _person(name: str, userid: str) -> str:
    return f"{name} ({userid})" if name and name != userid else userid


class AuditBatchesModel(QAbstractTableModel):
    """One line per batch (rows outside a batch: per source, operator and day)."""

    loading = Signal()
    loaded = Signal(int)
    failed = Signal(object)

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._filter = JournalFilter()
        self._lines: list[BatchSummary] = []
        self.member_names: dict[str, str] = {}
        self._generation = 0
        self._order: tuple[BatchColumn, Qt.SortOrder] = (
            BatchColumn.LAST, Qt.SortOrder.DescendingOrder)
        context.changed.connect(self._on_changed)

    @property
    def journal_filter(self) -> JournalFilter:
        return self._filter

    @property
    def lines(self) -> list[BatchSummary]:
        return self._lines

    def set_filter(self, flt: JournalFilter) -> None:
        self._filter = flt
        self._generation += 1
        generation = self._generation
        journal = self._context.journal
        self.loading.emit()

        def done(answer: tuple[list[BatchSummary], dict[str, str]]) -> None:
            if generation == self._generation:
                self.beginResetModel()
                lines, self.member_names = answer
                self._lines = self._sorted(lines)
                self.endResetModel()
                self.loaded.emit(len(self._lines))

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.failed.emit(exc)

        cache = self._context.cache
        self._context.run_task(
            lambda _p, _c: (journal.batch_summaries(flt), members.member_names(cache)),
            owner=self, name="audit batches", on_result=done, on_error=failed)

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.journal_appended or changes.full_reload:
            self.set_filter(self._filter)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the lines shown (every line of the filter is loaded: no new query)."""
        if not 0 <= column < len(BatchColumn):
            return
        self._order = (BatchColumn(column), order)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        lines = [self.line_at(index.row()) for index in before]
        self._lines = self._sorted(self._lines)
        rows = {id(line): row for row, line in enumerate(self._lines)}
        self.changePersistentIndexList(before, [
            self.index(rows[id(line)], index.column()) if line is not None else QModelIndex()
            for line, index in zip(lines, before, strict=True)])
        self.layoutChanged.emit()

    def _sorted(self, lines: list[BatchSummary]) -> list[BatchSummary]:
        column, order = self._order
        return sorted(lines, key=lambda line: self._sort_key(line, column),
                      reverse=order == Qt.SortOrder.DescendingOrder)

    def _sort_key(self, line: BatchSummary, column: BatchColumn) -> tuple[Any, ...]:
        added = line.by_action.get("tag_add", 0)
        removed = line.by_action.get("tag_remove", 0)
        numbers = {BatchColumn.LAST: line.last_ts, BatchColumn.ROWS: line.rows,
                   BatchColumn.ADDED: added, BatchColumn.REMOVED: removed,
                   BatchColumn.OTHER: line.rows - added - removed}
        if column in numbers:
            return (numbers[column], line.last_ts)
        return (pinyin_sort_key(self._text(line, column)), line.last_ts)

    def line_at(self, row: int) -> BatchSummary | None:
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(BatchColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole
                or not 0 <= section < len(BatchColumn)):
            return None
        titles = {
            BatchColumn.LAST: self.tr("Last change"), BatchColumn.BATCH: self.tr("Batch"),
            BatchColumn.OPERATORS: self.tr("Operators"), BatchColumn.SOURCES: self.tr("Source"),
            BatchColumn.ROWS: self.tr("Changes"), BatchColumn.ADDED: self.tr("Added"),
            BatchColumn.REMOVED: self.tr("Removed"), BatchColumn.OTHER: self.tr("Tree edits"),
            BatchColumn.DESCRIPTION: self.tr("Description"),
        }
        return titles[BatchColumn(section)]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.line_at(index.row()) if index.isValid() else None
        if line is None:
            return None
        if role == RowRole:
            return line
        column = BatchColumn(index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
                BatchColumn.ROWS, BatchColumn.ADDED, BatchColumn.REMOVED, BatchColumn.OTHER):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return self._text(line, column)

    def _text(self, line: BatchSummary, column: BatchColumn) -> str:
        added = line.by_action.get("tag_add", 0)
        removed = line.by_action.get("tag_remove", 0)
        if column == BatchColumn.LAST:
            return time_text(line.last_ts)
        if column == BatchColumn.BATCH:
            if line.day is not None:
                return self.tr("%1 · not in a batch").replace("%1", line.day.isoformat())
            return line.batch_id
        if column == BatchColumn.OPERATORS:
            return lines_operators(line, self.member_names)
        if column == BatchColumn.SOURCES:
            return ", ".join(LABELS.source(s) for s in line.sources)
        if column == BatchColumn.ROWS:
            return f"{line.rows:,}"
        if column == BatchColumn.ADDED:
            return f"{added:,}"
        if column == BatchColumn.REMOVED:
            return f"{removed:,}"
        if column == BatchColumn.OTHER:
            return f"{line.rows - added - removed:,}"
        return described(line)


def described(line: BatchSummary) -> str:
    """A batch's description and state, as its row and the batch pane show them."""
    return " · ".join(t for t in (in_ui_language(line.description), LABELS.status(line.status))
                      if t)
