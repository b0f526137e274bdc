"""`tagdesk template`, `tagdesk import` and `tagdesk export`: spreadsheets in and out.

Names, flags and the JSON fields of the last stdout line are interfaces: never rename.
Human-readable lines go to stdout (to stderr with --json); progress goes to stderr.
`import` exits 0 when every row was valid and every call succeeded, 1 when the file had
problems (nothing written without --skip-invalid) or calls failed, 2 when it could not run.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desktop.cli.common import (
    StderrProgress,
    add_common,
    confirm,
    emit_json,
    home,
    human_output,
    open_synced_workspace,
    print_result,
    print_resume_hint,
)
from desktop.cli.errors import EXIT_FAILED, EXIT_OK, UsageError
from desktop.cli.result_report import INLINE, ResultReport, add_report_option, failures_json
from desktop.domain.echo import echo
from desktop.domain.file_errors import cannot_write
from desktop.services.xlsx_reader import SheetLimits

if TYPE_CHECKING:
    from desktop.domain.retag_plan import RetagPlan
    from desktop.services.spreadsheet_import import ImportReport
    from desktop.services.tagging import BatchResult


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the spreadsheet commands to the `tagdesk` parser."""
    template = sub.add_parser("template", help="write the spreadsheet import template")
    add_common(template)
    template.add_argument("file", metavar="FILE.xlsx", type=Path)
    template.set_defaults(handler=template_command)

    importing = sub.add_parser("import", help="add / remove tags listed in a spreadsheet")
    add_common(importing)
    importing.add_argument("file", metavar="FILE.xlsx", type=Path)
    importing.add_argument("--profile", required=True, metavar="NAME")
    importing.add_argument("--dry-run", action="store_true",
                           help="check every row and print the plan; write nothing anywhere")
    importing.add_argument("--skip-invalid", action="store_true",
                           help="import the valid rows even though other rows have problems")
    importing.add_argument("--allow-conflicts", action="store_true",
                           help="also change relations that end with two mutually exclusive tags")
    importing.add_argument("--pilot", type=int, metavar="N",
                           help="send the first N calls, show the result, then ask to continue")
    importing.add_argument("--limits", type=_limits, default=SheetLimits(),
                           metavar="NAME=N,...",
                           help="raise or lower the reading limits: rows, columns, cell_chars,"
                                " part_mb, total_mb (default rows=300000,columns=1000,"
                                "cell_chars=32767,part_mb=500,total_mb=1000)")
    importing.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    importing.add_argument("--json", action="store_true", help="end with a JSON summary line")
    add_report_option(importing)
    importing.set_defaults(handler=import_command)

    export = sub.add_parser("export", help="write the customers a filter matches to a spreadsheet")
    add_common(export)
    export.add_argument("file", metavar="FILE.xlsx", type=Path)
    export.add_argument("--profile", required=True, metavar="NAME")
    export.add_argument("--filter", default="", metavar="EXPR",
                        help='which relations, e.g. "高意向 owner:zhangsan" ("" = all)')
    export.add_argument("--groups", default="", metavar="G1,G2",
                        help="tag groups that get a column of their own")
    export.add_argument("--json", action="store_true", help="end with a JSON summary line")
    export.set_defaults(handler=export_command)


# -- handlers ---------------------------------------------------------------------------


def template_command(args: argparse.Namespace) -> int:
    from desktop.services.import_template import write_template

    path = _xlsx_path(args.file)
    try:
        write_template(path)
    except OSError as exc:
        raise UsageError(*cannot_write(path, exc)) from None
    print(f"已写入导入模板 / Import template written: {path}")
    return EXIT_OK


def export_command(args: argparse.Namespace) -> int:
    from desktop.services.spreadsheet_export import export_relations
    from desktop.services.workspace import open_local_cache
    from desktop.services.xlsx_safe import ExportError
    from desktop.store.filter_engine import FilterEngine

    path = _xlsx_path(args.file)
    groups = [g.strip() for g in args.groups.replace("，", ",").split(",") if g.strip()]
    with open_local_cache(home(args), args.profile) as cache:
        ids = FilterEngine(cache).relation_ids(args.filter)
        try:
            result = export_relations(cache, ids, path, groups=groups, progress=StderrProgress())
        except ExportError as exc:
            raise UsageError(str(exc)) from None
        except OSError as exc:
            raise UsageError(*cannot_write(path, exc)) from None
    print(f"已导出 {result.rows} 个客户关系到 {path} / Exported {result.rows} relations to"
          f" {path} ({result.elapsed_s:.1f} s)", file=human_output(args))
    if args.json:
        emit_json(result.as_json())
    return EXIT_OK


