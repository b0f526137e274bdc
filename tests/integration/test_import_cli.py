"""`tagdesk template`, `tagdesk import` and `tagdesk export` as a user runs them (subprocess,
isolated home, profile synced against the sandbox)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring
from openpyxl import load_workbook

from desktop.sandbox import SandboxServer
from desktop.services import secrets
from desktop.services.profiles import Profile, ProfileStore
from desktop.services.spreadsheet_export import SHEET_TITLE
from desktop.services.sync import run_sync
from desktop.services.workspace import Workspace
from tests.cli_json import last_json
from tests.import_sheets import import_sheet

pytestmark = pytest.mark.integration

MARK_TAG = "externalcontact/mark_tag"
# `tagdesk` with the spreadsheet commands registered, whether or not parser.py does it yet.
ENTRY = """
import argparse, sys
from desktop.cli import sheet_commands
from desktop.cli.errors import run_guarded
from desktop.cli.parser import build_parser
parser = build_parser()
sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
if "import" not in sub.choices:
    sheet_commands.register(sub)
args = parser.parse_args(sys.argv[1:])
sys.exit(run_guarded(args, args.handler))
"""


class Cli:
    def __init__(self, tmp_path: Path, sandbox: SandboxServer,
                 monkeypatch: pytest.MonkeyPatch) -> None:
        self.home = tmp_path / "home"
        self.cache = self.home / "profiles" / "acme" / "cache.sqlite"
        self.env = {**os.environ, "TAGDESK_HOME": str(self.home),
                    "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
                    "XDG_DATA_HOME": str(tmp_path / "xdg")}
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        previous = keyring.get_keyring()
        keyring.set_keyring(PlaintextKeyring())
        try:
            secrets.store_secret("acme", sandbox.corp_id, sandbox.secret)
        finally:
            keyring.set_keyring(previous)
        profile = Profile("acme", sandbox.corp_id, sandbox.api_base, userid="zhangsan")
        self.home.mkdir(parents=True)
        ProfileStore(self.home).add(profile)
        with Workspace(self.home, profile, sandbox.secret) as ws:
            run_sync(ws.client(), ws.cache)

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", ENTRY, *args], capture_output=True,
                              text=True, timeout=120, env=self.env, stdin=subprocess.DEVNULL)

    def batches(self) -> int:
        conn = sqlite3.connect(self.cache)
        try:
            return int(conn.execute("SELECT count(*) FROM batch").fetchone()[0])
        finally:
            conn.close()


@pytest.fixture
def cli(tmp_path: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(tmp_path, sandbox, monkeypatch)


def test_template_then_import_reports_the_example_row(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    written = cli("template", str(path))
    assert written.returncode == 0, written.stderr
    assert load_workbook(path).sheetnames[0] == "导入 Import"
    result = cli("import", str(path), "--profile", "acme", "--json")
    assert result.returncode == 1, result.stderr
    summary = last_json(result.stdout)
    assert (summary["rows"], summary["valid"], summary["invalid"]) == (1, 0, 1)
    assert summary["problems"][0]["code"] == "example_row"
    assert summary["batch_id"] is None and cli.batches() == 0
    assert "第 2 行" in result.stderr and "示例行" in result.stderr
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    refused = cli("template", str(blocked / "t.xlsx"))
    assert refused.returncode == 2 and "Cannot write" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_dry_run_prints_the_plan_and_writes_nothing(cli: Cli, sandbox: SandboxServer,
                                                    tmp_path: Path) -> None:
    relations = sorted(sandbox.state.relations())[:10]
    path = import_sheet(tmp_path / "a.xlsx", *([e, u, "已发货", ""] for u, e in relations))
    before = cli.cache.read_bytes()
    calls = sandbox.stats.calls(MARK_TAG)
    result = cli("import", str(path), "--profile", "acme", "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    summary = last_json(result.stdout)
    assert summary["status"] == "dry_run" and summary["batch_id"] is None
    assert summary["rows"] == summary["valid"] == 10 and summary["invalid"] == 0
    assert summary["planned"] + summary["noop"] == 10 and summary["problems"] == []
    assert "预览 / Preview" in result.stderr and "客户阶段:已发货" in result.stderr
    assert sandbox.stats.calls(MARK_TAG) == calls
    assert cli.batches() == 0 and cli.cache.read_bytes() == before


def test_import_with_yes_writes_one_batch_and_the_json_summary(cli: Cli, sandbox: SandboxServer,
                                                               tmp_path: Path) -> None:
    shipped = sandbox.state.find_tag("客户阶段", "已发货")
    relations = [r for r in sorted(sandbox.state.relations())
                 if shipped not in sandbox.state.relation_tag_ids(*r)][:12]
    path = import_sheet(tmp_path / "a.xlsx", *([e, u, "已发货", ""] for u, e in relations))
    result = cli("import", str(path), "--profile", "acme", "--yes", "--pilot", "4", "--json")
    assert result.returncode == 0, result.stderr
    summary = last_json(result.stdout)
    for key in ("batch_id", "rows", "valid", "invalid", "planned", "applied", "skipped",
                "failed", "api_calls", "elapsed_s", "problems"):
        assert key in summary
    assert (summary["planned"], summary["applied"], summary["failed"]) == (12, 12, 0)
    assert summary["api_calls"] >= 12 and summary["status"] == "done"
    assert "试运行 / Pilot: 4/12" in result.stderr
    assert all(shipped in sandbox.state.relation_tag_ids(*r) for r in relations)
    listed = cli("batches", "--profile", "acme", "--json")
    assert [b["source"] for b in json.loads(listed.stdout)] == ["import"]


def test_problems_stop_the_import_unless_skip_invalid(cli: Cli, sandbox: SandboxServer,
                                                      tmp_path: Path) -> None:
    userid, external_userid = sorted(sandbox.state.relations())[0]
    path = import_sheet(tmp_path / "a.xlsx", [external_userid, userid, "已退款", ""],
                  ["张三", "", "VIP", ""], [external_userid, userid, "高意象", ""],
                  [external_userid, userid, "gyx", ""])
    refused = cli("import", str(path), "--profile", "acme", "--yes", "--json")
    assert refused.returncode == 1
    summary = last_json(refused.stdout)
    assert summary["status"] == "invalid" and (summary["valid"], summary["invalid"]) == (1, 3)
    assert [(p["row"], p["code"]) for p in summary["problems"]] == [
        (3, "customer_name"), (4, "unknown_tag"), (5, "unknown_tag")]
    assert {"row", "column", "value", "problem", "suggestion"} <= summary["problems"][1].keys()
    assert "高意向" in summary["problems"][1]["suggestion"]
    assert "是否要找：高意向" in summary["problems"][2]["suggestion"]
    assert cli.batches() == 0
    skipped = cli("import", str(path), "--profile", "acme", "--yes", "--skip-invalid", "--json")
    assert skipped.returncode == 1
    summary = last_json(skipped.stdout)
    assert (summary["applied"], summary["invalid"]) == (1, 3) and summary["batch_id"]
    refunded = sandbox.state.find_tag("客户阶段", "已退款")
    assert refunded in sandbox.state.relation_tag_ids(userid, external_userid)


def test_a_wrong_file_type_is_one_clear_problem(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text("external_userid,add_tags\nwmX,VIP\n", encoding="utf-8")
    result = cli("import", str(path), "--profile", "acme")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "CSV" in result.stdout and "另存为 .xlsx" in result.stdout


def test_export_to_a_file_that_reimports(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "vip.xlsx"
    result = cli("export", str(path), "--profile", "acme", "--filter", "客户等级:VIP",
                 "--groups", "客户等级,意向程度", "--json")
    assert result.returncode == 0, result.stderr
    rows = last_json(result.stdout)["rows"]
    sheet = load_workbook(path)[SHEET_TITLE]
    assert sheet.max_row == rows + 1 and "客户等级" in [c.value for c in sheet[1]]
    checked = cli("import", str(path), "--profile", "acme", "--dry-run", "--json")
    assert checked.returncode == 0, checked.stderr
    assert last_json(checked.stdout)["valid"] == rows
    bad = cli("export", str(tmp_path / "x.xlsx"), "--profile", "acme", "--groups", "客户登记")
    assert bad.returncode == 2 and "客户等级" in bad.stderr
