"""Shared fixtures: isolated TagDesk homes, a file keyring, a real sandbox on 127.0.0.1, and
the hygiene every test of a process running Qt is held to (tasks, collector, catalogue)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_gui_collector: list[Any] = []      # the process's GuiThreadCollector, once Qt runs in it

LEAK_WAIT_MS = 10000
SETTLE_S = 2.0     # a task whose end arrives within this is finishing, not leaked


def pytest_configure(config: pytest.Config) -> None:
    """The processes a run starts (xdist workers, `tagdesk` commands, team servers) keep the
    bytecode they compile in one folder of the run, as an installed app has its bytecode
    compiled: where PYTHONDONTWRITEBYTECODE is set, each of them compiled every module it
    imports again, about half of a typical command's time. Nothing is written into the tree."""
    if os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get("PYTHONPYCACHEPREFIX"):
        return
    folder = tempfile.mkdtemp(prefix="tagdesk-pycache-")
    os.environ["PYTHONPYCACHEPREFIX"] = folder
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


@pytest.fixture(autouse=True)
def _cycles_collected_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """As in the app: once a test of this process has used Qt, Python's collector runs on the
    GUI thread only (desktop/ui/gui_thread_gc.py): after every test, and on its timer while
    a test runs Qt's event loop."""
    if not _gui_collector and {"qapp", "qtbot"} & set(request.fixturenames):
        from desktop.ui.gui_thread_gc import GuiThreadCollector

        collector = GuiThreadCollector(request.getfixturevalue("qapp"))
        collector.start()
        _gui_collector.append(collector)
    yield
    if _gui_collector:
        _gui_collector[0].collect_if_due()
        _no_catalogue_left(request)
        _no_automatic_collector_left(request)


@pytest.fixture(autouse=True)
def _no_leaked_tasks() -> Iterator[None]:
    """Once Qt runs in the process, after every test and its fixtures are torn down, every
    background task must have ended and its end been delivered (within a short settle time,
    for a worker finishing its last step on a loaded machine); napari's `_dangling_qthreads`
    is the model. A test that leaves one running fails, naming the task and where it was
    started; the leftover is stopped and waited for so it cannot end in the next test. The
    team server's window tests are held to it as the GUI tests are."""
    if not _gui_collector:
        yield
        return
    import shiboken6
    from PySide6.QtWidgets import QApplication

    from desktop.ui.tasks import pending_tasks

    before = set(pending_tasks())
    yield
    app = QApplication.instance()
    settle = time.monotonic() + SETTLE_S
    while True:
        if app is not None:
            app.processEvents()     # deliver the ends of workers that are already done
        leaked = [task for task in pending_tasks() if task not in before]
        if not leaked or time.monotonic() > settle:
            break
        time.sleep(0.01)            # a worker finishing its last step on a loaded machine
    if not leaked:
        return
    report = "\n".join(task.describe() for task in leaked)
    for task in leaked:
        task.cancel_token.interrupt()
    for task in leaked:
        if task.pool is not None and shiboken6.isValid(task.pool):
            task.pool.waitForDone(LEAK_WAIT_MS)
    if app is not None:
        app.processEvents()
    pytest.fail(f"{len(leaked)} background task(s) still pending after the test:\n{report}",
                pytrace=False)


def _no_automatic_collector_left(request: pytest.FixtureRequest) -> None:
    """A test that turns Python's automatic collector back on turns it off again: left on, the
    cycles of every later test of its process (a dialog and the closures on its signals) were
    collected by whichever thread allocated, a pool thread's or the sandbox's, and a widget
    destroyed there crashed the GUI thread (a segmentation fault in a later dialog's
    constructor)."""
    import gc

    if gc.isenabled():
        gc.disable()
        pytest.fail(f"{request.node.nodeid} left Python's automatic garbage collector on")


def _no_catalogue_left(request: pytest.FixtureRequest) -> None:
    """A test that installs the Chinese catalogue uninstalls it (or drops the Translations
    that holds it): one left installed turns every later test of its process Chinese, and
    they fail far from the cause."""
    import gc

    from PySide6.QtCore import QCoreApplication

    def chinese() -> bool:
        return QCoreApplication.translate("MainWindow", "all customers") != "all customers"

    if chinese():
        gc.collect()          # a Translations collected takes its catalogues with it
        if chinese():
            pytest.fail(f"{request.node.nodeid} left the Chinese catalogue installed")


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


@pytest.fixture
def synced_ws(tmp_path: Path, sandbox: Any) -> Iterator[Any]:
    """A workspace on the sandbox, synced once, acting as the first relation's member."""
    from desktop.services.profiles import Profile
    from desktop.services.sync import run_sync
    from desktop.services.workspace import Workspace

    owner = sorted(sandbox.state.relations())[0][0]
    profile = Profile(name="t", corp_id=sandbox.corp_id, api_base=sandbox.api_base,
                      userid=owner)
    with Workspace(tmp_path / "home", profile, sandbox.secret) as workspace:
        run_sync(workspace.client(), workspace.cache)
        yield workspace
