"""Governance on the team server: the policy in PostgreSQL and the gate every relayed tree
write and tagging call passes.

The gate reads the caller's roles from WeCom (cached, `org_directory.py`) and the policy,
asks `desktop.domain.governance.decide` about the write and then lets it through, refuses it
(errcode 9001010, the sentence naming the rule and who may) or turns it into an approval
request (9001011). Refusals and requests are journaled under the caller; nothing reaches
WeCom for them.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Any

from psycopg import Connection
from psycopg.types.json import Jsonb

from desktop.domain.bilingual import both
from desktop.domain.governance import (
    Actor,
    Change,
    Decision,
    Operation,
    OrgChart,
    Policy,
    Verdict,
    actor_for,
    check_policy,
    decide,
    decide_rule_group,
    policy_from_json,
)
from desktop.server import approvals, tag_usage, team_journal
from desktop.server.identity import Caller
from desktop.server.org_directory import TTL_S, OrgDirectory
from desktop.store.journal import JournalEntry
from desktop.wecom.error_codes import TEAM_APPROVAL_REQUIRED, TEAM_NOT_ALLOWED
from desktop.wecom.errors import WeComError, WeComNetworkError
from desktop.wecom.transport import ApiRequest, Effect, WeComTransport

log = logging.getLogger("tagdesk.server")

SOURCE = team_journal.GOVERNANCE_SOURCE
MARK_TAG = "externalcontact/mark_tag"
CORP_WRITES = {"add": "externalcontact/add_corp_tag", "edit": "externalcontact/edit_corp_tag",
               "del": "externalcontact/del_corp_tag"}
STRATEGY_WRITES = {"add": "externalcontact/add_strategy_tag",
                   "edit": "externalcontact/edit_strategy_tag",
                   "del": "externalcontact/del_strategy_tag"}
RULE_GROUP_WRITES = {"externalcontact/customer_strategy/create": ("创建", "create"),
                     "externalcontact/customer_strategy/edit": ("修改", "edit"),
                     "externalcontact/customer_strategy/del": ("删除", "delete")}
TREE_WRITES = (frozenset(CORP_WRITES.values()) | frozenset(STRATEGY_WRITES.values())
               | frozenset(RULE_GROUP_WRITES))
CORP_LIST = "externalcontact/get_corp_tag_list"
STRATEGY_LIST = "externalcontact/get_strategy_tag_list"
DEPARTMENT_RANGE = 2

Conn = Connection[tuple[object, ...]]
ConnectionFactory = Callable[[], AbstractContextManager[Conn]]
Answer = dict[str, Any]


def load_policy(conn: Conn) -> Policy:
    """The newest policy set on this server, or the default one."""
    row = conn.execute(
        "SELECT policy FROM governance_policy ORDER BY id DESC LIMIT 1").fetchone()
    return policy_from_json(row[0]) if row is not None else Policy()


def save_policy(conn: Conn, policy: Policy, userid: str) -> None:
    conn.execute("INSERT INTO governance_policy (policy, set_by) VALUES (%s, %s)",
                 (Jsonb(policy.as_json()), userid))


def journal(conn: Conn, operator: str, action: str, reason: str, *, tag_id: str = "",
            tag_name: str = "", group_name: str = "", before: str = "", after: str = "") -> None:
    """One governance row in the team journal, inside the caller's transaction."""
    team_journal.append(conn, [JournalEntry(
        operator=operator, action=action, source=SOURCE, tag_id=tag_id, tag_name=tag_name,
        group_name=group_name, before=before, after=after, reason=reason)], None)


@dataclass(frozen=True)
class TreeGroup:
    id: str
    name: str
    strategy_id: int | None
    tags: Mapping[str, str]       # tag id -> name


