"""Lenient parsing: documented answers map fully, odd or partial answers never crash."""

from __future__ import annotations

from desktop.wecom.models import (
    ContactWay,
    Department,
    ExternalContact,
    FollowInfo,
    FollowUserDetail,
    FollowUserTag,
    Member,
    RelationPage,
    SendResult,
    Strategy,
    StrategyRangeItem,
    Tag,
    TagGroup,
    parse_tag_groups,
)

TAG_LIST = {
    "errcode": 0,
    "errmsg": "ok",
    "tag_group": [
        {
            "group_id": "etGROUP1",
            "group_name": "客户等级",
            "create_time": 1557838797,
            "order": 1,
            "deleted": False,
            "tag": [
                {
                    "id": "etTAG2",
                    "name": "普通",
                    "create_time": 1557838797,
                    "order": 1,
                    "deleted": True,
                },
                {
                    "id": "etTAG1",
                    "name": "VIP",
                    "create_time": 1557838797,
                    "order": 2,
                    "deleted": False,
                    "brand_new_field": {"x": 1},
                },
            ],
        },
        {"group_id": "etGROUP2", "group_name": "行业", "order": 9, "tag": []},
    ],
}


def test_tag_list_maps_fields_and_sorts_by_order_descending() -> None:
    groups = parse_tag_groups(TAG_LIST)
    assert [g.id for g in groups] == ["etGROUP2", "etGROUP1"]
    level = groups[1]
    assert level == TagGroup(
        id="etGROUP1",
        name="客户等级",
        order=1,
        create_time=1557838797,
        deleted=False,
        tags=(
            Tag("etTAG1", "VIP", 2, 1557838797, False),
            Tag("etTAG2", "普通", 1, 1557838797, True),
        ),
        strategy_id=None,
    )


def test_missing_optional_fields_get_defaults() -> None:
    group = TagGroup.from_api({"group_id": "g", "group_name": "n", "tag": [{"id": "t"}]})
    assert group.order == 0 and group.create_time == 0 and not group.deleted
    assert group.tags == (Tag(id="t", name=""),)
    assert parse_tag_groups({"errcode": 0}) == []


def test_wrong_types_are_coerced_or_defaulted() -> None:
    group = TagGroup.from_api(
        {
            "group_id": "g",
            "order": "7",
            "create_time": 1.5e9,
            "deleted": "true",
            "tag": [None, "junk", {"id": "t", "order": "abc"}],
            "strategy_id": "12",
        }
    )
    assert group.order == 7
    assert group.create_time == 1_500_000_000
    assert group.deleted is True
    assert group.tags == (Tag(id="t", name="", order=0),)
    assert group.strategy_id == 12
    assert TagGroup.from_api({"tag": None}).tags == ()


def test_relation_page_from_the_documented_example() -> None:
    page = RelationPage.from_api(
        {
            "errcode": 0,
            "errmsg": "ok",
            "external_contact_list": [
                {
                    "external_contact": {
                        "external_userid": "wmAJ",
                        "name": "李四",
                        "type": 1,
                        "gender": 1,
                        "unknown": 3,
                    },
                    "follow_info": {
                        "userid": "rocky",
                        "remark": "李部长",
                        "description": "",
                        "createtime": 1525779812,
                        "tag_id": ["etAJ", "stJH"],
                        "remark_corp_name": "",
                        "remark_mobiles": [],
                        "oper_userid": "rocky",
                        "add_way": 1,
                        "state": "expo2026",
                        "wechat_channels": {"nickname": "x", "source": 1},
                    },
                }
            ],
            "next_cursor": "r9Fq",
        }
    )
    assert page.next_cursor == "r9Fq"
    ((contact, follow),) = page.items
    assert contact == ExternalContact(external_userid="wmAJ", name="李四", type=1, gender=1)
    assert follow.userid == "rocky" and follow.tag_ids == ("etAJ", "stJH")
    assert follow.createtime == 1525779812 and follow.state == "expo2026"
    assert follow.add_way == 1


def test_relation_page_values_of_other_types_are_read_as_before() -> None:
    """Each value of the expected type is taken as it is; any other still coerced."""
    page = RelationPage.from_api({"external_contact_list": [
        {"external_contact": {"external_userid": 42, "name": None, "type": "2", "gender": True},
         "follow_info": {"userid": "rocky", "remark": 7, "createtime": "1525779812",
                         "add_way": 1.0, "tag_id": ["etA", 5, None], "remark_mobiles": "138",
                         "state": None}},
        {"external_contact": "junk", "follow_info": {"tag_id": ("etB",)}},
        "junk",
    ]})
    (contact, follow), (other, other_follow) = page.items
    assert contact == ExternalContact(external_userid="42", name="", type=2, gender=1)
    assert (follow.remark, follow.createtime, follow.add_way, follow.state) == (
        "7", 1525779812, 1, "")
    assert follow.tag_ids == ("etA", "5") and follow.remark_mobiles == ()
    assert other.external_userid == "" and other_follow.tag_ids == ("etB",)


