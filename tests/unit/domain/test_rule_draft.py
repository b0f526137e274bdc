"""The rule editor's model: every scene rule opens as a form and saves back to an equal rule;
values the form cannot show exactly stay JSON leaves; problems name their path."""

from __future__ import annotations

import json

import pytest

from desktop.domain.rule_draft import (
    CONDITION_KINDS,
    Group,
    JsonText,
    Leaf,
    RuleDraft,
    ValueKind,
    editable,
    node_paths,
    place_text,
    split_words,
    words_value,
)
from desktop.domain.rule_format import LEAVES, RuleFormatError, parse_rule
from desktop.resources import resources_dir

SCENE_RULES = [rule for path in sorted((resources_dir() / "scenes").glob("*.json"))
               for rule in json.loads(path.read_text(encoding="utf-8"))["rules"]]
README_RULE = {"name": "展会新客", "enabled": True,
               "when": {"all": [{"any": [{"state": "expo2026"}, {"remark": ["展会", "expo"]}]},
                                {"days_since_added": {"<=": 7}}, {"not": {"has": "已成交"}},
                                {"added": {">=": "2025-01-01", "<": "2026-01-01"}},
                                {"gender": "女"}]},
               "then": {"add": ["意向:高意向"], "replace_group": True, "expires": "12小时"}}
EVENT_RULE = {"name": "复购", "when": {"any": [
    {"event": {"type": "order_paid", "within_days": 30, "count": {">=": 2},
               "value": {">=": -5}}},
    {"event": {}}, {"days_since_event": {"type": ["content_viewed", "form"], "<=": 7, ">": 1}}]},
    "then": {"add": ["复购客户"]}}


def _leaves(draft: RuleDraft) -> list[Leaf]:
    assert draft.when is not None
    return [node for node, _ in node_paths(draft.when, "rule.when") if isinstance(node, Leaf)]


@pytest.mark.parametrize("definition", [*SCENE_RULES, README_RULE, EVENT_RULE],
                         ids=[r["name"] for r in [*SCENE_RULES, README_RULE, EVENT_RULE]])
def test_every_scene_rule_round_trips_through_the_form(definition: dict[str, object]) -> None:
    draft = RuleDraft.read(definition)
    saved = draft.definition()
    assert parse_rule(saved) == parse_rule(definition)
    assert draft.check() == parse_rule(definition)
    assert all(editable(leaf.key, leaf.value) for leaf in _leaves(draft)), \
        "a scene rule needs a JSON leaf: the form cannot show it"
    assert RuleDraft.read(saved).definition() == saved


def test_the_scenes_are_many_and_every_leaf_kind_is_in_the_table() -> None:
    assert len(SCENE_RULES) >= 40
    assert {kind.key for kind in CONDITION_KINDS} == set(LEAVES)


def test_values_the_form_cannot_show_stay_json_and_still_round_trip() -> None:
    odd = {"name": "odd", "when": {"all": [
        {"tag_count": {">": 1, "<": 5, "!=": 3}}, {"days_since_added": {">=": 2.5}},
        {"remark": "a、b"}, {"region": "北京"}, {"event": {"count": {">": 1, "<": 3}}},
        {"days_since_event": {"<=": 1.5}}]}, "then": {"add": ["X"]}}
    draft = RuleDraft.read(odd)
    assert [editable(leaf.key, leaf.value) for leaf in _leaves(draft)] == [
        False, False, False, True, False, False]
    assert parse_rule(draft.definition()) == parse_rule(odd)


def test_problems_are_named_by_path() -> None:
    draft = RuleDraft(name="r", when=Group("all", [Leaf("region", "北京"), Group("not")]),
                      add=["X"])
    with pytest.raises(RuleFormatError) as caught:
        draft.check()
    assert caught.value.path == "rule.when.all[1].not"
    draft.when = Group("all", [Leaf("tag_count", JsonText("{>"))])
    with pytest.raises(RuleFormatError) as caught:
        draft.check()
    assert caught.value.path == "rule.when.all[0].tag_count"
    draft.when = Group("any", [Leaf("region", [])])
    with pytest.raises(RuleFormatError) as caught:
        draft.check()
    assert caught.value.path == "rule.when.any[0].region"
    draft.when, draft.add = Leaf("region", "北京"), []
    with pytest.raises(RuleFormatError) as caught:
        draft.check()
    assert caught.value.path == "rule.then"
    assert RuleDraft(name="r", add=["X"]).definition()["when"] == {}


