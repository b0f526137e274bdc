"""Exceptions raised by the WeCom client.

Three families, so callers can route them: :class:`WeComError` (WeCom answered with an
errcode; branch on ``kind``), :class:`WeComNetworkError` (no usable answer at all: the
outbox keeps the work and retries later) and :class:`CallCancelled` (the user stopped).
None of them ever carries the secret or an access token.
"""

from __future__ import annotations

import enum

from desktop.domain.errors import UserError
from desktop.wecom.error_codes import ErrorKind, describe


class WeComError(UserError):
    """WeCom answered ``errcode != 0`` for a call to ``path``."""

    def __init__(self, errcode: int, errmsg: str, path: str) -> None:
        info = describe(errcode, path, errmsg)
        self.errcode = errcode
        self.errmsg = errmsg
        self.path = path
        self.kind: ErrorKind = info.kind
        self.explanation_zh = info.zh
        self.explanation_en = info.en
        super().__init__(
            f"{info.zh}（errcode {errcode}，接口 {path}）", f"{info.en} (errcode {errcode}, API {path})"
        )

    def __repr__(self) -> str:
        return f"WeComError(errcode={self.errcode}, path={self.path!r}, kind={self.kind.name})"


class NetworkReason(enum.Enum):
    """Why no usable answer came back."""

    UNREACHABLE = "unreachable"  # DNS failure, connection refused, connect timeout
    TIMEOUT = "timeout"  # connected, but no answer in time
    CONNECTION_LOST = "connection_lost"  # the connection broke during the exchange
    SERVER_ERROR = "server_error"  # HTTP 5xx
    BAD_RESPONSE = "bad_response"  # an answer that is not WeCom's JSON


_NETWORK_TEXTS: dict[NetworkReason, tuple[str, str]] = {
    NetworkReason.UNREACHABLE: (
        "无法连接企业微信接口 {host}（地址无法解析、连接被拒绝或连接超时），"
        "请检查网络或配置中的接口地址。",
        "Cannot reach the WeCom API at {host} (name not resolved, connection refused or "
        "connect timeout); check the network or the profile's API base.",
    ),
    NetworkReason.TIMEOUT: (
        "企业微信接口 {host} 响应超时，请检查网络后重试。",
        "The WeCom API at {host} did not answer in time; check the network and retry.",
    ),
    NetworkReason.CONNECTION_LOST: (
        "与企业微信接口 {host} 的连接中断，请检查网络后重试。",
        "The connection to the WeCom API at {host} broke off; check the network and retry.",
    ),
    NetworkReason.SERVER_ERROR: (
        "企业微信接口 {host} 返回服务器错误 HTTP {status}，请稍后重试。",
        "The WeCom API at {host} answered with server error HTTP {status}; retry later.",
    ),
    NetworkReason.BAD_RESPONSE: (
        "企业微信接口 {host} 返回的不是有效的接口数据（HTTP {status}），"
        "请检查配置中的接口地址或中转服务。",
        "The WeCom API at {host} answered with something that is not WeCom data "
        "(HTTP {status}); check the profile's API base or relay.",
    ),
}

_MAY_HAVE_APPLIED = (
    "该操作可能已经生效，请同步后确认。",
    "The operation may have taken effect; sync to find out.",
)


class WeComNetworkError(UserError):
    """No usable answer from the API base after the allowed retries.

    ``may_have_applied`` is true when a write left the computer but its answer was lost, so
    WeCom may or may not have carried it out (the client never re-sends such a write).
    """

    def __init__(
        self,
        host: str,
        path: str,
        reason: NetworkReason,
        *,
        attempts: int,
        status: int | None = None,
        may_have_applied: bool = False,
    ) -> None:
        self.host = host
        self.path = path
        self.reason = reason
        self.attempts = attempts
        self.status = status
        self.may_have_applied = may_have_applied
        zh, en = _NETWORK_TEXTS[reason]
        status_text = str(status) if status is not None else "-"
        self.explanation_zh = zh.format(host=host, status=status_text)
        self.explanation_en = en.format(host=host, status=status_text)
        if may_have_applied:
            self.explanation_zh += _MAY_HAVE_APPLIED[0]
            self.explanation_en += " " + _MAY_HAVE_APPLIED[1]
        super().__init__(
            f"{self.explanation_zh}（接口 {path}，已尝试 {attempts} 次）",
            f"{self.explanation_en} (API {path}, {attempts} attempts)",
        )

    def __repr__(self) -> str:
        return (
            f"WeComNetworkError(host={self.host!r}, path={self.path!r}, "
            f"reason={self.reason.name}, attempts={self.attempts})"
        )


class CallCancelled(UserError):
    """A wait (rate limit, pause, backoff) was interrupted by the cancel event."""

    def __init__(self) -> None:
        super().__init__("操作已取消。", "Cancelled.")
