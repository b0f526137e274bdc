"""A complaint withdrawn or handled well is settled, praise of a finished purchase buys
nothing, a shop's own price beside the same goods elsewhere is no bargain, a message sent to
the wrong person is no customer; fault families in print and on screens."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger
from desktop.services.autotag_packs import load_intent_packs
from tests.unit.domain.test_autotag_precision import TAGS


@pytest.fixture(scope="module")
def tagger() -> AutoTagger:
    return AutoTagger.build(TAGS, packs=load_intent_packs())


@pytest.mark.parametrize(("text", "tags"), [
    ("昨天的投诉撤了吧", set()),
    ("差评我已经删了", set()),
    ("投诉了两次，后来处理得挺好", set()),
    ("提车很顺利，谢谢", set()),
    ("和官网的一模一样，还便宜不少", {"竞品对比"}),
    ("不好意思发错了，不是问你的", {"无效客户"}),
    ("书页有好几页印刷模糊", {"售后问题"}),
    ("The display keeps flickering", {"售后问题"}),
    ("三天没人回消息，你们店还开不开了", {"投诉"}),
])
def test_settled_praise_and_families(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags


@pytest.mark.parametrize(("text", "tags"), [
    ("我要投诉，不撤", {"投诉"}),
    ("这周就去提车", {"高意向"}),
    ("拼多多同款还便宜三十", {"竞品对比", "价格异议"}),
    ("柜门开不开了", {"售后问题"}),
    ("颜色发错了，我要的是卡其色", {"物流咨询"}),
])
def test_guards(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags
