"""The `tagdesk` command: the GUI when run without a subcommand, headless tools otherwise."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Sequence

from desktop.cli.errors import run_guarded
from desktop.cli.parser import build_parser, command_name, gui_arguments


def main(argv: Sequence[str] | None = None) -> int:
    tokens = sys.argv[1:] if argv is None else list(argv)
    args = gui_arguments(tokens)
    if args is None:
        args = build_parser(command_name(tokens)).parse_args(tokens)
    temp_home = None
    if getattr(args, "temp_home", False):
        temp_home = tempfile.mkdtemp(prefix="tagdesk-")
        args.home = temp_home
    try:
        return _dispatch(args)
    finally:
        if temp_home is not None:
            shutil.rmtree(temp_home, ignore_errors=True)


def _dispatch(args: argparse.Namespace) -> int:
    handler = getattr(args, "handler", None)
    if handler is None and getattr(args, "self_test", False):
        from desktop.selftest import run_self_test

        return run_guarded(args, run_self_test)
    if handler is None:
        from desktop.app import run_gui

        return run_guarded(args, run_gui)
    return run_guarded(args, handler)


if __name__ == "__main__":
    sys.exit(main())
