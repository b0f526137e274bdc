"""Endpoint methods: what goes on the wire and what comes back, against scripted answers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from desktop.wecom.client import WeComClient
from desktop.wecom.errors import NetworkReason, WeComError, WeComNetworkError
from desktop.wecom.ratelimit import RateLimits
from tests.unit.wecom.fakes import API_BASE, CORP_ID, SECRET, TOKEN, FakeWeCom

FAST = RateLimits(max_retries=2, backoff_base_s=0.001, backoff_max_s=0.002)


@pytest.fixture
def client(session: requests.Session) -> Iterator[WeComClient]:
    with WeComClient(API_BASE, CORP_ID, SECRET, limits=FAST, session=session) as client:
        yield client


def test_post_body_is_utf8_json_with_chinese_unescaped(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script(
        "externalcontact/add_corp_tag",
        {
            "errcode": 0,
            "errmsg": "ok",
            "tag_group": {
                "group_id": "etG",
                "group_name": "客户等级",
                "order": 3,
                "tag": [{"id": "etT", "name": "高意向", "order": 5}],
            },
        },
    )
    group = client.add_corp_tag(
        group_name="客户等级", tags=[("高意向", 5), "低意向"], group_order=3
    )
    call = fake_wecom.calls[-1]
    assert call.method == "POST"
    assert call.headers["Content-Type"] == "application/json; charset=utf-8"
    assert "客户等级".encode() in call.raw_body and b"\\u" not in call.raw_body
    assert call.body == {
        "group_name": "客户等级",
        "order": 3,
        "tag": [{"name": "高意向", "order": 5}, {"name": "低意向"}],
    }
    assert call.query == {"access_token": TOKEN}
    assert group.id == "etG" and [t.name for t in group.tags] == ["高意向"]


def test_add_corp_tag_into_a_group_id_sends_no_name_or_order(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    client.add_corp_tag(group_id="etG", tags=["新"])
    assert fake_wecom.calls[-1].body == {"group_id": "etG", "tag": [{"name": "新"}]}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"tags": ["a"]},
        {"tags": ["a"], "group_id": "g", "group_name": "n"},
        {"tags": [], "group_name": "n"},
        {"tags": ["x" * 31], "group_name": "n"},
        {"tags": ["a"], "group_name": "名" * 31},
        {"tags": [("a", -1)], "group_name": "n"},
        {"tags": [("a", 2**32)], "group_name": "n"},
        {"tags": ["  "], "group_name": "n"},
    ],
)
def test_add_corp_tag_rejects_what_wecom_would_reject(
    client: WeComClient, fake_wecom: FakeWeCom, kwargs: dict[str, object]
) -> None:
    with pytest.raises(ValueError):
        client.add_corp_tag(**kwargs)  # type: ignore[arg-type]
    assert fake_wecom.calls == []


def test_thirty_chinese_characters_are_allowed(client: WeComClient) -> None:
    client.add_corp_tag(group_name="组", tags=["字" * 30])


def test_edit_sends_only_the_changed_fields(client: WeComClient, fake_wecom: FakeWeCom) -> None:
    client.edit_corp_tag("etT", name="VIP客户")
    assert fake_wecom.calls[-1].body == {"id": "etT", "name": "VIP客户"}
    client.edit_corp_tag("etT", order=0)
    assert fake_wecom.calls[-1].body == {"id": "etT", "order": 0}
    with pytest.raises(ValueError):
        client.edit_corp_tag("etT")


def test_delete_and_list_omit_empty_lists(client: WeComClient, fake_wecom: FakeWeCom) -> None:
    client.del_corp_tag(group_ids=["etG"])
    assert fake_wecom.calls[-1].body == {"group_id": ["etG"]}
    with pytest.raises(ValueError):
        client.del_corp_tag()
    client.list_corp_tags()
    assert fake_wecom.calls[-1].body == {}
    client.list_corp_tags(tag_ids=["etT"])
    assert fake_wecom.calls[-1].body == {"tag_id": ["etT"]}


def test_mark_tag_body_and_validation(client: WeComClient, fake_wecom: FakeWeCom) -> None:
    client.mark_tag("zhangsan", "wmX", add=["et1", "et2"])
    assert fake_wecom.calls[-1].body == {
        "userid": "zhangsan",
        "external_userid": "wmX",
        "add_tag": ["et1", "et2"],
    }
    client.mark_tag("zhangsan", "wmX", add=["et1"], remove=["et3"])
    assert fake_wecom.calls[-1].body["remove_tag"] == ["et3"]
    with pytest.raises(ValueError):
        client.mark_tag("zhangsan", "wmX")


def test_reads_by_id_are_gets_with_query_parameters(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script("externalcontact/list", {"errcode": 0, "external_userid": ["wm1", "wo2"]})
    fake_wecom.script("externalcontact/get_follow_user_list", {"follow_user": ["a", "b"]})
    fake_wecom.script("department/list", {"department": [{"id": 1, "name": "总部"}]})
    fake_wecom.script("user/list", {"userlist": [{"userid": "a", "department": [1]}]})
    assert client.list_external_contacts("zhangsan") == ["wm1", "wo2"]
    assert fake_wecom.calls[-1].method == "GET"
    assert fake_wecom.calls[-1].query["userid"] == "zhangsan"
    assert client.get_follow_user_list() == ["a", "b"]
    assert [d.name for d in client.list_departments(id=1)] == ["总部"]
    assert fake_wecom.calls[-1].query["id"] == "1"
    assert [m.userid for m in client.list_users(1, fetch_child=False)] == ["a"]
    assert fake_wecom.calls[-1].query["fetch_child"] == "0"


def test_a_member_without_customers_gives_an_empty_list(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script("externalcontact/list", {"errcode": 84061, "errmsg": "not external contact"})
    assert client.list_external_contacts("nobody") == []


def test_other_errors_of_list_are_raised(client: WeComClient, fake_wecom: FakeWeCom) -> None:
    fake_wecom.script("externalcontact/list", {"errcode": 60111, "errmsg": "userid not found"})
    with pytest.raises(WeComError) as info:
        client.list_external_contacts("ghost")
    assert info.value.errcode == 60111


def test_cursor_pages_are_followed_until_the_cursor_is_empty(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script(
        "externalcontact/customer_strategy/list",
        {"strategy": [{"strategy_id": 1}, {"strategy_id": 2}], "next_cursor": "C1"},
        {"strategy": [{"strategy_id": 3}], "next_cursor": ""},
    )
    assert client.list_strategies() == [1, 2, 3]
    bodies = [c.body for c in fake_wecom.calls if c.path.endswith("customer_strategy/list")]
    assert bodies == [{"cursor": "", "limit": 1000}, {"cursor": "C1", "limit": 1000}]


def test_a_repeating_cursor_fails_instead_of_paging_forever(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script(
        "externalcontact/list_contact_way",
        {"contact_way": [{"config_id": "c"}], "next_cursor": "SAME"},
    )
    with pytest.raises(WeComNetworkError) as info:
        client.list_contact_ways()
    assert info.value.reason is NetworkReason.BAD_RESPONSE


def test_an_error_mid_pagination_fails_the_whole_listing(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script(
        "externalcontact/customer_strategy/get_range",
        {"range": [{"type": 1, "userid": "a"}], "next_cursor": "C1"},
        {"errcode": 48002, "errmsg": "api forbidden"},
    )
    with pytest.raises(WeComError):
        client.get_strategy_range(7)


def test_get_external_contact_joins_follower_pages(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script(
        "externalcontact/get",
        {
            "external_contact": {"external_userid": "wm1", "name": "李四"},
            "follow_user": [{"userid": "a"}],
            "next_cursor": "N",
        },
        {
            "external_contact": {"external_userid": "wm1", "name": "李四"},
            "follow_user": [{"userid": "b"}],
        },
    )
    detail = client.get_external_contact("wm1")
    assert detail.contact.name == "李四"
    assert [f.userid for f in detail.follow_users] == ["a", "b"]
    assert fake_wecom.calls[-1].query["cursor"] == "N"
    assert "cursor" not in fake_wecom.calls[-2].query


def test_batch_get_by_user_is_one_page_with_clamped_limit(
    client: WeComClient, fake_wecom: FakeWeCom
) -> None:
    fake_wecom.script(
        "externalcontact/batch/get_by_user",
        {
            "external_contact_list": [
                {
                    "external_contact": {"external_userid": "wm1"},
                    "follow_info": {"userid": "a", "tag_id": ["et1"]},
                }
            ],
            "next_cursor": "NEXT",
        },
    )
    page = client.batch_get_by_user(["a"], limit=500)
    assert page.next_cursor == "NEXT" and page.items[0][1].tag_ids == ("et1",)
    assert fake_wecom.calls[-1].body == {"userid_list": ["a"], "limit": 100}
    with pytest.raises(ValueError):
        client.batch_get_by_user([f"u{i}" for i in range(101)])
    with pytest.raises(ValueError):
        client.batch_get_by_user([])


def test_strategy_endpoints(client: WeComClient, fake_wecom: FakeWeCom) -> None:
    fake_wecom.script(
        "externalcontact/customer_strategy/get",
        {"strategy": {"strategy_id": 5, "strategy_name": "华东"}},
    )
    fake_wecom.script(
        "externalcontact/get_strategy_tag_list",
        {"tag_group": [{"group_id": "g", "strategy_id": 5, "tag": []}]},
    )
    assert client.get_strategy(5).name == "华东"
    assert client.list_strategy_tags(strategy_id=5)[0].strategy_id == 5
    assert fake_wecom.calls[-1].body == {"strategy_id": 5}


def test_contact_way_round(client: WeComClient, fake_wecom: FakeWeCom) -> None:
    fake_wecom.script(
        "externalcontact/add_contact_way", {"config_id": "42b3", "qr_code": "http://p.qpic.cn/q"}
    )
    fake_wecom.script(
        "externalcontact/get_contact_way", {"contact_way": {"config_id": "42b3", "state": "展会"}}
    )
    assert client.add_contact_way(2, 2, state="展会", user=["a", "b"]) == (
        "42b3",
        "http://p.qpic.cn/q",
    )
    assert fake_wecom.calls[-1].body == {"type": 2, "scene": 2, "state": "展会", "user": ["a", "b"]}
    assert client.get_contact_way("42b3").state == "展会"
    client.update_contact_way("42b3", remark="", party=[])
    assert fake_wecom.calls[-1].body == {"config_id": "42b3", "remark": "", "party": []}
    client.del_contact_way("42b3")
    assert fake_wecom.calls[-1].body == {"config_id": "42b3"}
    with pytest.raises(ValueError):
        client.add_contact_way(1, 2, user=["a", "b"])
    with pytest.raises(ValueError):
        client.add_contact_way(2, 2, state="s" * 31)


def test_send_text_message(client: WeComClient, fake_wecom: FakeWeCom) -> None:
    fake_wecom.script("message/send", {"invaliduser": "ghost", "msgid": "m1"})
    result = client.send_text_message(["a", "ghost"], "标签任务已完成", 1000002)
    assert result.invaliduser == ("ghost",) and result.msgid == "m1"
    assert fake_wecom.calls[-1].body == {
        "touser": "a|ghost",
        "msgtype": "text",
        "agentid": 1000002,
        "text": {"content": "标签任务已完成"},
    }
