"""WeCom-style errors: an errcode plus an errmsg that imitates the real server's wording.

Real errmsgs end with ``, hint: [...], from ip: ..., more info at ...?e=CODE``; the sandbox
copies that suffix so clients learn early not to parse errmsg text.
"""

from __future__ import annotations

import itertools
import secrets
import time
from typing import Any

MORE_INFO_URL = "https://open.work.weixin.qq.com/devtool/query?e="

ERRMSG: dict[int, str] = {
    -1: "system busy",
    0: "ok",
    40001: "invalid credential, access_token is invalid or not latest",
    40008: "invalid message type",
    40013: "invalid corpid",
    40014: "invalid access_token",
    40033: "invalid charset. please check your request, if include \\uxxxx will create fail!",
    40056: "invalid agentid",
    40058: "invalid parameter",
    40063: "some parameters are empty",
    40068: "invalid tagid",
    40071: "tag name already exists",
    40072: "invalid tag name length",
    40096: "invalid external userid",
    41001: "access_token missing",
    41002: "corpid missing",
    41004: "corpsecret missing",
    42001: "access_token expired",
    43001: "require GET method",
    43002: "require POST method",
    44004: "empty content",
    45002: "content size out of limit",
    45009: "api freq out of limit",
    45033: "api concurrent out of limit",
    47001: "data format error",
    48002: "api forbidden",
    60011: "no privilege to access/modify contact/party/agent",
    60020: "not allow to access from your ip",
    60111: "userid not found",
    60123: "invalid party id",
    81011: "no privilege to modify tag",
    81013: "user & party & tag all invalid",
    84061: "not external contact",
}

_hint_counter = itertools.count(1)


class ApiError(Exception):
    """A business outcome other than success; answered as HTTP 200 with this errcode."""

    def __init__(
        self, errcode: int, detail: str = "", fields: dict[str, Any] | None = None
    ) -> None:
        self.errcode = errcode
        self.detail = detail
        self.fields = fields or {}
        super().__init__(errcode, detail)

    def __str__(self) -> str:
        base = ERRMSG.get(self.errcode, "unknown error")
        return f"{base}: {self.detail}" if self.detail else base


def format_errmsg(error: ApiError, client_ip: str) -> str:
    """The errmsg WeCom would send for `error`, hint and more-info suffix included."""
    hint = f"{int(time.time())}_{next(_hint_counter)}_{secrets.token_hex(16)}"
    return (
        f"{error}, hint: [{hint}], from ip: {client_ip}, "
        f"more info at {MORE_INFO_URL}{error.errcode}"
    )
