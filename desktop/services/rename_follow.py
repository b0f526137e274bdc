"""What the cache names a tag or a group by name follows its rename, in the transaction that
records it (a rename from the tree, or one a sync found): the rules (`rule_rename`), and the
tags the auto-tagging keywords and review verdicts are kept for ("名" or "组:名", respelled as
a rule's are)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from desktop.domain.filter.rename import Rename
from desktop.domain.rule_rename import renamed_ref, renamed_rule
from desktop.store import autotag_settings, rule_store


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
