"""Reading import files: each wrong file type gets its own sentence; headers are found by name."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from desktop.services.import_template import (
    EXAMPLE_EXTERNAL_USERID,
    IMPORT_SHEET,
    INSTRUCTIONS_SHEET,
    write_template,
)
from desktop.services.progress import CancelToken, OperationCancelled
from desktop.services.spreadsheet_reader import (
    FIELD_ADD,
    FIELD_EXTERNAL_USERID,
    FIELD_OWNER,
    FIELD_REMOVE,
    SheetRow,
    SpreadsheetFileError,
    check_file_type,
    read_import_sheet,
)

ID = "wmAJ2GCAAAd1NPGHKSD4wKmE8Aabj9AAA"

SECTOR = 512
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(path: Path, streams: dict[str, bytes]) -> Path:
    """A minimal, valid OLE compound file (CFB v3) holding these streams, each padded to
    4096 bytes so that no mini stream is needed: what Office writes around an encrypted
    workbook (EncryptionInfo, EncryptedPackage) or an old .xls (Workbook)."""
    names = list(streams)
    datas = [data.ljust(4096, b"\0") for data in streams.values()]
    fat = [FAT_SECTOR, END]
    starts = []
    for data in datas:
        count = len(data) // SECTOR
        first = len(fat)
        starts.append(first)
        fat.extend([*range(first + 1, first + count), END])
    header = bytearray(SECTOR)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, END, 0, END, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([FREE] * 108))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[0 : len(encoded)] = encoded
        struct.pack_into("<HBBIII", raw, 0x40, len(encoded), kind, 1, NO_STREAM, right, child)
        struct.pack_into("<II", raw, 0x74, start, size)
        return bytes(raw)

    directory = entry("Root Entry", 5, 1, NO_STREAM, END, 0)
    for index, (name, start, data) in enumerate(zip(names, starts, datas, strict=True), 1):
        right = index + 1 if index < len(names) else NO_STREAM
        directory += entry(name, 2, NO_STREAM, right, start, len(data))
    directory = directory.ljust(SECTOR, b"\0")
    fat_sector = struct.pack(f"<{len(fat)}I", *fat).ljust(SECTOR, b"\xff")
    path.write_bytes(bytes(header) + fat_sector + directory + b"".join(datas))
    return path


def _code(path: Path) -> SpreadsheetFileError:
    with pytest.raises(SpreadsheetFileError) as caught:
        read_import_sheet(path)
    return caught.value


def _sheet(path: Path, *rows: list[object], title: str = "Sheet") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_the_template_reads_back_with_its_example_row(tmp_path: Path) -> None:
    path = write_template(tmp_path / "template.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == [IMPORT_SHEET, INSTRUCTIONS_SHEET]
    notes = "\n".join(str(c.value) for row in book[INSTRUCTIONS_SHEET] for c in row if c.value)
    assert "客户详情" in notes and "detail pane" in notes and "、" in notes and "组名:标签名" in notes
    table = read_import_sheet(path)
    assert table.sheet_name == IMPORT_SHEET and table.header_row == 1
    assert table.columns == {FIELD_EXTERNAL_USERID: "A", FIELD_OWNER: "B", FIELD_ADD: "C",
                             FIELD_REMOVE: "D"}
    assert [r.external_userid for r in table.rows] == [EXAMPLE_EXTERNAL_USERID]


def test_columns_are_found_by_header_in_any_order_below_a_title(tmp_path: Path) -> None:
    path = _sheet(tmp_path / "a.xlsx",
                  ["客户标签调整 2026-03"],
                  [],
                  ["备注", "移除标签", "客户ID", "添加标签"],
                  ["老客户", "低意向", ID, "高意向、VIP"],
                  [None, None, None, None],
                  ["", "", 13800138000, ""])
    table = read_import_sheet(path)
    assert table.header_row == 3
    assert table.columns == {FIELD_EXTERNAL_USERID: "C", FIELD_ADD: "D", FIELD_REMOVE: "B"}
    assert table.rows == [SheetRow(4, ID, "", "高意向、VIP", "低意向"),
                          SheetRow(6, "13800138000", "", "", "")]
    assert table.column_label(FIELD_ADD) == "D 添加标签"


def test_an_owner_name_column_does_not_hide_owner_userid(tmp_path: Path) -> None:
    path = _sheet(tmp_path / "export.xlsx",
                  ["客户 customer", "跟进人 owner", "external_userid 客户ID", "owner_userid",
                   "add_tags 添加标签"],
                  ["张三", "李四", ID, "lisi", "VIP"])
    table = read_import_sheet(path)
    assert table.columns[FIELD_OWNER] == "D"
    assert table.rows[0].owner == "lisi"


def test_a_column_named_as_the_customer_table_names_the_owner_is_the_owner(
        tmp_path: Path) -> None:
    path = _sheet(tmp_path / "owners.xlsx", ["客户ID", "负责人", "添加标签"], [ID, "lisi", "VIP"])
    table = read_import_sheet(path)
    assert table.columns == {FIELD_EXTERNAL_USERID: "A", FIELD_OWNER: "B", FIELD_ADD: "C"}
    assert table.rows[0].owner == "lisi"          # not every owner of the customer


def test_a_header_without_a_tags_column_is_named_with_the_names_it_has(tmp_path: Path) -> None:
    path = _sheet(tmp_path / "tags.xlsx", ["客户标签 2026-12"], ["客户ID", "负责人", "标签"],
                  [ID, "lisi", "VIP"])
    error = _code(path)
    assert error.code == "no_header"
    assert error.problem_zh == "第 2 行的表头（客户ID、负责人、标签）里没有添加标签或移除标签的列。"
    assert error.problem_en == ("The header in row 2 (客户ID, 负责人, 标签) has no column of tags"
                                " to add or to remove.")
    assert "添加标签" in error.suggestion_zh and "add_tags" in error.suggestion_en


def test_csv_is_refused_with_its_own_sentence(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(f"external_userid,add_tags\n{ID},VIP\n", encoding="utf-8-sig")
    error = _code(path)
    assert error.code == "csv"
    assert "CSV" in error.problem_zh and "CSV" in error.problem_en
    assert "另存为 .xlsx" in error.suggestion_zh


def test_a_csv_renamed_to_xlsx_is_still_recognised_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "customers.xlsx"
    path.write_text(f"external_userid,add_tags\n{ID},VIP\n", encoding="gb18030")
    assert _code(path).code == "csv"


def test_old_xls_is_refused_with_save_as_advice(tmp_path: Path) -> None:
    path = compound_file(tmp_path / "old.xls", {"Workbook": b"\x09\x08" + b"\0" * 100})
    error = _code(path)
    assert error.code == "xls"
    assert "97-2003" in error.problem_zh and "Save As" in error.suggestion_en


def test_a_password_protected_workbook_is_named_as_such(tmp_path: Path) -> None:
    path = compound_file(tmp_path / "secret.xlsx", {"EncryptionInfo": b"\x04\x00\x04\x00",
                                                    "EncryptedPackage": b"\x10" * 64})
    error = _code(path)
    assert error.code == "encrypted"
    assert "密码" in error.problem_zh and "password" in error.problem_en
    assert "清除密码" in error.suggestion_zh


def test_a_renamed_word_document_says_word(tmp_path: Path) -> None:
    path = tmp_path / "tags.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    error = _code(path)
    assert error.code == "not_xlsx" and "Word" in error.problem_zh


def test_a_renamed_binary_file_is_not_an_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    error = _code(path)
    assert error.code == "not_xlsx" and "扩展名" in error.problem_zh


def test_an_html_table_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "report.xls"
    path.write_text("<html><body><table><tr><td>VIP</td></tr></table></body></html>")
    assert _code(path).code == "html"


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert _code(empty).code == "empty_file"
    assert _code(tmp_path / "nowhere.xlsx").code == "missing"


def test_a_blank_workbook_and_a_sheet_without_headers(tmp_path: Path) -> None:
    assert _code(_sheet(tmp_path / "blank.xlsx")).code == "empty_sheet"
    no_header = _sheet(tmp_path / "plain.xlsx", [ID, "VIP"], [ID, "高意向"])
    error = _code(no_header)
    assert error.code == "no_header" and "external_userid" in error.problem_en


def test_a_damaged_xlsx_is_reported_without_a_traceback(tmp_path: Path) -> None:
    good = _sheet(tmp_path / "good.xlsx", ["external_userid", "add_tags"], [ID, "VIP"])
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(good.read_bytes()[:600])
    error = _code(damaged)
    assert error.code == "corrupt" and "损坏" in error.problem_zh


def test_check_file_type_accepts_a_real_workbook(tmp_path: Path) -> None:
    check_file_type(_sheet(tmp_path / "ok.xlsx", ["external_userid", "add_tags"]))


class _CancelAtCall(CancelToken):
    """Cancelled by the reader's own `at`-th checkpoint: a user's 取消 part-way through."""

    def __init__(self, at: int) -> None:
        super().__init__()
        self.at, self.calls = at, 0

    def raise_if_cancelled(self) -> None:
        self.calls += 1
        if self.calls >= self.at:
            self.cancel()
        super().raise_if_cancelled()


def test_a_cancel_stops_the_reading_of_a_large_sheet_part_way(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["external_userid", "添加标签"])
    for number in range(20_000):
        sheet.append([f"wm{number:030d}", "高意向"])
    path = tmp_path / "big.xlsx"
    book.save(path)
    whole = _CancelAtCall(at=10**9)
    assert len(read_import_sheet(path, cancel=whole).rows) == 20_000
    assert whole.calls > 10           # the sheet is read in many pieces, each a checkpoint
    cancelled = _CancelAtCall(at=5)
    with pytest.raises(OperationCancelled):
        read_import_sheet(path, cancel=cancelled)
    assert cancelled.calls == 5
