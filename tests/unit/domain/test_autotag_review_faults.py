"""Faults in reviewers' own words (割手, 没有嚼劲, 冰都化了, 太卡了), complaints about unkept
promises and unanswered calls, and what looks like an intent but is not one (a delivery
question about ordering now, a test drive already taken, a verdict of mild disappointment)."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger
from desktop.services.autotag_packs import load_intent_packs
from tests.unit.domain.test_autotag_precision import TAGS


@pytest.fixture(scope="module")
def tagger() -> AutoTagger:
    return AutoTagger.build(TAGS, packs=load_intent_packs())


@pytest.mark.parametrize(("text", "tags"), [
    ("保温杯盖子拧不紧", {"售后问题"}),
    ("勺子边缘有毛刺，挺割手的", {"售后问题"}),
    ("剪刀一点都不锋利", {"售后问题"}),
    ("雪糕送到都化成水了", {"售后问题"}),
    ("实物跟详情页上的出入太大", {"售后问题"}),
    ("面条煮得太烂了，没有嚼劲", {"售后问题"}),
    ("这个软件越来越卡了", {"售后问题"}),
    ("面包不如以前好吃了", {"售后问题"}),
    ("宽带速度根本达不到宣传的", {"售后问题"}),
    ("理赔拖了三个月", {"售后问题", "投诉"}),
])
def test_faults(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags


@pytest.mark.parametrize(("text", "tags"), [
    ("热线永远占线", {"投诉"}),
    ("每次都说马上处理，然后就没下文了", {"投诉"}),
    ("已经第三次找你们了", {"投诉"}),
    ("问题是店家的，店家还死活不认", {"投诉"}),
    ("这一年的会费白交了", {"投诉"}),
])
def test_complaints(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags


@pytest.mark.parametrize(("text", "tags"), [
    ("今天拍的话后天能到吗", {"物流咨询"}),          # when it arrives, no purchase yet
    ("上周试驾过了，还在考虑", set()),               # the test drive is past
    ("口味没以前好了，有点失望", {"售后问题"}),           # a product let down, no one blamed
    ("is it cheaper if I buy two?", {"价格异议"}),   # no other seller named
    ("好的，月底再发吧", {"物流咨询"}),
    ("同类产品便宜一半", {"竞品对比", "价格异议"}),
])
def test_neither(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags
