"""Errors reach the user as one readable sentence in the interface language.

The sentence comes from `desktop.services.errors.readable`, the same one the command line
prints: a `UserError`'s own text, a mapped storage failure, or (for a bug) where the log
with the traceback is. Exceptions nobody caught go to the crash dialog
(`desktop.ui.crash_dialog`).
"""

from __future__ import annotations

from desktop.services import errors
from desktop.ui.i18n import is_english


def is_expected(exc: BaseException) -> bool:
    return errors.is_expected(exc)


def readable(exc: BaseException) -> str:
    """One sentence in the interface language."""
    return errors.readable(exc, is_english())
