"""The GUI entry point: `tagdesk`, `tagdesk --demo`, `tagdesk --profile NAME`, `--screenshot`.

Before Qt starts, a missing display or an unloadable platform plugin becomes one
readable sentence instead of Qt's abort. `--screenshot FILE.png` opens the window,
waits until the first sync, the first query and the tag panel are done, saves the
window as a PNG and exits 0 (non-zero with the reason on stderr on any failure).
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import APP_ID, APP_NAME, __version__
from desktop.services.home import resolve_home
from desktop.services.profiles import DEMO_PROFILE

if TYPE_CHECKING:
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QApplication

    from desktop.ui.session import GuiSession

log = logging.getLogger("tagdesk.ui")

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_ERROR = 2
SCREENSHOT_TIMEOUT_S = 180.0
SETTLE_POLL_MS = 50


def platform_problem() -> str | None:
    """Why Qt's platform plugin would fail to start, as a sentence; None when it should work."""
    from PySide6.QtCore import QLibraryInfo

    requested = os.environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if not requested:
        if not sys.platform.startswith("linux"):
            return None
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            return ("没有可用的图形显示（DISPLAY / WAYLAND_DISPLAY 未设置）。无界面运行请设置"
                    " QT_QPA_PLATFORM=offscreen。 / No display found (DISPLAY and"
                    " WAYLAND_DISPLAY are unset); for a headless run set"
                    " QT_QPA_PLATFORM=offscreen.")
        requested = "xcb" if os.environ.get("DISPLAY") else "wayland"
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    plugins = sorted(p for p in folder.glob(f"*q{requested}.*") if p.is_file())
    if not plugins:
        return (f"找不到 Qt 平台插件“{requested}”（{folder}）。 / The Qt platform plugin"
                f" “{requested}” is not installed (looked in {folder}).")
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(str(plugins[0]))
        except OSError as exc:
            return (f"Qt 平台插件“{requested}”无法加载：{exc}。请安装缺少的系统库。"
                    f" / The Qt platform plugin “{requested}” cannot load: {exc}. Install the"
                    " missing system library (for example libxkbcommon-x11-0, libxcb-cursor0,"
                    " libegl1).")
    return None


def run_gui(args: argparse.Namespace) -> int:
    """Open the GUI on the demo, a named profile, or the last one used; returns the exit code."""
    problem = platform_problem()
    if problem:
        print(f"tagdesk: {problem}", file=sys.stderr)
        return EXIT_ERROR

    from PySide6.QtWidgets import QApplication

    from desktop.services.logs import current_log_file
    from desktop.services.workspace import open_workspace
    from desktop.ui.crash_dialog import install_crash_handler, offer_recovery
    from desktop.ui.errors import is_expected
    from desktop.ui.file_dialogs import keep_last_folder_in
    from desktop.ui.gui_thread_gc import GuiThreadCollector
    from desktop.ui.i18n import Translations, choose_language
    from desktop.ui.qt_logging import install_qt_message_handler
    from desktop.ui.session import GuiSession
    from desktop.ui.settings import Settings
    from desktop.ui.style import apply_style, icon
    from desktop.ui.termination import TerminationWatch

    home = resolve_home(args.home)
    screenshot = Path(args.screenshot) if args.screenshot else None
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APP_NAME])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    GuiThreadCollector(app).start()     # cycles holding Qt objects die on the GUI thread
    apply_style(app)
    app.setWindowIcon(icon("tagdesk"))
    settings = Settings(home)
    translations = Translations()
    translations.install(choose_language(settings.language))
    install_qt_message_handler()
    interactive = screenshot is None and not args.no_crash_dialog
    crash = install_crash_handler(current_log_file(), dialog=interactive)

    name = DEMO_PROFILE if args.demo else (args.gui_profile or settings.last_profile or DEMO_PROFILE)
    if interactive and name != DEMO_PROFILE:
        from desktop.ui.login_dialog import login_if_needed

        login_if_needed(home, name)     # a team profile not logged in yet asks for a code
    try:
        workspace = open_workspace(home, name, check_later=screenshot is None)
    except Exception as exc:
        if not is_expected(exc):
            log.exception("opening profile %s failed", name)
        crash.uninstall()
        return _fail(exc, interactive)
    if not workspace.profile.is_demo and not workspace.profile.userid:
        from desktop.services.profiles import MissingUseridError
        from desktop.ui.userid_dialog import ask_userid

        if not interactive or not ask_userid(workspace):
            workspace.close()
            crash.uninstall()
            return _fail(MissingUseridError(name), interactive)
    settings.last_profile = name
    keep_last_folder_in(settings, name)
    session = GuiSession(workspace, settings, translations)
    try:
        if screenshot is not None:
            return _screenshot(app, session, screenshot, getattr(args, "screenshot_scene", "main"))
        session.journalDamaged.connect(lambda exc: app.exit(_fail(exc, interactive)))
        session.show()
        offer_recovery(crash, session.context, session.window)
        termination = TerminationWatch(lambda: (session.window.close(), app.quit()))
        gc.freeze()     # start-up objects leave the collector's full passes (no long pauses)
        try:
            return int(app.exec())
        finally:
            termination.uninstall()
    finally:
        session.close()
        settings.sync()
        crash.uninstall()


