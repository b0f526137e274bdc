"""The governance endpoints (`/tagdesk/v1/governance/...`): the policy, the approvals inbox
and deciding a request.

Approving takes a second verification: the admin asks for a fresh one-time code (sent to
them through `message/send`) and gives it back with the approval. Then the server checks
the tag still exists, performs the stored WeCom write through the relay (outbox and journal
as any write) and journals the approval with both names. Every fault (not an admin, one's
own request, decided already, expired, a wrong, reused or expired code, the tag gone) is
refused with one sentence, writes nothing to WeCom and is journaled. A requester may
withdraw their own pending request, nobody else's.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from typing import Any, NoReturn

from desktop.domain.bilingual import both
from desktop.domain.governance import (
    Actor,
    Decision,
    OrgChart,
    Policy,
    PolicyError,
    Verdict,
    policy_field,
)
from desktop.server import adoption_requests, approvals, identity
from desktop.server.adoption_requests import AdoptionRefused
from desktop.server.approvals import Approval
from desktop.server.governance import (
    CORP_WRITES,
    STRATEGY_WRITES,
    Answer,
    ConnectionFactory,
    Gate,
    journal,
    parse_policy,
    policy_answer,
    read_tree,
    save_policy,
    send_text,
)
from desktop.server.identity import Caller
from desktop.server.org_directory import OrgDirectory
from desktop.server.outbox_recovery import MARK_TAG, NO_NOTE
from desktop.server.relay import Relay
from desktop.server.request_refused import RequestRefused
from desktop.wecom.error_codes import TEAM_APPROVAL_REFUSED, TEAM_NOT_ALLOWED, describe
from desktop.wecom.errors import WeComError, WeComNetworkError
from desktop.wecom.transport import WeComTransport
from desktop.wecom.write_note import WriteNote

log = logging.getLogger("tagdesk.server")


class GovernanceRefused(RequestRefused):
    def __init__(self, errcode: int, zh: str, en: str) -> None:
        super().__init__(errcode, both(zh, en))


_STATUS = {"approved": ("已经批准", "was already approved"),
           "rejected": ("已被驳回", "was rejected"),
           "expired": ("已过期（7 天内未处理）", "expired (not decided within 7 days)"),
           "gone": ("已关闭：标签已不存在", "is closed: the tag no longer exists"),
           "failed": ("执行失败，已关闭", "failed when performed and is closed"),
           "withdrawn": ("已由申请人撤回", "was withdrawn by its requester")}


class ApprovalDesk:
    def __init__(self, connection: ConnectionFactory, transport: WeComTransport, gate: Gate,
                 relay_write: Callable[[Caller, str, dict[str, Any], WriteNote], Answer],
                 send: Callable[[list[str], str], bool]) -> None:
        self._connection = connection
        self._transport = transport
        self._gate = gate
        self._relay_write = relay_write
        self._send = send

    def actor(self, userid: str) -> tuple[Actor, OrgChart]:
        """`userid` as the current policy and WeCom's directory place them."""
        return self._gate.actor(userid, self._gate.policy())

    def standing(self, userid: str) -> tuple[Policy, OrgChart, Actor]:
        """The current policy, WeCom's department tree and `userid`'s roles in them."""
        policy = self._gate.policy()
        actor, chart = self._gate.actor(userid, policy)
        return policy, chart, actor

    def handle(self, caller: Caller, action: str, method: str, body: dict[str, Any]) -> Answer:
        try:
            return self._handle(caller, action, method, body)
        except WeComError as err:
            raise GovernanceRefused(err.errcode, err.explanation_zh.rstrip("。"),
                                    err.explanation_en.rstrip(".")) from None

    def _handle(self, caller: Caller, action: str, method: str, body: dict[str, Any]) -> Answer:
        self.expire()
        parts = action.strip("/").split("/")
        if parts == ["policy"]:
            return self._set_policy(caller, body) if method == "POST" else self._policy(caller)
        if parts == ["approvals"] and method == "GET":
            return self._list(caller)
        if parts == ["adoptions"] and method == "POST":
            return self._request_adoption(caller, body)
        if len(parts) == 3 and parts[0] == "approvals" and parts[1].isdigit() and method == "POST":
            approval_id, verb = int(parts[1]), parts[2]
            if verb == "code":
                return self._send_code(caller, approval_id)
            if verb == "approve":
                return self._approve(caller, approval_id, body)
            if verb == "reject":
                return self._reject(caller, approval_id, body)
            if verb == "restore":
                return self._restore(caller, approval_id)
            if verb == "withdraw":
                return self._withdraw(caller, approval_id)
        raise GovernanceRefused(48002, "没有这个团队服务器接口。", "No such team server endpoint.")

    # -- policy -------------------------------------------------------------------------

    def _policy(self, caller: Caller) -> Answer:
        policy = self._gate.policy()
        actor, chart = self._gate.actor(caller.userid, policy)
        return policy_answer(policy, actor, chart, self._gate.server_admins)

    def _set_policy(self, caller: Caller, body: dict[str, Any]) -> Answer:
        current = self._gate.policy()
        actor, chart = self._gate.actor(caller.userid, current)
        if not actor.admin:
            self._fault(caller, "policy", "只有管理员可以修改团队策略",
                        "only an administrator may change the team policy", TEAM_NOT_ALLOWED)
        try:
            policy = parse_policy(body.get("policy"), chart, self._gate.server_admins)
        except PolicyError as exc:
            self._fault(caller, "policy", exc.zh.rstrip("。"), exc.en.rstrip("."))
        for userid in self._gate.not_members(set(policy.admins) - set(current.admins)):
            zh, en = policy_field("admins")
            self._fault(caller, "policy", f"{zh}中的 {userid} 不是企业微信成员",
                        f"in {en}, {userid} is not a member of the WeCom corp")
        with self._connection() as conn, conn.transaction():
            save_policy(conn, policy, caller.userid)
            journal(conn, caller.userid, "policy_set", "", after=_json(policy.as_json()),
                    before=_json(current.as_json()))
        log.info("policy set by %s", caller.userid)
        actor, chart = self._gate.actor(caller.userid, policy)
        return policy_answer(policy, actor, chart, self._gate.server_admins)

    # -- approvals ----------------------------------------------------------------------

    def _list(self, caller: Caller) -> Answer:
        policy = self._gate.policy()
        admin = caller.userid in self._gate.admins(policy)
        with self._connection() as conn:
            found = approvals.listing(conn, None if admin else caller.userid)
        return {"errcode": 0, "errmsg": "ok", "approvals": [a.as_json() for a in found],
                "pending": sum(1 for a in found if a.status == "pending")}

    def _decidable(self, caller: Caller, approval_id: int) -> Approval:
        """The pending request an admin other than its requester may decide, or refused."""
        if caller.userid not in self._gate.admins(self._gate.policy()):
            self._fault(caller, f"#{approval_id}", "只有管理员可以批准或驳回申请",
                        "only an administrator may approve or reject requests", TEAM_NOT_ALLOWED)
        with self._connection() as conn:
            found = approvals.get(conn, approval_id)
        if found is None:
            self._fault(caller, f"#{approval_id}", f"没有编号为 {approval_id} 的申请",
                        f"there is no request {approval_id}")
        if found.status != "pending":
            zh, en = _STATUS.get(found.status, (found.status, found.status))
            self._fault(caller, f"#{approval_id}", f"申请 #{approval_id} {zh}",
                        f"request #{approval_id} {en}")
        return found

    def _send_code(self, caller: Caller, approval_id: int) -> Answer:
        found = self._decidable(caller, approval_id)
        self._not_own(caller, found)
        code = identity.new_code()
        with self._connection() as conn, conn.transaction():
            challenge = approvals.create_code(conn, approval_id, caller.userid, code)
        sent = self._send([caller.userid], (
            f"TagDesk 审批验证码 / approval code: {code}\n批准申请 #{approval_id}（{found.target}）"
            "，五分钟内有效，仅可使用一次。 / To approve request"
            f" #{approval_id}; valid for five minutes, single use."))
        if not sent:
            raise GovernanceRefused(TEAM_APPROVAL_REFUSED, "无法通过企业微信发送审批验证码",
                                    "the approval code could not be sent through WeCom")
        return {"errcode": 0, "errmsg": "ok", "challenge_id": challenge,
                "expires_in": approvals.CODE_TTL_S}

    def _approve(self, caller: Caller, approval_id: int, body: dict[str, Any]) -> Answer:
        found = self._decidable(caller, approval_id)
        self._not_own(caller, found)
        challenge, code = str(body.get("challenge_id") or ""), str(body.get("code") or "")
        with self._connection() as conn, conn.transaction():
            problem = approvals.code_problem(conn, challenge, approval_id, caller.userid, code)
        if problem == "wrong":
            self._fault(caller, f"#{approval_id}", "审批验证码不正确",
                        "the approval code is wrong")
        if problem is not None:
            self._fault(caller, f"#{approval_id}", "审批验证码已使用或已过期，请重新获取",
                        "the approval code was already used or has expired; ask for a new one")
        strategy = found.path in STRATEGY_WRITES.values()
        tree = read_tree(self._transport, strategy)
        if not any(tree.group(i) or tree.group_of_tag(i) for i in found.target_ids):
            self._close(caller, found, "gone", "标签已不存在（可能已在管理后台删除），申请已关闭",
                        "the tag no longer exists (perhaps deleted in the admin console);"
                        " the request is closed")
        with self._connection() as conn, conn.transaction():
            _close_pending(conn, approval_id, "approved", caller.userid)
        try:
            answer = (adoption_requests.carry_out(self._relay_write, self._transport, caller,
                                                  found.body, approval_id)
                      if found.kind == adoption_requests.KIND
                      else self._relay_write(caller, found.path, found.body, NO_NOTE))
        except WeComNetworkError as err:
            if not err.may_have_applied:  # nothing reached WeCom: the request waits again
                with self._connection() as conn:
                    approvals.reopen(conn, approval_id)
            raise
        if answer.get("errcode"):
            info = describe(int(answer["errcode"]), found.path, str(answer.get("errmsg", "")))
            self._close(caller, found, "failed", f"企业微信拒绝了这项操作：{info.zh}",
                        f"WeCom refused the change: {info.en}", claimed=True)
        reason = both(f"#{approval_id} 申请人 {found.requester}，批准人 {caller.userid}："
                      f"{found.reason or '-'}", f"#{approval_id} requested by {found.requester},"
                      f" approved by {caller.userid}: {found.reason or '-'}")
        with self._connection() as conn, conn.transaction():
            journal(conn, caller.userid, "approval_approved", reason,
                    tag_id=",".join(found.target_ids), tag_name=found.target)
        moved = (f"：{answer['relations']} 个客户关系已移到新标签组（批次 {answer['batch_id']}）"
                 if "batch_id" in answer else "")
        moved_en = (f": {answer['relations']} customer relations moved to the new group"
                    f" (batch {answer['batch_id']})" if "batch_id" in answer else "")
        self._send([found.requester], f"TagDesk：你的申请 #{approval_id}（{found.target}）已由"
                   f" {caller.userid} 批准并执行{moved}。 / Your request #{approval_id}"
                   f" ({found.target}) was approved by {caller.userid} and carried out{moved_en}.")
        log.info("approval %d approved by %s", approval_id, caller.userid)
        done: dict[str, Any] = {k: answer[k] for k in ("batch_id", "relations", "failed",
                                                       "twins", "new_group_id") if k in answer}
        return {"errcode": 0, "errmsg": "ok", "approval": {**found.as_json(),
                "status": "approved", "decided_by": caller.userid}, **done}

    def _withdraw(self, caller: Caller, approval_id: int) -> Answer:
        """The requester takes back their own pending request: it is closed `withdrawn`,
        journaled, and drops from the administrators' pending requests. Nobody else's."""
        with self._connection() as conn:
            found = approvals.get(conn, approval_id)
        if found is None:
            self._fault(caller, f"#{approval_id}", f"没有编号为 {approval_id} 的申请",
                        f"there is no request {approval_id}")
        if found.requester != caller.userid:
            self._fault(caller, f"#{approval_id}", f"只能撤回自己提交的申请：申请 #{approval_id}"
                        f" 由 {found.requester} 提交", f"only its requester may withdraw a"
                        f" request: request #{approval_id} was sent by {found.requester}",
                        TEAM_NOT_ALLOWED)
        if found.status != "pending":
            zh, en = _STATUS.get(found.status, (found.status, found.status))
            self._fault(caller, f"#{approval_id}", f"申请 #{approval_id} {zh}，不能再撤回",
                        f"request #{approval_id} {en}; it can no longer be withdrawn")
        with self._connection() as conn, conn.transaction():
            _close_pending(conn, approval_id, "withdrawn", caller.userid)
            journal(conn, caller.userid, "approval_withdrawn",
                    both(f"#{approval_id} 申请人撤回了申请", f"#{approval_id} withdrawn by its"
                         " requester"), tag_id=",".join(found.target_ids), tag_name=found.target)
        log.info("approval %d withdrawn by %s", approval_id, caller.userid)
        return {"errcode": 0, "errmsg": "ok", "approval": {
            **found.as_json(), "status": "withdrawn", "decided_by": caller.userid}}

    def _request_adoption(self, caller: Caller, body: dict[str, Any]) -> Answer:
        """A member's adoption of a group TagDesk's app may not edit, as a request (admins
        adopt directly)."""
        if caller.userid in self._gate.admins(self._gate.policy()):
            self._fault(caller, "adopt", "管理员可以直接收编标签组，无需申请",
                        "an administrator adopts a group directly, without a request")
        try:
            found = adoption_requests.plan(self._transport, str(body.get("group") or ""),
                                           str(body.get("new_group_name") or ""))
        except AdoptionRefused as exc:
            self._fault(caller, "adopt", exc.zh, exc.en)
        decision = Decision(Verdict.APPROVAL, "收编标签组需要管理员批准",
                            "adopting a tag group needs an administrator's approval",
                            "adopt-approval")
        asked = self._gate.request(
            caller, adoption_requests.KIND, adoption_requests.PATH,
            {**found.body, "reason": str(body.get("reason") or "")}, [found.group.id],
            found.target, found.carriers, decision, found.tag_names)
        return {"errcode": 0, "errmsg": "ok", "approval_id": asked["approval_id"],
                "sentence": asked["errmsg"], **found.body}

    def _reject(self, caller: Caller, approval_id: int, body: dict[str, Any]) -> Answer:
        found = self._decidable(caller, approval_id)
        reason = str(body.get("reason") or "").strip()[:500]
        if not reason:
            self._fault(caller, f"#{approval_id}", "驳回申请需要写明理由",
                        "rejecting a request needs a reason")
        with self._connection() as conn, conn.transaction():
            _close_pending(conn, approval_id, "rejected", caller.userid, reason)
            journal(conn, caller.userid, "approval_rejected",
                    both(f"#{approval_id} 申请人 {found.requester}：{reason}",
                         f"#{approval_id} requested by {found.requester}: {reason}"), tag_id=",".join(found.target_ids), tag_name=found.target)
        self._send([found.requester], f"TagDesk：你的申请 #{approval_id}（{found.target}）被"
                   f" {caller.userid} 驳回：{reason} / Your request #{approval_id}"
                   f" ({found.target}) was rejected by {caller.userid}: {reason}")
        return {"errcode": 0, "errmsg": "ok", "approval": {**found.as_json(),
                "status": "rejected", "decided_by": caller.userid, "decision_reason": reason}}

    def _restore(self, caller: Caller, approval_id: int) -> Answer:
        """Put back the tags an approved deletion removed and re-tag every relation of its
        snapshot, as one batch (`audit revert --batch` undoes it)."""
        if caller.userid not in self._gate.admins(self._gate.policy()):
            self._fault(caller, f"#{approval_id}", "只有管理员可以恢复已删除的标签",
                        "only an administrator may restore deleted tags", TEAM_NOT_ALLOWED)
        with self._connection() as conn:
            found = approvals.get(conn, approval_id)
        if (found is None or found.status != "approved" or not found.tag_names
                or not found.kind.startswith("delete")):
            self._fault(caller, f"#{approval_id}", f"申请 #{approval_id} 不是已执行的删除，没有可恢复的内容",
                        f"request #{approval_id} is not a deletion that was carried out;"
                        " there is nothing to restore")
        if found.path != CORP_WRITES["del"]:
            self._fault(caller, f"#{approval_id}", "规则组标签暂不能从快照恢复",
                        "rule-group tags cannot be restored from a snapshot yet")
        with self._connection() as conn, conn.transaction():
            if not approvals.claim_restore(conn, approval_id, caller.userid):
                self._fault(caller, f"#{approval_id}", f"申请 #{approval_id} 删除的标签已经恢复过",
                            f"the tags request #{approval_id} deleted were already restored")
            relations = approvals.snapshot(conn, approval_id)
        note = WriteNote(batch_id=f"restore-{approval_id}-{secrets.token_hex(4)}",
                         source="restore")
        new_ids = self._recreate(caller, found, note)
        tagged = skipped = 0
        for relation in relations:
            carried = relation.get("tag_ids")
            ids = [new_ids[str(t)] for t in carried if str(t) in new_ids] if isinstance(
                carried, list) else []
            if not ids:
                continue
            answer = self._relay_write(caller, MARK_TAG, {
                "userid": relation.get("userid"), "external_userid": relation.get(
                    "external_userid"), "add_tag": ids}, note)
            tagged, skipped = (tagged + 1, skipped) if not answer.get("errcode") else (
                tagged, skipped + 1)
        with self._connection() as conn, conn.transaction():
            journal(conn, caller.userid, "approval_restored",
                    f"#{approval_id} 恢复 {len(new_ids)} 个标签，重新标记 {tagged} 个客户关系，"
                    f"跳过 {skipped} 个 / restored {len(new_ids)} tags, re-tagged {tagged}"
                    f" relations, skipped {skipped}; batch {note.batch_id}",
                    tag_id=",".join(new_ids.values()), tag_name=found.target)
        log.info("approval %d restored by %s: %d relations", approval_id, caller.userid, tagged)
        return {"errcode": 0, "errmsg": "ok", "batch_id": note.batch_id,
                "restored_tags": len(new_ids), "relations": tagged, "skipped": skipped}

    def _recreate(self, caller: Caller, found: Approval, note: WriteNote) -> dict[str, str]:
        """Create the deleted tags again (by group and name); old id -> new id."""
        by_group: dict[str, list[str]] = {}
        for group, name in found.tag_names.values():
            by_group.setdefault(group, []).append(name)
        for group, names in by_group.items():
            answer = self._relay_write(caller, CORP_WRITES["add"], {
                "group_name": group, "tag": [{"name": n} for n in names]}, note)
            if answer.get("errcode"):
                info = describe(int(answer["errcode"]), CORP_WRITES["add"],
                                str(answer.get("errmsg", "")))
                self._fault(caller, f"#{found.id}", f"无法重新创建标签组 {group}：{info.zh}",
                            f"the group {group} could not be created again: {info.en}")
        tree = read_tree(self._transport, strategy=False)
        new_ids: dict[str, str] = {}
        for old_id, (group_name, name) in found.tag_names.items():
            home = tree.group_named(group_name, None)
            match = [t for t, n in (home.tags.items() if home else ()) if n == name]
            if match:
                new_ids[old_id] = match[0]
        return new_ids

    # -- faults and expiry --------------------------------------------------------------

    def _not_own(self, caller: Caller, found: Approval) -> None:
        if found.requester == caller.userid:
            self._fault(caller, f"#{found.id}", "不能批准自己提交的申请",
                        "you cannot approve your own request")

    def _fault(self, caller: Caller, target: str, zh: str, en: str,
               errcode: int = TEAM_APPROVAL_REFUSED) -> NoReturn:
        """Journal a refused governance call and refuse it (never returns)."""
        with self._connection() as conn, conn.transaction():
            journal(conn, caller.userid, "refused", both(zh, en), tag_name=target)
        log.info("governance refused %s for %s", target, caller.userid)
        raise GovernanceRefused(errcode, zh, en)

    def _close(self, caller: Caller, found: Approval, status: str, zh: str, en: str,
               claimed: bool = False) -> NoReturn:
        """Close a request that cannot be carried out (`claimed`: this approval already
        marked it approved); journaled; refused (never returns)."""
        with self._connection() as conn, conn.transaction():
            if claimed:
                approvals.close(conn, found.id, status, caller.userid, en)
            else:
                _close_pending(conn, found.id, status, caller.userid, en)
            journal(conn, caller.userid, f"approval_{status}",
                    both(f"#{found.id} {zh}", f"#{found.id} {en}"),
                    tag_id=",".join(found.target_ids), tag_name=found.target)
        self._send([found.requester], f"TagDesk：你的申请 #{found.id}（{found.target}）{zh}。"
                   f" / Your request #{found.id} ({found.target}): {en}.")
        raise GovernanceRefused(TEAM_APPROVAL_REFUSED, zh, en)

    def expire(self) -> None:
        """Requests past their 7 days expire: journaled, and each requester is told. Runs
        hourly (a server job) and before every governance call."""
        with self._connection() as conn, conn.transaction():
            expired = approvals.expire_due(conn)
            for found in expired:
                journal(conn, found.requester, "approval_expired",
                        both(f"#{found.id} 7 天内无人处理", f"#{found.id} not decided within 7 days"),
                        tag_id=",".join(found.target_ids), tag_name=found.target)
        for found in expired:
            self._send([found.requester], f"TagDesk：你的申请 #{found.id}（{found.target}）7 天内"
                       f"无人处理，已过期。 / Your request #{found.id} ({found.target}) expired"
                       " undecided after 7 days.")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def build_governance(connection: ConnectionFactory, transport: WeComTransport, relay: Relay,
                     admins: frozenset[str], agent_id: int | None) -> ApprovalDesk:
    """The gate on `relay`'s writes and the desk behind the governance endpoints."""

    def send(users: list[str], text: str) -> bool:
        return send_text(transport, agent_id, users, text)

    gate = Gate(connection, transport, OrgDirectory(transport), admins, relay.tag_names,
                relay.tag_rule_groups, send)
    relay.gate = gate.check
    return ApprovalDesk(connection, transport, gate, relay.write, send)


def _close_pending(conn: approvals.Conn, approval_id: int, status: str, by: str,
                   reason: str = "") -> None:
    """Close a request that is still pending, its row locked first: one decided meanwhile (by
    another administrator, its requester, the expiry) is refused, not closed twice."""
    locked = approvals.get(conn, approval_id, lock=True)
    if locked is None or locked.status != "pending":
        raise GovernanceRefused(TEAM_APPROVAL_REFUSED, f"申请 #{approval_id} 已经处理过",
                                f"request #{approval_id} was already decided")
    approvals.close(conn, approval_id, status, by, reason)
