"""Behaviour events in team mode: sources with their own keys push to the team server
(wrong or revoked key 401, flood 429, oversized 413, malformed 400, nothing half-stored); a
desktop's import is pushed with its login; another desktop's rules read the server's events;
events older than `--events-retention-days` are deleted by a job; a team profile's sync copies
the server's events, which its detail pane and events window show."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from desktop.sandbox import SandboxServer
from desktop.server.database import migrate
from desktop.services.workspace import open_workspace
from desktop.store import events
from desktop.ui.context import AppContext
from desktop.ui.detail_pane import DetailPane
from desktop.ui.events_browser import EventsBrowser
from tests.cli_json import last_json
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    cli_login,
    desktop_env,
    log_in,
    logged_in_home,
    tagdesk,
    team_client,
    wait_for,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def server_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("events-server")


@pytest.fixture(scope="module")
def team_server(postgres: PostgresCluster, team_sandbox: SandboxServer,
                server_home: Path) -> Iterator[TeamServerProcess]:
    """This module's server, running the enabled team rules every second and keeping events
    30 days, with a home whose log the tests read; its database held one event 400 days old
    before it started, which its first retention run deleted."""
    db_url = postgres.new_database()
    migrate(db_url)
    with psycopg.connect(db_url) as conn:
        conn.execute("INSERT INTO team_event (event_key, ts, external_userid, userid, type,"
                     " name, detail, source) VALUES ('id:ancient', %s, 'wmANCIENT', '',"
                     " 'order_paid', '', '', 'crm')", (time.time() - 400 * 86400,))
    server = TeamServerProcess(db_url, team_sandbox, server_home, "--rules-interval", "1",
                               "--events-retention-days", "30")
    try:
        wait_for(lambda: _retention_runs(db_url), timeout=30, what="the first retention run")
        yield server
    finally:
        server.stop()


def _stored(db_url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(db_url) as conn:
        return conn.execute("SELECT event_key, external_userid, type, source, value"
                            " FROM team_event ORDER BY id").fetchall()


def _retention_runs(db_url: str) -> int:
    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT runs FROM scheduled_job WHERE name = 'event-retention'"
                           " AND last_finished_at IS NOT NULL").fetchone()
    return 0 if row is None else int(row[0])


def test_events_older_than_the_retention_are_deleted_by_the_servers_job(
        team_server: TeamServerProcess) -> None:
    assert _retention_runs(team_server.db_url) == 1
    assert [r for r in _stored(team_server.db_url) if r[0] == "id:ancient"] == []


def _source(team_server: TeamServerProcess, home: Path, name: str, *more: str) -> str:
    added = tagdesk("server", "event-source", "add", name, "--db", team_server.db_url, *more,
                    "--json", env=desktop_env(home))
    assert added.returncode == 0, added.stderr
    return str(last_json(added.stdout)["key"])


def _event(customer: str, kind: str = "order_paid", **more: object) -> dict[str, object]:
    return {"time": "2026-12-01 09:30", "external_userid": customer, "type": kind, **more}


def test_an_import_is_pushed_with_the_login_and_a_colleagues_rules_read_server_events(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, server_home: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    seller, boss = sorted(team_sandbox.state.follow_users())[:2]
    path = team_sandbox.state.events_path
    written = path.read_text(encoding="utf-8").splitlines()
    seller_env = desktop_env(tmp_path_factory.mktemp("events-seller"))
    cli_login(seller_env, team_server.url, team_sandbox, seller)
    pushed = tagdesk("events", "import", str(path), "--profile", "team", "--json",
                     env=seller_env, timeout=120)
    assert pushed.returncode == 0, pushed.stderr
    summary = last_json(pushed.stdout)
    assert (summary["stored_on"], summary["imported"]) == ("team", len(written))
    rows = _stored(team_server.db_url)
    assert len(rows) == len(written) and {r[3] for r in rows} == {f"desktop:{seller}"}
    again = last_json(tagdesk("events", "import", str(path), "--profile", "team", "--json",
                          env=seller_env, timeout=120).stdout)
    assert again["imported"] == 0 and len(_stored(team_server.db_url)) == len(written)

    key = _source(team_server, server_home, "crm")
    _, customer = sorted(team_sandbox.state.relations())[0]
    answer = requests.post(f"{team_server.url}tagdesk/v1/events",
                           headers={"Authorization": f"Bearer {key}"},
                           json={"events": [_event(customer, "vip_upgrade", id="crm-1",
                                                   time=time.time() - 3600)]},
                           timeout=30)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["stored"], answer.json()["source"]) == (1, "crm")

    boss_env = desktop_env(tmp_path_factory.mktemp("events-boss"))
    cli_login(boss_env, team_server.url, team_sandbox, boss)
    assert tagdesk("sync", "--profile", "team", env=boss_env, timeout=120).returncode == 0
    rule = {"name": "升级VIP", "enabled": False, "when": {"all": [{"event": {"type": "vip_upgrade",
                                                          "within_days": 1}},
                                               {"has_not": "意向程度:高意向"}]},
            "then": {"add": ["意向程度:高意向"]}}
    rules_file = tmp_path_factory.mktemp("events-rules") / "vip.json"
    rules_file.write_text(json.dumps(rule, ensure_ascii=False), encoding="utf-8")
    added = tagdesk("rules", "add", str(rules_file), "--profile", "team", env=boss_env)
    assert added.returncode == 0, added.stderr
    simulated = tagdesk("rules", "simulate", "升级VIP", "--profile", "team", "--json",
                        env=boss_env, timeout=120)
    assert simulated.returncode == 0, simulated.stderr
    changes = last_json(simulated.stdout)["changes"]
    assert {c["external_userid"] for c in changes} == {customer}
    assert changes[0]["why"]["升级VIP"][0].startswith("event vip_upgrade @ ")
    listed = last_json(tagdesk("events", "list", "--profile", "team", "--customer", customer,
                           "--json", env=boss_env).stdout)["events"]
    assert {e["source"] for e in listed} >= {"crm"}

    # enabled, the server's own rule runs read the pushed event and tag the customer
    tag_id = team_sandbox.state.find_tag("意向程度", "高意向")
    assert tagdesk("rules", "enable", "升级VIP", "--profile", "team",
                   env=boss_env).returncode == 0
    wait_for(lambda: all(tag_id in team_sandbox.state.relation_tag_ids(u, e)
                         for u, e in team_sandbox.state.relations() if e == customer),
             timeout=60, what="the server's rule run")
    with psycopg.connect(team_server.db_url, autocommit=True) as conn:
        def rule_rows() -> list[tuple[str, str]]:
            return conn.execute("SELECT external_userid, reason FROM team_journal"
                                " WHERE source = 'rule'").fetchall()

        # the journal row follows the call's answer: WeCom may show the tag a moment before
        wait_for(rule_rows, timeout=30, what="the rule run's journal rows")
        journaled = rule_rows()
    assert {row[0] for row in journaled} == {customer}
    assert {row[1] for row in journaled} == {"规则：升级VIP / Rules: 升级VIP"}


@pytest.mark.gui
def test_a_team_profiles_sync_detail_pane_and_events_window_show_the_servers_events(
        qtbot: Any, team_server: TeamServerProcess, team_sandbox: SandboxServer,
        server_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = _source(team_server, server_home, "shop")
    _, customer = sorted(team_sandbox.state.relations())[-1]
    pushed = requests.post(f"{team_server.url}tagdesk/v1/events",
                           headers={"Authorization": f"Bearer {key}"},
                           json={"events": [_event(customer, "coupon_used", id="shop-1",
                                                   time=time.time() - 60, value=30)]},
                           timeout=30)
    assert pushed.status_code == 200, pushed.text
    for name, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    home = tmp_path / "home"
    user = sorted(team_sandbox.state.follow_users())[2]
    logged_in_home(home, team_server.url, team_sandbox, user)
    synced = tagdesk("sync", "--profile", "team", env=desktop_env(tmp_path), timeout=120)
    assert synced.returncode == 0, synced.stderr
    workspace = open_workspace(home, "team")
    context = AppContext(workspace)
    try:
        assert events.count(workspace.cache) == len(_stored(team_server.db_url))  # by the sync
        pane = DetailPane(context)
        qtbot.addWidget(pane)
        pane.show_relation(int(str(workspace.cache.scalar(
            "SELECT id FROM relation WHERE external_userid = ? LIMIT 1", (customer,)))))
        assert "coupon_used" in pane.browser.visible_text()
        browser = EventsBrowser(context)
        qtbot.addWidget(browser)
        qtbot.waitUntil(lambda: browser.loaded is not None, timeout=30_000)
        assert browser.loaded is not None
        assert browser.loaded.total == len(_stored(team_server.db_url))
        browser.customer.setText(customer)
        browser.customer.returnPressed.emit()
        qtbot.waitUntil(lambda: browser.loaded is not None
                        and browser.loaded.generation == browser.generation, timeout=30_000)
        shown = {(event.event_key, source) for event, source in browser.model.rows}
        assert ("id:shop-1", "shop") in shown
        browser.close()
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()


def test_keys_floods_sizes_and_bad_rows_are_refused_with_nothing_half_stored(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, server_home: Path,
) -> None:
    url = f"{team_server.url}tagdesk/v1/events"
    key = _source(team_server, server_home, "forms", "--per-minute", "4")
    old = _source(team_server, server_home, "old-shop")
    env = desktop_env(server_home)
    assert tagdesk("server", "event-source", "revoke", "old-shop", "--db", team_server.db_url,
                   env=env).returncode == 0
    sources = last_json(tagdesk("server", "event-source", "list", "--db", team_server.db_url,
                            "--json", env=env).stdout)["sources"]
    assert {s["name"]: s["revoked_at"] is not None for s in sources}["old-shop"] is True
    before = len(_stored(team_server.db_url))

    refusals = []
    for headers in ({"Authorization": "Bearer tdk_ev_forged"}, {"X-TagDesk-Event-Key": old},
                    {}):
        refused = requests.post(url, headers=headers, json={"events": [_event("wmKEY")]},
                                timeout=30)
        refusals.append((refused.status_code, refused.json()["errcode"]))
    assert refusals == [(401, 40001)] * 3
    assert "unknown or revoked" in requests.post(
        url, headers={"X-TagDesk-Event-Key": old}, json={"events": []}, timeout=30
    ).json()["errmsg"]

    big = requests.post(url, headers={"X-TagDesk-Event-Key": key},
                        data=b'{"events": [' + b" " * (5 << 20) + b"]}", timeout=60)
    assert big.status_code == 413
    malformed = requests.post(url, headers={"X-TagDesk-Event-Key": key}, json={"events": [
        _event("wmROW0"), _event("13800138000"), _event("wmROW2", time="soon")]}, timeout=30)
    assert malformed.status_code == 400
    assert "event 1: external_userid is a phone number" in malformed.json()["errmsg"]
    assert "event 2: unreadable time" in malformed.json()["errmsg"]
    assert len(_stored(team_server.db_url)) == before

    accepted, limited = 0, []
    for index in range(10):
        answer = requests.post(url, headers={"X-TagDesk-Event-Key": key}, json={"events": [
            _event(f"wmFLOOD{index}", id=f"flood-{index}-a"),
            _event(f"wmFLOOD{index}", id=f"flood-{index}-b")]}, timeout=30)
        if answer.status_code == 200:
            accepted += 1
        else:
            limited.append(answer)
    assert limited and all(a.status_code == 429 for a in limited)
    assert 1 <= int(limited[0].headers["Retry-After"]) <= 60
    assert limited[0].json()["errcode"] == 45009
    flood = [r for r in _stored(team_server.db_url) if r[1].startswith("wmFLOOD")]
    assert len(flood) == 2 * accepted and {r[3] for r in flood} == {"forms"}
    raised = tagdesk("server", "event-source", "limit", "forms", "--per-minute", "1000",
                     "--db", team_server.db_url, env=env)
    assert raised.returncode == 0, raised.stderr
    again = requests.post(url, headers={"X-TagDesk-Event-Key": key},
                          json={"events": [_event("wmFLOOD-after", id="flood-after")]},
                          timeout=30)
    assert again.status_code == 200
    unknown = tagdesk("server", "event-source", "limit", "nobody", "--per-minute", "5",
                      "--db", team_server.db_url, env=env)
    assert unknown.returncode == 2 and "no source named 'nobody'" in unknown.stderr

    assert requests.get(url, timeout=30).json()["errcode"] == 41001     # reading needs a login
    assert requests.get(url, params={"access_token": "forged"}, timeout=30).json()[
        "errcode"] == 40014
    userid = sorted(team_sandbox.state.follow_users())[3]
    with team_client(team_server.url, team_sandbox,
                     log_in(team_server.url, team_sandbox, userid).token) as client:
        token = client.get_token()
    paged: dict[str, str | int] = {"access_token": token, "after_id": 0, "limit": 2}
    first = requests.get(url, params=paged, timeout=30).json()
    assert len(first["events"]) == 2 and first["next_after_id"] == first["events"][1]["id"]
    paged = {"access_token": token, "after_id": int(first["next_after_id"])}
    rest = requests.get(url, params=paged, timeout=30).json()
    assert rest["next_after_id"] is None
    assert len(first["events"]) + len(rest["events"]) == len(_stored(team_server.db_url))

    assert team_server.stop() == 0
    log = (server_home / "home" / "logs" / "tagdesk.log").read_text(encoding="utf-8")
    assert log.count("event push refused") == 3
    assert "tdk_ev_forged" not in log and old not in log and key not in log

