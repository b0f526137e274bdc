"""WeCom's directory as governance needs it: the department tree and each member's
departments with `is_leader_in_dept`, read through the server's one transport and kept
for a few minutes (a reorganisation shows within `TTL_S`; tree writes are rare, so one
`department/list` and one `user/get` per writer per window is all it costs)."""

from __future__ import annotations

import threading
import time
from typing import Any

from desktop.domain.governance import OrgChart
from desktop.wecom.transport import ApiRequest, WeComTransport

TTL_S = 300.0


class OrgDirectory:
    def __init__(self, transport: WeComTransport, ttl_s: float = TTL_S) -> None:
        self._transport = transport
        self._ttl_s = ttl_s
        self._lock = threading.Lock()
        self._chart: tuple[float, OrgChart] | None = None
        self._members: dict[str, tuple[float, tuple[tuple[int, bool], ...]]] = {}

    def chart(self) -> OrgChart:
        """The department tree (raises WeComError / WeComNetworkError when unreadable)."""
        with self._lock:
            if self._chart is not None and time.monotonic() - self._chart[0] < self._ttl_s:
                return self._chart[1]
        data = self._transport.call(ApiRequest("GET", "department/list"))
        names: dict[int, str] = {}
        parents: dict[int, int] = {}
        for department in data.get("department") or []:
            if isinstance(department, dict) and isinstance(department.get("id"), int):
                names[department["id"]] = str(department.get("name", ""))
                parents[department["id"]] = int(department.get("parentid") or 0)
        chart = OrgChart(names, parents)
        with self._lock:
            self._chart = (time.monotonic(), chart)
        return chart

    def memberships(self, userid: str) -> tuple[tuple[int, bool], ...]:
        """(department, is leader there) for each department `userid` belongs to."""
        with self._lock:
            cached = self._members.get(userid)
            if cached is not None and time.monotonic() - cached[0] < self._ttl_s:
                return cached[1]
        data = self._transport.call(ApiRequest("GET", "user/get", {"userid": userid}))
        found = _memberships(data)
        with self._lock:
            self._members[userid] = (time.monotonic(), found)
        return found


def _memberships(member: dict[str, Any]) -> tuple[tuple[int, bool], ...]:
    departments = member.get("department") or []
    leaders = member.get("is_leader_in_dept") or []
    return tuple(
        (int(department), bool(leaders[i]) if i < len(leaders) else False)
        for i, department in enumerate(departments) if isinstance(department, int)
    )
