"""Tag tree cost with 2,000 tags and ~1,000,000 tag links (100,000 customers).

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_tag_tree.py [--quick]`.
Builds a cache with plain SQL (80 groups of 25 tags, a third of them path names up to five
levels, Zipf usage, seeded), opens the real model and view offscreen and prints:
the worker's read (tags with counts: one GROUP BY over relation_tag), the search index and
the domain tree; the GUI thread's share (model reset, a same-shape reload that only emits
dataChanged); `data()` over every row and role; full expansion with one repaint; and
type-ahead latency in the view (search + hide/show rows + repaint) per query kind, and `*`
(every tag matches) against the count column's refit per highlighted row it replaced.
"stall" is the longest the event loop went without running a 5 ms timer. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from itertools import accumulate
from pathlib import Path
from statistics import median

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop.domain.tag_search import TagSearchIndex
from desktop.services.changes import ChangeSet
from desktop.services.profiles import Profile, ProfileStore
from desktop.services.tag_admin import TagAdminService
from desktop.services.workspace import Workspace
from desktop.store.db import Cache
from desktop.ui.context import AppContext
from desktop.ui.tag_tree_view import SEARCH_LIMIT, TagTreeView

WORD_LIST = ("高意向 低意向 已成交 待回访 已报价 流失 复购 老客户 重点客户 大客户 渠道 线上 展会 直播 教育 "
             "培训 医疗 金融 银行 保险 地产 汽车 零售 华东 华南 北京 上海 深圳 成都 预算 决策人 采购 会员 "
             "试用 续费 投诉 小学 初中 高中 K12 职业 连锁")
WORDS = WORD_LIST.split()
QUERIES = {
    "initials": ["gyx", "zdkh", "dkh", "yx"],
    "pinyin": ["gaoyi", "jiaoyu", "huadong", "xufei"],
    "chinese": ["高", "意向", "教育", "金融/"],
    "abbreviation": ["V3", "A12", "K7"],
    "no match": ["qqqqq", "xyzw"],
}
ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole,
         Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole,
         Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole)


def build(path: Path, customers: int, seed: int) -> tuple[int, int]:
    """Fill a cache; returns (tags, links)."""
    rng = random.Random(seed)
    tags: list[tuple[int, str, str, str, int]] = []
    groups = [(f"g{g:03d}", f"{rng.choice(WORDS)}组{g:03d}", 10_000 - g) for g in range(80)]
    for gid, _, _ in groups:
        names: list[str] = []
        while len(names) < 25:
            name = rng.choice(WORDS) + rng.choice(("", "客户", "阶段", str(rng.randrange(99))))
            if rng.random() < 0.35 and names:
                name = f"{rng.choice(names)}/{name}"
            if name not in names and name.count("/") < 4:
                names.append(name)
        base = len(tags)
        tags += [(base + i + 1, f"t{base + i + 1:05d}", gid, name, 1000 - i)
                 for i, name in enumerate(names)]
    weights = list(accumulate(1 / rank ** 0.9 for rank in range(1, len(tags) + 1)))
    order = list(range(1, len(tags) + 1))
    rng.shuffle(order)
    links: list[tuple[int, int]] = []
    relations: list[tuple[int, str, str]] = []
    for c in range(customers):
        for owner in rng.sample(range(200), rng.choices([1, 2], [85, 15])[0]):
            rid = len(relations) + 1
            relations.append((rid, f"wm{c:07d}", f"u{owner:04d}"))
            picked = {order[i - 1] for i in rng.choices(range(1, len(tags) + 1),
                                                        cum_weights=weights, k=8)}
            links.extend((rid, pk) for pk in sorted(picked))
    with Cache(path) as cache, cache.write() as tx:
        tx.executemany("INSERT INTO tag_group(id, name, sort_order) VALUES (?, ?, ?)", groups)
        tx.executemany("INSERT INTO tag(pk, id, group_id, name, sort_order)"
                       " VALUES (?, ?, ?, ?, ?)", tags)
        tx.executemany("INSERT INTO tag_meta(tag_id, abbreviation) VALUES (?, ?)",
                       [(f"t{pk:05d}", f"{chr(65 + pk % 26)}{pk % 97}") for pk in range(1, 400)])
        tx.executemany("INSERT INTO customer(external_userid, name) VALUES (?, '')",
                       [(f"wm{c:07d}",) for c in range(customers)])
        tx.executemany("INSERT INTO relation(id, external_userid, userid) VALUES (?, ?, ?)",
                       relations)
        tx.executemany("INSERT INTO relation_tag(relation_id, tag_pk) VALUES (?, ?)", links)
    return len(tags), len(links)


class StallMeter:
    """Ticks a 5 ms timer; the longest gap between ticks is the GUI's longest freeze."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = self.worst = 0.0

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


def timed(call: Callable[[], object]) -> float:
    began = time.perf_counter()
    call()
    return (time.perf_counter() - began) * 1000


def report(label: str, values: list[float]) -> None:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"  {label:<46} p50 {median(values):8.2f} ms   p95 {p95:8.2f} ms"
          f"   max {max(values):8.2f} ms   (n={len(values)})")


