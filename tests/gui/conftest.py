"""GUI fixtures: an isolated home, a synced workspace on the real sandbox, the main window on
it, and a solo profile whose app secret WeCom refuses (the task hygiene every Qt test gets is
in tests/conftest.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _no_modifier_held(qapp: Any) -> None:
    """Each GUI test starts with no modifier key held. QTest releases a modifier key in an
    event that still carries it (`keyClick(…, Ctrl | Shift)` ends on a Shift release marked
    Shift), and Qt takes each key event's modifiers as the keyboard's: the next test found
    Shift held, so its `selectRow` extended a selection from no anchor and selected nothing,
    and the toggle of those customers never wrote. The held keys are released here."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QWidget

    held = qapp.keyboardModifiers()
    if held == Qt.KeyboardModifier.NoModifier:
        return
    receiver = QWidget()        # hidden: the release changes nothing but the modifiers
    for modifier, key in ((Qt.KeyboardModifier.ShiftModifier, Qt.Key.Key_Shift),
                          (Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_Control),
                          (Qt.KeyboardModifier.AltModifier, Qt.Key.Key_Alt),
                          (Qt.KeyboardModifier.MetaModifier, Qt.Key.Key_Meta)):
        if held & modifier:
            held &= ~modifier
            QTest.keyRelease(receiver, key, held)
    receiver.deleteLater()


@pytest.fixture
def gui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("TAGDESK_HOME", str(home))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return home


PROFILE = "test"


def _sandbox_config(data_dir: Path) -> Any:
    """tests/conftest.py's sandbox corp: 300 customers, 8 members."""
    from desktop.sandbox import SandboxConfig

    return SandboxConfig(data_dir=data_dir, customers=300, members=8, seed=7)


def _profile(sandbox: Any) -> Any:
    from desktop.services.profiles import Profile

    owner = sorted(sandbox.state.relations())[0][0]
    return Profile(name=PROFILE, corp_id=sandbox.corp_id, api_base=sandbox.api_base,
                   agent_id=sandbox.agent_id, userid=owner)


@pytest.fixture(scope="session")
def _synced_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sandbox corp and a workspace synced with it, made once per process: each test
    starts from copies of both files instead of generating and syncing the same corp again."""
    from desktop.sandbox import SandboxServer
    from desktop.services.sync import run_sync
    from desktop.services.workspace import Workspace

    root = tmp_path_factory.mktemp("synced-template")
    (root / "home").mkdir()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TAGDESK_HOME", str(root / "home"))
        env.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
        env.setenv("XDG_DATA_HOME", str(root / "xdg"))
        with (SandboxServer(_sandbox_config(root / "sandbox"))
              as server, Workspace(root / "home", _profile(server), server.secret) as ws):
            run_sync(ws.client(), ws.cache)
    return root


@pytest.fixture
def sandbox(tmp_path: Path, _synced_template: Path) -> Iterator[Any]:
    """tests/conftest.py's sandbox (300 customers, 8 members), started from a copy of the
    session's generated corp."""
    from desktop.sandbox import SandboxServer

    shutil.copytree(_synced_template / "sandbox", tmp_path / "sandbox")
    with SandboxServer(_sandbox_config(tmp_path / "sandbox")) as server:
        yield server


@pytest.fixture
def synced_workspace(gui_home: Path, sandbox: Any, _synced_template: Path) -> Iterator[Any]:
    """A workspace synced with `sandbox`: a copy of the session's synced cache (the sandbox
    is a copy of the corp it was synced with)."""
    from desktop.services.profiles import ProfileStore
    from desktop.services.workspace import Workspace

    cache = ProfileStore(gui_home).cache_path(PROFILE)
    shutil.copyfile(_synced_template / "home" / "profiles" / PROFILE / cache.name, cache)
    ws = Workspace(gui_home, _profile(sandbox), sandbox.secret)
    try:
        ws.client().get_token()     # as after a sync: the first write pays no gettoken
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


def open_main_window(qtbot: Any, context: Any, settings: Any, language: str = "en") -> Any:
    """The main window on `context`, shown, with its first query answered and the filter
    bar's tag names loaded."""
    from desktop.ui.main_window import MainWindow
    from desktop.ui.sync_controller import SyncController

    window = MainWindow(context, settings, SyncController(context, context), language)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.model.queryFinished, timeout=15_000):
        window.show()
    qtbot.waitUntil(lambda: bool(window.filter_bar.completions.speller.tags), timeout=15_000)
    return window


@pytest.fixture
def window(qtbot: Any, synced_context: Any, gui_home: Path) -> Any:
    """The main window on the synced workspace, in the English source strings."""
    from desktop.ui.settings import Settings

    return open_main_window(qtbot, synced_context, Settings(gui_home))


RESET_SECRET = "reset-secret-0000"     # what the keyring holds after the secret was reset


@pytest.fixture
def refused_secret(qtbot: Any, gui_home: Path, sandbox: Any,
                   _synced_template: Path) -> Iterator[tuple[Any, Any]]:
    """(main window, context) of a synced solo profile whose keyring holds a secret WeCom no
    longer takes (`RESET_SECRET`): the first call for a token meets 40001."""
    from desktop.services.profiles import ProfileStore
    from desktop.services.secrets import store_secret
    from desktop.services.workspace import open_workspace
    from desktop.ui.context import AppContext
    from desktop.ui.settings import Settings

    store = ProfileStore(gui_home)
    store.add(_profile(sandbox))
    cache = store.cache_path(PROFILE)
    shutil.copyfile(_synced_template / "home" / "profiles" / PROFILE / cache.name, cache)
    store_secret(PROFILE, sandbox.corp_id, RESET_SECRET)
    workspace = open_workspace(gui_home, PROFILE)
    context = AppContext(workspace)
    try:
        yield open_main_window(qtbot, context, Settings(gui_home)), context
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()
