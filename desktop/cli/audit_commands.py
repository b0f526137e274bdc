"""`tagdesk audit ...`: verify the journal's hash chain, list, export and revert.

For a solo profile verify / list / export read the local cache only (no secret, no
network), so a supervisor can schedule the daily export on any machine holding the
profile. For a team profile they read the team journal through the team server (names
from the local cache). revert writes through WeCom (or the team server) like every other
tag change: preview, pilot, rest.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.common import StderrProgress, add_common, confirm, emit_json, english, home
from desktop.cli.errors import EXIT_FAILED, EXIT_OK, UsageError

if TYPE_CHECKING:  # the handlers import these when they run: `tagdesk --help` stays quick
    from collections.abc import Iterator

    from desktop.services.audit import RevertOutcome, RevertPreview
    from desktop.services.journal_reader import JournalReader
    from desktop.store.db import Cache
    from desktop.store.journal_query import JournalFilter, JournalRow

PREVIEW_LINES = 50
SORT_COLUMNS = ("time", "operator", "customer", "owner", "tag", "group", "batch", "source",
                "action", "reason")
"""What `audit list --sort` orders by: the viewer's columns (`JournalReader.sort_keys`)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `audit` command and its subcommands to the `tagdesk` parser."""
    audit_cmd = sub.add_parser("audit", help="the audit log: verify, list, export, revert")
    commands = audit_cmd.add_subparsers(dest="audit_command", metavar="SUBCOMMAND",
                                        required=True)

    verify_cmd = commands.add_parser("verify", help="check the journal's hash chain")
    add_common(verify_cmd)
    verify_cmd.add_argument("--profile", required=True, metavar="NAME")
    verify_cmd.add_argument("--json", action="store_true")
    verify_cmd.add_argument("--full", action="store_true",
                            help="walk the whole chain, not only the rows after the last"
                                 " verify's checkpoint")
    verify_cmd.set_defaults(handler=verify)

    list_cmd = commands.add_parser("list", help="print journal rows, oldest first")
    add_common(list_cmd)
    _add_filters(list_cmd)
    _add_sort(list_cmd)
    list_cmd.add_argument("--json", action="store_true",
                          help="one JSON object per row, then a summary line")
    list_cmd.set_defaults(handler=list_rows)

    export_cmd = commands.add_parser("export", help="write journal rows to .xlsx or .csv")
    add_common(export_cmd)
    _add_filters(export_cmd)
    _add_sort(export_cmd)
    export_cmd.add_argument("file", metavar="FILE.xlsx|FILE.csv")
    export_cmd.set_defaults(handler=export)

    revert_cmd = commands.add_parser(
        "revert", help="undo a batch, or one operator's changes in a time range")
    add_common(revert_cmd)
    revert_cmd.add_argument("batch_id", nargs="?", metavar="BATCH_ID")
    revert_cmd.add_argument("--profile", required=True, metavar="NAME")
    revert_cmd.add_argument("--operator", metavar="U", help="revert this member's changes ...")
    revert_cmd.add_argument("--since", metavar="24h|7d|DATE", help="... made since then")
    revert_cmd.add_argument("--until", metavar="DATE", help="... and before then")
    revert_cmd.add_argument("--dry-run", action="store_true", help="only show the preview")
    revert_cmd.add_argument("--yes", action="store_true", help="do not ask before reverting")
    revert_cmd.add_argument("--json", action="store_true")
    revert_cmd.set_defaults(handler=revert)


def _add_sort(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sort", default="time", metavar="COL",
                        help=f"order rows by {', '.join(SORT_COLUMNS)} (ties newest first;"
                             " people and customers by name)")
    parser.add_argument("--order", default="asc", metavar="asc|desc")


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", required=True, metavar="NAME")
    parser.add_argument("--since", metavar="24h|7d|DATE", help="rows at or after this time")
    parser.add_argument("--until", metavar="DATE", help="rows before this time (a date: its end)")
    parser.add_argument("--batch", action="append", default=[], metavar="ID")
    parser.add_argument("--operator", action="append", default=[], metavar="U",
                        help="who made the change (WeCom userid); never matches changes seen"
                             " at sync, whose operator WeCom does not tell")
    parser.add_argument("--include-observed", action="store_true",
                        help="with --operator: also changes seen at sync on that member's"
                             " relations (they are only the probable operator)")
    parser.add_argument("--department", metavar="ID|NAME",
                        help="the customer owner's department, sub-departments included")
    parser.add_argument("--action", action="append", default=[], metavar="A",
                        help="tag_add, tag_remove, tag_rename, ...")
    parser.add_argument("--source", action="append", default=[], metavar="S",
                        help="app, batch, import, undo, revert, observed, tree")
    parser.add_argument("--tag", action="append", default=[], metavar="NAME|ID")
    parser.add_argument("--group", action="append", default=[], metavar="NAME")
    parser.add_argument("--customer", default="", metavar="ID|NAME",
                        help="external_userid, or part of the customer's name")


