"""The twelfth round's general entries from an online shop's customer-service turns, reviews
and new industries (photography, weddings, furniture, printing, phone repair, language
schools, farms): a part asked to be replaced in a repair, a courier introducing himself, a
coupon that does not work and a complaint handled quickly are not the intent their words
suggest, nor is a cheaper competitor when the customer still picks this seller; an order
forgotten, an old model sent, Cantonese 退得唔得 and 幾點收工, 要么换要么退, a label that says
one size and is another, a spice level ordered and not given, 就知道亲, 说了多少遍, staff on
their phone, a floor scratched by the movers and a lower price elsewhere (外面…就够了) are.
Likewise a return's tracking number, an order changed before it ships and a photo taken
apart (分开拍) are not what their words suggest; a promise not kept (答应的…根本没有), money
wasted (钱花哪去了), 还是退吧, a surface bulging, a competitor that gives more (都送) and a
company hiring are; so are 上点心, after-sales called a 摆设, days of waiting with no word, a
portion of 没几片, a misprint, a delivery date asked (哪天能交货) and 下次还买你们家的, and a
bare 在？ asks nothing."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger


@pytest.mark.parametrize(("text", "tags"), [
    ("你们是不是把我的订单忘了", {"物流咨询"}),
    ("怎么发成老款了", {"物流咨询"}),
    ("條褲退得唔得", {"退款退货"}),
    ("你哋今日幾點收工", {"预约到店"}),
    ("不行的话要么退货", {"退款退货"}),
    ("包装上写的500克 实际只有400克", {"售后问题"}),
    ("我备注的是不辣 结果辣得不行", {"售后问题"}),
    ("别就知道道歉 给个说法", {"投诉"}),
    ("我都强调了三遍了 还是弄错", {"投诉"}),
    ("那个教练全程在玩手机", {"投诉"}),
    ("装空调的把我家墙面弄脏了一大块", {"投诉"}),
    ("配个钥匙要八十？外面十块就够了", {"竞品对比", "价格异议"}),
    ("对比了几家 虽然你们贵一点 但还是选你们", {"竞品对比", "高意向"}),
    ("上个月投诉的问题你们处理得很及时", set()),
    ("客服答应的回电根本没有", {"投诉"}),
    ("学了半年 真不知道钱都花哪去了", {"投诉"}),
    ("算了 还是退吧", {"退款退货"}),
    ("桌面鼓起来一块", {"售后问题"}),
    ("别的店都送安装 你们不送吗", {"竞品对比", "价格异议"}),
    ("我们公司正在招聘销售 有意向的话聊聊", {"无效客户"}),
    ("拜托你们上点心好吗", {"投诉"}),
    ("你们这客服简直是摆设", {"投诉"}),
    ("说给我回电话 等了三天了也没消息", {"投诉"}),
    ("虾仁没几只", {"售后问题"}),
    ("名片上的电话印错了", {"售后问题"}),
    ("定制的桌子哪天能交货", {"物流咨询"}),
    ("下次还买你们家的", {"续费意向"}),
    ("在？", set()),
])
def test_shop_turns(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags


@pytest.mark.parametrize(("text", "tag"), [
    ("屏幕你们能换吗", "退款退货"),
    ("我是京东快递", "物流咨询"),
    ("满减券用不了", "售后问题"),
    ("退货的快递单号是SF1234567", "物流咨询"),
    ("没发货的话帮我改成两件", "物流咨询"),
    ("外景和室内能分开拍吗", "高意向"),
])
def test_what_a_shop_turn_says_in_passing_is_not_that_intent(
        tagger: AutoTagger, text: str, tag: str) -> None:
    assert tag not in tagger.labels(text)


def test_a_phrase_waved_away_before_a_space_counts_for_nothing(tagger: AutoTagger) -> None:
    """A space ends the clause a phrase is waved away in (发票不用了 谢谢), as a comma does."""
    assert tagger.labels("发票不用了 谢谢") == []
    assert tagger.labels("发票 不用了") == []
    assert "开票需求" in tagger.labels("发票 麻烦开一下")
