"""Errors reach the user as one readable sentence; only real bugs mention the log.

Expected failures (WeCom answers, network trouble, a locked cache, a bad filter,
a cancelled sync) already carry a readable `str()`. Anything else is a bug: the
traceback goes to the log and the user sees where the log is. Exceptions nobody
caught go to the crash dialog (`desktop.ui.crash_dialog`).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.domain.filter import FilterError
from desktop.services.logs import current_log_file
from desktop.services.profiles import ProfileError
from desktop.services.progress import OperationCancelled
from desktop.services.secrets import SecretMissing, SecretStoreUnavailable
from desktop.services.tag_admin import TagAdminError
from desktop.store.errors import CacheError
from desktop.ui.i18n import is_english
from desktop.wecom.errors import CallCancelled, WeComError, WeComNetworkError

EXPECTED: tuple[type[BaseException], ...] = (
    ProfileError, SecretMissing, SecretStoreUnavailable, CacheError, WeComError,
    WeComNetworkError, OperationCancelled, CallCancelled, FilterError, TagAdminError,
)


def is_expected(exc: BaseException) -> bool:
    return isinstance(exc, EXPECTED)


def readable(exc: BaseException) -> str:
    """One sentence for the user: the error's own text when expected, else a pointer to the log."""
    if isinstance(exc, FilterError):
        return exc.message_en if is_english() else exc.message_zh
    if is_expected(exc):
        return str(exc)
    log_file = current_log_file()
    where = str(log_file) if log_file else "tagdesk.log"
    return QCoreApplication.translate(
        "Errors", "Something went wrong inside TagDesk; the details are in %1."
    ).replace("%1", where)
