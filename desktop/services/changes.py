"""What a write changed, so every view can decide for itself what to redraw."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.domain.filter.rename import Rename


@dataclass(frozen=True)
class ChangeSet:
    relation_ids: frozenset[int] = field(default_factory=frozenset)  # tags on these changed
    tags_changed: bool = False       # tag names, order, groups, counts
    prefs_changed: bool = False      # pins, abbreviations
    journal_appended: bool = False
    full_reload: bool = False        # a sync replaced the cache
    batch_id: str = ""
    renames: tuple[Rename, ...] = ()  # tags and groups renamed: filters naming them follow

    def merge(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(
            relation_ids=self.relation_ids | other.relation_ids,
            tags_changed=self.tags_changed or other.tags_changed,
            prefs_changed=self.prefs_changed or other.prefs_changed,
            journal_appended=self.journal_appended or other.journal_appended,
            full_reload=self.full_reload or other.full_reload,
            batch_id=other.batch_id or self.batch_id,
            renames=self.renames + other.renames,
        )
