"""The retag planner: effective deltas, no-ops, replace-within-group, conflicts, toggle, undo, ETA."""

from __future__ import annotations

import pytest

from desktop.domain.retag_plan import (
    CHANGED_AGAIN,
    RELATION_GONE,
    TAG_DELETED,
    AppliedChange,
    ExclusiveSet,
    PlanError,
    RelationChange,
    RelationState,
    estimate_seconds,
    plan_inverse,
    plan_retag,
    plan_toggle,
)

SHIPPED, REFUNDED, VIP, WON, INVALID = "etShipped", "etRefunded", "etVip", "etWon", "etInvalid"
STAGE_GROUP = (SHIPPED, REFUNDED, "etPaid")
LIVE = frozenset({SHIPPED, REFUNDED, VIP, WON, INVALID})
WON_OR_INVALID = ExclusiveSet("成交状态", frozenset({WON, INVALID}))


def _rel(rid: int, *tags: str, userid: str = "zhangsan") -> RelationState:
    return RelationState(rid, f"wm{rid:04d}", userid, frozenset(tags))


def _current(*states: RelationState) -> dict[int, RelationState]:
    return {s.relation_id: s for s in states}


def test_add_only_where_missing_and_count_the_already_tagged() -> None:
    plan = plan_retag(_current(_rel(1), _rel(2, VIP), _rel(3)), add=[VIP])
    assert [c.relation_id for c in plan.changes] == [1, 3]
    assert all(c.add == (VIP,) and c.remove == () for c in plan.changes)
    assert plan.skipped_noop == 1
    assert plan.already_tagged == {VIP: 1}
    assert plan.per_tag_add == {VIP: 2} and plan.per_tag_remove == {}
    assert plan.api_calls == 2


def test_remove_only_where_present_and_count_the_already_absent() -> None:
    plan = plan_retag(_current(_rel(1, SHIPPED), _rel(2), _rel(3, SHIPPED, VIP)),
                      remove=[SHIPPED])
    assert plan.changes == (
        RelationChange(1, "wm0001", "zhangsan", (), (SHIPPED,)),
        RelationChange(3, "wm0003", "zhangsan", (), (SHIPPED,)),
    )
    assert plan.already_absent == {SHIPPED: 1} and plan.skipped_noop == 1
    assert plan.per_tag_remove == {SHIPPED: 2}


def test_one_call_per_relation_carries_all_its_adds_and_removes() -> None:
    plan = plan_retag(_current(_rel(7, SHIPPED)), add=[REFUNDED, VIP], remove=[SHIPPED])
    assert plan.changes == (RelationChange(7, "wm0007", "zhangsan", (REFUNDED, VIP), (SHIPPED,)),)
    assert plan.api_calls == 1


def test_a_relation_with_nothing_left_to_do_is_dropped() -> None:
    plan = plan_retag(_current(_rel(1, VIP), _rel(2, VIP)), add=[VIP], remove=[SHIPPED])
    assert plan.changes == () and plan.skipped_noop == 2 and plan.api_calls == 0


def test_duplicates_and_blank_ids_are_ignored() -> None:
    plan = plan_retag(_current(_rel(1)), add=[VIP, VIP, ""])
    assert plan.changes[0].add == (VIP,)


def test_a_tag_both_added_and_removed_is_refused() -> None:
    with pytest.raises(PlanError, match="both added and removed"):
        plan_retag(_current(_rel(1)), add=[VIP], remove=[VIP])


def test_relations_keep_the_order_they_were_given_in() -> None:
    plan = plan_retag({9: _rel(9), 2: _rel(2), 5: _rel(5)}, add=[VIP])
    assert [c.relation_id for c in plan.changes] == [9, 2, 5]


def test_replace_within_group_removes_every_present_tag_of_the_group() -> None:
    current = _current(_rel(1, SHIPPED, VIP), _rel(2, SHIPPED, "etPaid"), _rel(3))
    plan = plan_retag(current, add=[REFUNDED], replace_group_tags=STAGE_GROUP)
    by_id = {c.relation_id: c for c in plan.changes}
    assert by_id[1].add == (REFUNDED,) and by_id[1].remove == (SHIPPED,)
    assert by_id[2].remove == ("etPaid", SHIPPED)
    assert by_id[3].add == (REFUNDED,) and by_id[3].remove == ()
    assert VIP not in by_id[1].remove


