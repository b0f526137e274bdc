"""`tagdesk autotag import-chats|keywords|simulate|apply`: auto-tagging a profile from its chats.

Names, flags and the JSON fields of the last stdout line are interfaces: never rename.
Human-readable lines go to stdout (to stderr with --json); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desktop.cli.common import StderrProgress, add_common, emit_json, home, human_output
from desktop.cli.errors import EXIT_FAILED, EXIT_OK, UsageError
from desktop.cli.line_import_report import (
    finish_line_import,
    nothing_stored,
    print_checked_lines,
)
from desktop.cli.result_report import INLINE, ResultReport, add_report_option
from desktop.domain.autotag.model import SOURCE_WORDS
from desktop.domain.echo import echo
from desktop.domain.file_errors import cannot_write

if TYPE_CHECKING:
    from desktop.services.autotag_simulation import Simulation
    from desktop.services.workspace import Workspace


def register(autotag: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the chat and keyword commands to the `tagdesk autotag` group."""
    chats = autotag.add_parser("import-chats", help="store chat messages from a JSONL or CSV file")
    add_common(chats)
    chats.add_argument("file", metavar="FILE.jsonl|FILE.csv", type=Path)
    chats.add_argument("--profile", required=True, metavar="NAME")
    chats.add_argument("--skip-invalid", action="store_true",
                       help="store the valid lines even though other lines have problems")
    chats.add_argument("--json", action="store_true", help="end with a JSON summary line")
    add_report_option(chats)
    chats.set_defaults(handler=import_chats_command)

    keywords = autotag.add_parser("keywords", help="show or set the keywords of each tag")
    add_common(keywords)
    keywords.add_argument("--profile", required=True, metavar="NAME")
    keywords.add_argument("--file", type=Path, metavar="KW.json",
                          help='replace every tag\'s keywords with this file\'s'
                               ' ({"tags": {"高意向": {"keywords": ["想买", "下单"]}}})')
    keywords.add_argument("--set", action="append", default=[], metavar="TAG=KW1,KW2",
                          help="set one tag's keywords (repeatable)")
    keywords.add_argument("--remove", action="append", default=[], metavar="TAG",
                          help="forget one tag's keywords (repeatable)")
    keywords.add_argument("--json", action="store_true",
                          help="print the keywords as one KW.json line")
    keywords.set_defaults(handler=keywords_command)

    training = autotag.add_parser(
        "export-training",
        help="write the reviewed suggestions and confirmed tags as a TRAIN.jsonl for classify")
    add_common(training)
    training.add_argument("--profile", required=True, metavar="NAME")
    training.add_argument("--out", required=True, type=Path, metavar="TRAIN.jsonl")
    training.add_argument("--from", dest="use", choices=("both", "reviews", "confirmed"),
                          default="both",
                          help="reviews, tags people set (confirmed), or both (default)")
    training.add_argument("--json", action="store_true", help="end with a JSON summary line")
    training.set_defaults(handler=export_training_command)


def import_chats_command(args: argparse.Namespace) -> int:
    from desktop.services.chat_import import import_chats
    from desktop.services.team_chats import store_for
    from desktop.services.workspace import open_workspace

    out = human_output(args)
    full = ResultReport(args, "import-chats")
    with open_workspace(home(args), args.profile, exclusive=True) as ws:
        result = import_chats(ws.cache, args.file, skip_invalid=args.skip_invalid,
                              progress=StderrProgress(), store=store_for(ws))
    print_checked_lines(result, out, full, f" · {result.non_text:,} 条非文本 not text ·"
                                           f" {result.empty:,} 条空消息 empty")
    if result.status == "invalid":
        print(nothing_stored("消息"), file=out)
    elif result.status == "imported":
        print(f"已保存 {result.imported:,} 条新消息（{result.duplicates:,} 条已有，未重复保存）"
              f" / Stored {result.imported:,} new messages ({result.duplicates:,} already"
              f" stored, not stored twice) · {result.elapsed_s:.1f} s", file=out)
    else:
        print("文件中没有可保存的消息。 / The file holds no message to store.", file=out)
    return finish_line_import(args, full, result)


