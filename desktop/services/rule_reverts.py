"""A solo profile's reverted rule changes stay reverted: as the calls of `audit revert` of a
rule run's batch are confirmed, the changes they undo are remembered for every rule of the
run that makes them (`store/rule_reverts.py`), and the profile's rule runs hold them
(`domain/rule_reverts.py`); a revert of that revert makes them again and forgets them. A team
profile's reverts are remembered by its team server."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence

from desktop.domain.rule_reverts import (
    Held,
    Remembered,
    definition_key,
    held,
    makers,
    named_rules,
    resolved_rules,
)
from desktop.domain.rules import CatalogueTag, ResolvedRule
from desktop.store import outbox, rule_reverts, rule_store
from desktop.store.db import Cache

RULE_SOURCE, REVERT_SOURCE = "rule", "revert"


def rule_keys(cache: Cache) -> dict[str, str]:
    """Every kept rule's name → its definition key now."""
    return {r.name: definition_key(json.loads(r.definition)) for r in rule_store.rules(cache)}


def held_changes(cache: Cache) -> Held:
    """The changes the profile's rules hold now."""
    return held(rule_reverts.remembered(cache), rule_keys(cache))


def forget_edited(cache: Cache) -> None:
    """After rules were kept or removed: the memories of those edited or removed go."""
    rule_reverts.forget_edited(cache, rule_keys(cache))


class RevertMemory:
    """Remembers what one revert batch's confirmed calls undo of the rule batch `reverts`."""

    def __init__(self, cache: Cache, reverts: str) -> None:
        self._cache = cache
        self._reverts = reverts
        self._loaded = False
        self._lock = threading.Lock()      # the runner's workers confirm calls in parallel
        self._rules: list[tuple[ResolvedRule, str]] = []
        self._made: dict[tuple[str, str], tuple[frozenset[str], frozenset[str]]] = {}
        self._undoes = ""      # reverting a revert: the rule batch that revert reverted

    def record(self, external_userid: str, userid: str, add: Sequence[str],
               remove: Sequence[str]) -> None:
        """A confirmed call of the revert: tags it added (the run removed them) and removed."""
        with self._lock:
            self._load()
        if self._undoes:
            rule_reverts.forget_undone(
                self._cache, self._undoes, userid, external_userid,
                [(tag, "tag_add") for tag in add] + [(tag, "tag_remove") for tag in remove])
            return
        added, removed = self._made.get((external_userid, userid), (frozenset(), frozenset()))
        keys = {rule.name: key for rule, key in self._rules}
        rules = [rule for rule, _ in self._rules]
        found = [Remembered(name, userid, external_userid, tag, did, keys[name])
                 for tags, did, made in ((remove, "tag_add", added),
                                         (add, "tag_remove", removed))
                 for tag in tags if tag in made for name in makers(rules, tag, did)]
        rule_reverts.remember(self._cache, found, self._reverts)

    def _load(self) -> None:
        """The rules the reverted run names (those its tags resolve) and what it changed."""
        if self._loaded:
            return
        self._loaded = True
        batch = outbox.get_batch(self._cache, self._reverts)
        if batch is not None and batch.source == REVERT_SOURCE:
            self._undoes = str(batch.summary.get("reverts", ""))
        if batch is None or batch.source != RULE_SOURCE:
            return
        kept = {r.name: r for r in rule_store.rules(self._cache)}
        catalogue = [CatalogueTag(t.id, t.name, t.group_id, t.group_name)
                     for t in outbox.tag_catalogue(self._cache)]
        self._rules = list(resolved_rules(
            {name: json.loads(kept[name].definition)
             for name in named_rules(batch.description, kept)}, catalogue).values())
        self._made = {(c.external_userid, c.userid): (c.after - c.before, c.before - c.after)
                      for c in outbox.batch_changes(self._cache, self._reverts)}
