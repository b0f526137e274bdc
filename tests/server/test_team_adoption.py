"""Adopting a console-made group on a team profile: the relay's governance decides as for
any new group (an administrator may, a member is refused with the server's sentence and
nothing is written), and the moves are journaled on the team server."""

from __future__ import annotations

import json

import psycopg
import pytest

from desktop.sandbox import SandboxServer
from tests.server.team_support import TeamServerProcess, cli_login, desktop_env, tagdesk

pytestmark = pytest.mark.integration

GROUP, TWIN_GROUP = "客户来源", "客户来源(TagDesk)"


def _desktop(tmp: pytest.TempPathFactory, server: TeamServerProcess, corp: SandboxServer,
             userid: str) -> dict[str, str]:
    env = desktop_env(tmp.mktemp(f"adopt-{userid}"))
    cli_login(env, server.url, corp, userid)
    synced = tagdesk("sync", "--profile", "team", env=env, timeout=120)
    assert synced.returncode == 0, synced.stderr
    return env


def test_a_member_is_refused_and_an_admin_adopts_through_the_relay(
    team_server: TeamServerProcess, team_sandbox: SandboxServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    corp = team_sandbox
    follow_users = sorted(corp.state.follow_users())
    member, admin = follow_users[0], follow_users[1]
    old = corp.state.find_tag(GROUP, "朋友推荐") or ""
    carriers = {key for key in corp.state.relations() if old in corp.state.relation_tag_ids(*key)}
    assert carriers

    refused = tagdesk("migrate", "--profile", "team", "--adopt", GROUP, "--yes",
                      env=_desktop(tmp_path_factory, team_server, corp, member), timeout=120)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    lines = [line for line in refused.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "管理员" in lines[0], refused.stderr
    assert corp.state.find_group(TWIN_GROUP) is None

    adopted = tagdesk("migrate", "--profile", "team", "--adopt", GROUP, "--yes", "--json",
                      env=_desktop(tmp_path_factory, team_server, corp, admin), timeout=180)
    assert adopted.returncode == 0, adopted.stderr
    summary = json.loads(adopted.stdout.strip().splitlines()[-1])
    twin = corp.state.find_tag(TWIN_GROUP, "朋友推荐") or ""
    assert summary["twins"][old] == twin
    assert {key for key in corp.state.relations()
            if twin in corp.state.relation_tag_ids(*key)} == carriers
    with psycopg.connect(team_server.db_url) as conn:
        journaled = conn.execute("SELECT count(DISTINCT external_userid || userid) FROM"
                                 " team_journal WHERE batch_id = %s",
                                 (summary["batch_id"],)).fetchone()
    assert journaled is not None and journaled[0] == summary["applied"]
