"""mark_tag over real HTTP: relation and tag checks, atomicity, range and concurrency rules."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from desktop.sandbox import SandboxServer
from tests.integration.sandbox_support import WeComHttp, running_sandbox

MARK = "externalcontact/mark_tag"


@pytest.fixture
def api(sandbox: SandboxServer) -> Iterator[WeComHttp]:
    with WeComHttp(sandbox) as client:
        yield client.login()


def _mark(
    api: WeComHttp,
    relation: tuple[str, str],
    add: tuple[str, ...] | list[str] = (),
    remove: tuple[str, ...] | list[str] = (),
) -> dict[str, Any]:
    userid, external_userid = relation
    return api.post(
        MARK,
        {
            "userid": userid,
            "external_userid": external_userid,
            "add_tag": list(add),
            "remove_tag": list(remove),
        },
    )


def _untagged_with(sandbox: SandboxServer, tag_id: str) -> tuple[str, str]:
    return next(
        r for r in sandbox.state.relations() if tag_id not in sandbox.state.relation_tag_ids(*r)
    )


def test_add_and_remove_in_one_call_and_idempotent_repeats(
    api: WeComHttp, sandbox: SandboxServer
) -> None:
    vip = sandbox.state.find_tag("客户等级", "VIP")
    lost = sandbox.state.find_tag("客户等级", "流失预警")
    assert vip and lost
    relation = _untagged_with(sandbox, vip)
    sandbox.state.console_mark_tag(*relation, add=[lost])
    assert _mark(api, relation, add=[vip], remove=[lost])["errcode"] == 0
    tags = sandbox.state.relation_tag_ids(*relation)
    assert vip in tags and lost not in tags
    assert _mark(api, relation, add=[vip], remove=[lost])["errcode"] == 0
    assert sandbox.state.relation_tag_ids(*relation) == tags


def test_one_bad_id_fails_the_whole_call_naming_it(api: WeComHttp, sandbox: SandboxServer) -> None:
    vip = sandbox.state.find_tag("客户等级", "VIP")
    assert vip
    relation = _untagged_with(sandbox, vip)
    before = sandbox.state.relation_tag_ids(*relation)
    answer = _mark(api, relation, add=[vip, "etFIRSTBAD", "etSECONDBAD"])
    assert answer["errcode"] == 40068
    assert answer["errmsg"].startswith("invalid tagid: etFIRSTBAD,")
    present = sorted(before)[0]
    assert _mark(api, relation, add=[vip], remove=[present, "etGONE"])["errcode"] == 40068
    assert sandbox.state.relation_tag_ids(*relation) == before


def test_group_ids_and_deleted_tags_are_not_tags(api: WeComHttp, sandbox: SandboxServer) -> None:
    groups = api.ok("externalcontact/get_corp_tag_list", {})["tag_group"]
    relation = sandbox.state.relations()[0]
    assert _mark(api, relation, add=[groups[0]["group_id"]])["errcode"] == 40068
    temporary = api.ok(
        "externalcontact/add_corp_tag", {"group_name": "临时", "tag": [{"name": "一次性"}]}
    )["tag_group"]["tag"][0]
    assert _mark(api, relation, add=[temporary["id"]])["errcode"] == 0
    api.ok("externalcontact/del_corp_tag", {"tag_id": [temporary["id"]]})
    assert temporary["id"] not in sandbox.state.relation_tag_ids(*relation)
    assert _mark(api, relation, remove=[temporary["id"]])["errcode"] == 40068


def test_relation_member_and_request_checks(api: WeComHttp, sandbox: SandboxServer) -> None:
    vip = sandbox.state.find_tag("客户等级", "VIP")
    assert vip
    userid, external_userid = sandbox.state.relations()[0]
    stranger = next(
        u
        for u in sandbox.state.follow_users()
        if (u, external_userid) not in set(sandbox.state.relations())
    )
    assert _mark(api, (stranger, external_userid), add=[vip])["errcode"] == 84061
    assert _mark(api, ("nobody", external_userid), add=[vip])["errcode"] == 60111
    assert _mark(api, (userid, "not-a-customer"), add=[vip])["errcode"] == 40096
    assert _mark(api, (userid, external_userid))["errcode"] == 40063
    assert _mark(api, (userid, external_userid), add=[vip], remove=[vip])["errcode"] == 40058
    sandbox.state.delete_relation(userid, external_userid)
    assert _mark(api, (userid, external_userid), add=[vip])["errcode"] == 84061


def test_strategy_tags_only_for_members_in_range(tmp_path: Path) -> None:
    with running_sandbox(tmp_path, members=20) as server, WeComHttp(server) as api:
        api.login()
        north = server.state.find_tag("华北-跟进阶段", "初访")
        assert north and north.startswith("st")
        in_range = api.ok("externalcontact/customer_strategy/get_range", {"strategy_id": 1})
        north_members = {
            u["userid"]
            for u in api.ok(
                "user/list", department_id=in_range["range"][0]["partyid"], fetch_child=1
            )["userlist"]
        }
        relations = server.state.relations()
        inside = next(r for r in relations if r[0] in north_members)
        outside = next(r for r in relations if r[0] not in north_members)
        assert _mark(api, inside, add=[north])["errcode"] == 0
        answer = _mark(api, outside, add=[north])
        assert answer["errcode"] == 60011
        assert north not in server.state.relation_tag_ids(*outside)


def test_tags_per_relation_are_capped(tmp_path: Path) -> None:
    with running_sandbox(tmp_path, relation_tag_cap=3) as server, WeComHttp(server) as api:
        api.login()
        relation = next(
            r for r in server.state.relations() if not server.state.relation_tag_ids(*r)
        )
        first_three = [server.state.find_tag("客户等级", n) for n in ("VIP", "普通", "潜在")]
        fourth = server.state.find_tag("意向程度", "高意向")
        assert _mark(api, relation, add=[t for t in first_three if t])["errcode"] == 0
        assert _mark(api, relation, add=[fourth or ""])["errcode"] == 40058
        assert len(server.state.relation_tag_ids(*relation)) == 3


def _wait_until(condition: Any, timeout: float = 5.0) -> None:
    """Poll `condition`, then leave the accepted calls a moment to pass the gate too."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never came true"
        time.sleep(0.005)
    time.sleep(0.05)


