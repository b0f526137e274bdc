"""Importing behaviour events from a CSV or JSONL file into the cache (or the team server).

- JSONL: one object a line, `{"time": "2026-12-01 09:30", "external_userid": "wm…",
  "userid": "zhangsan", "type": "order_paid", "name": "年度会员", "value": 1999}`
  (`userid`, `name`, `detail`, `value`, `id` optional).
- CSV with a header naming the columns in English (`time, external_userid, userid, type,
  name, detail, value, id`) or Chinese (时间, 客户, 员工, 类型, 名称, 详情, 金额, 编号 …),
  UTF-8 with or without BOM, or GB18030 as Excel saves it on Chinese Windows.

Every line is checked first; a bad line is reported with its number. With problems nothing
is stored unless the caller asks to skip the bad lines. Events are stored once: a re-import
adds only what is new (the record's id, else its fields).
"""

from __future__ import annotations

import csv
import io
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.domain.events import REQUIRED, BadEvent, Event, column_name, parse_event
from desktop.services.line_import import (
    LineImportResult,
    LineProblem,
    jsonl_records,
    open_for_reading,
    store_in_chunks,
)
from desktop.services.progress import CancelToken, Progress, ProgressCallback, no_progress
from desktop.store import events as event_store
from desktop.store.db import Cache

PHASE = "import-events"
MAX_LINE_BYTES = 64_000
PROGRESS_EVERY = 10_000
FILE_SOURCE = "file"


class EventImportError(UserError):
    """An events file that cannot be read at all."""


@dataclass
class EventImportResult(LineImportResult):
    per_type: dict[str, int] = field(default_factory=dict)   # valid events by type
    stored_on: str = "cache"    # cache, team

    def own_counts(self) -> dict[str, object]:
        return {"per_type": self.per_type, "stored_on": self.stored_on}


Store = Callable[[list[Event], ProgressCallback], int]
"""Stores checked events somewhere else (a team server); returns how many were new."""


def import_events(cache: Cache, path: Path, *, skip_invalid: bool = False,
                  progress: ProgressCallback = no_progress, store: Store | None = None,
                  cancel: CancelToken | None = None) -> EventImportResult:
    """Check every line of `path`, then store its events (all or, with problems, only when
    `skip_invalid`) in the cache, or with `store`. A cancel before storing stores nothing
    (OperationCancelled)."""
    token = cancel or CancelToken()
    started = time.monotonic()
    kind = _kind(path)
    result = EventImportResult(path, kind, stored_on="team" if store else "cache")
    found: list[Event] = []
    records = (jsonl_records(path, MAX_LINE_BYTES, EventImportError, BadEvent)
               if kind == "jsonl" else _csv_records(path))
    for number, record in records:
        result.lines += 1
        if result.lines % PROGRESS_EVERY == 0:
            token.raise_if_cancelled()
            progress(Progress(PHASE, result.lines, 0, f"{result.lines:,} 行 lines"))
        try:
            if isinstance(record, BadEvent):
                raise record
            found.append(parse_event(record))
        except BadEvent as bad:
            result.problems.append(LineProblem(number, bad.zh, bad.en))
    result.valid = len(found)
    result.per_type = dict(Counter(e.type for e in found).most_common())
    if result.problems and not skip_invalid:
        result.status = "invalid"
    elif not found:
        result.status = "empty"
    else:
        token.raise_if_cancelled()
        result.imported = (store or partial(store_in_chunks, cache, _insert, PHASE))(
            found, progress)
        result.status = "imported"
    result.elapsed_s = time.monotonic() - started
    return result


def _insert(conn: sqlite3.Connection, found: list[Event]) -> int:
    return event_store.insert_new(conn, found, FILE_SOURCE)


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    shown = echo(str(path))
    if suffix not in (".jsonl", ".ndjson", ".json", ".csv"):
        raise EventImportError(f"行为事件须为 .csv 或 .jsonl 文件：{shown}"
                               f" / An events file must be .csv or .jsonl: {shown}")
    if not path.is_file():
        raise EventImportError(f"找不到文件：{shown} / No such file: {shown}")
    return "csv" if suffix == ".csv" else "jsonl"


def _csv_records(path: Path) -> Iterator[tuple[int, object]]:
    with open_for_reading(path, EventImportError) as handle:
        text = _decode(handle.read(), path)
    lines = _Lines(io.StringIO(text, newline=""))
    reader = csv.DictReader(lines)
    header = [column_name(name) for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise EventImportError(
            f"CSV 第一行须为列名，缺少：{'、'.join(missing)}（至少需要 时间/time、客户/external_userid、"
            f"类型/type） / The CSV's first line must name the columns; missing:"
            f" {', '.join(missing)} (needed: time, external_userid, type)")
    reader.fieldnames = header
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:      # e.g. a field over csv's limit: this line, then the next
            yield lines.read, (_TOO_LONG if "field larger" in str(exc) else BadEvent(
                f"CSV 格式错误：{exc}", f"malformed CSV: {exc}"))
            continue
        if None in record:
            yield reader.line_num, BadEvent("列数多于表头", "more fields than the header")
        elif any(len(value or "") > MAX_LINE_BYTES for value in record.values()):
            yield reader.line_num, _TOO_LONG
        else:
            yield reader.line_num, {k: v for k, v in record.items() if v is not None}


_TOO_LONG = BadEvent(f"行过长（超过 {MAX_LINE_BYTES:,} 字符）",
                    f"line too long (over {MAX_LINE_BYTES:,} chars)")


class _Lines:
    """The lines the CSV reader takes, counted (its own count stops short on an error)."""

    def __init__(self, source: io.StringIO) -> None:
        self.source = source
        self.read = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self.source)
        self.read += 1
        return line


def _decode(data: bytes, path: Path) -> str:
    """The CSV's text: UTF-8 or GB18030; with binary junk in some lines, UTF-8 with each
    undecodable byte (and NUL) kept as a lone surrogate, which the line checks refuse by line
    number. A file that is binary through and through lacks the header and is refused."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    return data.decode("utf-8-sig", errors="surrogateescape").replace("\x00", "\udc80")
