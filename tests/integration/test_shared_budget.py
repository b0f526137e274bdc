"""One WeCom budget per corp: a sync and a batch running at once in one process draw on one
rate limit and one concurrency cap, against a sandbox that enforces a quota."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services.profiles import Profile
from desktop.services.sync import SyncResult, run_sync
from desktop.services.tagging import BatchResult, TaggingService
from desktop.services.workspace import Workspace
from desktop.wecom.ratelimit import BURST_SHARE_OF_MINUTE

pytestmark = pytest.mark.integration

CALLS_PER_MINUTE = 600   # the profile's budget: a burst of 100, then 10 calls a second
CONCURRENCY = 5
BATCH_CALLS = 120
SAMPLE_S = 0.01
BUSY_PATHS = ("externalcontact/batch/get_by_user", "externalcontact/mark_tag")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    config = SandboxConfig(data_dir=tmp_path / "corp", customers=300, members=8, seed=7,
                           quota_per_min=CALLS_PER_MINUTE, latency_ms=20)
    with SandboxServer(config) as server:
        yield server


class _Sampler:
    """Requests the sandbox received and had in flight, sampled while work runs."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.samples: list[tuple[float, int, int]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        stats = self.server.stats
        while not self.stop.is_set():
            in_flight = sum(stats.in_flight(path) for path in BUSY_PATHS)
            self.samples.append((time.monotonic(), stats.calls(), in_flight))
            time.sleep(SAMPLE_S)


def test_a_sync_and_a_batch_at_once_share_one_budget_with_zero_45009(
    server: SandboxServer, tmp_path: Path
) -> None:
    profile = Profile(name="acme", corp_id=server.corp_id, api_base=server.api_base,
                      userid="zhangsan", calls_per_minute=CALLS_PER_MINUTE,
                      max_concurrency=CONCURRENCY)
    with Workspace(tmp_path / "home", profile, server.secret) as ws:
        run_sync(ws.client(), ws.cache)
        tagging = TaggingService(ws)
        (tag_id,) = tagging.resolve_tag_names(["客户等级:VIP"])
        relation_ids = [int(r[0]) for r in ws.cache.connection().execute(
            "SELECT id FROM relation WHERE id NOT IN (SELECT rt.relation_id FROM relation_tag rt"
            " JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?) ORDER BY id LIMIT ?",
            (tag_id, BATCH_CALLS))]
        plan = tagging.plan(relation_ids, add=[tag_id])
        assert plan.api_calls == BATCH_CALLS
        batch_id = tagging.submit(plan)
        server.stats.reset()
        sampler = _Sampler(server)
        results: dict[str, SyncResult | BatchResult] = {}

        def sync() -> None:
            results["sync"] = run_sync(ws.client(), ws.cache,
                                       chains=CONCURRENCY)

        def batch() -> None:
            results["batch"] = tagging.run(batch_id)

        workers = [threading.Thread(target=sync), threading.Thread(target=batch)]
        started = time.monotonic()
        sampler.thread.start()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        sampler.stop.set()
        sampler.thread.join(5)

    assert set(results) == {"sync", "batch"}
    batch_result = results["batch"]
    assert isinstance(batch_result, BatchResult) and batch_result.applied == BATCH_CALLS
    assert server.stats.errors(45009) == 0
    assert server.stats.errors(45033) == 0
    # one token bucket: never more than its burst plus its refill, whatever ran at once
    burst = CALLS_PER_MINUTE * BURST_SHARE_OF_MINUTE
    for at, calls, _ in sampler.samples:
        allowed = burst + CALLS_PER_MINUTE / 60 * (at - started) + CONCURRENCY
        assert calls <= allowed, f"{calls} calls after {at - started:.2f} s"
    # one concurrency cap for the corp, not one per operation
    assert max(in_flight for _, _, in_flight in sampler.samples) <= CONCURRENCY
