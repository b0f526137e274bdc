"""`tagdesk sandbox callback` (WeCom console's callback settings), `tagdesk sandbox phone`
(a member on a phone, an admin in the console: the change plus WeCom's callback) and
`tagdesk sandbox reset-secret` (the admin resets the app's secret in the console)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.common import add_common, emit_json
from desktop.cli.errors import EXIT_OK

if TYPE_CHECKING:
    from desktop.sandbox.phone import Phone
    from desktop.sandbox.state import SandboxState


def register_sandbox(sandbox: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`sandbox callback`, `sandbox phone ACTION` and `sandbox reset-secret`."""
    callback = sandbox.add_parser(
        "callback", help="set the callback URL, Token and EncodingAESKey (checked like WeCom's"
                         " console does)")
    add_common(callback)
    callback.add_argument("--data", required=True, metavar="DIR", help="the sandbox's folder")
    callback.add_argument("--url", metavar="URL",
                          help="e.g. http://127.0.0.1:8800/tagdesk/v1/callback")
    callback.add_argument("--token", metavar="T")
    callback.add_argument("--aes-key", metavar="K", help="the EncodingAESKey (43 characters)")
    callback.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS",
                          help="wait this long for an answer before retrying (WeCom: 5)")
    callback.add_argument("--retries", type=int, default=3, help="retries after a failure")
    callback.add_argument("--retry-delay", type=float, default=1.0, metavar="SECONDS")
    callback.add_argument("--off", action="store_true", help="send no more callbacks")
    callback.set_defaults(handler=sandbox_callback)

    phone = sandbox.add_parser("phone", help="a change made on a phone or in WeCom's console,"
                                             " with its callback")
    add_common(phone)
    phone.add_argument("--data", required=True, metavar="DIR", help="the sandbox's folder")
    phone.add_argument("--json", action="store_true", help="end with a JSON line")
    actions = phone.add_subparsers(dest="phone_action", metavar="ACTION", required=True)

    def action(name: str, text: str, *relation: str) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=text)
        add_common(parser)
        for flag in relation:
            parser.add_argument(flag, required=True, metavar=flag.strip("-")[0].upper())
        return parser

    mark = action("mark", "a member tags or untags a customer", "--userid", "--external-userid")
    mark.add_argument("--add", nargs="+", action="extend", default=[], metavar="TAG",
                      help="tag id, tag name, or GROUP/NAME")
    mark.add_argument("--remove", nargs="+", action="extend", default=[], metavar="TAG")
    add = action("add-customer", "a member adds a customer (add_external_contact)", "--userid")
    add.add_argument("--state", default="", help="the contact way's state (channel)")
    add.add_argument("--external-userid", default="", metavar="E",
                     help="an existing customer (default: a new one)")
    scan = action("scan", "a customer scans a contact way's QR code", "--config-id")
    scan.add_argument("--external-userid", default="", metavar="E",
                      help="an existing customer (default: a new one)")
    action("delete-customer", "a member deletes a customer", "--userid", "--external-userid")
    action("customer-deletes", "a customer deletes the member (del_follow_user)", "--userid",
           "--external-userid")
    create = action("tag-create", "the admin creates a tag (and its group if new)")
    create.add_argument("--group", required=True)
    create.add_argument("--name", required=True)
    edit = action("tag-edit", "the admin renames or reorders a tag or group", "--id")
    edit.add_argument("--name")
    edit.add_argument("--order", type=int)
    action("tag-delete", "the admin deletes a tag or a group", "--id")
    shuffle = action("tag-shuffle", "the admin re-sorts a group's tags (or every group)")
    shuffle.add_argument("--group-id", default="", metavar="ID")
    for parser in actions.choices.values():
        parser.set_defaults(handler=sandbox_phone)

    reset = sandbox.add_parser("reset-secret", help="the admin resets the app's secret: the old"
                                                    " one answers 40001, the tokens issued 40014")
    add_common(reset)
    reset.add_argument("--data", required=True, metavar="DIR", help="the sandbox's folder")
    reset.add_argument("--json", action="store_true", help='end with {"secret": ...}')
    reset.set_defaults(handler=sandbox_reset_secret)


def sandbox_callback(args: argparse.Namespace) -> int:
    from desktop.cli.errors import UsageError
    from desktop.sandbox.callbacks import CallbackSettings, configure

    state = _open(Path(args.data))
    try:
        if args.off:
            configure(state, None)
            print("已关闭回调。 / Callbacks are off.")
            return EXIT_OK
        if not (args.url and args.token and args.aes_key):
            raise UsageError("请给出 --url、--token 和 --aes-key（或 --off）。"
                             " / Give --url, --token and --aes-key (or --off).")
        from desktop.domain.callback_crypto import check_settings

        check_settings(args.token, args.aes_key)
        configure(state, CallbackSettings(args.url, args.token, args.aes_key, args.timeout,
                                          args.retries, args.retry_delay))
    finally:
        state.close()
    print(f"回调 URL 已通过验证并保存：{args.url} / The callback URL passed verification and was"
          f" saved: {args.url}")
    return EXIT_OK


