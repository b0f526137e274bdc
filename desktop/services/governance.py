"""The desktop's side of team governance: the policy, the approvals inbox and deciding a
request, through the team server's `/tagdesk/v1/governance/` endpoints.

Only a team profile has governance; the server enforces it. Every call first exchanges the
device token (keyring) for a session token, as the WeCom client does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from desktop.domain.governance import (
    Actor,
    Change,
    Decision,
    OrgChart,
    Policy,
    branch_group_departments,
    decide,
    decide_shared_item,
    owning_department,
    policy_from_json,
)
from desktop.services.profiles import Profile
from desktop.services.team import TeamServerError, _exchange, load_device_token
from desktop.wecom.error_codes import SENTENCE_CODES


@dataclass(frozen=True)
class TeamRules:
    """The policy and the logged-in user's roles as the team server sees them, so the desktop
    can say before a write what the server will answer (the server still decides)."""

    policy: Policy
    chart: OrgChart
    actor: Actor

    def decide(self, change: Change) -> Decision:
        return decide(self.policy, self.chart, self.actor, change)

    def decide_shared_item(self, kind: str, key: str, author: str,
                           groups: Iterable[str]) -> Decision:
        """Whether this user may delete or overwrite the team's exclusive set or saved filter
        `key` (`groups`: those of the set's tags)."""
        return decide_shared_item(self.policy, self.chart, self.actor, kind, key, author, groups)

    def branch_departments(self) -> frozenset[int] | None:
        """The departments this user may make a branch tag group for (None: every one)."""
        return branch_group_departments(self.policy, self.chart, self.actor)

    def owner(self, group: str) -> str:
        """The department owning `group` ("" when it is public)."""
        return owning_department(self.policy, self.chart, group)

    def for_rule_group(self, group: str, rule_group_range: Sequence[int]) -> TeamRules:
        """These rules as the team server applies them to `group`, a tag group of a rule
        group whose range lists the departments `rule_group_range` (WeCom's order): a group
        the policy does not place belongs to the first of them."""
        if not rule_group_range or self.policy.owner_ref(group) is not None:
            return self
        placed = (*self.policy.groups, (group, str(rule_group_range[0])))
        return replace(self, policy=replace(self.policy, groups=placed))


@dataclass(frozen=True)
class CodeChallenge:
    challenge_id: str
    expires_in: int


def is_refusal(exc: BaseException) -> bool:
    """A governance refusal (not allowed, approval needed, approval fault)."""
    return isinstance(exc, TeamServerError) and exc.errcode in SENTENCE_CODES


def require_team(profile: Profile) -> None:
    if not profile.is_team:
        raise TeamServerError(
            f"配置 {profile.name} 是单机配置：标签治理规则只在团队服务器上执行（单机模式仅作参考）。",
            f"Profile {profile.name} is a solo profile: governance rules are enforced only by"
            " a team server (in solo mode they are guidance only).")


def session_token(profile: Profile) -> str:
    require_team(profile)
    from desktop.wecom.client import WeComClient

    with WeComClient(profile.api_base, profile.corp_id, load_device_token(profile),
                     team_url=profile.team_url) as client:
        return client.get_token()


def call(profile: Profile, method: str, action: str, body: dict[str, Any] | None = None,
         session: str | None = None) -> dict[str, Any]:
    token = session or session_token(profile)
    return _exchange(method, profile.team_url, f"tagdesk/v1/governance/{action}",
                     body if method == "POST" else None, {"access_token": token})


def show_policy(profile: Profile) -> dict[str, Any]:
    return call(profile, "GET", "policy")


def team_rules(profile: Profile) -> TeamRules:
    data = show_policy(profile)
    chart = OrgChart.from_json(data.get("chart"))
    return TeamRules(policy_from_json(data.get("policy") or {}), chart,
                     Actor.from_json(data.get("me") or {}, chart))


def pending_approvals(profile: Profile) -> int:
    """Requests waiting for a decision: all of them for an admin, one's own otherwise."""
    return int(call(profile, "GET", "approvals").get("pending") or 0)


def set_policy(profile: Profile, policy: dict[str, Any]) -> dict[str, Any]:
    return call(profile, "POST", "policy", {"policy": policy})


def list_approvals(profile: Profile) -> list[dict[str, Any]]:
    return list(call(profile, "GET", "approvals").get("approvals") or [])


def request_code(profile: Profile, approval_id: int, session: str | None = None
                 ) -> CodeChallenge:
    data = call(profile, "POST", f"approvals/{approval_id}/code", {}, session)
    return CodeChallenge(str(data.get("challenge_id", "")), int(data.get("expires_in", 0)))


def approve(profile: Profile, approval_id: int, challenge: CodeChallenge, code: str,
            session: str | None = None) -> dict[str, Any]:
    data = call(profile, "POST", f"approvals/{approval_id}/approve",
                {"challenge_id": challenge.challenge_id, "code": code.strip()}, session)
    return dict(data.get("approval") or {})


def reject(profile: Profile, approval_id: int, reason: str) -> dict[str, Any]:
    data = call(profile, "POST", f"approvals/{approval_id}/reject", {"reason": reason})
    return dict(data.get("approval") or {})


def withdraw(profile: Profile, approval_id: int) -> dict[str, Any]:
    """Take back one's own pending request (the server refuses anyone else's)."""
    data = call(profile, "POST", f"approvals/{approval_id}/withdraw", {})
    return dict(data.get("approval") or {})


def restore(profile: Profile, approval_id: int) -> dict[str, Any]:
    """Put back what an approved deletion removed and re-tag its customers (one batch)."""
    return call(profile, "POST", f"approvals/{approval_id}/restore", {})


def request_adoption(profile: Profile, group_id: str, new_group_name: str,
                     reason: str = "") -> dict[str, Any]:
    """Ask the admins to adopt a group this user may not (the server counts its relations
    and calls); {"approval_id", "sentence"}."""
    return call(profile, "POST", "adoptions", {"group": group_id,
                                               "new_group_name": new_group_name,
                                               "reason": reason})
