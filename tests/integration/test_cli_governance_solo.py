"""Governance lives on a team server: on a solo profile `policy` and `approvals` say so in one
sentence (rules are guidance only there) instead of pretending to enforce anything."""

from __future__ import annotations

from tests.integration.conftest import Cli


def test_policy_and_approvals_on_a_solo_profile_say_governance_needs_a_team_server(
        cli: Cli) -> None:
    added = cli("profile", "add", "solo", "--corp-id", "ww-solo", "--api-base",
                "http://127.0.0.1:9/cgi-bin/", "--userid", "zhangsan", "--secret-stdin",
                stdin="secret\n")
    assert added.returncode == 0, added.stderr
    for command in (("policy", "show"), ("approvals", "list")):
        run = cli(*command, "--profile", "solo")
        assert run.returncode == 2, run.stderr
        assert "单机模式仅作参考" in run.stderr and "enforced only by a team server" in run.stderr
        assert "Traceback" not in run.stderr
