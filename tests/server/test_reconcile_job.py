"""The team server's scheduled order reconciliation, one run at a time, against a real
PostgreSQL, the sandbox and real order sources: a CSV with bad rows applies nothing and says
which lines, the max-changes guard stops a run, a SQL query on an orders table in PostgreSQL
and a JSON endpoint on a local HTTP server fix both kinds of mismatch through the relay
(journaled `reconcile`, one batch per run), an unreachable source applies nothing."""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psycopg
import psycopg_pool
import pytest
from psycopg.types.json import Jsonb

from desktop.cli.reconcile_server_options import reconcile_config
from desktop.domain.errors import UserError
from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.server import order_sources
from desktop.server.database import migrate
from desktop.server.jobs import JOB_LOCK_CLASS
from desktop.server.leases import ProcessLease
from desktop.server.reconcile_job import ReconcileConfig, ReconcileJob, status
from desktop.server.reconcile_schema import JOB_NAME
from desktop.server.relay import Relay
from desktop.server.resync import Resync
from desktop.services.orders import OrdersError
from desktop.wecom.ratelimit import RateLimits
from desktop.wecom.transport import WeComTransport
from tests.server.team_support import PostgresCluster

pytestmark = pytest.mark.integration

TAG = "客户阶段:已成交"


@dataclass
class World:
    sandbox: SandboxServer
    url: str
    pool: psycopg_pool.ConnectionPool[psycopg.Connection[tuple[object, ...]]]
    relay: Relay
    resync: Resync
    process_id: int
    tag_id: str

    def job(self, orders: str, **changes: Any) -> ReconcileJob:
        config = replace(ReconcileConfig(TAG, orders, self.url), **changes)
        return ReconcileJob(self.pool.connection, self.relay, config, self.process_id)

    def tagged(self) -> dict[tuple[str, str], bool]:
        state = self.sandbox.state
        return {(u, e): self.tag_id in state.relation_tag_ids(u, e) for u, e in state.relations()}

    def last_run(self) -> dict[str, Any]:
        with self.pool.connection() as conn:
            found = status(conn, ReconcileConfig(TAG, "x.csv", self.url))["last_run"]
        assert isinstance(found, dict)
        return found


@pytest.fixture(scope="module")
def world(postgres: PostgresCluster, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    url = postgres.new_database()
    migrate(url)
    data = tmp_path_factory.mktemp("reconcile-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=40, members=3, seed=5)) as sandbox, \
            psycopg_pool.ConnectionPool(url, min_size=1, max_size=3,
                                        kwargs={"autocommit": True}) as pool:
        transport = WeComTransport(sandbox.api_base, sandbox.corp_id, sandbox.secret,
                                   limits=RateLimits())
        lease = ProcessLease(url)
        try:
            resync = Resync(pool.connection, transport)
            resync.run()
            tag_id = sandbox.state.find_tag("客户阶段", "已成交")
            assert tag_id is not None
            yield World(sandbox, url, pool, Relay(pool.connection, transport, lease.id),
                        resync, lease.id, tag_id)
        finally:
            lease.close()
            transport.close()


def _customers(world: World) -> tuple[list[str], list[str]]:
    """(customers tagged on some relation, customers tagged on none), sorted."""
    some: set[str] = set()
    every: set[str] = set()
    for (_, customer), has in world.tagged().items():
        every.add(customer)
        if has:
            some.add(customer)
    return sorted(some), sorted(every - some)


def _write_csv(path: Path, rows: list[tuple[str, str, str]]) -> str:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["订单号", "客户ID", "订单状态"])
        writer.writerows(rows)
    return str(path)


def _assert_follows(world: World, paid: set[str]) -> None:
    """Every relation of a paying customer carries the tag, no other relation does."""
    wrong = {pair: has for pair, has in world.tagged().items() if has != (pair[1] in paid)}
    assert wrong == {}


