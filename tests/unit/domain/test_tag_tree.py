"""The tag tree: sections, group sorting, path nesting, virtual folders, depth limit, counts."""

from __future__ import annotations

import pytest

from desktop.domain.tag_tree import (
    CONSOLE_RULE_GROUP,
    NOT_APP_OWNED,
    PERSONAL_READ_ONLY,
    NodeKind,
    TagNode,
    TagTree,
    build_tag_tree,
    descendant_tag_ids,
)
from desktop.domain.tags import GroupInfo, TagInfo, TagKind

INDUSTRY = GroupInfo("etIndustry", "行业类型", 10, TagKind.CORP)


def _tag(
    tag_id: str,
    name: str,
    order: int = 0,
    *,
    group: GroupInfo = INDUSTRY,
    count: int = 0,
    app_owned: bool = True,
) -> TagInfo:
    return TagInfo(
        tag_id,
        name,
        group.id,
        group.name,
        order,
        group.kind,
        relation_count=count,
        app_owned=app_owned,
        strategy_id=group.strategy_id,
    )


def _shape(node: TagNode) -> object:
    """A node as (label, [children...]) for compact assertions."""
    if not node.children:
        return node.label
    return (node.label, [_shape(child) for child in node.children])


def _group(tree: TagTree, group: GroupInfo = INDUSTRY) -> TagNode:
    return tree.node(f"group:{group.id}")


def test_paths_nest_under_their_parent_tags() -> None:
    tags = [
        _tag("t1", "教育", 50),
        _tag("t2", "教育/K12", 40),
        _tag("t3", "教育/K12/小学", 30),
        _tag("t4", "教育/职业培训", 20),
        _tag("t5", "医疗", 10),
    ]
    tree = build_tag_tree([INDUSTRY], tags)
    assert _shape(_group(tree)) == (
        "行业类型",
        [("教育", [("K12", ["小学"]), "职业培训"]), "医疗"],
    )
    k12 = tree.tag_node("t2")
    assert (k12.key, k12.label, k12.full_name, k12.level) == ("tag:t2", "K12", "教育/K12", 3)
    assert k12.parent is tree.tag_node("t1")
    assert tree.tag_node("t3").level == 4
    assert tree.tag_node("t1").level == 2


def test_missing_parent_becomes_a_virtual_folder() -> None:
    tree = build_tag_tree([INDUSTRY], [_tag("t1", "金融/银行", 5), _tag("t2", "金融/保险", 3)])
    folder = tree.node("folder:etIndustry/金融")
    assert folder.kind is NodeKind.FOLDER and folder.is_virtual
    assert folder.tag is None
    assert (folder.label, folder.full_name, folder.level) == ("金融", "金融", 2)
    assert [child.label for child in folder.children] == ["银行", "保险"]
    assert folder.parent is _group(tree)


def test_nested_virtual_folders_keep_the_tree_complete() -> None:
    tree = build_tag_tree([INDUSTRY], [_tag("t1", "教育/K12/小学/一年级")])
    assert _shape(_group(tree)) == ("行业类型", [("教育", [("K12", [("小学", ["一年级"])])])])
    assert tree.node("folder:etIndustry/教育/K12/小学").level == 4
    assert tree.tag_node("t1").level == 5
    assert not tree.tag_node("t1").too_deep


def test_deeper_names_are_flattened_at_level_five_and_flagged() -> None:
    tree = build_tag_tree([INDUSTRY], [_tag("t1", "a/b/c/d/e/f"), _tag("t2", "a/b/c/d", 1)])
    deep = tree.tag_node("t1")
    assert deep.too_deep
    assert (deep.label, deep.level, deep.full_name) == ("d/e/f", 5, "a/b/c/d/e/f")
    assert deep.parent is tree.node("folder:etIndustry/a/b/c")
    assert [child.label for child in deep.parent.children] == ["d", "d/e/f"]
    assert not tree.tag_node("t2").too_deep
    assert max(node.level for node in tree.walk()) == 5


def test_sloppy_paths_are_placed_by_their_clean_segments() -> None:
    tree = build_tag_tree(
        [INDUSTRY], [_tag("t1", "教育", 9), _tag("t2", "教育 // K12", 5), _tag("t3", "/医疗/")]
    )
    assert tree.tag_node("t2").parent is tree.tag_node("t1")
    assert tree.tag_node("t2").label == "K12"
    assert tree.tag_node("t3").label == "医疗"
    assert tree.tag_node("t3").parent is _group(tree)


