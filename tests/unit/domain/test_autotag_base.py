"""The base model: trained on labelled chats with the packs' names as tags, it judges a
user's tag through the pack the tag links to, with no training of the corp's own, and the
corp's confirmed messages move its judgement."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.domain.autotag import AutoTagger, LabelledMessage, TagKeywords
from desktop.domain.autotag.base import (
    LOWEST_BASE_THRESHOLD,
    NO_INTENT,
    NO_INTENT_THRESHOLD,
    base_judgement,
    pack_example,
    pack_names,
    train_base,
)
from desktop.domain.autotag.learner import NEGATED_PREFIX, RULE_PREFIX, Learner
from desktop.services.autotag_base import load_base_model
from desktop.services.autotag_packs import load_intent_packs

# The base's own tag set: named as the packs are.
BASE_TAGS = (TagKeywords("价格异议", ("太贵", "便宜点", "优惠")),
             TagKeywords("物流咨询", ("快递", "发货", "物流")))
# A user's tags: other names, linked to the same packs by their names and keywords.
USER_TAGS = (TagKeywords("嫌贵", ("太贵", "便宜点", "优惠")),
             TagKeywords("物流", ("快递", "发货", "物流")),
             TagKeywords("VIP", ("会员", "VIP", "贵宾")))
# 吃土 and 荷包瘪 say "too expensive" in words no pack holds.
PAINFUL = ("买完要吃土了", "再买就吃土", "这月吃土了", "吃土的节奏", "下个月吃土",
           "荷包瘪了", "荷包要瘪", "荷包瘪瘪的", "看完荷包瘪了", "吃土加荷包瘪")
# Said with the rules' own phrases: the base learns that those findings state an intent.
BLUNT = ("太贵了", "能便宜点吗", "有没有优惠", "价格太贵了")
OTHER = ("你好", "谢谢", "好的收到", "在吗", "明天再说", "几点下班", "今天天气不错", "我再想想",
         "收到了", "好的", "可以的", "没问题", "稍等一下", "我问问家里人", "辛苦了", "再见")


Rows = list[tuple[str, tuple[str, ...]]]


def labelled(rows: Rows, prefix: str) -> list[LabelledMessage]:
    return [LabelledMessage(f"{prefix}{i}", f"{prefix}c{i}", text, labels)
            for i, (text, labels) in enumerate(rows * 2)]


@pytest.fixture(scope="module")
def base() -> Learner:
    rules = AutoTagger.build(BASE_TAGS, packs=load_intent_packs())
    rows: Rows = [(t, ("价格异议",)) for t in (*PAINFUL, *BLUNT)] + [(t, ()) for t in OTHER]
    return train_base(rules.examples(labelled(rows, "b")), rules.pack_of)


def test_the_base_judges_a_tag_through_its_pack_without_training(base: Learner) -> None:
    rules_only = AutoTagger.build(USER_TAGS, packs=load_intent_packs())
    with_base = AutoTagger.build(USER_TAGS, packs=load_intent_packs(), base=base)
    assert rules_only.labels("这价买了要吃土") == []
    assert with_base.labels("这价买了要吃土") == ["嫌贵"]
    [suggestion] = with_base.suggest("这价买了要吃土")
    assert suggestion.source == "base" and "吃土" in "".join(suggestion.evidence)
    assert with_base.labels("谢谢，明天再说") == []
    # VIP links to no pack: the rules alone decide it, as before.
    assert "VIP" not in with_base.learnt_tags and with_base.labels("我是VIP会员") == ["VIP"]


def test_the_corp_s_confirmed_messages_move_the_base_s_judgement(base: Learner) -> None:
    # This corp sells plants: 吃土 is what a pot does, not a price.
    rows: Rows = [(t, ()) for t in ("这盆花很吃土", "多肉吃土吗", "吃土多的盆栽", "换盆要吃土",
                                    "这植物吃土", "吃土的花好养吗")]
    rows += [(t, ("嫌贵",)) for t in ("太贵了", "便宜点吧", "有优惠吗", "能打折吗")]
    own = AutoTagger.build(USER_TAGS, labelled(rows, "o"), packs=load_intent_packs(), base=base)
    plain = AutoTagger.build(USER_TAGS, packs=load_intent_packs(), base=base)

    def confidence(tagger: AutoTagger) -> float:
        return max((s.confidence for s in tagger.suggest("这盆吃土") if s.tag == "嫌贵"),
                   default=0.0)
    assert confidence(own) < confidence(plain) - 0.1


def test_a_suggestion_names_the_base_model_until_confirmed_messages_teach_its_tag(
        base: Learner) -> None:
    rows: Rows = [(t, ("嫌贵",)) for t in ("太贵了", "便宜点吧", "有优惠吗", "能打折吗")]
    rows += [(t, ()) for t in OTHER]
    own = AutoTagger.build(USER_TAGS, labelled(rows, "o"), packs=load_intent_packs(), base=base)
    plain = AutoTagger.build(USER_TAGS, packs=load_intent_packs(), base=base)

    def sources(tagger: AutoTagger) -> dict[str, str]:
        return {s.tag: s.source for text in ("太贵了", "快递到哪了") for s in tagger.suggest(text)}
    # This base knows no delivery messages: 物流 is the rules' alone.
    assert sources(plain) == {"嫌贵": "rules+base", "物流": "rules"}
    # This corp's confirmed messages now teach 嫌贵: its own learner judges it with the base.
    assert sources(own) == {"嫌贵": "both", "物流": "rules"}


def test_the_base_learns_the_words_beside_a_rule_hit_as_well() -> None:
    """Each message says 太贵 (a rule phrase) and 吃土 (none): trained on them as they are, the
    rule's hit explains them all; seen once more without the rules' findings, the text carries
    the intent by itself (the base's log-odds of 要吃土 alone: measured -1.9 → -0.6)."""
    rules = AutoTagger.build(BASE_TAGS, packs=load_intent_packs())
    rows: Rows = [(f"{opening}太贵了，要吃土", ("价格异议",))
                  for opening in ("", "哎", "老板", "唉", "这个", "说实话", "真的", "嗯")]
    rows += [(t, ()) for t in OTHER]
    examples = rules.examples(labelled(rows, "p"))

    [alone] = rules.examples([LabelledMessage("q", "q", "要吃土", ())])

    def sore(base: Learner) -> float:
        return base_judgement(base, alone.names, alone.rules, rules.pack_of)[0]["价格异议"]
    assert sore(train_base(examples, rules.pack_of, blind_share=1.0)) > sore(
        train_base(examples, rules.pack_of, blind_share=0.0)) + 0.5


def test_a_pack_s_threshold_from_the_base_is_never_below_the_lowest(base: Learner) -> None:
    assert base.thresholds["价格异议"] >= LOWEST_BASE_THRESHOLD


def test_the_base_reads_the_rules_findings_by_pack() -> None:
    pack_of = {"嫌贵": "价格异议"}
    names = ["c:肉疼", RULE_PREFIX + "嫌贵", NEGATED_PREFIX + "嫌贵", RULE_PREFIX + "VIP"]
    assert pack_names(names, pack_of) == [
        "c:肉疼", RULE_PREFIX + "价格异议", NEGATED_PREFIX + "价格异议"]


def test_the_base_model_survives_its_file_form(base: Learner) -> None:
    again = Learner.from_dict(base.to_dict())
    assert again.tags == base.tags and again.thresholds == base.thresholds
    tagger = AutoTagger.build(USER_TAGS, packs=load_intent_packs(), base=base)
    reread = AutoTagger.build(USER_TAGS, packs=load_intent_packs(), base=again)
    for text in ("这价买了要吃土", "快递到哪了", "谢谢"):
        assert [(s.tag, round(s.confidence, 2)) for s in tagger.suggest(text)] == [
            (s.tag, round(s.confidence, 2)) for s in reread.suggest(text)]



def _weights(row: str) -> list[int]:
    return [int(w) if w else 0 for w in row.split(",")]


def test_the_file_form_writes_weights_as_whole_thousandths_zeros_as_nothing(
        base: Learner) -> None:
    data = base.to_dict()
    weights = data["weights"]
    assert isinstance(weights, dict) and data["weight_digits"] == 3
    assert all(isinstance(row, str) and len(row.split(",")) == len(base.tags)
               for row in weights.values())
    bundled = load_base_model().to_dict()["weights"]
    assert isinstance(bundled, dict)
    assert any("" in row.split(",") for row in bundled.values())
    assert not any("0" in row.split(",") for row in (*weights.values(), *bundled.values()))


def test_the_file_form_reads_older_lists_of_thousandths_and_of_decimals(base: Learner) -> None:
    data = base.to_dict()
    weights = data["weights"]
    assert isinstance(weights, dict)
    lists = {**data, "weights": {name: _weights(row) for name, row in weights.items()}}
    decimals = {**data, "weights": {name: [w / 1000 for w in _weights(row)]
                                    for name, row in weights.items()}}
    del decimals["weight_digits"]
    tagger = AutoTagger.build(USER_TAGS, packs=load_intent_packs(), base=Learner.from_dict(data))
    for older in (lists, decimals):
        reread = AutoTagger.build(USER_TAGS, packs=load_intent_packs(),
                                  base=Learner.from_dict(older))
        for text in ("这价买了要吃土", "快递到哪了", "谢谢"):
            assert tagger.suggest(text) == reread.suggest(text)


def test_a_message_the_base_is_sure_states_no_intent_gets_none_of_its_tags() -> None:
    """A delay waved away among thanks and praise: the rules find a delivery phrase, and the
    base, which trusts the rules' findings, would follow them; it has also learnt what messages
    with no tag say, and that overrules them."""
    rules = AutoTagger.build(BASE_TAGS, packs=load_intent_packs())
    asks = ("快递到哪了", "什么时候发货", "物流怎么不动了", "快递几天能到", "发货了吗",
            "单号发我一下", "快递还没到", "物流信息查不到", "今天能发货吗", "快递停了三天")
    thanks = ("谢谢辛苦了", "好评好评", "太棒了谢谢", "辛苦了亲", "好评谢谢", "给力好评",
              "谢谢你们辛苦了", "太给力了", "棒棒的好评", "谢谢亲辛苦", *OTHER)
    rows: Rows = [(t, ("物流咨询",)) for t in asks] + [(t, ()) for t in thanks]
    base = train_base(rules.examples(labelled(rows, "g")), rules.pack_of)
    assert base.thresholds[NO_INTENT] == NO_INTENT_THRESHOLD
    gated = AutoTagger.build(USER_TAGS, packs=load_intent_packs(), base=base)
    blind_to_it = Learner.from_dict(base.to_dict())
    blind_to_it.thresholds[NO_INTENT] = 1.01
    ungated = AutoTagger.build(USER_TAGS, packs=load_intent_packs(), base=blind_to_it)
    praise = "快递停了三天也没事，太给力了，好评谢谢"
    assert ungated.labels(praise) == ["物流"] and gated.labels(praise) == []
    assert gated.labels("快递到哪了") == ["物流"]


def test_the_no_intent_gate_learns_from_the_messages_without_their_rule_blind_copies() -> None:
    """A rule-blind copy of a message with a tag lost the phrases that state it; the gate
    learns what no intent looks like from the messages as they are."""
    rules = AutoTagger.build(BASE_TAGS, packs=load_intent_packs())
    rows: Rows = [(t, ("价格异议",)) for t in (*PAINFUL, *BLUNT)] + [(t, ()) for t in OTHER]
    examples = rules.examples(labelled(rows, "n"))
    model: dict[str, Any] = train_base(examples, rules.pack_of).to_dict()
    gate = Learner.train((NO_INTENT,), [pack_example(e, rules.pack_of) for e in examples])
    alone: dict[str, Any] = gate.to_dict()
    column = model["tags"].index(NO_INTENT)
    assert model["bias"][column] == alone["bias"][0]
    assert {name: _weights(row)[column] for name, row in model["weights"].items()
            if _weights(row)[column]} == {
        name: _weights(row)[0] for name, row in alone["weights"].items()}
    assert model["combination"][NO_INTENT] == alone["combination"][NO_INTENT]