def test_a_relation_page_reads_its_rows_as_values_and_makes_objects_only_when_asked() -> None:
    """A bare read or a first sync makes no objects of a page's rows: each row's values are
    the objects' fields, in their order, coerced alike."""
    page = RelationPage.from_api({"external_contact_list": [
        {"external_contact": {"external_userid": "wm1", "name": "张三", "type": 2,
                              "unionid": "un1", "avatar": "http://a"},
         "follow_info": {"userid": "rocky", "createtime": 1525779812, "remark_mobiles": ["138"],
                         "tag_id": ["etA", "etB"], "add_way": 1, "state": "expo"}},
        {"external_contact": {"external_userid": 42, "name": None, "gender": True},
         "follow_info": {"userid": "rocky", "createtime": "1525779812.0",
                         "remark_mobiles": [138, None], "tag_id": None, "oper_userid": None}},
    ]})
    assert "items" not in vars(page)
    assert page.values == [
        (("wm1", "张三", 2, 0, "", "", "", "un1", "http://a"),
         ("rocky", "", "", 1525779812, "", ("138",), "", 1, "expo"), ("etA", "etB")),
        (("42", "", 1, 1, "", "", "", "", ""),
         ("rocky", "", "", 1525779812, "", ("138",), "", 0, ""), ()),
    ]
    assert page.items == [(ExternalContact(*contact), FollowInfo(*follow, tag_ids=tag_ids))
                          for contact, follow, tag_ids in page.values]
    assert page.items[0][0].avatar == "http://a" and page.items[0][1].tag_ids == ("etA", "etB")


def test_relation_page_end_and_partial_entries() -> None:
    page = RelationPage.from_api(
        {"external_contact_list": [{"external_contact": {"external_userid": "wm1"}}]}
    )
    assert page.next_cursor == ""
    ((contact, follow),) = page.items
    assert contact.external_userid == "wm1" and contact.type == 1
    assert follow.userid == "" and follow.tag_ids == () and follow.add_way == 0


def test_follow_user_detail_tags_of_all_three_types() -> None:
    detail = FollowUserDetail.from_api(
        {
            "userid": "rocky",
            "createtime": 1525779812,
            "add_way": 202,
            "tags": [
                {"group_name": "客户等级", "tag_name": "VIP", "tag_id": "etAJ", "type": 1},
                {"group_name": "我的标签", "tag_name": "爱喝茶", "type": 2},
                {"group_name": "华东阶段", "tag_name": "已报价", "tag_id": "stAJ", "type": 3},
            ],
            "remark_mobiles": ["13800000001"],
        }
    )
    assert detail.add_way == 202  # newer codes kept verbatim
    assert detail.remark_mobiles == ("13800000001",)
    corp, personal, strategy = detail.tags
    assert corp == FollowUserTag("客户等级", "VIP", "etAJ", FollowUserTag.CORP)
    assert personal.tag_id is None and personal.type == FollowUserTag.PERSONAL
    assert strategy.type == FollowUserTag.STRATEGY


def test_strategy_and_range() -> None:
    strategy = Strategy.from_api(
        {
            "strategy_id": 1,
            "parent_id": 0,
            "strategy_name": "华东",
            "create_time": 1557838797,
            "admin_list": ["zhangsan"],
            "privilege": {
                "view_customer_list": True,
                "manage_customer_tag": True,
                "send_customer_msg": False,
            },
        }
    )
    assert strategy.name == "华东" and strategy.admin_list == ("zhangsan",)
    assert strategy.privileges == frozenset({"view_customer_list", "manage_customer_tag"})
    assert Strategy.from_api({"strategy_id": 2}).privileges == frozenset()
    member = StrategyRangeItem.from_api({"type": 1, "userid": "zhangsan"})
    department = StrategyRangeItem.from_api({"type": 2, "partyid": 3})
    assert member == StrategyRangeItem(StrategyRangeItem.MEMBER, "zhangsan", None)
    assert department == StrategyRangeItem(StrategyRangeItem.DEPARTMENT, None, 3)


def test_department_and_member_mapping() -> None:
    department = Department.from_api(
        {
            "id": 2,
            "name": "华东",
            "name_en": "East",
            "department_leader": ["li"],
            "parentid": 1,
            "order": 9,
        }
    )
    assert department == Department(2, "华东", "East", 1, 9, ("li",))
    member = Member.from_api(
        {
            "userid": "zhangsan",
            "name": "张三",
            "department": [1, 2],
            "order": [10, 40],
            "is_leader_in_dept": [1, 0],
            "main_department": 1,
            "status": 1,
            "position": "经理",
            "direct_leader": ["lisi"],
            "mobile": "secret-ish",
        }
    )
    assert member.departments == (1, 2) and member.department_orders == (10, 40)
    assert member.is_leader_in_dept == (1, 0) and member.main_department == 1
    assert member.direct_leaders == ("lisi",)
    bare = Member.from_api({"userid": "x"})
    assert bare.main_department is None and bare.status == 1 and bare.departments == ()


def test_contact_way_and_send_result() -> None:
    way = ContactWay.from_api(
        {
            "config_id": "42b3",
            "type": 2,
            "scene": 2,
            "style": 1,
            "remark": "展会A",
            "skip_verify": False,
            "state": "expo2026",
            "qr_code": "http://p.qpic.cn/x",
            "user": ["zhangsan", "lisi"],
            "party": [2, 3],
            "is_temp": False,
        }
    )
    assert way.user == ("zhangsan", "lisi") and way.party == (2, 3)
    assert way.skip_verify is False and way.style == 1
    assert ContactWay.from_api({"config_id": "c"}).skip_verify is True  # WeCom's default
    sent = SendResult.from_api({"invaliduser": "a|b", "invalidparty": "", "msgid": "m1"})
    assert sent == SendResult(("a", "b"), (), (), "m1")
