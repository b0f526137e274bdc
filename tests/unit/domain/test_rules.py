"""The pure rule evaluator: conditions, actions, reasons, contradictions and loops."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pytest

from desktop.domain.rule_format import parse_rules_text
from desktop.domain.rules import CatalogueTag, Evaluation, RuleError, Subject, evaluate, resolve

NOW = 1_800_000_000.0
CATALOGUE = [
    CatalogueTag("t-hb", "华北区域", "g-area", "区域"),
    CatalogueTag("t-hn", "华南区域", "g-area", "区域"),
    CatalogueTag("t-hot", "高意向", "g-int", "意向"),
    CatalogueTag("t-cold", "低意向", "g-int", "意向"),
    CatalogueTag("t-paid", "已成交", "g-stage", "阶段"),
    CatalogueTag("t-promo", "双11活动", "g-camp", "活动"),
    CatalogueTag("t-vip", "VIP", "g-a", "等级"),
    CatalogueTag("t-vip2", "VIP", "g-b", "复购"),
]


def subject(rid: int, *, remark: str = "", corp: str = "", state: str = "", gender: int = 0,
            days: float = 10, tags: frozenset[str] = frozenset(),
            intents: frozenset[str] = frozenset()) -> Subject:
    created = NOW - days * 86400
    return Subject(rid, f"wm{rid}", "zhangsan", f"客户{rid}", state, remark, "", (corp,),
                   gender, created, date.fromtimestamp(created).toordinal(), tags, intents)


def run(rules: Sequence[Mapping[str, Any]], subjects: list[Subject]) -> Evaluation:
    return evaluate(resolve(parse_rules_text(json.dumps(rules)), CATALOGUE), subjects, NOW)


REGION_RULE: dict[str, Any] = {"name": "北京归华北", "when": {"all": [{"region": "华北"},
                                                  {"has_not": "华北区域"}]},
               "then": {"add": ["华北区域"]}}


def test_region_rule_adds_the_tag_with_the_reason() -> None:
    result = run([REGION_RULE], [subject(1, corp="北京星辰教育科技有限公司"),
                                 subject(2, remark="王总-上海"),
                                 subject(3, remark="李姐-北京", tags=frozenset({"t-hb"}))])
    assert [(o.subject.relation_id, o.add, o.remove) for o in result.outcomes] == \
        [(1, ("t-hb",), ())]
    why = result.outcomes[0].reasons["北京归华北"]
    assert why == ("corp_name 「北京星辰教育科技有限公司」 ∋ 北京", "has_not 华北区域")
    assert result.matched == {"北京归华北": 1}


def test_all_any_not_state_gender_counts_and_days() -> None:
    rules = [{"name": "展会新客", "when": {"all": [
        {"any": [{"state": "expo2026"}, {"remark": "展会"}]},
        {"not": {"gender": "female"}},
        {"days_since_added": {"<=": 7}},
        {"tag_count": {"<": 2}},
    ]}, "then": {"add": ["高意向"], "expires": "30d"}}]
    subjects = [subject(1, state="expo2026", gender=1, days=2),
                subject(2, remark="展会认识", days=3, tags=frozenset({"t-paid"})),
                subject(3, state="expo2026", gender=2, days=2),
                subject(4, state="expo2026", days=30),
                subject(5, state="expo2026", days=1, tags=frozenset({"t-paid", "t-vip"})),
                subject(6, state="other", days=1)]
    result = run(rules, subjects)
    assert [o.subject.relation_id for o in result.outcomes] == [1, 2]
    assert result.outcomes[0].expires_s == {"t-hot": 30 * 86400}
    assert result.outcomes[0].reasons["展会新客"][0] == "state = expo2026"


def test_added_dates_and_intents() -> None:
    rules = [{"name": "老客户异议", "when": {"all": [
        {"added": {"<": date.fromtimestamp(NOW - 100 * 86400).isoformat()}},
        {"intent": ["价格异议"]}]}, "then": {"add": ["低意向"]}}]
    result = run(rules, [subject(1, days=200, intents=frozenset({"价格异议"})),
                         subject(2, days=200), subject(3, days=5,
                                                       intents=frozenset({"价格异议"}))])
    assert [o.subject.relation_id for o in result.outcomes] == [1]
    assert result.outcomes[0].reasons["老客户异议"][1] == "intent 价格异议"


def test_replace_within_group_removes_the_group_s_other_tags() -> None:
    rules = [{"name": "成交即高意向", "when": {"has": "已成交"},
              "then": {"add": ["高意向"], "replace_group": True}}]
    result = run(rules, [subject(1, tags=frozenset({"t-paid", "t-cold"}))])
    assert (result.outcomes[0].add, result.outcomes[0].remove) == (("t-hot",), ("t-cold",))


def test_rules_chain_to_a_fixed_point() -> None:
    rules = [REGION_RULE, {"name": "华北高意向", "when": {"has": "华北区域"},
                           "then": {"add": ["高意向"]}}]
    result = run(rules, [subject(1, remark="北京")])
    assert result.outcomes[0].add == ("t-hb", "t-hot")
    assert set(result.outcomes[0].reasons) == {"北京归华北", "华北高意向"}


def test_a_contradiction_leaves_the_relation_alone_and_is_reported() -> None:
    rules = [REGION_RULE, {"name": "男客户不分区", "when": {"gender": "male"},
                           "then": {"remove": ["华北区域"]}}]
    result = run(rules, [subject(1, remark="北京", gender=1), subject(2, remark="北京")])
    assert [o.subject.relation_id for o in result.outcomes] == [2]
    assert [(c.adding, c.removing, c.tag_id, c.relations) for c in result.contradictions] == \
        [("北京归华北", "男客户不分区", "t-hb", 1)]
    assert [(c.adding, c.removing) for c in result.possible_contradictions] == \
        [("北京归华北", "男客户不分区")]


def test_rules_that_undo_each_other_are_a_loop() -> None:
    rules = [{"name": "A", "when": {"has_not": "高意向"}, "then": {"add": ["高意向"]}},
             {"name": "B", "when": {"has": "高意向"}, "then": {"remove": ["高意向"]}}]
    result = run(rules, [subject(1), subject(2, tags=frozenset({"t-hot"}))])
    assert result.outcomes == []
    assert [(loop.rules, loop.relations) for loop in result.loops] == [(("A", "B"), 2)]


def test_disabled_rules_do_nothing() -> None:
    rule = dict(REGION_RULE, enabled=False)
    assert run([rule], [subject(1, remark="北京")]).outcomes == []


def test_unknown_and_ambiguous_action_tags_say_so() -> None:
    with pytest.raises(RuleError, match="华中区域"):
        run([dict(REGION_RULE, then={"add": ["华中区域"]})], [])
    with pytest.raises(RuleError, match="等级:VIP"):
        run([dict(REGION_RULE, then={"add": ["VIP"]})], [])
    assert run([dict(REGION_RULE, then={"add": ["复购:VIP"]})],
               [subject(1, remark="北京")]).outcomes[0].add == ("t-vip2",)


def test_each_tag_condition_gives_its_own_key_as_the_reason_and_its_label_in_words() -> None:
    """A has_any condition read "has 华北区域", which the editors label 有全部标签 / Has all
    tags: its reason is named by its own key, as has and has_not are."""
    from desktop.domain.rule_draft import reasons_text

    rules = [{"name": "任一", "when": {"has_any": ["华北区域", "华南区域"]},
              "then": {"add": ["高意向"]}},
             {"name": "全部", "when": {"has": ["华北区域", "已成交"]}, "then": {"add": ["等级:VIP"]}}]
    hit = run(rules, [subject(1, tags=frozenset({"t-hb", "t-paid"}))]).outcomes[0]
    assert hit.reasons == {"任一": ("has_any 华北区域",), "全部": ("has 华北区域、已成交",)}
    assert reasons_text(hit.reasons, english=False) == \
        "任一：有任一标签 华北区域；全部：有全部标签 华北区域、已成交"
    assert reasons_text(hit.reasons, english=True) == \
        "任一: Has any tag 华北区域; 全部: Has all tags 华北区域、已成交"