# -- verify, list, export ----------------------------------------------------------------------


def verify(args: argparse.Namespace) -> int:
    from desktop.cli.team_commands import team_journal_verify
    from desktop.services.workspace import open_local_cache
    from desktop.store import journal

    result = team_journal_verify(args)  # a team profile checks the team journal
    if result is None:
        with open_local_cache(home(args), args.profile) as cache:
            result = journal.verify(cache, full=args.full)
    if args.json:
        emit_json({"ok": result.ok, "rows_checked": result.rows_checked,
                   "first_bad_id": result.first_bad_id, "problem": result.problem,
                   "problems": list(result.problems), "rows_walked": result.rows_walked,
                   "full": result.full})
    elif result.ok:
        print(f"日志完整：已检查 {result.rows_checked} 行"
              f" / The journal is intact: {result.rows_checked} rows checked")
        if not result.full:
            since = result.rows_checked - result.rows_walked
            print(f"  自上次校验的检查点（第 {since} 行）起核对了 {result.rows_walked} 行；"
                  f"--full 重新核对整条链 / {result.rows_walked} rows hashed after the last"
                  f" verify's checkpoint (row {since}); --full re-checks the whole chain")
    else:
        if result.first_bad_id is not None:
            print(f"日志被篡改：第 {result.first_bad_id} 行 / The journal was tampered with at"
                  f" row {result.first_bad_id}: {result.problem}")
        else:
            print(f"日志被篡改 / The journal was tampered with: {result.problem}")
        for problem in result.problems[1:]:
            print(f"  {problem}")
    return EXIT_OK if result.ok else EXIT_FAILED


@contextlib.contextmanager
def _journal(args: argparse.Namespace) -> Iterator[tuple[Cache, JournalReader]]:
    """The profile's cache and the journal its audit commands read: the team journal
    through the server for a team profile, else the cache's own."""
    from desktop.cli.team_commands import is_team_profile
    from desktop.services.journal_reader import LocalJournal, reader_for
    from desktop.services.workspace import open_local_cache, open_workspace

    if is_team_profile(args):
        with open_workspace(home(args), args.profile, exclusive=False) as ws:
            yield ws.cache, reader_for(ws)
    else:
        with open_local_cache(home(args), args.profile) as cache:
            yield cache, LocalJournal(cache)


def list_rows(args: argparse.Namespace) -> int:
    from desktop.services import audit

    actions: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    batches: set[str] = set()
    with _journal(args) as (cache, reader):
        in_english = english(args)
        for row in _listed(reader, build_filter(cache, args, reader.remote), args):
            actions[row.action] += 1
            sources[row.source] += 1
            if row.batch_id:
                batches.add(row.batch_id)
            if args.json:
                emit_json(audit.row_json(row))
            else:
                print(_text_line(row, in_english))
    total = sum(actions.values())
    if args.json:
        emit_json({"summary": True, "rows": total, "batches": len(batches),
                    "by_action": dict(sorted(actions.items())),
                    "by_source": dict(sorted(sources.items()))})
    else:
        print(f"— 共 {total} 行，{len(batches)} 个批次 / {total} rows, {len(batches)} batches")
    return EXIT_OK


def _listed(reader: JournalReader, flt: JournalFilter,
            args: argparse.Namespace) -> Iterator[JournalRow]:
    """The matching rows oldest first, or in the order `--sort` and `--order` ask for."""
    from desktop.services import audit

    _check_sort(args)
    return audit.sorted_rows(reader, flt, args.sort, args.order == "desc")


def _check_sort(args: argparse.Namespace) -> None:
    if args.sort not in SORT_COLUMNS:
        raise UsageError(f"不能按「{args.sort}」排序，可用：{'、'.join(SORT_COLUMNS)}"
                         f" / Cannot sort by {args.sort!r}; use one of {', '.join(SORT_COLUMNS)}")
    if args.order not in ("asc", "desc"):
        raise UsageError(f"--order 只能是 asc 或 desc，而不是「{args.order}」"
                         f" / --order must be asc or desc, not {args.order!r}")