def _journal(world: World, batch_id: str) -> list[tuple[object, ...]]:
    with world.pool.connection() as conn:
        return conn.execute(
            "SELECT action, source, operator, external_userid, tag_id FROM team_journal"
            " WHERE batch_id = %s ORDER BY id", (batch_id,)).fetchall()


def test_bad_rows_apply_nothing_and_the_status_names_their_lines(
        world: World, tmp_path: Path) -> None:
    tagged, untagged = _customers(world)
    before = world.tagged()
    orders = _write_csv(tmp_path / "orders.csv", [
        ("P1", untagged[0], "已支付"), ("P2", "13800138000", "已支付"),
        ("P3", tagged[0], "已发货了吗")])
    assert world.job(orders).run() == "bad_rows"
    assert world.tagged() == before
    run = world.last_run()
    assert run["counts"] == {"orders": 1, "bad_rows": 2}
    assert [error["line"] for error in run["errors"]] == [3, 4]
    assert "external_userid" in run["errors"][0]["problem"]
    assert run["batch_id"] == ""


def test_a_run_over_the_max_changes_stops_and_says_so(world: World, tmp_path: Path) -> None:
    _, untagged = _customers(world)
    before = world.tagged()
    orders = _write_csv(tmp_path / "orders.csv", [(f"P{n}", customer, "已支付")
                                                  for n, customer in enumerate(untagged[:3])])
    assert world.job(orders, max_changes=2).run() == "too_many_changes"
    assert world.tagged() == before
    run = world.last_run()
    assert run["counts"]["planned"] > run["counts"]["limit"] == 2
    assert "--reconcile-max-changes" in run["errors"][0]["problem"]
    share = 2 / len(before)              # a share of every relation: the same 2 here
    assert world.job(orders, max_share=share).run() == "too_many_changes"
    assert world.tagged() == before
    run = world.last_run()
    assert run["counts"]["limit"] == math.ceil(share * len(before)) == 2
    assert f"over the limit of {share:.0%}" in run["errors"][0]["problem"]


def test_the_server_options_are_checked_at_start(world: World, tmp_path: Path) -> None:
    orders = _write_csv(tmp_path / "orders.csv", [("P1", "wmNobody", "已支付")])

    def config(**given: object) -> ReconcileConfig | None:
        options = {"db": world.url, "resync_interval": 3600.0, "concurrency": 5,
                   "reconcile_tag": TAG,
                   "reconcile_orders": orders, "reconcile_orders_db": "",
                   "reconcile_interval": "600", "reconcile_max_changes": "500", **given}
        return reconcile_config(argparse.Namespace(**options))

    assert config(reconcile_tag="", reconcile_orders="") is None
    assert config() == ReconcileConfig(TAG, orders, world.url, 600.0, 500)
    assert config(reconcile_max_changes="5%") == ReconcileConfig(TAG, orders, world.url, 600.0,
                                                                  0, 0.05)
    refused: list[tuple[dict[str, object], str]] = [
        ({"reconcile_orders": ""}, "together"),
        ({"reconcile_max_changes": "lots"}, "above 0"),
        ({"reconcile_max_changes": "150%"}, "over 100%"),
        ({"reconcile_interval": "0"}, "above 0"),
        ({"resync_interval": 0.0}, "re-sync on"),
        ({"reconcile_orders": "ftp://erp/orders"}, "http(s)://"),
        ({"reconcile_orders": "postgresql:SELECT 1 AS order_id"}, "customer column"),
        ({"reconcile_orders_db": "mysql://erp"}, "postgresql://")]
    for bad, said in refused:
        with pytest.raises(UserError, match=re.escape(said)):
            config(**bad)


