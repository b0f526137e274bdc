"""The audit-log viewer for supervisors: who changed which tag on which customer, when, why.

Filters for every journal criterion, a rows / batches toggle, the before / after
diff of the selected row, copy, export of the current view (xlsx, CSV), a jump to
the customer, and revert of a batch or of one operator's changes in the period,
with a preview of what will and will not be restored. All queries run on worker
threads; the tables hold ids and pages, never the whole journal.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QFontMetrics,
    QGuiApplication,
    QHideEvent,
    QKeyEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.bilingual import inner
from desktop.services import audit
from desktop.services.changes import ChangeSet
from desktop.services.tagging import BatchResult
from desktop.store.journal_query import BatchSummary, JournalFilter, JournalRow
from desktop.ui.audit_filter_bar import AuditFilterBar
from desktop.ui.audit_model import (
    LABELS,
    AuditBatchesModel,
    AuditRowsModel,
    BatchColumn,
    Loaded,
    RowColumn,
    cell_text,
    described,
    lines_operators,
    time_text,
)
from desktop.ui.batch_progress import BatchProgressPanel, message_for
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS
from desktop.ui.file_dialogs import ask_path
from desktop.ui.i18n import colon, in_ui_language, is_english, list_text
from desktop.ui.retranslate import relabel, retranslate_in_place
from desktop.ui.team_journal_watch import TeamJournalWatch

PEOPLE_WIDTH_MAX = 260     # a longer name (userid) is cut rather than crowd the other columns


class AuditViewer(QWidget):
    """A window over the journal. `customerRequested(external_userid)` asks the main window
    to show that customer."""

    customerRequested = Signal(str)
    exported = Signal(str, int)         # path, rows written
    reverted = Signal(object)           # BatchResult of the revert batch

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.context = context
        self.rows_model = AuditRowsModel(context, self)
        self.batches_model = AuditBatchesModel(context, self)
        self.revert_dialog: RevertDialog | None = None
        self._kept_line: JournalFilter | None = None
        self._kept_changes: frozenset[int] = frozenset()   # journal ids selected before a reload
        self.revert_progress: QDialog | None = None
        self._drill: BatchSummary | None = None
        self._closed = False          # closed, not minimised: opened again, it starts clean
        self._load_error = False      # the notice says the changes could not be read
        self._build()
        self.texts = retranslate_in_place(self, self.retranslate)
        self.watch: TeamJournalWatch | None = None
        if context.journal.remote:  # other desktops write to it too
            self.watch = TeamJournalWatch(context, self.rows_model, self)
            self.watch.newer.connect(self._newer_on_server)
        self.apply_filter()

    def retranslate(self) -> None:
        """Every text in the UI language; the filters, mode, selection and rows stay (rows
        sorted by 来源 are sorted again, by the new labels)."""
        self.setWindowTitle(LABELS.journal_title(self.tr("Audit log"),
                                                 self.context.journal.team_url))
        self.rows_button.setText(self.tr("Rows"))
        self.batches_button.setText(self.tr("Batches"))
        self.drill_clear.setToolTip(self.tr("Show every batch again"))
        for button, text in ((self.customer_button, self.tr("Show customer")),
                             (self.copy_button, self.tr("Copy")),
                             (self.xlsx_button, self.tr("Export xlsx…")),
                             (self.csv_button, self.tr("Export CSV…")),
                             (self.revert_button, self.tr("Revert batch…")),
                             (self.range_button,
                              self.tr("Revert operator's changes in period…"))):
            button.setText(text)
        relabel(self.rows_model)
        relabel(self.batches_model)
        self._fit_day_lines()
        if self.rows_model.order[0] == RowColumn.SOURCE:    # its labels' order is the language's
            self.rows_model.refresh()
        self._selection_changed()

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.filters = AuditFilterBar(self.context, self)
        self.filters.changed.connect(self.apply_filter)
        self.filters.failed.connect(self._show_load_error)
        self.rows_button = _tool_button("", checkable=True)
        self.batches_button = _tool_button("", checkable=True)
        self.rows_button.setChecked(True)
        modes = QButtonGroup(self)
        modes.addButton(self.rows_button)
        modes.addButton(self.batches_button)
        self.rows_button.toggled.connect(self._mode_changed)
        self.drill_label = QLabel()
        self.drill_clear = _tool_button("×")
        self.drill_clear.clicked.connect(self.apply_filter)
        self.status = QLabel()          # what the view shows
        self.notice = QLabel()          # how the last export, revert or error went
        self.notice.setWordWrap(True)
        top = QHBoxLayout()
        for widget in (self.rows_button, self.batches_button, self.drill_label,
                       self.drill_clear):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.status)
        top.addWidget(self.filters.clear_button)

        self.rows_view = _table(self.rows_model)
        self.batches_view = _table(self.batches_model)
        self.rows_model.sortChanged.connect(self._show_sort)
        # batch ids are what `audit revert` and the batch filter take: never elided
        batch_width = widest_batch_id(self.fontMetrics()) + 24
        self.rows_view.setColumnWidth(RowColumn.BATCH, batch_width)
        self.batches_view.setColumnWidth(BatchColumn.BATCH, batch_width)
        self.rows_view.doubleClicked.connect(lambda _: self.show_customer())
        self.batches_view.doubleClicked.connect(self._drill_into)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.rows_view)
        self.stack.addWidget(self.batches_view)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._link_clicked)
        splitter = QSplitter()
        splitter.addWidget(self.stack)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        self.customer_button = QPushButton()
        self.copy_button = QPushButton()
        self.xlsx_button = QPushButton()
        self.csv_button = QPushButton()
        self.revert_button = QPushButton()
        self.range_button = QPushButton()
        self.customer_button.clicked.connect(self.show_customer)
        self.copy_button.clicked.connect(self.copy_selection)
        self.xlsx_button.clicked.connect(lambda: self._ask_export(".xlsx"))
        self.csv_button.clicked.connect(lambda: self._ask_export(".csv"))
        self.revert_button.clicked.connect(self.revert_selected_batch)
        self.range_button.clicked.connect(self.revert_operator_range)
        buttons = QHBoxLayout()
        for button in (self.customer_button, self.copy_button, self.xlsx_button,
                       self.csv_button):
            buttons.addWidget(button)
        buttons.addWidget(self.notice, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.range_button)
        for view in (self.rows_view, self.batches_view):
            view.installEventFilter(self)   # Ctrl+C copies whole lines, not one cell

        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.resize(1200, 720)

        for model in (self.rows_model, self.batches_model):
            model.loading.connect(
                lambda: self.texts.say(self.status, lambda: self.tr("Searching…")))
            model.failed.connect(self._show_load_error)
        self.filters.choicesLoaded.connect(self._fit_people_columns)
        self.rows_view.setFocus()   # the keyboard starts on the changes: arrows, Ctrl+C, Enter
        self.rows_model.loaded.connect(self._rows_loaded)
        self.batches_model.loaded.connect(self._batches_loaded)
        self.batches_model.modelAboutToBeReset.connect(self._remember_line)
        self.rows_model.modelAboutToBeReset.connect(self._remember_changes)
        self.rows_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.batches_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self._update_buttons()

    def _fit_day_lines(self) -> None:
        """The batches view's Batch column widens to a day's changes not in a batch
        ("2026-12-07 · not in a batch"): in English it is wider than a batch id, and was cut
        to "2026-12-07 · not in a bat…"."""
        day_line = QCoreApplication.translate("AuditBatchesModel", "%1 · not in a batch")
        width = self.fontMetrics().horizontalAdvance(day_line.replace("%1", "2026-12-31")) + 24
        if width > self.batches_view.columnWidth(BatchColumn.BATCH):
            self.batches_view.setColumnWidth(BatchColumn.BATCH, width)

    def _fit_people_columns(self) -> None:
        """Operator and owner columns as wide as the widest "name (userid)" of the corp's
        people (the operator filter lists them all), up to PEOPLE_WIDTH_MAX."""
        people = self.filters.operator
        metrics = self.rows_view.fontMetrics()
        widest = max((metrics.horizontalAdvance(people.itemText(n))
                      for n in range(1, people.count())), default=0)
        width = min(max(widest + 24, self.rows_view.columnWidth(RowColumn.OPERATOR)),
                    PEOPLE_WIDTH_MAX)
        for view, column in ((self.rows_view, RowColumn.OPERATOR),
                             (self.rows_view, RowColumn.OWNER),
                             (self.batches_view, BatchColumn.OPERATORS)):
            view.setColumnWidth(column, width)

    # -- filtering -----------------------------------------------------------------------

    def current_filter(self) -> JournalFilter:
        return self.filters.journal_filter()

    def apply_filter(self) -> None:
        self._drill = None
        self._run(self.current_filter())

    def show_batch(self, line: BatchSummary) -> None:
        """Show the rows of one batch line (within the current filter)."""
        self._drill = line
        self.rows_button.setChecked(True)
        self._run(line.row_filter(self.current_filter()))

    def _run(self, flt: JournalFilter) -> None:
        drilled = self._drill is not None
        self.drill_label.setVisible(drilled)
        self.drill_clear.setVisible(drilled)
        if self._drill is not None:
            line = self._drill
            self.texts.say(self.drill_label, lambda: self.tr("Only: %1").replace(
                "%1", self._line_name(line)))
        self.detail.clear()
        if self.batches_button.isChecked():
            self.batches_model.set_filter(flt)
        else:
            self.rows_model.set_filter(flt)
        self._update_buttons()

    def _show_sort(self, column: int, order: Qt.SortOrder) -> None:
        self.rows_view.horizontalHeader().setSortIndicator(column, order)

    def _mode_changed(self) -> None:
        self.stack.setCurrentIndex(0 if self.rows_button.isChecked() else 1)
        if self._drill is None:
            self._run(self.current_filter())
        elif self.batches_button.isChecked():
            self._back_to_batches()

    def _back_to_batches(self) -> None:
        """Back from one batch's changes to the batches they were opened from: still loaded,
        with the line still selected, so the count, the detail and 回滚批次 are theirs again."""
        self._drill = None
        self.drill_label.hide()
        self.drill_clear.hide()
        self._show_batches(len(self.batches_model.lines))

    def _drill_into(self, index: QModelIndex) -> None:
        line = self.batches_model.line_at(index.row())
        if line is not None:
            self.show_batch(line)

    def _rows_loaded(self, loaded: Loaded) -> None:
        self._read_again()
        self._select_remembered_changes()
        if not self.rows_button.isChecked():   # a refresh behind the batches view
            self._update_buttons()
            return
        self.texts.say(self.status, lambda: self.tr("%1 changes · %2 ms", "", loaded.count).replace(
            "%1", f"{loaded.count:,}").replace("%2", f"{loaded.total_s * 1000:.0f}"))
        self._selection_changed()     # the changes kept selected, or no stale detail

    def _batches_loaded(self, count: int) -> None:
        self._read_again()
        if not self.batches_button.isChecked():
            self._update_buttons()
            return
        self._select_remembered_line()
        self._show_batches(count)

    def _remember_line(self) -> None:
        """The line selected before the lines are read again (a revert finished, newer
        rows): the same line, found by the rows it shows, is selected again once they are in."""
        line = self._selected_line()
        self._kept_line = line.row_filter() if line is not None else None

    def _select_remembered_line(self) -> None:
        kept, self._kept_line = self._kept_line, None
        lines = self.batches_model.lines
        row = next((i for i, line in enumerate(lines) if line.row_filter() == kept), None)
        if kept is not None and row is not None:
            self.select_row(row)
            self.batches_view.scrollTo(self.batches_model.index(row, 0))

    def _remember_changes(self) -> None:
        """The changes selected before they are read again (a revert, a tag set in the main
        window, a new sort): the same journal rows are selected again once every id is in.
        A second reset before then (the first page, then the whole list) keeps what the first
        one remembered."""
        ids = self.rows_model.ids
        rows = self.rows_view.selectionModel().selectedRows()
        if rows:
            self._kept_changes = frozenset(ids[i.row()] for i in rows if i.row() < len(ids))

    def _select_remembered_changes(self) -> None:
        kept, self._kept_changes = self._kept_changes, frozenset()
        chosen = self.rows_view.selectionModel()
        if not kept or chosen.hasSelection():    # chosen while the rows were read
            return
        found = [n for n, journal_id in enumerate(self.rows_model.ids) if journal_id in kept]
        if not found:
            return
        last_column = self.rows_model.columnCount() - 1
        selection = QItemSelection()
        start = previous = found[0]
        for row in [*found[1:], -1]:
            if row != previous + 1:
                selection.select(self.rows_model.index(start, 0),
                                 self.rows_model.index(previous, last_column))
                start = row
            previous = row
        first = self.rows_model.index(found[0], 0)
        chosen.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
        chosen.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.rows_view.scrollTo(first)

    def _show_batches(self, count: int) -> None:
        self.texts.say(self.status, lambda: self.tr("%1 batches", "", count).replace(
            "%1", f"{count:,}"))
        self._selection_changed()

    def _notify(self, text: Callable[[], str], *, load_error: bool = False) -> None:
        """Say how the last export, revert or error went; `load_error`: the changes could not
        be read, which the next successful read takes back."""
        self._load_error = load_error
        self.texts.say(self.notice, text)

    def _show_error(self, exc: BaseException, *, load_error: bool = False) -> None:
        self._notify(lambda: f"<span style='color:#d4380d'>"
                     f"{html.escape(message_for(exc))}</span>", load_error=load_error)

    def _show_load_error(self, exc: BaseException) -> None:
        self._show_error(exc, load_error=True)

    def _read_again(self) -> None:
        """The changes were read: an earlier failure to read them is over (the team server
        is back), so its red sentence goes; it stayed under the rows read since."""
        if self._load_error:
            self._notify(str)

    # -- selection and detail --------------------------------------------------------------

    def _view(self) -> QTableView:
        return self.rows_view if self.rows_button.isChecked() else self.batches_view

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self._view().selectionModel().selectedRows()})

    def select_row(self, row: int) -> None:
        view = self._view()
        view.selectionModel().select(
            view.model().index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)

    def _selected_journal_row(self) -> JournalRow | None:
        rows = self.selected_rows() if self.rows_button.isChecked() else []
        return self.rows_model.row_at(rows[0]) if len(rows) == 1 else None

    def _selected_line(self) -> BatchSummary | None:
        rows = self.selected_rows() if self.batches_button.isChecked() else []
        return self.batches_model.line_at(rows[0]) if len(rows) == 1 else None

    def selected_batch_id(self) -> str:
        """The batch of the selected change or line; with nothing selected among one opened
        batch's changes, that batch."""
        row, line = self._selected_journal_row(), self._selected_line()
        if row is not None:
            return row.batch_id
        if line is not None:
            return line.batch_id
        if self.rows_button.isChecked() and self._drill is not None and not self.selected_rows():
            return self._drill.batch_id
        return ""

    def _newer_on_server(self) -> None:
        """Show what other desktops wrote since; not under a reader's selection (the next
        round of the watch asks again)."""
        if not self.isVisible() or self.selected_rows():
            return
        if self.batches_button.isChecked():
            self.batches_model.set_filter(self.batches_model.journal_filter)
        self.rows_model.refresh()

    def _selection_changed(self) -> None:
        row, line = self._selected_journal_row(), self._selected_line()
        if row is not None:
            self.detail.setHtml(self._row_html(row))
        elif line is not None:
            self.detail.setHtml(self._line_html(line))
        else:
            self.detail.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self._selected_journal_row()
        self.customer_button.setEnabled(bool(row and row.external_userid))
        self.revert_button.setEnabled(bool(self.selected_batch_id()))
        flt = self.current_filter()
        self.range_button.setEnabled(len(flt.operators) == 1 and flt.since is not None)

    def _row_html(self, row: JournalRow) -> str:
        detail = audit.change_detail(self.context.cache, row)
        esc = html.escape
        when = (LABELS.window(row.seen_after, row.ts) if row.observed and row.seen_after
                else time_text(row.ts))
        lines = [f"<h3>{esc(LABELS.action(row.action))} · {esc(row.tag_name)}</h3>",
                 f"<p>{esc(when)} · {esc(cell_text(row, RowColumn.OPERATOR))}"
                 f" · {esc(LABELS.source(row.source))}</p>"]
        customer, owner = esc(self.tr("Customer")), esc(self.tr("Owner"))
        group, batch, reason = esc(self.tr("Group")), esc(self.tr("Batch")), esc(self.tr("Reason"))
        sep = colon()
        if row.external_userid:
            lines.append(f"<p>{customer}{sep}<a href='customer:"
                         f"{esc(row.external_userid)}'>{esc(row.customer or row.external_userid)}"
                         f"</a> · {owner}{sep}{esc(cell_text(row, RowColumn.OWNER))}</p>")
        if row.group_name:
            lines.append(f"<p>{group}{sep}{esc(row.group_name)}</p>")
        for title, names, colour in ((self.tr("Added"), detail.added, "#389e0d"),
                                     (self.tr("Removed"), detail.removed, "#d4380d"),
                                     (self.tr("Unchanged"), detail.kept, "#8a8f98")):
            if names:
                lines.append(f"<p><b>{esc(title)}</b>{sep}<span style='color:{colour}'>"
                             f"{esc(list_text(names))}</span></p>")
        for field, old, new in detail.fields:
            lines.append(f"<p><b>{esc(field)}</b>{sep}<s>{esc(old)}</s> → {esc(new)}</p>")
        if row.batch_id:
            lines.append(f"<p>{batch}{sep}{esc(row.batch_id)}</p>")
        if row.reason:
            lines.append(f"<p>{reason}{sep}{esc(in_ui_language(row.reason))}</p>")
        lines.append(f"<p style='color:#8a8f98'>#{row.id}</p>")
        return "".join(lines)

    def _line_html(self, line: BatchSummary) -> str:
        esc = html.escape
        counts = "".join(f"<li>{esc(LABELS.action(a))}{colon()}{n:,}</li>"
                         for a, n in sorted(line.by_action.items()))
        return (f"<h3>{esc(self._line_name(line))}</h3>"
                f"<p>{esc(time_text(line.first_ts))} – {esc(time_text(line.last_ts))}</p>"
                f"<p>{esc(lines_operators(line, self.batches_model.member_names))} · "
                f"{esc(list_text(LABELS.source(s) for s in line.sources))}</p>"
                f"<p>{esc(described(line))}</p>"
                + "".join(f"<p>{esc(self._reverted_by(*by))}</p>" for by in line.reverted_by)
                + f"<ul>{counts}</ul>")

    def _reverted_by(self, batch_id: str, source: str, when: float) -> str:
        """The batch that reverted, undid or redid this one, and when: a reverted batch
        read 已完成 as if it still stood."""
        text = {"undo": self.tr("Undone by batch %1 · %2"),
                "redo": self.tr("Redone by batch %1 · %2")}.get(
                    source, self.tr("Reverted by batch %1 · %2"))
        return text.replace("%1", batch_id).replace("%2", time_text(when))

    def _line_name(self, line: BatchSummary) -> str:
        if line.day is None:
            return line.batch_id
        return self.tr("%1 · not in a batch").replace("%1", line.day.isoformat())

    def _link_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("customer:"):
            self.customerRequested.emit(text.removeprefix("customer:"))

    def show_customer(self) -> None:
        row = self._selected_journal_row()
        if row is not None and row.external_userid:
            self.customerRequested.emit(row.external_userid)

    # -- copy and export -----------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._closed and not event.spontaneous():
            self._closed = False
            self.start_clean()
        if self.watch is not None:
            self.watch.resume()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._closed = self._closed or not event.spontaneous()

    def start_clean(self) -> None:
        """The window opened again shows the latest changes, as at first: no filter, all
        changes (not batches), and no message left from an earlier export or revert."""
        self._notify(str)
        self.rows_button.setChecked(True)
        self.filters.clear()
        self.rows_view.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched in (self.rows_view, self.batches_view) and isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress
                and event.matches(QKeySequence.StandardKey.Copy)):
            self.copy_selection()
            return True
        return super().eventFilter(watched, event)

    def copy_selection(self) -> None:
        """The selected lines as tab-separated text with a header, ready for a spreadsheet."""
        model = self._view().model()
        columns = range(model.columnCount())
        lines = ["\t".join(str(model.headerData(c, Qt.Orientation.Horizontal)) for c in columns)]
        for row in self.selected_rows():
            lines.append("\t".join(str(model.index(row, c).data() or "") for c in columns))
        QGuiApplication.clipboard().setText("\n".join(lines))

    def _ask_export(self, suffix: str) -> None:
        kind = "Excel (*.xlsx)" if suffix == ".xlsx" else "CSV (*.csv)"
        path = ask_path(self, self.tr("Export the audit log"), kind, save=True,
                        suggested=f"audit{suffix}")
        if path is not None:
            self.export_to(path.with_suffix(suffix))

    def export_to(self, path: Path) -> None:
        """Export every row of the current view (all pages, not just the visible ones)."""
        if self.batches_button.isChecked():
            flt = self.batches_model.journal_filter
        else:
            flt = self.rows_model.journal_filter
        journal = self.context.journal

        def done(count: int) -> None:
            self._notify(lambda: self.tr("Exported %1 rows to %2", "", count).replace(
                "%1", f"{count:,}").replace("%2", str(path)))
            self.exported.emit(str(path), count)

        self._notify(lambda: self.tr("Exporting…"))
        english = is_english()
        self.context.run_task(lambda _p, _c: audit.export_journal(journal, flt, path,
                                                                  english=english),
                              owner=self, name="audit export", on_result=done, on_error=self._show_error)

    # -- revert --------------------------------------------------------------------------

    def revert_selected_batch(self) -> None:
        batch_id = self.selected_batch_id()
        if batch_id:
            cache, tagging, journal = self.context.cache, self.context.tagging, self.context.journal
            self._preview(lambda: audit.preview_batch_revert(cache, tagging, batch_id, journal))

    def revert_operator_range(self) -> None:
        flt = self.current_filter()
        if len(flt.operators) == 1 and flt.since is not None:
            cache, since, until = self.context.cache, flt.since, flt.until
            journal, tagging = self.context.journal, self.context.tagging
            self._preview(lambda: audit.preview_range_revert(
                cache, flt.operators[0], since, until, reader=journal, tagging=tagging))

    def _preview(self, make: Any) -> None:
        self._notify(lambda: self.tr("Preparing the revert…"))
        self.context.run_task(lambda _p, _c: make(), owner=self, name="revert preview",
                              on_result=self._show_preview, on_error=self._show_error)

    def _show_preview(self, preview: audit.RevertPreview) -> None:
        self._notify(str)
        names = audit.tag_names(self.context.cache,
                                {t for c in preview.plan.changes for t in (*c.add, *c.remove)})
        self.revert_dialog = RevertDialog(preview, names, self)
        self.revert_dialog.accepted.connect(lambda: self._run_revert(preview))
        self.revert_dialog.open()

    def _run_revert(self, preview: audit.RevertPreview) -> None:
        """Queue the revert (journaled as `revert`, itself revertible) and run it in a
        progress window: the pilot first, pause, cancel, continue, retry, like any batch."""
        context = self.context
        tagging, plan = context.tagging, preview.plan
        pilot = audit.revert_pilot(preview, context.workspace.profile.pilot_size)
        ids = frozenset(change.relation_id for change in plan.changes)
        self._notify(lambda: self.tr("Reverting…"))
        context.run_task(
            lambda _p, _c: tagging.submit(plan, source="revert", pilot_size=pilot,
                                          description=audit.revert_description(preview.origin),
                                          reverts=preview.reverts),
            owner=self, name="queue revert", writer=True,
            on_result=lambda batch_id: self._show_revert_progress(batch_id, ids, preview.origin),
            on_error=self._show_error)

    def _show_revert_progress(self, batch_id: str, ids: frozenset[int], origin: str) -> None:
        """Titled with what is reverted (回滚 批次 X), as the preview was; the revert's own
        batch id is in the panel's first line."""
        dialog = QDialog(self)
        self.revert_progress = dialog
        retranslate_in_place(dialog, lambda: dialog.setWindowTitle(
            self.tr("Revert %1").replace("%1", _reverted(origin))))
        dialog.resize(560, 300)
        panel = BatchProgressPanel(self.context, dialog)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(dialog.close)
        layout = QVBoxLayout(dialog)
        layout.addWidget(panel)
        layout.addWidget(close)
        panel.batchFinished.connect(lambda result: self._revert_finished(result, origin))
        panel.pilotFinished.connect(lambda result: self._revert_pilot_done(result, origin))
        dialog.show()
        panel.start(batch_id, ids)

    def _revert_pilot_done(self, result: BatchResult, origin: str) -> None:
        """The pilot is through and the rest waits for a person: "Reverting…" said it ran."""
        self._notify(lambda:
            self.tr("Revert %1: the pilot is through (%2 restored); continue or cancel the rest"
                    " in its window").replace("%1", _reverted(origin))
            .replace("%2", f"{result.applied:,}"))

    def _revert_finished(self, result: BatchResult, origin: str) -> None:
        self.context.publish(ChangeSet(journal_appended=True))
        self._notify(lambda:
            self.tr("Revert %1: %2 restored, %3 failed, %4 still queued")
            .replace("%1", _reverted(origin)).replace("%2", f"{result.applied:,}")
            .replace("%3", f"{result.failed:,}").replace("%4", f"{result.pending:,}"))
        self.reverted.emit(result)


