"""Sync benchmark: 100,000 customers from a local sandbox at 0 ms and 20 ms per call.

Reports the split between waiting on the API (fetch) and local work (write),
each sync's process CPU and that of its syncing thread (which stages or writes
the pages) next to the bare read's, each sync against a bare read of the same
pages with the same chains (parsed and dropped: the floor a sync could reach),
concurrent chains against
one-page-at-a-time (the baseline, same run), cache open time and each sync's
peak memory (every sync runs in a process of its own). Where the syncing thread's time goes:
its CPU, its wait for a core (Linux's run queue, /proc/thread-self/schedstat) and the rest
(waiting for the GIL, for pages and for WeCom). `--compare DIR` runs the code of another
checkout at DIR alongside, alternating, so old and new are measured under the same load,
each against a bare read by its own WeCom client.
Prints numbers; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
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


def sync_once(server: SimpleNamespace, cache_path: Path, chains: int,
              code: Path | None = None) -> dict[str, float]:
    """One sync in a fresh process (its peak memory is the sync's own), of this checkout's
    code or of the checkout at `code`."""
    return _in_a_process("--one-sync", {**vars(server), "cache": str(cache_path),
                                        "chains": chains}, code)


def bare_read_of(server: SimpleNamespace, chains: int, code: Path | None) -> float:
    """`bare_read` in a process of its own, as each sync runs, with the WeCom client of this
    checkout or of the checkout at `code` (its CPU in `BARE_CPU` too)."""
    read = _in_a_process("--one-bare", {**vars(server), "chains": chains}, code)
    BARE_CPU.append(read["cpu"])
    return read["elapsed"]


def _in_a_process(flag: str, job: dict[str, object], code: Path | None) -> dict[str, float]:
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, __file__, flag], env=env, input=json.dumps(job),
                          stdout=subprocess.PIPE, text=True, check=True)
    return dict(json.loads(done.stdout.splitlines()[-1]))


def _sync(job: dict[str, str]) -> dict[str, float]:
    """A sync as the app and the command run it: Python's cyclic collector paused."""
    gc.disable()
    chains = int(job["chains"])
    limits = RateLimits(calls_per_minute=100_000, max_concurrency=max(chains, 1))
    with Cache(Path(job["cache"])) as cache, WeComClient(
        job["api_base"], job["corp_id"], job["secret"], limits=limits
    ) as client:
        cpu, thread_cpu, core_wait = time.process_time(), time.thread_time(), _core_wait()
        result = run_sync(client, cache, chains=chains)
        cpu, thread_cpu = time.process_time() - cpu, time.thread_time() - thread_cpu
        core_wait = _core_wait() - core_wait
    return {"elapsed": result.elapsed_s, "fetch": result.fetch_s, "write": result.write_s,
            "cpu": cpu, "thread_cpu": thread_cpu, "core_wait": core_wait,
            "calls": result.api_calls, "relations": result.relations, "links": result.tag_links,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _core_wait() -> float:
    """Seconds this thread has spent runnable, waiting for a core (0 where Linux's schedstat
    is missing)."""
    try:
        return int(Path("/proc/thread-self/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def bare_read(server: SimpleNamespace, chains: int) -> float:
    """Seconds to read the tags and every relation page as a sync does, keeping nothing
    (its CPU in `BARE_CPU`)."""
    limits = RateLimits(calls_per_minute=100_000, max_concurrency=max(chains, 1))
    with WeComClient(server.api_base, server.corp_id, server.secret, limits=limits) as client:
        started = time.perf_counter()
        client.list_corp_tags()

        def read(userid: str) -> None:
            cursor = ""
            while True:
                page = client.batch_get_by_user([userid], cursor=cursor, limit=100)
                if not page.next_cursor:
                    return
                cursor = page.next_cursor

        cpu = time.process_time()
        with ThreadPoolExecutor(max_workers=chains) as pool:
            list(pool.map(read, sorted(client.get_follow_user_list())))
        BARE_CPU.append(time.process_time() - cpu)
        return time.perf_counter() - started


BARE_CPU: list[float] = []  # process CPU of each bare read, in order


def report(label: str, r: dict[str, float], bare_s: float | None = None) -> None:
    share = r["write"] / r["elapsed"] * 100
    versus = f"  {r['elapsed'] / bare_s:.2f}x a bare read ({bare_s:.2f} s)" if bare_s else ""
    rest = r["elapsed"] - r["thread_cpu"] - r["core_wait"]
    print(f"{label:<32} {r['elapsed']:7.2f} s  fetch {r['fetch']:6.2f} s  write {r['write']:5.2f} s"
          f" (local {share:4.1f}%)  CPU {r['cpu']:5.2f} s (syncing thread {r['thread_cpu']:4.2f} s,"
          f" waiting for a core {r['core_wait']:4.2f} s, for the GIL, pages or WeCom {rest:4.2f} s)"
          f"  {int(r['calls'])} calls  {int(r['relations'])} relations"
          f"  {int(r['links'])} links  peak {r['peak_mb']:.0f} MB{versus}", flush=True)


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


Code = tuple[str, Path | None]  # a label and the checkout whose code syncs (None: this one)


def at_zero_latency(server: SimpleNamespace, root: Path, rounds: int, codes: list[Code]) -> None:
    """Bare read, first sync and unchanged re-sync of each code, interleaved `rounds` times
    (the codes' order alternating): on a shared machine the load moves during a run, so each
    is set against the median of its own code's bare reads (its WeCom client's)."""
    bares: dict[str, list[float]] = {label: [] for label, _ in codes}
    bare_cpu: dict[str, list[float]] = {label: [] for label, _ in codes}
    firsts: dict[str, list[dict[str, float]]] = {label: [] for label, _ in codes}
    again: dict[str, list[dict[str, float]]] = {label: [] for label, _ in codes}
    for number in range(1, rounds + 1):
        print(f"round {number}: load average {os.getloadavg()[0]:.1f}", flush=True)
        for index, (label, code) in enumerate(codes) if number % 2 else [*enumerate(codes)][::-1]:
            bare = bare_read_of(server, 5, code)
            bares[label].append(bare)
            bare_cpu[label].append(BARE_CPU[-1])
            print(f"  {label}bare read {bare:.2f} s (CPU {BARE_CPU[-1]:.2f} s)", flush=True)
            cache = root / f"c{number}-{index}.sqlite"
            firsts[label].append(sync_once(server, cache, 5, code))
            report(f"  {label}0 ms, 5 chains, empty cache", firsts[label][-1], bare)
            again[label].append(sync_once(server, cache, 5, code))
            report(f"  {label}0 ms, 5 chains, nothing changed", again[label][-1], bare)
    print(f"medians of {rounds} rounds, load average {os.getloadavg()[0]:.1f}:")
    for label, _ in codes:
        bare = statistics.median(bares[label])
        print(f"{label}bare read {bare:.2f} s, its CPU {statistics.median(bare_cpu[label]):.2f} s")
        report(f"{label}0 ms, 5 chains, empty cache", median_of(firsts[label]), bare)
        report(f"{label}0 ms, 5 chains, nothing changed", median_of(again[label]), bare)


def at_twenty_ms(root: Path, customers: int, codes: list[Code]) -> None:
    """One chain (the baseline, this code) against 5 chains of each code, at 20 ms a call."""
    with sandbox(root / "sandbox", customers, 20) as server:
        baseline = sync_once(server, root / "serial.sqlite", 1)
        report("20 ms, 1 chain (baseline)", baseline)
        for index, (label, code) in enumerate(codes):
            concurrent = sync_once(server, root / f"concurrent-{index}.sqlite", 5, code)
            report(f"{label}20 ms, 5 chains", concurrent, bare_read_of(server, 5, code))
            print(f"{label}speed-up of 5 chains over 1 at 20 ms:"
                  f" {baseline['elapsed'] / concurrent['elapsed']:.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved runs at 0 ms")
    parser.add_argument("--quick", action="store_true", help="10,000 customers")
    parser.add_argument("--compare", type=Path, metavar="DIR",
                        help="also sync with the code of the checkout at DIR, alternating")
    parser.add_argument("--zero-only", action="store_true", help="only the runs at 0 ms")
    parser.add_argument("--one-sync", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--one-bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_sync:  # a sync of `sync_once`, its job on stdin
        print(json.dumps(_sync(json.loads(sys.stdin.read()))))
        return 0
    if args.one_bare:  # a bare read of `bare_read_of`, its job on stdin
        job = json.loads(sys.stdin.read())
        elapsed = bare_read(SimpleNamespace(**job), int(job["chains"]))
        print(json.dumps({"elapsed": elapsed, "cpu": BARE_CPU[-1]}))
        return 0
    customers = 10_000 if args.quick else args.customers
    codes: list[Code] = [("", None)] if args.compare is None else [
        ("new: ", None), ("old: ", args.compare.resolve())]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        with sandbox(root / "sandbox", customers, 0) as server:
            print(f"sandbox start incl. generating {customers} customers:"
                  f" {time.perf_counter() - started:.1f} s")
            at_zero_latency(server, root, 1 if args.quick else args.rounds, codes)
            if args.zero_only:
                return 0
            report("0 ms, 1 chain, empty cache", sync_once(server, root / "one.sqlite", 1))
        at_twenty_ms(root, customers, codes)
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
        with Cache(root / "c1-0.sqlite") as cache:
            cache.scalar("SELECT count(*) FROM relation")
        print(f"cache open + first query: {(time.perf_counter() - started) * 1000:.1f} ms")
        print(f"cache file size: {(root / 'c1-0.sqlite').stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
