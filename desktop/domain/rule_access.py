"""Who may see and edit a team rule (pure, no I/O).

A team rule belongs to a department (or to no department: a corp-wide rule) and is visible
either to its department (`department`, the default) or to the whole team (`team`):

- administrators see and edit every rule;
- a department head or branch admin edits the rules of the departments they manage (their
  sub-departments included) and creates rules for them;
- everyone sees, read-only, the rules of the departments they belong to, the rules shared
  with the whole team and the corp-wide rules; a head sees other departments' rules only
  when those are shared with the team;
- members create no rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.governance import Actor

VISIBILITIES = ("department", "team")


@dataclass(frozen=True)
class RuleHome:
    """Where a team rule belongs: its department (None: corp-wide) and who sees it."""

    department: int | None
    visibility: str = "department"


def may_edit(actor: Actor, home: RuleHome) -> bool:
    if actor.admin:
        return True
    return home.department is not None and home.department in actor.managed


def may_see(actor: Actor, home: RuleHome) -> bool:
    if may_edit(actor, home) or home.visibility == "team" or home.department is None:
        return True
    return home.department in actor.departments


def may_create(actor: Actor) -> bool:
    return actor.admin or bool(actor.managed)


def default_department(actor: Actor) -> int | None:
    """The department a new rule goes to when none is named: the lowest one the author heads
    or manages; None (corp-wide) for an administrator who manages none."""
    owned = actor.headed or actor.branches
    return min(owned) if owned else None
