"""Logging for TagDesk: rotating files, a ring buffer for crash reports, secrets redacted.

Every module logs to a named logger under `tagdesk` (one per layer, see `LAYER_LOGGERS`).
`setup_logging` sends them to `tagdesk.log` in the platform's log folder (or `<home>/logs`
for isolated runs), rotating at `MAX_BYTES`, and keeps the last `RECENT_LINES` formatted
lines in memory so a crash report can carry them. The redaction filter sits on the
**handlers**, so whatever logger a record comes from (ours, urllib3's, Qt's), its message,
exception text and stack never reach a sink with the corp secret or an access token in it.

`faulthandler` writes fatal crashes (a segfault inside Qt, an abort) to `crash.log` beside
the log; the next GUI start reads it with `take_previous_crash` and offers it to the user.
"""

from __future__ import annotations

import collections
import faulthandler
import io
import logging
import logging.handlers
import os
import re
import threading
from pathlib import Path
from typing import IO

from desktop.services.home import HOME_ENV, log_dir, private_file, resolve_home
from desktop.wecom.redaction import MASK, install_urllib3_redaction, redact

LOG_NAME = "tagdesk.log"
CRASH_LOG_NAME = "crash.log"
MAX_BYTES = 2_000_000
BACKUPS = 5
RECENT_LINES = 400
MIN_SECRET_LENGTH = 6
CREDENTIAL_MIN_LENGTH = 100
LINE_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"

LAYER_LOGGERS: dict[str, str] = {
    "tagdesk.ui": "windows, dialogs and background tasks",
    "tagdesk.qt": "Qt's own warnings and errors",
    "tagdesk.services": "use cases: tagging, the outbox runner, profiles, audit",
    "tagdesk.sync": "mirroring WeCom into the cache",
    "tagdesk.store": "the SQLite cache and journal",
    "tagdesk.wecom": "calls to WeCom: tokens, retries, rate limits",
    "tagdesk.sandbox": "the WeCom emulator behind demo mode",
    "tagdesk.cli": "the command line",
    "tagdesk.server": "the team server: logins, the relay, the team journal",
}
"""The top-level loggers, one per layer; modules log to these or to children of them."""

# WeCom access tokens are long url-safe strings (well over 100 characters); nothing else
# TagDesk logs looks like that (journal hashes are 64, ids and cursors shorter).
_CREDENTIAL = re.compile(
    rf"(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{{{CREDENTIAL_MIN_LENGTH},}}(?![\w-])",
    re.ASCII,
)

_known_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_state_lock = threading.Lock()
_recent: collections.deque[str] = collections.deque(maxlen=RECENT_LINES)
_log_file: Path | None = None
_crash_file: IO[str] | None = None


def register_secret(value: str) -> None:
    """A secret value that must never reach a log line, wherever it appears."""
    if len(value) >= MIN_SECRET_LENGTH:
        with _secrets_lock:
            _known_secrets.add(value)


def redact_text(text: str) -> str:
    """`text` with access_token / corpsecret values, every registered secret and anything
    shaped like an access token masked."""
    cleaned = _CREDENTIAL.sub(MASK, redact(text))
    with _secrets_lock:
        secrets = sorted(_known_secrets, key=len, reverse=True)
    for secret in secrets:
        cleaned = cleaned.replace(secret, MASK)
    return cleaned


