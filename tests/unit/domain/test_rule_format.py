"""The rule file format: each bad field is named by its path, in both languages."""

from __future__ import annotations

import json

import pytest

from desktop.domain.rule_format import RuleFormatError, parse_duration, parse_rules_text
from desktop.domain.rules import AllOf, HasTags, TagRef, Words

GOOD = {"name": "r", "when": {"region": "北京"}, "then": {"add": ["地区:华北区域"]}}


def bad(data: object) -> RuleFormatError:
    with pytest.raises(RuleFormatError) as caught:
        parse_rules_text(json.dumps(data, ensure_ascii=False))
    return caught.value


def test_a_good_rule_in_its_three_shapes() -> None:
    one = parse_rules_text(json.dumps(GOOD))
    assert one[0].when == Words("region", ("北京",))
    assert one[0].then.add == (TagRef("华北区域", "地区"),)
    assert parse_rules_text(json.dumps([GOOD])) == one
    assert parse_rules_text(json.dumps({"rules": [GOOD]})) == one


@pytest.mark.parametrize(("data", "path", "en"), [
    ({"rules": [GOOD, {**GOOD, "name": ""}]}, "rules.rules[1].name", "non-empty text"),
    ({**GOOD, "when": {"all": [{"region": "北京"}, {"has": 3}]}}, "rules.when.all[1].has",
     "a text or a list"),
    ({**GOOD, "when": {"all": []}}, "rules.when.all", "non-empty list"),
    ({**GOOD, "when": {"regoin": "北京"}}, "rules.when.regoin", "unknown condition"),
    ({**GOOD, "when": {"region": "北京", "state": "x"}}, "rules.when", "exactly one key"),
    ({**GOOD, "when": {"tag_count": {">>": 3}}}, "rules.when.tag_count.>>", "unknown operator"),
    ({**GOOD, "when": {"added": {">=": "2025/01/01"}}}, "rules.when.added.>=", "YYYY-MM-DD"),
    ({**GOOD, "when": {"gender": "x"}}, "rules.when.gender", "male, female"),
    ({**GOOD, "then": {"add": []}}, "rules.then", "at least one tag"),
    ({**GOOD, "then": {"add": ["A"], "remove": ["A"]}}, "rules.then.remove", "both added"),
    ({**GOOD, "then": {"add": ["A"], "expires": "soon"}}, "rules.then.expires", "duration"),
    ({**GOOD, "then": {"add": ["A"], "colour": "red"}}, "rules.then.colour", "unknown field"),
    ({**GOOD, "enabled": "yes"}, "rules.enabled", "true or false"),
    ([GOOD, GOOD], "rules[1].name", "used twice"),
])
def test_bad_fields_are_named_by_path(data: object, path: str, en: str) -> None:
    error = bad(data)
    assert error.path == path
    assert en in error.message_en and path in error.message_zh and "规则格式错误" in str(error)


def test_not_json_gives_the_line() -> None:
    with pytest.raises(RuleFormatError, match="line 1"):
        parse_rules_text("{nope", "r.json")


def test_nesting_and_durations() -> None:
    rule = parse_rules_text(json.dumps({**GOOD, "when": {"all": [{"not": {"has_any": ["A",
                                                                                      "B"]}}]}}))
    assert isinstance(rule[0].when, AllOf)
    assert parse_duration("30d", "x") == 30 * 86400 and parse_duration("2周", "x") == 14 * 86400
    assert parse_duration("12h", "x") == 43200
    with pytest.raises(RuleFormatError):
        parse_duration("0d", "x")
    assert HasTags("none", (TagRef("A"),)) != HasTags("all", (TagRef("A"),))
