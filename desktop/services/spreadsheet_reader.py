"""Reading an import spreadsheet: what kind of file it really is, and its rows as text.

People send what they have: a CSV saved by another tool, an old .xls, an HTML table renamed to
.xls, a Word file renamed to .xlsx, a workbook protected with a password. openpyxl answers all of
those with a stack trace about zip files, so the file's first bytes are read first and each case
gets its own sentence that says what to do. Only then is the workbook read, streamed and under
limits (`xlsx_reader`: a zip bomb is refused with a sentence naming the limit).

A formula cell reads as the value Excel saved with it. A formula without a saved value (a
script's output never opened in Excel) is not read as empty, which in the owner column would
mean "every owner": the row carries it, and the import reports it as a row error naming the cell.

The columns are found by their header text, wherever they are and in whatever order, so a
TagDesk export (with its extra, informative columns) reads as well as the template.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.services.progress import CancelToken
from desktop.services.xlsx_reader import (
    Row,
    SheetLimits,
    XlsxBook,
    XlsxError,
    XlsxTooLarge,
    check_part_count,
    column_letters,
)

FIELD_EXTERNAL_USERID = "external_userid"
FIELD_OWNER = "owner_userid"
FIELD_ADD = "add_tags"
FIELD_REMOVE = "remove_tags"
FIELDS = (FIELD_EXTERNAL_USERID, FIELD_OWNER, FIELD_ADD, FIELD_REMOVE)
# where a suggestion sends for the template: the import window's button and the command
TEMPLATE_ZH = "导入模板（导入窗口里的「保存模板…」，或命令 tagdesk template）"
TEMPLATE_EN = ("the import template (Save the template… in the import window, or the command"
               " tagdesk template)")

HEADERS = {
    FIELD_EXTERNAL_USERID: "external_userid 客户ID",
    FIELD_OWNER: "owner_userid 跟进成员（可空）",
    FIELD_ADD: "add_tags 添加标签",
    FIELD_REMOVE: "remove_tags 移除标签",
}
"""Header texts TagDesk writes (template and export); any text holding an alias also works."""

_ALIASES = {
    FIELD_EXTERNAL_USERID: ("external_userid", "externaluserid", "客户id", "外部联系人id"),
    FIELD_OWNER: ("owner_userid", "owner", "userid", "跟进成员", "跟进人", "负责人", "成员"),
    FIELD_ADD: ("add_tags", "add", "tags to add", "添加标签", "要添加", "打标签"),
    FIELD_REMOVE: ("remove_tags", "remove", "tags to remove", "移除标签", "要移除", "删除标签"),
}
_HEADER_SEARCH_ROWS = 10
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_SNIFF_BYTES = 2048
DEFAULT_LIMITS = SheetLimits()


class SpreadsheetFileError(UserError):
    """The file as a whole cannot be read as an import sheet."""

    def __init__(self, code: str, problem_zh: str, problem_en: str, suggestion_zh: str,
                 suggestion_en: str) -> None:
        super().__init__(problem_zh, problem_en)
        self.code = code
        self.problem_zh = problem_zh
        self.problem_en = problem_en
        self.suggestion_zh = suggestion_zh
        self.suggestion_en = suggestion_en


@dataclass(frozen=True)
class UnsavedFormula:
    """An import cell holding a formula but no saved value: `cell` is "C7"."""

    field: str
    cell: str
    formula: str


@dataclass(frozen=True)
class SheetRow:
    """One non-empty data row: its number in the sheet, its four cells as text, and the cells
    among them that are formulas without a saved value (read as "")."""

    number: int
    external_userid: str
    owner: str
    add: str
    remove: str
    unsaved_formulas: tuple[UnsavedFormula, ...] = ()


@dataclass
class SheetTable:
    """The import columns of one sheet. `columns` maps a field to its column letter,
    `fields` to its column number."""

    sheet_name: str
    header_row: int
    columns: dict[str, str]
    headers: dict[str, str]
    rows: list[SheetRow] = field(default_factory=list)
    fields: dict[str, int] = field(default_factory=dict)

    def column_label(self, field_name: str) -> str:
        """"C 添加标签 add_tags": where the user finds the cell."""
        letter = self.columns.get(field_name, "")
        header = " ".join(self.headers.get(field_name, field_name).split())  # Alt+Enter breaks
        return f"{letter} {echo(header, 60)}".strip()


def read_import_sheet(path: Path, limits: SheetLimits = DEFAULT_LIMITS,
                      cancel: CancelToken | None = None) -> SheetTable:
    """The import rows of `path`; raises `SpreadsheetFileError` for a file it cannot use,
    including one that passes `limits` (see `xlsx_reader`), and `OperationCancelled` as soon
    as `cancel` is set, part-way through a large sheet too."""
    try:
        check_file_type(path)
        checkpoint = None if cancel is None else cancel.raise_if_cancelled
        with XlsxBook(path, limits, checkpoint) as book:
            blank = True
            without_tags: tuple[int, list[str]] | None = None
            for title, part in book.sheets:
                head = book.rows(part, last_row=_HEADER_SEARCH_ROWS)
                table = _header_table(title, head)
                if table is not None:
                    rows = book.rows(part, columns=set(table.fields.values()))
                    table.rows = list(_data_rows(rows, table.header_row, table.fields))
                    return table
                without_tags = without_tags or _header_without_tags(head)
                blank = blank and not any(cell.text.strip() or cell.formula
                                          for _, cells in head for cell in cells.values())
    except XlsxTooLarge as exc:
        raise _error("too_large", exc.message_zh, exc.message_en,
                     "请把它拆成几个较小的文件分别导入（命令行可用 --limits 调整上限）。",
                     "Split it into smaller files and import each (the command line can raise"
                     " the limits with --limits).") from None
    except XlsxError as exc:
        raise _error("corrupt",
                     f"无法打开「{echo(path.name, 80)}」：{exc.message_zh}",
                     f"Cannot open {echo(path.name, 80)}: {exc.message_en}",
                     "请在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入。",
                     "Open it in Excel or WPS, save it as .xlsx and import that file.") from None
    if blank:
        raise _error("empty_sheet", "工作簿里没有任何内容。", "The workbook is empty.",
                     f"请从{TEMPLATE_ZH}或一份客户导出开始，再填写要修改的标签。",
                     f"Start from {TEMPLATE_EN} or from an export of your customers, then"
                     " fill in the tags to change.")
    if without_tags is not None:
        number, texts = without_tags
        named = echo("、".join(texts), 120)
        raise _error("no_header",
                     f"第 {number} 行的表头（{named}）里没有添加标签或移除标签的列。",
                     f"The header in row {number} ({echo(', '.join(texts), 120)}) has no"
                     " column of tags to add or to remove.",
                     "请把要添加的标签那一列命名为 add_tags 或 添加标签，要移除的命名为 remove_tags 或"
                     f" 移除标签，或使用{TEMPLATE_ZH}。",
                     "Name the column of tags to add add_tags (添加标签) and the one to remove"
                     f" remove_tags (移除标签), or use {TEMPLATE_EN}.")
    raise _error("no_header", "找不到表头：需要 external_userid、添加标签 和/或 移除标签 列。",
                 "No header row found: the sheet needs external_userid and add_tags and/or"
                 " remove_tags columns.",
                 f"请在第一行写上表头，或直接使用{TEMPLATE_ZH}。",
                 f"Put the headers in the first row, or use {TEMPLATE_EN}.")


def check_file_type(path: Path) -> None:
    """Raise a `SpreadsheetFileError` saying what the file really is, unless it is an xlsx."""
    if not path.is_file():
        raise _error("missing", f"找不到文件「{path}」。", f"File not found: {path}.",
                     "请检查路径和文件名。", "Check the path and the file name.")
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if not head:
        raise _error("empty_file", f"「{path.name}」是空文件（0 字节）。",
                     f"{path.name} is an empty file (0 bytes).",
                     "请重新保存或重新下载这个表格。", "Save or download the spreadsheet again.")
    if head.startswith(_OLE_MAGIC):
        _explain_ole(path)
    if head.startswith(_ZIP_MAGIC):
        _check_zip(path)
        return
    suffix = path.suffix.lower()
    text = _as_text(head)
    if text is not None and text.lstrip().lower().startswith(("<html", "<!doctype", "<table")):
        raise _error("html", f"「{path.name}」其实是网页（HTML）表格，不是 Excel 文件。",
                     f"{path.name} is really an HTML page, not an Excel workbook.",
                     "请在 Excel 或 WPS 中打开它并另存为 .xlsx（Excel 工作簿）。",
                     "Open it in Excel or WPS and save it as .xlsx (Excel Workbook).")
    if text is not None and (suffix in (".csv", ".txt") or _looks_like_csv(text)):
        raise _error("csv", f"「{path.name}」是 CSV 文本文件，不是 xlsx 工作簿。",
                     f"{path.name} is a CSV text file, not an xlsx workbook.",
                     "CSV 会丢掉长数字的精度并弄乱中文编码；请在 Excel 或 WPS 中打开并另存为 .xlsx。",
                     "CSV loses long numbers and garbles Chinese encodings; open it in Excel or"
                     " WPS and save it as .xlsx.")
    raise _error("not_xlsx", f"「{path.name}」的内容不是 xlsx 工作簿（可能只是改了扩展名）。",
                 f"{path.name} does not contain an xlsx workbook (perhaps only its extension was"
                 " changed).",
                 "请在原来的程序里把它导出或另存为 .xlsx，而不是直接改扩展名。",
                 "Export or save it as .xlsx from the program that made it; renaming the file"
                 " does not convert it.")


# -- sheets and cells -----------------------------------------------------------------------


def _header_table(title: str, head: list[Row]) -> SheetTable | None:
    """The table whose header is among the first rows, or None."""
    for number, cells in head:
        found = _header_fields({column: _text(cell.text) for column, cell in cells.items()})
        if FIELD_EXTERNAL_USERID in found and (FIELD_ADD in found or FIELD_REMOVE in found):
            return SheetTable(
                sheet_name=title, header_row=number,
                columns={f: column_letters(column) for f, column in found.items()},
                headers={f: _text(cells[column].text) for f, column in found.items()},
                fields=found,
            )
    return None


def _header_without_tags(head: list[Row]) -> tuple[int, list[str]] | None:
    """The first row that names the customer column but no column of tags, with its texts:
    a header whose tag column has another name (标签, 新标签)."""
    for number, cells in head:
        texts = {column: _text(cell.text) for column, cell in sorted(cells.items())}
        if FIELD_EXTERNAL_USERID in _header_fields(texts):
            return number, [" ".join(t.split()) for t in texts.values() if t.strip()]
    return None


def _header_fields(texts: dict[int, str]) -> dict[str, int]:
    """field -> column number for the header cells that name an import field."""
    keys = {column: " ".join(text.casefold().split()) for column, text in sorted(texts.items())}
    found: dict[str, int] = {}
    for name in FIELDS:  # the field's own name first, so "跟进成员 owner" never hides owner_userid
        for aliases in ((name,), _ALIASES[name]):
            column = next((c for c, key in keys.items() if key and c not in found.values()
                           and any(_names(key, alias) for alias in aliases)), None)
            if column is not None:
                found[name] = column
                break
    return found


def _names(header: str, alias: str) -> bool:
    """The header is the alias or starts with it as a word ("add_tags 添加标签")."""
    return header == alias or header.startswith(alias + " ") or (
        not alias.isascii() and alias in header)


def _data_rows(rows: list[Row], header_row: int, found: dict[str, int]) -> Iterator[SheetRow]:
    for number, cells in rows:
        if number <= header_row:
            continue
        texts = {name: _text(cells[c].text) if c in cells else "" for name, c in found.items()}
        formulas = tuple(
            UnsavedFormula(name, f"{column_letters(c)}{number}", cells[c].formula or "=")
            for name, c in found.items() if c in cells and cells[c].formula is not None)
        row = SheetRow(number, texts.get(FIELD_EXTERNAL_USERID, ""), texts.get(FIELD_OWNER, ""),
                       texts.get(FIELD_ADD, ""), texts.get(FIELD_REMOVE, ""), formulas)
        if row.external_userid or row.owner or row.add or row.remove or formulas:
            yield row


def _text(value: str) -> str:
    return value.strip()


# -- file types -----------------------------------------------------------------------------


def _explain_ole(path: Path) -> None:
    """An OLE compound file: an encrypted xlsx, an old .xls, or a Word document."""
    data = path.read_bytes()
    if _ENCRYPTED_STREAM in data:
        raise _error("encrypted", f"「{path.name}」设置了打开密码，TagDesk 无法读取加密的工作簿。",
                     f"{path.name} is protected with a password; TagDesk cannot read encrypted"
                     " workbooks.",
                     "请在 Excel 或 WPS 中用密码打开，在「文件 → 信息 → 保护工作簿」里清除密码，"
                     "另存为 .xlsx 后再导入。",
                     "Open it with its password in Excel or WPS, remove the password (File → Info"
                     " → Protect Workbook), save it as .xlsx and import that copy.")
    if _WORD_STREAM in data:
        raise _error("not_xlsx", f"「{path.name}」是 Word 文档，不是 Excel 工作簿。",
                     f"{path.name} is a Word document, not an Excel workbook.",
                     f"请把客户和标签放进 Excel 表格，如{TEMPLATE_ZH}。",
                     f"Put the customers and tags in an Excel sheet, such as {TEMPLATE_EN}.")
    raise _error("xls", f"「{path.name}」是旧版 Excel 97-2003（.xls）格式。",
                 f"{path.name} is in the old Excel 97-2003 (.xls) format.",
                 "请在 Excel 或 WPS 中打开，选择「另存为 → Excel 工作簿 (.xlsx)」后再导入。",
                 "Open it in Excel or WPS, choose Save As → Excel Workbook (.xlsx) and import"
                 " that file.")


def _check_zip(path: Path) -> None:
    check_part_count(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise _error("corrupt", f"「{path.name}」已损坏，无法解压。",
                     f"{path.name} is damaged and cannot be unpacked.",
                     "请重新保存或重新下载这个表格。",
                     "Save or download the spreadsheet again.") from None
    if "xl/workbook.xml" in names:
        return
    if "word/document.xml" in names or "ppt/presentation.xml" in names:
        kind_zh, kind_en = ("Word 文档", "a Word document") if "word/document.xml" in names \
            else ("PowerPoint 演示文稿", "a PowerPoint presentation")
        raise _error("not_xlsx", f"「{path.name}」是{kind_zh}，只是扩展名被改成了表格。",
                     f"{path.name} is {kind_en} with a spreadsheet's extension.",
                     f"请把客户和标签放进 Excel 表格，如{TEMPLATE_ZH}。",
                     f"Put the customers and tags in an Excel sheet, such as {TEMPLATE_EN}.")
    if "content.xml" in names:
        raise _error("not_xlsx", f"「{path.name}」是 OpenDocument（.ods）表格。",
                     f"{path.name} is an OpenDocument (.ods) spreadsheet.",
                     "请在 WPS 或 LibreOffice 中另存为 Excel 工作簿 (.xlsx)。",
                     "Save it as Excel Workbook (.xlsx) in WPS or LibreOffice.")
    raise _error("not_xlsx", f"「{path.name}」是压缩包，不是 xlsx 工作簿。",
                 f"{path.name} is a zip archive, not an xlsx workbook.",
                 "请解压后导入其中的 .xlsx 文件。", "Unpack it and import the .xlsx inside.")


def _as_text(head: bytes) -> str | None:
    """The start of a text file, or None when the bytes are binary."""
    if b"\x00" in head:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _looks_like_csv(text: str) -> bool:
    lines = [line for line in text.splitlines()[:5] if line.strip()]
    return bool(lines) and all(("," in line or "\t" in line or ";" in line) for line in lines)


def _error(code: str, problem_zh: str, problem_en: str, suggestion_zh: str,
           suggestion_en: str) -> SpreadsheetFileError:
    return SpreadsheetFileError(code, problem_zh, problem_en, suggestion_zh, suggestion_en)
