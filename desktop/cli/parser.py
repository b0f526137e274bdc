"""Command-line grammar. Command names, flags and JSON fields are interfaces: never rename."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

from desktop import __version__
from desktop.cli.common import add_common
from desktop.domain.errors import printable

if TYPE_CHECKING:
    from typing import TypeAlias

    SubParsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
    Registrar: TypeAlias = Callable[[SubParsers], None]

# Options whose value may begin with "-": a filter's NOT prefix (`--filter -VIP`).
DASH_VALUE_OPTIONS = frozenset({"--filter"})


class Parser(argparse.ArgumentParser):
    """argparse, but `--filter -VIP` takes `-VIP` as the filter (argparse alone reads it as
    an unknown option), and usage errors never echo control characters to the terminal."""

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None,
    ) -> tuple[argparse.Namespace, list[str]]:
        given = sys.argv[1:] if args is None else list(args)
        return super().parse_known_args(join_dash_values(given), namespace)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {printable(message)}\n")


def join_dash_values(argv: Sequence[str]) -> list[str]:
    """`--filter -VIP` as `--filter=-VIP`; everything after `--` is left alone."""
    joined: list[str] = []
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--":
            joined.extend(argv[index:])
            break
        following = argv[index + 1] if index + 1 < len(argv) else ""
        if token in DASH_VALUE_OPTIONS and _is_dash_value(following):
            joined.append(f"{token}={following}")
            index += 2
            continue
        joined.append(token)
        index += 1
    return joined


def _is_dash_value(token: str) -> bool:
    return token.startswith("-") and not token.startswith("--") and token not in ("-", "-h")


class _NotGuiOnly(Exception):
    """The global options alone do not read this command line."""


class _GlobalOptionsParser(Parser):
    def error(self, message: str) -> NoReturn:
        raise _NotGuiOnly(message)


def gui_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace | None:
    """The arguments of a command line holding global options only (a GUI start, a self-test),
    read without building every command's parser (about 0.1 s of CPU); None for any other
    (a command, help, a usage error), which `build_parser` reads."""
    tokens = sys.argv[1:] if argv is None else list(argv)
    parser = _GlobalOptionsParser(prog="tagdesk", add_help=False)
    _add_global_options(parser)
    parser.set_defaults(command=None)
    try:
        args, rest = parser.parse_known_args(tokens)
    except _NotGuiOnly:
        return None
    return None if rest else args


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument("--version", action="version", version=f"TagDesk {__version__}")
    parser.add_argument("--demo", action="store_true",
                        help="open the GUI on the built-in demo corp (no WeCom account needed)")
    parser.add_argument("--profile", dest="gui_profile", metavar="NAME",
                        help="open the GUI on this profile")
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help="open the main window, wait for sync and first paint, save a PNG, exit")
    parser.add_argument("--screenshot-scene", choices=("main", "picker", "tree", "autotag"),
                        default="main",
                        help="what --screenshot shows: the main window, the tag picker on a"
                             " selection, the tag tree with favourites, or the auto-tagging"
                             " review window")
    parser.add_argument("--self-test", action="store_true",
                        help="run the app offscreen on a demo corp: sync, tag, untag, check the journal")
    parser.add_argument("--temp-home", action="store_true",
                        help="use a throw-away home folder (removed on exit)")
    parser.add_argument("--no-crash-dialog", action="store_true",
                        help="print unexpected errors to stderr instead of showing a dialog")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The grammar of `command` alone (only its group's module imported and its parsers
    built), or of every command for None: `tagdesk --help`, a usage error naming no command.
    Every command built costs about 0.1 s of CPU."""
    parser: argparse.ArgumentParser = Parser(
        prog="tagdesk",
        description="TagDesk 企微标签工作台 — WeCom customer tagging and auditing.",
    )
    _add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for names, register in COMMANDS:
        if command is None or command in names:
            register(sub)
    return parser


def command_name(argv: Sequence[str]) -> str | None:
    """The command a command line runs, when only global options (spelt in full) come before
    it; None for help, an abbreviated or unknown option first, or no command."""
    flags, valued = _global_option_strings()
    index = 0
    while index < len(argv):
        token = argv[index]
        if token in flags or (token.partition("=")[0] in valued and "=" in token):
            index += 1
        elif token in valued:
            index += 2
        else:
            return token if any(token in names for names, _ in COMMANDS) else None
    return None


def _global_option_strings() -> tuple[frozenset[str], frozenset[str]]:
    """The global options taking no value (flags) and those taking one."""
    parser = argparse.ArgumentParser(prog="tagdesk", add_help=False)
    _add_global_options(parser)
    options = [action for action in parser._actions if action.option_strings]
    return (frozenset(s for a in options if a.nargs == 0 for s in a.option_strings),
            frozenset(s for a in options if a.nargs != 0 for s in a.option_strings))


def _module(name: str) -> Registrar:
    """The commands a CLI module's `register` adds, the module imported when they are built."""

    def register(sub: SubParsers) -> None:
        # as an import statement does (importlib.import_module is invisible to -X importtime)
        __import__(f"desktop.cli.{name}", fromlist=["register"]).register(sub)

    return register


