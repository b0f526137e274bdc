"""Turning every expected failure into one readable sentence and a non-zero exit."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from desktop.services.logs import setup_logging
from desktop.services.profiles import ProfileError
from desktop.services.progress import OperationCancelled
from desktop.services.secrets import SecretMissing, SecretStoreUnavailable
from desktop.store.errors import CacheError
from desktop.wecom.errors import CallCancelled, WeComError, WeComNetworkError

log = logging.getLogger("tagdesk.cli")

EXIT_OK = 0
EXIT_FAILED = 1      # the command ran and found a problem (e.g. a broken journal)
EXIT_ERROR = 2       # the command could not do its work

EXPECTED: tuple[type[BaseException], ...] = (
    ProfileError, SecretMissing, SecretStoreUnavailable, CacheError, WeComError,
    WeComNetworkError, OperationCancelled, CallCancelled,
)


class UsageError(Exception):
    """A bad argument value the parser cannot catch; `str()` is the sentence to show."""


def expected_errors() -> tuple[type[BaseException], ...]:
    """Every failure with a readable sentence (imported late: most commands need few)."""
    from desktop.domain.errors import UserError
    from desktop.domain.filter import FilterError
    from desktop.sandbox import SandboxDataError
    from desktop.services.exclusive_sets import ExclusiveSetError
    from desktop.services.tag_admin import TagAdminError
    from desktop.services.tagging import TaggingError

    return (*EXPECTED, UsageError, FilterError, SandboxDataError, TaggingError,
            TagAdminError, ExclusiveSetError, UserError)


def run_guarded(args: argparse.Namespace, handler: Callable[[argparse.Namespace], int]) -> int:
    log_file = setup_logging(args.home, debug=args.debug)
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("已中断。 / Interrupted.", file=sys.stderr)
        return 130
    except expected_errors() as exc:
        log.info("command failed: %s", exc)
        print(f"tagdesk: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception:
        log.exception("unexpected error")
        print(
            f"tagdesk: 内部错误，详情见日志 {log_file} / internal error; details are in {log_file}",
            file=sys.stderr,
        )
        return EXIT_ERROR