@dataclass(frozen=True)
class TreeView:
    """The corp (or rule-group) tag tree as WeCom has it now."""

    groups: tuple[TreeGroup, ...]

    def group(self, group_id: str) -> TreeGroup | None:
        return next((g for g in self.groups if g.id == group_id), None)

    def group_of_tag(self, tag_id: str) -> TreeGroup | None:
        return next((g for g in self.groups if tag_id in g.tags), None)

    def group_named(self, name: str, strategy_id: int | None) -> TreeGroup | None:
        return next((g for g in self.groups
                     if g.name == name and g.strategy_id == strategy_id), None)

    def describe(self, item_id: str) -> tuple[str, str]:
        """(group name, tag name) of a tag id, or (group name, "") of a group id."""
        group = self.group(item_id)
        if group is not None:
            return group.name, ""
        owner = self.group_of_tag(item_id)
        return (owner.name, owner.tags[item_id]) if owner is not None else ("", "")


def read_tree(transport: WeComTransport, strategy: bool) -> TreeView:
    data = transport.call(ApiRequest("POST", STRATEGY_LIST if strategy else CORP_LIST, body={}))
    groups = []
    for group in data.get("tag_group") or []:
        if not isinstance(group, dict) or group.get("deleted"):
            continue
        strategy_id = group.get("strategy_id")
        groups.append(TreeGroup(
            str(group.get("group_id", "")), str(group.get("group_name", "")),
            strategy_id if isinstance(strategy_id, int) else None,
            {str(t["id"]): str(t.get("name", "")) for t in group.get("tag") or []
             if isinstance(t, dict) and t.get("id") and not t.get("deleted")}))
    return TreeView(tuple(groups))


NO_SUCH_MEMBER = 60111          # user/get: no member with this userid


