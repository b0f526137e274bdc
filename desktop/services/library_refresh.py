"""The refresh at start: the tag library alone, read as a sync reads it (the corp's tag list,
then each rule group and its tag list: a few WeCom calls, however many customers) and written
to the cache as a sync writes it, in one transaction (`store.library_write`). Tags and groups
renamed elsewhere are followed by the rules, keywords and verdicts in that transaction and
returned, so that the filters follow them too. F5 stays a whole sync."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.domain.filter.rename import Rename
from desktop.services.progress import CancelToken, Progress, ProgressCallback, no_progress
from desktop.services.sync import read_tag_library
from desktop.store.db import Cache
from desktop.store.library_write import write_tag_library
from desktop.store.snapshot import Snapshot

if TYPE_CHECKING:
    from desktop.wecom.client import WeComClient

log = logging.getLogger("tagdesk.sync")


@dataclass(frozen=True)
class LibraryRefresh:
    tags: int
    groups: int
    api_calls: int
    observed_changes: int      # tree edits made elsewhere, journaled
    relations_changed: int     # relations that lost a tag deleted elsewhere
    renames: tuple[Rename, ...]
    elapsed_s: float


def refresh_tag_library(
    client: WeComClient,
    cache: Cache,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> LibraryRefresh:
    """Read the tag library from WeCom and write it to `cache`; a cancel before the write
    leaves the cache as it was."""
    cancel = cancel or CancelToken()
    started = time.perf_counter()
    calls_before = client.api_calls
    snap = Snapshot()
    read_tag_library(client, snap, progress, cancel)
    cancel.raise_if_cancelled()
    progress(Progress("writing", 0, 0, "写入本地缓存… / Writing the local cache…"))
    with cache.write() as conn:
        written = write_tag_library(cache, conn, snap)
    result = LibraryRefresh(
        tags=len(snap.tags), groups=len(snap.groups), api_calls=client.api_calls - calls_before,
        observed_changes=written.tree_changes, relations_changed=len(written.unlinked),
        renames=written.renames, elapsed_s=time.perf_counter() - started,
    )
    log.info("tag library refreshed: %d tags, %d groups, %d calls, %d changes",
             result.tags, result.groups, result.api_calls, result.observed_changes)
    progress(Progress("done", 1, 1, "标签库已更新 / Tag library refreshed"))
    return result
