"""Large results stay readable: the JSON line lists the first entries with a count, and the
complete lists go to a report file (the profile's reports folder, or `--report FILE`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from desktop.cli.result_report import INLINE
from tests.hostile.cli_run import SyncedCli, last_json

pytestmark = pytest.mark.integration

IMPORT_FIELDS = {"batch_id", "status", "rows", "valid", "invalid", "planned", "applied",
                 "skipped", "failed", "pending", "api_calls", "elapsed_s", "noop", "conflicts",
                 "dry_run", "problems"}
RETAG_FIELDS = {"batch_id", "status", "planned", "applied", "skipped", "failed", "pending",
                "api_calls", "elapsed_s", "stop_reason", "noop", "conflicts", "dry_run"}


@pytest.fixture
def cli(tmp_path: Path, sandbox: Any, synced_template: Path) -> SyncedCli:
    return SyncedCli(tmp_path, sandbox, synced_template)


def sheet(path: Path, rows: list[list[str]]) -> Path:
    book = Workbook(write_only=True)
    page = book.create_sheet("导入 Import")
    page.append(["external_userid", "owner_userid", "add_tags", "remove_tags"])
    for row in rows:
        page.append(row)
    book.save(path)
    return path


def test_an_import_with_every_row_wrong_prints_a_short_line_and_a_full_report(
        cli: SyncedCli, tmp_path: Path) -> None:
    rows = [[f"wm{n:05d}" + "x" * 3_000, "", "高意向", ""] for n in range(1_000)]
    path = sheet(tmp_path / "wrong.xlsx", rows)

    result = cli("import", str(path), "--profile", "acme", "--json")

    assert result.returncode == 1, result.stderr[-500:]
    line = result.stdout.strip().splitlines()[-1]
    assert len(line.encode()) < 100_000  # was 21 MB: every value three times, every row
    summary = json.loads(line)
    assert set(summary) >= IMPORT_FIELDS
    assert (summary["invalid"], summary["problems_total"]) == (1_000, 1_000)
    assert len(summary["problems"]) == INLINE
    assert all(len(p["value"]) < 300 for p in summary["problems"])
    report = Path(summary["report"])
    assert report.parent == cli.home / "profiles" / "acme" / "reports"
    assert report.name.startswith("import-") and report.stat().st_mode & 0o077 == 0
    assert report.parent.stat().st_mode & 0o077 == 0
    full = json.loads(report.read_text(encoding="utf-8"))
    assert len(full["problems"]) == 1_000 and full["problems"][-1]["row"] == 1_001
    assert {k: v for k, v in full.items() if k not in ("problems", "failures")} == {
        k: v for k, v in summary.items() if k not in ("problems", "failures")}
    assert f"+{1_000 - INLINE}（完整列表见 {report}" in result.stderr
    assert len(result.stderr) < 200_000


def test_report_file_on_request_even_for_a_short_result(cli: SyncedCli, sandbox: Any,
                                                         tmp_path: Path) -> None:
    userid, external_userid = sorted(sandbox.state.relations())[0]
    path = sheet(tmp_path / "one.xlsx", [[external_userid, userid, "高意向", ""],
                                         ["wmNOBODY", "", "高意向", ""]])
    wanted = tmp_path / "out" / "check.json"

    result = cli("import", str(path), "--profile", "acme", "--dry-run", "--skip-invalid",
                 "--report", str(wanted), "--json")

    summary = last_json(result.stdout)
    assert summary["report"] == str(wanted) and summary["problems_total"] == 1
    assert json.loads(wanted.read_text(encoding="utf-8"))["problems"] == summary["problems"]
    quiet = cli("import", str(path), "--profile", "acme", "--dry-run", "--skip-invalid",
                "--json")
    assert last_json(quiet.stdout)["report"] is None


def test_a_dry_run_writes_no_report_unless_asked(cli: SyncedCli, tmp_path: Path) -> None:
    book = Workbook(write_only=True)
    page = book.create_sheet("导入 Import")
    page.append(["external_userid " + "长" * 30_000, "owner_userid", "add_tags", "remove_tags"])
    for n in range(INLINE + 5):
        page.append([f"wmNOBODY{n}", "", "高意向", ""])
    book.save(tmp_path / "wrong.xlsx")
    path = tmp_path / "wrong.xlsx"

    result = cli("import", str(path), "--profile", "acme", "--dry-run", "--json")

    summary = last_json(result.stdout)
    assert summary["report"] is None and summary["problems_total"] == INLINE + 5
    assert len(summary["problems"]) == INLINE
    assert "+5（加 --report FILE 可得完整列表 / add --report FILE for the full list）" in result.stderr
    assert not (cli.home / "profiles" / "acme" / "reports").exists()
    unknown = cli("import", str(path), "--profile", "nobody", "--json")
    assert unknown.returncode == 2 and not (cli.home / "profiles" / "nobody").exists()
    assert len(result.stdout) < 100_000 and len(result.stderr) < 100_000
    assert summary["problems"][0]["column"] == "A external_userid " + "长" * 44 + "…（共 30,016 字符 / 30,016 chars）"


def test_a_retag_with_many_failures_lists_the_first_and_reports_all(
        cli: SyncedCli, sandbox: Any) -> None:
    keen = sandbox.state.find_tag("意向", "高意向")
    lacking = [key for key in sorted(sandbox.state.relations())
               if keen not in sandbox.state.relation_tag_ids(*key)][:INLINE + 30]
    for key in lacking:
        sandbox.state.delete_relation(*key)

    result = cli("retag", "--profile", "acme", "--filter", "", "--add", "高意向", "--yes",
                 "--json")

    assert result.returncode == 1, result.stderr[-500:]
    summary = last_json(result.stdout)
    assert set(summary) >= RETAG_FIELDS
    failed = summary["failed"]  # the deleted relations in the app's visible range
    assert summary["failures_total"] == failed > INLINE and len(summary["failures"]) == INLINE
    assert {"external_userid", "userid", "errcode", "reason"} <= set(summary["failures"][0])
    report = Path(summary["report"])
    assert report.name.startswith("retag-")
    full = json.loads(report.read_text(encoding="utf-8"))
    assert len(full["failures"]) == failed
    assert {(f["userid"], f["external_userid"]) for f in full["failures"]} <= set(lacking)
    assert f"（完整列表见 {report}" in result.stderr

    retried = cli("batch", "retry-failed", summary["batch_id"], "--profile", "acme", "--json")
    again = last_json(retried.stdout)
    assert again["failures_total"] == failed
    assert Path(again["report"]).name.startswith("batch-retry-failed-")
