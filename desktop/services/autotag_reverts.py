"""A solo profile's reverted auto-tagging: as the calls of a revert of an auto-tagging batch
are confirmed, the accepted suggestions whose tags they take off get the verdict `reverted`
(`domain/autotag_reverts.py`), under the one who reverted. A team profile's reverts are
marked by its team server."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from desktop.domain.autotag_reverts import AUTOTAG_SOURCE, REVERTED, reverted_keys
from desktop.domain.rules import CatalogueTag
from desktop.store import autotag_settings, outbox
from desktop.store.autotag_settings import Review
from desktop.store.db import Cache


class AutotagRevertMemory:
    """Marks reverted what one revert batch's confirmed calls undo of the auto-tagging batch
    `reverts`."""

    def __init__(self, cache: Cache, reverts: str, operator: str) -> None:
        self._cache = cache
        self._reverts = reverts
        self._operator = operator
        self._loaded = False
        self._lock = threading.Lock()      # the runner's workers confirm calls in parallel
        self._added: dict[tuple[str, str], frozenset[str]] = {}
        self._catalogue: dict[str, CatalogueTag] = {}

    def record(self, external_userid: str, userid: str, remove: Sequence[str]) -> int:
        """A confirmed call of the revert took off these tags; how many suggestions it marks."""
        with self._lock:
            self._load()
        added = self._added.get((external_userid, userid), frozenset())
        taken = [(external_userid, userid, tag) for tag in remove if tag in added]
        if not taken:
            return 0
        latest = autotag_settings.latest_on_relation(self._cache, external_userid, userid)
        keys = reverted_keys(taken, {key: r.verdict for key, r in latest.items()},
                             self._catalogue)
        return autotag_settings.record_reviews(
            self._cache, [Review(*key, REVERTED, latest[key].message_ids) for key in keys],
            self._operator) if keys else 0

    def _load(self) -> None:
        """What the reverted batch added, when it is an auto-tagging batch."""
        if self._loaded:
            return
        self._loaded = True
        batch = outbox.get_batch(self._cache, self._reverts)
        if batch is None or batch.source != AUTOTAG_SOURCE:
            return
        self._added = {(c.external_userid, c.userid): c.after - c.before
                       for c in outbox.batch_changes(self._cache, self._reverts)}
        self._catalogue = {t.id: CatalogueTag(t.id, t.name, t.group_id, t.group_name)
                           for t in outbox.tag_catalogue(self._cache)}
