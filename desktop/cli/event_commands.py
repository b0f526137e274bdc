"""`tagdesk events import|list|summary|prune`: behaviour events for rule conditions.

Names, flags and the JSON fields of the last stdout line are interfaces: never rename.
Human-readable lines go to stdout (to stderr with --json); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from desktop.cli.common import StderrProgress, add_common, emit_json, home, human_output
from desktop.cli.errors import EXIT_OK, UsageError
from desktop.cli.line_import_report import (
    finish_line_import,
    nothing_stored,
    print_checked_lines,
)
from desktop.cli.result_report import ResultReport, add_report_option
from desktop.domain.echo import echo


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    events = sub.add_parser(
        "events", help="behaviour events (form submitted, order paid, ...) for rules"
    ).add_subparsers(dest="events_command", metavar="SUBCOMMAND", required=True)

    imported = events.add_parser("import", help="store events from a CSV or JSONL file")
    add_common(imported)
    imported.add_argument("file", metavar="FILE.csv|FILE.jsonl", type=Path)
    imported.add_argument("--profile", required=True, metavar="NAME")
    imported.add_argument("--skip-invalid", action="store_true",
                          help="store the valid lines even though other lines have problems")
    imported.add_argument("--json", action="store_true", help="end with a JSON summary line")
    add_report_option(imported)
    imported.set_defaults(handler=import_command)

    for name, help_text, handler in (
            ("list", "the newest events, filtered", list_command),
            ("summary", "how many events of each type per day", summary_command)):
        command = events.add_parser(name, help=help_text)
        add_common(command)
        command.add_argument("--profile", required=True, metavar="NAME")
        command.add_argument("--customer", metavar="EXTERNAL_USERID")
        command.add_argument("--type", metavar="TYPE")
        command.add_argument("--since", type=since_time, metavar="YYYY-MM-DD|Nd",
                             help="from this day on, or the last N days")
        command.add_argument("--until", type=until_time, metavar="YYYY-MM-DD|Nd",
                             help="up to the end of this day, or until N days ago")
        command.add_argument("--json", action="store_true")
        command.set_defaults(handler=handler)
        if name == "list":
            command.add_argument("--limit", type=int, default=100, metavar="N")

    pruned = events.add_parser("prune", help="delete the cached events older than N days")
    add_common(pruned)
    pruned.add_argument("--profile", required=True, metavar="NAME")
    pruned.add_argument("--older-than", required=True, type=age_days, metavar="Nd",
                        help="events dated more than N days ago, e.g. 180d")
    pruned.add_argument("--json", action="store_true", help="end with a JSON summary line")
    pruned.set_defaults(handler=prune_command)


def register_sources(server: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`tagdesk server event-source add|list|revoke`: who may push events, with which key."""
    sources = server.add_parser(
        "event-source", help="keys for systems that push behaviour events to the team server"
    ).add_subparsers(dest="source_command", metavar="SUBCOMMAND", required=True)
    for name, help_text in (("add", "make a source; its key is printed once"),
                            ("list", "the sources, active and revoked"),
                            ("revoke", "refuse a source's key from now on"),
                            ("limit", "change a source's requests per minute")):
        command = sources.add_parser(name, help=help_text)
        add_common(command)
        command.add_argument("--db", required=True, metavar="postgresql://...")
        command.add_argument("--json", action="store_true")
        if name != "list":
            command.add_argument("name", metavar="NAME")
        if name in ("add", "limit"):
            command.add_argument("--per-minute", type=int, metavar="N", required=name == "limit",
                                 default=600 if name == "add" else None,
                                 help="requests per minute this key may send (default 600)")
        command.set_defaults(handler=source_command)


def source_command(args: argparse.Namespace) -> int:
    from desktop.server import team_events
    from desktop.server.database import admin_connection

    out = human_output(args)
    with admin_connection(args.db) as conn:
        try:
            if args.source_command == "add":
                key = team_events.add_source(conn, args.name, args.per_minute)
                print(f"已添加来源「{echo(args.name)}」；密钥只显示这一次，请妥善保存："
                      f" / Source {echo(args.name)!r} added; its key is shown this once:",
                      file=out)
                if not args.json:
                    print(key)
                else:
                    emit_json({"name": args.name.strip(), "key": key,
                               "per_minute": args.per_minute})
                return EXIT_OK
            if args.source_command == "limit":
                team_events.set_limit(conn, args.name, args.per_minute)
                print(f"来源「{echo(args.name)}」每分钟最多 {args.per_minute} 个请求"
                      f" / Source {echo(args.name)!r}: at most {args.per_minute} requests per"
                      " minute", file=out)
            if args.source_command == "revoke":
                team_events.revoke_source(conn, args.name)
                print(f"已撤销来源「{echo(args.name)}」 / Revoked source {echo(args.name)!r}",
                      file=out)
        except team_events.SourceRefused as refused:
            raise UsageError(f"{refused.zh}。 / {refused.en}.") from None
        found = team_events.list_sources(conn)
    if args.source_command == "list":
        for source in found:
            state = f"已撤销 revoked {source.revoked_at:%Y-%m-%d %H:%M}" if source.revoked_at \
                else "有效 active"
            print(f"{source.id}\t{echo(source.name)}\t{source.per_minute}/min\t"
                  f"{source.created_at:%Y-%m-%d %H:%M}\t{state}", file=out)
    if args.json:
        emit_json({"sources": [s.as_json() for s in found]})
    return EXIT_OK


