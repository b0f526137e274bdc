"""The session's undo steps: QUndoStack's rules, kept in Python (a stack of Python-written
QUndoCommands crashed when Python's collector freed the session)."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from desktop.ui.undo_history import UndoHistory

pytestmark = pytest.mark.gui


class _Step:
    def __init__(self, name: str, done: list[str], *, obsolete_when_done: bool = False) -> None:
        self.name = name
        self.done = done
        self.obsolete = False
        self._obsolete_when_done = obsolete_when_done

    def text(self) -> str:
        return self.name

    def redo(self) -> None:
        self.done.append(f"do {self.name}")
        self.obsolete = self._obsolete_when_done

    def undo(self) -> None:
        self.done.append(f"undo {self.name}")


def test_steps_are_done_undone_and_redone_in_order_and_the_actions_hear_of_it(
        qtbot: Any) -> None:
    history = UndoHistory()
    done: list[str] = []
    heard: list[tuple[str, object]] = []
    history.canUndoChanged.connect(lambda can: heard.append(("can undo", can)))
    history.undoTextChanged.connect(lambda text: heard.append(("undo text", text)))
    history.redoTextChanged.connect(lambda text: heard.append(("redo text", text)))
    history.push(_Step("a", done))
    history.push(_Step("b", done))
    assert heard == [("can undo", True), ("undo text", "a"), ("undo text", "b")]
    history.undo()
    assert (history.undoText(), history.redoText(), history.index()) == ("a", "b", 1)
    history.redo()
    history.undo()
    history.push(_Step("c", done))      # b, undone, is dropped
    assert [history.command(i).text() for i in range(history.count())] == ["a", "c"]
    assert not history.canRedo()
    history.undo()
    history.undo()
    history.undo()                      # nothing left: nothing happens
    assert done == ["do a", "do b", "undo b", "do b", "undo b", "do c", "undo c", "undo a"]
    assert heard[-3:] == [("can undo", False), ("undo text", ""), ("redo text", "a")]


def test_an_obsolete_step_leaves_the_history(qtbot: Any) -> None:
    history = UndoHistory()
    done: list[str] = []
    history.push(_Step("nothing to do", done, obsolete_when_done=True))
    assert history.count() == 0 and not history.canUndo()
    history.push(_Step("a", done))
    step = history.command(0)
    step.obsolete = True                # found to change nothing after it was pushed
    history.undo()
    assert history.count() == 0 and done == ["do nothing to do", "do a"]


def test_a_session_with_undo_steps_is_collected_without_a_crash(
        qtbot: Any, synced_workspace: Any) -> None:
    """With Qt's own stack, Python's collector freed the steps once and the stack again."""
    from desktop.ui.context import AppContext
    from desktop.ui.tasks import pending_tasks

    context = AppContext(synced_workspace)
    ids = [row[0] for row in context.cache.connection().execute(
        "SELECT id FROM relation ORDER BY id LIMIT 3")]
    (tag_id,) = context.cache.connection().execute(
        "SELECT id FROM tag WHERE NOT deleted ORDER BY id").fetchone()
    for _ in range(2):
        context.toggle_tag(ids, tag_id)
        context.wait_idle()
        qtbot.waitUntil(lambda: not pending_tasks(), timeout=10000)
    assert context.undo_stack.count() == 2
    del context
    gc.collect()
