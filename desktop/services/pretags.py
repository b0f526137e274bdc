"""Pre-tags: tags queued for someone who is not a customer yet, applied when the relation
appears (`services/arrivals.py`, after each sync), dropped as expired after N days.

A pre-tag names its person by external_userid, phone number (matched against the remark
mobiles a member gives the relation) or unionid. A file of them (xlsx or csv) is read whole
first: every bad row is reported with its line and nothing is queued unless every row is
good or the caller asks to skip the bad ones.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.domain.arrivals import (
    BY_EXTERNAL_USERID,
    BY_PHONE,
    BY_UNIONID,
    PRETAG,
    normal_phone,
)
from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.services.governance import session_token
from desktop.services.spreadsheet_reader import DEFAULT_LIMITS, check_file_type
from desktop.services.tagging import TaggingError, TaggingService
from desktop.services.team import _exchange
from desktop.services.workspace import Workspace
from desktop.services.xlsx_reader import XlsxBook, XlsxError
from desktop.store import arrivals
from desktop.store.arrivals import ArrivalRecord

DEFAULT_EXPIRES_DAYS = 30
MAX_EXPIRES_DAYS = 3650
DAY_S = 86_400
MAX_ID_CHARS = 128

_COLUMNS = {
    BY_EXTERNAL_USERID: ("external_userid", "externaluserid", "客户id", "外部联系人id"),
    BY_PHONE: ("phone", "mobile", "手机号", "手机", "电话"),
    BY_UNIONID: ("unionid",),
    "tags": ("tags", "标签"),
    "expires_days": ("expires_days", "expires", "有效天数", "天数"),
}


class PretagError(UserError):
    """A pre-tag request that cannot be queued as asked."""


@dataclass(frozen=True)
class PretagRow:
    line: int
    kind: str
    key: str
    tag_ids: tuple[str, ...]
    expires_days: int


@dataclass(frozen=True)
class BadRow:
    line: int
    problem_zh: str
    problem_en: str

    def as_json(self) -> dict[str, object]:
        return {"line": self.line, "problem_zh": self.problem_zh, "problem_en": self.problem_en}


@dataclass(frozen=True)
class PretagFile:
    rows: tuple[PretagRow, ...]
    bad: tuple[BadRow, ...]


def identity(kind: str, value: str) -> str:
    """The key a pre-tag waits for; raises PretagError for a value that cannot be one."""
    text = value.strip()
    if kind == BY_PHONE:
        phone = normal_phone(text)
        if not phone:
            raise PretagError(f"「{echo(text)}」不是电话号码。", f"{echo(text)!r} is not a phone number.")
        return phone
    if not text or len(text) > MAX_ID_CHARS or any(c.isspace() for c in text):
        raise PretagError(f"「{echo(text)}」不是有效的 {kind}。", f"{echo(text)!r} is not a valid {kind}.")
    if text.lstrip("+").isdigit():          # WeCom's ids are never only digits
        raise PretagError(f"「{echo(text)}」是电话号码，不是 {kind}：请按手机号预打标签。",
                          f"{echo(text)!r} is a phone number, not an {kind}: pre-tag it by"
                          " phone.")
    return text


def check_days(days: int) -> int:
    if not 1 <= days <= MAX_EXPIRES_DAYS:
        raise PretagError(f"有效天数须在 1 到 {MAX_EXPIRES_DAYS} 之间（现在是 {days}）。",
                          f"The days to wait must be between 1 and {MAX_EXPIRES_DAYS}"
                          f" (got {days}).")
    return days


class PretagService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.tagging = TaggingService(ws)

    def tag_ids(self, names: Sequence[str]) -> tuple[str, ...]:
        cleaned = [n.strip() for n in names if n.strip()]
        if not cleaned:
            raise PretagError("请至少给出一个标签。", "Give at least one tag.")
        return tuple(dict.fromkeys(self.tagging.resolve_tag_names(cleaned)))

    def add(self, kind: str, value: str, tags: Sequence[str],
            expires_days: int = DEFAULT_EXPIRES_DAYS) -> int:
        row = PretagRow(0, kind, identity(kind, value), self.tag_ids(tags),
                        check_days(expires_days))
        return self.queue([row])[0]

    def queue(self, rows: Sequence[PretagRow]) -> list[int]:
        if self.ws.profile.is_team:
            answer = self._team("POST", {"add": [
                {"kind": r.kind, "key": r.key, "tag_ids": list(r.tag_ids),
                 "expires_days": r.expires_days} for r in rows]})
            return [int(i) for i in answer.get("added") or []]
        now = time.time()
        with self.ws.cache.write() as conn:
            return [arrivals.add(conn, source=PRETAG, kind=row.kind, key=row.key,
                                 tag_ids=row.tag_ids, created_at=now,
                                 created_by=self.ws.operator,
                                 expires_at=now + row.expires_days * DAY_S)
                    for row in rows]

    def read_file(self, path: Path, default_days: int = DEFAULT_EXPIRES_DAYS) -> PretagFile:
        rows: list[PretagRow] = []
        bad: list[BadRow] = []
        lines = _lines(path)
        header_line, header = next(lines, (0, []))
        found = _header(header)
        if "tags" not in found or not {BY_EXTERNAL_USERID, BY_PHONE, BY_UNIONID} & set(found):
            raise PretagError(
                "找不到表头：需要「标签」列，以及 external_userid、手机号 或 unionid 列。",
                "No header row found: the file needs a tags (标签) column and an"
                " external_userid, phone (手机号) or unionid column.")
        for line, cells in lines:
            if not any(c.strip() for c in cells):
                continue
            try:
                rows.append(self._row(line, _Cells(cells, found), default_days))
            except (PretagError, TaggingError) as exc:
                bad.append(BadRow(line, exc.message_zh, exc.message_en))
        if not header_line:
            raise PretagError("文件是空的。", "The file is empty.")
        return PretagFile(tuple(rows), tuple(bad))

    def _row(self, line: int, cell: _Cells, default_days: int) -> PretagRow:
        given = [(kind, cell(kind)) for kind in (BY_EXTERNAL_USERID, BY_PHONE, BY_UNIONID)
                 if cell(kind)]
        if len(given) != 1:
            raise PretagError("每行只填一个：external_userid、手机号 或 unionid。",
                              "Fill in exactly one of external_userid, phone and unionid.")
        kind, value = given[0]
        days_text = cell("expires_days")
        try:
            days = int(days_text) if days_text else default_days
        except ValueError:
            raise PretagError(f"有效天数「{echo(days_text)}」不是整数。",
                              f"The days {echo(days_text)!r} are not a whole number.") from None
        tags = cell("tags").replace("，", ",").replace("、", ",").split(",")
        return PretagRow(line, kind, identity(kind, value), self.tag_ids(tags), check_days(days))

    def cancel(self, arrival_id: int) -> ArrivalRecord:
        found = next((r for r in self.list() if r.id == arrival_id), None)
        if found is None or found.source != PRETAG:
            raise PretagError(f"没有编号为 {arrival_id} 的预打标签。",
                              f"No pre-tag with id {arrival_id}.")
        if found.status != arrivals.PENDING:
            raise PretagError(f"预打标签 {arrival_id} 已经是「{found.status}」，不能取消。",
                              f"Pre-tag {arrival_id} is already {found.status}; it cannot be"
                              " cancelled.")
        if self.ws.profile.is_team:
            self._team("POST", {"cancel": arrival_id})
            return found
        with self.ws.cache.write() as conn:
            arrivals.close(conn, [arrival_id], arrivals.CANCELLED, time.time())
        return found

    def list(self) -> list[ArrivalRecord]:
        """This desktop's pre-tags; in team mode the team's, from the team server (which
        applies them when the customer's add_external_contact callback arrives)."""
        if not self.ws.profile.is_team:
            return arrivals.records(self.ws.cache, source=PRETAG)
        listed = self._team("GET", None).get("pretags")
        return [ArrivalRecord(
            id=int(p["id"]), source=PRETAG, kind=str(p["kind"]), key=str(p["key"]),
            tag_ids=tuple(str(t) for t in p["tag_ids"]), config_id="",
            created_at=float(p["created_at"]), created_by=str(p["created_by"]),
            expires_at=float(p["expires_at"]), status=str(p["status"]),
            closed_at=None if p["closed_at"] is None else float(p["closed_at"]),
            batch_id=str(p["batch_id"])) for p in listed if isinstance(p, dict)
        ] if isinstance(listed, list) else []

    def _team(self, method: str, body: dict[str, object] | None) -> dict[str, Any]:
        return _exchange(method, self.ws.profile.team_url, "tagdesk/v1/pretags", body,
                         {"access_token": session_token(self.ws.profile)})


@dataclass(frozen=True)
class _Cells:
    """One row's cells, read by column name."""

    cells: list[str]
    columns: dict[str, int]

    def __call__(self, name: str) -> str:
        column = self.columns.get(name)
        return self.cells[column].strip() if column is not None and column < len(self.cells) else ""


def _header(cells: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for column, text in enumerate(cells):
        folded = text.strip().casefold().replace(" ", "")
        for name, aliases in _COLUMNS.items():
            if name not in found and any(alias in folded for alias in aliases):
                found[name] = column
                break
    return found


def _lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    if path.suffix.lower() in (".csv", ".txt"):
        yield from _csv_lines(path)
        return
    check_file_type(path)
    try:
        with XlsxBook(path, DEFAULT_LIMITS) as book:
            if not book.sheets:
                return
            for number, cells in book.rows(book.sheets[0][1]):
                width = max(cells, default=0)
                yield number, [cells[c].text if c in cells else "" for c in range(1, width + 1)]
    except XlsxError as exc:
        raise PretagError(f"无法打开「{echo(path.name)}」：{exc.message_zh}",
                          f"Cannot open {echo(path.name)}: {exc.message_en}") from None


def _csv_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        raw = path.read_bytes()
    except OSError:
        raise PretagError(f"找不到文件「{echo(str(path))}」。", f"File not found: {echo(str(path))}.") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise PretagError("文件不是 UTF-8 或 GBK 编码的文本。",
                          "The file is not UTF-8 or GBK text.")
    yield from enumerate(csv.reader(text.splitlines()), start=1)
