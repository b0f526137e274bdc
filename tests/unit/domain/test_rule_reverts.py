"""Held changes: a reverted rule change is made by no rule, and nothing follows from it."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from desktop.domain.rule_format import parse_rules_text
from desktop.domain.rule_reverts import Remembered, counts, definition_key, held, makers
from desktop.domain.rules import CatalogueTag, Subject, evaluate, resolve

NOW = 1_800_000_000.0
CATALOGUE = [CatalogueTag("t-expo", "展会", "g-ch", "渠道"),
             CatalogueTag("t-hot", "高意向", "g-int", "意向"),
             CatalogueTag("t-call", "待回访", "g-todo", "待办")]
BY_STATE: dict[str, Any] = {"name": "展会码", "when": {"state": "expo"}, "then": {"add": ["展会"]}}
BY_REMARK: dict[str, Any] = {"name": "备注展会", "when": {"remark": "展会"},
                             "then": {"add": ["展会"]}}
CHAINED: dict[str, Any] = {"name": "展会回访", "when": {"has": "展会"}, "then": {"add": ["待回访"]}}
HOT: dict[str, Any] = {"name": "展会高意向", "when": {"state": "expo"}, "then": {"add": ["高意向"]}}
RULES = resolve(parse_rules_text(json.dumps([BY_STATE, BY_REMARK, CHAINED, HOT])), CATALOGUE)


def subject(rid: int) -> Subject:
    return Subject(rid, f"wm{rid}", "zhangsan", f"客户{rid}", "expo", "展会上加的", "", (), 0,
                   NOW - 86400, date.fromtimestamp(NOW).toordinal(), frozenset())


def test_a_held_change_is_made_by_no_rule_and_nothing_follows_from_it() -> None:
    """展会 is held on relation 1: neither rule adding it adds it, 展会回访 (has 展会) does not
    fire, and 展会高意向's own change still happens; relation 2 gets everything."""
    result = evaluate(RULES, [subject(1), subject(2)], NOW,
                      held={("zhangsan", "wm1"): frozenset({("t-expo", "tag_add")})})
    changes = {o.subject.relation_id: (o.add, o.rule_names) for o in result.outcomes}
    assert changes == {1: (("t-hot",), ("展会高意向",)),
                       2: (("t-call", "t-expo", "t-hot"), ("展会码", "备注展会", "展会高意向", "展会回访"))}
    assert result.left_alone == 1
    assert evaluate(RULES, [subject(1)], NOW).outcomes[0].add == ("t-call", "t-expo", "t-hot")


def test_a_change_stays_held_while_one_rule_that_made_it_is_unedited() -> None:
    keys = {"展会码": definition_key(BY_STATE), "备注展会": definition_key(BY_REMARK)}
    remembered = [Remembered(name, "zhangsan", "wm1", "t-expo", "tag_add", keys[name])
                  for name in makers(RULES, "t-expo", "tag_add")]
    assert [r.rule_name for r in remembered] == ["展会码", "备注展会"]
    assert held(remembered, keys) == {("zhangsan", "wm1"): frozenset({("t-expo", "tag_add")})}
    edited = {**keys, "展会码": definition_key({**BY_STATE, "description": "改过"})}
    assert held(remembered, edited) == {("zhangsan", "wm1"): frozenset({("t-expo", "tag_add")})}
    assert counts(remembered, edited) == {"备注展会": 1}
    assert held(remembered, {"展会码": edited["展会码"]}) == {}
    assert definition_key({**BY_STATE, "enabled": False}) == keys["展会码"]
