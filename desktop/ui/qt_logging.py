"""Qt's own messages (qWarning, plugin and font complaints) go to the `tagdesk.qt` logger.

Without this Qt prints straight to stderr: nothing reaches the log file a user sends in,
the redaction filter never sees it, and a windowed Windows build loses it altogether.
A few messages the offscreen and minimal platforms print on every run say nothing about
TagDesk; they are kept at DEBUG so they neither alarm anyone nor fail a smoke test.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("tagdesk.qt")

LEVELS: dict[QtMsgType, int] = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

HARMLESS_PREFIXES = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
    "This plugin does not support grabbing the keyboard",
    "This plugin does not support setting window opacity",
    "offscreen does not support",
    "QFont::setPointSizeF: Point size <= 0",
)
"""Messages Qt's headless platforms print on every run; logged at DEBUG."""

MessageHandler = Callable[[QtMsgType, QMessageLogContext, str], None]


def qt_message_to_log(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """A Qt message handler: one log record per message, with Qt's category when it has one."""
    level = LEVELS.get(kind, logging.WARNING)
    if level > logging.DEBUG and message.startswith(HARMLESS_PREFIXES):
        level = logging.DEBUG
    category = context.category if context is not None else None
    where = ""
    if context is not None and context.file:
        where = f" ({context.file}:{context.line})"
    if category and category != "default":
        log.log(level, "[%s] %s%s", category, message, where)
    else:
        log.log(level, "%s%s", message, where)


def install_qt_message_handler() -> MessageHandler | None:
    """Route Qt's messages into logging; returns the handler that was installed before."""
    previous: MessageHandler | None = qInstallMessageHandler(qt_message_to_log)
    return previous
