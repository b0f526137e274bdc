"""Log files: one rotating file per home, secrets and tokens redacted on every handler."""

from __future__ import annotations

import logging
import logging.handlers
import os
import threading
from pathlib import Path

from desktop.services.home import HOME_ENV, log_dir, resolve_home
from desktop.wecom.redaction import RedactingFilter, install_urllib3_redaction, redact

LOG_NAME = "tagdesk.log"
MAX_BYTES = 2_000_000
BACKUPS = 5

_known_secrets: set[str] = set()
_secrets_lock = threading.Lock()


def register_secret(value: str) -> None:
    """A secret value that must never reach a log line, wherever it appears."""
    if len(value) >= 6:
        with _secrets_lock:
            _known_secrets.add(value)


class SecretFilter(RedactingFilter):
    """Query-string/JSON redaction plus every registered secret value."""

    def filter(self, record: logging.LogRecord) -> bool:
        super().filter(record)
        message = record.getMessage()
        with _secrets_lock:
            secrets = list(_known_secrets)
        cleaned = message
        for secret in secrets:
            cleaned = cleaned.replace(secret, "***")
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            text = redact(record.exc_text)
            for secret in secrets:
                text = text.replace(secret, "***")
            record.exc_text = text
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def setup_logging(home_arg: str | None, *, debug: bool = False) -> Path:
    """Log to `<log dir>/tagdesk.log` (rotating); return its path. Safe to call twice."""
    home = resolve_home(home_arg)
    path = log_dir(home, explicit_home=bool(home_arg or os.environ.get(HOME_ENV))) / LOG_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_tagdesk", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler._tagdesk = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"
    ))
    handler.addFilter(SecretFilter())
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    install_urllib3_redaction()
    return path

