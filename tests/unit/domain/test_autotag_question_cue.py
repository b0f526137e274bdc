"""A product question found by a question cue alone (a lone 吗 or ？) is not suggested where the
base model, reading the words alone, doubts it: sarcasm that ends in 吗 asks nothing about a
product, while questions about one still do."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger, LabelledMessage, TagKeywords
from desktop.domain.autotag.base import train_base
from desktop.domain.autotag.learner import Learner
from desktop.services.autotag_packs import load_intent_packs

TAGS = (TagKeywords("产品咨询", ("咨询", "参数", "规格")),
        TagKeywords("投诉", ("投诉", "差评", "态度差")))
# Questions about what is for sale, by a question cue alone.
ASKED = ("这个有黑色吗", "这款适合小孩用吗", "有没有大一号的", "这个能机洗吗", "有白色的吗",
         "这款适合老人吗", "能装下笔记本吗", "这个防水吗", "有儿童款吗", "这个能放冰箱吗")
# Complaints that what came is not new: the words of sarcasm, said without a question.
SNEERED = ("这也叫新品，差评", "旧成这样还叫新品", "说是全新结果是旧的", "这哪是新品",
           "号称全新，划痕一堆", "旧货冒充新品", "全新个鬼", "根本不是新品",
           "新品就这样，服了", "叫什么新品，旧的")
OTHER = ("你好", "谢谢", "好的收到", "明天再说", "我再想想", "收到了", "辛苦了", "再见")


def _base() -> Learner:
    rules = AutoTagger.build(TAGS, packs=load_intent_packs())
    rows = ([(t, ("产品咨询",)) for t in ASKED] + [(t, ("投诉",)) for t in SNEERED]
            + [(t, ()) for t in OTHER])
    messages = [LabelledMessage(f"q{i}", f"qc{i}", text, labels)
                for i, (text, labels) in enumerate(rows * 2)]
    return train_base(rules.examples(messages), rules.pack_of)


@pytest.fixture(scope="module")
def tagger() -> AutoTagger:
    return AutoTagger.build(TAGS, packs=load_intent_packs(), base=_base())


@pytest.mark.parametrize("text", ["这也叫新的吗", "这也配叫新品吗"])
def test_a_lone_question_cue_in_sarcasm_is_no_product_question(tagger: AutoTagger,
                                                                text: str) -> None:
    assert ("产品咨询", True) in [(f.tag, f.cue_only) for f in tagger.rules(text)]
    assert "产品咨询" not in {s.tag for s in tagger.suggest(text)}


@pytest.mark.parametrize("text", ["这个有红色吗", "这款适合学生用吗"])
def test_a_question_about_the_product_by_its_cue_alone_still_asks(tagger: AutoTagger,
                                                                  text: str) -> None:
    assert [(f.tag, f.cue_only) for f in tagger.rules(text)] == [("产品咨询", True)]
    assert tagger.labels(text) == ["产品咨询"]


def test_a_product_question_with_the_tag_s_own_phrase_is_not_doubted(
        tagger: AutoTagger) -> None:
    assert [(f.tag, f.cue_only) for f in tagger.rules("尺码偏大吗")] == [("产品咨询", False)]
    assert "产品咨询" in tagger.labels("尺码偏大吗")


def test_without_the_base_model_the_rules_keep_the_cue_s_finding() -> None:
    rules = AutoTagger.build(TAGS, packs=load_intent_packs(), threshold=0.5)
    assert rules.labels("这也叫新的吗") == ["产品咨询"]
