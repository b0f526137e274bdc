"""A workspace whose retries take milliseconds: a stopped server stops a batch at once."""

from __future__ import annotations

from desktop.services.workspace import Workspace
from desktop.wecom.ratelimit import RateLimits


class QuickWorkspace(Workspace):
    @property
    def limits(self) -> RateLimits:
        return RateLimits(backoff_base_s=0.01, backoff_max_s=0.02, rate_limit_pause_s=0.1,
                          connect_timeout_s=1.0, read_timeout_s=2.0)
