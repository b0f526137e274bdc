"""Network policy against the sandbox over real HTTP: tokens, bad settings, faults, limits."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from desktop.wecom import (
    CallCancelled,
    ErrorKind,
    NetworkReason,
    RateLimits,
    WeComClient,
    WeComError,
    WeComNetworkError,
)

pytestmark = pytest.mark.integration

LIMITS = RateLimits(
    max_retries=3,
    backoff_base_s=0.01,
    backoff_max_s=0.05,
    rate_limit_pause_s=0.3,
    connect_timeout_s=2.0,
    read_timeout_s=5.0,
)


@pytest.fixture
def client(sandbox: Any) -> Iterator[WeComClient]:
    with WeComClient(sandbox.api_base, sandbox.corp_id, sandbox.secret, limits=LIMITS) as client:
        yield client


def _relations(client: WeComClient, count: int) -> list[tuple[str, str]]:
    """``count`` relationships on distinct customers."""
    found: dict[str, str] = {}
    for userid in client.get_follow_user_list():
        for external_userid in client.list_external_contacts(userid):
            found.setdefault(external_userid, userid)
            if len(found) == count:
                return [(u, e) for e, u in found.items()]
    raise AssertionError(f"the sandbox has fewer than {count} customers")


@pytest.mark.parametrize("spoil", ["expire_tokens", "invalidate_tokens"])
def test_a_dead_token_costs_one_gettoken_then_succeeds(
    client: WeComClient, sandbox: Any, spoil: str
) -> None:
    client.get_follow_user_list()
    assert client.calls_by_path()["gettoken"] == 1
    getattr(sandbox, spoil)()
    assert client.get_follow_user_list()
    assert client.calls_by_path()["gettoken"] == 2
    assert client.calls_by_path()["externalcontact/get_follow_user_list"] == 3
    assert sandbox.stats.errors(42001 if spoil == "expire_tokens" else 40014) == 1


def test_many_threads_hitting_a_dead_token_share_one_gettoken(
    client: WeComClient, sandbox: Any
) -> None:
    client.list_corp_tags()
    sandbox.expire_tokens()
    threads = [threading.Thread(target=client.list_corp_tags) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert client.calls_by_path()["gettoken"] == 2


def test_wrong_secret_is_a_readable_configuration_error(sandbox: Any) -> None:
    bad = WeComClient(sandbox.api_base, sandbox.corp_id, "not-the-secret", limits=LIMITS)
    with bad, pytest.raises(WeComError) as info:
        bad.get_follow_user_list()
    err = info.value
    assert err.kind is ErrorKind.CONFIGURATION and err.errcode in (40001, 40091)
    assert "Secret" in str(err) and "not-the-secret" not in str(err)
    assert bad.calls_by_path() == {"gettoken": 1}


def test_wrong_corp_id_is_a_readable_configuration_error(sandbox: Any) -> None:
    bad = WeComClient(sandbox.api_base, "wwNOSUCHCORP", sandbox.secret, limits=LIMITS)
    with bad, pytest.raises(WeComError) as info:
        bad.list_corp_tags()
    assert info.value.kind is ErrorKind.CONFIGURATION and info.value.errcode == 40013
    assert "企业ID" in str(info.value)


def test_unreachable_api_base_fails_fast_with_the_host_named() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    limits = RateLimits(
        max_retries=2,
        backoff_base_s=0.01,
        backoff_max_s=0.02,
        connect_timeout_s=0.5,
        read_timeout_s=0.5,
    )
    started = time.monotonic()
    client = WeComClient(f"http://127.0.0.1:{port}/cgi-bin/", "ww1", "s", limits=limits)
    with client, pytest.raises(WeComNetworkError) as info:
        client.get_follow_user_list()
    assert time.monotonic() - started < 3.0
    assert info.value.reason is NetworkReason.UNREACHABLE
    assert f"127.0.0.1:{port}" in str(info.value)
    assert info.value.attempts == 2     # refused: nothing listens, so one retry only


def test_45009_pauses_the_client_then_succeeds(client: WeComClient, sandbox: Any) -> None:
    sandbox.configure(quota_per_min=4, quota_block_s=0.2)
    started = time.monotonic()
    for _ in range(12):  # even split over two quota windows, one of them overflows
        client.list_corp_tags()
    assert sandbox.stats.errors(45009) >= 1
    assert time.monotonic() - started >= LIMITS.rate_limit_pause_s


def test_cancel_interrupts_a_long_rate_limit_pause(sandbox: Any) -> None:
    cancel = threading.Event()
    limits = RateLimits(rate_limit_pause_s=30.0, backoff_base_s=0.01)
    sandbox.configure(quota_per_min=1, quota_block_s=30.0)
    with WeComClient(
        sandbox.api_base, sandbox.corp_id, sandbox.secret, limits=limits, cancel_event=cancel
    ) as client:
        client.list_corp_tags()
        threading.Timer(0.2, cancel.set).start()
        started = time.monotonic()
        with pytest.raises(CallCancelled):
            client.list_corp_tags()
        assert time.monotonic() - started < 2.0
        assert client.limiter.pause_remaining() > 20


def test_calls_succeed_through_injected_faults(client: WeComClient, sandbox: Any) -> None:
    relations = _relations(client, 12)
    group = client.add_corp_tag(group_name="集成测试·故障", tags=["故障恢复"])
    tag_id = group.tags[0].id
    limits = RateLimits(
        max_retries=10, backoff_base_s=0.005, backoff_max_s=0.02, rate_limit_pause_s=0.05
    )
    sandbox.configure(fault_rate=0.3, quota_block_s=0.05)
    with WeComClient(sandbox.api_base, sandbox.corp_id, sandbox.secret, limits=limits) as flaky:
        for userid, external_userid in relations:
            flaky.mark_tag(userid, external_userid, add=[tag_id])
            assert flaky.get_external_contact(external_userid).contact.external_userid
        assert flaky.list_corp_tags()
    sandbox.configure(fault_rate=0.0)
    for userid, external_userid in relations:
        assert tag_id in sandbox.state.relation_tag_ids(userid, external_userid)
    injected = sum(sandbox.stats.faults(kind) for kind in ("busy", "freq", "http502", "drop"))
    assert injected >= 3  # the faults really happened


def _mark_in_parallel(
    client: WeComClient, relations: list[tuple[str, str]], tag_id: str
) -> list[BaseException]:
    failures: list[BaseException] = []
    start = threading.Barrier(len(relations))

    def work(userid: str, external_userid: str) -> None:
        start.wait()
        try:
            client.mark_tag(userid, external_userid, add=[tag_id])
        except (WeComError, WeComNetworkError) as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work, args=pair) for pair in relations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return failures


def test_concurrency_cap_keeps_mark_tag_below_45033(client: WeComClient, sandbox: Any) -> None:
    relations = _relations(client, 20)
    tag_id = client.add_corp_tag(group_name="集成测试·并发", tags=["并发"]).tags[0].id
    sandbox.configure(latency_ms=40)
    limits = RateLimits(max_concurrency=5, max_retries=0)
    with WeComClient(sandbox.api_base, sandbox.corp_id, sandbox.secret, limits=limits) as capped:
        capped.get_token()
        failures = _mark_in_parallel(capped, relations, tag_id)
    assert failures == []
    assert sandbox.stats.errors(45033) == 0
    assert all(tag_id in sandbox.state.relation_tag_ids(u, e) for u, e in relations)


def test_without_the_cap_the_sandbox_does_answer_45033(client: WeComClient, sandbox: Any) -> None:
    """Control for the test above: the same burst uncapped trips the sandbox's gate."""
    relations = _relations(client, 20)
    tag_id = client.add_corp_tag(group_name="集成测试·并发对照", tags=["对照"]).tags[0].id
    sandbox.configure(latency_ms=40)
    limits = RateLimits(max_concurrency=20, max_retries=0)
    with WeComClient(sandbox.api_base, sandbox.corp_id, sandbox.secret, limits=limits) as uncapped:
        uncapped.get_token()
        failures = _mark_in_parallel(uncapped, relations, tag_id)
    assert sandbox.stats.errors(45033) > 0
    assert all(isinstance(f, WeComError) and f.kind is ErrorKind.CONCURRENCY for f in failures)
