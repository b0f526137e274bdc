"""Reading the cells of an xlsx under limits: the workbook is a zip of XML its sender wrote.

openpyxl believes the archive. A 3 MB file whose sheet unpacks to 1.1 GB kept it busy for
minutes and gigabytes; a 1 MB file holding one 1.1 GB cell ran it out of memory. So imports
read the few parts they need here (the workbook, its relationships, a sheet, the shared
strings), through expat in 64 KB pieces, and stop at the first limit passed:

- the unpacked size of each part and of the whole file: checked in the zip directory before
  anything is unpacked, and counted again while unpacking, because the directory is written
  by the sender too;
- the rows and the columns of a sheet and the characters of one cell (Excel's own maximum is
  32,767, so a longer cell never came from Excel);
- one XML tag longer than 1 MB, and any DOCTYPE (a workbook never has one; entity tricks do).

A sheet's `<dimension>` is never trusted: rows are read as they come. Shared strings are kept
only for the cells asked for, so a table of millions of strings costs nothing when the sheet
uses three of them. A formula cell reads as its saved value; a formula without one (written by
a script and never opened in Excel) keeps its formula instead of reading as empty.
"""

from __future__ import annotations

import os
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from types import TracebackType
from typing import Any, cast
from xml.parsers import expat

from desktop.domain.echo import echo
from desktop.domain.errors import UserError

_MB = 1024 * 1024
_CHUNK = 64 * 1024
_MAX_TAG_BYTES = _MB
_MAX_PARTS = 10_000
_END_RECORD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END_RECORD = b"PK\x06\x06"
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_WORKSHEET_TYPE = "/worksheet"
_STRINGS_TYPE = "/sharedStrings"


@dataclass(frozen=True)
class SheetLimits:
    """How much of a workbook TagDesk reads before refusing it. The defaults take a 200,000-row
    import (or export) with room to spare."""

    rows: int = 300_000
    columns: int = 1_000
    cell_chars: int = 32_767
    part_mb: int = 500
    total_mb: int = 1000

    @classmethod
    def parse(cls, text: str) -> SheetLimits:
        """`rows=500000,total_mb=800`: the named limits changed, the others at their default.
        Raises `ValueError` with a "中文 / English" sentence."""
        names = [f.name for f in fields(cls)]
        values: dict[str, int] = {}
        for item in text.replace("，", ",").split(","):
            if not item.strip():
                continue
            name, _, number = item.partition("=")
            name = name.strip()
            if name not in names or not number.strip().isdigit() or int(number) < 1:
                raise ValueError(
                    f"无法识别的上限「{echo(item.strip(), 40)}」：请写成 名称=正整数，名称为"
                    f" {'、'.join(names)}。 / Cannot read the limit {echo(item.strip(), 40)!r}:"
                    f" write name=positive number, with name one of {', '.join(names)}.")
            values[name] = int(number)
        return cls(**values)


class XlsxError(UserError):
    """The workbook cannot be read (safely); `code` is "too_large" or "corrupt"."""

    code = "corrupt"


class XlsxTooLarge(XlsxError):
    """A limit of `SheetLimits` was passed; the sentence names it."""

    code = "too_large"


