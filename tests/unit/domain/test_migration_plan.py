"""The migration planner: rename when it can, coalesced relabels otherwise, clear refusals."""

from __future__ import annotations

import pytest

from desktop.domain.migration_plan import (
    NEW_TARGET_ID,
    MigrationError,
    MigrationTag,
    Strategy,
    Target,
    plan_migration,
)
from desktop.domain.retag_plan import RelationState

HOT = MigrationTag("etHot", "高意向", "gIntent", "意向程度")
HOT_CUSTOMER = MigrationTag("etHotCustomer", "高意向客户", "gLegacy", "历史标签")
WEB = MigrationTag("etWeb", "官网资询", "gLegacy", "历史标签")
EDU = MigrationTag("etEdu", "教育", "gIndustry", "行业类型")


def _states(count: int, *extra: str) -> dict[int, RelationState]:
    return {rid: RelationState(rid, f"wm{rid}", "zhang", frozenset({HOT_CUSTOMER.id, *extra}))
            for rid in range(1, count + 1)}


def _existing(tag: MigrationTag) -> Target:
    return Target(tag.name, tag.group_name, tag.group_id, tag)


def test_a_single_source_into_a_new_name_that_goes_away_is_one_rename() -> None:
    plan = plan_migration([HOT_CUSTOMER], Target("强意向", "历史标签", "gLegacy"),
                          _states(20_000), delete_source=True, target_group_tags=6,
                          group_cap=100)
    assert plan.strategy is Strategy.RENAME
    assert plan.api_calls == 1 and plan.planned == 20_000
    counted = plan_migration([HOT_CUSTOMER], Target("强意向", "历史标签", "gLegacy"), {},
                             delete_source=True, target_group_tags=6, group_cap=100,
                             relation_count=20_000)
    assert counted.planned == 20_000 and counted.api_calls == 1


def test_keeping_the_source_or_another_group_means_creating_and_relabelling() -> None:
    kept = plan_migration([HOT_CUSTOMER], Target("强意向", "历史标签", "gLegacy"), _states(30),
                          delete_source=False, target_group_tags=6, group_cap=100)
    assert kept.strategy is Strategy.RELABEL and kept.create_target
    assert kept.api_calls == 1 + 30
    change = kept.relabel.changes[0]
    assert change.add == (NEW_TARGET_ID,) and change.remove == (HOT_CUSTOMER.id,)
    moved = plan_migration([HOT_CUSTOMER], Target("强意向", "意向程度", "gIntent"), _states(30),
                           delete_source=True, target_group_tags=3, group_cap=100)
    assert moved.strategy is Strategy.RELABEL and moved.api_calls == 1 + 30 + 1


def test_merging_into_an_existing_tag_skips_relations_that_have_it_when_sources_go() -> None:
    states = {**_states(10), **{rid: RelationState(rid, f"wm{rid}", "li",
                                                   frozenset({HOT_CUSTOMER.id, HOT.id, WEB.id}))
                                for rid in range(11, 15)}}
    plan = plan_migration([HOT_CUSTOMER, WEB], _existing(HOT), states, delete_source=True,
                          target_group_tags=3, group_cap=100)
    assert plan.strategy is Strategy.RELABEL and not plan.create_target
    assert plan.relabel.api_calls == 10 and plan.already_on_target == 4
    assert plan.api_calls == 10 + 1
    assert all(c.add == (HOT.id,) and c.remove == (HOT_CUSTOMER.id,)
               for c in plan.relabel.changes)
    kept = plan_migration([HOT_CUSTOMER, WEB], _existing(HOT), states, delete_source=False,
                          target_group_tags=3, group_cap=100)
    assert kept.relabel.api_calls == 14  # the four get a remove-only call
    assert {c.remove for c in kept.relabel.changes if not c.add} == {(HOT_CUSTOMER.id, WEB.id)}


def test_a_tag_into_itself_or_its_descendant_is_refused() -> None:
    with pytest.raises(MigrationError, match="into itself"):
        plan_migration([HOT], _existing(HOT), {}, delete_source=True, target_group_tags=3,
                       group_cap=100)
    with pytest.raises(MigrationError, match="own descendant"):
        plan_migration([EDU], Target("教育/K12", "行业类型", "gIndustry"), {}, delete_source=True,
                       target_group_tags=17, group_cap=100)
    k12 = MigrationTag("etK12", "教育/K12", "gIndustry", "行业类型")
    with pytest.raises(MigrationError, match="own descendant"):
        plan_migration([EDU], _existing(k12), {}, delete_source=False, target_group_tags=17,
                       group_cap=100)


def test_a_new_target_in_a_full_group_is_refused_but_a_rename_is_not() -> None:
    with pytest.raises(MigrationError, match="cap of 100"):
        plan_migration([HOT_CUSTOMER], Target("强意向", "意向程度", "gIntent"), _states(3),
                       delete_source=True, target_group_tags=100, group_cap=100)
    renamed = plan_migration([HOT_CUSTOMER], Target("强意向", "历史标签", "gLegacy"), _states(3),
                             delete_source=True, target_group_tags=100, group_cap=100)
    assert renamed.strategy is Strategy.RENAME


def test_no_source_is_refused() -> None:
    with pytest.raises(MigrationError, match="at least one source"):
        plan_migration([], _existing(HOT), {}, delete_source=False, target_group_tags=3,
                       group_cap=100)
