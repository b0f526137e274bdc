"""Qt's own messages reach the log (redacted like everything else), at a fitting level."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLoggingCategory, qCritical, qCWarning, qInstallMessageHandler, qWarning
from PySide6.QtGui import QFont

from desktop.services import logs
from desktop.ui.qt_logging import install_qt_message_handler, qt_message_to_log

pytestmark = pytest.mark.gui

TOKEN = ("Pq2-qtTokenValue_7Hs9" * 8)[:128]


@pytest.fixture
def routed(qapp: Any) -> Iterator[None]:
    previous = install_qt_message_handler()
    yield
    qInstallMessageHandler(previous)


def _records(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "tagdesk.qt"]


def test_a_warning_from_qt_itself_is_logged(routed: None,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="tagdesk.qt")
    QFont().setPointSize(0)
    assert _records(caplog) == [
        (logging.WARNING, "QFont::setPointSize: Point size <= 0 (0), must be greater than 0")]


def test_levels_categories_and_harmless_platform_noise(
    routed: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="tagdesk.qt")
    qCritical("the sky is falling")
    category = QLoggingCategory("tagdesk.test")  # type: ignore[arg-type]  # the stubs say bytes
    qCWarning(category, "from a category")  # type: ignore[arg-type]  # PySide6 takes str only
    qWarning("This plugin does not support propagateSizeHints()")
    assert _records(caplog) == [
        (logging.ERROR, "the sky is falling"),
        (logging.WARNING, "[tagdesk.test] from a category"),
        (logging.DEBUG, "This plugin does not support propagateSizeHints()"),
    ]


def test_qt_messages_in_the_log_file_are_redacted(routed: None, tmp_path: Path) -> None:
    root = logging.getLogger()
    before = (root.level, list(root.handlers))
    try:
        path = logs.setup_logging(str(tmp_path / "home"))
        qWarning(f"QNetworkReply: GET /cgi-bin/x?access_token={TOKEN} failed")
        for handler in root.handlers:
            handler.flush()
        text = path.read_text(encoding="utf-8")
    finally:
        for handler in list(root.handlers):
            if handler not in before[1]:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(before[0])
    assert "WARNING tagdesk.qt [MainThread] QNetworkReply: GET /cgi-bin/x?access_token=***" in text
    assert TOKEN not in text


def test_the_previous_handler_is_returned(qapp: Any) -> None:
    outer = qInstallMessageHandler(None)
    try:
        assert install_qt_message_handler() is None
        assert qInstallMessageHandler(None) is qt_message_to_log
    finally:
        qInstallMessageHandler(outer)
