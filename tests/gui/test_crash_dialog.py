"""The crash dialog: unexpected exceptions in slots and threads, copy details, stderr mode,
redaction, the last run's fatal crash, and queued work that survives and resumes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

from desktop import __version__
from desktop.services import logs
from desktop.store import outbox
from desktop.ui.batch_progress import UnfinishedBatchesDialog
from desktop.ui.crash_dialog import (
    CrashDialog,
    CrashHandler,
    install_crash_handler,
    offer_recovery,
)

pytestmark = [pytest.mark.gui, pytest.mark.qt_no_exception_capture]

SECRET = "corp-secret-for-the-crash-test-0123456789"
TOKEN = ("Zr4_token-Wq8vB2nM6xK0" * 7)[:128]


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    before = (root.level, list(root.handlers))
    logs.register_secret(SECRET)
    yield logs.setup_logging(str(tmp_path / "log-home"))
    for handler in list(root.handlers):
        if handler not in before[1]:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(before[0])


@pytest.fixture
def handler(qtbot: Any, log_file: Path) -> Iterator[CrashHandler]:
    crash = CrashHandler(log_file).install()
    yield crash
    crash.uninstall()
    if crash.dialog is not None:
        crash.dialog.close()


def _boom() -> None:
    url = f"https://qyapi.weixin.qq.com/cgi-bin/externalcontact/list?access_token={TOKEN}"
    raise ValueError(f"bad answer from {url} with secret {SECRET}")


def _assert_clean(text: str) -> None:
    assert SECRET not in text and TOKEN not in text


def _log_text(path: Path) -> str:
    for h in logging.getLogger().handlers:
        h.flush()
    return path.read_text(encoding="utf-8")


def test_an_exception_in_a_slot_opens_the_dialog(
    qtbot: Any, handler: CrashHandler, log_file: Path
) -> None:
    QTimer.singleShot(0, _boom)
    qtbot.waitUntil(lambda: handler.dialog is not None, timeout=5000)
    dialog = handler.dialog
    assert isinstance(dialog, CrashDialog) and dialog.isVisible()
    assert dialog.summary.text().startswith("ValueError: bad answer from https://qyapi")
    assert str(log_file) in dialog.log_label.text()
    details = dialog.details.toPlainText()
    for part in (f"TagDesk: {__version__}", "Python: 3.", "PySide6: ", "Qt: 6.", "SQLite: 3.",
                 "Platform: ", "Frozen: no", f"Log file: {log_file}",
                 "Traceback (most recent call last)", "in _boom", "Last "):
        assert part in details
    for text in (dialog.summary.text(), details, _log_text(log_file)):
        _assert_clean(text)
    assert "unhandled exception: ValueError" not in _log_text(log_file)
    assert "CRITICAL tagdesk.ui [MainThread] unhandled exception: bad answer" in _log_text(log_file)
    assert handler.errors == [dialog.summary.text()]


def test_copy_details_puts_versions_and_traceback_on_the_clipboard(
    qtbot: Any, handler: CrashHandler
) -> None:
    QTimer.singleShot(0, _boom)
    qtbot.waitUntil(lambda: handler.dialog is not None, timeout=5000)
    dialog = handler.dialog
    assert dialog is not None
    QGuiApplication.clipboard().setText("something else")
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied == dialog.details.toPlainText()
    assert "Traceback" in copied and f"TagDesk: {__version__}" in copied
    _assert_clean(copied)
    assert dialog.copy_button.text() == "Copied"


def test_more_errors_go_into_the_open_dialog(qtbot: Any, handler: CrashHandler) -> None:
    QTimer.singleShot(0, _boom)
    qtbot.waitUntil(lambda: handler.dialog is not None, timeout=5000)
    first = handler.dialog

    def second() -> None:
        raise KeyError("second-problem")

    QTimer.singleShot(0, second)
    qtbot.waitUntil(lambda: len(handler.errors) == 2, timeout=5000)
    assert handler.dialog is first and first is not None
    assert first.summary.text().startswith("2 errors; the latest: KeyError: 'second-problem'")
    details = first.details.toPlainText()
    assert details.index("ValueError: bad answer") < details.index("=" * 40)
    assert details.index("=" * 40) < details.rindex("KeyError: 'second-problem'")
    first.close()
    qtbot.waitUntil(lambda: handler.dialog is None, timeout=5000)


def test_an_exception_in_a_python_thread_reaches_the_dialog_on_the_gui_thread(
    qtbot: Any, handler: CrashHandler
) -> None:
    worker = threading.Thread(target=_boom, name="import-worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: handler.dialog is not None, timeout=5000)
    assert handler.dialog is not None
    assert "ValueError: bad answer" in handler.dialog.summary.text()


def test_without_the_dialog_the_error_goes_to_stderr(
    qtbot: Any, log_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crash = CrashHandler(log_file, dialog=False).install()
    try:
        QTimer.singleShot(0, _boom)
        qtbot.waitUntil(lambda: bool(crash.errors), timeout=5000)
    finally:
        crash.uninstall()
    assert crash.dialog is None
    err = capsys.readouterr().err
    assert err.startswith("tagdesk: unexpected error: ValueError: bad answer")
    assert "Traceback (most recent call last)" in err and "Frozen: no" in err
    _assert_clean(err)


def test_uninstall_restores_the_hooks(qtbot: Any, log_file: Path) -> None:
    import sys

    before = (sys.excepthook, threading.excepthook)
    crash = CrashHandler(log_file).install()
    assert sys.excepthook == crash.handle
    crash.uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_the_last_runs_fatal_crash_is_shown_once(
    qtbot: Any, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    enabled: list[Path] = []
    monkeypatch.setattr("desktop.ui.crash_dialog.enable_crash_log", enabled.append)
    crash_log = log_file.parent / logs.CRASH_LOG_NAME
    crash_log.write_text("Fatal Python error: Segmentation fault\n\nCurrent thread:\n"
                         f'  File "sync.py", line 9 in fetch {TOKEN}\n', encoding="utf-8")
    crash = install_crash_handler(log_file)
    try:
        assert enabled == [log_file.parent]
        dialog = crash.show_previous_crash()
        assert isinstance(dialog, CrashDialog)
        qtbot.addWidget(dialog)
        assert "closed unexpectedly" in dialog.heading.text()
        details = dialog.details.toPlainText()
        assert "Segmentation fault" in details and "TagDesk: " in details
        _assert_clean(details)
        assert crash.show_previous_crash() is None
    finally:
        crash.uninstall()
    again = install_crash_handler(log_file)
    again.uninstall()
    assert again.previous_crash == ""


# -- queued work ------------------------------------------------------------------------------


def _tag_to_add(context: Any, relation_id: int) -> str:
    have = outbox.relation_states(context.cache, [relation_id])[relation_id].tag_ids
    exclusive = {t for s in outbox.exclusive_sets(context.cache) for t in s.tag_ids}
    return next(t.id for t in outbox.tag_catalogue(context.cache)
                if t.id not in have and t.id not in exclusive)


def _first_relation(context: Any) -> tuple[int, str, str]:
    rid = int(context.cache.query("SELECT id FROM relation ORDER BY id LIMIT 1")[0]["id"])
    state = outbox.relation_states(context.cache, [rid])[rid]
    return rid, state.external_userid, state.userid


def test_a_crash_in_the_gui_does_not_stop_a_running_batch(
    qtbot: Any, handler: CrashHandler, synced_context: Any, sandbox: Any
) -> None:
    rid, external_userid, userid = _first_relation(synced_context)
    tag_id = _tag_to_add(synced_context, rid)
    with qtbot.waitSignal(synced_context.changed, timeout=15000,
                          check_params_cb=lambda changes: bool(changes.batch_id)):
        synced_context.toggle_tag([rid], tag_id, lambda: "crash test")
        QTimer.singleShot(0, _boom)
    qtbot.waitUntil(lambda: handler.dialog is not None, timeout=5000)
    assert tag_id in sandbox.state.relation_tag_ids(userid, external_userid)
    assert synced_context.tagging.unfinished_batches() == []


def _interrupted_batch(context: Any) -> tuple[str, int, str, str, str]:
    """A batch queued and marked running, as a process killed mid-run leaves it."""
    rid, external_userid, userid = _first_relation(context)
    tag_id = _tag_to_add(context, rid)
    batch_id = context.tagging.submit(context.tagging.plan_toggle([rid], tag_id),
                                      description="before the crash")
    outbox.set_status(context.cache, batch_id, outbox.RUNNING)
    return batch_id, rid, tag_id, external_userid, userid


def test_after_a_crash_the_unfinished_batch_is_offered_and_resumed(
    qtbot: Any, log_file: Path, synced_context: Any, sandbox: Any,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("desktop.ui.crash_dialog.enable_crash_log", lambda folder: folder)
    (log_file.parent / logs.CRASH_LOG_NAME).write_text(
        "Fatal Python error: Aborted\n\nThread 0x01 (most recent call first):\n"
        '  File "outbox_runner.py", line 120 in _send\n', encoding="utf-8")
    batch_id, _rid, tag_id, external_userid, userid = _interrupted_batch(synced_context)
    assert tag_id not in sandbox.state.relation_tag_ids(userid, external_userid)
    crash = install_crash_handler(log_file)
    try:
        shown = offer_recovery(crash, synced_context)
    finally:
        crash.uninstall()
    for widget in shown:
        qtbot.addWidget(widget)
    assert [type(w) for w in shown] == [CrashDialog, UnfinishedBatchesDialog]
    crash_dialog = shown[0]
    assert isinstance(crash_dialog, CrashDialog)
    assert "Fatal Python error: Aborted" in crash_dialog.details.toPlainText()
    prompt = shown[1]
    assert isinstance(prompt, UnfinishedBatchesDialog)
    assert prompt.selected_batch() == batch_id
    with qtbot.waitSignal(synced_context.changed, timeout=15000,
                          check_params_cb=lambda changes: changes.batch_id == batch_id):
        progress = prompt.resume_selected()
    assert progress is not None
    qtbot.addWidget(progress)
    synced_context.wait_idle()
    assert tag_id in sandbox.state.relation_tag_ids(userid, external_userid)
    assert synced_context.tagging.batch(batch_id).status == outbox.DONE
    assert offer_recovery(CrashHandler(log_file), synced_context) == []


def test_nothing_to_recover_shows_nothing(qtbot: Any, log_file: Path,
                                          synced_context: Any) -> None:
    assert offer_recovery(CrashHandler(log_file), synced_context) == []
