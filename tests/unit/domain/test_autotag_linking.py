"""Which tag an intent pack's phrases credit: by name first, by keywords only when they are
about the intent, and one tag per pack (none, with a warning, on a tie)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from desktop.domain.autotag import AutoTagger, TagKeywords
from desktop.domain.autotag.linking import own_name
from desktop.sandbox import corpus
from desktop.services.autotag_packs import load_intent_packs
from desktop.services.demo_persona import DEMO_KEYWORDS
from tests.bench.bench_chat_pipeline import KEYWORDS as PIPELINE_KEYWORDS


def build(keywords: Mapping[str, Sequence[str]]) -> AutoTagger:
    return AutoTagger.build([TagKeywords(name, tuple(words)) for name, words in keywords.items()],
                            packs=load_intent_packs())


@pytest.fixture(scope="module")
def pipeline() -> AutoTagger:
    return build(PIPELINE_KEYWORDS)


@pytest.mark.parametrize(("text", "tags"), [
    ("想了解一下企业版", ["产品兴趣:企业版"]),
    ("这个多少钱", ["客户阶段:已报价"]),
    ("你们的价格是多少", ["客户阶段:已报价"]),
    ("能对接我们的系统吗", ["产品兴趣:API对接"]),
    ("可以私有化部署吗", ["产品兴趣:私有化部署"]),
    ("预算不够", ["客户等级:流失预警"]),
])
def test_the_benchmark_tags_get_distinct_suggestions(
        pipeline: AutoTagger, text: str, tags: list[str]) -> None:
    assert pipeline.labels(text) == tags


def test_no_sandbox_chat_line_credits_the_product_and_price_tags_together(
        pipeline: AutoTagger) -> None:
    """bench_chat_pipeline's week is made of these lines; each of these four tags once came
    out at the same customer count."""
    four = {"产品兴趣:企业版", "产品兴趣:API对接", "产品兴趣:私有化部署", "客户阶段:已报价"}
    lines = [line for pool in corpus.CHAT_CUSTOMER_LINES.values() for line in pool]
    credited = {line: sorted(set(pipeline.labels(line)) & four) for line in lines}
    assert {line: tags for line, tags in credited.items() if tags} == {
        "想了解一下企业版": ["产品兴趣:企业版"], "帮我出个报价单": ["客户阶段:已报价"]}


def test_a_group_name_links_no_pack(pipeline: AutoTagger) -> None:
    """产品兴趣:企业版 is filed under a group named like 产品咨询's alias 产品; it is not about it."""
    assert own_name("产品兴趣：企业版") == "企业版"
    for name in ("产品兴趣:企业版", "产品兴趣:API对接", "产品兴趣:私有化部署"):
        assert name not in pipeline.links
    assert pipeline.links["客户阶段:已报价"].pack == "产品咨询"
    assert not pipeline.links["客户阶段:已报价"].by_name


def test_the_demo_keywords_get_distinct_suggestions() -> None:
    tagger = build(DEMO_KEYWORDS)
    assert tagger.labels("想了解一下企业版") == ["企业版"]
    assert tagger.labels("麻烦派人来一趟") == ["需上门"]
    assert tagger.labels("问题一直没解决，我要投诉") == ["投诉处理中"]


def test_one_generic_shared_keyword_links_nothing() -> None:
    tagger = build({"VIP": ["价格", "钻石会员", "黑卡", "至尊"]})
    assert tagger.links == {}
    assert tagger.labels("太贵了") == []
    assert tagger.labels("价格多少") == ["VIP"]          # its own keyword still fires


def test_keywords_must_be_half_about_the_intent() -> None:
    tagger = build({"大客户": ["太贵", "超出预算", "不值", "集团", "总部", "连锁"]})
    assert "大客户" in tagger.links
    tagger = build({"大客户": ["太贵", "超出预算", "不值", "集团", "总部", "连锁", "分公司"]})
    assert tagger.links == {}


def test_a_keyword_link_borrows_a_whole_pack_but_only_its_keywords_family_of_a_broad_one(
        ) -> None:
    price = build({"流失预警": ["太贵", "超出预算", "不值"]})
    assert price.labels("能不能再优惠点") == ["流失预警"]    # 价格异议 is one intent
    quoted = build({"已报价": ["报价", "价格表", "多少钱"]})
    assert quoted.links["已报价"].pack == "产品咨询"          # broad: price and product questions
    assert quoted.labels("价格是多少") == ["已报价"]          # 价格: a piece of 价格表
    assert quoted.labels("想了解一下") == []
    assert quoted.labels("有黑色M码吗") == []                # no question cues either
    named = build({"产品咨询": ["多少钱"]})
    assert named.labels("想了解一下") == ["产品咨询"]         # a name link borrows it all
    assert named.labels("有黑色M码吗") == ["产品咨询"]


def test_the_name_link_owns_the_pack_and_the_other_keeps_its_keywords() -> None:
    tagger = build({"流失预警": ["太贵", "超出预算", "不值"], "嫌贵": ["打折", "便宜点"]})
    assert tagger.links["嫌贵"].owner and not tagger.links["流失预警"].owner
    assert tagger.labels("预算不够") == ["嫌贵"]
    assert sorted(tagger.labels("太贵了")) == ["嫌贵", "流失预警"]   # 太贵: 流失预警's own keyword
    assert sorted(tagger.labels("太桂了")) == ["嫌贵", "流失预警"]   # and its sound-alike
    assert not tagger.contested
    [note] = [w for w in tagger.warnings() if w.tag == "流失预警" and "价格异议" in w.zh]
    assert (note.tag, note.other_tags) == ("流失预警", ("嫌贵",))
    assert "“嫌贵”" in note.zh and "own keywords only" in note.en


def test_an_exact_name_beats_a_name_that_holds_it() -> None:
    tagger = build({"已开票": ["专票"], "开票需求": ["发票"]})
    assert tagger.links["开票需求"].owner and not tagger.links["已开票"].owner
    assert tagger.labels("税号发你了") == ["开票需求"]
    without_keywords = build({"已开票": [], "开票需求": ["发票"]})
    assert any("“已开票”没有关键词" in w.zh and "never suggested" in w.en
               for w in without_keywords.warnings())


def test_equally_linked_tags_get_no_pack_phrases_and_a_warning() -> None:
    tagger = build({"A类": ["太贵", "超出预算", "钻石"], "B类": ["不值", "预算不够", "黑卡"]})
    assert [(c.pack, c.tags) for c in tagger.contested] == [("价格异议", ("A类", "B类"))]
    assert not tagger.links["A类"].owner and not tagger.links["B类"].owner
    assert tagger.labels("超预算了") == []
    assert tagger.labels("太贵了") == ["A类"]
    [warning] = [w for w in tagger.warnings() if "价格异议" in w.zh]
    assert (warning.tag, warning.other_tags) == ("A类", ("B类",))
    assert "A类、B类" in warning.zh and "A类、B类" in warning.en


def test_traps_still_guard_a_tag_that_does_not_own_the_pack() -> None:
    tagger = build({"开票需求": ["税号"], "已开票": ["开票", "发票", "专票"]})
    assert not tagger.links["已开票"].owner
    assert tagger.labels("可以代开发票，加我") == []
