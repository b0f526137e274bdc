"""Expiring tags in the app: the tag tree shows how many relations carry a tag with an expiry,
and a sync removes the tags that ran out as one batch with source `expiry` (so does the open app
within a minute of a tag running out)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desktop.domain.tag_tree import NodeKind
from desktop.services.tag_expiry import ExpiryService
from desktop.store import outbox
from desktop.ui.sync_controller import SyncController
from desktop.ui.tag_tree_model import COUNT_COLUMN, Role, TagTreeModel


def test_tree_counts_expiring_tags_and_a_sync_removes_those_due(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    ws = synced_context.workspace
    tag_id, = ws.cache.connection().execute(
        "SELECT t.id FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk JOIN tag_group g"
        " ON g.id = t.group_id WHERE t.deleted = 0 AND g.strategy_id IS NULL"
        " GROUP BY t.id HAVING COUNT(*) >= 5 ORDER BY t.id LIMIT 1").fetchone()
    relation_ids = [rid for (rid,) in ws.cache.connection().execute(
        "SELECT rt.relation_id FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
        " WHERE t.id = ? ORDER BY rt.relation_id LIMIT 3", (tag_id,))]
    expiry = ExpiryService(ws)
    expiry.set_on(relation_ids[:1], tag_id, 3600, "test")
    expiry.set_on(relation_ids[1:], tag_id, -60, "test")       # already ran out

    model = TagTreeModel(synced_context)
    qtbot.waitUntil(lambda: model.is_loaded, timeout=10000)
    node = next(n for n in model.tree.walk() if n.kind is NodeKind.TAG and n.tag
                and n.tag.id == tag_id)
    index = model.index_for_key(node.key, COUNT_COLUMN)
    assert model.data(index, Qt.ItemDataRole.DisplayRole) == f"{node.relation_count} ⏳3"
    assert model.data(index, Role.EXPIRING) == 3
    assert "with an expiry" in model.data(index, Qt.ItemDataRole.ToolTipRole)

    states = outbox.relation_states(ws.cache, relation_ids)
    keys = [(s.userid, s.external_userid) for s in states.values()]
    controller = SyncController(synced_context)
    with qtbot.waitSignal(controller.finished, timeout=30000):
        assert controller.start()
    qtbot.waitUntil(lambda: not expiry.due() and model.data(
        model.index_for_key(node.key, COUNT_COLUMN),
        Role.EXPIRING) == 1, timeout=20000)
    carried = [tag_id in sandbox.state.relation_tag_ids(u, c) for u, c in keys]
    assert carried == [True, False, False]
    sources = {s for (s,) in ws.cache.connection().execute(
        "SELECT DISTINCT b.source FROM batch b JOIN journal j ON j.batch_id = b.id"
        " WHERE j.tag_id = ?", (tag_id,))}
    assert sources == {"expiry"}
    assert synced_context.wait_idle()


def test_a_tag_that_runs_out_while_the_app_is_open_is_removed_without_a_sync(
        qtbot: Any, synced_context: Any, sandbox: Any) -> None:
    ws = synced_context.workspace
    tag_id, relation_id = ws.cache.connection().execute(
        "SELECT t.id, rt.relation_id FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
        " JOIN tag_group g ON g.id = t.group_id WHERE t.deleted = 0 AND g.strategy_id IS NULL"
        " ORDER BY t.id DESC, rt.relation_id LIMIT 1").fetchone()
    state = outbox.relation_states(ws.cache, [relation_id])[relation_id]
    key = (state.userid, state.external_userid)
    assert tag_id in sandbox.state.relation_tag_ids(*key)
    controller = SyncController(synced_context)
    controller.expiry_timer.setInterval(200)
    controller.start_expiry_checks()                               # as the app does when shown
    ExpiryService(ws).set_on([relation_id], tag_id, 1, "test")    # runs out in a second
    qtbot.waitUntil(lambda: tag_id not in sandbox.state.relation_tag_ids(*key), timeout=20000)
    assert controller.last_result is None                          # no sync ran
    controller.stop_expiry_checks()
    assert synced_context.wait_idle()
    sources = {s for (s,) in ws.cache.connection().execute(
        "SELECT DISTINCT b.source FROM batch b JOIN journal j ON j.batch_id = b.id"
        " WHERE j.tag_id = ? AND j.external_userid = ? AND j.userid = ?",
        (tag_id, key[1], key[0]))}
    assert sources == {"expiry"}
