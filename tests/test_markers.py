"""Markers select what they promise: `-m "not integration"` leaves no integration test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _collected(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_every_integration_test_has_the_integration_marker() -> None:
    everything = _collected("tests/integration")
    unmarked = _collected("tests/integration", "-m", "not integration")
    assert len(everything) > 100
    assert unmarked == []
