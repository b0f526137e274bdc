"""The WeCom API client: token cache, rate limit, retries and typed errors in one place.

The public names load their module on first use, so importing a light part of the package
(`desktop.wecom.redaction`, `desktop.wecom.errors`) does not bring in the HTTP client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.wecom.client import WeComClient
    from desktop.wecom.error_codes import ErrorKind
    from desktop.wecom.errors import CallCancelled, NetworkReason, WeComError, WeComNetworkError
    from desktop.wecom.models import (
        ContactDetail,
        ContactWay,
        Department,
        ExternalContact,
        FollowInfo,
        FollowUserDetail,
        FollowUserTag,
        Member,
        RelationPage,
        SendResult,
        Strategy,
        StrategyRangeItem,
        Tag,
        TagGroup,
    )
    from desktop.wecom.ratelimit import RateLimiter, RateLimits
    from desktop.wecom.redaction import RedactingFilter, redact

_MODULE_OF = {
    "WeComClient": "client",
    "ErrorKind": "error_codes",
    "CallCancelled": "errors",
    "NetworkReason": "errors",
    "WeComError": "errors",
    "WeComNetworkError": "errors",
    "ContactDetail": "models",
    "ContactWay": "models",
    "Department": "models",
    "ExternalContact": "models",
    "FollowInfo": "models",
    "FollowUserDetail": "models",
    "FollowUserTag": "models",
    "Member": "models",
    "RelationPage": "models",
    "SendResult": "models",
    "Strategy": "models",
    "StrategyRangeItem": "models",
    "Tag": "models",
    "TagGroup": "models",
    "RateLimiter": "ratelimit",
    "RateLimits": "ratelimit",
    "RedactingFilter": "redaction",
    "redact": "redaction",
}

__all__ = [
    "CallCancelled",
    "ContactDetail",
    "ContactWay",
    "Department",
    "ErrorKind",
    "ExternalContact",
    "FollowInfo",
    "FollowUserDetail",
    "FollowUserTag",
    "Member",
    "NetworkReason",
    "RateLimiter",
    "RateLimits",
    "RedactingFilter",
    "RelationPage",
    "SendResult",
    "Strategy",
    "StrategyRangeItem",
    "Tag",
    "TagGroup",
    "WeComClient",
    "WeComError",
    "WeComNetworkError",
    "redact",
]


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
