"""The refresh at start's catch-up from team journal rows: each cached relation gets its tags
after the last of its rows (the tags the row says, or the one tag that came or went), and
relations added or deleted elsewhere are counted for the next sync, not guessed at."""

from __future__ import annotations

import json
from typing import Any

from desktop.services.team_catch_up import relation_tags
from desktop.store import outbox


def _row(action: str, key: tuple[str, str], tag_id: str = "", after: str = "") -> dict[str, Any]:
    external_userid, userid = key
    return {"action": action, "external_userid": external_userid, "userid": userid,
            "tag_id": tag_id, "after": after}


def test_rows_set_cached_relations_and_count_what_only_a_sync_brings(synced_ws: Any) -> None:
    cache = synced_ws.cache
    states = sorted(outbox.relation_states(cache, [r for r, in cache.connection().execute(
        "SELECT id FROM relation ORDER BY id LIMIT 4")]).values(), key=lambda s: s.relation_id)
    first, second, third, fourth = [(s.external_userid, s.userid) for s in states]
    tags = sorted(outbox.live_tag_ids(cache))
    new_tag = next(t for t in tags if t not in states[0].tag_ids)
    dropped = sorted(states[1].tag_ids)[0]
    rows = [
        _row("tag_add", first, tags[0], json.dumps(["stale"])),            # superseded below
        _row("tag_add", first, new_tag, json.dumps(sorted({*states[0].tag_ids, new_tag}))),
        _row("tag_remove", second, dropped),                      # the server knew no more
        _row("tag_add", ("new-customer", third[1]), new_tag),     # added since the sync
        _row("customer_add", ("new-customer", third[1])),
        _row("tag_add", third, new_tag),
        _row("customer_delete", third, dropped),                  # deleted after: a sync's
        _row("customer_delete", ("gone-before", fourth[1])),      # the sync saw it go
        _row("customer_delete", fourth),
        _row("customer_add", fourth),                             # and came back
    ]
    wanted, needs_sync = relation_tags(cache, rows)
    assert wanted == {first: tuple(sorted({*states[0].tag_ids, new_tag})),
                      second: tuple(sorted(states[1].tag_ids - {dropped}))}
    assert needs_sync == 2          # new-customer, and the third relation still cached
