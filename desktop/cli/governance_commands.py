"""`tagdesk policy show|set` and `tagdesk approvals list|approve|reject|restore|withdraw`
(team profiles): the governance policy the team server enforces and the deletion approvals
it keeps."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desktop.cli.code_prompt import check_code_input, read_code
from desktop.cli.common import add_common, emit_json, home
from desktop.cli.errors import EXIT_OK, UsageError
from desktop.services.profiles import Profile, ProfileStore

EXIT_REFUSED = 3     # the team server refused (not allowed, approval needed, approval fault)
LIST_FIELDS = ("id", "kind", "target", "requester", "status", "customers")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    policy = sub.add_parser("policy", help="the team's governance policy (team profiles)"
                            ).add_subparsers(dest="policy_command", metavar="SUBCOMMAND",
                                             required=True)
    _command(policy, "show", "the policy and your roles", policy_show)
    change = _command(policy, "set", "change the policy (administrators only)", policy_set)
    change.add_argument("--file", type=Path, metavar="policy.json",
                        help="the whole policy as JSON (the flags below then adjust it)")
    change.add_argument("--admin", action="append", default=[], metavar="USERID",
                        help="add an administrator (repeatable)")
    change.add_argument("--remove-admin", action="append", default=[], metavar="USERID")
    change.add_argument("--prefix", action="append", default=[], metavar="PREFIX=DEPARTMENT",
                        help="groups named PREFIX... belong to DEPARTMENT, e.g. MKT-=市场部")
    change.add_argument("--group", action="append", default=[], metavar="GROUP=DEPARTMENT",
                        help="this group belongs to DEPARTMENT")
    change.add_argument("--branch-admin", action="append", default=[],
                        metavar="USERID=DEPARTMENT", help="USERID manages DEPARTMENT's subtree")
    change.add_argument("--member-subtags", action="append", default=[], metavar="GROUP",
                        help="members may add sub-tags beneath existing parents in GROUP")
    change.add_argument("--restrict-tagging", action="append", default=[], metavar="GROUP",
                        help="only the owning department tags customers with GROUP")
    change.add_argument("--rename-threshold", type=int, metavar="N",
                        help="a non-admin renaming a tag on more than N customers needs approval")

    approvals = sub.add_parser("approvals", help="deletion approvals (team profiles)"
                               ).add_subparsers(dest="approvals_command", metavar="SUBCOMMAND",
                                                required=True)
    _command(approvals, "list", "requests: all for admins, your own otherwise", approvals_list)
    _command(approvals, "approve", "approve with a one-time code (admins)", approvals_approve,
             with_id=True).add_argument(
        "--code-stdin", action="store_true",
        help="read the approval code from standard input (for scripts)")
    _command(approvals, "restore",
             "put back the tags an approved deletion removed, re-tag their customers",
             approvals_restore, with_id=True)
    _command(approvals, "reject", "reject a request, with a reason (admins)", approvals_reject,
             with_id=True).add_argument("--reason", required=True, metavar="TEXT")
    _command(approvals, "withdraw", "withdraw your own pending request", approvals_withdraw,
             with_id=True)


def _command(parent: argparse._SubParsersAction[argparse.ArgumentParser], name: str,
             help_text: str, handler: Any, *, with_id: bool = False) -> argparse.ArgumentParser:
    """A subcommand with the flags every governance command has: the common ones, the
    request id (approvals), --profile and --json; a refusal exits EXIT_REFUSED."""
    command = parent.add_parser(name, help=help_text)
    add_common(command)
    if with_id:
        command.add_argument("id", type=int, metavar="ID")
    command.add_argument("--profile", required=True, metavar="NAME")
    command.add_argument("--json", action="store_true")
    command.set_defaults(handler=_refusable(handler))
    return command


def _refusable(handler: Any) -> Any:
    """A governance refusal prints its one sentence and exits EXIT_REFUSED."""

    def guarded(args: argparse.Namespace) -> int:
        from desktop.services.governance import is_refusal

        try:
            return int(handler(args))
        except Exception as exc:
            if not is_refusal(exc):
                raise
            print(f"tagdesk: {exc}", file=sys.stderr)
            return EXIT_REFUSED

    return guarded


def _profile(args: argparse.Namespace) -> Profile:
    from desktop.services.governance import require_team

    profile = ProfileStore(home(args)).get(args.profile)
    require_team(profile)
    return profile


def policy_show(args: argparse.Namespace) -> int:
    from desktop.services.governance import show_policy

    data = show_policy(_profile(args))
    _print_policy(data, args.json)
    return EXIT_OK


def policy_set(args: argparse.Namespace) -> int:
    from desktop.services.governance import set_policy, show_policy

    profile = _profile(args)
    if args.file is not None:
        try:
            policy = json.loads(args.file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise UsageError(f"无法读取策略文件 {args.file}：{exc} / Cannot read the policy file"
                             f" {args.file}: {exc}") from None
        if not isinstance(policy, dict):
            raise UsageError("策略文件必须是一个 JSON 对象。 / The policy file must hold a JSON"
                             " object.")
    else:
        policy = dict(show_policy(profile).get("policy") or {})
    _adjust(policy, args)
    _print_policy(set_policy(profile, policy), args.json)
    return EXIT_OK


def _adjust(policy: dict[str, Any], args: argparse.Namespace) -> None:
    admins = [a for a in policy.get("admins", []) if a not in args.remove_admin]
    policy["admins"] = admins + [a for a in args.admin if a not in admins]
    for key, items in (("prefixes", args.prefix), ("groups", args.group),
                       ("branch_admins", args.branch_admin)):
        if items:
            policy[key] = {**policy.get(key, {}), **dict(_pair(item) for item in items)}
    for key, groups in (("member_subtag_groups", args.member_subtags),
                        ("restricted_tagging_groups", args.restrict_tagging)):
        current = list(policy.get(key, []))
        policy[key] = current + [g for g in groups if g not in current]
    if args.rename_threshold is not None:
        policy["rename_threshold"] = args.rename_threshold


def _pair(item: str) -> tuple[str, str]:
    name, sep, department = item.partition("=")
    if not sep or not name.strip() or not department.strip():
        raise UsageError(f"{item!r} 应写成 名称=部门，例如 MKT-=市场部。 / {item!r} must read"
                         " NAME=DEPARTMENT, e.g. MKT-=市场部.")
    return name.strip(), department.strip()


def _print_policy(data: dict[str, Any], as_json: bool) -> None:
    policy, me = data.get("policy") or {}, data.get("me") or {}
    if as_json:
        emit_json({"policy": policy, "server_admins": data.get("server_admins", []), "me": me})
        return
    admins = sorted(set(policy.get("admins", [])) | set(data.get("server_admins", [])))
    print(f"管理员 admins: {', '.join(admins) or '-'}")
    for key, label in (("prefixes", "前缀归属 prefixes"), ("groups", "标签组归属 groups"),
                       ("branch_admins", "分支管理员 branch admins")):
        for name, department in (policy.get(key) or {}).items():
            print(f"{label}: {name} → {department}")
    for key, label in (("member_subtag_groups", "成员可加子标签 member sub-tags"),
                       ("restricted_tagging_groups", "限制打标签 restricted tagging")):
        print(f"{label}: {', '.join(policy.get(key) or []) or '-'}")
    print(f"改名审批阈值 rename threshold: {policy.get('rename_threshold')}")
    print(f"你 you: {me.get('userid', '')} ({', '.join(me.get('roles') or [])})"
          f"{'; 管理 manages ' + ', '.join(me['managed']) if me.get('managed') else ''}")


def approvals_list(args: argparse.Namespace) -> int:
    from desktop.services.governance import list_approvals

    found = list_approvals(_profile(args))
    if args.json:
        emit_json({"approvals": [{k: a.get(k) for k in (*LIST_FIELDS, "reason", "created_at",
                                                        "decided_by", "decision_reason")}
                                 for a in found]})
        return EXIT_OK
    for a in found:
        print(f"#{a['id']}\t{a['status']}\t{a['kind']}\t{a['target']}\t{a['requester']}"
              f"\t{a['customers']} 位客户 customers\t{a.get('reason') or '-'}")
    if not found:
        print("没有申请。 / No requests.")
    return EXIT_OK


def approvals_approve(args: argparse.Namespace) -> int:
    from desktop.services.governance import approve, request_code, session_token

    profile = _profile(args)
    check_code_input(args)
    session = session_token(profile)
    challenge = request_code(profile, args.id, session)
    code = read_code(
        args, f"审批验证码已通过企业微信发送给 {profile.userid}，{challenge.expires_in // 60} 分钟内有效。"
        f" / An approval code was sent to {profile.userid} through WeCom; it is valid for"
        f" {challenge.expires_in // 60} minutes.",
        "没有输入验证码。 / No approval code was given.")
    approval = approve(profile, args.id, challenge, code, session)
    if args.json:
        emit_json({"approval": approval})
    else:
        print(f"已批准并执行申请 #{args.id}（{approval.get('target', '')}）"
              f" / Approved and carried out request #{args.id} ({approval.get('target', '')})")
    return EXIT_OK


def approvals_reject(args: argparse.Namespace) -> int:
    from desktop.services.governance import reject

    if not args.reason.strip():
        raise UsageError("请用 --reason 写明驳回理由。 / Give the reason with --reason.")
    approval = reject(_profile(args), args.id, args.reason.strip())
    if args.json:
        emit_json({"approval": approval})
    else:
        print(f"已驳回申请 #{args.id}（{approval.get('target', '')}），已通知申请人"
              f" / Rejected request #{args.id} ({approval.get('target', '')}); the requester"
              " was told")
    return EXIT_OK


def approvals_withdraw(args: argparse.Namespace) -> int:
    from desktop.services.governance import withdraw

    approval = withdraw(_profile(args), args.id)
    if args.json:
        emit_json({"approval": approval})
    else:
        print(f"已撤回申请 #{args.id}（{approval.get('target', '')}）"
              f" / Withdrew request #{args.id} ({approval.get('target', '')})")
    return EXIT_OK


def approvals_restore(args: argparse.Namespace) -> int:
    from desktop.services.governance import restore

    done = restore(_profile(args), args.id)
    result = {k: done.get(k) for k in ("batch_id", "restored_tags", "relations", "skipped")}
    if args.json:
        emit_json({"restore": {"id": args.id, **result}})
    else:
        print(f"已恢复申请 #{args.id} 删除的 {result['restored_tags']} 个标签，重新标记"
              f" {result['relations']} 个客户关系（跳过 {result['skipped']} 个），批次"
              f" {result['batch_id']} / Restored the {result['restored_tags']} tags request"
              f" #{args.id} deleted and re-tagged {result['relations']} relations (skipped"
              f" {result['skipped']}); batch {result['batch_id']}")
    return EXIT_OK
