"""What a GUI start loads before its first table paint: not the modules only a later action
needs (openpyxl for writing workbooks, requests for the first WeCom call, windows opened
from menus). Checked in a fresh interpreter, with the transport the session makes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LATER = ("openpyxl", "requests", "urllib3", "orjson", "desktop.ui.audit_viewer", "desktop.ui.autotag_review",
         "desktop.ui.health_view", "desktop.ui.rules_dialog", "desktop.ui.reports",
         "desktop.ui.events_browser", "desktop.ui.events_dialog", "desktop.ui.import_wizard",
         "desktop.ui.exclusive_sets_dialog", "desktop.ui.deleted_tags_dialog",
         "desktop.ui.expiring_tags_dialog")
SCRIPT = f"""
import sys
import desktop.app, desktop.cli, desktop.ui.session
from desktop.wecom.ratelimit import RateLimits
from desktop.wecom.transport import WeComTransport
transport = WeComTransport("http://127.0.0.1:9/", "corp", "secret", limits=RateLimits())
transport.close()
print(" ".join(name for name in {LATER!r} if name in sys.modules))
"""


def test_a_gui_start_loads_no_module_only_a_later_action_needs() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


COMMANDS = """
import pkgutil, sys
import desktop.cli
for module in pkgutil.iter_modules(desktop.cli.__path__):
    __import__(f"desktop.cli.{module.name}")
print(" ".join(sorted(name for name in sys.modules if name.split(".")[0] == "PySide6"
                      or name.startswith("desktop.ui"))))
"""


def test_no_command_module_loads_qt() -> None:
    """The command line reads tagdesk.ini without Qt (services/settings_file), so loading
    every command module loads neither PySide6 nor a window module."""
    done = subprocess.run([sys.executable, "-c", COMMANDS], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
