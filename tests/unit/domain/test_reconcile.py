"""Order reconciliation, pure: both kinds of mismatch with their evidence, per customer."""

from __future__ import annotations

from desktop.domain.reconcile import Order, RelationMark, reconcile


def _order(line: int, customer: str, paid: bool, status: str = "") -> Order:
    return Order(line, customer, f"SO{line}", paid, status or ("paid" if paid else "refunded"))


def test_both_mismatches_the_unknown_and_what_is_in_step() -> None:
    orders = [_order(2, "wmA", True), _order(3, "wmA", False), _order(4, "wmB", False),
              _order(5, "wmC", True), _order(6, "wmZ", True)]
    relations = [
        RelationMark(1, "wmA", "zhang", False), RelationMark(2, "wmA", "li", True),  # paid, half
        RelationMark(3, "wmB", "zhang", True),                                     # refunded
        RelationMark(4, "wmC", "li", True),                                        # in step
        RelationMark(5, "wmD", "li", True),                                        # no order
        RelationMark(6, "wmE", "li", False),                                       # in step
    ]
    result = reconcile(orders, relations)
    assert [(m.external_userid, m.relation_ids, [o.line for o in m.orders])
            for m in result.missing] == [("wmA", (1,), [2])]
    assert [(m.external_userid, m.relation_ids, [o.line for o in m.orders])
            for m in result.extra] == [("wmB", (3,), [4]), ("wmD", (5,), [])]
    assert [(m.external_userid, [o.order_id for o in m.orders]) for m in result.unknown] == [
        ("wmZ", ["SO6"])]
    assert (result.paid_customers, result.tagged_customers) == (3, 4)
    assert not result.in_step


def test_nothing_to_do_when_tags_follow_the_orders() -> None:
    result = reconcile([_order(2, "wmA", True)], [RelationMark(1, "wmA", "zhang", True),
                                                  RelationMark(2, "wmB", "zhang", False)])
    assert result.in_step and not result.unknown
