"""`tagdesk reconcile`: compare paid orders with a tag, list both kinds of mismatch with their
evidence, and with `--apply` fix them as one revertible batch."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from desktop.cli.common import add_common, human_output
from desktop.cli.errors import EXIT_FAILED, EXIT_OK, UsageError
from desktop.cli.result_report import ResultReport, add_report_option, failures_json

if TYPE_CHECKING:
    from desktop.domain.reconcile import Mismatch

SHOWN = 10


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "reconcile", help="compare paid orders with a tag (已成交) and fix the mismatches")
    add_common(parser)
    parser.add_argument("--profile", required=True, metavar="NAME")
    parser.add_argument("--orders", metavar="FILE.csv|URL",
                        help="a CSV or JSON file, or an http(s) URL answering JSON (required"
                             " unless --status)")
    parser.add_argument("--tag", metavar="TAG",
                        help="the tag paid customers carry, e.g. 已成交 (组:名 picks one group's;"
                             " required unless --status)")
    parser.add_argument("--status", action="store_true",
                        help="team profile: the team server's scheduled reconciliation, its last"
                             " and next run")
    parser.add_argument("--run-now", action="store_true",
                        help="team profile, administrators: the team server reconciles now;"
                             " waits for the run and shows it as --status does")
    parser.add_argument("--apply", action="store_true",
                        help="fix the mismatches as one batch (revertible with batch undo)")
    parser.add_argument("--skip-bad-rows", action="store_true",
                        help="with --apply: go on without the order rows that cannot be read")
    parser.add_argument("--allow-conflicts", action="store_true",
                        help="also change relations that end with two mutually exclusive tags")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    parser.add_argument("--json", action="store_true",
                        help="end with one JSON line describing the result")
    add_report_option(parser)
    parser.set_defaults(handler=reconcile_command)


def reconcile_command(args: argparse.Namespace) -> int:
    from desktop.cli.common import (
        StderrProgress,
        confirm,
        open_synced_workspace,
        print_result,
        print_resume_hint,
    )
    from desktop.services.orders import read_orders
    from desktop.services.reconcile import ReconcileService
    from desktop.services.tagging import TaggingService

    if args.status or args.run_now:
        return status_command(args)
    if not args.orders or not args.tag:
        raise UsageError("请给出 --orders 和 --tag（或用 --status 看团队服务器的定时对账）。"
                         " / Give --orders and --tag (or --status for the team server's"
                         " scheduled reconciliation).")
    feed = read_orders(args.orders)
    full = ResultReport(args, "reconcile")
    ws = open_synced_workspace(args, write=args.apply)
    with ws:
        service = ReconcileService(ws)
        tag_id = service.tag_id(args.tag)
        result = service.compare(feed, tag_id)
        out = human_output(args)
        paid_orders = sum(1 for order in feed.orders if order.paid)
        print(f"订单 / Orders: {len(feed.orders):,} 行 rows（{paid_orders:,} 已支付 paid，"
              f"{result.paid_customers:,} 位已支付客户 paying customers）；{len(feed.bad):,} 行读不了"
              f" unreadable · 带 {args.tag} 的客户 customers tagged: {result.tagged_customers:,}",
              file=out)
        for bad in feed.bad[:SHOWN]:
            print(f"  第 {bad.line} 行 / line {bad.line}: {bad.problem_zh} / {bad.problem_en}",
                  file=out)
        if len(feed.bad) > SHOWN:
            print(full.more(len(feed.bad) - SHOWN), file=out)
        _say("缺标签（已支付但没有标签）/ missing (paid, not tagged)", result.missing, out, full)
        _say("多标签（没有已支付订单却带着标签）/ extra (tagged, no paid order)", result.extra, out,
             full)
        _say("订单里有、TagDesk 里没有的客户 / customers in the orders TagDesk does not know",
             result.unknown, out, full)
        summary: dict[str, object] = {
            "orders": len(feed.orders), "paid_customers": result.paid_customers,
            "tagged_customers": result.tagged_customers, "tag_id": tag_id, "applied": False,
            "batch_id": None, "planned": 0,
        }
        lists: dict[str, Sequence[object]] = {
            "missing": [_json(m) for m in result.missing],
            "extra": [_json(m) for m in result.extra],
            "unknown": [_json(m) for m in result.unknown],
            "bad_rows": [bad.as_json() for bad in feed.bad],
        }
        if not args.apply:
            if not result.in_step:
                print("加 --apply 修正这些不一致（一个可撤销的批量任务）。 / Add --apply to fix"
                      " them (one revertible batch).", file=out)
            return _done(args, full, summary, lists)
        if feed.bad and not args.skip_bad_rows:
            raise UsageError(
                f"有 {len(feed.bad)} 行订单读不了：修正后重试，或加 --skip-bad-rows 不带它们继续；"
                f"什么都没有改。 / {len(feed.bad)} order rows cannot be read: fix them and run"
                " again, or add --skip-bad-rows to go on without them. Nothing was changed.")
        plan = service.plan(result, tag_id, allow_conflicts=args.allow_conflicts)
        summary["planned"] = plan.api_calls
        if not plan.api_calls:
            print("标签与订单一致，没有要改的。 / The tag matches the orders; nothing to change.",
                  file=out)
            return _done(args, full, summary, lists)
        print(f"预览 / Preview: {plan.api_calls:,} 个客户关系 relations（+{args.tag}"
              f" {plan.per_tag_add.get(tag_id, 0):,}，-{args.tag}"
              f" {plan.per_tag_remove.get(tag_id, 0):,}）· {plan.conflicting_relations} 互斥冲突"
              " conflicts", file=out)
        if not confirm(f"确认修正 {plan.api_calls} 个客户关系？ / Change {plan.api_calls}"
                       " relations?", args.yes):
            print("已取消，没有做任何更改。 / Cancelled; nothing was changed.", file=sys.stderr)
            return _done(args, full, summary, lists)
        batch_id = service.submit(plan, args.tag, feed)
        print(f"批量任务 / batch {batch_id}", file=out)
        run = TaggingService(ws).run(batch_id, progress=StderrProgress())
    print_result(run, out, more=full.more)
    if run.pending:
        print_resume_hint(args, run.batch_id)
    if args.json:
        full.emit({**summary, **run.as_json(), "applied": True, "batch_id": batch_id},
                  {**lists, "failures": failures_json(run.failures)})
    return EXIT_OK if run.status == "done" and not run.failed else EXIT_FAILED


def status_command(args: argparse.Namespace) -> int:
    """`--status`: the team server's scheduled reconciliation (`--run-now`: after a run
    started now); exit 1 when its last run changed nothing because something was wrong
    (unreadable rows or source, too many changes, an unknown tag) or some writes failed."""
    from desktop.cli.common import emit_json, home
    from desktop.services.profiles import ProfileStore
    from desktop.services.reconcile_status import server_status, start_run, wait_for_run

    profile = ProfileStore(home(args)).get(args.profile)
    out = human_output(args)
    if args.run_now:
        start_run(profile)
        print("团队服务器开始对账，等待完成…… / The team server is reconciling now; waiting for"
              " it…", file=sys.stderr)
    found = wait_for_run(profile) if args.run_now else server_status(profile)
    for zh, en in zip(found.lines(False), found.lines(True), strict=True):
        print(f"{zh} / {en.strip()}", file=out)
    if args.json:
        emit_json(found.answer)
    return EXIT_FAILED if found.in_trouble else EXIT_OK


def _done(args: argparse.Namespace, full: ResultReport, summary: dict[str, object],
          lists: dict[str, Sequence[object]]) -> int:
    if args.json:
        full.emit(summary, lists)
    return EXIT_OK


def _say(title: str, found: tuple[Mismatch, ...], out: TextIO, full: ResultReport) -> None:
    relations = sum(len(m.relation_ids) for m in found)
    print(f"{title}: {len(found):,} 位客户 customers，{relations:,} 个客户关系 relations", file=out)
    for mismatch in found[:SHOWN]:
        evidence = "、".join(
            f"{o.order_id or '第' + str(o.line) + '行'}（{o.status or 'paid'}）" for o in mismatch.orders
        ) or "没有订单 / no order"
        print(f"  {mismatch.external_userid}: {evidence}", file=out)
    if len(found) > SHOWN:
        print(full.more(len(found) - SHOWN), file=out)


def _json(mismatch: Mismatch) -> dict[str, object]:
    return {"external_userid": mismatch.external_userid,
            "relations": list(mismatch.relation_ids),
            "orders": [{"order_id": o.order_id, "line": o.line, "status": o.status,
                        "amount": o.amount, "paid_at": o.paid_at} for o in mismatch.orders]}
