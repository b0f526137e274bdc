"""Drag-to-reorder as the fewest WeCom `order` edits.

WeCom's `order` is a uint32 and larger sorts first; there is no bulk reorder, so every changed
item costs one `edit_corp_tag` call. `plan_reorder` keeps as many items as possible at their
current order and gives new values only to the rest: a dragged item that lands between two
neighbours with room between them is the only change; where there is no room, a run of items is
renumbered with spacing (steps of 1000 where possible) so later drags find room again.

The planned orders are strictly decreasing along the wanted sequence. Equal orders are not
trusted: WeCom's phones break ties in their own undocumented way, so a group whose tags all
share order 0 is renumbered once on the first drag (after that a drag costs one call).

Items WeCom will not let TagDesk edit (console-made tags, 81011) can be passed as `fixed`: the
plan then works around them or raises `ReorderError` when the wanted sequence needs them moved.

Pins (favourites) are local and plain: `move_rows` gives the new list, positions 0..n-1.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeVar

from desktop.domain.errors import UserError
from desktop.domain.tag_tree import PERSONAL_READ_ONLY, NodeKind, TagNode, descendant_tag_ids

MAX_ORDER = 2**32 - 1
DEFAULT_STEP = 1000

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class OrderChange:
    """One `edit_corp_tag` / `edit_strategy_tag` call: set `id`'s order to `new_order`."""

    id: str
    old_order: int
    new_order: int


