"""The retag dialog: tags to add, tags to remove or "replace within group" (重标) on many
customers, with a live preview before anything is written, a pilot, and the run itself.

The preview is the real plan (`TaggingService.plan`, computed on a worker thread as the user
edits): relations affected, per-tag adds and removes, no-ops (already tagged / already absent),
exclusive-set conflicts, API calls and the ETA at the profile's rate limit. Start queues exactly
that plan; with a pilot the first N relations are written and the dialog waits, so the user can
check them (in the table, on the phone) before continuing with the rest or cancelling.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.bilingual import both
from desktop.domain.retag_plan import RetagPlan, format_duration
from desktop.domain.rule_format import RuleFormatError, parse_duration
from desktop.domain.tag_search import TagSearchIndex
from desktop.domain.tags import TagInfo
from desktop.services.tag_admin import TagAdminService
from desktop.services.tag_expiry import ExpiryService
from desktop.ui.batch_progress import BatchProgressPanel, message_for
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS
from desktop.ui.i18n import is_english, list_text
from desktop.ui.pilot_box import PilotBox
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.tag_dialogs import pick

PREVIEW_DELAY_MS = 200
RESULTS_SHOWN = 8
CONFLICTS_SHOWN = 5
_ID_ROLE = Qt.ItemDataRole.UserRole


_STEPS = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5, Qt.Key.Key_PageUp: -5}


class _ChosenList(QListWidget):
    removeRequested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.removeRequested.emit()
            return
        super().keyPressEvent(event)


class TagChooser(QWidget):
    """Type a name, pinyin, initials or an abbreviation (`gyx`, `高意`, `V3`), pick with the
    arrow keys, press Enter; chosen tags leave the list with Delete or a double click."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tags: dict[str, TagInfo] = {}
        self._index = TagSearchIndex([])
        self._chosen: list[str] = []
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setVisible(False)
        self.results.setMaximumHeight(150)
        self.chosen = _ChosenList()
        self.chosen.setMaximumHeight(80)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for widget in (self.search, self.results, self.chosen):
            layout.addWidget(widget)
        # no taller than its boxes: room to spare goes below the form, not between its rows
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.search.textChanged.connect(self._search)
        self.search.returnPressed.connect(self._take_current)
        self.search.installEventFilter(self)
        self.results.itemClicked.connect(self._take)
        self.results.itemActivated.connect(self._take)
        self.chosen.itemDoubleClicked.connect(self._drop)
        self.chosen.removeRequested.connect(self._drop_current)
        retranslate_in_place(self, self.retranslate)

    def retranslate(self) -> None:
        """The list's hint; the dialog names what the search box is for."""
        self.chosen.setToolTip(self.tr("Delete or double-click removes a tag"))

    def set_tags(self, tags: list[TagInfo]) -> None:
        self._tags = {t.id: t for t in tags}
        self._index = TagSearchIndex(tags)
        self._chosen = [t for t in self._chosen if t in self._tags]
        self._refresh_chosen()
        self._search(self.search.text())

    def tag_ids(self) -> list[str]:
        return list(self._chosen)

    def add_tag(self, tag_id: str) -> None:
        if tag_id in self._tags and tag_id not in self._chosen:
            self._chosen.append(tag_id)
            self._refresh_chosen()
            self.changed.emit()

    def remove_tag(self, tag_id: str) -> None:
        if tag_id in self._chosen:
            self._chosen.remove(tag_id)
            self._refresh_chosen()
            self.changed.emit()

    def _search(self, text: str) -> None:
        self.results.clear()
        hits = self._index.search(text, limit=RESULTS_SHOWN) if text.strip() else []
        for hit in hits:
            item = QListWidgetItem(_label(hit.tag))
            item.setData(_ID_ROLE, hit.tag.id)
            self.results.addItem(item)
        self.results.setVisible(bool(hits))
        if hits:
            self.results.setCurrentRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and Down (and the page keys) in the search box move through the hits, so
        Enter can take another than the first (高意向客户 after 高意向 for `gyx`)."""
        if watched is self.search and isinstance(event, QKeyEvent) \
                and event.type() == QEvent.Type.KeyPress and event.key() in _STEPS \
                and self.results.count():
            row = self.results.currentRow() + _STEPS[Qt.Key(event.key())]
            self.results.setCurrentRow(min(max(row, 0), self.results.count() - 1))
            return True
        return super().eventFilter(watched, event)

    def _take_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._take(item)

    def _take(self, item: QListWidgetItem) -> None:
        self.add_tag(str(item.data(_ID_ROLE)))
        self.search.clear()

    def _drop(self, item: QListWidgetItem) -> None:
        self.remove_tag(str(item.data(_ID_ROLE)))

    def _drop_current(self) -> None:
        item = self.chosen.currentItem()
        if item is not None:
            self._drop(item)

    def _refresh_chosen(self) -> None:
        self.chosen.clear()
        for tag_id in self._chosen:
            item = QListWidgetItem(_label(self._tags[tag_id]))
            item.setData(_ID_ROLE, tag_id)
            self.chosen.addItem(item)


class Preview(NamedTuple):
    generation: int
    plan: RetagPlan
    eta: float
    budget: tuple[int, int]                # (calls a minute, at a time) the ETA counts with
    stale_note: tuple[str, str] | None     # (zh, en) "sync first", or None


class RetagDialog(QDialog):
    """Retag the relations given (the selection, or everything the current filter matches)."""

    previewReady = Signal(object)     # RetagPlan, whenever the preview caught up with the form
    batchStarted = Signal(str)        # batch id

    def __init__(self, context: AppContext, relation_ids: Sequence[int],
                 scope: str | Callable[[], str] = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.relation_ids = list(relation_ids)
        self.plan: RetagPlan | None = None
        self._shown: Preview | None = None      # the preview on screen
        self.batch_id = ""
        self._start_had_focus = False
        self._labels: dict[str, str] = {}
        self._chosen_first: list[tuple[str, bool]] = []     # `choose` before the tags were read
        self._generation = 0
        self._scope = scope
        self.scope = QLabel()
        self.add_mode = QRadioButton()
        self.replace_mode = QRadioButton()
        self.add_mode.setChecked(True)
        modes = QButtonGroup(self)
        modes.addButton(self.add_mode)
        modes.addButton(self.replace_mode)
        self.group = QComboBox()
        self.add_chooser = TagChooser()
        self.remove_chooser = TagChooser()
        self.allow_conflicts = QCheckBox()
        self.expires = QLineEdit()
        self.expires_error = QLabel()
        self.expires_error.setWordWrap(True)
        self.expires_error.setStyleSheet("color: #b00020")
        self.expires_error.setVisible(False)
        self.expires_s: int | None = None
        self.expiry_problem: tuple[str, str] | None = None
        self.pilot = PilotBox(context.workspace.profile.pilot_size, self)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.start_button = QPushButton()
        self.start_button.setDefault(False)
        self.start_button.setAutoDefault(False)
        self.close_button = QPushButton()
        self.close_button.setAutoDefault(False)
        self.progress = BatchProgressPanel(context, self)
        self.progress.setVisible(False)
        self._build_layout()
        self.texts = retranslate_in_place(self, self.retranslate)
        self.texts.say(self.preview, lambda: self.tr("Choose tags to see what would change."))
        self._update_start()
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._compute_preview)
        for signal in (self.add_chooser.changed, self.remove_chooser.changed,
                       self.allow_conflicts.toggled, self.replace_mode.toggled,
                       self.group.currentIndexChanged):
            signal.connect(self._form_changed)
        self.pilot.valueChanged.connect(self._update_start)
        self.expires.textChanged.connect(self._expiry_changed)
        self.add_chooser.changed.connect(self._expiry_changed)
        self.replace_mode.toggled.connect(self._expiry_changed)
        self.start_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.close)
        self._mode_changed()
        self.replace_mode.toggled.connect(self._mode_changed)
        self._load_tags()
        self.add_chooser.search.setFocus()  # typing a tag's name is the first thing to do

    def retranslate(self) -> None:
        """Every fixed text; the preview and the start button are said again by `texts`."""
        self.setWindowTitle(self.tr("Retag customers"))
        scope = self._scope() if callable(self._scope) else self._scope
        self.scope.setText(self.tr("%1 customer relations · %2", "", len(self.relation_ids))
                           .replace("%1", f"{len(self.relation_ids):,}")
                           .replace("%2", scope or self.tr("selection")))
        self.add_mode.setText(self.tr("Add / remove tags"))
        self.replace_mode.setText(self.tr("Replace within group"))
        self.add_chooser.search.setPlaceholderText(
            self.tr("Tags to add: name, pinyin or initials"))
        self.remove_chooser.search.setPlaceholderText(self.tr("Tags to remove"))
        self.allow_conflicts.setText(self.tr(
            "Also change relations that would carry two mutually exclusive tags"))
        self.expires_label.setText(self.tr("Expires:"))
        self.expires.setPlaceholderText(self.tr(
            "optional: the added tags are removed after 30d, 12h or 2w"))
        self.close_button.setText(self.tr("Close"))
        self.group_label.setText(self.tr("Group to replace:"))
        self.group.setPlaceholderText(self.tr("Choose a group"))
        self.add_label.setText(self.tr("Add:"))
        self.remove_label.setText(self.tr("Remove:"))

    # -- public API ---------------------------------------------------------------------

    def start(self) -> None:
        """Queue the previewed plan (one transaction), then run it (or its pilot)."""
        plan = self.plan
        if plan is None or not plan.api_calls or self._timer.isActive():
            return
        if self._empties_group() and not self._emptying_confirmed(plan):
            return
        self._start_had_focus = self.start_button.hasFocus()
        self.form.setEnabled(False)
        self.start_button.setEnabled(False)
        tagging = self.context.tagging
        pilot = self.pilot.value()
        description = self._description()
        expiry, seconds = ExpiryService(self.context.workspace), self.expires_s

        def submit(_progress: Any, _cancel: Any) -> str:
            batch_id = tagging.submit(plan, source="batch", description=description,
                                      pilot_size=pilot)
            if seconds is not None:
                expiry.set_for_plan(plan, seconds, batch_id)
            return batch_id

        waiting = self.context.writes_ahead
        self.context.run_task(submit, owner=self, name="queue retag", writer=True,
                              on_result=self._submitted, on_error=self._submit_failed)
        if waiting and self._shown is not None:     # say why nothing moves (see import_wizard)
            shown = self._shown
            self.texts.say(self.preview, lambda: self._preview_text(shown) + "<br><br><b>"
                           + html.escape(self.context.queued_behind_writes()) + "</b>")

    def choose(self, tag_id: str, *, removing: bool = False) -> None:
        """Choose the tag to add (or, `removing`, to remove), now or once the tags are read."""
        self._chosen_first.append((tag_id, removing))
        self._choose(tag_id, removing)

    def _choose(self, tag_id: str, removing: bool) -> None:
        (self.remove_chooser if removing else self.add_chooser).add_tag(tag_id)

    def _empties_group(self) -> bool:
        """Replace within a group with nothing to add: the group's tags only go."""
        return self.replace_mode.isChecked() and not self.add_chooser.tag_ids()

    def _emptying_confirmed(self, plan: RetagPlan) -> bool:
        customers = plan.api_calls
        answer = QMessageBox.question(
            self, self.tr("Empty the group"),
            self.tr("Remove every tag of the group %1 from %2 customer(s)? Nothing is added"
                    " in its place.", "", customers)
            .replace("%1", self.group.currentText()).replace("%2", f"{customers:,}"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    # -- building -----------------------------------------------------------------------

    def _build_layout(self) -> None:
        self.form = QWidget()
        form = QFormLayout(self.form)
        mode_row = QHBoxLayout()
        mode_row.addWidget(self.add_mode)
        mode_row.addWidget(self.replace_mode)
        mode_row.addStretch(1)
        form.addRow(mode_row)
        self.group_label, self.add_label = QLabel(), QLabel()
        self.remove_label = QLabel()
        self.expires_label = QLabel()
        form.addRow(self.group_label, self.group)
        form.addRow(self.add_label, self.add_chooser)
        form.addRow(self.expires_label, self.expires)
        form.addRow("", self.expires_error)
        form.addRow(self.remove_label, self.remove_chooser)
        form.addRow(self.allow_conflicts)
        form.addRow(self.pilot.label, self.pilot)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scope)
        layout.addWidget(self.form)
        layout.addWidget(self.preview)
        layout.addWidget(self.progress)
        layout.addStretch(1)    # room to spare above the buttons, not between the form's rows
        layout.addLayout(buttons)
        self.resize(620, 640)

    def _load_tags(self) -> None:
        service = TagAdminService(self.context.workspace)
        tagging = self.context.tagging

        def read(_progress: Any, _cancel: Any) -> tuple[list[TagInfo], dict[str, str]]:
            return service.tag_infos(), tagging.tag_labels()

        self.context.run_task(read, owner=self, name="retag tags", on_result=self._tags_loaded)

    def _tags_loaded(self, loaded: tuple[list[TagInfo], dict[str, str]]) -> None:
        tags, self._labels = loaded
        self.add_chooser.set_tags(tags)
        self.remove_chooser.set_tags(tags)
        self.group.blockSignals(True)
        for group_id, name in dict.fromkeys((t.group_id, t.group_name) for t in tags):
            self.group.addItem(name, group_id)
        self.group.setCurrentIndex(-1)     # no group is replaced (emptied) until one is chosen
        self.group.blockSignals(False)
        for tag_id, removing in self._chosen_first:
            self._choose(tag_id, removing)
        self._form_changed()

    # -- preview ------------------------------------------------------------------------

    def _mode_changed(self) -> None:
        replace = self.replace_mode.isChecked()
        shown: tuple[QWidget, ...] = (self.group_label, self.group)
        hidden: tuple[QWidget, ...] = (self.remove_label, self.remove_chooser)
        for widget in shown:
            widget.setVisible(replace)
        for widget in hidden:
            widget.setVisible(not replace)

    def _expiry_changed(self) -> None:
        """Same grammar as `retag --expires`; a bad one is said under the field and keeps
        Start disabled."""
        text = self.expires.text().strip()
        problem: tuple[str, str] | None = None
        self.expires_s = None
        if text:
            try:
                self.expires_s = parse_duration(text, "expires")
            except RuleFormatError as exc:
                problem = (exc.message_zh.split("：", 1)[-1], exc.message_en.split(": ", 1)[-1])
            if problem is None and not self.add_chooser.tag_ids():
                problem = ("到期时间只用于添加的标签：请选择要添加的标签。",
                           "An expiry applies to the tags added: choose tags to add.")
        self.expiry_problem = problem
        said = problem
        self.texts.say(self.expires_error, lambda: pick(*said) if said else "")
        self.expires_error.setVisible(problem is not None)
        self._update_start()

    def _form_changed(self) -> None:
        self._generation += 1
        self.plan = None
        self._update_start()
        self._timer.start()

    def _compute_preview(self) -> None:
        replace = self.replace_mode.isChecked()
        add = self.add_chooser.tag_ids()
        remove = [] if replace else self.remove_chooser.tag_ids()
        group = self.group.currentData() if replace else None
        if not add and not remove and group is None:
            self.texts.say(self.preview,
                           lambda: self.tr("Choose tags to see what would change."))
            return
        generation, ids = self._generation, self.relation_ids
        allow = self.allow_conflicts.isChecked()
        tagging = self.context.tagging

        def work(_progress: Any, _cancel: Any) -> Preview:
            plan = tagging.plan(ids, add, remove, group, allow)
            return Preview(generation, plan, tagging.estimate_seconds(plan),
                           tagging.call_budget(), tagging.stale_cache_note(plan))

        self.texts.say(self.preview, lambda: self.tr("Computing the preview…"))
        self.context.run_task(work, owner=self, name="retag preview", on_result=self._preview_done,
                              on_error=lambda exc: self._preview_failed(generation, exc))

    def _preview_done(self, result: Preview) -> None:
        if result.generation != self._generation:
            return
        self.plan = result.plan
        self._shown = result
        self.texts.say(self.preview, lambda: self._preview_text(result))
        self._update_start()
        self.previewReady.emit(result.plan)

    def _preview_text(self, result: Preview) -> str:
        text = self._preview_html(result.plan, result.eta, result.budget)
        if result.stale_note is not None:
            text += "<br><b>" + html.escape(pick(*result.stale_note)) + "</b>"
        return text

    def _preview_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.texts.say(self.preview, lambda: html.escape(message_for(exc)))

    def _preview_html(self, plan: RetagPlan, eta: float, budget: tuple[int, int]) -> str:
        label = self._labels.get
        lines = [self.tr("<b>%1</b> to change (%2) · %3 already as asked")
                 .replace("%1", COUNTS.relations(plan.api_calls))
                 .replace("%2", COUNTS.calls(plan.api_calls))
                 .replace("%3", f"{plan.skipped_noop:,}")]
        for tag_id, count in sorted(plan.per_tag_add.items(), key=lambda kv: -kv[1]):
            lines.append(self.tr("+ %1: %2 (already tagged: %3)")
                         .replace("%1", html.escape(label(tag_id, tag_id)))
                         .replace("%2", f"{count:,}")
                         .replace("%3", f"{plan.already_tagged.get(tag_id, 0):,}"))
        for tag_id, count in sorted(plan.per_tag_remove.items(), key=lambda kv: -kv[1]):
            lines.append(self.tr("− %1: %2 (already absent: %3)")
                         .replace("%1", html.escape(label(tag_id, tag_id)))
                         .replace("%2", f"{count:,}")
                         .replace("%3", f"{plan.already_absent.get(tag_id, 0):,}"))
        if plan.conflicts:
            verdict = (self.tr("changed anyway") if plan.conflicts_allowed
                       else self.tr("left out"))
            lines.append(self.tr("<b>%1</b> relations would carry two exclusive tags (%2):")
                         .replace("%1", f"{plan.conflicting_relations:,}")
                         .replace("%2", verdict))
            for conflict in plan.conflicts[:CONFLICTS_SHOWN]:
                tags = list_text(label(t, t) for t in conflict.tag_ids)
                lines.append(html.escape(f"  {conflict.external_userid} ({conflict.userid})"
                                         f" {conflict.set_name}: {tags}"))
        if not plan.api_calls:                  # nothing to send, nothing to wait for
            return "<br>".join(lines)
        lines.append(self.tr("About %1 at %2 calls/min, %3 at a time")
                     .replace("%1", format_duration(eta, english=is_english()))
                     .replace("%2", f"{budget[0]:,}")
                     .replace("%3", str(budget[1])))
        return "<br>".join(lines)

    def _update_start(self) -> None:
        plan = self.plan
        ready = (plan is not None and plan.api_calls > 0 and not self.batch_id
                 and self.expiry_problem is None)
        self.start_button.setEnabled(ready)
        pilot = self.pilot.value()
        if plan is None or not plan.api_calls:
            self.texts.say(self.start_button, lambda: self.tr("Start"))
        elif 0 < pilot < plan.api_calls:
            self.texts.say(self.start_button, lambda: self.tr("Start pilot (first %1)")
                           .replace("%1", str(pilot)))
        else:
            calls = plan.api_calls
            self.texts.say(self.start_button, lambda: self.tr("Change %1 relations", "", calls)
                           .replace("%1", f"{calls:,}"))

    # -- running ------------------------------------------------------------------------

    def _submitted(self, batch_id: str) -> None:
        self.batch_id = batch_id
        self.progress.setVisible(True)
        plan = self.plan
        ids = frozenset(c.relation_id for c in plan.changes) if plan else frozenset()
        self.progress.start(batch_id, ids)
        if self._start_had_focus:   # Start, now disabled, left the keys nowhere: Enter did nothing
            self.progress.focus_next_step()     # pause, then continue once the pilot is through
        self.batchStarted.emit(batch_id)

    def _submit_failed(self, exc: BaseException) -> None:
        self.form.setEnabled(True)
        self._update_start()
        self.texts.say(self.preview, lambda: html.escape(message_for(exc)))

    def _description(self) -> str:
        """What the batch does, "中文 / English" when the languages differ (the audit log and
        the batch panel show the half of the UI language)."""
        add = [self._labels.get(t, t) for t in self.add_chooser.tag_ids()]
        parts = [(f"+{'、'.join(add)}",) * 2] if add else []
        if add and self.expires_s is not None:
            after = self.expires.text().strip()
            parts.append((f"到期 {after}", f"expires {after}"))
        if self.replace_mode.isChecked():
            group = self.group.currentText()
            parts.insert(0, (f"重标 {group}", f"replace {group}"))
        else:
            remove = [self._labels.get(t, t) for t in self.remove_chooser.tag_ids()]
            if remove:
                parts.append((f"-{'、'.join(remove)}",) * 2)
        chinese, english = (" ".join(half) for half in zip(*parts, strict=True)) if parts \
            else ("", "")
        return both(chinese, english)

    def busy(self) -> bool:
        """A batch was started here: the dialog shows its progress until closed."""
        return bool(self.batch_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing never stops a running batch: it goes on and shows in the table."""
        self._timer.stop()
        super().closeEvent(event)


def _label(tag: TagInfo) -> str:
    return f"{tag.group_name}:{tag.name}"


