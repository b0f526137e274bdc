"""`tagdesk livecodes` and `tagdesk pretag`: tags a relation gets when it appears."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.common import add_common, emit_json, human_output
from desktop.cli.errors import EXIT_OK, UsageError

if TYPE_CHECKING:
    from desktop.services.livecodes import LiveCode
    from desktop.store.arrivals import ArrivalRecord

SHOWN_BAD_ROWS = 20


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    codes = sub.add_parser(
        "livecodes", help="live codes (联系我 with a state) and the tags their customers get"
    ).add_subparsers(dest="livecodes_command", metavar="SUBCOMMAND", required=True)

    def command(parent: argparse._SubParsersAction[argparse.ArgumentParser], name: str,
                text: str) -> argparse.ArgumentParser:
        parser = parent.add_parser(name, help=text)
        add_common(parser)
        parser.add_argument("--profile", required=True, metavar="NAME")
        parser.add_argument("--json", action="store_true",
                            help="end with one JSON line describing the result")
        return parser

    command(codes, "list", "the corp's live codes with their tags").set_defaults(
        handler=livecodes_list)
    create = command(codes, "create", "create a live code (add_contact_way with a state)")
    create.add_argument("--state", required=True, help="the channel, ≤ 30 characters")
    _code_options(create)
    create.set_defaults(handler=livecodes_create)
    edit = command(codes, "edit", "change a live code's state, members, tags or remark")
    edit.add_argument("config_id", metavar="CONFIG_ID")
    edit.add_argument("--state", help="a new channel, ≤ 30 characters")
    _code_options(edit)
    edit.set_defaults(handler=livecodes_edit)
    remove = command(codes, "remove", "delete a live code (its tags are no longer applied)")
    remove.add_argument("config_id", metavar="CONFIG_ID")
    remove.set_defaults(handler=livecodes_remove)
    report = command(codes, "report", "customers added per live code per day")
    report.add_argument("--since", type=_day, metavar="YYYY-MM-DD")
    report.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="the last day counted")
    report.set_defaults(handler=livecodes_report)

    pretag = sub.add_parser(
        "pretag", help="tags queued for people not yet customers, applied when they are added"
    ).add_subparsers(dest="pretag_command", metavar="SUBCOMMAND", required=True)
    add = command(pretag, "add", "queue tags for one person")
    who = add.add_mutually_exclusive_group(required=True)
    who.add_argument("--external-userid", metavar="E")
    who.add_argument("--phone", metavar="N", help="matched against the relation's remark mobiles")
    who.add_argument("--unionid", metavar="U")
    add.add_argument("--tags", required=True, metavar="T1,T2", help="tag names (组:名) or ids")
    add.add_argument("--expires-days", type=int, default=30, metavar="N")
    add.set_defaults(handler=pretag_add)
    load = command(pretag, "import", "queue pre-tags from a spreadsheet (xlsx or csv)")
    load.add_argument("file", metavar="FILE.xlsx|csv", type=Path)
    load.add_argument("--expires-days", type=int, default=30, metavar="N",
                      help="for rows without their own days column")
    load.add_argument("--skip-bad-rows", action="store_true",
                      help="queue the good rows even when some cannot be read")
    load.set_defaults(handler=pretag_import)
    command(pretag, "list", "pre-tags: pending, applied, expired, cancelled").set_defaults(
        handler=pretag_list)
    cancel = command(pretag, "cancel", "cancel a pending pre-tag")
    cancel.add_argument("id", type=int, metavar="ID")
    cancel.set_defaults(handler=pretag_cancel)


def _code_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--members", metavar="U1,U2", help="member userids")
    parser.add_argument("--departments", metavar="D1,D2", help="department ids")
    parser.add_argument("--tags", metavar="T1,T2",
                        help="tags a customer added through it receives (组:名 or ids)")
    verify = parser.add_mutually_exclusive_group()
    verify.add_argument("--skip-verify", dest="skip_verify", action="store_true", default=None,
                        help="customers are added without the member confirming (default)")
    verify.add_argument("--verify", dest="skip_verify", action="store_false",
                        help="the member confirms each new customer")
    parser.add_argument("--remark", help="a note on the code, ≤ 30 characters")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期应为 YYYY-MM-DD：{text} / a date is YYYY-MM-DD: {text}") from None


def _names(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [n.strip() for n in text.replace("，", ",").split(",") if n.strip()]


def _departments(text: str | None) -> list[int] | None:
    names = _names(text)
    if names is None:
        return None
    try:
        return [int(n) for n in names]
    except ValueError:
        raise UsageError(f"部门编号应为整数：{text} / Department ids are whole numbers: {text}"
                         ) from None


# -- live codes ---------------------------------------------------------------------------


def livecodes_list(args: argparse.Namespace) -> int:
    from desktop.cli.common import open_synced_workspace
    from desktop.services.livecodes import LiveCodeService

    with open_synced_workspace(args, write=False) as ws:
        codes = LiveCodeService(ws).list()
    if not args.json:
        for code in codes:
            _print_code(code)
        print(f"{len(codes)} 个活码 / live codes")
    else:
        emit_json({"livecodes": [c.as_json() for c in codes]})
    return EXIT_OK


def livecodes_create(args: argparse.Namespace) -> int:
    from desktop.cli.common import open_synced_workspace
    from desktop.services.livecodes import LiveCodeService

    with open_synced_workspace(args, write=True) as ws:
        code = LiveCodeService(ws).create(
            args.state, users=_names(args.members) or [],
            parties=_departments(args.departments) or [], tags=_names(args.tags) or [],
            skip_verify=True if args.skip_verify is None else args.skip_verify,
            remark=args.remark or "")
    return _said(args, code, "已创建活码 / Created live code")


def livecodes_edit(args: argparse.Namespace) -> int:
    from desktop.cli.common import open_synced_workspace
    from desktop.services.livecodes import LiveCodeService

    with open_synced_workspace(args, write=True) as ws:
        code = LiveCodeService(ws).edit(
            args.config_id, state=args.state, users=_names(args.members),
            parties=_departments(args.departments), tags=_names(args.tags),
            skip_verify=args.skip_verify, remark=args.remark)
    return _said(args, code, "已修改活码 / Changed live code")


def livecodes_remove(args: argparse.Namespace) -> int:
    from desktop.cli.common import open_synced_workspace
    from desktop.services.livecodes import LiveCodeService

    with open_synced_workspace(args, write=True) as ws:
        LiveCodeService(ws).remove(args.config_id)
    if not args.json:
        print(f"已删除活码 {args.config_id} / Deleted live code {args.config_id}")
    else:
        emit_json({"config_id": args.config_id, "removed": True})
    return EXIT_OK


def livecodes_report(args: argparse.Namespace) -> int:
    from desktop.cli.common import open_synced_workspace
    from desktop.services.livecodes import LiveCodeService

    with open_synced_workspace(args, write=False) as ws:
        report = LiveCodeService(ws).report(args.since, args.until)
    if args.json:
        emit_json({"since": args.since.isoformat() if args.since else None,
                   "until": args.until.isoformat() if args.until else None,
                   "rows": [r.as_json() for r in report.rows], "totals": report.totals})
        return EXIT_OK
    print("渠道 state\t日期 day\t新增客户 customers")
    for row in report.rows:
        print(f"{row.state}\t{row.day}\t{row.customers}")
    for state, total in sorted(report.totals.items()):
        print(f"合计 total {state}: {total}")
    return EXIT_OK


def _said(args: argparse.Namespace, code: LiveCode, what: str) -> int:
    if args.json:
        emit_json(code.as_json())
    else:
        print(what)
        _print_code(code)
    return EXIT_OK


def _print_code(code: LiveCode) -> None:
    members = ",".join([*code.users, *map(str, code.parties)])
    tags = "、".join(code.tag_names) or "-"
    print(f"{code.config_id}  state={code.state or '-'}  成员 members={members}"
          f"  免验证 skip-verify={'yes' if code.skip_verify else 'no'}  标签 tags={tags}"
          f"  已打标 tagged={code.tagged}  {code.remark}")
    if code.qr_code:
        print(f"  {code.qr_code}")


# -- pre-tags -----------------------------------------------------------------------------


def pretag_add(args: argparse.Namespace) -> int:
    from desktop.cli.common import open_synced_workspace
    from desktop.domain.arrivals import BY_EXTERNAL_USERID, BY_PHONE, BY_UNIONID
    from desktop.services.pretags import PretagService

    kind, value = ((BY_EXTERNAL_USERID, args.external_userid) if args.external_userid else
                   (BY_PHONE, args.phone) if args.phone else (BY_UNIONID, args.unionid))
    with open_synced_workspace(args, write=True) as ws:
        service = PretagService(ws)
        arrival_id = service.add(kind, value, _names(args.tags) or [], args.expires_days)
        found = next(r for r in service.list() if r.id == arrival_id)
    if args.json:
        emit_json(found.as_json())
    else:
        print(f"已加入预打标签 {arrival_id} / Queued pre-tag {arrival_id}: {kind}={found.key}")
    return EXIT_OK


def pretag_import(args: argparse.Namespace) -> int:
    from desktop.cli.common import open_synced_workspace
    from desktop.services.pretags import PretagService, check_days

    days = check_days(args.expires_days)
    with open_synced_workspace(args, write=True) as ws:
        service = PretagService(ws)
        read = service.read_file(args.file, days)
        out = human_output(args)
        for bad in read.bad[:SHOWN_BAD_ROWS]:
            print(f"  第 {bad.line} 行 / line {bad.line}: {bad.problem_zh} / {bad.problem_en}",
                  file=out)
        if len(read.bad) > SHOWN_BAD_ROWS:
            print(f"  … +{len(read.bad) - SHOWN_BAD_ROWS}", file=out)
        queued: list[int] = []
        if read.bad and not args.skip_bad_rows:
            print(f"有 {len(read.bad)} 行读不了：修正后重试，或加 --skip-bad-rows 只导入好的行；"
                  f"什么都没有导入。 / {len(read.bad)} rows cannot be read: fix them and run"
                  " again, or add --skip-bad-rows to import the good rows. Nothing was queued.",
                  file=sys.stderr)
        else:
            queued = service.queue(read.rows)
            print(f"已加入 {len(queued)} 个预打标签 / Queued {len(queued)} pre-tags", file=out)
    if args.json:
        emit_json({"queued": len(queued), "ids": queued,
                   "bad_rows": [b.as_json() for b in read.bad]})
    return EXIT_OK if queued or not read.bad else 1


def pretag_list(args: argparse.Namespace) -> int:
    from desktop.cli.common import open_synced_workspace
    from desktop.services.pretags import PretagService

    with open_synced_workspace(args, write=False) as ws:
        found = PretagService(ws).list()
        labels = PretagService(ws).tagging.tag_labels()
    now = time.time()
    shown = [_as_listed(r, now) for r in found]
    if args.json:
        emit_json({"pretags": [{**r.as_json(), "tags": [labels.get(t, t) for t in r.tag_ids]}
                               for r in shown]})
        return EXIT_OK
    for record in shown:
        until = (datetime.fromtimestamp(record.expires_at).strftime("%Y-%m-%d")
                 if record.expires_at else "-")
        tags = "、".join(labels.get(t, t) for t in record.tag_ids)
        print(f"{record.id}\t{record.status}\t{record.kind}={record.key}\t{tags}"
              f"\t至 until {until}\t{record.batch_id}")
    print(f"{len(shown)} 个预打标签 / pre-tags")
    return EXIT_OK


def pretag_cancel(args: argparse.Namespace) -> int:
    from desktop.cli.common import open_synced_workspace
    from desktop.services.pretags import PretagService

    with open_synced_workspace(args, write=True) as ws:
        found = PretagService(ws).cancel(args.id)
    if args.json:
        emit_json({"id": found.id, "status": "cancelled"})
    else:
        print(f"已取消预打标签 {found.id} / Cancelled pre-tag {found.id}")
    return EXIT_OK


def _as_listed(record: ArrivalRecord, now: float) -> ArrivalRecord:
    """A pending pre-tag past its end shows as expired before the next sync closes it."""
    from dataclasses import replace

    from desktop.store.arrivals import EXPIRED, PENDING

    if record.status == PENDING and record.expires_at is not None and record.expires_at <= now:
        return replace(record, status=EXPIRED)
    return record