def export(args: argparse.Namespace) -> int:
    from desktop.services import audit
    from desktop.services.xlsx_safe import ExportError

    path = Path(args.file)
    _check_sort(args)
    with _journal(args) as (cache, reader):
        try:
            written = audit.export_journal(reader, build_filter(cache, args, reader.remote),
                                           path, args.sort, args.order == "desc",
                                           english=english(args))
        except (ExportError, OSError) as exc:
            raise UsageError(str(exc)) from None
    print(f"已导出 {written} 行到 {path} / Exported {written} rows to {path}")
    return EXIT_OK


def build_filter(cache: Cache, args: argparse.Namespace, team: bool = False) -> JournalFilter:
    """The filter the command-line options describe (names resolved against the cache; for
    the `team` journal a tag name the cache does not know is passed on as it is: the
    server matches it against the names at the time)."""
    from desktop.store.journal_query import JournalFilter

    return JournalFilter(
        since=_time(args.since), until=_time(args.until, end=True),
        operators=tuple(args.operator), department_id=_department(cache, args.department),
        actions=tuple(args.action), sources=tuple(args.source),
        tag_ids=_tags(cache, args.tag, team), groups=tuple(args.group), customer=args.customer,
        batch_ids=tuple(args.batch), include_observed=args.include_observed,
    )


def _time(text: str | None, *, end: bool = False) -> float | None:
    from desktop.services.audit import TimeSpecError, parse_time

    if not text:
        return None
    try:
        return parse_time(text, end=end)
    except TimeSpecError as exc:
        raise UsageError(str(exc)) from None


def _department(cache: Cache, text: str | None) -> int | None:
    if not text:
        return None
    if text.strip().isdigit():
        return int(text)
    found = [row[0] for row in cache.connection().execute(
        "SELECT id FROM department WHERE name = ? OR name_en = ? ORDER BY id", (text, text))]
    if len(found) == 1:
        return int(found[0])
    if found:
        ids = ", ".join(str(i) for i in found)
        raise UsageError(f"有多个名为「{text}」的部门，请用部门 ID：{ids}"
                         f" / Several departments are named {text!r}; use an id: {ids}")
    raise UsageError(f"没有名为「{text}」的部门 / No department named {text!r}")


def _tags(cache: Cache, names: list[str], team: bool) -> tuple[str, ...]:
    """Tag ids for names or ids: current names, and names the journal recorded (a tag
    renamed since is still found by its old name)."""
    ids: list[str] = []
    conn = cache.connection()
    for name in names:
        found = [row[0] for row in conn.execute(
            "SELECT id FROM tag WHERE id = ? OR name = ?"
            " UNION SELECT DISTINCT tag_id FROM journal WHERE tag_id = ? OR tag_name = ?",
            (name, name, name, name))]
        if not found and not team:
            raise UsageError(f"没有名为「{name}」的标签 / No tag named {name!r}")
        ids.extend([*found, name] if team else found)
    return tuple(dict.fromkeys(ids))


def _text_line(row: JournalRow, in_english: bool) -> str:
    """One row as a line; a reason stored in both languages in one of them."""
    from desktop.domain.bilingual import shown
    from desktop.services import audit

    tag = f"{row.group_name}:{row.tag_name}" if row.group_name else row.tag_name
    return "\t".join([
        audit.time_text(row), audit.operator_text(row),
        audit.label(audit.ACTIONS, row.action), audit.label(audit.SOURCES, row.source),
        row.customer or row.external_userid or "-", row.owner_name or row.userid or "-",
        tag or "-", row.batch_id or "-", shown(row.reason, in_english) or "-",
    ])


# -- revert ------------------------------------------------------------------------------------


