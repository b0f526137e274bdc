"""Spreadsheet cells that stay text: no formula injection in what TagDesk exports.

Customer names, remarks and tag names come from outside (customers name themselves
on WeChat). A value such as `=HYPERLINK("http://evil", "点我")` written as-is
becomes a live formula when a supervisor opens the file. Every text value that
starts like a formula (= + - @, or a tab / carriage return that hides one) is
therefore written as a text cell with Excel's quote prefix in xlsx, and behind
a leading apostrophe in CSV (the OWASP advice). `csv_value` undoes that, so an
exported CSV reads back to the same strings.

Write with `write_table` (xlsx or CSV by the file's suffix; streamed, then moved
into place so a scheduled export never leaves half a file), or with
`safe_cell` / `set_safe` when building a workbook by hand.
"""

from __future__ import annotations

import csv
import errno
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

# openpyxl loads when a sheet is written, not with the column definitions of every report.
if TYPE_CHECKING:
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from desktop.domain.errors import UserError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_576
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"

Value = str | int | float | bool | datetime | date | None


class ExportError(UserError):
    """An export that cannot be written as asked; `str()` is "中文 / English"."""


@dataclass(frozen=True)
class Column:
    """One exported column: its header and what it means, in Chinese and English."""

    key: str
    zh: str
    en: str
    width: int = 14


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def clean_text(text: str) -> str:
    """Drop the control characters xlsx cannot hold (they are invisible anyway)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text)


def safe_cell(sheet: WriteOnlyWorksheet, value: Value) -> WriteOnlyCell:
    """A write-only cell holding `value`; formula-like text stays text."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet)
    set_safe(cell, value)
    return cell


def set_safe(cell: Cell | WriteOnlyCell, value: Value) -> None:
    """Put `value` in an existing cell; formula-like text stays text."""
    if isinstance(value, str):
        text = clean_text(value)
        cell.value = text
        if is_formula_like(text):
            cell.data_type = "s"
            cell.quotePrefix = True
        return
    cell.value = value
    if isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT


def csv_field(value: Value) -> str:
    """The CSV text of a value: formula-like text (and text that starts with the apostrophe
    itself, so the escape can be undone) gets a leading apostrophe."""
    if value is None:
        return ""
    if not isinstance(value, str):  # numbers and dates cannot carry a formula
        return value.isoformat(sep=" ") if isinstance(value, datetime) else str(value)
    return "'" + value if is_formula_like(value) or value.startswith("'") else value


def csv_value(field: str) -> str:
    """The original text of a field written by `csv_field`."""
    return field[1:] if field.startswith("'") else field


def write_table(
    path: Path,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Value]],
    *,
    sheet_title: str = "data",
    notes_title: str = "说明 Columns",
    max_rows: int = XLSX_MAX_ROWS - 1,
) -> int:
    """Write a header row and `rows` to `path` (.xlsx or .csv); returns the rows written.

    An xlsx file gets a second sheet describing every column in Chinese and English.
    The file appears only when complete (written beside it, then renamed).
    """
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ExportError(f"只能导出 .xlsx 或 .csv 文件：{path.name}"
                          f" / Can only export .xlsx or .csv files: {path.name}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=suffix,
                                            dir=path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        if suffix == ".csv":
            written = _write_csv(tmp, columns, rows)
        else:
            written = _write_xlsx(tmp, columns, rows, sheet_title, notes_title, max_rows)
        tmp.replace(path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _cannot_write(path, exc) from exc
        raise
    return written


_WRITE_FAILURES: dict[int, tuple[str, str]] = {
    errno.ENOENT: ("这个文件夹不存在，也无法创建", "the folder does not exist and cannot be created"),
    errno.ENOTDIR: ("路径中有一段是文件而不是文件夹", "part of the path is a file, not a folder"),
    errno.EEXIST: ("路径中有一段是文件而不是文件夹", "part of the path is a file, not a folder"),
    errno.EISDIR: ("这是一个文件夹", "it is a folder"),
    errno.EACCES: ("没有写入这里的权限", "there is no permission to write there"),
    errno.EPERM: ("没有写入这里的权限", "there is no permission to write there"),
    errno.EROFS: ("磁盘是只读的", "the disk is read-only"),
    errno.ENOSPC: ("磁盘已满", "the disk is full"),
}


def _cannot_write(path: Path, exc: OSError) -> ExportError:
    """The sentence for a file that cannot be written where the user asked."""
    zh, en = _WRITE_FAILURES.get(exc.errno or 0, (
        f"系统拒绝写入（错误码 {exc.errno}）", f"the system refused the write (error {exc.errno})"))
    return ExportError(f"无法写入 {path}：{zh}。请换一个文件夹或文件名。",
                       f"Cannot write {path}: {en}. Choose another folder or file name.")


def _write_csv(path: Path, columns: Sequence[Column], rows: Iterable[Sequence[Value]]) -> int:
    written = 0
    # utf-8-sig: Excel opens Chinese text correctly only with the byte-order mark.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.key for c in columns])
        for row in rows:
            writer.writerow([csv_field(v) for v in row])
            written += 1
    return written


def _write_xlsx(
    path: Path, columns: Sequence[Column], rows: Iterable[Sequence[Value]],
    sheet_title: str, notes_title: str, max_rows: int,
) -> int:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append([safe_cell(sheet, c.key) for c in columns])
    written = 0
    try:
        for row in rows:
            if written >= max_rows:
                raise ExportError(
                    f"超过 xlsx 的行数上限 {max_rows}，请缩小范围或导出为 .csv。"
                    f" / More than the {max_rows} rows an xlsx sheet holds; narrow the range"
                    " or export to .csv."
                )
            sheet.append([safe_cell(sheet, v) for v in row])
            written += 1
    except BaseException:
        sheet.close()    # ends the sheet's writer and its temporary file; nothing is saved
        raise
    notes = book.create_sheet(notes_title)
    for letter, width in zip("ABC", (18, 24, 60), strict=True):
        notes.column_dimensions[letter].width = width
    notes.append([safe_cell(notes, v) for v in ("列 column", "中文说明", "Description")])
    for column in columns:
        notes.append([safe_cell(notes, v) for v in (column.key, column.zh, column.en)])
    book.save(path)
    return written