def import_command(args: argparse.Namespace) -> int:
    from desktop.services.spreadsheet_import import SpreadsheetImporter
    from desktop.services.tagging import TaggingService

    if args.pilot is not None and args.pilot < 1:
        raise UsageError("--pilot 须为正整数。 / --pilot must be a positive number.")
    out = human_output(args)
    full = ResultReport(args, "import")
    with open_synced_workspace(args, write=not args.dry_run) as ws:
        importer = SpreadsheetImporter(ws.cache, args.limits)
        report = importer.validate(args.file, allow_conflicts=args.allow_conflicts,
                                   progress=StderrProgress())
        _print_report(report, out, full)
        if report.problems and not args.skip_invalid:
            print("表格有问题，没有写入任何内容；修改后重新导入，或加 --skip-invalid 只导入有效行。"
                  " / Nothing was written because of the problems above; fix them, or add"
                  " --skip-invalid to import only the valid rows.", file=out)
            _emit(full, report, status="invalid", dry_run=args.dry_run)
            return EXIT_FAILED
        if args.dry_run or not report.importable:
            if not report.importable:
                print("没有需要更改的客户关系。 / Nothing to change.", file=out)
            _emit(full, report, status="dry_run" if args.dry_run else "nothing_to_do")
            return EXIT_FAILED if report.problems else EXIT_OK
        if not confirm(f"确认修改 {report.plan.api_calls} 个客户关系？ / Change"
                        f" {report.plan.api_calls} relations?", args.yes):
            print("已取消，没有做任何更改。 / Cancelled; nothing was changed.", file=sys.stderr)
            _emit(full, report, status="declined")
            return EXIT_OK
        service = TaggingService(ws)
        pilot = args.pilot or 0
        batch_id = importer.submit(report, service, pilot_size=pilot,
                                   skip_invalid=args.skip_invalid)
        print(f"批量任务 / batch {batch_id}", file=out)
        result = service.run(batch_id, progress=StderrProgress())
        if pilot and result.pending and not result.stop_reason and result.status == "paused":
            print_result(result, out, pilot=True, more=full.more)
            if not confirm(f"试运行完成，继续其余 {result.pending} 个？"
                            f" / Pilot done; continue with the other {result.pending}?",
                            args.yes):
                print_resume_hint(args, batch_id)
                _emit(full, report, result=result)
                return EXIT_OK
            first = result
            result = service.run(batch_id, progress=StderrProgress())
            result = replace(result, api_calls=first.api_calls + result.api_calls,
                             elapsed_s=first.elapsed_s + result.elapsed_s)
    print_result(result, out, more=full.more)
    if result.stop_reason:
        print(f"tagdesk: {result.stop_reason}", file=sys.stderr)
    if result.pending:
        print_resume_hint(args, result.batch_id)
    _emit(full, report, result=result)
    succeeded = result.status == "done" and not result.failed and not report.problems
    return EXIT_OK if succeeded else EXIT_FAILED


# -- helpers ----------------------------------------------------------------------------


def _limits(text: str) -> SheetLimits:
    try:
        return SheetLimits.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _xlsx_path(path: Path) -> Path:
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"文件名须以 .xlsx 结尾：{path} / The file name must end in .xlsx: {path}")
    return path



def _print_report(report: ImportReport, out: TextIO, full: ResultReport) -> None:
    print(f"检查 / Checked {report.path.name}: {report.rows} 行 rows · {report.valid} 有效 valid"
          f" · {report.invalid} 有问题 with problems · {report.elapsed_s:.1f} s", file=out)
    for problem in report.problems[:INLINE]:
        where = f"第 {problem.row} 行 row {problem.row}" if problem.row else "文件 file"
        column = f" · {problem.column}" if problem.column else ""
        print(f"  {where}{column} · 「{echo(problem.value)}」\n    {problem.problem}\n"
              f"    → {problem.suggestion}", file=out)
    if len(report.problems) > INLINE:
        print(full.more(len(report.problems) - INLINE), file=out)
    if report.valid:
        _print_plan(report.plan, report.relations, report.tag_labels, out)


def _print_plan(plan: RetagPlan, relations: int, labels: dict[str, str], out: TextIO) -> None:
    print(f"预览 / Preview: {relations} 个客户关系 relations · {plan.api_calls} 次调用 calls"
          f" · {plan.skipped_noop} 无需更改 no-op · {plan.conflicting_relations} 互斥冲突"
          f" conflicts{'' if plan.conflicts_allowed else ' (已跳过 skipped)'}", file=out)
    for tag_id, count in sorted(plan.per_tag_add.items(), key=lambda kv: -kv[1]):
        print(f"  + {labels.get(tag_id, tag_id)}: {count}", file=out)
    for tag_id, count in sorted(plan.per_tag_remove.items(), key=lambda kv: -kv[1]):
        print(f"  - {labels.get(tag_id, tag_id)}: {count}", file=out)


def _emit(full: ResultReport, report: ImportReport, *, status: str = "", dry_run: bool = False,
          result: BatchResult | None = None) -> None:
    """The JSON line: counts, then the first problems and failures (all in the report file)."""
    data: dict[str, object] = {
        "batch_id": None, "status": status, "rows": report.rows, "valid": report.valid,
        "invalid": report.invalid, "planned": report.plan.api_calls, "applied": 0,
        "skipped": 0, "failed": 0, "pending": 0, "api_calls": 0, "elapsed_s": 0.0,
        "noop": report.plan.skipped_noop, "conflicts": report.plan.conflicting_relations,
        "dry_run": dry_run or status == "dry_run",
    }
    if result is not None:
        data.update(result.as_json())
        data["elapsed_s"] = round(report.elapsed_s + result.elapsed_s, 3)
    full.emit(data, {"problems": [p.as_json() for p in report.problems],
                     "failures": failures_json(result.failures if result else [])})
