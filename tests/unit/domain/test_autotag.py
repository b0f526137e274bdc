"""The auto-tagging engine: normalisation, segmentation, sound-alikes, negation, reported
speech, traps, pack linking and keyword warnings."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger, IntentPack, TagKeywords, normalise
from desktop.services.autotag_packs import load_intent_packs

TAGS = (
    TagKeywords("嫌贵", ("太贵", "便宜点", "优惠")),
    TagKeywords("高意向", ("想买", "下单", "付款")),
    TagKeywords("开票", ("发票", "开票", "报销")),
    TagKeywords("退款退货", ("退款", "退货", "退钱")),
    TagKeywords("物流", ("快递", "发货", "物流")),
    TagKeywords("询价", ("询价", "多少钱", "价格")),
    TagKeywords("骚扰", ("广告", "加微信", "兼职")),
)


def tags_of(tagger: AutoTagger, text: str) -> set[str]:
    return set(tagger.labels(text))


@pytest.mark.parametrize(("raw", "normal"), [
    ("預算不太夠", "预算不太够"),          # traditional → simplified
    ("ＡＢＣ１２３", "abc123"),            # full width → half width, lower case
    ("退 款", "退款"),                     # a space inside a word
    ("退-款", "退款"),                     # punctuation inside a word
    ("好贵贵贵贵", "好贵"),               # a run of one character
    ("sooooo cheap😭", "soo cheap"),      # latin runs kept at two; emoji dropped
    ("太贵了[捂脸][OK]", "太贵了"),        # chat emoji codes
    ("点 https://x.cn/refund?a=1 领", "点链接领"),   # a web address is a link
    ("聽日過嚟得唔得", "明天过来得不得"),   # Cantonese words in Mandarin
    ("我份嘢冇收到", "我份东西没收到"),
    ("俺家空调咋不制冷", "我家空调怎么不制冷"),   # northern dialect
])
def test_normalise(raw: str, normal: str) -> None:
    assert normalise(raw).text == normal


def test_a_removed_space_is_a_break_negation_does_not_cross() -> None:
    assert normalise("不用了 谢谢").breaks == frozenset({3})


@pytest.mark.parametrize(("text", "tag"), [
    ("能便宜点不", "嫌贵"),
    ("這個價格太貴了", "嫌贵"),
    ("预算不够啊", "嫌贵"),               # from the pack, not the keywords
    ("寻价一下这款", "询价"),             # a sound-alike of 询价
    ("我要退 款", "退款退货"),
    ("怎么还不发货", "物流"),             # 还不 asks, it does not negate
    ("还没收到货", "物流"),
    ("能不能便宜点", "嫌贵"),             # 能不能 is a question
    ("可以开发票吗", "开票"),
    ("我想买两台", "高意向"),
    ("any discount? too expensive", "嫌贵"),
    ("咁貴，平啲得唔得", "嫌贵"),          # Cantonese, through the Mandarin phrases
    ("呢個套餐包唔包接送", "询价"),         # an A-not-A question asks
    ("后排坐三个人挤不挤", "询价"),
    ("家里老人用，操作复杂不", "询价"),      # so does a clause that ends in 不
    ("我份嘢寄咗幾日都冇收到", "物流"),
])
def test_finds(tagger: AutoTagger, text: str, tag: str) -> None:
    assert tag in tags_of(tagger, text)


@pytest.mark.parametrize(("text", "tag"), [
    ("不贵", "嫌贵"),                     # negation
    ("一点都不贵啊", "嫌贵"),
    ("没想退", "退款退货"),
    ("不想买了", "高意向"),               # 不想买 is not 想买
    ("我不太想下单", "高意向"),           # hedging
    ("懒得退货了", "退款退货"),
    ("朋友说你们退款很麻烦", "退款退货"),  # reported speech
    ("邻居都说你们退款很麻烦", "退款退货"),  # whoever says it, however often
    ("他们说的“太贵”是指运费", "嫌贵"),   # a quotation
    ("代开发票，联系我", "开票"),          # a trap
    ("贵公司在哪", "嫌贵"),               # 贵 in another sense
    ("请问您贵姓", "嫌贵"),
    ("退休了想学点东西", "退款退货"),
    ("不用开发票，谢谢", "开票"),          # 发票 inside the negated 开发票
    ("可以寄到江苏吗，包邮吗", "询价"),     # 邮吗 is no sound-alike of 有吗
    ("我们要升级到企业版", "物流"),         # nor 级到 of 寄到
    ("我还没", "询价"),                     # 还没 ends a clause without asking
    ("谁说要退了，我就问问", "退款退货"),    # a rhetorical question denies
    ("贵店在哪个商场", "嫌贵"),             # 贵 as an honorific
])
def test_does_not_find(tagger: AutoTagger, text: str, tag: str) -> None:
    assert tag not in tags_of(tagger, text)


def test_negation_reaches_only_across_modal_and_degree_words(tagger: AutoTagger) -> None:
    assert "高意向" not in tags_of(tagger, "我不是很想下单")
    assert "物流" in tags_of(tagger, "没问题，什么时候发货")
    assert "退款退货" in tags_of(tagger, "没用几天就坏了，我要退货")
    assert "物流" in tags_of(tagger, "没涨价前发货吧")         # 没 negates 涨价, not 发货
    assert "高意向" in tags_of(tagger, "特别想买")               # 特别 is no 别
    assert "高意向" in tags_of(tagger, "恨不得马上下单")


def test_a_question_about_nothing_else_is_a_product_question(tagger: AutoTagger) -> None:
    assert tags_of(tagger, "这件有黑色M码吗") == {"询价"}
    assert tags_of(tagger, "什么时候发货？") == {"物流"}      # about delivery, not the product
    assert tags_of(tagger, "在吗？") == set()                # a greeting
    assert tags_of(tagger, "一般般吧，没什么特别的") == set()  # no question
    assert tags_of(tagger, "听说你们要涨价了？") == set()     # reported


def test_a_trap_of_one_intent_is_a_hit_for_another(tagger: AutoTagger) -> None:
    assert tags_of(tagger, "代开发票，联系我") == {"骚扰"}


def test_short_sound_alikes_need_a_kept_character(tagger: AutoTagger) -> None:
    # 寻价 ~ 询价 keeps 价; 信价 would keep it too but 心驾 (xin jia) shares no character
    assert "询价" not in tags_of(tagger, "心驾")


def test_sound_alike_is_less_sure_than_the_word(tagger: AutoTagger) -> None:
    exact = tagger.suggest("询价")[0]
    sound = tagger.suggest("寻价")[0]
    assert exact.tag == sound.tag == "询价"
    assert sound.confidence < exact.confidence
    assert sound.evidence == ("寻价",)


def test_suggestions_carry_evidence_and_source(tagger: AutoTagger) -> None:
    [suggestion] = tagger.suggest("这个多少钱")
    assert (suggestion.tag, suggestion.source, suggestion.evidence) == ("询价", "rules", ("多少钱",))
    assert 0.5 <= suggestion.confidence <= 1


@pytest.mark.parametrize(("text", "tag", "evidence"), [
    ("預算不太夠", "嫌贵", "預算不太夠"),      # traditional, as written
    ("我要退 款", "退款退货", "退 款"),         # the space inside the word kept
    ("好貴貴貴貴", "嫌贵", "好貴貴貴貴"),      # the whole run of one character
    ("ＴＯＯ　ＥＸＰＥＮＳＩＶＥ", "嫌贵", "ＴＯＯ　ＥＸＰＥＮＳＩＶＥ"),   # full width
])
def test_evidence_shows_the_customers_own_characters(
        tagger: AutoTagger, text: str, tag: str, evidence: str) -> None:
    [suggestion] = [s for s in tagger.suggest(text) if s.tag == tag]
    assert evidence in suggestion.evidence


def test_evidence_falls_back_to_the_normalised_text_when_it_cannot_be_lined_up() -> None:
    written = "e\u0301 太貴了"          # composition across characters: no character map
    assert normalise(written).origins is None
    [suggestion] = AutoTagger.build([TagKeywords("嫌贵", ("太贵",))]).suggest(written)
    assert suggestion.evidence == ("太贵",)


def test_tags_link_to_packs_by_name_or_keywords(tagger: AutoTagger) -> None:
    links = {name: link.pack for name, link in tagger.links.items()}
    assert links["嫌贵"] == "价格异议"          # by keywords (and the alias 嫌贵)
    assert links["高意向"] == "高意向"          # by name
    assert links["询价"] == "产品咨询"          # by the alias 询价
    assert links["骚扰"] == "无效客户"


def test_keywords_link_a_tag_whose_name_says_nothing() -> None:
    tagger = AutoTagger.build([TagKeywords("A类", ("便宜", "砍价", "太贵了吧"))],
                              packs=load_intent_packs())
    link = tagger.links["A类"]
    assert (link.pack, link.by_name, link.shared_keywords) == ("价格异议", False, ("便宜", "砍价", "太贵了吧"))
    assert tagger.labels("預算不太夠") == ["A类"]


def test_a_tag_linked_to_nothing_keeps_its_keywords() -> None:
    tagger = AutoTagger.build([TagKeywords("VIP", ("钻石会员", "黑卡", "至尊"))],
                              packs=load_intent_packs())
    assert tagger.links == {}
    assert tagger.labels("我是钻石会员") == ["VIP"]
    assert tagger.labels("太贵了") == []


def test_warnings_name_few_keywords_and_keywords_that_fire_other_tags() -> None:
    tags = [
        TagKeywords("嫌贵", ("贵", "优惠")),
        TagKeywords("询价", ("多少钱", "价格", "价格太高")),
        TagKeywords("VIP", ()),
    ]
    warnings = AutoTagger.build(tags, packs=load_intent_packs()).warnings()
    texts = [str(w) for w in warnings]
    assert any("“嫌贵”只有 2 个关键词" in t and "has only 2 keyword" in t for t in texts)
    assert any("“VIP”没有关键词" in t and "never suggested" in t for t in texts)
    crossing = [w for w in warnings if w.other_tags]
    assert [(w.tag, w.other_tags) for w in crossing] == [("询价", ("嫌贵",))]
    assert "价格太高" in crossing[0].zh and "价格太高" in crossing[0].en


def test_no_pack_links_without_packs() -> None:
    tagger = AutoTagger.build(TAGS)
    assert tagger.links == {}
    assert tagger.labels("太贵了") == ["嫌贵"]
    assert tagger.labels("预算不够") == []


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "\x00\x01\xff" * 10, "贵" * 100_000])
def test_odd_input_gives_an_answer(tagger: AutoTagger, text: str) -> None:
    assert isinstance(tagger.suggest(text), list)


@pytest.mark.parametrize(("name", "pack"), [
    ("询问价格", "产品咨询"), ("催发货", "物流咨询"), ("退换货", "退款退货"), ("质量问题", "售后问题"),
    ("议价", "价格异议"), ("发票问题", "开票需求"), ("服务态度", "投诉"), ("意向客户", "高意向"),
    ("骚扰", "无效客户"), ("续约", "续费意向"), ("试驾预约", "预约到店"), ("竞争对手", "竞品对比"),
])
def test_a_tag_name_alone_links_its_pack(name: str, pack: str) -> None:
    tagger = AutoTagger.build([TagKeywords(name, ())], packs=load_intent_packs())
    assert tagger.links[name].pack == pack and tagger.links[name].by_name


PRODUCT_TAGS = (
    TagKeywords("产品咨询", ("多少钱", "价格", "介绍一下")),
    TagKeywords("价格异议", ("太贵", "便宜点", "优惠")),
    TagKeywords("售后问题", ("坏了", "维修", "保修")),
    TagKeywords("物流咨询", ("快递", "发货", "物流")),
)


@pytest.fixture(scope="module")
def product_tagger() -> AutoTagger:
    return AutoTagger.build(PRODUCT_TAGS, packs=load_intent_packs())


@pytest.mark.parametrize(("text", "asks"), [
    ("价格是多少", True),
    ("这个尺码偏大吗", True),
    ("请问价格表有吗", True),
    ("介绍一下你们的课程", True),           # a request asks without a question mark
    ("想了解下这款车", True),
    ("价格太贵了，有没有折扣", False),      # the price is in a clause that asks nothing
    ("价格公道，下次还来", False),
    ("颜色挺好看的，尺码也合适", False),
])
def test_product_questions_must_ask(product_tagger: AutoTagger, text: str, asks: bool) -> None:
    assert ("产品咨询" in tags_of(product_tagger, text)) is asks


@pytest.mark.parametrize(("text", "tag"), [
    ("车子打不着火了", "售后问题"),
    ("系统崩了，登不进去", "售后问题"),
    ("屏幕碎了还在保吗", "售后问题"),
    ("The blender stopped working", "售后问题"),
])
def test_after_sales_wording(product_tagger: AutoTagger, text: str, tag: str) -> None:
    assert tag in tags_of(product_tagger, text)


@pytest.mark.parametrize("text", [
    "这个好不好用啊",                      # an A-not-A question, not a complaint
    "送货速度很快，第二天就到了",          # praise, not a delivery question
    "没收到验证码，怎么注册",
    "退款还没到账",
    "售后服务很好",
])
def test_not_logistics_nor_after_sales(product_tagger: AutoTagger, text: str) -> None:
    assert not tags_of(product_tagger, text) & {"物流咨询", "售后问题"}


def test_a_tagger_finds_the_same_whichever_taggers_were_built_before_or_after_it() -> None:
    """Each tag set segments with its own phrases only: a later tagger that keeps 电子发票系统
    whole does not hide the first one's 发票, and a tagger built after it finds what one
    built alone does."""
    invoice = [TagKeywords("开票需求", ("发票", "开票", "税号"))]
    asked = "你们的电子发票系统多少钱一年"
    first = AutoTagger.build(invoice)
    alone = first.suggest(asked)
    assert [(s.tag, s.confidence) for s in alone] == [("开票需求", 0.9)]
    software = AutoTagger.build([TagKeywords("财务软件", ("电子发票系统", "记账软件", "报税系统"))])
    assert [s.tag for s in software.suggest(asked)] == ["财务软件"]
    assert first.suggest(asked) == alone
    assert AutoTagger.build(invoice).suggest(asked) == alone


@pytest.mark.parametrize(("text", "tag", "waved_away"), [
    ("发票不用了", "开票", True),                 # named, then waved away in its clause
    ("退货就算了", "退款退货", True),
    ("广告我就不发了，加个好友吧", "骚扰", True),
    ("太贵了不要了", "嫌贵", False),              # it objected before giving up
    ("快递就不能快点吗", "物流", False),          # a complaint, not a negation
    ("发票不用了，报销凭证要一张", "开票", False),  # the next clause asks for papers
])
def test_a_phrase_waved_away_after_it_is_negated(
        tagger: AutoTagger, text: str, tag: str, waved_away: bool) -> None:
    assert (tag not in tags_of(tagger, text)) is waved_away


SELLER_TAGS = (
    TagKeywords("价格异议", ("太贵", "便宜点", "优惠")),
    TagKeywords("竞品对比", ("别家", "对比", "竞品")),
    TagKeywords("续费意向", ("续费", "续约", "到期")),
)


@pytest.fixture(scope="module")
def seller_tagger() -> AutoTagger:
    return AutoTagger.build(SELLER_TAGS, packs=load_intent_packs())


@pytest.mark.parametrize(("text", "objects"), [
    ("别家同款才卖199", True),              # cheaper elsewhere objects to the price
    ("拼多多上一模一样的更便宜", True),
    ("续费有什么政策吗", True),             # a renewal's terms ask for a discount
    ("这个挺便宜的，拍了", False),          # 便宜 alone praises
    ("有什么政策", False),                  # a policy question about nothing renewed
    ("别家的售后没你们好", False),          # a comparison that is not about price
])
def test_phrases_that_count_only_beside_another_intent(
        seller_tagger: AutoTagger, text: str, objects: bool) -> None:
    assert ("价格异议" in tags_of(seller_tagger, text)) is objects


def test_a_phrase_beside_an_intent_needs_that_intents_tag() -> None:
    """Without a tag for competitors, 更便宜 beside a competitor's name credits nothing."""
    alone = AutoTagger.build([SELLER_TAGS[0]], packs=load_intent_packs())
    assert "价格异议" not in tags_of(alone, "拼多多上一模一样的更便宜")


