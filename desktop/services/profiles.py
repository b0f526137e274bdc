"""Profiles: one WeCom corp (or the demo) each, with its own cache folder.

`profiles.json` under the TagDesk home holds everything but the secret, which
lives only in the OS keyring (see `secrets.py`).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.services.home import private_dir, private_file

DEMO_PROFILE = "demo"
NAME_MAX = 40
# Letters, digits, Chinese characters and _ . -; never a leading or trailing dot (`.`, `..`
# and hidden folders; Windows drops a trailing dot, so `a.` would share `a`'s folder).
NAME_PATTERN = re.compile(
    rf"^(?!\.)[A-Za-z0-9_.\-\u3400-\u4dbf\u4e00-\u9fff]{{1,{NAME_MAX}}}(?<!\.)$"
)


class ProfileError(UserError):
    """A profile problem the user can fix; `str()` is one readable sentence."""


class MissingUseridError(ProfileError):
    """A WeCom profile without the user's own userid: nothing it writes could name its
    operator in the journal."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"配置 {name} 缺少你的企业微信账号（userid，日志中每一行的操作人），请用 --userid 给出。"
            f" / Profile {name} needs your WeCom userid (the operator of every journal row);"
            " give it with --userid."
        )


@dataclass(frozen=True)
class Profile:
    name: str
    corp_id: str
    api_base: str
    agent_id: int | None = None
    userid: str = ""                  # the person at this desktop: operator of every journal row
    calls_per_minute: int = 6000      # client-side budget (WeCom allows 10,000/min per corp per API)
    max_concurrency: int = 5          # WeCom allows about 5 mark_tag calls in flight per corp
    pilot_size: int = 50
    extra: dict[str, str] = field(default_factory=dict)
    team_url: str = ""                # team mode: calls go to this TagDesk team server

    @property
    def is_demo(self) -> bool:
        return self.name == DEMO_PROFILE

    @property
    def is_team(self) -> bool:
        return bool(self.team_url)

    def with_api_base(self, api_base: str) -> Profile:
        return replace(self, api_base=api_base)


class ProfileStore:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.file = home / "profiles.json"

    def profile_dir(self, name: str) -> Path:
        if name != DEMO_PROFILE:
            check_name(name)
        private_dir(self.home / "profiles")
        return private_dir(self.home / "profiles" / name)

    def cache_path(self, name: str) -> Path:
        return self.profile_dir(name) / "cache.sqlite"

    def _read(self) -> dict[str, dict[str, object]]:
        if not self.file.exists():
            return {}
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ProfileError(
                f"无法读取 {self.file}：{exc} / Cannot read {self.file}: {exc}"
            ) from None
        return {str(k): dict(v) for k, v in data.get("profiles", {}).items()}

    def _write(self, profiles: dict[str, dict[str, object]]) -> None:
        tmp = private_file(self.file.with_suffix(".tmp"))
        tmp.write_text(
            json.dumps({"profiles": profiles}, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        tmp.replace(self.file)

    def list(self) -> list[Profile]:
        return [_from_dict(name, data) for name, data in sorted(self._read().items())]

    def get(self, name: str) -> Profile:
        data = self._read().get(name)
        if data is None:
            known = ", ".join(p.name for p in self.list()) or "—"
            raise ProfileError(
                f"没有名为 {echo(name)} 的配置（已有：{known}）。用 tagdesk profile add 创建。"
                f" / No profile named {echo(name)} (known: {known}); create one with"
                " `tagdesk profile add`."
            )
        return _from_dict(name, data)

    def add(self, profile: Profile) -> None:
        validate(profile)
        profiles = self._read()
        data = asdict(profile)
        data.pop("name")
        profiles[profile.name] = data
        self._write(profiles)
        self.profile_dir(profile.name)

    def remove(self, name: str) -> Profile:
        profile = self.get(name)
        profiles = self._read()
        profiles.pop(name)
        self._write(profiles)
        return profile


def check_name(name: str) -> None:
    """Refuse a name that is not a plain folder name (see `NAME_PATTERN`)."""
    if not NAME_PATTERN.fullmatch(name):
        raise ProfileError(
            f"配置名“{echo(name)}”不可用：只能包含字母、数字、汉字和 _ . -，不能以 . 开头或结尾，"
            f"最多 {NAME_MAX} 个字符。",
            f"The profile name “{echo(name)}” cannot be used: use letters, digits, Chinese"
            f" characters and _ . -, not starting or ending with a dot, at most {NAME_MAX}"
            " characters.",
        )


def validate(profile: Profile) -> None:
    if profile.name == DEMO_PROFILE:
        raise ProfileError(
            "demo 是内置演示配置的名字，请换一个。 / `demo` is the built-in demo profile;"
            " choose another name."
        )
    check_name(profile.name)
    if not profile.corp_id.strip():
        raise ProfileError("企业 ID 不能为空。 / The corp id must not be empty.")
    if not profile.userid.strip():
        raise MissingUseridError(profile.name)
    url = urlparse(profile.api_base)
    if url.scheme not in ("http", "https") or not url.netloc:
        raise ProfileError(
            f"API 地址 {profile.api_base!r} 不是 http(s) 网址，例如"
            " https://qyapi.weixin.qq.com/cgi-bin/ 。 / The API base"
            f" {profile.api_base!r} is not an http(s) URL such as"
            " https://qyapi.weixin.qq.com/cgi-bin/."
        )
    if profile.calls_per_minute < 1 or profile.max_concurrency < 1:
        raise ProfileError(
            "调用频率和并发数必须大于 0。 / Calls per minute and concurrency must be positive."
        )


def _from_dict(name: str, data: dict[str, object]) -> Profile:
    known = {f for f in Profile.__dataclass_fields__ if f != "name"}
    values = {k: v for k, v in data.items() if k in known}
    return Profile(name=name, **values)  # type: ignore[arg-type]
