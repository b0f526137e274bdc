"""Tags and groups renamed outside TagDesk (in the WeCom admin console, by another app), as a
sync finds them: the same WeCom id under a new name.

The sync journals each such rename and respells the rules and the tags of the auto-tagging
keywords and review verdicts kept in the cache in its own write transaction, with the same
`Rename` a rename from the tree uses (`store.rename_follow`); `SyncResult.renames` returns
them so that the caller respells the saved and recent filters and the filter bar (the app's
settings file), as after a rename from the tree. A group's rename comes before its tags',
which are then named in the group's new name.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.domain.filter.rename import Rename


def renamed_json(renames: Sequence[Rename]) -> list[dict[str, str]]:
    """The renames as `tagdesk sync --json` lists them (`renamed`): kind (`tag`, `group`),
    old and new name, and the group (a tag's, named as it is now; a group's new name)."""
    return [{"kind": "group" if r.is_group else "tag", "old": r.old, "new": r.new,
             "group": r.new if r.is_group else r.group} for r in renames]
