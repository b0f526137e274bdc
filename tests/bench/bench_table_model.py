"""Customer table cost at 100,000 customers (~120,000 relations, ~1,000,000 tag links).

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_table_model.py [--quick]`.
Builds the cache with the filter benchmark's builder, opens the real model and view
offscreen, and prints: the query (worker time and the GUI thread's reset), `data()`
per visible page (cold = a page fetch, warm = cached), scrolling (sequential and
random jumps, one repaint each), sort and filter changes, Ctrl+A, a write's
`dataChanged`, a toggle on 9 of 10 rows against the code before (same run), and the tag
chips' paint with their places kept against placed on every paint. "stall" is the longest the GUI event loop went without running a 5 ms
timer while the operation ran: the frozen moment a user would feel.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from statistics import median

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from bench_filter import build  # noqa: E402
from PySide6.QtCore import QEventLoop, QRect, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem  # noqa: E402

from desktop.domain.type_ahead import TypeAheadIndex  # noqa: E402
from desktop.services.changes import ChangeSet  # noqa: E402
from desktop.services.profiles import Profile, ProfileStore  # noqa: E402
from desktop.services.workspace import Workspace  # noqa: E402
from desktop.store.relations import relation_names  # noqa: E402
from desktop.ui.context import AppContext  # noqa: E402
from desktop.ui.customer_table_model import (  # noqa: E402
    PAGE_SIZE,
    Chip,
    Column,
    CustomerTableModel,
    row_ranges,
)
from desktop.ui.customer_table_view import CustomerTableView  # noqa: E402
from desktop.ui.tag_chips_delegate import (  # noqa: E402
    PlacedChip,
    TagChipsDelegate,
    place_chips,
)

ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole,
         Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole,
         Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.TextAlignmentRole,
         Qt.ItemDataRole.ToolTipRole)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class StallMeter:
    """Ticks a 5 ms timer; the longest gap between ticks is the GUI's longest freeze."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.worst = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def __enter__(self) -> StallMeter:
        self.last, self.worst = time.perf_counter(), 0.0
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._tick()
        self.timer.stop()


def wait_query(model: CustomerTableModel, start: Callable[[], None]) -> tuple[float, float]:
    """(wall ms until the rows are in, worst GUI stall ms) for one query."""
    loop = QEventLoop()
    model.queryFinished.connect(loop.quit)
    with StallMeter() as meter:
        began = time.perf_counter()
        start()
        loop.exec()
        wall = time.perf_counter() - began
    model.queryFinished.disconnect(loop.quit)
    return wall * 1000, meter.worst * 1000


def page_cost(model: CustomerTableModel, first: int, rows: int) -> float:
    began = time.perf_counter()
    for row in range(first, min(first + rows, model.rowCount())):
        for column in Column:
            index = model.index(row, column)
            for role in ROLES:
                model.data(index, role)
    return (time.perf_counter() - began) * 1000


def scroll_costs(app: QApplication, view: CustomerTableView, positions: list[int]) -> list[float]:
    bar = view.verticalScrollBar()
    costs = []
    for value in positions:
        began = time.perf_counter()
        bar.setValue(value)
        view.viewport().repaint()
        app.processEvents()
        costs.append((time.perf_counter() - began) * 1000)
    return costs


def report(label: str, values: list[float]) -> None:
    print(f"  {label:<44} p50 {median(values):7.2f} ms   p95 {pct(values, .95):7.2f} ms"
          f"   max {max(values):7.2f} ms   (n={len(values)})")


def type_ahead(view: CustomerTableView, runs: int) -> None:
    """Index the names (the worker's part, timed here on this thread), then keystrokes."""
    context, model = view.type_ahead.context, view.type_ahead.model
    began = time.perf_counter()
    index = TypeAheadIndex(relation_names(context.cache))
    print(f"\ntype-ahead: {len(index):,} spellings of {model.rowCount():,} rows indexed in"
          f" {time.perf_counter() - began:.2f} s (on a worker)")
    rng = random.Random(7)
    for typed in ("l", "z", "zh", "zs", "wang", "wangf", "x", "qqq"):
        costs = []
        for _ in range(runs * 3):
            start = rng.randrange(model.rowCount())
            began = time.perf_counter()
            index.next_row(typed, model.shown_ids, start)
            costs.append((time.perf_counter() - began) * 1000)
        report(f"keystroke {typed!r}", costs)


