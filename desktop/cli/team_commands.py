"""The team server commands (`server serve`, `server devices`), logging a desktop in to a
team server (`login`, `profile add --team-url`) and reading the sandbox's inbox."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.code_prompt import check_code_input, read_code
from desktop.cli.common import add_common, emit_json, home
from desktop.cli.errors import EXIT_OK, UsageError
from desktop.cli.reconcile_server_options import add_reconcile_options, reconcile_config
from desktop.services.profiles import DEMO_PROFILE, Profile, ProfileStore

if TYPE_CHECKING:
    from desktop.services.team import LoginChallenge
    from desktop.store.journal import VerifyResult

SECRET_ENV = "TAGDESK_CORP_SECRET"
CALLBACK_TOKEN_ENV = "TAGDESK_CALLBACK_TOKEN"
CALLBACK_KEY_ENV = "TAGDESK_CALLBACK_AES_KEY"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`server serve`, `server devices` and `login`."""

    server = sub.add_parser("server", help="the TagDesk team server (PostgreSQL)").add_subparsers(
        dest="server_command", metavar="SUBCOMMAND", required=True)
    serve = server.add_parser("serve", help="migrate the team database, then serve until SIGTERM")
    add_common(serve)
    serve.add_argument("--db", required=True, metavar="postgresql://...",
                       help="the team database (PostgreSQL)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port")
    serve.add_argument("--wecom-api-base", required=True, metavar="URL",
                       help="WeCom's API base, e.g. https://qyapi.weixin.qq.com/cgi-bin/")
    serve.add_argument("--corp-id", required=True, metavar="ID")
    serve.add_argument("--agent-id", type=int, metavar="N",
                       help="the app whose messages carry login codes")
    serve.add_argument("--secret-stdin", action="store_true",
                       help=f"read the app secret from standard input (else from ${SECRET_ENV})")
    serve.add_argument("--admin", action="append", default=[], metavar="USERID",
                       help="a team administrator (repeatable)")
    serve.add_argument("--calls-per-minute", type=int, default=6000,
                       help="the corp-wide WeCom budget every desktop shares")
    serve.add_argument("--concurrency", type=int, default=5,
                       help="the corp-wide cap on WeCom calls in flight")
    serve.add_argument("--outbox-check-every", type=float, default=30.0, metavar="SECONDS",
                       help="how often writes left unfinished by a stopped server process"
                            " are settled")
    serve.add_argument("--callback-token", default=os.environ.get(CALLBACK_TOKEN_ENV, ""),
                       metavar="T", help="the Token of the app's callback settings in WeCom's"
                                         f" console (or ${CALLBACK_TOKEN_ENV})")
    serve.add_argument("--callback-aes-key", default=os.environ.get(CALLBACK_KEY_ENV, ""),
                       metavar="K", help="their EncodingAESKey, 43 characters (or"
                                         f" ${CALLBACK_KEY_ENV})")
    serve.add_argument("--resync-interval", type=float, default=3600, metavar="SECONDS",
                       help="re-read every relation this often, for changes made without a"
                            " callback (0 = never)")
    add_reconcile_options(serve)
    serve.add_argument("--rules-interval", type=float, default=600, metavar="SECONDS",
                       help="run the enabled team rules this often (0 = never)")
    serve.add_argument("--expiry-interval", type=float, default=60, metavar="SECONDS",
                       help="remove the due tags the rules set to expire this often"
                            " (0 = never)")
    serve.add_argument("--events-retention-days", type=int, default=365, metavar="N",
                       help="delete behaviour events dated more than N days ago (0 = keep all)")
    serve.add_argument("--sales-see-all", action="store_true",
                       help="salespeople see and sync every customer of the corp (by default"
                            " only the customers they follow)")
    serve.set_defaults(handler=server_serve)

    devices = server.add_parser("devices", help="list the devices logged in, or revoke one")
    add_common(devices)
    devices.add_argument("--db", required=True, metavar="postgresql://...")
    devices.add_argument("--revoke", type=int, metavar="ID", help="revoke this device at once")
    devices.add_argument("--json", action="store_true")
    devices.set_defaults(handler=server_devices)
    from desktop.cli.event_commands import register_sources

    register_sources(server)

    login = sub.add_parser("login", help="log this desktop in to its team server with a WeCom code")
    add_common(login)
    login.add_argument("--profile", required=True, metavar="NAME")
    code_input = login.add_mutually_exclusive_group()
    code_input.add_argument("--code-stdin", action="store_true",
                            help="read the login code from standard input (for scripts)")
    code_input.add_argument("--send-code", action="store_true",
                            help="only have the code sent, then exit; finish with --code"
                                 " (for scripts that read the code between the two)")
    code_input.add_argument("--code", metavar="CODE",
                            help="finish the login --send-code started with the code WeCom"
                                 " delivered")
    login.set_defaults(handler=login_command)


