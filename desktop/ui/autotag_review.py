"""The auto-tagging review window: simulate on a time window, review with evidence, tag.

The simulation (`AutoTagService.simulate`) runs on a worker with progress and cancel. Its
suggestions fill a table: customer, member, tag, confidence, what accepting changes, and the
message snippets that decided. People accept or reject rows one by one or all at once
(each verdict is kept at once as training data). "Preview" plans the accepted suggestions that
add a tag; "Start" queues them as one batch (source `autotag`) and runs it
with the usual pilot, pause and cancel; `tagdesk batch undo` or the audit log reverts it.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.autotag import BASE, BOTH, LEARNER, RULES, RULES_AND_BASE
from desktop.domain.autotag_reverts import ACCEPTED, REJECTED, REVERTED
from desktop.domain.retag_plan import AppliedChange, RetagPlan, format_duration
from desktop.services import team_autotag
from desktop.services.autotag_simulation import (
    ADD,
    DEFAULT_MIN_CONFIDENCE,
    NO_RELATION,
    PRESENT,
    AutoTagService,
    Simulation,
    TagSuggestion,
)
from desktop.services.autotag_training import TagTraining
from desktop.services.changes import ChangeSet
from desktop.services.chat_import import ChatImportResult, import_chats
from desktop.services.progress import Progress
from desktop.services.team_chats import store_for
from desktop.store import autotag_settings, chats, outbox
from desktop.store import members as member_store
from desktop.store.autotag_settings import Review
from desktop.store.chats import StoredMessage
from desktop.ui.autotag_keywords_dialog import KeywordsDialog
from desktop.ui.batch_progress import BatchProgressPanel, message_for
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS
from desktop.ui.file_dialogs import ask_path
from desktop.ui.i18n import in_ui_language, is_english
from desktop.ui.pilot_box import PilotBox
from desktop.ui.retranslate import relabel, retranslate_in_place
from desktop.ui.summary_area import SummaryArea
from desktop.ui.tasks import Task

DEFAULT_DAYS = 7
CHAT_CHARS_SHOWN = 2_000
TAG_FILTER_MAX_WIDTH = 360   # px: a longer name loses its middle; its list shows it whole
PROBLEMS_SHOWN = 5         # a refused chat file's bad lines listed under the summary
SUMMARY_LINES = 6          # the summary's lines shown at once; the rest (warnings) scrolls
CHAT_MIN_WIDTH = 260       # px: the chat beside the table gives the table its columns' width
                           # down to this, unless the person has moved the splitter
PREVIEW_LINES = 4          # the preview's lines shown at once: its line and the first tags'
TABLE_ROWS = 6             # rows the table keeps whatever the summary, preview and batch take
IMPORT_LINES = 10          # an import's report shows whole: its line, the bad lines, how many
                           # more, whether the table is older, and room for a line that wraps
_Index = QModelIndex | QPersistentModelIndex
# a simulation, the latest stored verdict per suggestion key, and the members' names
_Simulated = tuple[Simulation, dict[tuple[str, str, str], Review], dict[str, str]]


class SuggestionModel(QAbstractTableModel):
    """Suggestions as rows, with each row's decision (accepted, rejected or open)."""

    DECISION, CUSTOMER, MEMBER, TAG, CONFIDENCE, CHANGE, EVIDENCE = range(7)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.suggestions: list[TagSuggestion] = []
        self.decisions: dict[int, str] = {}
        self.deciders: dict[int, str] = {}     # row → who decided it and when, as stored
        self.decided_at: dict[int, float] = {}  # row → when its shown decision was made
        self.written: set[int] = set()         # rows whose tag a batch of this window added

    def set_suggestions(self, suggestions: Sequence[TagSuggestion],
                        verdicts: Mapping[tuple[str, str, str], Review] | None = None,
                        names: Mapping[str, str] | None = None) -> None:
        """These rows, each decided as its latest stored verdict (the team's, on a team
        profile) decided it; `names` are the members' names for who decided."""
        self.beginResetModel()
        self.suggestions = list(suggestions)
        self.decisions, self.deciders, self.written = {}, {}, set()
        self.decided_at = {}
        for row, suggestion in enumerate(self.suggestions):
            verdict = (verdicts or {}).get(suggestion.key)
            if verdict is not None:
                self._take(row, verdict, names or {})
        self.endResetModel()

    def _take(self, row: int, verdict: Review, names: Mapping[str, str]) -> None:
        self.decisions[row] = verdict.verdict
        self.decided_at[row] = verdict.ts
        who = names.get(verdict.operator) or verdict.operator
        self.deciders[row] = f"{who} · {_when(verdict.ts)}" if verdict.ts else who

    def take_reverts(self, verdicts: Mapping[tuple[str, str, str], Review],
                     names: Mapping[str, str]) -> bool:
        """Accepted rows whose suggestion a revert (or an undo) of its batch has marked
        reverted since they were decided say so, and that their tag is not on the relation
        any more; whether any row changed."""
        rows = []
        for row, decision in self.decisions.items():
            verdict = verdicts.get(self.suggestions[row].key)
            if (decision == ACCEPTED and verdict is not None and verdict.verdict == REVERTED
                    and verdict.ts > self.decided_at.get(row, 0.0)):
                rows.append(row)
        for row in rows:
            self._take(row, verdicts[self.suggestions[row].key], names)
            self.written.discard(row)
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0),
                                  self.index(max(rows), self.columnCount() - 1))
        return bool(rows)

    def decide(self, rows: Sequence[int], decision: str) -> None:
        now = time.time()
        for row in rows:
            self.decisions[row] = decision
            self.decided_at[row] = now
            self.deciders.pop(row, None)
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0),
                                  self.index(max(rows), self.columnCount() - 1))

    def restore(self, suggestions: list[TagSuggestion], earlier: dict[int, str | None]) -> None:
        """Put these rows' decisions back (a verdict that could not be kept), unless another
        simulation has replaced the rows meanwhile."""
        if suggestions is not self.suggestions:
            return
        for row, decision in earlier.items():
            if decision is None:
                self.decisions.pop(row, None)
            else:
                self.decisions[row] = decision
        if earlier:
            self.dataChanged.emit(self.index(min(earlier), 0),
                                  self.index(max(earlier), self.columnCount() - 1))

    def mark_written(self, changes: Sequence[AppliedChange]) -> None:
        """Rows whose tag a batch added now say so (已新增), not that it would be."""
        gained = {(c.external_userid, c.userid, tag) for c in changes
                  for tag in c.after - c.before}
        rows = [row for row, s in enumerate(self.suggestions) if s.change == ADD
                and (s.external_userid, s.userid, s.tag_id) in gained]
        self.written.update(rows)
        if rows:
            self.dataChanged.emit(self.index(min(rows), self.CHANGE),
                                  self.index(max(rows), self.CHANGE))

    def with_decision(self, decision: str) -> list[TagSuggestion]:
        return [self.suggestions[row] for row, d in sorted(self.decisions.items())
                if d == decision]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.suggestions)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Decision"), self.tr("Customer"), self.tr("Member"), self.tr("Tag"),
                self.tr("Confidence"), self.tr("Change"), self.tr("Evidence"))[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        suggestion = self.suggestions[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.ToolTipRole and column == self.EVIDENCE:
            return "\n".join(f"{_when(e.ts)}  {e.snippet}" for e in suggestion.evidence)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.DECISION:
            return self.deciders.get(index.row())
        if role == Qt.ItemDataRole.ToolTipRole and column == self.CONFIDENCE:
            return self.source_text(suggestion.source)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.CONFIDENCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == self.DECISION:
            decision = self.decisions.get(index.row(), "")
            return {ACCEPTED: self.tr("✓ accepted"), REJECTED: self.tr("✗ rejected"),
                    REVERTED: self.tr("↺ reverted")}.get(decision, "")
        if column == self.CUSTOMER:
            return suggestion.customer_name or suggestion.external_userid
        if column == self.MEMBER:
            return suggestion.member_name or suggestion.userid
        if column == self.TAG:
            return suggestion.tag_label
        if column == self.CONFIDENCE:
            return f"{suggestion.confidence:.2f}"
        if column == self.CHANGE:
            return self.tr("added") if index.row() in self.written else self.change_text(
                suggestion.change)
        return " | ".join(e.snippet for e in suggestion.evidence)

    def source_text(self, source: str) -> str:
        """Who judged the suggestion, in words (a tag no confirmed tag taught is judged by the
        base model bundled with TagDesk, not by a learner of the corp's)."""
        return {RULES: self.tr("Judged by the rules (keywords and intent packs)"),
                LEARNER: self.tr("Judged by the learner trained on your confirmed tags"),
                BOTH: self.tr("Judged by the rules and the learner trained on your confirmed tags"),
                BASE: self.tr("Judged by the base model bundled with TagDesk"
                              " (no confirmed tags taught it this tag)"),
                RULES_AND_BASE: self.tr("Judged by the rules and the base model bundled with"
                                        " TagDesk")}.get(source, source)

    def change_text(self, change: str) -> str:
        return {ADD: self.tr("would add"), PRESENT: self.tr("already tagged"),
                NO_RELATION: self.tr("relation not in the cache")}.get(
                    change, self.tr("no such tag"))


class AutoTagReviewWindow(QWidget):
    """Simulate auto-tagging, review the suggestions, and tag the accepted ones."""

    simulated = Signal(object)        # Simulation, when a run has filled the table
    previewReady = Signal(object)     # RetagPlan of the accepted suggestions
    batchStarted = Signal(str)        # batch id
    reviewsSaved = Signal(int)        # verdicts recorded as training data
    chatsImported = Signal(object)    # ChatImportResult
    conversationShown = Signal(object)  # TagSuggestion whose chat the side pane shows
    customerRequested = Signal(str)   # external_userid: show it in the customer table

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.service = AutoTagService(context.workspace, context.tagging)
        self.simulation: Simulation | None = None
        self._table_stale = False     # chats were stored after the table's simulation
        self.plan: RetagPlan | None = None
        self.batch_id = ""
        self._accepted_for_plan: list[TagSuggestion] = []
        self._task: Task | None = None
        self._simulate_had_focus = self._start_had_focus = False
        today = QDate.currentDate()
        self.since, self.until = QDateEdit(today.addDays(-DEFAULT_DAYS)), QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.tags = QLineEdit()
        self.member_messages = QCheckBox()
        self.min_confidence = QDoubleSpinBox(decimals=2, minimum=0.0, maximum=1.0,
                                             singleStep=0.05, value=DEFAULT_MIN_CONFIDENCE)
        self.simulate_button = QPushButton()
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)
        self.import_button = QPushButton()
        self.keywords_button = QPushButton()
        self._keywords_dialog: KeywordsDialog | None = None
        self.import_valid_button = QPushButton()
        self.import_valid_button.setVisible(False)
        self._refused_file: Path | None = None
        self.progress_bar = QProgressBar()
        self.progress_bar.setVisible(False)
        self.summary_area = SummaryArea(SUMMARY_LINES)
        self.summary = self.summary_area.label
        self.model = SuggestionModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(SuggestionModel.TAG)
        self.tag_filter = QComboBox()   # as wide as its longest tag, up to a limit
        self.tag_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.tag_filter.setMaximumWidth(TAG_FILTER_MAX_WIDTH)
        self.tag_filter.addItem("", "")
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)   # the simulation's order
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)   # row numbers say nothing here
        self._keep_table_rows()
        self.chat = QTextBrowser()
        self._chat_of: TagSuggestion | None = None
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SuggestionModel.EVIDENCE, QHeaderView.ResizeMode.Stretch)
        self.accept_button, self.reject_button = QPushButton(), QPushButton()
        self.accept_all_button, self.reject_all_button = QPushButton(), QPushButton()
        self.pilot = PilotBox(context.workspace.profile.pilot_size, self)
        self.preview_button, self.start_button = QPushButton(), QPushButton()
        self.preview_button.setEnabled(False)     # until a suggestion is accepted
        self.start_button.setEnabled(False)
        self.preview_area = SummaryArea(PREVIEW_LINES)   # a line a tag: the rest scrolls
        self.preview = self.preview_area.label
        self.batch_progress = BatchProgressPanel(context, self)
        self.batch_progress.setVisible(False)
        self.batch_progress.pilotFinished.connect(self._batch_through)
        self.batch_progress.batchFinished.connect(self._batch_through)
        context.changed.connect(self._written_elsewhere)
        self._build_layout()
        self.texts = retranslate_in_place(self, self.retranslate)
        self._said = 0
        self._say(lambda: self.tr(
            "Choose a time window and press Simulate: nothing is written until you start."))
        self.texts.say(self.preview, lambda: "")
        cache = context.cache
        self.context.run_task(lambda _p, _c: chats.count(cache), owner=self,
                              name="autotag chats stored", on_result=self._counted)
        self.simulate_button.clicked.connect(self.run_simulation)
        self.cancel_button.clicked.connect(self.cancel_simulation)
        self.import_button.clicked.connect(self._ask_import)
        self.keywords_button.clicked.connect(self.open_keywords)
        self.import_valid_button.clicked.connect(self.import_valid_lines)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.show_conversation(current.row()))
        self.table.doubleClicked.connect(
            lambda index: self.customerRequested.emit(
                self.model.suggestions[self.proxy.mapToSource(index).row()].external_userid))
        self.tag_filter.currentIndexChanged.connect(
            lambda _index: self.show_tag(str(self.tag_filter.currentData() or "")))
        self.accept_button.clicked.connect(lambda: self.decide_selected(ACCEPTED))
        self.reject_button.clicked.connect(lambda: self.decide_selected(REJECTED))
        self.accept_all_button.clicked.connect(lambda: self.decide_all(ACCEPTED))
        self.reject_all_button.clicked.connect(lambda: self.decide_all(REJECTED))
        self.preview_button.clicked.connect(self.compute_preview)
        self.start_button.clicked.connect(self.start)
        for keys, decision in (("A", ACCEPTED), ("R", REJECTED)):
            shortcut = QShortcut(QKeySequence(keys), self.table)
            shortcut.activated.connect(lambda d=decision: self.decide_selected(d, advance=True))

    def _build_layout(self) -> None:
        self.since_label, self.until_label = QLabel(), QLabel()
        self.confidence_label = QLabel()
        window_row = QHBoxLayout()
        dates: tuple[QWidget, ...] = (self.since_label, self.since, self.until_label, self.until)
        run: tuple[QWidget, ...] = (self.confidence_label, self.min_confidence,
                                    self.simulate_button, self.cancel_button)
        for widget in dates:
            window_row.addWidget(widget)
        window_row.addStretch(1)
        for widget in run:
            window_row.addWidget(widget)
        tools_row = QHBoxLayout()       # the tags box here: 800 px left it a few letters wide
        tools_row.addWidget(self.import_button)
        tools_row.addWidget(self.import_valid_button)
        tools_row.addWidget(self.member_messages)
        tools_row.addWidget(self.keywords_button)
        tools_row.addWidget(self.tags, 1)
        tools_row.addWidget(self.progress_bar)
        review_row = QHBoxLayout()
        review_row.addWidget(self.tag_filter)
        for widget in (self.accept_button, self.reject_button, self.accept_all_button,
                       self.reject_all_button):
            review_row.addWidget(widget)
        review_row.addStretch(1)
        run_row = QHBoxLayout()         # a row of its own, so the window fits 800 wide
        run_row.addStretch(1)
        for tail in (self.pilot.label, self.pilot, self.preview_button, self.start_button):
            run_row.addWidget(tail)
        layout = QVBoxLayout(self)
        layout.addLayout(window_row)
        layout.addLayout(tools_row)
        layout.addWidget(self.summary_area)
        self.splitter = splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.chat)
        splitter.setSizes([760, 340])
        self._splitter_moved = False
        splitter.splitterMoved.connect(self._splitter_moved_by_hand)
        layout.addWidget(splitter, 1)
        layout.addLayout(review_row)
        layout.addLayout(run_row)
        layout.addWidget(self.preview_area)
        layout.addWidget(self.batch_progress)
        self.resize(1100, 720)
        self.simulate_button.setFocus()  # Enter simulates; no key lands in the pilot's size

    def _keep_table_rows(self) -> None:
        """The table keeps TABLE_ROWS rows under its header: the summary and the preview
        above and below give up lines (and scroll) before it does."""
        table = self.table
        table.setMinimumHeight(TABLE_ROWS * table.verticalHeader().defaultSectionSize()
                               + table.horizontalHeader().sizeHint().height()
                               + table.horizontalScrollBar().sizeHint().height()
                               + 2 * table.frameWidth())

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A window made wider or narrower shares the splitter anew: the table takes back
        the width its columns need, as after a simulation."""
        super().resizeEvent(event)
        self.fit_table()

    def _splitter_moved_by_hand(self) -> None:
        self._splitter_moved = True

    def fit_table(self) -> None:
        """Widen the table to its columns (Evidence's title whole, so nothing scrolls
        sideways), taking the width from the chat beside it down to CHAT_MIN_WIDTH; after a
        simulation, a language switch and a resize of the window. Once the person has moved
        the splitter, their sizes stay."""
        if self._splitter_moved:
            return
        table, header = self.table, self.table.horizontalHeader()
        columns = sum(max(header.sectionSizeHint(column), table.sizeHintForColumn(column),
                          header.minimumSectionSize())
                      for column in range(SuggestionModel.EVIDENCE))
        needed = (columns + header.minimumSectionSize() + 2 * table.frameWidth()
                  + table.verticalScrollBar().sizeHint().width())
        table_width, chat_width = self.splitter.sizes()
        both = table_width + chat_width
        wanted = min(needed, both - CHAT_MIN_WIDTH)
        if wanted > table_width:
            self.splitter.setSizes([wanted, both - wanted])

    def _say(self, text: Callable[[], str], lines: int = SUMMARY_LINES) -> None:
        """The summary, now and after a language switch, at most `lines` lines tall (the
        rest scrolls)."""
        self._said += 1
        self.summary_area.set_lines(lines)
        self.texts.say(self.summary, text)

    def _counted(self, stored: int) -> None:
        """How many messages the cache holds, unless something newer was said already."""
        if self._said > 1:
            return
        if stored:
            self._say(lambda: self.tr("%1 chat messages stored. Choose a time window and"
                                      " press Simulate: nothing is written until you start.",
                                      "", stored)
                      .replace("%1", f"{stored:,}"))
        else:
            self._say(lambda: self.tr("No chats yet: import a chat file (JSONL or CSV) first."))

    def retranslate(self) -> None:
        header = self.table.horizontalHeader()  # the stretched Evidence column keeps its title
        header.setMinimumSectionSize(header.sectionSizeHint(SuggestionModel.EVIDENCE))
        self.setWindowTitle(self.tr("Auto-tagging from chats"))
        self.since_label.setText(self.tr("Messages from"))
        self.until_label.setText(self.tr("to"))
        self.tags.setPlaceholderText(self.tr("Tags (empty: every tag with keywords)"))
        self.confidence_label.setText(self.tr("Min. confidence"))
        self.member_messages.setText(self.tr("Also read what members sent"))
        self.simulate_button.setText(self.tr("Simulate"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.import_button.setText(self.tr("Import chats…"))
        self.keywords_button.setText(self.tr("Keywords…"))
        self.import_valid_button.setText(self.tr("Import the valid lines"))
        self.accept_button.setText(self.tr("Accept (A)"))
        self.reject_button.setText(self.tr("Reject (R)"))
        self.accept_all_button.setText(self.tr("Accept all shown"))
        self.reject_all_button.setText(self.tr("Reject all shown"))
        self.accept_all_button.setToolTip(self.tr(
            "Accepts the suggestions shown that are not decided yet; accepted, rejected and"
            " reverted ones keep their verdict"))
        self.reject_all_button.setToolTip(self.tr(
            "Rejects the suggestions shown that are not decided yet; accepted, rejected and"
            " reverted ones keep their verdict"))
        self.tag_filter.setItemText(0, self.tr("All tags"))
        self.preview_button.setText(self.tr("Preview accepted"))
        self.start_button.setText(self.tr("Start"))
        relabel(self.model)
        self.fit_table()

    # -- simulation -----------------------------------------------------------------------

    def run_simulation(self) -> Task | None:
        """Simulate on the chosen window and tags (a worker; progress, cancel); a window
        that ends before it starts is refused with why (it read nothing and said nothing)."""
        if self.since.date() > self.until.date():
            self._say(lambda: self.tr("The time window ends before it starts: choose a first"
                                      " day on or before %1.")
                      .replace("%1", self.until.date().toString("yyyy-MM-dd")))
            return None
        since = _start_of(self.since.date())
        until = _start_of(self.until.date().addDays(1))
        tags = [t.strip() for t in self.tags.text().replace("，", ",").split(",") if t.strip()]
        confidence = self.min_confidence.value()
        members = self.member_messages.isChecked()
        service, cache = self.service, self.context.cache

        def work(progress: Any, cancel: Any) -> _Simulated:
            simulation = service.simulate(since=since, until=until, tags=tags,
                                          min_confidence=confidence, member_messages=members,
                                          progress=progress, cancel=cancel)
            return (simulation, autotag_settings.latest_reviews(cache),
                    member_store.member_names(cache))

        self._busy(True)
        self._say(lambda: self.tr("Reading the chats…"))
        self._task = self.context.run_task(work, owner=self, name="autotag simulate",
                                           on_result=self._simulated, on_error=self._failed,
                                           on_progress=self._progress)
        return self._task

    def cancel_simulation(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _progress(self, event: Progress) -> None:
        self.progress_bar.setMaximum(max(event.total, 1))
        self.progress_bar.setValue(event.done)

    def _simulated(self, simulated: _Simulated) -> None:
        simulation, verdicts, names = simulated
        self._busy(False)
        self.simulation = simulation
        self._table_stale = False
        if not self.batch_progress.running:
            self.batch_id = ""      # the last batch is through: this run may start another
        self.model.set_suggestions(simulation.suggestions, verdicts, names)
        self.tag_filter.blockSignals(True)
        while self.tag_filter.count() > 1:
            self.tag_filter.removeItem(1)
        for count in simulation.per_tag:
            if count.relations:
                self.tag_filter.addItem(f"{count.label} ({count.relations:,})", count.label)
        self.tag_filter.setCurrentIndex(0)
        self.tag_filter.blockSignals(False)
        self.show_tag("")
        self.fit_table()
        self._decisions_changed()
        self._say(lambda: self._summary_html(simulation))
        self.simulated.emit(simulation)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self._say(lambda: html.escape(message_for(exc)))

    def _busy(self, busy: bool) -> None:
        """While simulating, 模拟 waits and 取消 works; the keyboard focus 模拟 had (Enter)
        comes back to it, not left on 导入聊天记录… where disabling it had moved it."""
        if busy:
            self._simulate_had_focus = self.simulate_button.hasFocus()
        self.simulate_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.progress_bar.setVisible(busy)
        if not busy:
            self._task = None
            if self._simulate_had_focus:
                self.simulate_button.setFocus()

    def _summary_html(self, simulation: Simulation) -> str:
        lines = [self.tr("<b>%1</b> from %2 · <b>%3</b>, %4 would add a tag ·"
                         " %5 of reviews and confirmed tags used for training")
                 .replace("%1", self.tr("%1 customer messages", "", simulation.messages)
                          .replace("%1", f"{simulation.messages:,}"))
                 .replace("%2", COUNTS.customers(simulation.customers))
                 .replace("%3", COUNTS.suggestions(len(simulation.suggestions)))
                 .replace("%4", f"{len(simulation.would_add):,}")
                 .replace("%5", COUNTS.messages(simulation.training_messages))]
        for count in simulation.per_tag:
            learnt = self._learnt(simulation.training.get(count.tag, TagTraining()))
            lines.append(self.tr("%1: %2, %3 would add, %4 already tagged · %5")
                         .replace("%1", html.escape(count.label))
                         .replace("%2", COUNTS.customers(count.customers))
                         .replace("%3", f"{count.would_add:,}")
                         .replace("%4", f"{count.already:,}")
                         .replace("%5", learnt))
        lines.extend(f"<i>{html.escape(in_ui_language(w))}</i>" for w in simulation.warnings)
        return "<br>".join(lines)

    def _learnt(self, trained: TagTraining) -> str:
        """What the learner took from the corp's own decisions for one tag."""
        if trained.positives:
            return (self.tr("trained on %1 for it (%2 with a confirmed tag, %3 by accepted"
                            " suggestions) and %4 against")
                    .replace("%1", COUNTS.customers(trained.positives))
                    .replace("%2", f"{trained.confirmed:,}")
                    .replace("%3", f"{trained.positives - trained.confirmed:,}")
                    .replace("%4", f"{trained.negatives:,}"))
        if trained.negatives:
            return (self.tr("nothing learnt from your tags yet: no customer has it confirmed"
                            " (%1 against it kept until one has)")
                    .replace("%1", COUNTS.customers(trained.negatives)))
        return self.tr("nothing learnt from your tags yet: no customer has it confirmed")

    # -- review ---------------------------------------------------------------------------

    def show_conversation(self, row: int) -> None:
        """The chat behind the suggestion at this (shown) row, its evidence in bold."""
        if row < 0:
            return
        suggestion = self.model.suggestions[self.proxy.mapToSource(self.proxy.index(row, 0)).row()]
        cache = self.context.cache
        self._chat_of = suggestion
        self.context.run_task(
            lambda _p, _c: chats.conversation(cache, suggestion.external_userid,
                                              suggestion.userid),
            owner=self, name="autotag conversation",
            on_result=lambda said: self._conversation_read(suggestion, said),
            on_error=self._failed)

    def _conversation_read(self, suggestion: TagSuggestion, said: list[StoredMessage]) -> None:
        if suggestion is not self._chat_of:
            return      # another row was chosen meanwhile
        evidence = {e.message_id for e in suggestion.evidence}
        lines = []
        for message in said:
            member = (suggestion.member_name if message.userid == suggestion.userid else ""
                      ) or message.userid
            who = html.escape(suggestion.customer_name or suggestion.external_userid
                              if message.direction == chats.CUSTOMER_SENT else member)
            text = html.escape(message.text[:CHAT_CHARS_SHOWN])
            if message.id in evidence:
                text = f"<b>{text}</b>"
            lines.append(f"<span style='color:gray'>{_when(message.ts)} {who}</span><br>{text}")
        self.chat.setHtml("<br>".join(lines))
        self.conversationShown.emit(suggestion)

    def show_tag(self, label: str) -> None:
        """Show only one tag's suggestions ("" shows all); "all shown" decides those."""
        pattern = f"^{QRegularExpression.escape(label)}$" if label else ""
        self.proxy.setFilterRegularExpression(QRegularExpression(pattern))

    def decide_selected(self, decision: str, *, advance: bool = False) -> None:
        """Decide the selected suggestions; with `advance` (the A and R keys) the row below
        is selected next, so a reviewer goes down the list with one key a suggestion."""
        selected = self.table.selectionModel().selectedRows()
        self._decide(sorted({self.proxy.mapToSource(index).row() for index in selected}),
                     decision)
        if advance and selected:
            below = max(index.row() for index in selected) + 1
            if below < self.proxy.rowCount():
                self.table.selectRow(below)

    def decide_all(self, decision: str) -> None:
        """Decide every suggestion shown (all, or the chosen tag's) that is still open: one
        accepted or rejected already (a row at a time, in an earlier run, by a colleague)
        or reverted keeps its verdict, so rejecting a few and then accepting all shown
        accepts the rest; A and R change a decided row."""
        decided = self.model.decisions
        rows = sorted(row for row in (self.proxy.mapToSource(self.proxy.index(row, 0)).row()
                                      for row in range(self.proxy.rowCount()))
                      if row not in decided)
        if not rows and self.proxy.rowCount():
            self.texts.say(self.preview, lambda: self.tr(
                "Every suggestion shown is decided already: to change some, select them and"
                " press A or R."))
            return
        self._decide(rows, decision)

    def _decide(self, rows: list[int], decision: str) -> None:
        if not rows:
            return
        shown = self.model.suggestions
        earlier = {row: self.model.decisions.get(row) for row in rows}
        self.model.decide(rows, decision)
        self._decisions_changed()
        decided = [shown[row] for row in rows]
        keep = self.service.accept if decision == ACCEPTED else self.service.reject

        def not_kept(exc: BaseException) -> None:
            self.model.restore(shown, earlier)
            self._decisions_changed()
            self._say(lambda: html.escape(message_for(exc)))

        self.context.run_task(lambda _p, _c: keep(decided), owner=self,
                              name=f"autotag {decision}", writer=True,
                              on_result=self.reviewsSaved.emit, on_error=not_kept)

    def _decisions_changed(self) -> None:
        self.plan = None
        self.start_button.setEnabled(False)
        accepted = len(self.model.with_decision(ACCEPTED))
        rejected = len(self.model.with_decision(REJECTED))
        reverted = len(self.model.with_decision(REVERTED))
        still_open = self.model.rowCount() - accepted - rejected - reverted
        self.texts.say(self.preview, lambda: (
            self.tr("%1 accepted · %2 rejected · %3 reverted · %4 open") if reverted
            else self.tr("%1 accepted · %2 rejected · %4 open"))
            .replace("%1", f"{accepted:,}").replace("%2", f"{rejected:,}")
            .replace("%3", f"{reverted:,}").replace("%4", f"{still_open:,}"))
        self.preview_button.setEnabled(accepted > 0 and not self.batch_id)

    def _written_elsewhere(self, changes: ChangeSet) -> None:
        """After tags were written (a revert or undo of an auto-tagging batch among them),
        the accepted rows it marked reverted say so without a new simulation (on a team
        profile, once the team's verdicts are read: the server marks them)."""
        if not (changes.relation_ids or changes.full_reload) or not self.model.with_decision(
                ACCEPTED):
            return
        workspace, suggestions = self.context.workspace, self.model.suggestions

        def read(_p: Any, _c: Any) -> tuple[dict[tuple[str, str, str], Review], dict[str, str]]:
            return (team_autotag.latest_reviews(workspace),
                    member_store.member_names(workspace.cache))

        def taken(found: tuple[dict[tuple[str, str, str], Review], dict[str, str]]) -> None:
            if self.model.suggestions is suggestions and self.model.take_reverts(*found):
                self._decisions_changed()

        self.context.run_task(read, owner=self, name="autotag reverted", on_result=taken,
                              on_error=self._failed)

    # -- writing --------------------------------------------------------------------------

    def compute_preview(self) -> None:
        accepted = self.model.with_decision(ACCEPTED)
        service, tagging = self.service, self.context.tagging

        def work(_progress: Any, _cancel: Any) -> tuple[RetagPlan, float]:
            plan = service.plan(accepted)
            return plan, tagging.estimate_seconds(plan)

        self._accepted_for_plan = accepted
        self.context.run_task(work, owner=self, name="autotag preview",
                              on_result=self._preview_done, on_error=self._failed)

    def _preview_done(self, planned: tuple[RetagPlan, float]) -> None:
        plan, eta = planned
        self.plan = plan
        labels = {s.tag_id: s.tag_label for s in self._accepted_for_plan}

        def text() -> str:
            summary = (self.tr("<b>%1</b> to tag (%2) · %3 already tagged · %4"
                               " left out for exclusive tags · about %5")
                       if plan.skipped_conflicts else
                       self.tr("<b>%1</b> to tag (%2) · %3 already tagged · about %5"))
            lines = [summary.replace("%1", COUNTS.relations(plan.api_calls))
                     .replace("%2", COUNTS.calls(plan.api_calls))
                     .replace("%3", f"{plan.skipped_noop:,}")
                     .replace("%4", f"{plan.skipped_conflicts:,}")
                     .replace("%5", format_duration(eta, english=is_english()))]
            lines.extend(html.escape(self.tr("+ %1: %2").replace("%1", labels.get(tag, tag))
                                     .replace("%2", f"{count:,}"))
                         for tag, count in sorted(plan.per_tag_add.items(), key=lambda kv: -kv[1]))
            return "<br>".join(lines)

        self.texts.say(self.preview, text)
        self.start_button.setEnabled(plan.api_calls > 0 and not self.batch_id)
        self.previewReady.emit(plan)

    def start(self) -> None:
        """Queue the previewed plan as one `autotag` batch, then run it (or its pilot)."""
        plan = self.plan
        if plan is None or not plan.api_calls or self.batch_id:
            return
        accepted, pilot, service = self._accepted_for_plan, self.pilot.value(), self.service
        self._start_had_focus = self.start_button.hasFocus()
        self.start_button.setEnabled(False)
        self.preview_button.setEnabled(False)
        self.context.run_task(lambda _p, _c: service.submit(plan, accepted, pilot_size=pilot),
                              owner=self, name="autotag queue", writer=True,
                              on_result=self._submitted, on_error=self._failed)

    def _submitted(self, batch_id: str) -> None:
        self.batch_id = batch_id
        plan = self.plan
        ids = frozenset(c.relation_id for c in plan.changes) if plan else frozenset()
        self.batch_progress.setVisible(True)
        self.batch_progress.start(batch_id, ids)
        if self._start_had_focus:      # Start, now disabled, had left it in the pilot's size
            self.batch_progress.focus_next_step()
        self.batchStarted.emit(batch_id)

    def _batch_through(self, _result: object) -> None:
        """The rows the batch (or its pilot) tagged say 已新增 / added."""
        cache, batch_id, suggestions = self.context.cache, self.batch_id, self.model.suggestions

        def written(changes: list[AppliedChange]) -> None:
            if self.model.suggestions is suggestions:
                self.model.mark_written(changes)

        self.context.run_task(lambda _p, _c: outbox.batch_changes(cache, batch_id), owner=self,
                              name="autotag written", on_result=written, on_error=self._failed)

    # -- chats and keywords ---------------------------------------------------------------

    def _ask_import(self) -> None:
        path = ask_path(self, self.tr("Import chats"), self.tr("Chats (*.jsonl *.csv)"),
                        save=False)
        if path is not None:
            self.import_chats(path)

    def import_chats(self, path: Path, *, skip_invalid: bool = False) -> Task:
        """Check every line and store the messages; with bad lines nothing is stored until
        the person chooses to import the valid ones (`import_valid_button`)."""
        workspace = self.context.workspace
        self.import_valid_button.setVisible(False)

        def work(progress: Any, _cancel: Any) -> ChatImportResult:
            return import_chats(workspace.cache, path, skip_invalid=skip_invalid,
                                progress=progress, store=store_for(workspace))

        self._say(lambda: self.tr("Importing %1…").replace(
            "%1", html.escape(path.name)))
        return self.context.run_task(work, owner=self, name="autotag import chats", writer=True,
                                     on_result=self._imported, on_error=self._failed)

    def import_valid_lines(self) -> Task | None:
        """Import the file refused for its bad lines again, storing the valid ones."""
        if self._refused_file is None:
            return None
        return self.import_chats(self._refused_file, skip_invalid=True)

    def _imported(self, result: ChatImportResult) -> None:
        refused = result.status == "invalid"
        self._refused_file = result.path if refused else None
        self.import_valid_button.setVisible(refused)
        # the table's rows were read before these messages were stored (until a simulation)
        self._table_stale = self._table_stale or (
            self.simulation is not None and result.imported > 0)
        stale = self._table_stale
        team = self.context.workspace.profile.is_team     # the messages went to its server

        def text() -> str:
            if refused:
                line = (self.tr("%1: %2, nothing was imported. Fix them, or import the valid"
                                " ones (%3).")
                        .replace("%1", html.escape(result.path.name))
                        .replace("%2", COUNTS.lines(len(result.problems)))
                        .replace("%3", COUNTS.messages(result.valid)))
            else:
                line = (self._stored(team, bool(result.duplicates), bool(result.problems))
                        .replace("%1", html.escape(result.path.name))
                        .replace("%2", COUNTS.messages(result.imported))
                        .replace("%3", f"{result.duplicates:,}")
                        .replace("%4", COUNTS.lines(len(result.problems))))
            english = is_english()
            shown = [html.escape(f"Line {p.line}: {p.problem_en}" if english
                                 else f"第 {p.line} 行：{p.problem_zh}")
                     for p in result.problems[:PROBLEMS_SHOWN]]
            more = len(result.problems) - PROBLEMS_SHOWN
            if more > 0:
                shown.append(self.tr("…and %1 more", "", more).replace("%1", f"{more:,}"))
            if stale:
                line += "<br><b>" + self.tr("The table below is the simulation from before this"
                                            " import: press Simulate to include the new"
                                            " messages.") + "</b>"
            return "<br>".join([line, *shown])

        self._say(text, IMPORT_LINES)
        self.chatsImported.emit(result)

    def _stored(self, team: bool, duplicates: bool, problems: bool) -> str:
        """An import's line: what it stored, and where on a team profile (its server); the
        messages stored before and the lines with problems only when there are some."""
        if team:
            return {(True, True): self.tr("%1: %2 stored on the team server, %3 already stored,"
                                          " %4."),
                    (True, False): self.tr("%1: %2 stored on the team server, %3 already"
                                           " stored."),
                    (False, True): self.tr("%1: %2 stored on the team server, %4."),
                    (False, False): self.tr("%1: %2 stored on the team server.")}[
                        (duplicates, problems)]
        return {(True, True): self.tr("%1: %2 stored, %3 already stored, %4."),
                (True, False): self.tr("%1: %2 stored, %3 already stored."),
                (False, True): self.tr("%1: %2 stored, %4."),
                (False, False): self.tr("%1: %2 stored.")}[(duplicates, problems)]

    def open_keywords(self) -> KeywordsDialog:
        """The one keywords dialog of this window, brought to the front if already open."""
        dialog = self._keywords_dialog
        if dialog is None or not dialog.isVisible():
            dialog = KeywordsDialog(self.context, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.destroyed.connect(lambda _gone: self._forget_keywords(dialog))
            self._keywords_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _forget_keywords(self, dialog: KeywordsDialog) -> None:
        if self._keywords_dialog is dialog:
            self._keywords_dialog = None


def _start_of(day: QDate) -> float:
    return datetime(day.year(), day.month(), day.day()).timestamp()


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")

