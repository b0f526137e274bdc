"""`tagdesk server serve --reconcile-tag --reconcile-orders`: two server processes on one
database reconcile an orders CSV once (one batch, journaled `reconcile`), a desktop sees the
run with `tagdesk reconcile --status` and in the 订单对账… dialog, and reverts the batch from
the team journal; a source that cannot work stops the server at start with one sentence
(exit 2); an administrator runs it now (a member gets 403, a second run while one holds the
job 409) and the status lists the paying customers the server does not know."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.server.jobs import JOB_LOCK_CLASS
from desktop.server.reconcile_schema import JOB_NAME
from desktop.services.workspace import open_workspace
from desktop.ui.context import AppContext
from desktop.ui.reconcile_dialog import ReconcileDialog
from desktop.ui.tasks import pending_tasks
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

TAG = "客户阶段:已成交"
STRANGER = "wmStrangerNotInThisCorp000000001"


@pytest.fixture(scope="module")
def corp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    data = tmp_path_factory.mktemp("reconcile-serve-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=30, members=3, seed=7)) as sandbox:
        yield sandbox


def _tagged(corp: SandboxServer, tag_id: str) -> dict[tuple[str, str], bool]:
    state = corp.state
    return {(u, e): tag_id in state.relation_tag_ids(u, e) for u, e in state.relations()}


def _rows(db_url: str, query: str, *params: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(query.encode(), params).fetchall()


@dataclass
class Reconciled:
    db_url: str
    url: str
    tag_id: str
    before: dict[tuple[str, str], bool]
    paid: set[str]
    refunded: str
    batch_id: str
    counts: dict[str, int]


@pytest.fixture(scope="module")
def reconciled(postgres: PostgresCluster, corp: SandboxServer,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reconciled]:
    """Two server processes on one database, started with an orders CSV that refunds one
    tagged customer and pays two untagged ones; after their first reconciliation."""
    tmp = tmp_path_factory.mktemp("reconcile-serve")
    tag_id = corp.state.find_tag("客户阶段", "已成交")
    assert tag_id is not None
    before = _tagged(corp, tag_id)
    tagged = sorted({e for (_, e), has in before.items() if has})
    untagged = sorted({e for (_, e), _has in before.items()} - set(tagged))
    refunded, paid = tagged[0], set(tagged[1:]) | set(untagged[:2])
    orders = tmp / "orders.csv"
    with orders.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["order_id", "external_userid", "status"])
        writer.writerow(["R-1", refunded, "refunded"])
        writer.writerows([f"P-{n}", customer, "paid"] for n, customer in enumerate(sorted(paid)))
        writer.writerow(["U-1", STRANGER, "paid"])
    db_url = postgres.new_database()
    options = ("--reconcile-tag", TAG, "--reconcile-orders", str(orders),
               "--admin", corp.state.follow_users()[0])
    first = TeamServerProcess(db_url, corp, tmp / "first", *options)
    second = TeamServerProcess(db_url, corp, tmp / "second", *options)
    try:
        runs = wait_for(lambda: (found := _rows(
            db_url, "SELECT result, batch_id, counts FROM reconcile_run WHERE finished_at IS"
            " NOT NULL")) and found, timeout=60, what="the first reconciliation")
        assert [run[0] for run in runs] == ["applied"]
        yield Reconciled(db_url, first.url, tag_id, before, paid, refunded, runs[0][1],
                         runs[0][2])
    finally:
        assert first.stop() == 0
        assert second.stop() == 0


def test_two_processes_reconcile_once_through_the_relay(
        reconciled: Reconciled, corp: SandboxServer) -> None:
    after = _tagged(corp, reconciled.tag_id)
    assert {pair: has for pair, has in after.items()
            if has != (pair[1] in reconciled.paid)} == {}
    journal = _rows(reconciled.db_url, "SELECT action, source, operator, external_userid FROM"
                    " team_journal WHERE batch_id = %s", reconciled.batch_id)
    assert len(journal) == reconciled.counts["applied"] == reconciled.counts["planned"] > 0
    assert {(r[1], r[2]) for r in journal} == {("reconcile", "tagdesk-server")}
    assert ("tag_remove", reconciled.refunded) in {(r[0], r[3]) for r in journal}
    assert _rows(reconciled.db_url, "SELECT count(*) FROM reconcile_run") == [(1,)]


@pytest.mark.gui
def test_the_reconcile_dialog_of_a_team_profile_shows_the_servers_last_run(
        qtbot: Any, reconciled: Reconciled, corp: SandboxServer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    member = corp.state.follow_users()[1]
    with _team_dialog(qtbot, reconciled, corp, tmp_path, monkeypatch, member) as dialog:
        assert dialog.server_run.isVisibleTo(dialog)
        qtbot.waitUntil(lambda: dialog.server_status is not None, timeout=30_000)
        shown = dialog.server_run.text()
        assert reconciled.batch_id in shown and TAG in shown
        assert f"{reconciled.counts['applied']:,}" in shown
        assert STRANGER in shown and "U-1" in shown
        # the answer to "is this caller an administrator?" has reached the window
        qtbot.waitUntil(lambda: not any(t.name == "reconcile admin" for t in pending_tasks()),
                        timeout=30_000)
        assert dialog.run_now_button.isVisibleTo(dialog)
        assert not dialog.run_now_button.isEnabled()     # a member may not run it now


def test_a_desktop_sees_the_run_and_reverts_its_batch(
        reconciled: Reconciled, corp: SandboxServer, tmp_path: Path) -> None:
    anonymous = requests.get(reconciled.url + "tagdesk/v1/reconcile/status",
                             params={"access_token": "not-a-session"}, timeout=10).json()
    assert anonymous["errcode"] == 40014 and "last_run" not in anonymous   # invalid token
    desktop = desktop_env(tmp_path)
    cli_login(desktop, reconciled.url, corp, corp.state.follow_users()[0])
    shown = tagdesk("reconcile", "--profile", "team", "--status", "--json", env=desktop)
    assert shown.returncode == 0, shown.stderr
    answer = json.loads(shown.stdout.strip().splitlines()[-1])
    assert answer["configured"] and answer["last_run"]["result"] == "applied"
    assert answer["last_run"]["batch_id"] == reconciled.batch_id
    assert answer["next_run"] - answer["last_run"]["started_at"] == pytest.approx(600, abs=5)
    assert f"批次 {reconciled.batch_id}" in shown.stderr
    assert f"batch {reconciled.batch_id}" in shown.stderr

    synced = tagdesk("sync", "--profile", "team", env=desktop, timeout=120)
    assert synced.returncode == 0, synced.stderr
    reverted = tagdesk("audit", "revert", reconciled.batch_id, "--profile", "team", "--yes",
                       env=desktop, timeout=120)
    assert reverted.returncode == 0, reverted.stderr
    assert _tagged(corp, reconciled.tag_id) == reconciled.before


def test_a_source_that_cannot_work_stops_the_server_at_start(
        postgres: PostgresCluster, corp: SandboxServer, tmp_path: Path) -> None:
    started = tagdesk("server", "serve", "--db", postgres.new_database(), "--port", "0",
                      "--wecom-api-base", corp.api_base, "--corp-id", corp.corp_id,
                      "--secret-stdin", "--reconcile-tag", TAG,
                      "--reconcile-orders", str(tmp_path / "missing.csv"),
                      stdin=corp.secret + "\n", env=desktop_env(tmp_path))
    assert started.returncode == 2
    assert started.stdout == ""
    assert "Cannot read the orders file" in started.stderr
    assert "Traceback" not in started.stderr


@contextmanager
def _team_dialog(qtbot: Any, reconciled: Reconciled, corp: SandboxServer, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch, user: str) -> Iterator[ReconcileDialog]:
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    home = tmp_path / "home"
    logged_in_home(home, reconciled.url, corp, user)
    workspace = open_workspace(home, "team")
    context = AppContext(workspace)
    try:
        dialog = ReconcileDialog(context)
        qtbot.addWidget(dialog)
        yield dialog
        dialog.close()
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()


def _session(team_url: str, corp: SandboxServer, userid: str) -> str:
    return team_client(team_url, corp, log_in(team_url, corp, userid).token).get_token()


def test_an_administrator_runs_it_now_a_member_may_not_and_one_run_at_a_time(
        reconciled: Reconciled, corp: SandboxServer) -> None:
    admin_user, member_user = corp.state.follow_users()[:2]
    admin, member = _session(reconciled.url, corp, admin_user), \
        _session(reconciled.url, corp, member_user)
    run_now = reconciled.url + "tagdesk/v1/reconcile/run"
    refused = requests.post(run_now, params={"access_token": member}, timeout=10)
    assert refused.status_code == 403
    assert refused.json()["errcode"] == 9001010
    assert refused.json()["errmsg"].split(" / ")[1].startswith("Only a team administrator")
    with psycopg.connect(reconciled.db_url, autocommit=True) as other_process:
        other_process.execute("SELECT pg_advisory_lock(%s, hashtext(%s))",
                              (JOB_LOCK_CLASS, JOB_NAME))
        busy = requests.post(run_now, params={"access_token": admin}, timeout=10)
    assert busy.status_code == 409
    assert busy.json()["errmsg"].split(" / ")[1].startswith("An order reconciliation is running")
    runs_before = _rows(reconciled.db_url, "SELECT count(*) FROM reconcile_run")[0][0]

    started = requests.post(run_now, params={"access_token": admin}, timeout=10)
    assert started.status_code == 200 and started.json()["started"] is True
    wait_for(lambda: _rows(reconciled.db_url, "SELECT count(*) FROM reconcile_run WHERE"
                           " finished_at IS NOT NULL")[0][0] > runs_before, timeout=30,
             what="the run started now")

    def finished() -> dict[str, Any] | None:
        found: dict[str, Any] = requests.get(
            reconciled.url + "tagdesk/v1/reconcile/status", params={"access_token": member},
            timeout=10).json()
        return None if found["running"] else found

    answer = wait_for(finished, timeout=30,  # its lock released: the next test starts a run
                      what="the run over")
    last = answer["last_run"]
    assert last["started_by"] == admin_user and last["result"] in ("applied", "in_step")
    lines = len(reconciled.paid) + 3    # the header, the refund, the paid orders, then U-1
    assert last["unknown"] == [{"external_userid": STRANGER,
                                "orders": [{"order_id": "U-1", "line": lines}]}]
    assert last["counts"]["unknown_customers"] == 1


@pytest.mark.gui
def test_an_administrator_runs_it_now_from_the_dialog(
        qtbot: Any, reconciled: Reconciled, corp: SandboxServer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    admin = corp.state.follow_users()[0]
    with _team_dialog(qtbot, reconciled, corp, tmp_path, monkeypatch, admin) as dialog:
        qtbot.waitUntil(lambda: dialog.run_now_button.isEnabled()
                        and dialog.server_status is not None, timeout=30_000)
        before = dialog.server_status
        assert before is not None and before.last_run is not None
        dialog.run_now()
        assert not dialog.run_now_button.isEnabled()
        qtbot.waitUntil(lambda: dialog.server_status is not before, timeout=60_000)
        after = dialog.server_status
        assert after is not None and after.last_run is not None
        assert after.last_run["id"] > before.last_run["id"], (  # what the server said
            before.answer, after.answer)
        assert after.last_run["started_by"] == admin
        assert f"Run now by {admin}" in "\n".join(after.lines(True))
        assert dialog.run_now_button.isEnabled()


def test_tagdesk_reconcile_run_now_waits_for_the_run_and_refuses_a_member(
        reconciled: Reconciled, corp: SandboxServer, tmp_path: Path) -> None:
    admin, member = corp.state.follow_users()[:2]
    admin_env, member_env = desktop_env(tmp_path / "admin"), desktop_env(tmp_path / "member")
    cli_login(admin_env, reconciled.url, corp, admin)
    cli_login(member_env, reconciled.url, corp, member)
    refused = tagdesk("reconcile", "--profile", "team", "--run-now", env=member_env)
    assert refused.returncode != 0 and "administrator" in refused.stderr
    assert "Traceback" not in refused.stderr
    before = _rows(reconciled.db_url, "SELECT max(id) FROM reconcile_run")[0][0]
    ran = tagdesk("reconcile", "--profile", "team", "--run-now", "--json", env=admin_env,
                  timeout=120)
    assert ran.returncode == 0, ran.stderr
    answer = json.loads(ran.stdout.strip().splitlines()[-1])
    assert answer["last_run"]["id"] > before and not answer["running"]
    assert answer["last_run"]["started_by"] == admin
    assert f"由 {admin} 立即运行" in ran.stderr and f"{STRANGER}: U-1" in ran.stderr
