"""`tagdesk tags list|add|add-group|rename|move|delete`: the tag tree for scripts and admins.

Every change takes the path the GUI tree takes (`TagAdminService`: WeCom first, then the cache
and the journal with source `tree`), so a team profile's changes go through the team server's
relay and are journaled there under the logged-in user. Exit codes: 0 done; 2 could not run
(bad arguments, profile, network); 3 refused (by TagDesk's name rules, by WeCom, or by the team
server); 4 no such tag, group or department, or a name that fits several; 5 a deletion that
was not confirmed; 1 a restore whose re-tagging batch left failures or pending calls.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desktop.cli.common import add_common, emit_json, open_synced_workspace, respell_filters
from desktop.cli.errors import EXIT_FAILED, EXIT_OK
from desktop.domain.echo import escape_controls
from desktop.domain.errors import UserError, printable

if TYPE_CHECKING:
    from desktop.domain.tag_tree import TagNode
    from desktop.services.tag_admin import CreatedTag, TagAdminService
    from desktop.services.tag_refs import TreeRefs

EXIT_REFUSED = 3
EXIT_NOT_FOUND = 4
EXIT_NOT_CONFIRMED = 5
EXIT_CODES = ("exit codes: 0 done; 1 a restore whose re-tagging left failures; 2 could not run;"
              " 3 refused (name rules, WeCom, the team server); 4 no such tag, group or"
              " department, or ambiguous; 5 a deletion not confirmed")

Handler = Callable[[argparse.Namespace], int]


class NotConfirmed(UserError):
    """The deletion was not confirmed on the terminal (or there was none and no --yes)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tags = sub.add_parser(
        "tags", help="the tag tree: list, add, rename, move and delete tags and groups",
        epilog=EXIT_CODES,
    ).add_subparsers(dest="tags_command", metavar="SUBCOMMAND", required=True)
    listing = tags.add_parser("list", help="corp, rule-group and personal tags with counts")
    listing.set_defaults(handler=_guarded(tags_list))
    add = tags.add_parser("add", help="add a tag to a group: GROUP/NAME (NAME may be a path"
                                      " such as 教育/K12/小学)")
    add.add_argument("path", metavar="GROUP/NAME")
    add.set_defaults(handler=_guarded(tags_add))
    group = tags.add_parser("add-group", help="add a tag group with its first tag")
    group.add_argument("name", metavar="NAME")
    group.add_argument("--tag", required=True, metavar="FIRST",
                       help="its first tag (WeCom has no empty groups)")
    group.add_argument("--branch", metavar="DEPT",
                       help="a branch-regional group: in the rule group of this department"
                            " (made, with the department's head as manager, when missing)")
    group.set_defaults(handler=_guarded(tags_add_group))
    rename = tags.add_parser("rename", help="rename a tag or a group")
    rename.add_argument("item", metavar="TAG")
    rename.add_argument("new_name", metavar="NEW")
    rename.add_argument("--reason", default="", metavar="TEXT",
                        help="why, kept in the journal (a team's rename request's reason)")
    rename.set_defaults(handler=_guarded(tags_rename))
    move = tags.add_parser("move", help="put a tag or group before or after a sibling")
    move.add_argument("item", metavar="TAG")
    where = move.add_mutually_exclusive_group(required=True)
    where.add_argument("--before", metavar="OTHER")
    where.add_argument("--after", metavar="OTHER")
    move.set_defaults(handler=_guarded(tags_move))
    delete = tags.add_parser("delete", help="delete a tag or a group (asks first)")
    delete.add_argument("item", metavar="TAG")
    delete.add_argument("--reason", default="", metavar="TEXT",
                        help="why, kept in the journal")
    delete.set_defaults(handler=_guarded(tags_delete))
    deleted = tags.add_parser("deleted", help="deleted tags that can be restored, with the"
                                              " relations that carried them")
    deleted.set_defaults(handler=_guarded(tags_deleted))
    restore = tags.add_parser("restore", help="re-create a deleted tag and re-tag the"
                                              " relations that carried it (one batch)")
    restore.add_argument("snapshot", type=int, metavar="ID",
                         help="the number `tags deleted` shows")
    restore.set_defaults(handler=_guarded(tags_restore))
    for command in (listing, add, group, rename, move, delete, deleted, restore):
        command.epilog = EXIT_CODES
        add_common(command)
        command.add_argument("--profile", required=True, metavar="NAME")
        command.add_argument("--json", action="store_true",
                             help="end with one JSON line describing the result")
        command.add_argument("--yes", action="store_true",
                             help="do not ask for confirmation")


