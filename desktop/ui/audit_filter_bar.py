"""The audit viewer's filter bar: one widget per journal criterion, read as a JournalFilter.

The choices (people, departments, tags, groups) are read on a worker thread; the
people who made changes come first (also those who have left since), then the other
members; typing in the operator box finds people by name, pinyin, initials or userid.
Combos apply at once; typed text and custom dates after a short pause.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.domain.sort_key import person_sort_key
from desktop.domain.tag_search import TagSearchIndex
from desktop.domain.tags import TagInfo, TagKind
from desktop.services.audit import ACTIONS as AUDIT_ACTIONS
from desktop.services.audit import SOURCES as AUDIT_SOURCES
from desktop.store.journal_query import JournalFilter, journal_operators
from desktop.ui.audit_model import LABELS
from desktop.ui.context import AppContext
from desktop.ui.i18n import QT_DATETIME_FORMAT, colon
from desktop.ui.retranslate import retranslate_in_place

CUSTOM = -1
ACTIONS = tuple(AUDIT_ACTIONS)      # every action and source the journals know, in their order
SOURCES = tuple(AUDIT_SOURCES)
PERIODS = (0, 86400, 7 * 86400, 30 * 86400, CUSTOM)   # seconds back from now, or CUSTOM
DEBOUNCE_MS = 300


class AuditFilterBar(QWidget):
    """Emits `changed` whenever the filter it describes changes."""

    changed = Signal()
    failed = Signal(object)             # an exception while reading the choices
    choicesLoaded = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.changed)
        self.period = QComboBox()
        for seconds in PERIODS:
            self.period.addItem("", seconds)
        now = QDateTime.currentDateTime()
        self.since_edit = QDateTimeEdit(now.addDays(-7))
        self.until_edit = QDateTimeEdit(now.addDays(1))
        for edit in (self.since_edit, self.until_edit):
            edit.setDisplayFormat(QT_DATETIME_FORMAT)
        self.operator = _choice_box(searchable=True)
        self._people = PeopleSearch(self.operator)
        self._people.chosen.connect(self._now)
        self.include_observed = QCheckBox()
        self.department = _choice_box()
        self.action = _choice_box()
        self.source = _choice_box()
        self.tag = _choice_box(searchable=True)
        self.group = _choice_box(searchable=True)
        self.customer = QLineEdit()
        self.batch = QLineEdit()
        for key in ACTIONS:
            self.action.addItem("", key)
        for key in SOURCES:
            self.source.addItem("", key)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        cells = (self.period, self.since_edit, self.until_edit, self.operator, self.department,
                 self.action, self.source, self.tag, self.group, self.customer, self.batch)
        self.labels = [QLabel() for _ in cells]
        # three a row (when, who, what, search), so the audit log fits a window 800 wide; the
        # viewer places the clear button
        for n, (label, widget) in enumerate(zip(self.labels, cells, strict=True)):
            grid.addWidget(label, n // 3, (n % 3) * 2)
            grid.addWidget(widget, n // 3, (n % 3) * 2 + 1)
        grid.addWidget(self.include_observed, 3, 4, 1, 2)
        for column in (1, 3, 5):        # the boxes share the width alike
            grid.setColumnStretch(column, 1)
        self.include_observed.toggled.connect(self._now)

        for combo in self._combos():
            combo.activated.connect(self._now)
        for edit in (self.since_edit, self.until_edit):
            edit.setCalendarPopup(True)
            edit.dateTimeChanged.connect(self._debounce.start)
        for line in (self.customer, self.batch):
            line.textChanged.connect(self._debounce.start)
            line.returnPressed.connect(self._now)
        self._custom_dates()
        retranslate_in_place(self, self.retranslate)
        self._load_choices()

    def retranslate(self) -> None:
        """Labels, hints and the fixed choices in the UI language; what is chosen stays."""
        periods = (self.tr("All time"), self.tr("Last 24 hours"),
                   self.tr("Last %1 days").replace("%1", "7"),
                   self.tr("Last %1 days").replace("%1", "30"), self.tr("Custom range"))
        for n, text in enumerate(periods):
            self.period.setItemText(n, text)
        for combo, everything in ((self.operator, self.tr("All operators")),
                                  (self.department, self.tr("All departments")),
                                  (self.action, self.tr("All actions")),
                                  (self.source, self.tr("All sources")),
                                  (self.tag, self.tr("All tags")),
                                  (self.group, self.tr("All groups"))):
            _retext_first(combo, everything)
        for n, key in enumerate(ACTIONS, start=1):
            self.action.setItemText(n, LABELS.action(key))
        for n, key in enumerate(SOURCES, start=1):
            self.source.setItemText(n, LABELS.source(key))
        self.include_observed.setText(self.tr("Also changes seen at sync on their relations"))
        self.include_observed.setToolTip(self.tr(
            "WeCom does not say who made a change seen at sync; with this, an operator also"
            " matches those on relations they follow (the probable operator)"))
        self.customer.setPlaceholderText(self.tr("Customer name or external_userid"))
        self.batch.setPlaceholderText(self.tr("Batch id"))
        self.clear_button.setText(self.tr("Clear filters"))
        texts = (self.tr("Period"), self.tr("From"), self.tr("Until"), self.tr("Operator"),
                 self.tr("Department"), self.tr("Action"), self.tr("Source"), self.tr("Tag"),
                 self.tr("Group"), self.tr("Customer"), self.tr("Batch"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self._people.index_items()

    def _combos(self) -> tuple[QComboBox, ...]:
        return (self.period, self.operator, self.department, self.action, self.source,
                self.tag, self.group)

    def _now(self) -> None:
        self._debounce.stop()
        self._custom_dates()
        self.changed.emit()

    def _custom_dates(self) -> None:
        custom = self.period.currentData() == CUSTOM
        self.since_edit.setEnabled(custom)
        self.until_edit.setEnabled(custom)

    def journal_filter(self) -> JournalFilter:
        """The filter the widgets describe (a period is counted back from now)."""
        seconds = self.period.currentData()
        since: float | None = None
        until: float | None = None
        if seconds == CUSTOM:
            since = float(self.since_edit.dateTime().toSecsSinceEpoch())
            until = float(self.until_edit.dateTime().toSecsSinceEpoch())
        elif seconds:
            since = datetime.now().timestamp() - seconds
        batch = self.batch.text().strip()
        return JournalFilter(
            since=since, until=until, operators=_values(self.operator),
            department_id=_data(self.department), actions=_values(self.action),
            sources=_values(self.source), tag_ids=_values(self.tag),
            groups=_values(self.group), customer=self.customer.text().strip(),
            batch_ids=(batch,) if batch else (),
            include_observed=self.include_observed.isChecked(),
        )

    def clear(self) -> None:
        for combo in self._combos():
            combo.setCurrentIndex(0)
        self.include_observed.blockSignals(True)
        self.include_observed.setChecked(False)
        self.include_observed.blockSignals(False)
        for line in (self.customer, self.batch):
            line.blockSignals(True)
            line.clear()
            line.blockSignals(False)
        self._now()

    def choose(self, combo: QComboBox, data: Any) -> None:
        """Pick the item carrying `data` (what a click on it does) and apply."""
        combo.setCurrentIndex(combo.findData(data))
        self._now()

    def _load_choices(self) -> None:
        cache = self._context.cache
        team = self._context.journal.remote
        sep = colon()

        def read(_p: Any, _c: Any) -> dict[str, list[tuple[str, Any]]]:
            conn = cache.connection()
            names = dict(conn.execute("SELECT userid, name FROM member").fetchall())
            # who acted first; the local journal of a team profile is only a mirror
            acted = set() if team else set(journal_operators(cache))
            people = sorted(acted | set(names),
                            key=lambda u: (u not in acted, person_sort_key(str(names.get(u, u))), u))
            departments = conn.execute(
                "SELECT id, name, parent_id FROM department ORDER BY sort_order DESC, id"
            ).fetchall()
            tags = conn.execute(
                "SELECT t.id, g.name || ? || t.name || CASE WHEN t.deleted THEN ' ×' ELSE ''"
                " END FROM tag t JOIN tag_group g ON g.id = t.group_id"
                " ORDER BY t.deleted, g.sort_order DESC, g.name COLLATE pinyin, t.sort_order DESC,"
                " t.name COLLATE pinyin", (sep,)
            ).fetchall()
            groups = conn.execute(
                "SELECT name FROM tag_group GROUP BY name ORDER BY min(deleted),"
                " max(sort_order) DESC, name COLLATE pinyin"
            ).fetchall()
            return {
                "operator": [(_name(names.get(u, ""), u), u) for u in people],
                "department": _indented(departments),
                "tag": [(text, tag_id) for tag_id, text in tags],
                "group": [(name, name) for (name,) in groups],
            }

        def fill(choices: dict[str, list[tuple[str, Any]]]) -> None:
            for key, items in choices.items():
                combo: QComboBox = getattr(self, key)
                for text, data in items:
                    combo.addItem(text, data)
            self._people.index_items()
            self.choicesLoaded.emit()

        self._context.run_task(read, owner=self, name="audit choices", on_result=fill,
                               on_error=self.failed.emit)


class PeopleSearch(QCompleter):
    """The operator box's completion: people by name, pinyin, initials (`zs` → 张三) or
    userid, ranked as the tag search ranks tags, those who acted before the others."""

    chosen = Signal()

    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo)
        self._combo = combo
        self._index = TagSearchIndex(())
        self._texts: list[str] = []
        self.setModel(QStringListModel(self))
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        combo.setCompleter(self)
        line = combo.lineEdit()
        assert line is not None
        line.textEdited.connect(self._search)
        line.returnPressed.connect(self._enter)
        self.activated.connect(self._pick)

    def index_items(self) -> None:
        """Index the box's people (item 0 is "all"); earlier items rank first on ties."""
        count = self._combo.count()
        self._texts = [self._combo.itemText(i) for i in range(count)]
        self._index = TagSearchIndex(
            TagInfo(id=str(i), name=self._texts[i].split(" (")[0], group_id="", group_name="",
                    order=0, kind=TagKind.CORP, abbreviation=str(self._combo.itemData(i)),
                    relation_count=count - i)
            for i in range(1, count))

    def matches(self, text: str) -> list[str]:
        """The box's texts of the people `text` finds, best first."""
        return [self._texts[int(hit.tag.id)] for hit in self._index.search(text, limit=20)]

    def _search(self, text: str) -> None:
        model = self.model()
        assert isinstance(model, QStringListModel)
        model.setStringList(self.matches(text))
        if text and model.rowCount():
            popup = self.popup()
            assert popup is not None
            popup.setMinimumWidth(_list_width(popup))
            self.complete()

    def _enter(self) -> None:
        """Enter on what was typed (a userid, pinyin) picks the best match, as the list's
        first row; typing `chensi` and Enter left the box unchosen, filtering nothing."""
        line = self._combo.lineEdit()
        assert line is not None
        typed = line.text()
        if not typed or self._combo.findText(typed) >= 0:
            return
        found = self.matches(typed)
        if found:
            popup = self.popup()
            if popup is not None:
                popup.hide()
            self._pick(found[0])

    def _pick(self, text: str) -> None:
        index = self._combo.findText(text)
        if index >= 0:
            self._combo.setCurrentIndex(index)
            self.chosen.emit()


