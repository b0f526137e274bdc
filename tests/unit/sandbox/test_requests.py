"""Request bodies and error messages as WeCom treats them."""

from __future__ import annotations

import json

import pytest

from desktop.sandbox.cursor import decode_cursor, encode_cursor
from desktop.sandbox.dispatcher import parse_json_body
from desktop.sandbox.errors import ApiError, format_errmsg


def _errcode(raw: bytes) -> int:
    with pytest.raises(ApiError) as error:
        parse_json_body(raw)
    return error.value.errcode


def test_unescaped_utf8_json_is_accepted() -> None:
    body = {"group_name": "客户等级", "tag": [{"name": "VIP🌸"}]}
    assert parse_json_body(json.dumps(body, ensure_ascii=False).encode()) == body


@pytest.mark.parametrize(
    "raw",
    [
        json.dumps({"name": "中文"}).encode(),
        b'{"name": "\\u00e9"}',
        b'{"name": "a\\\\\\u4e2d"}',
        json.dumps({"name": "🌸"}).encode(),
    ],
)
def test_escaped_non_ascii_answers_40033(raw: bytes) -> None:
    assert _errcode(raw) == 40033


@pytest.mark.parametrize(
    "raw",
    [b'{"name": "\\u0022quoted\\u0022"}', b'{"path": "C:\\\\u4e2d"}', b'{"tab": "\\u0009"}'],
)
def test_ascii_escapes_and_escaped_backslashes_are_fine(raw: bytes) -> None:
    assert parse_json_body(raw)


@pytest.mark.parametrize(
    ("raw", "errcode"),
    [(b"\xff\xfe", 40033), (b"{bad", 47001), (b"", 47001), (b"[]", 47001), (b'"x"', 47001)],
)
def test_bad_bodies(raw: bytes, errcode: int) -> None:
    assert _errcode(raw) == errcode


def test_errmsg_carries_detail_hint_ip_and_link() -> None:
    message = format_errmsg(ApiError(40068, "etBAD"), "10.1.2.3")
    assert message.startswith("invalid tagid: etBAD, hint: [")
    assert ", from ip: 10.1.2.3, more info at " in message
    assert message.endswith("devtool/query?e=40068")


def test_cursors_round_trip_and_reject_foreign_ones() -> None:
    cursor = encode_cursor("batch", "张三", 42)
    assert cursor.isascii() and "张" not in cursor
    assert decode_cursor("batch", cursor) == ["张三", 42]
    for foreign in (encode_cursor("ways", 1), "not a cursor!", "", "W10"):
        with pytest.raises(ApiError) as error:
            decode_cursor("batch", foreign)
        assert error.value.errcode == 40058
