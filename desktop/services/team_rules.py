"""A team profile's rules live on the team server (`/tagdesk/v1/rules`, see
`desktop/server/team_rules.py`): listed as the server lets this user see them, each with its
owner, department and whether this user may edit it; changes are refused there, in one
sentence, when they are not this user's to make."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.services.governance import session_token
from desktop.services.profiles import Profile
from desktop.services.team import team_call

PATH = "tagdesk/v1/rules"


@dataclass(frozen=True)
class ServerRule:
    definition: dict[str, Any]
    owner: str
    department: str
    visibility: str
    editable: bool
    set_by: str
    set_at: float
    reverted_left_alone: int = 0   # relations whose reverted change the rule leaves alone


@dataclass(frozen=True)
class ServerRules:
    rules: list[ServerRule]
    last_run: dict[str, Any] | None


def listing(profile: Profile) -> ServerRules:
    answer = _call(profile, "GET", "")
    rules = [ServerRule(dict(r["definition"]), str(r["owner"]), str(r["department"]),
                        str(r["visibility"]), bool(r["editable"]), str(r["set_by"]),
                        float(r["set_at"]), int(r.get("reverted_left_alone") or 0))
             for r in answer.get("rules") or [] if isinstance(r, dict)]
    last = answer.get("last_run")
    return ServerRules(rules, last if isinstance(last, dict) else None)


def put(profile: Profile, definition: dict[str, object], replacing: str | None = None,
        department: str | None = None, visibility: str | None = None) -> bool:
    """Add or replace the rule (the one named `replacing`: renamed), filed under `department`
    with `visibility` when given (else where it was, or the author's); True when it is new."""
    body: dict[str, Any] = {"rule": definition}
    if replacing:
        body["replacing"] = replacing
    if department:
        body["department"] = department
    if visibility:
        body["visibility"] = visibility
    return bool(_call(profile, "POST", "put", body).get("added"))


def put_all(profile: Profile, definitions: list[dict[str, object]], department: str | None,
            visibility: str | None) -> list[bool]:
    """Add or replace every rule, or none (the server refuses the whole request); True for
    each new one."""
    body: dict[str, Any] = {"rules": definitions}
    if department:
        body["department"] = department
    if visibility:
        body["visibility"] = visibility
    return [bool(added) for added in _call(profile, "POST", "put", body).get("added") or []]


def set_enabled(profile: Profile, name: str, enabled: bool) -> None:
    _call(profile, "POST", "enable" if enabled else "disable", {"name": name})


def remove(profile: Profile, name: str) -> None:
    _call(profile, "POST", "remove", {"name": name})


def _call(profile: Profile, method: str, verb: str,
          body: dict[str, Any] | None = None) -> dict[str, Any]:
    return team_call(method, profile.team_url, f"{PATH}/{verb}" if verb else PATH, body,
                     {"access_token": session_token(profile)})
