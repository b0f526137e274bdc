"""A solo profile's `audit revert` of a rule run sticks against the sandbox: the next runs
make none of the reverted changes again — whichever rule asks for them, nor what follows from
them — `rules show` counts the relations left alone, and once every rule that made a change
is edited the rules apply to it again; a revert of the revert forgets them."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services.profiles import ProfileStore
from tests.integration.conftest import Cli

pytestmark = pytest.mark.integration

BEIJING = {"region": "北京"}
RULES: list[dict[str, Any]] = [
    {"name": "北京归华北", "when": BEIJING, "then": {"add": ["地区:华北区域"]}},
    {"name": "华北客户", "when": {"any": [BEIJING, {"remark": "北京"}]},
     "then": {"add": ["地区:华北区域"]}},
    {"name": "华北回访", "when": {"all": [BEIJING, {"has": "地区:华北区域"}]},
     "then": {"add": ["地区:华北回访"]}},
]


@pytest.fixture(scope="module")
def corp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    data = tmp_path_factory.mktemp("rule-reverts-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=60, members=3, seed=11)) as server:
        yield server


@pytest.fixture(scope="module")
def cli(corp: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli(tmp_path_factory.mktemp("rule-reverts-home"))
    cli.add_profile(corp)
    assert cli("sync", "--profile", "acme").returncode == 0
    for tag in ("地区/华北区域", "地区/华北回访"):
        made = cli("tags", "add", tag, "--profile", "acme", "--yes")
        assert made.returncode == 0, made.stderr
    return cli


def last_json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def carrying(corp: SandboxServer, name: str) -> set[tuple[str, str]]:
    tag_id = corp.state.find_tag("地区", name)
    assert tag_id is not None
    return {(userid, external_userid) for userid, external_userid in corp.state.relations()
            if tag_id in corp.state.relation_tag_ids(userid, external_userid)}


def keep(cli: Cli, tmp_path: Path, *rules: dict[str, Any]) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(list(rules), ensure_ascii=False), encoding="utf-8")
    assert cli("rules", "add", str(path), "--profile", "acme").returncode == 0


def test_a_reverted_rule_run_stays_reverted_until_every_rule_that_made_it_is_edited(
        cli: Cli, corp: SandboxServer, tmp_path: Path) -> None:
    keep(cli, tmp_path, *RULES)
    run = last_json(cli("rules", "run", "--profile", "acme", "--yes", "--json"))
    tagged = carrying(corp, "华北区域")
    assert len(tagged) >= 3 and carrying(corp, "华北回访") == tagged
    assert run["applied"] == len(tagged)

    reverted = cli("audit", "revert", run["batch_id"], "--profile", "acme", "--yes", "--json")
    assert reverted.returncode == 0, reverted.stderr
    assert carrying(corp, "华北区域") == carrying(corp, "华北回访") == set()
    for name in ("北京归华北", "华北客户"):
        shown = last_json(cli("rules", "show", name, "--profile", "acme", "--json"))
        assert shown["reverted_left_alone"] == len(tagged)
    shown_text = cli("rules", "show", "北京归华北", "--profile", "acme").stdout
    assert f"reverted relations left alone: {len(tagged)}" in shown_text

    def simulated() -> dict[str, Any]:
        return last_json(cli("rules", "simulate", "--profile", "acme", "--json"))

    again = simulated()
    assert (again["would_change"], again["left_alone"]) == (0, len(tagged))
    nothing = last_json(cli("rules", "run", "--profile", "acme", "--yes", "--json"))
    assert nothing["status"] == "nothing_to_do"

    keep(cli, tmp_path, {**RULES[0], "description": "改过"}, {**RULES[2], "description": "改过"})
    assert simulated()["would_change"] == 0        # 华北客户 still holds 华北区域, and 华北回访
    with closing(sqlite3.connect(ProfileStore(cli.home).cache_path("acme"))) as conn:
        kept = {str(n) for (n,) in conn.execute("SELECT DISTINCT rule_name FROM rule_revert")}
    assert kept == {"华北客户"}                      # the edited rules' memories are gone
    keep(cli, tmp_path, {**RULES[1], "description": "改过"})
    assert simulated()["left_alone"] == 0
    rerun = last_json(cli("rules", "run", "--profile", "acme", "--yes", "--json"))
    assert rerun["applied"] == len(tagged)
    assert carrying(corp, "华北区域") == carrying(corp, "华北回访") == tagged

    # Reverting the revert makes the changes again and forgets them.
    undo = last_json(cli("audit", "revert", rerun["batch_id"], "--profile", "acme", "--yes",
                         "--json"))
    assert carrying(corp, "华北区域") == set()
    assert simulated()["left_alone"] == len(tagged)
    redo = cli("audit", "revert", undo["batch_id"], "--profile", "acme", "--yes", "--json")
    assert redo.returncode == 0, redo.stderr
    assert carrying(corp, "华北区域") == carrying(corp, "华北回访") == tagged
    with closing(sqlite3.connect(ProfileStore(cli.home).cache_path("acme"))) as conn:
        assert conn.execute("SELECT count(*) FROM rule_revert").fetchone() == (0,)
