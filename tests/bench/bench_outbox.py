"""Outbox throughput against the sandbox over real HTTP, through the whole retag path.

Run: `.venv/bin/python tests/bench/bench_outbox.py [--quick]`.

1. Quota: the sandbox allows `--quota` mark_tag calls per minute (45009 and a 60 s block
   above it, like WeCom), answers after 20 ms, and the profile's limit equals the quota.
   A batch of `--calls` relations runs; reported: mark_tag calls per minute that landed,
   as a share of the quota, and how many 45009s the sandbox returned. Each batch starts
   right at the start of one of the sandbox's minute windows, the worst case for a client
   that bursts: the limiter's sliding minute window must keep every 60 s within the limit.
   A second run with the profile at 6/7 of the quota shows what a safety margin costs.
2. Latency: no quota, concurrency 5; calls per second at 0 ms and 50 ms per round trip.

Every run goes plan → submit → TaggingService.run, so local commits (cache, journal) count.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.sandbox.quota import WINDOW_S
from desktop.services.profiles import Profile
from desktop.services.sync import run_sync
from desktop.services.tagging import TaggingService
from desktop.services.workspace import Workspace

MARK_TAG = "externalcontact/mark_tag"


@dataclass(frozen=True)
class Run:
    calls: int
    applied: int
    elapsed_s: float
    freq_errors: int
    concurrency_errors: int
    sent: int

    @property
    def per_minute(self) -> float:
        return self.applied / self.elapsed_s * 60

    @property
    def per_second(self) -> float:
        return self.applied / self.elapsed_s


def run_batch(home: Path, calls: int, *, latency_ms: float, quota_per_min: int,
              calls_per_minute: int, customers: int) -> Run:
    """A fresh corp, synced; then one batch of `calls` mark_tag calls under the given limits."""
    server = SandboxServer(SandboxConfig(data_dir=home / "sandbox", customers=customers,
                                         members=30, seed=5)).start()
    try:
        profile = Profile(name="bench", corp_id=server.corp_id, api_base=server.api_base,
                          userid="bench", calls_per_minute=calls_per_minute, max_concurrency=5)
        with Workspace(home / "home", profile, server.secret) as ws:
            run_sync(ws.client(), ws.cache)
            service = TaggingService(ws)
            tag_id = server.state.find_tag("客户阶段", "已退款")
            assert tag_id is not None
            ids = [int(r[0]) for r in ws.cache.connection().execute("SELECT id FROM relation")]
            plan = service.plan(ids, add=[tag_id])
            if plan.api_calls < calls:
                raise SystemExit(f"only {plan.api_calls} relations lack the tag; need {calls}")
            plan = replace(plan, changes=plan.changes[:calls])
            batch_id = service.submit(plan, description="bench")
            server.configure(latency_ms=latency_ms, quota_per_min=quota_per_min)
            if quota_per_min:
                _wait_for_window_start()
            server.stats.reset()
            started = time.perf_counter()
            result = service.run(batch_id)
            elapsed = time.perf_counter() - started
            if result.status != "done" or result.applied != calls:
                raise SystemExit(f"batch ended {result.status}: {result.as_json()}")
            return Run(calls, result.applied, elapsed, server.stats.errors(45009),
                       server.stats.errors(45033), server.stats.calls(MARK_TAG))
    finally:
        server.stop()


def _wait_for_window_start() -> None:
    """Sleep until a new minute window of the sandbox's quota (monotonic clock) begins."""
    time.sleep(WINDOW_S - time.monotonic() % WINDOW_S)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--quota", type=int, default=600, help="mark_tag calls per minute")
    parser.add_argument("--calls", type=int, default=0, help="batch size of the quota runs")
    args = parser.parse_args(argv)
    quota_calls = args.calls or (300 if args.quick else 3000)
    latency_calls = 300 if args.quick else 1500
    customers = max(quota_calls, latency_calls) * 11 // 10 + 200

    print(f"quota runs: {quota_calls} calls, sandbox quota {args.quota}/min, latency 20 ms,"
          " concurrency 5", flush=True)
    for share, label in ((1.0, "limit = quota"), (6 / 7, "limit = 6/7 quota")):
        limit = max(1, int(args.quota * share))
        with tempfile.TemporaryDirectory() as tmp:
            run = run_batch(Path(tmp), quota_calls, latency_ms=20, quota_per_min=args.quota,
                            calls_per_minute=limit, customers=customers)
        print(f"  {label:18} ({limit}/min): {run.per_minute:7.1f} calls/min landed"
              f" = {run.per_minute / args.quota:5.1%} of the quota; {run.freq_errors} x 45009,"
              f" {run.concurrency_errors} x 45033, {run.sent} requests, {run.elapsed_s:.1f} s",
              flush=True)

    print(f"latency runs: {latency_calls} calls, no quota, concurrency 5", flush=True)
    for latency_ms in (0.0, 50.0):
        with tempfile.TemporaryDirectory() as tmp:
            run = run_batch(Path(tmp), latency_calls, latency_ms=latency_ms, quota_per_min=0,
                            calls_per_minute=1_000_000, customers=customers)
        ceiling = f" (ceiling 5 / {latency_ms / 1000:.3f} s = {5000 / latency_ms:.0f}/s)" \
            if latency_ms else ""
        print(f"  latency {latency_ms:4.0f} ms: {run.per_second:7.1f} calls/s{ceiling};"
              f" {run.concurrency_errors} x 45033, {run.elapsed_s:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
