"""Errors reach the user as one readable sentence in the interface language.

The sentence comes from `desktop.services.errors.readable`, the same one the command line
prints: a `UserError`'s own text, a mapped storage failure, or (for a bug) where the log
with the traceback is. Exceptions nobody caught go to the crash dialog
(`desktop.ui.crash_dialog`).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.services import errors
from desktop.ui.i18n import in_ui_language, is_english, sentences
from desktop.wecom.error_codes import (
    ERROR_TABLE,
    GETTOKEN_PATH,
    SECRET_COMMANDS,
    TEAM_NOT_LOGGED_IN,
    TEAM_TOKEN_REVOKED,
)

_LOG_IN_AGAIN = (TEAM_NOT_LOGGED_IN, TEAM_TOKEN_REVOKED)
INVALID_SECRET = 40091      # a secret of another corp or app
WRONG_SECRET = 40001        # on gettoken: the secret is wrong or was reset
IP_NOT_TRUSTED = 60020      # the caller's address is not among the app's trusted IPs


def is_expected(exc: BaseException) -> bool:
    return errors.is_expected(exc)


def secret_rejected(failure: BaseException | str) -> bool:
    """Whether WeCom refused the app secret itself (wrong, reset, another app's): an error,
    or a batch's stop reason as stored ("中文 / English")."""
    if isinstance(failure, str):
        return any(command in failure for command in SECRET_COMMANDS)
    code, path = getattr(failure, "errcode", None), getattr(failure, "path", "")
    return code == INVALID_SECRET or (code == WRONG_SECRET and path == GETTOKEN_PATH)


def ip_not_trusted(failure: BaseException | str) -> bool:
    """Whether WeCom refused the address the call came from (60020; a relay with a fixed IP
    as the API base is the usual fix): an error, or a batch's stop reason as stored."""
    if isinstance(failure, str):
        return ERROR_TABLE[IP_NOT_TRUSTED].zh in failure
    return getattr(failure, "errcode", None) == IP_NOT_TRUSTED


def fixed_in_connection_settings(failure: BaseException | str, *, solo: bool) -> bool:
    """Whether what stopped the tagging is set right in File → Connection settings…, which
    sends it again once saved: a refused app secret, or on a solo profile an untrusted IP."""
    return secret_rejected(failure) or (solo and ip_not_trusted(failure))


def enter_secret(errcode: int | None = None) -> str:
    """Where the window takes a new app secret, in place of the command line's way; with
    WeCom's errcode when known, for whoever looks it up in WeCom's documents."""
    return _with_errcode(QCoreApplication.translate(
        "errors", "The app secret is wrong or was reset: look it up in the admin console (App"
        " Management) and enter it in File → Connection settings…; the tagging waiting to be"
        " sent goes on once it is saved."), errcode)


def enter_relay() -> str:
    """Where the window of a solo profile takes a relay as the API base when WeCom refused
    this computer's address (60020), in place of the profile's way."""
    return _with_errcode(QCoreApplication.translate(
        "errors", "This computer's IP is not in the app's trusted IP list: an administrator"
        " adds it in the app's settings (then click Retry in the status bar), or enter a relay"
        " with a fixed IP as the API base in File → Connection settings…; the tagging waiting"
        " to be sent goes on after either."), IP_NOT_TRUSTED)


def _with_errcode(sentence: str, errcode: int | None) -> str:
    if errcode is None:
        return sentence
    return sentence + (f" (errcode {errcode})" if is_english() else f"（errcode {errcode}）")


def readable(exc: BaseException, *, solo: bool = False) -> str:
    """One sentence in the interface language; a team login that is missing or revoked
    also says where the window logs in again, a refused app secret where the window
    takes a new one, and on a `solo` profile (`AppContext.solo`) an untrusted IP where it
    takes a relay."""
    if secret_rejected(exc):
        return enter_secret(getattr(exc, "errcode", None))
    if solo and ip_not_trusted(exc):
        return enter_relay()
    text = errors.readable(exc, is_english())
    if getattr(exc, "errcode", None) in _LOG_IN_AGAIN:
        text = sentences(text, _log_in_again())
    return text


def readable_stop(reason: str, *, solo: bool = False) -> str:
    """Why a batch stopped ("中文 / English", as stored) in the interface language, with
    where the window logs in again when the team login is missing or revoked, where it
    takes a new app secret when WeCom refused the secret, and on a `solo` profile where it
    takes a relay when WeCom refused the computer's IP."""
    if secret_rejected(reason):
        code = next((code for code in (WRONG_SECRET, INVALID_SECRET)
                     if f"errcode {code}" in reason), None)
        return enter_secret(code)
    if solo and ip_not_trusted(reason):
        return enter_relay()
    text = in_ui_language(reason)
    if any(f"errcode {code}" in reason or ERROR_TABLE[code].zh in reason
           for code in _LOG_IN_AGAIN):
        text = sentences(text, _log_in_again())
    return text


def _log_in_again() -> str:
    return QCoreApplication.translate(
        "errors", "Or, in the TagDesk window: File → Log in to the team server….")
