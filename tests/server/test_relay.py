"""The relay: a desktop's own WeCom client talks to the team server, which forwards with one
corp-wide limiter and journals every write under the authenticated operator."""

from __future__ import annotations

import json
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import requests

from desktop.sandbox import SandboxServer
from desktop.server import team_journal
from desktop.services.team import team_api_base
from desktop.wecom.client import WeComClient
from desktop.wecom.errors import WeComError
from desktop.wecom.ratelimit import RateLimits
from desktop.wecom.write_note import WriteNote
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    log_in,
    team_client,
    wait_for,
)

pytestmark = pytest.mark.integration


def _journal(db_url: str, operator: str) -> list[tuple[object, ...]]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(
            "SELECT action, source, external_userid, userid, tag_id, tag_name, group_name"
            " FROM team_journal WHERE operator = %s ORDER BY id", (operator,)
        ).fetchall()


def _untagged(sandbox: SandboxServer, tag_id: str, not_owned_by: str = ""
              ) -> list[tuple[str, str]]:
    return [(userid, euid) for userid, euid in sandbox.state.relations()
            if userid != not_owned_by
            and tag_id not in sandbox.state.relation_tag_ids(userid, euid)]


def test_reads_and_writes_go_through_the_server_under_the_logged_in_user(
    team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    users = sorted(team_sandbox.state.follow_users())
    operator = users[4]
    device = log_in(team_server.url, team_sandbox, operator)
    with team_client(team_server.url, team_sandbox, device.token) as client:
        groups = client.list_corp_tags()
        names = {(g.name, t.name) for g in groups for t in g.tags}
        assert names == set(team_sandbox.state.tag_ids_by_name())
        group = groups[0]
        tag = group.tags[0]
        userid, euid = _untagged(team_sandbox, tag.id, not_owned_by=operator)[0]
        calls_before = team_sandbox.stats.calls("externalcontact/mark_tag")
        client.mark_tag(userid, euid, add=[tag.id])
        assert tag.id in team_sandbox.state.relation_tag_ids(userid, euid)
        assert team_sandbox.stats.calls("externalcontact/mark_tag") == calls_before + 1
        client.mark_tag(userid, euid, remove=[tag.id])
        with pytest.raises(WeComError) as caught:  # WeCom's own errcode comes back as it is
            client.mark_tag(userid, euid, add=["et-no-such-tag"])
        assert caught.value.errcode == 40068

    rows = _journal(team_server.db_url, operator)
    assert rows == [
        ("tag_add", "relay", euid, userid, tag.id, tag.name, group.name),
        ("tag_remove", "relay", euid, userid, tag.id, tag.name, group.name),
    ]
    with psycopg.connect(team_server.db_url) as conn:
        outbox = conn.execute("SELECT status, errcode FROM outbox WHERE operator = %s"
                              " ORDER BY id", (operator,)).fetchall()
        assert outbox == [("done", 0), ("done", 0), ("failed", 40068)]
        assert team_journal.verify(conn).ok


def test_a_desktop_cannot_choose_the_operator(
    team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    users = sorted(team_sandbox.state.follow_users())
    operator = users[5]
    device = log_in(team_server.url, team_sandbox, operator)
    token = requests.get(team_server.url + "cgi-bin/gettoken", timeout=10, params={
        "corpid": team_sandbox.corp_id, "corpsecret": device.token}).json()["access_token"]
    tag_id = next(iter(team_sandbox.state.tag_ids_by_name().values()))
    userid, euid = _untagged(team_sandbox, tag_id)[0]
    answer = requests.post(
        team_server.url + "cgi-bin/externalcontact/mark_tag", timeout=10,
        params={"access_token": token, "operator": "boss"},
        headers={"X-TagDesk-Operator": "boss"},
        json={"userid": userid, "external_userid": euid, "add_tag": [tag_id],
              "operator": "boss"},
    ).json()
    assert answer["errcode"] == 0
    assert [row[0] for row in _journal(team_server.db_url, operator)] == ["tag_add"]
    assert _journal(team_server.db_url, "boss") == []


def test_the_relay_answers_like_wecom(team_server: TeamServerProcess) -> None:
    base = team_server.url + "cgi-bin/"
    assert requests.get(base + "externalcontact/get_follow_user_list",
                        timeout=10).json()["errcode"] == 41001
    assert requests.get(base + "externalcontact/get_follow_user_list", timeout=10,
                        params={"access_token": "made-up"}).json()["errcode"] == 40014
    assert requests.post(base + "externalcontact/transfer_customer", json={}, timeout=10,
                         params={"access_token": "x"}).json()["errcode"] == 48002
    assert requests.get(base + "gettoken", params={"corpid": "ww-other", "corpsecret": "x"},
                        timeout=10).json()["errcode"] == 40013
    oversized = requests.post(base + "externalcontact/mark_tag", data=b"{" * (2 << 20),
                              params={"access_token": "x"}, timeout=10)
    assert oversized.status_code == 413 and oversized.json()["errcode"] == 47001


def test_two_desktops_share_one_corp_wide_concurrency_cap(
    team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    """The sandbox answers 45033 above 2 mark_tag calls in flight and the server's cap is 2:
    two desktops, each allowed 5 in flight, never trip it together."""
    users = sorted(team_sandbox.state.follow_users())
    first, second = users[0], users[1]
    tag_id = sorted(team_sandbox.state.tag_ids_by_name().values())[-1]
    by_customer = {euid: (userid, euid) for userid, euid in _untagged(team_sandbox, tag_id)}
    targets = list(by_customer.values())[:10]  # WeCom also allows one call per customer
    assert len(targets) == 10
    clients = [team_client(team_server.url, team_sandbox,
                           log_in(team_server.url, team_sandbox, user).token, concurrency=5)
               for user in (first, second)]
    busy_before = team_sandbox.stats.errors(45033)
    team_sandbox.configure(latency_ms=150)
    try:
        started = time.monotonic()
        with ThreadPoolExecutor(10) as pool:
            list(pool.map(lambda i: clients[i % 2].mark_tag(*targets[i], add=[tag_id]),
                          range(10)))
        elapsed = time.monotonic() - started
    finally:
        team_sandbox.configure(latency_ms=0)
        for client in clients:
            client.close()
    assert team_sandbox.stats.errors(45033) == busy_before
    assert all(tag_id in team_sandbox.state.relation_tag_ids(*t) for t in targets)
    assert elapsed >= 10 / 2 * 0.150 * 0.9  # at most two at a time
    for user in (first, second):
        tagged = [r for r in _journal(team_server.db_url, user) if r[4] == tag_id]
        assert len(tagged) == 5


def test_sigterm_lets_an_in_flight_write_finish_and_journal(
    postgres: PostgresCluster, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    server = TeamServerProcess(postgres.new_database(), team_sandbox, tmp_path)
    operator = sorted(team_sandbox.state.follow_users())[3]
    tag_id = sorted(team_sandbox.state.tag_ids_by_name().values())[2]
    userid, euid = next((u, e) for u, e in team_sandbox.state.relations()
                        if tag_id not in team_sandbox.state.relation_tag_ids(u, e))
    try:
        device = log_in(server.url, team_sandbox, operator)
        client = team_client(server.url, team_sandbox, device.token)
        client.get_token()
        team_sandbox.configure(latency_ms=1500)
        with ThreadPoolExecutor(1) as pool:
            write = pool.submit(client.mark_tag, userid, euid, add=[tag_id])
            wait_for(lambda: team_sandbox.stats.in_flight("externalcontact/mark_tag"),
                     what="the write to reach WeCom")
            server.process.send_signal(signal.SIGTERM)
            write.result(timeout=30)
    finally:
        team_sandbox.configure(latency_ms=0)
        code = server.stop()
    assert code == 0, server.stderr
    assert tag_id in team_sandbox.state.relation_tag_ids(userid, euid)
    assert [row[0] for row in _journal(server.db_url, operator)] == ["tag_add"]
    log = (tmp_path / "home" / "logs" / "tagdesk.log").read_text(encoding="utf-8")
    assert "team server stopped" in log
    for secret in (team_sandbox.secret, device.token):
        assert secret not in log and secret not in server.stderr


def test_the_server_recovers_when_postgresql_restarts(
    postgres: PostgresCluster, team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    device = log_in(team_server.url, team_sandbox, sorted(team_sandbox.state.follow_users())[2])
    with team_client(team_server.url, team_sandbox, device.token) as client:
        assert client.get_follow_user_list()
        session = client.get_token()
    whoami = team_server.url + "tagdesk/v1/whoami"
    with ThreadPoolExecutor(8) as pool:  # the pool grows to several connections
        list(pool.map(lambda _: requests.get(whoami, params={"access_token": session},
                                             timeout=30), range(40)))
    postgres.restart()
    follow_users = team_server.url + "cgi-bin/externalcontact/get_follow_user_list"

    def served() -> bool:
        return requests.get(follow_users, params={"access_token": session},
                            timeout=30).status_code == 200

    # a connection that saw the restart may have marked the database down: the probe finds
    # it back within half a second, then every request is served
    wait_for(served, timeout=5, what="requests served again after the restart")
    for _ in range(3):
        answer = requests.get(follow_users, params={"access_token": session}, timeout=30)
        assert answer.status_code == 200 and answer.json()["errcode"] == 0


def test_before_comes_from_the_servers_snapshot_not_a_stale_desktop_cache(
    team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    wait_for(lambda: _one_value(team_server.db_url, "SELECT count(*) FROM resync_run WHERE"
                                " finished_at IS NOT NULL"), what="the first re-sync")
    users = sorted(team_sandbox.state.follow_users())
    stale, fresh = users[2], users[3]
    tag_ids = sorted(team_sandbox.state.tag_ids_by_name().values())
    userid, euid = next((u, e) for u, e in team_sandbox.state.relations()
                        if not {*tag_ids[:3]} & team_sandbox.state.relation_tag_ids(u, e))
    first, second, third = tag_ids[:3]
    cached = tuple(sorted(team_sandbox.state.relation_tag_ids(userid, euid)))
    with _desktop(team_server, team_sandbox, fresh) as client:
        client.mark_tag(userid, euid, add=[first], note=WriteNote("b-fresh", "app", cached))
    now = tuple(sorted(team_sandbox.state.relation_tag_ids(userid, euid)))
    with _desktop(team_server, team_sandbox, stale) as client:
        # its cache has not seen `first` arrive: adding it again changes nothing
        client.mark_tag(userid, euid, add=[first, second],
                        note=WriteNote("b-stale", "app", cached))
        client.mark_tag(userid, euid, remove=[third], note=WriteNote("b-stale", "app",
                                                                     (*cached, third)))
    with psycopg.connect(team_server.db_url) as conn:
        rows = conn.execute("SELECT action, tag_id, before, after FROM team_journal"
                            " WHERE batch_id = 'b-stale' ORDER BY id").fetchall()
        kept = conn.execute("SELECT tag_ids FROM relation_tag_snapshot WHERE userid = %s"
                            " AND external_userid = %s", (userid, euid)).fetchone()
    after = sorted({*now, second})
    assert rows == [("tag_add", second, json.dumps(sorted(now)), json.dumps(after))]
    assert kept is not None and sorted(kept[0]) == after == sorted(
        team_sandbox.state.relation_tag_ids(userid, euid))


def _desktop(team_server: TeamServerProcess, team_sandbox: SandboxServer,
             userid: str) -> WeComClient:
    """A team profile's client: it sends its notes to the server."""
    return WeComClient(team_api_base(team_server.url), team_sandbox.corp_id,
                       log_in(team_server.url, team_sandbox, userid).token,
                       limits=RateLimits(max_retries=1), team_url=team_server.url)


def _one_value(db_url: str, statement: str) -> object:
    with psycopg.connect(db_url) as conn:
        row = conn.execute(statement.encode()).fetchone()
    return None if row is None else row[0]
