"""Reverted rule changes stay reverted (pure part, shared by a solo cache and the team server).

A revert of a rule run's batch is remembered per change it undid — (relation, tag, what the
rules did: `tag_add` / `tag_remove`) — once for every rule of the run that makes that change,
with that rule's definition as it was (`definition_key`). While one of those rules stays as
it was (enabling or disabling it is no edit), the change is *held* on that relation: no rule
makes it again, whichever rule asks for it, and what would only follow from it (another
rule's condition on the reverted tag) does not happen either (`rules.evaluate(held=…)`).
Once every rule that made it is edited or removed, the rules apply to it again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from desktop.domain.bilingual import both, capitalised, half
from desktop.domain.rule_format import RuleFormatError, parse_rule
from desktop.domain.rules import CatalogueTag, ResolvedRule, RuleError, resolve

LEGACY_PREFIX = "规则 rule: "          # a rule run's reason / description before `both`
RULES_ZH, RULES_EN = "规则：", "Rules: "  # now: 规则：NAME、NAME / Rules: NAME, NAME
UNDONE = {"tag_add": "tag_remove", "tag_remove": "tag_add"}

Relation = tuple[str, str]             # (userid, external_userid)
Change = tuple[str, str]               # (tag_id, what the rules did: tag_add / tag_remove)
Held = Mapping[Relation, frozenset[Change]]


@dataclass(frozen=True)
class Remembered:
    """One rule's memory of one reverted change, with its definition key at the revert."""

    rule_name: str
    userid: str
    external_userid: str
    tag_id: str
    action: str
    definition_key: str


def rule_reason(names: Sequence[str]) -> str:
    return both(f"{RULES_ZH}{'、'.join(names)}", f"{RULES_EN}{', '.join(names)}")


def _listed(reason: str) -> str | None:
    """The names part of a rule run's reason, in either stored form; None for another reason."""
    if reason.startswith(LEGACY_PREFIX):
        return reason.removeprefix(LEGACY_PREFIX)
    english = half(reason, english=True)
    if reason.startswith(RULES_ZH) and capitalised(english).startswith(RULES_EN):
        return english[len(RULES_EN):]       # "rules: …" in rows stored before the capital
    return None


def definition_key(definition: Mapping[str, object]) -> str:
    """The rule as written, but for `enabled`: a new key means the rule was edited."""
    kept = {key: value for key, value in definition.items() if key != "enabled"}
    return hashlib.sha256(json.dumps(kept, sort_keys=True, ensure_ascii=False)
                          .encode()).hexdigest()[:32]


def named_rules(reason: str, known: Iterable[str]) -> list[str]:
    """The rules a run's reason names (names may hold ", ": matched against the known)."""
    listed = _listed(reason)
    if listed is None:
        return []
    return [name for name in known
            if listed == name or listed.startswith(name + ", ") or listed.endswith(", " + name)
            or f", {name}, " in listed]


def resolved_rules(definitions: Mapping[str, Mapping[str, object]],
                   catalogue: Sequence[CatalogueTag]) -> dict[str, tuple[ResolvedRule, str]]:
    """Each rule (name → definition as kept) whose tags the catalogue resolves, with its
    definition key; a rule that does not resolve makes no change to remember."""
    found = {}
    for name, definition in definitions.items():
        try:
            rule = resolve([parse_rule(dict(definition), name)], catalogue)[0]
        except (RuleFormatError, RuleError):
            continue
        found[name] = (rule, definition_key(definition))
    return found


def makers(rules: Iterable[ResolvedRule], tag_id: str, did: str) -> list[str]:
    """The rules whose action makes this change (adds the tag, or removes it)."""
    return [r.name for r in rules if tag_id in (r.add if did == "tag_add" else r.removes)]


def held(remembered: Iterable[Remembered], keys: Mapping[str, str]) -> dict[Relation,
                                                                            frozenset[Change]]:
    """The changes held per relation: those a rule still as it was (name → definition key
    now) remembers."""
    found: dict[Relation, set[Change]] = {}
    for r in remembered:
        if keys.get(r.rule_name) == r.definition_key:
            found.setdefault((r.userid, r.external_userid), set()).add((r.tag_id, r.action))
    return {relation: frozenset(changes) for relation, changes in found.items()}


def counts(remembered: Iterable[Remembered], keys: Mapping[str, str]) -> dict[str, int]:
    """Rule name → relations whose reverted change it remembers (for its definition now)."""
    found: dict[str, set[Relation]] = {}
    for r in remembered:
        if keys.get(r.rule_name) == r.definition_key:
            found.setdefault(r.rule_name, set()).add((r.userid, r.external_userid))
    return {name: len(relations) for name, relations in found.items()}
