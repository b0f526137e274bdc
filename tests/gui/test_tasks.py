"""Background tasks: callbacks never reach a deleted owner, and leftover tasks fail a test."""

from __future__ import annotations

import logging
import threading
import weakref
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from desktop.ui import gui_thread_gc
from desktop.ui.detail_pane import DetailPane
from desktop.ui.tasks import Task, pending_tasks

pytestmark = pytest.mark.gui

pytest_plugins = ["pytester"]

HERE = Path(__file__).parent


def test_a_slow_result_for_a_deleted_detail_pane_is_dropped(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    """The reported crash: load personal tags over a slow link, then the pane goes away."""
    holder = QWidget()
    pane = DetailPane(synced_context, holder)
    rid = int(synced_context.cache.query("SELECT min(id) AS id FROM relation")[0]["id"])
    pane.show_relation(rid)
    sandbox.configure(latency_ms=800)
    pane.load_personal_tags()
    task = next(t for t in pending_tasks() if t.name == "personal tags")
    assert task.owner is pane
    holder.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(pane), timeout=5000)
    qtbot.waitUntil(lambda: task not in pending_tasks(), timeout=15000)
    assert not task.owner_alive


def test_callbacks_run_while_the_owner_lives(qtbot: Any) -> None:
    owner = QObject()
    results: list[Any] = []
    task = Task(lambda _p, _c: 42, owner=owner, name="answer")
    task.on_result(results.append).on_finished(lambda: results.append("end"))
    with qtbot.waitSignal(task.signals.finished, timeout=5000):
        task.start()
    assert results == [42, "end"]
    assert task not in pending_tasks()
    assert task.origin
    assert "test_callbacks_run_while_the_owner_lives" in task.describe()


def test_pending_tasks_lists_a_running_task_until_its_end_is_delivered(qtbot: Any) -> None:
    release = threading.Event()
    task = Task(lambda _p, _c: release.wait(5), owner=QObject(), name="held")
    task.start()
    assert task in pending_tasks()
    release.set()
    qtbot.waitUntil(lambda: task not in pending_tasks(), timeout=5000)


def test_a_test_that_leaves_a_task_running_fails(pytester: pytest.Pytester) -> None:
    pytester.makeconftest((HERE.parent / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_leaky='''
        from PySide6.QtCore import QObject

        from desktop.ui.tasks import Task

        OWNER = QObject()


        def test_leaves_a_sleeper(qtbot):
            Task(lambda _p, cancel: cancel.event.wait(20), owner=OWNER, name="sleeper").start()


        def test_cleans_up(qtbot):
            task = Task(lambda _p, _c: 1, owner=OWNER, name="quick")
            with qtbot.waitSignal(task.signals.finished, timeout=5000):
                task.start()
    ''')
    result = pytester.runpytest_subprocess("-o", "qt_api=pyside6", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*1 background task(s) still pending after the test*",
                                 "*task 'sleeper' (owner QObject), started at:*",
                                 "*test_leaky.py*test_leaves_a_sleeper*"])


