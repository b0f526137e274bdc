"""`tagdesk retag`, `tagdesk batches` and `tagdesk batch resume|retry-failed|undo`.

Names, flags and the JSON fields of the last stdout line are interfaces: never rename.
Human-readable lines go to stdout (to stderr with --json, so stdout stays machine-readable);
progress goes to stderr.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from desktop.cli.common import (
    StderrProgress,
    add_common,
    confirm,
    emit_json,
    english,
    home,
    human_output,
    open_synced_workspace,
    print_result,
    print_resume_hint,
)
from desktop.cli.errors import EXIT_FAILED, EXIT_OK, UsageError
from desktop.cli.result_report import ResultReport, add_report_option, failures_json
from desktop.domain.bilingual import both

if TYPE_CHECKING:  # the services are imported when a command runs, keeping `tagdesk` quick
    from desktop.domain.retag_plan import RetagPlan, Skipped
    from desktop.services.tagging import BatchInfo, BatchResult, TaggingService
    from desktop.services.workspace import Workspace

_TAG_LIST_SPLIT = re.compile(r"[,，]")
_SHOWN_EXAMPLES = 10


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the batch commands to the `tagdesk` parser."""
    retag = sub.add_parser("retag", help="add / remove tags on every relation a filter matches")
    add_common(retag)
    retag.add_argument("--profile", required=True, metavar="NAME")
    retag.add_argument("--filter", required=True, metavar="EXPR",
                       help='which relations, e.g. "已发货 AND owner:zhangsan" ("" = all)')
    retag.add_argument("--add", default="", metavar="TAGS",
                       help="comma-separated tag names to add; 组:名 picks one group's tag")
    retag.add_argument("--remove", default="", metavar="TAGS",
                       help="comma-separated tag names to remove")
    retag.add_argument("--replace-group", metavar="GROUP",
                       help="remove every other tag of this group (重标), keeping --add")
    retag.add_argument("--allow-conflicts", action="store_true",
                       help="also change relations that end with two mutually exclusive tags")
    retag.add_argument("--pilot", type=int, metavar="N",
                       help="send the first N calls, show the result, then ask to continue")
    retag.add_argument("--dry-run", action="store_true",
                       help="print the plan and write nothing anywhere")
    retag.add_argument("--refresh", action="store_true",
                       help="re-read these relations' tags from WeCom before planning"
                            " (instead of a full sync when the cache is old)")
    retag.add_argument("--expires", metavar="DURATION",
                       help="the added tags expire after 30d, 12h, 2w … (see `tagdesk expiry`)")
    retag.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    retag.add_argument("--json", action="store_true", help="end with a JSON summary line")
    add_report_option(retag)
    retag.set_defaults(handler=retag_command)

    batches = sub.add_parser("batches", help="list tag batches with their status and counts")
    add_common(batches)
    batches.add_argument("--profile", required=True, metavar="NAME")
    batches.add_argument("--json", action="store_true")
    batches.set_defaults(handler=batches_command)

    batch = sub.add_parser("batch", help="continue, retry or undo one batch").add_subparsers(
        dest="batch_command", metavar="SUBCOMMAND", required=True)
    resume = batch.add_parser("resume", help="send what a batch still has pending")
    retry = batch.add_parser("retry-failed", help="queue a batch's failed calls again and send them")
    undo = batch.add_parser("undo", help="put back the tags a batch changed")
    for command, handler in ((resume, resume_command), (retry, retry_failed_command),
                             (undo, undo_command)):
        add_common(command)
        command.add_argument("id", metavar="ID", help="the batch id (see `tagdesk batches`)")
        command.add_argument("--profile", required=True, metavar="NAME")
        command.add_argument("--json", action="store_true", help="end with a JSON summary line")
        add_report_option(command)
        command.set_defaults(handler=handler)
    undo.add_argument("--dry-run", action="store_true", help="print the undo plan only")
    undo.add_argument("--yes", action="store_true", help="do not ask for confirmation")


# -- handlers ---------------------------------------------------------------------------


