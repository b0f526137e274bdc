"""`tagdesk health` (the tag health report) and `tagdesk migrate` (the migration planner).

Names, flags and the JSON fields of the last stdout line are interfaces: never rename.
With --json, human-readable lines go to stderr so stdout stays machine-readable.
"""

from __future__ import annotations

import argparse
import sys
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
)
from desktop.cli.errors import EXIT_FAILED, EXIT_OK, UsageError
from desktop.domain.bilingual import capitalised
from desktop.domain.hygiene_defaults import (
    DEFAULT_CORP_TAG_CAP,
    DEFAULT_GROUP_TAG_CAP,
    DEFAULT_ZOMBIE_DAYS,
)

if TYPE_CHECKING:
    from desktop.domain.governance import Decision
    from desktop.domain.migration_plan import MigrationPlan
    from desktop.services.migration import MigrationService
    from desktop.services.workspace import Workspace

_SHOWN = 200


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `health` and `migrate` to the `tagdesk` parser."""

    health = sub.add_parser("health", help="tag health: duplicates, zombies, conflicts, capacity")
    add_common(health)
    health.add_argument("--profile", required=True, metavar="NAME")
    health.add_argument("--zombie-days", type=int, default=DEFAULT_ZOMBIE_DAYS, metavar="N",
                        help="a tag with no change and no new customer for N days is a zombie")
    health.add_argument("--corp-cap", type=int, default=DEFAULT_CORP_TAG_CAP, metavar="N",
                        help="the corp's tag cap (WeCom: 3,000, or 10,000 with rule-group tags)")
    health.add_argument("--group-cap", type=int, default=DEFAULT_GROUP_TAG_CAP, metavar="N",
                        help="tags a group may hold")
    health.add_argument("--export", metavar="FILE.xlsx", help="also write the findings here")
    health.add_argument("--probe-ownership", action="store_true",
                        help="first ask WeCom which groups this app may change (one edit per"
                             " group setting the order it already has)")
    health.add_argument("--json", action="store_true", help="end with a JSON report line")
    health.set_defaults(handler=health_command)

    migrate = sub.add_parser("migrate", help="move the customers of tags onto another tag")
    add_common(migrate)
    migrate.add_argument("--profile", required=True, metavar="NAME")
    migrate.add_argument("--from", dest="sources", metavar="TAGS",
                         help="comma-separated source tags; 组:名 picks one group's tag")
    migrate.add_argument("--to", dest="target", metavar="TAG",
                         help="the target tag; a new name (组:名 for another group) creates it")
    migrate.add_argument("--adopt", metavar="GROUP",
                         help="re-create a console-made group under TagDesk's app and move its"
                              " customers onto it (instead of --from/--to)")
    migrate.add_argument("--new-group", default="", metavar="NAME",
                         help="with --adopt: the new group's name (default: GROUP(TagDesk))")
    migrate.add_argument("--reason", default="", metavar="TEXT",
                         help="with --adopt on a team profile: why, for the administrators when"
                              " the adoption needs their approval")
    migrate.add_argument("--delete-source", action="store_true",
                         help="delete the sources once every customer is moved")
    migrate.add_argument("--group-cap", type=int, default=DEFAULT_GROUP_TAG_CAP, metavar="N",
                         help="tags a group may hold")
    migrate.add_argument("--dry-run", action="store_true",
                         help="print the plan and write nothing anywhere")
    migrate.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    migrate.add_argument("--json", action="store_true", help="end with a JSON summary line")
    migrate.set_defaults(handler=migrate_command)


def health_command(args: argparse.Namespace) -> int:
    from desktop.domain.hygiene import HygieneSettings
    from desktop.services import health
    from desktop.services.workspace import open_local_cache

    for flag, value in (("--zombie-days", args.zombie_days), ("--corp-cap", args.corp_cap),
                        ("--group-cap", args.group_cap)):
        if value < 1:
            raise UsageError(f"{flag} 须为正整数。 / {flag} must be a positive number.")
    settings = HygieneSettings(zombie_days=args.zombie_days, corp_tag_cap=args.corp_cap,
                               group_tag_cap=args.group_cap)
    if args.probe_ownership:
        from desktop.services.tag_admin import TagAdminService

        with open_synced_workspace(args, write=True) as ws:
            TagAdminService(ws).probe_ownership()
    with open_local_cache(home(args), args.profile) as cache:
        found = health.gather(cache, settings)
    out = human_output(args)
    findings = found.findings()
    for finding in findings[:_SHOWN]:
        print(f"{finding.zh} / {finding.en} · {finding.relations}", file=out)
    if len(findings) > _SHOWN:
        print(f"… +{len(findings) - _SHOWN}", file=out)
    zh, en = found.capacity_line()
    print(f"{zh} / {en}", file=out)
    if args.export:
        rows = health.export(found, Path(args.export))
        print(f"已导出 {rows} 条 / Exported {rows} findings: {args.export}", file=out)
    if args.json:
        emit_json(found.as_json())
    return EXIT_OK


def migrate_command(args: argparse.Namespace) -> int:
    from desktop.services.migration import MigrationService

    if args.adopt is not None:
        from desktop.cli.adopt_commands import adopt_command

        if args.sources or args.target or args.delete_source:
            raise UsageError("--adopt 不能与 --from、--to、--delete-source 同用。 / --adopt does not"
                             " go with --from, --to or --delete-source.")
        return adopt_command(args)
    if not args.sources or not args.target:
        raise UsageError("请用 --from 和 --to 指定源标签和目标标签（或用 --adopt 收编标签组）。 /"
                         " Name the sources with --from and the target with --to (or a group"
                         " with --adopt).")
    sources = [name.strip() for name in args.sources.replace("，", ",").split(",") if name.strip()]
    if not sources:
        raise UsageError("请用 --from 指定源标签。 / Name the source tags with --from.")
    out = human_output(args)
    with open_synced_workspace(args, write=not args.dry_run) as ws:
        service = MigrationService(ws, group_cap=args.group_cap)
        plan = service.plan(sources, args.target, delete_source=args.delete_source)
        request = _approval_needed(ws, plan)
        _print_plan(service, plan, out)
        if request is not None:
            _print_request(plan, request, out)
        if args.dry_run:
            emit_json({**_plan_summary(plan), "needs_approval": request is not None,
                       "dry_run": True})
            return EXIT_OK
        if not confirm(f"确认迁移 {plan.relations} 个客户关系（{plan.api_calls} 次调用）？"
                       f" / Migrate {plan.relations} relations ({plan.api_calls} calls)?",
                       args.yes):
            print("已取消，没有做任何更改。 / Cancelled; nothing was changed.", file=sys.stderr)
            emit_json({**_plan_summary(plan), "dry_run": False, "status": "declined"})
            return EXIT_OK
        result = service.run(plan, progress=StderrProgress())
    print(f"结果 / Result: {result.applied}/{result.planned} 已迁移 moved · {result.failed} 失败"
          f" failed · {result.pending} 待发 pending · {result.api_calls} API calls ·"
          f" {result.elapsed_s:.1f} s", file=out)
    if result.batch_id and not result.complete:
        print(f"源标签未删除；可用 tagdesk batch resume {result.batch_id} --profile {args.profile}"
              f" 继续，再重新运行本命令。 / The sources were not deleted; finish with"
              f" `tagdesk batch resume {result.batch_id} --profile {args.profile}` and run this"
              f" command again.", file=sys.stderr)
    emit_json({**result.as_json(), "dry_run": False})
    return EXIT_OK if result.complete else EXIT_FAILED


def _print_plan(service: MigrationService, plan: MigrationPlan, out: TextIO) -> None:
    from desktop.domain.retag_plan import format_duration

    sources = "、".join(f"{s.group_name}:{s.name}" for s in plan.sources)
    target = f"{plan.target.group_name}:{plan.target.name}"
    new = "（新建 new）" if plan.target.existing is None else ""
    print(f"迁移 / Migrate: {sources} → {target}{new}", file=out)
    if plan.strategy.value == "rename":
        print(f"  策略 strategy: rename — 改名一次，{plan.relations} 个客户关系随之迁移"
              f" / one rename moves all {plan.relations} relations", file=out)
    else:
        print(f"  策略 strategy: relabel — {plan.relations} 个客户关系 relations,"
              f" {plan.relabel.api_calls} 次打标签调用 mark_tag calls,"
              f" {plan.already_on_target} 个已有目标标签 already on the target", file=out)
    deleting = "，之后删除源标签 then delete the sources" if plan.delete_source else ""
    print(f"  共 {plan.api_calls} 次调用 API calls{deleting} · 预计耗时 ETA"
          f" ~{format_duration(service.estimate_seconds(plan))}", file=out)


def _approval_needed(ws: Workspace, plan: MigrationPlan) -> Decision | None:
    """On a team profile, why the team server will make the plan an approval request."""
    from desktop.services.governance import team_rules
    from desktop.services.migration import approval_needed

    return approval_needed(plan, team_rules(ws.profile)) if ws.profile.is_team else None


def _print_request(plan: MigrationPlan, request: Decision, out: TextIO) -> None:
    if plan.strategy.value == "rename":
        print(f"  {request.zh}：运行后会提交申请，管理员批准前不会有任何改动。 / {capitalised(request.en)}:"
              " running it sends a request, and nothing changes until an administrator"
              " approves it.", file=out)
    else:
        print(f"  {request.zh}：客户迁移完成后会提交删除申请，源标签保留到管理员批准。 /"
              f" {capitalised(request.en)}: once every customer is moved a request is sent,"
              " and the sources stay until an administrator approves it.", file=out)


def _plan_summary(plan: MigrationPlan) -> dict[str, object]:
    return {"strategy": plan.strategy.value, "planned": plan.planned, "applied": 0,
            "api_calls": 0, "planned_api_calls": plan.api_calls, "elapsed_s": 0.0,
            "relations": plan.relations, "already_on_target": plan.already_on_target}