def keywords_command(args: argparse.Namespace) -> int:
    from desktop.cli.team_settings_refresh import refresh_team_settings
    from desktop.services import autotag_keywords
    from desktop.services.workspace import open_workspace

    changes = [autotag_keywords.parse_assignment(text) for text in args.set]
    replacing = autotag_keywords.read_keywords_file(args.file) if args.file else None
    writing = bool(changes or args.remove or replacing is not None)
    with open_workspace(home(args), args.profile, exclusive=writing) as ws:
        refresh_team_settings(ws)
        if replacing is not None:
            autotag_keywords.save_for(ws, replacing, replace_all=True)
        if changes:
            autotag_keywords.save_for(ws, dict(changes))
        missing = [name for name in args.remove
                   if name not in autotag_keywords.stored(ws.cache)]
        if args.remove:
            autotag_keywords.remove_for(ws, args.remove)
        current = autotag_keywords.stored(ws.cache)
        not_tags = autotag_keywords.names_not_tags(
            ws.cache, [*(replacing or {}), *(name for name, _ in changes)])
    out = human_output(args)
    for problem in not_tags:
        print(f"tagdesk: {problem}", file=sys.stderr)
    for name in missing:
        print(f"tagdesk: 标签「{echo(name)}」没有保存关键词。 / Tag {echo(name)!r} had no"
              " keywords stored.", file=sys.stderr)
    _print_keywords(current, out)
    if args.json:
        emit_json(autotag_keywords.as_file_json(current))
    return EXIT_FAILED if missing else EXIT_OK


def export_training_command(args: argparse.Namespace) -> int:
    import json

    from desktop.services import autotag_keywords
    from desktop.services.autotag_simulation import AutoTagService
    from desktop.services.workspace import open_workspace
    from desktop.store.autotag_settings import reviews

    with open_workspace(home(args), args.profile, exclusive=False) as ws:
        if ws.profile.is_team:
            from desktop.services import team_autotag

            for warning in team_autotag.refresh(ws):
                print(f"tagdesk: {warning}", file=sys.stderr)
        stored = autotag_keywords.stored(ws.cache)
        names = {*stored, *(r.tag_name for r in reviews(ws.cache))}
        training = AutoTagService(ws).training(sorted(names), use=args.use,
                                               rules=AutoTagService.rule_check(stored))
    messages = training.messages
    try:
        with args.out.open("w", encoding="utf-8") as out:
            for message in messages:
                out.write(json.dumps({"id": message.id, "customer": message.customer,
                                      "text": message.text, "labels": list(message.labels)},
                                     ensure_ascii=False) + "\n")
    except OSError as exc:
        raise UsageError(*cannot_write(args.out, exc)) from None
    labelled = sum(1 for m in messages if m.labels)
    print(f"已写入 {len(messages):,} 条训练消息（{labelled:,} 条带标签）到 {echo(str(args.out))}"
          f" / Wrote {len(messages):,} training messages ({labelled:,} with tags) to"
          f" {echo(str(args.out))}", file=human_output(args))
    if args.json:
        emit_json({"file": str(args.out), "messages": len(messages), "labelled": labelled,
                   "from": args.use,
                   "training": {t: c.as_json() for t, c in training.per_tag.items()}})
    return EXIT_OK


def _print_keywords(keywords: dict[str, list[str]], out: TextIO) -> None:
    if not keywords:
        print("还没有关键词；用 --set 标签=关键词1,关键词2 或 --file KW.json 设置。"
              " / No keywords yet; set them with --set TAG=KW1,KW2 or --file KW.json.", file=out)
    for name, words in keywords.items():
        print(f"{echo(name)}\t{'、'.join(echo(w) for w in words) or '（无 / none）'}", file=out)



