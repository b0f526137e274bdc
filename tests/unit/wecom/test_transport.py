"""Token lifecycle, retries, 45009 pauses and network failures, against scripted answers."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
import urllib3.exceptions

from desktop.wecom.client import WeComClient
from desktop.wecom.error_codes import ErrorKind
from desktop.wecom.errors import CallCancelled, NetworkReason, WeComError, WeComNetworkError
from desktop.wecom.ratelimit import RateLimits
from desktop.wecom.transport import ApiRequest, WeComTransport, parse_json
from tests.unit.wecom.fakes import API_BASE, CORP_ID, SECRET, TOKEN, Call, FakeClock, FakeWeCom

FAST = RateLimits(max_retries=3, backoff_base_s=0.001, backoff_max_s=0.002, rate_limit_pause_s=0.05)
OK = {"errcode": 0, "errmsg": "ok"}
BUSY = {"errcode": -1, "errmsg": "system busy"}


def _never_connected(cause: OSError) -> requests.exceptions.ConnectionError:
    """A connection that failed as requests reports it, the OS error as urllib3's cause."""
    failure = urllib3.exceptions.NewConnectionError(None, f"{cause}")  # type: ignore[arg-type]
    failure.__cause__ = cause
    return requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(
        None,  # type: ignore[arg-type]
        f"/cgi-bin/gettoken?corpid={CORP_ID}&corpsecret={SECRET}", failure))


REFUSED = _never_connected(ConnectionRefusedError(111, "Connection refused"))
NO_ROUTE = _never_connected(OSError(113, "No route to host"))


@pytest.fixture
def client(session: requests.Session) -> Iterator[WeComClient]:
    with WeComClient(API_BASE, CORP_ID, SECRET, limits=FAST, session=session) as client:
        yield client


def _count(fake: FakeWeCom, path: str) -> int:
    return sum(1 for call in fake.calls if call.path == path)


