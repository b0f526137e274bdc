"""A rule after a rename names the same tags by their new names."""

from __future__ import annotations

from desktop.domain.filter.rename import group_rename, tag_rename
from desktop.domain.rule_format import parse_rule
from desktop.domain.rule_rename import renamed_rule

RULE = {"name": "大促跟进", "enabled": True,
        "when": {"all": [{"has_any": ["大促-进度:已领券", "VIP"]},
                         {"not": {"has": "大促-进度：已下单"}}, {"remark": "已领券"}]},
        "then": {"add": ["大促-进度:待回访"], "remove": ["已领券"], "replace_group": False}}


def test_a_group_rename_respells_every_tag_the_rule_names_in_it() -> None:
    respelled = renamed_rule(RULE, group_rename("大促-进度", "双11-进度"))
    assert respelled["when"] == {"all": [{"has_any": ["双11-进度:已领券", "VIP"]},
                                         {"not": {"has": "双11-进度:已下单"}},
                                         {"remark": "已领券"}]}        # words stay words
    assert respelled["then"] == {"add": ["双11-进度:待回访"], "remove": ["已领券"],
                                 "replace_group": False}
    parse_rule(respelled)                                            # still a valid rule
    assert RULE["then"] == {"add": ["大促-进度:待回访"], "remove": ["已领券"],
                            "replace_group": False}                  # the original untouched


def test_a_tag_rename_respells_its_group_and_bare_names_unless_another_group_has_it() -> None:
    alone = renamed_rule(RULE, tag_rename("已领券", "领了券", "大促-进度", []))
    assert alone["when"]["all"][0] == {"has_any": ["大促-进度:领了券", "VIP"]}  # type: ignore[index]
    assert alone["then"]["remove"] == ["领了券"]                      # type: ignore[index]
    shared = renamed_rule(RULE, tag_rename("已领券", "领了券", "大促-进度", [("已领券", "老活动")]))
    assert shared["then"]["remove"] == ["已领券"]                     # type: ignore[index]
    assert renamed_rule(RULE, tag_rename("VIP", "贵宾", "其他组", [])) != RULE
    assert renamed_rule(RULE, tag_rename("待回访", "回访", "别的组", [])) == RULE


def test_a_when_that_is_not_one_condition_is_kept_as_it_was() -> None:
    odd = {**RULE, "when": {"has": "VIP", "remark": "已领券"}}
    assert renamed_rule(odd, tag_rename("VIP", "贵宾", "客户等级", []))["when"] == odd["when"]
