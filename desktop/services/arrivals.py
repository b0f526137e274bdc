"""Tagging the relations that appeared: live codes' tags and pre-tags, after each sync.

The waiting arrivals (`store/arrivals.py`) are matched against the cache just synced by the
pure `match_arrivals`; what matches goes to WeCom as one outbox batch per source (`livecode`,
then `pretag`, each planned on the cache the previous one left), journaled and revertible
like any batch. Pre-tags past their expiry are closed as expired; a pre-tag that tagged its
relations is closed as applied, with the batch that did it. Tags deleted in WeCom since an
arrival was queued are left out; an arrival with no tag left tags nothing.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace

from desktop.domain.arrivals import (
    BY_PHONE,
    BY_STATE,
    BY_UNIONID,
    LIVECODE,
    PRETAG,
    Arrival,
    ArrivalMatches,
    match_arrivals,
)
from desktop.domain.bilingual import both
from desktop.domain.retag_plan import EMPTY_PLAN, RetagPlan
from desktop.services.progress import CancelToken, ProgressCallback, no_progress
from desktop.services.tagging import BatchResult, TaggingService
from desktop.services.workspace import Workspace
from desktop.store import arrivals, outbox

log = logging.getLogger("tagdesk.services.arrivals")

DESCRIPTIONS = {
    LIVECODE: both("活码新客户标签", "live-code tags for new customers"),
    PRETAG: both("预打标签", "pre-tags for new customers"),
}


@dataclass(frozen=True)
class ArrivalRun:
    """What one pass did: the batches it ran, relations tagged, pre-tags that ran out."""

    batches: tuple[BatchResult, ...] = ()
    tagged: dict[str, int] = field(default_factory=dict)   # source -> relations planned
    expired: int = 0

    def as_json(self) -> dict[str, object]:
        return {"batches": [b.batch_id for b in self.batches], "tagged": self.tagged,
                "expired": self.expired,
                "failed": sum(b.failed for b in self.batches),
                "pending": sum(b.pending for b in self.batches)}


class ArrivalService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.tagging = TaggingService(ws)

    def expire(self, now: float | None = None) -> int:
        """Close the pre-tags that ran out; returns how many."""
        now = time.time() if now is None else now
        ran_out = [a.id for a in arrivals.waiting(self.ws.cache)
                   if a.expires_at is not None and a.expires_at <= now]
        if not ran_out:
            return 0
        with self.ws.cache.write() as conn:
            return arrivals.close(conn, ran_out, arrivals.EXPIRED, now)

    def matches(self, source: str, now: float | None = None) -> ArrivalMatches:
        """What the waiting arrivals of `source` would tag now (tags still in WeCom only)."""
        now = time.time() if now is None else now
        known = {t.id for t in outbox.tag_catalogue(self.ws.cache)}
        waiting = [replace(a, tag_ids=tuple(t for t in a.tag_ids if t in known))
                   for a in arrivals.waiting(self.ws.cache) if a.source == source]
        waiting = [a for a in waiting if a.tag_ids]
        if not waiting:
            return ArrivalMatches()
        found = arrivals.relations(
            self.ws.cache, states=_keys(waiting, BY_STATE),
            external_userids=_keys(waiting, "external_userid"),
            unionids=_keys(waiting, BY_UNIONID),
            with_mobiles=any(a.kind == BY_PHONE for a in waiting))
        return match_arrivals(waiting, found, now)

    def plan(self, found: ArrivalMatches) -> RetagPlan:
        """One plan for every matched relation (exclusive sets apply as in any batch)."""
        merged = EMPTY_PLAN
        for tag_ids, relation_ids in found.by_tag_set().items():
            part = self.tagging.plan(relation_ids, add=tag_ids)
            merged = replace(
                merged, changes=merged.changes + part.changes,
                skipped_noop=merged.skipped_noop + part.skipped_noop,
                conflicts=merged.conflicts + part.conflicts,
                per_tag_add=_summed(merged.per_tag_add, part.per_tag_add),
                already_tagged=_summed(merged.already_tagged, part.already_tagged))
        return merged

    def apply(self, *, progress: ProgressCallback = no_progress,
              cancel: CancelToken | None = None) -> ArrivalRun:
        """Expire, then tag what matches: one batch per source, run to the end."""
        expired = self.expire()
        batches: list[BatchResult] = []
        tagged: dict[str, int] = {}
        for source in (LIVECODE, PRETAG):
            found = self.matches(source)
            if not found.hits:
                continue
            plan = self.plan(found)
            now = time.time()
            batch_id = ""
            if plan.api_calls:
                batch_id = self.tagging.submit(plan, source=source,
                                               description=DESCRIPTIONS[source])
            with self.ws.cache.write() as conn:
                arrivals.record_hits(conn, found.hits, batch_id, now)
            tagged[source] = plan.api_calls
            if batch_id:
                batches.append(self.tagging.run(batch_id, progress=progress, cancel=cancel))
                log.info("arrivals (%s): batch %s, %d relations", source, batch_id,
                         plan.api_calls)
        return ArrivalRun(tuple(batches), tagged, expired)


def _keys(waiting: list[Arrival], kind: str) -> list[str]:
    return sorted({a.key for a in waiting if a.kind == kind})


def _summed(left: dict[str, int], right: dict[str, int]) -> dict[str, int]:
    total = dict(left)
    for key, count in right.items():
        total[key] = total.get(key, 0) + count
    return total
