"""The eleventh round's general entries from the new industries (appliance repair, adult
training, clinics, car rental, shop software, fresh food, travel, wholesale, pets): a
registration's or an order's terms asked about, a mortgage's instalment talked of, a future
visit, a reseller's own customers returning goods, a neighbour from next door, a trade-in of an
old broken set, 什么都 / 啥都 as "anything" are no intent; Cantonese 退返, opening hours and a
free slot asked for a visit, same-day delivery, a cheaper or free competitor on its platform
are."""

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
    # guards: an enrolment, a purchase, a deposit paid and a refund of a deposit still count
    ("我报名", {"高意向"}),
    ("就它了 下单", {"高意向"}),
    ("定金交了", {"高意向"}),
    ("订金能退吗", {"退款退货"}),
])
def test_new_industries(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags
