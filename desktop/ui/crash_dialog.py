"""Unexpected errors in the GUI: a crash dialog now, recovery at the next start.

`install_crash_handler` replaces `sys.excepthook` and `threading.excepthook`. An exception
nobody caught (in a Qt slot, a paint event, a Python thread) is logged with its traceback
and shown in a `CrashDialog`: what went wrong, where the log is, and "Copy details" (the
traceback, the versions of everything and the last log lines, all redacted) for a bug
report. With `dialog=False` (`--no-crash-dialog`, tests and CI) it goes to stderr instead.
The handler never touches the outbox: the writer thread keeps sending queued tag changes,
and whatever a hard crash interrupts stays queued. At the next start `offer_recovery` shows
what `faulthandler` caught in `crash.log` and the batches left unfinished, to resume.
"""

from __future__ import annotations

import logging
import platform
import sqlite3
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import TextIO

import PySide6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QUrl, Signal, qVersion
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__
from desktop.services.logs import (
    enable_crash_log,
    recent_lines,
    redact_text,
    take_previous_crash,
)
from desktop.ui.batch_progress import offer_unfinished_batches
from desktop.ui.context import AppContext

log = logging.getLogger("tagdesk.ui")

LOG_LINES_IN_DETAILS = 60
SUMMARY_CHARS = 300


def versions() -> list[tuple[str, str]]:
    """What a bug report needs to know about this installation, as (name, value) pairs."""
    app = QGuiApplication.instance()
    qpa = QGuiApplication.platformName() if isinstance(app, QGuiApplication) else "no app"
    return [
        ("TagDesk", __version__),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("PySide6", PySide6.__version__),
        ("Qt", f"{qVersion()} ({qpa})"),
        ("SQLite", sqlite3.sqlite_version),
        ("Platform", platform.platform()),
        ("Frozen", "yes" if getattr(sys, "frozen", False) else "no"),
    ]


def exception_summary(exc: BaseException) -> str:
    """`Type: message` on one line, redacted and cut to a readable length."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    text = redact_text(text)
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


def crash_details(kind: type[BaseException], exc: BaseException, tb: TracebackType | None,
                  log_file: Path | None) -> str:
    """The text behind "Copy details": versions, traceback and recent log lines, redacted."""
    lines = [f"{name}: {value}" for name, value in versions()]
    lines.append(f"Log file: {log_file or 'none'}")
    lines.append("")
    lines.extend(traceback.format_exception(kind, exc, tb))
    recent = recent_lines(LOG_LINES_IN_DETAILS)
    if recent:
        lines.append("")
        lines.append(f"Last {len(recent)} log lines:")
        lines.extend(recent)
    return redact_text("\n".join(line.rstrip("\n") for line in lines))


class CrashDialog(QDialog):
    """The error, the log's location, the details, and buttons to copy them or open the log."""

    def __init__(self, heading: str, summary: str, details: str, log_file: Path | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("TagDesk – unexpected error"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.log_file = log_file
        self.errors = 1
        style = self.style()
        icon = QLabel()
        icon.setPixmap(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
                       .pixmap(48, 48))
        self.heading = QLabel(f"<b>{_escape(heading)}</b>")
        self.heading.setWordWrap(True)
        self.summary = QLabel(summary)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)   # an error text is not HTML
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        safe = QLabel(self.tr(
            "Tag changes already queued are safe: they stay in the outbox, keep being sent,"
            " and anything left unsent is offered for resuming at the next start."))
        safe.setWordWrap(True)
        where = str(log_file) if log_file else self.tr("no log file")
        self.log_label = QLabel(self.tr("Log file: %1").replace("%1", where))
        self.log_label.setTextFormat(Qt.TextFormat.PlainText)
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setMinimumHeight(220)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("Copy details"))
        self.open_log_button = QPushButton(self.tr("Open log folder"))
        self.open_log_button.setEnabled(log_file is not None)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_log_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_details)
        self.open_log_button.clicked.connect(self.open_log_folder)

        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        for label in (self.heading, self.summary, safe, self.log_label):
            text.addWidget(label)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(720, 520)

    def add_error(self, summary: str, details: str) -> None:
        """Another error while the dialog is open: one dialog, every traceback in it."""
        self.errors += 1
        self.summary.setText(self.tr("%1 errors; the latest: %2", "", self.errors)
                             .replace("%1", f"{self.errors:,}").replace("%2", summary))
        self.details.setPlainText(self.details.toPlainText() + "\n\n" + "=" * 40 + "\n\n"
                                  + details)

    def copy_details(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.details.toPlainText())
        self.copy_button.setText(self.tr("Copied"))

    def open_log_folder(self) -> None:
        if self.log_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_file.parent)))


