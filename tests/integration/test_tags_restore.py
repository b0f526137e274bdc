"""Delete safety against the sandbox: a deleted tag keeps the relations that carried it, and
`tags restore` re-creates it (a new WeCom id, linked to the old one in the journal) and
re-tags those relations as one batch that `batch undo` takes back."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services.profiles import ProfileStore
from tests.cli_json import last_json
from tests.integration.conftest import Cli

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def corp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    data = tmp_path_factory.mktemp("restore-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=200, members=6, seed=11)) as server:
        yield server


@pytest.fixture(scope="module")
def cli(corp: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli(tmp_path_factory.mktemp("restore-home"))
    cli.add_profile(corp)
    synced = cli("sync", "--profile", "acme")
    assert synced.returncode == 0, synced.stderr
    return cli


def cache_rows(cli: Cli, sql: str, params: tuple[object, ...] = ()) -> list[dict[str, Any]]:
    with closing(sqlite3.connect(ProfileStore(cli.home).cache_path("acme"))) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(sql, params)]


def carriers(corp: SandboxServer, tag_id: str) -> set[tuple[str, str]]:
    """(external_userid, userid) of the sandbox relations carrying the tag."""
    return {(external_userid, userid) for userid, external_userid in corp.state.relations()
            if tag_id in corp.state.relation_tag_ids(userid, external_userid)}


def a_busy_tag(cli: Cli, rank: int) -> str:
    """The name of a corp tag carried by a handful of relations (a filter for retag)."""
    rows = cache_rows(
        cli, "SELECT t.name, COUNT(*) AS n FROM tag t JOIN tag_group g ON g.id = t.group_id"
        " JOIN relation_tag rt ON rt.tag_pk = t.pk WHERE t.deleted = 0"
        " AND g.strategy_id IS NULL AND t.name NOT LIKE '%/%' GROUP BY t.name"
        " HAVING n BETWEEN 4 AND 30 ORDER BY n, t.name")
    return str(rows[rank]["name"])


def made_and_used(cli: Cli, corp: SandboxServer, group: str, name: str,
                  rank: int) -> tuple[str, set[tuple[str, str]]]:
    """A tag TagDesk creates in `group`, put on a few relations; its id and its carriers."""
    exists = cache_rows(cli, "SELECT 1 FROM tag_group WHERE name = ? AND deleted = 0", (group,))
    command = (("add", f"{group}/{name}") if exists else ("add-group", group, "--tag", name))
    created = last_json(cli("tags", *command, "--profile", "acme", "--json"))
    tagged = cli("retag", "--profile", "acme", "--filter", a_busy_tag(cli, rank), "--add",
                 f"{group}:{name}", "--yes")
    assert tagged.returncode == 0, tagged.stderr
    tag_id = str(created["id"])
    found = carriers(corp, tag_id)
    assert len(found) >= 4
    return tag_id, found


def test_a_deleted_tag_is_restored_with_its_customers_and_the_restore_undoes(
        cli: Cli, corp: SandboxServer) -> None:
    old_id, before = made_and_used(cli, corp, "恢复测试甲", "试听课", 0)
    deleted = cli("tags", "delete", "恢复测试甲/试听课", "--profile", "acme", "--yes",
                  "--reason", "清理")
    assert deleted.returncode == 0, deleted.stderr
    assert carriers(corp, old_id) == set()
    listed = last_json(cli("tags", "deleted", "--profile", "acme", "--json"))["deleted"]
    entry = next(item for item in listed if item["tag_id"] == old_id)
    assert (entry["name"], entry["group"], entry["relations"], entry["reason"]) == (
        "试听课", "恢复测试甲", len(before), "清理")
    assert entry["restored_as"] is None and entry["operator"] == "zhangsan"

    restored = last_json(cli("tags", "restore", str(entry["id"]), "--profile", "acme",
                             "--yes", "--json"))
    new_id = restored["tag_id"]
    assert restored["created"] and new_id != old_id and restored["status"] == "done"
    assert (restored["planned"], restored["applied"], restored["gone"]) == (len(before),
                                                                           len(before), 0)
    assert carriers(corp, new_id) == before
    link = cache_rows(cli, "SELECT * FROM journal WHERE action = 'tag_restore'"
                           " AND tag_id = ?", (new_id,))
    assert len(link) == 1 and json.loads(link[0]["before"])["id"] == old_id
    assert link[0]["batch_id"] == restored["batch_id"] and link[0]["source"] == "restore"

    again = cli("tags", "restore", str(entry["id"]), "--profile", "acme", "--yes")
    assert again.returncode == 4 and "already restored" in again.stderr

    undone = cli("batch", "undo", restored["batch_id"], "--profile", "acme", "--yes")
    assert undone.returncode == 0, undone.stderr
    assert carriers(corp, new_id) == set()


def test_a_restore_after_relations_changed_counts_the_gone_and_a_refused_delete_keeps_none(
        cli: Cli, corp: SandboxServer) -> None:
    made_and_used(cli, corp, "恢复测试乙", "留下", 1)
    old_id, carried = made_and_used(cli, corp, "恢复测试乙", "删掉", 2)
    before = sorted(carried)
    assert cli("tags", "delete", "恢复测试乙/删掉", "--profile", "acme", "--yes").returncode == 0
    external_userid, userid = before[0]
    corp.state.delete_relation(userid, external_userid)
    assert cli("sync", "--profile", "acme").returncode == 0
    snapshot = next(item for item in last_json(cli("tags", "deleted", "--profile", "acme",
                                                   "--json"))["deleted"]
                    if item["tag_id"] == old_id)
    restored = last_json(cli("tags", "restore", str(snapshot["id"]), "--profile", "acme",
                             "--yes", "--json"))
    assert (restored["gone"], restored["applied"]) == (1, len(before) - 1)
    assert carriers(corp, restored["tag_id"]) == set(before[1:])

    unknown = cli("tags", "restore", "99999", "--profile", "acme", "--yes")
    assert unknown.returncode == 4 and "tags deleted" in unknown.stderr
