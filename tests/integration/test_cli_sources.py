"""The command line journals each kind of write under the same source as the desktop app
(tests/gui/test_journal_sources.py holds the app to the same table)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from desktop.sandbox import SandboxServer
from tests.integration.test_cli_retag import Cli, _last_json

pytestmark = pytest.mark.integration

SOURCES = {"retag": "batch", "import": "import", "undo": "undo", "revert": "revert",
           "exclusive": "tree", "observed": "observed"}


@pytest.fixture
def cli(tmp_path: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(tmp_path, sandbox, monkeypatch)


def _query(cli: Cli, sql: str, *params: object) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(cli.cache)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _last(cli: Cli) -> int:
    return int(_query(cli, "SELECT coalesce(max(id), 0) FROM journal")[0][0])


def test_every_command_line_writer_journals_under_its_source(
    cli: Cli, sandbox: SandboxServer, tmp_path: Path
) -> None:
    seen: dict[str, set[object]] = {}

    def run(kind: str, *args: str) -> str:
        start = _last(cli)
        done = cli(*args)
        assert done.returncode == 0, done.stderr
        seen[kind] = {row[0] for row in _query(
            cli, "SELECT DISTINCT source FROM journal WHERE id > ?", start)}
        return done.stdout

    out = run("retag", "retag", "--profile", "acme", "--filter", "", "--add", "高意向",
              "--yes", "--json")
    retagged = _last_json(out)["batch_id"]
    run("undo", "batch", "undo", retagged, "--profile", "acme", "--yes", "--json")
    again = _last_json(run("retag", "retag", "--profile", "acme", "--filter", "",
                           "--add", "VIP", "--yes", "--json"))["batch_id"]
    run("revert", "audit", "revert", again, "--profile", "acme", "--yes")

    book = Workbook()
    book.active.append(["external_userid", "owner_userid", "add_tags", "remove_tags"])
    for userid, external_userid in _query(
            cli, "SELECT userid, external_userid FROM relation ORDER BY id LIMIT 4"):
        book.active.append([external_userid, userid, "意向程度:高意向", ""])
    book.save(tmp_path / "tags.xlsx")
    run("import", "import", str(tmp_path / "tags.xlsx"), "--profile", "acme",
        "--yes", "--json")
    run("exclusive", "exclusive", "add", "意向", "--tags", "高意向,低意向", "--profile", "acme")

    userid, external_userid = sorted(sandbox.state.relations())[-1]
    sandbox.state.console_mark_tag(userid, external_userid,
                                   add=[str(sandbox.state.find_tag("客户等级", "VIP"))])
    run("observed", "sync", "--profile", "acme", "--json")

    assert seen == {kind: {source} for kind, source in SOURCES.items()}
    assert not _query(cli, "SELECT id FROM journal WHERE operator = '' AND source != 'observed'")
