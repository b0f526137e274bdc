"""Waiting visibly: a 45009 pause and a retry show up in the progress of a sync and a
batch, the CLI prints them, and the summaries count the pauses."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.cli.common import StderrProgress
from desktop.sandbox import SandboxServer
from desktop.services.profiles import Profile
from desktop.services.progress import Progress, WaitReporter
from desktop.services.sync import run_sync
from desktop.services.tagging import TaggingService
from desktop.services.workspace import Workspace
from desktop.wecom.ratelimit import RateLimits

pytestmark = pytest.mark.integration

PAUSED_ZH = "已被企业微信频率限制暂停"
PAUSED_EN = "paused by WeCom's frequency limit, resuming in"


class QuickWorkspace(Workspace):
    """45009 pauses of 0.5 s and reads that time out after 0.3 s, so a test takes seconds."""

    @property
    def limits(self) -> RateLimits:
        return RateLimits(calls_per_minute=600_000, backoff_base_s=0.01, backoff_max_s=0.05,
                          rate_limit_pause_s=0.5, read_timeout_s=0.3)


def _workspace(server: SandboxServer, tmp_path: Path) -> Workspace:
    return QuickWorkspace(tmp_path / "home", Profile(
        name="acme", corp_id=server.corp_id, api_base=server.api_base, userid="zhangsan",
        calls_per_minute=600_000), server.secret)


def test_a_sync_under_45009_says_it_is_paused_and_counts_the_pauses(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    sandbox.configure(quota_per_min=4, quota_block_s=0.5)
    events: list[Progress] = []
    with _workspace(sandbox, tmp_path) as ws:
        reporter = WaitReporter(events.append)
        result = run_sync(ws.client(on_wait=reporter.on_wait), ws.cache,
                          progress=reporter)
    assert sandbox.stats.errors(45009) > 0
    waiting = [e.waiting for e in events if e.waiting]
    assert any(PAUSED_ZH in w and PAUSED_EN in w for w in waiting)
    assert result.relations == 351
    assert result.rate_limit_pauses >= 1
    assert result.as_json()["rate_limit_pauses"] == result.rate_limit_pauses


def test_a_batch_under_45009_reports_the_pause_in_its_progress_and_result(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    events: list[Progress] = []
    with _workspace(sandbox, tmp_path) as ws:
        run_sync(ws.client(), ws.cache)
        tagging = TaggingService(ws)
        (tag_id,) = tagging.resolve_tag_names(["客户等级:VIP"])
        ids = [int(r[0]) for r in ws.cache.connection().execute(
            "SELECT id FROM relation ORDER BY id LIMIT 30")]
        batch_id = tagging.submit(tagging.plan(ids, add=[tag_id]))
        sandbox.configure(quota_per_min=6, quota_block_s=0.5)
        result = tagging.run(batch_id, progress=events.append)
    assert result.pending == 0 and result.failed == 0
    assert result.rate_limit_pauses >= 1
    assert result.as_json()["rate_limit_pauses"] == result.rate_limit_pauses
    assert any(PAUSED_EN in e.waiting for e in events)
    assert all(e.phase == "retag" and e.total == result.planned for e in events)


class PausingWorkspace(QuickWorkspace):
    """45009 pauses of 3 s: longer than the rest of a small batch takes to send."""

    @property
    def limits(self) -> RateLimits:
        return replace(super().limits, rate_limit_pause_s=3.0)


def _eta_s(text: str) -> int:
    found = re.search(r"ETA (?:(\d+) min )?(\d+) s", text)
    assert found, text
    return int(found[1] or 0) * 60 + int(found[2])


def test_a_batch_s_eta_counts_the_45009_pause_under_way(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """It said "ETA 2 s" beside "resuming in 51 s"."""
    events: list[Progress] = []
    with PausingWorkspace(tmp_path / "home", Profile(
            name="acme", corp_id=sandbox.corp_id, api_base=sandbox.api_base,
            userid="zhangsan", calls_per_minute=600_000), sandbox.secret) as ws:
        run_sync(ws.client(), ws.cache)
        tagging = TaggingService(ws)
        (tag_id,) = tagging.resolve_tag_names(["客户等级:VIP"])
        ids = [int(r[0]) for r in ws.cache.connection().execute(
            "SELECT id FROM relation ORDER BY id LIMIT 20")]
        batch_id = tagging.submit(tagging.plan(ids, add=[tag_id]))
        sandbox.configure(quota_per_min=10, quota_block_s=2.5)
        result = tagging.run(batch_id, progress=events.append)
    assert result.pending == 0 and result.rate_limit_pauses >= 1
    paused = [e for e in events if PAUSED_EN in e.waiting and e.text and e.done < e.total]
    assert paused
    for event in paused:
        resuming = int(re.search(r"resuming in (\d+) s", event.waiting)[1])  # type: ignore[index]
        assert _eta_s(event.text) >= resuming, (event.waiting, event.text)


def test_a_hanging_server_says_what_is_being_retried(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    events: list[Progress] = []
    with _workspace(sandbox, tmp_path) as ws:
        run_sync(ws.client(), ws.cache)
        sandbox.configure(latency_ms=1000)
        reporter = WaitReporter(events.append)
        with pytest.raises(Exception, match="externalcontact/get_corp_tag_list"):
            run_sync(ws.client(on_wait=reporter.on_wait), ws.cache, progress=reporter)
        sandbox.configure(latency_ms=0)
        time.sleep(1.2)  # let the sandbox answer the abandoned requests before it stops
    waiting = [e.waiting for e in events if e.waiting]
    assert any("retrying externalcontact/get_corp_tag_list (no answer in time, attempt 2/5)"
               in w for w in waiting)
    assert any("正在重试" in w and "第 5/5 次" in w for w in waiting)


def test_the_cli_prints_a_wait_at_once_and_its_countdown_sparingly(
    capsys: pytest.CaptureFixture[str]
) -> None:
    progress = StderrProgress()
    paused = f"{PAUSED_ZH}，{{n}} 秒后继续 / {PAUSED_EN} {{n}} s"
    progress(Progress("relations", 10, 100, "page 10"))
    progress(Progress("relations", 10, 100, "page 10", paused.format(n=60)))
    progress(Progress("relations", 10, 100, "page 10", paused.format(n=59)))
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["[relations] 10/100 page 10",
                     f"[relations] 10/100 {paused.format(n=60)} · page 10"]
