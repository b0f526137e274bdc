"""The outbox runner against the real sandbox over HTTP: end states, faults, pilot, undo,
permanent errors, stale tags, cancel, pause and the crash window."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.domain.retag_plan import RetagPlan
from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services.profiles import Profile
from desktop.services.progress import CancelToken, Progress
from desktop.services.sync import run_sync
from desktop.services.tagging import BatchResult, TaggingError, TaggingService
from desktop.services.workspace import Workspace
from desktop.store import journal, outbox
from desktop.wecom.ratelimit import RateLimits

pytestmark = pytest.mark.integration

MARK_TAG = "externalcontact/mark_tag"


class FastWorkspace(Workspace):
    """A workspace whose client backs off in milliseconds (45009 pauses too), so that
    fault-injection runs take seconds instead of minutes."""

    @property
    def limits(self) -> RateLimits:
        return RateLimits(calls_per_minute=self.profile.calls_per_minute,
                          max_concurrency=self.profile.max_concurrency, backoff_base_s=0.01,
                          backoff_max_s=0.05, rate_limit_pause_s=0.05)


def _workspace(home: Path, server: SandboxServer, **profile: Any) -> Workspace:
    ws = FastWorkspace(home, Profile(name="acme", corp_id=server.corp_id,
                                     api_base=server.api_base, userid="zhangsan",
                                     calls_per_minute=600_000, **profile), server.secret)
    run_sync(ws.client(), ws.cache)
    return ws


@pytest.fixture
def big(tmp_path: Path) -> Iterator[tuple[SandboxServer, Workspace]]:
    """A corp of 2,000 customers (about 2,500 follow relations), synced."""
    server = SandboxServer(SandboxConfig(data_dir=tmp_path / "big", customers=2000, members=20,
                                         seed=11)).start()
    ws = _workspace(tmp_path / "home", server)
    try:
        yield server, ws
    finally:
        ws.close()
        server.stop()


@pytest.fixture
def small(sandbox: SandboxServer, tmp_path: Path) -> Iterator[tuple[SandboxServer, Workspace]]:
    ws = _workspace(tmp_path / "home", sandbox)
    try:
        yield sandbox, ws
    finally:
        ws.close()


def _tag(server: SandboxServer, group: str, name: str) -> str:
    tag_id = server.state.find_tag(group, name)
    assert tag_id is not None
    return tag_id


def _all_ids(ws: Workspace) -> list[int]:
    return [int(r[0]) for r in ws.cache.connection().execute("SELECT id FROM relation ORDER BY id")]


def _expected(plan: RetagPlan, before: dict[tuple[str, str], set[str]]
              ) -> dict[tuple[str, str], set[str]]:
    wanted = {key: set(tags) for key, tags in before.items()}
    for change in plan.changes:
        key = (change.userid, change.external_userid)
        wanted[key] = (wanted[key] - set(change.remove)) | set(change.add)
    return wanted


def _sandbox_tags(server: SandboxServer) -> dict[tuple[str, str], set[str]]:
    return {key: server.state.relation_tag_ids(*key) for key in server.state.relations()}


def _cache_tags(ws: Workspace) -> dict[tuple[str, str], set[str]]:
    states = outbox.relation_states(ws.cache, _all_ids(ws))
    return {(s.userid, s.external_userid): set(s.tag_ids) for s in states.values()}


def _journal_rows(ws: Workspace, batch_id: str) -> list[tuple[str, str, str, str]]:
    return [(r["external_userid"], r["userid"], r["action"], r["tag_id"]) for r in ws.cache.query(
        "SELECT external_userid, userid, action, tag_id FROM journal WHERE batch_id = ?",
        (batch_id,))]


def _planned_rows(plan: RetagPlan) -> list[tuple[str, str, str, str]]:
    return [(c.external_userid, c.userid, action, tag)
            for c in plan.changes
            for action, tags in (("tag_add", c.add), ("tag_remove", c.remove)) for tag in tags]


def test_a_big_batch_ends_with_exactly_the_planned_state(
    big: tuple[SandboxServer, Workspace],
) -> None:
    server, ws = big
    service = TaggingService(ws)
    shipped, refunded = _tag(server, "客户阶段", "已发货"), _tag(server, "客户阶段", "已退款")
    keen = _tag(server, "意向程度", "高意向")
    before = _sandbox_tags(server)
    plan = service.plan(_all_ids(ws), add=[refunded, keen], remove=[shipped])
    assert plan.api_calls > 2000
    calls_before = server.stats.calls(MARK_TAG)
    batch_id = service.submit(plan, description="已发货 → 已退款")
    assert server.stats.calls(MARK_TAG) == calls_before  # queued, nothing sent yet
    assert outbox.counts(ws.cache, batch_id).pending == plan.api_calls
    events: list[Progress] = []
    result = service.run(batch_id, progress=events.append)
    assert (result.status, result.applied, result.failed, result.pending) == (
        "done", plan.api_calls, 0, 0)
    assert result.changes.relation_ids == {c.relation_id for c in plan.changes}
    expected = _expected(plan, before)
    assert _sandbox_tags(server) == expected
    assert _cache_tags(ws) == expected
    assert sorted(_journal_rows(ws, batch_id)) == sorted(_planned_rows(plan))
    assert journal.verify(ws.cache).ok
    assert server.stats.errors(45033) == 0  # never two calls at once for one customer
    assert events[-1].done == events[-1].total == plan.api_calls


def test_with_one_call_in_five_failing_every_relation_still_ends_right(
    big: tuple[SandboxServer, Workspace],
) -> None:
    server, ws = big
    service = TaggingService(ws)
    vip = _tag(server, "客户等级", "VIP")
    ids = _all_ids(ws)[:1200]
    before = _sandbox_tags(server)
    plan = service.plan(ids, add=[vip])
    server.configure(fault_rate=0.2)
    result = service.run(service.submit(plan))
    server.configure(fault_rate=0.0)
    assert sum(server.stats.faults(kind) for kind in ("busy", "freq", "http502", "drop")) > 100
    assert (result.status, result.applied, result.failed) == ("done", plan.api_calls, 0)
    expected = _expected(plan, before)
    assert _sandbox_tags(server) == expected
    assert _cache_tags(ws) == expected
    assert sorted(_journal_rows(ws, result.batch_id)) == sorted(_planned_rows(plan))


def test_a_call_that_landed_before_a_crash_is_resent_and_journaled_once(
    small: tuple[SandboxServer, Workspace],
) -> None:
    server, ws = small
    service = TaggingService(ws)
    vip = _tag(server, "客户等级", "VIP")
    plan = service.plan(_all_ids(ws), add=[vip])
    batch_id = service.submit(plan)
    landed = plan.changes[:10]  # WeCom applied these, then the process died before its commit
    for change in landed:
        server.state.console_mark_tag(change.userid, change.external_userid, add=change.add)
    result = service.run(batch_id)
    assert result.applied == plan.api_calls
    assert sorted(_journal_rows(ws, batch_id)) == sorted(_planned_rows(plan))
    assert all(vip in tags for tags in _cache_tags(ws).values())


def test_the_pilot_sends_exactly_n_then_waits(small: tuple[SandboxServer, Workspace]) -> None:
    server, ws = small
    service = TaggingService(ws)
    plan = service.plan(_all_ids(ws), add=[_tag(server, "意向程度", "高意向")])
    batch_id = service.submit(plan, pilot_size=7)
    calls_before = server.stats.calls(MARK_TAG)
    pilot = service.run(batch_id)
    assert server.stats.calls(MARK_TAG) - calls_before == 7
    assert (pilot.status, pilot.applied, pilot.pending) == ("paused", 7, plan.api_calls - 7)
    assert [b.id for b in service.unfinished_batches()] == [batch_id]
    assert len(_journal_rows(ws, batch_id)) == 7
    rest = service.run(batch_id)
    assert (rest.status, rest.applied) == ("done", plan.api_calls)
    assert service.unfinished_batches() == []


def test_the_rest_after_a_pilot_reports_the_whole_batchs_applied_calls(
        small: tuple[SandboxServer, Workspace]) -> None:
    server, ws = small
    service = TaggingService(ws)
    plan = service.plan(_all_ids(ws)[:30], add=[_tag(server, "客户等级", "VIP")])
    batch_id = service.submit(plan, pilot_size=7)
    assert service.run(batch_id).applied == 7
    said: list[Progress] = []
    rest = service.run(batch_id, progress=said.append)
    assert rest.applied == plan.api_calls
    last = said[-1]
    assert (last.done, last.total) == (plan.api_calls, plan.api_calls)
    assert f"成功 {plan.api_calls} · 失败 0" in last.text         # the pilot's 7 counted too
    assert f"applied {plan.api_calls} · failed 0" in last.text


def test_undo_puts_back_what_the_batch_changed(small: tuple[SandboxServer, Workspace]) -> None:
    server, ws = small
    service = TaggingService(ws)
    shipped, refunded = _tag(server, "客户阶段", "已发货"), _tag(server, "客户阶段", "已退款")
    original = _sandbox_tags(server)
    swapped = service.plan(_all_ids(ws), add=[refunded], remove=[shipped])
    first = service.run(service.submit(swapped))
    assert first.applied == swapped.api_calls > 0
    undo, skipped = service.plan_undo(first.batch_id)
    assert skipped == [] and undo.api_calls == swapped.api_calls
    result = service.run(service.submit(undo, source="undo"))
    assert result.status == "done"
    assert _sandbox_tags(server) == original
    assert _cache_tags(ws) == original
    sources = {r["source"] for r in ws.cache.query(
        "SELECT source FROM journal WHERE batch_id = ?", (result.batch_id,))}
    assert sources == {"undo"}


def test_undo_skips_relations_changed_again_since(small: tuple[SandboxServer, Workspace]) -> None:
    server, ws = small
    service = TaggingService(ws)
    vip = _tag(server, "客户等级", "VIP")
    plan = service.plan(_all_ids(ws)[:20], add=[vip])
    first = service.run(service.submit(plan))
    changed = plan.changes[0]
    again = service.plan([changed.relation_id], remove=[vip])
    service.run(service.submit(again))
    undo, skipped = service.plan_undo(first.batch_id)
    assert undo.api_calls == plan.api_calls - 1
    assert undo.skipped_noop == 1  # already back as before: nothing to undo there
    assert skipped == []


def test_permanent_errors_are_recorded_and_the_batch_goes_on(
    small: tuple[SandboxServer, Workspace],
) -> None:
    server, ws = small
    service = TaggingService(ws)
    plan = service.plan(_all_ids(ws)[:40], add=[_tag(server, "客户等级", "VIP")])
    gone = plan.changes[3:6]
    for change in gone:
        server.state.delete_relation(change.userid, change.external_userid)
    result = service.run(service.submit(plan))
    assert (result.status, result.applied, result.failed) == ("done", plan.api_calls - 3, 3)
    assert {(f.external_userid, f.errcode) for f in result.failures} == {
        (c.external_userid, 84061) for c in gone}
    assert all("no longer connected" in f.reason and "好友关系" in f.reason
               for f in result.failures)
    assert service.retry_failed(result.batch_id) == 3
    again = service.run(result.batch_id)
    assert (again.status, again.failed, again.applied) == ("done", 3, plan.api_calls - 3)


def test_retry_failed_sends_the_failed_calls_again(small: tuple[SandboxServer, Workspace]) -> None:
    server, ws = small
    service = TaggingService(ws)
    vip = _tag(server, "客户等级", "VIP")
    plan = service.plan(_all_ids(ws)[:30], add=[vip])
    cap = server.config.relation_tag_cap
    server.config.relation_tag_cap = 0  # every call is refused (40058) until the cap is back
    try:
        failed = service.run(service.submit(plan))
    finally:
        server.config.relation_tag_cap = cap
    assert (failed.status, failed.failed, failed.applied) == ("done", plan.api_calls, 0)
    assert service.retry_failed(failed.batch_id) == plan.api_calls
    retried = service.run(failed.batch_id)
    assert (retried.status, retried.applied, retried.failed) == ("done", plan.api_calls, 0)
    assert all(vip in server.state.relation_tag_ids(c.userid, c.external_userid)
               for c in plan.changes)


def test_a_tag_deleted_after_planning_is_stripped_and_the_rest_applied(
    small: tuple[SandboxServer, Workspace],
) -> None:
    server, ws = small
    service = TaggingService(ws)
    vip, keen = _tag(server, "客户等级", "VIP"), _tag(server, "意向程度", "高意向")
    plan = service.plan(_all_ids(ws)[:25], add=[vip, keen])
    only_keen = service.plan(_all_ids(ws)[25:30], add=[keen])
    server.state.console_delete_tag(keen)
    result = service.run(service.submit(plan))
    only_the_deleted_tag = sum(1 for c in plan.changes if c.add == (keen,))
    assert (result.status, result.failed, result.skipped) == ("done", 0, only_the_deleted_tag)
    assert result.applied == plan.api_calls - only_the_deleted_tag
    assert all(server.state.relation_tag_ids(c.userid, c.external_userid) >= {vip}
               for c in plan.changes)
    notes = {r["error"] for r in ws.cache.query(
        "SELECT error FROM outbox WHERE batch_id = ? AND error != ''", (result.batch_id,))}
    assert f"已忽略企业微信中已删除的标签 {keen} / Ignored tags deleted in WeCom: {keen}" in notes
    nothing_left = service.run(service.submit(only_keen))
    assert (nothing_left.skipped, nothing_left.failed) == (only_keen.api_calls, 0)


def _stopped_after_20(server: SandboxServer, ws: Workspace, stop: Callable[[CancelToken], None]
                      ) -> tuple[TaggingService, RetagPlan, BatchResult, dict[tuple[str, str], set[str]]]:
    """A batch over every relation whose run `stop` ends once 20 calls are through."""
    service = TaggingService(ws)
    before = _sandbox_tags(server)
    plan = service.plan(_all_ids(ws), add=[_tag(server, "意向程度", "高意向")])
    batch_id = service.submit(plan)
    server.configure(latency_ms=15)
    token = CancelToken()

    def stop_early(event: Progress) -> None:
        if event.done >= 20:
            stop(token)

    result = service.run(batch_id, progress=stop_early, cancel=token)
    server.configure(latency_ms=0)
    return service, plan, result, before


def test_cancel_leaves_the_rest_pending_and_a_later_run_finishes(
    small: tuple[SandboxServer, Workspace],
) -> None:
    server, ws = small
    service, plan, result, before = _stopped_after_20(server, ws, CancelToken.cancel)
    assert result.status == "cancelled" and 20 <= result.applied < plan.api_calls
    assert result.pending == plan.api_calls - result.applied
    assert service.unfinished_batches() == []  # cancelled batches are resumed only explicitly
    finished = service.run(result.batch_id)
    assert (finished.status, finished.applied) == ("done", plan.api_calls)
    assert _sandbox_tags(server) == _expected(plan, before)
    assert sorted(_journal_rows(ws, result.batch_id)) == sorted(_planned_rows(plan))


def test_an_interrupted_batch_is_offered_again_at_the_next_start(
    small: tuple[SandboxServer, Workspace],
) -> None:
    server, ws = small
    # CancelToken.interrupt is what the main window does when TagDesk quits
    service, plan, result, before = _stopped_after_20(server, ws, CancelToken.interrupt)
    assert result.status == "paused" and 20 <= result.applied < plan.api_calls
    assert "closed" in result.stop_reason
    assert [b.id for b in service.unfinished_batches()] == [result.batch_id]
    finished = service.run(result.batch_id)
    assert (finished.status, finished.applied) == ("done", plan.api_calls)
    assert _sandbox_tags(server) == _expected(plan, before)


def test_pause_holds_new_calls_until_released(small: tuple[SandboxServer, Workspace]) -> None:
    server, ws = small
    service = TaggingService(ws)
    plan = service.plan(_all_ids(ws), add=[_tag(server, "意向程度", "低意向")])
    batch_id = service.submit(plan)
    server.configure(latency_ms=5)
    pause = threading.Event()
    seen: dict[str, int] = {}

    def pause_once(event: Progress) -> None:
        if event.done >= 10 and not seen:
            pause.set()
            with pytest.raises(TaggingError, match="already running"):
                service.run(batch_id)
            time.sleep(0.1)  # calls already in flight come back
            seen["paused_at"] = server.stats.calls(MARK_TAG)
            time.sleep(0.4)
            seen["released_at"] = server.stats.calls(MARK_TAG)
            pause.clear()

    result = service.run(batch_id, progress=pause_once, pause=pause)
    server.configure(latency_ms=0)
    assert seen["released_at"] == seen["paused_at"]
    assert (result.status, result.applied) == ("done", plan.api_calls)


def test_unknown_tags_and_batches_are_readable_errors(
    small: tuple[SandboxServer, Workspace],
) -> None:
    _, ws = small
    service = TaggingService(ws)
    with pytest.raises(TaggingError, match="已退款"):
        service.resolve_tag_names(["已退欵"])
    assert service.resolve_tag_names(["客户阶段:已退款", " 已退款 "]) == [
        service.resolve_tag_names(["已退款"])[0]] * 2
    with pytest.raises(TaggingError, match="nope"):
        service.run("nope")
    with pytest.raises(TaggingError, match="sync first"):
        service.plan(_all_ids(ws), add=["etNoSuchTag"])
    batches = service.batches()
    assert batches == [] and json.dumps([b.as_json() for b in batches]) == "[]"


def test_an_unreachable_api_stops_the_run_and_keeps_every_call_queued(
    small: tuple[SandboxServer, Workspace],
) -> None:
    server, ws = small
    service = TaggingService(ws)
    plan = service.plan(_all_ids(ws), add=[_tag(server, "客户等级", "VIP")])
    batch_id = service.submit(plan)
    server.stop()
    result = service.run(batch_id)
    assert (result.status, result.applied, result.pending) == ("paused", 0, plan.api_calls)
    assert "Cannot reach the WeCom API" in result.stop_reason
    assert [b.id for b in service.unfinished_batches()] == [batch_id]


def test_a_wrong_secret_stops_the_run_at_once(
    small: tuple[SandboxServer, Workspace], tmp_path: Path,
) -> None:
    server, ws = small
    plan = TaggingService(ws).plan(_all_ids(ws), add=[_tag(server, "客户等级", "VIP")])
    batch_id = TaggingService(ws).submit(plan)
    profile = ws.profile
    ws.close()
    with FastWorkspace(tmp_path / "home", profile, "not-the-secret") as wrong:
        result = TaggingService(wrong).run(batch_id)
    assert (result.status, result.pending) == ("paused", plan.api_calls)
    assert "secret" in result.stop_reason
    assert server.stats.calls(MARK_TAG) == 0


def test_refresh_from_wecom_plans_on_what_phones_changed_since_the_sync(
    small: tuple[SandboxServer, Workspace],
) -> None:
    server, ws = small
    service = TaggingService(ws)
    high = _tag(server, "意向程度", "高意向")
    ids = _all_ids(ws)[:30]
    marks = ",".join("?" * len(ids))
    rows = {int(r[0]): (r[1], r[2]) for r in ws.cache.connection().execute(
        f"SELECT id, external_userid, userid FROM relation WHERE id IN ({marks})", ids)}
    lacking = [rid for rid in ids if high not in server.state.relation_tag_ids(*rows[rid][::-1])]
    phone_tagged = lacking[:3]
    for rid in phone_tagged:                       # tagged on a phone after the sync
        external_userid, userid = rows[rid]
        server.state.console_mark_tag(userid, external_userid, add=[high])
    stale = service.plan(ids, add=[high])
    untouched_elsewhere = ws.cache.scalar("SELECT count(*) FROM relation_tag")
    assert isinstance(untouched_elsewhere, int)

    changes = service.refresh_from_wecom(ids)

    assert changes.relation_ids == frozenset(phone_tagged)
    fresh = service.plan(ids, add=[high])
    assert fresh.api_calls == stale.api_calls - len(phone_tagged)
    assert ws.cache.scalar("SELECT count(*) FROM relation_tag") == untouched_elsewhere + 3
    observed = ws.cache.query(
        "SELECT action, tag_id, source FROM journal WHERE source = 'observed'")
    assert [(r["action"], r["tag_id"]) for r in observed] == [("tag_add", high)] * 3
    assert service.refresh_from_wecom(ids).relation_ids == frozenset()   # nothing new
