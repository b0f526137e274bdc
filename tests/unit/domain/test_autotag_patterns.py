"""Phrase families of the intent packs: alternatives and one gap, expanded once, matched in
the customer's own words (约个周六的时间, 车窗升不上去了) and not across clauses, inside
other words, past their reach or under a negation."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger, IntentPack, TagKeywords
from desktop.domain.autotag.patterns import GAP_CHARS, BadPattern, expand, split_gap

TAGS = (
    TagKeywords("预约到店", ("预约", "到店", "试驾")),
    TagKeywords("售后问题", ("坏了", "维修", "保修")),
    TagKeywords("高意向", ("想买", "下单", "付款")),
    TagKeywords("续费意向", ("续费", "续约", "回购")),
    TagKeywords("投诉", ("投诉", "差评", "12315")),
    TagKeywords("物流咨询", ("快递", "发货", "物流")),
    TagKeywords("价格异议", ("太贵", "便宜点", "优惠")),
    TagKeywords("退款退货", ("退款", "退货", "退钱")),
)


def test_alternatives_expand_in_order() -> None:
    assert expand("(开|关)(不了|不上)") == ("开不了", "开不上", "关不了", "关不上")
    assert expand("约(个|)时间") == ("约个时间", "约时间")


def test_a_gap_is_kept_between_the_parts() -> None:
    assert expand("(找|叫)你们…(店长|经理)") == ("找你们…店长", "找你们…经理", "叫你们…店长", "叫你们…经理")
    assert split_gap("约…时间") == ("约", "时间")
    assert split_gap("约时间") == ("约时间", "")


@pytest.mark.parametrize("pattern", ["(开|关", "开)", "约…时…间", "…时间", "(a(b))", "(约…)时间",
                                     "(一|二|三|四|五|六|七|八|九|十)" * 4])
def test_a_bad_pattern_is_one_sentence_in_both_languages(pattern: str) -> None:
    with pytest.raises(BadPattern) as caught:
        expand(pattern)
    assert pattern in caught.value.message_zh and pattern in caught.value.message_en


@pytest.mark.parametrize(("text", "tag"), [
    ("想约个周六上午的时间过去看看", "预约到店"),     # 约 … 时间 around the customer's own words
    ("明天上午十点我过来看车", "预约到店"),           # a time … coming
    ("挂个周三的号", "预约到店"),
    ("车窗升不上去了", "售后问题"),                   # a verb and what goes wrong
    ("按钮按不下去", "售后问题"),
    ("用了一个月就不出热风了", "售后问题"),           # used … then broke
    ("打完针以后一直痒", "售后问题"),                 # a treatment … a side effect
    ("整两件黑色的", "高意向"),
    ("上次的面膜再买几盒", "续费意向"),
    ("我要找你们值班经理", "投诉"),
    ("前台态度太冲了", "投诉"),
    ("发没发啊", "物流咨询"),
])
def test_families_find_what_no_listed_phrase_says(tagger: AutoTagger, text: str, tag: str) -> None:
    assert tag in tagger.labels(text)


@pytest.mark.parametrize(("text", "tag"), [
    ("大约需要多长时间", "预约到店"),                 # 约 inside 大约
    ("约好了，下周的时间你定", "预约到店"),           # the parts in two clauses
    ("明天能寄过来吗", "预约到店"),                   # a parcel coming, not the customer
    ("不用约时间了", "预约到店"),                     # negated
    ("再来两瓶", "高意向"),                           # a re-buy is 续费意向
    ("服务态度很好", "投诉"),
])
def test_families_keep_out_of_what_they_do_not_mean(tagger: AutoTagger, text: str, tag: str) -> None:
    assert tag not in tagger.labels(text)


def test_a_gap_has_a_reach(tagger: AutoTagger) -> None:
    filler = "甲乙丙丁戊己庚辛壬癸"      # no run of one character (normalising shortens runs)
    near = "约" + filler[:GAP_CHARS] + "时间"
    far = "约" + filler[:GAP_CHARS + 1] + "时间"
    assert "预约到店" in tagger.labels(near)
    assert "预约到店" not in tagger.labels(far)


def test_a_gapped_phrase_shows_the_customers_words_between_its_parts(tagger: AutoTagger) -> None:
    [finding] = [f for f in tagger.rules("想約個週六的時間") if f.tag == "预约到店"]
    assert "約個週六的時間" in finding.evidence


def test_gapped_phrases_credit_only_a_tag_linked_by_name() -> None:
    pack = IntentPack("预约到店", (), ("预约",), gapped=("约…时间",))
    by_name = AutoTagger.build([TagKeywords("预约到店", ("预约",))], packs=[pack])
    by_keywords = AutoTagger.build([TagKeywords("到访", ("预约", "约时间"))], packs=[pack])
    assert by_name.labels("约个周六的时间") == ["预约到店"]
    assert by_keywords.labels("约个周六的时间") == []


@pytest.mark.parametrize(("text", "tag"), [
    ("有没有优惠", "价格异议"),             # 有没有 asks; its 没有 negates nothing
    ("要不要先约个时间", "预约到店"),    # 要不要 asks; "do I need to book" alone is a product question
    ("钱怎么还没退回来", "退款退货"),       # a refund not made yet is about a refund
    ("收了钱又说做不了，这不是耍人吗", "投诉"),   # a rhetorical question affirms
])
def test_a_question_of_x_not_x_does_not_negate(tagger: AutoTagger, text: str, tag: str) -> None:
    assert tag in tagger.labels(text)


@pytest.mark.parametrize("text", ["没想退", "我不想退了", "不用预约", "我还没想好要不要买"])
def test_negation_still_cancels(tagger: AutoTagger, text: str) -> None:
    assert tagger.labels(text) == []
