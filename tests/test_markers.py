"""Markers select what they promise: `-m "not integration"` leaves no integration test."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_integration_test_has_the_integration_marker() -> None:
    """One collection: every test of tests/integration is deselected by `not integration`."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "tests/integration",
         "-m", "not integration"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    unmarked = [line for line in result.stdout.splitlines() if "::" in line]
    deselected = re.search(r"\((\d+) deselected\)", result.stdout)
    assert deselected is not None, result.stdout + result.stderr
    assert int(deselected.group(1)) > 100
    assert unmarked == []
