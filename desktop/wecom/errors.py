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

# In team mode (the API base is a TagDesk team server) a failure to reach that server is its
# own, not WeCom's: 502 means the server cannot reach WeCom, 503 that its database is down.
_TEAM_HEAD = ("团队服务器不可用（{url}）：", "The team server is unavailable ({url}): ")
_TEAM_TEXTS: dict[NetworkReason, tuple[str, str]] = {
    NetworkReason.UNREACHABLE: ("无法连接，请检查网络或稍后重试。",
                                "it cannot be reached; check the network or retry later."),
    NetworkReason.TIMEOUT: ("没有按时应答，请稍后重试。",
                            "it did not answer in time; retry later."),
    NetworkReason.CONNECTION_LOST: ("连接中断，请检查网络后重试。",
                                    "the connection broke off; check the network and retry."),
    NetworkReason.SERVER_ERROR: ("服务器错误 HTTP {status}，请稍后重试或联系团队管理员。",
                                 "server error HTTP {status}; retry later or ask the team's"
                                 " administrator."),
    NetworkReason.BAD_RESPONSE: ("返回的不是有效的接口数据（HTTP {status}），请检查配置中的团队"
                                 "服务器地址。", "it answered with something that is not API"
                                 " data (HTTP {status}); check the profile's team server URL."),
}
_TEAM_STATUS_TEXTS: dict[int, tuple[str, str]] = {
    502: ("服务器暂时无法访问企业微信（HTTP 502），请稍后重试或联系团队管理员。",
          "it cannot reach WeCom right now (HTTP 502); retry later or ask the team's"
          " administrator."),
    503: ("服务器的数据库暂时不可用（HTTP 503），请稍后重试或联系团队管理员。",
          "its database is unavailable (HTTP 503); retry later or ask the team's"
          " administrator."),
}

_MAY_HAVE_APPLIED = (
    "该操作可能已经生效，请同步后确认。",
    "The operation may have taken effect; sync to find out.",
)


class WeComNetworkError(UserError):
    """No usable answer from the API base after the allowed retries.

    ``may_have_applied`` is true when a write left the computer but its answer was lost, so
    WeCom may or may not have carried it out (the client never re-sends such a write).
    ``team_url`` names the TagDesk team server that was the API base (team mode): the
    sentence then says the team server is unavailable.
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
        team_url: str = "",
    ) -> None:
        self.host = host
        self.team_url = team_url
        self.path = path
        self.reason = reason
        self.attempts = attempts
        self.status = status
        self.may_have_applied = may_have_applied
        status_text = str(status) if status is not None else "-"
        if team_url:
            zh, en = _TEAM_TEXTS[reason]
            if reason is NetworkReason.SERVER_ERROR:
                zh, en = _TEAM_STATUS_TEXTS.get(status or 0, (zh, en))
            zh, en = _TEAM_HEAD[0] + zh, _TEAM_HEAD[1] + en
        else:
            zh, en = _NETWORK_TEXTS[reason]
        self.explanation_zh = zh.format(host=host, status=status_text, url=team_url)
        self.explanation_en = en.format(host=host, status=status_text, url=team_url)
        if may_have_applied:
            self.explanation_zh += _MAY_HAVE_APPLIED[0]
            self.explanation_en += " " + _MAY_HAVE_APPLIED[1]
        super().__init__(
            f"{self.explanation_zh}（接口 {path}，已尝试 {attempts} 次）",
            f"{self.explanation_en} (API {path}, {attempts} attempt{'s' * (attempts != 1)})",
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
