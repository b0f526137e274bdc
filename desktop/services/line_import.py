"""What the line-by-line file importers (chats, behaviour events) share: the problem a bad line
has, reading a JSONL file's lines, opening the file, and storing the checked records in the
cache in chunks with progress. Each importer keeps its own record checks and error type."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from desktop.domain.errors import UserError
from desktop.domain.file_errors import cannot_read
from desktop.domain.record_lines import BadLine, json_line
from desktop.services.progress import Progress, ProgressCallback
from desktop.store.db import Cache

INSERT_CHUNK = 5_000

Record = TypeVar("Record")


@dataclass(frozen=True)
class LineProblem:
    """Why line `line` of an imported file was not taken, in both languages."""

    line: int
    problem_zh: str
    problem_en: str

    @property
    def text(self) -> str:
        return f"第 {self.line} 行：{self.problem_zh} / line {self.line}: {self.problem_en}"

    def as_json(self) -> dict[str, object]:
        return {"line": self.line, "problem": f"{self.problem_zh} / {self.problem_en}"}


@dataclass
class LineImportResult:
    """What an import of a file's lines found and stored."""

    path: Path
    format: str
    lines: int = 0
    valid: int = 0
    imported: int = 0
    problems: list[LineProblem] = field(default_factory=list)
    status: str = ""              # imported, invalid (nothing stored), empty (nothing to store)
    elapsed_s: float = 0.0

    @property
    def duplicates(self) -> int:
        """Valid records already stored (by an earlier import, or twice in this file)."""
        return self.valid - self.imported if self.status == "imported" else 0

    def as_json(self) -> dict[str, object]:
        return {"file": str(self.path), "format": self.format, "status": self.status,
                "lines": self.lines, "valid": self.valid, "invalid": len(self.problems),
                "imported": self.imported, "duplicates": self.duplicates,
                **self.own_counts(), "elapsed_s": round(self.elapsed_s, 3)}

    def own_counts(self) -> dict[str, object]:
        """The summary fields of one kind of import (before the time taken)."""
        return {}


def open_for_reading(path: Path, error: type[UserError]) -> io.BufferedReader:
    """`path` opened as bytes, or `error` saying why it cannot be read."""
    try:
        return path.open("rb")
    except OSError as exc:
        raise error(*cannot_read(path, exc)) from None


def jsonl_records(path: Path, max_bytes: int, error: type[UserError],
                  bad_record: Callable[[str, str], Exception]) -> Iterator[tuple[int, object]]:
    """Each non-blank line's number and JSON value; a line that is not JSON (or too long)
    yields `bad_record(zh, en)` in place of its value."""
    with open_for_reading(path, error) as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                try:
                    yield number, json_line(raw, max_bytes)
                except BadLine as bad:
                    yield number, bad_record(bad.zh, bad.en)


def store_in_chunks(cache: Cache, insert: Callable[[sqlite3.Connection, list[Record]], int],
                    phase: str, records: list[Record], progress: ProgressCallback) -> int:
    """Insert `records` in one write transaction, `INSERT_CHUNK` at a time with progress;
    returns how many were new."""
    imported = 0
    with cache.write() as conn:
        for start in range(0, len(records), INSERT_CHUNK):
            imported += insert(conn, records[start:start + INSERT_CHUNK])
            done = min(len(records), start + INSERT_CHUNK)
            progress(Progress(phase, done, len(records),
                              f"保存 storing {done:,}/{len(records):,}"))
    return imported
