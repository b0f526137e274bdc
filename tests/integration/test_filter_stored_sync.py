"""The filter map stored in the cache across real syncs from the sandbox: a re-sync that adds
no relation keeps it; one that adds a relation leaves it stale until the next prepare()."""

from __future__ import annotations

from typing import Any

from desktop.services.sync import run_sync
from desktop.store import filter_sql
from desktop.store.db import Cache
from desktop.store.filter_engine import RELATION_SET_KEY, FilterEngine

FILTERS = ["", "tags>=1", "-tags>=2", "added>=2024-01-01"]


def _stored_set(cache: Cache) -> str | None:
    row = cache.connection().execute("SELECT relation_set FROM filter_relation_set").fetchone()
    return None if row is None else str(row[0])


def _just_opened_knows_customers(ws: Any) -> bool:
    """A new connection and the GUI's engine: its first count, checked against plain SQL."""
    with Cache(ws.cache.path) as opened:
        engine = FilterEngine(opened, on_cold=lambda: None)
        conn = opened.connection()
        for text in FILTERS:
            plan = engine.check(text)
            counted = engine.count(text)
            assert (counted.relations, counted.customers) == filter_sql.count(conn, plan), text
            assert engine.relation_ids(text) == filter_sql.ordered(
                conn, plan, "createtime", True, None), text
        index = engine._index
        assert index is not None
        return index.knows_customers()


def test_the_stored_map_follows_the_relations_a_sync_brings(synced_ws: Any, sandbox: Any) -> None:
    cache = synced_ws.cache
    FilterEngine(cache).prepare()  # as the sync's worker does after a sync
    stored = _stored_set(cache)
    assert stored == cache.get_meta(RELATION_SET_KEY)
    assert _just_opened_knows_customers(synced_ws)

    run_sync(synced_ws.client(), cache)  # nothing changed in WeCom
    assert cache.get_meta(RELATION_SET_KEY) == stored
    assert _just_opened_knows_customers(synced_ws)

    sandbox.phone.add_customer(synced_ws.profile.userid)
    run_sync(synced_ws.client(), cache)  # one relation more: the stored map is stale
    assert cache.get_meta(RELATION_SET_KEY) != stored == _stored_set(cache)
    assert not _just_opened_knows_customers(synced_ws)

    FilterEngine(cache).prepare()
    assert _stored_set(cache) == cache.get_meta(RELATION_SET_KEY) != stored
    assert _just_opened_knows_customers(synced_ws)
