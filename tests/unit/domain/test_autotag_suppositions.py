"""A supposition the customer asks about (要是不合适能退吗) is a question about the rules
before buying, not a return, a fault or a purchase of their own; a fault that a later phrase
says turned out fine (包装破了，不过东西没坏) is settled; and the seventh round's phrase families."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger


@pytest.mark.parametrize(("text", "tags"), [
    ("要是不合适能退吗", {"产品咨询"}),
    ("孩子要是上不惯，学费能退吗", {"产品咨询"}),       # the case in one clause, the question in the next
    ("万一用了过敏怎么办", {"产品咨询"}),               # an imagined side effect
    ("假如系统出故障了你们管吗", {"产品咨询"}),
    ("我买的这台要是修不好能退吗", {"退款退货"}),       # already bought: their own return
    ("要是再不处理我就投诉", {"投诉"}),                 # a threat asks nothing
    ("主要是价格太贵", {"价格异议"}),                   # 要是 inside 主要是 supposes nothing
    ("如果今天下单，什么时候能到", {"物流咨询"}),       # a delivery question stays one
])
def test_tags(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags


@pytest.mark.parametrize(("text", "tags"), [
    ("箱子压扁了，好在里面的盘子都完好", set()),        # the damage settled later in the message
    ("外盒破了个洞，不过东西本身没事", set()),
    ("之前说的漏水已经修好了", set()),
    ("外盒破了，里面的杯子也碎了", {"售后问题"}),       # nothing settles it
    ("外放声音太小，别的都还好", {"售后问题"}),         # the rest being fine settles no fault
])
def test_settled(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags


@pytest.mark.parametrize(("text", "tags"), [
    ("客服天天换一个人，问题还是没人管", {"投诉"}),       # another agent, not an exchange
    ("麻烦把这个订单取消掉", {"退款退货"}),
    ("退款大概什么时候到", {"退款退货"}),               # a refund, not a parcel
    ("配送也特别及时，菜还是热的", set()),               # praise of the delivery
    ("包裹收到了，谢谢", set()),
    ("附送的小礼物孩子很喜欢", set()),                 # a gift received asks no discount
    ("我已经自己搞定了", set()),
    ("要是分期，首付最低多少", {"产品咨询"}),
    ("运费险有吗", {"产品咨询"}),                       # asked before buying: no return
    ("退货的运费险多久到账", {"退款退货"}),
    ("热水器底下一直渗水", {"售后问题"}),
    ("份量比上次少了很多", {"售后问题"}),
    ("备注的不要辣还是放了辣椒", {"售后问题"}),
    ("汤洒了一袋子，连句道歉都没有", {"售后问题", "投诉"}),
    ("和商场比便宜了不少", set()),                     # this one is the cheaper
])
def test_phrase_families(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags
