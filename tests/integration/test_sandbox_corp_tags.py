"""Corp-tag and rule-group-tag rules of the sandbox over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.sandbox import SandboxServer
from tests.integration.sandbox_support import WeComHttp, running_sandbox

LIST = "externalcontact/get_corp_tag_list"
ADD = "externalcontact/add_corp_tag"
EDIT = "externalcontact/edit_corp_tag"
DELETE = "externalcontact/del_corp_tag"


@pytest.fixture
def api(sandbox: SandboxServer) -> Iterator[WeComHttp]:
    with WeComHttp(sandbox) as client:
        yield client.login()


def _group(api: WeComHttp, name: str) -> dict[str, Any]:
    groups = api.ok(LIST, {})["tag_group"]
    return next(g for g in groups if g["group_name"] == name)


def test_full_listing_is_two_levels_sorted_by_order_descending(api: WeComHttp) -> None:
    groups = api.ok(LIST, {})["tag_group"]
    names = [g["group_name"] for g in groups]
    assert {"客户等级", "意向程度", "行业类型", "MKT-活动", "OPS-售后", "地区"} <= set(names)
    assert "华北-跟进阶段" not in names
    orders = [g["order"] for g in groups]
    assert orders == sorted(orders, reverse=True)
    for group in groups:
        assert group["group_id"].startswith("et") and len(group["group_id"]) == 32
        assert group["tag"], "no empty groups"
        tag_orders = [t["order"] for t in group["tag"]]
        assert tag_orders == sorted(tag_orders, reverse=True)
        assert not group["deleted"] and not any(t["deleted"] for t in group["tag"])
    industry = [t["name"] for t in _group(api, "行业类型")["tag"]]
    assert {"教育", "教育/K12", "教育/K12/小学", "金融/银行"} <= set(industry)


def test_add_creates_a_group_and_answers_only_the_new_tags(api: WeComHttp) -> None:
    created = api.ok(
        ADD,
        {
            "group_name": "活动反馈",
            "order": 7,
            "tag": [{"name": "满意", "order": 2}, {"name": "一般"}, {"name": "满意"}],
        },
    )
    group = created["tag_group"]
    assert group["group_name"] == "活动反馈" and group["order"] == 7
    assert [t["name"] for t in group["tag"]] == ["满意", "一般"]
    merged = api.ok(ADD, {"group_name": "活动反馈", "order": 99, "tag": [{"name": "不满意"}]})
    assert merged["tag_group"]["group_id"] == group["group_id"]
    assert [t["name"] for t in merged["tag_group"]["tag"]] == ["不满意"]
    by_id = api.ok(
        ADD,
        {
            "group_id": group["group_id"],
            "group_name": "ignored",
            "order": 1,
            "tag": [{"name": "待定"}],
        },
    )
    assert by_id["tag_group"]["group_name"] == "活动反馈"
    listed = _group(api, "活动反馈")
    assert listed["order"] == 7
    assert {t["name"] for t in listed["tag"]} == {"满意", "一般", "不满意", "待定"}


@pytest.mark.parametrize(
    ("body", "errcode"),
    [
        ({"group_name": "客户等级", "tag": [{"name": "VIP"}]}, 40071),
        ({"group_name": "新组", "tag": [{"name": "长" * 31}]}, 40072),
        ({"group_name": "组" * 31, "tag": [{"name": "好"}]}, 40072),
        ({"group_name": "新组", "tag": []}, 40063),
        ({"group_name": "新组"}, 40063),
        ({"tag": [{"name": "孤儿"}]}, 40063),
        ({"group_id": "etNOSUCHGROUP0000000000000000000", "tag": [{"name": "x"}]}, 40068),
        ({"group_name": "新组", "tag": [{"name": "好", "order": -1}]}, 40058),
    ],
)
def test_add_rejects_invalid_requests_and_creates_nothing(
    api: WeComHttp, sandbox: SandboxServer, body: dict[str, Any], errcode: int
) -> None:
    before = sandbox.state.counts()
    assert api.post(ADD, body)["errcode"] == errcode
    assert sandbox.state.counts() == before


def test_names_of_exactly_30_characters_are_accepted(api: WeComHttp) -> None:
    name = "三" * 30
    created = api.ok(ADD, {"group_name": name, "tag": [{"name": name}]})
    assert created["tag_group"]["tag"][0]["name"] == name


def test_edit_renames_and_reorders_app_tags_and_groups(
    api: WeComHttp, sandbox: SandboxServer
) -> None:
    vip = sandbox.state.find_tag("客户等级", "VIP")
    assert vip is not None
    api.ok(EDIT, {"id": vip, "name": "VIP客户"})
    assert sandbox.state.tag_order(vip) == 2, "omitted order stays"
    api.ok(EDIT, {"id": vip, "order": 50})
    assert sandbox.state.find_tag("客户等级", "VIP客户") == vip
    assert sandbox.state.tag_order(vip) == 50
    group_id = _group(api, "意向程度")["group_id"]
    api.ok(EDIT, {"id": group_id, "name": "购买意向", "order": 1000})
    assert api.ok(LIST, {})["tag_group"][0]["group_name"] == "购买意向"


def test_edit_refuses_clashes_unknown_ids_and_console_tags(
    api: WeComHttp, sandbox: SandboxServer
) -> None:
    vip = sandbox.state.find_tag("客户等级", "VIP")
    assert api.post(EDIT, {"id": vip, "name": "普通"})["errcode"] == 40071
    group_id = _group(api, "意向程度")["group_id"]
    assert api.post(EDIT, {"id": group_id, "name": "客户等级"})["errcode"] == 40071
    assert api.post(EDIT, {"id": "etNOSUCH"})["errcode"] == 40068
    assert api.post(EDIT, {"id": vip, "name": ""})["errcode"] == 40072
    console_group = _group(api, "地区")
    assert not sandbox.state.is_app_owned(console_group["group_id"])
    assert api.post(EDIT, {"id": console_group["group_id"], "name": "区域"})["errcode"] == 81011
    console_tag = console_group["tag"][0]["id"]
    assert api.post(EDIT, {"id": console_tag, "order": 3})["errcode"] == 81011
    made_by_hand = sandbox.state.console_add_tag("客户等级", "战略客户")
    assert api.post(EDIT, {"id": made_by_hand, "name": "战略"})["errcode"] == 81011
    assert api.post(DELETE, {"tag_id": [made_by_hand]})["errcode"] == 81011
    assert sandbox.state.find_tag("客户等级", "战略客户") == made_by_hand


def test_delete_is_all_or_nothing(api: WeComHttp, sandbox: SandboxServer) -> None:
    vip = sandbox.state.find_tag("客户等级", "VIP")
    answer = api.post(DELETE, {"tag_id": [vip, "etNOSUCHTAG"]})
    assert answer["errcode"] == 40068 and "etNOSUCHTAG" in answer["errmsg"]
    region = sandbox.state.find_tag("地区", "深圳")
    assert api.post(DELETE, {"tag_id": [vip, region]})["errcode"] == 81011
    assert api.post(DELETE, {})["errcode"] == 40063
    assert sandbox.state.find_tag("客户等级", "VIP") == vip


def test_deleting_the_last_tag_deletes_the_group_and_leaves_tombstones(
    api: WeComHttp, sandbox: SandboxServer
) -> None:
    group = api.ok(ADD, {"group_name": "临时", "tag": [{"name": "甲"}, {"name": "乙"}]})
    group_id = group["tag_group"]["group_id"]
    first, second = (t["id"] for t in group["tag_group"]["tag"])
    api.ok(DELETE, {"tag_id": [first]})
    assert [t["name"] for t in _group(api, "临时")["tag"]] == ["乙"]
    api.ok(DELETE, {"tag_id": [second]})
    assert all(g["group_name"] != "临时" for g in api.ok(LIST, {})["tag_group"])
    by_tag = api.ok(LIST, {"tag_id": [first, second]})["tag_group"]
    assert len(by_tag) == 1 and by_tag[0]["deleted"] is True
    assert {(t["id"], t["deleted"]) for t in by_tag[0]["tag"]} == {(first, True), (second, True)}
    by_group = api.ok(LIST, {"group_id": [group_id], "tag_id": ["ignored"]})["tag_group"]
    assert by_group[0]["group_id"] == group_id and len(by_group[0]["tag"]) == 2
    assert api.post(EDIT, {"id": first, "name": "复活"})["errcode"] == 40068
    again = api.ok(ADD, {"group_name": "临时", "tag": [{"name": "甲"}]})
    assert again["tag_group"]["group_id"] != group_id, "a deleted group is not revived"


def test_deleting_a_group_removes_its_tags_from_customers(
    api: WeComHttp, sandbox: SandboxServer
) -> None:
    group = _group(api, "OPS-售后")
    tag_ids = {t["id"] for t in group["tag"]}
    carriers = [
        r for r in sandbox.state.relations() if sandbox.state.relation_tag_ids(*r) & tag_ids
    ]
    assert carriers
    api.ok(DELETE, {"group_id": [group["group_id"]]})
    assert not any(sandbox.state.relation_tag_ids(*r) & tag_ids for r in carriers)
    by_id = api.ok(LIST, {"tag_id": sorted(tag_ids)})["tag_group"]
    assert all(t["deleted"] for t in by_id[0]["tag"])


def test_the_corp_tag_cap_is_enforced(tmp_path: Path) -> None:
    with running_sandbox(tmp_path, corp_tag_cap=99) as server, WeComHttp(server) as api:
        api.login()
        assert server.state.counts()["tags"] == 97
        api.ok(ADD, {"group_name": "上限", "tag": [{"name": "一"}, {"name": "二"}]})
        answer = api.post(ADD, {"group_name": "上限", "tag": [{"name": "三"}]})
        assert answer["errcode"] == 40058 and "99" in answer["errmsg"]


def test_rule_groups_and_their_tags(api: WeComHttp, sandbox: SandboxServer) -> None:
    strategies = api.ok("externalcontact/customer_strategy/list", {})
    assert [s["strategy_id"] for s in strategies["strategy"]] == [1, 2, 3, 4]
    assert "next_cursor" not in strategies
    paged = api.ok("externalcontact/customer_strategy/list", {"limit": 3})
    assert len(paged["strategy"]) == 3 and paged["next_cursor"]
    rest = api.ok("externalcontact/customer_strategy/list", {"cursor": paged["next_cursor"]})
    assert rest["strategy"] == [{"strategy_id": 4}]
    detail = api.ok("externalcontact/customer_strategy/get", {"strategy_id": 3})["strategy"]
    assert detail["parent_id"] == 1 and detail["strategy_name"] == "华北大客户组"
    assert detail["privilege"]["view_customer_list"] is True
    ranges = api.ok("externalcontact/customer_strategy/get_range", {"strategy_id": 1})["range"]
    assert ranges == [{"type": 2, "partyid": 7}]
    assert (
        api.post("externalcontact/customer_strategy/get", {"strategy_id": 99})["errcode"] == 40058
    )
    tags = api.ok("externalcontact/get_strategy_tag_list", {"strategy_id": 1})["tag_group"]
    assert [g["group_name"] for g in tags] == ["华北-跟进阶段"]
    assert tags[0]["strategy_id"] == 1 and tags[0]["tag"][0]["id"].startswith("st")


def test_strategy_tags_follow_the_same_rules(api: WeComHttp, sandbox: SandboxServer) -> None:
    added = api.ok(
        "externalcontact/add_strategy_tag",
        {"strategy_id": 2, "group_name": "华南-来源", "tag": [{"name": "门店"}]},
    )
    group = added["tag_group"]
    assert group["strategy_id"] == 2 and group["tag"][0]["id"].startswith("st")
    child = api.post(
        "externalcontact/add_strategy_tag",
        {"strategy_id": 3, "group_name": "子组", "tag": [{"name": "x"}]},
    )
    assert child["errcode"] == 40058
    tag_id = group["tag"][0]["id"]
    assert api.post(EDIT, {"id": tag_id, "name": "corp api"})["errcode"] == 40068
    api.ok("externalcontact/edit_strategy_tag", {"id": tag_id, "name": "线下门店"})
    assert sandbox.state.find_tag("华南-来源", "线下门店") == tag_id
    api.ok("externalcontact/del_strategy_tag", {"tag_id": [tag_id]})
    listed = api.ok("externalcontact/get_strategy_tag_list", {"strategy_id": 2})["tag_group"]
    assert [g["group_name"] for g in listed] == ["华南-客户分级"]
