"""The terminal lines and JSON line of the line-by-line file imports (`tagdesk events import`,
`tagdesk autotag import-chats`): what was checked, the first problems, why nothing was stored,
and the summary with every problem."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from desktop.cli.errors import EXIT_FAILED, EXIT_OK
from desktop.cli.result_report import INLINE, ResultReport
from desktop.domain.echo import echo

if TYPE_CHECKING:
    from desktop.services.line_import import LineImportResult


def print_checked_lines(result: LineImportResult, out: TextIO, full: ResultReport,
                        more_counts: str = "") -> None:
    """The line counting what was checked (`more_counts` goes at its end), then the first
    problems and where the others are."""
    print(f"检查 / Checked {echo(result.path.name)}: {result.lines:,} 行 lines ·"
          f" {result.valid:,} 条有效 valid · {len(result.problems):,} 行有问题 with problems"
          f"{more_counts}", file=out)
    for problem in result.problems[:INLINE]:
        print(f"  {problem.text}", file=out)
    if len(result.problems) > INLINE:
        print(full.more(len(result.problems) - INLINE), file=out)


def nothing_stored(things_zh: str) -> str:
    """Why a file with bad lines stored none of its `things_zh` (events, messages)."""
    return (f"文件有问题，没有保存任何{things_zh}；修改后重新导入，或加 --skip-invalid 只导入有效行。"
            " / Nothing was stored because of the problems above; fix them, or add"
            " --skip-invalid to store only the valid lines.")


def finish_line_import(args: argparse.Namespace, full: ResultReport,
                       result: LineImportResult) -> int:
    """The JSON line (with --json) and the exit code: failed when any line had a problem."""
    if args.json:
        full.emit(result.as_json(), {"problems": [p.as_json() for p in result.problems]})
    return EXIT_FAILED if result.problems else EXIT_OK