def test_two_names_with_the_same_path_both_show() -> None:
    tree = build_tag_tree(
        [INDUSTRY],
        [_tag("t1", "教育/K12", 9), _tag("t2", "教育 / K12", 5), _tag("t3", "教育/K12/小学")],
    )
    folder = tree.node("folder:etIndustry/教育")
    assert [child.key for child in folder.children] == ["tag:t1", "tag:t2"]
    assert tree.tag_node("t3").parent is tree.tag_node("t1")


def test_siblings_sort_by_order_desc_then_label() -> None:
    tags = [
        _tag("t1", "b", 1),
        _tag("t2", "a", 1),
        _tag("t3", "z", 9),
        _tag("t4", "教育/K12", 3),
        _tag("t5", "教育/小学", 7),
    ]
    tree = build_tag_tree([INDUSTRY], tags)
    group = _group(tree)
    assert [child.label for child in group.children] == ["z", "教育", "a", "b"]
    assert [child.row for child in group.children] == [0, 1, 2, 3]
    folder = tree.node("folder:etIndustry/教育")
    assert folder.order == 7
    assert [child.label for child in folder.children] == ["小学", "K12"]


def test_groups_sort_by_order_desc_then_name() -> None:
    groups = [
        GroupInfo("g1", "B组", 1, TagKind.CORP),
        GroupInfo("g2", "A组", 1, TagKind.CORP),
        GroupInfo("g3", "C组", 5, TagKind.CORP),
    ]
    tree = build_tag_tree(groups, [])
    assert [child.label for child in tree.node("section:corp").children] == ["C组", "A组", "B组"]
    assert [child.row for child in tree.node("section:corp").children] == [0, 1, 2]


def test_sections_rule_groups_and_personal_tags() -> None:
    east = GroupInfo("sg1", "华东阶段", 1, TagKind.STRATEGY, strategy_id=7)
    south = GroupInfo("sg2", "华南阶段", 1, TagKind.STRATEGY, strategy_id=3)
    mine = GroupInfo("pg1", "我的标签", 0, TagKind.PERSONAL)
    tags = [
        _tag("t1", "教育", group=INDUSTRY),
        _tag("s1", "已报价", group=east),
        _tag("s2", "已报价", group=south),
        _tag("p1", "爱喝茶", group=mine),
    ]
    tree = build_tag_tree([INDUSTRY, east, south, mine], tags, strategy_names={7: "华东"})
    assert [root.key for root in tree.roots] == [
        "section:corp",
        "section:strategy",
        "section:personal",
    ]
    assert [root.label for root in tree.roots] == ["企业标签", "规则组标签", "个人标签"]
    assert [root.row for root in tree.roots] == [0, 1, 2]
    strategies = tree.node("section:strategy").children
    assert [(node.key, node.label) for node in strategies] == [
        ("strategy:7", "华东"),
        ("strategy:3", "规则组 3"),
    ]
    assert tree.tag_node("s1").parent is tree.node("group:sg1")
    assert tree.node("group:sg1").parent is tree.node("strategy:7")
    assert tree.tag_node("p1").section is TagKind.PERSONAL
    assert tree.node("group:sg1").level == 1


def test_empty_sections_are_left_out() -> None:
    tree = build_tag_tree([INDUSTRY], [_tag("t1", "教育")])
    assert [root.key for root in tree.roots] == ["section:corp"]
    assert build_tag_tree([], []).roots == []


def test_groups_missing_from_the_list_are_made_from_their_tags() -> None:
    other = GroupInfo("etOther", "客户等级", 0, TagKind.CORP)
    tree = build_tag_tree([], [_tag("t1", "VIP", group=other)])
    group = tree.node("group:etOther")
    assert group.label == "客户等级"
    assert group.group is not None and group.group.kind is TagKind.CORP


def test_empty_groups_are_shown() -> None:
    tree = build_tag_tree([INDUSTRY], [])
    assert _group(tree).children == []


def test_personal_tags_are_read_only_with_a_reason() -> None:
    mine = GroupInfo("pg1", "我的标签", 0, TagKind.PERSONAL)
    tree = build_tag_tree([mine], [_tag("p1", "茶/绿茶", group=mine)])
    for key in ("group:pg1", "folder:pg1/茶", "tag:p1"):
        assert tree.node(key).restriction is PERSONAL_READ_ONLY
    assert "不允许应用修改" in PERSONAL_READ_ONLY.zh
    assert "does not let apps" in PERSONAL_READ_ONLY.en