class ReorderError(UserError, ValueError):
    """A drop that WeCom cannot carry out; `zh` and `en` say why, for the status bar."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh, en)
        self.zh = zh
        self.en = en


def move_rows(items: Sequence[T], moving: Collection[T], row: int) -> list[T]:
    """`items` after dropping `moving` (kept in their current order) before index `row`.

    `row` counts in the list before the move, as Qt's `dropMimeData` reports it; `len(items)`
    means "at the end".
    """
    if not 0 <= row <= len(items):
        raise ValueError(f"row {row} is outside 0..{len(items)}")
    missing = [item for item in moving if item not in items]
    if missing:
        raise ValueError(f"not in the list: {missing!r}")
    moved = [item for item in items if item in moving]
    before = [item for item in items[:row] if item not in moving]
    after = [item for item in items[row:] if item not in moving]
    return before + moved + after


def pin_positions(pins: Sequence[str]) -> dict[str, int]:
    """Positions 0..n-1 to store for a list of pinned tag ids."""
    return {tag_id: position for position, tag_id in enumerate(pins)}


def plan_reorder(
    current: Mapping[str, int],
    desired: Sequence[str],
    *,
    moved: Collection[str] = (),
    fixed: Collection[str] = (),
    labels: Mapping[str, str] | None = None,
    step: int = DEFAULT_STEP,
) -> list[OrderChange]:
    """The fewest order changes after which sorting by order desc gives `desired`.

    `current` maps every id to its order; `desired` lists the same ids in the wanted sequence.
    Among equally small plans the one that changes the `moved` ids (the dragged items) is
    preferred. Ids in `fixed` are never changed; `labels` names ids in the error message.
    Changes come in `desired` order.
    """
    _check_same_ids(current, desired)
    orders = [current[item] for item in desired]
    for item, order in zip(desired, orders, strict=True):
        if not 0 <= order <= MAX_ORDER:
            raise ValueError(f"order {order} of {item!r} is outside uint32")
    kept = _kept_positions(orders, [_weight(item, len(desired), moved, fixed) for item in desired])
    blocked = [item for index, item in enumerate(desired) if item in fixed and index not in kept]
    if blocked:
        names = "、".join((labels or {}).get(item, item) for item in blocked)
        raise ReorderError(
            f"这样排序需要改动管理后台或其他应用创建的项目（{names}），企业微信不允许，请换个位置。",
            f"This order needs a change to items created in the admin console or by another app "
            f"({names}), which WeCom refuses; drop it somewhere else.",
        )
    new_orders = _fill(orders, sorted(kept), step)
    return [
        OrderChange(item, old, new)
        for item, old, new in zip(desired, orders, new_orders, strict=True)
        if old != new
    ]


def plan_tree_move(
    nodes: Sequence[TagNode], row: int, *, step: int = DEFAULT_STEP
) -> list[OrderChange]:
    """Order changes for dropping sibling `nodes` before `row` of their parent's children.

    Groups move among the groups of their section (or rule group). Tags and folders move among
    their siblings and carry their subtrees along; the plan covers the whole group so that its
    flat order (what phones show) follows the tree's display order. Console-made items may be
    dragged too: the plan then moves the items around them instead (`ReorderError` if it can't).
    Personal tags, sections and rule groups cannot be moved.
    """
    if not nodes:
        return []
    for node in nodes:
        _check_movable(node)
    parent = nodes[0].parent
    if parent is None or any(node.parent is not parent for node in nodes):
        raise ValueError("only siblings can be moved together")
    siblings = move_rows(parent.children, nodes, row)
    if nodes[0].kind is NodeKind.GROUP:
        groups = [node.group for node in siblings if node.group is not None]
        return plan_reorder(
            {group.id: group.order for group in groups},
            [group.id for group in groups],
            moved={node.group.id for node in nodes if node.group is not None},
            fixed={group.id for group in groups if not group.app_owned},
            labels={group.id: group.name for group in groups},
            step=step,
        )
    group_node = parent
    while group_node.kind is not NodeKind.GROUP:
        assert group_node.parent is not None, "tag nodes always sit below a group"
        group_node = group_node.parent
    replaced = {id(parent): siblings}
    desired = [node.tag for node in _preorder_with(group_node, replaced) if node.tag is not None]
    moved_ids = {tag_id for moving in nodes for tag_id in descendant_tag_ids(moving)}
    return plan_reorder(
        {tag.id: tag.order for tag in desired},
        [tag.id for tag in desired],
        moved=moved_ids,
        fixed={tag.id for tag in desired if not tag.app_owned},
        labels={tag.id: tag.name for tag in desired},
        step=step,
    )


def _check_movable(node: TagNode) -> None:
    if node.kind in (NodeKind.SECTION, NodeKind.STRATEGY):
        raise ReorderError(
            "分区和规则组的位置是固定的。", "Sections and rule groups stay in place."
        )
    if node.restriction is PERSONAL_READ_ONLY:
        raise ReorderError(PERSONAL_READ_ONLY.zh, PERSONAL_READ_ONLY.en)


def _check_same_ids(current: Mapping[str, int], desired: Sequence[str]) -> None:
    if len(set(desired)) != len(desired):
        raise ValueError("the wanted sequence lists an id twice")
    if set(desired) != set(current):
        raise ValueError("the wanted sequence must list exactly the current ids")


def _weight(item: str, count: int, moved: Collection[str], fixed: Collection[str]) -> int:
    """Keeping a fixed item beats any number of others; then more kept beats fewer; then prefer
    keeping items that were not dragged."""
    per_item = count + 1
    per_fixed = (count + 1) * (per_item + 1)
    return per_fixed * (item in fixed) + per_item + (item not in moved)


def _kept_positions(orders: list[int], weights: list[int]) -> set[int]:
    """Heaviest set of positions that can keep their order.

    Kept positions i < j leave room for the j - i - 1 items between them exactly when
    orders[i] - orders[j] >= j - i, i.e. when orders[i] + i >= orders[j] + j. The first kept item
    needs room for the items above it (orders[i] + i <= MAX_ORDER) and the last for those below
    (orders[j] + j >= n - 1). So the kept set is a heaviest non-increasing subsequence of
    orders[i] + i, found with a Fenwick tree of prefix maxima in O(n log n).
    """
    count = len(orders)
    slack = [order + index for index, order in enumerate(orders)]
    rank_of = {value: rank for rank, value in enumerate(sorted(set(slack), reverse=True), 1)}
    tree: list[tuple[int, int]] = [(0, -1)] * (len(rank_of) + 1)
    best: list[tuple[int, int]] = [(0, -1)] * count
    for index, value in enumerate(slack):
        if not count - 1 <= value <= MAX_ORDER:
            continue
        rank = rank_of[value]
        prior = (0, -1)
        position = rank
        while position > 0:
            prior = max(prior, tree[position])
            position -= position & -position
        best[index] = (prior[0] + weights[index], prior[1])
        entry = (best[index][0], index)
        position = rank
        while position <= len(rank_of):
            tree[position] = max(tree[position], entry)
            position += position & -position
    end = max(range(count), key=lambda i: best[i][0], default=-1)
    kept: set[int] = set()
    while end >= 0 and best[end][0] > 0:
        kept.add(end)
        end = best[end][1]
    return kept


def _fill(orders: list[int], kept: list[int], step: int) -> list[int]:
    """New orders: kept positions unchanged, each run between them spread out."""
    result = list(orders)
    anchors = [-1, *kept, len(orders)]
    for upper, lower in pairwise(anchors):
        run = list(range(upper + 1, lower))
        if not run:
            continue
        high = orders[upper] if upper >= 0 else None
        low = orders[lower] if lower < len(orders) else None
        for index, value in zip(run, _spread(high, low, len(run), step), strict=True):
            result[index] = value
    return result


def _spread(high: int | None, low: int | None, count: int, step: int) -> list[int]:
    """`count` strictly decreasing values strictly between `high` and `low` (None = no bound)."""
    if high is None and low is not None and low + step * count <= MAX_ORDER:
        return [low + step * (count - offset) for offset in range(count)]
    if low is None and high is not None and high - step * count >= 0:
        return [high - step * (offset + 1) for offset in range(count)]
    if high is None and low is None and step * count <= MAX_ORDER:
        return [step * (count - offset) for offset in range(count)]
    top = MAX_ORDER + 1 if high is None else high
    bottom = -1 if low is None else low
    gap = top - bottom
    return [top - gap * (offset + 1) // (count + 1) for offset in range(count)]


def _preorder_with(node: TagNode, replaced: Mapping[int, list[TagNode]]) -> list[TagNode]:
    """Pre-order of `node`'s subtree, with some nodes' children replaced by a new sequence."""
    nodes = [node]
    for child in replaced.get(id(node), node.children):
        nodes.extend(_preorder_with(child, replaced))
    return nodes


def wanted_order(
    container: TagNode, nodes: list[TagNode], new_children: list[TagNode]
) -> tuple[list[str], str | None]:
    """The full id sequence to send after `nodes` moved so that `container` has
    `new_children`, and the group it is for: all groups of the section or rule group (group
    None), or all tags of the group in tree order."""
    if nodes[0].kind is NodeKind.GROUP:
        return [child.group.id for child in new_children if child.group], None
    group = container
    while group.kind is not NodeKind.GROUP:
        assert group.parent is not None, "tags always sit below a group"
        group = group.parent
    assert group.group is not None
    ordered: list[str] = []

    def walk(node: TagNode) -> None:
        if node.tag is not None:
            ordered.append(node.tag.id)
        for child in new_children if node is container else node.children:
            walk(child)

    walk(group)
    return ordered, group.group.id


def moved_ids(node: TagNode) -> list[str]:
    """What moving `node` moves: a group's id, or the tags at and below a tag or folder."""
    if node.kind is NodeKind.GROUP and node.group:
        return [node.group.id]
    return [item.tag.id for item in _preorder_with(node, {}) if item.tag]
