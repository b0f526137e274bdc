"""Who sees and edits a team rule: admins all, heads and branch admins their managed
departments (sub-departments included), everyone their own departments', team-wide and
corp-wide rules read-only."""

from __future__ import annotations

from desktop.domain.governance import Actor
from desktop.domain.rule_access import (
    RuleHome,
    default_department,
    may_create,
    may_edit,
    may_see,
)

MARKETING, OPERATIONS, SALES, SALES_I = 2, 3, 4, 5

ADMIN = Actor("boss", admin=True)
HEAD = Actor("li", headed=frozenset({SALES}), managed=frozenset({SALES, SALES_I}),
             departments=frozenset({SALES}))
MEMBER = Actor("wang", departments=frozenset({MARKETING}))


def test_an_admin_sees_and_edits_every_rule_and_creates_corp_wide_ones() -> None:
    for home in (RuleHome(MARKETING), RuleHome(None), RuleHome(OPERATIONS, "team")):
        assert may_see(ADMIN, home) and may_edit(ADMIN, home)
    assert may_create(ADMIN) and default_department(ADMIN) is None


def test_a_head_edits_their_subtree_and_reads_only_what_is_shared() -> None:
    assert may_edit(HEAD, RuleHome(SALES_I)) and may_see(HEAD, RuleHome(SALES_I))
    assert not may_see(HEAD, RuleHome(MARKETING)) and not may_edit(HEAD, RuleHome(MARKETING))
    assert may_see(HEAD, RuleHome(MARKETING, "team"))
    assert not may_edit(HEAD, RuleHome(MARKETING, "team"))
    assert may_see(HEAD, RuleHome(None)) and not may_edit(HEAD, RuleHome(None))
    assert may_create(HEAD) and default_department(HEAD) == SALES


def test_a_member_reads_their_departments_rules_and_creates_none() -> None:
    assert may_see(MEMBER, RuleHome(MARKETING)) and not may_edit(MEMBER, RuleHome(MARKETING))
    assert not may_see(MEMBER, RuleHome(OPERATIONS))
    assert not may_create(MEMBER) and default_department(MEMBER) is None
