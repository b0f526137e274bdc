"""Reading a code WeCom sent to the user (a login code, an approval code) from the terminal, or
from standard input with `--code-stdin`."""

from __future__ import annotations

import argparse
import sys

from desktop.cli.errors import UsageError


def check_code_input(args: argparse.Namespace) -> None:
    """Refuse before a code is sent when there is nowhere to type it."""
    if not args.code_stdin and not sys.stdin.isatty():
        raise UsageError("没有可以输入验证码的终端：请加 --code-stdin 从标准输入提供。"
                         " / No terminal to type the code on: add --code-stdin to read it from"
                         " standard input.")


def read_code(args: argparse.Namespace, sent: str, none_given: str) -> str:
    """Say `sent` (where the code went), ask for the code and read it; `none_given` is the
    sentence refusing an empty answer."""
    print(sent, file=sys.stderr, flush=True)
    if not args.code_stdin:
        print("验证码 / code: ", end="", file=sys.stderr, flush=True)
    code = sys.stdin.readline().strip()
    if not code:
        raise UsageError(none_given)
    return code
