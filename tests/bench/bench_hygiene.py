"""Tag hygiene at scale: the health report and migration / adoption planning, numbers only.

Run: `.venv/bin/python tests/bench/bench_hygiene.py [--quick] [--customers N]`.

A sandbox corp of `--customers` customers (100,000; 10,000 with --quick) is generated and
synced over real HTTP into a real SQLite cache; then, against that cache (median of `--runs`):
- `health.gather` (the whole report: duplicates, zombies, conflicts with one exclusive set,
  names, groups, capacity);
- planning a rename (中意向 into a new name: no relation states needed), a merge (高意向客户
  into 高意向, one `mark_tag` per relation lacking it) and the adoption of the console-made
  地区 group (every relation carrying one of its ten tags).
Nothing is written to WeCom: planning only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.domain.hygiene import HygieneSettings
from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services import health
from desktop.services.adoption import AdoptionService
from desktop.services.exclusive_sets import ExclusiveSets
from desktop.services.migration import MigrationService
from desktop.services.profiles import Profile
from desktop.services.sync import run_sync
from desktop.services.workspace import Workspace

T = TypeVar("T")


def timed(action: Callable[[], T], runs: int) -> tuple[float, T]:
    """The median seconds of `runs` calls, and the last call's result."""
    times = []
    for _ in range(runs - 1):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    result = action()
    times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--customers", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    customers = args.customers or (10_000 if args.quick else 100_000)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        started = time.perf_counter()
        server = SandboxServer(SandboxConfig(data_dir=home / "sandbox", customers=customers,
                                             members=60, seed=11)).start()
        try:
            counts = server.state.counts()
            print(f"corp: {counts['customers']:,} customers, {counts['relations']:,} relations,"
                  f" {counts['tag_links']:,} tag links, {counts['tags']} tags"
                  f" (generated in {time.perf_counter() - started:.1f} s)", flush=True)
            profile = Profile(name="bench", corp_id=server.corp_id, api_base=server.api_base,
                              userid="bench")
            with Workspace(home / "home", profile, server.secret) as ws:
                started = time.perf_counter()
                run_sync(ws.client(), ws.cache)
                print(f"sync: {time.perf_counter() - started:.1f} s", flush=True)
                ExclusiveSets(ws).add("成交状态", ["已成交", "无效客户"])
                report(ws, args.runs)
        finally:
            server.stop()
    return 0


def report(ws: Workspace, runs: int) -> None:
    settings = HygieneSettings()
    seconds, found = timed(lambda: health.gather(ws.cache, settings), runs)
    summary = found.as_json()
    print(f"health report: {seconds:.2f} s ({_count(summary, 'duplicates')} duplicates,"
          f" {_count(summary, 'zombies')} zombies, {_count(summary, 'conflicts')} conflicts)",
          flush=True)
    migration = MigrationService(ws)
    for label, sources, target in (
        ("rename  中意向 → 中等意向", ["中意向"], "中等意向"),
        ("merge   高意向客户 → 高意向", ["高意向客户"], "意向程度:高意向"),
    ):
        seconds, plan = timed(partial(migration.plan, sources, target, delete_source=True),
                              runs)
        print(f"plan {label}: {seconds * 1000:.0f} ms ({plan.relations:,} relations,"
              f" {plan.api_calls:,} calls)", flush=True)
    adoption = AdoptionService(ws)
    seconds, adopted = timed(lambda: adoption.plan("地区"), runs)
    print(f"plan adopt   地区: {seconds * 1000:.0f} ms ({adopted.relations:,} relations,"
          f" {adopted.api_calls:,} calls)", flush=True)


def _count(summary: dict[str, object], key: str) -> int:
    found = summary.get(key)
    return len(found) if isinstance(found, list) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
