"""The refresh at start reads the tag library alone and writes it as a sync would: renames
journaled and followed by the rules, a tag deleted elsewhere unlinked from its customers, and the
next whole sync finds nothing of it left to record."""

from __future__ import annotations

import json
from typing import Any

from desktop.services.library_refresh import refresh_tag_library
from desktop.services.sync import run_sync
from desktop.store import rule_store
from desktop.store.snapshot import DATA_VERSION_KEY, RELATIONS_VERSION_KEY


def _observed(ws: Any, action: str) -> list[tuple[str, str]]:
    return [(str(name), str(after)) for name, after in ws.cache.connection().execute(
        "SELECT tag_name, after FROM journal WHERE action = ? AND source = 'observed'"
        " ORDER BY id", (action,))]


def test_a_rename_elsewhere_is_journaled_and_followed_by_the_rules_names_only(
        synced_ws: Any, sandbox: Any) -> None:
    rule_store.save(synced_ws.cache, "意向跟进", {
        "name": "意向跟进", "when": {"has": "意向程度:高意向"}, "then": {"add": ["VIP"]}}, "u")
    relations_version = synced_ws.cache.get_meta(RELATIONS_VERSION_KEY)
    version = int(synced_ws.cache.get_meta(DATA_VERSION_KEY))
    sandbox.state.console_edit_tag(sandbox.state.find_tag("意向程度", "高意向"), name="意向很高")
    refreshed = refresh_tag_library(synced_ws.client(), synced_ws.cache)
    assert [(r.old, r.new) for r in refreshed.renames] == [("高意向", "意向很高")]
    assert _observed(synced_ws, "tag_rename") == [("意向很高", '{"name": "意向很高"}')]
    stored = json.loads(rule_store.rules(synced_ws.cache)[0].definition)
    assert stored["when"] == {"has": "意向程度:意向很高"}
    assert int(synced_ws.cache.get_meta(DATA_VERSION_KEY)) == version + 1
    assert synced_ws.cache.get_meta(RELATIONS_VERSION_KEY) == relations_version  # names only
    rule_groups = len(synced_ws.cache.connection().execute("SELECT id FROM strategy").fetchall())
    assert refreshed.api_calls == 2 + 2 * rule_groups


def test_a_tag_deleted_elsewhere_leaves_its_customers_and_the_next_sync_has_nothing_left(
        synced_ws: Any, sandbox: Any) -> None:
    tag_id = sandbox.state.find_tag("复购", "高频复购")
    carriers = {rid for (rid,) in synced_ws.cache.connection().execute(
        "SELECT rt.relation_id FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
        " WHERE t.id = ?", (tag_id,))}
    sandbox.state.console_delete_tag(tag_id)
    refreshed = refresh_tag_library(synced_ws.client(), synced_ws.cache)
    assert carriers and refreshed.relations_changed == len(carriers)
    assert _observed(synced_ws, "tag_delete") == [("高频复购", "")]
    assert len(_observed(synced_ws, "tag_remove")) == len(carriers)
    assert synced_ws.cache.get_meta(RELATIONS_VERSION_KEY) == synced_ws.cache.get_meta(
        DATA_VERSION_KEY)                   # the filters rebuild what relations carry
    assert run_sync(synced_ws.client(), synced_ws.cache).observed_changes == 0
