"""A failing background task reaches the status bar as the same sentence the CLI prints."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from PySide6.QtCore import QObject

from desktop.services.errors import readable
from desktop.services.exclusive_sets import ExclusiveSetError
from desktop.services.tagging import TaggingError
from desktop.ui import i18n

pytestmark = pytest.mark.gui

FAILURES: list[BaseException] = [
    TaggingError("批量任务无法执行。 / The batch cannot run."),
    ExclusiveSetError("请给互斥标签组起个名字。 / Give the exclusive set a name."),
    sqlite3.OperationalError("database or disk is full"),
]


@pytest.mark.parametrize("exc", FAILURES, ids=lambda exc: type(exc).__name__)
@pytest.mark.parametrize("english", [False, True], ids=["zh", "en"])
def test_a_task_failure_shows_the_sentence_in_the_ui_language(
    qtbot: Any, synced_context: Any, monkeypatch: pytest.MonkeyPatch, exc: BaseException,
    english: bool,
) -> None:
    monkeypatch.setattr(i18n, "_current", i18n.ENGLISH if english else i18n.CHINESE)

    def work(progress: object, cancel: object) -> None:
        raise exc

    owner = QObject()
    with qtbot.waitSignal(synced_context.status_message, timeout=5000) as shown:
        synced_context.run_task(work, owner=owner, name="failing")
    text = shown.args[0]
    assert text == readable(exc, english)
    assert "internal" not in text.lower() and "内部" not in text
    assert " / " not in text
