"""The `tagdesk` command: the GUI when run without a subcommand, headless tools otherwise."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from desktop.cli.errors import run_guarded
from desktop.cli.parser import build_parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        from desktop.app import run_gui

        return run_guarded(args, run_gui)
    return run_guarded(args, handler)


if __name__ == "__main__":
    sys.exit(main())
