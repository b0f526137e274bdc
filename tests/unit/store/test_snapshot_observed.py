"""What a sync journals about changes made elsewhere: no operator, the follower as the probable
one, the window since the previous sync; calls an unfinished batch handed to WeCom are that
batch's; tag-tree edits are observed tree changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.domain.retag_plan import RelationChange
from desktop.store import journal, outbox
from desktop.store.db import Cache
from desktop.store.journal_query import JournalFilter, JournalRow, iter_rows
from desktop.store.snapshot import (
    LAST_SYNC_KEY,
    CustomerRow,
    GroupRow,
    RelationRow,
    Snapshot,
    TagRow,
    replace_relation_tags,
    write_snapshot,
)

HOT, COLD, VIP = "etHot", "etCold", "etVip"
GROUPS = [GroupRow("gIntent", "意向程度", order=2), GroupRow("gLevel", "客户等级", order=1)]
TAGS = [TagRow(HOT, "gIntent", "高意向", order=2), TagRow(COLD, "gIntent", "低意向", order=1),
        TagRow(VIP, "gLevel", "VIP")]
CUSTOMERS = [CustomerRow(f"wm{i}", f"客户{i}") for i in range(1, 4)]


def _snapshot(tags: dict[tuple[str, str], tuple[str, ...]], *, groups: list[GroupRow] = GROUPS,
              tag_rows: list[TagRow] = TAGS) -> Snapshot:
    return Snapshot(groups=list(groups), tags=list(tag_rows), customers=list(CUSTOMERS),
                    relations=[RelationRow(e, u, tag_ids=t) for (e, u), t in tags.items()])


START = {("wm1", "zhangsan"): (COLD,), ("wm2", "lisi"): (), ("wm3", "lisi"): (VIP,)}


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    cache = Cache(tmp_path / "cache.sqlite")
    write_snapshot(cache, _snapshot(START))
    return cache


def _rows(cache: Cache) -> list[JournalRow]:
    return list(iter_rows(cache, JournalFilter()))


def _rid(cache: Cache, external_userid: str, userid: str) -> int:
    return int(str(cache.scalar("SELECT id FROM relation WHERE external_userid = ? AND userid = ?",
                                (external_userid, userid))))


def test_changes_seen_at_sync_name_no_operator_but_the_probable_one_and_the_window(
    cache: Cache,
) -> None:
    previous = float(cache.get_meta(LAST_SYNC_KEY))
    write_snapshot(cache, _snapshot({**START, ("wm2", "lisi"): (HOT,)}))
    [row] = _rows(cache)
    assert (row.source, row.operator, row.probable_operator, row.action, row.tag_id) == (
        "observed", "", "lisi", "tag_add", HOT)
    assert row.seen_after == previous and row.ts == float(cache.get_meta(LAST_SYNC_KEY))
    assert list(iter_rows(cache, JournalFilter(operators=("lisi",)))) == []
    assert [r.id for r in iter_rows(cache, JournalFilter(operators=("lisi",),
                                                         include_observed=True))] == [row.id]
    assert journal.verify(cache).ok


def test_a_refresh_journals_like_a_sync(cache: Cache) -> None:
    replace_relation_tags(cache, {("wm1", "zhangsan"): (COLD, VIP)})
    [row] = _rows(cache)
    assert (row.source, row.operator, row.probable_operator, row.tag_id) == (
        "observed", "", "zhangsan", VIP)
    assert row.seen_after == float(cache.get_meta(LAST_SYNC_KEY))


def test_the_journal_refuses_an_operator_on_an_observed_row_and_none_on_others(
    cache: Cache,
) -> None:
    for entry in (journal.JournalEntry(operator="zhangsan", action="tag_add", source="observed"),
                  journal.JournalEntry(operator="", action="tag_add", source="app"),
                  journal.JournalEntry(operator="  ", action="tag_add", source="batch")):
        with pytest.raises(journal.JournalError), cache.write() as conn:
            journal.append(conn, [entry])
    assert _rows(cache) == []


def test_a_call_handed_to_wecom_but_never_confirmed_is_the_batch_s_at_the_next_sync(
    cache: Cache,
) -> None:
    changes = [RelationChange(_rid(cache, e, u), e, u, (HOT,), (COLD,))
               for e, u in (("wm1", "zhangsan"), ("wm2", "lisi"))]
    batch_id = outbox.create_batch(cache, changes, operator="wangwu", source="batch")
    sent, unsent = outbox.pending_rows(cache, batch_id)
    outbox.mark_sent(cache, sent.id)        # the process died before WeCom's answer came back
    # WeCom applied the sent call; on wm2 someone's phone happened to add 高意向 and VIP
    write_snapshot(cache, _snapshot({**START, ("wm1", "zhangsan"): (HOT,),
                                     ("wm2", "lisi"): (HOT, VIP)}))

    rows = _rows(cache)
    mine = [r for r in rows if r.batch_id == batch_id]
    assert sorted((r.external_userid, r.action, r.tag_id, r.operator, r.source) for r in mine) == [
        ("wm1", "tag_add", HOT, "wangwu", "batch"), ("wm1", "tag_remove", COLD, "wangwu", "batch")]
    assert {(json.dumps(json.loads(r.before)), r.after) for r in mine} == {
        (json.dumps([COLD]), json.dumps([HOT]))}
    seen = [r for r in rows if r.source == "observed"]
    assert sorted((r.external_userid, r.tag_id, r.operator) for r in seen) == [
        ("wm2", HOT, ""), ("wm2", VIP, "")]          # never sent: not the batch's
    assert [r.id for r in outbox.pending_rows(cache, batch_id)] == [unsent.id]
    assert outbox.counts(cache, batch_id).applied == 1
    record = outbox.get_batch(cache, batch_id)
    assert record is not None and record.status == outbox.PLANNED   # one call still to send
    assert [(c.external_userid, c.after) for c in outbox.batch_changes(cache, batch_id)] == [
        ("wm1", frozenset({HOT}))]
    assert journal.verify(cache).ok


def test_a_batch_whose_last_calls_a_sync_settles_is_done(cache: Cache) -> None:
    change = RelationChange(_rid(cache, "wm3", "lisi"), "wm3", "lisi", (), (VIP,))
    batch_id = outbox.create_batch(cache, [change], operator="wangwu", source="batch")
    outbox.set_status(cache, batch_id, outbox.RUNNING)      # killed while running
    [row] = outbox.pending_rows(cache, batch_id)
    outbox.mark_sent(cache, row.id)
    write_snapshot(cache, _snapshot({**START, ("wm3", "lisi"): ()}))
    record = outbox.get_batch(cache, batch_id)
    assert record is not None and (record.status, record.counts.applied) == (outbox.DONE, 1)
    assert [(r.action, r.batch_id) for r in _rows(cache)] == [("tag_remove", batch_id)]


def test_a_sent_call_whose_effect_wecom_does_not_show_stays_pending(cache: Cache) -> None:
    change = RelationChange(_rid(cache, "wm1", "zhangsan"), "wm1", "zhangsan", (HOT,), ())
    batch_id = outbox.create_batch(cache, [change], operator="wangwu", source="batch")
    [row] = outbox.pending_rows(cache, batch_id)
    outbox.mark_sent(cache, row.id)
    write_snapshot(cache, _snapshot({**START, ("wm1", "zhangsan"): (COLD, VIP)}))
    assert [r.source for r in _rows(cache)] == ["observed"]
    assert [r.id for r in outbox.pending_rows(cache, batch_id)] == [row.id]


def test_tag_tree_edits_made_elsewhere_are_observed_tree_changes(cache: Cache) -> None:
    groups = [GroupRow("gIntent", "购买意向", order=2), GroupRow("gLevel", "客户等级", order=5),
              GroupRow("gNew", "渠道", order=0)]
    tags = [TagRow(HOT, "gIntent", "高意向", order=7), TagRow(VIP, "gLevel", "VIP"),
            TagRow("etExpo", "gNew", "展会")]
    write_snapshot(cache, _snapshot({**START, ("wm1", "zhangsan"): ()}, groups=groups,
                                    tag_rows=tags))
    rows = _rows(cache)
    tree = sorted((r.action, r.tag_id, r.before, r.after) for r in rows
                  if not r.action.startswith("tag_add") and r.action != "tag_remove")
    assert tree == sorted([
        ("group_rename", "gIntent", '{"name": "意向程度"}', '{"name": "购买意向"}'),
        ("group_reorder", "gLevel", '{"order": 1}', '{"order": 5}'),
        ("group_create", "gNew", "", '{"name": "渠道", "order": 0}'),
        ("tag_create", "etExpo", "", '{"name": "展会", "order": 0}'),
        ("tag_reorder", HOT, '{"order": 2}', '{"order": 7}'),
        ("tag_delete", COLD, '{"name": "低意向", "order": 1}', ""),
    ])
    assert {(r.source, r.operator) for r in rows} == {("observed", "")}
    # the deleted tag left wm1's relation: one observed removal, named as it was
    [removal] = [r for r in rows if r.action == "tag_remove"]
    assert (removal.tag_id, removal.tag_name) == (COLD, "低意向")
    write_snapshot(cache, _snapshot({**START, ("wm1", "zhangsan"): ()}, groups=groups,
                                    tag_rows=tags))
    assert len(_rows(cache)) == len(rows)          # nothing changed since: nothing journaled
    assert journal.verify(cache).ok
