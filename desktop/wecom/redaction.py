"""Keep the corp secret and access tokens out of log lines and error texts.

WeCom puts both in the query string, so any URL (ours, or the one urllib3 logs at DEBUG
level, or the one inside a requests exception) would leak them without this.
"""

from __future__ import annotations

import logging
import re

_QUERY_SECRET = re.compile(r"(?i)\b(access_token|corpsecret)=[^&\s'\"]*")
_JSON_SECRET = re.compile(r'(?i)("(?:access_token|corpsecret)"\s*:\s*")[^"]*(")')
MASK = "***"


def redact(text: str) -> str:
    """``text`` with every access_token / corpsecret value replaced by ``***``."""
    text = _QUERY_SECRET.sub(rf"\1={MASK}", text)
    return _JSON_SECRET.sub(rf"\g<1>{MASK}\g<2>", text)


class RedactingFilter(logging.Filter):
    """Rewrites a record's final message through :func:`redact` before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


def install_urllib3_redaction() -> None:
    """Redact the request lines urllib3 logs at DEBUG level (they carry the full URL).

    Idempotent: the filter is added once however often this runs.
    """
    pool_logger = logging.getLogger("urllib3.connectionpool")
    if not any(isinstance(f, RedactingFilter) for f in pool_logger.filters):
        pool_logger.addFilter(RedactingFilter())
