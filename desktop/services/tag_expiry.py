"""Tag expiry: a tag added with an expiry is removed once it runs out, as one journaled
batch with source `expiry` (`tagdesk expiry run`, and after each sync).

On a team profile the team server keeps the expiries (a write sends the ones its batch set,
`outbox_runner`) and removes them when due, once, whether or not a desktop is open: the
desktop never removes them itself, and reads the copy it fetches (`team_expiries.py`)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.domain.bilingual import both
from desktop.domain.retag_plan import EMPTY_PLAN, RetagPlan, merge_plans
from desktop.services import team_expiries
from desktop.services.progress import ProgressCallback, no_progress
from desktop.services.tagging import BatchResult, TaggingService
from desktop.services.team import TeamServerError
from desktop.services.workspace import Workspace
from desktop.store import outbox, tag_expiry
from desktop.store.tag_expiry import Expiry, NamedExpiry
from desktop.wecom.errors import WeComNetworkError

SOURCE = "expiry"


@dataclass(frozen=True)
class ExpiryRun:
    due: list[Expiry]
    plan: RetagPlan
    result: BatchResult | None
    by_team_server: bool = False   # a team profile: its server removes what is due

    def as_json(self) -> dict[str, object]:
        summary: dict[str, object] = {
            "due": len(self.due), "planned": self.plan.api_calls, "batch_id": None,
            "status": "team_server" if self.by_team_server else "nothing_to_do"}
        if self.result is not None:
            summary.update(self.result.as_json())
        return summary


@dataclass(frozen=True)
class ExpiryListing:
    rows: list[NamedExpiry]
    stale_copy_at: float | None = None   # the team server unreachable: when the copy was made


class ExpiryService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.tagging = TaggingService(ws)
        self.by_team_server = ws.profile.is_team
        self._table = tag_expiry.TEAM if self.by_team_server else tag_expiry.LOCAL

    def set_on(self, relation_ids: Sequence[int], tag_id: str, seconds: float,
               origin: str) -> int:
        """Give this tag an expiry on these relations (those that carry it, or are about to
        in the batch `origin`)."""
        states = outbox.relation_states(self.ws.cache, relation_ids)
        at = time.time() + seconds
        return tag_expiry.set_expiries(
            self.ws.cache, [Expiry(s.external_userid, s.userid, tag_id, at, origin)
                            for s in states.values()], self.ws.operator)

    def set_for_plan(self, plan: RetagPlan, seconds: float, batch_id: str) -> int:
        """The tags batch `batch_id` adds expire `seconds` from now, on the relations it
        adds them to (`retag --expires`, the retag dialog's expiry)."""
        count = 0
        for tag_id in sorted({t for change in plan.changes for t in change.add}):
            count += self.set_on([c.relation_id for c in plan.changes if tag_id in c.add],
                                 tag_id, seconds, f"batch:{batch_id}")
        return count

    def set_carried(self, relation_ids: Sequence[int], tag_id: str, seconds: int) -> int:
        """Give this tag, which these relations carry, an expiry `seconds` from now (`tagdesk
        expiry set`); a team profile's goes to its team server."""
        if self.by_team_server:
            states = outbox.relation_states(self.ws.cache, relation_ids)
            return team_expiries.set_on(self.ws, [(s.userid, s.external_userid, tag_id)
                                                  for s in states.values()], seconds)
        return self.set_on(relation_ids, tag_id, seconds, f"set:{self.ws.operator}")

    def reschedule(self, items: Sequence[Expiry], seconds: int) -> int:
        """These expiries now run out `seconds` from now (a team profile's on its server)."""
        if self.by_team_server:
            return team_expiries.set_on(self.ws, [(e.userid, e.external_userid, e.tag_id)
                                                  for e in items], seconds)
        at = time.time() + seconds
        return tag_expiry.set_expiries(
            self.ws.cache, [Expiry(e.external_userid, e.userid, e.tag_id, at, e.origin)
                            for e in items], self.ws.operator)

    def listing(self) -> ExpiryListing:
        """Every pending expiry, soonest first, with customer and member names (a team
        profile's as its server has them now; while the server cannot be reached, the last
        copy fetched, with its time)."""
        try:
            self._refresh()
        except (TeamServerError, WeComNetworkError) as exc:
            copied_at = tag_expiry.team_copied_at(self.ws.cache)
            if not team_expiries.unreachable(exc) or copied_at is None:
                raise
            return ExpiryListing(tag_expiry.named_expiries(self.ws.cache, self._table),
                                 copied_at)
        return ExpiryListing(tag_expiry.named_expiries(self.ws.cache, self._table))

    def pending(self) -> list[Expiry]:
        self._refresh()
        return tag_expiry.expiries(self.ws.cache, table=self._table)

    def due(self, now: float | None = None) -> list[Expiry]:
        """The expiries due by `now` whose tag is still on the relation (reads only); none
        on a team profile, whose server removes them."""
        if self.by_team_server:
            return []
        return tag_expiry.expiries(self.ws.cache, due_by=time.time() if now is None else now)

    def plan(self, now: float | None = None) -> tuple[list[Expiry], RetagPlan]:
        """The expiries due by `now` and the plan removing their tags."""
        tag_expiry.prune(self.ws.cache)
        due = tag_expiry.expiries(self.ws.cache, due_by=time.time() if now is None else now)
        keys: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for item in due:
            keys[item.tag_id].add((item.external_userid, item.userid))
        plan = EMPTY_PLAN
        for tag_id, relations in sorted(keys.items()):
            states = outbox.relation_states_by_key(self.ws.cache, relations)
            plan = merge_plans(plan, self.tagging.plan([s.relation_id for s in states.values()],
                                                   remove=[tag_id]))
        return due, plan

    def run(self, *, progress: ProgressCallback = no_progress, now: float | None = None
            ) -> ExpiryRun:
        """Remove every due tag as one batch (nothing queued when nothing is due, nor on a
        team profile: its server removes them)."""
        if self.by_team_server:
            return ExpiryRun([], EMPTY_PLAN, None, by_team_server=True)
        due, plan = self.plan(now)
        if not plan.api_calls:
            return ExpiryRun(due, plan, None)
        tags = sorted({item.tag_id for item in due})
        labels = self.tagging.tag_labels()
        named = [labels.get(t, t) for t in tags]
        batch_id = self.tagging.submit(
            plan, source=SOURCE, description=both(f"标签到期：{'、'.join(named)}",
                                                         f"tag expiry: {', '.join(named)}"))
        result = self.tagging.run(batch_id, progress=progress)
        tag_expiry.prune(self.ws.cache)
        return ExpiryRun(due, plan, result)

    def counts_by_tag(self) -> dict[str, int]:
        return tag_expiry.counts_by_tag(self.ws.cache, self._table)

    def _refresh(self) -> None:
        """Forget the expiries of tags that left (a batch still queued on a team profile
        keeps the ones it sends: its tags are not on the relations yet); a team profile
        fetches its server's."""
        if self.by_team_server:
            team_expiries.fetch(self.ws)
        else:
            tag_expiry.prune(self.ws.cache)