class XlsxDamaged(XlsxError):
    """The archive or its XML is broken (or built to attack the reader)."""


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell as its saved value, as text. `formula` is set only for a formula cell that has
    no saved value (its text is then "")."""

    text: str
    formula: str | None = None


Row = tuple[int, dict[int, Cell]]
"""A sheet row: its number and its non-empty cells by column number (A = 1)."""


class XlsxBook:
    """An open workbook whose sheets are read under `limits`. Use as a context manager."""

    def __init__(self, path: Path, limits: SheetLimits,
                 checkpoint: Callable[[], None] | None = None) -> None:
        """`checkpoint` is called between the pieces each part is read in: a reader that
        should stop (the user cancelled, TagDesk closes) raises there."""
        self.limits = limits
        self._checkpoint = checkpoint
        self._part_bytes = limits.part_mb * _MB
        self._total_bytes = limits.total_mb * _MB
        self._unpacked: dict[str, int] = {}
        check_part_count(path)
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError,
                EOFError) as exc:
            raise _damaged(f"无法解压（{type(exc).__name__}）",
                           f"it cannot be unpacked ({type(exc).__name__})") from None
        try:
            self._check_directory()
            self._names = {name.casefold(): name for name in self._zip.namelist()}
            self.sheets, self._strings = self._read_workbook()
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def rows(self, part: str, *, columns: Collection[int] | None = None,
             last_row: int | None = None) -> list[Row]:
        """The non-empty rows of the sheet stored in `part` (see `sheets`), up to `last_row`,
        with only the cells of `columns` (all when None)."""
        sheet = _SheetParser(self.limits, part, columns, last_row)
        self._parse(part, sheet.handlers())
        texts = self._shared_strings(sheet.wanted) if sheet.wanted else {}
        rows: list[Row] = []
        for number, cells in sheet.rows:  # in place: a 200,000-row sheet is held only once
            for column, raw in cells.items():
                if isinstance(raw, int):
                    cells[column] = Cell(texts[raw])
            rows.append((number, cast(dict[int, Cell], cells)))
        sheet.rows = []
        return rows

    # -- parts ----------------------------------------------------------------------------

    def _check_directory(self) -> None:
        """Refuse by the sizes the zip directory declares, before unpacking anything."""
        total = 0
        for info in self._zip.infolist():
            if info.file_size > self._part_bytes:
                raise self._too_large(info.filename, self.limits.part_mb, whole=False)
            total += info.file_size
            if total > self._total_bytes:
                raise self._too_large("", self.limits.total_mb, whole=True)

    def _read_workbook(self) -> tuple[list[tuple[str, str]], str | None]:
        """(sheet title, part) in the workbook's order, and the shared-strings part."""
        relations: dict[str, tuple[str, str]] = {}
        sheets: list[tuple[str, str]] = []

        def relation(name: str, attrs: dict[str, str]) -> None:
            if name == "Relationship":
                relations[attrs.get("Id", "")] = (attrs.get("Type", ""),
                                                  attrs.get("Target", ""))

        def sheet(name: str, attrs: dict[str, str]) -> None:
            if name == "sheet":
                rid = next((v for k, v in attrs.items() if k == "id" or k.endswith(":id")), "")
                sheets.append((attrs.get("name", ""), rid))

        self._parse(_WORKBOOK_RELS, _Handlers(start=relation))
        self._parse(_WORKBOOK, _Handlers(start=sheet))
        parts: list[tuple[str, str]] = []
        for title, rid in sheets:
            kind, target = relations.get(rid, ("", ""))
            if kind.endswith(_WORKSHEET_TYPE):
                parts.append((title, self._part_name(target)))
        strings = next((self._part_name(target) for kind, target in relations.values()
                        if kind.endswith(_STRINGS_TYPE)), None)
        return parts, strings

    def _part_name(self, target: str) -> str:
        path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
        name = self._names.get(posixpath.normpath(path).casefold())
        if name is None:
            raise _damaged(f"缺少部件「{echo(target, 80)}」", f"the part {echo(target, 80)!r} is"
                           " missing")
        return name

    def _shared_strings(self, wanted: set[int]) -> dict[int, str]:
        if self._strings is None:
            raise _damaged("引用了不存在的共享字符串表", "it refers to a shared-string table it"
                           " does not have")
        parser = _StringsParser(self.limits, wanted)
        self._parse(self._strings, parser.handlers())
        missing = wanted.difference(parser.found)
        if missing:
            raise _damaged(f"共享字符串表里没有第 {min(missing)} 项",
                           f"its shared-string table has no entry {min(missing)}")
        return parser.found

    # -- streaming ------------------------------------------------------------------------

    def _parse(self, part: str, handlers: _Handlers) -> None:
        """Feed `part` to expat in pieces; a handler raising `_Stop` ends the read early."""
        if part.casefold() not in self._names:
            raise _damaged(f"缺少部件「{echo(part, 80)}」", f"the part {echo(part, 80)!r} is missing")
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.buffer_size = _CHUNK
        parser.StartDoctypeDeclHandler = _refuse_doctype
        parser.StartElementHandler = handlers.on_start
        parser.EndElementHandler = handlers.on_end
        parser.CharacterDataHandler = handlers.on_text
        fed = 0
        try:
            for chunk in self.unpacked(self._names[part.casefold()]):
                if self._checkpoint is not None:
                    self._checkpoint()
                parser.Parse(chunk, False)
                fed += len(chunk)
                if fed - parser.CurrentByteIndex > _MAX_TAG_BYTES:
                    raise _damaged(f"{echo(part, 80)} 中有一个超过 1 MB 的 XML 标记",
                                   f"{echo(part, 80)} holds an XML tag longer than 1 MB")
            parser.Parse(b"", True)
        except _Stop:
            return
        except expat.ExpatError as exc:
            raise _damaged(f"{echo(part, 80)} 不是完整的 XML（{exc}）",
                           f"{echo(part, 80)} is not well-formed XML ({exc})") from None

    def unpacked(self, part: str) -> Iterator[bytes]:
        """The bytes of `part` in pieces, counted against the part and whole-file limits as
        they are unpacked (whatever the directory declared)."""
        seen = 0
        try:
            with self._zip.open(part) as stream:
                while chunk := stream.read(_CHUNK):
                    seen += len(chunk)
                    self._count(part, seen)
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError,
                NotImplementedError, OSError) as exc:
            raise _damaged(f"{echo(part, 80)} 无法解压（{type(exc).__name__}）",
                           f"{echo(part, 80)} cannot be unpacked ({type(exc).__name__})"
                           ) from None

    def _count(self, part: str, seen: int) -> None:
        if seen > self._part_bytes:
            raise self._too_large(part, self.limits.part_mb, whole=False)
        grown = seen - self._unpacked.get(part, 0)
        if grown > 0:  # a part read twice counts once
            self._unpacked[part] = seen
            if sum(self._unpacked.values()) > self._total_bytes:
                raise self._too_large("", self.limits.total_mb, whole=True)

    def _too_large(self, part: str, mb: int, *, whole: bool) -> XlsxTooLarge:
        if whole:
            return XlsxTooLarge(f"这个文件解压后超过 {mb:,} MB 上限。",
                                f"The file expands past the {mb:,} MB limit.")
        name = echo(part, 80)
        return XlsxTooLarge(f"文件中的「{name}」解压后超过 {mb:,} MB 上限。",
                            f"{name} in the file expands past the {mb:,} MB limit.")