def test_a_sql_query_on_an_orders_table_fixes_both_mismatches(world: World) -> None:
    tagged, untagged = _customers(world)
    refunded, newly_paid = tagged[0], untagged[:2]
    paid = set(tagged[1:]) | set(newly_paid)
    with psycopg.connect(world.url, autocommit=True) as conn:
        conn.execute("CREATE TABLE shop_orders (order_no text, customer text, paid boolean,"
                     " amount numeric(10, 2), paid_on timestamptz)")
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO shop_orders VALUES (%s, %s, %s, 99.5, now())",
                            [(f"O{n}", c, True) for n, c in enumerate(sorted(paid))]
                            + [("R1", refunded, False)])
    source = ("postgresql:SELECT order_no AS order_id, customer AS external_userid, paid,"
              " amount, paid_on AS paid_at FROM shop_orders;")
    order_sources.check(source, world.url)
    assert world.job(source).run() == "applied"
    _assert_follows(world, paid)
    run = world.last_run()
    counts = run["counts"]
    assert counts["applied"] == counts["planned"] == counts["missing_relations"] + \
        counts["extra_relations"] > 0
    assert counts["extra_customers"] >= 1 and counts["missing_customers"] >= 2
    rows = _journal(world, run["batch_id"])
    assert len(rows) == counts["applied"]
    assert {(r[0], r[1], r[2], r[4]) for r in rows} == {
        ("tag_add", "reconcile", "tagdesk-server", world.tag_id),
        ("tag_remove", "reconcile", "tagdesk-server", world.tag_id)}
    assert {r[3] for r in rows if r[0] == "tag_remove"} >= {refunded}
    assert world.job(source).run() == "in_step"         # the snapshot followed the writes


def test_a_sql_source_that_cannot_work_is_refused_with_a_sentence(world: World) -> None:
    with pytest.raises(OrdersError, match="no customer column"):
        order_sources.check("postgresql:SELECT 'SO-1' AS order_no", world.url)
    with pytest.raises(OrdersError, match="orders query failed"):
        order_sources.check("postgresql:SELECT * FROM no_such_table", world.url)
    with pytest.raises(OrdersError, match="read-only transaction"):
        order_sources.read("postgresql:SELECT nextval('reconcile_run_id_seq')::text AS"
                           " external_userid", world.url)


