"""Order reconciliation: who has paid orders against who carries the "paid" tag.

Customers are compared, not relations: a customer with a paid order should carry the tag on
every relation (each follower sees it), and a customer with none should carry it on none. Each
mismatch keeps its evidence — the paid orders behind a missing tag, the orders (refunded,
cancelled, unpaid) or their absence behind a tag that should go — and customers the orders name
but the cache does not know are listed apart, never tagged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Order:
    line: int                 # where it was read (1-based, the header is line 1 in a CSV)
    external_userid: str
    order_id: str
    paid: bool
    status: str               # as the source spelled it ("" when it had no status column)
    amount: str = ""
    paid_at: str = ""


@dataclass(frozen=True)
class RelationMark:
    relation_id: int
    external_userid: str
    userid: str
    has_tag: bool


@dataclass(frozen=True)
class Mismatch:
    external_userid: str
    relation_ids: tuple[int, ...]     # the relations to change
    orders: tuple[Order, ...]         # the evidence (paid orders, or the unpaid ones)


@dataclass(frozen=True)
class Reconciliation:
    paid_customers: int
    tagged_customers: int
    missing: tuple[Mismatch, ...]     # paid, but some relation lacks the tag: add it
    extra: tuple[Mismatch, ...]       # no paid order, yet some relation carries it: remove it
    unknown: tuple[Mismatch, ...]     # paid orders of customers the cache does not know

    @property
    def in_step(self) -> bool:
        return not self.missing and not self.extra


def reconcile(orders: Iterable[Order], relations: Iterable[RelationMark]) -> Reconciliation:
    by_customer: dict[str, list[Order]] = defaultdict(list)
    for order in orders:
        by_customer[order.external_userid].append(order)
    paid = {customer for customer, found in by_customer.items() if any(o.paid for o in found)}
    marks: dict[str, list[RelationMark]] = defaultdict(list)
    for mark in relations:
        marks[mark.external_userid].append(mark)
    missing, extra = [], []
    for customer in sorted(marks):
        carried = marks[customer]
        if customer in paid:
            lacking = _ids(m for m in carried if not m.has_tag)
            if lacking:
                missing.append(Mismatch(customer, lacking, _paid(by_customer[customer])))
        else:
            having = _ids(m for m in carried if m.has_tag)
            if having:
                extra.append(Mismatch(customer, having, tuple(by_customer.get(customer, ()))))
    unknown = tuple(Mismatch(customer, (), _paid(by_customer[customer]))
                    for customer in sorted(paid - marks.keys()))
    tagged = sum(1 for carried in marks.values() if any(m.has_tag for m in carried))
    return Reconciliation(len(paid), tagged, tuple(missing), tuple(extra), unknown)


def _ids(marks: Iterable[RelationMark]) -> tuple[int, ...]:
    return tuple(sorted(m.relation_id for m in marks))


def _paid(orders: Sequence[Order]) -> tuple[Order, ...]:
    return tuple(o for o in orders if o.paid)
