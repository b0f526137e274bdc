"""`tagdesk autotag import-chats` and `tagdesk autotag keywords` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from desktop.services.profiles import ProfileStore
from desktop.store import autotag_settings
from desktop.store.db import Cache
from tests.integration.conftest import Cli


def test_import_chats_stores_the_export_once_and_names_bad_lines(
        cli: Cli, sandbox: Any, tmp_path: Path) -> None:
    cli.add_profile(sandbox)
    export = sandbox.state.chat_export_path
    lines = export.read_text(encoding="utf-8").splitlines()
    first = cli("autotag", "import-chats", "--profile", "acme", str(export), "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout.splitlines()[-1])
    assert summary["imported"] == summary["valid"] == summary["lines"] == len(lines)
    assert summary["status"] == "imported" and summary["problems"] == []
    again = cli("autotag", "import-chats", "--profile", "acme", str(export), "--json")
    summary = json.loads(again.stdout.splitlines()[-1])
    assert (summary["imported"], summary["duplicates"]) == (0, len(lines))

    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([lines[0], "{not json", lines[1]]) + "\n", encoding="utf-8")
    refused = cli("autotag", "import-chats", "--profile", "acme", str(broken))
    assert refused.returncode == 1
    assert "第 2 行" in refused.stdout and "line 2: not valid JSON" in refused.stdout
    assert "--skip-invalid" in refused.stdout and "Traceback" not in refused.stderr
    wrong = cli("autotag", "import-chats", "--profile", "acme", str(tmp_path / "x.txt"))
    assert wrong.returncode == 2
    assert "must be .jsonl or .csv" in wrong.stderr and "Traceback" not in wrong.stderr


def test_keywords_are_set_shown_and_exported_in_the_kw_json_shape(
        cli: Cli, sandbox: Any, tmp_path: Path) -> None:
    cli.add_profile(sandbox)
    kw = tmp_path / "kw.json"
    kw.write_text(json.dumps({"tags": {"价格异议": {"keywords": ["太贵", "便宜点", "预算"]},
                                       "高意向": {"keywords": ["下单", "报价单"]}}},
                             ensure_ascii=False), encoding="utf-8")
    loaded = cli("autotag", "keywords", "--profile", "acme", "--file", str(kw))
    assert loaded.returncode == 0, loaded.stderr
    assert "价格异议\t太贵、便宜点、预算" in loaded.stdout
    changed = cli("autotag", "keywords", "--profile", "acme", "--set", "高意向=下单，合同, 试用",
                  "--remove", "价格异议", "--json")
    assert changed.returncode == 0, changed.stderr
    assert json.loads(changed.stdout.splitlines()[-1]) == {
        "tags": {"高意向": {"keywords": ["下单", "合同", "试用"]}}}
    bad = tmp_path / "bad.json"
    bad.write_text('{"tags": {"投诉": {"keywords": "投诉"}}}', encoding="utf-8")
    refused = cli("autotag", "keywords", "--profile", "acme", "--file", str(bad))
    assert refused.returncode == 2
    assert "must be a list of texts" in refused.stderr and "Traceback" not in refused.stderr
    unknown = cli("autotag", "keywords", "--profile", "acme", "--remove", "无此标签")
    assert unknown.returncode == 1 and "had no keywords stored" in unknown.stderr


def test_keywords_for_a_name_that_is_no_tag_are_kept_and_said_with_the_nearest_names(
        cli: Cli, sandbox: Any) -> None:
    cli.add_profile(sandbox)
    assert cli("sync", "--profile", "acme").returncode == 0
    saved = cli("autotag", "keywords", "--profile", "acme", "--set", "客户阶段/已发货=发货,物流",
                "--set", "高意向=报价单")
    assert saved.returncode == 0, saved.stderr
    assert "客户阶段/已发货\t发货、物流" in saved.stdout
    assert ("No tag named '客户阶段/已发货'; did you mean: 客户阶段:已发货" in saved.stderr
            and "高意向" not in saved.stderr)


def test_simulate_then_apply_tags_through_one_batch_that_batch_undo_reverts(
        cli: Cli, sandbox: Any, tmp_path: Path) -> None:
    cli.add_profile(sandbox)
    assert cli("sync", "--profile", "acme").returncode == 0
    export = str(sandbox.state.chat_export_path)
    assert cli("autotag", "import-chats", "--profile", "acme", export).returncode == 0
    assert cli("autotag", "keywords", "--profile", "acme",
               "--set", "高意向=报价单,采购,试用,演示,合同").returncode == 0
    simulated = cli("autotag", "simulate", "--profile", "acme", "--since", "2000-01-01",
                    "--json")
    assert simulated.returncode == 0, simulated.stderr
    summary = json.loads(simulated.stdout.splitlines()[-1])
    [count] = summary["per_tag"]
    assert count["tag"] == "高意向" and count["would_add"] > 0
    assert summary["would_add"] == count["would_add"]
    assert summary["training"] == {"高意向": {"positives": 0, "negatives": 0, "sources": {},
                                           "negative_sources": {}}}
    first = summary["suggestions"][0]
    assert first["change"] == "add" and first["evidence"][0]["snippet"]
    assert "高意向" in simulated.stderr and "「" in simulated.stderr    # the human lines
    tag_id = sandbox.state.find_tag("意向程度", "高意向")
    assert tag_id not in sandbox.state.relation_tag_ids(first["userid"], first["external_userid"])

    applied = cli("autotag", "apply", "--profile", "acme", "--yes", "--pilot", "3", "--json")
    assert applied.returncode == 0, applied.stderr
    result = json.loads(applied.stdout.splitlines()[-1])
    assert result["status"] == "done" and result["applied"] == result["planned"] > 3
    assert tag_id in sandbox.state.relation_tag_ids(first["userid"], first["external_userid"])
    train = tmp_path / "train.jsonl"
    exported = cli("autotag", "export-training", "--profile", "acme", "--out", str(train),
                   "--json")
    assert exported.returncode == 0, exported.stderr
    counts = json.loads(exported.stdout.splitlines()[-1])
    rows = [json.loads(line) for line in train.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == counts["messages"] >= counts["labelled"] > 0
    assert all(set(row) == {"id", "customer", "text", "labels"} for row in rows)
    assert any(row["labels"] == ["高意向"] for row in rows)
    assert counts["training"]["高意向"]["sources"] == {"accepted": counts["training"]["高意向"][
        "positives"]}
    confirmed = cli("autotag", "export-training", "--profile", "acme", "--out",
                    str(tmp_path / "confirmed.jsonl"), "--from", "confirmed", "--json")
    assert confirmed.returncode == 0, confirmed.stderr
    assert json.loads(confirmed.stdout.splitlines()[-1])["messages"] == 0   # autotag's own
    kw = tmp_path / "kw.json"
    kw.write_text(json.dumps({"tags": {"高意向": {"keywords": ["报价单", "采购", "试用"]}}},
                             ensure_ascii=False), encoding="utf-8")
    scored = cli("autotag", "classify", "--keywords", str(kw), "--messages", str(train),
                 "--train", str(train), "--out", str(tmp_path / "pred.jsonl"))
    assert scored.returncode == 0, scored.stderr
    undone = cli("batch", "undo", result["batch_id"], "--profile", "acme", "--yes")
    assert undone.returncode == 0, undone.stderr
    assert tag_id not in sandbox.state.relation_tag_ids(first["userid"], first["external_userid"])
    cache = Cache(ProfileStore(cli.home).cache_path("acme"))
    try:
        verdicts = {r.verdict for r in autotag_settings.latest_reviews(cache).values()}
    finally:
        cache.close()
    assert verdicts == {"reverted"}         # the undo marked what it took off, as a revert does
    again = cli("autotag", "export-training", "--profile", "acme", "--out",
                str(tmp_path / "again.jsonl"), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout.splitlines()[-1])["training"]["高意向"]["positives"] == 0
    bad = cli("autotag", "simulate", "--profile", "acme", "--min-confidence", "2")
    assert bad.returncode == 2 and "must be a number from 0 to 1" in bad.stderr