def test_words_split_on_the_separators_and_one_word_is_a_text() -> None:
    assert split_words(" 北京、上海, 广州 ，深圳|  ") == ["北京", "上海", "广州", "深圳"]
    assert words_value(["北京"]) == "北京"
    assert words_value(["北京", "上海"]) == ["北京", "上海"]
    assert {k.value for k in CONDITION_KINDS} >= set(ValueKind) - {ValueKind.JSON}


def test_the_rules_list_says_a_condition_with_the_editors_labels() -> None:
    from desktop.domain.rule_draft import read_condition, summary

    when = read_condition({"all": [{"region": ["北京", "上海"]}, {"has_not": "地区:华北"},
                                   {"not": {"gender": "female"}},
                                   {"any": [{"tag_count": {">=": 3}}, {"state": "expo2026"}]}]})
    assert summary(when, english=False) == (
        "(地区 北京、上海 且 没有标签 地区:华北 且 非 性别 女 且 (标签数 >= 3 或 渠道活码 state expo2026))")
    assert summary(when, english=True) == (
        "(Region 北京、上海 and Has none of the tags 地区:华北 and not Gender female and"
        " (Tag count >= 3 or Live code state expo2026))")


def test_a_simulation_reason_is_said_with_the_editors_label() -> None:
    from desktop.domain.rule_draft import reason_text

    assert reason_text("description 「北京采购负责人」 ∋ 北京", english=False) == (
        "描述 「北京采购负责人」 含 北京")
    assert reason_text("has_not 地区:华北", english=True) == "Has none of the tags 地区:华北"
    assert reason_text("something else", english=False) == "something else"


def test_the_rules_list_says_an_event_condition_in_words_not_json() -> None:
    from desktop.domain.rule_draft import read_condition, summary

    when = read_condition({"all": [
        {"event": {"type": "order_paid", "within_days": 30}},
        {"event": {"type": ["form_submitted", "course_attended"], "count": {">=": 2},
                   "value": {">": 100}}},
        {"days_since_event": {"type": "content_viewed", "<=": 7}},
        {"event": {}}]})
    assert summary(when, english=False) == (
        "(行为事件 订单支付 最近 30 天内 且 行为事件 提交表单、参加课程 次数 >= 2"
        " 金额 > 100 且 距上次事件天数 浏览内容 <= 7 且 行为事件 任意类型)")
    assert summary(when, english=True) == (
        "(Behaviour event order paid within 30 days and Behaviour event"
        " form submitted、course attended times >= 2 value > 100 and Days since last event"
        " content viewed <= 7 and Behaviour event any type)")


def test_an_event_reason_names_the_type_in_words() -> None:
    from desktop.domain.rule_draft import reason_text

    assert reason_text("event order_paid @ 2026-12-01 09:30 「年度会员」", english=False) == (
        "行为事件 订单支付 @ 2026-12-01 09:30 「年度会员」")


@pytest.mark.parametrize(("path", "zh", "en"), [
    ("rule.when.any[2].tag_count", "条件 › 任一满足 › 第 3 项 › 标签数",
     "Conditions › any of › #3 › Tag count"),
    ("rule.then.add", "动作 › 要添加的标签", "Action › tags to add"),
    ("rule.when.all[0].event.within_days", "条件 › 全部满足 › 第 1 项 › 行为事件 › 最近天数",
     "Conditions › all of › #1 › Behaviour event › within days"),
    ("rule.when.colour", "条件 › colour", "Conditions › colour"),
])
def test_a_format_error_is_placed_in_words(path: str, zh: str, en: str) -> None:
    assert place_text(path, "rule", english=False) == zh
    assert place_text(path, "rule", english=True) == en
