"""Rules that keep the auto-tagger from suggesting what the customer did not say: words in
another sense, scope of negation, questions by their form, intents that step aside."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger, normalise
from desktop.services.autotag_packs import load_intent_packs


@pytest.mark.parametrize(("text", "tags"), [
    ("外卖怎么还没到，下单四十分钟了", {"物流咨询"}),   # how long ago, not an order now
    ("好的，下单两台", {"高意向"}),
    ("袜子穿一次就破洞了，质量太差", {"售后问题"}),     # the product is bad, no one is blamed
    ("质量太差，客服态度也太差", {"售后问题", "投诉"}),
    ("能发京东快递吗", {"物流咨询"}),                  # a courier, not a competitor
    ("京东上一模一样的更便宜", {"竞品对比", "价格异议"}),
    ("裸车价再少五千我就定了", {"价格异议"}),           # a purchase on condition bargains
    ("专业刷好评，价格优惠，加微信", {"无效客户"}),     # a spammer's selling words are no intent
    ("发票已经收到了，谢谢", set()),
    ("上个月的发票还没收到", {"开票需求"}),
    ("优惠券我用过了，已经便宜了很多", set()),
    ("升级以后模板都用不起来了", {"售后问题"}),
    ("报价太高了，我们小团队用不起", {"价格异议"}),
    ("周六上午的瑜伽课还能约吗", {"预约到店"}),
    ("明晚七点的动感单车还有位吗", {"预约到店"}),
    ("洗牙一次多少钱，需要预约吗", {"产品咨询"}),       # asks whether to book, books nothing
    ("发票邮寄地址改一下", {"开票需求"}),               # the invoice's address, not a parcel's
    ("保修多久", {"产品咨询"}),                         # a warranty question before buying
    ("买的加湿器坏了，还在保修期吗", {"售后问题"}),
    ("可能过段时间再买吧", set()),                      # put off, neither bought nor renewed
    ("提车后发现座椅上有划痕", {"售后问题"}),           # the purchase is past: the defect is the news
    ("帮我退了吧，尺码不对", {"退款退货"}),             # a size that does not fit is no defect
    ("这里是某某保险，了解一下？", {"无效客户"}),        # a seller's cold call
    ("收到了，质量不错，快递也很快", set()),             # praise of the delivery asks nothing
    ("你们的售后小哥人挺好的", set()),
    ("发票在哪下载", {"开票需求"}),                     # the invoice, not a product, is asked for
    ("挂号的时候护士态度很差，还翻白眼", {"投诉"}),      # a complaint about the visit books none
    ("你们的服务太让人失望了，续约不考虑了", {"投诉"}),  # the renewal is waved away, not the complaint
    ("孩子退烧了，谢谢关心", set()),                     # 退 and 烧 in another sense
    ("我们领导姓贵，贵总让我来问问情况", set()),
    ("这个电热毯有自动断电功能吗", {"产品咨询"}),        # a feature, not a fault
    ("你们派人来我们公司演示一下", {"预约到店"}),
    ("你们赶紧派人来看看，坏了", {"售后问题"}),
    ("个煲用咗两次就唔热", {"售后问题"}),               # it failed after two uses
    ("后台打开特别慢，经常超时", {"售后问题"}),
    ("年费的专票抬头和税号我稍后发给你", {"开票需求"}),
    ("您的快递丢失，请加客服QQ办理理赔", {"无效客户"}),
    ("拍了照片给你看", set()),                          # 拍 a photo, not an order
    ("great, ordering two now", {"高意向"}),
    ("能不能先来试一节", {"预约到店"}),
    ("今天老师又请假了，这个月都第三次了", {"投诉"}),    # a grievance counted
    ("上次补的那颗牙还是有点酸", {"售后问题"}),
    ("喂，喺唔喺度啊", set()),                          # are you there: no question about a product
    ("骑手态度太差了，还骂人", {"投诉"}),                # the courier's manners, not the delivery
    ("我的快递怎么显示退回了", {"物流咨询"}),            # a parcel sent back, not a return
    ("我再看看别的型号", set()),                        # the seller's other models, no competitor
    ("上次那个榨汁机我朋友也想要，我让她加你", set()),   # a friend's wish, not the customer's
    ("下单前想先了解清楚，不急", set()),
    ("小程序支付一直失败", {"售后问题"}),               # a failed payment is a fault, no purchase
    ("这周末能安排试驾吗", {"预约到店"}),
    ("订的车到店了吗", {"物流咨询"}),                   # the car comes to the shop, not the customer
    ("下周二下午能约接睫毛吗", {"预约到店"}),
    ("上次投诉的问题解决了，谢谢你们", set()),           # a past complaint, settled
    ("美瞳戴了半天眼睛就红了", {"售后问题"}),
    ("I'd like to return this, it's not what I expected", {"退款退货"}),  # ' is no quotation
    ("这个空调一晚上大概用几度电", {"产品咨询"}),
    ("后天早上八点有空吗", {"预约到店"}),                # a time and whether it is free
    ("能不能开发表", {"开票需求"}),                     # 发表 for 发票
    ("能不能帮我查一下", set()),                        # a request, not a product question
    ("枕头有股很重的味道，晾了三天还是有", {"售后问题"}),  # a review's complaint about the product
    ("鸡腿是生的，里面还带血", {"售后问题"}),
    ("吸尘器吸力越来越小了", {"售后问题"}),
    ("这个配置卖这个价有点虚高了", {"价格异议"}),
    ("way overpriced for what it is", {"价格异议"}),
    ("great quality, fast delivery, would buy again", set()),  # praise
    ("没收到货之前我就不评价了", set()),
    ("起送价太高了吧，一个人吃不了那么多", {"价格异议"}),
    ("数据能导出来吗，以后不用了数据怎么办", {"产品咨询"}),
])
def test_tags(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags


@pytest.mark.parametrize(("text", "asks"), [
    ("你们家的猪脚饭是卤的还是烤的", True),            # a choice between two things asks
    ("这个颜色实物偏黄还是偏白", True),
    ("还是有点贵", False),                             # 还是 as "still"
    ("我还是要那个白色的", False),
    ("我们只是随便看看，还没决定买不买", False),       # the customer's own undecided matter
    ("这个好不好用", True),
    ("这个床垫软还是硬", True),
    ("没事没事，你们忙", False),                       # said twice over, not A-not-A
])
def test_a_choice_between_two_things_is_a_product_question(
        tagger: AutoTagger, text: str, asks: bool) -> None:
    assert ("产品咨询" in tagger.labels(text)) is asks


@pytest.mark.parametrize(("text", "tag"), [
    ("我只是问问，没说贵", "价格异议"),                 # a negated saying: 没说贵, 不是说贵
    ("no need for an invoice, thanks", "开票需求"),    # English negation reaches over a few words
])
def test_negated(tagger: AutoTagger, text: str, tag: str) -> None:
    assert tag not in tagger.labels(text)


@pytest.mark.parametrize(("raw", "normal"), [
    ("得，就要呢部", "得,就要这部"),                    # Cantonese 呢 + measure word is 这
    ("你呢", "你呢"),                                   # the Mandarin particle stays
    ("啥辰光发货", "什么时候发货"),                     # Shanghainese
])
def test_dialect_words(raw: str, normal: str) -> None:
    assert normalise(raw).text == normal


def test_traps_are_written_as_patterns() -> None:
    """A trap family is expanded like a phrase family: every number and unit of 下单…了."""
    traps = {trap for pack in load_intent_packs() if pack.name == "高意向" for trap in pack.traps}
    assert {"下单四十分钟", "下单已经两天", "付款3个小时"} <= traps
