"""Who may change which tags: roles, the team policy and one decision per tree write.

Pure logic (no I/O): the team server builds an :class:`OrgChart` from WeCom's directory,
an :class:`Actor` from the caller's WeCom record plus the policy, and asks :func:`decide`
about each write. Every refusal names the rule and who can do it, in Chinese and English.

Roles: corp admins (the server's `--admin` list or the policy's), department heads (WeCom's
`is_leader_in_dept`; a head covers the department's sub-departments), branch admins (the
policy gives a member a department subtree) and members. A group belongs to a department by
an explicit `groups` entry or by the first matching name prefix; a group no department owns
is public and only admins edit it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.domain.bilingual import both

MAX_SUBTAG_LEVELS = 5
DEFAULT_RENAME_THRESHOLD = 100
PATH_SEPARATOR = "/"


class PolicyError(ValueError):
    """A policy that cannot be used; `zh` and `en` say why in one sentence."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class OrgChart:
    """WeCom's department tree: names and parents by id."""

    names: Mapping[int, str]
    parents: Mapping[int, int]

    def find(self, ref: str) -> int | None:
        """The department named `ref` (or whose id `ref` is)."""
        for department, name in self.names.items():
            if name == ref:
                return department
        if ref.isdigit() and int(ref) in self.names:
            return int(ref)
        return None

    def name(self, department: int) -> str:
        return self.names.get(department, str(department))

    def as_json(self) -> dict[str, Any]:
        return {"departments": [{"id": d, "name": n, "parentid": self.parents.get(d, 0)}
                                for d, n in sorted(self.names.items())]}

    @classmethod
    def from_json(cls, data: object) -> OrgChart:
        rows = data.get("departments") if isinstance(data, dict) else None
        items = [r for r in rows or [] if isinstance(r, dict) and isinstance(r.get("id"), int)]
        return cls({r["id"]: str(r.get("name", "")) for r in items},
                   {r["id"]: int(r.get("parentid") or 0) for r in items})

    def subtree(self, roots: Iterable[int]) -> frozenset[int]:
        """`roots` and every department below them."""
        children: dict[int, list[int]] = {}
        for department, parent in self.parents.items():
            children.setdefault(parent, []).append(department)
        found: set[int] = set()
        pending = list(roots)
        while pending:
            department = pending.pop()
            if department not in found:
                found.add(department)
                pending.extend(children.get(department, ()))
        return frozenset(found)


@dataclass(frozen=True)
class Policy:
    """The team's governance policy, stored on the team server.

    `prefixes` and `groups` map a group-name prefix or an exact group name to a department
    (its name or id); `branch_admins` gives a userid a department subtree; members may add
    sub-tags (path names beneath an existing parent) in `member_subtag_groups`; only the
    owning department may tag customers with the tags of `restricted_tagging_groups`; a
    non-admin renaming a tag carried by more than `rename_threshold` customers needs approval.
    """

    admins: tuple[str, ...] = ()
    prefixes: tuple[tuple[str, str], ...] = (("MKT-", "市场部"), ("OPS-", "运营部"))
    groups: tuple[tuple[str, str], ...] = ()
    branch_admins: tuple[tuple[str, str], ...] = ()
    member_subtag_groups: tuple[str, ...] = ()
    restricted_tagging_groups: tuple[str, ...] = ()
    rename_threshold: int = DEFAULT_RENAME_THRESHOLD

    def owner_ref(self, group: str) -> tuple[str, str] | None:
        """(department, how the rule reads) owning `group`, or None for a public group."""
        for name, department in self.groups:
            if name == group:
                return department, group
        for prefix, department in sorted(self.prefixes, key=lambda p: -len(p[0])):
            if group.startswith(prefix):
                return department, prefix
        return None

    def as_json(self) -> dict[str, Any]:
        return {
            "admins": list(self.admins),
            "prefixes": dict(self.prefixes),
            "groups": dict(self.groups),
            "branch_admins": dict(self.branch_admins),
            "member_subtag_groups": list(self.member_subtag_groups),
            "restricted_tagging_groups": list(self.restricted_tagging_groups),
            "rename_threshold": self.rename_threshold,
        }


def policy_from_json(data: object) -> Policy:
    """A policy from its JSON form (missing keys keep their defaults); PolicyError if bad."""
    if not isinstance(data, dict):
        raise PolicyError("策略必须是一个 JSON 对象。", "The policy must be a JSON object.")
    known = set(Policy().as_json())
    unknown = sorted(set(data) - known)
    if unknown:
        raise PolicyError(f"策略中有未知的项：{', '.join(unknown)}。",
                          f"The policy has unknown keys: {', '.join(unknown)}.")
    default = Policy()
    threshold = data.get("rename_threshold", default.rename_threshold)
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
        zh, en = policy_field("rename_threshold")
        raise PolicyError(f"{zh}必须是不小于 0 的整数。", f"{en} must be a whole number of at least 0.")
    return Policy(
        admins=_texts(data, "admins", default.admins),
        prefixes=_pairs(data, "prefixes", default.prefixes),
        groups=_pairs(data, "groups", default.groups),
        branch_admins=_pairs(data, "branch_admins", default.branch_admins),
        member_subtag_groups=_texts(data, "member_subtag_groups", default.member_subtag_groups),
        restricted_tagging_groups=_texts(data, "restricted_tagging_groups",
                                         default.restricted_tagging_groups),
        rename_threshold=threshold,
    )


POLICY_KEYS = {
    "admins": ("管理员", "Administrators"),
    "prefixes": ("部门前缀", "Department prefixes"),
    "groups": ("标签组 → 部门", "Groups → department"),
    "branch_admins": ("分公司管理员", "Branch admins"),
    "member_subtag_groups": ("成员可添加子标签的标签组", "Members may add sub-tags in"),
    "restricted_tagging_groups": ("限制打标签的标签组或规则组", "Restricted tagging"),
    "rename_threshold": ("改名需审批的客户数", "Renames needing approval above"),
}
"""Each policy key as the policy form labels it, so a refusal names the field the user sees."""


def policy_field(key: str) -> tuple[str, str]:
    """The form's label for `key` with the JSON key beside it: (中文, English)."""
    zh, en = POLICY_KEYS.get(key, (key, key))
    return f"{zh}（{key}）", f"{en} ({key})"


def check_policy(policy: Policy, chart: OrgChart, server_admins: Iterable[str]) -> None:
    """Refuse a policy that leaves no admin or names a department WeCom does not have."""
    if not set(policy.admins) | set(server_admins):
        raise PolicyError("策略没有留下任何管理员（服务器也没有 --admin）：已拒绝。",
                          "The policy leaves no administrator (and the server has no --admin):"
                          " refused.")
    for key, pairs in (("prefixes", policy.prefixes), ("groups", policy.groups),
                       ("branch_admins", policy.branch_admins)):
        for name, department in pairs:
            if chart.find(department) is None:
                zh, en = policy_field(key)
                raise PolicyError(f"{zh}中 {name} 对应的部门 {department} 在企业微信中不存在。",
                                  f"In {en}, {name} names the department {department}, which"
                                  " WeCom does not have.")


def _texts(data: Mapping[str, Any], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = data.get(key, list(default))
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        zh, en = policy_field(key)
        raise PolicyError(f"{zh}必须是非空文字的列表。", f"{en} must be a list of non-empty texts.")
    return tuple(v.strip() for v in value)


def _pairs(data: Mapping[str, Any], key: str,
           default: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    value = data.get(key, dict(default))
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and k.strip() and isinstance(v, str | int) and str(v).strip()
            for k, v in value.items()):
        zh, en = policy_field(key)
        raise PolicyError(f"{zh}必须是“名称 → 部门”的对象。",
                          f"{en} must be an object mapping names to departments.")
    return tuple((k.strip(), str(v).strip()) for k, v in value.items())


class Role(enum.Enum):
    ADMIN = "admin"
    HEAD = "head"
    BRANCH_ADMIN = "branch_admin"
    MEMBER = "member"


@dataclass(frozen=True)
class Actor:
    """One user as governance sees them. `managed` is every department they manage as a
    head or branch admin (sub-departments included); `departments` those they belong to."""

    userid: str
    admin: bool = False
    headed: frozenset[int] = frozenset()
    branches: frozenset[int] = frozenset()
    managed: frozenset[int] = frozenset()
    departments: frozenset[int] = frozenset()

    def as_json(self) -> dict[str, Any]:
        return {"userid": self.userid, "admin": self.admin, "headed": sorted(self.headed),
                "branches": sorted(self.branches), "departments": sorted(self.departments)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], chart: OrgChart) -> Actor:
        def ids(key: str) -> frozenset[int]:
            value = data.get(key)
            return frozenset(v for v in value if isinstance(v, int)) if isinstance(
                value, list) else frozenset()

        headed, branches = ids("headed"), ids("branches")
        return cls(str(data.get("userid", "")), bool(data.get("admin")), headed, branches,
                   chart.subtree(headed | branches), ids("departments"))

    @property
    def roles(self) -> tuple[Role, ...]:
        found = [Role.ADMIN] if self.admin else []
        found += [Role.HEAD] if self.headed else []
        found += [Role.BRANCH_ADMIN] if self.branches else []
        return tuple(found) or (Role.MEMBER,)


