"""A product question found by a question cue alone (a lone 吗 or ？) is not suggested where the
bundled base model, reading the words alone, doubts it: sarcasm and complaints that end in 吗
ask nothing about a product, while questions about one still do."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger, TagKeywords
from desktop.services.autotag_base import load_base_model
from desktop.services.autotag_packs import load_intent_packs

KEYWORDS = {"产品咨询": ("咨询", "参数", "规格"), "售后问题": ("坏了", "维修", "质量问题")}


@pytest.fixture(scope="module")
def tagger() -> AutoTagger:
    tags = [TagKeywords(name, words) for name, words in KEYWORDS.items()]
    return AutoTagger.build(tags, packs=load_intent_packs(), base=load_base_model())


@pytest.mark.parametrize("text", ["这样也能叫新品吗", "这也叫全新的吗"])
def test_a_lone_question_cue_in_sarcasm_is_no_product_question(tagger: AutoTagger,
                                                                text: str) -> None:
    assert [(f.tag, f.cue_only) for f in tagger.rules(text)] == [("产品咨询", True)]
    assert "产品咨询" not in {s.tag for s in tagger.suggest(text)}


@pytest.mark.parametrize("text", ["这个有黑色吗", "这款适合小孩用吗"])
def test_a_question_about_the_product_by_its_cue_alone_still_asks(tagger: AutoTagger,
                                                                  text: str) -> None:
    assert [(f.tag, f.cue_only) for f in tagger.rules(text)] == [("产品咨询", True)]
    assert tagger.labels(text) == ["产品咨询"]


def test_a_product_question_with_the_tag_s_own_phrase_is_not_doubted(
        tagger: AutoTagger) -> None:
    assert [(f.tag, f.cue_only) for f in tagger.rules("尺码偏大吗")] == [("产品咨询", False)]
    assert tagger.labels("尺码偏大吗") == ["产品咨询"]


def test_without_the_base_model_the_rules_keep_the_cue_s_finding() -> None:
    rules = AutoTagger.build([TagKeywords(name, words) for name, words in KEYWORDS.items()],
                             packs=load_intent_packs(), threshold=0.5)
    assert rules.labels("这样也能叫新品吗") == ["产品咨询"]
