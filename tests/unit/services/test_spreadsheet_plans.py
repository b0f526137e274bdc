"""Pure parts of the import: phone-number detection and merging per-relation plans."""

from __future__ import annotations

import pytest

from desktop.domain.retag_plan import ExclusiveSet, RelationState, plan_retag
from desktop.services.spreadsheet_import import merge_plans
from desktop.services.spreadsheet_lookup import looks_like_phone


@pytest.mark.parametrize("value", ["13800138000", "+86 138-0013-8000", "(021) 6237 1234",
                                   "010-12345678", "8613800138000"])
def test_phone_numbers_are_recognised(value: str) -> None:
    assert looks_like_phone(value)


@pytest.mark.parametrize("value", ["wmAJ2GCAAAd1NPGHKSD4wKmE8Aabj9AAA", "张三", "12345",
                                   "wo1234567890", "1234567890123456789", "VIP-2025-01"])
def test_ids_names_and_short_or_long_numbers_are_not(value: str) -> None:
    assert not looks_like_phone(value)


def _state(rid: int, *tags: str) -> dict[int, RelationState]:
    return {rid: RelationState(rid, f"wm{rid:010d}", "zhangsan", frozenset(tags))}


def test_merged_plans_keep_order_counts_and_conflicts() -> None:
    exclusive = [ExclusiveSet("成交", frozenset({"won", "lost"}))]
    plans = [
        plan_retag(_state(3, "low"), ["high"], ["low"], None, exclusive),
        plan_retag(_state(1, "high"), ["high"], [], None, exclusive),
        plan_retag(_state(2, "lost"), ["won", "high"], [], None, exclusive),
        plan_retag(_state(4), ["vip"], ["low"], None, exclusive),
    ]
    merged = merge_plans(plans, conflicts_allowed=False)
    assert [c.relation_id for c in merged.changes] == [3, 4]
    assert merged.skipped_noop == 1 and merged.conflicting_relations == 1
    assert merged.per_tag_add == {"high": 1, "vip": 1}
    assert merged.per_tag_remove == {"low": 1}
    assert merged.already_tagged == {"high": 1}
    assert merged.already_absent == {"low": 1}
    assert merged.skipped_conflicts == 1 and merged.api_calls == 2


def test_merging_nothing_is_an_empty_plan() -> None:
    merged = merge_plans([], conflicts_allowed=True)
    assert merged.api_calls == 0 and merged.conflicts_allowed
    assert merged.skipped_conflicts == 0
