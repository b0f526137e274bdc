"""Resolving filter names against a catalogue: tags, groups, members, departments, dates."""

from __future__ import annotations

from datetime import UTC, date, timedelta, timezone

import pytest

from desktop.domain.filter import (
    AmbiguousDepartmentError,
    AmbiguousOwnerError,
    AmbiguousTagError,
    ChannelEntry,
    DepartmentEntry,
    FilterCatalogue,
    GroupEntry,
    MemberEntry,
    TagEntry,
    UnknownDepartmentError,
    UnknownGroupError,
    UnknownOwnerError,
    UnknownTagError,
    parse,
    resolve,
)
from desktop.domain.filter.plan import (
    AllRelations,
    CreatedLeaf,
    OwnerLeaf,
    Plan,
    PlanAnd,
    PlanNot,
    PlanOr,
    StateLeaf,
    TagCountLeaf,
    TagLeaf,
    TextLeaf,
)
from desktop.domain.filter.resolve import local_timestamp
from desktop.domain.filter.suggest import NameSuggester, fold, full_pinyin

GROUPS = {"g1": "客户等级", "g2": "复购", "g3": "行业类型", "g4": "意向", "g5": "空组",
          "g6": "客户 等级"}
TAGS = [
    (1, "VIP", "g1"), (2, "普通", "g1"), (3, "VIP", "g2"), (4, "三次复购客户", "g2"),
    (5, "教育", "g3"), (6, "教育/K12", "g3"), (7, "教育/K12/小学", "g3"), (8, "教育/职业培训", "g3"),
    (9, "金融/银行", "g3"), (10, "教育家", "g3"), (11, "高意向", "g4"), (12, "低意向", "g4"),
    (13, "Ｖｉｐ Plus", "g4"), (14, "教育/成人", "g1"), (15, "VIP 1", "g6"),
]


@pytest.fixture(scope="module")
def catalogue() -> FilterCatalogue:
    return FilterCatalogue(
        tags=[TagEntry(pk, name, gid, GROUPS[gid]) for pk, name, gid in TAGS],
        groups=[GroupEntry(gid, name) for gid, name in GROUPS.items()],
        members=[
            MemberEntry("zhangsan", "张三", (2,)), MemberEntry("ZhangSan2", "张三", (3,)),
            MemberEntry("lisi", "李四", (3,)), MemberEntry("wangwu", "王五", (4, 2)),
            MemberEntry("zhaoliu", "赵六", (5,)), MemberEntry("former", ""),
        ],
        departments=[
            DepartmentEntry(1, "总部", 0), DepartmentEntry(2, "华东", 1),
            DepartmentEntry(3, "销售一部", 2), DepartmentEntry(4, "华南", 1),
            DepartmentEntry(5, "销售一部", 4), DepartmentEntry(6, "空部门", 1),
        ],
        channels=[ChannelEntry("expo2026", "展会A"), ChannelEntry("expo2026b", "展会A"),
                  ChannelEntry("web", "官网")],
    )


def plan(text: str, catalogue: FilterCatalogue) -> Plan:
    return resolve(parse(text), catalogue, UTC)


def tags(*pks: int) -> TagLeaf:
    return TagLeaf(frozenset(pks))


@pytest.mark.parametrize(("text", "expected"), [
    ("", AllRelations()),
    ("高意向", tags(11)),
    ("客户等级:VIP", tags(1)),
    ("复购:VIP", tags(3)),
    ("'客户 等级':'VIP 1'", tags(15)),
    ("客户等级：vip", tags(1)),
    ("group:客户等级", tags(1, 2, 14)),
    ("分组:空组", tags()),
    ("行业类型:教育/*", tags(5, 6, 7, 8)),
    ("行业类型:教育/K12/*", tags(6, 7)),
    ("教育/k12/*", tags(6, 7)),
    ("客户等级:教育/*", tags(14)),
    ("金融/*", tags(9)),
    ("教育家", tags(10)),
])
def test_tags_and_groups(text: str, expected: Plan, catalogue: FilterCatalogue) -> None:
    assert plan(text, catalogue) == expected


def test_names_match_ignoring_width_and_case(catalogue: FilterCatalogue) -> None:
    assert plan('"vip plus"', catalogue) == tags(13)
    with pytest.raises(AmbiguousTagError):
        plan("ＶＩＰ", catalogue)


def test_ambiguous_tag_lists_qualified_spellings(catalogue: FilterCatalogue) -> None:
    with pytest.raises(AmbiguousTagError) as caught:
        plan("高意向 VIP", catalogue)
    err = caught.value
    assert err.candidates == ["复购:VIP", "客户等级:VIP"]
    assert (err.position, err.end) == (4, 7)
    assert "复购:VIP" in err.message_zh
    assert "name the group" in err.message_en


