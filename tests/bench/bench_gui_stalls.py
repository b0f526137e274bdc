"""GUI event-loop stalls during a 100,000-customer sync plus tagging, in the real main window.

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_gui_stalls.py [--quick]`.

A sandbox with 100,000 customers runs in its own process (as WeCom would be elsewhere). The
real main window opens offscreen on an empty cache, so its first sync starts at once, then:

1. first sync: from the window's show until the sync, the table's reload and the tag tree
   are done;
2. tagging during a re-sync: while a second sync runs (its replace transaction holds the
   cache's write lock for seconds), a toggle on 50 rows every 250 ms, and Ctrl+Z twice in
   the middle of running batches;
3. tagging alone: toggles on 200 selected rows and undoing them.

A 5 ms QTimer heartbeat runs on the GUI thread throughout; a gap between two beats is a
moment the window could not repaint or take a key. Prints the longest gap of each phase,
the 99th percentile and how many gaps exceeded 50 / 100 / 250 ms, and (on Linux) how much
CPU the GUI thread itself used during the longest gap: far less than the gap means it was
waiting (for the GIL held by busy worker threads), not working. Asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from bench_sync import sandbox  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.services.profiles import Profile  # noqa: E402
from desktop.services.workspace import Workspace  # noqa: E402
from desktop.ui.i18n import CHINESE, Translations  # noqa: E402
from desktop.ui.session import GuiSession  # noqa: E402
from desktop.ui.settings import Settings  # noqa: E402
from desktop.ui.tasks import pending_tasks  # noqa: E402
from desktop.wecom.client import WeComClient  # noqa: E402

BEAT_MS = 5
PHASE_TIMEOUT_S = 900.0


def thread_cpu_s(native_id: int) -> float:
    """CPU seconds (user + system) of one thread of this process; 0 where /proc is missing."""
    try:
        with open(f"/proc/self/task/{native_id}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Heartbeat:
    """A 5 ms timer on the GUI thread; records every gap between beats and, for the
    longest, the GUI thread's own CPU time during it."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(BEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.thread = threading.get_native_id()
        self.last = time.perf_counter()
        self.last_cpu = thread_cpu_s(self.thread)
        self.gaps: list[float] = []
        self.worst_cpu_ms = 0.0

    def _beat(self) -> None:
        now, cpu = time.perf_counter(), thread_cpu_s(self.thread)
        gap = (now - self.last) * 1000
        if not self.gaps or gap > max(self.gaps):
            self.worst_cpu_ms = (cpu - self.last_cpu) * 1000
        self.gaps.append(gap)
        self.last, self.last_cpu = now, cpu

    def start(self) -> None:
        self.last, self.last_cpu, self.gaps = time.perf_counter(), thread_cpu_s(self.thread), []
        self.timer.start()

    def stop(self) -> list[float]:
        self._beat()
        self.timer.stop()
        return self.gaps


def run_until(done: Callable[[], bool], timeout_s: float = PHASE_TIMEOUT_S,
              every: Callable[[], None] | None = None, every_ms: int = 0) -> float:
    """Spin the event loop until `done()`; returns the wall time in seconds."""
    loop = QEventLoop()
    started = time.perf_counter()
    poll = QTimer()
    poll.setInterval(20)
    def quit_when_done() -> None:
        if done() or time.perf_counter() - started > timeout_s:
            loop.quit()

    poll.timeout.connect(quit_when_done)
    poll.start()
    action = QTimer()
    if every is not None:
        action.setInterval(every_ms)
        action.timeout.connect(every)
        action.start()
    loop.exec()
    poll.stop()
    action.stop()
    if not done():
        raise SystemExit(f"timed out after {timeout_s:.0f} s")
    return time.perf_counter() - started


def report(label: str, wall_s: float, beat: Heartbeat) -> None:
    ordered = sorted(beat.stop())
    gaps = ordered
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    over = {limit: sum(gap > limit for gap in gaps) for limit in (50, 100, 250)}
    print(f"{label:<34} {wall_s:7.1f} s  longest stall {ordered[-1]:6.0f} ms"
          f"  p99 {p99:5.1f} ms  >50 ms: {over[50]:3d}  >100 ms: {over[100]:3d}"
          f"  >250 ms: {over[250]:3d}  (GUI thread busy {beat.worst_cpu_ms:.0f} ms of the"
          f" longest)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10,000 customers")
    parser.add_argument("--latency-ms", type=int, default=100,
                        help="sandbox latency per call (WeCom's round trips are 100-300 ms)")
    args = parser.parse_args()
    customers = 10_000 if args.quick else args.customers
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        with sandbox(root / "sandbox", customers, args.latency_ms) as server:
            print(f"sandbox with {customers:,} customers, {args.latency_ms} ms per call, up in"
                  f" {time.perf_counter() - started:.1f} s; load average"
                  f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
            with WeComClient(server.api_base, server.corp_id, server.secret) as client:
                userid = client.get_follow_user_list()[0]
            profile = Profile(name="bench", corp_id=server.corp_id, api_base=server.api_base,
                              agent_id=server.agent_id, userid=userid,
                              calls_per_minute=100_000, max_concurrency=5)
            home = root / "home"
            translations = Translations()
            translations.install(CHINESE)
            session = GuiSession(Workspace(home, profile, server.secret), Settings(home),
                                 translations)
            try:
                measure(app, session)
            finally:
                session.close()
                translations.uninstall()
    return 0


def measure(app: QApplication, session: GuiSession) -> None:
    window, context, sync = session.window, session.context, session.sync
    beat = Heartbeat()

    def settled() -> bool:
        return (not sync.running and not pending_tasks()
                and window.model.last_result is not None)

    beat.start()
    session.show()
    wall = run_until(settled)
    gc.freeze()                 # as run_gui does once the window is up
    report("1. first sync (window open)", wall, beat)
    relations = window.model.rowCount()
    print(f"   {relations:,} relations in the table", flush=True)

    tags = [str(row["id"]) for row in context.cache.query(
        "SELECT id FROM tag WHERE deleted = 0 ORDER BY id LIMIT 4")]
    ids = window.model.relation_ids(range(min(relations, 2_000)))
    toggles = [0]

    def toggle() -> None:
        if toggles[0] >= 12:
            return
        n = toggles[0]
        toggles[0] += 1
        context.toggle_tag(ids[n * 50:(n + 1) * 50], tags[n % len(tags)], lambda: f"bench {n}")
        if n in (5, 9):
            context.undo_stack.undo()       # Ctrl+Z while batches run

    beat.start()
    sync.start()
    wall = run_until(lambda: toggles[0] >= 12 and settled(), every=toggle, every_ms=250)
    report("2. tagging during a re-sync", wall, beat)

    beat.start()
    block = ids[:200]
    context.toggle_tag(block, tags[0], lambda: "bench block")
    context.toggle_tag(block, tags[1], lambda: "bench block 2")
    context.undo_stack.undo()
    context.undo_stack.undo()
    wall = run_until(settled)
    report("3. tagging 200 rows, undo twice", wall, beat)
    batches = context.cache.scalar("SELECT count(*) FROM batch")
    print(f"   {batches} batches written", flush=True)


if __name__ == "__main__":
    sys.exit(main())
