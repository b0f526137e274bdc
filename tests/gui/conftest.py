"""GUI fixtures: an isolated home and a synced workspace on the real sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def gui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("TAGDESK_HOME", str(home))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return home


@pytest.fixture
def synced_workspace(gui_home: Path, sandbox: Any) -> Iterator[Any]:
    from desktop.services.profiles import Profile
    from desktop.services.sync import run_sync
    from desktop.services.workspace import Workspace

    owner = sorted(sandbox.state.relations())[0][0]
    profile = Profile(name="test", corp_id=sandbox.corp_id, api_base=sandbox.api_base,
                      agent_id=sandbox.agent_id, userid=owner)
    ws = Workspace(gui_home, profile, sandbox.secret)
    run_sync(ws.client(), ws.cache, operator=owner)
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def synced_context(qtbot: Any, synced_workspace: Any) -> Iterator[Any]:
    from desktop.ui.context import AppContext

    context = AppContext(synced_workspace)
    try:
        yield context
    finally:
        context.cancel_all()
        context.wait_idle()
