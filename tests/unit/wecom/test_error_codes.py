"""The errcode table: every documented code explained in both languages and routed right."""

from __future__ import annotations

import re

import pytest

from desktop.services.errors import readable
from desktop.wecom.error_codes import (
    ERROR_TABLE,
    TEAM_CODE_EXPIRED,
    TEAM_CODE_WRONG,
    TEAM_NOT_ALLOWED,
    TEAM_NOT_LOGGED_IN,
    TEAM_TOKEN_REVOKED,
    TEAM_TOO_MANY_ATTEMPTS,
    ErrorKind,
    describe,
)
from desktop.wecom.errors import CallCancelled, NetworkReason, WeComError, WeComNetworkError

# Every code in wecom-api.md §11 plus the gettoken errors of §1.
DOCUMENTED_CODES = [
    -1,
    6000,
    40001,
    40003,
    40013,
    40014,
    40033,
    40058,
    40063,
    40068,
    40071,
    40072,
    40091,
    40096,
    41001,
    41002,
    41004,
    42001,
    42009,
    45009,
    45033,
    48002,
    50002,
    60011,
    60020,
    60111,
    81011,
    84061,
    84074,
    84084,
    41017,
    45029,
    48009,
]
CJK = re.compile(r"[\u4e00-\u9fff]")

# TagDesk's own, answered only by a team server: not logged in, revoked, too many attempts.
TEAM_CONFIGURATION = [TEAM_NOT_LOGGED_IN, TEAM_TOKEN_REVOKED, TEAM_TOO_MANY_ATTEMPTS]
CONFIGURATION = [40013, 40056, 40091, 41002, 41004, 48002, 48009, 60020, 84074,
                 *TEAM_CONFIGURATION]
PERMANENT_ITEM = [
    40003,
    40068,
    40071,
    40072,
    40096,
    44004,
    45002,
    50002,
    60011,
    60111,
    60123,
    81011,
    81013,
    84061,
    84084,
    TEAM_CODE_WRONG,
    TEAM_CODE_EXPIRED,
]
TOKEN = [40001, 40014, 41001, 42001, 42009]
RETRYABLE = [-1, 6000]
INVALID_REQUEST = [40008, 40033, 40058, 40063, 41017, 43001, 43002, 45029, 47001]


@pytest.mark.parametrize("code", [*DOCUMENTED_CODES, *TEAM_CONFIGURATION, TEAM_CODE_WRONG,
                                  TEAM_CODE_EXPIRED])
def test_every_documented_code_has_chinese_and_english_advice(code: int) -> None:
    info = ERROR_TABLE[code]
    assert CJK.search(info.zh), info.zh
    assert not CJK.search(info.en) and len(info.en) > 20, info.en
    assert info.kind is not ErrorKind.UNKNOWN


def test_the_kind_lists_cover_the_whole_table() -> None:
    listed = CONFIGURATION + PERMANENT_ITEM + TOKEN + RETRYABLE + INVALID_REQUEST + [45009, 45033]
    assert sorted(listed) == sorted(ERROR_TABLE)


@pytest.mark.parametrize(
    ("codes", "kind"),
    [
        (CONFIGURATION, ErrorKind.CONFIGURATION),
        (PERMANENT_ITEM, ErrorKind.PERMANENT_ITEM),
        (TOKEN, ErrorKind.TOKEN),
        (RETRYABLE, ErrorKind.RETRYABLE),
        (INVALID_REQUEST, ErrorKind.INVALID_REQUEST),
        ([45009], ErrorKind.RATE_LIMITED),
        ([45033], ErrorKind.CONCURRENCY),
    ],
)
def test_kinds_on_a_business_call(codes: list[int], kind: ErrorKind) -> None:
    for code in codes:
        assert WeComError(code, "x", "externalcontact/mark_tag").kind is kind, code


def test_40001_on_gettoken_is_a_wrong_secret_not_a_stale_token() -> None:
    on_gettoken = WeComError(40001, "invalid credential", "gettoken")
    on_business = WeComError(40001, "invalid credential", "externalcontact/mark_tag")
    assert on_gettoken.kind is ErrorKind.CONFIGURATION
    assert "Secret" in on_gettoken.explanation_zh
    assert on_business.kind is ErrorKind.TOKEN


def test_str_is_one_readable_chinese_line_with_code_and_path() -> None:
    err = WeComError(40013, "invalid corpid, hint: [123], from ip: 1.2.3.4", "gettoken")
    text = str(err)
    assert "\n" not in text
    assert "企业ID" in text and "40013" in text and "gettoken" in text
    assert "1.2.3.4" not in text  # WeCom's hint suffix is noise for users
    assert err.errmsg.startswith("invalid corpid")
    assert err.explanation_en.startswith("Invalid corp ID")


def test_unknown_code_quotes_errmsg_without_the_hint_suffix() -> None:
    info = describe(99999, "externalcontact/get", "weird thing, hint: [abc], more info at x")
    assert info.kind is ErrorKind.UNKNOWN
    assert info.zh.endswith("weird thing")
    assert "hint" not in info.en
    assert "99999" in str(WeComError(99999, "", "externalcontact/get"))


def test_a_team_refusal_shows_the_servers_sentence_as_it_is_in_each_language() -> None:
    sentence = ("规则「华北 / VIP」只能由管理员修改 / Only an administrator may change the rule"
                " '华北 / VIP'")                    # a name holding the separator, in both halves
    err = WeComError(TEAM_NOT_ALLOWED, sentence, "tagdesk/v1/rules/put")
    assert err.explanation_zh == "规则「华北 / VIP」只能由管理员修改"
    assert err.explanation_en == "Only an administrator may change the rule '华北 / VIP'"
    assert readable(err, english=True).startswith(f"{err.explanation_en} (errcode 9001010")
    assert readable(err, english=False).startswith(f"{err.explanation_zh}（errcode 9001010")
    assert describe(TEAM_NOT_ALLOWED, "x", "").en == "The team server refused this change."


def test_network_error_names_the_host_in_one_sentence() -> None:
    err = WeComNetworkError("127.0.0.1:9", "gettoken", NetworkReason.UNREACHABLE, attempts=3)
    text = str(err)
    assert "\n" not in text
    assert "127.0.0.1:9" in text and "3" in text
    assert "127.0.0.1:9" in err.explanation_en
    assert not err.may_have_applied


def test_network_error_says_when_a_write_may_have_applied() -> None:
    err = WeComNetworkError(
        "relay.example",
        "externalcontact/add_contact_way",
        NetworkReason.TIMEOUT,
        attempts=1,
        may_have_applied=True,
    )
    assert "可能已经生效" in str(err)
    assert "may have taken effect" in err.explanation_en


def test_server_error_quotes_the_status() -> None:
    err = WeComNetworkError("h", "p", NetworkReason.SERVER_ERROR, attempts=5, status=502)
    assert "502" in str(err)


def test_call_cancelled_is_readable() -> None:
    assert str(CallCancelled()) == "操作已取消。 / Cancelled."
