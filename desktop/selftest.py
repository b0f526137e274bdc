"""`tagdesk --self-test`: prove that this build, frozen or not, starts and does real work.

Offscreen, in a throw-away folder, on a small demo corp served by the built-in sandbox over
loopback HTTP, it:

1. imports every TagDesk module of the desktop app (a frozen build that left one out, or one
   of its libraries, fails here by name); the team server (`desktop.server`) is not part of
   it: it needs the optional `server` extra and has its own tests;
2. starts Qt offscreen with the style sheet, the icons and the translations;
3. opens the main window the way `tagdesk --demo` does (`GuiSession`), which runs the
   first sync, and waits for the customer table;
4. tags one customer and untags it through `AppContext.toggle_tag`, the path the tag
   buttons and shortcuts take (plan, outbox, writer thread, WeCom), and after each step
   checks what WeCom (the sandbox) holds;
5. checks the journal: one add and one remove row for those two batches, the whole hash
   chain verifies, and no batch is left unfinished;
6. checks that the log holds neither the corp secret nor an access token;
7. closes the window and the profile; an unexpected exception anywhere fails the test.

It prints one summary line and returns 0, or prints the reason (and the last log lines)
to stderr and returns 1.
"""

from __future__ import annotations

import argparse
import faulthandler
import importlib
import logging
import os
import pkgutil
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import desktop
from desktop import APP_ID, APP_NAME, __version__
from desktop.services.logs import current_log_file, recent_lines
from desktop.wecom.redaction import MASK

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from desktop.sandbox import SandboxServer
    from desktop.ui.crash_dialog import CrashHandler
    from desktop.ui.i18n import Translations
    from desktop.ui.session import GuiSession

log = logging.getLogger("tagdesk.ui.selftest")

EXIT_OK = 0
EXIT_FAILED = 1
CUSTOMERS = 300
STEP_TIMEOUT_S = 60.0
POLL_MS = 20
LOG_LINES_ON_FAILURE = 30
TEAM_SERVER_PACKAGE = "desktop.server"
REQUIRED_MODULES = ("desktop.selftest", "desktop.ui.main_window", "desktop.sandbox.server",
                    "desktop.services.tagging", "desktop.store.journal")


class SelfTestFailed(Exception):
    """One step did not do what it should; `str()` says which and why."""


@dataclass
class Findings:
    """What the run saw, for the summary line."""

    modules: int = 0
    customers: int = 0
    relations: int = 0
    tags: int = 0
    relation_id: int = 0
    tag_name: str = ""
    journal_rows: int = 0
    chain_rows: int = 0
    translation: bool = False
    notes: list[str] = field(default_factory=list)

    def summary(self, elapsed: float, qt: str) -> str:
        build = "frozen" if getattr(sys, "frozen", False) else "source"
        chinese = "zh_CN translation loaded" if self.translation else "zh_CN translation missing"
        return (f"{APP_NAME} {__version__} self-test passed in {elapsed:.1f} s ({build}, {qt},"
                f" Python {platform.python_version()}): {self.modules} modules imported;"
                f" synced {self.customers} customers, {self.relations} relations,"
                f" {self.tags} tags; tagged and untagged relation {self.relation_id} with"
                f" 「{self.tag_name}」 in WeCom; journal +{self.journal_rows} rows, chain of"
                f" {self.chain_rows} verified; main window opened and closed; {chinese}")


def run_self_test(args: argparse.Namespace) -> int:
    """The `--self-test` command (the CLI has set up logging); returns the exit code."""
    started = time.monotonic()
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if sys.stderr is not None and not faulthandler.is_enabled():
        faulthandler.enable()       # a crash inside Qt still names the Python frames
    try:
        with tempfile.TemporaryDirectory(prefix="tagdesk-selftest-",
                                         ignore_cleanup_errors=True) as folder:
            findings, qt = _SelfTest(Path(folder)).run()
    except SelfTestFailed as exc:
        log.error("self-test failed: %s", exc)
        lines = "\n".join(recent_lines(LOG_LINES_ON_FAILURE))
        _stderr(f"tagdesk: self-test failed: {exc}\n"
                f"log file: {current_log_file()}\nlast log lines:\n{lines}\n")
        return EXIT_FAILED
    line = findings.summary(time.monotonic() - started, qt)
    log.info("%s", line)
    print(line, flush=True)
    return EXIT_OK


def import_all_modules() -> int:
    """Import every module of the `desktop` package; returns how many there are."""
    names = sorted(info.name for info in pkgutil.walk_packages(desktop.__path__, "desktop.")
                   if not info.name.endswith(".__main__")
                   and not f"{info.name}.".startswith(f"{TEAM_SERVER_PACKAGE}."))
    missing = [name for name in REQUIRED_MODULES if name not in names]
    if missing:
        raise SelfTestFailed(f"the package lists no module {', '.join(missing)}")
    for name in names:
        with step(f"importing {name}"):
            importlib.import_module(name)
    return len(names)


