"""A question about nothing for sale is no product question (who is this, is it you, the
phone number), and the wording of reviews and after-sales chats: a process that wears the
customer out, staff who do not turn up, a foreign body in the food, a parcel ruined on the
way, a demand for compensation, praise of the delivery speed."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger


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
    ("是张总吗", set()),                             # a person addressed by name and title
    ("在忙吗", set()),
    ("我是不是之前在你们这买过", set()),             # the customer asks about themself
    ("你上次说的那个怎么样了", set()),
    ("羽绒服根本不保暖", {"售后问题"}),
    ("蛋糕盒子压扁了", {"售后问题"}),
    ("点的是大杯给的是中杯", {"售后问题"}),
    ("这么少还要三十", {"价格异议"}),
    ("同样的钱在网上能买三个", {"竞品对比", "价格异议"}),
    ("退货地址发一下", {"退款退货"}),                # an address to send back, not to visit
    ("送餐员态度太差了", {"投诉"}),                  # the courier's manners, not the delivery
    ("出餐也太慢了", {"物流咨询"}),
    ("下周再发吧", {"物流咨询"}),
    ("我是做抖音推广的，了解一下", {"无效客户"}),
    ("你们就是不想处理吧", {"投诉"}),
    ("预约的洗牙不做了，钱退我", {"退款退货"}),      # the booking is what is cancelled
    ("发票能寄到公司吗", {"开票需求"}),              # the invoice's post is the invoice's
    ("运单号是多少", {"物流咨询"}),                  # a delivery question, not a product one
    ("值得入手", set()),                             # praise, not a purchase
    ("快递隔天就到了，很满意", set()),
    ("外卖小哥态度很好", set()),
    ("送餐辛苦了", set()),
    ("退款已经到账了", set()),                       # a settled refund
    ("等了五天才到", {"物流咨询"}),
    ("有点咸", {"售后问题"}),
    ("不会太咸吧", set()),
    ("勺子都没给", {"售后问题"}),
    ("分量太少了", {"售后问题"}),
    ("给点补偿吧", {"价格异议"}),                    # money offered in place of a return
    ("改了时间也不说一声", {"投诉"}),
    ("客服回复也太慢了", {"投诉"}),
    ("骑手不送上楼", {"物流咨询"}),
    ("跟详情页的颜色差太多", {"售后问题"}),
    ("会不会起球", {"产品咨询"}),                    # asked before buying: no fault yet
    ("这件会缩水吗", {"产品咨询"}),
    ("怎么一天一个价", {"价格异议"}),
    ("能补我差价吗", {"价格异议"}),
    ("包裹怎么退回去了", {"物流咨询"}),              # the parcel bounced, no return asked
    ("能重新给我发一次吗", {"物流咨询"}),
    ("是不是二手的", {"售后问题"}),
    ("有点色差", {"售后问题"}),
    ("我要求换新", {"退款退货"}),
    ("那直接退吧", {"退款退货"}),
    ("退货运费谁出", {"退款退货"}),
    ("退款到哪了", {"退款退货"}),                    # the money, not a parcel, is on its way
    ("为啥我拍的比别人贵", {"价格异议"}),            # other buyers are no competitor
    ("你们这操作太离谱", {"投诉"}),
    ("放门卫那就行", {"物流咨询"}),
    ("订单号发你了", set()),                         # an order number is no tracking number
    ("我根本没点", set()),                           # 没点 does not sound like 没电 here
    ("冰箱噪音大不大", {"产品咨询"}),                # asks whether it is loud, says no fault
    ("我家没电梯，能送上楼吗", {"物流咨询"}),        # a lift, not a flat battery
    ("贷款利息多少", {"产品咨询"}),                  # a buyer's loan, not a loan offer
    ("答应的培训一直没安排", {"投诉"}),              # a promise not kept
    ("赠品不要了，便宜点", {"价格异议"}),            # a gift waved away is no return
    ("包裹丢了谁负责", {"物流咨询"}),
    ("骑手又迟到了", {"物流咨询"}),                  # a late courier is a late delivery
    ("比超市还便宜", {"竞品对比"}),                  # praise that it is cheaper objects to nothing
    ("这个牌子买了三次了", {"续费意向"}),
    ("售后很顺利", set()),
    ("不合适，已退", {"退款退货"}),
    ("没收到赠品", {"物流咨询"}),
    ("总算到了", {"物流咨询"}),
    ("一点也不甜", {"售后问题"}),
    ("太难用了", {"售后问题"}),
    ("半小时了还没接单", {"物流咨询"}),
    ("坏了还不给修", {"售后问题", "投诉"}),
    ("一直没人解释", {"投诉"}),
    ("还没用，不知道效果怎么样", set()),             # wonders, asks nothing
    ("东西一般，物流倒是挺快", set()),
    ("一米七穿L还是XL", {"产品咨询"}),               # a choice between two sizes
    ("包邮吗", {"价格异议"}),                        # free shipping asked as a concession
    ("能走顺丰吗，我补差价", {"物流咨询"}),          # the customer pays the difference
    ("你们是旗舰店吗", {"产品咨询"}),                # the seller's own shop is no competitor
    ("有实体店吗", {"产品咨询"}),
    ("帮我推荐一个", {"产品咨询"}),
    ("准时送达", set()),                             # praise in a review asks nothing
    ("迟了点，不过店家主动道歉了", set()),
    ("师傅送货上门，很方便", set()),
    ("售后处理得很及时", set()),
    ("还送了小礼物", set()),                         # a gift received, not asked for
    ("优惠力度很大", set()),
    ("特价买的", set()),
    ("有点贵，但是物有所值", set()),                 # a price accepted
    ("专柜验过了，是正品", set()),
    ("今天的比平时咸", {"售后问题"}),                # worse than usual
    ("就是有点吵", {"售后问题"}),                    # the review's one fault
    ("不是嫌贵，就是想等等新款", set()),             # 就是想 does not sound like 就是响
    ("充电有点慢", {"售后问题"}),
    ("说明书是英文的", {"售后问题"}),
    ("也不打个电话", {"投诉"}),
    ("优惠多少", {"价格异议"}),
    ("顾问一直没回我消息", {"投诉"}),
    ("老师换了也没通知", {"投诉"}),
    ("开起来方向盘一直抖", {"售后问题"}),
    ("升级后排版全乱了", {"售后问题"}),
    ("房间比照片差太多了", {"售后问题"}),
    ("密码忘了", {"售后问题"}),
    ("猫粮快吃完了", {"续费意向"}),                  # running out of what was bought before
    ("能带孩子过去吗", {"预约到店"}),
    ("会员卡还没到期", set()),                       # 还没到 of a card, not of a parcel
    ("想跟贵司合作一下", {"无效客户"}),              # a vendor's pitch
])
def test_tags(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags


@pytest.mark.parametrize(("text", "asks"), [
    ("这个吹风机正常吗", True),
    ("刚买的吹风机，这个正常吗", False),     # about what the customer has: after-sales
    ("订单备注能改吗", False),
    ("穿了两次这样正常吗", False),
    ("能换个颜色吗", False),
])
def test_a_question_about_what_the_customer_has_is_no_product_question(
        tagger: AutoTagger, text: str, asks: bool) -> None:
    assert ("产品咨询" in tagger.labels(text)) is asks
