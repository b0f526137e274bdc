"""A sync that finds a tag renamed in the admin console follows it in its own write
transaction: the rules, keywords and verdicts are respelled with the tag tree, or, when
anything in that transaction fails, none of it is (no new name beside a stale spelling). Both
ways a sync writes: comparing staged pages with the cache, and straight into a cache that holds
no relation (a corp without customers)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services.profiles import Profile
from desktop.services.sync import run_sync
from desktop.services.workspace import Workspace
from desktop.store import autotag_settings, rule_store
from desktop.store.snapshot import LAST_SYNC_KEY

pytestmark = pytest.mark.integration

RULE: dict[str, object] = {"name": "意向跟进", "when": {"has": "意向程度:高意向"}, "then": {"add": ["VIP"]}}
# a failure inside the sync's write once the tag tree is written: the rules' respelling
FAIL_RESPELL = ("CREATE TRIGGER fail_respell BEFORE UPDATE OF definition ON rule"
                " BEGIN SELECT RAISE(ABORT, 'respelling failed'); END")


@pytest.fixture(params=[300, 0], ids=["staged", "direct"])
def synced(request: pytest.FixtureRequest, tmp_path: Path
           ) -> Iterator[tuple[Workspace, SandboxServer]]:
    """A workspace synced once with a corp of 300 customers, or of none."""
    config = SandboxConfig(data_dir=tmp_path / "sandbox", customers=request.param, members=8,
                           seed=7)
    with SandboxServer(config) as sandbox, Workspace(
            tmp_path / "home", Profile(name="t", corp_id=sandbox.corp_id,
                                       api_base=sandbox.api_base), sandbox.secret) as ws:
        run_sync(ws.client(), ws.cache)
        assert bool(ws.cache.scalar("SELECT count(*) FROM relation")) == bool(request.param)
        yield ws, sandbox


def _state(ws: Workspace, tag_id: str) -> tuple[object, ...]:
    conn = ws.cache.connection()
    return (
        conn.execute("SELECT name FROM tag WHERE id = ?", (tag_id,)).fetchone()[0],
        json.loads(rule_store.rules(ws.cache)[0].definition)["when"],
        autotag_settings.keywords(ws.cache),
        conn.execute("SELECT count(*) FROM journal WHERE action = 'tag_rename'").fetchone()[0],
        ws.cache.get_meta(LAST_SYNC_KEY),
    )


def test_a_failure_in_the_syncs_write_after_the_tree_leaves_the_old_names_and_spellings(
        synced: tuple[Workspace, SandboxServer]) -> None:
    ws, sandbox = synced
    tag_id = sandbox.state.find_tag("意向程度", "高意向")
    assert tag_id
    rule_store.save(ws.cache, "意向跟进", RULE, "u")
    autotag_settings.save_keywords(ws.cache, {"意向程度:高意向": ["想买"]})
    before = _state(ws, tag_id)
    sandbox.state.console_edit_tag(tag_id, name="意向很高")
    with ws.cache.write() as conn:
        conn.execute(FAIL_RESPELL)

    with pytest.raises(sqlite3.DatabaseError, match="respelling failed"):
        run_sync(ws.client(), ws.cache)
    assert _state(ws, tag_id) == before

    with ws.cache.write() as conn:
        conn.execute("DROP TRIGGER fail_respell")
    result = run_sync(ws.client(), ws.cache)
    assert [(r.old, r.new) for r in result.renames] == [("高意向", "意向很高")]
    name, when, keywords, renames, _ = _state(ws, tag_id)
    assert (name, when, keywords, renames) == (
        "意向很高", {"has": "意向程度:意向很高"}, {"意向程度:意向很高": ["想买"]}, 1)
