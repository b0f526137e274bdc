"""The customer table view: multi-select, sortable headers, chips, columns to show or hide.

Uniform row heights and fixed-size sections keep scrolling over 100,000 rows cheap:
the view never asks every row for its size. Column order, widths and visibility are
the header's state, which the main window saves and restores. Tags come right after
the customer and take the room the other columns leave; the customer column stays
in place when the table scrolls sideways
(a second view over the same model and selection, shown over the left edge).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QCursor, QFocusEvent, QKeyEvent, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QMenu,
    QStyle,
    QStyleOptionHeader,
    QTableView,
    QWidget,
)

from desktop.ui.customer_table_model import (
    SORT_KEYS,
    Column,
    CustomerTableModel,
    Query,
    QueryResult,
    row_ranges,
)
from desktop.ui.customer_type_ahead import CustomerTypeAhead
from desktop.ui.tag_chips_delegate import TagChipsDelegate

DEFAULT_WIDTHS = {
    Column.CUSTOMER: 120, Column.COMPANY: 120, Column.OWNER: 80, Column.REMARK: 100,
    Column.CHANNEL: 140, Column.ADDED: 92, Column.TAGS: 330,
}
DEFAULT_ORDER = (Column.CUSTOMER, Column.TAGS, Column.OWNER, Column.ADDED, Column.COMPANY,
                 Column.REMARK, Column.CHANNEL)
"""Left to right: who, their tags, then the rest (the optional columns last)."""


class CustomerHeader(QHeaderView):
    """Column headers painted without asking whether the neighbouring columns are selected.

    Qt's own paintSection asks `isColumnSelected` for the columns beside each section,
    which walks every row of the column through the model: after Ctrl+A on 100,000
    rows that froze the window for seconds. The look is the same without it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)     # QTableView only does this for its own header

    def paintSection(self, painter: QPainter, rect: QRect, logical_index: int) -> None:
        model = self.model()
        if not rect.isValid() or model is None:
            return
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = rect
        option.section = logical_index
        option.text = str(model.headerData(logical_index, self.orientation()) or "")
        option.textAlignment = self.defaultAlignment()
        option.iconAlignment = Qt.AlignmentFlag.AlignVCenter
        option.position = self._position(self.visualIndex(logical_index))
        if self.isSortIndicatorShown() and self.sortIndicatorSection() == logical_index:
            ascending = self.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
            option.sortIndicator = (QStyleOptionHeader.SortIndicator.SortDown if ascending
                                    else QStyleOptionHeader.SortIndicator.SortUp)
        if self.logicalIndexAt(self.mapFromGlobal(QCursor.pos())) == logical_index \
                and self.underMouse():
            option.state |= QStyle.StateFlag.State_MouseOver
        self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)

    def _position(self, visual: int) -> QStyleOptionHeader.SectionPosition:
        shown = [v for v in range(self.count()) if not self.isSectionHidden(self.logicalIndex(v))]
        position = QStyleOptionHeader.SectionPosition
        if len(shown) == 1:
            return position.OnlyOneSection
        if shown and visual == shown[0]:
            return position.Beginning
        if shown and visual == shown[-1]:
            return position.End
        return position.Middle


class FrozenCustomerColumn(QTableView):
    """The customer column again, over the table's left edge while it scrolls sideways.

    It shares the table's model and selection model, so clicks select the same rows;
    its vertical position follows the table's scroll bar.
    """

    def __init__(self, table: CustomerTableView) -> None:
        super().__init__(table)
        self.setObjectName("frozenCustomerColumn")
        self.setHorizontalHeader(CustomerHeader(self))
        self.setModel(table.model())
        self.setSelectionModel(table.selectionModel())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.verticalHeader().defaultSectionSize())
        header = self.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for column in Column:
            self.setColumnHidden(column, column != Column.CUSTOMER)
        self.hide()


