"""The team journal as the desktops see it: rows carry the desktop's batch id, source and
before / after; export, revert and the filters read it through the server."""

from __future__ import annotations

import json

import psycopg
import pytest
import requests

from desktop.sandbox import SandboxServer
from tests.server.team_support import (
    TeamServerProcess,
    cli_login,
    desktop_env,
    log_in,
    tagdesk,
)

pytestmark = pytest.mark.integration


def _lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.strip().splitlines()]


def _team_rows(db_url: str, batch_id: str) -> list[tuple[object, ...]]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(
            "SELECT operator, action, source, external_userid, userid, tag_id, before, after,"
            " reason, reverts_batch FROM team_journal WHERE batch_id = %s ORDER BY id",
            (batch_id,)).fetchall()


@pytest.fixture(scope="module")
def seller(team_sandbox: SandboxServer) -> str:
    return sorted(team_sandbox.state.follow_users())[0]


@pytest.fixture(scope="module")
def seller_env(team_server: TeamServerProcess, team_sandbox: SandboxServer, seller: str,
               tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The salesperson's desktop: logged in and synced through the team server."""
    env = desktop_env(tmp_path_factory.mktemp("seller"))
    cli_login(env, team_server.url, team_sandbox, seller)
    synced = tagdesk("sync", "--profile", "team", env=env, timeout=120)
    assert synced.returncode == 0, synced.stderr
    return env


def _retag(env: dict[str, str], owner: str, tag: str, *, add: bool = True) -> str:
    """A batch by the salesperson on their own customers; its batch id."""
    done = tagdesk("retag", "--profile", "team", "--filter", f"owner:{owner}",
                   "--add" if add else "--remove", tag, "--yes", "--json", env=env,
                   timeout=120)
    assert done.returncode == 0, done.stderr
    return str(_lines(done.stdout)[-1]["batch_id"])


def test_a_desktops_batch_is_journaled_with_its_batch_id_and_before_after(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, seller: str,
    seller_env: dict[str, str],
) -> None:
    (group, name), tag_id = sorted(team_sandbox.state.tag_ids_by_name().items())[2]
    relations = [(u, e) for u, e in team_sandbox.state.relations() if u == seller]
    had = {e for u, e in relations if tag_id in team_sandbox.state.relation_tag_ids(u, e)}
    befores = {e: sorted(team_sandbox.state.relation_tag_ids(u, e)) for u, e in relations}
    batch_id = _retag(seller_env, seller, f"{group}:{name}")

    rows = _team_rows(team_server.db_url, batch_id)
    changed = sorted(e for _, e in relations if e not in had)
    assert changed and sorted(str(r[3]) for r in rows) == changed  # no row for a no-op
    for operator, action, source, euid, userid, row_tag, before, after, reason, reverts in rows:
        assert (operator, action, source, userid, row_tag, reason, reverts) == (
            seller, "tag_add", "batch", seller, tag_id, "", "")
        assert json.loads(str(before)) == befores[str(euid)]
        assert json.loads(str(after)) == sorted({*befores[str(euid)], tag_id})


def test_a_malformed_note_is_refused_and_journals_nothing(
    team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    writer = sorted(team_sandbox.state.follow_users())[5]
    device = log_in(team_server.url, team_sandbox, writer)
    token = requests.get(team_server.url + "cgi-bin/gettoken", timeout=10, params={
        "corpid": team_sandbox.corp_id, "corpsecret": device.token}).json()["access_token"]
    tag_id = sorted(team_sandbox.state.tag_ids_by_name().values())[0]
    userid, euid = next(iter(team_sandbox.state.relations()))
    body = {"userid": userid, "external_userid": euid, "add_tag": [tag_id]}
    for header, value, named in (("X-TagDesk-Source", "observed", "X-TagDesk-Source"),
                                 ("X-TagDesk-Before", "[1, 2]", "X-TagDesk-Before"),
                                 ("X-TagDesk-Batch", "x" * 65, "X-TagDesk-Batch")):
        answer = requests.post(team_server.url + "cgi-bin/externalcontact/mark_tag",
                               timeout=10, params={"access_token": token},
                               headers={header: value}, json=body).json()
        assert answer["errcode"] == 47001 and named in answer["errmsg"]
    with psycopg.connect(team_server.db_url) as conn:
        found = conn.execute("SELECT count(*) FROM outbox WHERE operator = %s",
                             (writer,)).fetchone()
    assert found == (0,)
