"""The corp secret and access tokens never reach error texts, tracebacks or log records."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator

import pytest
import requests

from desktop.wecom.client import WeComClient
from desktop.wecom.errors import WeComError, WeComNetworkError
from desktop.wecom.ratelimit import RateLimits
from desktop.wecom.redaction import RedactingFilter, redact
from tests.unit.wecom.fakes import API_BASE, CORP_ID, SECRET, TOKEN, FakeWeCom

FAST = RateLimits(max_retries=3, backoff_base_s=0.001, backoff_max_s=0.002, rate_limit_pause_s=0.01)
LEAKY_URL = f"http://wecom.test/cgi-bin/gettoken?corpid={CORP_ID}&corpsecret={SECRET}"


@pytest.fixture
def client(session: requests.Session) -> Iterator[WeComClient]:
    with WeComClient(API_BASE, CORP_ID, SECRET, limits=FAST, session=session) as client:
        yield client


def _assert_clean(text: str) -> None:
    assert SECRET not in text
    assert TOKEN not in text


def test_redact_masks_query_and_json_values() -> None:
    line = f'GET /cgi-bin/x?access_token={TOKEN}&corpsecret={SECRET}&id=1 {{"access_token": "{TOKEN}"}}'
    cleaned = redact(line)
    _assert_clean(cleaned)
    assert "access_token=***" in cleaned and "corpsecret=***" in cleaned and "id=1" in cleaned


def test_network_error_keeps_nothing_of_the_leaky_requests_exception(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script("gettoken", requests.exceptions.ConnectionError(f"aborted: {LEAKY_URL}"))
    with pytest.raises(WeComNetworkError) as info:
        client.get_token()
    err = info.value
    _assert_clean(str(err))
    _assert_clean(repr(err))
    _assert_clean("".join(traceback.format_exception(err)))
    chained = err.__cause__ or err.__context__
    while chained is not None:
        _assert_clean(str(chained))
        chained = chained.__cause__ or chained.__context__


def test_an_errmsg_echoing_the_token_is_scrubbed(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script(
        "externalcontact/mark_tag",
        {"errcode": 40068, "errmsg": f"invalid tagid, token {TOKEN} secret {SECRET}"},
    )
    with pytest.raises(WeComError) as info:
        client.mark_tag("u", "wm", add=["et1"])
    err = info.value
    for text in (str(err), repr(err), err.errmsg, "".join(traceback.format_exception(err))):
        _assert_clean(text)


def test_log_records_of_a_troubled_run_hold_no_secret(
    client: WeComClient, fake_wecom: FakeWeCom, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_wecom.script(
        "externalcontact/mark_tag",
        {"errcode": 42001, "errmsg": "expired"},
        {"errcode": 45009, "errmsg": "freq"},
        {"errcode": -1, "errmsg": "busy"},
        {"errcode": 0, "errmsg": "ok"},
    )
    client.mark_tag("u", "wm", add=["et1"])
    fake_wecom.script(
        "externalcontact/list", requests.exceptions.ConnectionError(f"reset: {LEAKY_URL}")
    )
    with pytest.raises(WeComNetworkError):
        client.list_external_contacts("u")
    assert any(r.name == "tagdesk.wecom" for r in caplog.records)
    for record in caplog.records:
        _assert_clean(record.getMessage())
    _assert_clean(caplog.text)


def test_urllib3_request_lines_are_redacted(
    client: WeComClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("urllib3.connectionpool").debug(
        '%s://%s:%s "%s %s %s" %s %s',
        "https",
        "qyapi.weixin.qq.com",
        443,
        "GET",
        f"/cgi-bin/gettoken?corpid={CORP_ID}&corpsecret={SECRET}",
        "HTTP/1.1",
        200,
        87,
    )
    (record,) = [r for r in caplog.records if r.name == "urllib3.connectionpool"]
    _assert_clean(record.getMessage())
    assert "corpsecret=***" in record.getMessage()


def test_the_filter_is_installed_once_however_many_clients(session: requests.Session) -> None:
    for _ in range(3):
        WeComClient(API_BASE, CORP_ID, SECRET, session=session).close()
    filters = logging.getLogger("urllib3.connectionpool").filters
    assert sum(isinstance(f, RedactingFilter) for f in filters) == 1
