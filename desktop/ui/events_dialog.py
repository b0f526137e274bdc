"""Importing behaviour events in the app: 标签 → 导入行为事件….

Pick a CSV or JSONL file and import: every line is checked on a worker (with progress and a
cancel button), bad lines are listed by number and then nothing is stored until the person
chooses to import the valid lines; after an import the window counts the file's events per
type. On a team profile the events go to the team server, as `tagdesk events import` does.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.event_import import EventImportResult, import_events
from desktop.services.progress import Progress
from desktop.services.team_events import store_for
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS
from desktop.ui.errors import readable
from desktop.ui.file_dialogs import ask_path, typed_path
from desktop.ui.i18n import is_english
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.tasks import Task

SHOWN_PROBLEMS = 500


class EventsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventsDialog")
        self.context = context
        self.imported: EventImportResult | None = None
        self.task: Task | None = None
        self.resize(760, 560)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.path = QLineEdit()
        self.browse = QPushButton()
        self.import_button = QPushButton()
        self.import_button.setDefault(True)    # Enter imports the file named; it chose another
        self.valid_button = QPushButton()
        self.valid_button.setVisible(False)
        self.cancel_button = QPushButton()
        self.cancel_button.setVisible(False)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.per_type = QTreeWidget()
        self.per_type.setRootIsDecorated(False)
        self.problems = QTreeWidget()
        self.problems.setRootIsDecorated(False)
        self.problems.setAlternatingRowColors(True)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        actions = QHBoxLayout()
        actions.addWidget(self.import_button)
        actions.addWidget(self.valid_button)
        actions.addWidget(self.cancel_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(file_row)
        layout.addLayout(actions)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.per_type, 1)
        layout.addWidget(self.problems, 2)
        self.browse.clicked.connect(self._browse)
        self.import_button.clicked.connect(lambda: self.start_import())
        self.valid_button.clicked.connect(lambda: self.start_import(skip_invalid=True))
        self.cancel_button.clicked.connect(self.cancel)
        self.texts = retranslate_in_place(self, self.retranslate)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Import events"))
        self.intro.setText(self.tr(
            "Behaviour events (a form submitted, content viewed, an order paid, a course"
            " attended) from a CSV or JSONL file, for rule conditions. Every line is checked"
            " first; with bad lines nothing is stored until you import the valid ones."))
        self.path.setPlaceholderText(self.tr("a .csv or .jsonl file"))
        self.browse.setText(self.tr("Choose…"))
        self.import_button.setText(self.tr("Import"))
        self.valid_button.setText(self.tr("Import the valid lines"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.per_type.setHeaderLabels([self.tr("Event type"), self.tr("Events")])
        self.problems.setHeaderLabels([self.tr("Line"), self.tr("Problem")])

    def _browse(self) -> None:
        path = ask_path(self, self.tr("Import events"),
                        self.tr("Events (*.csv *.jsonl *.ndjson *.json);;All files (*)"),
                        save=False)
        if path is not None:
            self.path.setText(str(path))

    def start_import(self, *, skip_invalid: bool = False) -> Task | None:
        text = self.path.text().strip()
        if not text:
            self.texts.say(self.summary, lambda: self.tr("Choose an events file first."))
            return None
        path = typed_path(text)
        workspace = self.context.workspace

        def work(progress: Any, cancel: Any) -> EventImportResult:
            return import_events(workspace.cache, path, skip_invalid=skip_invalid,
                                 progress=progress, store=store_for(workspace), cancel=cancel)

        self._running(True)
        self.texts.say(self.summary, lambda: self.tr("Importing %1…").replace("%1", path.name))
        self.task = self.context.run_task(work, owner=self, name="import events", writer=True,
                                          on_result=self._imported, on_error=self._failed,
                                          on_progress=self._progressed)
        return self.task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _running(self, running: bool) -> None:
        self.import_button.setEnabled(not running)
        self.browse.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.progress.setVisible(running)
        if running:
            self.valid_button.setVisible(False)
            self.progress.setRange(0, 0)

    def _progressed(self, event: Progress) -> None:
        self.progress.setRange(0, event.total)
        self.progress.setValue(event.done if event.total else 0)

    def _imported(self, result: EventImportResult) -> None:
        self.imported = result
        self.task = None
        self._running(False)
        refused = result.status == "invalid"
        self.valid_button.setVisible(refused and result.valid > 0)
        self.per_type.clear()
        for kind, count in result.per_type.items():
            self.per_type.addTopLevelItem(QTreeWidgetItem([kind, f"{count:,}"]))
        self.problems.clear()
        english = is_english()
        for problem in result.problems[:SHOWN_PROBLEMS]:
            self.problems.addTopLevelItem(QTreeWidgetItem([
                str(problem.line), problem.problem_en if english else problem.problem_zh]))
        self.problems.resizeColumnToContents(0)
        name, lines = result.path.name, COUNTS.lines(len(result.problems))
        if refused:
            self.texts.say(self.summary, lambda: self.tr(
                "%1: %2, nothing was imported. Fix them, or import the valid ones (%3).")
                .replace("%1", name).replace("%2", lines)
                .replace("%3", COUNTS.events(result.valid)))
        elif result.status == "empty":
            self.texts.say(self.summary, lambda: self.tr("%1 holds no event.")
                           .replace("%1", name))
        else:
            self.texts.say(self.summary, lambda: self.tr(
                "%1: %2 stored, %3 already stored, %4.")
                .replace("%1", name).replace("%2", COUNTS.events(result.imported))
                .replace("%3", f"{result.duplicates:,}").replace("%4", lines))

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self._running(False)
        self.texts.say(self.summary, lambda: readable(exc))
