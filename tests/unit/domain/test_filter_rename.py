"""A filter keeps naming a tag that was renamed: every reference to it is respelled."""

from __future__ import annotations

import pytest

from desktop.domain.filter.rename import group_rename, renamed_group, renamed_tag, tag_rename


@pytest.mark.parametrize(("text", "expected"), [
    ("普通", "PT1"),
    ("普通 AND NOT 已成交", "PT1 AND NOT 已成交"),
    ("-普通 | 客户等级:普通", "-PT1 | 客户等级:PT1"),
    ("(普通 或 VIP) owner:zhangsan", "(PT1 或 VIP) owner:zhangsan"),
    ("普通/*", "PT1/*"),
    ('"普通"', "PT1"),
    ("普通客户 text:普通", "普通客户 text:普通"),        # another tag, a text search
    ("复购:普通", "复购:普通"),                          # the same name in another group
    ("added>=2025-01", "added>=2025-01"),
    ("((普通", "((普通"),                               # a filter that does not parse
])
def test_references_to_the_tag_are_respelled(text: str, expected: str) -> None:
    assert renamed_tag(text, "普通", "PT1", "客户等级") == expected


def test_a_new_name_that_needs_quotes_is_quoted() -> None:
    assert renamed_tag("普通 VIP", "普通", "普通 客户", "客户等级") == '"普通 客户" VIP'


def test_a_bare_name_another_group_also_has_is_left_alone() -> None:
    assert renamed_tag("普通 | 客户等级:普通", "普通", "PT1", "客户等级",
                       name_elsewhere=True) == "普通 | 客户等级:PT1"


def test_a_prefix_whose_children_keep_their_names_still_finds_them() -> None:
    assert renamed_tag("教育/* VIP", "教育", "学习", "行业", children=True) == (
        "(学习/* | 教育/*) VIP")
    assert renamed_tag("-行业:教育/*", "教育", "学习", "行业", children=True) == (
        "-(行业:学习/* | 行业:教育/*)")
    assert renamed_tag("教育 | 教育/*", "教育", "学习", "行业", children=False) == (
        "学习 | 学习/*")


@pytest.mark.parametrize(("text", "expected"), [
    ("group:客户等级", "group:会员等级"),
    ("分组:客户等级 -VIP", "分组:会员等级 -VIP"),
    ("客户等级:普通 | 客户等级:VIP/*", "会员等级:普通 | 会员等级:VIP/*"),
    ('"客户等级":"普通 客户"', '会员等级:"普通 客户"'),
    ("group:复购 客户等级", "group:复购 客户等级"),   # another group; a tag named like it
    ("((group:客户等级", "((group:客户等级"),          # a filter that does not parse
])
def test_references_to_a_renamed_group_are_respelled(text: str, expected: str) -> None:
    assert renamed_group(text, "客户等级", "会员等级") == expected


def test_a_group_name_that_needs_quotes_is_quoted() -> None:
    assert renamed_group("group:等级 等级:VIP", "等级", "客户 等级") == (
        'group:"客户 等级" "客户 等级":VIP')


def test_a_rename_knows_from_the_other_tags_what_a_bare_name_and_a_path_meant() -> None:
    others = [("普通", "会员等级"), ("教育/K12", "行业"), ("VIP", "客户等级")]
    rename = tag_rename("普通", "PT1", "客户等级", others)
    assert rename.name_elsewhere and not rename.children
    assert rename.respell("普通 | 客户等级:普通") == "普通 | 客户等级:PT1"
    education = tag_rename("教育", "学习", "行业", others)
    assert education.children and not education.name_elsewhere
    assert education.respell("行业:教育/*") == "(行业:学习/* | 行业:教育/*)"
    assert group_rename("行业", "行业 类型").respell("行业:教育") == '"行业 类型":教育'
