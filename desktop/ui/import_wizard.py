"""The spreadsheet import wizard: choose a file, see every problem and the preview, import.

Step 1 picks the file (or saves the template to start from). Step 2 shows what the check found,
one row per problem (row, column, value, problem, suggestion, in the UI language), and the
preview of the valid rows; "Import" is offered only for a clean file, or once the user ticks
"import only the valid rows". Step 3 runs the batch with its pilot through the same progress
panel as the retag dialog. Reading, checking and queueing all run off the GUI thread.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.services.import_template import write_template
from desktop.services.progress import OperationCancelled, Progress
from desktop.services.spreadsheet_import import ImportProblem, ImportReport, SpreadsheetImporter
from desktop.ui.batch_progress import BatchProgressPanel, message_for
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS
from desktop.ui.file_dialogs import ask_path, typed_path
from desktop.ui.i18n import is_english
from desktop.ui.pilot_box import PilotBox
from desktop.ui.retranslate import relabel, retranslate_in_place
from desktop.ui.tasks import Task

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
STEP_FILE, STEP_CHECK, STEP_RUN = range(3)
WRAPPED_ROWS = 200      # problems measured to wrap their text (0.1 s; 2,000 take 2 s)
REFIT_MS = 80           # rows are measured again this long after a column stops moving
PROBLEM_COLUMNS = 5     # row, column, value, problem, suggestion


class ProblemTableModel(QAbstractTableModel):
    """The problems of one check, in sheet order."""


    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._problems: list[ImportProblem] = []

    def set_problems(self, problems: list[ImportProblem]) -> None:
        self.beginResetModel()
        self._problems = list(problems)
        self.endResetModel()

    def problem(self, row: int) -> ImportProblem:
        return self._problems[row]

    def first_filled(self, row: int) -> QModelIndex:
        """The row's first cell with text (a problem of the whole file has no row or
        column: its value, the file's name)."""
        return next((self.index(row, column) for column in range(PROBLEM_COLUMNS)
                     if self.data(self.index(row, column))), self.index(row, 0))

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else PROBLEM_COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("Row"), self.tr("Column"), self.tr("Value"), self.tr("Problem"),
                  self.tr("Suggestion"))
        return titles[section] if 0 <= section < len(titles) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """The empty row and column cells of a problem of the whole file are disabled, so
        Tab and Shift+Tab (and a click) go through the cells with text only."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._problems[index.row()].row is None and not self.data(index):
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        problem = self._problems[index.row()]
        english = is_english()
        values = (
            "" if problem.row is None else str(problem.row),
            problem.column,
            problem.value,
            problem.problem_en if english else problem.problem_zh,
            problem.suggestion_en if english else problem.suggestion_zh,
        )
        return values[index.column()]


class ImportWizard(QDialog):
    checked = Signal(object)        # ImportReport
    batchStarted = Signal(str)      # batch id

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.report: ImportReport | None = None
        self.batch_id = ""
        self.steps = QStackedWidget()
        self._choosing_steps = (self._file_step(), self._check_step())
        for step in self._choosing_steps:
            self.steps.addWidget(step)
        self.progress = BatchProgressPanel(context)
        run_step = QWidget()
        run_layout = QVBoxLayout(run_step)
        run_layout.addWidget(self.progress)
        run_layout.addStretch(1)
        self.steps.addWidget(run_step)
        self.close_button = QPushButton()
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close)
        self._check_task: Task | None = None
        self.checking = QWidget()       # below either step: Check and Check again both run
        self.check_bar = QProgressBar()
        self.cancel_check_button = QPushButton()
        self.cancel_check_button.setAutoDefault(False)
        self.cancel_check_button.clicked.connect(self.cancel_check)
        checking = QHBoxLayout(self.checking)
        checking.setContentsMargins(0, 0, 0, 0)
        checking.addWidget(self.check_bar, 1)
        checking.addWidget(self.cancel_check_button)
        self.checking.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.steps, 1)
        layout.addWidget(self.checking)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(900, 600)
        self.texts = retranslate_in_place(self, self.retranslate)

    def retranslate(self) -> None:
        """Every fixed text and the problem table's headers; messages, the summary and
        the preview are said again by `texts`."""
        self.setWindowTitle(self.tr("Import tags from a spreadsheet"))
        self.close_button.setText(self.tr("Close"))
        self.intro.setText(self.tr(
            "Choose an .xlsx file with the columns external_userid, owner_userid (optional),"
            " add_tags and remove_tags. An export of your customers has them all: fill in the"
            " tags and import it back. Every row is checked before anything is written."))
        self.path_edit.setPlaceholderText(self.tr("Spreadsheet (.xlsx)"))
        for button, text in ((self.browse_button, self.tr("Browse…")),
                             (self.template_button, self.tr("Save the template…")),
                             (self.check_button, self.tr("Check")),
                             (self.cancel_check_button, self.tr("Cancel the check")),
                             (self.back_button, self.tr("Back")),
                             (self.recheck_button, self.tr("Check again")),
                             (self.import_button, self.tr("Import")),
                             (self.only_valid, self.tr("Import only the valid rows"))):
            button.setText(text)
        self.copy_action.setText(self.tr("Copy"))
        relabel(self.problems)
        self._refit.start()             # the problems in the other language wrap anew

    # -- step 1: the file ---------------------------------------------------------------

    def _file_step(self) -> QWidget:
        page = QWidget()
        self.intro = intro = QLabel()
        intro.setWordWrap(True)
        self.path_edit = QLineEdit()
        self.browse_button = browse = QPushButton()
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        self.template_button = QPushButton()
        self.template_button.setAutoDefault(False)
        self.template_button.clicked.connect(self._save_template)
        self.check_button = QPushButton()
        self.check_button.clicked.connect(self.check)
        self.file_message = QLabel()
        self.file_message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.template_button)
        buttons.addStretch(1)
        buttons.addWidget(self.check_button)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.file_message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def set_path(self, path: Path) -> None:
        self.path_edit.setText(str(path))

    def check(self) -> None:
        """Read and check the file on a worker thread; nothing is written."""
        text = self.path_edit.text().strip()
        if not text:
            self.texts.say(self.file_message, lambda: self.tr("Choose a file first."))
            return
        path = typed_path(text)
        importer = SpreadsheetImporter(self.context.cache)
        self._set_checking(True)
        self.texts.say(self.file_message, lambda: self.tr("Checking every row…"))
        started: list[Task] = []

        def current() -> bool:      # not a check cancelled, or replaced, since
            return bool(started) and started[0] is self._check_task

        started.append(self.context.run_task(
            lambda progress, cancel: importer.validate(path, progress=progress, cancel=cancel),
            owner=self, name="import check",
            on_result=lambda report: self._checked(report) if current() else None,
            on_error=lambda exc: self._check_failed(exc) if current() else None,
            on_progress=lambda event: self._check_progressed(event) if current() else None))
        self._check_task = started[0]

    def cancel_check(self) -> None:
        """Stop a check that is reading or checking a big file; nothing was written. The
        window is free at once: reading a big sheet takes most of the time and the worker
        stops only at its next row, so its late answer is dropped."""
        task = self._check_task
        if task is None:
            return
        task.cancel()
        self._set_checking(False)
        self.steps.setCurrentIndex(STEP_FILE)
        self.texts.say(self.file_message, lambda: message_for(OperationCancelled()))

    def _set_checking(self, checking: bool) -> None:
        """While a file is checked: a bar (busy while the sheet is read, then rows checked
        of all) and a cancel button under either step; Check and Check again wait."""
        self.check_button.setEnabled(not checking)
        self.recheck_button.setEnabled(not checking)
        self.checking.setVisible(checking)
        self.check_bar.setRange(0, 0)
        self.check_bar.setTextVisible(False)
        if not checking:
            self._check_task = None

    def _check_progressed(self, event: Progress) -> None:
        if event.total:
            self.check_bar.setFormat(self.tr("%1 of %2 rows checked", "", event.total)
                                     .replace("%1", f"{event.done:,}")
                                     .replace("%2", f"{event.total:,}"))
            self.check_bar.setTextVisible(True)
            self.check_bar.setRange(0, event.total)
            self.check_bar.setValue(event.done)

    def _browse(self) -> None:
        path = ask_path(self, self.tr("Import spreadsheet"),
                        self.tr("Excel workbook (*.xlsx);;All files (*)"), save=False)
        if path is not None:
            self.set_path(path)

    def _save_template(self) -> None:
        chosen = ask_path(self, self.tr("Save the import template"),
                          self.tr("Excel workbook (*.xlsx)"), save=True,
                          suggested="tagdesk-import.xlsx")
        if chosen is None:
            return
        path = chosen.with_suffix(".xlsx")
        self.context.run_task(lambda _p, _c: write_template(path), owner=self, name="template",
                              on_result=self._template_saved, on_error=self._template_failed)

    def _template_saved(self, written: Path) -> None:
        self.texts.say(self.file_message,
                       lambda: self.tr("Template saved: %1").replace("%1", str(written)))

    def _template_failed(self, exc: BaseException) -> None:
        self.texts.say(self.file_message, lambda: message_for(exc))

    def _check_failed(self, exc: BaseException) -> None:
        self._set_checking(False)
        self.steps.setCurrentIndex(STEP_FILE)       # where the file and the reason show
        self.texts.say(self.file_message, lambda: message_for(exc))

    # -- step 2: problems and preview ---------------------------------------------------

    def _check_step(self) -> QWidget:
        page = QWidget()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problems = ProblemTableModel(self)
        self.problem_view = QTableView()
        self.problem_view.setModel(self.problems)
        self.problem_view.setWordWrap(True)
        self.problem_view.verticalHeader().setVisible(False)
        header = self.problem_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((50, 150, 160, 260)):
            self.problem_view.setColumnWidth(column, width)
        self._refit = QTimer(self, singleShot=True, interval=REFIT_MS)
        self._refit.timeout.connect(self._fit_rows)
        header.sectionResized.connect(self._refit.start)
        self.copy_action = copy = QAction(self.problem_view)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_problems)
        self.problem_view.addAction(copy)
        self.problem_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.only_valid = QCheckBox()
        self.only_valid.toggled.connect(self._update_import)
        self.pilot = PilotBox(self.context.workspace.profile.pilot_size, self)
        options = QFormLayout()
        options.setFieldGrowthPolicy(   # the pilot box as wide as its text, as the check box
            QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        options.addRow(self.only_valid)
        options.addRow(self.pilot.label, self.pilot)
        self.back_button = back = QPushButton()
        back.setAutoDefault(False)
        back.clicked.connect(lambda: self.steps.setCurrentIndex(STEP_FILE))
        self.recheck_button = QPushButton()
        self.recheck_button.setAutoDefault(False)
        self.recheck_button.clicked.connect(self.check)
        self.import_button = QPushButton()
        self.import_button.clicked.connect(self.start_import)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addWidget(self.recheck_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        self._check_layout = layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem_view, 1)
        layout.addWidget(self.preview)
        layout.addLayout(options)
        layout.addStretch(0)        # the problem table's room when there is no problem
        layout.addLayout(buttons)
        return page

    def _fit_rows(self) -> None:
        """Each problem as tall as its wrapped text, so no problem or suggestion is cut
        short; a list longer than WRAPPED_ROWS keeps one line a row (each row's full text
        is in its tooltip), since measuring every row would keep the window waiting; none
        keeps the height it had in a shorter list checked before."""
        if self.problems.rowCount() <= WRAPPED_ROWS:
            self.problem_view.resizeRowsToContents()
        else:
            one_line = self.problem_view.verticalHeader().defaultSectionSize()
            for row in range(WRAPPED_ROWS):     # the rows a shorter list may have fitted
                self.problem_view.setRowHeight(row, one_line)

    def copy_problems(self) -> None:
        """The selected cells (or whole problems) as tab-separated lines, e.g. a suggestion."""
        indexes = sorted(self.problem_view.selectionModel().selectedIndexes(),
                         key=lambda index: (index.row(), index.column()))
        lines: dict[int, list[str]] = {}
        for index in indexes:
            lines.setdefault(index.row(), []).append(str(index.data() or ""))
        QGuiApplication.clipboard().setText("\n".join("\t".join(cells)
                                                      for cells in lines.values()))

    def _checked(self, report: ImportReport) -> None:
        self.report = report
        self._set_checking(False)
        self.texts.say(self.file_message, str)
        self.problems.set_problems(report.problems)
        self.problem_view.setVisible(bool(report.problems))
        # without the table the blank goes above the buttons, not between the lines
        self._check_layout.setStretch(self._check_layout.count() - 2, 0 if report.problems else 1)
        if report.problems:             # the keyboard starts on text, not on an empty cell
            self.problem_view.selectionModel().setCurrentIndex(
                self.problems.first_filled(0), QItemSelectionModel.SelectionFlag.NoUpdate)
        self._refit.start()             # once the table is laid out at its width
        self.texts.say(self.summary, lambda: self._summary_text(report))
        self.texts.say(self.preview, lambda: self._preview_html(report))
        self.only_valid.setChecked(False)
        self.only_valid.setVisible(bool(report.problems) and report.importable)
        self._update_import()
        self.steps.setCurrentIndex(STEP_CHECK)
        self.checked.emit(report)

    def _summary_text(self, report: ImportReport) -> str:
        if report.ok:
            return (self.tr("%1: all %2 rows are valid.", "", report.rows)
                    .replace("%1", report.path.name)
                    .replace("%2", f"{report.rows:,}"))
        problems = COUNTS.problems(len(report.problems))
        if not report.rows:
            return (self.tr("%1: no row could be read (%2). Nothing is written.")
                    .replace("%1", report.path.name).replace("%2", problems))
        if report.importable:
            text = self.tr("%1: %2, %3 valid, %4 with problems (%5). Nothing is written until"
                           " they are fixed, unless you import only the valid rows.")
        else:
            text = self.tr("%1: %2, %3 valid, %4 with problems (%5). Nothing is written until"
                           " they are fixed.")
        return (text.replace("%1", report.path.name).replace("%2", COUNTS.rows(report.rows))
                .replace("%3", f"{report.valid:,}").replace("%4", f"{report.invalid:,}")
                .replace("%5", problems))

    def _preview_html(self, report: ImportReport) -> str:
        plan = report.plan
        if not report.valid:
            return ""
        summary = (self.tr("<b>%1</b> to change (%2) of %3 named ·"
                           " %4 already as asked · %5 left out for exclusive tags")
                   if plan.skipped_conflicts else
                   self.tr("<b>%1</b> to change (%2) of %3 named · %4 already as asked"))
        lines = [summary.replace("%1", COUNTS.relations(plan.api_calls))
                 .replace("%2", COUNTS.calls(plan.api_calls))
                 .replace("%3", f"{report.relations:,}").replace("%4", f"{plan.skipped_noop:,}")
                 .replace("%5", f"{plan.skipped_conflicts:,}")]
        labels = report.tag_labels
        for line, counts in ((self.tr("+ %1: %2"), plan.per_tag_add),
                             (self.tr("− %1: %2"), plan.per_tag_remove)):
            for tag_id, count in sorted(counts.items(), key=lambda kv: -kv[1]):
                lines.append(html.escape(line.replace("%1", labels.get(tag_id, tag_id))
                                         .replace("%2", f"{count:,}")))
        return "<br>".join(lines)

    def _update_import(self) -> None:
        report = self.report
        allowed = report is not None and report.importable and (
            report.ok or self.only_valid.isChecked())
        self.import_button.setEnabled(allowed)
        self.pilot.setEnabled(allowed)

    # -- step 3: run --------------------------------------------------------------------

    def start_import(self) -> None:
        """Queue the valid rows as one batch (source "import") and run it with its pilot."""
        report = self.report
        if report is None or not self.import_button.isEnabled():
            return
        importer = SpreadsheetImporter(self.context.cache)
        tagging = self.context.tagging
        pilot, skip = self.pilot.value(), self.only_valid.isChecked()
        self.import_button.setEnabled(False)
        waiting = self.context.writes_ahead
        self.context.run_task(
            lambda _p, _c: importer.submit(report, tagging, pilot_size=pilot, skip_invalid=skip),
            owner=self, name="queue import", writer=True, on_result=self._submitted,
            on_error=self._submit_failed)
        if waiting:     # e.g. a toggle on 26,938 customers still sending: say why nothing moves
            self.texts.say(self.preview, lambda: self._preview_html(report) + "<br><br><b>"
                           + html.escape(self.context.queued_behind_writes()) + "</b>")

    def _submitted(self, batch_id: str) -> None:
        self.batch_id = batch_id
        self.steps.setCurrentIndex(STEP_RUN)
        report = self.report
        ids = frozenset(c.relation_id for c in report.plan.changes) if report else frozenset()
        self.progress.start(batch_id, ids)
        self.batchStarted.emit(batch_id)
        self._fit_run_step()

    def _fit_run_step(self) -> None:
        """The run has no way back to the file or the problems: the window takes the height
        of the progress and its next actions (growing with them) instead of keeping the
        problem table's, which left the lower half of the window blank."""
        ignored = QSizePolicy.Policy.Ignored
        for step in self._choosing_steps:
            step.setSizePolicy(ignored, ignored)
        self.resize(self.width(), self.sizeHint().height())

    def _submit_failed(self, exc: BaseException) -> None:
        self._update_import()
        self.texts.say(self.preview, lambda: html.escape(message_for(exc)))
