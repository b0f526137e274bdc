"""Errors reach the user as one readable sentence; only real bugs mention the log.

Expected failures (WeCom answers, network trouble, a locked cache, a bad filter,
a cancelled sync) already carry a readable `str()`. Anything else is a bug: the
traceback goes to the log and the user sees where the log is. `install_excepthook`
routes exceptions raised in Qt slots the same way instead of printing a traceback.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.domain.filter import FilterError
from desktop.services.profiles import ProfileError
from desktop.services.progress import OperationCancelled
from desktop.services.secrets import SecretMissing, SecretStoreUnavailable
from desktop.services.tag_admin import TagAdminError
from desktop.store.errors import CacheError
from desktop.ui.i18n import is_english
from desktop.wecom.errors import CallCancelled, WeComError, WeComNetworkError

log = logging.getLogger("tagdesk.ui")

EXPECTED: tuple[type[BaseException], ...] = (
    ProfileError, SecretMissing, SecretStoreUnavailable, CacheError, WeComError,
    WeComNetworkError, OperationCancelled, CallCancelled, FilterError, TagAdminError,
)

_log_file: Path | None = None


def is_expected(exc: BaseException) -> bool:
    return isinstance(exc, EXPECTED)


def readable(exc: BaseException) -> str:
    """One sentence for the user: the error's own text when expected, else a pointer to the log."""
    if isinstance(exc, FilterError):
        return exc.message_en if is_english() else exc.message_zh
    if is_expected(exc):
        return str(exc)
    where = str(_log_file) if _log_file else "tagdesk.log"
    return QCoreApplication.translate(
        "Errors", "Something went wrong inside TagDesk; the details are in %1."
    ).replace("%1", where)


def show_error(parent: QWidget | None, title: str, exc: BaseException) -> None:
    if not is_expected(exc):
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    QMessageBox.warning(parent, title, readable(exc))


ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def install_excepthook(log_file: Path) -> ExceptHook:
    """Log unexpected exceptions from slots and tell the user once; returns the previous hook."""
    global _log_file
    _log_file = log_file
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, exc, tb)
            return
        log.error("unhandled exception", exc_info=(kind, exc, tb))
        if QApplication.instance() is not None:
            QMessageBox.critical(
                QApplication.activeWindow(),
                QCoreApplication.translate("Errors", "TagDesk"),
                readable(exc),
            )

    sys.excepthook = hook
    return previous