class CrashHandler(QObject):
    """The excepthooks of the GUI. Create it on the GUI thread, then `install()`."""

    _relay = Signal(str, str)   # summary, details: from any thread to the GUI thread

    def __init__(self, log_file: Path | None, *, dialog: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.use_dialog = dialog
        self.errors: list[str] = []
        self.dialog: CrashDialog | None = None
        self.previous_crash = ""
        self._previous_hooks: tuple[object, object] | None = None
        self._relay.connect(self._report)

    def install(self) -> CrashHandler:
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle
        threading.excepthook = self._thread_hook
        return self

    def uninstall(self) -> None:
        if self._previous_hooks is not None:
            sys.excepthook, threading.excepthook = self._previous_hooks  # type: ignore[assignment]
            self._previous_hooks = None

    def handle(self, kind: type[BaseException], exc: BaseException,
               tb: TracebackType | None) -> None:
        """The excepthook: log the traceback, then show it (or print it) on the GUI thread."""
        if issubclass(kind, KeyboardInterrupt):
            app = QCoreApplication.instance()
            if app is not None:
                app.quit()
            return
        summary = exception_summary(exc)
        details = crash_details(kind, exc, tb, self.log_file)   # before this error is logged
        log.critical("unhandled exception: %s", exc, exc_info=(kind, exc, tb))
        self._relay.emit(summary, details)   # a direct call on the GUI thread, else queued

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        exc = args.exc_value if args.exc_value is not None else RuntimeError(args.exc_type.__name__)
        self.handle(args.exc_type, exc, args.exc_traceback)

    def _report(self, summary: str, details: str) -> None:
        self.errors.append(summary)
        if not self.use_dialog:
            _print(sys.stderr, f"tagdesk: unexpected error: {summary}\n{details}\n")
            return
        if self.dialog is not None:
            self.dialog.add_error(summary, details)
            self.dialog.raise_()
            return
        heading = self.tr("TagDesk ran into an unexpected error.")
        self.dialog = self._show(heading, summary, details)

    def show_previous_crash(self, parent: QWidget | None = None) -> CrashDialog | None:
        """The dialog for a fatal crash of the last run, once (None when there was none)."""
        if not self.previous_crash or not self.use_dialog:
            return None
        text, self.previous_crash = self.previous_crash, ""
        heading = self.tr("TagDesk closed unexpectedly last time.")
        summary = self.tr("Qt or Python stopped the program; this is what it was doing.")
        details = redact_text("\n".join(
            [*(f"{name}: {value}" for name, value in versions()), "", text]))
        return self._show(heading, summary, details, parent)

    def _show(self, heading: str, summary: str, details: str,
              parent: QWidget | None = None) -> CrashDialog:
        owner = parent if parent is not None else QApplication.activeWindow()
        dialog = CrashDialog(heading, summary, details, self.log_file, owner)
        dialog.destroyed.connect(lambda: self._forget(dialog))
        dialog.show()
        dialog.raise_()
        return dialog

    def _forget(self, dialog: CrashDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None


def install_crash_handler(log_file: Path | None, *, dialog: bool = True) -> CrashHandler:
    """Catch unexpected exceptions for the GUI and arm `faulthandler` into `crash.log`
    beside the log; what an earlier fatal crash left there is kept in `previous_crash`."""
    handler = CrashHandler(log_file, dialog=dialog)
    if log_file is not None:
        handler.previous_crash = take_previous_crash(log_file.parent)
        enable_crash_log(log_file.parent)
    return handler.install()


def offer_recovery(handler: CrashHandler, context: AppContext,
                   parent: QWidget | None = None) -> list[QWidget]:
    """At start: the last run's fatal crash, then the batches it left unfinished (the
    batch window's own prompt: resume or cancel each, nothing resumed unasked)."""
    shown: list[QWidget] = []
    crash = handler.show_previous_crash(parent)
    if crash is not None:
        shown.append(crash)
    box = offer_unfinished_batches(context, parent)
    if box is not None:
        shown.append(box)
    return shown


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _print(stream: TextIO | None, text: str) -> None:
    """Windowed Windows builds have no stderr (it is None); there the log file is all."""
    if stream is not None:
        stream.write(text)
        stream.flush()
