"""Every writer leaves exactly the journal rows it should: one per changed tag per relation
(sync's observed changes, batches, undo, revert), one per tag-tree edit, nothing twice."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.sandbox import SandboxServer
from desktop.services import audit
from desktop.services.profiles import Profile
from desktop.services.sync import run_sync
from desktop.services.tag_admin import TagAdminService
from desktop.services.tagging import TaggingService
from desktop.services.workspace import Workspace
from desktop.store import journal
from desktop.store.journal_query import JournalFilter, JournalRow, iter_rows
from desktop.store.snapshot import LAST_SYNC_KEY

pytestmark = pytest.mark.integration

State = dict[tuple[str, str], set[str]]          # (userid, external_userid) -> tag ids
Expected = set[tuple[str, str, str, str]]        # (external_userid, userid, action, tag id)


@pytest.fixture
def ws(sandbox: SandboxServer, tmp_path: Path) -> Iterator[Workspace]:
    profile = Profile(name="acme", corp_id=sandbox.corp_id, api_base=sandbox.api_base,
                      userid="zhangsan", calls_per_minute=600_000)
    workspace = Workspace(tmp_path / "home", profile, sandbox.secret)
    run_sync(workspace.client(), workspace.cache)
    try:
        yield workspace
    finally:
        workspace.close()


def _state(server: SandboxServer) -> State:
    return {key: server.state.relation_tag_ids(*key) for key in server.state.relations()}


def _changes(before: State, after: State) -> Expected:
    rows: Expected = set()
    for key in before.keys() & after.keys():
        userid, external_userid = key
        rows |= {(external_userid, userid, "tag_add", t) for t in after[key] - before[key]}
        rows |= {(external_userid, userid, "tag_remove", t) for t in before[key] - after[key]}
    return rows


def _new_rows(ws: Workspace, after_id: int) -> list[JournalRow]:
    return [r for r in iter_rows(ws.cache, JournalFilter()) if r.id > after_id]


def _last_id(ws: Workspace) -> int:
    last = ws.cache.scalar("SELECT coalesce(max(id), 0) FROM journal")
    assert isinstance(last, int)
    return last


def _keys(rows: list[JournalRow]) -> list[tuple[str, str, str, str]]:
    return sorted((r.external_userid, r.userid, r.action, r.tag_id) for r in rows)


def _check_relation_sets(rows: list[JournalRow], before: State, after: State) -> None:
    """Each row carries the whole tag set of its relation before and after the change."""
    for row in rows:
        key = (row.userid, row.external_userid)
        assert set(json.loads(row.before)) == before[key]
        assert set(json.loads(row.after)) == after[key]


def _relation_ids(ws: Workspace, limit: int) -> list[int]:
    rows = ws.cache.connection().execute("SELECT id FROM relation ORDER BY id LIMIT ?", (limit,))
    return [int(row[0]) for row in rows]


def test_sync_journals_each_tag_changed_on_phones_once(
    sandbox: SandboxServer, ws: Workspace
) -> None:
    start = _last_id(ws)
    assert start == 0  # the first sync is a mirror, not a change
    before = _state(sandbox)
    keys = sorted(before)
    vip = sandbox.state.find_tag("客户等级", "VIP")
    keen = sandbox.state.find_tag("意向程度", "高意向")
    assert vip and keen
    (u1, e1), (u2, e2), (u3, e3), (u4, e4) = keys[:4]
    sandbox.state.console_mark_tag(u1, e1, add=[vip, keen], remove=sorted(before[keys[0]])[:1])
    sandbox.state.console_mark_tag(u2, e2, add=[vip])
    sandbox.state.console_mark_tag(u3, e3, remove=sorted(before[keys[2]]))
    sandbox.state.delete_relation(u4, e4)             # gone: nothing to journal about its tags
    after = _state(sandbox)

    previous_sync = float(ws.cache.get_meta(LAST_SYNC_KEY))
    run_sync(ws.client(), ws.cache)

    rows = _new_rows(ws, start)
    assert _keys(rows) == sorted(_changes(before, after))
    # WeCom does not say who changed them: no operator, never the person who synced; the
    # relation's follower is the probable one, within (previous sync, this sync]
    assert {(r.source, r.operator, r.batch_id) for r in rows} == {("observed", "", "")}
    assert all(r.probable_operator == r.userid for r in rows)
    assert {(r.seen_after, r.ts) for r in rows} == {
        (previous_sync, float(ws.cache.get_meta(LAST_SYNC_KEY)))}
    assert list(iter_rows(ws.cache, JournalFilter(operators=("zhangsan",)))) == []
    probable = JournalFilter(operators=(u1,), include_observed=True)
    assert {r.id for r in iter_rows(ws.cache, probable)} == {r.id for r in rows if r.userid == u1}
    _check_relation_sets(rows, before, after)
    run_sync(ws.client(), ws.cache)
    assert _last_id(ws) == rows[-1].id                # nothing new: nothing journaled again
    assert journal.verify(ws.cache).ok


def test_a_batch_journals_each_changed_tag_and_skips_no_ops(
    sandbox: SandboxServer, ws: Workspace
) -> None:
    shipped = sandbox.state.find_tag("客户阶段", "已发货")
    refunded = sandbox.state.find_tag("客户阶段", "已退款")
    assert shipped and refunded
    tagging = TaggingService(ws)
    before, start = _state(sandbox), _last_id(ws)
    plan = tagging.plan(_relation_ids(ws, 150), add=[refunded], remove=[shipped])
    assert plan.skipped_noop > 0                      # relations already as wanted: no call

    result = tagging.run(tagging.submit(plan, source="batch", description="退款"))

    after = _state(sandbox)
    rows = _new_rows(ws, start)
    assert _keys(rows) == sorted(_changes(before, after))
    assert len(rows) == sum(len(c.add) + len(c.remove) for c in plan.changes)
    assert {(r.source, r.operator, r.batch_id) for r in rows} == {
        ("batch", "zhangsan", result.batch_id)}
    _check_relation_sets(rows, before, after)
    assert journal.verify(ws.cache).ok


def test_undo_and_revert_journal_the_inverse_under_their_own_source(
    sandbox: SandboxServer, ws: Workspace
) -> None:
    vip = sandbox.state.find_tag("客户等级", "VIP")
    keen = sandbox.state.find_tag("意向程度", "高意向")
    assert vip and keen
    tagging = TaggingService(ws)
    ids = _relation_ids(ws, 60)
    first = tagging.run(tagging.submit(tagging.plan(ids, add=[vip])))
    after_first = _state(sandbox)

    undo_plan, skipped = tagging.plan_undo(first.batch_id)
    assert skipped == []
    start = _last_id(ws)
    undone = tagging.run(tagging.submit(undo_plan, source="undo"))
    after_undo = _state(sandbox)
    rows = _new_rows(ws, start)
    assert _keys(rows) == sorted(_changes(after_first, after_undo))
    assert {(r.source, r.batch_id) for r in rows} == {("undo", undone.batch_id)}

    second = tagging.run(tagging.submit(tagging.plan(ids, add=[keen])))
    after_second = _state(sandbox)
    start = _last_id(ws)
    outcome = audit.run_revert(tagging, audit.preview_batch_revert(ws.cache, tagging,
                                                                   second.batch_id),
                               pilot_size=4)
    rows = _new_rows(ws, start)
    assert _keys(rows) == sorted(_changes(after_second, _state(sandbox)))
    assert {(r.source, r.batch_id) for r in rows} == {("revert", outcome.batch_id)}
    _check_relation_sets(rows, after_second, _state(sandbox))
    assert journal.verify(ws.cache).ok


def test_tag_tree_edits_journal_one_row_each_and_a_deletion_one_per_relation(
    sandbox: SandboxServer, ws: Workspace
) -> None:
    admin = TagAdminService(ws)
    tagging = TaggingService(ws)
    start = _last_id(ws)
    created = admin.create_tag("意向程度", "待回访")
    admin.rename(created.tag.id, "待电话回访")
    rows = _new_rows(ws, start)
    assert [(r.action, r.source, r.tag_id) for r in rows] == [
        ("tag_create", "tree", created.tag.id), ("tag_rename", "tree", created.tag.id)]
    assert json.loads(rows[1].before) == {"name": "待回访"}
    assert json.loads(rows[1].after) == {"name": "待电话回访"}
    assert rows[1].tag_name == "待电话回访"
    detail = audit.change_detail(ws.cache, rows[1])
    assert detail.fields == (("name", "待回访", "待电话回访"),)

    tagging.run(tagging.submit(tagging.plan(_relation_ids(ws, 25), add=[created.tag.id])))
    carriers = {k for k, tags in _state(sandbox).items() if created.tag.id in tags}
    assert len(carriers) == 25
    start = _last_id(ws)
    changes = admin.delete_tags([created.tag.id])

    rows = _new_rows(ws, start)
    assert [r.action for r in rows].count("tag_delete") == 1
    removed = [r for r in rows if r.action == "tag_remove"]
    assert {(r.userid, r.external_userid) for r in removed} == carriers
    assert len(removed) == len(carriers) == len(rows) - 1
    assert {(r.source, r.batch_id) for r in rows} == {("tree", changes.batch_id)}
    assert journal.verify(ws.cache).ok
