"""Cold start of the GUI to a usable table at 100,000 customers, with the last filter applied.

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_cold_start.py [--quick]`.
Builds a synced cache with the filter benchmark's builder in a temporary home (a profile, its
secret in a file keyring, the last filter saved), then starts the real app process
(`desktop.cli.main` as `tagdesk --profile bench` runs it, offscreen, its bytecode compiled by a first untimed
start, as an installed app has it) several times and reports the wall time
from starting the process to the first paint of the customer table holding the saved
filter's rows (and the CPU time its process had used by then, steadier than wall time on a
busy machine); the process quits right after that paint. Rounds alternate, in the same run:
the cache as the last `prepare()` left it (the filters' relation -> customer map stored), the
same cache without the stored map (as before it was stored), the app reading every page of
the cache's journal (`--journal` rows, a million by default) before its window as it did
before that read moved after the first paint, a copy of the cache made before its journal
rows were added (a second profile, prepared alike: what the journal's rows cost the first
paint), and a baseline process that imports Qt and paints an empty table (what any Qt
window costs). Also the filter counted by plain SQL on a fresh connection. Prints numbers;
asserts nothing.

`--child` is the app process itself: `desktop.cli.main` with an event filter that prints the
time of that first paint and quits.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LAST_FILTER = "高意向 -已流失 added<2025-06-30"
PROFILE = "bench"
NO_JOURNAL = "bench-nojournal"     # the same cache without the journal's rows
TIMEOUT_S = 120.0
PAINTED = "first-paint"
CHECK_FIRST = "--check-journal-first"


def child(args: list[str]) -> int:
    """The app process: TagDesk's own entry point, quitting after the table's first paint."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QAbstractItemView, QApplication

    app = QApplication([sys.argv[0]])

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not getattr(self, "done", False):
                view = watched.parent()
                model = view.model() if isinstance(view, QAbstractItemView) else None
                result = getattr(model, "last_result", None)
                if (type(view).__name__ == "CustomerTableView" and result is not None
                        and model is not None and model.rowCount()):
                    self.done = True
                    line = (f"{PAINTED} {time.time()} {time.process_time()} {result.relations}"
                            f" {result.query.text}")
                    QTimer.singleShot(0, lambda: print(line, flush=True))
                    QTimer.singleShot(0, app.quit)
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    if CHECK_FIRST in args:     # the code before: every journal page read before the window
        from desktop.services import workspace

        opened = workspace.open_workspace

        def open_and_check(home: Path, name: str, **options: bool) -> workspace.Workspace:
            ws = opened(home, name, **options)
            ws.cache.check_journal()
            return ws

        workspace.open_workspace = open_and_check
        args = [arg for arg in args if arg != CHECK_FIRST]
    from desktop.cli import main

    return main(args)


def empty_table() -> int:
    """The baseline process: Qt imported, an empty table shown and painted once."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    table = QTableView()
    table.setModel(QStandardItemModel(40, 8))
    window.setCentralWidget(table)

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and watched is table.viewport():
                print(f"{PAINTED} {time.time()} {time.process_time()} 0 -", flush=True)
                QTimer.singleShot(0, app.quit)
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    window.resize(1200, 800)
    window.show()
    return app.exec()


def painted_after(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Seconds from starting `command` to the first paint it reports, the CPU seconds its
    process had used by then (every thread), and what it painted."""
    started = time.time()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT_S)
    for line in done.stdout.splitlines():
        if line.startswith(PAINTED):
            _, at, cpu, relations, text = line.split(" ", 4)
            return float(at) - started, float(cpu), f"{int(relations):,} relations of {text}"
    raise SystemExit(f"no first paint from {command}: exit {done.returncode}\n{done.stderr}")


def add_journal(cache: Any, rows: int) -> None:
    """`rows` hash-chained journal rows, a year of tag changes on the cache's relations."""
    from desktop.store import journal

    rng = random.Random(7)
    conn = cache.connection()
    relations = conn.execute("SELECT external_userid, userid FROM relation LIMIT 20000").fetchall()
    tags = conn.execute("SELECT t.id, t.name, g.name FROM tag t"
                        " JOIN tag_group g ON g.id = t.group_id").fetchall()
    start = time.time() - 365 * 86400

    def entries() -> Iterator[Any]:
        for i in range(rows):
            external_userid, userid = rng.choice(relations)
            tag_id, name, group = rng.choice(tags)
            yield journal.JournalEntry(
                operator=userid, action=rng.choice(("tag_add", "tag_remove")), source="app",
                batch_id="", external_userid=external_userid, userid=userid, tag_id=tag_id,
                tag_name=name, group_name=group, before="[]", after=f'["{tag_id}"]',
                ts=start + i * 365 * 86400 / rows)

    if rows:
        with cache.write() as tx:
            journal.append(tx, entries())


