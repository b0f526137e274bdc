"""`tagdesk rules` and `tagdesk expiry` against the sandbox: a region rule tags 北京 customers
华北区域 as one batch (source rule) that `batch undo` reverts; bad rule files name the field;
contradicting rules are shown and refused; expired tags are removed as a batch (source expiry),
by `expiry run` and after a sync."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services.profiles import ProfileStore
from tests.cli_json import last_json
from tests.integration.conftest import Cli

pytestmark = pytest.mark.integration

REGION_RULE = {"name": "北京归华北", "description": "北京的客户归华北区域",
               "when": {"all": [{"region": "北京"}, {"has_not": "地区:华北区域"}]},
               "then": {"add": ["地区:华北区域"]}}


@pytest.fixture(scope="module")
def corp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    data = tmp_path_factory.mktemp("rules-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=150, members=5, seed=11)) as server:
        yield server


@pytest.fixture(scope="module")
def cli(corp: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli(tmp_path_factory.mktemp("rules-home"))
    cli.add_profile(corp)
    assert cli("sync", "--profile", "acme").returncode == 0
    made = cli("tags", "add", "地区/华北区域", "--profile", "acme", "--yes")
    assert made.returncode == 0, made.stderr
    return cli


def cache(cli: Cli) -> sqlite3.Connection:
    return sqlite3.connect(ProfileStore(cli.home).cache_path("acme"))


def beijing_relations(cli: Cli) -> set[tuple[str, str]]:
    """Relations whose remark, description or corp names say 北京 (the sandbox puts region
    words there), computed here independently of the rule engine."""
    with closing(cache(cli)) as conn:
        rows = conn.execute(
            "SELECT r.external_userid, r.userid FROM relation r JOIN customer c"
            " ON c.external_userid = r.external_userid WHERE r.remark LIKE '%北京%'"
            " OR r.description LIKE '%北京%' OR c.corp_name LIKE '%北京%'"
            " OR c.corp_full_name LIKE '%北京%' OR r.remark_corp_name LIKE '%北京%'").fetchall()
    return {(str(c), str(u)) for c, u in rows}


def carrying(corp: SandboxServer, group: str, name: str) -> set[tuple[str, str]]:
    tag_id = corp.state.find_tag(group, name)
    assert tag_id is not None
    return {(external_userid, userid) for userid, external_userid in corp.state.relations()
            if tag_id in corp.state.relation_tag_ids(userid, external_userid)}


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def batch(cli: Cli, batch_id: str) -> dict[str, Any]:
    listed = json.loads(cli("batches", "--profile", "acme", "--json").stdout.splitlines()[-1])
    return dict(next(b for b in listed if b["id"] == batch_id))


def test_region_rule_simulates_runs_and_undoes(cli: Cli, corp: SandboxServer,
                                               tmp_path: Path) -> None:
    beijing = beijing_relations(cli)
    assert len(beijing) >= 10
    before = carrying(corp, "地区", "华北区域")
    assert before == set()

    added = cli("rules", "add", str(write(tmp_path / "r.json", [REGION_RULE])), "--profile",
                "acme", "--json")
    assert added.returncode == 0, added.stderr
    assert last_json(added)["added"] == ["北京归华北"]

    simulated = last_json(cli("rules", "simulate", "--profile", "acme", "--json"))
    assert simulated["would_change"] == len(beijing) == simulated["api_calls"]
    assert simulated["per_rule"] == {"北京归华北": len(beijing)}
    change = simulated["changes"][0]
    assert change["add"] == ["地区:华北区域"] and "北京" in change["why"]["北京归华北"][0]
    assert carrying(corp, "地区", "华北区域") == before        # a simulation writes nothing

    run = cli("rules", "run", "--profile", "acme", "--pilot", "3", "--yes", "--json")
    assert run.returncode == 0, run.stderr
    assert "试运行 / Pilot: 3/" in run.stderr
    result = last_json(run)
    assert result["status"] == "done" and result["applied"] == len(beijing)
    assert result["api_calls"] >= len(beijing)            # the pilot's calls and the rest
    assert carrying(corp, "地区", "华北区域") == beijing
    header = batch(cli, result["batch_id"])
    assert header["source"] == "rule" and "北京归华北" in header["description"]
    with closing(cache(cli)) as conn:
        sources = {s for (s,) in conn.execute(
            "SELECT DISTINCT source FROM journal WHERE batch_id = ?", (result["batch_id"],))}
    assert sources == {"rule"}

    undone = cli("batch", "undo", result["batch_id"], "--profile", "acme", "--yes")
    assert undone.returncode == 0, undone.stderr
    assert carrying(corp, "地区", "华北区域") == before
    with closing(cache(cli)) as conn:       # an undo is no verdict on the rules: nothing held
        assert conn.execute("SELECT count(*) FROM rule_revert").fetchone() == (0,)


def test_bad_rule_files_name_the_field_and_keep_nothing(cli: Cli, tmp_path: Path) -> None:
    before = last_json(cli("rules", "list", "--profile", "acme", "--json"))["rules"]
    bad = dict(REGION_RULE, name="坏规则", when={"all": [{"regoin": "北京"}]})
    refused = cli("rules", "add", str(write(tmp_path / "bad.json", {"rules": [bad]})),
                  "--profile", "acme")
    assert refused.returncode == 2
    assert "bad.json.rules[0].when.all[0].regoin" in refused.stderr
    assert "unknown condition" in refused.stderr and "未知的条件" in refused.stderr
    assert "Traceback" not in refused.stderr
    unknown_tag = dict(REGION_RULE, name="无此标签", then={"add": ["地区:火星"]})
    refused = cli("rules", "add", str(write(tmp_path / "tag.json", unknown_tag)), "--profile",
                  "acme")
    assert refused.returncode == 2 and "地区:火星" in refused.stderr
    binary = tmp_path / "gbk.json"
    binary.write_bytes("{\"name\": \"规则\"}".encode("gbk"))
    refused = cli("rules", "add", str(binary), "--profile", "acme")
    assert refused.returncode == 2 and "Cannot read the rule file" in refused.stderr
    assert "读不了规则文件" in refused.stderr and "Traceback" not in refused.stderr
    assert last_json(cli("rules", "list", "--profile", "acme", "--json"))["rules"] == before


def test_contradicting_rules_are_shown_and_refused(cli: Cli, corp: SandboxServer,
                                                   tmp_path: Path) -> None:
    fight = {"name": "北京不分区", "when": {"corp_name": "北京"},
             "then": {"remove": ["地区:华北区域"]}}
    both = cli("rules", "add", str(write(tmp_path / "f.json", [REGION_RULE, fight])),
               "--profile", "acme", "--json")
    assert both.returncode == 0, both.stderr
    shown = last_json(both)
    assert shown["possible_contradictions"][0]["adding"] == "北京归华北"
    assert shown["contradictions"][0]["removing"] == "北京不分区"
    refused = cli("rules", "run", "--profile", "acme", "--yes")
    assert refused.returncode == 2 and "--skip-contested" in refused.stderr
    assert carrying(corp, "地区", "华北区域") == set()
    skipped = last_json(cli("rules", "run", "--profile", "acme", "--skip-contested", "--yes",
                            "--json"))           # only those whose corp name lacks 北京 change
    contested = skipped["contradictions"][0]["relations"]
    assert skipped["status"] == "done" and contested > 0
    assert skipped["applied"] == len(beijing_relations(cli)) - contested
    assert len(carrying(corp, "地区", "华北区域")) == skipped["applied"]
    assert cli("batch", "undo", skipped["batch_id"], "--profile", "acme",
               "--yes").returncode == 0
    assert carrying(corp, "地区", "华北区域") == set()
    for name in ("北京不分区", "北京归华北"):
        assert cli("rules", "disable", name, "--profile", "acme").returncode == 0
    listed = last_json(cli("rules", "list", "--profile", "acme", "--json"))["rules"]
    assert [(r["name"], r["enabled"]) for r in listed] == [("北京归华北", False),
                                                           ("北京不分区", False)]
    assert cli("rules", "remove", "北京不分区", "--profile", "acme").returncode == 0
    gone = cli("rules", "show", "北京不分区", "--profile", "acme")
    assert gone.returncode == 2 and "北京归华北" in gone.stderr


def test_expired_tags_are_removed_as_a_batch(cli: Cli, corp: SandboxServer) -> None:
    made = cli("tags", "add-group", "活动", "--tag", "双11", "--profile", "acme", "--yes")
    assert made.returncode == 0, made.stderr
    tagged = cli("retag", "--profile", "acme", "--filter", "text:北京", "--add", "活动:双11",
                 "--expires", "30d", "--yes", "--json")
    assert tagged.returncode == 0, tagged.stderr
    beijing = beijing_relations(cli)
    assert carrying(corp, "活动", "双11") == beijing
    listed = last_json(cli("expiry", "list", "--profile", "acme", "--json"))["expiries"]
    assert {(e["external_userid"], e["userid"]) for e in listed} == beijing
    assert {e["tag"] for e in listed} == {"活动:双11"}

    nothing = last_json(cli("expiry", "run", "--profile", "acme", "--json"))
    assert nothing["status"] == "nothing_to_do" and carrying(corp, "活动", "双11") == beijing

    first = sorted(beijing)[:3]
    with closing(cache(cli)) as conn, conn:
        conn.executemany("UPDATE tag_expiry SET expires_at = 1 WHERE external_userid = ?"
                         " AND userid = ?", first)
    run = cli("expiry", "run", "--profile", "acme", "--json")
    assert run.returncode == 0, run.stderr
    result = last_json(run)
    assert result["status"] == "done" and result["applied"] == 3
    assert carrying(corp, "活动", "双11") == beijing - set(first)
    assert batch(cli, result["batch_id"])["source"] == "expiry"
    assert batch(cli, result["batch_id"])["description"] == "标签到期：活动:双11 / Tag expiry: 活动:双11"

    second = sorted(beijing)[3:5]
    with closing(cache(cli)) as conn, conn:
        conn.executemany("UPDATE tag_expiry SET expires_at = 1 WHERE external_userid = ?"
                         " AND userid = ?", second)
    synced = last_json(cli("sync", "--profile", "acme", "--json"))
    assert synced["expiry"]["status"] == "done" and synced["expiry"]["applied"] == 2
    assert carrying(corp, "活动", "双11") == beijing - set(first) - set(second)
    left = last_json(cli("expiry", "list", "--profile", "acme", "--json"))["expiries"]
    assert len(left) == len(beijing) - 5


def test_scene_lab_lists_previews_and_applies(cli: Cli, corp: SandboxServer) -> None:
    listed = last_json(cli("scenes", "list", "--json"))["scenes"]
    assert len(listed) >= 20 and {"b2b-distributor", "education-trial"} <= {
        s["name"] for s in listed}

    dry = cli("scenes", "apply", "b2b-distributor", "--profile", "acme", "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    preview = last_json(dry)
    assert preview["applied"] is False and len(preview["create"]) == 7
    assert "经销-区域:华北经销" in preview["create"] and preview["live_codes"][0]["state"]
    assert "data only (--live-codes-for" in dry.stderr
    assert corp.state.find_tag("经销-区域", "华北经销") is None

    owner = sorted(corp.state.relations())[0][0]
    applied = last_json(cli("scenes", "apply", "b2b-distributor", "--profile", "acme",
                            "--live-codes-for", owner, "--json"))
    assert applied["applied"] and len(applied["created"]) == 7
    assert [c["state"] for c in applied["live_codes_made"]] == ["dealer-fair"]
    listed_codes = last_json(cli("livecodes", "list", "--profile", "acme", "--json"))
    assert "dealer-fair" in json.dumps(listed_codes, ensure_ascii=False)
    assert corp.state.find_tag("经销-区域", "华北经销") is not None
    simulated = last_json(cli("rules", "simulate", "经销·华北", "--profile", "acme", "--json"))
    assert simulated["per_rule"]["经销·华北"] >= len(beijing_relations(cli)) > 0

    made = cli("tags", "add-group", "旧试听", "--tag", "已试听", "--profile", "acme", "--yes")
    assert made.returncode == 0, made.stderr
    refused = cli("scenes", "apply", "education-trial", "--profile", "acme")
    assert refused.returncode == 2, refused.stderr
    assert "试听-阶段:已试听" in refused.stderr and "旧试听" in refused.stderr
    assert "--allow-collisions" in refused.stderr
    assert corp.state.find_tag("试听-阶段", "试听报名") is None
    allowed = last_json(cli("scenes", "apply", "education-trial", "--profile", "acme",
                            "--allow-collisions", "--json"))
    assert allowed["applied"] and corp.state.find_tag("试听-阶段", "已试听") is not None