# -- XML handlers ---------------------------------------------------------------------------


class _Stop(Exception):
    """Everything wanted has been read."""


@dataclass
class _Handlers:
    """expat callbacks with element names stripped of any namespace prefix."""

    start: Callable[[str, dict[str, str]], None] | None = None
    end: Callable[[str], None] | None = None
    text: Callable[[str], None] | None = None

    def on_start(self, name: str, attrs: dict[str, str]) -> None:
        if self.start is not None:
            self.start(name.rpartition(":")[2], attrs)

    def on_end(self, name: str) -> None:
        if self.end is not None:
            self.end(name.rpartition(":")[2])

    def on_text(self, data: str) -> None:
        if self.text is not None:
            self.text(data)


def _refuse_doctype(*_: Any) -> None:
    raise _damaged("含有 DOCTYPE 声明（工作簿不会有）", "it holds a DOCTYPE declaration (workbooks"
                   " never do)")


class _SheetParser:
    """One pass over a worksheet: rows, cells and their raw values (shared strings by index)."""

    def __init__(self, limits: SheetLimits, part: str, columns: Collection[int] | None,
                 last_row: int | None) -> None:
        self.limits = limits
        self.part = part
        self.columns = None if columns is None else frozenset(columns)
        self.last_row = last_row
        self.rows: list[tuple[int, dict[int, Cell | int]]] = []
        self.wanted: set[int] = set()
        self._row = 0
        self._cells: dict[int, Cell | int] = {}
        self._column = 0
        self._ref = ""
        self._type = ""
        self._keep = False
        self._chars = 0
        self._target: list[str] | None = None
        self._value: list[str] = []
        self._formula: list[str] = []
        self._inline: list[str] = []
        self._has_value = self._has_formula = False
        self._phonetic = 0

    def handlers(self) -> _Handlers:
        return _Handlers(self.start, self.end, self.text)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "row":
            self._start_row(attrs.get("r"))
        elif name == "c":
            self._start_cell(attrs.get("r"), attrs.get("t", "n"))
        elif name == "v":
            self._has_value = True
            self._target = self._value
        elif name == "f":
            self._has_formula = True
            self._target = self._formula
        elif name == "t" and self._type == "inlineStr" and not self._phonetic:
            self._target = self._inline
        elif name == "rPh":
            self._phonetic += 1

    def end(self, name: str) -> None:
        if name in ("v", "f", "t"):
            self._target = None
        elif name == "rPh":
            self._phonetic -= 1
        elif name == "c":
            self._end_cell()
        elif name == "row" and self._cells:
            self.rows.append((self._row, self._cells))
            self._cells = {}

    def text(self, data: str) -> None:
        if self._target is None:
            return
        self._chars += len(data)
        if self._chars > self.limits.cell_chars:
            raise XlsxTooLarge(
                f"单元格 {self._ref} 超过 {self.limits.cell_chars:,} 个字符的上限。",
                f"Cell {self._ref} is longer than the {self.limits.cell_chars:,}-character"
                " limit.")
        if self._keep:
            self._target.append(data)

    def _start_row(self, number: str | None) -> None:
        if self._cells:  # a row left open by a broken file still counts
            self.rows.append((self._row, self._cells))
            self._cells = {}
        self._row = int(number) if number is not None and number.isdigit() else self._row + 1
        self._column = 0
        if self.last_row is not None and self._row > self.last_row:
            raise _Stop
        if self._row > self.limits.rows:
            raise XlsxTooLarge(f"工作表超过 {self.limits.rows:,} 行上限（第 {self._row:,} 行）。",
                               f"The sheet has more than the {self.limits.rows:,}-row limit"
                               f" (row {self._row:,}).")

    def _start_cell(self, ref: str | None, kind: str) -> None:
        self._column = _column_number(ref) if ref else self._column + 1
        self._ref = echo(ref, 20) if ref else f"{column_letters(self._column)}{self._row}"
        if self._column > self.limits.columns:
            raise XlsxTooLarge(
                f"单元格 {self._ref} 超出 {self.limits.columns:,} 列上限。",
                f"Cell {self._ref} is beyond the {self.limits.columns:,}-column limit.")
        self._type = kind
        self._keep = self.columns is None or self._column in self.columns
        self._chars = 0
        self._value, self._formula, self._inline = [], [], []
        self._has_value = self._has_formula = False

    def _end_cell(self) -> None:
        self._target = None
        if not self._keep:
            return
        value = "".join(self._value)
        if self._has_formula and not (value or (self._type == "str" and self._has_value)):
            self._cells[self._column] = Cell("", "=" + "".join(self._formula))
        elif self._type == "s":
            index = value.strip()
            if not index.isdigit():
                raise _damaged(f"单元格 {self._ref} 的共享字符串编号无效",
                               f"cell {self._ref} has an invalid shared-string index")
            self._cells[self._column] = int(index)
            self.wanted.add(int(index))
        elif self._type == "inlineStr":
            self._cells[self._column] = Cell("".join(self._inline))
        elif self._type == "b":
            self._cells[self._column] = Cell({"1": "True", "0": "False"}.get(value, value))
        elif self._type in ("str", "e", "d"):
            self._cells[self._column] = Cell(value)
        elif value:
            self._cells[self._column] = Cell(_number_text(value))


