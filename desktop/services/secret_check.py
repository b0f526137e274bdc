"""A new app secret for a solo profile: tried against WeCom first, then stored and used.

The window's connection settings (and anything else that takes a secret from a person) try
it with `try_secret` on a worker: `gettoken` with it, then one light read, so a wrong or
reset secret (40001), one of another app (40091), a computer outside the app's trusted IPs
(60020) or an unreachable API base is said before anything is stored. `store_and_use` puts
it in the OS keyring and gives it to the open workspace, whose clients use it from then on.
"""

from __future__ import annotations

import threading

from desktop.services import secrets
from desktop.services.logs import register_secret
from desktop.services.profiles import Profile
from desktop.services.workspace import Workspace
from desktop.wecom.client import WeComClient
from desktop.wecom.ratelimit import RateLimits

TRY_LIMITS = RateLimits(max_concurrency=1, max_retries=1, connect_timeout_s=5.0,
                        read_timeout_s=15.0)
"""A person waits for the answer: one retry, and no half-minute read timeout."""


def try_secret(profile: Profile, secret: str, cancel: threading.Event | None = None) -> None:
    """Return when WeCom takes `secret` for the profile's corp and app; else raise its
    `WeComError` (errcode and sentence) or `WeComNetworkError`. The try has a client of its
    own, so the corp's shared token stays that of the secret in use."""
    register_secret(secret)
    with WeComClient(profile.api_base, profile.corp_id, secret, limits=TRY_LIMITS,
                     cancel_event=cancel) as client:
        client.get_token()
        client.get_follow_user_list()    # an IP outside the trusted list shows here (60020)


def secret_stored(profile: Profile) -> bool:
    """Whether the keyring holds a secret for the profile (raises when there is no keyring)."""
    try:
        secrets.load_secret(profile.name, profile.corp_id)
    except secrets.SecretMissing:
        return False
    return True


def store_and_use(workspace: Workspace, secret: str) -> None:
    """Store the secret in the keyring for the workspace's profile, and have the workspace's
    clients use it from now on (no restart)."""
    profile = workspace.profile
    secrets.store_secret(profile.name, profile.corp_id, secret)
    workspace.use_login(profile, secret)