def _sandbox(sub: SubParsers) -> None:
    from desktop.cli import commands, phone_commands, team_commands

    sandbox = sub.add_parser("sandbox", help="the WeCom emulator").add_subparsers(
        dest="sandbox_command", metavar="SUBCOMMAND", required=True)
    serve = sandbox.add_parser("serve", help="serve a WeCom emulator on 127.0.0.1")
    add_common(serve)
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port")
    serve.add_argument("--data", required=True, metavar="DIR", help="state folder (reused)")
    serve.add_argument("--customers", type=int, default=5000)
    serve.add_argument("--members", type=int, default=40)
    serve.add_argument("--seed", type=int, default=1)
    serve.add_argument("--quota-per-min", type=int, default=0,
                       help="per API per minute; above it WeCom answers 45009 (0 = unlimited)")
    serve.add_argument("--latency-ms", type=float, default=0.0)
    serve.add_argument("--fault-rate", type=float, default=0.0,
                       help="share of calls failing with 45009 / -1 / HTTP 502 / dropped connection")
    serve.add_argument("--token-ttl", type=int, default=7200, metavar="SECONDS")
    serve.add_argument("--trusted-ip", action="append", default=[], metavar="IP",
                       help="the app's trusted IP (repeatable); a call from any other address"
                            " answers 60020 (none: every address is trusted)")
    serve.set_defaults(handler=commands.sandbox_serve)
    team_commands.register_sandbox(sandbox)
    phone_commands.register_sandbox(sandbox)


def _profile(sub: SubParsers) -> None:
    from desktop.cli import commands, team_commands

    profile = sub.add_parser("profile", help="WeCom corp profiles").add_subparsers(
        dest="profile_command", metavar="SUBCOMMAND", required=True)
    add = profile.add_parser("add", help="add or update a profile (an update keeps what is"
                                         " not given, e.g. only a new --secret-stdin)")
    add_common(add)
    add.add_argument("name")
    add.add_argument("--corp-id")
    add.add_argument("--api-base", metavar="URL",
                     help="e.g. https://qyapi.weixin.qq.com/cgi-bin/ or a relay")
    add.add_argument("--agent-id", type=int)
    add.add_argument("--userid", metavar="U",
                     help="your WeCom userid: the operator in every journal row (required;"
                          " asked for on a terminal)")
    add.add_argument("--secret-stdin", action="store_true",
                     help="read the app secret from standard input into the OS keyring")
    add.add_argument("--calls-per-minute", type=int, help="default 6000")
    add.add_argument("--concurrency", type=int, help="default 5")
    add.set_defaults(handler=commands.profile_add)
    listing = profile.add_parser("list", help="list profiles")
    add_common(listing)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=commands.profile_list)
    remove = profile.add_parser("remove", help="remove a profile and its secret")
    add_common(remove)
    remove.add_argument("name")
    remove.set_defaults(handler=commands.profile_remove)
    team_commands.add_team_profile_options(add)


def _sync(sub: SubParsers) -> None:
    from desktop.cli import commands

    sync = sub.add_parser("sync", help="mirror WeCom into the local cache")
    add_common(sync)
    sync.add_argument("--profile", required=True, metavar="NAME")
    sync.add_argument("--json", action="store_true", help="end with a JSON summary line")
    sync.set_defaults(handler=commands.sync)


def _customers(sub: SubParsers) -> None:
    from desktop.cli import commands

    customers = sub.add_parser("customers", help="filter customers in the local cache")
    add_common(customers)
    customers.add_argument("--profile", required=True, metavar="NAME")
    customers.add_argument("--filter", default="", metavar="EXPR",
                           help='e.g. "高意向 AND NOT 已成交", "客户等级:VIP owner:zhangsan"')
    customers.add_argument("--count", action="store_true", help="print only the counts")
    customers.add_argument("--json", action="store_true")
    customers.add_argument("--limit", type=int, default=50, metavar="N")
    customers.set_defaults(handler=commands.customers)


def _autotag(sub: SubParsers) -> None:
    from desktop.cli import autotag_chat_commands, autotag_commands

    autotag = sub.add_parser("autotag", help="auto-tagging from chats").add_subparsers(
        dest="autotag_command", metavar="SUBCOMMAND", required=True)
    autotag_chat_commands.register(autotag)
    autotag_chat_commands.register_simulation(autotag)
    autotag_commands.register(autotag)


# Every command, in the order `tagdesk --help` lists them, with what adds it (and the other
# commands of its module) to the parser.
COMMANDS: tuple[tuple[tuple[str, ...], Registrar], ...] = (
    (("sandbox",), _sandbox),
    (("profile",), _profile),
    (("sync",), _sync),
    (("customers",), _customers),
    (("server", "login"), _module("team_commands")),
    (("retag", "batches", "batch"), _module("batch_commands")),
    (("exclusive",), _module("exclusive_commands")),
    (("template", "import", "export"), _module("sheet_commands")),
    (("audit",), _module("audit_commands")),
    (("health", "migrate"), _module("health_commands")),
    (("autotag",), _autotag),
    (("tags",), _module("tags_commands")),
    (("policy", "approvals"), _module("governance_commands")),
    (("reconcile",), _module("reconcile_commands")),
    (("rules", "expiry"), _module("rules_commands")),
    (("scenes",), _module("scene_commands")),
    (("livecodes", "pretag"), _module("arrival_commands")),
    (("events",), _module("event_commands")),
)
