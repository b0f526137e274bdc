"""A question about nothing for sale is no product question (who is this, is it you, the
phone number), and the wording of reviews and after-sales chats: a process that wears the
customer out, staff who do not turn up, a foreign body in the food, a parcel ruined on the
way, a demand for compensation, praise of the delivery speed."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger
from desktop.services.autotag_packs import load_intent_packs
from tests.unit.domain.test_autotag_precision import TAGS


@pytest.fixture(scope="module")
def tagger() -> AutoTagger:
    return AutoTagger.build(TAGS, packs=load_intent_packs())


@pytest.mark.parametrize(("text", "tags"), [
    ("请问是你本人吗", set()),                       # who is speaking, not what is sold
    ("这是官方客服吗", set()),
    ("你叫什么名字呀", set()),
    ("这几天太忙了，没顾上回", set()),               # 几天 counts days, asks nothing
    ("你们前台电话多少", set()),                     # a phone number is no product
    ("没有没有，不用麻烦了", set()),                 # a denial said twice, not 有没有
    ("是你让我加微信的", set()),                     # told to add, not a spammer's offer
    ("客服就跟机器人一样，答非所问", {"投诉"}),       # a robot-like agent is no spam
    ("办个退款流程也太繁琐了", {"退款退货", "投诉"}),
    ("安装师傅又迟到了", {"投诉"}),
    ("汤里吃出一只苍蝇", {"售后问题"}),
    ("蛋糕到的时候全化了", {"售后问题"}),
    ("你们得赔我一个新的", {"退款退货"}),
    ("物流速度真的很快", set()),                     # praise of the delivery asks nothing
    ("质量一般，凑合用", set()),                     # middling is no fault
    ("外面才卖一半价", {"竞品对比", "价格异议"}),     # a cheaper seller elsewhere
])
def test_tags(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags
