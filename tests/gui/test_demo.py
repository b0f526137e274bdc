"""`tagdesk --demo --screenshot`: the whole app in a subprocess, as users and the docs run it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]


def _tagdesk(home: Path, *args: str, platform: str = "offscreen") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TAGDESK_HOME": str(home), "QT_QPA_PLATFORM": platform,
           "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring"}
    return subprocess.run([sys.executable, "-m", "desktop", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=240, check=False)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_demo_screenshot_syncs_the_demo_corp_and_saves_the_window(tmp_path: Path) -> None:
    home, shot = tmp_path / "home", tmp_path / "shots" / "main.png"
    home.mkdir()
    started = time.perf_counter()
    result = _tagdesk(home, "--demo", "--screenshot", str(shot))
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert _png_size(shot) == (1400, 860)
    assert shot.stat().st_size > 20_000
    assert result.stdout.strip() == f"{shot} 1400x860"
    with sqlite3.connect(home / "profiles" / "demo" / "cache.sqlite") as conn:
        customers = conn.execute("SELECT count(*) FROM customer").fetchone()[0]
        last_sync = conn.execute("SELECT value FROM meta WHERE key = 'last_sync_at'").fetchone()
        chats = conn.execute("SELECT count(*) FROM chat_message").fetchone()[0]
        keywords = conn.execute("SELECT count(*) FROM autotag_keywords").fetchone()[0]
        event_types = {t for (t,) in conn.execute("SELECT DISTINCT type FROM event")}
        rules = {n for (n,) in conn.execute("SELECT name FROM rule")}
        code_tags = dict(conn.execute("SELECT match_key, tag_ids FROM arrival"
                                      " WHERE source = 'livecode' AND status = 'pending'"))
        ways = {s for (s,) in conn.execute("SELECT state FROM contact_way WHERE state <> ''")}
    assert customers == 5000 and last_sync
    assert chats > 1000 and keywords == 4      # auto-tagging can be tried at once
    assert event_types == {"form_submitted", "content_viewed", "order_paid", "course_attended"}
    assert rules == {"北京归华北", "付款即成交"}          # rules can be simulated at once
    assert set(code_tags) == ways and len(ways) == 6       # every live code gives tags
    assert all(json.loads(tags) for tags in code_tags.values())
    assert elapsed < 60
    assert "Traceback" not in result.stderr
    again = _tagdesk(home, "--screenshot", str(shot))     # no flag: the last profile used
    assert again.returncode == 0, again.stderr
    assert _png_size(shot) == (1400, 860)
    synced = _tagdesk(home, "sync", "--profile", "demo", "--json")
    assert synced.returncode == 0, synced.stderr
    tagged = json.loads(synced.stdout.splitlines()[-1])["arrivals"]["tagged"]
    assert tagged.get("livecode", 0) > 0     # the relations the codes brought this week


def test_an_unknown_profile_fails_with_one_sentence(tmp_path: Path) -> None:
    result = _tagdesk(tmp_path, "--profile", "nosuch", "--screenshot", str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert "No profile named nosuch" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_a_missing_platform_plugin_is_reported_before_qt_aborts(tmp_path: Path) -> None:
    result = _tagdesk(tmp_path, "--demo", "--screenshot", str(tmp_path / "x.png"),
                      platform="nosuchplatform")
    assert result.returncode == 2
    assert "Qt platform plugin “nosuchplatform” is not installed" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")
def test_a_terminated_app_closes_as_its_close_button_does(tmp_path: Path) -> None:
    """Logging out or `kill` sends SIGTERM: the window closes in order and keeps its layout,
    instead of Python ending inside Qt's event loop with nothing saved."""
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "TAGDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring"}
    process = subprocess.Popen([sys.executable, "-m", "desktop", "--demo", "--no-crash-dialog"],
                               cwd=REPO, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    log = home / "logs" / "tagdesk.log"
    try:
        deadline = time.monotonic() + 180
        while "sync done" not in (log.read_text(encoding="utf-8") if log.exists() else ""):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the demo did not finish its first sync"
            time.sleep(0.2)
        assert "state/geometry" not in (home / "tagdesk.ini").read_text(encoding="utf-8")
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    saved = (home / "tagdesk.ini").read_text(encoding="utf-8")
    assert "geometry=" in saved and "customer_table_header=" in saved
