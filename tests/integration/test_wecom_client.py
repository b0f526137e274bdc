"""Every WeCom client endpoint against the sandbox over real HTTP: typed results, Chinese intact."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from desktop.wecom import (
    ContactDetail,
    ContactWay,
    Department,
    ErrorKind,
    Member,
    RateLimits,
    SendResult,
    TagGroup,
    WeComClient,
    WeComError,
)

pytestmark = pytest.mark.integration

LIMITS = RateLimits(
    max_retries=2,
    backoff_base_s=0.01,
    backoff_max_s=0.05,
    rate_limit_pause_s=0.2,
    connect_timeout_s=2.0,
    read_timeout_s=5.0,
)


@pytest.fixture
def client(sandbox: Any) -> Iterator[WeComClient]:
    with WeComClient(sandbox.api_base, sandbox.corp_id, sandbox.secret, limits=LIMITS) as client:
        yield client


def _a_relation(client: WeComClient) -> tuple[str, str]:
    for userid in client.get_follow_user_list():
        customers = client.list_external_contacts(userid)
        if customers:
            return userid, customers[0]
    raise AssertionError("the sandbox corp has no relationships")


def test_chinese_tag_names_round_trip(client: WeComClient) -> None:
    added = client.add_corp_tag(
        group_name="集成测试·客户等级",
        group_order=7,
        tags=[("高意向", 3), ("待跟进（二次）", 2), "流失"],
    )
    assert isinstance(added, TagGroup) and added.id
    assert added.name == "集成测试·客户等级"
    assert {t.name for t in added.tags} == {"高意向", "待跟进（二次）", "流失"}
    (listed,) = client.list_corp_tags(group_ids=[added.id])
    assert listed.name == "集成测试·客户等级" and listed.order == 7
    assert [t.name for t in listed.tags] == ["高意向", "待跟进（二次）", "流失"]  # order desc


def test_escaped_chinese_is_refused_so_the_round_trip_above_proves_the_encoding(
    client: WeComClient, sandbox: Any
) -> None:
    """requests' ``json=`` escapes Chinese as \\uXXXX; WeCom (and the sandbox) answer 40033."""
    answer = requests.post(
        sandbox.api_base + "externalcontact/add_corp_tag",
        params={"access_token": client.get_token()},
        json={"group_name": "转义", "tag": [{"name": "标签"}]},
        timeout=5,
    ).json()
    assert answer["errcode"] == 40033


def test_add_edit_and_delete_corp_tags(client: WeComClient) -> None:
    group = client.add_corp_tag(group_name="集成测试·行业", tags=["教育", "金融/银行"])
    education = next(t for t in group.tags if t.name == "教育")
    more = client.add_corp_tag(group_id=group.id, tags=[("医疗", 9)])
    assert [t.name for t in more.tags] == ["医疗"] and more.id == group.id

    client.edit_corp_tag(education.id, name="教育/K12")
    client.edit_corp_tag(group.id, order=42)
    (edited,) = client.list_corp_tags(group_ids=[group.id])
    assert edited.order == 42
    assert "教育/K12" in {t.name for t in edited.tags}

    client.del_corp_tag(tag_ids=[education.id])
    remaining = {
        t.name for t in client.list_corp_tags(group_ids=[group.id])[0].tags if not t.deleted
    }
    assert remaining == {"金融/银行", "医疗"}
    client.del_corp_tag(group_ids=[group.id])
    assert group.id not in {g.id for g in client.list_corp_tags()}


def test_unknown_tag_id_is_a_permanent_item_error(client: WeComClient) -> None:
    userid, external_userid = _a_relation(client)
    with pytest.raises(WeComError) as info:
        client.mark_tag(userid, external_userid, add=["etDOESNOTEXIST0000000000000000"])
    assert info.value.errcode == 40068
    assert info.value.kind is ErrorKind.PERMANENT_ITEM


