"""`tagdesk exclusive list|add|remove`: mutually exclusive tag sets (已成交 vs 无效客户)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from desktop.cli.common import add_common, home
from desktop.cli.errors import EXIT_OK
from desktop.cli.team_settings_refresh import refresh_team_settings

if TYPE_CHECKING:
    from desktop.services.exclusive_sets import ExclusiveSets
    from desktop.services.workspace import Workspace


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exclusive = sub.add_parser(
        "exclusive", help="mutually exclusive tags: a relation may carry only one of a set"
    ).add_subparsers(dest="exclusive_command", metavar="SUBCOMMAND", required=True)
    listing = exclusive.add_parser("list", help="list the exclusive sets")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=exclusive_list)
    add = exclusive.add_parser("add", help="add a set of at least two tags")
    add.add_argument("name")
    add.add_argument("--tags", required=True, metavar="TAGS",
                     help="comma-separated tag names; 组:名 picks one group's tag")
    add.set_defaults(handler=exclusive_add)
    remove = exclusive.add_parser("remove", help="remove a set")
    remove.add_argument("name")
    remove.set_defaults(handler=exclusive_remove)
    for command in (listing, add, remove):
        add_common(command)
        command.add_argument("--profile", required=True, metavar="NAME")


def _sets(args: argparse.Namespace, *, write: bool) -> tuple[Workspace, ExclusiveSets]:
    from desktop.services.exclusive_sets import ExclusiveSets
    from desktop.services.workspace import open_workspace

    ws = open_workspace(home(args), args.profile, exclusive=write)
    refresh_team_settings(ws)
    return ws, ExclusiveSets(ws)


def exclusive_list(args: argparse.Namespace) -> int:
    ws, sets = _sets(args, write=False)
    with ws:
        found = sets.list()
    if args.json:
        print(json.dumps([{"id": s.id, "name": s.name, "tag_ids": list(s.tag_ids),
                           "tags": list(s.tag_labels)} for s in found], ensure_ascii=False))
    else:
        for s in found:
            print(f"{s.name}\t{'、'.join(s.tag_labels)}")
        if not found:
            print("还没有互斥标签组。 / No exclusive sets yet.")
    return EXIT_OK


def exclusive_add(args: argparse.Namespace) -> int:
    ws, sets = _sets(args, write=True)
    with ws:
        sets.add(args.name, [t for t in args.tags.split(",") if t.strip()])
    print(f"已保存互斥标签组 {args.name} / Saved exclusive set {args.name}")
    return EXIT_OK


def exclusive_remove(args: argparse.Namespace) -> int:
    ws, sets = _sets(args, write=True)
    with ws:
        sets.remove(args.name)
    print(f"已删除互斥标签组 {args.name} / Removed exclusive set {args.name}")
    return EXIT_OK
