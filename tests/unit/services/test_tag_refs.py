"""How `tagdesk tags` names tags and groups: ids, GROUP/NAME, 组:名, bare names, GROUP/."""

from __future__ import annotations

import pytest

from desktop.domain.errors import UserError
from desktop.domain.tags import GroupInfo, TagInfo, TagKind
from desktop.services.tag_catalog import TagLibrary
from desktop.services.tag_refs import TagRefError, TreeRefs, split_new_path

INDUSTRY = GroupInfo("gInd", "行业类型", 3, TagKind.CORP)
LEVEL = GroupInfo("gLvl", "客户等级", 2, TagKind.CORP)
NORTH = GroupInfo("gNorth", "华北-客户等级", 1, TagKind.STRATEGY, 1)
MINE = GroupInfo("personal:我的标签", "我的标签", 0, TagKind.PERSONAL, None, False)


def _tag(tag_id: str, name: str, group: GroupInfo) -> TagInfo:
    return TagInfo(tag_id, name, group.id, group.name, 0, group.kind,
                   strategy_id=group.strategy_id)


REFS = TreeRefs(TagLibrary(
    [INDUSTRY, LEVEL, NORTH, MINE],
    [_tag("tEdu", "教育", INDUSTRY), _tag("tK12", "教育/K12", INDUSTRY),
     _tag("tVip", "VIP", LEVEL), _tag("tNorthVip", "VIP", NORTH),
     _tag("tLevel", "客户等级", INDUSTRY), _tag("personal:x", "爱喝茶", MINE)],
    {1: "华北区域"},
))


@pytest.mark.parametrize(("ref", "wanted"), [
    ("tK12", "tK12"),
    ("行业类型/教育/K12", "tK12"),
    ("教育/K12", "tK12"),
    ("行业类型:教育", "tEdu"),
    ("客户等级/VIP", "tVip"),
    ("华北-客户等级/VIP", "tNorthVip"),
    ("ｖｉｐ ", None),
    ("gLvl", "gLvl"),
    ("客户等级/", "gLvl"),
    ("华北-客户等级", "gNorth"),
])
def test_references_find_tags_and_groups(ref: str, wanted: str | None) -> None:
    if wanted is None:
        with pytest.raises(TagRefError) as caught:
            REFS.item(ref)
        assert "客户等级/VIP" in str(caught.value) and "华北-客户等级/VIP" in str(caught.value)
        return
    item = REFS.item(ref)
    assert item.id == wanted
    assert item.is_group == wanted.startswith("g")


def test_a_name_of_a_tag_and_a_group_means_the_tag() -> None:
    assert REFS.item("客户等级").id == "tLevel"
    assert REFS.item("客户等级/").id == "gLvl"


def test_unknown_names_suggest_and_personal_tags_are_not_offered() -> None:
    with pytest.raises(TagRefError, match="did you mean: 教育"):
        REFS.item("教肓")
    with pytest.raises(TagRefError):
        REFS.item("爱喝茶")
    with pytest.raises(TagRefError, match="tags add-group"):
        REFS.group("没有的组")
    assert REFS.group("gNorth").strategy_id == 1


def test_new_paths_split_at_the_first_slash() -> None:
    assert split_new_path(" 行业类型/教育/K12/小学 ") == ("行业类型", "教育/K12/小学")
    for bad in ("行业类型", "/教育", "行业类型/"):
        with pytest.raises(UserError, match="GROUP/NAME"):
            split_new_path(bad)
