"""The desktop's side of a TagDesk team server: what it serves, and logging in to it.

In team mode a profile's API base is the server's `/cgi-bin/` and its "secret" is the
device token the server issued at login, kept only in the OS keyring (`secrets.py`): the
same WeCom client then talks to the server exactly as it would to WeCom. This module only
covers the server's own `/tagdesk/v1/` endpoints (which corp it serves, login).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from desktop.domain.errors import UserError
from desktop.services.profiles import Profile, ProfileStore
from desktop.store.journal import VerifyResult
from desktop.store.journal_query import JournalRow
from desktop.wecom.error_codes import TEAM_NOT_LOGGED_IN, describe
from desktop.wecom.errors import NetworkReason, WeComNetworkError

TIMEOUT_S = (5.0, 30.0)


class TeamServerError(UserError):
    """The team server refused, or could not be reached; one sentence in zh and en.
    ``errcode`` is the server's answer (None when there was none)."""

    def __init__(self, zh: str, en: str, errcode: int | None = None) -> None:
        super().__init__(zh, en)
        self.errcode = errcode


class NotLoggedInError(TeamServerError):
    """A team profile whose device token is not in the keyring: log in first."""

    def __init__(self, profile: Profile) -> None:
        info = describe(TEAM_NOT_LOGGED_IN, "login")
        super().__init__(info.zh.replace("配置名", profile.name),
                         info.en.replace("NAME", profile.name), TEAM_NOT_LOGGED_IN)
        self.profile = profile


@dataclass(frozen=True)
class TeamInfo:
    corp_id: str
    agent_id: int | None
    calls_per_minute: int | None = None     # the server's WeCom budget (None: an older server)
    max_concurrency: int | None = None


@dataclass(frozen=True)
class LoginChallenge:
    login_id: str
    expires_in: int


@dataclass(frozen=True)
class DeviceLogin:
    userid: str
    device_id: int
    token: str


