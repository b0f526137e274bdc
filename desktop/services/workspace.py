"""One opened profile: its settings, its cache, and WeCom clients for it.

Every client a workspace hands out is a view of the corp's one transport in this process
(`desktop.wecom.registry`): a GUI sync, a batch and a `--refresh` running at once share
one rate budget, one concurrency cap, one 45009 pause and one token.
"""

from __future__ import annotations

import hmac
import logging
import os
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.domain.errors import UserError
from desktop.services.demo import demo_profile, start_demo_sandbox
from desktop.services.logs import register_secret
from desktop.services.profiles import DEMO_PROFILE, MissingUseridError, Profile, ProfileStore
from desktop.store.db import Cache
from desktop.store.errors import CacheError
from desktop.store.snapshot import LAST_SYNC_KEY
from desktop.wecom.ratelimit import RateLimits

# The HTTP client, the sandbox and the keyring load on first use: reading the cache alone
# (`tagdesk customers`, `audit list`) needs none of them.
if TYPE_CHECKING:
    from desktop.sandbox.server import SandboxServer
    from desktop.wecom.client import WeComClient
    from desktop.wecom.transport import WaitListener, WeComTransport

log = logging.getLogger("tagdesk.services")

DEMO_PERSONA_KEY = "demo_persona"
# The retries a failed call gets, for scripts that would rather fail fast (0) or wait longer.
RETRIES_ENV = "TAGDESK_RETRIES"
MAX_RETRIES = 10
# The team server's budget is asked again after this long: a server restarted with other
# limits, or one back after it could not be reached, is counted with within a minute.
BUDGET_REREAD_S = 60.0


class Workspace:
    """Everything a command or window needs for one profile. Close it when done."""

    def __init__(
        self,
        home: Path,
        profile: Profile,
        secret: str,
        *,
        exclusive: bool = True,
        check_later: bool = False,
        sandbox: SandboxServer | None = None,
    ) -> None:
        self.home = home
        self.profile = profile
        self._secret = secret
        register_secret(secret)
        self.sandbox = sandbox
        store = ProfileStore(home)
        self.cache = Cache(store.cache_path(profile.name), exclusive=exclusive,
                           check_later=check_later)
        if profile.is_demo and not profile.userid:
            persona = self.cache.get_meta(DEMO_PERSONA_KEY)
            if persona:
                self.profile = replace(profile, userid=persona)
        self._transport: WeComTransport | None = None
        self._lock = threading.Lock()
        self._team_budget: tuple[int, int] | None = None
        self._budget_due_at = 0.0       # time.monotonic() when it is next asked

    @property
    def operator(self) -> str:
        """Who acts at this desktop: the operator of every journal row it writes. A WeCom
        profile without it refuses to write (the demo's persona comes with its first sync)."""
        if not self.profile.userid and not self.profile.is_demo:
            raise MissingUseridError(self.profile.name)
        return self.profile.userid

    def set_userid(self, userid: str) -> None:
        """Record the user's own WeCom userid in the profile (saved in profiles.json)."""
        profile = replace(self.profile, userid=userid.strip())
        ProfileStore(self.home).add(profile)
        self.profile = profile

    def member_userids(self) -> set[str]:
        """The corp's members: from the cache, or read from WeCom before the first sync."""
        known = {row[0] for row in self.cache.connection().execute("SELECT userid FROM member")}
        if known:
            return known
        with self.client() as client:
            departments = client.list_departments()
            root = min((d.id for d in departments), default=1)
            return {member.userid for member in client.list_users(root, fetch_child=True)}

    @property
    def limits(self) -> RateLimits:
        return RateLimits(
            calls_per_minute=self.profile.calls_per_minute,
            max_concurrency=self.profile.max_concurrency,
            max_retries=retry_budget(),
        )

    def call_budget(self, ask: bool = True) -> tuple[int, int]:
        """(calls a minute, calls at a time) a batch of this profile can expect: its own
        limits, and on a team profile the team server's budget where lower, since every call
        goes through the server's one budget for the corp. Asked again once BUDGET_REREAD_S
        have passed; an unreachable server leaves its last answer (the profile's limits before
        the first). `ask=False` (the UI thread) never asks: the server's last answer or the
        profile's limits."""
        own = (self.profile.calls_per_minute, self.profile.max_concurrency)
        if not self.profile.is_team:
            return own
        with self._lock:
            if ask and time.monotonic() >= self._budget_due_at:
                self._team_budget = self._read_team_budget() or self._team_budget
                self._budget_due_at = time.monotonic() + BUDGET_REREAD_S
            team = self._team_budget
        if team is None:
            return own
        return min(own[0], team[0]), min(own[1], team[1])

    def _read_team_budget(self) -> tuple[int, int] | None:
        from desktop.services.team import TeamServerError, fetch_info

        try:
            info = fetch_info(self.profile.team_url)
        except TeamServerError:
            return None
        if info.calls_per_minute is None or info.max_concurrency is None:
            return (self.profile.calls_per_minute, self.profile.max_concurrency)
        return info.calls_per_minute, info.max_concurrency

    def transport(self) -> WeComTransport:
        """The corp's shared transport (taken from the registry on first use)."""
        from desktop.wecom.registry import acquire_transport

        with self._lock:
            if self._transport is None:
                self._transport = acquire_transport(
                    self.profile.api_base, self.profile.corp_id, self._secret, self.limits)
            return self._transport

    def client(self, cancel_event: threading.Event | None = None,
               on_wait: WaitListener | None = None) -> WeComClient:
        """A view of the corp's transport for one operation: `cancel_event` interrupts its
        waits, `on_wait` hears when its calls wait (a 45009 pause, a retry)."""
        from desktop.wecom.client import WeComClient

        return WeComClient.over(self.transport(), cancel_event=cancel_event, on_wait=on_wait,
                                policy=self.limits, team_url=self.profile.team_url)

    def uses_secret(self, secret: str) -> bool:
        """Whether `secret` is the credential the workspace's clients use."""
        with self._lock:
            return hmac.compare_digest(secret, self._secret)

    def use_login(self, profile: Profile, secret: str) -> None:
        """A new credential of this profile, a team profile's login (its user, its device
        token) or a solo profile's new app secret: the clients made from now on use it. The
        new transport is taken before the old one is let go, so the corp's limiter stays the
        same."""
        from desktop.wecom.registry import acquire_transport, release_transport

        register_secret(secret)
        with self._lock:
            old, old_secret = self._transport, self._secret
            self._transport = None
            if old is not None:
                self._transport = acquire_transport(
                    profile.api_base, profile.corp_id, secret, self.limits)
                release_transport(self.profile.api_base, self.profile.corp_id, old_secret)
            self._secret = secret
            self.profile = profile

    def close(self) -> None:
        with self._lock:
            if self._transport is not None:
                from desktop.wecom.registry import release_transport

                self._transport = None
                release_transport(self.profile.api_base, self.profile.corp_id, self._secret)
        self.cache.close()
        if self.sandbox is not None:
            self.sandbox.stop()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def retry_budget() -> int:
    """How often a call that failed (no answer, a busy server) is retried: $TAGDESK_RETRIES,
    else RateLimits' default."""
    text = os.environ.get(RETRIES_ENV, "").strip()
    if not text:
        return RateLimits.max_retries
    if not text.isdigit() or int(text) > MAX_RETRIES:
        raise UserError(f"{RETRIES_ENV} 须为 0 到 {MAX_RETRIES} 的整数（现为 {text[:20]!r}）。",
                        f"{RETRIES_ENV} must be a whole number from 0 to {MAX_RETRIES}"
                        f" (it is {text[:20]!r}).")
    return int(text)


