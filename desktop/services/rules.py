"""Rules as a use case: keep them per profile, simulate them on the cache, run them as one
batch (source `rule`, the rules' names in its description) through the outbox.

Evaluation is pure (`domain/rules.py`); this reads the rules and the relations from the
cache, finds chat intents when a rule asks for them, and turns the outcome into one retag
plan. Tags a rule adds with an expiry are recorded for `ExpiryService.run`.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.domain.events import Event
from desktop.domain.retag_plan import EMPTY_PLAN, RetagPlan, merge_plans
from desktop.domain.rule_format import parse_rule, read_rules_text
from desktop.domain.rule_reverts import counts, rule_reason
from desktop.domain.rules import (
    CatalogueTag,
    Evaluation,
    ResolvedRule,
    Rule,
    evaluate,
    events_read,
    resolve,
)
from desktop.services import rule_reverts, team_events, team_rules
from desktop.services.tagging import TaggingService
from desktop.services.workspace import Workspace
from desktop.store import events as event_store
from desktop.store import members, outbox, rule_store, tag_expiry
from desktop.store import rule_reverts as revert_store
from desktop.store.tag_expiry import Expiry

SOURCE = "rule"
MAX_FILE_BYTES = 2_000_000


class RulesError(UserError):
    """A rules request that cannot be carried out; `str()` is "中文 / English"."""


@dataclass(frozen=True)
class KeptRule:
    """A rule as kept; on a team profile `owner` and `department` are the team server's and
    `editable` whether this user may change it (a solo profile's rules are all editable)."""

    rule: Rule
    definition: dict[str, object]
    created_at: float
    created_by: str
    owner: str = ""
    department: str = ""
    editable: bool = True
    visibility: str = ""        # a team rule's: department or team
    reverted_left_alone: int = 0  # relations whose reverted change it holds (rule_reverts)


@dataclass(frozen=True)
class Simulation:
    evaluation: Evaluation
    rules: list[ResolvedRule]
    relations: int
    elapsed_s: float
    warnings: tuple[str, ...] = ()
    owners: Mapping[str, str] = field(default_factory=dict)   # userid → member name

    @property
    def labels(self) -> dict[str, str]:
        return dict(self.rules[0].labels) if self.rules else {}


class RulesService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.tagging = TaggingService(ws)

    # -- keeping rules ---------------------------------------------------------------------

    def read_file(self, path: Path) -> list[tuple[dict[str, object], Rule]]:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise RulesError(f"规则文件太大（超过 {MAX_FILE_BYTES:,} 字节）。 / The rule file"
                                 f" is too large (over {MAX_FILE_BYTES:,} bytes).")
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise RulesError(f"读不了规则文件 {echo(str(path))}：{exc}。 / Cannot read the rule"
                             f" file {echo(str(path))}: {exc}.") from None
        return read_rules_text(text, path.name)

    def add(self, found: Sequence[tuple[dict[str, object], Rule]], *,
            department: str | None = None, visibility: str | None = None) -> list[bool]:
        """Keep these rules (a rule of the same name is replaced); True for each new one.
        Their tags must exist: an unknown or ambiguous name is refused before anything is
        kept. On a team profile they go to the team server, all or none (`department`,
        `visibility`: where they belong there)."""
        resolve([rule for _, rule in found], self._catalogue())
        if self.ws.profile.is_team:
            return team_rules.put_all(self.ws.profile, [d for d, _ in found], department,
                                      visibility)
        new = [rule_store.save(self.ws.cache, rule.name, definition, self.ws.operator)
               for definition, rule in found]
        rule_reverts.forget_edited(self.ws.cache)
        return new

    def kept(self) -> list[KeptRule]:
        if self.ws.profile.is_team:
            return [KeptRule(parse_rule(r.definition, str(r.definition.get("name"))),
                             r.definition, r.set_at, r.set_by, r.owner, r.department,
                             r.editable, r.visibility, r.reverted_left_alone)
                    for r in team_rules.listing(self.ws.profile).rules]
        left_alone = counts(revert_store.remembered(self.ws.cache),
                            rule_reverts.rule_keys(self.ws.cache))
        return [KeptRule(parse_rule(json.loads(r.definition), r.name), json.loads(r.definition),
                         r.created_at, r.created_by, r.created_by,
                         reverted_left_alone=left_alone.get(r.name, 0))
                for r in rule_store.rules(self.ws.cache)]

    def server_last_run(self) -> dict[str, Any] | None:
        """A team profile's last scheduled run of the team rules on the server (counts, the
        rules skipped and why), None before the first."""
        return team_rules.listing(self.ws.profile).last_run

    def get(self, name: str) -> KeptRule:
        for kept in self.kept():
            if kept.rule.name == name:
                return kept
        names = [k.rule.name for k in self.kept()]
        raise RulesError(f"没有名为「{echo(name)}」的规则（已有：{'、'.join(names) or '无'}）。"
                         f" / No rule named {echo(name)!r} (kept: {', '.join(names) or 'none'}).")

    def save(self, definition: dict[str, object], replacing: str | None = None, *,
             department: str | None = None, visibility: str | None = None) -> Rule:
        """Keep one rule from the editor: a new one (`replacing` None) must have a new name;
        an edited one replaces `replacing` in its place, under its new name if renamed. On a
        team profile `department` / `visibility` say where it belongs (None: as it was)."""
        rule = parse_rule(definition)
        resolve([rule], self._catalogue())
        taken = {k.rule.name for k in self.kept()}
        if replacing is not None and replacing not in taken:
            self.get(replacing)
        if rule.name in taken and rule.name != replacing:
            raise RulesError(f"已有名为「{echo(rule.name)}」的规则，请换一个名字。 / A rule named"
                             f" {echo(rule.name)!r} exists already; choose another name.")
        if self.ws.profile.is_team:
            team_rules.put(self.ws.profile, definition, replacing=replacing,
                           department=department, visibility=visibility)
        else:
            rule_store.save(self.ws.cache, rule.name, definition, self.ws.operator,
                            replacing=replacing)
            rule_reverts.forget_edited(self.ws.cache)
        return rule

    def departments(self) -> list[str]:
        """The names of the corp's departments, for filing a team rule."""
        return sorted(set(members.department_names(self.ws.cache).values()))

    def remove(self, name: str) -> None:
        self.get(name)
        if self.ws.profile.is_team:
            team_rules.remove(self.ws.profile, name)
        else:
            rule_store.remove(self.ws.cache, name)
            rule_reverts.forget_edited(self.ws.cache)

    def set_enabled(self, name: str, enabled: bool) -> None:
        kept = self.get(name)
        if self.ws.profile.is_team:
            team_rules.set_enabled(self.ws.profile, name, enabled)
        else:
            rule_store.set_enabled(self.ws.cache, name, kept.definition, enabled)

    # -- simulating and running --------------------------------------------------------------

    def simulate(self, names: Sequence[str] = ()) -> Simulation:
        """What the enabled rules (or these, enabled or not) would change, and why."""
        started = time.monotonic()
        chosen = [replace(self.get(n).rule, enabled=True) for n in names] if names \
            else [k.rule for k in self.kept()]
        return self.simulate_rules(chosen, started)

    def simulate_rules(self, chosen: Sequence[Rule], started: float | None = None
                       ) -> Simulation:
        """What these rules would change (a rule being edited, before it is kept)."""
        started = time.monotonic() if started is None else started
        resolved = resolve(chosen, self._catalogue())
        warnings: list[str] = []
        intents = self._intents(warnings) if any(r.uses_intent for r in chosen if r.enabled) \
            else None
        subjects = rule_store.subjects(self.ws.cache, intents=intents,
                                       events=self._events(chosen))
        held = None if self.ws.profile.is_team else rule_reverts.held_changes(self.ws.cache)
        evaluation = evaluate(resolved, subjects, time.time(), held=held)
        return Simulation(evaluation, resolved, len(subjects), time.monotonic() - started,
                          tuple(warnings), members.member_names(self.ws.cache))

    def plan(self, simulation: Simulation, *, allow_conflicts: bool = False) -> RetagPlan:
        """One plan for every relation the rules change (relations with the same change are
        planned together; exclusive sets apply as in any batch)."""
        groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]] = defaultdict(list)
        for outcome in simulation.evaluation.outcomes:
            groups[(outcome.add, outcome.remove)].append(outcome.subject.relation_id)
        plan = EMPTY_PLAN
        for (add, remove), relation_ids in groups.items():
            part = self.tagging.plan(relation_ids, add, remove, allow_conflicts=allow_conflicts)
            plan = merge_plans(plan, part)
        return plan

    def submit(self, simulation: Simulation, plan: RetagPlan, *, pilot_size: int = 0) -> str:
        """Queue the plan as one batch and record the expiries of the tags it adds."""
        names = sorted({name for o in simulation.evaluation.outcomes for name in o.rule_names})
        batch_id = self.tagging.submit(
            plan, source=SOURCE, pilot_size=pilot_size,
            description=rule_reason(names))
        planned = {(c.external_userid, c.userid): set(c.add) for c in plan.changes}
        now = time.time()
        expiring = [
            Expiry(o.subject.external_userid, o.subject.userid, tag, now + seconds,
                   f"{SOURCE}:{batch_id}")
            for o in simulation.evaluation.outcomes for tag, seconds in o.expires_s.items()
            if tag in planned.get((o.subject.external_userid, o.subject.userid), set())]
        if expiring:
            tag_expiry.set_expiries(self.ws.cache, expiring, self.ws.operator)
        return batch_id

    # -- internals -------------------------------------------------------------------------

    def _catalogue(self) -> list[CatalogueTag]:
        return [CatalogueTag(t.id, t.name, t.group_id, t.group_name)
                for t in outbox.tag_catalogue(self.ws.cache)]

    def _events(self, rules: Sequence[Rule]) -> dict[str, tuple[Event, ...]] | None:
        """Each customer's events of the types the enabled rules read, in one query (None
        when no rule reads events); a team profile first fetches what is new on the server."""
        reading, types = events_read(rules)
        if not reading:
            return None
        if self.ws.profile.is_team:
            team_events.fetch(self.ws)
        return event_store.by_customer(self.ws.cache, types)

    def _intents(self, warnings: list[str]) -> dict[tuple[str, str], frozenset[str]]:
        """Chat intents per relation, as the auto-tagging engine finds them in imported chats
        (none, with a warning, while no tag has keywords)."""
        from desktop.services.autotag_simulation import AutoTagError, AutoTagService

        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        try:
            suggestions = AutoTagService(self.ws, self.tagging).simulate().suggestions
        except AutoTagError as exc:
            warnings.append(f"「intent」条件不匹配任何客户：{exc.message_zh} / Conditions on"
                            f" `intent` match no one: {exc.message_en}")
            return {}
        for suggestion in suggestions:
            found[(suggestion.external_userid, suggestion.userid)].add(suggestion.tag_name)
        return {key: frozenset(names) for key, names in found.items()}

