"""Log files, levels, the ring buffer, rotation, crash.log, and redaction of a known secret
and token through messages, arguments, exceptions, tracebacks and stacks."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.services import logs

SECRET = "S3cr3t-corp-secret-value-0123456789abcdefXYZ"
# Shaped like a WeCom access token (and the sandbox's): 128 url-safe characters.
TOKEN = ("Qx7_kD2-vN9pL4sR8tY1wZ6" * 6)[:128]
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    before = (root.level, logging.getLogger("tagdesk").level, list(root.handlers))
    yield
    for handler in list(root.handlers):
        if handler not in before[2]:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(before[0])
    logging.getLogger("tagdesk").setLevel(before[1])


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    logs.register_secret(SECRET)
    return logs.setup_logging(str(tmp_path / "home"))


def _text(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def _assert_clean(text: str) -> None:
    assert SECRET not in text
    assert TOKEN not in text


def _raise_with_secrets() -> None:
    url = f"https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret={SECRET}"
    try:
        raise ConnectionError(f"connection reset while fetching {url}")
    except ConnectionError as exc:
        raise RuntimeError(f"sync failed, token was {TOKEN} and secret {SECRET}") from exc


def test_the_log_goes_under_an_explicit_home(log_file: Path, tmp_path: Path) -> None:
    assert log_file == (tmp_path / "home" / "logs" / logs.LOG_NAME).resolve()
    assert logs.current_log_file() == log_file
    logging.getLogger("tagdesk.sync").info("synced %d customers", 300)
    assert re.search(r"INFO +tagdesk\.sync \[MainThread\] synced 300 customers", _text(log_file))


def test_a_known_secret_and_token_never_reach_the_file_or_the_ring(log_file: Path) -> None:
    log = logging.getLogger("tagdesk.wecom")
    log.info("as argument: %s / %s", SECRET, TOKEN.upper().lower())
    log.info(f"inline: secret={SECRET}")
    log.warning("GET /cgi-bin/externalcontact/list?access_token=%s&userid=zhangsan", TOKEN)
    log.warning('body {"access_token": "%s", "corpsecret": "%s"}', TOKEN, SECRET)
    logging.getLogger("urllib3.connectionpool").warning(
        '"GET /cgi-bin/gettoken?corpid=ww1&corpsecret=%s HTTP/1.1" 200 87', SECRET)
    try:
        _raise_with_secrets()
    except RuntimeError:
        log.exception("unexpected error with %s", {"token": TOKEN})
    text = _text(log_file)
    _assert_clean(text)
    assert "access_token=***" in text and "corpsecret=***" in text
    assert '"access_token": "***"' in text
    assert "Traceback (most recent call last)" in text and "ConnectionError" in text
    assert "The above exception was the direct cause" in text
    ring = "\n".join(logs.recent_lines())
    _assert_clean(ring)
    assert "unexpected error" in ring and "Traceback" in ring


def test_the_filter_covers_a_preformatted_stack_and_exception_text() -> None:
    record = logging.LogRecord("tagdesk.ui", logging.ERROR, __file__, 1,
                               "token %s", (TOKEN,), None)
    logs.register_secret(TOKEN)
    record.exc_text = f"Traceback ...\nValueError: {TOKEN}"
    record.stack_info = f'Stack (most recent call last):\n  File "x.py", line 3 {TOKEN}'
    assert logs.SecretFilter().filter(record)
    formatted = logging.Formatter(logs.LINE_FORMAT).format(record)
    _assert_clean(formatted)
    assert formatted.count("***") == 3


def test_a_broken_format_string_neither_raises_nor_leaks() -> None:
    logs.register_secret(SECRET)
    record = logging.LogRecord("tagdesk.ui", logging.INFO, __file__, 1,
                               "two %s %s", (SECRET,), None)
    assert logs.SecretFilter().filter(record)
    message = record.getMessage()
    _assert_clean(message)
    assert message.startswith("two %s %s")


def test_short_values_are_not_registered_as_secrets() -> None:
    logs.register_secret("abc")
    assert logs.redact_text("abc abcdef") == "abc abcdef"


def test_a_bare_token_is_masked_but_hashes_and_ids_are_kept() -> None:
    journal_hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    external_userid = "wmAJ2GCAAAd1NPGHKSD4wKmE8Aabj9AAA"
    line = f"token {TOKEN} row hash {journal_hash} customer {external_userid} x" + "a" * 120
    assert logs.redact_text(line) == (
        f"token *** row hash {journal_hash} customer {external_userid} x" + "a" * 120)


def test_debug_lines_only_with_debug(tmp_path: Path) -> None:
    path = logs.setup_logging(str(tmp_path / "quiet"))
    logging.getLogger("tagdesk.store").debug("page query took 3 ms")
    assert "page query" not in _text(path)
    path = logs.setup_logging(str(tmp_path / "loud"), debug=True)
    logging.getLogger("tagdesk.store").debug("page query took 3 ms")
    assert re.search(r"DEBUG +tagdesk\.store .* page query took 3 ms", _text(path))


def test_setting_up_twice_keeps_one_file_handler_and_the_ring(tmp_path: Path) -> None:
    logs.setup_logging(str(tmp_path / "a"))
    logging.getLogger("tagdesk.ui").info("first home")
    path = logs.setup_logging(str(tmp_path / "b"))
    logging.getLogger("tagdesk.ui").info("second home")
    ours = [h for h in logging.getLogger().handlers
            if isinstance(h, logs._RotatingFile | logs.RecentLines)]
    assert sorted(type(h).__name__ for h in ours) == ["RecentLines", "_RotatingFile"]
    assert "first home" not in _text(path) and "second home" in _text(path)
    ring = logs.recent_lines()
    assert any("first home" in line for line in ring) and "second home" in ring[-1]
    assert logs.recent_lines(1) == ring[-1:]


def test_every_layer_logger_lands_in_the_file_under_its_name(log_file: Path) -> None:
    for name in logs.LAYER_LOGGERS:
        logging.getLogger(f"{name}.child").info("hello from %s", name)
    text = _text(log_file)
    for name in logs.LAYER_LOGGERS:
        assert f"{name}.child [MainThread] hello from {name}" in text


def test_the_code_logs_only_to_layer_loggers() -> None:
    names = set()
    for path in (ROOT / "desktop").rglob("*.py"):
        names.update(re.findall(r'getLogger\("(tagdesk[\w.]*)"\)', path.read_text("utf-8")))
    assert names
    strays = {n for n in names if n != "tagdesk" and not any(
        n == layer or n.startswith(layer + ".") for layer in logs.LAYER_LOGGERS)}
    assert not strays, f"loggers outside the layer names in logs.LAYER_LOGGERS: {strays}"


def test_the_file_rotates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    path = logs.setup_logging(str(tmp_path / "home"))
    for n in range(100):
        logging.getLogger("tagdesk.sync").info("line %03d %s", n, "x" * 60)
    assert path.with_name(logs.LOG_NAME + ".1").exists()
    assert path.stat().st_size <= 2000
    assert "line 099" in _text(path)


def test_a_rotation_blocked_by_another_process_keeps_logging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 500)
    path = logs.setup_logging(str(tmp_path / "home"))
    (handler,) = [h for h in logging.getLogger().handlers if isinstance(h, logs._RotatingFile)]

    def locked(source: str, dest: str) -> None:
        raise PermissionError(13, "The process cannot access the file", source)

    handler.rotator = locked
    for n in range(20):
        logging.getLogger("tagdesk.ui").info("still here %02d %s", n, "y" * 40)
    assert not path.with_name(logs.LOG_NAME + ".1").exists()
    assert "still here 19" in _text(path)


def test_a_fatal_crash_lands_in_crash_log_and_is_offered_once(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    script = textwrap.dedent(f"""
        import faulthandler, sys
        from pathlib import Path
        sys.path.insert(0, {str(ROOT)!r})
        from desktop.services.logs import enable_crash_log
        enable_crash_log(Path({str(folder)!r}))
        def inside_the_event_loop():
            faulthandler._sigsegv()
        inside_the_event_loop()
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0
    assert logs.take_previous_crash(tmp_path / "nowhere") == ""
    text = logs.take_previous_crash(folder)
    assert "Fatal Python error: Segmentation fault" in text
    assert "inside_the_event_loop" in text
    assert logs.take_previous_crash(folder) == ""
    assert (folder / (logs.CRASH_LOG_NAME + ".1")).read_text(encoding="utf-8").strip()
