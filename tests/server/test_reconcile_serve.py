"""`tagdesk server serve --reconcile-tag --reconcile-orders`: two server processes on one
database reconcile an orders CSV once (one batch, journaled `reconcile`), a desktop sees the
run with `tagdesk reconcile --status` and reverts the batch from the team journal; a source
that cannot work stops the server at start with one sentence (exit 2)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    cli_login,
    desktop_env,
    tagdesk,
    wait_for,
)

pytestmark = pytest.mark.integration

TAG = "客户阶段:已成交"


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


def test_two_processes_reconcile_once_and_the_batch_reverts_from_a_desktop(
        postgres: PostgresCluster, corp: SandboxServer, tmp_path: Path) -> None:
    tag_id = corp.state.find_tag("客户阶段", "已成交")
    assert tag_id is not None
    before = _tagged(corp, tag_id)
    tagged = sorted({e for (_, e), has in before.items() if has})
    untagged = sorted({e for (_, e), _has in before.items()} - set(tagged))
    refunded, paid = tagged[0], set(tagged[1:]) | set(untagged[:2])
    orders = tmp_path / "orders.csv"
    with orders.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["order_id", "external_userid", "status"])
        writer.writerow(["R-1", refunded, "refunded"])
        writer.writerows([f"P-{n}", customer, "paid"] for n, customer in enumerate(sorted(paid)))
    db_url = postgres.new_database()
    options = ("--reconcile-tag", TAG, "--reconcile-orders", str(orders))
    first = TeamServerProcess(db_url, corp, tmp_path / "first", *options)
    second = TeamServerProcess(db_url, corp, tmp_path / "second", *options)
    try:
        runs = wait_for(lambda: (found := _rows(
            db_url, "SELECT result, batch_id, counts FROM reconcile_run WHERE finished_at IS"
            " NOT NULL")) and found, timeout=60, what="the first reconciliation")
        assert [run[0] for run in runs] == ["applied"]
        batch_id, counts = runs[0][1], runs[0][2]
        after = _tagged(corp, tag_id)
        assert {pair: has for pair, has in after.items() if has != (pair[1] in paid)} == {}
        journal = _rows(db_url, "SELECT action, source, operator, external_userid FROM"
                        " team_journal WHERE batch_id = %s", batch_id)
        assert len(journal) == counts["applied"] == counts["planned"] > 0
        assert {(r[1], r[2]) for r in journal} == {("reconcile", "tagdesk-server")}
        assert ("tag_remove", refunded) in {(r[0], r[3]) for r in journal}
        assert _rows(db_url, "SELECT count(*) FROM reconcile_run") == [(1,)]  # once, not twice

        desktop = desktop_env(tmp_path / "desktop")
        cli_login(desktop, first.url, corp, corp.state.follow_users()[0])
        shown = tagdesk("reconcile", "--profile", "team", "--status", "--json", env=desktop)
        assert shown.returncode == 0, shown.stderr
        answer = json.loads(shown.stdout.strip().splitlines()[-1])
        assert answer["configured"] and answer["last_run"]["result"] == "applied"
        assert answer["last_run"]["batch_id"] == batch_id
        assert answer["next_run"] - answer["last_run"]["started_at"] == pytest.approx(600, abs=5)
        assert f"批次 {batch_id}" in shown.stderr and f"batch {batch_id}" in shown.stderr

        synced = tagdesk("sync", "--profile", "team", env=desktop, timeout=120)
        assert synced.returncode == 0, synced.stderr
        reverted = tagdesk("audit", "revert", batch_id, "--profile", "team", "--yes",
                           env=desktop, timeout=120)
        assert reverted.returncode == 0, reverted.stderr
        assert _tagged(corp, tag_id) == before
    finally:
        assert first.stop() == 0
        assert second.stop() == 0


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
