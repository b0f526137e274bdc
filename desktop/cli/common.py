"""Helpers every command module shares: the home, JSON lines, progress, confirmation."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desktop.cli.errors import UsageError
from desktop.domain.bilingual import ENGLISH, choose_language
from desktop.services.home import resolve_home
from desktop.services.progress import Progress
from desktop.services.settings_file import KEY_LANGUAGE, SettingsFile

if TYPE_CHECKING:
    from desktop.domain.filter.rename import Rename
    from desktop.services.tagging import BatchResult
    from desktop.services.workspace import Workspace

SHOWN_FAILURES = 10
WAIT_LINE_EVERY_S = 10.0  # a running wait (a 45009 countdown) is repeated this often
_COUNTDOWN = re.compile(r"\d+ (秒|s\b)")


def add_common(parser: argparse.ArgumentParser) -> None:
    """Options every command takes, before or after the command name."""
    default = argparse.SUPPRESS if parser.prog != "tagdesk" else None
    parser.add_argument("--home", metavar="DIR", default=default,
                        help="keep all data here (default: $TAGDESK_HOME or the user data folder)")
    parser.add_argument("--debug", action="store_true",
                        default=argparse.SUPPRESS if default is not None else False,
                        help="verbose logging")


def home(args: argparse.Namespace) -> Path:
    return resolve_home(args.home)


def english(args: argparse.Namespace) -> bool:
    """Whether stored two-language text (a batch's description) prints its English half: the
    language chosen in the app (its tagdesk.ini), else English on an English locale, else
    Chinese, as the app picks."""
    locale = next((os.environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(v)),
                  "")
    return choose_language(SettingsFile.in_home(home(args)).value(KEY_LANGUAGE), locale) == ENGLISH


def human_output(args: argparse.Namespace) -> TextIO:
    """Where the human-readable lines go: stdout, or stderr when stdout carries the JSON line."""
    return sys.stderr if args.json else sys.stdout


def emit_json(data: object) -> None:
    """One JSON line on stdout (scripts read the last one)."""
    print(json.dumps(data, ensure_ascii=False), flush=True)


class StderrProgress:
    """Progress lines on stderr, at most one a second per phase (stdout stays for data).

    A line that starts to wait (a 45009 pause, a retry) is printed at once; while the same
    wait goes on it is repeated every WAIT_LINE_EVERY_S with the time left."""

    def __init__(self) -> None:
        self._last: dict[str, float] = {}
        self._waiting = ""

    def __call__(self, event: Progress) -> None:
        now = time.monotonic()
        final = event.total and event.done >= event.total
        wait_kind = _COUNTDOWN.sub("", event.waiting)  # the same wait, whatever time is left
        new_wait = wait_kind != self._waiting
        self._waiting = wait_kind
        every = WAIT_LINE_EVERY_S if wait_kind else 1.0
        if not final and not (new_wait and wait_kind) and (
                now - self._last.get(event.phase, 0.0) < every):
            return
        self._last[event.phase] = now
        share = f" {event.done}/{event.total}" if event.total else ""
        waiting = f" {event.waiting} ·" if event.waiting else ""
        print(f"[{event.phase}]{share}{waiting} {event.text}", file=sys.stderr, flush=True)


def open_synced_workspace(args: argparse.Namespace, *, write: bool) -> Workspace:
    """The profile's workspace, refused when it was never synced; only writers take the
    cache's lock (a second writer gets the "in use" sentence)."""
    from desktop.services.workspace import NotSyncedError, open_workspace
    from desktop.store.snapshot import LAST_SYNC_KEY

    ws = open_workspace(home(args), args.profile, exclusive=write)
    if not ws.cache.get_meta(LAST_SYNC_KEY):
        ws.close()
        raise NotSyncedError(args.profile)
    return ws


def respell_filters(args: argparse.Namespace, profile: str, renames: Sequence[Rename]) -> None:
    """The profile's saved and recent filters name renamed tags and groups (by `tags rename`,
    or found by a sync) by their new names, as the window's do (the app's settings file)."""
    from desktop.domain.filter.rename import respelling

    if renames:
        SettingsFile.in_home(home(args)).respell_filters(profile, respelling(renames))


def confirm(question: str, yes: bool) -> bool:
    """True with --yes; else ask on the terminal, and refuse when there is none."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError("没有可以确认的终端；检查过预览后请加 --yes 再运行。"
                         " / No terminal to confirm on; check the preview and run again with --yes.")
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes", "是")


def print_result(result: BatchResult, out: TextIO, *, pilot: bool = False,
                 more: Callable[[int], str] | None = None) -> None:
    """A batch run in two lines or so: counts, then the first failures with their reasons;
    `more` words the line standing for the failures left out."""
    what = "试运行 / Pilot" if pilot else "结果 / Result"
    print(f"{what}: {result.applied}/{result.planned} 成功 applied, {result.failed} 失败 failed,"
          f" {result.skipped} 跳过 skipped, {result.pending} 待发 pending"
          f" · {result.api_calls} API calls, {result.elapsed_s:.1f} s", file=out)
    for failure in result.failures[:SHOWN_FAILURES]:
        print(f"  失败 failed {failure.external_userid} ({failure.userid}):"
              f" {failure.reason}", file=out)
    if len(result.failures) > SHOWN_FAILURES:
        hidden = len(result.failures) - SHOWN_FAILURES
        print(more(hidden) if more else f"  … +{hidden}", file=out)


def print_resume_hint(args: argparse.Namespace, batch_id: str) -> None:
    print(f"其余调用已保留，可用 tagdesk batch resume {batch_id} --profile {args.profile} 继续。"
          f" / The rest stays queued; continue with"
          f" `tagdesk batch resume {batch_id} --profile {args.profile}`.", file=sys.stderr)
