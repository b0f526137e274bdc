"""Importing chat messages from a file into the cache, for auto-tagging.

Two file kinds, one message shape (time, member userid, external_userid, direction, text):

- JSONL, one object a line, either TagDesk's own shape
  `{"time": "2026-12-01 09:30", "userid": "zhangsan", "external_userid": "wm…",
  "direction": "in", "text": "能便宜点不"}` or WeCom's chat-archive export after decryption
  (`msgid`, `msgtime` in ms, `from`, `tolist`, `msgtype`, `content` or `text.content`; the
  sandbox's `chat_export.jsonl` is one). Archive messages other than text are counted and
  left out.
- CSV with a header naming the columns `time, userid, external_userid, direction, text`
  (UTF-8, with or without BOM, or GB18030 as Excel saves it on Chinese Windows).

Every line is checked first; a bad line is reported with its number. With problems nothing is
stored unless the caller asks to skip the bad lines. Messages are stored once: a re-import of
the same or an overlapping file adds only what is new (the archive's msgid, else the fields).
"""

from __future__ import annotations

import csv
import hashlib
import io
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.domain.record_lines import epoch_seconds
from desktop.services.line_import import (
    LineImportResult,
    LineProblem,
    jsonl_records,
    open_for_reading,
    store_in_chunks,
)
from desktop.services.progress import Progress, ProgressCallback, no_progress
from desktop.store import chats
from desktop.store.chats import CUSTOMER_SENT, MEMBER_SENT, ChatRow
from desktop.store.db import Cache

PHASE = "import-chats"
COLUMNS = ("time", "userid", "external_userid", "direction", "text")
MAX_TEXT_CHARS = 100_000
MAX_LINE_BYTES = 1_000_000
MAX_ID_CHARS = 128
PROGRESS_EVERY = 10_000
_DIRECTIONS = {"in": CUSTOMER_SENT, "customer": CUSTOMER_SENT, "客户": CUSTOMER_SENT,
               "out": MEMBER_SENT, "member": MEMBER_SENT, "staff": MEMBER_SENT,
               "员工": MEMBER_SENT, "成员": MEMBER_SENT}
_HEADERS_ZH = {  # a CSV's Chinese column names; 客户 and 成员 alone may hold names, not ids
    "时间": "time", "发送时间": "time", "成员id": "userid", "员工id": "userid",
    "客户id": "external_userid", "外部联系人id": "external_userid", "方向": "direction",
    "内容": "text", "消息内容": "text",
}
_EXTERNAL_PREFIXES = ("wm", "wo")


class ChatImportError(UserError):
    """A chat file that cannot be read at all."""


class NothingToClassify(Exception):
    """A record that is fine but carries nothing to classify (not text, or empty)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class BadChatRecord(Exception):
    """A record that is not a message; `zh` and `en` say why."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass
class ChatImportResult(LineImportResult):
    non_text: int = 0
    empty: int = 0
    customer_messages: int = 0

    def own_counts(self) -> dict[str, object]:
        return {"customer_messages": self.customer_messages, "non_text": self.non_text,
                "empty": self.empty}


Store = Callable[[list[ChatRow], ProgressCallback], int]
"""Stores the checked messages somewhere else (a team server); returns how many were new."""


def import_chats(cache: Cache, path: Path, *, skip_invalid: bool = False,
                 progress: ProgressCallback = no_progress,
                 store: Store | None = None) -> ChatImportResult:
    """Check every line of `path`, then store its messages (all or, with problems, only
    when `skip_invalid`) in the cache, or with `store`; returns what happened."""
    started = time.monotonic()
    kind = _kind(path)
    result = ChatImportResult(path, kind)
    rows: list[ChatRow] = []
    lines = (jsonl_records(path, MAX_LINE_BYTES, ChatImportError, BadChatRecord)
             if kind == "jsonl" else _csv_records(path))
    for number, record in lines:
        result.lines += 1
        if result.lines % PROGRESS_EVERY == 0:
            progress(Progress(PHASE, result.lines, 0, f"{result.lines:,} 行 lines"))
        try:
            row = parse_record(record)
        except NothingToClassify as skip:
            if skip.kind == "empty":
                result.empty += 1
            else:
                result.non_text += 1
            continue
        except BadChatRecord as bad:
            result.problems.append(LineProblem(number, bad.zh, bad.en))
            continue
        rows.append(row)
    result.valid = len(rows)
    result.customer_messages = sum(1 for r in rows if r.direction == CUSTOMER_SENT)
    if result.problems and not skip_invalid:
        result.status = "invalid"
    elif not rows:
        result.status = "empty"
    else:
        result.imported = (store or partial(store_in_chunks, cache, chats.insert_new, PHASE))(
            rows, progress)
        result.status = "imported"
    result.elapsed_s = time.monotonic() - started
    return result


# -- reading the two file kinds ------------------------------------------------------------


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        kind = "jsonl"
    elif suffix == ".csv":
        kind = "csv"
    else:
        shown = echo(str(path))
        raise ChatImportError(
            f"聊天记录须为 .jsonl 或 .csv 文件：{shown}"
            f" / A chat file must be .jsonl or .csv: {shown}")
    if not path.is_file():
        shown = echo(str(path))
        raise ChatImportError(f"找不到文件：{shown} / No such file: {shown}")
    return kind