def test_ambiguous_descendants(catalogue: FilterCatalogue) -> None:
    with pytest.raises(AmbiguousTagError) as caught:
        plan("教育/*", catalogue)
    assert caught.value.candidates == ["客户等级:教育/*", "行业类型:教育/*"]


def test_unknown_tag_suggests_by_text_and_pinyin(catalogue: FilterCatalogue) -> None:
    with pytest.raises(UnknownTagError) as caught:
        plan("高意向 OR 高意相", catalogue)
    err = caught.value
    assert err.suggestions[0] == "高意向"
    assert (err.position, err.end) == (7, 10)
    with pytest.raises(UnknownTagError) as caught:
        plan("gaoyixiang", catalogue)
    assert caught.value.suggestions[0] == "高意向"
    with pytest.raises(UnknownTagError) as caught:
        plan("gyx", catalogue)
    assert caught.value.suggestions[0] == "高意向"


def test_unknown_tag_suggestions_spell_ambiguous_names_qualified(
    catalogue: FilterCatalogue,
) -> None:
    with pytest.raises(UnknownTagError) as caught:
        plan("VIPP", catalogue)
    assert {"客户等级:VIP", "复购:VIP"} <= set(caught.value.suggestions)
    with pytest.raises(UnknownTagError) as caught:
        plan("复购:VIPP", catalogue)
    assert caught.value.group == "复购"
    assert "复购:VIP" in caught.value.suggestions
    assert "分组“复购”中没有标签“VIPP”" in caught.value.message_zh


def test_tag_missing_from_the_named_group(catalogue: FilterCatalogue) -> None:
    with pytest.raises(UnknownTagError):
        plan("意向:VIP", catalogue)


def test_glued_keyword_gets_a_hint(catalogue: FilterCatalogue) -> None:
    with pytest.raises(UnknownTagError) as caught:
        plan("高意向且低意向", catalogue)
    assert "高意向 且 低意向" in caught.value.message_zh
    with pytest.raises(UnknownTagError) as caught:
        plan("非高意向", catalogue)
    assert "非 高意向" in caught.value.message_zh
    with pytest.raises(UnknownTagError) as caught:
        plan("高意向或", catalogue)
    assert "空格" not in caught.value.message_zh


def test_unknown_group(catalogue: FilterCatalogue) -> None:
    with pytest.raises(UnknownGroupError) as caught:
        plan("group:客户登记", catalogue)
    assert caught.value.suggestions[0] == "客户等级"
    assert caught.value.position == 0
    with pytest.raises(UnknownGroupError):
        plan("没有的组:VIP", catalogue)


def test_owner_by_userid_or_name(catalogue: FilterCatalogue) -> None:
    assert plan("owner:lisi", catalogue) == OwnerLeaf(frozenset({"lisi"}))
    assert plan("owner:LISI", catalogue) == OwnerLeaf(frozenset({"lisi"}))
    assert plan("负责人:李四", catalogue) == OwnerLeaf(frozenset({"lisi"}))
    assert plan("owner:former", catalogue) == OwnerLeaf(frozenset({"former"}))
    with pytest.raises(AmbiguousOwnerError) as caught:
        plan("owner:张三", catalogue)
    assert caught.value.candidates == ["owner:zhangsan（张三）", "owner:ZhangSan2（张三）"]
    with pytest.raises(UnknownOwnerError) as unknown:
        plan("owner:lisii", catalogue)
    assert unknown.value.suggestions[0] == "owner:lisi（李四）"
    with pytest.raises(UnknownOwnerError) as unknown:
        plan("owner:张叁", catalogue)
    assert unknown.value.suggestions[:2] == ["owner:zhangsan（张三）", "owner:ZhangSan2（张三）"]


def test_departments_include_sub_departments(catalogue: FilterCatalogue) -> None:
    assert plan("dept:华东", catalogue) == OwnerLeaf(frozenset({"zhangsan", "ZhangSan2", "lisi",
                                                                "wangwu"}))
    assert plan("dept:3", catalogue) == OwnerLeaf(frozenset({"ZhangSan2", "lisi"}))
    assert plan("部门:华南/销售一部", catalogue) == OwnerLeaf(frozenset({"zhaoliu"}))
    assert plan("dept:总部/华南", catalogue) == OwnerLeaf(frozenset({"wangwu", "zhaoliu"}))
    assert plan("dept:空部门", catalogue) == OwnerLeaf(frozenset())
    with pytest.raises(AmbiguousDepartmentError) as caught:
        plan("dept:销售一部", catalogue)
    assert caught.value.candidates == ["dept:3（总部/华东/销售一部）", "dept:5（总部/华南/销售一部）"]
    with pytest.raises(UnknownDepartmentError) as unknown:
        plan("dept:销售二部", catalogue)
    assert "dept:销售一部" in unknown.value.suggestions
    with pytest.raises(UnknownDepartmentError):
        plan("dept:99", catalogue)


