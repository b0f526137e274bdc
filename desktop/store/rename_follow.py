"""What the cache names a tag or a group by name follows its rename, in the transaction that
records it (a rename from the tree, or one a sync or the refresh at start found): the rules
(`rule_rename`), and the tags the auto-tagging keywords and review verdicts are kept for
("名" or "组:名", respelled as a rule's are)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence

from desktop.domain.filter.rename import Rename, group_rename, tag_rename
from desktop.domain.rule_rename import renamed_ref, renamed_rule
from desktop.store import autotag_settings, rule_store
from desktop.store.tree_changes import TreeItem


def follow_renames(conn: sqlite3.Connection, renames: Sequence[Rename]) -> None:
    """Respell the rules and the keywords' and verdicts' tag names, each rename in turn."""

    def rule(definition: dict[str, object]) -> dict[str, object]:
        for rename in renames:
            definition = renamed_rule(definition, rename)
        return definition

    def tag(name: str) -> str:
        for rename in renames:
            name = renamed_ref(name, rename)
        return name

    rule_store.respell(conn, rule)
    autotag_settings.respell_keywords(conn, tag)
    autotag_settings.respell_reviews(conn, tag)


def renames(before: Mapping[str, TreeItem], after: Mapping[str, TreeItem]) -> tuple[Rename, ...]:
    """The items of `after` (the tag tree by WeCom id) named otherwise in `before`: the
    groups' renames, then the tags' (named in their group's new name)."""
    renamed = sorted(item_id for item_id in before.keys() & after.keys()
                     if before[item_id][1] != after[item_id][1])
    groups = [group_rename(before[i][1], after[i][1]) for i in renamed if after[i][0] == "group"]
    tags = [tag_rename(before[i][1], after[i][1], after[i][3], [
        (item[1], item[3]) for other, item in after.items() if item[0] == "tag" and other != i])
        for i in renamed if after[i][0] == "tag"]
    return (*groups, *tags)
