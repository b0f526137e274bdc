"""A new app secret for a solo profile: tried against WeCom first, then stored and used.

The window's connection settings (and anything else that takes a secret from a person) try
it with `try_secret` on a worker: `gettoken` with it, then one light read, so a wrong or
reset secret (40001), one of another app (40091), a computer outside the app's trusted IPs
(60020) or an unreachable API base is said before anything is stored. `store_and_use` puts
it in the OS keyring and gives it to the open workspace, whose clients use it from then on.
A new API base (a relay with a fixed IP, the usual way past 60020) is tried the same way, with
the stored secret when no new one was typed, and saved in the profile. `adopt_stored_secret`
takes up a secret the command line stored meanwhile, so an open window need not be reopened.
"""

from __future__ import annotations

import threading

from desktop.services import secrets
from desktop.services.logs import register_secret
from desktop.services.profiles import Profile, ProfileStore
from desktop.services.workspace import Workspace
from desktop.wecom.client import WeComClient
from desktop.wecom.ratelimit import RateLimits

TRY_LIMITS = RateLimits(max_concurrency=1, max_retries=1, connect_timeout_s=5.0,
                        read_timeout_s=15.0)
"""A person waits for the answer: one retry, and no half-minute read timeout."""

_adopting = threading.Lock()    # two windows activated at once take a stored secret once


def try_secret(profile: Profile, secret: str, cancel: threading.Event | None = None) -> None:
    """Return when WeCom takes `secret` for the profile's corp and app; else raise its
    `WeComError` (errcode and sentence) or `WeComNetworkError`. The try has a client of its
    own, so the corp's shared token stays that of the secret in use."""
    register_secret(secret)
    with WeComClient(profile.api_base, profile.corp_id, secret, limits=TRY_LIMITS,
                     cancel_event=cancel) as client:
        client.get_token()
        client.get_follow_user_list()    # an IP outside the trusted list shows here (60020)


def adopt_stored_secret(workspace: Workspace) -> bool | None:
    """Have the workspace use the secret the keyring holds for its profile when that is not
    the one in use (stored meanwhile from the command line, `tagdesk profile add …
    --secret-stdin`). None: the keyring holds none; True: a new one is in use now; False: the
    one stored is the one in use. Raises when there is no keyring."""
    profile = workspace.profile
    try:
        secret = secrets.load_secret(profile.name, profile.corp_id)
    except secrets.SecretMissing:
        return None
    with _adopting:
        if workspace.uses_secret(secret):
            return False
        workspace.use_login(profile, secret)
    return True


def secret_to_try(profile: Profile, typed: str) -> str:
    """The secret a person typed, or when none was typed the one the keyring holds (raises
    `SecretMissing` when it holds none): a new API base alone is tried with the stored one."""
    return typed or secrets.load_secret(profile.name, profile.corp_id)


def store_and_use(workspace: Workspace, secret: str, api_base: str = "") -> None:
    """Store the secret in the keyring for the workspace's profile, and a new API base (when
    given) in profiles.json, and have the workspace's clients use both from now on (no
    restart). Only the API base of the saved profile changes: what the command line changed
    in it meanwhile stays."""
    profile = workspace.profile
    secrets.store_secret(profile.name, profile.corp_id, secret)
    if api_base and api_base != profile.api_base:
        store = ProfileStore(workspace.home)
        store.add(store.get(profile.name).with_api_base(api_base))
        profile = profile.with_api_base(api_base)
    workspace.use_login(profile, secret)