def actor_for(userid: str, chart: OrgChart, policy: Policy, server_admins: Iterable[str],
              memberships: Iterable[tuple[int, bool]]) -> Actor:
    """The actor for `userid`, from WeCom's (department, is_leader) pairs and the policy."""
    pairs = list(memberships)
    headed = frozenset(d for d, leader in pairs if leader)
    branches = frozenset(d for user, ref in policy.branch_admins if user == userid
                         for d in [chart.find(ref)] if d is not None)
    return Actor(
        userid=userid, admin=userid in set(server_admins) | set(policy.admins),
        headed=headed, branches=branches, managed=chart.subtree(headed | branches),
        departments=frozenset(d for d, _ in pairs),
    )


class Operation(enum.Enum):
    ADD_GROUP = "add_group"
    ADD_TAG = "add_tag"
    RENAME_TAG = "rename_tag"
    RENAME_GROUP = "rename_group"
    REORDER = "reorder"
    DELETE_TAG = "delete_tag"
    DELETE_GROUP = "delete_group"
    TAG_CUSTOMER = "tag_customer"


@dataclass(frozen=True)
class Change:
    """One requested write. `group` is the group's name; `tag` the tag's name (empty for
    group operations); `new_name` a new group or tag name; `existing` the names already in
    the group (for sub-tags); `customers` how many customers carry the tag (renames).
    For tagging with a rule-group (strategy) tag, `rule_group` is the rule group's name and
    `rule_group_range` the departments WeCom lists in its range."""

    operation: Operation
    group: str
    tag: str = ""
    new_name: str = ""
    existing: frozenset[str] = frozenset()
    customers: int = 0
    rule_group: str = ""
    rule_group_range: frozenset[int] = frozenset()


class Verdict(enum.Enum):
    ALLOW = "allow"
    APPROVAL = "approval"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    zh: str = ""
    en: str = ""
    rule: str = ""

    @property
    def sentence(self) -> str:
        """What the team server answers and the desktop shows as it is: "中文 / English", the
        English half starting with a capital."""
        return both(self.zh, self.en)


ALLOW = Decision(Verdict.ALLOW)


@dataclass(frozen=True)
class _Owner:
    department: int | None
    label: str                                  # "市场部"
    scope: str = ""                             # "MKT- 标签组" / "MKT- groups"
    scope_en: str = ""
    group: str = ""


def _owner(policy: Policy, chart: OrgChart, group: str) -> _Owner:
    found = policy.owner_ref(group)
    if found is None:
        return _Owner(None, "", f"公共标签组 {group}", f"the public group {group}", group)
    ref, rule = found
    department = chart.find(ref)
    label = chart.name(department) if department is not None else ref
    if rule == group:
        return _Owner(department, label, f"标签组 {group}", f"the group {group}", group)
    return _Owner(department, label, f"{rule} 标签组", f"{rule} groups", group)


def owning_department(policy: Policy, chart: OrgChart, group: str) -> str:
    """The name of the department owning `group` ("" for a public group)."""
    return _owner(policy, chart, group).label


def _manages(actor: Actor, owner: _Owner) -> bool:
    return actor.admin or (owner.department is not None and owner.department in actor.managed)


def _not_owner(owner: _Owner, verb_zh: str = "修改", verb_en: str = "edit") -> Decision:
    if owner.department is None:
        return Decision(Verdict.REFUSE, f"只有管理员可以{verb_zh} {owner.scope}",
                        f"only an administrator may {verb_en} {owner.scope_en}", "public-group")
    return Decision(Verdict.REFUSE,
                    f"只有 {owner.label} 负责人或管理员可以{verb_zh} {owner.scope}",
                    f"only the head of {owner.label} or an administrator may {verb_en}"
                    f" {owner.scope_en}", "department-owned")


def decide(policy: Policy, chart: OrgChart, actor: Actor, change: Change) -> Decision:
    """Allow, refuse (with the sentence naming the rule) or send `change` for approval."""
    owner = _owner(policy, chart, change.group)
    op = change.operation
    if op is Operation.TAG_CUSTOMER:
        if change.rule_group:
            return _rule_group_tagging(policy, chart, actor, change)
        return _tagging(policy, chart, actor, owner)
    if op in (Operation.DELETE_TAG, Operation.DELETE_GROUP):
        if actor.admin:
            return ALLOW
        what = ("标签", "a tag") if op is Operation.DELETE_TAG else ("标签组", "a group")
        return Decision(Verdict.APPROVAL, f"删除{what[0]}需要管理员批准",
                        f"deleting {what[1]} needs an administrator's approval", "delete-approval")
    if op is Operation.ADD_TAG and not _manages(actor, owner):
        return _subtag(policy, owner, change)
    if not _manages(actor, owner):
        verb = ("新建", "create") if op is Operation.ADD_GROUP else ("修改", "edit")
        return _not_owner(owner, *verb)
    if op is Operation.RENAME_GROUP:
        target = _owner(policy, chart, change.new_name)
        if not _manages(actor, target):
            refused = _not_owner(target, "把标签组改名为", "rename a group into")
            return Decision(Verdict.REFUSE, refused.zh, refused.en, "rename-into-other-owner")
    if op is Operation.RENAME_TAG and not actor.admin and change.customers > policy.rename_threshold:
        return Decision(
            Verdict.APPROVAL,
            f"改名的标签有 {change.customers} 位客户在用，超过 {policy.rename_threshold} 位需要管理员批准",
            f"the tag is on {change.customers} customers, more than {policy.rename_threshold}:"
            " renaming it needs an administrator's approval", "rename-approval")
    return ALLOW


def _subtag(policy: Policy, owner: _Owner, change: Change) -> Decision:
    """A member adding a tag to a group they do not manage: only a sub-tag beneath an
    existing parent, in a group the policy opens to members."""
    if change.group not in policy.member_subtag_groups:
        return _not_owner(owner, "添加标签到", "add tags to")
    levels = change.tag.split(PATH_SEPARATOR)
    parent = PATH_SEPARATOR.join(levels[:-1])
    if len(levels) < 2 or not all(level.strip() for level in levels):
        return Decision(Verdict.REFUSE,
                        f"成员只能在 {change.group} 中已有的上级标签下添加子标签（如 教育/K12/小学），"
                        f"不能添加顶层标签；顶层标签请找{owner.label or '管理员'}",
                        f"members may only add sub-tags beneath an existing parent in"
                        f" {change.group} (such as 教育/K12/小学), not top-level tags; ask"
                        f" {'the head of ' + owner.label if owner.label else 'an administrator'}",
                        "member-subtag")
    if len(levels) > MAX_SUBTAG_LEVELS:
        return Decision(Verdict.REFUSE, f"子标签最多 {MAX_SUBTAG_LEVELS} 级",
                        f"sub-tags have at most {MAX_SUBTAG_LEVELS} levels", "member-subtag")
    if parent not in change.existing:
        return Decision(Verdict.REFUSE, f"上级标签 {parent} 在 {change.group} 中不存在：成员只能在已有的上级下添加",
                        f"the parent {parent} does not exist in {change.group}: members may"
                        " only add beneath an existing parent", "member-subtag")
    return ALLOW


def _tagging(policy: Policy, chart: OrgChart, actor: Actor, owner: _Owner) -> Decision:
    """Tags of a restricted group go on customers only from inside the owning department
    (its sub-departments included) or from someone who manages it."""
    if owner.group not in policy.restricted_tagging_groups or _manages(actor, owner):
        return ALLOW
    if owner.department is not None and chart.subtree([owner.department]) & actor.departments:
        return ALLOW
    label = owner.label or "管理员"
    return Decision(Verdict.REFUSE,
                    f"{owner.group} 的标签只有 {label} 的成员可以给客户打",
                    f"only members of {owner.label or 'the administrators'} may tag customers"
                    f" with {owner.group}", "restricted-tagging")