def test_token_is_fetched_lazily_once_and_sent_as_query(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    assert fake_wecom.calls == []
    client.get_follow_user_list()
    client.get_follow_user_list()
    assert fake_wecom.paths() == [
        "gettoken",
        "externalcontact/get_follow_user_list",
        "externalcontact/get_follow_user_list",
    ]
    assert fake_wecom.calls[0].query == {"corpid": CORP_ID, "corpsecret": SECRET}
    assert fake_wecom.calls[1].query == {"access_token": TOKEN}
    assert client.api_calls == 3
    assert client.calls_by_path() == {"gettoken": 1, "externalcontact/get_follow_user_list": 2}


def test_token_is_refreshed_shortly_before_it_expires(
    session: requests.Session, fake_wecom: FakeWeCom, clock: FakeClock
) -> None:
    transport = WeComTransport(API_BASE, CORP_ID, SECRET, limits=FAST, session=session, clock=clock)
    transport.get_token()
    clock.advance(7200 - 301)
    transport.get_token()
    assert _count(fake_wecom, "gettoken") == 1
    clock.advance(2)  # now inside the last 5 minutes
    transport.get_token()
    assert _count(fake_wecom, "gettoken") == 2


def test_short_lived_tokens_refresh_at_a_tenth_of_their_life(
    session: requests.Session, fake_wecom: FakeWeCom, clock: FakeClock
) -> None:
    fake_wecom.script("gettoken", {"errcode": 0, "access_token": "T", "expires_in": 100})
    transport = WeComTransport(API_BASE, CORP_ID, SECRET, limits=FAST, session=session, clock=clock)
    transport.get_token()
    clock.advance(89)
    transport.get_token()
    clock.advance(2)
    transport.get_token()
    assert _count(fake_wecom, "gettoken") == 2


def test_concurrent_first_calls_share_one_gettoken(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    def slow_token(call: Call) -> dict[str, object]:
        time.sleep(0.1)
        return {"errcode": 0, "access_token": TOKEN, "expires_in": 7200}

    fake_wecom.script("gettoken", slow_token)
    threads = [threading.Thread(target=client.get_follow_user_list) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert _count(fake_wecom, "gettoken") == 1
    assert _count(fake_wecom, "externalcontact/get_follow_user_list") == 8


@pytest.mark.parametrize("code", [40014, 42001, 41001, 42009, 40001])
def test_token_error_renews_the_token_once_and_resends(
    client: WeComClient, fake_wecom: FakeWeCom, code: int
) -> None:
    fake_wecom.script("externalcontact/mark_tag", {"errcode": code, "errmsg": "token"}, OK)
    client.mark_tag("u", "wm", add=["et1"])
    assert fake_wecom.paths() == [
        "gettoken",
        "externalcontact/mark_tag",
        "gettoken",
        "externalcontact/mark_tag",
    ]


def test_a_persistent_token_error_is_raised_not_looped(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script("externalcontact/mark_tag", {"errcode": 42001, "errmsg": "expired"})
    with pytest.raises(WeComError) as info:
        client.mark_tag("u", "wm", add=["et1"])
    assert info.value.kind is ErrorKind.TOKEN
    assert _count(fake_wecom, "gettoken") == 2
    assert _count(fake_wecom, "externalcontact/mark_tag") == 2


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (40013, ErrorKind.CONFIGURATION),
        (40001, ErrorKind.CONFIGURATION),
        (60020, ErrorKind.CONFIGURATION),
    ],
)
def test_gettoken_errors_are_configuration_errors(
    client: WeComClient, fake_wecom: FakeWeCom, code: int, kind: ErrorKind
) -> None:
    fake_wecom.script("gettoken", {"errcode": code, "errmsg": "bad"})
    with pytest.raises(WeComError) as info:
        client.get_follow_user_list()
    assert info.value.kind is kind and info.value.path == "gettoken"
    assert fake_wecom.paths() == ["gettoken"]


def test_transient_errcodes_are_retried_with_backoff(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script(
        "externalcontact/mark_tag",
        BUSY,
        {"errcode": 6000, "errmsg": "x"},
        {"errcode": 45033, "errmsg": "concurrency"},
        OK,
    )
    client.mark_tag("u", "wm", add=["et1"])
    assert _count(fake_wecom, "externalcontact/mark_tag") == 4


def test_retries_are_bounded_by_max_retries(client: WeComClient, fake_wecom: FakeWeCom) -> None:
    fake_wecom.script("externalcontact/mark_tag", BUSY)
    with pytest.raises(WeComError) as info:
        client.mark_tag("u", "wm", add=["et1"])
    assert info.value.kind is ErrorKind.RETRYABLE
    assert _count(fake_wecom, "externalcontact/mark_tag") == FAST.max_retries + 1


def test_permanent_errors_are_not_retried(client: WeComClient, fake_wecom: FakeWeCom) -> None:
    fake_wecom.script("externalcontact/mark_tag", {"errcode": 40068, "errmsg": "invalid tagid"})
    with pytest.raises(WeComError) as info:
        client.mark_tag("u", "wm", add=["etGONE"])
    assert info.value.kind is ErrorKind.PERMANENT_ITEM
    assert _count(fake_wecom, "externalcontact/mark_tag") == 1


def test_45009_pauses_the_whole_client_then_retries(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script(
        "externalcontact/mark_tag", {"errcode": 45009, "errmsg": "api freq out of limit"}, OK
    )
    started = time.monotonic()
    client.mark_tag("u", "wm", add=["et1"])
    assert time.monotonic() - started >= FAST.rate_limit_pause_s
    assert _count(fake_wecom, "externalcontact/mark_tag") == 2


def test_45009_that_persists_is_raised_as_rate_limited(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script("externalcontact/mark_tag", {"errcode": 45009, "errmsg": "freq"})
    with pytest.raises(WeComError) as info:
        client.mark_tag("u", "wm", add=["et1"])
    assert info.value.kind is ErrorKind.RATE_LIMITED


def test_server_errors_and_dropped_connections_are_retried(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script(
        "externalcontact/get_follow_user_list",
        (502, b"<html>bad gateway</html>"),
        requests.exceptions.ConnectionError("Connection aborted."),
        requests.exceptions.ReadTimeout("read timed out"),
        {"follow_user": ["a"]},
    )
    assert client.get_follow_user_list() == ["a"]


def test_unreachable_api_base_gives_a_network_error_after_the_retries(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script("gettoken", NO_ROUTE)
    with pytest.raises(WeComNetworkError) as info:
        client.get_follow_user_list()
    err = info.value
    assert err.reason is NetworkReason.UNREACHABLE and err.host == "wecom.test"
    assert err.attempts == FAST.max_retries + 1
    assert "wecom.test" in str(err)


@pytest.mark.parametrize(("limits", "attempts"), [
    (FAST, 2), (replace(FAST, refused_retries=0), 1), (replace(FAST, max_retries=0), 1),
])
def test_a_refused_connection_is_retried_once_only(
    session: requests.Session, fake_wecom: FakeWeCom, limits: RateLimits, attempts: int
) -> None:
    """Nothing listens there (a stopped server): retrying for long helps no call."""
    fake_wecom.script("gettoken", REFUSED)
    with WeComClient(API_BASE, CORP_ID, SECRET, limits=limits, session=session) as client, \
            pytest.raises(WeComNetworkError) as info:
        client.get_follow_user_list()
    assert info.value.reason is NetworkReason.UNREACHABLE
    assert info.value.attempts == attempts == _count(fake_wecom, "gettoken")
    assert str(info.value).endswith(f"{attempts} attempt{'s' * (attempts > 1)})")


def test_a_non_json_answer_is_a_network_error_without_retry(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script("externalcontact/get_follow_user_list", (200, b"<html>portal</html>"))
    with pytest.raises(WeComNetworkError) as info:
        client.get_follow_user_list()
    assert info.value.reason is NetworkReason.BAD_RESPONSE and info.value.status == 200
    assert _count(fake_wecom, "externalcontact/get_follow_user_list") == 1


@pytest.mark.parametrize("body", [
    '{"errcode": 0, "next_cursor": "", "remark": "李部长 😀"}'.encode(),
    b'{"errcode": 0, "ratio": NaN}',
    b'{"errcode": 0, "name": "\\ud800x"}',  # a lone surrogate
])
def test_an_answer_parses_as_the_standard_parser_reads_it(body: bytes) -> None:
    parsed, expected = parse_json(body), json.loads(body.decode("utf-8"))
    assert repr(parsed) == repr(expected)  # NaN is equal to nothing, its repr to itself


def test_an_integer_past_64_bits_is_read_as_a_float() -> None:
    assert parse_json(b'{"createtime": 123456789012345678901234567890}') == {
        "createtime": 1.2345678901234568e29}


@pytest.mark.parametrize("body", [b"<html>portal</html>", b'{"errcode": 0', b'"\xff"'])
def test_an_answer_that_is_no_json_is_refused_as_the_standard_parser_refuses_it(
    body: bytes,
) -> None:
    with pytest.raises(ValueError):
        parse_json(body)


def test_a_gettoken_answer_without_token_is_a_bad_response(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script("gettoken", {"errcode": 0, "errmsg": "ok"})
    with pytest.raises(WeComNetworkError) as info:
        client.get_token()
    assert info.value.reason is NetworkReason.BAD_RESPONSE


def test_a_write_is_not_resent_when_its_answer_was_lost(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script(
        "externalcontact/add_contact_way", requests.exceptions.ReadTimeout("read timed out")
    )
    with pytest.raises(WeComNetworkError) as info:
        client.add_contact_way(2, 2, user=["a"])
    assert info.value.may_have_applied and info.value.reason is NetworkReason.TIMEOUT
    assert _count(fake_wecom, "externalcontact/add_contact_way") == 1


def test_a_write_is_resent_when_it_never_left(client: WeComClient, fake_wecom: FakeWeCom) -> None:
    fake_wecom.script("message/send", REFUSED, {"msgid": "m"})
    assert client.send_text_message(["a"], "hi", 1).msgid == "m"
    assert _count(fake_wecom, "message/send") == 2


def test_cancel_event_interrupts_a_rate_limit_pause(
    session: requests.Session, fake_wecom: FakeWeCom
) -> None:
    cancel = threading.Event()
    limits = RateLimits(rate_limit_pause_s=30.0)
    client = WeComClient(
        API_BASE, CORP_ID, SECRET, limits=limits, session=session, cancel_event=cancel
    )
    fake_wecom.script("externalcontact/mark_tag", {"errcode": 45009, "errmsg": "freq"})
    threading.Timer(0.1, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(CallCancelled):
        client.mark_tag("u", "wm", add=["et1"])
    assert time.monotonic() - started < 1.5
    assert client.limiter.pause_remaining() > 25


def test_requests_are_counted_per_path(client: WeComClient, fake_wecom: FakeWeCom) -> None:
    fake_wecom.script("externalcontact/mark_tag", BUSY, OK)
    client.mark_tag("u", "wm", add=["et1"])
    client.list_corp_tags()
    assert client.api_calls == 4
    assert client.calls_by_path() == {
        "gettoken": 1,
        "externalcontact/mark_tag": 2,
        "externalcontact/get_corp_tag_list": 1,
    }


def test_raw_transport_request(session: requests.Session, fake_wecom: FakeWeCom) -> None:
    transport = WeComTransport(API_BASE.rstrip("/"), CORP_ID, SECRET, limits=FAST, session=session)
    fake_wecom.script("department/simplelist", {"department_id": [{"id": 1}]})
    data = transport.call(ApiRequest("GET", "department/simplelist", {"id": 1}))
    assert data["department_id"] == [{"id": 1}]
    assert fake_wecom.calls[-1].query == {"id": "1", "access_token": TOKEN}


def test_calls_go_through_the_proxy_the_environment_names_unless_no_proxy_names_the_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The environment's proxy is read once, with the session the first call makes: requests
    read it again at every call."""
    seen: list[str] = []

    class Proxy(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            body = json.dumps({**OK, "access_token": TOKEN, "expires_in": 7200}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    for name in ("HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    proxied, direct = (WeComTransport("http://wecom.invalid/cgi-bin", CORP_ID, SECRET,
                                      limits=replace(FAST, max_retries=0)) for _ in range(2))
    with ThreadingHTTPServer(("127.0.0.1", 0), Proxy) as proxy:
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.server_port}")
        try:
            assert proxied.get_token() == TOKEN
            monkeypatch.setenv("NO_PROXY", "wecom.invalid")
            with pytest.raises(WeComNetworkError):
                direct.get_token()
        finally:
            proxy.shutdown()
            proxied.close()
            direct.close()
    assert seen == [f"http://wecom.invalid/cgi-bin/gettoken?corpid={CORP_ID}&corpsecret={SECRET}"]
