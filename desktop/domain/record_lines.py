"""Reading one record of an imported file: a JSONL line's value and a record's time.

Chats and behaviour events are imported the same way (`services/chat_import.py`,
`services/event_import.py`): each bad line is named by its number with why it is bad. These
two checks are shared; each importer wraps the reason in its own bad-record type (pure, no I/O).
"""

from __future__ import annotations

import json
from datetime import datetime

EARLIEST, LATEST = 946_684_800.0, 4_102_444_800.0   # 2000-01-01 .. 2100-01-01 UTC


_JSON_PROBLEMS = {  # Python's reasons, said in both languages (its words are English only)
    "Expecting value": ("这里缺少一个值", "a value is missing here"),
    "Invalid control character at": (
        "文本里有未转义的换行或制表符，或文本缺少右引号",
        "a raw line break or tab inside a text, or a text without its closing quote"),
    "Unterminated string starting at": ("文本缺少右引号", "a text without its closing quote"),
    "Expecting ',' delimiter": ("缺少逗号", "a comma is missing"),
    "Expecting ':' delimiter": ("缺少冒号", "a colon is missing"),
    "Expecting property name enclosed in double quotes": (
        "字段名要用英文双引号括起来", "a field name must be in double quotes"),
    "Extra data": ("一行只能有一个 JSON 对象", "more than one JSON value on the line"),
    "Invalid \\escape": ("反斜杠 \\ 后的转义无效", "an invalid escape after a backslash"),
}


class BadLine(Exception):
    """Why a line or a value cannot be read, in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def json_line(raw: bytes, max_bytes: int) -> object:
    """The JSON value of one line (a UTF-8 byte string, a BOM allowed), or BadLine."""
    if len(raw) > max_bytes:
        raise BadLine(f"行过长（{len(raw):,} 字节，最多 {max_bytes:,}）",
                      f"line too long ({len(raw):,} bytes, at most {max_bytes:,})")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BadLine("不是 UTF-8 文本（二进制内容？）", "not UTF-8 text (binary content?)"
                      ) from None
    except json.JSONDecodeError as exc:
        zh, en = _JSON_PROBLEMS.get(exc.msg, ("", exc.msg))
        raise BadLine(f"不是有效的 JSON（第 {exc.colno} 列{'：' + zh if zh else ''}）",
                      f"not valid JSON (column {exc.colno}: {en})") from None
    except RecursionError:
        raise BadLine("JSON 嵌套过深", "JSON nested too deeply") from None


def epoch_seconds(value: object) -> float | None:
    """Seconds or milliseconds since the epoch, or a local date-time such as
    `2026-12-01 09:30`, `2026/12/01 09:30:15`, a date, or ISO 8601 with an offset; None when
    it is none of these or not between 2000 and 2100."""
    seconds: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip()
        try:
            seconds = float(text)
        except ValueError:
            try:
                seconds = datetime.fromisoformat(text.replace("/", "-")).timestamp()
            except ValueError:
                seconds = None
    if seconds is not None and seconds > LATEST:
        seconds /= 1000     # milliseconds, as WeCom's chat archive writes them
    if seconds is None or not EARLIEST <= seconds < LATEST:
        return None
    return seconds
