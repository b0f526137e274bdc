"""Shared fixtures: isolated TagDesk homes, a file keyring, and a real sandbox on 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[object]:
    """A small WeCom sandbox (300 customers, 8 members) served over real HTTP."""
    from desktop.sandbox import SandboxConfig, SandboxServer

    server = SandboxServer(
        SandboxConfig(data_dir=tmp_path / "sandbox", customers=300, members=8, seed=7)
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()
