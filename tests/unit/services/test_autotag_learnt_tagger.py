"""A simulation's learnt tagger is its rules tagger with a learner: the rules it checked the
confirmed tags with are not built again, and it suggests what a whole build suggests."""

from __future__ import annotations

from desktop.domain.autotag import AutoTagger, LabelledMessage, TagKeywords
from desktop.services.autotag_base import load_base_model
from desktop.services.autotag_packs import load_intent_packs
from desktop.services.autotag_training import TrainingSet, learnt_tagger, rules_tagger

KEYWORDS = {"意向程度:高意向": ["想买", "下单", "报价单"], "退款退货": ["退款", "退货"],
            "需上门": ["上门", "来一趟"]}
SAID = {
    "意向程度:高意向": ("报价单发我一下", "这个月就想定下来", "合同什么时候能签", "想买两台"),
    "需上门": ("师傅能不能过来看看", "明天上午来一趟吧", "上门安装要预约吗"),
    "": ("你好", "好的谢谢", "在吗", "今天先这样", "我再想想", "收到"),
}
TEXTS = ("能发个报价单吗", "东西坏了要退货", "师傅哪天能过来", "谢谢", "合同发我看看",
         "太贵了便宜点吧", "上门费怎么算")


def _training() -> TrainingSet:
    rows = [(text, (tag,) if tag else ()) for tag, texts in SAID.items() for text in texts]
    return TrainingSet([LabelledMessage(f"m{i}", f"c{i % 7}", text, labels)
                        for i, (text, labels) in enumerate(rows * 3)], {})


def test_the_learnt_tagger_keeps_the_rules_and_suggests_as_a_whole_build() -> None:
    rules = rules_tagger(KEYWORDS, threshold=0.5)
    learnt = learnt_tagger(rules, _training())
    built = AutoTagger.build([TagKeywords(name, tuple(words)) for name, words in KEYWORDS.items()],
                             _training().messages, packs=load_intent_packs(), threshold=0.5,
                             base=load_base_model())
    assert learnt._index is rules._index
    assert learnt.learnt_tags == built.learnt_tags != ()
    assert rules.learnt_tags == ()          # the rules tagger stays rules only
    for text in TEXTS:
        assert learnt.suggest(text) == built.suggest(text), text
        assert learnt.labels(text) == built.labels(text), text
