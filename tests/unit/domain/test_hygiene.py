"""The tag health analysis: duplicates, zombies, conflicts, risky names, empty groups, capacity."""

from __future__ import annotations

import time

from desktop.domain.hygiene import (
    DAY_S,
    ConflictKind,
    DuplicateReason,
    GroupStat,
    HygieneSettings,
    RelationTags,
    RiskKind,
    TagStat,
    ZombieReason,
    analyse,
    find_conflicts,
    find_duplicates,
    fold_name,
)
from desktop.domain.retag_plan import ExclusiveSet
from desktop.domain.tags import TagKind

NOW = 1_800_000_000.0


def _tag(tag_id: str, name: str, group: str = "g1", count: int = 5,
         last: float = NOW, raw: str = "") -> TagStat:
    return TagStat(tag_id, name, group, group.upper(), TagKind.CORP, count, last, raw or name)


def _reasons(tags: list[TagStat]) -> dict[frozenset[str], DuplicateReason]:
    return {frozenset(d.tag_ids): d.reason for d in find_duplicates(tags)}


def test_fold_name_folds_width_case_spaces_and_traditional_characters() -> None:
    assert fold_name("ＶＩＰ  客户 ") == fold_name("vip 客户")
    assert fold_name("高意嚮客戶") == "高意向客户"
    assert fold_name("電話諮詢") == fold_name("电话咨询")


def test_duplicates_across_groups_by_name_pinyin_similarity_and_containment() -> None:
    found = _reasons([
        _tag("a", "电话咨询", "g1"), _tag("b", "電話諮詢", "g2"),
        _tag("c", "官网咨询", "g1"), _tag("d", "官网资询", "g3"),
        _tag("e", "高意向", "g1"), _tag("f", "高意向客户", "g4"),
        _tag("h", "Premium Customer", "g1"), _tag("i", "Premium Custmer", "g5"),
    ])
    assert found[frozenset("ab")] is DuplicateReason.SAME_NAME
    assert found[frozenset("cd")] is DuplicateReason.SAME_PINYIN
    assert found[frozenset("ef")] is DuplicateReason.CONTAINS
    assert found[frozenset("hi")] is DuplicateReason.SIMILAR


def test_a_name_ending_one_twice_its_length_is_a_kind_of_it_not_a_duplicate() -> None:
    found = _reasons([
        _tag("a", "咨询", "g1"), _tag("b", "官网咨询", "g2"), _tag("c", "電話諮詢", "g3"),
        _tag("d", "复购", "g4"), _tag("e", "复购客户", "g5"),
    ])
    assert frozenset("ab") not in found and frozenset("ac") not in found
    assert found[frozenset("de")] is DuplicateReason.CONTAINS


def test_siblings_and_short_contained_names_are_not_duplicates() -> None:
    found = _reasons([
        _tag("a", "高意向", "g1"), _tag("b", "中意向", "g1"), _tag("c", "低意向", "g1"),
        _tag("d", "展会", "g2"), _tag("e", "2025秋季展会", "g3"),
    ])
    assert found == {}


def test_a_cluster_of_three_is_one_finding() -> None:
    found = find_duplicates([_tag("a", "VIP", "g1"), _tag("b", "ＶＩＰ", "g2"),
                             _tag("c", "vip", "g3")])
    assert [(set(d.tag_ids), d.reason) for d in found] == [({"a", "b", "c"},
                                                            DuplicateReason.SAME_NAME)]


def test_zombies_are_unused_or_stale() -> None:
    report = analyse(
        [_tag("unused", "旧活动", count=0), _tag("stale", "老带新", last=NOW - 91 * DAY_S),
         _tag("fresh", "新品", last=NOW - 89 * DAY_S)],
        [GroupStat("g1", "G1", TagKind.CORP, 3)], now=NOW,
    )
    assert {(z.tag_id, z.reason) for z in report.zombies} == {
        ("unused", ZombieReason.UNUSED), ("stale", ZombieReason.STALE)}
    shorter = analyse([_tag("fresh", "新品", last=NOW - 31 * DAY_S)], [], now=NOW,
                      settings=HygieneSettings(zombie_days=30))
    assert [z.tag_id for z in shorter.zombies] == ["fresh"]


