"""`tagdesk autotag import-chats` and `tagdesk autotag keywords` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
