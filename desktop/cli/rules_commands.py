"""`tagdesk rules …` (keep, simulate and run rules) and `tagdesk expiry …` (tags that expire).

Human-readable lines go to stdout (to stderr with --json, so stdout stays machine-readable);
the JSON line is the last stdout line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from desktop.cli.common import (
    StderrProgress,
    add_common,
    confirm,
    emit_json,
    human_output,
    open_synced_workspace,
    print_result,
    print_resume_hint,
)
from desktop.cli.errors import EXIT_FAILED, EXIT_OK, UsageError
from desktop.cli.result_report import ResultReport, add_report_option, failures_json

if TYPE_CHECKING:
    from desktop.domain.rules import Evaluation
    from desktop.services.rules import KeptRule, Simulation
    from desktop.services.tagging import BatchResult
    from desktop.services.workspace import Workspace

SHOWN = 10


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rules = sub.add_parser("rules", help="tagging rules: keep, simulate, run").add_subparsers(
        dest="rules_command", metavar="SUBCOMMAND", required=True)
    commands = {
        "list": ("the rules kept for this profile", rules_list),
        "show": ("one rule: its JSON and what it reads as", rules_show),
        "add": ("add (or replace) the rules of a JSON file", rules_add),
        "remove": ("remove a rule", rules_remove),
        "enable": ("enable a rule", rules_enable),
        "disable": ("disable a rule (kept, not run)", rules_disable),
        "simulate": ("who the rules would change, why, and the API calls", rules_simulate),
        "run": ("run the rules as one batch (preview, pilot, revertible)", rules_run),
    }
    parsers = {}
    for name, (help_text, handler) in commands.items():
        parser = rules.add_parser(name, help=help_text)
        add_common(parser)
        parser.add_argument("--profile", required=True, metavar="NAME")
        parser.add_argument("--json", action="store_true", help="end with one JSON line")
        parser.set_defaults(handler=handler)
        parsers[name] = parser
    parsers["add"].add_argument("file", type=Path, metavar="FILE",
                                help="a JSON file: one rule, a list, or {\"rules\": [...]}")
    parsers["add"].add_argument("--department", metavar="NAME",
                                help="team profiles: the department the rules belong to"
                                     " (default: the one you head)")
    parsers["add"].add_argument("--visibility", choices=("department", "team"),
                                help="team profiles: who sees the rules (default: department)")
    for name in ("show", "remove", "enable", "disable"):
        parsers[name].add_argument("name", metavar="NAME")
    for name in ("simulate", "run"):
        parsers[name].add_argument("names", nargs="*", metavar="NAME",
                                   help="only these rules (default: every enabled rule)")
        add_report_option(parsers[name])
    run = parsers["run"]
    run.add_argument("--pilot", type=int, metavar="N",
                     help="send the first N calls, show the result, then ask to continue")
    run.add_argument("--dry-run", action="store_true", help="print the plan and write nothing")
    run.add_argument("--skip-contested", action="store_true",
                     help="run although rules contradict or loop (those relations are left"
                          " alone)")
    run.add_argument("--allow-conflicts", action="store_true",
                     help="also change relations that end with two mutually exclusive tags")
    run.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    expiry = sub.add_parser("expiry", help="tags that expire").add_subparsers(
        dest="expiry_command", metavar="SUBCOMMAND", required=True)
    for name, help_text, handler in (
            ("list", "tags that will expire, soonest first", expiry_list),
            ("set", "give a tag an expiry on the relations a filter matches", expiry_set),
            ("run", "remove the tags that ran out, as one batch (source expiry)", expiry_run)):
        parser = expiry.add_parser(name, help=help_text)
        add_common(parser)
        parser.add_argument("--profile", required=True, metavar="NAME")
        parser.add_argument("--json", action="store_true", help="end with one JSON line")
        parser.set_defaults(handler=handler)
        if name == "set":
            parser.add_argument("--filter", required=True, metavar="EXPR",
                                help="which relations (those carrying the tag get the expiry)")
            parser.add_argument("--tag", required=True, metavar="TAG")
            parser.add_argument("--expires", required=True, metavar="DURATION",
                                help="30d, 12h, 2w (天 / 小时 / 周)")


# -- rules ----------------------------------------------------------------------------------


def rules_list(args: argparse.Namespace) -> int:
    from desktop.domain.rules import describe
    from desktop.services.rules import RulesService

    with open_synced_workspace(args, write=False) as ws:
        service = RulesService(ws)
        kept = service.kept()
        team = ws.profile.is_team
        last_run = service.server_last_run() if team else None
    if args.json:
        emit_json({"rules": [_rule_json(k) for k in kept],
                   **({"server_last_run": last_run} if team else {})})
        return EXIT_OK
    if not kept:
        print("还没有规则；用 tagdesk rules add FILE 添加。 / No rules yet; add them with"
              " `tagdesk rules add FILE`.")
    for k in kept:
        state = "启用 enabled" if k.rule.enabled else "停用 disabled"
        owner = f"\t{k.owner} · {k.department or '全公司 corp-wide'}" \
            f"{'' if k.editable else ' · 只读 read-only'}" if team else ""
        print(f"{k.rule.name}\t{state}{owner}\t{describe(k.rule.when)}\t→ {_action_text(k)}")
    if team:
        print(_last_run_text(last_run))
    return EXIT_OK


def _last_run_text(run: dict[str, Any] | None) -> str:
    if run is None:
        return "团队服务器还没有运行过规则。 / The team server has not run the rules yet."
    when = datetime.fromtimestamp(run["finished_at"]).strftime("%Y-%m-%d %H:%M:%S")
    skipped = "".join(f"\n  跳过 skipped {name}: {why}" for name, why in run["skipped"].items())
    running = (f"\n团队服务器正在运行规则 / The team server is running the rules now:"
               f" {run['running_now']}" if run.get("running_now") else "")
    return (f"团队服务器上次运行 / Last run on the team server: {when} · {run['batch_id']} ·"
            f" {run['relations']} 个客户关系 relations, {run['changed']} 个更改 changed,"
            f" {run['applied']} 成功 applied, {run['failed']} 失败 failed, {run['contested']}"
            f" 有争议 contested, {run['unread']} 未读 unread{skipped}{running}")


def rules_show(args: argparse.Namespace) -> int:
    import json

    from desktop.domain.rules import describe
    from desktop.services.rules import RulesService

    with open_synced_workspace(args, write=False) as ws:
        kept = RulesService(ws).get(args.name)
    if args.json:
        emit_json(_rule_json(kept))
        return EXIT_OK
    print(json.dumps(kept.definition, ensure_ascii=False, indent=2))
    if ws.profile.is_team:
        print(f"负责人 / owner: {kept.owner} · 部门 / department:"
              f" {kept.department or '全公司 corp-wide'} · 可见 visibility: {kept.visibility}"
              f"{'' if kept.editable else ' · 只读 read-only'}")
    if kept.reverted_left_alone:
        print(f"已回滚、不再更改的客户关系 / reverted relations left alone:"
              f" {kept.reverted_left_alone}（编辑规则后重新适用 / until the rule is edited）")
    print(f"条件 / when: {describe(kept.rule.when)}")
    print(f"动作 / then: {_action_text(kept)}")
    return EXIT_OK


def rules_add(args: argparse.Namespace) -> int:
    from desktop.services.rules import RulesService

    with open_synced_workspace(args, write=True) as ws:
        if (args.department or args.visibility) and not ws.profile.is_team:
            raise UsageError("--department 和 --visibility 只用于团队配置。 / --department and"
                             " --visibility apply to team profiles only.")
        service = RulesService(ws)
        found = service.read_file(args.file)
        new = service.add(found, department=args.department, visibility=args.visibility)
        simulation = service.simulate()
    out = human_output(args)
    for (_, rule), is_new in zip(found, new, strict=True):
        verb = "已添加 added" if is_new else "已替换 replaced"
        print(f"{verb}: {rule.name}", file=out)
    _print_contested(simulation.evaluation, simulation.labels, out)
    if args.json:
        emit_json({"added": [r.name for (_, r), n in zip(found, new, strict=True) if n],
                   "replaced": [r.name for (_, r), n in zip(found, new, strict=True) if not n],
                   **_contested_json(simulation.evaluation, simulation.labels)})
    return EXIT_OK


def rules_remove(args: argparse.Namespace) -> int:
    from desktop.services.rules import RulesService

    with open_synced_workspace(args, write=True) as ws:
        RulesService(ws).remove(args.name)
    print(f"已删除规则 / Removed rule: {args.name}", file=human_output(args))
    if args.json:
        emit_json({"removed": args.name})
    return EXIT_OK


def rules_enable(args: argparse.Namespace) -> int:
    return _set_enabled(args, True)


def rules_disable(args: argparse.Namespace) -> int:
    return _set_enabled(args, False)


def _set_enabled(args: argparse.Namespace, enabled: bool) -> int:
    from desktop.services.rules import RulesService

    with open_synced_workspace(args, write=True) as ws:
        RulesService(ws).set_enabled(args.name, enabled)
    word = "已启用 / Enabled" if enabled else "已停用 / Disabled"
    print(f"{word}: {args.name}", file=human_output(args))
    if args.json:
        emit_json({"name": args.name, "enabled": enabled})
    return EXIT_OK


def rules_simulate(args: argparse.Namespace) -> int:
    from desktop.services.rules import RulesService

    full = ResultReport(args, "rules-simulate")
    out = human_output(args)
    with open_synced_workspace(args, write=False) as ws:
        service = RulesService(ws)
        simulation = service.simulate(args.names)
        eta = service.tagging.estimate_seconds(service.plan(simulation)) \
            if simulation.evaluation.outcomes else 0.0
    _print_simulation(simulation, out, full, eta)
    if args.json:
        summary, lists = _simulation_json(simulation)
        full.emit({**summary, "eta_s": round(eta, 1)}, lists)
    return EXIT_OK


def rules_run(args: argparse.Namespace) -> int:
    from desktop.services.rules import RulesService

    if args.pilot is not None and args.pilot < 1:
        raise UsageError("--pilot 须为正整数。 / --pilot must be a positive number.")
    full = ResultReport(args, "rules-run")
    out = human_output(args)
    with open_synced_workspace(args, write=not args.dry_run) as ws:
        service = RulesService(ws)
        simulation = service.simulate(args.names)
        plan = service.plan(simulation, allow_conflicts=args.allow_conflicts)
        eta = service.tagging.estimate_seconds(plan)
        _print_simulation(simulation, out, full, eta)
        summary, lists = _simulation_json(simulation)
        summary.update({"planned": plan.api_calls, "batch_id": None, "dry_run": args.dry_run,
                        "conflicts": plan.conflicting_relations})
        evaluation = simulation.evaluation
        if (evaluation.contradictions or evaluation.loops) and not args.skip_contested:
            raise UsageError(
                "规则之间有矛盾或循环（见上）：请先修改规则，或加 --skip-contested 不改这些客户关系"
                "继续；什么都没有改。 / The rules contradict each other or loop (see above): fix"
                " them first, or add --skip-contested to go on leaving those relations alone."
                " Nothing was changed.")
        if args.dry_run or not plan.api_calls:
            if not plan.api_calls:
                print("没有需要更改的客户关系。 / Nothing to change.", file=out)
            if args.json:
                full.emit({**summary, "status": "dry_run" if args.dry_run else "nothing_to_do"},
                          lists)
            return EXIT_OK
        if not confirm(f"确认按规则修改 {plan.api_calls} 个客户关系？ / Change {plan.api_calls}"
                       " relations by these rules?", args.yes):
            print("已取消，没有做任何更改。 / Cancelled; nothing was changed.", file=sys.stderr)
            return EXIT_OK
        batch_id = service.submit(simulation, plan, pilot_size=args.pilot or 0)
        print(f"批量任务 / batch {batch_id}", file=out)
        result = service.tagging.run(batch_id, progress=StderrProgress())
        if args.pilot and result.status == "paused" and not result.stop_reason:
            print_result(result, out, pilot=True, more=full.more)
            if not confirm(f"试运行完成，继续其余 {result.pending} 个？ / Pilot done; continue with"
                           f" the other {result.pending}?", args.yes):
                print_resume_hint(args, batch_id)
                return _finish(args, full, result, summary, lists, out)
            pilot = result
            result = service.tagging.run(batch_id, progress=StderrProgress())
            result = replace(result, api_calls=pilot.api_calls + result.api_calls,
                             elapsed_s=pilot.elapsed_s + result.elapsed_s)
    return _finish(args, full, result, summary, lists, out)


def _finish(args: argparse.Namespace, full: ResultReport, result: BatchResult,
            summary: dict[str, object], lists: dict[str, Sequence[object]], out: TextIO) -> int:
    print_result(result, out, more=full.more)
    if result.pending:
        print_resume_hint(args, result.batch_id)
    if args.json:
        full.emit({**summary, **result.as_json(), "dry_run": False},
                  {**lists, "failures": failures_json(result.failures)})
    return EXIT_OK if result.status == "done" and not result.failed else EXIT_FAILED


# -- expiry ---------------------------------------------------------------------------------


def expiry_list(args: argparse.Namespace) -> int:
    from desktop.services.tag_expiry import ExpiryService

    with open_synced_workspace(args, write=True) as ws:
        service = ExpiryService(ws)
        pending = service.pending()
        labels = service.tagging.tag_labels()
    if args.json:
        emit_json({"expiries": [
            {"external_userid": e.external_userid, "userid": e.userid, "tag_id": e.tag_id,
             "tag": labels.get(e.tag_id, e.tag_id), "expires_at": round(e.expires_at, 3),
             "origin": e.origin} for e in pending]})
        return EXIT_OK
    if not pending:
        print("没有会过期的标签。 / No tag is set to expire.")
    for e in pending:
        when = datetime.fromtimestamp(e.expires_at).strftime("%Y-%m-%d %H:%M")
        print(f"{when}\t{labels.get(e.tag_id, e.tag_id)}\t{e.external_userid}\t{e.userid}"
              f"\t{e.origin}")
    return EXIT_OK


def expiry_set(args: argparse.Namespace) -> int:
    from desktop.domain.rule_format import RuleFormatError, parse_duration
    from desktop.services.tag_expiry import ExpiryService
    from desktop.store import outbox
    from desktop.store.filter_engine import FilterEngine

    try:
        seconds = parse_duration(args.expires, "--expires")
    except RuleFormatError as exc:
        raise UsageError(f"--expires：{exc.message_zh.split('：', 1)[-1]} / --expires:"
                         f" {exc.message_en.split(': ', 1)[-1]}") from None
    with open_synced_workspace(args, write=True) as ws:
        service = ExpiryService(ws)
        tag_id = service.tagging.resolve_tag_names([args.tag])[0]
        ids = FilterEngine(ws.cache).relation_ids(args.filter)
        carrying = [s.relation_id for s in outbox.relation_states(ws.cache, ids).values()
                    if tag_id in s.tag_ids]
        count = service.set_carried(carrying, tag_id, seconds)
    print(f"{count} 个客户关系上的 {args.tag} 将于 {args.expires} 后过期。 / {args.tag} expires in"
          f" {args.expires} on {count} relations.", file=human_output(args))
    if args.json:
        emit_json({"tag_id": tag_id, "relations": count, "expires_in_s": seconds})
    return EXIT_OK


def expiry_run(args: argparse.Namespace) -> int:
    from desktop.services.tag_expiry import ExpiryService

    out = human_output(args)
    with open_synced_workspace(args, write=True) as ws:
        run = ExpiryService(ws).run(progress=StderrProgress())
    if run.by_team_server:
        print("团队配置的到期标签由团队服务器在到期时移除。 / A team profile's expiring tags are"
              " removed by its team server when due.", file=out)
    elif run.result is None:
        print(f"没有到期的标签（{len(run.due)} 个到期项已不在客户关系上）。 / No tag is due"
              f" ({len(run.due)} due entries no longer on a relation).", file=out)
    else:
        print(f"批量任务 / batch {run.result.batch_id}", file=out)
        print_result(run.result, out)
    if args.json:
        emit_json(run.as_json())
    return EXIT_OK if run.result is None or (run.result.status == "done"
                                             and not run.result.failed) else EXIT_FAILED


def expire_after_sync(ws: Workspace) -> dict[str, object]:
    """After a sync: remove the tags that ran out (one batch, source expiry), said on stderr."""
    from desktop.services.tag_expiry import ExpiryService

    run = ExpiryService(ws).run(progress=StderrProgress())
    if run.result is not None:
        print(f"已移除到期标签 / Expired tags removed: batch {run.result.batch_id},"
              f" {run.result.applied}/{run.result.planned} 成功 applied,"
              f" {run.result.failed} 失败 failed", file=sys.stderr)
    return run.as_json()


# -- printing -------------------------------------------------------------------------------



def _action_text(kept: KeptRule) -> str:
    then = kept.rule.then
    parts = [f"+{t.text}" for t in then.add] + [f"-{t.text}" for t in then.remove]
    if then.replace_group:
        parts.append("组内替换 replace in group")
    if then.expires_s is not None:
        parts.append(f"{then.expires_s / 86400:g} 天后过期 expires in {then.expires_s / 86400:g} d")
    return " ".join(parts)


def _rule_json(kept: KeptRule) -> dict[str, object]:
    return {"name": kept.rule.name, "enabled": kept.rule.enabled,
            "description": kept.rule.description, "definition": kept.definition,
            "created_at": round(kept.created_at, 3), "created_by": kept.created_by,
            "owner": kept.owner, "department": kept.department, "editable": kept.editable,
            "visibility": kept.visibility, "reverted_left_alone": kept.reverted_left_alone}


def _print_contested(evaluation: Evaluation, labels: dict[str, str], out: TextIO) -> None:
    for c in evaluation.contradictions:
        print(f"矛盾 / contradiction: 「{c.adding}」添加 adds {labels.get(c.tag_id, c.tag_id)}，"
              f"「{c.removing}」移除 removes it — {c.relations} 个客户关系 relations"
              f"（{'、'.join(c.examples)}），这些不会更改 / left alone", file=out)
    for loop in evaluation.loops:
        print(f"循环 / loop: {' ⇄ '.join(loop.rules)} 互相撤销 undo each other —"
              f" {loop.relations} 个客户关系 relations（{'、'.join(loop.examples)}），这些不会更改"
              " / left alone", file=out)
    for c in evaluation.possible_contradictions:
        print(f"注意 / note: 「{c.adding}」添加 adds {labels.get(c.tag_id, c.tag_id)}，"
              f"「{c.removing}」移除 removes it", file=out)


def _contested_json(evaluation: Evaluation, labels: dict[str, str]
                    ) -> dict[str, Sequence[object]]:
    return {
        "contradictions": [{"adding": c.adding, "removing": c.removing, "tag_id": c.tag_id,
                            "tag": labels.get(c.tag_id, c.tag_id), "relations": c.relations,
                            "examples": list(c.examples)} for c in evaluation.contradictions],
        "loops": [{"rules": list(loop.rules), "relations": loop.relations,
                   "examples": list(loop.examples)} for loop in evaluation.loops],
        "possible_contradictions": [
            {"adding": c.adding, "removing": c.removing, "tag_id": c.tag_id,
             "tag": labels.get(c.tag_id, c.tag_id)} for c in evaluation.possible_contradictions],
    }


def _print_simulation(simulation: Simulation, out: TextIO, full: ResultReport,
                      eta: float) -> None:
    evaluation, labels = simulation.evaluation, simulation.labels
    print(f"模拟 / Simulation: {simulation.relations:,} 个客户关系 relations 中"
          f" {len(evaluation.outcomes):,} 个会更改 would change · {evaluation.api_calls:,}"
          f" 次调用 API calls · 约 ~{eta:.0f} s", file=out)
    for name, count in evaluation.matched.items():
        print(f"  {name}: {count:,}", file=out)
    if evaluation.left_alone:
        print(f"  已回滚、不再更改 / reverted changes left alone: {evaluation.left_alone:,}",
              file=out)
    for warning in simulation.warnings:
        print(f"注意 / Note: {warning}", file=out)
    for outcome in evaluation.outcomes[:SHOWN]:
        s = outcome.subject
        change = " ".join([f"+{labels.get(t, t)}" for t in outcome.add]
                          + [f"-{labels.get(t, t)}" for t in outcome.remove])
        print(f"  {s.name or '-'} ({s.external_userid} · {s.userid}): {change}", file=out)
        for rule, why in outcome.reasons.items():
            print(f"      ← {rule}: {'；'.join(why)}", file=out)
    if len(evaluation.outcomes) > SHOWN:
        print(full.more(len(evaluation.outcomes) - SHOWN), file=out)
    _print_contested(evaluation, labels, out)


def _simulation_json(simulation: Simulation
                     ) -> tuple[dict[str, object], dict[str, Sequence[object]]]:
    evaluation, labels = simulation.evaluation, simulation.labels
    contested = _contested_json(evaluation, labels)
    summary: dict[str, object] = {
        "relations": simulation.relations, "would_change": len(evaluation.outcomes),
        "api_calls": evaluation.api_calls, "per_rule": evaluation.matched,
        "left_alone": evaluation.left_alone,
        "elapsed_s": round(simulation.elapsed_s, 3),
        "possible_contradictions": contested["possible_contradictions"],
        "warnings": list(simulation.warnings),
    }
    changes: list[object] = [
        {"external_userid": o.subject.external_userid, "userid": o.subject.userid,
         "customer": o.subject.name, "add": [labels.get(t, t) for t in o.add],
         "remove": [labels.get(t, t) for t in o.remove],
         "why": {rule: list(why) for rule, why in o.reasons.items()},
         "expires_in_s": {labels.get(t, t): s for t, s in o.expires_s.items()}}
        for o in evaluation.outcomes]
    lists: dict[str, Sequence[object]] = {
        "changes": changes,
        "contradictions": contested["contradictions"], "loops": contested["loops"],
    }
    return summary, lists