class RevertDialog(QDialog):
    """What a revert will restore, and what it cannot, before anything is sent."""

    def __init__(self, preview: audit.RevertPreview, tag_names: dict[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._preview = preview
        self._tag_names = tag_names
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.listing = QPlainTextEdit(readOnly=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setEnabled(bool(preview.plan.changes))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.listing, 1)
        layout.addWidget(buttons)
        self.resize(720, 480)
        retranslate_in_place(self, self.retranslate)

    def retranslate(self) -> None:
        """The texts in the UI language; the listing keeps its scroll position."""
        preview, tag_names = self._preview, self._tag_names
        self.setWindowTitle(self.tr("Revert %1").replace("%1", _reverted(preview.origin)))
        self.summary.setText(
            self.tr("%1 will be restored; %2 cannot be (changed again since, or the"
                    " relation is gone). The revert is itself journaled and can be reverted.")
            .replace("%1", COUNTS.relations(preview.restorable))
            .replace("%2", f"{len(preview.skipped):,}"))
        space = " " if is_english() else ""
        if preview.plan.skipped_noop:
            self.summary.setText(self.summary.text() + space + self.tr(
                "%1 already carry the tags they had before.")
                .replace("%1", COUNTS.relations(preview.plan.skipped_noop)))
        if not preview.plan.changes:
            self.summary.setText(self.summary.text() + space + self.tr("There is nothing to revert."))
        lines = [self.tr("Will restore:")] if preview.plan.changes else []
        for change in preview.plan.changes:
            tags = [f"+{tag_names.get(t, t)}" for t in change.add]
            tags += [f"-{tag_names.get(t, t)}" for t in change.remove]
            lines.append(f"  {preview.customer_names.get(change.external_userid, '')}"
                         f" ({change.external_userid}) · {preview.owner(change.userid)}"
                         f"  {' '.join(tags)}")
        if preview.skipped:
            lines.append(self.tr("Cannot restore:"))
            lines.extend(f"  {preview.customer_names.get(s.external_userid, '')}"
                         f" ({s.external_userid}) · {preview.owner(s.userid)}"
                         f"  {in_ui_language(s.reason)}"
                         for s in preview.skipped)
        scroll = self.listing.verticalScrollBar()
        position = scroll.value()
        self.listing.setPlainText("\n".join(lines))
        scroll.setValue(position)
        self.ok_button.setText(self.tr("Revert"))


def widest_batch_id(metrics: QFontMetrics) -> int:
    """The width of the widest id outbox.new_batch_id can make (20260315-142501-3f9a1c), in a
    font whose digits and letters may differ in width."""
    digit = max("0123456789", key=metrics.horizontalAdvance)
    hex_digit = max("0123456789abcdef", key=metrics.horizontalAdvance)
    return metrics.horizontalAdvance(f"{digit * 8}-{digit * 6}-{hex_digit * 6}")


def _table(model: Any) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setDefaultSectionSize(120)
    view.setColumnWidth(0, view.fontMetrics().horizontalAdvance("2099-12-31 23:59:59") + 16)
    view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)  # newest first
    view.setSortingEnabled(True)   # a click on a header sorts: see each model's `sort`
    return view


def _tool_button(text: str, *, checkable: bool = False) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setCheckable(checkable)
    return button


def _reverted(origin: str) -> str:
    """What a revert reverts, inside its sentence: "Revert batch X" (as its progress line
    and the batch's description read), not "Revert Batch X"; 回滚 批次 X in Chinese."""
    return inner(in_ui_language(origin))