class _StringsParser:
    """The shared-string table, keeping only the entries asked for and stopping after the
    last of them."""

    def __init__(self, limits: SheetLimits, wanted: set[int]) -> None:
        self.limits = limits
        self.wanted = wanted
        self.last = max(wanted)
        self.found: dict[int, str] = {}
        self._index = -1
        self._parts: list[str] = []
        self._chars = 0
        self._keep = False
        self._in_text = False
        self._phonetic = 0

    def handlers(self) -> _Handlers:
        return _Handlers(self.start, self.end, self.text)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "si":
            self._index += 1
            if self._index > self.last:
                raise _Stop
            self._keep = self._index in self.wanted
            self._parts, self._chars = [], 0
        elif name == "t" and not self._phonetic:
            self._in_text = True
        elif name == "rPh":
            self._phonetic += 1

    def end(self, name: str) -> None:
        if name == "t":
            self._in_text = False
        elif name == "rPh":
            self._phonetic -= 1
        elif name == "si" and self._keep:
            self.found[self._index] = "".join(self._parts)

    def text(self, data: str) -> None:
        if not self._in_text:
            return
        self._chars += len(data)
        if self._chars > self.limits.cell_chars:
            raise XlsxTooLarge(
                f"共享字符串第 {self._index} 项超过 {self.limits.cell_chars:,} 个字符的上限。",
                f"Shared string {self._index} is longer than the"
                f" {self.limits.cell_chars:,}-character limit.")
        if self._keep:
            self._parts.append(data)


