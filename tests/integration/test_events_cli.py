"""`tagdesk events import|list|summary` against the sandbox's events file, bad lines named by
number and nothing stored without --skip-invalid."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from tests.cli_json import last_json
from tests.integration.conftest import Cli

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def corp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    data = tmp_path_factory.mktemp("events-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=120, members=4, seed=5)) as server:
        yield server


@pytest.fixture(scope="module")
def cli(corp: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli(tmp_path_factory.mktemp("events-home"))
    cli.add_profile(corp)
    assert cli("sync", "--profile", "acme").returncode == 0
    return cli


def test_the_sandbox_events_file_imports_once_and_is_listed_and_summed(
        cli: Cli, corp: SandboxServer, tmp_path: Path) -> None:
    path = corp.state.events_path
    written = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(written) > 20
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([json.dumps(written[0]), "{oops",
                              json.dumps({**written[1], "external_userid": "13800138000"})]),
                   encoding="utf-8")
    refused = cli("events", "import", str(bad), "--profile", "acme", "--json")
    assert refused.returncode == 1
    summary = last_json(refused)
    assert (summary["status"], summary["imported"], summary["invalid"]) == ("invalid", 0, 2)
    assert [p["line"] for p in summary["problems"]] == [2, 3]
    assert "第 3 行" in refused.stderr and "is a phone number" in refused.stderr
    assert "--skip-invalid" in refused.stderr and "Traceback" not in refused.stderr
    nothing = last_json(cli("events", "list", "--profile", "acme", "--json"))
    assert nothing["events"] == []

    first = cli("events", "import", str(path), "--profile", "acme", "--json")
    assert first.returncode == 0, first.stderr
    summary = last_json(first)
    assert summary["imported"] == summary["valid"] == len(written)
    assert summary["per_type"] == dict(Counter(e["type"] for e in written))
    again = last_json(cli("events", "import", str(path), "--profile", "acme", "--json"))
    assert (again["imported"], again["duplicates"]) == (0, len(written))

    customer = written[-1]["external_userid"]
    mine = last_json(cli("events", "list", "--profile", "acme", "--customer", customer,
                         "--json"))["events"]
    assert len(mine) == sum(1 for e in written if e["external_userid"] == customer)
    assert mine[0]["event_key"] == f"id:{written[-1]['id']}"
    totals = last_json(cli("events", "summary", "--profile", "acme", "--json"))["totals"]
    assert totals == dict(Counter(e["type"] for e in written))
    paid = last_json(cli("events", "summary", "--profile", "acme", "--type", "order_paid",
                         "--since", "7d", "--json"))
    assert {r["type"] for r in paid["rows"]} <= {"order_paid"}
    wrong = cli("events", "list", "--profile", "acme", "--since", "last week")
    assert wrong.returncode == 2 and "YYYY-MM-DD" in wrong.stderr


def test_a_rule_on_paid_orders_simulates_with_the_event_and_runs_as_a_rule_batch(
        cli: Cli, corp: SandboxServer, tmp_path: Path) -> None:
    import_done = cli("events", "import", str(corp.state.events_path), "--profile", "acme")
    assert import_done.returncode == 0, import_done.stderr
    written = [json.loads(line)
               for line in corp.state.events_path.read_text(encoding="utf-8").splitlines()]
    cutoff = time.time() - 30 * 86400
    payers = {e["external_userid"] for e in written
              if e["type"] == "order_paid" and e["time"] >= cutoff and e["value"] >= 199}
    assert payers
    expected = {(external_userid, userid) for userid, external_userid in corp.state.relations()
                if external_userid in payers}
    made = cli("tags", "add", "客户阶段/已付费", "--profile", "acme", "--yes")
    assert made.returncode == 0, made.stderr
    rule = {"name": "近30天付费", "when": {"all": [
        {"event": {"type": "order_paid", "within_days": 30, "value": {">=": 199}}},
        {"has_not": "客户阶段:已付费"}]}, "then": {"add": ["客户阶段:已付费"]}}
    rules_file = tmp_path / "paid.json"
    rules_file.write_text(json.dumps(rule, ensure_ascii=False), encoding="utf-8")
    assert cli("rules", "add", str(rules_file), "--profile", "acme").returncode == 0

    simulated = last_json(cli("rules", "simulate", "--profile", "acme", "--json"))
    assert simulated["would_change"] == len(expected)
    assert {(c["external_userid"], c["userid"]) for c in simulated["changes"]} == expected
    why = simulated["changes"][0]["why"]["近30天付费"]
    assert why[0].startswith("event order_paid @ 20") and why[1] == "has_not 客户阶段:已付费"

    run = last_json(cli("rules", "run", "--profile", "acme", "--yes", "--json"))
    assert run["status"] == "done" and run["applied"] == len(expected)
    tag_id = corp.state.find_tag("客户阶段", "已付费")
    assert {(e, u) for u, e in corp.state.relations()
            if tag_id in corp.state.relation_tag_ids(u, e)} == expected
    listed = json.loads(cli("batches", "--profile", "acme", "--json").stdout.splitlines()[-1])
    header = next(b for b in listed if b["id"] == run["batch_id"])
    assert header["source"] == "rule" and "近30天付费" in header["description"]


def test_prune_deletes_only_the_events_older_than_the_age_given(
        cli: Cli, corp: SandboxServer, tmp_path: Path) -> None:
    cli.add_profile(corp, "pruned")
    now = time.time()
    ages = {"old-1": 400, "old-2": 181, "kept-1": 179, "kept-2": 3}
    path = tmp_path / "aged.jsonl"
    customer = corp.state.relations()[0][1]
    path.write_text("\n".join(json.dumps({
        "id": name, "time": now - days * 86400, "external_userid": customer,
        "type": "form_submitted"}) for name, days in ages.items()), encoding="utf-8")
    assert cli("events", "import", str(path), "--profile", "pruned").returncode == 0

    pruned = cli("events", "prune", "--profile", "pruned", "--older-than", "180d", "--json")
    assert pruned.returncode == 0, pruned.stderr
    answer = last_json(pruned)
    assert (answer["pruned"], answer["remaining"], answer["older_than_days"]) == (2, 2, 180)
    assert "Deleted 2 events older than 180 days" in pruned.stderr
    left = last_json(cli("events", "list", "--profile", "pruned", "--json"))["events"]
    assert sorted(e["event_key"] for e in left) == ["id:kept-1", "id:kept-2"]
    again = last_json(cli("events", "prune", "--profile", "pruned", "--older-than", "180",
                          "--json"))
    assert (again["pruned"], again["remaining"]) == (0, 2)
    wrong = cli("events", "prune", "--profile", "pruned", "--older-than", "half a year")
    assert wrong.returncode == 2 and "180d" in wrong.stderr and "Traceback" not in wrong.stderr
