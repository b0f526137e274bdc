"""The undo steps of a session: plain Python steps, with the signals the Undo and Redo
actions follow.

Qt's QUndoStack owns its QUndoCommand objects in C++. Steps written in Python then belong to
two memory managers at once: when Python's collector freed the stack's wrapper before the
stack itself, it handed the commands back to Python and freed them, and the stack freed them
again when its parent went (a crash in QUndoStack::clear). So the history keeps the steps as
Python objects and follows QUndoStack's rules: a new step drops the steps after the current
one, and a step found obsolete when it is done or undone leaves the history.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Signal


class UndoStep(Protocol):
    obsolete: bool

    def text(self) -> str: ...

    def redo(self) -> None: ...

    def undo(self) -> None: ...


class UndoHistory(QObject):
    """Undo steps; methods and signals are named as QUndoStack's, which the actions follow."""

    canUndoChanged = Signal(bool)
    canRedoChanged = Signal(bool)
    undoTextChanged = Signal(str)
    redoTextChanged = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: list[UndoStep] = []
        self._index = 0             # the steps before it are done
        self._told = self._state()

    def count(self) -> int:
        return len(self._steps)

    def index(self) -> int:
        return self._index

    def command(self, index: int) -> UndoStep:
        return self._steps[index]

    def canUndo(self) -> bool:
        return self._index > 0

    def canRedo(self) -> bool:
        return self._index < len(self._steps)

    def undoText(self) -> str:
        return self._steps[self._index - 1].text() if self.canUndo() else ""

    def redoText(self) -> str:
        return self._steps[self._index].text() if self.canRedo() else ""

    def push(self, step: UndoStep) -> None:
        """Do `step` and make it the newest; the steps undone before are dropped."""
        del self._steps[self._index:]
        step.redo()
        if not step.obsolete:
            self._steps.append(step)
        self._index = len(self._steps)
        self._tell()

    def drop_undone(self) -> None:
        """Something was done outside the history (a batch): as after a new step, the steps
        undone before can no longer be redone."""
        del self._steps[self._index:]
        self._tell()

    def undo(self) -> None:
        if not self.canUndo():
            return
        step = self._steps[self._index - 1]
        if not step.obsolete:
            step.undo()
        self._index -= 1
        if step.obsolete:
            del self._steps[self._index]
        self._tell()

    def redo(self) -> None:
        if not self.canRedo():
            return
        step = self._steps[self._index]
        step.redo()
        if step.obsolete:
            del self._steps[self._index]
        else:
            self._index += 1
        self._tell()

    def clear(self) -> None:
        self._steps.clear()
        self._index = 0
        self._tell()

    def _state(self) -> tuple[bool, bool, str, str]:
        return self.canUndo(), self.canRedo(), self.undoText(), self.redoText()

    def _tell(self) -> None:
        """Emit what changed, as QUndoStack does."""
        state, told = self._state(), self._told
        self._told = state
        for signal, now, before in zip((self.canUndoChanged, self.canRedoChanged,
                                        self.undoTextChanged, self.redoTextChanged),
                                       state, told, strict=True):
            if now != before:
                signal.emit(now)
