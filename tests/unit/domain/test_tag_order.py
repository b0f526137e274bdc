"""Reorder plans: fewest order edits, spacing, fixed items, tree moves, pins."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence

import pytest

from desktop.domain.tag_order import (
    MAX_ORDER,
    OrderChange,
    ReorderError,
    move_rows,
    pin_positions,
    plan_reorder,
    plan_tree_move,
)
from desktop.domain.tag_tree import TagTree, build_tag_tree
from desktop.domain.tags import GroupInfo, TagInfo, TagKind


def _apply(current: Mapping[str, int], changes: Sequence[OrderChange]) -> dict[str, int]:
    result = dict(current)
    for change in changes:
        assert result[change.id] == change.old_order
        result[change.id] = change.new_order
    return result


def _assert_valid(
    current: Mapping[str, int], desired: Sequence[str], changes: Sequence[OrderChange]
) -> None:
    after = _apply(current, changes)
    values = [after[item] for item in desired]
    assert all(0 <= value <= MAX_ORDER for value in values)
    assert all(high > low for high, low in itertools.pairwise(values)), values
    assert sorted(desired, key=lambda item: -after[item]) == list(desired)
    assert all(change.old_order != change.new_order for change in changes)


def _fewest_changes(orders: Sequence[int], fixed: frozenset[int]) -> int | None:
    """Brute force: the largest set of positions that can keep their orders."""
    count = len(orders)
    for size in range(count, -1, -1):
        for kept in itertools.combinations(range(count), size):
            if not fixed <= set(kept):
                continue
            bounds = [(-1, MAX_ORDER + 1), *((i, orders[i]) for i in kept), (count, -1)]
            if all(high - low >= j - i for (i, high), (j, low) in itertools.pairwise(bounds)):
                return count - size
    return None


def test_unchanged_sequence_needs_no_change() -> None:
    assert plan_reorder({"a": 30, "b": 20, "c": 10}, ["a", "b", "c"]) == []


def test_a_gap_between_new_neighbours_changes_only_the_moved_item() -> None:
    current = {"a": 3000, "b": 2000, "c": 1000}
    changes = plan_reorder(current, ["a", "c", "b"], moved={"c"})
    assert changes == [OrderChange("c", 1000, 2500)]


def test_moving_to_the_top_or_bottom_steps_by_1000() -> None:
    current = {"a": 5, "b": 4, "c": 3}
    assert plan_reorder(current, ["c", "a", "b"], moved={"c"}) == [OrderChange("c", 3, 1005)]
    current = {"a": 5000, "b": 4000, "c": 3000}
    assert plan_reorder(current, ["b", "c", "a"], moved={"a"}) == [OrderChange("a", 5000, 2000)]


def test_bottom_without_room_for_a_step_spreads_below_the_neighbour() -> None:
    changes = plan_reorder({"a": 5, "b": 4, "c": 3}, ["b", "c", "a"], moved={"a"})
    assert changes == [OrderChange("a", 5, 1)]


def test_the_dragged_item_is_the_one_that_changes() -> None:
    current = {"a": 300, "b": 200, "c": 100}
    assert [c.id for c in plan_reorder(current, ["b", "a", "c"], moved={"a"})] == ["a"]
    assert [c.id for c in plan_reorder(current, ["b", "a", "c"], moved={"b"})] == ["b"]


def test_no_gap_renumbers_the_fewest_items() -> None:
    current = {"a": 2, "b": 1, "c": 0}
    changes = plan_reorder(current, ["a", "c", "b"], moved={"c"})
    assert len(changes) == 2
    _assert_valid(current, ["a", "c", "b"], changes)


def test_all_equal_orders_are_renumbered_once_with_spacing() -> None:
    current = dict.fromkeys("abcde", 0)
    changes = plan_reorder(current, list("abcde"))
    assert changes == [
        OrderChange("a", 0, 4000),
        OrderChange("b", 0, 3000),
        OrderChange("c", 0, 2000),
        OrderChange("d", 0, 1000),
    ]
    after = _apply(current, changes)
    assert plan_reorder(after, list("abdce"), moved={"d"}) == [OrderChange("d", 1000, 2500)]


def test_ties_are_never_left_in_the_plan() -> None:
    current = {"a": 7, "b": 7}
    changes = plan_reorder(current, ["b", "a"], moved={"b"})
    _assert_valid(current, ["b", "a"], changes)
    assert len(changes) == 1


def test_orders_near_the_uint32_ceiling_stay_in_range() -> None:
    current = {"a": MAX_ORDER, "b": MAX_ORDER - 1, "c": 5}
    changes = plan_reorder(current, ["c", "a", "b"], moved={"c"})
    _assert_valid(current, ["c", "a", "b"], changes)
    assert len(changes) == 2


def test_custom_step() -> None:
    changes = plan_reorder({"a": 0, "b": 0, "c": 0}, ["a", "b", "c"], step=10)
    assert [c.new_order for c in changes] == [20, 10]


def test_fixed_items_are_worked_around() -> None:
    current = {"console": 1, "a": 3, "b": 2}
    changes = plan_reorder(current, ["a", "b", "console"], fixed={"console"}, moved={"console"})
    assert "console" not in {c.id for c in changes}
    _assert_valid(current, ["a", "b", "console"], changes)


def test_fixed_items_that_would_have_to_move_raise_with_their_names() -> None:
    with pytest.raises(ReorderError) as raised:
        plan_reorder(
            {"x": 2, "y": 1},
            ["y", "x"],
            fixed={"x", "y"},
            labels={"x": "后台标签", "y": "老标签"},
        )
    assert "后台标签" in raised.value.zh or "老标签" in raised.value.zh
    assert "admin console" in str(raised.value)


@pytest.mark.parametrize(
    ("current", "desired"),
    [
        ({"a": 1, "b": 2}, ["a"]),
        ({"a": 1}, ["a", "b"]),
        ({"a": 1, "b": 2}, ["a", "a"]),
        ({"a": -1}, ["a"]),
        ({"a": MAX_ORDER + 1}, ["a"]),
    ],
)
def test_bad_input_is_refused(current: dict[str, int], desired: list[str]) -> None:
    with pytest.raises(ValueError):
        plan_reorder(current, desired)


def test_property_plans_are_valid_and_minimal() -> None:
    rnd = random.Random(20240611)
    for _ in range(400):
        count = rnd.randint(1, 6)
        ids = [f"t{i}" for i in range(count)]
        spread = rnd.choice([3, 10, 5000, MAX_ORDER])
        current = {item: rnd.randint(0, spread) for item in ids}
        desired = sorted(ids, key=lambda item: (-current[item], item))
        moved = rnd.sample(desired, rnd.randint(1, count))
        desired = move_rows(desired, moved, rnd.randint(0, count))
        if rnd.random() < 0.3:
            rnd.shuffle(desired)
        fixed = set(rnd.sample(ids, rnd.randint(0, min(2, count)))) if rnd.random() < 0.3 else set()
        orders = [current[item] for item in desired]
        fewest = _fewest_changes(orders, frozenset(desired.index(item) for item in fixed))
        if fewest is None:
            with pytest.raises(ReorderError):
                plan_reorder(current, desired, moved=moved, fixed=fixed)
            continue
        changes = plan_reorder(current, desired, moved=moved, fixed=fixed)
        _assert_valid(current, desired, changes)
        assert len(changes) == fewest, (current, desired, changes)
        assert not fixed & {change.id for change in changes}


def test_large_groups_plan_fast_and_valid() -> None:
    rnd = random.Random(5)
    ids = [f"t{i}" for i in range(3000)]
    current = {item: rnd.randint(0, 10_000) for item in ids}
    desired = ids[:]
    rnd.shuffle(desired)
    _assert_valid(current, desired, plan_reorder(current, desired))


def test_move_rows_uses_qt_drop_rows() -> None:
    items = ["a", "b", "c", "d"]
    assert move_rows(items, ["a"], 2) == ["b", "a", "c", "d"]
    assert move_rows(items, ["d"], 0) == ["d", "a", "b", "c"]
    assert move_rows(items, ["b"], 4) == ["a", "c", "d", "b"]
    assert move_rows(items, ["b"], 1) == items
    assert move_rows(items, ["d", "a"], 2) == ["b", "a", "d", "c"]


def test_move_rows_refuses_bad_rows_and_strangers() -> None:
    with pytest.raises(ValueError):
        move_rows(["a"], ["a"], 2)
    with pytest.raises(ValueError):
        move_rows(["a"], ["a"], -1)
    with pytest.raises(ValueError):
        move_rows(["a"], ["z"], 0)


def test_pins_are_a_plain_list() -> None:
    pins = move_rows(["etA", "etB", "etC"], ["etC"], 0)
    assert pin_positions(pins) == {"etC": 0, "etA": 1, "etB": 2}


INDUSTRY = GroupInfo("g1", "行业类型", 9, TagKind.CORP)


def _tags(*names_orders: tuple[str, str, int], app_owned: Sequence[str] = ()) -> list[TagInfo]:
    return [
        TagInfo(
            tag_id, name, "g1", "行业类型", order, TagKind.CORP, app_owned=tag_id not in app_owned
        )
        for tag_id, name, order in names_orders
    ]


def _rebuild(tree: TagTree, tags: list[TagInfo], changes: Sequence[OrderChange]) -> TagTree:
    new = {change.id: change.new_order for change in changes}
    updated = [
        TagInfo(
            t.id,
            t.name,
            t.group_id,
            t.group_name,
            new.get(t.id, t.order),
            t.kind,
            app_owned=t.app_owned,
        )
        for t in tags
    ]
    groups = [node.group for node in tree.walk() if node.group is not None]
    return build_tag_tree(groups, updated)


def _labels(tree: TagTree, key: str) -> list[str]:
    return [child.label for child in tree.node(key).children]


def test_tree_move_of_a_subtree_keeps_the_group_in_display_order() -> None:
    tags = _tags(
        ("t1", "教育", 0),
        ("t2", "教育/K12", 0),
        ("t3", "教育/K12/小学", 0),
        ("t4", "医疗", 0),
        ("t5", "金融/银行", 0),
    )
    tree = build_tag_tree([INDUSTRY], tags)
    assert _labels(tree, "group:g1") == ["医疗", "教育", "金融"]
    changes = plan_tree_move([tree.node("folder:g1/金融")], 0)
    after = _rebuild(tree, tags, changes)
    assert _labels(after, "group:g1") == ["金融", "医疗", "教育"]
    flat = sorted(tags, key=lambda t: -{c.id: c.new_order for c in changes}.get(t.id, t.order))
    assert [t.id for t in flat] == ["t5", "t4", "t1", "t2", "t3"]


def test_tree_move_among_nested_siblings_changes_one_tag_when_orders_are_tidy() -> None:
    tags = _tags(
        ("t1", "教育", 5000),
        ("t2", "教育/K12", 4000),
        ("t3", "教育/职业培训", 3000),
        ("t4", "教育/早教", 2000),
        ("t5", "医疗", 1000),
    )
    tree = build_tag_tree([INDUSTRY], tags)
    changes = plan_tree_move([tree.tag_node("t4")], 0)
    assert changes == [OrderChange("t4", 2000, 4500)]
    assert _labels(_rebuild(tree, tags, changes), "tag:t1") == ["早教", "K12", "职业培训"]


def test_tree_move_after_rebuild_shows_the_wanted_sequence() -> None:
    rnd = random.Random(99)
    names = ["a", "a/b", "a/c", "a/c/d", "e", "f/g", "f/h", "i", "i/j"]
    for _ in range(60):
        tags = _tags(*((f"t{i}", name, rnd.randint(0, 4)) for i, name in enumerate(names)))
        tree = build_tag_tree([INDUSTRY], tags)
        parent = rnd.choice(
            [node for node in tree.walk() if len(node.children) > 1 and node.level >= 1]
        )
        moving = rnd.choice(parent.children)
        row = rnd.randint(0, len(parent.children))
        wanted = [child.key for child in move_rows(parent.children, [moving], row)]
        after = _rebuild(tree, tags, plan_tree_move([moving], row))
        assert [child.key for child in after.node(parent.key).children] == wanted


def test_group_moves_among_groups() -> None:
    groups = [
        GroupInfo(f"g{i}", f"组{i}", order, TagKind.CORP) for i, order in enumerate([30, 20, 10])
    ]
    tree = build_tag_tree(groups, [])
    changes = plan_tree_move([tree.node("group:g2")], 0)
    assert changes == [OrderChange("g2", 10, 1030)]


def test_console_made_tags_stay_put_while_others_move_around_them() -> None:
    tags = _tags(("t1", "甲", 3000), ("t2", "乙", 2000), ("t3", "丙", 1000), app_owned=["t3"])
    tree = build_tag_tree([INDUSTRY], tags)
    changes = plan_tree_move([tree.tag_node("t3")], 0)
    assert "t3" not in {c.id for c in changes}
    assert _labels(_rebuild(tree, tags, changes), "group:g1") == ["丙", "甲", "乙"]


def test_console_made_tags_that_would_have_to_change_refuse_the_drop() -> None:
    tags = _tags(("t1", "甲", 3), ("t2", "乙", 2), ("t3", "丙", 1), app_owned=["t3"])
    tree = build_tag_tree([INDUSTRY], tags)
    with pytest.raises(ReorderError) as raised:
        plan_tree_move([tree.tag_node("t3")], 0)
    assert "（丙）" in raised.value.zh


def test_personal_tags_sections_and_strangers_cannot_be_moved() -> None:
    mine = GroupInfo("p1", "我的标签", 0, TagKind.PERSONAL)
    personal = [TagInfo("pt1", "爱喝茶", "p1", "我的标签", 0, TagKind.PERSONAL)]
    tags = _tags(("t1", "甲", 2), ("t2", "乙/丙", 1))
    tree = build_tag_tree([INDUSTRY, mine], tags + personal)
    with pytest.raises(ReorderError) as raised:
        plan_tree_move([tree.tag_node("pt1")], 0)
    assert "个人标签" in raised.value.zh
    with pytest.raises(ReorderError):
        plan_tree_move([tree.node("section:corp")], 0)
    with pytest.raises(ValueError, match="siblings"):
        plan_tree_move([tree.tag_node("t1"), tree.tag_node("t2")], 0)
    assert plan_tree_move([], 0) == []
