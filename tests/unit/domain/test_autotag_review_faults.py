"""Faults in reviewers' own words (割手, 没有嚼劲, 冰都化了, 太卡了), complaints about unkept
promises and unanswered calls, and what looks like an intent but is not one (a delivery
question about ordering now, a test drive already taken, a verdict of mild disappointment)."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger


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


@pytest.mark.parametrize(("text", "tags"), [
    ("还差一人，能不能直接成团", {"高意向"}),
    ("本来想买大号的，算了", set()),                  # a purchase once meant, not made
    ("抱歉，刚刚发错了", set()),                        # a message sent astray is no wrong item
    ("电视的保修是全国联保吗", {"产品咨询"}),         # a warranty question before buying
    ("会员卡过期了还能续吗", {"续费意向"}),
    ("提交申请三天了，一直没人审核", {"投诉"}),
    ("快递员让我自己下楼拿", {"投诉"}),
    ("这衣服太薄了，根本没法穿", {"售后问题"}),
    ("油漆味太冲了，熏得头疼", {"售后问题"}),
    ("比店里吃的淡", {"售后问题"}),
    ("换了新粮，狗狗都不爱吃了", {"售后问题"}),
    ("晚上的课能调到周五吗", {"预约到店"}),
    ("别的店同款送了一年保养", {"竞品对比", "价格异议"}),
    ("续约能按去年的价格吗", {"续费意向", "价格异议"}),
    ("这个月莫名其妙扣了我五十", {"退款退货"}),
    ("下雪了，你们那边下了没", set()),                # small talk about the weather
    ("帮我查下物流，哦已经拿到了", set()),            # the parcel came while asking
])
def test_seventh_round_families(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags


@pytest.mark.parametrize(("text", "tags"), [
    ("这价格太离谱了", {"价格异议"}),                  # too much: the price, no one blamed
    ("离谱，鞋底开胶了", {"售后问题"}),                 # 离谱 alone is an exclamation
    ("确认收货了，五星好评安排上", set()),
    ("试用期到期了，决定买专业版", {"高意向"}),        # the trial ending renews nothing
    ("说明书全是日文，看不懂", {"售后问题"}),
    ("跟宣传视频里的差远了", {"售后问题"}),
    ("T恤一洗就变形", {"售后问题"}),
    ("拆开就是碎的", {"售后问题"}),
    ("奶油全塌了", {"售后问题"}),
    ("音箱底噪太大", {"售后问题"}),
    ("毛衣全是静电", {"售后问题"}),
    ("辣到没法吃", {"售后问题"}),
    ("饺子是夹生的", {"售后问题"}),
    ("汤里居然有一只虫子", {"售后问题"}),
    ("下单四天了还没揽收", {"物流咨询"}),
    ("快递盒有点破，东西挺好", set()),
    ("一个问题要重复说好几遍", {"投诉"}),
    ("店家一直打电话让我改好评", {"投诉"}),
    ("少了配件，补发也不给", {"售后问题", "投诉"}),
    ("想先约一节体验课", {"预约到店"}),
    ("安装师傅什么时候上门", {"预约到店"}),
    ("呢件衫可唔可以换过件", {"退款退货"}),
])
def test_shoppers_words(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags


@pytest.mark.parametrize(("text", "tags"), [
    ("你们这边是怎么安排的，一直没人来", set()),      # how it was arranged: no purchase
    ("续保保费涨了多少", {"续费意向", "产品咨询"}),    # asks the renewal's price
    ("Please cancel my order", {"退款退货"}),
    ("投诉我们的那位顾客后来联系上了", set()),         # someone else's complaint
    ("听说物流公司在招人", set()),
    ("你们店长是不是姓李", set()),
    ("班主任从来不回消息", {"投诉"}),
    ("说好赠送的脚垫都没给", {"物流咨询"}),
    ("工时费太黑了", {"价格异议"}),
    ("灯一直闪个不停", {"售后问题"}),
    ("做的指甲三天就翘边", {"售后问题"}),
    ("地砖铺得歪歪扭扭", {"售后问题"}),
    ("热水器底下一直往下滴水", {"售后问题"}),
    ("明天能上门安装吗", {"预约到店"}),
    ("They sell it at half price", set()),             # no competitor named: no objection
])
def test_other_industries(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags


@pytest.mark.parametrize(("text", "tags"), [
    ("是不是还没发货", {"物流咨询"}),
    ("这么久还没到，是不是寄漏了", {"物流咨询"}),      # forgotten, not leaking
    ("懒得折腾退货了", set()),
    ("退一部分钱给我就行", {"退款退货"}),
    ("你们卖的什么破烂", {"投诉"}),                    # a rhetorical question scolds
    ("鱼不太新鲜，一股腥味", {"售后问题"}),
    ("吸尘器吸力不够", {"售后问题"}),
    ("牛奶是坏的", {"售后问题"}),
    ("超时半小时，打电话也不接", {"物流咨询", "投诉"}),
    ("师傅什么时候能过来修", {"预约到店"}),
    ("Could I get 10% off?", {"价格异议"}),
])
def test_whole_chats(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags


@pytest.mark.parametrize(("text", "tags"), [
    ("物流信息我已经看到了", set()),
    ("你们的售后我一直很放心", set()),
    ("这种问题在所难免，没关系", set()),
    ("降温了，天冷了多穿点", set()),
    ("单位的发票我都报销完了", set()),                 # the invoice is done with
    ("上次说的退货不算数，东西我留着了", set()),       # the return is called off
    ("发货神速", set()),
    ("外卖小哥特别有礼貌", set()),
    ("我们公司是做网站推广的，有需要可以联系我们", {"无效客户"}),
    ("挂号费要多少", {"产品咨询"}),                    # a fee asked, no visit booked
    ("合同到期就停，不续了", set()),
    ("收货地址填的是旧的", {"物流咨询"}),
    ("风扇噪音有点大", {"售后问题"}),
    ("香水味道太淡了，闻不到香味", {"售后问题"}),
    ("实际油耗比宣传的高", {"售后问题"}),
    ("能不能上门给我们培训一次", {"预约到店"}),
    ("价格还能商量吗", {"价格异议"}),
])
def test_precision_traps(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags


@pytest.mark.parametrize(("text", "tags"), [
    ("付完款以后多久能发货", {"物流咨询"}),            # when it ships, no new purchase
    ("明明拍的现货，怎么成了预售", {"物流咨询"}),
    ("I got the wrong color", {"物流咨询"}),           # a wrong item sent, as in Chinese
    ("枕头有点味道，晾了一天就没味了", set()),          # the fault settled
    ("纸质发票随货寄来了", set()),
    ("比商场的划算多了", {"竞品对比"}),                # cheaper than another seller: no objection
    ("订单我已经取消了，不用处理了", set()),
    ("才用三天就黄了", {"售后问题"}),
    ("粉丝断成好几截", {"售后问题"}),
    ("青菜全蔫了", {"售后问题"}),
    ("裤子做短了", {"售后问题"}),
    ("门店改了营业时间也不通知", {"投诉"}),
])
def test_last_families(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags


@pytest.mark.parametrize(("text", "tags"), [
    ("箱子压坏了，里面的东西倒没事", set()),
    ("The box was dented but the item is fine.", set()),
    ("价格贵了点，不过一分钱一分货", set()),           # a higher price accepted
    ("退回来的钱怎么少了", {"退款退货"}),
    ("外卖放到隔壁楼了", {"物流咨询"}),               # a building, not a competitor
    ("能给个老顾客价吗", {"价格异议"}),
    ("术后复查一般多久一次", {"产品咨询"}),
    ("麻烦你们上点心", {"投诉"}),
    ("问题到现在还是没解决", {"投诉"}),
    ("买回来才发现缺个零件", {"售后问题"}),
    ("数据线太短了", {"售后问题"}),
    ("鞋底磨穿了", {"售后问题"}),
    ("台灯光线太暗", {"售后问题"}),
    ("汤洒出来一半", {"售后问题"}),
    ("保养漏装了一个螺丝", {"售后问题"}),
])
def test_round_end_families(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags
