"""`tagdesk import` on hostile files: one sentence naming the limit, nothing written, and
`--limits` to move the limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.hostile.cli_run import SyncedCli, last_json
from tests.hostile.xlsx_build import MB, header_row, package, repeated, sheet_xml, write_zip

pytestmark = pytest.mark.integration

ROW = b'<row><c t="inlineStr"><is><t>wmAJ2GCAAAd1NPGHKSD4wKmE8Aabj9AAA</t></is></c></row>'


def test_import_refuses_a_zip_bomb_naming_the_limit_and_limits_can_be_moved(
        tmp_path: Path, sandbox: Any, synced_template: Path) -> None:
    cli = SyncedCli(tmp_path, sandbox, synced_template)
    head = sheet_xml(header_row()).split(b"</sheetData>")[0]
    bomb = repeated("xl/worksheets/sheet1.xml", head, ROW * (MB // len(ROW)), 1100,
                    b"</sheetData></worksheet>")
    path = write_zip(tmp_path / "bomb.xlsx", package(bomb))

    result = cli("import", str(path), "--profile", "acme", "--json")

    assert result.returncode == 1, result.stderr
    summary = last_json(result.stdout)
    assert [p["code"] for p in summary["problems"]] == ["too_large"]
    assert summary["batch_id"] is None and summary["rows"] == 0
    assert "解压后超过 500 MB 上限" in result.stderr and "500 MB limit" in result.stderr
    assert "Traceback" not in result.stderr

    lowered = cli("import", str(path), "--profile", "acme", "--json",
                  "--limits", "part_mb=2000,total_mb=2000,rows=1000")
    assert lowered.returncode == 1, lowered.stderr
    assert "more than the 1,000-row limit (row 1,001)" in lowered.stderr

    wrong = cli("import", str(path), "--profile", "acme", "--limits", "rows=many")
    assert wrong.returncode == 2 and "name=positive number" in wrong.stderr