def _rule_group_tagging(policy: Policy, chart: OrgChart, actor: Actor,
                        change: Change) -> Decision:
    """A rule-group tag is restricted when the policy names its tag group or its rule group.
    The owner is the department the policy gives the tag group or the rule group, else every
    department in the rule group's range (a branch's regional tags belong to the branch)."""
    restricted = policy.restricted_tagging_groups
    if change.group not in restricted and change.rule_group not in restricted:
        return ALLOW
    placed = policy.owner_ref(change.group) or policy.owner_ref(change.rule_group)
    found = chart.find(placed[0]) if placed is not None else None
    owners = frozenset([found]) if found is not None else change.rule_group_range
    if actor.admin or owners & actor.managed or chart.subtree(owners) & actor.departments:
        return ALLOW
    labels = "、".join(sorted(chart.name(d) for d in owners))
    scope_zh = (f"标签组 {change.group}" if change.group in restricted
                else f"规则组 {change.rule_group}")
    scope_en = (f"the group {change.group}" if change.group in restricted
                else f"the rule group {change.rule_group}")
    return Decision(Verdict.REFUSE,
                    f"{scope_zh} 的标签只有 {labels or '管理员'} 的成员可以给客户打",
                    f"only members of {labels or 'the administrators'} may tag customers with"
                    f" {scope_en}", "restricted-tagging")


def branch_departments(policy: Policy, chart: OrgChart) -> frozenset[int]:
    """The branches: every department the policy gives a branch admin (分公司管理员), with its
    sub-departments. A department no branch admin covers (市场部 at head office) is no branch."""
    named = (chart.find(ref) for _, ref in policy.branch_admins)
    return chart.subtree(department for department in named if department is not None)


def branch_group_departments(policy: Policy, chart: OrgChart,
                             actor: Actor) -> frozenset[int] | None:
    """The departments `actor` may make a branch tag group (and its rule group) for: every one
    for an admin (None), else the branches they manage as a head or branch admin."""
    if actor.admin:
        return None
    return actor.managed & branch_departments(policy, chart)


def decide_rule_group(policy: Policy, chart: OrgChart, actor: Actor, departments: Iterable[int],
                      verb_zh: str = "管理", verb_en: str = "manage") -> Decision:
    """Creating, editing or deleting a WeCom rule group (a branch's own tag scope): admins,
    or whoever manages every department in its range when each one lies in a branch (the
    branch head for their branch)."""
    wanted = frozenset(departments)
    if actor.admin:
        return ALLOW
    names = "、".join(sorted(chart.name(d) for d in wanted)) or "-"
    if wanted and wanted <= actor.managed:
        others = sorted(chart.name(d) for d in wanted - branch_departments(policy, chart))
        if not others:
            return ALLOW
        return Decision(Verdict.REFUSE,
                        f"策略中没有分公司管理员管辖 {'、'.join(others)}，不是分公司："
                        f"只有管理员可以{verb_zh}这个规则组",
                        f"no branch admin in the policy covers {', '.join(others)}, so it is no"
                        f" branch: only an administrator may {verb_en} this rule group",
                        "rule-group-branch")
    return Decision(Verdict.REFUSE,
                    f"只有管理员或 {names} 的负责人可以{verb_zh}这个规则组",
                    f"only an administrator or the head of {names} may {verb_en} this rule"
                    " group", "rule-group")


SHARED_ITEMS = {"exclusive_set": ("团队互斥标签组", "the team exclusive set"),
                "saved_filter": ("团队筛选", "the team saved filter")}
"""The kinds of team settings only their author, a head or an administrator may change."""


def decide_shared_item(policy: Policy, chart: OrgChart, actor: Actor, kind: str, key: str,
                       author: str, groups: Iterable[str]) -> Decision:
    """Deleting or overwriting a team item of a kind in SHARED_ITEMS named `key`: its author,
    an administrator, or, for an item whose tags all lie in groups a department owns (an
    exclusive set), the head of that department."""
    if actor.admin or (author and author == actor.userid):
        return ALLOW
    owners = [_owner(policy, chart, group) for group in sorted(set(groups))]
    owned = all(owner.department is not None for owner in owners)
    if owners and owned and all(_manages(actor, owner) for owner in owners):
        return ALLOW
    heads = sorted({owner.label for owner in owners}) if owners and owned else []
    zh = [f"作者 {author}"] if author else []
    en = [f"its author {author}"] if author else []
    zh += [f"{label} 负责人" for label in heads]
    en += [f"the head of {label}" for label in heads]
    who_zh = f"{'、'.join(zh)}或管理员" if zh else "管理员"
    who_en = f"{', '.join(en)} or an administrator" if en else "an administrator"
    what_zh, what_en = SHARED_ITEMS[kind]
    return Decision(Verdict.REFUSE, f"只有{who_zh}可以删除或修改{what_zh}「{key}」",
                    f"only {who_en} may delete or change {what_en} {key}", "shared-item-author")
