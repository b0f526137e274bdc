"""`tagdesk --self-test` from the source tree, as CI runs the frozen one: a pass, its log, and
the reason it gives when WeCom, the journal or the GUI misbehave."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = re.compile(
    r"TagDesk \S+ self-test passed in \d+\.\d s \(source, Qt 6\.\S+ offscreen, Python 3\.\S+\):"
    r" (\d+) modules imported; synced 300 customers, \d+ relations, \d+ tags; tagged and"
    r" untagged relation \d+ with 「.+」 in WeCom; journal \+2 rows, chain of (\d+) verified;"
    r" main window opened and closed; zh_CN translation (loaded|missing)"
)


def _env() -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}     # the self-test must choose offscreen
    env.pop("TAGDESK_HOME", None)
    env.pop("DISPLAY", None)
    return env


def _tagdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *args], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, timeout=180)


def _patched(home: Path, patch: str) -> subprocess.CompletedProcess[str]:
    """The self-test with `patch` (Python) applied first: a fault to detect."""
    script = (f"import sys\n{patch}\nfrom desktop.cli import main\n"
              f"sys.exit(main(['--self-test', '--home', {str(home)!r}, '--no-crash-dialog']))\n")
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, timeout=180)


def test_the_self_test_passes_with_one_summary_line_and_a_quiet_stderr() -> None:
    result = _tagdesk("--self-test", "--temp-home", "--no-crash-dialog")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    match = SUMMARY.fullmatch(lines[0])
    assert match, lines[0]
    package = ROOT / "desktop"
    modules = len([p for p in package.rglob("*.py")
                   if p.name != "__main__.py" and p != package / "__init__.py"
                   and package / "server" not in p.parents])
    assert int(match.group(1)) == modules
    # a fresh demo corp: its seeded exclusive set, then just our two rows
    assert int(match.group(2)) == 3


def test_the_self_test_passes_without_the_team_server_packages(tmp_path: Path) -> None:
    """A plain `pip install -e .` (no `server` extra) has no psycopg, starlette or uvicorn."""
    result = _patched(tmp_path, (
        "for name in ('psycopg', 'psycopg_pool', 'starlette', 'uvicorn'):\n"
        "    sys.modules[name] = None\n"))
    assert result.returncode == 0, result.stderr
    assert SUMMARY.fullmatch(result.stdout.strip())


def test_with_debug_the_log_shows_the_requests_with_tokens_masked(tmp_path: Path) -> None:
    result = _tagdesk("--self-test", "--home", str(tmp_path), "--debug", "--no-crash-dialog")
    assert result.returncode == 0, result.stderr
    log = (tmp_path / "logs" / "tagdesk.log").read_text(encoding="utf-8")
    assert "DEBUG   urllib3.connectionpool" in log
    assert "externalcontact/mark_tag?access_token=***" in log
    assert "corpsecret=***" in log
    assert not re.search(r"(access_token|corpsecret)=(?!\*\*\*)", log)
    assert "self-test passed" in log
    assert not (tmp_path / "demo").exists()     # the corp lived in a throw-away folder


def test_a_tag_wecom_did_not_keep_fails_the_self_test(tmp_path: Path) -> None:
    result = _patched(tmp_path, (
        "from desktop.sandbox.state import SandboxState\n"
        "SandboxState.relation_tag_ids = lambda self, userid, external_userid: set()\n"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert re.match(r"tagdesk: self-test failed: after tagging, WeCom lacks tag .+ \([\w-]+\)"
                    r" on [\w-]+ of \w+\n", result.stderr)
    assert "last log lines:" in result.stderr
    assert f"log file: {tmp_path / 'logs' / 'tagdesk.log'}" in result.stderr


def test_a_tampered_journal_fails_the_self_test(tmp_path: Path) -> None:
    result = _patched(tmp_path, (
        "from desktop.store import journal\n"
        "real_verify = journal.verify\n"
        "def tampered(cache):\n"
        "    with cache.write() as conn:\n"
        "        conn.execute('DROP TRIGGER journal_no_update')\n"
        "        conn.execute(\"UPDATE journal SET tag_name = '改过' WHERE id = 1\")\n"
        "    return real_verify(cache)\n"
        "journal.verify = tampered\n"))
    assert result.returncode == 1
    assert result.stderr.startswith(
        "tagdesk: self-test failed: the journal does not verify: 第 1 行的内容被修改"
        " / row 1 was edited\n")


def test_an_exception_in_the_gui_fails_the_self_test(tmp_path: Path) -> None:
    result = _patched(tmp_path, (
        "from PySide6.QtCore import QTimer\n"
        "from desktop.ui.session import GuiSession\n"
        "real_show = GuiSession.show\n"
        "def show(self):\n"
        "    real_show(self)\n"
        "    def boom():\n"
        "        raise RuntimeError('a slot broke')\n"
        "    QTimer.singleShot(0, boom)\n"
        "GuiSession.show = show\n"))
    assert result.returncode == 1
    assert ("tagdesk: unexpected error: RuntimeError: a slot broke\n" in result.stderr)
    assert ("tagdesk: self-test failed: unexpected exception in the GUI:"
            " RuntimeError: a slot broke\n") in result.stderr
