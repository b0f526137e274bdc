"""Writes are operations on the writer thread: the GUI thread never waits for the cache or WeCom.

A sync's replace transaction holds the cache's write lock for seconds; `_cache_held` does the
same from another thread. Tagging, undo and the exclusive-sets dialog must return at once
while it is held, and finish correctly once it is released.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from desktop.ui.exclusive_sets_dialog import ExclusiveSetsDialog
from desktop.ui.tasks import pending_tasks

pytestmark = pytest.mark.gui

HOLD_S = 2.0
INSTANT_S = 0.3     # far below HOLD_S; generous for a loaded two-core machine


@contextmanager
def _cache_held(cache: Any, seconds: float = HOLD_S) -> Iterator[None]:
    """Hold the cache's write lock from another thread, as a sync's replace does."""
    held = threading.Event()

    def hold() -> None:
        with cache.write():
            held.set()
            time.sleep(seconds)

    holder = threading.Thread(target=hold, name="fake sync")
    holder.start()
    assert held.wait(5)
    try:
        yield
    finally:
        holder.join(seconds + 5)


def _timed(call: Any) -> float:
    started = time.monotonic()
    call()
    return time.monotonic() - started


def _idle(qtbot: Any, context: Any) -> None:
    """Wait until every queued operation has run and its end reached the GUI thread."""
    qtbot.waitUntil(lambda: not pending_tasks(), timeout=30000)
    assert context.wait_idle(1000)


def _tag_id(context: Any, name: str) -> str:
    return str(context.cache.query("SELECT id FROM tag WHERE name = ?", (name,))[0]["id"])


def _without(context: Any, tag_id: str, limit: int) -> list[int]:
    return [int(row["id"]) for row in context.cache.query(
        "SELECT id FROM relation WHERE id NOT IN (SELECT relation_id FROM relation_tag"
        " JOIN tag ON tag.pk = relation_tag.tag_pk WHERE tag.id = ?) ORDER BY id LIMIT ?",
        (tag_id, limit))]


def _wecom_tags(context: Any, sandbox: Any, relation_ids: list[int]) -> dict[int, set[str]]:
    tags = {}
    for rid in relation_ids:
        row = context.cache.query(
            "SELECT external_userid, userid FROM relation WHERE id = ?", (rid,))[0]
        tags[rid] = set(sandbox.state.relation_tag_ids(row["userid"], row["external_userid"]))
    return tags


def test_tagging_returns_at_once_while_a_sync_holds_the_cache(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    tag = _tag_id(synced_context, "高意向")
    ids = _without(synced_context, tag, 3)
    with _cache_held(synced_context.cache):
        assert _timed(lambda: synced_context.toggle_tag(ids, tag, lambda: "高意向")) < INSTANT_S
        assert synced_context.undo_stack.count() == 1
    _idle(qtbot, synced_context)
    assert all(tag in found for found in _wecom_tags(synced_context, sandbox, ids).values())


def test_ctrl_z_during_a_running_batch_queues_the_undo_instead_of_waiting(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    tag = _tag_id(synced_context, "高意向")
    ids = _without(synced_context, tag, 4)
    before = _wecom_tags(synced_context, sandbox, ids)
    sandbox.configure(latency_ms=400)
    synced_context.toggle_tag(ids, tag, lambda: "高意向")
    qtbot.waitUntil(lambda: synced_context.writer_pool.activeThreadCount() == 1, timeout=5000)
    assert _timed(synced_context.undo_stack.undo) < INSTANT_S
    assert _timed(synced_context.undo_stack.redo) < INSTANT_S
    assert _timed(synced_context.undo_stack.undo) < INSTANT_S
    sandbox.configure(latency_ms=0)
    _idle(qtbot, synced_context)
    assert _wecom_tags(synced_context, sandbox, ids) == before
    sources = [row["source"] for row in synced_context.cache.query(
        "SELECT source FROM batch ORDER BY created_at, rowid")]
    assert sources[-4:] == ["app", "undo", "redo", "undo"]


def test_a_toggle_that_changes_nothing_leaves_no_undo_step(
        qtbot: Any, synced_context: Any) -> None:
    synced_context.toggle_tag([10**9], _tag_id(synced_context, "高意向"), lambda: "高意向")
    _idle(qtbot, synced_context)
    assert synced_context.undo_stack.count() == 0


def test_the_exclusive_sets_dialog_writes_off_the_gui_thread(
        qtbot: Any, synced_context: Any) -> None:
    dialog = ExclusiveSetsDialog(synced_context)
    qtbot.addWidget(dialog)
    dialog.name.setText("成交状态")
    dialog.tags.setText("已成交，没有这个标签")
    dialog.add_set()
    _idle(qtbot, synced_context)
    assert "没有这个标签" in dialog.error.text() and dialog.list.count() == 0
    assert not dialog.busy
    dialog.tags.setText("已成交, 无效客户")
    with _cache_held(synced_context.cache), qtbot.waitSignal(synced_context.changed,
                                                             timeout=15000):
        assert _timed(dialog.add_set) < INSTANT_S
        assert dialog.busy
    _idle(qtbot, synced_context)
    assert dialog.list.count() == 1 and "无效客户" in dialog.list.item(0).text()
    assert dialog.error.text() == "" and dialog.name.text() == ""
    stored = synced_context.cache.query("SELECT name FROM exclusive_set")
    assert [row["name"] for row in stored] == ["成交状态"]
    assert not dialog.remove_button.isEnabled()          # nothing chosen to remove yet
    dialog.list.setCurrentRow(0)
    assert dialog.remove_button.isEnabled()
    with _cache_held(synced_context.cache):
        assert _timed(dialog.remove_selected) < INSTANT_S
    _idle(qtbot, synced_context)
    assert dialog.list.count() == 0
    assert synced_context.cache.scalar("SELECT count(*) FROM exclusive_set") == 0


def test_a_sync_runs_with_the_cyclic_collector_paused_and_resumes_it(
        qtbot: Any, synced_context: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Full collections over a sync's objects held the GIL for up to 0.8 s (bench_gui_stalls)."""
    from desktop.ui import gui_thread_gc, sync_controller

    seen: list[bool] = []
    real = sync_controller.run_sync
    automatic = gc.isenabled()

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gui_thread_gc.is_paused() and not gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(sync_controller, "run_sync", spy)
    sync = sync_controller.SyncController(synced_context, synced_context)
    with qtbot.waitSignal(sync.finished, timeout=30000):
        sync.start()
    assert seen == [True] and not gui_thread_gc.is_paused() and gc.isenabled() == automatic
    with qtbot.waitSignal(sync.idle, timeout=30000):
        sync.start()
        sync.cancel()
    assert all(seen) and not gui_thread_gc.is_paused() and gc.isenabled() == automatic
    _idle(qtbot, synced_context)