def test_a_test_that_leaves_the_automatic_collector_on_fails(pytester: pytest.Pytester) -> None:
    pytester.makeconftest((HERE.parent / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_collector='''
        import gc


        def test_turns_it_on(qtbot):
            gc.enable()


        def test_leaves_it_as_found(qtbot):
            gc.disable()
    ''')
    result = pytester.runpytest_subprocess("-o", "qt_api=pyside6", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        ["*test_turns_it_on left Python's automatic garbage collector on*"])


def test_a_task_is_over_when_its_result_arrives(qtbot: Any) -> None:
    """Cancel clicked in (or right after) a result's slot must find the task over: the
    worker thread is held just after it told its result until the slot has run."""
    seen: list[bool] = []
    slot_ran = threading.Event()
    task = Task(lambda _p, _c: 42, owner=QObject(), name="told")

    def on_result(_value: object) -> None:
        seen.append(task.running)
        slot_ran.set()

    task.on_result(on_result)
    task.signals.result.connect(lambda _value: slot_ran.wait(5),
                                Qt.ConnectionType.DirectConnection)
    task.start()
    qtbot.waitUntil(lambda: task not in pending_tasks(), timeout=5000)
    assert seen == [False]


def test_an_ended_task_lets_go_of_its_callbacks_without_the_collector(qtbot: Any) -> None:
    """The closures connected to a task's signals hold the task and the owner's slots, a cycle
    through Qt that Python's collector cannot see: after the end they are let go at once."""

    class Listener:
        def heard(self, _value: object) -> None:
            """A slot of an object nothing else holds."""

    listener = Listener()
    gone = weakref.ref(listener)
    task = Task(lambda _p, _c: 42, owner=QObject(), name="answer")
    task.on_result(listener.heard)
    del listener
    task.start()
    with gui_thread_gc.paused():
        qtbot.waitUntil(lambda: gone() is None and not shiboken6.isValid(task.signals),
                        timeout=5000)
    assert task not in pending_tasks()


class _Lingering(Task):
    """A task whose pool thread stays in `run()` after telling its end, until `leave` is set:
    what the thread still holds then is let go after the GUI thread is done with the task."""

    def __init__(self, run: Any, leave: threading.Event) -> None:
        super().__init__(run, owner=QObject(), name="lingering")
        self.leave = leave

    def _end(self, *args: Any) -> None:
        super()._end(*args)
        self.leave.wait(5)


class _Noted:
    """Freed in `freed_on`'s thread: stands for a dialog held by a task's work or result."""

    def __init__(self, freed_on: list[str]) -> None:
        self.freed_on = freed_on

    def __del__(self) -> None:
        self.freed_on.append(threading.current_thread().name)


@pytest.mark.parametrize("ending", ["result", "error"])
def test_what_a_task_made_is_freed_on_the_gui_thread(
        qtbot: Any, caplog: pytest.LogCaptureFixture, ending: str) -> None:
    """A failed work's traceback holds its frames, and so the work's closure (a dialog's
    `self`); a result may hold anything. The pool thread held both until `run()` returned,
    after it had told the end: when the GUI thread had dropped everything else by then, the
    last reference went on the pool thread, and a widget was destroyed off the GUI thread."""
    caplog.set_level(logging.INFO, logger="tagdesk.ui")   # the failure's record is kept
    freed_on: list[str] = []
    leave = threading.Event()

    def work(_progress: object, _cancel: object) -> _Noted:
        noted = _Noted(freed_on)
        if ending == "error":
            raise RuntimeError(f"failed with {noted!r}")
        return noted

    task = _Lingering(work, leave)
    told: list[str] = []
    task.on_result(lambda _value: told.append("result"))
    task.on_error(lambda _exc: told.append("error"))
    task.start()
    try:
        qtbot.waitUntil(lambda: task not in pending_tasks(), timeout=5000)
        assert told == [ending]
    finally:
        leave.set()
        assert task.pool is not None and task.pool.waitForDone(5000)
    assert freed_on == [threading.main_thread().name]


def test_a_tasks_signals_object_outlives_the_emit_of_its_end(qtbot: Any) -> None:
    """Qt lets the GUI thread run while a pool thread emits, and the end's last slot deleted
    the signals object: a GUI thread quick enough deleted it while the pool thread was still
    inside the emit, which then read the deleted sender. The pool thread is held inside the
    emit here, after every slot of the end was posted."""
    go, deleted = threading.Event(), threading.Event()
    deleted_while_emitting: list[bool] = []
    task = Task(lambda _p, _c: go.wait(5), owner=QObject(), name="emitting")
    task.signals.destroyed.connect(lambda: deleted.set())
    task.start()
    task.signals.finished.connect(lambda: deleted_while_emitting.append(deleted.wait(1.0)),
                                  Qt.ConnectionType.DirectConnection)   # after the end's slots
    go.set()
    qtbot.waitUntil(deleted.is_set, timeout=5000)
    assert task.pool is not None and task.pool.waitForDone(5000)
    assert deleted_while_emitting == [False]