def retag_command(args: argparse.Namespace) -> int:
    from desktop.services.tagging import TaggingError, TaggingService
    from desktop.store.filter_engine import FilterEngine

    add, remove = _tag_list(args.add), _tag_list(args.remove)
    if not add and not remove and not args.replace_group:
        raise UsageError("请用 --add、--remove 或 --replace-group 指定要改的标签。"
                         " / Say which tags to change with --add, --remove or --replace-group.")
    if args.pilot is not None and args.pilot < 1:
        raise UsageError("--pilot 须为正整数。 / --pilot must be a positive number.")
    expires_s = _expiry_seconds(args.expires, add)
    if args.refresh and args.dry_run:
        raise UsageError("--refresh 会更新本地缓存，不能与 --dry-run 同用。"
                         " / --refresh updates the local cache; it cannot go with --dry-run.")
    out = human_output(args)
    with open_synced_workspace(args, write=not args.dry_run) as ws:
        service = TaggingService(ws)
        try:
            add_ids = service.resolve_tag_names(add)
            remove_ids = service.resolve_tag_names(remove)
            group = service.resolve_group_name(args.replace_group) if args.replace_group else None
            relation_ids = FilterEngine(ws.cache).relation_ids(args.filter)
            if args.refresh:
                refreshed = service.refresh_from_wecom(relation_ids, progress=StderrProgress())
                print(f"已从企业微信刷新，{len(refreshed.relation_ids)} 个关系的标签有变化。"
                      f" / Refreshed from WeCom: {len(refreshed.relation_ids)} relations had"
                      f" changed tags.", file=out)
            plan = service.plan(relation_ids, add_ids, remove_ids, group, args.allow_conflicts)
        except TaggingError as exc:
            raise UsageError(str(exc)) from None
        _print_plan(service, plan, len(relation_ids), out, refreshed=args.refresh)
        if args.dry_run or not plan.api_calls:
            if not plan.api_calls:
                print("没有需要更改的客户关系。 / Nothing to change.", file=out)
            emit_json(_plan_summary(plan, dry_run=args.dry_run))
            return EXIT_OK
        offer_unfinished(service.unfinished_batches(), args.profile)
        if not confirm(_question(args, plan.api_calls, emptying=group is not None and not add),
                       args.yes):
            return _declined(plan)
        batch_id = service.submit(plan, source="batch", description=_describe(args),
                                  pilot_size=args.pilot or 0)
        print(f"批量任务 / batch {batch_id}", file=out)
        if expires_s is not None:
            _set_expiry(ws, plan, expires_s, batch_id)
        result = service.run(batch_id, progress=StderrProgress())
        if args.pilot and result.status == "paused" and not result.stop_reason:
            full = ResultReport(args, "retag")
            print_result(result, out, pilot=True, more=full.more)
            if not confirm(f"试运行完成，继续其余 {result.pending} 个？"
                            f" / Pilot done; continue with the other {result.pending}?",
                            args.yes):
                print_resume_hint(args, batch_id)
                _emit_result(full, result, plan)
                return EXIT_OK
            pilot = result
            result = service.run(batch_id, progress=StderrProgress())
            result = replace(result, api_calls=pilot.api_calls + result.api_calls,
                             elapsed_s=pilot.elapsed_s + result.elapsed_s)
    return _finish(args, result, out, plan)


def _question(args: argparse.Namespace, relations: int, *, emptying: bool) -> str:
    """What a retag asks before it runs; a group replaced with nothing to add is emptied, as
    the window says."""
    if emptying:
        return (f"清空组 {args.replace_group}：从 {relations} 个客户关系上移除该组的所有标签，"
                f"不添加任何标签？ / Empty the group {args.replace_group}: remove every tag of"
                f" it from {relations} relations, adding none in its place?")
    return f"确认修改 {relations} 个客户关系？ / Change {relations} relations?"


def batches_command(args: argparse.Namespace) -> int:
    from desktop.domain.bilingual import shown
    from desktop.services.tagging import BatchInfo
    from desktop.services.workspace import open_local_cache
    from desktop.store import outbox

    with open_local_cache(home(args), args.profile) as cache:
        records = outbox.list_batches(cache)
    if args.json:
        emit_json([BatchInfo.of(r).as_json() for r in records])
        return EXIT_OK
    if not records:
        print("还没有批量任务。 / No batches yet.")
    in_english = english(args)
    for r in records:
        c = r.counts
        created = datetime.fromtimestamp(r.created_at).strftime("%Y-%m-%d %H:%M")
        print(f"{r.id}\t{r.status}\t{c.applied}/{c.total} 成功 applied\t{c.failed} 失败 failed"
              f"\t{c.skipped} 跳过 skipped\t{c.pending} 待发 pending\t{r.source}"
              f"\t{r.operator or '-'}\t{created}\t{shown(r.description, in_english)}")
    return EXIT_OK


