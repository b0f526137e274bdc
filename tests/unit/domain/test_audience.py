"""The audience picker's logic: OR within a tag group, AND across groups, as WeCom's 群发."""

from __future__ import annotations

from desktop.domain.audience import Audience, AudienceTag
from desktop.domain.filter import And, Or, TagTerm, parse


def _tag(tag_id: str, name: str, group: str, term: str | None = None) -> AudienceTag:
    return AudienceTag(tag_id, name, f"g-{group}", group, term or name)


HIGH = _tag("t1", "高意向", "意向")
MID = _tag("t2", "中意向", "意向")
BJ = _tag("t3", "北京", "地区")
SH = _tag("t4", "上海", "地区")
VIP = _tag("t5", "VIP", "客户等级", '客户等级:VIP')


def test_tags_of_one_group_are_ored_and_groups_are_anded() -> None:
    audience = Audience()
    for tag in (HIGH, BJ, MID, SH, VIP):
        audience = audience.toggled(tag)
    text = audience.expression()
    assert text == "(高意向 OR 中意向) AND (北京 OR 上海) AND 客户等级:VIP"
    expr = parse(text)
    assert isinstance(expr, And) and len(expr.operands) == 3
    assert isinstance(expr.operands[0], Or) and isinstance(expr.operands[2], TagTerm)


def test_one_group_needs_no_parentheses_and_nothing_picked_is_everyone() -> None:
    assert Audience().expression() == ""
    assert Audience((HIGH, MID)).expression() == "高意向 OR 中意向"
    assert Audience((HIGH,)).expression() == "高意向"


def test_picking_a_tag_again_removes_it_and_an_emptied_group_goes_away() -> None:
    audience = Audience((HIGH, BJ)).toggled(BJ)
    assert audience.expression() == "高意向"
    assert [group.group_name for group in audience.groups()] == ["意向"]
    assert "t3" not in audience and "t1" in audience


def test_groups_keep_the_order_of_their_first_pick() -> None:
    audience = Audience((BJ, HIGH, SH))
    assert [(g.group_name, [t.name for t in g.tags]) for g in audience.groups()] == [
        ("地区", ["北京", "上海"]), ("意向", ["高意向"])]