class CustomerTableView(QTableView):
    selectionChangedIds = Signal()   # the selection changed (read it with selected_relation_ids)

    def __init__(self, model: CustomerTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.setHorizontalHeader(CustomerHeader(self))
        self.setModel(model)
        self.setObjectName("customerTable")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setItemDelegateForColumn(Column.TAGS, TagChipsDelegate(self))
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 14)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        for column, width in DEFAULT_WIDTHS.items():
            header.resizeSection(column, width)
        for visual, column in enumerate(DEFAULT_ORDER):
            header.moveSection(header.visualIndex(column), visual)
        self.frozen = FrozenCustomerColumn(self)
        self.viewport().stackUnder(self.frozen)
        self.show_sort(Column.ADDED, descending=True)
        self.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)
        header.sectionMoved.connect(self._keep_customer_first)
        header.sectionResized.connect(self._section_resized)
        header.geometriesChanged.connect(self._fit_tags)
        header.geometriesChanged.connect(self._place_frozen)
        self.horizontalScrollBar().valueChanged.connect(lambda _v: self._place_frozen())
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.frozen.horizontalHeader().sectionClicked.connect(self._frozen_header_clicked)
        self.frozen.customContextMenuRequested.connect(self._frozen_menu)
        selection = self.selectionModel()
        selection.selectionChanged.connect(lambda *_: self.selectionChangedIds.emit())
        model.modelReset.connect(self.selectionChangedIds.emit)
        self._shown_query: Query | None = None
        self._kept: tuple[list[int], int | None] = ([], None)
        model.modelAboutToBeReset.connect(self._keep_selection)
        model.queryFinished.connect(self._query_finished)
        self.type_ahead = CustomerTypeAhead(model.context, model, self)
        self.type_ahead.found.connect(self.go_to_row)

    def _keep_selection(self) -> None:
        self._kept = (self.selected_relation_ids(), self.current_relation_id())

    def _query_finished(self, result: QueryResult) -> None:
        """Another filter or order starts at its first row; the same query run again (a sync,
        a write elsewhere) keeps the rows where they were and the customers selected."""
        (selected, current), self._kept = self._kept, ([], None)
        if result.query != self._shown_query:
            self._shown_query = result.query
            self.scrollToTop()
            return
        rows = sorted(row for rid in selected if (row := self._model.row_of(rid)) is not None)
        if not rows:
            return
        last_column = self._model.columnCount() - 1
        selection = QItemSelection()
        for first, last in row_ranges(rows):
            selection.select(self._model.index(first, 0), self._model.index(last, last_column))
        current_row = self._model.row_of(current) if current is not None else None
        flags = QItemSelectionModel.SelectionFlag
        place = self.verticalScrollBar().value()     # a current row out of view stays there
        self.selectionModel().setCurrentIndex(
            self._model.index(rows[0] if current_row is None else current_row, Column.CUSTOMER),
            flags.NoUpdate)
        self.selectionModel().select(selection, flags.ClearAndSelect)
        self.verticalScrollBar().setValue(place)

    def go_to_row(self, row: int) -> None:
        """Make `row` the current and only selected row, scrolled into view."""
        index = self._model.index(row, Column.CUSTOMER)
        flags = QItemSelectionModel.SelectionFlag
        self.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.scrollTo(index)

    def keyboardSearch(self, search: str) -> None:
        """Type-ahead by name, remark or their pinyin (Qt's own asks every row's text)."""
        self.type_ahead.type(search, self.currentIndex().row())

    def event(self, event: QEvent) -> bool:
        """Mid-name, a letter that is also a shortcut (T) goes on spelling the name."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and self.type_ahead.typing and _typed_letter(event):
            event.accept()
            return True
        return super().event(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.type_ahead.warm()
        super().focusInEvent(event)

    def selectionCommand(self, index: QModelIndex | QPersistentModelIndex,
                         event: QEvent | None = None) -> QItemSelectionModel.SelectionFlag:
        """Ctrl+Home and Ctrl+End (the only keys to the first and last row) select the row
        they go to, as the arrows do, and with Shift extend the selection to it; Qt's Ctrl
        moves the focus alone, so the detail and a tagging (T, Alt+1) stayed on the row
        selected before, out of sight."""
        control, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Home, Qt.Key.Key_End):
            rows = QItemSelectionModel.SelectionFlag.Rows
            if event.modifiers() == control:
                return QItemSelectionModel.SelectionFlag.ClearAndSelect | rows
            if event.modifiers() == control | shift:
                return QItemSelectionModel.SelectionFlag.SelectCurrent | rows
        return super().selectionCommand(index, event)

    def selected_rows(self) -> list[int]:
        """Selected rows in table order, read from the selection ranges (no per-cell work)."""
        rows: set[int] = set()
        selection = self.selectionModel().selection()
        for position in range(selection.count()):
            selected = selection.at(position)
            rows.update(range(selected.top(), selected.bottom() + 1))
        return sorted(rows)

    def selected_relation_ids(self) -> list[int]:
        return self._model.relation_ids(self.selected_rows())

    def current_relation_id(self) -> int | None:
        index = self.currentIndex()
        if not index.isValid() or index.row() not in self.selected_rows():
            rows = self.selected_rows()
            return self._model.relation_id(rows[0]) if rows else None
        return self._model.relation_id(index.row())

    def show_sort(self, column: int, descending: bool) -> None:
        """Show the sort indicator without starting another query."""
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        for header in (self.horizontalHeader(), self.frozen.horizontalHeader()):
            header.blockSignals(True)
            header.setSortIndicator(column, order)
            header.blockSignals(False)

    def restore_header(self, state: QByteArray) -> bool:
        """Saved widths, order and hidden columns; headers stay clickable whatever was saved."""
        header = self.horizontalHeader()
        restored = header.restoreState(state)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setStretchLastSection(False)     # the tags take the spare room instead
        self._keep_customer_first()
        self._fit_tags()
        self._place_frozen()
        return restored

    def hide_columns(self, columns: Iterable[Column]) -> None:
        """Hide these columns (the header's context menu shows them again); never the customer."""
        header = self.horizontalHeader()
        for column in columns:
            if column != Column.CUSTOMER:
                header.setSectionHidden(column, True)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_tags()
        self._place_frozen()

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != Column.TAGS:
            self._fit_tags()
        self._place_frozen()

    def wanted_width(self) -> int:
        """The width that shows every shown column whole, the tags at their default width
        (narrower, the table scrolls sideways)."""
        header = self.horizontalHeader()
        columns = sum(DEFAULT_WIDTHS[Column.TAGS] if c == Column.TAGS else header.sectionSize(c)
                      for c in Column if not header.isSectionHidden(c))
        scroll_bar = self.verticalScrollBar().sizeHint().width()
        return columns + self.verticalHeader().width() + scroll_bar + 2 * self.frameWidth()

    def _fit_tags(self) -> None:
        """The tags take the room the other shown columns leave (never under their default
        width: then the table scrolls sideways, the customer column staying in place)."""
        header = self.horizontalHeader()
        others = sum(header.sectionSize(c) for c in Column
                     if c != Column.TAGS and not header.isSectionHidden(c))
        width = max(DEFAULT_WIDTHS[Column.TAGS], self.viewport().width() - others)
        if header.sectionSize(Column.TAGS) != width:
            header.resizeSection(Column.TAGS, width)

    def _place_frozen(self) -> None:
        """Show the frozen customer column only while the real one is scrolled out of place."""
        header = self.horizontalHeader()
        frozen = self.frozen
        wanted = self.horizontalScrollBar().value() > 0 and not header.isSectionHidden(
            Column.CUSTOMER)
        if not wanted:
            frozen.hide()
            return
        width = self.columnWidth(Column.CUSTOMER)
        frozen.setColumnWidth(Column.CUSTOMER, width)
        frozen.horizontalHeader().setFixedHeight(header.height())
        edge = self.frameWidth()
        frozen.setGeometry(edge, edge, width, header.height() + self.viewport().height())
        frozen.verticalScrollBar().setValue(self.verticalScrollBar().value())
        frozen.show()

    def _keep_customer_first(self) -> None:
        header = self.horizontalHeader()
        visual = header.visualIndex(Column.CUSTOMER)
        if visual > 0:
            header.moveSection(visual, 0)

    def _frozen_header_clicked(self, column: int) -> None:
        """A click on the frozen header sorts like one on the table's own header."""
        header = self.horizontalHeader()
        order = Qt.SortOrder.AscendingOrder
        if header.sortIndicatorSection() == column:
            order = (Qt.SortOrder.DescendingOrder
                     if header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
                     else Qt.SortOrder.AscendingOrder)
        header.setSortIndicator(column, order)

    def _frozen_menu(self, position: QPoint) -> None:
        global_position = self.frozen.viewport().mapToGlobal(position)
        self.customContextMenuRequested.emit(self.viewport().mapFromGlobal(global_position))

    def _sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        """Tags cannot be sorted in SQL: put the indicator back where the query is."""
        if Column(column) not in SORT_KEYS:
            query = self._model.query
            current = next(c for c, key in SORT_KEYS.items() if key == query.order_by)
            self.show_sort(current, query.descending)
            return
        frozen = self.frozen.horizontalHeader()
        frozen.blockSignals(True)
        frozen.setSortIndicator(column, order)
        frozen.blockSignals(False)

    def _header_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        header = self.horizontalHeader()
        for column in (Column(header.logicalIndex(v)) for v in range(header.count())):
            action = QAction(self._model.column_title(column), menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column != Column.CUSTOMER)
            action.toggled.connect(
                lambda checked, c=column: header.setSectionHidden(c, not checked))
            menu.addAction(action)
        menu.popup(header.mapToGlobal(position))


def _typed_letter(event: QKeyEvent) -> bool:
    command = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
               | Qt.KeyboardModifier.MetaModifier)
    text = event.text()
    return bool(text) and text.isprintable() and not (event.modifiers() & command)