def prepare_home(home: Path, customers: int, seed: int, journal_rows: int,
                 ) -> tuple[Path, dict[str, str], dict[tuple[str, str], int]]:
    """A home with a synced profile of `customers` and `journal_rows`, and NO_JOURNAL, a copy
    of its cache made before the journal's rows were added; their secrets, their last filter."""
    from bench_filter import build

    from desktop.services import secrets
    from desktop.services.profiles import Profile, ProfileStore
    from desktop.store.db import Cache
    from desktop.store.filter_engine import FilterEngine
    from desktop.store.snapshot import LAST_SYNC_KEY
    from desktop.ui.settings import Settings

    env = {**os.environ, "TAGDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
           "XDG_DATA_HOME": str(home / "xdg"), "PYTHONPYCACHEPREFIX": str(home / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app has its bytecode compiled
    os.environ.update(env)
    store = ProfileStore(home)
    settings = Settings(home)
    for name in (PROFILE, NO_JOURNAL):
        store.add(Profile(name=name, corp_id="bench", api_base="http://127.0.0.1:9/",
                          userid="bench"))
        secrets.store_secret(name, "bench", "not-used")
        settings.set_last_filter(name, LAST_FILTER)
    path = store.cache_path(PROFILE)
    pks = build(path, customers, seed)
    with Cache(path) as cache, cache.write() as tx:
        cache.set_meta(tx, LAST_SYNC_KEY, str(time.time()))
    shutil.copyfile(path, store.cache_path(NO_JOURNAL))     # closed: no -wal file beside it
    for name, rows in ((PROFILE, journal_rows), (NO_JOURNAL, 0)):
        with Cache(store.cache_path(name)) as cache:
            add_journal(cache, rows)
            engine = FilterEngine(cache)
            engine.prepare()  # as the GUI's worker leaves it
            engine.sign_texts()  # and its task after a sync
    settings.last_profile = PROFILE
    settings.sync()
    return path, env, pks


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        return child(sys.argv[2:])
    if sys.argv[1:2] == ["--empty-table"]:
        return empty_table()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--journal", type=int, default=1_000_000, metavar="ROWS",
                        help="journal rows in the cache (every page read at each start)")
    parser.add_argument("--quick", action="store_true",
                        help="10,000 customers, 100,000 journal rows, 2 rounds")
    args = parser.parse_args()
    if args.quick:
        args.customers, args.journal, args.rounds = 10_000, 100_000, 2
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    from bench_filter import sql_for

    from desktop.store.db import Cache
    with tempfile.TemporaryDirectory() as folder:
        path, env, pks = prepare_home(Path(folder), args.customers, args.seed, args.journal)
        with Cache(path) as cache:
            stored = cache.connection().execute(
                "SELECT relation_set, parts FROM filter_relation_set").fetchone()

        def set_stored(keep: bool) -> None:
            with Cache(path) as cache, cache.write() as tx:
                tx.execute("DELETE FROM filter_relation_set")
                if keep:
                    tx.execute("INSERT INTO filter_relation_set (id, relation_set, parts)"
                               " VALUES (1, ?, ?)", stored)

        app = [sys.executable, str(Path(__file__).resolve()), "--child",
               "--profile", PROFILE, "--no-crash-dialog"]
        empty = [sys.executable, str(Path(__file__).resolve()), "--empty-table"]
        bare = [*app[:3], "--profile", NO_JOURNAL, *app[5:]]
        commands = {"stored": app, "none": app, "checked": [*app, CHECK_FIRST],
                    "no journal": bare, "empty": empty}
        times: dict[str, list[float]] = {kind: [] for kind in commands}
        cpus: dict[str, list[float]] = {kind: [] for kind in times}
        for command in (app, bare, empty):  # untimed: writes the bytecode, as installing does
            painted_after(command, env)
        loads: list[float] = []
        shown = ""
        for _ in range(args.rounds):
            for kind in times:
                loads.append(os.getloadavg()[0])
                if kind in ("stored", "none", "checked"):
                    set_stored(kind != "none")
                seconds, cpu, what = painted_after(commands[kind], env)
                times[kind].append(seconds)
                cpus[kind].append(cpu)
                shown = what if kind == "stored" else shown
        sql, params = sql_for("高意向 -已流失", pks)
        started = time.perf_counter()
        with Cache(path) as cache:
            cache.connection().execute(sql, params).fetchone()
        plain = time.perf_counter() - started
    print(f"load average {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores;"
          f" {args.rounds} rounds, each process started cold (the cache in the OS page cache);"
          f" {args.journal:,} journal rows")
    labels = {"stored": "the app, the filters' map stored by prepare()",
              "none": "the app, no stored map (as before it was stored)",
              "checked": "the app, journal read before the window (before)",
              "no journal": "the app on the same cache without journal rows",
              "empty": "baseline: a process painting an empty Qt table"}
    for kind, label in labels.items():
        runs = sorted(times[kind])
        print(f"{label:<52} first paint median {statistics.median(runs) * 1000:6.0f} ms,"
              f" min {runs[0] * 1000:6.0f}, max {runs[-1] * 1000:6.0f};"
              f" CPU by then median {statistics.median(cpus[kind]) * 1000:6.0f} ms")
    print(f"painted: {shown}; plain SQL count of 高意向 -已流失 on a fresh connection"
          f" {plain * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
