"""The WeCom API client: token cache, rate limit, retries and typed errors in one place."""

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
