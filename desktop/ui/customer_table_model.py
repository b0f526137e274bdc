"""The customer table: an ordered list of relation ids plus a page cache, never a proxy.

The filter engine turns (filter, sort column, direction) into the ordered id list
on a worker thread; the model swaps it in with one reset. `data()` reads rows
from a small page cache (`PAGE_SIZE` rows fetched with one query on a miss), so
100,000 rows cost only the pages the user actually looks at. A write never
resets the model: it drops the written rows from the cache and emits
`dataChanged` for them, and the rows show pending / done / failed meanwhile.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import Enum, IntEnum
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QIcon

from desktop.domain.filter import UnknownTagError, quote, tag_text
from desktop.services.changes import ChangeSet
from desktop.store.in_chunks import rows_in
from desktop.store.relations import RelationView, load_relations
from desktop.ui.context import AppContext
from desktop.ui.i18n import colon, date_text
from desktop.ui.style import icon

PAGE_SIZE = 200
MAX_PAGES = 64          # about 13,000 rows kept; older pages are dropped first

TagsRole = Qt.ItemDataRole.UserRole + 1          # tuple[Chip, ...] for the chips delegate
RelationIdRole = Qt.ItemDataRole.UserRole + 2
WriteStateRole = Qt.ItemDataRole.UserRole + 3

AnyIndex = QModelIndex | QPersistentModelIndex

# Roles and flags as plain ints / one value: data() runs thousands of times per repaint.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TAGS = int(TagsRole)
_RELATION_ID = int(RelationIdRole)
_WRITE_STATE = int(WriteStateRole)
_HANDLED = frozenset({_DISPLAY, _DECORATION, _TOOLTIP, _FONT, _FOREGROUND, _TAGS,
                      _RELATION_ID, _WRITE_STATE})
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class Column(IntEnum):
    CUSTOMER = 0
    COMPANY = 1
    OWNER = 2
    REMARK = 3
    CHANNEL = 4
    ADDED = 5
    TAGS = 6


SORT_KEYS: dict[Column, str] = {
    Column.CUSTOMER: "name", Column.COMPANY: "corp_name", Column.OWNER: "owner",
    Column.REMARK: "remark", Column.CHANNEL: "state", Column.ADDED: "createtime",
}
"""Columns sortable in SQL (the filter engine's whitelist); tags are not sortable."""

OPTIONAL_COLUMNS: dict[Column, str] = {
    Column.COMPANY: "coalesce(nullif(r.remark_corp_name, ''), c.corp_name, '') != ''",
    Column.REMARK: "r.remark != ''",
    Column.CHANNEL: "r.state != ''",
}
"""Columns many corps leave empty, with the SQL test for a filled cell."""
SPARSE_SHARE = 0.5
"""An optional column filled for fewer than this share of relations starts hidden."""


class Chip(NamedTuple):
    """One tag as the table shows it."""

    name: str
    group_name: str


class _Row(NamedTuple):
    """A cached row, built once when its page is read.

    Only strings and tuples of strings, so Python's garbage collector stops tracking
    them: thousands of cached rows cost no time in its full collections.
    """

    texts: tuple[str, ...]      # one per column
    chips: tuple[Chip, ...]
    state: str


class WriteState(Enum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class Query:
    text: str = ""
    order_by: str = "createtime"
    descending: bool = True
    only: frozenset[int] | None = None      # just these relations (what a pilot wrote)


@dataclass(frozen=True)
class QueryResult:
    query: Query
    ids: list[int]
    row_of: dict[int, int]
    relations: int
    customers: int
    total_relations: int
    total_customers: int
    elapsed_s: float


class CustomerTableModel(QAbstractTableModel):
    """Rows are follow relations (customer × owner) matching the current filter."""

    queryStarted = Signal()
    queryFinished = Signal(object)      # QueryResult
    queryFailed = Signal(object)        # the exception (a FilterError for a bad filter)
    countsChanged = Signal(int, int, int, int)  # shown relations, customers, total relations, total customers

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._query = Query()
        self._ids: list[int] = []
        self._row_of: dict[int, int] = {}
        self._pages: OrderedDict[int, dict[int, _Row]] = OrderedDict()
        # The rows' marks as sets, so a toggle on 100,000 rows changes them in C, not a loop:
        self._pending: set[int] = set()         # being written
        self._done: set[int] = set()            # written by the last write
        self._failed: dict[int, str] = {}       # refused, with why, until written again
        self._generation = 0
        self.last_result: QueryResult | None = None
        context.changed.connect(self._on_changed)
        context.write_started.connect(self._on_write_started)
        context.write_failed.connect(self._on_write_failed)
        context.writes_settled.connect(self.settle)

    # -- queries ---------------------------------------------------------------

    @property
    def context(self) -> AppContext:
        return self._context

    @property
    def query(self) -> Query:
        return self._query

    def set_filter(self, text: str) -> None:
        self.run_query(Query(text.strip(), self._query.order_by, self._query.descending))

    def show_only(self, relation_ids: frozenset[int]) -> None:
        """Show just these relations (within the filter) until the filter changes."""
        self.run_query(replace(self._query, only=frozenset(relation_ids)))

    def set_sort(self, order_by: str, descending: bool, *, run: bool = True) -> None:
        query = replace(self._query, order_by=order_by, descending=descending)
        if run:
            self.run_query(query)
        else:
            self._query = query

    def refresh(self) -> None:
        self.run_query(self._query)

    def _hint(self, exc: UnknownTagError) -> UnknownTagError:
        """A bare word that names no tag: a team abbreviation says the tag it stands for
        (`V3` → 三次复购客户, first among the suggestions), a customer's name how to find
        them (`text:陈玉佳`), since a bare word is read as a tag name."""
        if exc.group is not None:
            return exc
        cache = self._context.cache
        abbreviated = cache.query(
            "SELECT t.name, g.name, (SELECT count(*) FROM tag o JOIN tag_group og"
            " ON og.id = o.group_id WHERE o.name = t.name AND o.deleted = 0 AND og.deleted = 0)"
            " FROM tag_meta m JOIN tag t ON t.id = m.tag_id JOIN tag_group g ON g.id = t.group_id"
            " WHERE m.abbreviation <> '' AND lower(m.abbreviation) = lower(?)"
            " AND t.deleted = 0 AND g.deleted = 0 LIMIT 1", (exc.name,))
        if abbreviated:
            name, group, same_name = abbreviated[0]
            spelled = tag_text(str(name), str(group) if same_name > 1 else None)
            suggestions = [spelled] + [s for s in exc.suggestions if s != spelled]
            return UnknownTagError(exc.name, None, suggestions[:5], (exc.position, exc.end), (
                f"“{exc.name}”是标签 {spelled} 的缩写：筛选请写 {spelled}，或输入 {exc.name} 后按 Tab",
                f"“{exc.name}” abbreviates the tag {spelled}: write {spelled} in a filter,"
                f" or type {exc.name} and press Tab"))
        if not cache.query("SELECT 1 FROM customer WHERE name = ? LIMIT 1", (exc.name,)):
            return exc
        spelled = f"text:{quote(exc.name)}"
        return UnknownTagError(exc.name, None, exc.suggestions, (exc.position, exc.end), (
            f"“{exc.name}”是客户的名字，按客户筛选请写 {spelled}",
            f"“{exc.name}” is a customer's name: to find the customer, write {spelled}"))

    def run_query(self, query: Query) -> None:
        """Evaluate and order on a worker; only the newest query's result is applied."""
        self._query = query
        self._generation += 1
        generation = self._generation
        engine = self._context.filter_engine

        def work(_progress: Any, _cancel: Any) -> QueryResult:
            started = time.perf_counter()
            try:
                ids = engine.relation_ids(query.text, order_by=query.order_by,
                                          descending=query.descending)
            except UnknownTagError as exc:
                raise self._hint(exc) from None
            counts = engine.count(query.text)
            total = engine.count("") if query.text or query.only is not None else counts
            relations, customers = counts.relations, counts.customers
            if query.only is not None:
                ids = [rid for rid in ids if rid in query.only]
                relations, customers = len(ids), self._customers_of(ids)
            return QueryResult(
                query=query, ids=ids, row_of={rid: row for row, rid in enumerate(ids)},
                relations=relations, customers=customers,
                total_relations=total.relations, total_customers=total.customers,
                elapsed_s=time.perf_counter() - started,
            )

        def done(result: QueryResult) -> None:
            if generation == self._generation:
                self._apply(result)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.queryFailed.emit(exc)

        self.queryStarted.emit()
        self._context.run_task(work, owner=self, name="customer query", on_result=done, on_error=failed)

    def _customers_of(self, ids: list[int]) -> int:
        """Distinct customers among these relations (a worker-thread query)."""
        return len({row[0] for row in rows_in(
            self._context.cache.connection().execute,
            "SELECT external_userid FROM relation WHERE id IN ({marks})", ids)})

    def _apply(self, result: QueryResult) -> None:
        self.beginResetModel()
        self._ids = result.ids
        self._row_of = result.row_of
        self._pages.clear()
        self.endResetModel()
        self.last_result = result
        self.countsChanged.emit(result.relations, result.customers,
                                result.total_relations, result.total_customers)
        self.queryFinished.emit(result)

    def sparse_columns(self) -> set[Column]:
        """Optional columns (company, remark, channel) filled for few relations; runs SQL.

        Call it on a worker: one pass over the relations.
        """
        tests = ", ".join(f"coalesce(sum({test}), 0)" for test in OPTIONAL_COLUMNS.values())
        row = self._context.cache.connection().execute(
            f"SELECT count(*), {tests} FROM relation r"
            " LEFT JOIN customer c ON c.external_userid = r.external_userid").fetchone()
        total = max(int(row[0]), 1)
        return {column for column, filled in zip(OPTIONAL_COLUMNS, row[1:], strict=True)
                if int(filled) < SPARSE_SHARE * total}

    # -- rows ------------------------------------------------------------------

    def relation_id(self, row: int) -> int:
        return self._ids[row]

    @property
    def shown_ids(self) -> Sequence[int]:
        """The relation ids of the rows, in row order."""
        return self._ids

    def relation_ids(self, rows: Iterable[int]) -> list[int]:
        return [self._ids[row] for row in rows if 0 <= row < len(self._ids)]

    def row_of(self, relation_id: int) -> int | None:
        return self._row_of.get(relation_id)

    def _row(self, row: int) -> _Row | None:
        """The row's cached cells, fetching its page on a miss; None if it left the cache."""
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            page = self._load_page(page_no)
        else:
            self._pages.move_to_end(page_no)
        return page.get(self._ids[row])

    def clear_page_cache(self) -> None:
        """Forget every cached row; the next paint reads its page again."""
        self._pages.clear()

    def write_state(self, relation_id: int) -> tuple[WriteState, str] | None:
        failure = self._failed.get(relation_id)
        if failure is not None:
            return WriteState.FAILED, failure
        if relation_id in self._pending:
            return WriteState.PENDING, ""
        return (WriteState.DONE, "") if relation_id in self._done else None

    def _load_page(self, page_no: int) -> dict[int, _Row]:
        ids = self._ids[page_no * PAGE_SIZE : (page_no + 1) * PAGE_SIZE]
        page = {view.id: _row_of(view) for view in load_relations(self._context.cache, ids)}
        self._pages[page_no] = page
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    # -- Qt model API ----------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        """Never fetches: Ctrl+A over 100,000 rows must stay instant."""
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.column_title(Column(section))
        if role == Qt.ItemDataRole.ToolTipRole and Column(section) == Column.TAGS:
            return self.tr("Corp tags on this follow relation")
        return None

    def column_title(self, column: Column) -> str:
        titles = {
            Column.CUSTOMER: self.tr("Customer"), Column.COMPANY: self.tr("Company"),
            Column.OWNER: self.tr("Owner"), Column.REMARK: self.tr("Remark"),
            Column.CHANNEL: self.tr("Channel"), Column.ADDED: self.tr("Added"),
            Column.TAGS: self.tr("Tags"),
        }
        return titles[column]

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        if role not in _HANDLED or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._ids):
            return None
        if role == _RELATION_ID:
            return self._ids[row]
        if role == _WRITE_STATE:
            state = self.write_state(self._ids[row])
            return state[0].value if state else None
        if role == _DECORATION:
            return self._decoration(row) if index.column() == Column.CUSTOMER else None
        cached = self._row(row)
        if cached is None:
            return self._missing(role)
        if role == _DISPLAY:
            return cached.texts[index.column()]
        if role == _TAGS:
            return cached.chips
        if role == _TOOLTIP:
            return self._tooltip(self._ids[row], cached, Column(index.column()))
        return None

    def _missing(self, role: int) -> Any:
        if role == _DISPLAY:
            return self.tr("(no longer in the cache)")
        if role == _FONT:
            font = QFont()
            font.setItalic(True)
            return font
        if role == _FOREGROUND:
            return QColor("#8a8f98")
        return () if role == _TAGS else None

    def _decoration(self, row: int) -> QIcon | None:
        state = self.write_state(self._ids[row])
        if state is None:
            return None
        names = {WriteState.PENDING: ("pending", "#d48806"), WriteState.DONE: ("check", "#389e0d"),
                 WriteState.FAILED: ("alert", "#d4380d")}
        name, colour = names[state[0]]
        return icon(name, QColor(colour))

    def _tooltip(self, relation_id: int, cached: _Row, column: Column) -> str:
        state = self.write_state(relation_id)
        if state is not None and column == Column.CUSTOMER:
            if state[0] == WriteState.FAILED:
                return self.tr("Tagging failed: %1").replace("%1", state[1])
            if state[0] == WriteState.PENDING:
                return self.tr("Writing to WeCom…")
            return self.tr("Saved in WeCom")
        if column == Column.TAGS:
            return "\n".join(f"{chip.group_name}{colon()}{chip.name}" for chip in cached.chips)
        if column == Column.CHANNEL and cached.state:
            return f"state = {cached.state}"
        return cached.texts[column]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is a new SQL-ordered id list, evaluated off the GUI thread."""
        key = SORT_KEYS.get(Column(column)) if 0 <= column < len(Column) else None
        descending = order == Qt.SortOrder.DescendingOrder
        if key is None or (key, descending) == (self._query.order_by, self._query.descending):
            return
        self.set_sort(key, descending)

    # -- writes ----------------------------------------------------------------

    def _on_write_started(self, ids: frozenset[int]) -> None:
        """These relations show pending. A ✓ belongs to the last write's rows: those of an
        earlier write lose it (under any filter, until the next write), a failure keeps its
        mark until its row is written again."""
        if not ids:
            return
        earlier = self._done - ids
        self._done.clear()
        for rid in ids & self._failed.keys():
            del self._failed[rid]
        self._pending |= ids
        self._emit_rows_changed(earlier | ids)

    def settle(self, ids: frozenset[int]) -> None:
        """These relations are no longer being written (a batch stopped before them)."""
        pending = ids & self._pending
        self._pending -= pending
        self._emit_rows_changed(pending)

    def _on_write_failed(self, message: str, ids: frozenset[int]) -> None:
        self._pending -= ids
        self._done -= ids
        self._failed.update(dict.fromkeys(ids, message))
        self._forget(ids)
        self._emit_rows_changed(ids)

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.full_reload:
            self._pending.clear()
            self._done.clear()
            self._failed.clear()
            self.refresh()
            return
        if changes.tags_changed:
            self.clear_page_cache()
            self._emit_all_changed()
        if not changes.relation_ids:
            return
        done = self._pending & changes.relation_ids
        self._pending -= done
        self._done |= done
        self._forget(changes.relation_ids)
        self._emit_rows_changed(changes.relation_ids)
        self._recount()

    def _forget(self, ids: Collection[int]) -> None:
        """Drop cached pages holding these relations, so the next paint re-reads them (all
        of them when there are more relations than cached rows: a toggle on 57,582 finds
        every page anyway, one relation at a time)."""
        if len(ids) >= len(self._pages) * PAGE_SIZE:
            self._pages.clear()
            return
        for rid in ids:
            row = self._row_of.get(rid)
            if row is not None:
                self._pages.pop(row // PAGE_SIZE, None)

    def _emit_rows_changed(self, ids: Collection[int]) -> None:
        """One dataChanged from the first of these rows to the last (a view repaints what
        it shows of that range), over every row for more than a page of them, none looked
        up: one per run of adjacent rows was about 10,000 signals at the end of a toggle on
        57,582 rows, a third of a second of frozen window."""
        if len(ids) > PAGE_SIZE:
            self._emit_all_changed()
            return
        rows = [row for rid in ids if (row := self._row_of.get(rid)) is not None]
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0),
                                  self.index(max(rows), len(Column) - 1))

    def _emit_all_changed(self) -> None:
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(Column) - 1))

    def _recount(self) -> None:
        """Counts change after a write even though the rows stay until the next query."""
        engine = self._context.filter_engine
        text = self._query.text
        generation = self._generation

        def done(counts: tuple[Any, Any]) -> None:
            if generation == self._generation:
                self.countsChanged.emit(counts[0].relations, counts[0].customers,
                                        counts[1].relations, counts[1].customers)

        self._context.run_task(lambda _p, _c: (engine.count(text), engine.count("")),
                               owner=self, name="customer recount", on_result=done)


def _row_of(view: RelationView) -> _Row:
    return _Row(tuple(_cell_text(view, column) for column in Column),
                tuple(Chip(tag.name, tag.group_name) for tag in view.tags), view.state)


def _cell_text(view: RelationView, column: Column) -> str:
    if column == Column.CUSTOMER:
        return view.customer_name
    if column == Column.COMPANY:
        return view.corp_name
    if column == Column.OWNER:
        return view.owner_name
    if column == Column.REMARK:
        return view.remark
    if column == Column.CHANNEL:
        if view.channel_name and view.state:
            return f"{view.channel_name} · {view.state}"
        return view.state
    if column == Column.ADDED:
        return date_text(view.createtime) if view.createtime else ""
    return "、".join(view.tag_names)


def row_ranges(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted rows as contiguous (first, last) ranges: one dataChanged (or selection) per range."""
    ranges: list[tuple[int, int]] = []
    for row in rows:
        if ranges and row == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], row)
        elif not ranges or row != ranges[-1][1]:
            ranges.append((row, row))
    return ranges
