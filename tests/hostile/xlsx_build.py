"""Workbooks written byte by byte: cached formula values, lying directories, zip bombs.

openpyxl cannot write a formula's saved value, and no library writes a zip whose directory
lies, so these files are assembled here from raw deflate streams. A bomb costs little to make:
one megabyte of XML is compressed once with a full flush (which makes the compressed block
independent of what came before), and the block is repeated.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = f"{REL}/worksheet"
STRINGS_TYPE = f"{REL}/sharedStrings"
MB = 1024 * 1024


@dataclass(frozen=True)
class Part:
    """One zip member: its deflated bytes and what the directory declares about it."""

    name: str
    deflated: bytes
    size: int
    crc: int


def part(name: str, data: bytes) -> Part:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Part(name, compressor.compress(data) + compressor.flush(), len(data),
                zlib.crc32(data))


def repeated(name: str, head: bytes, unit: bytes, times: int, tail: bytes,
             declared: int | None = None) -> Part:
    """`head + unit * times + tail`, deflated without ever holding it unpacked. The CRC is
    left wrong on purpose: a reader that gets to the end has already failed."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(unit) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(tail) + compressor.flush()
    size = len(head) + len(unit) * times + len(tail)
    return Part(name, start + block * times + end, size if declared is None else declared, 0)


def write_zip(path: Path, parts: list[Part]) -> Path:
    body = bytearray()
    directory = bytearray()
    for member in parts:
        name = member.name.encode()
        offset = len(body)
        fields = (20, 0, 8, 0, 0x21, member.crc, len(member.deflated), member.size)
        body += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields, len(name), 0)
        body += name + member.deflated
        directory += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *fields, len(name),
                                 0, 0, 0, 0, 0, offset)
        directory += name
    count = len(parts)
    zip64 = b""
    if count > 0xFFFF:  # the count moves to a zip64 end record, found through its locator
        record_at = len(body) + len(directory)
        zip64 = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count,
                            len(directory), len(body))
        zip64 += struct.pack("<4sIQI", b"PK\x06\x07", 0, record_at, 1)
        count = 0xFFFF
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count,
                      len(directory), len(body), 0)
    path.write_bytes(bytes(body + directory) + zip64 + end)
    return path


def package(sheet: Part, strings: Part | None = None) -> list[Part]:
    """The parts around one sheet (stored as xl/worksheets/sheet1.xml)."""
    relations = (f'<Relationship Id="rId1" Type="{SHEET_TYPE}" Target="worksheets/sheet1.xml"/>'
                 + (f'<Relationship Id="rId2" Type="{STRINGS_TYPE}" Target="sharedStrings.xml"/>'
                    if strings else ""))
    parts = [
        part("[Content_Types].xml", (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
            b'/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sheet.main+xml"/></Types>')),
        part("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>').encode()),
        part("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            '<sheets><sheet name="导入 Import" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode()),
        part("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
            f'{relations}</Relationships>').encode()),
        sheet,
    ]
    return parts + ([strings] if strings else [])


def sheet_xml(rows: str, dimension: str = "") -> bytes:
    """A worksheet around `<row>` elements."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dim}'
            f'<sheetData>{rows}</sheetData></worksheet>').encode()


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row() -> str:
    names = ("external_userid", "owner_userid", "add_tags", "remove_tags")
    return '<row r="1">' + "".join(text_cell(f"{c}1", n) for c, n in zip("ABCD", names,
                                                                              strict=True)) + "</row>"


def workbook(path: Path, rows: str, dimension: str = "") -> Path:
    """An import workbook: the header row and `rows` (XML), inline strings only."""
    sheet = part("xl/worksheets/sheet1.xml", sheet_xml(header_row() + rows, dimension))
    return write_zip(path, package(sheet))