def test_two_concurrent_calls_on_one_customer_answer_45033(sandbox: SandboxServer) -> None:
    vip = sandbox.state.find_tag("客户等级", "VIP")
    potential = sandbox.state.find_tag("客户等级", "潜在")
    assert vip and potential
    sandbox.configure(latency_ms=300)
    relation = sandbox.state.relations()[0]
    with WeComHttp(sandbox) as first, WeComHttp(sandbox) as second, ThreadPoolExecutor(1) as pool:
        first.login()
        second.token = first.token
        slow = pool.submit(_mark, first, relation, (vip,))
        _wait_until(lambda: sandbox.stats.in_flight(MARK) == 1)
        assert _mark(second, relation, add=[potential])["errcode"] == 45033
        assert slow.result()["errcode"] == 0
    tags = sandbox.state.relation_tag_ids(*relation)
    assert vip in tags
    assert sandbox.stats.errors(45033) == 1


def test_more_than_five_calls_in_flight_answer_45033(sandbox: SandboxServer) -> None:
    vip = sandbox.state.find_tag("客户等级", "VIP")
    assert vip
    sandbox.configure(latency_ms=400)
    customers: dict[str, tuple[str, str]] = {}
    for userid, external_userid in sandbox.state.relations():
        customers.setdefault(external_userid, (userid, external_userid))
    relations = list(customers.values())[:6]
    clients = [WeComHttp(sandbox) for _ in range(6)]
    clients[0].login()
    for client in clients[1:]:
        client.token = clients[0].token
    started = threading.Barrier(6)

    def call(index: int) -> dict[str, Any]:
        if index == 5:
            _wait_until(lambda: sandbox.stats.in_flight(MARK) == 5)
        else:
            started.wait()
        return _mark(clients[index], relations[index], add=[vip])

    with ThreadPoolExecutor(6) as pool:
        futures = [pool.submit(call, i) for i in range(5)]
        started.wait()
        sixth = pool.submit(call, 5)
        answers = [f.result() for f in futures]
    assert [a["errcode"] for a in answers] == [0] * 5
    assert sixth.result()["errcode"] == 45033
    for client in clients:
        client.session.close()