def _csv_records(path: Path) -> Iterator[tuple[int, object]]:
    with open_for_reading(path, ChatImportError) as handle:
        data = handle.read()
    text = _decode(data, path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [_HEADERS_ZH.get(key, key)
              for key in (name.strip().lower() for name in reader.fieldnames or [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ChatImportError(
            f"CSV 第一行须为列名，缺少：{'、'.join(missing)}（需要 {', '.join(COLUMNS)}，"
            "或 时间、成员ID、客户ID、方向、内容）"
            f" / The CSV's first line must name the columns; missing: {', '.join(missing)}"
            f" (needed: {', '.join(COLUMNS)}, or 时间, 成员ID, 客户ID, 方向, 内容)")
    reader.fieldnames = header
    try:
        for record in reader:
            if None in record:
                yield reader.line_num, BadChatRecord("列数多于表头",
                                                     "more fields than the header")
            elif any(value is None for value in record.values()):
                yield reader.line_num, BadChatRecord("列数少于表头",
                                                     "fewer fields than the header")
            else:
                yield reader.line_num, record
    except csv.Error as exc:
        yield reader.line_num, BadChatRecord(f"CSV 格式错误：{exc}", f"malformed CSV: {exc}")


def _decode(data: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    shown = echo(str(path))
    raise ChatImportError(f"{shown} 不是文本 CSV（UTF-8 或 GB18030）。"
                          f" / {shown} is not a text CSV (UTF-8 or GB18030).")


# -- one record → one message ----------------------------------------------------------------


def parse_record(record: object) -> ChatRow:
    """One JSON object (TagDesk's shape or the chat archive's) or CSV row as a message;
    raises BadChatRecord or NothingToClassify."""
    if isinstance(record, BadChatRecord):
        raise record
    if not isinstance(record, Mapping):
        raise BadChatRecord("不是 JSON 对象", "not a JSON object")
    if "msgtime" in record or "content" in record or "msgtype" in record:
        return _archive_row(record)
    ts = _time(_field(record, "time"))
    userid = _ident(record, "userid")
    external_userid = _ident(record, "external_userid")
    direction = _DIRECTIONS.get(str(_field(record, "direction")).strip().lower())
    if direction is None:
        raise BadChatRecord(
            "direction 须为 in（客户发出）或 out（员工发出）",
            "direction must be in (sent by the customer) or out (sent by the member)")
    text = _text(record.get("text"))
    row = _make(record.get("msgid") or record.get("id"), ts, userid, external_userid,
                direction, text)
    given = record.get("msg_key")    # a message already keyed (a desktop's push)
    if (isinstance(given, str) and given.startswith(("id:", "sha1:")) and given.isprintable()
            and len(given) <= 2 * MAX_ID_CHARS):
        return replace(row, msg_key=given)
    return row


def _archive_row(record: Mapping[str, object]) -> ChatRow:
    msgtype = record.get("msgtype", "text")
    if msgtype != "text":
        raise NothingToClassify("non_text")
    ts = _time(_field(record, "msgtime"))
    sender = str(_field(record, "from"))
    receivers = record.get("tolist")
    people = [sender, *(str(r) for r in receivers)] if isinstance(receivers, list) else [sender]
    external_userid = str(record.get("external_userid") or next(
        (p for p in people if p.startswith(_EXTERNAL_PREFIXES)), ""))
    userid = str(record.get("userid") or next(
        (p for p in people if p and p != external_userid), ""))
    for name, value in (("external_userid", external_userid), ("userid", userid)):
        _check_ident(name, value)
    direction = CUSTOMER_SENT if sender == external_userid else MEMBER_SENT
    content = record.get("content", record.get("text"))
    if isinstance(content, Mapping):
        content = content.get("content")
    return _make(record.get("msgid"), ts, userid, external_userid, direction, _text(content))


def _make(key: object, ts: float, userid: str, external_userid: str, direction: str,
          text: str) -> ChatRow:
    if key:
        msg_key = f"id:{key}"
    else:
        fields = "\x1f".join((repr(ts), userid, external_userid, direction, text))
        digest = hashlib.sha1(fields.encode("utf-8", "surrogatepass")).hexdigest()
        msg_key = f"sha1:{digest}"
    return ChatRow(msg_key, ts, userid, external_userid, direction, text)


def _field(record: Mapping[str, object], name: str) -> object:
    value = record.get(name)
    if value is None or value == "":
        raise BadChatRecord(f"缺少字段 {name}", f"missing field {name}")
    return value


def _ident(record: Mapping[str, object], name: str) -> str:
    value = _field(record, name)
    if not isinstance(value, str):
        raise BadChatRecord(f"{name} 须为文本", f"{name} must be text")
    _check_ident(name, value.strip())
    return value.strip()


def _check_ident(name: str, value: str) -> None:
    if not value:
        raise BadChatRecord(f"缺少字段 {name}", f"missing field {name}")
    if len(value) > MAX_ID_CHARS or not value.isprintable():
        raise BadChatRecord(f"{name} 不是有效的编号：「{echo(value)}」",
                            f"{name} is not a valid id: {echo(value)!r}")


def _text(value: object) -> str:
    if value is None:
        raise NothingToClassify("empty")
    if not isinstance(value, str):
        raise BadChatRecord("text 须为文本", "text must be text")
    if len(value) > MAX_TEXT_CHARS:
        raise BadChatRecord(f"消息过长（{len(value):,} 字符，最多 {MAX_TEXT_CHARS:,}）",
                            f"message too long ({len(value):,} chars, at most {MAX_TEXT_CHARS:,})")
    if not value.strip():
        raise NothingToClassify("empty")
    return value


def _time(value: object) -> float:
    """The record's time (see `record_lines.epoch_seconds`), or BadChatRecord."""
    seconds = epoch_seconds(value)
    if seconds is None:
        raise BadChatRecord(f"时间无法识别：「{echo(str(value))}」（例：2026-12-01 09:30）",
                            f"unreadable time {echo(str(value))!r} (e.g. 2026-12-01 09:30)")
    return seconds