def test_console_made_tags_explain_81011() -> None:
    console_group = GroupInfo("etC", "后台组", 0, TagKind.CORP, app_owned=False)
    tree = build_tag_tree(
        [INDUSTRY, console_group],
        [
            _tag("t1", "教育", app_owned=False),
            _tag("t2", "医疗"),
            _tag("t3", "x", group=console_group),
        ],
    )
    assert tree.tag_node("t1").restriction is NOT_APP_OWNED
    assert tree.tag_node("t2").restriction is None
    assert tree.node("group:etC").restriction is NOT_APP_OWNED
    assert _group(tree).restriction is None
    assert "81011" in NOT_APP_OWNED.zh and "81011" in NOT_APP_OWNED.en


def test_a_console_made_rule_group_is_locked_as_a_whole() -> None:
    console = GroupInfo("stC", "客服-工单类型", 0, TagKind.STRATEGY, 4, app_owned=False)
    own = GroupInfo("stN", "华北-跟进阶段", 0, TagKind.STRATEGY, 1)
    tree = build_tag_tree(
        [console, own],
        [_tag("s1", "咨询", group=console, app_owned=False), _tag("s2", "初访", group=own)],
        strategy_names={1: "华北区域", 4: "客服部规则组"},
    )
    for key in ("strategy:4", "group:stC", "tag:s1"):
        assert tree.node(key).restriction is CONSOLE_RULE_GROUP
    for key in ("strategy:1", "group:stN", "tag:s2"):
        assert tree.node(key).restriction is None
    assert "81011" in CONSOLE_RULE_GROUP.zh and "admin console" in CONSOLE_RULE_GROUP.en


def test_relation_counts_roll_up_not_distinct() -> None:
    tags = [
        _tag("t1", "教育/K12", count=5),
        _tag("t2", "教育/K12/小学", count=3),
        _tag("t3", "教育/职业培训", count=2),
        _tag("t4", "医疗", count=7),
    ]
    tree = build_tag_tree([INDUSTRY], tags)
    assert tree.node("folder:etIndustry/教育").relation_count == 10
    assert tree.tag_node("t1").relation_count == 5
    assert tree.tag_node("t1").subtree_relation_count == 8
    assert _group(tree).relation_count == 17
    assert tree.node("section:corp").relation_count == 17


def test_descendant_tag_ids_in_display_order() -> None:
    tags = [
        _tag("t1", "教育", 9),
        _tag("t2", "教育/K12", 8),
        _tag("t3", "教育/K12/小学", 7),
        _tag("t4", "教育/职业培训", 6),
        _tag("t5", "医疗", 5),
    ]
    tree = build_tag_tree([INDUSTRY], tags)
    assert descendant_tag_ids(tree.tag_node("t1")) == ["t1", "t2", "t3", "t4"]
    assert descendant_tag_ids(tree.tag_node("t1"), include_self=False) == ["t2", "t3", "t4"]
    assert descendant_tag_ids(tree.tag_node("t3")) == ["t3"]
    assert descendant_tag_ids(_group(tree)) == ["t1", "t2", "t3", "t4", "t5"]


def test_descendants_of_a_virtual_folder() -> None:
    tree = build_tag_tree([INDUSTRY], [_tag("t1", "金融/银行", 2), _tag("t2", "金融/保险", 1)])
    assert descendant_tag_ids(tree.node("folder:etIndustry/金融")) == ["t1", "t2"]


def test_lookup_by_key() -> None:
    tree = build_tag_tree([INDUSTRY], [_tag("t1", "金融/银行")])
    assert tree.get("tag:t1") is tree.tag_node("t1")
    assert tree.get("tag:missing") is None
    with pytest.raises(KeyError):
        tree.node("group:missing")
    assert len(tree) == 4
    assert [node.key for node in tree.walk()] == [
        "section:corp",
        "group:etIndustry",
        "folder:etIndustry/金融",
        "tag:t1",
    ]


def test_keys_are_stable_across_rebuilds() -> None:
    tags = [_tag("t1", "金融/银行", 3), _tag("t2", "教育", 1)]
    first = [node.key for node in build_tag_tree([INDUSTRY], tags).walk()]
    second = [node.key for node in build_tag_tree([INDUSTRY], list(reversed(tags))).walk()]
    assert first == second


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="tag:t1"):
        build_tag_tree([INDUSTRY], [_tag("t1", "a"), _tag("t1", "b")])
    with pytest.raises(ValueError, match="given twice"):
        build_tag_tree([INDUSTRY, INDUSTRY], [])


def test_two_thousand_tags_build_quickly() -> None:
    groups = [GroupInfo(f"g{g}", f"组{g}", g, TagKind.CORP) for g in range(40)]
    tags = [
        _tag(f"t{i}", f"类{i % 7}/子{i % 13}/项{i}", i, group=groups[i % 40]) for i in range(2000)
    ]
    tree = build_tag_tree(groups, tags)
    assert sum(1 for node in tree.walk() if node.kind is NodeKind.TAG) == 2000
