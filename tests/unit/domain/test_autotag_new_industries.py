"""The eleventh round's general entries from the new industries (appliance repair, adult
training, clinics, car rental, shop software, fresh food, travel, wholesale, pets): a
registration's or an order's terms, instalments, a price per year, a ticket, a trade-in, a
warranty or a payment integration asked before buying, a deposit paid before, a mortgage's
instalment talked of, a future visit, a reseller's own customers returning goods, a neighbour
from next door, 什么都 / 啥都 as "anything", a claim's papers, a higher price accepted, a
technician on his way or praised, a ticket's date moved, a friend's complaint talked out of
and auto-renewal switched off or undecided are no intent, or not the one their words suggest;
Cantonese 退返, opening hours, a free slot and a trial session asked for a visit, same-day
delivery, a competitor on its platform or free there, group prices, a point off a fee and a
total capped, a course extended and 先订上 are."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger


@pytest.mark.parametrize(("text", "tags"), [
    ("会计班的报名条件是什么", {"产品咨询"}),
    ("这个保险怎么购买 一年多少钱", {"产品咨询"}),
    ("房贷批下来了 月供比想的低", set()),
    ("这次的路线安排挺好 玩得很开心", set()),
    ("等考完初级再来找你们", set()),
    ("货有瑕疵 我的顾客都退回来了", {"售后问题"}),
    ("我是隔壁公司的 来借个椅子", set()),
    ("我家那台坏掉的旧冰箱你们回收吗", set()),
    ("我家孩子什么都吃 不挑", set()),
    ("我唔要喇，可唔可以退返錢", {"退款退货"}),
    ("你们周日几点开始营业", {"预约到店"}),
    ("明天下午还能排上吗", {"预约到店"}),
    ("几点前下单能当天送", {"物流咨询"}),
    ("客如云那边是免费的", {"竞品对比", "价格异议"}),
    ("学费能分期吗", set()),
    ("延保多少钱一年", {"产品咨询"}),
    ("滑雪场小孩要买全票吗", {"产品咨询"}),
    ("以旧换新能抵多少钱", {"产品咨询"}),
    ("种植体有保修吗", set()),
    ("昨天那个售后师傅叫什么名字 想表扬一下", set()),
    ("住院发票要原件还是复印件", set()),
    ("就算贵一点我也认了", set()),
    ("不满意不买", set()),
    ("出发日期改到周五吧", set()),
    ("月卡怎么续", {"续费意向"}),
    ("有效期快到了 能延期吗", {"续费意向", "产品咨询"}),
    ("有没有团体价", {"价格异议"}),
    ("中介费能不能再降一个点", {"价格异议"}),
    ("总价要是能在两百万以内我就定", {"价格异议"}),
    ("私教能先上一次体验吗", {"预约到店"}),
    ("那先订上吧", {"高意向"}),
    # guards: an enrolment, a purchase, a deposit paid and a refund of a deposit still count
    ("我报名", {"高意向"}),
    ("就它了 下单", {"高意向"}),
    ("定金交了", {"高意向"}),
    ("订金能退吗", {"退款退货"}),
])
def test_new_industries(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags


@pytest.mark.parametrize("text", ["自动续费能关掉吗", "年底要不要续费还没想好"])
def test_auto_renewal_switched_off_or_undecided_renews_nothing(tagger: AutoTagger, text: str) -> None:
    assert "续费意向" not in tagger.labels(text)


@pytest.mark.parametrize(("text", "tag"), [
    ("师傅明天几点能到", "物流咨询"),
    ("衣服比商场贵一点 不过方便", "价格异议"),
    ("能不能让我带去第三方检测一下", "价格异议"),
    ("机票可以改期吗", "预约到店"),
    ("退货运费险已经赔了", "退款退货"),
    ("我同事想投诉你们 被我劝住了", "投诉"),
    ("安装师傅很耐心 还教我怎么用", "售后问题"),
    ("客服教我怎么设置的 很耐心", "售后问题"),
    ("店长还教了我怎么搭配", "产品咨询"),
    ("订金我已经交了 什么时候能提车", "高意向"),
    ("收银机能对接支付宝吗", "高意向"),
])
def test_what_a_new_industry_says_in_passing_is_not_that_intent(
        tagger: AutoTagger, text: str, tag: str) -> None:
    assert tag not in tagger.labels(text)
