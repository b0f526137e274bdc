"""`tagdesk migrate --adopt GROUP`: re-create a console-made tag group under TagDesk's app.

With --json, human-readable lines go to stderr so stdout stays machine-readable; the last
stdout line holds the plan (`--dry-run`) or the result.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from desktop.cli.common import (
    StderrProgress,
    confirm,
    emit_json,
    human_output,
    open_synced_workspace,
)
from desktop.cli.errors import EXIT_FAILED, EXIT_OK, UsageError
from desktop.domain.retag_plan import format_duration
from desktop.services import governance
from desktop.services.adoption import AdoptionPlan, AdoptionService
from desktop.wecom.error_codes import TEAM_NOT_ALLOWED
from desktop.wecom.errors import WeComError

EXIT_APPROVAL = 3    # on a team profile: the adoption became a request for an admin


def adopt_command(args: argparse.Namespace) -> int:
    if not args.adopt.strip():
        raise UsageError("请用 --adopt 指定标签组。 / Name the group with --adopt.")
    out = human_output(args)
    with open_synced_workspace(args, write=not args.dry_run) as ws:
        service = AdoptionService(ws, group_cap=args.group_cap)
        plan = service.plan(args.adopt, new_name=args.new_group)
        _print_plan(service, plan, out)
        if args.dry_run:
            emit_json({**plan.as_json(), "applied": 0, "api_calls": 0, "elapsed_s": 0.0,
                       "dry_run": True})
            return EXIT_OK
        if not confirm(f"确认新建标签组「{plan.twin_group_name}」并迁移 {plan.relations} 个客户关系？"
                       f" / Create the group {plan.twin_group_name!r} and move {plan.relations}"
                       " relations?", args.yes):
            print("已取消，没有做任何更改。 / Cancelled; nothing was changed.", file=sys.stderr)
            emit_json({**plan.as_json(), "dry_run": False, "status": "declined"})
            return EXIT_OK
        try:
            result = service.run(plan, progress=StderrProgress())
        except WeComError as exc:
            if exc.errcode != TEAM_NOT_ALLOWED or not ws.profile.is_team:
                raise
            asked = governance.request_adoption(ws.profile, plan.group_id,
                                                plan.twin_group_name, args.reason)
            print(asked["sentence"], file=sys.stderr)
            emit_json({**plan.as_json(), "dry_run": False, "status": "approval_requested",
                       "approval_id": asked["approval_id"]})
            return EXIT_APPROVAL
    print(f"结果 / Result: {result.applied}/{result.plan.planned} 已迁移 moved · {result.failed}"
          f" 失败 failed · {result.pending} 待发 pending · {result.api_calls} API calls ·"
          f" {result.elapsed_s:.1f} s", file=out)
    if result.complete:
        print(f"旧标签组「{plan.group_name}」已无客户使用，请管理员在企业微信管理后台删除它；删除后可把"
              f"「{plan.twin_group_name}」改回原名。 / No customer carries the old group"
              f" {plan.group_name!r} any more: an admin deletes it in the WeCom admin console;"
              f" then {plan.twin_group_name!r} can be renamed back.", file=out)
    elif result.batch_id:
        print(f"可用 tagdesk batch resume {result.batch_id} --profile {args.profile} 继续。"
              f" / Finish with `tagdesk batch resume {result.batch_id} --profile"
              f" {args.profile}`.", file=sys.stderr)
    emit_json({**result.as_json(), "dry_run": False})
    return EXIT_OK if result.complete else EXIT_FAILED


def _print_plan(service: AdoptionService, plan: AdoptionPlan, out: TextIO) -> None:
    new = "（新建 new）" if not plan.twin_group_id else ""
    print(f"收编 / Adopt: {plan.group_name} → {plan.twin_group_name}{new}", file=out)
    if not plan.known_read_only:
        print("  TagDesk 尚未遇到企业微信对该组的 81011 拒绝；如果它本就归本应用所有，直接编辑即可。"
              " / WeCom has not refused an edit of this group yet (81011); if this app owns it,"
              " edit it directly instead.", file=out)
    print(f"  {len(plan.tags)} 个标签 tags（新建 {len(plan.missing)} to create）,"
          f" {plan.relations} 个客户关系 relations, {plan.relabel.api_calls} 次打标签调用"
          f" mark_tag calls", file=out)
    print(f"  共 {plan.api_calls} 次调用 API calls · 预计耗时 ETA"
          f" ~{format_duration(service.estimate_seconds(plan))}", file=out)