def resume_command(args: argparse.Namespace) -> int:
    out = human_output(args)
    with open_synced_workspace(args, write=True) as ws:
        service = _service_for_batch(ws, args.id)
        result = service.run(args.id, progress=StderrProgress())
    return _finish(args, result, out, None)


def retry_failed_command(args: argparse.Namespace) -> int:
    out = human_output(args)
    with open_synced_workspace(args, write=True) as ws:
        service = _service_for_batch(ws, args.id)
        count = service.retry_failed(args.id)
        print(f"重新排队 {count} 个失败的调用。 / Queued {count} failed calls again.", file=out)
        result = service.run(args.id, progress=StderrProgress())
    return _finish(args, result, out, None)


def undo_command(args: argparse.Namespace) -> int:
    out = human_output(args)
    with open_synced_workspace(args, write=not args.dry_run) as ws:
        service = _service_for_batch(ws, args.id)
        plan, skipped = service.plan_undo(args.id)
        _print_plan(service, plan, plan.api_calls + len(skipped), out)
        _print_skipped(skipped, out)
        if args.dry_run or not plan.api_calls:
            if not plan.api_calls:
                print("没有可以撤销的更改。 / Nothing to undo.", file=out)
            emit_json({**_plan_summary(plan, dry_run=args.dry_run),
                        "skipped": len(skipped)})
            return EXIT_OK
        if not confirm(f"确认撤销 {plan.api_calls} 个客户关系的更改？ / Undo the changes on"
                        f" {plan.api_calls} relations?", args.yes):
            return _declined(plan)
        batch_id = service.submit(plan, source="undo", reverts=args.id,
                                  description=both(f"撤销 {args.id}", f"undo {args.id}"))
        print(f"批量任务 / batch {batch_id}", file=out)
        result = service.run(batch_id, progress=StderrProgress())
    return _finish(args, result, out, plan)


# -- helpers ----------------------------------------------------------------------------


def _expiry_seconds(expires: str | None, add: Sequence[str]) -> int | None:
    from desktop.domain.rule_format import RuleFormatError, parse_duration

    if expires is None:
        return None
    if not add:
        raise UsageError("--expires 只用于 --add 添加的标签。 / --expires applies to tags added"
                         " with --add.")
    try:
        return parse_duration(expires, "--expires")
    except RuleFormatError as exc:
        raise UsageError(str(exc)) from None


def _set_expiry(ws: Workspace, plan: RetagPlan, seconds: int, batch_id: str) -> None:
    """The tags this batch adds expire `seconds` from now (on the relations it adds them to)."""
    from desktop.services.tag_expiry import ExpiryService

    ExpiryService(ws).set_for_plan(plan, seconds, batch_id)


def _service_for_batch(ws: Workspace, batch_id: str) -> TaggingService:
    from desktop.services.tagging import TaggingError, TaggingService

    service = TaggingService(ws)
    try:
        service.batch(batch_id)
    except TaggingError as exc:
        raise UsageError(str(exc)) from None
    return service



def _tag_list(text: str) -> list[str]:
    return [name.strip() for name in _TAG_LIST_SPLIT.split(text or "") if name.strip()]


def _describe(args: argparse.Namespace) -> str:
    """"筛选：F +A -R / Filter: F +A -R", as the batch stores its description."""
    changes = [f"+{args.add}"] if args.add else []
    if args.remove:
        changes.append(f"-{args.remove}")
    zh, en = [f"筛选：{args.filter}", *changes], [f"filter: {args.filter}", *changes]
    if args.replace_group:
        zh.append(f"重标 {args.replace_group}")
        en.append(f"replace group {args.replace_group}")
    return both(" ".join(zh), " ".join(en))


def _declined(plan: RetagPlan) -> int:
    print("已取消，没有做任何更改。 / Cancelled; nothing was changed.", file=sys.stderr)
    emit_json({**_plan_summary(plan, dry_run=False), "status": "declined"})
    return EXIT_OK