def say(text: str) -> None:
    """A result line on stdout (tab-separated where it lists); names from WeCom cannot drive
    the terminal."""
    print(escape_controls(text, keep="\t"))


def _guarded(handler: Handler) -> Handler:
    """Refusals and unknown names get their own exit codes; anything else goes on to the
    common handling (one sentence, exit 2)."""

    def run(args: argparse.Namespace) -> int:
        from desktop.services.errors import bilingual

        try:
            return handler(args)
        except Exception as exc:
            code = _exit_code(exc)
            if code is None:
                raise
            print(f"tagdesk: {bilingual(exc)}", file=sys.stderr)
            return code

    return run


def _exit_code(exc: Exception) -> int | None:
    from desktop.domain.tag_order import ReorderError
    from desktop.services.rule_groups import DepartmentNotFoundError
    from desktop.services.tag_admin import TagAdminError
    from desktop.services.tag_refs import TagRefError
    from desktop.services.tag_restore import RestoreError
    from desktop.wecom.error_codes import ErrorKind
    from desktop.wecom.errors import WeComError

    if isinstance(exc, TagRefError | DepartmentNotFoundError | RestoreError):
        return EXIT_NOT_FOUND
    if isinstance(exc, NotConfirmed):
        return EXIT_NOT_CONFIRMED
    if isinstance(exc, TagAdminError | ReorderError):
        return EXIT_REFUSED
    refusals = (ErrorKind.PERMANENT_ITEM, ErrorKind.INVALID_REQUEST, ErrorKind.UNKNOWN)
    if isinstance(exc, WeComError) and exc.kind in refusals:
        return EXIT_REFUSED
    return None


def _service(args: argparse.Namespace, *, write: bool) -> TagAdminService:
    from desktop.services.tag_admin import TagAdminService

    return TagAdminService(open_synced_workspace(args, write=write))


def _refs(admin: TagAdminService) -> TreeRefs:
    from desktop.services.tag_refs import TreeRefs

    return TreeRefs(admin.library(counts=False))


# -- list ------------------------------------------------------------------------------------


def tags_list(args: argparse.Namespace) -> int:
    from desktop.domain.tag_tree import NodeKind

    admin = _service(args, write=False)
    with admin.ws:
        library = admin.library()
    tree = library.tree()
    groups = [_group_json(node, library.strategy_names) for node in tree.walk()
              if node.kind is NodeKind.GROUP]
    for group in groups:
        lock = " [只读 read-only]" if group["read_only"] else ""
        where = f"规则组 {group['strategy_name']} · " if group["strategy_name"] else ""
        say(f"{group['name']}/  ({where}{group['kind']}, {group['id']}){lock}")
        for tag in group["tags"]:
            say(f"  {tag['path']}\t{tag['relations']}\t{tag['id']}")
    if not groups:
        print("还没有标签。 / No tags yet.")
    if args.json:
        emit_json({"groups": groups})
    return EXIT_OK


def _group_json(node: TagNode, strategy_names: dict[int, str]) -> dict[str, Any]:
    from desktop.domain.tag_tree import NodeKind

    assert node.group is not None
    group = node.group
    tags = [item for item in _below(node) if item.kind is NodeKind.TAG and item.tag]
    return {
        "id": group.id, "name": group.name, "kind": group.kind.value, "order": group.order,
        "strategy_id": group.strategy_id,
        "strategy_name": strategy_names.get(group.strategy_id) if group.strategy_id else None,
        "read_only": node.restriction is not None, "reason": _reason(node),
        "tags": [{
            "id": item.tag.id, "name": item.tag.name, "path": f"{group.name}/{item.tag.name}",
            "order": item.tag.order, "relations": item.tag.relation_count,
            "abbreviation": item.tag.abbreviation, "read_only": item.restriction is not None,
            "reason": _reason(item),
        } for item in tags if item.tag],
    }


def _below(node: TagNode) -> list[TagNode]:
    nodes: list[TagNode] = []
    for child in node.children:
        nodes.append(child)
        nodes.extend(_below(child))
    return nodes