# -- cell values ----------------------------------------------------------------------------


def _column_number(ref: str) -> int:
    """"C7" → 3. Letters past the fourth already exceed any column limit."""
    number = 0
    for char in ref[:5]:
        if not "A" <= char.upper() <= "Z":
            break
        number = number * 26 + ord(char.upper()) - 64
    return number


def column_letters(number: int) -> str:
    """3 → "C", 28 → "AB" (the letters a spreadsheet shows above column `number`)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _number_text(raw: str) -> str:
    """A number cell as the user sees it: 13800138000 (or 1.38E+10) reads as 13800138000."""
    raw = raw.strip()
    try:
        return str(int(raw))
    except ValueError:
        pass
    try:
        number = float(raw)
    except ValueError:
        return raw
    return str(int(number)) if number.is_integer() else str(number)


def check_part_count(path: Path) -> None:
    """Raise `XlsxTooLarge` when the zip declares more members than a workbook needs: call
    before `zipfile.ZipFile`, which builds an object for each entry of its directory."""
    try:
        parts = _declared_parts(path)
    except OSError as exc:
        raise _damaged(f"无法读取（{type(exc).__name__}）",
                       f"it cannot be read ({type(exc).__name__})") from None
    if parts > _MAX_PARTS:
        raise XlsxTooLarge(f"这个文件由 {parts:,} 个部件组成，超过 {_MAX_PARTS:,} 个的上限。",
                           f"The file is made of {parts:,} parts, past the limit of"
                           f" {_MAX_PARTS:,}.")


def _declared_parts(path: Path) -> int:
    """How many members the zip's end record declares (0 when there is none), read before
    zipfile builds an object for each entry of a directory that may list millions."""
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        start = max(0, size - 22 - 0xFFFF)  # the end record, after a comment of up to 64 KB
        handle.seek(start)
        tail = handle.read()
        at = tail.rfind(_END_RECORD)
        if at < 0 or at + 22 > len(tail):
            return 0
        parts = int(struct.unpack_from("<H", tail, at + 10)[0])
        locator = at - 20
        if parts == 0xFFFF and locator >= 0 and tail[locator:locator + 4] == _ZIP64_LOCATOR:
            handle.seek(int(struct.unpack_from("<Q", tail, locator + 8)[0]))
            record = handle.read(56)
            if len(record) == 56 and record.startswith(_ZIP64_END_RECORD):
                parts = int(struct.unpack_from("<Q", record, 32)[0])
        return parts


def _damaged(zh: str, en: str) -> XlsxDamaged:
    return XlsxDamaged(f"文件已损坏：{zh}。", f"The file is damaged: {en}.")