def reload_and_wait(view: TagTreeView) -> tuple[float, float]:
    """(wall ms until the reload is applied, worst GUI stall ms)."""
    loop = QEventLoop()
    view.model.loaded.connect(loop.quit)
    with StallMeter() as meter:
        began = time.perf_counter()
        view.model.reload()
        loop.exec()
        wall = time.perf_counter() - began
    view.model.loaded.disconnect(loop.quit)
    return wall * 1000, meter.worst * 1000


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
        tag_count, link_count = build(ProfileStore(home).cache_path(profile.name), customers,
                                      args.seed)
        print(f"cache: {customers:,} customers, {tag_count:,} tags, {link_count:,} links"
              f" (built in {time.perf_counter() - started:.1f} s)")
        workspace = Workspace(home, profile, "not-used")
        context = AppContext(workspace)
        try:
            run(app, context, runs)
        finally:
            context.cancel_all()
            context.wait_idle()
            workspace.close()


def run(app: QApplication, context: AppContext, runs: int) -> None:
    service = TagAdminService(context.workspace)
    print("worker thread (off the GUI thread):")
    library = service.library()
    report("library() with counts (GROUP BY)", [timed(service.library) for _ in range(runs)])
    report("library(counts=False)",
           [timed(lambda: service.library(counts=False)) for _ in range(runs)])
    report("TagSearchIndex build", [timed(lambda: TagSearchIndex(library.tags))
                                    for _ in range(runs)])
    report("domain tree build", [timed(library.tree) for _ in range(runs)])

    print("GUI thread:")
    view = TagTreeView(context)
    view.resize(420, 900)
    view.show()
    first = reload_and_wait(view)
    print(f"  first load: {first[0]:.0f} ms until shown, worst stall {first[1]:.1f} ms")
    loads = [reload_and_wait(view) for _ in range(runs)]
    report("reload, same shape (layoutChanged): wall", [wall for wall, _ in loads])
    report("reload, same shape: worst stall", [stall for _, stall in loads])
    model = view.model
    resets = []
    for _ in range(runs):
        model._loaded = replace(model._loaded, shape=[])  # force the reset path: a new shape
        resets.append(reload_and_wait(view)[1])
    report("reload with model reset: worst stall", resets)
    nodes = list(model.tree.walk())
    indexes = [model.index_for_key(node.key, column) for node in nodes for column in (0, 1)]
    report(f"data() over {len(nodes):,} rows x 2 columns x {len(ROLES)} roles",
           [timed(lambda: [model.data(ix, role) for ix in indexes for role in ROLES])
            for _ in range(runs)])

    def expand_all() -> None:
        view.tree.collapseAll()
        view.tree.expandAll()
        view.tree.viewport().repaint()
        app.processEvents()

    report("expandAll + repaint (all levels)", [timed(expand_all) for _ in range(runs)])
    bar = view.tree.verticalScrollBar()
    positions = [random.Random(1).randrange(bar.maximum() + 1) for _ in range(runs * 5)]

    def type_query(query: str) -> None:
        view.search.setText(query)
        view.tree.viewport().repaint()
        app.processEvents()

    def clear_search() -> None:
        view.search.clear()
        view.tree.viewport().repaint()
        app.processEvents()

    def scroll(value: int) -> None:
        bar.setValue(value)
        view.tree.viewport().repaint()
        app.processEvents()

    report("scroll jump + repaint (expanded)", [timed(partial(scroll, v)) for v in positions])

    view.tree.collapseAll()  # back to how the pane opens: sections unfolded, groups folded
    for row in range(model.rowCount()):
        view.tree.expand(model.index(row, 0))
    print("type-ahead in the view (search, hide rows, expand, repaint), groups folded:")
    for kind, queries in QUERIES.items():
        costs = []
        for query in queries:
            for _ in range(max(1, runs // 2)):
                view.search.clear()
                costs.append(timed(partial(type_query, query)))
        report(kind, costs)
    every_tag(view, runs, type_query)
    clears = []
    for _ in range(runs):
        view.search.setText("gyx")
        app.processEvents()
        clears.append(timed(clear_search))
    report("clear the search (folds back what it unfolded)", clears)
    context.publish(ChangeSet(prefs_changed=True))  # one more reload through the broadcast
    reload_and_wait(view)


def every_tag(view: TagTreeView, runs: int, type_query: Callable[[str], None]) -> None:
    """`*` matches every tag (the search's first 60 highlighted, their groups unfolded), with
    the code before as the same run's baseline: the count column measured again, a walk of
    every tag, on each highlighted row's dataChanged. Alternating, groups folded each time."""
    def refit(*_: object) -> None:
        view._fit_count_column()

    costs: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(runs):
        for before in (True, False):
            if before:
                view.model.dataChanged.connect(refit)
            view.search.clear()
            costs[before].append(timed(partial(type_query, "*")))
            if before:
                view.model.dataChanged.disconnect(refit)
    print(f"`*` ({len(view.model.search_index.search('*', SEARCH_LIMIT))} tags highlighted):")
    report("count column fitted once per load", costs[False])
    report("before: fitted again per highlighted row", costs[True])
    print(f"  ratio of medians: {median(costs[True]) / median(costs[False]):.1f}x")


if __name__ == "__main__":
    main()