def _reason(node: TagNode) -> str | None:
    if node.restriction is None:
        return None
    return f"{node.restriction.zh} / {node.restriction.en}"


# -- add ---------------------------------------------------------------------------------------


def tags_add(args: argparse.Namespace) -> int:
    from desktop.services.tag_refs import split_new_path

    group_ref, name = split_new_path(args.path)
    admin = _service(args, write=True)
    with admin.ws:
        group = _refs(admin).group(group_ref)
        created = admin.create_tag(group.id, name)
    _say_created(created, args, action="add")
    return EXIT_OK


def tags_add_group(args: argparse.Namespace) -> int:
    from desktop.services.rule_groups import BranchTags

    admin = _service(args, write=True)
    rule_group = None
    with admin.ws:
        if args.branch:
            rule_group, created = BranchTags(admin).add_group(args.branch, args.name, args.tag)
        else:
            created = admin.create_group(args.name, args.tag)
    extra: dict[str, Any] = {"rule_group": None}
    if rule_group is not None:
        made = "新建了" if rule_group.created else "使用已有的"
        made_en = "created" if rule_group.created else "used the existing"
        say(f"{made}规则组「{rule_group.name}」（范围：{rule_group.department_name}，管理员："
              f"{'、'.join(rule_group.admins)}） / {made_en} rule group {rule_group.name!r}"
              f" (range: {rule_group.department_name}, managers: {', '.join(rule_group.admins)})")
        extra["rule_group"] = {
            "id": rule_group.id, "name": rule_group.name, "created": rule_group.created,
            "department_id": rule_group.department_id,
            "department": rule_group.department_name, "admins": list(rule_group.admins),
        }
    _say_created(created, args, action="add-group", extra=extra)
    return EXIT_OK


def _say_created(created: CreatedTag, args: argparse.Namespace, *, action: str,
                 extra: dict[str, Any] | None = None) -> None:
    tag = created.tag
    say(f"已添加 {tag.group_name}/{tag.name} / Added {tag.group_name}/{tag.name} ({tag.id})")
    if args.json:
        emit_json({
            "action": action, "id": tag.id, "name": tag.name,
            "path": f"{tag.group_name}/{tag.name}", "group_id": tag.group_id,
            "group_name": tag.group_name, "strategy_id": tag.strategy_id,
            "batch_id": created.changes.batch_id, **(extra or {}),
        })


# -- rename and move -----------------------------------------------------------------------------


def tags_rename(args: argparse.Namespace) -> int:
    admin = _service(args, write=True)
    with admin.ws:
        item = _refs(admin).item(args.item)
        changes = admin.rename(item.id, args.new_name, reason=args.reason)
        renamed = _refs(admin).item(item.id)
    respell_filters(args, admin.ws.profile.name, changes.renames)
    say(f"已改名 {item.path} → {renamed.path} / Renamed {item.path} to {renamed.path}")
    if args.json:
        emit_json({"action": "rename", "kind": item.kind, "id": item.id, "old_name": item.name,
                   "name": renamed.name, "path": renamed.path, "batch_id": changes.batch_id})
    return EXIT_OK


def tags_move(args: argparse.Namespace) -> int:
    after = args.after is not None
    admin = _service(args, write=True)
    with admin.ws:
        refs = _refs(admin)
        item, other = refs.item(args.item), refs.item(args.after if after else args.before)
        changes = admin.move(item.id, other.id, after=after)
    where, where_en = ("之后", "after") if after else ("之前", "before")
    say(f"已把 {item.path} 移到 {other.path} {where} / Moved {item.path} {where_en} {other.path}")
    if args.json:
        emit_json({"action": "move", "kind": item.kind, "id": item.id, where_en: other.id,
                   "batch_id": changes.batch_id})
    return EXIT_OK


# -- delete ----------------------------------------------------------------------------------------


