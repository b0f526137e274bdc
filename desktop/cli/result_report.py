"""Result lines that stay readable: the first problems and failures inline, all of them in a file.

A 200,000-row import with every row wrong printed a 50 MB JSON line. The last stdout line of
`import`, `retag` and `batch ...` keeps every field it always had, but its lists (`problems`,
`failures`) carry at most `INLINE` entries, with `problems_total` / `failures_total` beside
them. When a list is longer than the terminal shows, or `--report FILE` asks for it, the whole
summary with complete lists is written to a report file: FILE, or a new file in the `reports`
folder beside the profile's cache (never for a dry run, which writes nothing anywhere). Its path
is in the `report` field (null when none was written) and in the human-readable lines.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.common import SHOWN_FAILURES, emit_json, home
from desktop.services.profiles import ProfileStore

if TYPE_CHECKING:
    from desktop.store.outbox import RowFailure

INLINE = 50
"""Entries of each list in the JSON line (and problems shown on the terminal)."""


def add_report_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--report", type=Path, metavar="FILE",
                        help="write the complete result (every problem and failure) to FILE;"
                             " by default a long result goes to the profile's reports folder")


def failures_json(failures: Sequence[RowFailure]) -> list[dict[str, object]]:
    return [asdict(failure) for failure in failures]


class ResultReport:
    """Where the complete lists of one command's result go: `--report FILE`, or
    reports/KIND-TIME.json beside the profile's cache, so the terminal lines can name it. A dry
    run writes nothing anywhere: its report is written only to a `--report FILE` it was given."""

    def __init__(self, args: argparse.Namespace, kind: str) -> None:
        self.explicit = getattr(args, "report", None) is not None
        self._args = args
        self._kind = kind
        self._path: Path | None = Path(args.report) if self.explicit else None

    @property
    def path(self) -> Path | None:
        """The report file; named when first asked for (the profile is known to exist by
        then), None for a dry run without `--report`."""
        if self._path is None and not getattr(self._args, "dry_run", False):
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            folder = ProfileStore(home(self._args)).profile_dir(self._args.profile) / "reports"
            self._path = folder / f"{self._kind}-{stamp}.json"
        return self._path

    def more(self, hidden: int) -> str:
        """The terminal line standing for `hidden` entries left out."""
        if self.path is None:
            return (f"  … +{hidden}（加 --report FILE 可得完整列表 / add --report FILE for the"
                    " full list）")
        return f"  … +{hidden}（完整列表见 {self.path} / the full list is in {self.path}）"

    def emit(self, summary: dict[str, object], lists: dict[str, Sequence[object]]) -> None:
        """Print `summary` as the JSON line with each of `lists` cut to `INLINE` entries and
        counted; write the complete summary to the report file when needed."""
        wanted = self.explicit or any(
            len(items) > (SHOWN_FAILURES if name == "failures" else INLINE)
            for name, items in lists.items())
        line = dict(summary)
        for name, items in lists.items():
            line[name] = list(items)
            line[f"{name}_total"] = len(items)
        path = self.path if wanted else None
        line["report"] = self._write(path, line) if path is not None else None
        for name, items in lists.items():
            line[name] = list(items[:INLINE])
        emit_json(line)

    @staticmethod
    def _write(path: Path, data: dict[str, object]) -> str | None:
        """The report's path, or None (with a sentence on stderr) when it cannot be written."""
        data = {**data, "report": str(path)}
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # names and remarks
            handle, tmp = tempfile.mkstemp(prefix=".report-", suffix=".json", dir=path.parent)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(data, out, ensure_ascii=False, indent=1)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            print(f"tagdesk: 无法写入报告 {path}：{exc.strerror} / Cannot write the report"
                  f" {path}: {exc.strerror}", file=sys.stderr)
            return None
        return str(path)