def revert(args: argparse.Namespace) -> int:
    from desktop.services import audit
    from desktop.services.journal_reader import reader_for
    from desktop.services.tagging import TaggingService
    from desktop.services.workspace import open_workspace

    ranged = bool(args.operator or args.since or args.until)
    if args.batch_id and ranged:
        raise UsageError("请给出批次编号，或 --operator 加 --since，不要同时给出。"
                         " / Give a batch id, or --operator with --since, not both.")
    if not args.batch_id and not (args.operator and args.since):
        raise UsageError("请给出要回滚的批次编号，或 --operator 加 --since。"
                         " / Give the batch id to revert, or --operator with --since.")
    since, until = _time(args.since), _time(args.until, end=True)
    if not args.dry_run and not args.yes and not sys.stdin.isatty():
        raise UsageError("非交互运行时请加 --yes 确认回滚，或用 --dry-run 只看预览。"
                         " / Not interactive: add --yes to revert, or --dry-run to preview only.")
    with open_workspace(home(args), args.profile) as ws:
        tagging = TaggingService(ws)
        reader = reader_for(ws)  # a team profile reverts what the team journal records
        if args.batch_id:
            preview = audit.preview_batch_revert(ws.cache, tagging, args.batch_id, reader)
        else:
            assert since is not None
            preview = audit.preview_range_revert(ws.cache, args.operator, since, until,
                                                 reader=reader, tagging=tagging)
        _show_preview(ws.cache, preview, args.json)
        if not preview.plan.changes:
            if not args.json:
                print("没有可以回滚的更改。 / There is nothing to revert.")
            return EXIT_FAILED if preview.skipped else EXIT_OK
        if args.dry_run or not confirm("确认回滚？ / Revert now?", args.yes):
            return EXIT_OK
        outcome = audit.run_revert(tagging, preview, pilot_size=ws.profile.pilot_size,
                                   progress=StderrProgress())
    _show_outcome(outcome, args.json)
    failed = outcome.result.failed or outcome.stopped_after_pilot or outcome.result.pending
    return EXIT_FAILED if failed else EXIT_OK


def _show_preview(cache: Cache, preview: RevertPreview, as_json: bool) -> None:
    from desktop.services.audit import tag_names

    if as_json:
        emit_json({"preview": preview.as_json()})
        return
    names = tag_names(cache, {t for c in preview.plan.changes for t in (*c.add, *c.remove)})
    print(f"回滚 {preview.origin} / Revert {preview.origin}")
    print(f"将恢复 {preview.restorable} 个客户关系 / Will restore {preview.restorable} relations:")
    for change in preview.plan.changes[:PREVIEW_LINES]:
        added = " ".join(f"+{names.get(t, t)}" for t in change.add)
        removed = " ".join(f"-{names.get(t, t)}" for t in change.remove)
        customer = preview.customer_names.get(change.external_userid, "")
        print(f"  {customer} ({change.external_userid}) · {preview.owner(change.userid)}"
              f"\t{added} {removed}")
    _more(len(preview.plan.changes))
    if preview.skipped:
        print(f"无法恢复 {len(preview.skipped)} 个 / Cannot restore {len(preview.skipped)}:")
        for skipped in preview.skipped[:PREVIEW_LINES]:
            customer = preview.customer_names.get(skipped.external_userid, "")
            print(f"  {customer} ({skipped.external_userid}) · {preview.owner(skipped.userid)}"
                  f"\t{skipped.reason}")
        _more(len(preview.skipped))


def _more(shown: int) -> None:
    if shown > PREVIEW_LINES:
        rest = shown - PREVIEW_LINES
        print(f"  …… 另有 {rest} 个 / … and {rest} more (--json lists all)")


def _show_outcome(outcome: RevertOutcome, as_json: bool) -> None:
    result = outcome.result
    if as_json:
        emit_json({"batch_id": outcome.batch_id, "stopped_after_pilot": outcome.stopped_after_pilot,
                    "pilot": outcome.pilot.as_json() if outcome.pilot else None,
                    "result": result.as_json()})
        return
    if outcome.stopped_after_pilot:
        print(f"试点中有 {result.failed} 个调用失败，其余 {result.pending} 个保留在批次"
              f" {outcome.batch_id} 中未发送。 / The pilot had {result.failed} failed calls;"
              f" the other {result.pending} stay queued in batch {outcome.batch_id}.")
    print(f"回滚批次 {outcome.batch_id}：成功 {result.applied}，失败 {result.failed}，"
          f"跳过 {result.skipped}，待发送 {result.pending} / Revert batch {outcome.batch_id}:"
          f" {result.applied} applied, {result.failed} failed, {result.skipped} skipped,"
          f" {result.pending} pending")
    for failure in result.failures[:PREVIEW_LINES]:
        print(f"  {failure.external_userid} · {failure.userid}\t{failure.reason}")
    if result.applied:
        print(f"撤销这次回滚：tagdesk audit revert {outcome.batch_id}"
              f" / To undo this revert: tagdesk audit revert {outcome.batch_id}")
