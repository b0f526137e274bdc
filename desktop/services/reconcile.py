"""`tagdesk reconcile`: fix the "paid" tag from the order system, as one revertible batch.

The comparison is pure (`domain/reconcile.py`); this reads who carries the tag from the cache
and turns the mismatches into one outbox batch (source `reconcile`): the tag added on every
relation of a paying customer that lacks it, removed from every relation of a customer
without a paid order. Exclusive sets apply as in any batch (a relation that would end with
已成交 and 无效客户 is a conflict, skipped unless allowed).
"""

from __future__ import annotations

from dataclasses import replace

from desktop.domain.bilingual import both
from desktop.domain.reconcile import Reconciliation, RelationMark, reconcile
from desktop.domain.retag_plan import RetagPlan
from desktop.services.orders import OrderFeed
from desktop.services.tagging import TaggingService
from desktop.services.workspace import Workspace

SOURCE = "reconcile"


class ReconcileService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.tagging = TaggingService(ws)

    def tag_id(self, name: str) -> str:
        """The tag by name, 组:名 or id (unknown and ambiguous names say so)."""
        return self.tagging.resolve_tag_names([name])[0]

    def compare(self, feed: OrderFeed, tag_id: str) -> Reconciliation:
        rows = self.ws.cache.connection().execute(
            "SELECT r.id, r.external_userid, r.userid, EXISTS (SELECT 1 FROM relation_tag rt"
            " WHERE rt.relation_id = r.id AND rt.tag_pk = (SELECT pk FROM tag WHERE id = ?))"
            " FROM relation r", (tag_id,))
        marks = [RelationMark(int(rid), str(customer), str(userid), bool(has))
                 for rid, customer, userid, has in rows]
        return reconcile(feed.orders, marks)

    def plan(self, result: Reconciliation, tag_id: str, *,
             allow_conflicts: bool = False) -> RetagPlan:
        adding = self.tagging.plan([rid for m in result.missing for rid in m.relation_ids],
                                   add=[tag_id], allow_conflicts=allow_conflicts)
        removing = self.tagging.plan([rid for m in result.extra for rid in m.relation_ids],
                                     remove=[tag_id], allow_conflicts=allow_conflicts)
        return replace(
            adding, changes=adding.changes + removing.changes,
            skipped_noop=adding.skipped_noop + removing.skipped_noop,
            conflicts=adding.conflicts + removing.conflicts,
            per_tag_remove=removing.per_tag_remove,
            already_absent=removing.already_absent,
        )

    def submit(self, plan: RetagPlan, tag_label: str, feed: OrderFeed, *,
               pilot_size: int = 0) -> str:
        return self.tagging.submit(
            plan, source=SOURCE, pilot_size=pilot_size,
            description=both(f"订单对账 {tag_label}（{feed.source}）",
                             f"order reconciliation {tag_label} ({feed.source})"))