YIELDING_TAGS = (
    TagKeywords("产品咨询", ("多少钱", "价格", "介绍一下")),
    TagKeywords("价格异议", ("太贵", "便宜点", "优惠")),
    TagKeywords("高意向", ("想买", "下单", "付款")),
    TagKeywords("续费意向", ("续费", "续约", "回购")),
)


@pytest.fixture(scope="module")
def yielding_tagger() -> AutoTagger:
    return AutoTagger.build(YIELDING_TAGS, packs=load_intent_packs())


@pytest.mark.parametrize(("text", "tags"), [
    ("价格能不能再低点", {"价格异议"}),               # a price question that bargains
    ("价格是多少", {"产品咨询"}),
    ("用完了，再给我来两瓶", {"续费意向"}),             # a re-purchase is a renewal
    ("好，下单", {"高意向"}),
])
def test_a_broad_intent_steps_aside_for_a_narrower_one(
        yielding_tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert tags_of(yielding_tagger, text) == tags


def test_an_intent_that_would_step_aside_stays_without_the_narrower_tag() -> None:
    """Without a tag for bargaining, a price question stays a product question."""
    alone = AutoTagger.build([YIELDING_TAGS[0]], packs=load_intent_packs())
    assert tags_of(alone, "价格能不能再低点") == {"产品咨询"}


def test_alongside_and_yields_are_read_per_pack_and_need_the_other_packs_tag() -> None:
    """A hand-made pair of packs: 嫌贵 counts 才卖 only beside 同行, and steps aside for 续费."""
    price = IntentPack("嫌贵", (), ("太贵",), alongside=(("同行", ("才卖",)), ("没有这个包", ("便宜",))),
                       yields_to=("续费",))
    rival = IntentPack("同行", (), ("隔壁",))
    renew = IntentPack("续费", (), ("续费",))
    tags = [TagKeywords("嫌贵", ("太贵",)), TagKeywords("同行", ("隔壁",)), TagKeywords("续费", ("续费",))]
    tagger = AutoTagger.build(tags, packs=[price, rival, renew])
    assert tags_of(tagger, "隔壁才卖199") == {"嫌贵", "同行"}
    assert tags_of(tagger, "才卖199") == set()
    assert tags_of(tagger, "这个便宜") == set()              # its partner pack does not exist
    assert tags_of(tagger, "续费太贵") == {"续费"}            # it steps aside for the renewal
