"""`tagdesk autotag import-chats` and `tagdesk autotag keywords`: a profile's chats and keywords.

Names, flags and the JSON fields of the last stdout line are interfaces: never rename.
Human-readable lines go to stdout (to stderr with --json); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from desktop.cli.common import StderrProgress, add_common, emit_json, home
from desktop.cli.errors import EXIT_FAILED, EXIT_OK
from desktop.cli.result_report import INLINE, ResultReport, add_report_option
from desktop.domain.echo import echo


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


def import_chats_command(args: argparse.Namespace) -> int:
    from desktop.services.chat_import import import_chats
    from desktop.services.workspace import open_workspace

    out = _human(args)
    full = ResultReport(args, "import-chats")
    with open_workspace(home(args), args.profile, exclusive=True) as ws:
        result = import_chats(ws.cache, args.file, skip_invalid=args.skip_invalid,
                              progress=StderrProgress())
    print(f"检查 / Checked {echo(result.path.name)}: {result.lines:,} 行 lines ·"
          f" {result.valid:,} 条有效 valid · {len(result.problems):,} 行有问题 with problems ·"
          f" {result.non_text:,} 条非文本 not text · {result.empty:,} 条空消息 empty", file=out)
    for problem in result.problems[:INLINE]:
        print(f"  {problem.text}", file=out)
    if len(result.problems) > INLINE:
        print(full.more(len(result.problems) - INLINE), file=out)
    if result.status == "invalid":
        print("文件有问题，没有保存任何消息；修改后重新导入，或加 --skip-invalid 只导入有效行。"
              " / Nothing was stored because of the problems above; fix them, or add"
              " --skip-invalid to store only the valid lines.", file=out)
    elif result.status == "imported":
        print(f"已保存 {result.imported:,} 条新消息（{result.duplicates:,} 条已有，未重复保存）"
              f" / Stored {result.imported:,} new messages ({result.duplicates:,} already"
              f" stored, not stored twice) · {result.elapsed_s:.1f} s", file=out)
    else:
        print("文件中没有可保存的消息。 / The file holds no message to store.", file=out)
    if args.json:
        full.emit(result.as_json(), {"problems": [p.as_json() for p in result.problems]})
    return EXIT_FAILED if result.problems else EXIT_OK


def keywords_command(args: argparse.Namespace) -> int:
    from desktop.services import autotag_keywords
    from desktop.services.workspace import open_workspace

    changes = [autotag_keywords.parse_assignment(text) for text in args.set]
    replacing = autotag_keywords.read_keywords_file(args.file) if args.file else None
    writing = bool(changes or args.remove or replacing is not None)
    with open_workspace(home(args), args.profile, exclusive=writing) as ws:
        if replacing is not None:
            autotag_keywords.save(ws.cache, replacing, replace_all=True)
        if changes:
            autotag_keywords.save(ws.cache, dict(changes))
        missing = [name for name in args.remove
                   if name not in autotag_keywords.stored(ws.cache)]
        if args.remove:
            from desktop.store.autotag_settings import remove_keywords

            remove_keywords(ws.cache, args.remove)
        current = autotag_keywords.stored(ws.cache)
    out = _human(args)
    for name in missing:
        print(f"tagdesk: 标签「{echo(name)}」没有保存关键词。 / Tag {echo(name)!r} had no"
              " keywords stored.", file=sys.stderr)
    _print_keywords(current, out)
    if args.json:
        emit_json(autotag_keywords.as_file_json(current))
    return EXIT_FAILED if missing else EXIT_OK


def _print_keywords(keywords: dict[str, list[str]], out: TextIO) -> None:
    if not keywords:
        print("还没有关键词；用 --set 标签=关键词1,关键词2 或 --file KW.json 设置。"
              " / No keywords yet; set them with --set TAG=KW1,KW2 or --file KW.json.", file=out)
    for name, words in keywords.items():
        print(f"{echo(name)}\t{'、'.join(echo(w) for w in words) or '（无 / none）'}", file=out)


def _human(args: argparse.Namespace) -> TextIO:
    return sys.stderr if args.json else sys.stdout
