"""The filter bar: the filter language as you type, with errors in place and tag completion.

Syntax is checked on every keystroke (parsing is pure and cheap) and shown under the
field with the offending characters marked; the filter is applied after a short pause,
or at once with Enter. Names that do not resolve (an unknown tag) come back from the
query as a `FilterError` and are shown the same way. Clicks in the tag tree build
filters: a plain click replaces the filter, Ctrl adds the tag with AND, Alt with AND NOT.
Recent and saved filters are kept per profile in the settings file.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from enum import Enum
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.filter import FilterError, Or, parse
from desktop.domain.tag_search import TagSearchIndex
from desktop.domain.tags import TagInfo
from desktop.ui.filter_completion import TagCompletionModel, word_at_cursor
from desktop.ui.i18n import is_english
from desktop.ui.settings import Settings
from desktop.ui.style import icon
from desktop.ui.team_filters import SaveFilterDialog, TeamFilters

APPLY_DELAY_MS = 300


class Combine(Enum):
    REPLACE = "replace"
    AND = "and"
    AND_NOT = "and_not"


def combine_mode(modifiers: Qt.KeyboardModifier) -> Combine:
    """Plain click replaces; Ctrl (Cmd on macOS) adds with AND; Alt adds with AND NOT."""
    flags = Qt.KeyboardModifier(modifiers)
    if flags & Qt.KeyboardModifier.AltModifier:
        return Combine.AND_NOT
    if flags & Qt.KeyboardModifier.ControlModifier:
        return Combine.AND
    return Combine.REPLACE


def combine(current: str, term: str, mode: Combine) -> str:
    """`current` combined with one term; an OR at the top level is kept in parentheses."""
    current = current.strip()
    if mode is Combine.REPLACE:
        return term
    negated = f"NOT {term}" if mode is Combine.AND_NOT else term
    if not current:
        return negated
    try:
        needs_parens = isinstance(parse(current), Or)
    except FilterError:
        return negated
    left = f"({current})" if needs_parens else current
    return f"{left} AND {negated}"


class FilterBar(QWidget):
    filterRequested = Signal(str)       # evaluate this filter

    def __init__(self, settings: Settings, profile: str, parent: QWidget | None = None,
                 team: TeamFilters | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._profile = profile
        self.team = team            # a team profile's shared saved filters
        self.save_dialog: SaveFilterDialog | None = None
        self._requested: str | None = None
        self._commit_pending: str | None = None
        self.edit = QLineEdit()
        self.edit.setObjectName("filterEdit")
        self.edit.setClearButtonEnabled(True)
        self.edit.addAction(icon("filter"), QLineEdit.ActionPosition.LeadingPosition)
        self.error = QLabel()
        self.error.setObjectName("filterError")
        self.error.setTextFormat(Qt.TextFormat.RichText)
        self.error.setWordWrap(True)
        self.error.hide()
        self.recent_button = self._menu_button("clock", self._fill_recent)
        self.saved_button = self._menu_button("bookmark", self._fill_saved)
        self.completions = TagCompletionModel(self)
        self.completer = QCompleter(self.completions, self)
        self.completer.setWidget(self.edit)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.activated[str].connect(self._insert_completion)  # type: ignore[index]
        self._popup().installEventFilter(self)  # after the completer's own: Tab is seen first
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(APPLY_DELAY_MS)
        self._timer.timeout.connect(self._apply_typed)
        self.edit.textEdited.connect(self._text_edited)
        self.edit.textChanged.connect(self._text_changed)
        self.edit.returnPressed.connect(self.commit)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.recent_button)
        row.addWidget(self.saved_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 2)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.retranslate()

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(
            self.tr("Filter, e.g. 高意向 AND NOT 已成交, 客户等级:VIP, owner:zhangsan, added>=2025-01"))
        self.recent_button.setToolTip(self.tr("Recent filters"))
        self.saved_button.setToolTip(self.tr("Saved filters"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- public API --------------------------------------------------------------

    def text(self) -> str:
        return self.edit.text().strip()

    def set_tags(self, tags: Sequence[TagInfo], index: TagSearchIndex | None = None) -> None:
        """The tags to complete (corp and rule-group tags, with counts for ranking), and
        their search index if it was built on a worker."""
        self.completions.set_tags(tags, index)

    def set_filter(self, text: str) -> None:
        """Replace the filter and apply it at once (clicks, menus, saved filters)."""
        self.edit.setText(text)
        self.commit()

    def restore(self, text: str) -> None:
        """Show `text` as the filter without applying it: the window's first query does."""
        self.edit.setText(text)

    def add_tag(self, tag_id: str, modifiers: Qt.KeyboardModifier) -> bool:
        term = self.completions.speller.tag_term(tag_id)
        if term is None:
            return False
        self.set_filter(combine(self.text(), term, combine_mode(modifiers)))
        return True

    def add_group(self, group_id: str, modifiers: Qt.KeyboardModifier) -> bool:
        term = self.completions.speller.group_term(group_id)
        if term is None:
            return False
        self.set_filter(combine(self.text(), term, combine_mode(modifiers)))
        return True

    def commit(self) -> None:
        """Apply now and remember the filter as recent once it has evaluated."""
        if self._popup().isVisible():
            return
        self._timer.stop()
        text = self.text()
        if not self._check_syntax(text):
            return
        self._commit_pending = text
        self._request(text, force=True)

    def query_succeeded(self, text: str) -> None:
        """The model evaluated `text`: clear any error, and record it if it was committed."""
        if text != self.text():
            return
        self._show_error(None)
        if self._commit_pending == text:
            self._commit_pending = None
            self._settings.add_recent_filter(self._profile, text)

    def query_failed(self, exc: BaseException) -> None:
        if isinstance(exc, FilterError):
            self._show_error(exc)

    # -- typing ------------------------------------------------------------------

    def _text_edited(self, _text: str) -> None:
        self._update_completions()
        self._timer.start()

    def _text_changed(self, text: str) -> None:
        self._check_syntax(text.strip())

    def _apply_typed(self) -> None:
        text = self.text()
        if self._check_syntax(text):
            self._request(text, force=False)

    def _request(self, text: str, *, force: bool) -> None:
        if force or text != self._requested:
            self._requested = text
            self.filterRequested.emit(text)

    def _check_syntax(self, text: str) -> bool:
        try:
            parse(text)
        except FilterError as exc:
            self._show_error(exc)
            return False
        self._show_error(None)
        return True

    def _show_error(self, exc: FilterError | None) -> None:
        self.edit.setProperty("invalid", exc is not None)
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)
        if exc is None:
            self.error.clear()
            self.error.hide()
            self.edit.setToolTip("")
            return
        message = exc.message_en if is_english() else exc.message_zh
        self.error.setText(_marked(self.edit.text(), exc.position, exc.end) + " — "
                           + html.escape(message))
        self.error.show()
        self.edit.setToolTip(message)

    # -- completion --------------------------------------------------------------

    def _update_completions(self) -> None:
        word = word_at_cursor(self.edit.text(), self.edit.cursorPosition())
        if self.completions.update(word) == 0:
            self._popup().hide()
            return
        self.completer.setCompletionPrefix("")
        rect: QRect = self.edit.cursorRect()
        rect.setWidth(max(320, self._popup().sizeHintForColumn(0) + 24))
        if self.error.isVisible():      # open below the error line, never over it
            layout = self.layout()
            if layout is not None:
                layout.activate()
            bottom = self.error.mapTo(self, QPoint(0, self.error.height()))
            rect.setBottom(self.edit.mapFrom(self, bottom).y())
        self.completer.complete(rect)
        self._popup().setCurrentIndex(self.completions.index(0, 0))

    def _popup(self) -> QAbstractItemView:
        popup = self.completer.popup()
        assert popup is not None  # QCompleter always creates its popup
        return popup

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Tab takes the completion the popup offers, as Enter does, rather than leaving the
        field with the letters typed (gyx) still in it."""
        popup = self._popup()
        if (watched is popup and isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Tab
                and event.modifiers() == Qt.KeyboardModifier.NoModifier
                and popup.currentIndex().isValid()):
            row = popup.currentIndex().row()
            popup.hide()
            self._insert_completion(self.completions.insertion(row))
            return True
        return super().eventFilter(watched, event)

    def _insert_completion(self, insertion: str) -> None:
        text, cursor = self.edit.text(), self.edit.cursorPosition()
        word = word_at_cursor(text, cursor)
        if word is None:
            return
        rest = text[cursor:]
        spacer = "" if rest.startswith(" ") else " "
        self.edit.setText(text[: word.start] + insertion + spacer + rest)
        self.edit.setCursorPosition(word.start + len(insertion) + len(spacer))
        self._timer.start()

    # -- menus -------------------------------------------------------------------

    def _menu_button(self, icon_name: str, fill: Any) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(icon(icon_name))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        menu.aboutToShow.connect(lambda: fill(menu))
        button.setMenu(menu)
        return button

    def _fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        recent = self._settings.recent_filters(self._profile)
        if not recent:
            menu.addAction(self.tr("No recent filters")).setEnabled(False)
        for text in recent:
            menu.addAction(text).triggered.connect(lambda _=False, t=text: self.set_filter(t))

    def _fill_saved(self, menu: QMenu) -> None:
        menu.clear()
        save = menu.addAction(icon("bookmark"), self.tr("Save current filter…"))
        save.setEnabled(bool(self.text()) and not self.edit.property("invalid"))   # as shown
        save.triggered.connect(self._ask_save)
        saved = self._settings.saved_filters(self._profile)
        team = self.team
        shared = team.saved() if team is not None else []
        if saved or shared:
            menu.addSeparator()
        for name, text in saved:
            action = menu.addAction(name)
            action.setToolTip(text)
            action.triggered.connect(lambda _=False, t=text: self.set_filter(t))
        for name, text in shared:
            action = menu.addAction(self.tr("%1 (team)").replace("%1", name))
            action.setToolTip(text)
            action.triggered.connect(lambda _=False, t=text: self.set_filter(t))
        if saved or shared:
            remove = menu.addMenu(self.tr("Delete saved filter"))
            remove.setToolTipsVisible(True)
            for name, _text in saved:
                remove.addAction(name).triggered.connect(
                    lambda _=False, n=name: self._settings.remove_saved_filter(self._profile, n))
            for name, _text in shared:
                assert team is not None
                action = remove.addAction(self.tr("%1 (team)").replace("%1", name))
                refusal = team.refusal(name)
                action.setEnabled(not refusal)
                action.setToolTip(refusal)
                action.triggered.connect(lambda _=False, n=name, t=team: t.remove(n))

    def _ask_save(self) -> None:
        """The name (a blank one is refused, a taken one replaced only when confirmed) and,
        on a team profile, whether the whole team gets the filter."""
        team = self.team
        dialog = SaveFilterDialog(self.text()[:30], dict(self._settings.saved_filters(self._profile)),
                                  dict(team.saved()) if team is not None else None, self,
                                  team.refusal if team is not None else lambda _name: "")
        text = self.text()

        def save() -> None:
            name = dialog.name.text().strip()
            if team is not None and dialog.team.isChecked():
                team.save(name, text)
            else:
                self._settings.save_filter(self._profile, name, text)

        dialog.accepted.connect(save)
        self.save_dialog = dialog
        dialog.open()


def _marked(text: str, start: int, end: int) -> str:
    """The filter with the characters [start, end) marked, as rich text."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    bad = html.escape(text[start:end]) or "&nbsp;&nbsp;"
    return (f"<code>{html.escape(text[:start])}"
            f"<span style='color:#ffffff; background:#d4380d'>{bad}</span>"
            f"{html.escape(text[end:])}</code>")