def open_workspace(home: Path, name: str, *, exclusive: bool = True,
                   check_later: bool = False) -> Workspace:
    """Open a saved profile (secret from the keyring) or the built-in demo; `check_later`
    leaves the read of every journal page to `Cache.check_journal` (see `Cache`)."""
    if name == DEMO_PROFILE:
        server = start_demo_sandbox(home)
        try:
            return Workspace(home, demo_profile(server), server.secret,
                             exclusive=exclusive, check_later=check_later, sandbox=server)
        except BaseException:
            server.stop()
            raise
    profile = ProfileStore(home).get(name)
    if profile.is_team:  # the device token from `tagdesk login` stands in for the secret
        from desktop.services.team import load_device_token

        secret = load_device_token(profile)
    else:
        from desktop.services import secrets

        secret = secrets.load_secret(profile.name, profile.corp_id)
    return Workspace(home, profile, secret, exclusive=exclusive, check_later=check_later)


def open_local_cache(home: Path, name: str) -> Cache:
    """A profile's cache for reading only: no secret, no network, no writer lock."""
    store = ProfileStore(home)
    if name != DEMO_PROFILE:
        store.get(name)
    path = store.cache_path(name)
    if not path.exists():
        raise NotSyncedError(name)
    cache = Cache(path)
    if not cache.get_meta(LAST_SYNC_KEY):
        cache.close()
        raise NotSyncedError(name)
    return cache


class NotSyncedError(CacheError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"配置 {name} 还没有同步过，请先运行 tagdesk sync --profile {name}。"
            f" / Profile {name} has not been synced yet; run `tagdesk sync --profile {name}` first."
        )
