"""The learner: trained on confirmed tags, it finds what the keywords miss, says which words
decided, is calibrated, and stays below the threshold when unsure."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import (
    AutoTagger,
    LabelledMessage,
    TagKeywords,
    UnknownTrainingTag,
)
from desktop.services.autotag_packs import load_intent_packs

TAGS = (
    TagKeywords("加盟意向", ("加盟", "加盟费", "开店")),
    TagKeywords("退款退货", ("退款", "退货", "退钱")),
)
FRANCHISE = ("想在我们县城开一家分店", "分店需要多少启动资金", "开分店有什么条件",
             "代理资格怎么申请", "我想做你们的区域代理", "分店选址你们帮忙吗")
REFUND = ("我要退款", "东西坏了退钱", "退货地址发我")
OTHER = ("你好", "谢谢", "好的收到", "在吗", "明天再说", "几点下班", "今天天气不错",
         "质量挺好的", "我再想想")


def training() -> list[LabelledMessage]:
    rows = [(text, ("加盟意向",)) for text in FRANCHISE]
    rows += [(text, ("退款退货",)) for text in REFUND]
    rows += [(text, ()) for text in OTHER]
    return [LabelledMessage(f"m{i}", f"c{i % 5}", text, labels)
            for i, (text, labels) in enumerate(rows * 2)]


@pytest.fixture(scope="module")
def tagger() -> AutoTagger:
    return AutoTagger.build(TAGS, training(), packs=load_intent_packs())


def test_the_learner_finds_what_no_keyword_says(tagger: AutoTagger) -> None:
    rules_only = AutoTagger.build(TAGS, packs=load_intent_packs())
    assert rules_only.labels("分店的条件是什么") == []
    [suggestion] = [s for s in tagger.suggest("分店的条件是什么") if s.tag == "加盟意向"]
    assert suggestion.source == "learner"
    assert suggestion.confidence >= tagger.threshold
    assert "分店" in suggestion.evidence


def test_the_deciding_words_show_as_the_customer_wrote_them(tagger: AutoTagger) -> None:
    [suggestion] = [s for s in tagger.suggest("分店的條件是什麼") if s.tag == "加盟意向"]
    assert "分店" in suggestion.evidence
    assert all(word in "分店的條件是什麼" for word in suggestion.evidence)


def test_rules_and_learner_agree(tagger: AutoTagger) -> None:
    [suggestion] = tagger.suggest("我要退款")
    assert (suggestion.tag, suggestion.source) == ("退款退货", "both")
    assert "退款" in suggestion.evidence


def test_nothing_is_labelled_below_the_threshold(tagger: AutoTagger) -> None:
    [unsure] = tagger.suggest("县城")          # a word seen only in franchise messages
    assert unsure.tag == "加盟意向" and 0.2 <= unsure.confidence < tagger.threshold
    assert tagger.labels("县城") == []
    lenient = AutoTagger.build(TAGS, training(), packs=load_intent_packs(), threshold=0.3)
    assert lenient.labels("县城") == ["加盟意向"]


def test_probabilities_are_calibrated_on_the_training_data(tagger: AutoTagger) -> None:
    messages = training()
    for tag in ("加盟意向", "退款退货"):
        share = sum(tag in m.labels for m in messages) / len(messages)
        mean = sum(
            next((s.confidence for s in tagger.suggest(m.text) if s.tag == tag), 0.0)
            for m in messages) / len(messages)
        assert abs(mean - share) < 0.1, (tag, mean, share)


def test_small_talk_gets_no_tag(tagger: AutoTagger) -> None:
    assert tagger.labels("好的谢谢") == []


def test_an_unknown_training_tag_is_named_in_both_languages() -> None:
    rows = [LabelledMessage("1", "c", "hi", ("已成交",))]
    with pytest.raises(UnknownTrainingTag) as caught:
        AutoTagger.build(TAGS, rows, packs=load_intent_packs())
    assert "已成交" in caught.value.message_zh and "已成交" in caught.value.message_en


def test_a_tag_without_examples_stays_with_the_rules() -> None:
    rows = [m for m in training() if "退款退货" not in m.labels]
    tagger = AutoTagger.build(TAGS, rows, packs=load_intent_packs())
    assert tagger.learnt_tags == ("加盟意向",)
    [suggestion] = tagger.suggest("我要退款")
    assert (suggestion.tag, suggestion.source) == ("退款退货", "rules")
