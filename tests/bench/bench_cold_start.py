"""Cold start of the GUI to a usable table at 100,000 customers, with the last filter applied.

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_cold_start.py [--quick]`.
Builds a synced cache with the filter benchmark's builder, then times, in this order:
importing the GUI modules in a fresh interpreter (what a process start pays before any
window), opening the workspace and creating the session, showing the main window until
its table holds its first rows — the window opens on the filter it closed with, so those
rows are already the last filter's result. The baseline, in the same run, is that filter counted by plain
SQL on a fresh connection (what the cache itself costs). Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from bench_filter import build, sql_for  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.services.profiles import Profile, ProfileStore  # noqa: E402
from desktop.services.workspace import Workspace  # noqa: E402
from desktop.store.db import Cache  # noqa: E402
from desktop.store.snapshot import LAST_SYNC_KEY  # noqa: E402
from desktop.ui.i18n import CHINESE, Translations  # noqa: E402
from desktop.ui.session import GuiSession  # noqa: E402
from desktop.ui.settings import Settings  # noqa: E402

LAST_FILTER = "高意向 -已流失 added<2025-06-30"
TIMEOUT_S = 120.0


def run_until(done: Callable[[], bool]) -> float:
    """Spin the event loop until `done()`; returns the wall time in seconds."""
    loop = QEventLoop()
    started = time.perf_counter()
    poll = QTimer()
    poll.setInterval(5)

    def check() -> None:
        if done() or time.perf_counter() - started > TIMEOUT_S:
            loop.quit()

    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    if not done():
        raise SystemExit(f"timed out after {TIMEOUT_S:.0f} s")
    return time.perf_counter() - started


def import_s() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import desktop.ui.session"], check=True,
                   cwd=HERE.parents[1], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    return time.perf_counter() - started


def plain_sql_s(path: Path, pks: dict[tuple[str, str], int]) -> float:
    sql, params = sql_for("高意向 -已流失", pks)
    started = time.perf_counter()
    with Cache(path) as cache:
        cache.connection().execute(sql, params).fetchone()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true", help="10,000 customers")
    args = parser.parse_args()
    customers = 10_000 if args.quick else args.customers
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        profile = Profile(name="bench", corp_id="bench", api_base="http://127.0.0.1:9/",
                          userid="bench")
        path = ProfileStore(home).cache_path(profile.name)
        pks = build(path, customers, args.seed)
        with Cache(path) as cache, cache.write() as tx:
            cache.set_meta(tx, LAST_SYNC_KEY, str(time.time()))
        settings = Settings(home)
        settings.set_last_filter(profile.name, LAST_FILTER)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        imported = import_s()
        baseline = plain_sql_s(path, pks)
        translations = Translations()
        translations.install(CHINESE)
        started = time.perf_counter()
        session = GuiSession(Workspace(home, profile, "not-used"), settings, translations)
        opened = time.perf_counter() - started
        window = session.window
        try:
            session.show()
            first = run_until(lambda: window.model.last_result is not None)
            app.processEvents()  # the first paint of those rows
            painted = time.perf_counter() - started
            result = window.model.last_result
            assert result is not None and result.query.text == LAST_FILTER
        finally:
            session.close()
            translations.uninstall()
    print(f"import the GUI modules (fresh interpreter)   {imported * 1000:7.0f} ms")
    print(f"open workspace + session + window            {opened * 1000:7.0f} ms")
    print(f"show until the table holds the last filter's rows {first * 1000:7.0f} ms"
          f"  ({LAST_FILTER}: {result.relations:,} of {result.total_relations:,} relations)")
    print(f"first paint with the last filter applied: {painted * 1000:.0f} ms after opening,"
          f" {(painted + imported) * 1000:.0f} ms with the imports; plain SQL count of the"
          f" filter on a fresh connection {baseline * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