def test_replace_within_group_keeps_the_tag_being_added() -> None:
    plan = plan_retag(_current(_rel(1, REFUNDED, SHIPPED), _rel(2, REFUNDED)),
                      add=[REFUNDED], replace_group_tags=STAGE_GROUP)
    assert plan.changes == (RelationChange(1, "wm0001", "zhangsan", (), (SHIPPED,)),)
    assert plan.skipped_noop == 1


def test_replace_within_group_without_a_new_tag_clears_the_group() -> None:
    plan = plan_retag(_current(_rel(1, SHIPPED, VIP)), replace_group_tags=STAGE_GROUP)
    assert plan.changes[0].remove == (SHIPPED,) and plan.changes[0].add == ()


def test_a_relation_ending_with_two_exclusive_tags_is_a_skipped_conflict() -> None:
    current = _current(_rel(1, INVALID), _rel(2), _rel(3, INVALID))
    plan = plan_retag(current, add=[WON], exclusive_sets=[WON_OR_INVALID])
    assert [c.relation_id for c in plan.changes] == [2]
    assert [(c.relation_id, c.set_name, c.tag_ids) for c in plan.conflicts] == [
        (1, "成交状态", tuple(sorted((WON, INVALID)))),
        (3, "成交状态", tuple(sorted((WON, INVALID)))),
    ]
    assert plan.skipped_conflicts == 2 and plan.per_tag_add == {WON: 1}


def test_conflicts_can_be_allowed_and_are_still_listed() -> None:
    plan = plan_retag(_current(_rel(1, INVALID)), add=[WON], exclusive_sets=[WON_OR_INVALID],
                      allow_conflicts=True)
    assert [c.relation_id for c in plan.changes] == [1]
    assert len(plan.conflicts) == 1 and plan.skipped_conflicts == 0


def test_removing_the_other_exclusive_tag_in_the_same_call_is_no_conflict() -> None:
    plan = plan_retag(_current(_rel(1, INVALID)), add=[WON], remove=[INVALID],
                      exclusive_sets=[WON_OR_INVALID])
    assert plan.conflicts == () and plan.api_calls == 1


def test_an_old_conflict_the_plan_does_not_touch_does_not_block_other_changes() -> None:
    plan = plan_retag(_current(_rel(1, WON, INVALID)), add=[VIP], exclusive_sets=[WON_OR_INVALID])
    assert plan.conflicts == () and plan.api_calls == 1


def test_adding_both_exclusive_tags_at_once_is_a_conflict() -> None:
    plan = plan_retag(_current(_rel(1)), add=[WON, INVALID], exclusive_sets=[WON_OR_INVALID])
    assert plan.api_calls == 0 and len(plan.conflicts) == 1


def test_toggle_removes_from_all_when_every_relation_carries_the_tag() -> None:
    plan = plan_toggle(_current(_rel(1, VIP), _rel(2, VIP)), VIP)
    assert all(c.remove == (VIP,) and c.add == () for c in plan.changes)
    assert plan.api_calls == 2


def test_toggle_adds_where_missing_when_some_lack_it() -> None:
    plan = plan_toggle(_current(_rel(1, VIP), _rel(2)), VIP)
    assert plan.changes == (RelationChange(2, "wm0002", "zhangsan", (VIP,), ()),)
    assert plan.skipped_noop == 1


def test_toggle_over_nothing_is_an_empty_plan() -> None:
    assert plan_toggle({}, VIP).api_calls == 0


def test_toggle_respects_exclusive_sets_when_adding() -> None:
    plan = plan_toggle(_current(_rel(1, INVALID), _rel(2)), WON, exclusive_sets=[WON_OR_INVALID])
    assert [c.relation_id for c in plan.changes] == [2] and len(plan.conflicts) == 1


