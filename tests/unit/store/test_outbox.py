"""The outbox: atomic batches, exactly-once journaling of confirmed calls, requeue and reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.domain.retag_plan import RelationChange
from desktop.store import journal, outbox
from desktop.store.db import Cache
from desktop.store.snapshot import (
    DATA_VERSION_KEY,
    CustomerRow,
    GroupRow,
    RelationRow,
    Snapshot,
    TagRow,
    write_snapshot,
)

SHIPPED, REFUNDED, VIP = "etShipped", "etRefunded", "etVip"


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    cache = Cache(tmp_path / "cache.sqlite")
    write_snapshot(cache, Snapshot(
        groups=[GroupRow("etGStage", "订单状态", order=2), GroupRow("etGLevel", "客户等级", order=1)],
        tags=[TagRow(SHIPPED, "etGStage", "已发货"), TagRow(REFUNDED, "etGStage", "已退款"),
              TagRow(VIP, "etGLevel", "VIP")],
        customers=[CustomerRow(f"wm{i}", f"客户{i}") for i in range(1, 4)],
        relations=[RelationRow("wm1", "zhangsan", tag_ids=(SHIPPED,)),
                   RelationRow("wm2", "zhangsan"),
                   RelationRow("wm2", "lisi", tag_ids=(VIP,)),
                   RelationRow("wm3", "lisi", tag_ids=(SHIPPED, VIP))],
    ))
    return cache


def _rid(cache: Cache, external_userid: str, userid: str) -> int:
    return int(str(cache.scalar("SELECT id FROM relation WHERE external_userid = ? AND userid = ?",
                                (external_userid, userid))))


def _change(cache: Cache, external_userid: str, userid: str, add: tuple[str, ...] = (),
            remove: tuple[str, ...] = ()) -> RelationChange:
    return RelationChange(_rid(cache, external_userid, userid), external_userid, userid, add, remove)


def _tags(cache: Cache, external_userid: str, userid: str) -> set[str]:
    state = outbox.relation_states(cache, [_rid(cache, external_userid, userid)])
    return set(next(iter(state.values())).tag_ids)


def _commit(cache: Cache, row: outbox.OutboxRow, source: str = "app") -> frozenset[int]:
    return outbox.commit_applied(cache, row, sent_add=row.add, sent_remove=row.remove,
                                 operator="zhangsan", source=source)


def test_a_batch_and_all_its_rows_are_written_together(cache: Cache) -> None:
    changes = [_change(cache, "wm1", "zhangsan", (REFUNDED,), (SHIPPED,)),
               _change(cache, "wm2", "zhangsan", (VIP,))]
    batch_id = outbox.create_batch(cache, changes, operator="zhangsan", source="app",
                                   description="退款", summary={"planned": 2})
    record = outbox.get_batch(cache, batch_id)
    assert record is not None
    assert (record.status, record.operator, record.description) == (outbox.PLANNED, "zhangsan", "退款")
    assert record.summary == {"planned": 2}
    assert record.counts == outbox.BatchCounts(total=2, pending=2)
    rows = outbox.pending_rows(cache, batch_id)
    assert [(r.seq, r.external_userid, r.add, r.remove) for r in rows] == [
        (1, "wm1", (REFUNDED,), (SHIPPED,)), (2, "wm2", (VIP,), ())]


def test_a_batch_that_cannot_be_written_whole_leaves_nothing(cache: Cache) -> None:
    broken = RelationChange(99, None, "zhangsan", (VIP,), ())  # type: ignore[arg-type]
    with pytest.raises(Exception, match="NOT NULL"):
        outbox.create_batch(cache, [_change(cache, "wm2", "zhangsan", (VIP,)), broken],
                            operator="zhangsan", source="app")
    assert cache.scalar("SELECT count(*) FROM batch") == 0
    assert cache.scalar("SELECT count(*) FROM outbox") == 0


def test_a_pilot_batch_starts_in_pilot_status_and_limit_takes_the_first_rows(cache: Cache) -> None:
    changes = [_change(cache, "wm2", "zhangsan", (VIP,)), _change(cache, "wm1", "zhangsan", (VIP,)),
               _change(cache, "wm3", "lisi", (REFUNDED,))]
    batch_id = outbox.create_batch(cache, changes, operator="zhangsan", source="app", pilot_size=2)
    record = outbox.get_batch(cache, batch_id)
    assert record is not None and record.status == outbox.PILOT and record.pilot_size == 2
    assert [r.external_userid for r in outbox.pending_rows(cache, batch_id, limit=2)] == ["wm2", "wm1"]


def test_a_confirmed_call_updates_cache_and_journal_in_one_go(cache: Cache) -> None:
    batch_id = outbox.create_batch(
        cache, [_change(cache, "wm1", "zhangsan", (REFUNDED, VIP), (SHIPPED,))],
        operator="zhangsan", source="app")
    version = cache.get_meta(DATA_VERSION_KEY)
    [row] = outbox.pending_rows(cache, batch_id)
    changed = _commit(cache, row)
    assert changed == {row.relation_id}
    assert _tags(cache, "wm1", "zhangsan") == {REFUNDED, VIP}
    assert int(cache.get_meta(DATA_VERSION_KEY)) == int(version) + 1
    entries = cache.query("SELECT action, tag_id, tag_name, group_name, before, after, operator,"
                          " source, batch_id FROM journal WHERE batch_id = ? ORDER BY id",
                          (batch_id,))
    assert [(e["action"], e["tag_id"], e["tag_name"]) for e in entries] == [
        ("tag_add", REFUNDED, "已退款"), ("tag_add", VIP, "VIP"), ("tag_remove", SHIPPED, "已发货")]
    assert {e["before"] for e in entries} == {json.dumps([SHIPPED])}
    assert {e["after"] for e in entries} == {json.dumps(sorted([REFUNDED, VIP]))}
    assert {(e["operator"], e["source"], e["group_name"]) for e in entries} >= {
        ("zhangsan", "app", "订单状态")}
    assert outbox.counts(cache, batch_id) == outbox.BatchCounts(total=1, applied=1)
    assert journal.verify(cache).ok


def test_committing_a_row_twice_journals_once(cache: Cache) -> None:
    batch_id = outbox.create_batch(cache, [_change(cache, "wm2", "zhangsan", (VIP,))],
                                   operator="zhangsan", source="app")
    [row] = outbox.pending_rows(cache, batch_id)
    _commit(cache, row)
    assert _commit(cache, row) == frozenset()
    assert cache.scalar("SELECT count(*) FROM journal WHERE batch_id = ?", (batch_id,)) == 1


def test_a_resent_change_already_in_the_cache_journals_nothing(cache: Cache) -> None:
    change = _change(cache, "wm2", "zhangsan", (VIP,))
    first = outbox.create_batch(cache, [change], operator="zhangsan", source="app")
    _commit(cache, outbox.pending_rows(cache, first)[0])
    again = outbox.create_batch(cache, [change], operator="zhangsan", source="app")
    [row] = outbox.pending_rows(cache, again)
    version = cache.get_meta(DATA_VERSION_KEY)
    assert _commit(cache, row) == frozenset()
    assert cache.scalar("SELECT count(*) FROM journal WHERE batch_id = ?", (again,)) == 0
    assert cache.get_meta(DATA_VERSION_KEY) == version
    assert outbox.counts(cache, again).applied == 1


def test_tags_the_cache_does_not_know_are_not_stored_or_journaled(cache: Cache) -> None:
    batch_id = outbox.create_batch(cache, [_change(cache, "wm2", "zhangsan", ("etNew", VIP))],
                                   operator="zhangsan", source="app")
    _commit(cache, outbox.pending_rows(cache, batch_id)[0])
    assert _tags(cache, "wm2", "zhangsan") == {VIP}
    assert [r["tag_id"] for r in cache.query("SELECT tag_id FROM journal WHERE batch_id = ?",
                                              (batch_id,))] == [VIP]


def test_a_relation_gone_from_the_cache_settles_without_journal(cache: Cache) -> None:
    change = RelationChange(12345, "wmGone", "zhangsan", (VIP,), ())
    batch_id = outbox.create_batch(cache, [change], operator="zhangsan", source="app")
    assert _commit(cache, outbox.pending_rows(cache, batch_id)[0]) == frozenset()
    assert outbox.counts(cache, batch_id).applied == 1
    assert cache.scalar("SELECT count(*) FROM journal WHERE batch_id = ?", (batch_id,)) == 0


def test_failures_are_kept_with_their_reason_and_can_be_requeued(cache: Cache) -> None:
    batch_id = outbox.create_batch(
        cache, [_change(cache, "wm2", "zhangsan", (VIP,)), _change(cache, "wm1", "zhangsan", (VIP,)),
                _change(cache, "wm3", "lisi", (REFUNDED,))],
        operator="zhangsan", source="app")
    first, second, third = outbox.pending_rows(cache, batch_id)
    outbox.note_attempt(cache, first.id, "timeout")
    outbox.record_failure(cache, first.id, errcode=84061, reason="关系已解除 / relation gone",
                          attempts=2)
    outbox.record_failure(cache, second.id, errcode=None, reason="标签已不存在",
                          status=outbox.SKIPPED)
    assert outbox.counts(cache, batch_id) == outbox.BatchCounts(3, 1, 0, 1, 1)
    [failure] = outbox.failures(cache, batch_id)
    assert (failure.relation_id, failure.external_userid, failure.errcode, failure.reason) == (
        first.relation_id, "wm2", 84061, "关系已解除 / relation gone")
    assert cache.scalar("SELECT attempts FROM outbox WHERE id = ?", (first.id,)) == 3
    assert [f.reason for f in outbox.failures(cache, batch_id, outbox.SKIPPED)] == ["标签已不存在"]
    assert outbox.requeue_failed(cache, batch_id) == 1
    assert [r.id for r in outbox.pending_rows(cache, batch_id)] == [first.id, third.id]
    assert outbox.failures(cache, batch_id) == []


def test_batches_are_listed_newest_first_with_status(cache: Cache) -> None:
    older = outbox.create_batch(cache, [_change(cache, "wm2", "zhangsan", (VIP,))],
                                operator="zhangsan", source="app")
    newer = outbox.create_batch(cache, [], operator="lisi", source="undo")
    with cache.write() as conn:
        conn.execute("UPDATE batch SET created_at = created_at + 10 WHERE id = ?", (newer,))
    outbox.set_status(cache, older, outbox.CANCELLED)
    listed = outbox.list_batches(cache)
    assert [(b.id, b.status, b.source, b.counts.total) for b in listed] == [
        (newer, outbox.PLANNED, "undo", 0), (older, outbox.CANCELLED, "app", 1)]
    assert outbox.get_batch(cache, "nope") is None


def test_relation_states_keep_the_order_given_and_skip_unknown_ids(cache: Cache) -> None:
    ids = [_rid(cache, "wm3", "lisi"), 999999, _rid(cache, "wm1", "zhangsan")]
    states = outbox.relation_states(cache, ids)
    assert list(states) == [ids[0], ids[2]]
    assert states[ids[0]].tag_ids == {SHIPPED, VIP} and states[ids[0]].userid == "lisi"
    by_key = outbox.relation_states_by_key(cache, [("wm2", "lisi"), ("wm9", "lisi")])
    assert list(by_key) == [("wm2", "lisi")] and by_key[("wm2", "lisi")].tag_ids == {VIP}


def test_catalogue_and_exclusive_sets(cache: Cache) -> None:
    with cache.write() as conn:
        conn.execute("INSERT INTO exclusive_set (name, tag_ids) VALUES (?, ?)",
                     ("发货状态", json.dumps([SHIPPED, REFUNDED])))
    assert [(t.name, t.group_name) for t in outbox.tag_catalogue(cache)] == [
        ("已发货", "订单状态"), ("已退款", "订单状态"), ("VIP", "客户等级")]
    [tag_set] = outbox.exclusive_sets(cache)
    assert tag_set.name == "发货状态" and tag_set.tag_ids == {SHIPPED, REFUNDED}


def test_batch_changes_merge_each_relations_journal_rows(cache: Cache) -> None:
    first = outbox.create_batch(
        cache, [_change(cache, "wm1", "zhangsan", (REFUNDED,), (SHIPPED,)),
                _change(cache, "wm2", "zhangsan", (VIP,))],
        operator="zhangsan", source="app")
    for row in outbox.pending_rows(cache, first):
        _commit(cache, row)
    changes = {(c.external_userid, c.userid): c for c in outbox.batch_changes(cache, first)}
    assert changes[("wm1", "zhangsan")].before == {SHIPPED}
    assert changes[("wm1", "zhangsan")].after == {REFUNDED}
    assert changes[("wm2", "zhangsan")].before == set()
    assert changes[("wm2", "zhangsan")].after == {VIP}
