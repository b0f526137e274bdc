"""One transport per corp: views share the budget, the 45009 pause and the token, but keep
their own cancel event, counters and wait listener; waits are reported as they happen."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import pytest
import requests

from desktop.wecom.client import WeComClient
from desktop.wecom.errors import CallCancelled, WeComError
from desktop.wecom.ratelimit import RateLimiter, RateLimits
from desktop.wecom.registry import acquire_transport, release_transport
from desktop.wecom.transport import WaitNotice, WeComTransport
from tests.unit.wecom.fakes import API_BASE, CORP_ID, SECRET, FakeClock, FakeWeCom

PAUSE_S = 0.4
LIMITS = RateLimits(max_retries=4, backoff_base_s=0.001, backoff_max_s=0.002,
                    rate_limit_pause_s=PAUSE_S)
OK = {"errcode": 0, "errmsg": "ok"}
FREQ = {"errcode": 45009, "errmsg": "api freq out of limit"}
BUSY = {"errcode": -1, "errmsg": "system busy"}


@pytest.fixture
def transport(session: requests.Session) -> Iterator[WeComTransport]:
    transport = WeComTransport(API_BASE, CORP_ID, SECRET, limits=LIMITS, session=session)
    yield transport
    transport.close()


def test_a_45009_seen_by_one_view_holds_back_the_other(
    transport: WeComTransport, fake_wecom: FakeWeCom
) -> None:
    batch = WeComClient.over(transport)
    sync = WeComClient.over(transport)
    sync.get_token()
    fake_wecom.script("externalcontact/mark_tag", FREQ, OK)
    hit = time.monotonic()
    batch.mark_tag("u", "wm", add=["et1"])
    # the batch's pause is the corp's: the sync's next call waits for its end as well
    fake_wecom.script("externalcontact/get_follow_user_list", {"errcode": 0, "follow_user": []})
    waited = threading.Thread(target=sync.get_follow_user_list)
    waited.start()
    waited.join(5)
    assert time.monotonic() - hit >= PAUSE_S
    assert batch.rate_limit_pauses == 1


def test_views_count_their_own_calls_and_share_one_token(
    transport: WeComTransport, fake_wecom: FakeWeCom
) -> None:
    first, second = WeComClient.over(transport), WeComClient.over(transport)
    first.list_corp_tags()
    second.list_corp_tags()
    second.list_corp_tags()
    assert [call.path for call in fake_wecom.calls].count("gettoken") == 1
    assert first.calls_by_path() == {"gettoken": 1, "externalcontact/get_corp_tag_list": 1}
    assert second.api_calls == 2
    assert transport.api_calls == 4


def test_cancelling_one_view_leaves_the_other_running(
    session: requests.Session, fake_wecom: FakeWeCom
) -> None:
    transport = WeComTransport(API_BASE, CORP_ID, SECRET,
                               limits=RateLimits(rate_limit_pause_s=0.5), session=session)
    stop = threading.Event()
    cancelled, other = WeComClient.over(transport, cancel_event=stop), WeComClient.over(transport)
    fake_wecom.script("externalcontact/mark_tag", FREQ, OK)
    threading.Timer(0.1, stop.set).start()
    with pytest.raises(CallCancelled):
        cancelled.mark_tag("u", "wm", add=["et1"])
    other.mark_tag("u", "wm", add=["et1"])  # waits the pause out instead of being cancelled
    assert transport.limiter.pause_remaining() == 0.0


def test_closing_a_view_keeps_the_shared_session_open(
    transport: WeComTransport, fake_wecom: FakeWeCom
) -> None:
    WeComClient.over(transport).close()
    WeComClient.over(transport).list_corp_tags()
    assert fake_wecom.paths()[-1] == "externalcontact/get_corp_tag_list"


def test_a_pause_is_reported_with_the_time_left_and_counted_per_pause(
    transport: WeComTransport, fake_wecom: FakeWeCom
) -> None:
    notices: list[WaitNotice] = []
    client = WeComClient.over(transport, on_wait=notices.append)
    fake_wecom.script("externalcontact/mark_tag", FREQ, FREQ, OK)
    client.mark_tag("u", "wm", add=["et1"])
    pauses = [n for n in notices if n.kind == "rate_limit"]
    assert pauses and 0 < pauses[0].seconds <= PAUSE_S
    assert "已被企业微信频率限制暂停" in pauses[0].sentence()
    assert "paused by WeCom's frequency limit, resuming in 1 s" in pauses[0].sentence()
    assert client.rate_limit_pauses == 2  # two separate pauses, one after the other


def test_echoes_of_one_block_neither_extend_the_pause_nor_count_again(
    transport: WeComTransport, fake_wecom: FakeWeCom
) -> None:
    client = WeComClient.over(transport)
    client.get_token()
    release = threading.Event()

    def slow_freq(_call: object) -> dict[str, object]:
        release.wait(2)
        return FREQ

    fake_wecom.script("externalcontact/mark_tag", *([slow_freq] * 4), OK)
    threads = [threading.Thread(target=client.mark_tag, args=("u", f"wm{i}", ["et1"]))
               for i in range(4)]
    for thread in threads:
        thread.start()
    while transport.limiter.in_flight < 4:
        time.sleep(0.01)
    started = time.monotonic()
    release.set()
    for thread in threads:
        thread.join(5)
    # four calls in flight when the block began: one pause of PAUSE_S, not four in a row
    assert client.rate_limit_pauses == 1
    assert time.monotonic() - started < PAUSE_S * 2.5


def test_retries_are_reported_with_the_attempt_number(
    transport: WeComTransport, fake_wecom: FakeWeCom
) -> None:
    notices: list[WaitNotice] = []
    client = WeComClient.over(transport, on_wait=notices.append)
    fake_wecom.script("externalcontact/mark_tag", BUSY, (502, b"bad gateway"), OK)
    client.mark_tag("u", "wm", add=["et1"])
    assert [(n.kind, n.attempt, n.attempts) for n in notices] == [("retry", 2, 5),
                                                                  ("retry", 3, 5)]
    assert notices[0].sentence().endswith(
        "retrying externalcontact/mark_tag (errcode -1, attempt 2/5)")
    assert "正在重试 externalcontact/mark_tag（服务器错误 HTTP 502，第 3/5 次）" in notices[1].sentence()


def test_an_echo_answer_does_not_extend_a_running_pause(clock: FakeClock) -> None:
    limiter = RateLimiter(RateLimits(), clock=clock)
    sent = clock.now()
    clock.advance(1.0)
    assert limiter.pause(60.0, sent_at=sent)
    clock.advance(5.0)
    assert not limiter.pause(60.0, sent_at=sent)  # sent before the pause began
    assert limiter.pause_remaining() == pytest.approx(55.0)
    assert limiter.pause_serial == 1
    clock.advance(56.0)
    assert limiter.pause(60.0, sent_at=clock.now())  # a new block after the pause
    assert limiter.pause_serial == 2


def test_the_registry_gives_one_transport_per_corp_and_app() -> None:
    limits = RateLimits(calls_per_minute=600)
    first = acquire_transport(API_BASE, CORP_ID, SECRET, limits)
    again = acquire_transport(API_BASE.rstrip("/"), CORP_ID, SECRET, limits)
    other_app = acquire_transport(API_BASE, CORP_ID, "another-secret", limits)
    other_corp = acquire_transport(API_BASE, "wwOTHER", SECRET, limits)
    try:
        assert again is first
        assert other_app is not first and other_app.limiter is first.limiter
        assert other_corp.limiter is not first.limiter
        tighter = RateLimits(calls_per_minute=60)
        assert acquire_transport(API_BASE, CORP_ID, SECRET, tighter) is first
        release_transport(API_BASE, CORP_ID, SECRET)
        assert first.limits == tighter  # an edited profile applies to the shared budget
    finally:
        for _ in range(2):
            release_transport(API_BASE, CORP_ID, SECRET)
        release_transport(API_BASE, CORP_ID, "another-secret")
        release_transport(API_BASE, "wwOTHER", SECRET)
    fresh = acquire_transport(API_BASE, CORP_ID, SECRET, limits)
    try:
        assert fresh is not first  # the last holder closed it
    finally:
        release_transport(API_BASE, CORP_ID, SECRET)


def test_each_view_keeps_its_own_retry_policy_over_the_shared_budget(
    transport: WeComTransport, fake_wecom: FakeWeCom
) -> None:
    impatient = WeComClient.over(transport, policy=RateLimits(max_retries=0))
    patient = WeComClient.over(transport)
    fake_wecom.script("externalcontact/mark_tag", BUSY, BUSY, OK)
    with pytest.raises(WeComError):
        impatient.mark_tag("u", "wm", add=["et1"])
    patient.mark_tag("u", "wm", add=["et1"])  # retried past the second -1
    assert impatient.calls_by_path()["externalcontact/mark_tag"] == 1
    assert patient.calls_by_path()["externalcontact/mark_tag"] == 2


def test_an_answer_slow_to_come_is_reported_while_it_is_awaited(
    transport: WeComTransport, fake_wecom: FakeWeCom, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desktop.wecom.transport as transport_module

    monkeypatch.setattr(transport_module, "SLOW_AFTER_S", 0.2)
    monkeypatch.setattr(transport_module, "WATCH_EVERY_S", 0.05)
    monkeypatch.setattr(transport_module, "NOTICE_EVERY_S", 0.1)
    notices: list[WaitNotice] = []
    client = WeComClient.over(transport, on_wait=notices.append)
    client.get_token()

    def hanging(_call: object) -> dict[str, object]:
        time.sleep(0.8)
        return OK

    fake_wecom.script("externalcontact/mark_tag", hanging)
    client.mark_tag("u", "wm", add=["et1"])
    slow = [n for n in notices if n.kind == "slow"]
    assert len(slow) >= 2 and all(n.path == "externalcontact/mark_tag" for n in slow)
    assert slow[-1].seconds > slow[0].seconds >= 0.2
    assert re.fullmatch(r"企业微信已 \d+ 秒未应答 externalcontact/mark_tag（最多等待 30 秒） / WeCom"
                        r" has not answered externalcontact/mark_tag for \d+ s \(waiting up to"
                        r" 30 s\)", slow[0].sentence())
    count = len(notices)
    time.sleep(0.3)
    assert len(notices) == count  # answered: no more notices
