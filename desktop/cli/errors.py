"""Turning every expected failure into one readable sentence and a non-zero exit."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable

from desktop.domain.errors import UserError
from desktop.services.errors import bilingual, is_expected, with_profile
from desktop.services.home import private_umask
from desktop.services.logs import setup_logging

log = logging.getLogger("tagdesk.cli")

EXIT_OK = 0
EXIT_FAILED = 1      # the command ran and found a problem (e.g. a broken journal)
EXIT_ERROR = 2       # the command could not do its work
EXIT_PIPE = 141      # the reader of stdout went away (128 + SIGPIPE, as the shell reports it)


class UsageError(UserError):
    """A bad argument value the parser cannot catch; `str()` is the sentence to show."""


def run_guarded(args: argparse.Namespace, handler: Callable[[argparse.Namespace], int]) -> int:
    """Run a command with private file modes; every failure ends as one sentence and a code."""
    with private_umask():
        try:
            setup_logging(args.home, debug=args.debug)
            code = handler(args)
            sys.stdout.flush()
            return code
        except KeyboardInterrupt:
            print("已中断。 / Interrupted.", file=sys.stderr)
            return 130
        except BrokenPipeError:
            return _reader_went_away()
        except Exception as exc:
            if is_expected(exc):
                log.info("command failed: %s", exc)
            else:
                log.exception("unexpected error")
            print(f"tagdesk: {_named(bilingual(exc), args)}", file=sys.stderr)
            return EXIT_ERROR


def _named(sentence: str, args: argparse.Namespace) -> str:
    """The sentence with the command's own profile where it says how to fix one."""
    profile = getattr(args, "profile", None)
    return with_profile(sentence, profile) if isinstance(profile, str) and profile else sentence


def _reader_went_away() -> int:
    """Whoever read stdout stopped (`tagdesk customers | head`): end quietly, like any
    Unix tool killed by SIGPIPE, without a traceback when Python flushes stdout at exit."""
    log.info("stdout was closed by its reader")
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return EXIT_PIPE
