"""Governance, role × operation: every cell of the matrix, decided without any I/O."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desktop.domain.governance import (
    Actor,
    Change,
    Operation,
    OrgChart,
    Policy,
    PolicyError,
    Role,
    Verdict,
    actor_for,
    branch_group_departments,
    check_policy,
    decide,
    decide_rule_group,
    decide_shared_item,
    policy_from_json,
)

CHART = OrgChart(
    names={1: "总部", 2: "市场部", 3: "运营部", 9: "客服部", 7: "华北分公司", 11: "北京销售组",
           5: "销售一部"},
    parents={1: 0, 2: 1, 3: 1, 9: 3, 7: 1, 11: 7, 5: 1},
)
POLICY = Policy(
    admins=("boss",),
    groups=(("华北-区域", "华北分公司"),),
    branch_admins=(("liu", "华北分公司"),),
    member_subtag_groups=("行业类型",),
    restricted_tagging_groups=("OPS-售后", "华北区域"),
    rename_threshold=100,
)


def _actor(userid: str, *memberships: tuple[int, bool]) -> Actor:
    return actor_for(userid, CHART, POLICY, server_admins=("root",), memberships=memberships)


ACTORS = {
    "admin": _actor("boss", (5, False)),
    "head_mkt": _actor("wang", (2, True)),
    "head_root": _actor("zhao", (1, True)),
    "branch_north": _actor("liu", (11, False)),
    "head_ops": _actor("sun", (3, True)),
    "member_mkt": _actor("li", (2, False)),
    "member_ops": _actor("zhou", (9, False)),
}
INDUSTRY = frozenset({"教育", "教育/K12", "金融"})
CHANGES = {
    "add_group_mkt": Change(Operation.ADD_GROUP, "MKT-新活动"),
    "add_tag_mkt": Change(Operation.ADD_TAG, "MKT-活动", "新品试用"),
    "rename_tag_few": Change(Operation.RENAME_TAG, "MKT-活动", "618大促", "618", customers=3),
    "rename_tag_many": Change(Operation.RENAME_TAG, "MKT-活动", "618大促", "618", customers=500),
    "rename_group_same_prefix": Change(Operation.RENAME_GROUP, "MKT-活动", new_name="MKT-大促"),
    "rename_group_into_ops": Change(Operation.RENAME_GROUP, "MKT-活动", new_name="OPS-活动"),
    "reorder_mkt": Change(Operation.REORDER, "MKT-活动", "618大促"),
    "delete_tag": Change(Operation.DELETE_TAG, "MKT-活动", "618大促"),
    "delete_group": Change(Operation.DELETE_GROUP, "MKT-活动"),
    "member_subtag": Change(Operation.ADD_TAG, "行业类型", "教育/K12/小学", existing=INDUSTRY),
    "member_top_level": Change(Operation.ADD_TAG, "行业类型", "农业", existing=INDUSTRY),
    "tag_restricted": Change(Operation.TAG_CUSTOMER, "OPS-售后", "待回访"),
    "tag_open": Change(Operation.TAG_CUSTOMER, "MKT-活动", "618大促"),
    "add_tag_branch": Change(Operation.ADD_TAG, "华北-区域", "天津"),
    "tag_rule_group_restricted": Change(Operation.TAG_CUSTOMER, "华北-跟进阶段", "初访",
                                        rule_group="华北区域", rule_group_range=frozenset({7})),
    "tag_rule_group_open": Change(Operation.TAG_CUSTOMER, "华南-客户分级", "A类",
                                  rule_group="华南区域", rule_group_range=frozenset({8})),
}
A, P, R = Verdict.ALLOW, Verdict.APPROVAL, Verdict.REFUSE
#                          admin head_mkt head_root branch head_ops mem_mkt mem_ops
MATRIX = {
    "add_group_mkt":            (A, A, A, R, R, R, R),
    "add_tag_mkt":              (A, A, A, R, R, R, R),
    "rename_tag_few":           (A, A, A, R, R, R, R),
    "rename_tag_many":          (A, P, P, R, R, R, R),
    "rename_group_same_prefix": (A, A, A, R, R, R, R),
    "rename_group_into_ops":    (A, R, A, R, R, R, R),
    "reorder_mkt":              (A, A, A, R, R, R, R),
    "delete_tag":               (A, P, P, P, P, P, P),
    "delete_group":             (A, P, P, P, P, P, P),
    "member_subtag":            (A, A, A, A, A, A, A),
    "member_top_level":         (A, R, R, R, R, R, R),
    "tag_restricted":           (A, R, A, R, A, R, A),
    "tag_open":                 (A, A, A, A, A, A, A),
    "add_tag_branch":           (A, R, A, A, R, R, R),
    "tag_rule_group_restricted": (A, R, A, A, R, R, R),
    "tag_rule_group_open":      (A, A, A, A, A, A, A),
}


@pytest.mark.parametrize("change_name", sorted(MATRIX))
def test_every_role_and_operation(change_name: str) -> None:
    decided = {role: decide(POLICY, CHART, actor, CHANGES[change_name]).verdict
               for role, actor in ACTORS.items()}
    assert decided == dict(zip(ACTORS, MATRIX[change_name], strict=True))


def test_the_matrix_covers_every_operation_and_role() -> None:
    assert {c.operation for c in CHANGES.values()} == set(Operation)
    assert {role for actor in ACTORS.values() for role in actor.roles} == set(Role)


def test_a_refusal_names_the_rule_and_who_may() -> None:
    decision = decide(POLICY, CHART, ACTORS["head_mkt"],
                      Change(Operation.RENAME_TAG, "OPS-服务", "已开票", "开票完成"))
    assert decision.zh == "只有 运营部 负责人或管理员可以修改 OPS- 标签组"
    assert decision.en == "only the head of 运营部 or an administrator may edit OPS- groups"
    assert decision.sentence == ("只有 运营部 负责人或管理员可以修改 OPS- 标签组 / Only the head"
                                 " of 运营部 or an administrator may edit OPS- groups")
    into = decide(POLICY, CHART, ACTORS["head_mkt"], CHANGES["rename_group_into_ops"])
    assert "运营部" in into.zh and "OPS-" in into.en and into.rule == "rename-into-other-owner"
    public = decide(POLICY, CHART, ACTORS["head_mkt"], Change(Operation.ADD_GROUP, "客户等级2"))
    assert public.en == "only an administrator may create the public group 客户等级2"


def test_member_subtags_need_an_existing_parent_and_at_most_five_levels() -> None:
    member = ACTORS["member_mkt"]
    orphan = Change(Operation.ADD_TAG, "行业类型", "农业/果园", existing=INDUSTRY)
    assert "农业" in decide(POLICY, CHART, member, orphan).en
    deep = "教育/K12/a/b/c/d"
    too_deep = Change(Operation.ADD_TAG, "行业类型", deep, existing=INDUSTRY | {deep[:-2]})
    assert decide(POLICY, CHART, member, too_deep).verdict is R
    closed = Change(Operation.ADD_TAG, "客户等级", "普通/新客", existing=frozenset({"普通"}))
    assert decide(POLICY, CHART, member, closed).verdict is R


def test_a_head_covers_sub_departments_and_roles_come_from_wecom_and_policy() -> None:
    owned_by_service = Policy(groups=(("客服-质检", "客服部"),))
    head_ops = actor_for("sun", CHART, owned_by_service, (), [(3, True)])
    change = Change(Operation.ADD_TAG, "客服-质检", "抽检")
    assert decide(owned_by_service, CHART, head_ops, change).verdict is A
    assert ACTORS["admin"].roles == (Role.ADMIN,)
    assert ACTORS["branch_north"].roles == (Role.BRANCH_ADMIN,)
    assert ACTORS["member_ops"].roles == (Role.MEMBER,)
    assert _actor("root").admin  # the server's --admin list counts too


def test_policy_json_round_trip_and_bad_input() -> None:
    assert policy_from_json(POLICY.as_json()) == POLICY
    assert policy_from_json({}) == Policy()
    bad: object
    for bad in ([], {"admins": "boss"}, {"rename_threshold": -1}, {"prefixes": {"MKT-": ""}},
                {"colour": "red"}, {"rename_threshold": True}):
        with pytest.raises(PolicyError):
            policy_from_json(bad)


def test_a_policy_that_leaves_no_admin_or_names_an_unknown_department_is_refused() -> None:
    with pytest.raises(PolicyError, match="no administrator"):
        check_policy(Policy(), CHART, server_admins=())
    check_policy(Policy(), CHART, server_admins=("root",))
    with pytest.raises(PolicyError, match="法务部") as unknown:
        check_policy(Policy(admins=("boss",), prefixes=(("LAW-", "法务部"),)), CHART, ())
    assert unknown.value.zh.startswith("部门前缀（prefixes）中 LAW- ")   # the form's label
    assert unknown.value.en.startswith("In Department prefixes (prefixes), LAW- ")


def test_a_bad_policy_value_is_named_by_its_label_on_the_form() -> None:
    with pytest.raises(PolicyError) as threshold:
        policy_from_json({"rename_threshold": -1})
    assert threshold.value.zh == "改名需审批的客户数（rename_threshold）必须是不小于 0 的整数。"
    with pytest.raises(PolicyError) as admins:
        policy_from_json({"admins": "boss"})
    assert admins.value.en == "Administrators (admins) must be a list of non-empty texts."


def test_rule_groups_belong_to_the_heads_of_their_range() -> None:
    north = {7}
    decided = {role: decide_rule_group(POLICY, CHART, actor, north).verdict
               for role, actor in ACTORS.items()}
    assert decided == {"admin": A, "head_mkt": R, "head_root": A, "branch_north": A,
                       "head_ops": R, "member_mkt": R, "member_ops": R}
    refused = decide_rule_group(POLICY, CHART, ACTORS["head_mkt"], north, "创建", "create")
    assert refused.en == "only an administrator or the head of 华北分公司 may create this rule group"
    assert decide_rule_group(POLICY, CHART, ACTORS["head_root"], ()).verdict is R  # no range: admins only


def test_only_branches_get_rule_groups_from_their_heads() -> None:
    """A department no branch admin of the policy covers is no branch: its head may not make
    it a rule group (市场部's tags are corp tags), so no branch tag group is offered to them."""
    marketing = decide_rule_group(POLICY, CHART, ACTORS["head_mkt"], {2}, "创建", "create")
    assert marketing.verdict is R and marketing.rule == "rule-group-branch"
    assert marketing.en == ("no branch admin in the policy covers 市场部, so it is no branch:"
                            " only an administrator may create this rule group")
    assert decide_rule_group(POLICY, CHART, ACTORS["head_root"], {1, 2}).verdict is R
    assert decide_rule_group(POLICY, CHART, ACTORS["branch_north"], {7, 11}).verdict is A
    head_beijing = _actor("qian", (11, True))
    assert decide_rule_group(POLICY, CHART, head_beijing, {11}).verdict is A
    offered = {role: branch_group_departments(POLICY, CHART, actor)
               for role, actor in ACTORS.items()}
    assert offered == {"admin": None, "head_mkt": frozenset(), "head_root": frozenset({7, 11}),
                       "branch_north": frozenset({7, 11}), "head_ops": frozenset(),
                       "member_mkt": frozenset(), "member_ops": frozenset()}
    assert branch_group_departments(POLICY, CHART, head_beijing) == frozenset({11})


def test_a_restricted_rule_group_names_its_range_or_the_department_the_policy_gives_it(
        ) -> None:
    change = CHANGES["tag_rule_group_restricted"]
    refused = decide(POLICY, CHART, ACTORS["member_mkt"], change)
    assert refused.zh == "规则组 华北区域 的标签只有 华北分公司 的成员可以给客户打"
    assert refused.en == ("only members of 华北分公司 may tag customers with the rule group"
                          " 华北区域")
    by_group = replace(POLICY, restricted_tagging_groups=("华北-跟进阶段",))
    assert "the group 华北-跟进阶段" in decide(by_group, CHART, ACTORS["member_mkt"], change).en
    given = replace(POLICY, groups=(("华北区域", "市场部"),))
    decided = {role: decide(given, CHART, actor, change).verdict
               for role, actor in ACTORS.items()}
    assert decided == {"admin": A, "head_mkt": A, "head_root": A, "branch_north": R,
                       "head_ops": R, "member_mkt": A, "member_ops": R}
    nobody = replace(change, rule_group_range=frozenset())
    assert "the administrators" in decide(POLICY, CHART, ACTORS["head_ops"], nobody).en


def test_the_desktop_rebuilds_the_servers_view_of_a_user_from_json() -> None:
    chart = OrgChart.from_json(CHART.as_json())
    assert chart == CHART
    for actor in ACTORS.values():
        assert Actor.from_json(actor.as_json(), chart) == actor


@pytest.mark.parametrize(("actor", "author", "groups", "verdict"), [
    ("member_mkt", "li", ["MKT-活动"], Verdict.ALLOW),          # the author
    ("admin", "li", ["行业类型"], Verdict.ALLOW),                # an administrator
    ("head_mkt", "li", ["MKT-活动", "MKT-渠道"], Verdict.ALLOW),  # heads every owning department
    ("head_root", "li", ["MKT-活动", "OPS-售后"], Verdict.ALLOW),
    ("head_mkt", "li", ["MKT-活动", "OPS-售后"], Verdict.REFUSE),  # not every one
    ("head_mkt", "li", ["MKT-活动", "行业类型"], Verdict.REFUSE),  # a public group in it
    ("head_mkt", "li", [], Verdict.REFUSE),                     # a filter: no group owns it
    ("member_ops", "li", ["OPS-售后"], Verdict.REFUSE),
    ("member_ops", "", ["行业类型"], Verdict.REFUSE),
])
def test_a_team_item_is_deleted_or_overwritten_by_its_author_a_head_or_an_admin(
        actor: str, author: str, groups: list[str], verdict: Verdict) -> None:
    decision = decide_shared_item(POLICY, CHART, ACTORS[actor], "exclusive_set", "成交状态",
                                  author, groups)
    assert decision.verdict is verdict


def test_refusing_a_team_item_names_who_may_change_it() -> None:
    refused = decide_shared_item(POLICY, CHART, ACTORS["member_ops"], "exclusive_set", "成交状态",
                                 "li", ["MKT-活动"])
    assert refused.sentence == (
        "只有作者 li、市场部 负责人或管理员可以删除或修改团队互斥标签组「成交状态」 / Only its author li,"
        " the head of 市场部 or an administrator may delete or change the team exclusive set 成交状态")
    filter_refused = decide_shared_item(POLICY, CHART, ACTORS["head_mkt"], "saved_filter", "高意向",
                                        "", [])
    assert filter_refused.en == "only an administrator may delete or change the team saved filter 高意向"
