"""Resuming batches on their own once WeCom can be reached again.

A batch stops with calls still pending when the network or WeCom fails for a while (the
runner notes the passing error on the rows it tried). Such a batch waits for the network,
not for a person: the app probes WeCom with a light read after a growing delay (backoff),
and when it answers, resumes the batch from its outbox. Batches that wait for a person are
left alone: a finished pilot (no row was tried and failed), a configuration error (the run
halts without noting a passing error), a cancelled batch, or one a closed app interrupted
(offered at the next start).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from desktop.store import outbox
from desktop.store.db import Cache
from desktop.wecom.client import WeComClient
from desktop.wecom.error_codes import ErrorKind
from desktop.wecom.errors import WeComError, WeComNetworkError

FIRST_DELAY_S = 15.0
MAX_DELAY_S = 300.0
RESUMES_ITSELF = ("企业微信恢复后，TagDesk 会自动继续发送。"
                  " / TagDesk resumes sending on its own once WeCom is back.")
RESUMES_WITH_TEAM_SERVER = ("团队服务器恢复后，TagDesk 会自动继续发送。"
                            " / TagDesk resumes sending on its own once the team server is back.")
_PASSING = (ErrorKind.RETRYABLE, ErrorKind.RATE_LIMITED, ErrorKind.CONCURRENCY, ErrorKind.TOKEN)


@dataclass(frozen=True)
class WaitingBatch:
    id: str
    pending: int


def waiting_batches(cache: Cache) -> list[WaitingBatch]:
    """Batches stopped by a passing network or WeCom failure, oldest first."""
    rows = cache.query(
        "SELECT b.id, count(*) AS pending FROM batch b JOIN outbox o ON o.batch_id = b.id"
        " WHERE b.status IN (?, ?) AND o.status = ? GROUP BY b.id"
        " HAVING max(o.attempts) > 0 ORDER BY b.created_at",
        [outbox.PAUSED, outbox.PILOT, outbox.PENDING],
    )
    return [WaitingBatch(str(row["id"]), int(row["pending"])) for row in rows]


class Probe(Enum):
    BACK = "back"          # WeCom answered: resume
    DOWN = "down"          # still unreachable or refusing for a while: wait longer


def probe(client: WeComClient) -> Probe:
    """One light read through the corp's transport. A configuration error (wrong secret,
    untrusted IP) is raised: waiting will not fix it."""
    try:
        client.get_follow_user_list()
    except WeComNetworkError:
        return Probe.DOWN
    except WeComError as err:
        if err.kind in _PASSING:
            return Probe.DOWN
        raise
    return Probe.BACK


class Backoff:
    """Delays between probes: FIRST_DELAY_S, doubling, at most MAX_DELAY_S."""

    def __init__(self, first_s: float = FIRST_DELAY_S, max_s: float = MAX_DELAY_S) -> None:
        self.first_s = first_s
        self.max_s = max_s
        self._next = first_s

    def next_delay(self) -> float:
        delay = self._next
        self._next = min(self.max_s, self._next * 2)
        return delay

    def reset(self) -> None:
        self._next = self.first_s


@dataclass(frozen=True)
class ResumeState:
    """What automatic resuming is doing, for the status bar and the batch panel."""

    kind: str                 # idle, waiting, checking, resuming, attention
    batches: int = 0
    pending: int = 0
    seconds: float = 0.0      # waiting: until the next probe
    batch_id: str = ""        # resuming
    reason: str = ""          # attention: "中文 / English"
    team_url: str = ""        # waiting, checking, resuming: a team profile's server stands between

    def sentence(self) -> str:
        """"中文 / English", or "" when idle."""
        batches = f"{self.batches:,} batch" + ("" if self.batches == 1 else "es")
        calls = f"{self.pending:,} call" + ("" if self.pending == 1 else "s")
        if self.kind == "waiting":
            left = max(1, round(self.seconds))
            # the countdown first: a narrow status bar cuts the end of the sentence
            if self.team_url:
                return (f"团队服务器暂不可用，{left} 秒后自动重试（{self.team_url}）："
                        f"{self.batches:,} 个批量任务（{self.pending:,} 个调用）待发 / The team"
                        f" server is unavailable; retrying in {left} s ({self.team_url}):"
                        f" {batches} ({calls}) waiting")
            return (f"企业微信暂时无法访问，{left} 秒后自动重试：{self.batches:,} 个批量任务"
                    f"（{self.pending:,} 个调用）待发 / WeCom cannot be reached, trying again in"
                    f" {left} s: {batches} ({calls}) waiting")
        if self.kind == "checking":
            if self.team_url:
                return (f"正在检查团队服务器是否恢复（{self.pending:,} 个调用待发）…"
                        f" / Checking whether the team server is back ({calls} waiting)…")
            return (f"正在检查企业微信是否恢复（{self.pending:,} 个调用待发）…"
                    f" / Checking whether WeCom is back ({calls} waiting)…")
        if self.kind == "resuming":
            if self.team_url:
                return (f"团队服务器已恢复，正在继续批量任务 {self.batch_id}…"
                        f" / The team server is back; resuming batch {self.batch_id}…")
            return (f"企业微信已恢复，正在继续批量任务 {self.batch_id}…"
                    f" / WeCom is back; resuming batch {self.batch_id}…")
        if self.kind == "attention":
            zh, _, en = self.reason.partition(" / ")
            return (f"待发的批量任务需要处理：{zh} / Waiting batches need attention: {en or zh}")
        return ""