class Gate:
    """Decides each relayed write; `check` answers None to let it through."""

    def __init__(self, connection: ConnectionFactory, transport: WeComTransport,
                 directory: OrgDirectory, admins: frozenset[str],
                 tag_names: Callable[[list[str]], dict[str, tuple[str, str]]],
                 rule_groups: Callable[[list[str]], dict[str, int]],
                 notify: Callable[[list[str], str], bool]) -> None:
        self._connection = connection
        self._transport = transport
        self._directory = directory
        self.server_admins = admins
        self._tag_names = tag_names
        self._rule_groups = rule_groups
        self._rule_group_cache: dict[int, tuple[float, tuple[str, frozenset[int]]]] = {}
        self._cache_lock = threading.Lock()
        self._notify = notify

    def policy(self) -> Policy:
        with self._connection() as conn:
            return load_policy(conn)

    def actor(self, userid: str, policy: Policy) -> tuple[Actor, OrgChart]:
        chart = self._directory.chart()
        return actor_for(userid, chart, policy, self.server_admins,
                         self._directory.memberships(userid)), chart

    def not_members(self, userids: Iterable[str]) -> list[str]:
        """Those of `userids` WeCom's directory does not know (`user/get` answers 60111)."""
        unknown = []
        for userid in userids:
            try:
                self._directory.memberships(userid)
            except WeComError as err:
                if err.errcode != NO_SUCH_MEMBER:
                    raise
                unknown.append(userid)
        return unknown

    def admins(self, policy: Policy) -> list[str]:
        return sorted(set(self.server_admins) | set(policy.admins))

    def check(self, caller: Caller, path: str, body: Mapping[str, Any]) -> Answer | None:
        if path != MARK_TAG and path not in TREE_WRITES:
            return None
        try:
            return self._check(caller, path, body)
        except WeComError as err:  # fail closed: what cannot be checked is not written
            log.warning("governance could not check %s: %r", path, err)
            return {"errcode": err.errcode, "errmsg": f"{err.explanation_zh} / "
                    f"{err.explanation_en} (TagDesk governance, {err.path})"}

    def _check(self, caller: Caller, path: str, body: Mapping[str, Any]) -> Answer | None:
        policy = self.policy()
        if path == MARK_TAG and not policy.restricted_tagging_groups:
            return None
        actor, chart = self.actor(caller.userid, policy)
        if path == MARK_TAG:
            return self._tagging(caller, policy, chart, actor, body)
        if path in RULE_GROUP_WRITES:
            decision = decide_rule_group(policy, chart, actor, self._range(body),
                                         *RULE_GROUP_WRITES[path])
            if decision.verdict is Verdict.ALLOW:
                return None
            name = str(body.get("strategy_name") or body.get("strategy_id") or "")
            return self._refuse(caller, path, body, Change(Operation.ADD_GROUP, name), decision)
        strategy = path in STRATEGY_WRITES.values()
        tree = read_tree(self._transport, strategy)
        if path in (CORP_WRITES["del"], STRATEGY_WRITES["del"]):
            return self._request_deletion(caller, path, body, tree,
                                          lambda change: decide(policy, chart, actor, change))
        for change, strategy_id in _changes(path, body, tree):
            rules = self._with_range_owner(policy, change.group, strategy_id)
            decision = decide(rules, chart, actor, change)
            if (decision.verdict is Verdict.ALLOW and change.operation is Operation.RENAME_TAG
                    and not actor.admin):
                tag_id = str(body.get("id", ""))
                with self._connection() as conn:
                    known = tag_usage.carriers_known(conn, [tag_id])
                found = known if known is not None else tag_usage.carriers(self._transport,
                                                                           [tag_id])
                decision = decide(rules, chart, actor,
                                  replace(change, customers=tag_usage.customers(found)))
                if decision.verdict is Verdict.APPROVAL:
                    return self.request(caller, "rename_tag", path, body, [tag_id],
                                         f"{change.group}/{change.tag} → {change.new_name}",
                                         found, decision)
            if decision.verdict is not Verdict.ALLOW:
                return self._refuse(caller, path, body, change, decision)
        return None

    def _tagging(self, caller: Caller, policy: Policy, chart: OrgChart, actor: Actor,
                 body: Mapping[str, Any]) -> Answer | None:
        ids = _texts(body.get("add_tag")) + _texts(body.get("remove_tag"))
        strategies = self._rule_groups(ids)
        rule_groups: dict[int, tuple[str, frozenset[int]]] = {}
        for tag_id, (name, group) in self._tag_names(ids).items():
            change = Change(Operation.TAG_CUSTOMER, group, name)
            strategy_id = strategies.get(tag_id)
            if strategy_id is not None:
                if strategy_id not in rule_groups:
                    rule_groups[strategy_id] = self._rule_group(strategy_id)
                rule_group, departments = rule_groups[strategy_id]
                change = replace(change, rule_group=rule_group, rule_group_range=departments)
            decision = decide(policy, chart, actor, change)
            if decision.verdict is not Verdict.ALLOW:
                return self._refuse(caller, MARK_TAG, body, change, decision, tag_id)
        return None

    def _rule_group(self, strategy_id: int) -> tuple[str, frozenset[int]]:
        """A rule group's name and the departments in its range, read from WeCom and kept
        for as long as the org chart (a change shows within `TTL_S`)."""
        with self._cache_lock:
            cached = self._rule_group_cache.get(strategy_id)
        if cached is not None and time.monotonic() - cached[0] < TTL_S:
            return cached[1]
        data = self._transport.call(ApiRequest(
            "POST", "externalcontact/customer_strategy/get", body={"strategy_id": strategy_id}))
        name = str((data.get("strategy") or {}).get("strategy_name") or strategy_id)
        found = name, frozenset(self._range({"strategy_id": strategy_id}))
        with self._cache_lock:
            self._rule_group_cache[strategy_id] = (time.monotonic(), found)
        return found

    def _range(self, body: Mapping[str, Any]) -> set[int]:
        """The departments a rule group covers: those named in the call and, for an existing
        rule group, those WeCom lists in its range."""
        nodes = [*(body.get("range") or []), *(body.get("range_add") or [])]
        if isinstance(body.get("strategy_id"), int):
            data = self._transport.call(ApiRequest(
                "POST", "externalcontact/customer_strategy/get_range",
                body={"strategy_id": body["strategy_id"], "cursor": "", "limit": 1000}))
            nodes += list(data.get("range") or [])
        return {int(n["partyid"]) for n in nodes if isinstance(n, dict)
                and n.get("type") == DEPARTMENT_RANGE and isinstance(n.get("partyid"), int)}

    def _with_range_owner(self, policy: Policy, group: str, strategy_id: int | None) -> Policy:
        """A rule-group tag group the policy does not place belongs to the first department
        in its rule group's range (a branch's regional tags belong to the branch)."""
        if strategy_id is None or policy.owner_ref(group) is not None:
            return policy
        data = self._transport.call(ApiRequest(
            "POST", "externalcontact/customer_strategy/get_range",
            body={"strategy_id": strategy_id, "cursor": "", "limit": 1000}))
        for node in data.get("range") or []:
            if isinstance(node, dict) and node.get("type") == DEPARTMENT_RANGE:
                return replace(policy, groups=(*policy.groups, (group, str(node["partyid"]))))
        return policy

    def _refuse(self, caller: Caller, path: str, body: Mapping[str, Any], change: Change,
                decision: Decision, tag_id: str = "") -> Answer:
        with self._connection() as conn, conn.transaction():
            journal(conn, caller.userid, "refused", both(decision.zh, decision.en), tag_id=tag_id,
                    tag_name=change.tag, group_name=change.group,
                    after=json.dumps({"path": path, "body": dict(body)}, ensure_ascii=False,
                                     sort_keys=True))
        log.info("governance refused %s by %s (%s)", path, caller.userid, decision.rule)
        return {"errcode": TEAM_NOT_ALLOWED, "errmsg": decision.sentence}

    def _request_deletion(self, caller: Caller, path: str, body: Mapping[str, Any],
                          tree: TreeView, deciding: Callable[[Change], Decision]
                          ) -> Answer | None:
        tag_names: dict[str, tuple[str, str]] = {}
        names, groups = [], 0
        for group_id in _texts(body.get("group_id")):
            group = tree.group(group_id)
            if group is not None:
                groups += 1
                names.append(group.name)
                tag_names.update({t: (group.name, n) for t, n in group.tags.items()})
        for tag_id in _texts(body.get("tag_id")):
            owner = tree.group_of_tag(tag_id)
            if owner is not None:
                names.append(f"{owner.name}/{owner.tags[tag_id]}")
                tag_names[tag_id] = (owner.name, owner.tags[tag_id])
        if not names:
            return {"errcode": 40068, "errmsg": "invalid tag id"}
        kind = "delete_group" if groups else "delete_tag"
        decision = deciding(Change(
            Operation.DELETE_GROUP if groups else Operation.DELETE_TAG, names[0]))
        if decision.verdict is Verdict.ALLOW:
            return None
        found = tag_usage.carriers(self._transport, tag_names)
        target_ids = _texts(body.get("group_id")) + _texts(body.get("tag_id"))
        return self.request(caller, kind, path, body, target_ids, "、".join(names), found,
                            decision, tag_names)

    def request(self, caller: Caller, kind: str, path: str, body: Mapping[str, Any],
                target_ids: list[str], target: str, found: list[tag_usage.Carrier],
                decision: Decision, tag_names: dict[str, tuple[str, str]] | None = None
                ) -> Answer:
        """Store an approval request, journal it, tell the admins; the 9001011 answer."""
        reason = str(body.get("reason") or "").strip()[:500]
        write = {k: v for k, v in body.items() if k != "reason"}
        with self._connection() as conn, conn.transaction():
            earlier = approvals.waiting(conn, kind=kind, path=path, body=write,
                                        requester=caller.userid)
            if earlier is not None:     # asked again: the same request, no second one
                return {"errcode": TEAM_APPROVAL_REQUIRED, "approval_id": earlier,
                        "errmsg": both(f"{decision.zh}，申请 #{earlier} 已在等待管理员批准",
                                       f"{decision.en}; request #{earlier} is already waiting"
                                       " for the administrators")}
            request = approvals.create(
                conn, kind=kind, path=path, body=write, target_ids=target_ids, target=target,
                requester=caller.userid, reason=reason,
                snapshot=[c.as_json() for c in found], customers=tag_usage.customers(found),
                tag_names=tag_names or {})
            why_zh, why = (f"；{reason}", f"; {reason}") if reason else ("", "")
            journal(conn, caller.userid, "approval_requested",
                    both(f"#{request.id} {decision.zh}{why_zh}", f"#{request.id} {decision.en}{why}"),
                    tag_id=",".join(target_ids), tag_name=target,
                    after=json.dumps({"path": path, "body": write}, ensure_ascii=False,
                                     sort_keys=True))
            policy = load_policy(conn)
        self._notify(self.admins(policy), (
            f"TagDesk 审批：{caller.userid} 申请{_KIND_ZH[kind]} {target}（{request.customers}"
            f" 位客户在用），理由：{reason or '-'}。批准：tagdesk approvals approve {request.id}"
            f" / {caller.userid} asks to {_KIND_EN[kind]} {target} ({request.customers}"
            f" customers), reason: {reason or '-'}; approve with `tagdesk approvals approve"
            f" {request.id}`"))
        log.info("approval %d requested by %s (%s)", request.id, caller.userid, kind)
        return {"errcode": TEAM_APPROVAL_REQUIRED, "approval_id": request.id,
                "errmsg": both(f"{decision.zh}，已提交申请 #{request.id}，等待管理员批准",
                               f"{decision.en}; request #{request.id} was sent to the"
                               " administrators")}


