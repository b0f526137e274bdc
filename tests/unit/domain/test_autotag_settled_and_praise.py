"""A complaint withdrawn or handled well is settled, praise of a finished purchase buys
nothing, a shop's own price beside the same goods elsewhere is no bargain, a message sent to
the wrong person is no customer, praise of a fast dispatch asks nothing, a return or an
exchange waved away or received is settled; fault families (blurred print, a flickering screen,
a blunt blade, food gone soft, a cream that separates); a trial taken before, a renewal
thought over and declined, a price asked in passing, a trip well arranged, a courier praised
in English and a low complaint rate ask nothing."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger


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
    ("哇，发货也太快了吧", set()),
    ("好的，那我等快递", set()),
    ("上次说的换货的事算了，不换了", set()),
    ("换的已经收到了，挺好", set()),
    ("本来想退的，穿了两天觉得还行", set()),
    ("抬头少了一个字，麻烦重开一张发票", {"开票需求"}),
    ("几好食，多谢", set()),
    ("剃须刀的刀头钝了", {"售后问题"}),
    ("饼干都不脆了", {"售后问题"}),
    ("面霜打开是分层的", {"售后问题"}),
    ("扫地机老是撞墙", {"售后问题"}),
    ("隆鼻以后左右不对称", {"售后问题"}),
    ("上次试驾的那台开着挺舒服", set()),
    ("续费的事考虑好了，还是不续", set()),
    ("我就是顺便问问价", set()),
    ("酒店安排得挺周到", set()),
    ("The courier guy was really helpful", set()),
    ("你们家的投诉率挺低的", set()),
])
def test_settled_praise_and_families(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags


@pytest.mark.parametrize(("text", "tags"), [
    ("我要投诉，不撤", {"投诉"}),
    ("这周就去提车", {"高意向"}),
    ("拼多多同款还便宜三十", {"竞品对比", "价格异议"}),
    ("柜门开不开了", {"售后问题"}),
    ("颜色发错了，我要的是卡其色", {"物流咨询"}),
    ("什么时候发货", {"物流咨询"}),
    ("穿了两天想退", {"退款退货"}),
    ("快递少了一件", {"售后问题"}),
    ("周六能来试驾吗", {"预约到店"}),
    ("考虑好了，续一年", {"续费意向"}),
])
def test_guards(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags
