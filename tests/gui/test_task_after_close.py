"""A background task asked for once the profile's session is gone (a poller's timer or a
queued signal firing while the window closes) is not started and raises nothing."""

from __future__ import annotations

import weakref
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject

from desktop.ui.context import AppContext

pytestmark = pytest.mark.gui


def test_a_task_asked_for_after_the_session_is_deleted_is_not_started(
        qtbot: Any, synced_workspace: Any) -> None:
    session = QObject()
    context = AppContext(synced_workspace, session)
    shiboken6.delete(session)           # the session and its pools, as at close
    ran: list[int] = []
    owner = QObject()
    gone = weakref.ref(owner)
    task = context.run_task(lambda _progress, _cancel: ran.append(1), owner=owner,
                            name="team settings", writer=True)
    del owner
    qtbot.wait(50)
    assert ran == [] and task not in context._tasks
    assert gone() is None and not shiboken6.isValid(task.signals)   # nothing kept for good