_KIND_ZH = {"delete_tag": "删除标签", "delete_group": "删除标签组", "rename_tag": "改名标签",
            "adopt_group": "收编标签组"}
_KIND_EN = {"delete_tag": "delete the tag", "delete_group": "delete the group",
            "rename_tag": "rename the tag", "adopt_group": "adopt the group"}


def _changes(path: str, body: Mapping[str, Any],
             tree: TreeView) -> Iterator[tuple[Change, int | None]]:
    """The governance changes an add or edit call makes (unknown ids are left to WeCom)."""
    if path in (CORP_WRITES["add"], STRATEGY_WRITES["add"]):
        strategy_id = body.get("strategy_id") if path == STRATEGY_WRITES["add"] else None
        strategy_id = strategy_id if isinstance(strategy_id, int) else None
        group = (tree.group(str(body.get("group_id") or ""))
                 or tree.group_named(str(body.get("group_name") or ""), strategy_id))
        if group is None:
            yield Change(Operation.ADD_GROUP, str(body.get("group_name") or "")), strategy_id
            return
        existing = frozenset(group.tags.values())
        for tag in body.get("tag") or []:
            name = str(tag.get("name", "")) if isinstance(tag, dict) else ""
            yield Change(Operation.ADD_TAG, group.name, name, existing=existing), strategy_id
        return
    item_id = str(body.get("id", ""))
    new_name = body.get("name")
    group = tree.group(item_id)
    if group is not None:
        renamed = isinstance(new_name, str) and new_name != group.name
        yield (Change(Operation.RENAME_GROUP, group.name, new_name=str(new_name)) if renamed
               else Change(Operation.REORDER, group.name)), group.strategy_id
        return
    owner = tree.group_of_tag(item_id)
    if owner is None:
        return
    tag = owner.tags[item_id]
    renamed = isinstance(new_name, str) and new_name != tag
    yield (Change(Operation.RENAME_TAG, owner.name, tag, new_name=str(new_name)) if renamed
           else Change(Operation.REORDER, owner.name, tag)), owner.strategy_id


