"""Sync benchmark: 100,000 customers from a local sandbox at 0 ms and 20 ms per call.

Reports the split between waiting on the API (fetch) and local work (write),
concurrent chains against one-page-at-a-time (the baseline, same run), cache
open time and peak memory. Prints numbers; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from desktop.services.sync import run_sync
from desktop.store.db import Cache
from desktop.wecom.client import WeComClient
from desktop.wecom.ratelimit import RateLimits


@contextmanager
def sandbox(data: Path, customers: int, latency_ms: int) -> Iterator[SimpleNamespace]:
    """`tagdesk sandbox serve` in its own process, so its CPU is not ours."""
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", "sandbox", "serve", "--data", str(data),
         "--customers", str(customers), "--members", str(max(40, customers // 500)),
         "--seed", "7", "--latency-ms", str(latency_ms)],
        stdout=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    info = json.loads(process.stdout.readline())
    try:
        yield SimpleNamespace(**info)
    finally:
        process.terminate()
        process.wait(timeout=30)


def sync_once(server: SimpleNamespace, cache_path: Path, chains: int) -> dict[str, float]:
    limits = RateLimits(calls_per_minute=100_000, max_concurrency=max(chains, 1))
    with Cache(cache_path) as cache, WeComClient(
        server.api_base, server.corp_id, server.secret, limits=limits
    ) as client:
        result = run_sync(client, cache, chains=chains)
    return {"elapsed": result.elapsed_s, "fetch": result.fetch_s, "write": result.write_s,
            "calls": result.api_calls, "relations": result.relations, "links": result.tag_links}


def report(label: str, r: dict[str, float]) -> None:
    share = r["write"] / r["elapsed"] * 100
    print(f"{label:<32} {r['elapsed']:7.2f} s  fetch {r['fetch']:6.2f} s  write {r['write']:5.2f} s"
          f" (local {share:4.1f}%)  {int(r['calls'])} calls  {int(r['relations'])} relations"
          f"  {int(r['links'])} links", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10,000 customers")
    args = parser.parse_args()
    customers = 10_000 if args.quick else args.customers
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        with sandbox(root / "sandbox", customers, 0) as server:
            print(f"sandbox start incl. generating {customers} customers:"
                  f" {time.perf_counter() - started:.1f} s")
            report("0 ms, 5 chains, empty cache", sync_once(server, root / "c.sqlite", 5))
            report("0 ms, 5 chains, nothing changed", sync_once(server, root / "c.sqlite", 5))
            report("0 ms, 1 chain, empty cache", sync_once(server, root / "one.sqlite", 1))
        with sandbox(root / "sandbox", customers, 20) as server:
            baseline = sync_once(server, root / "serial.sqlite", 1)
            report("20 ms, 1 chain (baseline)", baseline)
            concurrent = sync_once(server, root / "concurrent.sqlite", 5)
            report("20 ms, 5 chains", concurrent)
            print(f"speed-up of 5 chains over 1 at 20 ms:"
                  f" {baseline['elapsed'] / concurrent['elapsed']:.2f}x")
        # WeCom's real round trips are 100-300 ms: there the chains matter most. A smaller
        # corp keeps the one-chain baseline short.
        small = max(2_000, customers // 5)
        with sandbox(root / "small", small, 100) as server:
            baseline = sync_once(server, root / "small-serial.sqlite", 1)
            report(f"100 ms, {small} customers, 1 chain", baseline)
            concurrent = sync_once(server, root / "small-concurrent.sqlite", 5)
            report(f"100 ms, {small} customers, 5 chains", concurrent)
            print(f"speed-up of 5 chains over 1 at 100 ms:"
                  f" {baseline['elapsed'] / concurrent['elapsed']:.2f}x")
        started = time.perf_counter()
        with Cache(root / "c.sqlite") as cache:
            cache.scalar("SELECT count(*) FROM relation")
        print(f"cache open + first query: {(time.perf_counter() - started) * 1000:.1f} ms")
        print(f"cache file size: {(root / 'c.sqlite').stat().st_size / 1e6:.1f} MB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the syncing process: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
