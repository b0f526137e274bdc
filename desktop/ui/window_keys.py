"""The main window's Ctrl shortcuts reach it from the line edits inside it.

On X11 a QLineEdit takes some Ctrl keys as Emacs-style editing (Ctrl+E: end of line), so
with the filter bar or the tag search focused, Ctrl+E exported nothing. The keys a line
edit edits text with on every platform (undo, redo, select all, copy, cut, paste) stay
the line edit's: Ctrl+Z in the filter bar undoes typing, not tagging, until there is no typing
left to undo; then it undoes the tagging (Alt+1 pressed in the filter bar, then Ctrl+Z, did
nothing).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget

TEXT_KEYS = (
    QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo,
    QKeySequence.StandardKey.SelectAll, QKeySequence.StandardKey.Copy,
    QKeySequence.StandardKey.Cut, QKeySequence.StandardKey.Paste,
)


class WindowKeysFirst(QObject):
    """Installed on a window's line edits: a Ctrl key the window has an action for goes
    to that action, unless it is one of the line edit's own text keys."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        for edit in window.findChildren(QLineEdit):
            edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and isinstance(watched, QLineEdit) and self._is_window_key(watched, event)):
            event.ignore()      # not taken by the line edit: the shortcut map fires the action
            return True
        return False

    def _is_window_key(self, edit: QLineEdit, event: QKeyEvent) -> bool:
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return False
        undo, redo = QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo
        nothing_to_do = ((event.matches(undo) and not edit.isUndoAvailable())
                         or (event.matches(redo) and not edit.isRedoAvailable()))
        if not nothing_to_do and any(event.matches(key) for key in TEXT_KEYS):
            return False
        pressed = QKeySequence(event.keyCombination())
        return any(action.isEnabled() and pressed in action.shortcuts()
                   for action in self._window.actions())
