"""The customer table view: multi-select, sortable headers, chips, columns to show or hide.

Uniform row heights and fixed-size sections keep scrolling over 100,000 rows cheap:
the view never asks every row for its size. Column order, widths and visibility are
the header's state, which the main window saves and restores.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from desktop.ui.customer_table_model import SORT_KEYS, Column, CustomerTableModel
from desktop.ui.tag_chips_delegate import TagChipsDelegate

DEFAULT_WIDTHS = {
    Column.CUSTOMER: 150, Column.COMPANY: 150, Column.OWNER: 90, Column.REMARK: 120,
    Column.CHANNEL: 130, Column.ADDED: 96, Column.TAGS: 320,
}


class CustomerTableView(QTableView):
    selectionChangedIds = Signal()   # the selection changed (read it with selected_relation_ids)

    def __init__(self, model: CustomerTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.setModel(model)
        self.setObjectName("customerTable")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setItemDelegateForColumn(Column.TAGS, TagChipsDelegate(self))
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 14)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        for column, width in DEFAULT_WIDTHS.items():
            header.resizeSection(column, width)
        self.show_sort(Column.ADDED, descending=True)
        self.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)
        selection = self.selectionModel()
        selection.selectionChanged.connect(lambda *_: self.selectionChangedIds.emit())
        model.modelReset.connect(self.selectionChangedIds.emit)

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
        header = self.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(column, Qt.SortOrder.DescendingOrder if descending
                                else Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)

    def _sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        """Tags cannot be sorted in SQL: put the indicator back where the query is."""
        if Column(column) not in SORT_KEYS:
            query = self._model.query
            current = next(c for c, key in SORT_KEYS.items() if key == query.order_by)
            self.show_sort(current, query.descending)

    def _header_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        header = self.horizontalHeader()
        for column in Column:
            action = QAction(self._model.column_title(column), menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column != Column.CUSTOMER)
            action.toggled.connect(
                lambda checked, c=column: header.setSectionHidden(c, not checked))
            menu.addAction(action)
        menu.popup(header.mapToGlobal(position))