def test_conflicts_on_one_relation_and_across_followers() -> None:
    sets = [ExclusiveSet("成交状态", frozenset({"won", "lost"}))]
    found = find_conflicts([
        RelationTags("wm1", "zhang", frozenset({"won", "lost"})),
        RelationTags("wm2", "zhang", frozenset({"won"})),
        RelationTags("wm2", "li", frozenset({"lost"})),
        RelationTags("wm3", "zhang", frozenset({"won"})),
        RelationTags("wm3", "li", frozenset({"won"})),
    ], sets)
    assert [(c.external_userid, c.kind, c.tag_ids, c.userids) for c in found] == [
        ("wm1", ConflictKind.RELATION, ("lost", "won"), ("zhang",)),
        ("wm2", ConflictKind.CROSS_FOLLOWER, ("lost", "won"), ("li", "zhang")),
    ]
    assert find_conflicts([RelationTags("wm1", "zhang", frozenset({"won", "lost"}))], []) == []


def test_risky_names_deep_paths_empty_groups_personal_duplicates_and_capacity() -> None:
    tags = [
        _tag("space", " 老带新 ", raw=" 老带新 "),
        _tag("special", "回馈#专场"),
        _tag("long", "二零二三年老客户回馈专场活动名单"),
        _tag("deep", "区域/华东/江苏/苏州/园区"),
        _tag("ok", "区域/华东/江苏/苏州"),
        _tag("idle", "春节礼盒", "g2", count=0),
        *[_tag(f"t{i}", f"批量{i}", "big") for i in range(9)],
    ]
    groups = [GroupStat("g1", "G1", TagKind.CORP, 5), GroupStat("g2", "G2", TagKind.CORP, 1),
              GroupStat("big", "BIG", TagKind.CORP, 9)]
    report = analyse(tags, groups, personal={"老带新": 3, "爱喝茶": 9}, now=time.time(),
                     settings=HygieneSettings(corp_tag_cap=30, group_tag_cap=10))
    risky = {r.tag_id: r.kinds for r in report.risky_names}
    assert risky == {"space": (RiskKind.SPACES,), "special": (RiskKind.SPECIAL,),
                     "long": (RiskKind.LONG,)}
    assert report.deep_paths == ("deep",)
    assert report.empty_groups == ("g2",)
    assert [(p.name, p.relations, p.tag_ids) for p in report.personal_duplicates] == [
        ("老带新", 3, ("space",))]
    capacity = report.capacity.as_json()
    assert capacity["tags_used"] == 15 and capacity["corp_cap"] == 30
    assert capacity["share"] == 0.5
    near_cap = capacity["groups_near_cap"]
    assert isinstance(near_cap, list) and [g["group_id"] for g in near_cap] == ["big"]


def test_the_json_report_keeps_its_interface_fields() -> None:
    sets = [ExclusiveSet("成交状态", frozenset({"won", "lost"}))]
    report = analyse([_tag("a", "高意向", "g1"), _tag("b", "高意向客户", "g2", count=0)],
                     [GroupStat("g1", "G1", TagKind.CORP, 1)], exclusive_sets=sets,
                     relations=[RelationTags("wm1", "u", frozenset({"won", "lost"}))], now=NOW)
    data = report.as_json()
    assert data["duplicates"] == [{"tags": ["a", "b"], "reason": "contains"}]
    assert data["zombies"] == ["b"]
    assert data["conflicts"] == [{"external_userid": "wm1", "tags": ["lost", "won"],
                                  "kind": "relation", "set": "成交状态", "userids": ["u"]}]
    assert isinstance(data["capacity"], dict)
    assert set(data["capacity"]) >= {"tags_used", "corp_cap", "groups_near_cap"}


def test_a_thousand_tags_are_checked_for_duplicates_quickly() -> None:
    tags = [_tag(f"t{i}", f"标签{i:04d}号", f"g{i % 40}") for i in range(1000)]
    started = time.perf_counter()
    find_duplicates(tags)
    assert time.perf_counter() - started < 20  # bounded: a pathological slowdown fails


def test_the_library_gauge_counts_settable_tags_and_full_groups() -> None:
    from desktop.domain.hygiene import library_capacity
    from desktop.domain.tags import GroupInfo, TagInfo

    tags = [TagInfo(f"t{i}", f"标签{i}", "big", "BIG", 0, TagKind.CORP) for i in range(9)]
    tags += [TagInfo("p", "爱喝茶", "personal:", "我的", 0, TagKind.PERSONAL)]
    groups = [GroupInfo("big", "BIG", 0, TagKind.CORP), GroupInfo("personal:", "我的", 0,
                                                                   TagKind.PERSONAL)]
    gauge = library_capacity(tags, groups, HygieneSettings(corp_tag_cap=20, group_tag_cap=10))
    assert gauge.tags_used == 9 and gauge.share == 0.45
    assert [(g.name, g.tags) for g in gauge.groups_near_cap] == [("BIG", 9)]