def test_state_includes_contact_way_remarks(catalogue: FilterCatalogue) -> None:
    assert plan("state:web", catalogue) == StateLeaf(frozenset({"web"}))
    assert plan("渠道:展会A", catalogue) == StateLeaf(frozenset({"展会A", "expo2026", "expo2026b"}))
    assert plan("state:unknown", catalogue) == StateLeaf(frozenset({"unknown"}))


def test_text_is_folded(catalogue: FilterCatalogue) -> None:
    assert plan("text:ＢeiJing", catalogue) == TextLeaf("beijing")
    assert plan("text:' Ａ '", catalogue) == TextLeaf(" a ")


def test_dates_are_local_calendar_days() -> None:
    cat = FilterCatalogue()
    east8 = timezone(timedelta(hours=8))
    jan1 = local_timestamp(date(2025, 1, 1), east8)
    jan2 = local_timestamp(date(2025, 1, 2), east8)
    feb1 = local_timestamp(date(2025, 2, 1), east8)
    assert jan1 == 1735660800
    cases = {
        "added:2025-01-01": CreatedLeaf(jan1, jan2),
        "added!=2025-01-01": PlanNot(CreatedLeaf(jan1, jan2)),
        "added>2025-01-01": CreatedLeaf(jan2, None),
        "after:2025-01-01": CreatedLeaf(jan2, None),
        "added>=2025-01-01": CreatedLeaf(jan1, None),
        "added<2025-01-01": CreatedLeaf(None, jan1),
        "before:2025-01-01": CreatedLeaf(None, jan1),
        "added<=2025-01": CreatedLeaf(None, feb1),
    }
    for text, expected in cases.items():
        assert resolve(parse(text), cat, east8) == expected, text


def test_tag_counts() -> None:
    cat = FilterCatalogue()
    cases = {
        "tags:2": TagCountLeaf(2, 3), "tags!=2": PlanNot(TagCountLeaf(2, 3)),
        "tags<2": TagCountLeaf(0, 2), "tags<=2": TagCountLeaf(0, 3),
        "tags>2": TagCountLeaf(3, None), "tags>=2": TagCountLeaf(2, None),
    }
    for text, expected in cases.items():
        assert resolve(parse(text), cat) == expected, text


def test_boolean_structure_is_kept(catalogue: FilterCatalogue) -> None:
    assert plan("高意向 -低意向 | 教育家", catalogue) == PlanOr((
        PlanAnd((tags(11), PlanNot(tags(12)))), tags(10),
    ))


def test_did_you_mean_offers_only_names_that_sound_or_read_alike() -> None:
    suggester = NameSuggester(["华东", "华北", "普通客户", "高意向", "客户"])
    assert suggester.nearest("普通") == ["普通客户"]          # never 华东 (huadong ~ putong)
    assert suggester.nearest("华冬") == ["华东"]              # the same pinyin
    assert suggester.nearest("高意相") == ["高意向"]
    assert suggester.nearest("客服") == ["客户"]              # kefu ~ kehu, one letter off
    assert suggester.nearest("高意问") == ["高意向"]          # nothing alike: one character off
    assert NameSuggester(["教育", "华东"]).nearest("教肓") == ["教育"]


def test_a_cjk_name_with_a_word_before_or_after_it_is_suggested() -> None:
    """已流失 (the filter help's own example) suggested nothing beside 流失预警: ratio 57."""
    suggester = NameSuggester(["流失预警", "已退款", "重点客户", "高意向客户", "无效客户"])
    assert suggester.nearest("已流失") == ["流失预警"]
    assert suggester.nearest("高意向的客户") == ["高意向客户"]
    assert suggester.nearest("已成交客户") == []          # 客户 alone is too little of it



def test_a_query_longer_than_a_name_can_hold_is_not_cut_into_runs() -> None:
    """A run of two thirds of a 100,000-character query cannot be in a tag's name: it is not
    looked for (slicing it 33,334 times for each name took 4.4 s a suggestion, and minutes
    for a command echoing a long --add)."""
    from desktop.domain.filter.suggest import _shares_most_of

    class Unsliceable(str):
        def __getitem__(self, key: object) -> str:
            raise AssertionError("the query was cut into runs")

    assert not _shares_most_of(Unsliceable("已" + "x" * 99_999), "流失预警")
    assert _shares_most_of("已流失", "流失预警")

def test_suggester_basics() -> None:
    suggester = NameSuggester(["高意向", "低意向", "VIP", "三次复购客户"])
    assert suggester.nearest("") == []
    assert NameSuggester([]).nearest("x") == []
    assert suggester.nearest("vi")[0] == "VIP"
    assert suggester.nearest("sancifugou")[0] == "三次复购客户"
    assert suggester.nearest("完全无关的名字xyz") == []
    assert fold("ＡＢｃ ") == "abc"
    assert full_pinyin("高意向") == "gaoyixiang"
