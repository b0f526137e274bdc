"""Tags and groups renamed outside TagDesk (in the WeCom admin console, by another app), as a
sync finds them: the same WeCom id under a new name.

The sync journals each such rename itself (`tag_rename` / `group_rename`, source `observed`,
the old and the new name). Around it, `sync_following_renames` respells the rules and the
tags of the auto-tagging keywords and review verdicts kept in the cache with the same `Rename`
a rename from the tree uses (`rename_follow`), and returns the renames so that the caller
respells the saved and recent filters and the filter bar (the app's settings file), as after
a rename from the tree. A group's rename comes before its tags', which are then named in the
group's new name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from desktop.domain.filter.rename import Rename, group_rename, tag_rename
from desktop.services.progress import CancelToken, ProgressCallback, no_progress
from desktop.services.rename_follow import follow_renames
from desktop.services.sync import SyncResult, run_sync
from desktop.store.db import Cache
from desktop.store.snapshot import TreeItem, tag_tree

if TYPE_CHECKING:
    from desktop.wecom.client import WeComClient


def sync_following_renames(
    client: WeComClient,
    cache: Cache,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    chains: int = 5,
) -> tuple[SyncResult, tuple[Rename, ...]]:
    """`run_sync`, then the rules follow the tags and groups it found renamed; returns the
    sync's result and those renames."""
    before = tag_tree(cache.connection())
    result = run_sync(client, cache, progress=progress, cancel=cancel, chains=chains)
    found = renames(before, tag_tree(cache.connection()))
    if found:
        with cache.write() as conn:
            follow_renames(conn, found)
    return result, found


def renames(before: Mapping[str, TreeItem], after: Mapping[str, TreeItem]) -> tuple[Rename, ...]:
    """The items of `after` (the tag tree by WeCom id) named otherwise in `before`: the
    groups' renames, then the tags'."""
    renamed = sorted(item_id for item_id in before.keys() & after.keys()
                     if before[item_id][1] != after[item_id][1])
    groups = [group_rename(before[i][1], after[i][1]) for i in renamed if after[i][0] == "group"]
    tags = [tag_rename(before[i][1], after[i][1], after[i][3], [
        (item[1], item[3]) for other, item in after.items() if item[0] == "tag" and other != i])
        for i in renamed if after[i][0] == "tag"]
    return (*groups, *tags)


def renamed_json(renames: Sequence[Rename]) -> list[dict[str, str]]:
    """The renames as `tagdesk sync --json` lists them (`renamed`): kind (`tag`, `group`),
    old and new name, and the group (a tag's, named as it is now; a group's new name)."""
    return [{"kind": "group" if r.is_group else "tag", "old": r.old, "new": r.new,
             "group": r.new if r.is_group else r.group} for r in renames]
