"""Restoring a deleted tag from its snapshot: re-create it, then re-tag its relations.

WeCom gives the re-created tag a new id; a `tag_restore` journal row links the old id to the
new one, and the re-tagging is one batch (source `restore`) through the outbox — previewed,
resumable and undoable like any other. A tag of the same name alive in the same group (made
again by hand) is reused instead of created twice. Relations that are gone since the delete
(the customer left, the follower changed) are counted and skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from desktop.domain.bilingual import both
from desktop.domain.errors import UserError
from desktop.domain.retag_plan import RetagPlan
from desktop.services.changes import ChangeSet
from desktop.services.tag_admin import TagAdminService
from desktop.services.tagging import TaggingService
from desktop.services.workspace import Workspace
from desktop.store import journal, outbox, tag_snapshots
from desktop.store.snapshot import bump_data_version
from desktop.store.tag_snapshots import TagSnapshot

SOURCE = "restore"


class RestoreError(UserError):
    """A restore that cannot run, said in one sentence."""


@dataclass(frozen=True)
class RestorePreview:
    snapshot: TagSnapshot
    relation_ids: tuple[int, ...]   # relations of the snapshot still in the cache
    gone: int                       # relations of the snapshot no longer there
    reuse_tag_id: str               # a live tag of that name in that group, else ""


@dataclass(frozen=True)
class RestoreResult:
    snapshot_id: int
    old_tag_id: str
    tag_id: str
    tag_name: str
    created: bool
    batch_id: str
    planned: int
    already: int
    gone: int
    changes: ChangeSet

    def as_json(self) -> dict[str, object]:
        return {"snapshot": self.snapshot_id, "old_tag_id": self.old_tag_id,
                "tag_id": self.tag_id, "tag_name": self.tag_name, "created": self.created,
                "batch_id": self.batch_id, "planned": self.planned, "already": self.already,
                "gone": self.gone}


class TagRestoreService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.cache = ws.cache

    def deleted(self) -> list[TagSnapshot]:
        """Deleted tags with their snapshots, newest first (restored ones say so)."""
        return tag_snapshots.deleted(self.cache.connection())

    def preview(self, snapshot_id: int) -> RestorePreview:
        snapshot = self._snapshot(snapshot_id)
        keys = tag_snapshots.relations(self.cache.connection(), snapshot_id)
        states = outbox.relation_states_by_key(self.cache, keys)
        ids = tuple(sorted(state.relation_id for state in states.values()))
        return RestorePreview(snapshot, ids, len(keys) - len(ids), self._live_namesake(snapshot))

    def restore(self, snapshot_id: int, *, pilot_size: int = 0) -> RestoreResult:
        """Re-create the tag (or reuse a namesake) and queue the re-tagging batch; the caller
        runs the batch like any other (`TaggingService.run`)."""
        preview = self.preview(snapshot_id)
        snapshot = preview.snapshot
        admin = TagAdminService(self.ws)
        created = not preview.reuse_tag_id
        changes = ChangeSet(tags_changed=True, journal_appended=True)
        if preview.reuse_tag_id:
            tag_id = preview.reuse_tag_id
        elif self._group_alive(snapshot.group_id):
            made = admin.create_tag(snapshot.group_id, snapshot.tag_name)
            tag_id, changes = made.tag.id, made.changes
        else:
            made = admin.create_group(snapshot.group_name, snapshot.tag_name,
                                      strategy_id=snapshot.strategy_id)
            tag_id, changes = made.tag.id, made.changes
        tagging = TaggingService(self.ws)
        plan: RetagPlan = tagging.plan(list(preview.relation_ids), add=[tag_id])
        batch_id = tagging.submit(
            plan, source=SOURCE, pilot_size=pilot_size,
            description=both(f"恢复标签 {snapshot.tag_name}", f"restore tag {snapshot.tag_name}"))
        with self.cache.write() as conn:
            tag_snapshots.mark_restored(conn, snapshot_id, tag_id, batch_id)
            journal.append(conn, [journal.JournalEntry(
                operator=self.ws.operator, action="tag_restore", source=SOURCE,
                batch_id=batch_id, tag_id=tag_id, tag_name=snapshot.tag_name,
                group_name=snapshot.group_name,
                before=json.dumps({"id": snapshot.tag_id, "snapshot": snapshot_id,
                                   "relations": snapshot.relations}),
                after=json.dumps({"id": tag_id, "created": created,
                                  "relations": len(preview.relation_ids)}),
            )])
            bump_data_version(self.cache, conn)
        return RestoreResult(
            snapshot_id, snapshot.tag_id, tag_id, snapshot.tag_name, created, batch_id,
            plan.api_calls, plan.skipped_noop, preview.gone,
            ChangeSet(tags_changed=True, journal_appended=True, batch_id=batch_id,
                      prefs_changed=changes.prefs_changed))

    def _snapshot(self, snapshot_id: int) -> TagSnapshot:
        found = {s.id: s for s in self.deleted()}.get(snapshot_id)
        if found is None:
            raise RestoreError(
                f"没有编号为 {snapshot_id} 的已删除标签；用 `tagdesk tags deleted` 查看可恢复的标签。",
                f"No deleted tag numbered {snapshot_id}; `tagdesk tags deleted` lists what"
                " can be restored.")
        if found.restored:
            raise RestoreError(
                f"标签「{found.tag_name}」已经恢复过了（新编号 {found.restored_as}，批次"
                f" {found.restore_batch}）。",
                f"The tag 「{found.tag_name}」 was already restored (new id"
                f" {found.restored_as}, batch {found.restore_batch}).")
        return found

    def _group_alive(self, group_id: str) -> bool:
        return bool(self.cache.query(
            "SELECT 1 FROM tag_group WHERE id = ? AND deleted = 0", (group_id,)))

    def _live_namesake(self, snapshot: TagSnapshot) -> str:
        rows = self.cache.query(
            "SELECT t.id FROM tag t JOIN tag_group g ON g.id = t.group_id"
            " WHERE t.deleted = 0 AND g.deleted = 0 AND t.name = ?"
            " AND (g.id = ? OR (g.name = ? AND g.strategy_id IS ?))",
            (snapshot.tag_name, snapshot.group_id, snapshot.group_name, snapshot.strategy_id))
        return str(rows[0]["id"]) if rows else ""
