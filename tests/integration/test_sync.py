"""Full sync over real HTTP: completeness, idempotence, observed changes, atomicity."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from desktop.services.progress import CancelToken, OperationCancelled, Progress
from desktop.services.sync import run_sync
from desktop.store import journal
from desktop.store.db import Cache
from desktop.wecom.client import WeComClient
from desktop.wecom.errors import WeComError, WeComNetworkError
from desktop.wecom.ratelimit import RateLimits

FAST = RateLimits(max_retries=1, backoff_base_s=0.01, backoff_max_s=0.05,
                  connect_timeout_s=1.0, read_timeout_s=2.0)


def _client(sandbox: Any, limits: RateLimits = FAST) -> WeComClient:
    return WeComClient(sandbox.api_base, sandbox.corp_id, sandbox.secret, limits=limits)


def _cache_tags(cache: Cache) -> dict[tuple[str, str], set[str]]:
    result: dict[tuple[str, str], set[str]] = {}
    for euid, userid, tag_id in cache.connection().execute(
        "SELECT r.external_userid, r.userid, t.id FROM relation r"
        " LEFT JOIN relation_tag rt ON rt.relation_id = r.id LEFT JOIN tag t ON t.pk = rt.tag_pk"
    ):
        result.setdefault((euid, userid), set())
        if tag_id:
            result[(euid, userid)].add(tag_id)
    return result


def _snapshot(cache: Cache) -> list[tuple[object, ...]]:
    conn = cache.connection()
    return [
        *conn.execute("SELECT * FROM relation ORDER BY id").fetchall(),
        *conn.execute("SELECT * FROM relation_tag ORDER BY relation_id, tag_pk").fetchall(),
        *conn.execute("SELECT * FROM tag ORDER BY pk").fetchall(),
        *conn.execute("SELECT id, hash FROM journal ORDER BY id").fetchall(),
    ]


def test_sync_mirrors_every_relation_with_its_corp_tags(sandbox: Any, tmp_path: Path) -> None:
    events: list[Progress] = []
    with Cache(tmp_path / "c.sqlite") as cache, _client(sandbox) as client:
        result = run_sync(client, cache, progress=events.append)
        mirrored = _cache_tags(cache)
    expected = {
        (euid, userid): sandbox.state.relation_tag_ids(userid, euid)
        for userid, euid in sandbox.state.relations()
    }
    assert result.relations == len(expected) == len(mirrored)
    assert mirrored == expected
    assert result.customers == len({euid for euid, _ in expected})
    assert result.api_calls > 0 and result.observed_changes == 0
    assert events[-1].phase == "done"
    assert any(e.phase == "relations" and e.total for e in events)


def test_a_second_sync_with_nothing_changed_records_nothing(sandbox: Any, tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite") as cache, _client(sandbox) as client:
        run_sync(client, cache)
        second = run_sync(client, cache)
        assert second.observed_changes == 0
        assert cache.scalar("SELECT count(*) FROM journal") == 0


def test_changes_made_on_phones_are_journaled_as_observed(sandbox: Any, tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite") as cache, _client(sandbox) as client:
        run_sync(client, cache)
        userid, euid = sorted(sandbox.state.relations())[0]
        present = sandbox.state.relation_tag_ids(userid, euid)
        candidates = sorted(
            cache.connection().execute(
                "SELECT t.id FROM tag t JOIN tag_group g ON g.id = t.group_id"
                " WHERE t.deleted = 0 AND g.strategy_id IS NULL"
            ).fetchall()
        )
        new_tag = next(row[0] for row in candidates if row[0] not in present)
        removed = sorted(t for t in present if t in {row[0] for row in candidates})[:1]
        sandbox.state.console_mark_tag(userid, euid, add=[new_tag], remove=removed)

        result = run_sync(client, cache)

        assert result.observed_changes == 1 + len(removed)
        rows = cache.query("SELECT action, source, tag_id, external_userid, userid FROM journal")
        assert {(r["action"], r["tag_id"]) for r in rows} == (
            {("tag_add", new_tag)} | {("tag_remove", t) for t in removed}
        )
        assert all(r["source"] == "observed" and r["external_userid"] == euid
                   and r["userid"] == userid for r in rows)
        assert journal.verify(cache).ok
        assert run_sync(client, cache).observed_changes == 0


# "directory": cancelled while the directory is read beside the cache's side of the sync
@pytest.mark.parametrize("phase", ["directory", "relations"])
def test_a_cancelled_sync_leaves_the_cache_as_it_was(
    sandbox: Any, tmp_path: Path, phase: str
) -> None:
    with Cache(tmp_path / "c.sqlite") as cache, _client(sandbox) as client:
        run_sync(client, cache)
        before = _snapshot(cache)
        userid, euid = sorted(sandbox.state.relations())[0]
        sandbox.state.delete_relation(userid, euid)
        token = CancelToken()

        def cancel_in_phase(event: Progress) -> None:
            if event.phase == phase:
                token.cancel()

        with pytest.raises(OperationCancelled):
            run_sync(client, cache, progress=cancel_in_phase, cancel=token)
        assert _snapshot(cache) == before


def test_a_sandbox_killed_mid_sync_leaves_the_cache_as_it_was(
    sandbox: Any, tmp_path: Path
) -> None:
    with Cache(tmp_path / "c.sqlite") as cache:
        with _client(sandbox) as client:
            run_sync(client, cache)
        before = _snapshot(cache)
        sandbox.configure(latency_ms=30)
        killed = threading.Event()

        def kill_on_relations(event: Progress) -> None:
            if event.phase == "relations" and not killed.is_set():
                killed.set()
                threading.Thread(target=sandbox.stop).start()

        with _client(sandbox) as client, pytest.raises((WeComNetworkError, WeComError)) as info:
            run_sync(client, cache, progress=kill_on_relations, chains=2)
        assert killed.is_set()
        assert "token" not in str(info.value).lower() or sandbox.secret not in str(info.value)
        assert _snapshot(cache) == before


def test_concurrent_chains_fetch_the_same_data_as_one_chain(sandbox: Any, tmp_path: Path) -> None:
    with Cache(tmp_path / "a.sqlite") as one, Cache(tmp_path / "b.sqlite") as many, \
            _client(sandbox) as client:
        run_sync(client, one, chains=1)
        run_sync(client, many, chains=5)
        assert _cache_tags(one) == _cache_tags(many)


def _keyed_content(cache: Cache) -> dict[str, list[tuple[object, ...]]]:
    """What a sync wrote, keyed by WeCom ids instead of the cache's own row ids."""
    conn = cache.connection()
    return {
        "customers": conn.execute("SELECT * FROM customer ORDER BY external_userid").fetchall(),
        "relations": conn.execute(
            "SELECT r.external_userid, r.userid, r.remark, r.description, r.createtime,"
            " r.add_way, r.state, r.oper_userid, r.remark_corp_name, r.remark_mobiles, s.folded,"
            " r.tag_count, r.sync_sig,"
            " (SELECT group_concat(t.id) FROM (SELECT t.id FROM relation_tag rt"
            "  JOIN tag t ON t.pk = rt.tag_pk WHERE rt.relation_id = r.id ORDER BY t.id) t)"
            " FROM relation r JOIN relation_search s ON s.relation_id = r.id"
            " ORDER BY r.external_userid, r.userid").fetchall(),
        "triggers": conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'index')"
            " ORDER BY name").fetchall(),
    }


