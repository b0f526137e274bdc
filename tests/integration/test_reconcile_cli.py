"""`tagdesk reconcile` against the sandbox: both kinds of mismatch with evidence, bad rows by
line number, nothing applied unless asked, one batch that fixes WeCom and `batch undo` reverts."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services.profiles import ProfileStore
from tests.cli_json import last_json
from tests.integration.conftest import Cli

pytestmark = pytest.mark.integration

TAG = "客户阶段:已成交"


@pytest.fixture(scope="module")
def corp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    data = tmp_path_factory.mktemp("reconcile-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=250, members=6, seed=5)) as server:
        yield server


@pytest.fixture(scope="module")
def cli(corp: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli(tmp_path_factory.mktemp("reconcile-home"))
    cli.add_profile(corp)
    assert cli("sync", "--profile", "acme").returncode == 0
    return cli


def customers(cli: Cli, corp: SandboxServer) -> tuple[list[str], list[str], set[str]]:
    """Customers carrying the tag on some relation, those carrying it on none, and those
    carrying it on some relations but not all (a customer with several followers)."""
    tag_id = corp.state.find_tag("客户阶段", "已成交")
    with closing(sqlite3.connect(ProfileStore(cli.home).cache_path("acme"))) as conn:
        rows = conn.execute(
            "SELECT external_userid, MAX(has), MIN(has) FROM (SELECT r.external_userid,"
            " EXISTS (SELECT 1 FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
            " WHERE rt.relation_id = r.id AND t.id = ?) AS has FROM relation r)"
            " GROUP BY external_userid ORDER BY external_userid", (tag_id,)).fetchall()
    return ([str(c) for c, some, _ in rows if some], [str(c) for c, some, _ in rows if not some],
            {str(c) for c, some, every in rows if some and not every})


def carrying(corp: SandboxServer) -> set[str]:
    tag_id = corp.state.find_tag("客户阶段", "已成交")
    return {external_userid for userid, external_userid in corp.state.relations()
            if tag_id in corp.state.relation_tag_ids(userid, external_userid)}


def test_reconcile_lists_fixes_and_reverts(cli: Cli, corp: SandboxServer, tmp_path: Path) -> None:
    tagged, untagged, partly = customers(cli, corp)
    assert len(tagged) >= 4 and len(untagged) >= 3
    refunded, no_order = tagged[0], tagged[1]
    newly_paid = untagged[:3]
    orders = tmp_path / "orders.csv"
    with orders.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["订单号", "客户ID", "订单状态", "金额"])
        writer.writerow(["SO-R", refunded, "已退款", "99"])
        for number, customer in enumerate(tagged[2:] + newly_paid):
            writer.writerow([f"SO{number}", customer, "已支付", "199"])
        writer.writerow(["SO-X", "wmUnknownCustomer01", "paid", "10"])
        writer.writerow(["SO-P", "138 0013 8000", "paid", "10"])       # a phone number
        writer.writerow(["SO-S", tagged[2], "发货中", "10"])             # an unknown status
    before = carrying(corp)
    assert set(tagged) <= before

    looked = cli("reconcile", "--profile", "acme", "--orders", str(orders), "--tag", TAG,
                 "--json")
    assert looked.returncode == 0, looked.stderr
    found = last_json(looked)
    assert [m["external_userid"] for m in found["missing"]] == sorted(
        set(newly_paid) | (partly & set(tagged[2:])))
    assert sorted(m["external_userid"] for m in found["extra"]) == sorted([refunded, no_order])
    evidence = {m["external_userid"]: m["orders"] for m in found["extra"]}
    assert [o["order_id"] for o in evidence[refunded]] == ["SO-R"] and evidence[no_order] == []
    assert [m["external_userid"] for m in found["unknown"]] == ["wmUnknownCustomer01"]
    assert [row["line"] for row in found["bad_rows"]] == [len(tagged) + 5, len(tagged) + 6]
    assert "phone" in found["bad_rows"][0]["problem"]
    assert found["applied"] is False and carrying(corp) == before

    refused = cli("reconcile", "--profile", "acme", "--orders", str(orders), "--tag", TAG,
                  "--apply", "--yes")
    assert refused.returncode == 2 and "--skip-bad-rows" in refused.stderr
    assert carrying(corp) == before

    applied = cli("reconcile", "--profile", "acme", "--orders", str(orders), "--tag", TAG,
                  "--apply", "--skip-bad-rows", "--yes", "--json")
    assert applied.returncode == 0, applied.stderr
    result = last_json(applied)
    assert result["applied"] and result["status"] == "done" and result["failed"] == 0
    assert carrying(corp) == (before | set(newly_paid)) - {refunded, no_order}
    again = last_json(cli("reconcile", "--profile", "acme", "--orders", str(orders), "--tag",
                          TAG, "--json"))
    assert again["missing"] == [] and again["extra"] == []

    undone = cli("batch", "undo", result["batch_id"], "--profile", "acme", "--yes")
    assert undone.returncode == 0, undone.stderr
    assert carrying(corp) == before


def test_orders_that_cannot_be_read_say_why(cli: Cli, tmp_path: Path) -> None:
    no_column = tmp_path / "orders.csv"
    no_column.write_text("订单号,金额\nSO1,10\n", encoding="utf-8")
    result = cli("reconcile", "--profile", "acme", "--orders", str(no_column), "--tag", TAG)
    assert result.returncode == 2 and "客户ID" in result.stderr and "Traceback" not in result.stderr
    missing = cli("reconcile", "--profile", "acme", "--orders", str(tmp_path / "nope.csv"),
                  "--tag", TAG)
    assert missing.returncode == 2 and "nope.csv" in missing.stderr
    unknown_tag = cli("reconcile", "--profile", "acme", "--orders", str(no_column), "--tag",
                      "不存在的标签")
    assert unknown_tag.returncode != 0 and "Traceback" not in unknown_tag.stderr


def test_status_and_run_now_are_for_a_team_profile_and_a_comparison_needs_orders_and_tag(cli: Cli) -> None:
    status = cli("reconcile", "--profile", "acme", "--status")
    assert status.returncode == 2
    assert "team profile only" in status.stderr and "Traceback" not in status.stderr
    run_now = cli("reconcile", "--profile", "acme", "--run-now")
    assert run_now.returncode == 2 and "Traceback" not in run_now.stderr
    assert run_now.stderr.count("\n") == 1 and "for a team profile only" in run_now.stderr
    no_orders = cli("reconcile", "--profile", "acme", "--tag", TAG)
    assert no_orders.returncode == 2
    assert "Give --orders and --tag" in no_orders.stderr
