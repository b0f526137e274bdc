"""Token lifecycle, credentials and request hygiene of the sandbox over real HTTP."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest
import requests

from desktop.sandbox import SandboxServer
from tests.integration.sandbox_support import WeComHttp, running_sandbox

BUSINESS_CALL = "externalcontact/get_follow_user_list"


def test_gettoken_hands_out_one_token_while_it_is_valid(sandbox: SandboxServer) -> None:
    with WeComHttp(sandbox) as api:
        first, second = api.gettoken(), api.gettoken()
        assert first["errcode"] == 0 and first["errmsg"] == "ok"
        assert first["expires_in"] == 7200
        assert len(first["access_token"]) >= 64
        assert second["access_token"] == first["access_token"]
        assert api.get(BUSINESS_CALL)["errcode"] == 0


@pytest.mark.parametrize(
    ("corpid", "secret", "errcode"),
    [
        ("wwNOSUCHCORP", None, 40013),
        (None, "wrong-secret", 40001),
        ("", None, 41002),
        (None, "", 41004),
    ],
)
def test_gettoken_rejects_bad_credentials(
    sandbox: SandboxServer, corpid: str | None, secret: str | None, errcode: int
) -> None:
    with WeComHttp(sandbox) as api:
        answer = api.gettoken(corpid, secret)
    assert answer["errcode"] == errcode
    assert "access_token" not in answer


def test_business_calls_need_a_valid_token(sandbox: SandboxServer) -> None:
    with WeComHttp(sandbox) as api:
        api.login()
        assert api.get(BUSINESS_CALL, token="")["errcode"] == 41001
        assert api.session.get(api.base + BUSINESS_CALL).json()["errcode"] == 41001
        assert api.get(BUSINESS_CALL, token="made-up-token")["errcode"] == 40014


def test_expired_tokens_answer_42001_until_a_new_one_is_fetched(sandbox: SandboxServer) -> None:
    with WeComHttp(sandbox) as api:
        old = api.login().token
        sandbox.expire_tokens()
        assert api.get(BUSINESS_CALL)["errcode"] == 42001
        assert api.post("externalcontact/get_corp_tag_list", {})["errcode"] == 42001
        assert api.login().token != old
        assert api.get(BUSINESS_CALL)["errcode"] == 0
        assert api.get(BUSINESS_CALL, token=old)["errcode"] == 42001
    assert sandbox.stats.errors(42001) == 3


def test_invalidated_tokens_answer_40014(sandbox: SandboxServer) -> None:
    with WeComHttp(sandbox) as api:
        api.login()
        sandbox.invalidate_tokens()
        assert api.get(BUSINESS_CALL)["errcode"] == 40014
        api.login()
        assert api.get(BUSINESS_CALL)["errcode"] == 0


def test_tokens_expire_after_token_ttl(tmp_path: Path) -> None:
    with running_sandbox(tmp_path, token_ttl=1) as server, WeComHttp(server) as api:
        assert api.gettoken()["expires_in"] == 1
        assert api.get(BUSINESS_CALL)["errcode"] == 0
        time.sleep(1.05)
        assert api.get(BUSINESS_CALL)["errcode"] == 42001


def test_errmsg_imitates_wecom_with_hint_and_more_info(sandbox: SandboxServer) -> None:
    with WeComHttp(sandbox) as api:
        errmsg = api.get(BUSINESS_CALL, token="nope")["errmsg"]
    assert errmsg.startswith("invalid access_token, hint: [")
    assert "from ip: 127.0.0.1" in errmsg
    assert errmsg.endswith("more info at https://open.work.weixin.qq.com/devtool/query?e=40014")


def test_escaped_chinese_in_a_body_answers_40033(sandbox: SandboxServer) -> None:
    body = {"group_name": "客户等级", "tag": [{"name": "新标签"}]}
    with WeComHttp(sandbox) as api:
        api.login()
        escaped = api.post_raw("externalcontact/add_corp_tag", json.dumps(body).encode()).json()
        assert escaped["errcode"] == 40033
        assert sandbox.state.find_tag("客户等级", "新标签") is None
        plain = api.post("externalcontact/add_corp_tag", body)
        assert plain["errcode"] == 0
        assert plain["tag_group"]["tag"][0]["name"] == "新标签"


@pytest.mark.parametrize(
    ("data", "errcode"),
    [(b"{not json", 47001), (b"", 47001), (b"[1, 2]", 47001), (b'{"x": "\xff"}', 40033)],
)
def test_malformed_bodies_are_rejected(sandbox: SandboxServer, data: bytes, errcode: int) -> None:
    with WeComHttp(sandbox) as api:
        api.login()
        answer = api.post_raw("externalcontact/get_corp_tag_list", data).json()
    assert answer["errcode"] == errcode


def test_wrong_method_and_unknown_paths(sandbox: SandboxServer) -> None:
    with WeComHttp(sandbox) as api:
        api.login()
        assert api.post(BUSINESS_CALL, {})["errcode"] == 43001
        assert api.get("externalcontact/get_corp_tag_list")["errcode"] == 43002
        unknown = api.post("externalcontact/no_such_api", {})
        assert unknown["errcode"] == 48002
        assert "no_such_api" in unknown["errmsg"]
        assert requests.get(api.base.replace("/cgi-bin/", "/elsewhere")).status_code == 404


def test_secrets_and_tokens_stay_out_of_the_log(
    sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="tagdesk.sandbox")
    with WeComHttp(sandbox) as api:
        token = api.login().token
        api.get(BUSINESS_CALL)
        api.get(BUSINESS_CALL, token="bad")
    assert "gettoken" in caplog.text and BUSINESS_CALL in caplog.text
    assert sandbox.secret not in caplog.text
    assert token not in caplog.text