def test_mark_tag_adds_and_removes_on_one_relationship(client: WeComClient, sandbox: Any) -> None:
    group = client.add_corp_tag(group_name="集成测试·打标", tags=["甲", "乙"])
    first, second = (t.id for t in group.tags)
    userid, external_userid = _a_relation(client)
    client.mark_tag(userid, external_userid, add=[first, second])
    assert {first, second} <= sandbox.state.relation_tag_ids(userid, external_userid)
    client.mark_tag(userid, external_userid, remove=[first])
    present = sandbox.state.relation_tag_ids(userid, external_userid)
    assert second in present and first not in present


def test_follow_users_customers_and_details(client: WeComClient) -> None:
    follow_users = client.get_follow_user_list()
    assert follow_users and all(isinstance(u, str) for u in follow_users)
    userid, external_userid = _a_relation(client)
    detail = client.get_external_contact(external_userid)
    assert isinstance(detail, ContactDetail)
    assert detail.contact.external_userid == external_userid and detail.contact.name
    assert userid in {f.userid for f in detail.follow_users}
    assert all(t.type in (1, 2, 3) for f in detail.follow_users for t in f.tags)


def test_batch_get_by_user_pages_cover_every_relationship(
    client: WeComClient, sandbox: Any
) -> None:
    follow_users = client.get_follow_user_list()
    seen: set[tuple[str, str]] = set()
    for start in range(0, len(follow_users), 100):
        cursor = ""
        while True:
            page = client.batch_get_by_user(follow_users[start : start + 100], cursor, limit=50)
            assert len(page.items) <= 50
            for contact, follow in page.items:
                seen.add((follow.userid, contact.external_userid))
            if not page.next_cursor:
                break
            cursor = page.next_cursor
    assert seen == set(sandbox.state.relations())


def test_departments_and_members(client: WeComClient) -> None:
    departments = client.list_departments()
    assert departments and all(isinstance(d, Department) for d in departments)
    root = min(departments, key=lambda d: d.parent_id)
    assert any(d.name for d in departments)
    members = client.list_users(root.id, fetch_child=True)
    assert members and all(isinstance(m, Member) and m.userid for m in members)
    assert all(m.departments for m in members)
    assert set(client.get_follow_user_list()) <= {m.userid for m in members}


def test_strategies_and_their_tags(client: WeComClient) -> None:
    strategy_ids = client.list_strategies()
    assert strategy_ids
    for strategy_id in strategy_ids:
        strategy = client.get_strategy(strategy_id)
        assert strategy.id == strategy_id and strategy.name
        for item in client.get_strategy_range(strategy_id):
            assert (item.userid is not None) or (item.party_id is not None)
        for group in client.list_strategy_tags(strategy_id=strategy_id):
            assert group.strategy_id == strategy_id
    assert isinstance(client.list_strategy_tags(), list)


def test_contact_way_lifecycle_with_chinese_state(client: WeComClient) -> None:
    userid = client.get_follow_user_list()[0]
    config_id, qr_code = client.add_contact_way(
        1, 2, remark="展会A入口", state="展会2026", user=[userid], skip_verify=True
    )
    assert config_id and qr_code
    way = client.get_contact_way(config_id)
    assert isinstance(way, ContactWay)
    assert way.state == "展会2026" and way.remark == "展会A入口" and way.user == (userid,)
    assert config_id in client.list_contact_ways()
    client.update_contact_way(config_id, remark="展会B入口")
    assert client.get_contact_way(config_id).remark == "展会B入口"
    client.del_contact_way(config_id)
    assert config_id not in client.list_contact_ways()


def test_send_text_message(client: WeComClient, sandbox: Any) -> None:
    userid = client.get_follow_user_list()[0]
    result = client.send_text_message(
        [userid, "no-such-member"], "标签批量任务已完成", sandbox.agent_id
    )
    assert isinstance(result, SendResult)
    assert result.invaliduser == ("no-such-member",)


def test_a_console_made_tag_cannot_be_renamed(client: WeComClient, sandbox: Any) -> None:
    console_group = next(g for g in client.list_corp_tags() if not sandbox.state.is_app_owned(g.id))
    with pytest.raises(WeComError) as info:
        client.edit_corp_tag(console_group.tags[0].id, name="改名")
    assert info.value.errcode == 81011
    assert info.value.kind is ErrorKind.PERMANENT_ITEM
    assert "自己创建" in str(info.value)
