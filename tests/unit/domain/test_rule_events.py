"""Rule conditions on behaviour events: the format (bad fields named by path), the pure
evaluator (counts in a window, values, days since the last event) and the reasons."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest

from desktop.domain.events import Event
from desktop.domain.rule_format import RuleFormatError, parse_rules_text
from desktop.domain.rules import (
    CatalogueTag,
    DaysSinceEvent,
    HasEvent,
    Subject,
    describe,
    evaluate,
    resolve,
)

NOW = 1_800_000_000.0
DAY = 86400.0
CATALOGUE = [CatalogueTag("t-paid", "已成交", "g-stage", "阶段"),
             CatalogueTag("t-warm", "近期活跃", "g-stage", "阶段")]
PAID_RULE: dict[str, Any] = {
    "name": "付费即成交",
    "when": {"all": [{"event": {"type": "order_paid", "within_days": 30}},
                     {"has_not": "已成交"}]},
    "then": {"add": ["阶段:已成交"]}}
VIEWED_RULE: dict[str, Any] = {
    "name": "近期看过", "when": {"days_since_event": {"type": "content_viewed", "<=": 7}},
    "then": {"add": ["阶段:近期活跃"]}}


def event(kind: str, days_ago: float, value: float | None = None, name: str = "") -> Event:
    return Event(f"id:{kind}-{days_ago}", NOW - days_ago * DAY, "wm1", "", kind, name,
                 "", value)


def subject(rid: int, *events: Event) -> Subject:
    created = NOW - 100 * DAY
    return Subject(rid, f"wm{rid}", "zhangsan", f"客户{rid}", "", "", "", (), 0, created,
                   date.fromtimestamp(created).toordinal(), frozenset(), frozenset(),
                   tuple(sorted(events, key=lambda e: e.ts)))


def changed(rules: list[dict[str, Any]], *subjects: Subject) -> dict[int, tuple[str, ...]]:
    result = evaluate(resolve(parse_rules_text(json.dumps(rules)), CATALOGUE), subjects, NOW)
    return {o.subject.relation_id: o.add for o in result.outcomes}


def test_the_two_shapes_are_read_with_their_defaults() -> None:
    [paid, viewed] = parse_rules_text(json.dumps([PAID_RULE, VIEWED_RULE]))
    assert paid.when.items[0] == HasEvent(("order_paid",), 30.0)  # type: ignore[union-attr]
    assert viewed.when == DaysSinceEvent(("content_viewed",), (("<=", 7.0),))
    assert paid.uses_events and paid.event_types == frozenset({"order_paid"})
    anything = parse_rules_text(json.dumps({**PAID_RULE, "when": {"event": {}}}))[0]
    assert anything.when == HasEvent((), None) and anything.event_types is None
    assert describe(HasEvent(("order_paid",), 30.0, ((">=", 2.0),), ((">", 100.0),))) == \
        "event order_paid within_days 30 value > 100 count >= 2"


@pytest.mark.parametrize(("when", "path", "en"), [
    ({"event": {"typ": "order_paid"}}, "rule.when.event.typ", "unknown field"),
    ({"event": {"type": ""}}, "rule.when.event.type", "non-empty text"),
    ({"event": {"within_days": 0}}, "rule.when.event.within_days", "above 0"),
    ({"event": {"within_days": "30"}}, "rule.when.event.within_days", "a number"),
    ({"event": {"count": {"~": 1}}}, "rule.when.event.count.~", "unknown operator"),
    ({"event": {"value": {">=": "100"}}}, "rule.when.event.value.>=", "expected a number"),
    ({"event": "order_paid"}, "rule.when.event", "JSON object"),
    ({"days_since_event": {"type": "x"}}, "rule.when.days_since_event", "at least one"),
    ({"days_since_event": {"type": "x", "<=": -1}}, "rule.when.days_since_event.<=", "0 or"),
])
def test_bad_event_conditions_are_named_by_path(when: object, path: str, en: str) -> None:
    with pytest.raises(RuleFormatError) as caught:
        parse_rules_text(json.dumps({**PAID_RULE, "when": when}), "rule")
    assert caught.value.path == path and en in str(caught.value)


def test_an_event_within_the_window_matches_and_the_reason_names_it() -> None:
    recent = event("order_paid", 3, 1999, "年度会员")
    subjects = [subject(1, recent, event("content_viewed", 1)),
                subject(2, event("order_paid", 45)),          # too long ago
                subject(3, event("order_paid", -2)),          # not happened yet
                subject(4)]
    result = evaluate(resolve(parse_rules_text(json.dumps([PAID_RULE])), CATALOGUE), subjects,
                      NOW)
    assert [o.subject.relation_id for o in result.outcomes] == [1]
    when = datetime.fromtimestamp(recent.ts).strftime("%Y-%m-%d %H:%M")
    assert result.outcomes[0].reasons["付费即成交"] == (
        f"event order_paid @ {when} 「年度会员」", "has_not 已成交")


def test_count_and_value_filter_the_events() -> None:
    rule = {**PAID_RULE, "when": {"event": {"type": ["order_paid", "refund"], "count": {">=": 2},
                                            "value": {">=": 100}}}}
    assert changed([rule], subject(1, event("order_paid", 1, 150), event("refund", 2, 120)),
                   subject(2, event("order_paid", 1, 150), event("order_paid", 2, 50)),
                   subject(3, event("order_paid", 1, 150))) == {1: ("t-paid",)}
    never = {**PAID_RULE, "when": {"event": {"type": "order_paid", "count": {"=": 0}}}}
    result = evaluate(resolve(parse_rules_text(json.dumps([never])), CATALOGUE),
                      [subject(1), subject(2, event("order_paid", 1))], NOW)
    assert [(o.subject.relation_id, o.reasons["付费即成交"]) for o in result.outcomes] == \
        [(1, ("event order_paid ×0",))]


def test_days_since_the_last_event_of_a_type() -> None:
    assert changed([VIEWED_RULE],
                   subject(1, event("content_viewed", 20), event("content_viewed", 2)),
                   subject(2, event("content_viewed", 9)),
                   subject(3, event("order_paid", 1)),
                   subject(4)) == {1: ("t-warm",)}
    result = evaluate(resolve(parse_rules_text(json.dumps([VIEWED_RULE])), CATALOGUE),
                      [subject(1, event("content_viewed", 2.5))], NOW)
    [why] = result.outcomes[0].reasons["近期看过"]
    assert why.startswith("days_since_event content_viewed = 2.5 @ ")


def test_a_customer_without_events_is_not_matched_even_by_a_not_yet_event() -> None:
    lapsed = {**VIEWED_RULE, "when": {"days_since_event": {">": 30}}}
    plain = subject(1)
    assert changed([lapsed], plain, replace(plain, relation_id=2,
                                            events=(event("x", 40),))) == {2: ("t-warm",)}


def test_common_event_types_read_as_words_and_others_as_written() -> None:
    from desktop.domain.events import type_name

    assert type_name("order_paid", english=False) == "订单支付"
    assert type_name("order_paid", english=True) == "order paid"
    assert type_name("webinar_joined", english=False) == "webinar_joined"
