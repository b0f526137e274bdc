"""Zip bombs and oversized sheets: refused quickly, in little memory, with the limit named.

The bombs are built on the fly (about 1 MB compressed for 1.1 GB unpacked). Time is measured
as CPU time of this process and bounded generously, so a busy machine does not fail them;
memory is the tracemalloc peak while reading, which catches anything that holds the unpacked
data.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from desktop.services.spreadsheet_reader import SpreadsheetFileError, read_import_sheet
from desktop.services.xlsx_reader import SheetLimits, XlsxBook, XlsxTooLarge
from tests.hostile.xlsx_build import (
    MB,
    Part,
    header_row,
    package,
    part,
    repeated,
    sheet_xml,
    text_cell,
    workbook,
    write_zip,
)

SHEET = "xl/worksheets/sheet1.xml"
GB_1_1 = 1100  # megabytes
ROW = b'<row><c t="inlineStr"><is><t>wmAJ2GCAAAd1NPGHKSD4wKmE8Aabj9AAA</t></is></c></row>'
CPU_SECONDS = 5.0
PEAK_BYTES = 48 * MB


@dataclass
class Cost:
    cpu_s: float = 0.0
    peak_bytes: int = 0


@contextmanager
def measured() -> Iterator[Cost]:
    cost = Cost()
    tracemalloc.start()
    started = time.process_time()
    try:
        yield cost
    finally:
        cost.cpu_s = time.process_time() - started
        cost.peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def refusal(read: Callable[[], object]) -> tuple[SpreadsheetFileError, Cost]:
    with measured() as cost, pytest.raises(SpreadsheetFileError) as caught:
        read()
    assert cost.cpu_s < CPU_SECONDS and cost.peak_bytes < PEAK_BYTES, cost
    return caught.value, cost


def rows_bomb(megabytes: int, declared: int | None = None) -> Part:
    """A sheet of `megabytes` MB of rows."""
    unit = ROW * (MB // len(ROW))
    head = sheet_xml(header_row()).split(b"</sheetData>")[0]
    return repeated(SHEET, head, unit, megabytes, b"</sheetData></worksheet>", declared)


def cell_bomb(megabytes: int) -> Part:
    """A sheet whose second row holds one cell of `megabytes` MB."""
    head = sheet_xml(header_row()).split(b"</sheetData>")[0]
    head += b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
    return repeated(SHEET, head, b"A" * MB, megabytes,
                    b"</t></is></c></row></sheetData></worksheet>")


def test_a_sheet_expanding_to_1_1_gb_is_refused_from_the_zip_directory(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "bomb.xlsx", package(rows_bomb(GB_1_1)))
    assert path.stat().st_size < 5 * MB

    error, _ = refusal(lambda: read_import_sheet(path))

    assert error.code == "too_large"
    assert "解压后超过 500 MB 上限" in error.problem_zh
    assert "expands past the 500 MB limit" in error.problem_en
    assert "--limits" in error.suggestion_en


def test_one_1_1_gb_cell_is_refused_from_the_zip_directory(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "cell.xlsx", package(cell_bomb(GB_1_1)))

    error, _ = refusal(lambda: read_import_sheet(path))

    assert error.code == "too_large" and "500 MB" in error.problem_en


def test_the_whole_file_has_a_limit_too(tmp_path: Path) -> None:
    sheet = rows_bomb(400)
    padding = replace(sheet, name="xl/media/image1.png")
    path = write_zip(tmp_path / "two.xlsx", [*package(sheet), padding, padding])

    error, _ = refusal(lambda: read_import_sheet(path))

    assert error.code == "too_large" and "The file expands past the 1,000 MB limit" in str(error)


def test_a_directory_of_too_many_parts_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    empty = part("xl/media/x.bin", b"")
    parts = [*package(part(SHEET, sheet_xml(header_row())))]
    parts += [replace(empty, name=f"xl/media/{n}.bin") for n in range(300_000)]
    path = write_zip(tmp_path / "parts.xlsx", parts)

    error, _ = refusal(lambda: read_import_sheet(path))

    assert error.problem_en == "The file is made of 300,005 parts, past the limit of 10,000."


def test_a_directory_understating_the_size_is_caught_while_unpacking(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "liar.xlsx", package(rows_bomb(GB_1_1, declared=64 * 1024)))

    error, _ = refusal(lambda: read_import_sheet(path))

    assert error.code in ("too_large", "corrupt")


def test_bytes_are_counted_while_unpacking_whatever_the_directory_said(tmp_path: Path) -> None:
    """zipfile itself stops at the declared size; should a reader ever trust the data
    instead, the count while unpacking still stops at the limit."""
    path = write_zip(tmp_path / "liar.xlsx", package(rows_bomb(40, declared=64 * 1024)))
    limits = SheetLimits(part_mb=8, total_mb=16)
    with XlsxBook(path, limits) as book, measured() as cost:
        book._zip.getinfo(SHEET).file_size = 40 * MB + 4096  # a directory that told the truth
        with pytest.raises(XlsxTooLarge) as caught:
            for _ in book.unpacked(SHEET):
                pass
    assert "8 MB" in str(caught.value) and cost.peak_bytes < PEAK_BYTES


def test_a_1_1_gb_cell_stops_at_the_cell_limit_while_reading(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "cell.xlsx", package(cell_bomb(GB_1_1)))
    raised = SheetLimits(part_mb=2000, total_mb=2000)

    error, _ = refusal(lambda: read_import_sheet(path, raised))

    assert error.code == "too_large"
    assert error.problem_en == "Cell A2 is longer than the 32,767-character limit."
    assert error.problem_zh == "单元格 A2 超过 32,767 个字符的上限。"


def test_a_long_shared_string_is_refused(tmp_path: Path) -> None:
    strings = part("xl/sharedStrings.xml", (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<si><t>external_userid</t></si><si><t>add_tags</t></si><si><t>{"长" * 40_000}</t></si>'
        '</sst>').encode())
    sheet = part(SHEET, sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s">'
                                  '<v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c></row>'))
    path = write_zip(tmp_path / "sst.xlsx", package(sheet, strings))

    error, _ = refusal(lambda: read_import_sheet(path))

    assert error.problem_en == "Shared string 2 is longer than the 32,767-character limit."


def test_a_huge_shared_string_table_costs_only_the_strings_used(tmp_path: Path) -> None:
    unit = b"<si><t>abcdefgh</t></si>" * (MB // 24)
    head = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<si><t>external_userid</t></si><si><t>add_tags</t></si><si><t>wmX1</t></si>"
            b"<si><t>VIP</t></si>")
    strings = repeated("xl/sharedStrings.xml", head, unit, 150, b"</sst>")
    sheet = part(SHEET, sheet_xml(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'))
    path = write_zip(tmp_path / "sst.xlsx", package(sheet, strings))

    with measured() as cost:
        rows = read_import_sheet(path).rows

    assert [(r.external_userid, r.add) for r in rows] == [("wmX1", "VIP")]
    assert cost.cpu_s < CPU_SECONDS and cost.peak_bytes < PEAK_BYTES, cost


def test_rows_past_the_limit_are_refused(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{n}">{text_cell(f"A{n}", f"wm{n}")}</row>' for n in range(2, 152))
    path = workbook(tmp_path / "rows.xlsx", rows)

    error, _ = refusal(lambda: read_import_sheet(path, SheetLimits(rows=100)))

    assert error.problem_en == "The sheet has more than the 100-row limit (row 101)."
    assert len(read_import_sheet(path).rows) == 150


def test_a_far_away_row_number_is_refused_at_the_default_limit(tmp_path: Path) -> None:
    path = workbook(tmp_path / "far.xlsx", f'<row r="900000">{text_cell("A900000", "wm")}</row>')

    error, _ = refusal(lambda: read_import_sheet(path))

    assert "300,000-row limit" in error.problem_en and "300,000 行上限" in error.problem_zh


def test_columns_past_the_limit_are_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "wide.xlsx", f'<row r="2">{text_cell("XFD2", "x")}</row>')

    error, _ = refusal(lambda: read_import_sheet(path))

    assert error.problem_en == "Cell XFD2 is beyond the 1,000-column limit."


def test_a_dimension_that_lies_does_not_hide_rows(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{n}">{text_cell(f"A{n}", f"wm{n}")}{text_cell(f"C{n}", "VIP")}'
                   "</row>" for n in range(2, 51))
    path = workbook(tmp_path / "dim.xlsx", rows, dimension="A1:B2")

    table = read_import_sheet(path)

    assert [r.number for r in table.rows] == list(range(2, 51))
    assert table.rows[-1].external_userid == "wm50" and table.rows[-1].add == "VIP"


def test_an_entity_expansion_is_refused(tmp_path: Path) -> None:
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    sheet = (f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY l0 "lol">{laughs}]>'
             f'<worksheet><sheetData><row r="1">{text_cell("A1", "&l9;")}</row></sheetData>'
             "</worksheet>")
    path = write_zip(tmp_path / "laughs.xlsx", package(part(SHEET, sheet.encode())))

    error, _ = refusal(lambda: read_import_sheet(path))

    assert error.code == "corrupt" and "DOCTYPE" in error.problem_en


def test_an_endless_tag_is_refused_without_buffering_it(tmp_path: Path) -> None:
    head = sheet_xml(header_row()).split(b"</sheetData>")[0] + b'<row r="2"><c r="A2" s="'
    path = write_zip(tmp_path / "tag.xlsx", package(
        repeated(SHEET, head, b"9" * MB, 100, b'"/></row></sheetData></worksheet>')))

    error, _ = refusal(lambda: read_import_sheet(path))

    assert error.code == "corrupt" and "XML tag longer than 1 MB" in error.problem_en


def test_a_cell_at_excels_maximum_reads_whole(tmp_path: Path) -> None:
    path = workbook(tmp_path / "full.xlsx",
                    f'<row r="2">{text_cell("A2", "wm1")}{text_cell("C2", "长" * 32_767)}</row>')

    assert read_import_sheet(path).rows[0].add == "长" * 32_767