def since_time(text: str) -> float:
    """A day (YYYY-MM-DD, local midnight) or `Nd` (N days ago) as epoch seconds."""
    value = text.strip().lower()
    if value.endswith(("d", "天")) and value[:-1].strip().isdigit():
        return time.time() - int(value[:-1]) * 86400
    try:
        return datetime.combine(date.fromisoformat(value), datetime.min.time()).timestamp()
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"应为日期 YYYY-MM-DD 或天数如 7d：{echo(text)} / expected a date YYYY-MM-DD or a"
            f" number of days such as 7d: {echo(text)}") from None


def until_time(text: str) -> float:
    """The end of a day (the next local midnight), or `Nd` (N days ago), as epoch seconds."""
    value = since_time(text)
    return value if text.strip().lower().endswith(("d", "天")) else value + _day_after(value)


def _day_after(midnight: float) -> float:
    """Seconds from this local midnight to the next one (23 to 25 hours across a DST change)."""
    day = datetime.fromtimestamp(midnight).date()
    following = datetime.combine(day + timedelta(days=1), datetime.min.time()).timestamp()
    return following - midnight


def age_days(text: str) -> int:
    """`Nd`, `N天` or `N`: a whole number of days, at least 1."""
    value = text.strip().lower().removesuffix("d").removesuffix("天").strip()
    if value.isdigit() and int(value) >= 1:
        return int(value)
    raise argparse.ArgumentTypeError(
        f"应为天数如 180d（至少 1 天）：{echo(text)} / expected a number of days such as 180d"
        f" (at least 1): {echo(text)}")


def import_command(args: argparse.Namespace) -> int:
    from desktop.services.event_import import import_events
    from desktop.services.team_events import store_for
    from desktop.services.workspace import open_workspace

    out = human_output(args)
    full = ResultReport(args, "import-events")
    with open_workspace(home(args), args.profile, exclusive=True) as ws:
        result = import_events(ws.cache, args.file, skip_invalid=args.skip_invalid,
                               progress=StderrProgress(), store=store_for(ws))
    print_checked_lines(result, out, full)
    if result.status == "invalid":
        print(nothing_stored("事件"), file=out)
    elif result.status == "imported":
        where = "团队服务器 the team server" if result.stored_on == "team" else "本地 the cache"
        print(f"已保存 {result.imported:,} 个新事件到{where}（{result.duplicates:,} 个已有，未重复保存）"
              f" / Stored {result.imported:,} new events ({result.duplicates:,} already"
              f" stored, not stored twice) · {result.elapsed_s:.1f} s", file=out)
        for kind, n in result.per_type.items():
            print(f"  {echo(kind)}\t{n:,}", file=out)
    else:
        print("文件中没有事件。 / The file holds no event.", file=out)
    return finish_line_import(args, full, result)


def list_command(args: argparse.Namespace) -> int:
    from desktop.services.team_events import fetch_if_team
    from desktop.services.workspace import open_workspace
    from desktop.store import events

    with open_workspace(home(args), args.profile, exclusive=False) as ws:
        fetch_if_team(ws)
        found = events.listed(ws.cache, customer=args.customer, kind=args.type,
                              since=args.since, until=args.until, limit=max(1, args.limit))
    out = human_output(args)
    for event, source in found:
        value = "" if event.value is None else f"{event.value:g}"
        print("\t".join((_when(event.ts), event.external_userid, event.userid or "-",
                         echo(event.type), echo(event.name, 60), value, source)), file=out)
    if not found:
        print("没有事件。 / No events.", file=out)
    if args.json:
        emit_json({"events": [{**e.as_json(), "source": s} for e, s in found]})
    return EXIT_OK


def summary_command(args: argparse.Namespace) -> int:
    from desktop.services.team_events import fetch_if_team
    from desktop.services.workspace import open_workspace
    from desktop.store import events

    with open_workspace(home(args), args.profile, exclusive=False) as ws:
        fetch_if_team(ws)
        rows = events.per_type_per_day(ws.cache, customer=args.customer, kind=args.type,
                                       since=args.since, until=args.until)
    out = human_output(args)
    totals: dict[str, int] = {}
    for row in rows:
        print(f"{row.day}\t{echo(row.type)}\t{row.events:,}", file=out)
        totals[row.type] = totals.get(row.type, 0) + row.events
    if not rows:
        print("没有事件。 / No events.", file=out)
    if args.json:
        emit_json({"rows": [{"day": r.day, "type": r.type, "events": r.events} for r in rows],
                   "totals": totals})
    return EXIT_OK


def prune_command(args: argparse.Namespace) -> int:
    from desktop.services.workspace import open_workspace
    from desktop.store import events

    before = time.time() - args.older_than * 86400
    with open_workspace(home(args), args.profile, exclusive=True) as ws:
        pruned = events.prune(ws.cache, before)
        remaining = events.count(ws.cache)
    print(f"已删除 {args.older_than} 天前（{_when(before)} 之前）的 {pruned:,} 个事件，还有"
          f" {remaining:,} 个 / Deleted {pruned:,} events older than {args.older_than} days"
          f" (before {_when(before)}); {remaining:,} remain", file=human_output(args))
    if args.json:
        emit_json({"pruned": pruned, "remaining": remaining,
                   "older_than_days": args.older_than,
                   "before": datetime.fromtimestamp(before).astimezone().isoformat(
                       timespec="seconds")})
    return EXIT_OK


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")