class RunByRun(CustomerTableModel):
    """The code before, as the same run's baseline: a dataChanged per run of adjacent rows,
    and the cached pages dropped one relation at a time."""

    def _forget(self, ids: Collection[int]) -> None:
        for rid in ids:
            row = self._row_of.get(rid)
            if row is not None:
                self._pages.pop(row // PAGE_SIZE, None)

    def _emit_rows_changed(self, ids: Iterable[int]) -> None:
        rows = sorted(row for rid in ids if (row := self._row_of.get(rid)) is not None)
        for first, last in row_ranges(rows):
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(Column) - 1))


def big_toggle(app: QApplication, context: AppContext,
               shown: tuple[CustomerTableModel, CustomerTableView], runs: int,
               seed: int) -> None:
    """A toggle on 9 of every 10 rows (Ctrl+A on a filter, T, a tag its rows mostly lack; the
    walk's 57,582 of 63,107): the GUI thread's time for its rows to go pending (with the
    repaint), and for the batch's end (done, pages read again, repaint), against the code
    before in its own view, alternating. The model's slots are called as the signals would."""
    baseline = RunByRun(context)
    old_view = CustomerTableView(baseline)
    old_view.resize(shown[1].size())
    old_view.show()
    wait_query(baseline, baseline.refresh)
    rng = random.Random(seed)
    ids = frozenset(rng.sample(list(shown[0].shown_ids), shown[0].rowCount() * 9 // 10))
    costs: dict[str, list[float]] = {}
    for _ in range(runs):
        for label, (model, view) in (("before", (baseline, old_view)), ("now", shown)):
            for step, act in (("start", lambda m=model: m._on_write_started(ids)),
                              ("end", lambda m=model: m._on_changed(ChangeSet(relation_ids=ids)))):
                app.processEvents()
                began = time.perf_counter()
                act()
                view.viewport().repaint()
                app.processEvents()
                costs.setdefault(f"{label} {step}", []).append((time.perf_counter() - began) * 1000)
    print(f"\na toggle on {len(ids):,} of {shown[0].rowCount():,} rows (GUI thread, with the repaint):")
    for step in ("start", "end"):
        report(f"rows pending ({step})" if step == "start" else "batch done (end)",
               costs[f"now {step}"])
        report("  before: a dataChanged per run of rows", costs[f"before {step}"])
    old_view.close()


class PlacedEveryPaint(TagChipsDelegate):
    """The baseline: every paint measures its row's tag names again (the code before, which
    also turned each chip's colour into a brush on every paint)."""

    def layout(self, tags: tuple[Chip, ...], room: int, font: QFont) -> tuple[PlacedChip, ...]:
        return place_chips(tags, room, QFontMetrics(font))


def chip_paints(view: CustomerTableView, runs: int) -> None:
    """The tags column's chips painted for 40 rows into an image: this thread's CPU per row
    (steadier than wall time on a busy machine), the chips' places kept per tag set against
    placed again on every paint, alternating."""
    model = view.model()
    image = QImage(800, 40, QImage.Format.Format_ARGB32)
    indexes = [model.index(row, Column.TAGS) for row in range(40)]
    option = QStyleOptionViewItem()
    option.rect, option.font, option.widget = QRect(0, 0, 430, 32), view.font(), view
    option.palette = view.palette()
    delegates = {"kept": TagChipsDelegate(view), "before": PlacedEveryPaint(view)}
    costs: dict[str, list[float]] = {name: [] for name in delegates}
    for _ in range(runs * 10):
        for name, delegate in delegates.items():
            painter = QPainter(image)
            began = time.thread_time()
            for index in indexes:
                delegate.paint(painter, option, index)
            costs[name].append((time.thread_time() - began) * 1000 / len(indexes))
            painter.end()
    print("\ntag chips painted (CPU per row):")
    report("places kept per tag set, width and font", costs["kept"])
    report("  before: placed again on every paint", costs["before"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true", help="10,000 customers, fewer runs")
    args = parser.parse_args()
    customers = 10_000 if args.quick else args.customers
    runs = 3 if args.quick else 7
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        profile = Profile(name="bench", corp_id="bench", api_base="http://127.0.0.1:9/",
                          userid="bench")
        started = time.perf_counter()
        build(ProfileStore(home).cache_path(profile.name), customers, args.seed)
        print(f"built in {time.perf_counter() - started:.1f} s")
        workspace = Workspace(home, profile, "not-used")
        context = AppContext(workspace)
        model = CustomerTableModel(context)
        view = CustomerTableView(model)
        view.resize(1200, 800)
        view.show()
        gc.freeze()                 # as run_gui does once the window is up
        visible = view.viewport().height() // view.verticalHeader().defaultSectionSize() + 1
        try:
            wall, stall = wait_query(model, model.refresh)
            assert model.last_result is not None
            print(f"\nfirst query: {model.rowCount():,} rows in {wall:.0f} ms"
                  f" (worker {model.last_result.elapsed_s * 1000:.0f} ms),"
                  f" worst GUI stall {stall:.1f} ms")
            print(f"\ndata() for one visible page ({visible} rows x {len(Column)} columns x"
                  f" {len(ROLES)} roles):")
            rng = random.Random(args.seed)
            cold, warm = [], []
            for _ in range(runs * 4):
                first = rng.randrange(0, model.rowCount() - visible)
                model.clear_page_cache()
                cold.append(page_cost(model, first, visible))
                warm.append(page_cost(model, first, visible))
            report("cold (page fetched from SQLite)", cold)
            report("warm (page cached)", warm)
            print("\nscrolling (scroll bar moved, viewport repainted):")
            step = view.verticalScrollBar().pageStep()
            report("page down through 300 pages",
                   scroll_costs(app, view, [i * step for i in range(1, 301)]))
            top = view.verticalScrollBar().maximum()
            report("random jumps (cold pages)",
                   scroll_costs(app, view, [rng.randrange(0, top) for _ in range(100)]))
            print("\nchanging the query (worker evaluates and orders, GUI swaps the id list):")
            for label, action in (
                ("sort by customer name", lambda: model.sort(Column.CUSTOMER,
                                                             Qt.SortOrder.AscendingOrder)),
                ("sort by owner, descending", lambda: model.sort(Column.OWNER,
                                                                 Qt.SortOrder.DescendingOrder)),
                ("sort by added date", lambda: model.sort(Column.ADDED,
                                                          Qt.SortOrder.DescendingOrder)),
                ("filter 高意向 客户等级:VIP", lambda: model.set_filter("高意向 客户等级:VIP")),
                ("filter 高意向 -已流失 (sorted by date)", lambda: model.set_filter("高意向 -已流失")),
                ("filter text:北京", lambda: model.set_filter("text:北京")),
                ("filter cleared (all rows)", lambda: model.set_filter("")),
            ):
                walls, stalls = [], []
                for _ in range(runs):
                    if label.startswith("sort"):        # so that every run really re-sorts
                        model.set_sort("remark", False, run=False)
                    wall, stall = wait_query(model, action)
                    walls.append(wall)
                    stalls.append(stall)
                print(f"  {label:<44} rows {model.rowCount():>7,}   wall p50 {median(walls):6.0f}"
                      f" ms   worst GUI stall {max(stalls):6.1f} ms")
            selection_times = []
            for _ in range(runs):
                view.clearSelection()
                app.processEvents()
                began = time.perf_counter()
                view.selectAll()
                app.processEvents()         # Qt handles the selection change here
                ids = view.selected_relation_ids()
                selection_times.append((time.perf_counter() - began) * 1000)
            print(f"\nCtrl+A and read {len(ids):,} selected ids: p50 {median(selection_times):.1f}"
                  f" ms, max {max(selection_times):.1f} ms")
            written = frozenset(model.relation_id(r) for r in range(0, 5000, 100))
            began = time.perf_counter()
            context.write_started.emit(written)
            context.changed.emit(ChangeSet(relation_ids=written))
            app.processEvents()
            print(f"a write on {len(written)} rows (pending, then done; dataChanged, no reset):"
                  f" {(time.perf_counter() - began) * 1000:.1f} ms")
            big_toggle(app, context, (model, view), runs, args.seed)
            chip_paints(view, runs)
            type_ahead(view, runs)
        finally:
            context.cancel_all()
            context.wait_idle()
            workspace.close()


if __name__ == "__main__":
    main()