def _texts(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def send_text(transport: WeComTransport, agent_id: int | None, users: list[str],
              text: str) -> bool:
    """A WeCom text message to `users` from the server's app; False when it could not go."""
    if agent_id is None or not users:
        return False
    try:
        transport.call(ApiRequest("POST", "message/send", body={
            "touser": "|".join(users), "msgtype": "text", "agentid": agent_id,
            "text": {"content": text}}, effect=Effect.WRITE))
    except (WeComError, WeComNetworkError) as exc:
        log.warning("governance message to %d members not sent: %r", len(users), exc)
        return False
    return True


def policy_answer(policy: Policy, actor: Actor, chart: OrgChart,
                  server_admins: frozenset[str]) -> Answer:
    return {"errcode": 0, "errmsg": "ok", "policy": policy.as_json(),
            "server_admins": sorted(server_admins),
            "me": {**actor.as_json(), "roles": [r.value for r in actor.roles],
                   "managed": sorted(chart.name(d) for d in actor.managed)},
            "chart": chart.as_json()}


def parse_policy(value: object, chart: OrgChart, server_admins: frozenset[str]) -> Policy:
    """A policy an admin sent, checked (raises PolicyError)."""
    policy = policy_from_json(value)
    check_policy(policy, chart, server_admins)
    return policy