def test_a_toggle_that_writes_nothing_leaves_no_undo_step(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    tag = _tag_id(synced_context, "高意向")
    ids = _without(synced_context, tag, 2)
    with synced_context.workspace.client() as client:   # gone in WeCom, still in the cache
        client.del_corp_tag(tag_ids=[tag])
    synced_context.toggle_tag(ids, tag, lambda: "高意向")
    assert synced_context.undo_stack.count() == 1       # on the stack at once, as always
    _idle(qtbot, synced_context)
    assert {r["status"] for r in synced_context.cache.query("SELECT status FROM outbox")} == {
        "skipped"}                                       # WeCom no longer has the tag
    assert synced_context.undo_stack.count() == 0, "nothing was written: nothing to undo"
    assert not synced_context.undo_stack.canUndo()


def test_a_refused_write_is_said_in_the_ui_language_only(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    tag = _tag_id(synced_context, "高意向")
    (rid,) = _without(synced_context, tag, 1)
    row = synced_context.cache.query(
        "SELECT userid, external_userid FROM relation WHERE id = ?", (rid,))[0]
    sandbox.state.delete_relation(row["userid"], row["external_userid"])   # gone in WeCom
    failed: list[str] = []
    synced_context.write_failed.connect(lambda reason, _ids: failed.append(reason))
    synced_context.toggle_tag([rid], tag, lambda: "高意向")
    _idle(qtbot, synced_context)
    assert len(failed) == 1 and failed[0]
    assert " / " not in failed[0], failed[0]     # "中文 / English" reasons show one half
