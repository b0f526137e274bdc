"""An orders file may say paid or not in a `paid` column (true / false, 是 / 否) instead of a
status; anything else there is an unreadable row, by line."""

from __future__ import annotations

from pathlib import Path

from desktop.services.orders import read_order_items, read_orders


def test_a_paid_column_says_who_paid(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,external_userid,paid\nA,wmA,true\nB,wmB,False\nC,wmC,是\n"
                      "D,wmD,maybe\n", encoding="utf-8")
    feed = read_orders(str(orders))
    assert [(o.external_userid, o.paid) for o in feed.orders] == [
        ("wmA", True), ("wmB", False), ("wmC", True)]
    assert [bad.line for bad in feed.bad] == [5]


def test_rows_read_from_a_query_are_numbered_from_one() -> None:
    feed = read_order_items("postgresql:SELECT ...", [
        {"external_userid": "wmA", "paid": True, "amount": 9.5},
        {"external_userid": "wmB", "paid": False},
        {"external_userid": None, "paid": True}])
    assert [(o.line, o.external_userid, o.paid, o.amount) for o in feed.orders] == [
        (1, "wmA", True, "9.5"), (2, "wmB", False, "")]
    assert [bad.line for bad in feed.bad] == [3]