def register_sandbox(sandbox: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`sandbox inbox`."""

    inbox = sandbox.add_parser("inbox", help="what message/send delivered to one member")
    add_common(inbox)
    inbox.add_argument("--data", required=True, metavar="DIR", help="the sandbox's state folder")
    inbox.add_argument("--userid", required=True, metavar="U")
    inbox.add_argument("--json", action="store_true")
    inbox.set_defaults(handler=sandbox_inbox)


def add_team_profile_options(add: argparse.ArgumentParser) -> None:
    add.add_argument("--team-url", metavar="URL",
                     help="a TagDesk team server: WeCom calls go there (then log in)")
    add.set_defaults(handler=profile_add)


# -- handlers -----------------------------------------------------------------------------


def server_serve(args: argparse.Namespace) -> int:
    from desktop.server.serve import ServeOptions, serve
    from desktop.services.logs import register_secret

    if args.secret_stdin:
        secret = sys.stdin.readline().strip()
    else:
        secret = os.environ.get(SECRET_ENV, "").strip()
    if not secret:
        raise UsageError(
            f"没有企业微信应用 Secret：请用 --secret-stdin 从标准输入提供，或设置环境变量 {SECRET_ENV}。"
            f" / No WeCom app secret: pass it on standard input with --secret-stdin or in"
            f" ${SECRET_ENV}.")
    register_secret(secret)
    if args.calls_per_minute < 1 or args.concurrency < 1 or not args.outbox_check_every > 0:
        raise UsageError("调用频率、并发数和检查间隔必须大于 0。 / Calls per minute, concurrency and"
                         " the outbox check interval must be positive.")
    if bool(args.callback_token) != bool(args.callback_aes_key):
        raise UsageError("--callback-token 和 --callback-aes-key 须同时给出。"
                         " / Give --callback-token and --callback-aes-key together.")
    if args.callback_token:
        from desktop.domain.callback_crypto import check_settings

        check_settings(args.callback_token, args.callback_aes_key)
        register_secret(args.callback_aes_key)
    if min(args.resync_interval, args.rules_interval, args.expiry_interval,
           args.events_retention_days) < 0:
        raise UsageError("--resync-interval、--rules-interval、--expiry-interval 和"
                         " --events-retention-days 不能为负。 / --resync-interval,"
                         " --rules-interval, --expiry-interval and --events-retention-days"
                         " must not be negative.")
    return serve(ServeOptions(
        db_url=args.db, host=args.host, port=args.port, api_base=args.wecom_api_base,
        corp_id=args.corp_id, agent_id=args.agent_id, secret=secret,
        admins=frozenset(args.admin), calls_per_minute=args.calls_per_minute,
        max_concurrency=args.concurrency, outbox_check_every_s=args.outbox_check_every,
        callback_token=args.callback_token, callback_aes_key=args.callback_aes_key,
        resync_interval_s=args.resync_interval, reconcile=reconcile_config(args),
        rules_interval_s=args.rules_interval, events_retention_days=args.events_retention_days,
        expiry_interval_s=args.expiry_interval, sales_see_all=args.sales_see_all,
    ))


def server_devices(args: argparse.Namespace) -> int:
    from desktop.server import identity
    from desktop.server.database import admin_connection

    with admin_connection(args.db) as conn:
        if args.revoke is not None:
            device = identity.revoke_device(conn, args.revoke)
            conn.commit()
            if device is None:
                raise UsageError(f"没有编号为 {args.revoke} 的设备。 / No device with id"
                                 f" {args.revoke}.")
            print(f"已撤销设备 {device.id}（{device.userid}，{device.name}）"
                  f" / Revoked device {device.id} ({device.userid}, {device.name})")
        devices = identity.list_devices(conn)
    if args.json:
        emit_json({"devices": [d.as_json() for d in devices]})
    elif args.revoke is None:
        for d in devices:
            state = f"已撤销 revoked {d.revoked_at:%Y-%m-%d %H:%M}" if d.revoked_at else "有效 active"
            seen = f"{d.last_seen_at:%Y-%m-%d %H:%M}" if d.last_seen_at else "-"
            print(f"{d.id}\t{d.userid}\t{d.name}\t{d.created_at:%Y-%m-%d %H:%M}\t{seen}\t{state}")
    return EXIT_OK


def sandbox_inbox(args: argparse.Namespace) -> int:
    from desktop.sandbox.inbox import read_inbox_from

    messages = read_inbox_from(Path(args.data), args.userid)
    if args.json:
        emit_json({"messages": [m.as_json() for m in messages]})
        return EXIT_OK
    for message in messages:
        stamp = message.as_json()["ts"]
        print(f"{stamp}\t{message.text}")
    if not messages:
        print(f"{args.userid} 没有收到消息。 / No messages for {args.userid}.")
    return EXIT_OK


def profile_add(args: argparse.Namespace) -> int:
    """`profile add`: a team profile with --team-url, otherwise the solo one (secret)."""
    if not args.team_url:
        from desktop.cli.commands import profile_add as solo_profile_add

        solo = any(p.name == args.name and not p.is_team for p in ProfileStore(home(args)).list())
        if not solo and (not args.corp_id or not args.api_base):
            raise UsageError("请给出 --corp-id 和 --api-base（或用 --team-url 连接团队服务器）。"
                             " / Give --corp-id and --api-base (or --team-url for a team server).")
        return solo_profile_add(args)
    from desktop.services.profiles import validate
    from desktop.services.team import fetch_info, normalized_url, team_api_base

    if args.secret_stdin or args.corp_id or args.api_base:
        raise UsageError("团队配置的企业和凭证来自团队服务器：不要同时给出 --corp-id、--api-base 或"
                         " --secret-stdin。 / A team profile takes its corp and credentials from"
                         " the team server: do not combine --team-url with --corp-id, --api-base"
                         " or --secret-stdin.")
    userid = (args.userid or "").strip()
    if not userid:
        raise UsageError("团队配置需要 --userid（你的企业微信账号），登录验证码会发给它。"
                         " / A team profile needs --userid (your WeCom userid): the login code"
                         " is sent to it.")
    url = normalized_url(args.team_url)
    info = fetch_info(url)
    profile = Profile(
        name=args.name, corp_id=info.corp_id, api_base=team_api_base(url),
        agent_id=info.agent_id, userid=userid, team_url=url,
        **{key: value for key, value in (("calls_per_minute", args.calls_per_minute),
                                         ("max_concurrency", args.concurrency))
           if value is not None},
    )
    validate(profile)
    ProfileStore(home(args)).add(profile)
    print(f"已保存团队配置 {profile.name}（{url}，企业 {info.corp_id}），请运行 tagdesk login"
          f" --profile {profile.name} 登录 / Saved team profile {profile.name} ({url}, corp"
          f" {info.corp_id}); log in with `tagdesk login --profile {profile.name}`")
    return EXIT_OK


def login_command(args: argparse.Namespace) -> int:
    from desktop.services import pending_login
    from desktop.services.team import start_login

    profile = ProfileStore(home(args)).get(args.profile)
    if not profile.is_team:
        raise UsageError(f"配置 {profile.name} 不是团队配置（用 tagdesk profile add --team-url 创建）。"
                         f" / Profile {profile.name} is not a team profile (create one with"
                         " `tagdesk profile add --team-url`).")
    if args.code is not None:
        return _finish_login(args, profile)
    if not args.send_code:
        check_code_input(args)
    challenge = start_login(profile.team_url, profile.userid)
    sent = (f"验证码已通过企业微信发送给 {profile.userid}，{challenge.expires_in // 60} 分钟内有效。"
            f" / A login code was sent to {profile.userid} through WeCom; it is valid for"
            f" {challenge.expires_in // 60} minutes.")
    if args.send_code:
        pending_login.keep(home(args), profile, challenge)
        print(f"{sent} 收到后运行 tagdesk login --profile {profile.name} --code 验证码。"
              f" / Then run `tagdesk login --profile {profile.name} --code CODE`.")
        return EXIT_OK
    code = read_code(args, sent, NO_CODE)
    _logged_in(profile, challenge, code)
    return EXIT_OK


NO_CODE = "没有输入验证码。 / No login code was given."


def _finish_login(args: argparse.Namespace, profile: Profile) -> int:
    """`login --code CODE`: the login `--send-code` started for the profile's user."""
    from desktop.services import pending_login

    challenge = pending_login.pending(home(args), profile)
    if challenge is None:
        raise UsageError(f"没有等待验证码的登录：请先运行 tagdesk login --profile {profile.name}"
                         f" --send-code。 / No login is waiting for a code: run `tagdesk login"
                         f" --profile {profile.name} --send-code` first.")
    if not args.code.strip():
        raise UsageError(NO_CODE)
    _logged_in(profile, challenge, args.code)
    pending_login.forget(home(args), profile)
    return EXIT_OK


def _logged_in(profile: Profile, challenge: LoginChallenge, code: str) -> None:
    """Finish the login with `code`; the device token goes to the keyring."""
    from desktop.services.team import finish_login, store_device_token

    device = finish_login(profile.team_url, challenge, code,
                          f"{socket.gethostname()} (tagdesk)")
    store_device_token(profile, device.token)
    print(f"已登录 {device.userid}（设备 {device.device_id}），凭证已存入系统钥匙串"
          f" / Logged in as {device.userid} (device {device.device_id}); the device token is in"
          " the OS keyring")


def team_journal_verify(args: argparse.Namespace) -> VerifyResult | None:
    """For a team profile, the server's check of the team journal; None for a solo one."""
    from desktop.services.team import verify_team_journal

    profile = _team_profile(args)
    if profile is None:
        return None
    return verify_team_journal(profile.team_url, _session(profile))


def is_team_profile(args: argparse.Namespace) -> bool:
    """`--profile` names a team profile (its journal is the team server's)."""
    return _team_profile(args) is not None


def _team_profile(args: argparse.Namespace) -> Profile | None:
    if args.profile == DEMO_PROFILE:
        return None
    profile = ProfileStore(home(args)).get(args.profile)
    return profile if profile.is_team else None


def _session(profile: Profile) -> str:
    """A session token from the team server for the desktop's device token."""
    from desktop.services.team import load_device_token
    from desktop.wecom.client import WeComClient

    with WeComClient(profile.api_base, profile.corp_id, load_device_token(profile),
                     team_url=profile.team_url) as client:
        return client.get_token()
