"""`tagdesk scenes apply NAME --map "组:模板标签=组:现有标签"`: a template tag uses an existing tag
of another name and group; the kept rules and the live codes made name that tag, and no
duplicate tag is created. A bad --map changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from tests.cli_json import last_json
from tests.integration.conftest import Cli

pytestmark = pytest.mark.integration

MAP = "售后-关怀:待回访客户=客服:待回访"


@pytest.fixture(scope="module")
def corp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    data = tmp_path_factory.mktemp("scene-map-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=20, members=3, seed=5)) as server:
        yield server


@pytest.fixture(scope="module")
def cli(corp: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli(tmp_path_factory.mktemp("scene-map-home"))
    cli.add_profile(corp)
    assert cli("sync", "--profile", "acme").returncode == 0
    made = cli("tags", "add-group", "客服", "--tag", "待回访", "--profile", "acme", "--yes")
    assert made.returncode == 0, made.stderr
    return cli


def test_a_mapped_template_tag_reaches_the_rules_and_live_codes(cli: Cli,
                                                                corp: SandboxServer) -> None:
    existing = corp.state.find_tag("客服", "待回访")
    assert existing is not None
    waiting = [n for (_group, n) in corp.state.tag_ids_by_name()].count("待回访")
    dry = cli("scenes", "apply", "after-sales-care", "--profile", "acme", "--map", MAP,
              "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    preview = last_json(dry)
    assert preview["mapped"] == [{"tag": "售后-关怀:待回访客户", "to": "客服:待回访",
                                  "tag_id": existing}]
    assert "售后-关怀:待回访客户" not in preview["create"] and len(preview["create"]) == 3
    assert preview["live_codes"][0]["tags"] == ["客服:待回访"]
    assert "售后-关怀:待回访客户 → 客服:待回访" in dry.stderr

    owner = corp.state.follow_users()[0]
    applied = last_json(cli("scenes", "apply", "after-sales-care", "--profile", "acme",
                            "--map", MAP, "--live-codes-for", owner, "--json"))
    assert applied["applied"] and len(applied["created"]) == 3
    assert corp.state.find_tag("售后-关怀", "待回访客户") is None
    assert corp.state.find_tag("售后-关怀", "投诉中") is not None
    names = [name for (_group, name) in corp.state.tag_ids_by_name()]
    assert names.count("待回访") == waiting and "待回访客户" not in names
    rule = last_json(cli("rules", "show", "售后·扫售后卡", "--profile", "acme", "--json"))
    assert "客服:待回访" in json.dumps(rule, ensure_ascii=False)
    assert "待回访客户" not in json.dumps(rule, ensure_ascii=False)
    codes = last_json(cli("livecodes", "list", "--profile", "acme", "--json"))["livecodes"]
    made = next(c for c in codes if c["state"] == "aftersales-card")
    assert made["tag_ids"] == [existing]


def test_create_in_puts_a_template_tag_in_another_existing_group(cli: Cli) -> None:
    dry = cli("scenes", "apply", "after-sales-care", "--profile", "acme", "--create-in",
              "售后-关怀:投诉中=客服", "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    preview = last_json(dry)
    assert preview["created_in"] == [{"tag": "售后-关怀:投诉中", "to": "客服:投诉中"}]
    assert "客服:投诉中" in preview["create"] and "售后-关怀:投诉中" not in preview["create"]
    assert "create in 客服: 售后-关怀:投诉中 → 客服:投诉中" in dry.stderr


@pytest.mark.parametrize("bad, words", [
    ("售后-关怀:不存在=客服:待回访", "is not a tag of the template"),
    ("售后-关怀:好评=客服:没有这个", "maps to"),
    ("售后-关怀:好评", "--map is written"),
    ("--create-in=售后-关怀:好评=没有这个组", "There is no tag group"),
    ("--create-in=售后-关怀:好评", "--create-in is written"),
])
def test_a_bad_map_changes_nothing(cli: Cli, corp: SandboxServer, bad: str, words: str) -> None:
    before = corp.state.tag_ids_by_name()
    given = [bad] if bad.startswith("--") else ["--map", bad]
    refused = cli("scenes", "apply", "after-sales-care", "--profile", "acme", *given)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert words in refused.stderr and "Traceback" not in refused.stderr
    assert corp.state.tag_ids_by_name() == before