def sandbox_reset_secret(args: argparse.Namespace) -> int:
    state = _open(Path(args.data))
    try:
        secret = state.reset_secret()
    finally:
        state.close()
    print("已重置应用 Secret：旧的 Secret 不再被接受（40001），已发出的 access_token 全部作废。"
          " / The app secret is reset: the old one is refused (40001) and every access token"
          " issued is void.")
    print(f"新的 Secret / New secret: {secret}")
    if args.json:
        emit_json({"secret": secret})
    return EXIT_OK


def sandbox_phone(args: argparse.Namespace) -> int:
    from desktop.sandbox.callbacks import CallbackSender
    from desktop.sandbox.phone import Phone

    state = _open(Path(args.data))
    sender = CallbackSender(state, background=False)
    try:
        result = _act(Phone(state, sender), state, args)
    finally:
        sender.close()
        state.close()
    counts = sender.counts
    if not counts.events:
        delivery = "未设置回调，没有发送事件 / no callback URL is set: no event sent"
    elif counts.given_up:
        delivery = (f"回调失败 {counts.given_up} 次（已重试）/ {counts.given_up} callback(s)"
                    " given up after retries")
    else:
        delivery = (f"已推送 {counts.delivered} 个回调事件 / {counts.delivered} callback event(s)"
                    " delivered")
    print(f"{args.phone_action}: {' '.join(f'{k}={v}' for k, v in result.items())}; {delivery}")
    if args.json:
        emit_json({"action": args.phone_action, **result,
                   "callbacks": {"events": counts.events, "delivered": counts.delivered,
                                 "attempts": counts.attempts, "given_up": counts.given_up}})
    return EXIT_OK


def _act(phone: Phone, state: SandboxState, args: argparse.Namespace) -> dict[str, str]:
    action = args.phone_action
    if action == "mark":
        phone.mark(args.userid, args.external_userid, [_tag(state, t) for t in args.add],
                   [_tag(state, t) for t in args.remove])
        return {"userid": args.userid, "external_userid": args.external_userid}
    if action == "add-customer":
        external_userid = phone.add_customer(args.userid, args.state, args.external_userid)
        return {"userid": args.userid, "external_userid": external_userid}
    if action == "scan":
        userid, external_userid = phone.scan(args.config_id, args.external_userid or None)
        return {"userid": userid, "external_userid": external_userid}
    if action == "delete-customer":
        phone.delete_customer(args.userid, args.external_userid)
        return {"userid": args.userid, "external_userid": args.external_userid}
    if action == "customer-deletes":
        phone.customer_deletes_member(args.userid, args.external_userid)
        return {"userid": args.userid, "external_userid": args.external_userid}
    if action == "tag-create":
        return {"tag_id": phone.create_tag(args.group, args.name)}
    if action == "tag-edit":
        phone.edit_tag(args.id, name=args.name, order=args.order)
        return {"id": args.id}
    if action == "tag-delete":
        phone.delete_tag(args.id)
        return {"id": args.id}
    phone.shuffle(args.group_id)
    return {"group_id": args.group_id}


def _tag(state: SandboxState, text: str) -> str:
    """A tag id from an id, a name unique among corp tags, or GROUP/NAME."""
    from desktop.sandbox.phone import PhoneError

    by_name = state.tag_ids_by_name()
    if text in by_name.values():
        return text
    group, _, name = text.partition("/")
    if name and (group, name) in by_name:
        return by_name[group, name]
    matches = [tag_id for (_, tag_name), tag_id in by_name.items() if tag_name == text]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise PhoneError(f"多个标签组里都有“{text}”，请写成 组名/{text}。",
                         f"Several groups have a tag “{text}”: write GROUP/{text}.")
    raise PhoneError(f"没有标签“{text}”。", f"No tag “{text}”.")


def _open(data_dir: Path) -> SandboxState:
    """The corp in `data_dir` (running or not); never generates a new one."""
    from desktop.sandbox import SandboxConfig
    from desktop.sandbox.schema import DB_FILENAME, SandboxDataError
    from desktop.sandbox.state import SandboxState

    if not (data_dir / DB_FILENAME).is_file():
        raise SandboxDataError(
            f"{data_dir} 中没有沙盒数据，请先运行 tagdesk sandbox serve --data {data_dir}。"
            f" / {data_dir} holds no sandbox; run `tagdesk sandbox serve --data {data_dir}`"
            " first.")
    return SandboxState.open(SandboxConfig(data_dir=data_dir))
