"""One transport per corp per process: the corp's rate budget, access token and connections.

WeCom counts calls per corp, so a sync, a batch and a ``--refresh`` running at once must
draw on one budget: one limiter (calls per minute, concurrency cap, 45009 pause), one token
and one HTTP session. :func:`acquire_transport` hands out that transport (created on first
use) and counts its holders; :func:`release_transport` closes it when the last one leaves.
Operations call it through cheap :meth:`~desktop.wecom.client.WeComClient.over` views.

The budget is keyed by (API base, corp id); the token belongs to the app's secret, so two
apps of one corp get two transports sharing one limiter.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass

from desktop.wecom.ratelimit import RateLimiter, RateLimits
from desktop.wecom.transport import WeComTransport

log = logging.getLogger("tagdesk.wecom")

CorpKey = tuple[str, str]
AppKey = tuple[str, str, str]


@dataclass
class _Entry:
    transport: WeComTransport
    holders: int = 0


_lock = threading.Lock()
_limiters: dict[CorpKey, tuple[RateLimiter, int]] = {}
_transports: dict[AppKey, _Entry] = {}


def _corp_key(api_base: str, corp_id: str) -> CorpKey:
    return (api_base.rstrip("/").lower(), corp_id)


def _app_key(api_base: str, corp_id: str, secret: str) -> AppKey:
    digest = hashlib.sha256(secret.encode("utf-8")).hexdigest()[:16]
    return (*_corp_key(api_base, corp_id), digest)


def acquire_transport(
    api_base: str, corp_id: str, secret: str, limits: RateLimits
) -> WeComTransport:
    """The process's transport for this corp and app; call :func:`release_transport` once
    for every call of this. Newer ``limits`` replace the shared limiter's."""
    corp = _corp_key(api_base, corp_id)
    app = _app_key(api_base, corp_id, secret)
    with _lock:
        limiter, users = _limiters.get(corp, (None, 0))
        if limiter is None:
            limiter = RateLimiter(limits)
        elif limiter.limits != limits:
            log.info("rate limits for %s changed to %s", corp[0], limits)
            limiter.reconfigure(limits)
        entry = _transports.get(app)
        if entry is None:
            entry = _Entry(WeComTransport(api_base, corp_id, secret, limits=limits,
                                          limiter=limiter))
            _transports[app] = entry
        entry.holders += 1
        _limiters[corp] = (limiter, users + 1)
        return entry.transport


def release_transport(api_base: str, corp_id: str, secret: str) -> None:
    """One holder of this transport is done; the last one closes its connections."""
    corp = _corp_key(api_base, corp_id)
    app = _app_key(api_base, corp_id, secret)
    with _lock:
        entry = _transports.get(app)
        if entry is None:
            return
        entry.holders -= 1
        if entry.holders <= 0:
            del _transports[app]
            entry.transport.close()
        limiter, users = _limiters[corp]
        if users <= 1:
            del _limiters[corp]
        else:
            _limiters[corp] = (limiter, users - 1)