@contextmanager
def step(what: str) -> Iterator[None]:
    """Turn any exception inside into a SelfTestFailed naming the step (traceback logged)."""
    try:
        yield
    except SelfTestFailed:
        raise
    except Exception as exc:
        log.exception("self-test step failed: %s", what)
        raise SelfTestFailed(f"{what}: {type(exc).__name__}: {exc}") from exc


class _SelfTest:
    """One run in `folder`; `run()` returns the findings and the Qt description."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.found = Findings()
        self.problems: list[str] = []
        self.crash: CrashHandler | None = None

    def run(self) -> tuple[Findings, str]:
        self.found.modules = import_all_modules()
        from PySide6.QtCore import qInstallMessageHandler, qVersion

        from desktop.ui.crash_dialog import CrashHandler
        from desktop.ui.qt_logging import install_qt_message_handler

        app, translations = self._start_qt()
        previous_qt_handler = install_qt_message_handler()
        self.crash = CrashHandler(current_log_file(), dialog=False).install()
        try:
            self._run_session(app, translations)
        finally:
            self.crash.uninstall()
            qInstallMessageHandler(previous_qt_handler)
        self._check_no_crash()
        return self.found, f"Qt {qVersion()} {app.platformName()}"

    def _start_qt(self) -> tuple[QApplication, Translations]:
        from desktop.app import platform_problem

        problem = platform_problem()
        if problem:
            raise SelfTestFailed(problem)
        with step("starting Qt"):
            from PySide6.QtWidgets import QApplication

            from desktop.ui.i18n import CHINESE, Translations
            from desktop.ui.style import apply_style, icon

            app = QApplication.instance() or QApplication([sys.argv[0] or APP_NAME])
            assert isinstance(app, QApplication)
            app.setApplicationName(APP_NAME)
            app.setApplicationVersion(__version__)
            app.setDesktopFileName(APP_ID)
        with step("loading the style sheet and icons"):
            apply_style(app)
            if icon("tagdesk").isNull():
                raise SelfTestFailed("the TagDesk icon is empty")
        with step("loading the translations"):
            translations = Translations()
            self.found.translation = translations.install(CHINESE)
        return app, translations

    def _run_session(self, app: QApplication, translations: Translations) -> None:
        from desktop.services.demo import demo_profile, start_demo_sandbox
        from desktop.services.workspace import Workspace
        from desktop.ui.session import GuiSession
        from desktop.ui.settings import Settings

        with step("starting the demo sandbox"):
            server = start_demo_sandbox(self.folder, customers=CUSTOMERS)
        try:
            with step("opening the demo profile"):
                workspace = Workspace(self.folder, demo_profile(server), server.secret,
                                      sandbox=server)
        except SelfTestFailed:
            server.stop()
            raise
        settings = Settings(self.folder)
        with step("opening the main window"):
            session = GuiSession(workspace, settings, translations)
        try:
            self._sync(app, session)
            self._tag_and_untag(app, session, server)
            self._check_window(app, session)
            self._check_log_is_clean(server)
        finally:
            with step("closing the main window and the profile"):
                session.window.close()
                session.close()
                settings.sync()

    def _sync(self, app: QApplication, session: GuiSession) -> None:
        failures: list[str] = []
        session.sync.failed.connect(lambda exc: failures.append(f"sync failed: {exc}"))
        session.sync.cancelled.connect(lambda: failures.append("sync was cancelled"))
        with step("showing the main window"):
            session.show()
        if not session.sync.running and session.sync.last_result is None:
            raise SelfTestFailed("the main window did not start the first sync")
        self._wait(app, "the first sync", lambda: session.sync.last_result is not None,
                   failures)
        result = session.sync.last_result
        assert result is not None
        self.found.customers, self.found.relations = result.customers, result.relations
        self.found.tags = result.tags
        if result.customers != CUSTOMERS:
            raise SelfTestFailed(f"sync found {result.customers} customers, not {CUSTOMERS}")
        model = session.window.model
        self._wait(app, "the customer table", lambda: model.rowCount() > 0, failures)

    def _tag_and_untag(self, app: QApplication, session: GuiSession,
                       server: SandboxServer) -> None:
        from desktop.services.changes import ChangeSet
        from desktop.store import outbox

        context = session.context
        relation_id = session.window.model.relation_id(0)
        state = outbox.relation_states(context.cache, [relation_id])[relation_id]
        tag_id, tag_name = self._free_tag(session, state.tag_ids)
        self.found.relation_id, self.found.tag_name = relation_id, tag_name
        batches: list[str] = []
        failures: list[str] = []

        def changed(changes: ChangeSet) -> None:
            if changes.batch_id and changes.batch_id not in batches:
                batches.append(changes.batch_id)

        context.changed.connect(changed)
        context.write_failed.connect(lambda message, _ids: failures.append(message))
        for want, verb in ((True, "tagging"), (False, "untagging")):
            done = len(batches) + 1
            with step(f"{verb} relation {relation_id}"):
                context.toggle_tag([relation_id], tag_id, lambda: tag_name)
            self._wait(app, f"{verb} in WeCom", partial(_at_least, batches, done), failures)
            in_wecom = tag_id in server.state.relation_tag_ids(state.userid,
                                                                state.external_userid)
            if in_wecom != want:
                raise SelfTestFailed(
                    f"after {verb}, WeCom {'lacks' if want else 'still has'} tag {tag_name}"
                    f" ({tag_id}) on {state.external_userid} of {state.userid}")
            in_cache = tag_id in outbox.relation_states(context.cache, [relation_id])[
                relation_id].tag_ids
            if in_cache != want:
                raise SelfTestFailed(f"after {verb}, the local cache disagrees with WeCom")
        self._check_journal(session, batches, tag_id, state.external_userid, state.userid)

    def _free_tag(self, session: GuiSession, present: frozenset[str]) -> tuple[str, str]:
        """A corp tag the relation lacks and that belongs to no mutually exclusive set."""
        from desktop.domain.tags import TagKind
        from desktop.services.tag_admin import TagAdminService
        from desktop.store import outbox

        exclusive = {t for s in outbox.exclusive_sets(session.context.cache) for t in s.tag_ids}
        with step("reading the tag library"):
            infos = TagAdminService(session.context.workspace).tag_infos(counts=False)
        for info in sorted(infos, key=lambda i: i.id):
            if info.kind is TagKind.CORP and info.id not in present | exclusive:
                return info.id, info.name
        raise SelfTestFailed("the demo corp has no corp tag to put on a customer")

    def _check_journal(self, session: GuiSession, batches: list[str], tag_id: str,
                       external_userid: str, userid: str) -> None:
        from desktop.store import journal, journal_query

        cache = session.context.cache
        with step("reading the journal"):
            rows = journal_query.first_page(cache, journal_query.JournalFilter(
                batch_ids=tuple(batches)))
        seen = sorted((r.action, r.tag_id, r.external_userid, r.userid, r.source) for r in rows)
        wanted = sorted((action, tag_id, external_userid, userid, "app")
                        for action in ("tag_add", "tag_remove"))
        if seen != wanted:
            raise SelfTestFailed(f"the journal holds {seen} for the two batches, not {wanted}")
        operator = session.context.operator
        if any(r.operator != operator for r in rows):
            raise SelfTestFailed(f"journal rows are not recorded under the operator {operator}")
        with step("verifying the journal"):
            verdict = journal.verify(cache)
        if not verdict.ok:
            raise SelfTestFailed(f"the journal does not verify: {verdict.problem}")
        unfinished = session.context.tagging.unfinished_batches()
        if unfinished:
            raise SelfTestFailed(f"batches left unfinished: {[b.id for b in unfinished]}")
        self.found.journal_rows, self.found.chain_rows = len(rows), verdict.rows_checked

    def _check_window(self, app: QApplication, session: GuiSession) -> None:
        window = session.window
        app.processEvents()
        if not window.isVisible():
            raise SelfTestFailed("the main window is not visible")
        if window.tag_tree is None:
            raise SelfTestFailed("the main window has no tag tree (desktop.ui.tag_tree_view)")
        with step("drawing the main window"):
            image = window.grab()
        if image.isNull() or image.width() < 200 or image.height() < 200:
            raise SelfTestFailed(f"the main window drew a {image.width()}x{image.height()} image")

    def _check_log_is_clean(self, server: SandboxServer) -> None:
        """Neither the corp secret nor an issued access token may be in the log."""
        with server.state.transaction() as conn:
            tokens = [str(row[0]) for row in conn.execute("SELECT token FROM access_token")]
        if not tokens:
            raise SelfTestFailed("the sandbox issued no access token")
        path = current_log_file()
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = "\n".join(recent_lines())
        if path is not None and path.exists():
            text += path.read_text(encoding="utf-8", errors="replace")
        for label, value in [("the corp secret", server.secret),
                             *(("an access token", token) for token in tokens)]:
            if value and value != MASK and value in text:
                raise SelfTestFailed(f"{label} appears in the log {path}")

    def _check_no_crash(self) -> None:
        if self.crash is not None and self.crash.errors:
            raise SelfTestFailed(f"unexpected exception in the GUI: {self.crash.errors[0]}")

    def _wait(self, app: QApplication, what: str, done: Callable[[], bool],
              failures: list[str], timeout_s: float = STEP_TIMEOUT_S) -> None:
        """Run the event loop until `done()`; fail on a reported failure or after `timeout_s`."""
        from PySide6.QtCore import QEventLoop, QTimer

        deadline = time.monotonic() + timeout_s
        loop = QEventLoop()
        timer = QTimer()
        timer.timeout.connect(lambda: loop.quit() if (
            done() or failures or self._crashed() or time.monotonic() > deadline) else None)
        timer.start(POLL_MS)
        if not done():
            loop.exec()
        timer.stop()
        if failures:
            raise SelfTestFailed(f"{what}: {failures[0]}")
        self._check_no_crash()
        if not done():
            raise SelfTestFailed(f"timed out after {timeout_s:.0f} s waiting for {what}")

    def _crashed(self) -> bool:
        return self.crash is not None and bool(self.crash.errors)


def _at_least(items: list[str], count: int) -> bool:
    return len(items) >= count


def _stderr(text: str) -> None:
    if sys.stderr is not None:      # a windowed Windows build has none
        sys.stderr.write(text)
        sys.stderr.flush()
