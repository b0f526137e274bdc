"""Rule groups and their tags through the WeCom client, against the sandbox over real HTTP:
create / edit / delete a rule group, add / edit / delete its tags, and the refusals WeCom
gives (console-made rule groups 81011, unknown members and departments, sub-rule-groups)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.wecom import RateLimits, StrategyRangeItem, WeComClient, WeComError

pytestmark = pytest.mark.integration

CONSOLE_MADE = 4   # 客服部规则组 in the generated corp


@pytest.fixture(scope="module")
def corp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    data = tmp_path_factory.mktemp("rule-groups")
    with SandboxServer(SandboxConfig(data_dir=data, customers=40, members=10, seed=3)) as server:
        yield server


@pytest.fixture
def client(corp: SandboxServer) -> Iterator[WeComClient]:
    with WeComClient(corp.api_base, corp.corp_id, corp.secret,
                     limits=RateLimits(max_retries=1)) as client:
        yield client


def _errcode(call: object) -> int:
    assert callable(call)
    with pytest.raises(WeComError) as caught:
        call()
    return caught.value.errcode


def test_a_rule_group_is_created_edited_and_deleted_with_its_tags(client: WeComClient) -> None:
    head = sorted(m.userid for m in client.list_users(1))[0]
    strategy_id = client.create_strategy("测试区域", admin_list=[head], departments=[12])
    assert strategy_id in client.list_strategies()
    made = client.get_strategy(strategy_id)
    assert (made.name, made.parent_id, made.admin_list) == ("测试区域", 0, (head,))
    assert client.get_strategy_range(strategy_id) == [
        StrategyRangeItem(StrategyRangeItem.DEPARTMENT, None, 12)]

    client.edit_strategy(strategy_id, name="测试区域2", add_userids=[head],
                         remove_departments=[12])
    assert client.get_strategy(strategy_id).name == "测试区域2"
    assert client.get_strategy_range(strategy_id) == [
        StrategyRangeItem(StrategyRangeItem.MEMBER, head, None)]

    group = client.add_strategy_tag(strategy_id, tags=["甲", ("乙", 5)], group_name="测试分级")
    assert group.strategy_id == strategy_id and [t.name for t in group.tags] == ["乙", "甲"]
    first = group.tags[0]
    client.edit_strategy_tag(first.id, name="乙级", order=9)
    more = client.add_strategy_tag(strategy_id, tags=["丙"], group_id=group.id)
    assert [t.name for t in more.tags] == ["丙"]
    listed = client.list_strategy_tags(strategy_id=strategy_id)
    assert [(g.name, [t.name for t in g.tags]) for g in listed] == [
        ("测试分级", ["乙级", "甲", "丙"])]
    client.del_strategy_tag(tag_ids=[first.id])
    assert [t.name for t in client.list_strategy_tags(strategy_id=strategy_id)[0].tags] == [
        "甲", "丙"]
    client.del_strategy(strategy_id)
    assert strategy_id not in client.list_strategies()
    assert _errcode(lambda: client.get_strategy(strategy_id)) == 40058


def test_what_wecom_refuses(client: WeComClient) -> None:
    member = sorted(m.userid for m in client.list_users(1))[0]
    assert _errcode(lambda: client.create_strategy(
        "x", admin_list=["no-such-member"], departments=[2])) == 60111
    assert _errcode(lambda: client.create_strategy(
        "x", admin_list=[member], departments=[999])) == 60123
    assert _errcode(lambda: client.add_strategy_tag(3, tags=["x"], group_name="g")) == 40058
    assert _errcode(lambda: client.del_strategy(1)) == 40058       # it has a sub rule group
    console_tags = client.list_strategy_tags(strategy_id=CONSOLE_MADE)
    assert [g.name for g in console_tags] == ["客服-工单类型"]
    tag = console_tags[0].tags[0]
    for refused in (
        lambda: client.add_strategy_tag(CONSOLE_MADE, tags=["退款"], group_name="客服-工单类型"),
        lambda: client.edit_strategy_tag(tag.id, name="改名"),
        lambda: client.del_strategy_tag(tag_ids=[tag.id]),
        lambda: client.edit_strategy(CONSOLE_MADE, name="改名"),
        lambda: client.del_strategy(CONSOLE_MADE),
    ):
        assert _errcode(refused) == 81011
    assert client.list_strategy_tags(strategy_id=CONSOLE_MADE) == console_tags


def test_console_made_rule_groups_can_be_invisible_as_wecom_documents(tmp_path: Path) -> None:
    from desktop.services.profiles import Profile
    from desktop.services.sync import run_sync
    from desktop.services.workspace import Workspace

    config = SandboxConfig(data_dir=tmp_path / "sandbox", customers=20, members=4, seed=3,
                           console_rule_groups_listed=False)
    with SandboxServer(config) as corp, WeComClient(
            corp.api_base, corp.corp_id, corp.secret, limits=RateLimits(max_retries=1)) as client:
        assert CONSOLE_MADE not in client.list_strategies()
        assert _errcode(lambda: client.get_strategy(CONSOLE_MADE)) == 40058
        assert _errcode(lambda: client.del_strategy(CONSOLE_MADE)) == 40058
        assert "客服-工单类型" not in [g.name for g in client.list_strategy_tags()]
        profile = Profile(name="t", corp_id=corp.corp_id, api_base=corp.api_base, userid="x")
        with Workspace(tmp_path / "home", profile, corp.secret) as ws:
            run_sync(ws.client(), ws.cache)
            assert ws.cache.scalar("SELECT count(*) FROM strategy WHERE id = ?",
                                   (CONSOLE_MADE,)) == 0
            assert ws.cache.scalar("SELECT count(*) FROM strategy") == 3