def normalized_url(team_url: str) -> str:
    """`team_url` with exactly one trailing slash; refused unless it is an http(s) URL."""
    parts = urlsplit(team_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TeamServerError(
            f"团队服务器地址 {team_url!r} 不是 http(s) 网址，例如 https://tagdesk.example.com/ 。",
            f"The team server address {team_url!r} is not an http(s) URL such as "
            "https://tagdesk.example.com/.",
        )
    return team_url.strip().rstrip("/") + "/"


def team_api_base(team_url: str) -> str:
    """Where the desktop's WeCom client sends its calls in team mode."""
    return normalized_url(team_url) + "cgi-bin/"


def fetch_info(team_url: str) -> TeamInfo:
    data = _exchange("GET", team_url, "tagdesk/v1/info", None)
    return TeamInfo(str(data.get("corp_id", "")), _count(data.get("agent_id")),
                    _count(data.get("calls_per_minute")), _count(data.get("max_concurrency")))


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def start_login(team_url: str, userid: str) -> LoginChallenge:
    """Ask the server to send `userid` a one-time code through WeCom."""
    data = _exchange("POST", team_url, "tagdesk/v1/login/start", {"userid": userid})
    return LoginChallenge(str(data.get("login_id", "")), int(data.get("expires_in", 0)))


def finish_login(team_url: str, challenge: LoginChallenge, code: str,
                 device_name: str) -> DeviceLogin:
    data = _exchange("POST", team_url, "tagdesk/v1/login/finish", {
        "login_id": challenge.login_id, "code": code.strip(), "device_name": device_name,
    })
    return DeviceLogin(str(data.get("userid", "")), int(data.get("device_id", 0)),
                       str(data.get("device_token", "")))


def journal_call(team_url: str, session_token: str, action: str,
                 criteria: Mapping[str, Any]) -> dict[str, Any]:
    """One `/tagdesk/v1/journal[/action]` request; criteria travel in a JSON body, so long
    lists of customers or ids need no long URL."""
    path = "tagdesk/v1/journal" + (f"/{action}" if action else "")
    return _exchange("POST", team_url, path, dict(criteria), {"access_token": session_token})


def team_row(row: Mapping[str, Any]) -> JournalRow:
    """A team journal row as the desktop's JournalRow; the names the server does not know
    (customer, operator's and owner's names) are left empty."""
    return JournalRow(
        id=int(row["id"]), ts=float(row["ts"]), operator=str(row["operator"]),
        operator_name="", action=str(row["action"]), source=str(row["source"]),
        batch_id=str(row["batch_id"]), external_userid=str(row["external_userid"]),
        customer="", userid=str(row["userid"]), owner_name="",
        tag_id=str(row["tag_id"]), tag_name=str(row["tag_name"]),
        group_name=str(row["group_name"]), before=str(row["before"]),
        after=str(row["after"]), reason=str(row["reason"]),
        probable_operator=str(row.get("probable_operator") or ""),
        seen_after=float(row.get("seen_after") or 0.0),
    )


def iter_team_journal(team_url: str, session_token: str,
                      criteria: Mapping[str, str | Sequence[str]],
                      page_size: int = 500) -> Iterator[JournalRow]:
    """The team journal's rows matching `criteria` (the server's filter parameters), oldest
    first, read page by page."""
    after_id = 0
    while True:
        data = journal_call(team_url, session_token, "",
                            {**criteria, "after_id": after_id, "limit": page_size})
        for row in data.get("rows") or []:
            yield team_row(row)
        next_id = data.get("next_after_id")
        if not isinstance(next_id, int) or next_id <= after_id:
            return
        after_id = next_id


def verify_team_journal(team_url: str, session_token: str) -> VerifyResult:
    """The server's check of the team journal's hash chain."""
    data = journal_call(team_url, session_token, "verify", {})
    first_bad = data.get("first_bad_id")
    bad = first_bad if isinstance(first_bad, int) else None
    problem = "" if data.get("ok") else (
        f"团队日志的哈希链在第 {bad} 行断开 / the team journal's hash chain breaks at row {bad}"
        if bad is not None else
        "团队日志末尾的行被删除 / rows were cut off the end of the team journal")
    rows = int(data.get("rows_checked", 0))  # the server walks its whole chain
    return VerifyResult(bool(data.get("ok")), rows, bad, problem,
                        (problem,) if problem else (), rows_walked=rows)


def store_device_token(profile: Profile, token: str) -> None:
    """The device token takes the place of the corp secret: keyring only, kept for the
    profile's user (`secrets._account`)."""
    from desktop.services import secrets

    secrets.store_secret(profile.name, profile.corp_id, token, user=profile.userid)


def load_device_token(profile: Profile) -> str:
    """The token of the profile's user; a login kept before tokens were kept per user is
    read where it was."""
    from desktop.services import secrets  # the keyring loads for a team profile only

    for user in dict.fromkeys((profile.userid, "")):
        try:
            return secrets.load_secret(profile.name, profile.corp_id, user=user)
        except secrets.SecretMissing:
            continue
    raise NotLoggedInError(profile)


def profile_needing_login(home: Path, name: str) -> Profile | None:
    """The saved team profile `name` when no device token for it is in the keyring;
    None for any other profile (or a name that is not saved: opening it says so)."""
    try:
        profile = ProfileStore(home).get(name)
    except UserError:
        return None
    if not profile.is_team:
        return None
    try:
        load_device_token(profile)
    except NotLoggedInError:
        return profile
    return None


def complete_login(home: Path, profile: Profile, challenge: LoginChallenge, code: str,
                   device_name: str) -> tuple[Profile, DeviceLogin]:
    """Finish a login: the device token goes to the keyring, and the profile records the
    user the server logged in (the operator of its journal rows)."""
    device = finish_login(profile.team_url, challenge, code, device_name)
    if device.userid and device.userid != profile.userid:
        profile = replace(profile, userid=device.userid)
        ProfileStore(home).add(profile)
    store_device_token(profile, device.token)
    return profile, device


def team_call(method: str, team_url: str, path: str, body: dict[str, Any] | None = None,
              params: dict[str, Any] | None = None) -> dict[str, Any]:
    """One call to the team server's own API (`tagdesk/v1/...`): its answer, or one
    TeamServerError sentence."""
    return _exchange(method, team_url, path, body, params)


def _exchange(method: str, team_url: str, path: str, body: dict[str, Any] | None,
              params: dict[str, Any] | None = None) -> dict[str, Any]:
    import requests  # the HTTP client loads for a team profile only

    url = normalized_url(team_url) + path
    try:
        response = requests.request(method, url, json=body, params=params, timeout=TIMEOUT_S)
    except requests.RequestException as exc:
        raise TeamServerError(
            f"团队服务器不可用（{normalized_url(team_url)}）：无法连接（{type(exc).__name__}），"
            "请检查地址和网络或稍后重试。",
            f"The team server is unavailable ({normalized_url(team_url)}): it cannot be reached"
            f" ({type(exc).__name__}); check the address and the network or retry later.",
        ) from None
    if response.status_code in (502, 503):
        failure = WeComNetworkError(urlsplit(url).netloc, path, NetworkReason.SERVER_ERROR,
                                    attempts=1, status=response.status_code,
                                    team_url=normalized_url(team_url))
        raise TeamServerError(failure.explanation_zh, failure.explanation_en)
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("errcode"), int):
        raise TeamServerError(
            f"{normalized_url(team_url)} 不是 TagDesk 团队服务器（HTTP {response.status_code}）。",
            f"{normalized_url(team_url)} is not a TagDesk team server "
            f"(HTTP {response.status_code}).",
        )
    errcode = data["errcode"]
    if errcode != 0:
        info = describe(errcode, path, str(data.get("errmsg", "")))
        raise TeamServerError(f"{info.zh}（errcode {errcode}）", f"{info.en} (errcode {errcode})",
                              errcode)
    return data