def test_a_json_endpoint_fixes_the_mismatches_and_an_unreachable_one_changes_nothing(
        world: World) -> None:
    tagged, untagged = _customers(world)
    paid = set(tagged[2:]) | {untagged[0]}
    answer = json.dumps({"orders": [{"order_id": f"J{n}", "external_userid": c,
                                     "status": "paid"} for n, c in enumerate(sorted(paid))]
                         + [{"order_id": "J-R", "external_userid": tagged[0],
                             "status": "refunded"}]}).encode()

    class Orders(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            return

    http = ThreadingHTTPServer(("127.0.0.1", 0), Orders)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://erp:k3y@127.0.0.1:{http.server_address[1]}/orders.json?api_key=s3cret"
        order_sources.check(url, world.url)
        assert world.job(url).run() == "applied"
        _assert_follows(world, paid)
        batch_id = world.last_run()["batch_id"]
        assert world.job(url).run() == "in_step"
    finally:
        http.shutdown()
        http.server_close()
        thread.join()
    before = world.tagged()
    assert world.job(url).run() == "source_error"
    assert world.tagged() == before
    assert "did not answer properly" in world.last_run()["errors"][0]["problem"]
    with world.pool.connection() as conn:
        shown = [str(world.last_run())] + [str(row[0]) for row in conn.execute(
            "SELECT reason FROM team_journal WHERE batch_id = %s", (batch_id,))]
    assert f"127.0.0.1:{http.server_address[1]}/orders.json?…" in shown[1]
    assert not [text for text in shown if "s3cret" in text or "k3y" in text]


def test_an_unknown_tag_applies_nothing(world: World, tmp_path: Path) -> None:
    orders = _write_csv(tmp_path / "orders.csv", [("P1", "wmNobody", "已支付")])
    assert world.job(orders, tag="客户阶段:没有这个").run() == "tag_unknown"
    assert "没有这个" in world.last_run()["errors"][0]["problem"]


def test_a_relation_with_an_exclusive_tag_is_left_alone_and_listed(
        world: World, tmp_path: Path) -> None:
    invalid = world.sandbox.state.find_tag("客户阶段", "无效客户")
    assert invalid is not None
    tagged, untagged = _customers(world)
    state = world.sandbox.state
    clash, fine = untagged[0], untagged[1]
    clash_relations = [(u, e) for u, e in state.relations() if e == clash]
    for userid, customer in clash_relations:
        state.console_mark_tag(userid, customer, add=[invalid])
    world.resync.run()
    with world.pool.connection() as conn:
        conn.execute("INSERT INTO team_setting (owner, kind, key, value, version, updated_by)"
                     " VALUES ('', 'exclusive_set', 'paid-or-invalid', %s, 1, 'boss')",
                     (Jsonb([world.tag_id, invalid]),))
    try:
        orders = _write_csv(tmp_path / "orders.csv", [
            (f"P{n}", customer, "已支付") for n, customer in enumerate([*tagged, clash, fine])])
        assert world.job(orders).run() == "applied"
        tags = world.tagged()
        assert not any(tags[pair] for pair in clash_relations)
        assert all(has for (_, customer), has in tags.items() if customer == fine)
        run = world.last_run()
        assert run["counts"]["conflicts"] == len(clash_relations)
        assert {error["external_userid"] for error in run["errors"]} == {clash}
        assert invalid in run["errors"][0]["problem"]
    finally:
        with world.pool.connection() as conn:
            conn.execute("DELETE FROM team_setting WHERE kind = 'exclusive_set'")


def test_a_run_left_running_by_a_stopped_process_is_marked_interrupted(
        world: World, tmp_path: Path) -> None:
    with world.pool.connection() as conn:
        conn.execute("INSERT INTO reconcile_run (started_at, source, tag, result) VALUES"
                     " (now() - interval '91 days', 'old.csv', %s, 'in_step')", (TAG,))
        conn.execute("INSERT INTO reconcile_run (process, source, tag) VALUES (%s, 'x', %s)",
                     (world.process_id, TAG))
        config = ReconcileConfig(TAG, "x.csv", world.url)
        conn.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (JOB_LOCK_CLASS, JOB_NAME))
        try:
            assert status(conn, config)["running"] is True
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))",
                         (JOB_LOCK_CLASS, JOB_NAME))
        assert status(conn, config)["running"] is False
    orders = _write_csv(tmp_path / "orders.csv", [("P1", "wmNobody", "已支付")])
    world.job(orders).run()
    with world.pool.connection() as conn:
        results = [row[0] for row in conn.execute(
            "SELECT result FROM reconcile_run ORDER BY id DESC LIMIT 2")]
        old_runs = conn.execute("SELECT count(*) FROM reconcile_run WHERE source = 'old.csv'"
                                ).fetchone()
    assert results[1] == "interrupted" and results[0] != "running"
    assert old_runs == (0,)                                      # runs are kept 90 days


def test_wecom_out_of_reach_stops_the_run_and_the_next_one_finishes_it(
        world: World, tmp_path: Path) -> None:
    tagged, untagged = _customers(world)
    paid = set(tagged) | set(untagged[:5])
    orders = _write_csv(tmp_path / "orders.csv", [(f"P{n}", customer, "已支付")
                                                  for n, customer in enumerate(sorted(paid))])
    before = world.tagged()
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{closed.getsockname()[1]}/cgi-bin/"
    transport = WeComTransport(nowhere, world.sandbox.corp_id, world.sandbox.secret,
                               limits=RateLimits(max_retries=0, connect_timeout_s=1))
    try:
        cut_off = ReconcileJob(world.pool.connection,
                               Relay(world.pool.connection, transport, world.process_id),
                               ReconcileConfig(TAG, orders, world.url), world.process_id)
        assert cut_off.run() == "partly_applied"
    finally:
        transport.close()
    assert world.tagged() == before
    counts = world.last_run()["counts"]
    assert counts["applied"] == 0 and 1 <= counts["failed"] <= 2
    assert counts["failed"] + counts["not_sent"] == counts["planned"] >= 5
    assert world.job(orders).run() == "applied"
    _assert_follows(world, paid)