class _ChoiceBox(QComboBox):
    """Its list opens at least as wide as its longest item, so no name is cut short. An
    editable box showing its "all" item selects that text when a click or Tab enters it, so
    what is typed replaces it: a click left the caret after "所有操作人", and the pinyin
    typed then read "所有操作人tangx"."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        line = self.lineEdit()
        if line is not None and self.currentIndex() == 0 \
                and self.currentText() == self.itemText(0):
            QTimer.singleShot(0, line.selectAll)    # after the click has placed the caret

    def showPopup(self) -> None:
        view = self.view()
        view.setMinimumWidth(_list_width(view))
        super().showPopup()


def _list_width(view: QAbstractItemView) -> int:
    """The width a list needs to show its longest item whole, beside its scroll bar."""
    scroll_bar = view.verticalScrollBar()
    assert scroll_bar is not None
    return view.sizeHintForColumn(0) + scroll_bar.sizeHint().width() + 2 * view.frameWidth()


def _choice_box(*, searchable: bool = False) -> QComboBox:
    """A box whose first item (None) means "all"; `retranslate` names it."""
    combo = _ChoiceBox()
    combo.addItem("", None)
    if searchable:
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = combo.completer()
        assert completer is not None
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setMinimumContentsLength(12)
    return combo


def _retext_first(combo: QComboBox, everything: str) -> None:
    """Name the "all" item; an editable box keeps what was typed in it, or shows the new
    name when it showed the old one."""
    typed = combo.currentText()
    showing = combo.currentIndex() == 0 and typed == combo.itemText(0)
    combo.setItemText(0, everything)
    if combo.isEditable():
        combo.setEditText(everything if showing else typed)


def _data(combo: QComboBox) -> Any:
    """The chosen item's data; None when an editable box's text matches no item."""
    if combo.isEditable() and combo.currentText() != combo.itemText(combo.currentIndex()):
        return None
    return combo.currentData()


def _values(combo: QComboBox) -> tuple[str, ...]:
    value = _data(combo)
    return (str(value),) if value is not None else ()


def _name(name: str, userid: str) -> str:
    return f"{name} ({userid})" if name and name != userid else userid


def _indented(rows: list[tuple[int, str, int]]) -> list[tuple[str, Any]]:
    """Departments as an indented tree, parents before their children."""
    children: dict[int, list[tuple[int, str]]] = {}
    ids = {dept_id for dept_id, _, _ in rows}
    for dept_id, name, parent in rows:
        children.setdefault(parent if parent in ids else 0, []).append((dept_id, name))
    out: list[tuple[str, Any]] = []

    def walk(parent: int, depth: int) -> None:
        for dept_id, name in children.get(parent, []):
            out.append(("    " * depth + name, dept_id))
            walk(dept_id, depth + 1)

    walk(0, 0)
    return out
