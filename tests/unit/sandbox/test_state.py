"""Console actions and inspection on the sandbox state, without HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.sandbox.config import SandboxConfig
from desktop.sandbox.schema import SandboxDataError
from desktop.sandbox.state import SandboxState


@pytest.fixture
def state(tmp_path: Path) -> Iterator[SandboxState]:
    opened = SandboxState.open(SandboxConfig(data_dir=tmp_path, customers=200, members=8, seed=4))
    yield opened
    opened.close()


def test_console_mark_tag_changes_one_relation_only(state: SandboxState) -> None:
    vip = state.find_tag("客户等级", "VIP")
    assert vip
    relations = state.relations()
    target = next(r for r in relations if vip not in state.relation_tag_ids(*r))
    others = {r: state.relation_tag_ids(*r) for r in relations if r != target}
    state.console_mark_tag(*target, add=[vip])
    assert vip in state.relation_tag_ids(*target)
    assert {r: state.relation_tag_ids(*r) for r in others} == others
    state.console_mark_tag(*target, remove=[vip])
    assert vip not in state.relation_tag_ids(*target)
    with pytest.raises(ValueError, match="etNOPE"):
        state.console_mark_tag(*target, add=["etNOPE"])
    with pytest.raises(KeyError):
        state.console_mark_tag("nobody", target[1], add=[vip])


def test_console_tags_are_not_app_owned_and_can_be_edited_there(state: SandboxState) -> None:
    tag_id = state.console_add_tag("客户等级", "战略客户")
    assert state.console_add_tag("客户等级", "战略客户") == tag_id
    assert not state.is_app_owned(tag_id)
    assert state.tag_ids_by_name()[("客户等级", "战略客户")] == tag_id
    new_group_tag = state.console_add_tag("展会现场", "已加微信")
    assert state.find_tag("展会现场", "已加微信") == new_group_tag
    state.console_edit_tag(tag_id, name="战略级", order=77)
    assert state.find_tag("客户等级", "战略级") == tag_id
    assert state.tag_order(tag_id) == 77
    state.console_delete_tag(state.tag_ids_by_name()[("地区", "深圳")])
    assert state.find_tag("地区", "深圳") is None
    with pytest.raises(ValueError):
        state.console_delete_tag("etNOSUCH")
    with pytest.raises(KeyError):
        state.tag_order("etNOSUCH")


def test_console_group_delete_takes_its_tags_off_every_relation(state: SandboxState) -> None:
    region_ids = {
        tag_id for (group, _), tag_id in state.tag_ids_by_name().items() if group == "地区"
    }
    group_id = state.find_group("地区")
    assert group_id and state.find_group("没有这个组") is None
    assert any(state.relation_tag_ids(*r) & region_ids for r in state.relations())
    state.console_delete_tag(group_id)
    assert state.find_group("地区") is None
    assert not any(state.relation_tag_ids(*r) & region_ids for r in state.relations())
    with pytest.raises(ValueError):
        state.console_mark_tag(*state.relations()[0], add=[next(iter(region_ids))])


def test_simulated_scans_take_turns_and_carry_the_state(state: SandboxState) -> None:
    ways = state.contact_way_ids()
    config_id = ways["douyin_ad"]
    scans = [state.simulate_scan(config_id) for _ in range(4)]
    members = [userid for userid, _ in scans]
    assert len(set(members)) > 1, "members of a multi-member way take turns"
    for userid, external_userid in scans:
        assert state.relation_state(userid, external_userid) == "douyin_ad"
        assert state.relation_tag_ids(userid, external_userid) == set()
    userid, external_userid = scans[0]
    second = state.simulate_scan(config_id, external_userid)
    assert second[1] == external_userid and second[0] != userid
    with pytest.raises(KeyError):
        state.simulate_scan("0" * 32)
    with pytest.raises(KeyError):
        state.simulate_scan(config_id, "wmNOSUCHCUSTOMER")
    single = ways["referral_2025"]
    once = state.simulate_scan(single)
    with pytest.raises(ValueError):
        state.simulate_scan(single, once[1])


def test_deleted_relations_are_gone(state: SandboxState) -> None:
    relation = state.relations()[0]
    state.delete_relation(*relation)
    assert relation not in state.relations()
    with pytest.raises(KeyError):
        state.relation_tag_ids(*relation)
    with pytest.raises(KeyError):
        state.delete_relation(*relation)


def test_a_folder_from_another_layout_is_refused(state: SandboxState, tmp_path: Path) -> None:
    with state.transaction() as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    state.close()
    with pytest.raises(SandboxDataError, match="new folder"):
        SandboxState.open(SandboxConfig(data_dir=tmp_path))
