"""The learner: trained on confirmed tags, it finds what the keywords miss, says which words
decided, is calibrated, and stays below the threshold when unsure."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import (
    DEFAULT_THRESHOLD,
    AutoTagger,
    LabelledMessage,
    TagKeywords,
    UnknownTrainingTag,
    normalise,
)
from desktop.domain.autotag.learner import (
    HIGHEST_THRESHOLD,
    LOWEST_THRESHOLD,
    MIN_POSITIVES,
    NEGATED_WORD_PREFIX,
    PAIR_JOINT,
    PAIR_PREFIX,
    QUESTION,
    RULE_PREFIX,
    WORD_PREFIX,
    Example,
    Learner,
    features,
    precise_threshold,
)
from desktop.services.autotag_packs import load_intent_packs

TAGS = (
    TagKeywords("加盟意向", ("加盟", "加盟费", "开店")),
    TagKeywords("退款退货", ("退款", "退货", "退钱")),
)
FRANCHISE = ("想在我们县城开一家分店", "分店需要多少启动资金", "开分店有什么条件",
             "代理资格怎么申请", "我想做你们的区域代理", "分店选址你们帮忙吗",
             "分店装修你们统一做吗", "做分店要交多少保证金", "区域代理还有名额吗",
             "分店的货从总部拿吗", "我们市里有分店了吗", "分店能不能先试营业")
REFUND = ("我要退款", "东西坏了退钱", "退货地址发我")
OTHER = ("你好", "谢谢", "好的收到", "在吗", "明天再说", "几点下班", "今天天气不错",
         "质量挺好的", "我再想想")


def training() -> list[LabelledMessage]:
    rows: list[tuple[str, tuple[str, ...]]] = [(text, ("加盟意向",)) for text in FRANCHISE]
    rows += [(text, ("退款退货",)) for text in REFUND]
    rows += [(text, ()) for text in OTHER]
    return [LabelledMessage(f"m{i}", f"c{i % 5}", text, labels)
            for i, (text, labels) in enumerate(rows * 3)]


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
    lenient = AutoTagger.build(
        TAGS, training(), packs=load_intent_packs(), threshold=unsure.confidence - 0.01)
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


def test_the_threshold_is_the_lowest_that_keeps_precision() -> None:
    # Ranked: 0.9 T, 0.8 T, 0.7 T, 0.6 T, 0.5 T, 0.45 F, 0.4 T, 0.3 F, 0.2 F, 0.1 T.
    scored = [(0.9, True), (0.8, True), (0.7, True), (0.6, True), (0.5, True),
              (0.45, False), (0.4, True), (0.3, False), (0.2, False), (0.1, True)]
    # Down to 0.4: 6 of 7 right (0.86 < 0.9); down to 0.45: 5 of 6 (0.83); down to 0.5: 5 of
    # 5. With no pull towards the default the threshold sits between 0.5 and 0.45.
    assert precise_threshold(scored, 0.9, min_positives=1, prior_positives=0) == pytest.approx(0.475)
    # At 0.8 precision it reaches down to 0.4 (6 of 7), halfway to 0.3.
    assert precise_threshold(scored, 0.8, min_positives=1, prior_positives=0) == pytest.approx(0.35)


def test_a_threshold_chosen_on_few_customers_stays_near_the_default() -> None:
    scored = [(0.95, True)] * 10 + [(0.3, False)] * 10
    alone = precise_threshold(scored, 0.9, min_positives=1, prior_positives=0)
    pulled = precise_threshold(scored, 0.9, min_positives=1, prior_positives=10)
    assert alone == pytest.approx(0.625)
    assert pulled == pytest.approx((0.625 + DEFAULT_THRESHOLD) / 2)


def test_too_few_positives_choose_no_threshold() -> None:
    assert precise_threshold([(0.9, True), (0.1, False)], 0.9, min_positives=2) is None


def test_without_a_precise_threshold_the_best_f1_one_is_taken() -> None:
    # Never 90% right: the best F1 takes all three true ones (3 of 5 taken: F1 0.75).
    scored = [(0.9, False), (0.8, True), (0.7, True), (0.6, False), (0.5, True), (0.1, False)]
    assert precise_threshold(scored, 0.9, min_positives=1, prior_positives=0) == pytest.approx(0.3)


def test_equal_scores_are_never_split() -> None:
    scored = [(0.8, True), (0.8, False), (0.2, False)]
    # 0.8 holds one right and one wrong (0.5 precise): no threshold reaches 0.9, the best
    # F1 takes both 0.8s, and the threshold lies below them, not between them.
    assert precise_threshold(scored, 0.9, min_positives=1, prior_positives=0) == pytest.approx(0.5)


def test_features_mark_negated_words_word_pairs_questions_and_rules() -> None:
    tagger = AutoTagger.build(TAGS, packs=load_intent_packs())
    text = normalise("不贵，退款多久到账？")
    names = set(features(text, tagger.hits("不贵，退款多久到账？")))
    assert NEGATED_WORD_PREFIX + "贵" in names and WORD_PREFIX + "贵" not in names
    assert PAIR_PREFIX + "退款|多久" in names, sorted(names)     # jieba's dictionary alone
    assert QUESTION in names
    assert RULE_PREFIX + "退款退货" in names
    plain = set(features(normalise("好的"), []))
    assert QUESTION not in plain and not any(n.startswith(RULE_PREFIX) for n in plain)


def training_many_customers() -> list[LabelledMessage]:
    """60 customers: refund askers (their own words, 20), franchise askers (20), small talk."""
    rows: list[tuple[str, str, tuple[str, ...]]] = []
    for i in range(20):
        rows.append((f"r{i}", REFUND[i % len(REFUND)], ("退款退货",)))
        rows.append((f"f{i}", FRANCHISE[i % len(FRANCHISE)], ("加盟意向",)))
        rows.append((f"o{i}", OTHER[i % len(OTHER)], ()))
    return [LabelledMessage(f"m{i}", customer, text, labels)
            for i, (customer, text, labels) in enumerate(rows)]


def test_tags_with_enough_customers_get_their_own_threshold() -> None:
    tagger = AutoTagger.build(TAGS, training_many_customers(), packs=load_intent_packs())
    assert set(tagger.thresholds) == {"加盟意向", "退款退货"}
    for tag, value in tagger.thresholds.items():
        assert tagger.threshold_for(tag) == value
        assert LOWEST_THRESHOLD <= value <= HIGHEST_THRESHOLD
    assert tagger.labels("我要退款") == ["退款退货"]
    fixed = AutoTagger.build(
        TAGS, training_many_customers(), packs=load_intent_packs(), threshold=0.7)
    assert fixed.thresholds == {}
    assert fixed.threshold_for("退款退货") == 0.7


def test_few_confirmed_customers_keep_the_default_threshold(tagger: AutoTagger) -> None:
    assert tagger.thresholds == {}      # five customers in all
    assert tagger.threshold_for("加盟意向") == DEFAULT_THRESHOLD


def test_a_tag_with_few_confirmed_messages_stays_with_the_rules() -> None:
    rows = [m for m in training() if "退款退货" not in m.labels]
    rows += [LabelledMessage(f"few{i}", f"c{i}", text, ("退款退货",)) for i, text in enumerate(REFUND)]
    assert len(REFUND) < MIN_POSITIVES
    tagger = AutoTagger.build(TAGS, rows, packs=load_intent_packs())
    assert tagger.learnt_tags == ("加盟意向",)
    [suggestion] = tagger.suggest("我要退款")
    assert (suggestion.tag, suggestion.source) == ("退款退货", "rules")


@pytest.mark.parametrize("text", [*FRANCHISE, *REFUND, "分店的條件是什麼", "县城分店"])
def test_evidence_is_the_customers_own_words(tagger: AutoTagger, text: str) -> None:
    evidence = [e for s in tagger.suggest(text) for e in s.evidence]
    assert evidence
    assert all(e in text for e in evidence), evidence


def test_word_pairs_and_negated_words_show_as_written() -> None:
    names = [PAIR_PREFIX + "开" + PAIR_JOINT + "分店", NEGATED_WORD_PREFIX + "想"]
    assert AutoTagger._readable(normalise("我不想開分店"), names) == ("開分店", "不想")


def test_a_column_taken_from_another_learner_decides_its_tag_as_that_one_does() -> None:
    """One tag trained on other examples than the rest keeps its own judgement inside the
    learner that holds the others, and the others keep theirs."""
    words = {"fee": ("加盟费", "分店", "代理"), "refund": ("退款", "退钱", "退货")}
    rows = [([f"w:{w}", f"w:x{i}"], frozenset({tag})) for tag, ws in words.items()
            for i, w in enumerate(ws * 4)] + [([f"w:o{i}"], frozenset()) for i in range(12)]
    examples = [Example(names, {}, labels, f"c{i}") for i, (names, labels) in enumerate(rows)]
    both = Learner.train(("fee", "refund"), examples)
    other = Learner.train(("refund",), examples[:30])
    combined = both.with_column(other, "refund")
    for names in (["w:退钱"], ["w:加盟费", "w:x1"], ["w:o3"], ["w:unknown"]):
        probability = {p.tag: p.probability for p in combined.predict(names, {}, 0.0)}
        assert probability["refund"] == pytest.approx(
            next(p.probability for p in other.predict(names, {}, 0.0)))
        assert probability["fee"] == pytest.approx(
            next(p.probability for p in both.predict(names, {}, 0.0) if p.tag == "fee"))
