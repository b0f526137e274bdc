"""One readable sentence for any failure, shared by the GUI and the command line.

A `UserError` says what went wrong and what to do in both languages. A few library
failures are mapped to one here: SQLite trouble with the cache (full disk, read-only,
damaged file) and operating-system errors on TagDesk's own files. Anything else is a bug:
its traceback belongs in the log, and the sentence says where the log is.
"""

from __future__ import annotations

import errno
import sqlite3

from desktop.domain.errors import UserError
from desktop.services.logs import current_log_file

_OS_ERRORS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: (
        "磁盘已满，无法写入 {path}；请腾出空间后重试（未完成的批量任务可用 tagdesk batch resume 继续）。",
        "The disk is full, so {path} cannot be written; free some space and try again"
        " (continue an unfinished batch with `tagdesk batch resume`).",
    ),
    errno.EROFS: (
        "{path} 所在的磁盘是只读的；请用 --home 或 TAGDESK_HOME 指向可写的文件夹。",
        "{path} is on a read-only disk; point --home or TAGDESK_HOME at a writable folder.",
    ),
    errno.EACCES: (
        "没有权限写入 {path}；请检查文件夹的所有者和权限，或用 --home 指向自己的文件夹。",
        "No permission to write {path}; check the folder's owner and permissions, or point"
        " --home at a folder of your own.",
    ),
}
_OS_ERRORS[errno.EPERM] = _OS_ERRORS[errno.EACCES]
if hasattr(errno, "EDQUOT"):
    _OS_ERRORS[errno.EDQUOT] = _OS_ERRORS[errno.ENOSPC]


def as_user_error(exc: BaseException) -> UserError | None:
    """The `UserError` this failure amounts to, or None when it is a bug."""
    if isinstance(exc, UserError):
        return exc
    if isinstance(exc, sqlite3.Error):
        # The cache's modules load here, on a failure, not with every command's start.
        from desktop.store.db import is_storage_fault, translate_sqlite_error

        return translate_sqlite_error(exc, None) if is_storage_fault(exc) else None
    if isinstance(exc, OSError) and exc.errno in _OS_ERRORS:
        zh, en = _OS_ERRORS[exc.errno]
        path = exc.filename if exc.filename is not None else "TagDesk 的数据文件夹"
        path_en = exc.filename if exc.filename is not None else "TagDesk's data folder"
        return UserError(zh.format(path=path), en.format(path=path_en))
    return None


def is_expected(exc: BaseException) -> bool:
    """Whether the failure has a sentence of its own (else it is a bug for the log)."""
    return as_user_error(exc) is not None


def readable(exc: BaseException, english: bool) -> str:
    """One sentence in one language: the error's own, else where the log with the details is."""
    error = as_user_error(exc)
    if error is not None:
        return error.text(english)
    log_file = current_log_file()
    where = str(log_file) if log_file else "tagdesk.log"
    if english:
        return f"Something went wrong inside TagDesk; the details are in {where}."
    return f"TagDesk 内部出错，详情见日志 {where}。"


def bilingual(exc: BaseException) -> str:
    """"中文 / English" for the command line."""
    zh, en = readable(exc, english=False), readable(exc, english=True)
    return zh if zh == en else f"{zh} / {en}"


def with_profile(sentence: str, profile: str) -> str:
    """The sentence with `profile` in the command it gives to store a new app secret (the
    error itself does not know which profile it came from)."""
    from desktop.wecom.error_codes import SECRET_COMMANDS

    for command in SECRET_COMMANDS:
        sentence = sentence.replace(command, command.rsplit(" ", 1)[0] + " " + profile)
    return sentence