def tags_delete(args: argparse.Namespace) -> int:
    admin = _service(args, write=True)
    with admin.ws:
        item = _refs(admin).item(args.item)
        impact = (admin.deletion_impact(group_ids=[item.id]) if item.is_group
                  else admin.deletion_impact(tag_ids=[item.id]))
        what = f"标签组 {item.path}（{impact.tags} 个标签）" if item.is_group else f"标签 {item.path}"
        what_en = (f"the group {item.path} ({impact.tags} tags)" if item.is_group
                   else f"the tag {item.path}")
        question = (f"删除{what}后，{impact.customers} 位客户（{impact.relations} 个客户关系）将失去"
                    f"它；企业微信只在 14 天内应申请恢复。确定删除吗？ / Deleting {what_en} takes it"
                    f" from {impact.customers} customers ({impact.relations} relations); WeCom"
                    " restores a deleted tag only on request within 14 days. Delete it?")
        _confirm(question, args.yes)
        if item.is_group:
            changes = admin.delete_group(item.id, reason=args.reason)
        else:
            changes = admin.delete_tags([item.id], reason=args.reason)
    say(f"已删除 {item.path}：{impact.customers} 位客户失去了它 / Deleted {item.path}:"
          f" {impact.customers} customers lost it")
    if args.json:
        emit_json({"action": "delete", "kind": item.kind, "id": item.id, "name": item.name,
                   "path": item.path, "tags": impact.tags, "relations": impact.relations,
                   "customers": impact.customers, "reason": args.reason,
                   "batch_id": changes.batch_id})
    return EXIT_OK


# -- deleted tags and restore ------------------------------------------------------------------


def tags_deleted(args: argparse.Namespace) -> int:
    from datetime import datetime

    from desktop.services.tag_restore import TagRestoreService

    ws = open_synced_workspace(args, write=False)
    with ws:
        snapshots = TagRestoreService(ws).deleted()
    for item in snapshots:
        when = datetime.fromtimestamp(item.taken_at).strftime("%Y-%m-%d %H:%M")
        state = (f"已恢复为 restored as {item.restored_as}" if item.restored
                 else "可恢复 restorable")
        print(f"{item.id:>5}  {when}  {item.group_name}/{item.tag_name}  {item.relations} 个客户关系"
              f" relations  {item.operator}  {state}")
    if not snapshots:
        print("没有已删除的标签。 / No deleted tags.")
    if args.json:
        emit_json({"deleted": [
            {"id": s.id, "tag_id": s.tag_id, "name": s.tag_name, "group": s.group_name,
             "deleted_at": s.taken_at, "operator": s.operator, "reason": s.reason,
             "relations": s.relations, "restored_as": s.restored_as or None,
             "restore_batch": s.restore_batch or None} for s in snapshots]})
    return EXIT_OK


def tags_restore(args: argparse.Namespace) -> int:
    from desktop.cli.common import StderrProgress, confirm, print_result, print_resume_hint
    from desktop.services.tag_restore import TagRestoreService
    from desktop.services.tagging import TaggingService

    ws = open_synced_workspace(args, write=True)
    with ws:
        service = TagRestoreService(ws)
        preview = service.preview(args.snapshot)
        tag = preview.snapshot
        how = ("沿用现有的同名标签 / reusing the live tag of that name" if preview.reuse_tag_id
               else "重新创建 / re-created (WeCom gives it a new id)")
        print(f"恢复 / Restore {tag.group_name}/{tag.tag_name}: {how};"
              f" {len(preview.relation_ids)} 个客户关系重新打上 relations re-tagged,"
              f" {preview.gone} 个已不存在 no longer exist")
        if not confirm(f"确认恢复「{tag.tag_name}」？ / Restore 「{tag.tag_name}」?", args.yes):
            print("已取消，没有做任何更改。 / Cancelled; nothing was changed.", file=sys.stderr)
            return EXIT_OK
        restored = service.restore(args.snapshot)
        result = TaggingService(ws).run(restored.batch_id, progress=StderrProgress())
    print_result(result, sys.stdout)
    if result.pending:
        print_resume_hint(args, result.batch_id)
    if args.json:
        emit_json({**restored.as_json(), **result.as_json()})
    return EXIT_OK if result.status == "done" and not result.failed else EXIT_FAILED


def _confirm(question: str, yes: bool) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise NotConfirmed(
            "没有可以确认删除的终端；确认无误后请加 --yes 再运行，什么都没有删除。",
            "No terminal to confirm the deletion on; run again with --yes once sure."
            " Nothing was deleted.")
    print(printable(f"{question} [y/N] "), end="", file=sys.stderr, flush=True)
    if sys.stdin.readline().strip().lower() not in ("y", "yes", "是"):
        raise NotConfirmed("没有删除。", "Nothing was deleted.")

