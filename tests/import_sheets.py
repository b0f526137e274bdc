"""Spreadsheets in the import template's shape, written for the import tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

HEADER = ["external_userid", "owner_userid", "add_tags", "remove_tags"]


def import_sheet(path: Path, *rows: Sequence[object]) -> Path:
    """An .xlsx at `path`: the template's header, then `rows`."""
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path