def offer_unfinished(unfinished: list[BatchInfo], profile: str) -> None:
    """Say on stderr which batches an earlier run (or a crash) left unfinished."""
    for info in unfinished:
        print(f"提示：批量任务 {info.id} 还有 {info.pending} 个调用未完成，可用 tagdesk batch"
              f" resume {info.id} --profile {profile} 继续。 / Note: batch {info.id} has"
              f" {info.pending} calls pending; continue it with"
              f" `tagdesk batch resume {info.id} --profile {profile}`.", file=sys.stderr)


def _print_plan(service: TaggingService, plan: RetagPlan, considered: int, out: TextIO,
                *, refreshed: bool = False) -> None:
    names = service.tag_labels()
    print(f"预览 / Preview: {considered} 个客户关系 relations · {plan.api_calls} 次调用 calls"
          f" · {plan.skipped_noop} 无需更改 no-op · {plan.conflicting_relations} 冲突 conflicts",
          file=out)
    for tag_id, count in sorted(plan.per_tag_add.items(), key=lambda kv: -kv[1]):
        already = plan.already_tagged.get(tag_id, 0)
        print(f"  + {names.get(tag_id, tag_id)}: {count}（已有 already tagged {already}）",
              file=out)
    for tag_id, count in sorted(plan.per_tag_remove.items(), key=lambda kv: -kv[1]):
        absent = plan.already_absent.get(tag_id, 0)
        print(f"  - {names.get(tag_id, tag_id)}: {count}（本就没有 already absent {absent}）",
              file=out)
    if plan.conflicts:
        verdict = "仍会修改 changed anyway" if plan.conflicts_allowed else "已跳过 skipped"
        print(f"  互斥冲突 / exclusive-set conflicts（{verdict}）:", file=out)
        for conflict in plan.conflicts[:_SHOWN_EXAMPLES]:
            tags = "、".join(names.get(t, t) for t in conflict.tag_ids)
            print(f"    {conflict.external_userid} ({conflict.userid}) {conflict.set_name}:"
                  f" {tags}", file=out)
        if len(plan.conflicts) > _SHOWN_EXAMPLES:
            print(f"    … +{len(plan.conflicts) - _SHOWN_EXAMPLES}", file=out)
    if plan.api_calls:
        print(f"  预计耗时 / ETA: ~{_minutes(service.estimate_seconds(plan))}", file=out)
    note = None if refreshed else service.stale_cache_note(plan)
    if note is not None:
        print(f"注意 / Note: {note[0]} / {note[1]}", file=sys.stderr)


def _print_skipped(skipped: Sequence[Skipped], out: TextIO) -> None:
    for item in skipped[:_SHOWN_EXAMPLES]:
        print(f"  跳过 skipped {item.external_userid} ({item.userid}): {item.reason}", file=out)
    if len(skipped) > _SHOWN_EXAMPLES:
        print(f"  … +{len(skipped) - _SHOWN_EXAMPLES}", file=out)


def _finish(args: argparse.Namespace, result: BatchResult, out: TextIO,
            plan: RetagPlan | None) -> int:
    kind = f"batch-{args.batch_command}" if args.command == "batch" else args.command
    full = ResultReport(args, kind)
    print_result(result, out, more=full.more)
    if result.stop_reason:
        print(f"tagdesk: {result.stop_reason}", file=sys.stderr)
    if result.pending:
        print_resume_hint(args, result.batch_id)
    _emit_result(full, result, plan)
    return EXIT_OK if result.status == "done" and not result.failed else EXIT_FAILED


def _emit_result(full: ResultReport, result: BatchResult, plan: RetagPlan | None) -> None:
    """The JSON result line: counts, the first failures (all of them in the report file)."""
    full.emit(_result_summary(result, plan), {"failures": failures_json(result.failures)})


def _plan_summary(plan: RetagPlan, *, dry_run: bool) -> dict[str, object]:
    return {
        "batch_id": None, "status": "dry_run" if dry_run else "nothing_to_do",
        "planned": plan.api_calls, "applied": 0, "skipped": 0, "failed": 0, "pending": 0,
        "api_calls": 0, "elapsed_s": 0.0, "noop": plan.skipped_noop,
        "conflicts": plan.conflicting_relations, "dry_run": dry_run,
    }


def _result_summary(result: BatchResult, plan: RetagPlan | None) -> dict[str, object]:
    summary = result.as_json()
    if plan is not None:
        summary.update({"noop": plan.skipped_noop, "conflicts": plan.conflicting_relations})
    summary["dry_run"] = False
    return summary


def _minutes(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"