def _by_key(*states: RelationState) -> dict[tuple[str, str], RelationState]:
    return {(s.external_userid, s.userid): s for s in states}


def test_inverse_restores_what_the_batch_changed() -> None:
    applied = [AppliedChange("wm0001", "zhangsan", frozenset({SHIPPED}), frozenset({REFUNDED}))]
    plan, skipped = plan_inverse(applied, _by_key(_rel(1, REFUNDED, VIP)), LIVE)
    assert plan.changes == (RelationChange(1, "wm0001", "zhangsan", (SHIPPED,), (REFUNDED,)),)
    assert skipped == []


def test_inverse_skips_relations_changed_again_or_gone() -> None:
    applied = [
        AppliedChange("wm0001", "zhangsan", frozenset({SHIPPED}), frozenset({VIP})),
        AppliedChange("wm0002", "zhangsan", frozenset({SHIPPED}), frozenset({VIP})),
        AppliedChange("wm0003", "zhangsan", frozenset(), frozenset({VIP})),
        AppliedChange("wm0004", "zhangsan", frozenset(), frozenset({VIP})),
    ]
    # wm0001 lost VIP since, wm0002 got SHIPPED back since: half of each change was redone.
    current = _by_key(_rel(1), _rel(2, SHIPPED, VIP), _rel(4, VIP, WON))
    plan, skipped = plan_inverse(applied, current, LIVE)
    assert [c.relation_id for c in plan.changes] == [4]
    assert [(s.external_userid, s.reason) for s in skipped] == [
        ("wm0001", CHANGED_AGAIN), ("wm0002", CHANGED_AGAIN), ("wm0003", RELATION_GONE),
    ]


def test_inverse_skips_a_relation_whose_undo_would_put_back_a_deleted_tag() -> None:
    applied = [AppliedChange("wm0001", "zhangsan", frozenset({SHIPPED}), frozenset({VIP})),
               AppliedChange("wm0002", "zhangsan", frozenset(), frozenset({VIP}))]
    current = _by_key(_rel(1, VIP), _rel(2, VIP))
    plan, skipped = plan_inverse(applied, current, LIVE - {SHIPPED})
    assert [c.relation_id for c in plan.changes] == [2]      # only takes VIP off: still fine
    assert [(s.external_userid, s.reason) for s in skipped] == [("wm0001", TAG_DELETED)]


def test_estimate_is_bound_by_the_rate_limit_or_by_concurrency() -> None:
    # 600/min = 10 calls/s; 5 in flight at 0.15 s = 33 calls/s: the rate limit binds.
    assert estimate_seconds(600, 600, 5) == pytest.approx(60.0)
    # 6,000/min = 100 calls/s; 5 in flight at 0.25 s = 20 calls/s: concurrency binds.
    assert estimate_seconds(1000, 6000, 5, latency_s=0.25) == pytest.approx(50.0)
    assert estimate_seconds(100, 6000, 5, latency_s=0.0) == pytest.approx(1.0)
    assert estimate_seconds(0, 6000, 5) == 0.0
    with pytest.raises(ValueError):
        estimate_seconds(10, 0, 5)


def test_inverse_of_a_relation_already_back_as_before_is_a_noop() -> None:
    applied = [AppliedChange("wm0001", "zhangsan", frozenset({SHIPPED}), frozenset({REFUNDED}))]
    plan, skipped = plan_inverse(applied, _by_key(_rel(1, SHIPPED)), LIVE)
    assert plan.api_calls == 0 and plan.skipped_noop == 1 and skipped == []


def test_durations_read_like_an_eta() -> None:
    from desktop.domain.retag_plan import format_duration

    assert [format_duration(s) for s in (0, 44.6, 60, 725, 3600, 6000)] == [
        "0 s", "45 s", "1 min 00 s", "12 min 05 s", "1 h 00 min", "1 h 40 min"]
    assert [format_duration(s, english=False) for s in (44.6, 725, 6000)] == [
        "45 秒", "12 分 05 秒", "1 小时 40 分"]
    assert format_duration(0.05) == "1 s"          # a few calls: "about 1 s", never "about 0 s"