class SecretFilter(logging.Filter):
    """Redacts a record's message, exception text and stack before any handler formats it."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what there is, redacted, not the crash
            record.msg = redact_text(f"{record.msg!s} {record.args!r}")
            record.args = None
        else:
            cleaned = redact_text(message)
            if cleaned != message:
                record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True


class _Quiet:
    """A handler that never prints its own failure (a full disk, an unencodable argument)
    to the user's terminal as "--- Logging error ---": the line is dropped, the command goes
    on, and the next line that can be written notes how many were lost."""

    dropped = 0

    def handleError(self, record: logging.LogRecord) -> None:
        self.dropped += 1


class RecentLines(_Quiet, logging.Handler):
    """The last lines logged, already formatted and redacted, for crash reports."""

    def __init__(self, lines: collections.deque[str]) -> None:
        super().__init__(logging.DEBUG)
        self._lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._lines.append(self.format(record))
        except Exception:
            self.handleError(record)


class _RotatingFile(_Quiet, logging.handlers.RotatingFileHandler):
    """Keeps appending when another TagDesk process holds the file open (Windows cannot
    rename an open file); the rotation is tried again on the next line. Each file (the
    rotated ones too) is the user's alone, and text that cannot be encoded is escaped."""

    def _open(self) -> io.TextIOWrapper:
        private_file(Path(self.baseFilename))
        return super()._open()

    def emit(self, record: logging.LogRecord) -> None:
        if self.dropped:
            lost, self.dropped = self.dropped, 0
            note = logging.makeLogRecord({
                "name": "tagdesk", "levelno": logging.WARNING, "levelname": "WARNING",
                "msg": "%d log lines could not be written", "args": (lost,),
            })
            super().emit(note)
        super().emit(record)

    def doRollover(self) -> None:
        try:
            super().doRollover()
        except PermissionError:
            if self.stream is None:
                self.stream = self._open()


def setup_logging(home_arg: str | None, *, debug: bool = False) -> Path:
    """Log to `<log dir>/tagdesk.log` (rotating) and the ring buffer; return the file's path.

    Safe to call again (for another home or level): TagDesk's handlers are replaced, the
    ring buffer keeps its lines. `debug` logs everything at DEBUG (HTTP requests included).
    """
    global _log_file
    home = resolve_home(home_arg)
    path = log_dir(home, explicit_home=bool(home_arg or os.environ.get(HOME_ENV))) / LOG_NAME
    formatter = logging.Formatter(LINE_FORMAT)
    secret_filter = SecretFilter()
    file_handler = _RotatingFile(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                 encoding="utf-8", errors="backslashreplace")
    ring = RecentLines(_recent)
    root = logging.getLogger()
    with _state_lock:
        for handler in list(root.handlers):
            if isinstance(handler, _RotatingFile | RecentLines):
                root.removeHandler(handler)
                handler.close()
        for handler in (file_handler, ring):
            handler.setFormatter(formatter)
            handler.addFilter(secret_filter)
            root.addHandler(handler)
        level = logging.DEBUG if debug else logging.INFO
        root.setLevel(level)
        logging.getLogger("tagdesk").setLevel(level)
        _log_file = path
    install_urllib3_redaction()
    logging.getLogger("tagdesk").info("TagDesk logging to %s (debug %s)", path,
                                      "on" if debug else "off")
    return path


def current_log_file() -> Path | None:
    """The file `setup_logging` last opened, or None before it ran."""
    return _log_file


def recent_lines(limit: int = RECENT_LINES) -> list[str]:
    """The last `limit` lines logged (formatted, redacted), oldest first."""
    lines = list(_recent)
    return lines[-limit:] if limit > 0 else []


def enable_crash_log(folder: Path) -> Path:
    """Send `faulthandler`'s fatal-error dumps (all threads) to `folder/crash.log`."""
    global _crash_file
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CRASH_LOG_NAME
    with _state_lock:
        previous = _crash_file
        _crash_file = private_file(path).open("a", encoding="utf-8")
        faulthandler.enable(file=_crash_file, all_threads=True)
        if previous is not None:
            previous.close()
    return path


def take_previous_crash(folder: Path) -> str:
    """What a fatal crash of an earlier run left in `folder/crash.log` ('' if nothing), once:
    the text moves to `crash.log.1`, so it is offered a single time. Call it before
    `enable_crash_log` in the same process."""
    path = folder / CRASH_LOG_NAME
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    if not text.strip():
        return ""
    try:
        path.replace(path.with_name(CRASH_LOG_NAME + ".1"))
    except OSError:
        path.write_text("", encoding="utf-8")
    return redact_text(text)