# -- simulate and apply ------------------------------------------------------------------------


def register_simulation(autotag: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `autotag simulate` and `autotag apply` to the `tagdesk autotag` group."""
    simulate = autotag.add_parser(
        "simulate", help="which customers would get which tags from their chats (writes nothing)")
    apply = autotag.add_parser(
        "apply", help="add the suggested tags as one batch (preview, pilot, undo)")
    for command in (simulate, apply):
        add_common(command)
        command.add_argument("--profile", required=True, metavar="NAME")
        command.add_argument("--since", metavar="DATE",
                             help="messages from then on: 2026-12-01, 7d, 24h (default: all)")
        command.add_argument("--until", metavar="DATE",
                             help="messages before the end of that day (default: all)")
        command.add_argument("--tags", default="", metavar="T1,T2",
                             help="only these tags of the keyword set (default: all of them)")
        command.add_argument("--keywords", type=Path, metavar="KW.json",
                             help="use this keywords file instead of the profile's keywords")
        command.add_argument("--min-confidence", type=_confidence, default=0.5, metavar="0..1",
                             help="leave out suggestions less sure than this (default 0.5)")
        command.add_argument("--member-messages", action="store_true",
                             help="also read what members sent (default: the customers' only)")
        command.add_argument("--json", action="store_true", help="end with a JSON summary line")
        add_report_option(command)
    simulate.set_defaults(handler=simulate_command)
    apply.add_argument("--pilot", type=int, metavar="N",
                       help="send the first N calls, show the result, then ask to continue")
    apply.add_argument("--allow-conflicts", action="store_true",
                       help="also change relations that end with two mutually exclusive tags")
    apply.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    apply.set_defaults(handler=apply_command)


def simulate_command(args: argparse.Namespace) -> int:
    from desktop.cli.common import open_synced_workspace

    out = human_output(args)
    full = ResultReport(args, "autotag-simulate")
    with open_synced_workspace(args, write=False) as ws:
        simulation = _simulate(args, ws)
    _print_simulation(simulation, out, full)
    if args.json:
        full.emit(simulation.as_json(),
                  {"suggestions": [s.as_json() for s in simulation.suggestions]})
    return EXIT_OK


def apply_command(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from desktop.cli.common import (
        confirm,
        open_synced_workspace,
        print_result,
        print_resume_hint,
    )
    from desktop.services.autotag_simulation import AutoTagService
    from desktop.services.tagging import TaggingService

    if args.pilot is not None and args.pilot < 1:
        raise UsageError("--pilot 须为正整数。 / --pilot must be a positive number.")
    out = human_output(args)
    full = ResultReport(args, "autotag-apply")
    with open_synced_workspace(args, write=True) as ws:
        simulation = _simulate(args, ws)
        _print_simulation(simulation, out, full)
        service = AutoTagService(ws)
        accepted = simulation.would_add
        plan = service.plan(accepted, allow_conflicts=args.allow_conflicts)
        summary: dict[str, object] = {**simulation.as_json(), "batch_id": None,
                                      "planned": plan.api_calls}
        if not plan.api_calls:
            print("没有需要添加的标签。 / No tag to add.", file=out)
            full.emit({**summary, "status": "nothing_to_do"}, {"failures": []})
            return EXIT_OK
        print(f"预览 / Preview: {plan.api_calls} 个客户关系 relations · {plan.skipped_noop}"
              f" 无需更改 no-op · {plan.conflicting_relations} 互斥冲突 conflicts", file=out)
        if not confirm(f"确认为 {plan.api_calls} 个客户关系添加标签？ / Tag {plan.api_calls}"
                       " relations?", args.yes):
            print("已取消，没有做任何更改。 / Cancelled; nothing was changed.", file=sys.stderr)
            full.emit({**summary, "status": "declined"}, {"failures": []})
            return EXIT_OK
        tagging = TaggingService(ws)
        batch_id = service.submit(plan, accepted, pilot_size=args.pilot or 0)
        service.accept(accepted)
        print(f"批量任务 / batch {batch_id}", file=out)
        result = tagging.run(batch_id, progress=StderrProgress())
        if args.pilot and result.pending and not result.stop_reason:
            print_result(result, out, pilot=True, more=full.more)
            if not confirm(f"试运行完成，继续其余 {result.pending} 个？"
                           f" / Pilot done; continue with the other {result.pending}?",
                           args.yes):
                print_resume_hint(args, batch_id)
                full.emit({**summary, **result.as_json()}, {"failures": []})
                return EXIT_OK
            first = result
            result = tagging.run(batch_id, progress=StderrProgress())
            result = replace(result, api_calls=first.api_calls + result.api_calls,
                             elapsed_s=first.elapsed_s + result.elapsed_s)
    print_result(result, out, more=full.more)
    if result.pending:
        print_resume_hint(args, result.batch_id)
    from desktop.cli.result_report import failures_json

    full.emit({**summary, **result.as_json()}, {"failures": failures_json(result.failures)})
    return EXIT_OK if result.status == "done" and not result.failed else EXIT_FAILED


def _simulate(args: argparse.Namespace, ws: Workspace) -> Simulation:
    from desktop.services import autotag_keywords
    from desktop.services.audit import parse_time
    from desktop.services.autotag_simulation import AutoTagService

    since = parse_time(args.since) if args.since else None
    until = parse_time(args.until, end=True) if args.until else None
    keywords = autotag_keywords.read_keywords_file(args.keywords) if args.keywords else None
    tags = [t.strip() for t in args.tags.replace("，", ",").split(",") if t.strip()]
    return AutoTagService(ws).simulate(since=since, until=until, tags=tags, keywords=keywords,
                                       min_confidence=args.min_confidence,
                                       member_messages=args.member_messages,
                                       progress=StderrProgress())


def _print_simulation(simulation: Simulation, out: TextIO, full: ResultReport) -> None:
    from desktop.services.audit import iso_local
    from desktop.services.autotag_simulation import ADD

    print(f"模拟 / Simulation: {simulation.messages:,} 条客户消息 customer messages ·"
          f" {simulation.customers:,} 位客户 customers · {len(simulation.suggestions):,} 条建议"
          f" suggestions · {len(simulation.would_add):,} 条会新增 would add ·"
          f" {simulation.training_messages:,} 条训练消息 training messages ·"
          f" {simulation.elapsed_s:.1f} s", file=out)
    for warning in simulation.warnings:
        print(f"  ! {warning}", file=out)
    print("标签 tag\t客户 customers\t会新增 would add\t已有 already\t"
          "训练正例/反例 trained for/against (customers)", file=out)
    for count in simulation.per_tag:
        trained = simulation.training.get(count.tag)
        taught = f"{trained.positives}/{trained.negatives}" if trained else "0/0"
        print(f"{echo(count.label)}\t{count.customers}\t{count.would_add}\t{count.already}"
              f"\t{taught}", file=out)
    for suggestion in simulation.suggestions[:INLINE]:
        mark = "+" if suggestion.change == ADD else "="
        who = echo(suggestion.customer_name or suggestion.external_userid)
        print(f"{mark} {who} ({suggestion.external_userid}, {suggestion.userid})"
              f" {echo(suggestion.tag_label)} {suggestion.confidence:.2f} [{suggestion.change}]"
              f" {SOURCE_WORDS.get(suggestion.source, suggestion.source)}",
              file=out)
        for evidence in suggestion.evidence:
            print(f"    {iso_local(evidence.ts)[:16].replace('T', ' ')}"
                  f" 「{echo(evidence.snippet)}」", file=out)
    if len(simulation.suggestions) > INLINE:
        print(full.more(len(simulation.suggestions) - INLINE), file=out)


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(
            f"须为 0 到 1 之间的数：{text!r} / must be a number from 0 to 1: {text!r}")
    return value
