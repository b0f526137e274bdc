"""A change a WeCom callback reported names no operator; people see the probable one."""

from __future__ import annotations

from desktop.services.audit import CALLBACK_OPERATOR, operator_text
from desktop.store.journal_query import JournalRow


def _row(source: str, operator: str = "", probable: str = "") -> JournalRow:
    return JournalRow(id=1, ts=1.0, operator=operator, operator_name="", action="tag_add",
                      source=source, batch_id="", external_userid="wmX", customer="",
                      userid="lisi", owner_name="李四", tag_id="et1", tag_name="VIP",
                      group_name="客户等级", before="", after="", reason="",
                      probable_operator=probable)


def test_a_callback_row_shows_the_follower_as_probable_operator() -> None:
    assert operator_text(_row("callback", probable="lisi")) == (
        f"{CALLBACK_OPERATOR}（可能是 / probably 李四 (lisi)）")
    assert _row("callback").observed
    assert operator_text(_row("relay", operator="zhangsan")) == "zhangsan"