def test_a_first_sync_written_directly_leaves_what_staging_and_merging_leave(
    sandbox: Any, tmp_path: Path
) -> None:
    with Cache(tmp_path / "direct.sqlite") as direct, Cache(tmp_path / "staged.sqlite") as staged, \
            _client(sandbox) as client:
        with staged.write() as tx:  # a relation cached: the sync stages and merges
            tx.execute("INSERT INTO relation (external_userid, userid) VALUES ('wmGone', 'u')")
        run_sync(client, direct)
        assert direct.connection().in_transaction is False
        run_sync(client, staged)
        assert _keyed_content(direct) == _keyed_content(staged)
        assert direct.scalar("SELECT count(*) FROM relation_search WHERE folded IS NULL") == 0
        assert direct.scalar("SELECT count(*) FROM relation") == len(sandbox.state.relations())


def _relations(cache: Cache) -> int:
    return int(cache.connection().execute("SELECT count(*) FROM relation").fetchone()[0])


def test_a_first_sync_cancelled_midway_leaves_the_empty_cache_as_it_was(
    sandbox: Any, tmp_path: Path
) -> None:
    """Pages already written go with the rollback; other connections never saw them."""
    token = CancelToken()
    seen_elsewhere: list[int] = []
    written_here: list[int] = []
    with Cache(tmp_path / "c.sqlite") as cache, Cache(tmp_path / "c.sqlite") as other, \
            _client(sandbox) as client:
        before = _keyed_content(cache)

        def cancel_after_pages(event: Progress) -> None:
            if event.phase == "relations":
                written_here.append(_relations(cache))
                seen_elsewhere.append(_relations(other))
                if event.done >= 3:
                    token.cancel()

        with pytest.raises(OperationCancelled):
            run_sync(client, cache, progress=cancel_after_pages, cancel=token, chains=2)
        assert max(written_here) > 0 and seen_elsewhere == [0] * len(seen_elsewhere)
        assert _keyed_content(cache) == before
        assert not cache.get_meta("last_sync_at")
        run_sync(client, cache)
        assert cache.scalar("SELECT count(*) FROM relation") == len(sandbox.state.relations())
