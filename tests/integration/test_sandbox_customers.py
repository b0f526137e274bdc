"""Reading customers, contact ways, the org chart and app messages over real HTTP."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.sandbox import SandboxServer
from tests.integration.sandbox_support import WeComHttp, running_sandbox

BATCH = "externalcontact/batch/get_by_user"


@pytest.fixture
def api(sandbox: SandboxServer) -> Iterator[WeComHttp]:
    with WeComHttp(sandbox) as client:
        yield client.login()


@pytest.mark.parametrize("limit", [100, 7])
def test_batch_paging_returns_every_relation_exactly_once(
    api: WeComHttp, sandbox: SandboxServer, limit: int
) -> None:
    followers = api.ok("externalcontact/get_follow_user_list")["follow_user"]
    items = api.all_relations(followers, limit=limit)
    seen = Counter(
        (i["follow_info"]["userid"], i["external_contact"]["external_userid"]) for i in items
    )
    assert set(seen.values()) == {1}
    assert set(seen) == set(sandbox.state.relations())
    for item in items[:50]:
        relation = (item["follow_info"]["userid"], item["external_contact"]["external_userid"])
        assert set(item["follow_info"]["tag_id"]) == sandbox.state.relation_tag_ids(*relation)


def test_the_last_page_ends_with_an_empty_cursor_not_an_empty_page(
    api: WeComHttp, sandbox: SandboxServer
) -> None:
    userid = sandbox.state.follow_users()[0]
    total = sum(1 for u, _ in sandbox.state.relations() if u == userid)
    assert total > 2
    first = api.ok(BATCH, {"userid_list": [userid], "limit": total - 1})
    assert len(first["external_contact_list"]) == total - 1 and first["next_cursor"]
    last = api.ok(BATCH, {"userid_list": [userid], "cursor": first["next_cursor"], "limit": 1})
    assert len(last["external_contact_list"]) == 1
    assert last["next_cursor"] == ""
    exact = api.ok(BATCH, {"userid_list": [userid], "limit": total})
    assert exact["next_cursor"] == ""


def test_batch_limits_and_parameters(api: WeComHttp, sandbox: SandboxServer) -> None:
    followers = sandbox.state.follow_users()
    assert len(api.ok(BATCH, {"userid_list": followers})["external_contact_list"]) == 50
    assert (
        len(api.ok(BATCH, {"userid_list": followers, "limit": 1000})["external_contact_list"])
        == 100
    )
    too_many = [f"user{i}" for i in range(101)]
    assert api.post(BATCH, {"userid_list": too_many})["errcode"] == 40058
    assert api.post(BATCH, {"userid_list": []})["errcode"] == 40063
    assert api.post(BATCH, {"userid_list": followers, "cursor": "garbage"})["errcode"] == 40058
    unknown_only = api.ok(BATCH, {"userid_list": ["nobody"]})
    assert unknown_only["external_contact_list"] == [] and unknown_only["next_cursor"] == ""


def test_batch_items_carry_state_and_no_personal_tags(
    api: WeComHttp, sandbox: SandboxServer
) -> None:
    items = api.all_relations(sandbox.state.follow_users())
    states = Counter(i["follow_info"].get("state", "") for i in items)
    assert states["expo2025"] > 0 and states[""] > 0
    for item in items:
        info = item["follow_info"]
        assert {"userid", "remark", "description", "createtime", "tag_id", "add_way"} <= set(info)
        assert all(tag_id.startswith(("et", "st")) for tag_id in info["tag_id"])
        assert "state" not in info or info["state"]
    types = Counter(i["external_contact"]["type"] for i in items)
    assert types[1] > types[2] > 0


def test_get_shows_corp_personal_and_strategy_tags_by_type(
    api: WeComHttp, sandbox: SandboxServer
) -> None:
    multi = Counter(e for _, e in sandbox.state.relations())
    typed: Counter[int] = Counter()
    for external_userid, followers in multi.items():
        answer = api.ok("externalcontact/get", external_userid=external_userid)
        assert answer["external_contact"]["external_userid"] == external_userid
        assert len(answer["follow_user"]) == followers
        assert answer["next_cursor"] == ""
        for follow in answer["follow_user"]:
            for tag in follow["tags"]:
                typed[tag["type"]] += 1
                assert ("tag_id" in tag) == (tag["type"] != 2)
            corp_ids = {t["tag_id"] for t in follow["tags"] if t["type"] != 2}
            assert corp_ids == sandbox.state.relation_tag_ids(follow["userid"], external_userid)
        if typed[1] and typed[2] and typed[3]:
            break
    assert typed[1] and typed[2] and typed[3]


def test_company_fields_only_for_wecom_customers(api: WeComHttp, sandbox: SandboxServer) -> None:
    items = api.all_relations(sandbox.state.follow_users())
    wecom = next(i["external_contact"] for i in items if i["external_contact"]["type"] == 2)
    wechat = next(i["external_contact"] for i in items if i["external_contact"]["type"] == 1)
    assert wecom["corp_name"] and wecom["corp_full_name"].endswith("公司")
    assert wecom["external_userid"].startswith("wo") and wechat["external_userid"].startswith("wm")
    assert "corp_name" not in wechat


def test_list_and_get_errors(api: WeComHttp, sandbox: SandboxServer) -> None:
    userid, external_userid = sandbox.state.relations()[0]
    listed = api.ok("externalcontact/list", userid=userid)["external_userid"]
    assert external_userid in listed
    assert api.get("externalcontact/list", userid="nobody")["errcode"] == 60111
    assert api.get("externalcontact/get", external_userid="wmNOSUCHCUSTOMER")["errcode"] == 40096
    for other in [u for u, e in sandbox.state.relations() if e == external_userid]:
        sandbox.state.delete_relation(other, external_userid)
    assert api.get("externalcontact/get", external_userid=external_userid)["errcode"] == 84061


def test_a_member_without_customers_answers_84061_with_an_empty_list(
    api: WeComHttp, sandbox: SandboxServer
) -> None:
    userid = sandbox.state.follow_users()[-1]
    for member, external_userid in sandbox.state.relations():
        if member == userid:
            sandbox.state.delete_relation(member, external_userid)
    answer = api.get("externalcontact/list", userid=userid)
    assert answer["errcode"] == 84061 and answer["external_userid"] == []


def test_contact_ways_and_simulated_scans(api: WeComHttp, sandbox: SandboxServer) -> None:
    userid = sandbox.state.follow_users()[0]
    created = api.ok(
        "externalcontact/add_contact_way",
        {"type": 1, "scene": 2, "remark": "春季展会", "state": "spring_expo", "user": [userid]},
    )
    config_id = created["config_id"]
    assert len(config_id) == 32 and created["qr_code"].startswith("https://")
    way = api.ok("externalcontact/get_contact_way", {"config_id": config_id})["contact_way"]
    assert (way["state"], way["user"], way["remark"]) == ("spring_expo", [userid], "春季展会")
    listed = api.ok("externalcontact/list_contact_way", {})["contact_way"]
    assert {"config_id": config_id} in listed and len(listed) == 7
    member, customer = sandbox.state.simulate_scan(config_id)
    assert member == userid
    found = [
        i
        for i in api.all_relations([userid])
        if i["external_contact"]["external_userid"] == customer
    ]
    assert found[0]["follow_info"]["state"] == "spring_expo"
    assert found[0]["follow_info"]["oper_userid"] == customer
    assert found[0]["follow_info"]["add_way"] == 1
    other = sandbox.state.follow_users()[1]
    api.ok(
        "externalcontact/update_contact_way", {"config_id": config_id, "type": 2, "user": [other]}
    )
    way = api.ok("externalcontact/get_contact_way", {"config_id": config_id})["contact_way"]
    assert way["user"] == [other] and way["remark"] == "春季展会" and way["state"] == "spring_expo"
    assert sandbox.state.simulate_scan(config_id, customer) == (other, customer)
    api.ok("externalcontact/del_contact_way", {"config_id": config_id})
    assert api.post("externalcontact/get_contact_way", {"config_id": config_id})["errcode"] == 40058


def test_contact_way_validation(api: WeComHttp, sandbox: SandboxServer) -> None:
    userid = sandbox.state.follow_users()[0]
    base = {"type": 1, "scene": 2, "user": [userid]}
    assert (
        api.post("externalcontact/add_contact_way", {**base, "state": "s" * 31})["errcode"] == 40058
    )
    assert api.ok("externalcontact/add_contact_way", {**base, "state": "s" * 30})
    assert (
        api.post("externalcontact/add_contact_way", {**base, "user": ["nobody"]})["errcode"]
        == 60111
    )
    two = {**base, "user": sandbox.state.follow_users()[:2]}
    assert api.post("externalcontact/add_contact_way", two)["errcode"] == 40058
    assert api.post("externalcontact/add_contact_way", {"type": 2, "scene": 2})["errcode"] == 40063
    party = api.ok("externalcontact/add_contact_way", {"type": 2, "scene": 1, "party": [4]})
    assert "qr_code" not in party
    generated = sandbox.state.contact_way_ids()
    assert {"expo2025", "douyin_ad", "wx_article_03"} <= set(generated)
    expo = api.ok("externalcontact/get_contact_way", {"config_id": generated["expo2025"]})
    assert expo["contact_way"]["remark"] == "展会A"


def test_org_chart(api: WeComHttp, sandbox: SandboxServer) -> None:
    departments = api.ok("department/list")["department"]
    names = {d["name"] for d in departments}
    assert {"总部", "市场部", "运营部", "销售一部", "销售二部", "华北分公司", "华南分公司"} <= names
    root = next(d for d in departments if d["id"] == 1)
    assert root["parentid"] == 0
    sales = api.ok("department/list", id=4)["department"]
    assert {d["name"] for d in sales} == {"销售中心", "销售一部", "销售二部"}
    assert api.get("department/list", id=999)["errcode"] == 60123
    everyone = api.ok("user/list", department_id=1, fetch_child=1)["userlist"]
    assert len(everyone) == 8
    assert api.ok("user/simplelist", department_id=1)["userlist"] == [
        {k: u[k] for k in ("userid", "name", "department", "open_userid")}
        for u in everyone
        if 1 in u["department"]
    ]
    leader = next(u for u in everyone if 1 in u["is_leader_in_dept"])
    position = leader["is_leader_in_dept"].index(1)
    department = next(d for d in departments if d["id"] == leader["department"][position])
    assert leader["userid"] in department["department_leader"]
    member = api.ok("user/get", userid=leader["userid"])
    assert len(member["department"]) == len(member["order"]) == len(member["is_leader_in_dept"])
    assert api.get("user/get", userid="nobody")["errcode"] == 60111


def test_message_send_reports_invalid_recipients(api: WeComHttp, sandbox: SandboxServer) -> None:
    userid = sandbox.state.follow_users()[0]
    body = {
        "touser": f"{userid}|ghost",
        "toparty": "",
        "totag": "",
        "msgtype": "text",
        "agentid": sandbox.agent_id,
        "text": {"content": "标签批量任务已完成"},
        "safe": 0,
    }
    answer = api.ok("message/send", body)
    assert answer["invaliduser"] == "ghost" and answer["msgid"]
    assert sandbox.state.sent_messages()[-1]["touser"] == [userid]
    assert api.post("message/send", {**body, "touser": "ghost"})["errcode"] == 81013
    assert api.post("message/send", {**body, "agentid": 1})["errcode"] == 40056
    assert api.post("message/send", {**body, "text": {"content": ""}})["errcode"] == 44004


def test_strategy_tags_can_be_hidden_from_get(tmp_path: Path) -> None:
    with running_sandbox(tmp_path, strategy_tags_in_get=False) as server, WeComHttp(server) as api:
        api.login()
        carriers = [
            r
            for r in server.state.relations()
            if any(t.startswith("st") for t in server.state.relation_tag_ids(*r))
        ]
        assert carriers
        userid, external_userid = carriers[0]
        follow = next(
            f
            for f in api.ok("externalcontact/get", external_userid=external_userid)["follow_user"]
            if f["userid"] == userid
        )
        assert follow["tags"] and all(t["type"] in (1, 2) for t in follow["tags"])
        batch = [
            i
            for i in api.all_relations([userid])
            if i["external_contact"]["external_userid"] == external_userid
        ]
        assert any(t.startswith("st") for t in batch[0]["follow_info"]["tag_id"])