def _scene_image(app: QApplication, session: GuiSession, scene: str) -> QPixmap:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    window = session.window
    if scene == "tree":
        window.splitter.setSizes([330, 770, 300])
        tree = window.tag_tree
        model = tree.tree.model()
        for row in range(model.rowCount()):
            section = model.index(row, 0)
            tree.tree.expand(section)
            for child in range(min(model.rowCount(section), 4)):
                tree.tree.expand(model.index(child, 0, section))
        _settle(app)
        return window.tag_panel.grab()
    if scene == "picker":
        window.table.selectRow(0)
        for row in range(1, 5):
            window.table.selectionModel().select(
                window.model.index(row, 0),
                window.table.selectionModel().SelectionFlag.Select
                | window.table.selectionModel().SelectionFlag.Rows)
        picker = window.open_tag_picker()
        if picker is None:
            return window.grab()
        _settle(app)
        picker.search.setText("gyx")
        _settle(app)
        image = window.grab()
        painter = QPainter(image)
        offset = picker.mapToGlobal(QPoint(0, 0)) - window.mapToGlobal(QPoint(0, 0))
        painter.drawPixmap(offset, picker.grab())
        painter.end()
        return image
    if scene == "autotag":
        return _autotag_image(app, session)
    return window.grab()


def _autotag_image(app: QApplication, session: GuiSession) -> QPixmap:
    """The auto-tagging review window on the demo chats: simulated, most rows accepted, one
    rejected, the chat behind a well-evidenced suggestion beside them, the batch previewed."""
    from PySide6.QtCore import QDate, QItemSelectionModel

    review = session.window.open_autotag_review()
    review.resize(1300, 760)
    review.since.setDate(QDate(2000, 1, 1))
    review.run_simulation()
    _settle_until(app, lambda: review.simulation is not None)
    rows = review.model.rowCount()
    review.decide_all("accepted")
    if rows > 2:
        review.table.selectionModel().select(
            review.proxy.index(2, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        review.decide_selected("rejected")
    if rows:
        evidenced = max(range(min(rows, 12)),
                        key=lambda row: len(review.model.suggestions[row].evidence))
        review.table.setCurrentIndex(review.proxy.index(evidenced, 1))
        _settle_until(app, lambda: bool(review.chat.toPlainText()))
    review.compute_preview()
    _settle_until(app, lambda: review.plan is not None)
    _settle(app)
    return review.grab()


def _settle_until(app: QApplication, done: Callable[[], bool], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def _settle(app: QApplication, rounds: int = 20) -> None:
    """Let queued signals, model loads and repaints finish."""
    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.02)


def _fail(exc: BaseException, interactive: bool) -> int:
    """Report a failure to open the profile: stderr always (both languages), a message box
    (in the UI language) when interactive."""
    from desktop.services.errors import bilingual
    from desktop.ui.errors import readable

    print(f"tagdesk: {bilingual(exc)}", file=sys.stderr)
    if interactive:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, APP_NAME, readable(exc))
    return EXIT_ERROR


def _screenshot(app: QApplication, session: GuiSession, target: Path, scene: str = "main") -> int:
    """Show the window, wait for sync + first query + idle workers, grab it, save it.

    `scene` "picker" opens the tag picker on the first rows with `gyx` typed; "tree"
    grabs the tag panel (favourites and tree) with a few groups expanded."""
    from PySide6.QtCore import QEventLoop, QTimer

    from desktop.ui.errors import readable

    failure: list[str] = []
    session.sync.failed.connect(lambda exc: failure.append(readable(exc)))
    session.sync.cancelled.connect(lambda: failure.append("同步已取消。 / The sync was cancelled."))
    session.show(fit_to_screen=False)
    window = session.window
    loop = QEventLoop()
    deadline = time.monotonic() + SCREENSHOT_TIMEOUT_S
    settled = [0]

    def poll() -> None:
        context = session.context
        busy = (session.sync.running or window.model.last_result is None
                or context.io_pool.activeThreadCount() > 0
                or context.writer_pool.activeThreadCount() > 0)
        if failure or time.monotonic() > deadline:
            loop.quit()
            return
        settled[0] = 0 if busy else settled[0] + 1
        if settled[0] < 4:        # idle for a few polls: queued signals are delivered
            return
        if window.model.rowCount() and not window.table.selected_rows():
            window.table.selectRow(0)     # so the detail pane shows a customer
            settled[0] = 1
            return
        loop.quit()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(SETTLE_POLL_MS)
    loop.exec()
    timer.stop()
    if failure:
        print(f"tagdesk: {failure[0]}", file=sys.stderr)
        return EXIT_FAILED
    if settled[0] < 4:
        print(f"tagdesk: 窗口在 {SCREENSHOT_TIMEOUT_S:.0f} 秒内没有准备好。 / The window was not"
              f" ready within {SCREENSHOT_TIMEOUT_S:.0f} s.", file=sys.stderr)
        return EXIT_FAILED
    app.processEvents()
    image = _scene_image(app, session, scene)
    target.parent.mkdir(parents=True, exist_ok=True)
    if image.isNull() or not image.save(str(target), "PNG"):
        print(f"tagdesk: 无法写入截图 {target}。 / Cannot write the screenshot to {target}.",
              file=sys.stderr)
        return EXIT_FAILED
    print(f"{target} {image.width()}x{image.height()}")
    return EXIT_OK
