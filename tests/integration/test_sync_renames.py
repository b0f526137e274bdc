"""A sync that finds a tag renamed in the admin console follows it in its own write
transaction: the rules, keywords and verdicts are respelled with the tag tree, or, when
anything in that transaction fails, none of it is (no new name beside a stale spelling)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

from desktop.services.sync import run_sync
from desktop.store import autotag_settings, rule_store
from desktop.store.snapshot import LAST_SYNC_KEY

pytestmark = pytest.mark.integration

RULE: dict[str, object] = {"name": "意向跟进", "when": {"has": "意向程度:高意向"}, "then": {"add": ["VIP"]}}
# a failure inside the sync's write once the tag tree is written: the rules' respelling
FAIL_RESPELL = ("CREATE TRIGGER fail_respell BEFORE UPDATE OF definition ON rule"
                " BEGIN SELECT RAISE(ABORT, 'respelling failed'); END")


def _state(ws: Any, tag_id: str) -> tuple[object, ...]:
    conn = ws.cache.connection()
    return (
        conn.execute("SELECT name FROM tag WHERE id = ?", (tag_id,)).fetchone()[0],
        json.loads(rule_store.rules(ws.cache)[0].definition)["when"],
        autotag_settings.keywords(ws.cache),
        conn.execute("SELECT count(*) FROM journal WHERE action = 'tag_rename'").fetchone()[0],
        ws.cache.get_meta(LAST_SYNC_KEY),
    )


def test_a_failure_in_the_syncs_write_after_the_tree_leaves_the_old_names_and_spellings(
        synced_ws: Any, sandbox: Any) -> None:
    tag_id = sandbox.state.find_tag("意向程度", "高意向")
    rule_store.save(synced_ws.cache, "意向跟进", RULE, "u")
    autotag_settings.save_keywords(synced_ws.cache, {"意向程度:高意向": ["想买"]})
    before = _state(synced_ws, tag_id)
    sandbox.state.console_edit_tag(tag_id, name="意向很高")
    with synced_ws.cache.write() as conn:
        conn.execute(FAIL_RESPELL)

    with pytest.raises(sqlite3.DatabaseError, match="respelling failed"):
        run_sync(synced_ws.client(), synced_ws.cache)
    assert _state(synced_ws, tag_id) == before

    with synced_ws.cache.write() as conn:
        conn.execute("DROP TRIGGER fail_respell")
    result = run_sync(synced_ws.client(), synced_ws.cache)
    assert [(r.old, r.new) for r in result.renames] == [("高意向", "意向很高")]
    name, when, keywords, renames, _ = _state(synced_ws, tag_id)
    assert (name, when, keywords, renames) == (
        "意向很高", {"has": "意向程度:意向很高"}, {"意向程度:意向很高": ["想买"]}, 1)
