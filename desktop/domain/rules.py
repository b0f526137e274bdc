"""Rules: conditions over a follow relation and the tag changes they ask for (pure, no I/O).

`evaluate` runs every enabled rule on every relation until nothing changes any more, so a
rule may act on what another one added. It finds, per relation:

- the tags to add and remove, which rules asked and why (the conditions that matched);
- **contradictions**: in one round one rule adds a tag another removes — the relation is
  left alone and the pair is reported;
- **loops**: the rules keep changing the relation back to a state it had (A adds X, B
  removes it because of X, …) — the relation is left alone and the rules are reported.

Tags in rules are names ("名" or "组:名"); `resolve` turns them into WeCom tag ids against the
cache's catalogue before evaluation, saying which name is unknown or ambiguous.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, lru_cache

from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.domain.events import Event
from desktop.domain.filter.suggest import fold, fold_text

WORD_FIELDS = ("remark", "description", "corp_name", "region", "text")
COMPARE_OPS = ("=", "!=", "<", "<=", ">", ">=")
MAX_ROUNDS = 12
GENDER_NAMES = {0: "未知 unknown", 1: "男 male", 2: "女 female"}

# Region words that stand for several places: {"region": "华北"} also matches 北京, 天津, …
REGION_GROUPS: Mapping[str, tuple[str, ...]] = {
    "华北": ("北京", "天津", "河北", "山西", "内蒙古", "石家庄", "太原", "呼和浩特"),
    "华东": ("上海", "江苏", "浙江", "安徽", "福建", "江西", "山东", "南京", "苏州", "杭州",
             "宁波", "合肥", "福州", "厦门", "济南", "青岛"),
    "华南": ("广东", "广西", "海南", "广州", "深圳", "东莞", "佛山", "南宁", "海口"),
    "华中": ("河南", "湖北", "湖南", "郑州", "武汉", "长沙"),
    "西南": ("重庆", "四川", "贵州", "云南", "西藏", "成都", "贵阳", "昆明"),
    "西北": ("陕西", "甘肃", "青海", "宁夏", "新疆", "西安", "兰州"),
    "东北": ("辽宁", "吉林", "黑龙江", "沈阳", "大连", "长春", "哈尔滨"),
}


class RuleError(UserError):
    """A rule that cannot be used with this corp's tags; `str()` is "中文 / English"."""


@dataclass(frozen=True)
class TagRef:
    """A tag as a rule names it: "名" or "组:名"."""

    name: str
    group: str | None = None

    @classmethod
    def parse(cls, text: str) -> TagRef:
        for colon in (":", "："):
            if colon in text:
                group, _, name = text.partition(colon)
                if group.strip() and name.strip():
                    return cls(name.strip(), group.strip())
        return cls(text.strip())

    @property
    def text(self) -> str:
        return f"{self.group}:{self.name}" if self.group else self.name


@dataclass(frozen=True)
class Words:
    """Any of `words` in a text field (`region` and `text`: in any of them)."""

    field: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class StateIs:
    states: tuple[str, ...]


@dataclass(frozen=True)
class Gender:
    value: int


@dataclass(frozen=True)
class HasTags:
    mode: str                       # all, any, none
    tags: tuple[TagRef, ...]


@dataclass(frozen=True)
class Intent:
    intents: tuple[str, ...]


@dataclass(frozen=True)
class Compare:
    """`added` (ordinal days), `days_since_added` or `tag_count` against numbers."""

    field: str
    ops: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class HasEvent:
    """`event`: the customer's events of `types` (any type when empty), within the last
    `within_days` days (any time for None), with a value meeting `value` (any for ()),
    counted and compared with `count`."""

    types: tuple[str, ...]
    within_days: float | None
    count: tuple[tuple[str, float], ...] = ((">=", 1.0),)
    value: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class DaysSinceEvent:
    """`days_since_event`: days since the customer's last event of `types` (any type when
    empty); false while there is none."""

    types: tuple[str, ...]
    ops: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class NotOf:
    item: Condition


Condition = (Words | StateIs | Gender | HasTags | Intent | Compare | HasEvent | DaysSinceEvent
             | AllOf | AnyOf | NotOf)
Test = Callable[["Subject", frozenset[str], float], bool]


@dataclass(frozen=True)
class Action:
    add: tuple[TagRef, ...]
    remove: tuple[TagRef, ...]
    replace_group: bool = False
    expires_s: int | None = None


@dataclass(frozen=True)
class Rule:
    name: str
    when: Condition
    then: Action
    enabled: bool = True
    description: str = ""

    @property
    def uses_intent(self) -> bool:
        return any(isinstance(c, Intent) for c in _walk(self.when))

    @property
    def uses_events(self) -> bool:
        return any(isinstance(c, HasEvent | DaysSinceEvent) for c in _walk(self.when))

    @property
    def event_types(self) -> frozenset[str] | None:
        """The event types this rule reads (None: every type, a condition names none)."""
        found: set[str] = set()
        for c in _walk(self.when):
            if isinstance(c, HasEvent | DaysSinceEvent):
                if not c.types:
                    return None
                found.update(c.types)
        return frozenset(found)


@dataclass(frozen=True)
class CatalogueTag:
    id: str
    name: str
    group_id: str
    group_name: str


@dataclass(frozen=True)
class Subject:
    """One follow relation as rules see it. `corp_names`: corp name, full name, remark corp
    name; `added_day`: the local day it was added (ordinal); `intents`: chat intents found."""

    relation_id: int
    external_userid: str
    userid: str
    name: str
    state: str
    remark: str
    description: str
    corp_names: tuple[str, ...]
    gender: int
    createtime: float
    added_day: int
    tag_ids: frozenset[str]
    intents: frozenset[str] = frozenset()
    events: tuple[Event, ...] = ()      # the customer's events rules read, oldest first

    @cached_property
    def searchable(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """Each text field word conditions search: (as written, folded once)."""
        def both(*texts: str) -> tuple[tuple[str, str], ...]:
            return tuple((t, fold_text(t)) for t in texts if t)

        return {"remark": both(self.remark), "description": both(self.description),
                "corp_name": both(*self.corp_names), "name": both(self.name)}

    @cached_property
    def folded(self) -> dict[str, str]:
        """Each searched field folded into one text (several corp names joined by a NUL)."""
        return {name: "\0".join(f for _, f in texts) for name, texts in self.searchable.items()}


@dataclass(frozen=True)
class ResolvedRule:
    """A rule with its tag names turned into ids; `group_of[t]`: the other tags of t's group."""

    rule: Rule
    tag_ids: Mapping[TagRef, frozenset[str]]
    add: frozenset[str]
    remove: frozenset[str]
    group_of: Mapping[str, frozenset[str]]
    labels: Mapping[str, str]
    test: Test = field(compare=False, repr=False)

    @property
    def name(self) -> str:
        return self.rule.name

    @cached_property
    def removes(self) -> frozenset[str]:
        """Every tag this rule may remove (with replace_group: the added tags' groups)."""
        remove = set(self.remove)
        if self.rule.then.replace_group:
            for tag in self.add:
                remove |= self.group_of.get(tag, frozenset())
        return frozenset(remove - self.add)

    def effect(self, tags: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
        """What this rule would add and remove on a relation carrying `tags`."""
        return self.add - tags, self.removes & tags


@dataclass(frozen=True)
class RelationOutcome:
    """What the rules change on one relation; `fired`: each rule that changed it, with the
    tags the relation had then; `reasons` (rule name → matched conditions) are written when
    first asked for, so a simulation of 100,000 changes does not build 100,000 sentences."""

    subject: Subject
    add: tuple[str, ...]
    remove: tuple[str, ...]
    fired: tuple[tuple[ResolvedRule, frozenset[str]], ...]
    expires_s: Mapping[str, int]
    now: float

    @property
    def rule_names(self) -> tuple[str, ...]:
        return tuple(rule.name for rule, _ in self.fired)

    @cached_property
    def reasons(self) -> dict[str, tuple[str, ...]]:
        return {rule.name: _check(rule.rule.when, rule, self.subject, tags, self.now) or ()
                for rule, tags in self.fired}


@dataclass(frozen=True)
class Contradiction:
    """`adding` adds the tag `tag_id` that `removing` removes, on `relations` relations."""

    adding: str
    removing: str
    tag_id: str
    relations: int
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Loop:
    """These rules keep undoing each other on `relations` relations."""

    rules: tuple[str, ...]
    relations: int
    examples: tuple[str, ...]


@dataclass
class Evaluation:
    outcomes: list[RelationOutcome] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    loops: list[Loop] = field(default_factory=list)
    possible_contradictions: list[Contradiction] = field(default_factory=list)
    matched: dict[str, int] = field(default_factory=dict)  # rule → relations it changes
    left_alone: int = 0      # held changes (reverted, `rule_reverts.py`) the rules asked for

    @property
    def api_calls(self) -> int:
        return len(self.outcomes)


def resolve(rules: Sequence[Rule], catalogue: Sequence[CatalogueTag]) -> list[ResolvedRule]:
    """Tag names → ids for each rule. A condition's name may match several tags (any of them
    counts); an action's name must be one tag, else the sentence lists the choices."""
    by_name: dict[str, list[CatalogueTag]] = defaultdict(list)
    for tag in catalogue:
        by_name[fold(tag.name)].append(tag)
    group_members: dict[str, set[str]] = defaultdict(set)
    for tag in catalogue:
        group_members[tag.group_id].add(tag.id)
    labels = {t.id: f"{t.group_name}:{t.name}" for t in catalogue}
    resolved = []
    for rule in rules:
        ids: dict[TagRef, frozenset[str]] = {}
        for ref in _tag_refs(rule):
            found = [t for t in by_name.get(fold(ref.name), [])
                     if ref.group is None or fold(t.group_name) == fold(ref.group)]
            if not found:
                raise RuleError(f"规则「{echo(rule.name)}」用到的标签「{echo(ref.text)}」不存在，"
                                f"请先创建或同步。 / Rule {echo(rule.name)!r} names the tag"
                                f" {echo(ref.text)!r}, which does not exist; create it or sync"
                                " first.")
            ids[ref] = frozenset(t.id for t in found)
        for ref in (*rule.then.add, *rule.then.remove):
            if len(ids[ref]) > 1:
                choices = sorted(labels[t] for t in ids[ref])
                raise RuleError(f"规则「{echo(rule.name)}」的标签「{echo(ref.text)}」有多个，请写成"
                                f"「组:名」：{'、'.join(choices)}。 / Rule {echo(rule.name)!r}: several"
                                f" tags are named {echo(ref.text)!r}; write group:name, one of:"
                                f" {', '.join(choices)}.")
        add = frozenset(t for ref in rule.then.add for t in ids[ref])
        groups = {t.id: frozenset(group_members[t.group_id] - {t.id}) for t in catalogue
                  if t.id in add}
        resolved.append(ResolvedRule(
            rule, ids, add, frozenset(t for ref in rule.then.remove for t in ids[ref]),
            groups, labels, _compile(rule.when, ids)))
    return resolved


def events_read(rules: Iterable[Rule]) -> tuple[bool, list[str] | None]:
    """Whether the enabled rules read events, and of which types (None: every type), so the
    events are loaded in one query, and only when needed."""
    types = [r.event_types for r in rules if r.enabled and r.uses_events]
    if not types:
        return False, []
    if any(t is None for t in types):
        return True, None
    return True, sorted(set().union(*(t for t in types if t is not None)))


def evaluate(rules: Sequence[ResolvedRule], subjects: Iterable[Subject], now: float,
             examples: int = 5,
             held: Mapping[tuple[str, str], frozenset[tuple[str, str]]] | None = None
             ) -> Evaluation:
    """Every enabled rule on every subject, to a fixed point (see the module's notes).
    `held`: per (userid, external_userid), changes (tag id, `tag_add` / `tag_remove`) no rule
    makes there, so nothing that would follow from them happens either."""
    active = [r for r in rules if r.rule.enabled]
    result = Evaluation(possible_contradictions=_opposed(active))
    clashes: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    loops: dict[tuple[str, ...], list[str]] = defaultdict(list)
    matched: Counter[str] = Counter()
    held = held or {}
    for subject in subjects:
        outcome, clash, loop, withheld = _settle(
            active, subject, now, held.get((subject.userid, subject.external_userid),
                                           frozenset()))
        result.left_alone += withheld
        who = subject.name or subject.external_userid
        for key in clash:
            clashes[key].append(who)
        if loop:
            loops[loop].append(who)
        if outcome is not None:
            result.outcomes.append(outcome)
            matched.update(outcome.rule_names)
    result.contradictions = [
        Contradiction(a, r, tag, len(who), tuple(who[:examples]))
        for (a, r, tag), who in sorted(clashes.items())]
    result.loops = [Loop(names, len(who), tuple(who[:examples]))
                    for names, who in sorted(loops.items())]
    result.matched = {r.name: matched.get(r.name, 0) for r in active}
    return result


def matches(rule: ResolvedRule, subject: Subject, now: float) -> tuple[str, ...] | None:
    """Why the rule's condition holds for the subject (one line per leaf), or None."""
    return _check(rule.rule.when, rule, subject, subject.tag_ids, now)


def describe(condition: Condition) -> str:
    """A condition as one line of text (for `rules show` and reasons under `not`)."""
    if isinstance(condition, AllOf | AnyOf):
        joiner = " 且 AND " if isinstance(condition, AllOf) else " 或 OR "
        return "(" + joiner.join(describe(c) for c in condition.items) + ")"
    if isinstance(condition, NotOf):
        return f"非 NOT {describe(condition.item)}"
    if isinstance(condition, Words):
        return f"{condition.field} ∋ {'|'.join(condition.words)}"
    if isinstance(condition, StateIs):
        return f"state = {'|'.join(condition.states)}"
    if isinstance(condition, Gender):
        return f"gender = {GENDER_NAMES[condition.value]}"
    if isinstance(condition, HasTags):
        verb = {"all": "has", "any": "has_any", "none": "has_not"}[condition.mode]
        return f"{verb} {'、'.join(t.text for t in condition.tags)}"
    if isinstance(condition, Intent):
        return f"intent {'|'.join(condition.intents)}"
    if isinstance(condition, HasEvent):
        parts = [f"event {_types_text(condition.types)}"]
        if condition.within_days is not None:
            parts.append(f"within_days {_num(condition.within_days)}")
        if condition.value:
            parts.append(f"value {_ops_text(condition.value)}")
        parts.append(f"count {_ops_text(condition.count)}")
        return " ".join(parts)
    if isinstance(condition, DaysSinceEvent):
        return f"days_since_event {_types_text(condition.types)} {_ops_text(condition.ops)}"
    shown = [f"{op} {date.fromordinal(int(v)).isoformat() if condition.field == 'added' else _num(v)}"
             for op, v in condition.ops]
    return f"{condition.field} {' , '.join(shown)}"


# -- internals ------------------------------------------------------------------------------


def _settle(rules: Sequence[ResolvedRule], subject: Subject, now: float,
            held: frozenset[tuple[str, str]] = frozenset()
            ) -> tuple[RelationOutcome | None, list[tuple[str, str, str]], tuple[str, ...], int]:
    """One relation to a fixed point: (its outcome, the clashes, the rules of a loop, how
    many held changes the rules asked for)."""
    no_add = frozenset(tag for tag, did in held if did == "tag_add")
    no_remove = frozenset(tag for tag, did in held if did == "tag_remove")
    withheld: set[tuple[str, str]] = set()
    tags = subject.tag_ids
    seen = [tags]
    fired_with: dict[str, tuple[ResolvedRule, frozenset[str]]] = {}
    expires: dict[str, int] = {}
    fired_by_round: list[set[str]] = []
    for _ in range(MAX_ROUNDS):
        matching = [rule for rule in rules if rule.test(subject, tags, now)]
        clash = sorted({(a.name, r.name, tag) for a in matching for r in matching
                        if a is not r for tag in a.add & r.removes})
        if clash:
            return None, clash, (), len(withheld)
        adds: set[str] = set()
        removes: set[str] = set()
        fired: set[str] = set()
        for rule in matching:
            add, remove = rule.effect(tags)
            if held:
                withheld.update((tag, "tag_add") for tag in add & no_add)
                withheld.update((tag, "tag_remove") for tag in remove & no_remove)
                add, remove = add - no_add, remove - no_remove
            if not add and not remove:
                continue
            fired.add(rule.name)
            fired_with.setdefault(rule.name, (rule, tags))
            adds |= add
            removes |= remove
            lasts = rule.rule.then.expires_s
            if lasts is not None:
                for tag in add:
                    expires[tag] = min(expires.get(tag, lasts), lasts)
        if not fired:
            break
        fired_by_round.append(fired)
        tags = (tags | adds) - removes
        if tags in seen:
            return (None, [], tuple(sorted(set().union(*fired_by_round[seen.index(tags):]))),
                    len(withheld))
        seen.append(tags)
    else:
        return None, [], tuple(sorted(set().union(*fired_by_round))), len(withheld)
    added = tuple(sorted(tags - subject.tag_ids))
    removed = tuple(sorted(subject.tag_ids - tags))
    if not added and not removed:
        return None, [], (), len(withheld)
    return (RelationOutcome(subject, added, removed, tuple(fired_with.values()),
                            {t: s for t, s in expires.items() if t in added}, now), [], (),
            len(withheld))


def _compile(condition: Condition, ids: Mapping[TagRef, frozenset[str]]) -> Test:
    """The condition as one function of (subject, tags, now): evaluated without building
    reasons (those are written only when an outcome's reasons are read)."""
    if isinstance(condition, AllOf | AnyOf):
        parts = tuple(_compile(item, ids) for item in condition.items)
        return _all_of(parts) if isinstance(condition, AllOf) else _any_of(parts)
    if isinstance(condition, NotOf):
        inner = _compile(condition.item, ids)
        return lambda s, tags, now: not inner(s, tags, now)
    if isinstance(condition, Words):
        names = _searched(condition.field)
        pattern = re.compile("|".join(re.escape(f) for _, f in _wanted(condition.field,
                                                                       condition.words)))
        return lambda s, tags, now: any(pattern.search(s.folded[name]) for name in names)
    if isinstance(condition, StateIs):
        states = frozenset(condition.states)
        return lambda s, tags, now: s.state in states
    if isinstance(condition, Gender):
        value = condition.value
        return lambda s, tags, now: s.gender == value
    if isinstance(condition, Intent):
        intents = frozenset(condition.intents)
        return lambda s, tags, now: not intents.isdisjoint(s.intents)
    if isinstance(condition, HasEvent):
        event_test = condition
        return lambda s, tags, now: _event_count_holds(event_test, s.events, now)
    if isinstance(condition, DaysSinceEvent):
        since_test = condition
        return lambda s, tags, now: _days_since_event(since_test, s.events, now) is not None
    if isinstance(condition, HasTags):
        sets = [ids[ref] for ref in condition.tags]
        union = frozenset().union(*sets)
        if condition.mode == "all":
            return lambda s, tags, now: all(not t.isdisjoint(tags) for t in sets)
        if condition.mode == "any":
            return lambda s, tags, now: not union.isdisjoint(tags)
        return lambda s, tags, now: union.isdisjoint(tags)
    ops = condition.ops
    read = {"added": lambda s, tags, now: float(s.added_day),
            "days_since_added": lambda s, tags, now: max(0.0, (now - s.createtime) / 86400),
            "tag_count": lambda s, tags, now: float(len(tags))}[condition.field]
    return lambda s, tags, now: all(_compare(read(s, tags, now), op, v) for op, v in ops)


# Plain loops, not all() / any() over a generator: conditions are tested millions of times in a
# simulation and the generator doubled their cost (bench_rules).
def _all_of(parts: tuple[Test, ...]) -> Test:
    def test(subject: Subject, tags: frozenset[str], now: float) -> bool:
        for part in parts:  # noqa: SIM110
            if not part(subject, tags, now):
                return False
        return True
    return test


def _any_of(parts: tuple[Test, ...]) -> Test:
    def test(subject: Subject, tags: frozenset[str], now: float) -> bool:
        for part in parts:  # noqa: SIM110
            if part(subject, tags, now):
                return True
        return False
    return test


def _check(condition: Condition, rule: ResolvedRule, subject: Subject, tags: frozenset[str],
           now: float) -> tuple[str, ...] | None:
    if isinstance(condition, AllOf):
        found: list[str] = []
        for item in condition.items:
            why = _check(item, rule, subject, tags, now)
            if why is None:
                return None
            found.extend(why)
        return tuple(found)
    if isinstance(condition, AnyOf):
        for item in condition.items:
            why = _check(item, rule, subject, tags, now)
            if why is not None:
                return why
        return None
    if isinstance(condition, NotOf):
        inner = _check(condition.item, rule, subject, tags, now)
        return None if inner is not None else (f"非 NOT {describe(condition.item)}",)
    return _leaf(condition, rule, subject, tags, now)


def _leaf(condition: Condition, rule: ResolvedRule, subject: Subject, tags: frozenset[str],
          now: float) -> tuple[str, ...] | None:
    if isinstance(condition, Words):
        return _words(condition, subject)
    if isinstance(condition, StateIs):
        return (f"state = {subject.state}",) if subject.state in condition.states else None
    if isinstance(condition, Gender):
        return (f"gender = {GENDER_NAMES[condition.value]}",) \
            if subject.gender == condition.value else None
    if isinstance(condition, Intent):
        hit = [i for i in condition.intents if i in subject.intents]
        return (f"intent {hit[0]}",) if hit else None
    if isinstance(condition, HasTags):
        present = [ref for ref in condition.tags if rule.tag_ids[ref] & tags]
        if condition.mode == "all" and len(present) == len(condition.tags):
            return (f"has {'、'.join(r.text for r in present)}",)
        if condition.mode == "any" and present:     # named by its JSON key, as the others
            return (f"has_any {present[0].text}",)
        if condition.mode == "none" and not present:
            return (f"has_not {'、'.join(r.text for r in condition.tags)}",)
        return None
    if isinstance(condition, HasEvent):
        if not _event_count_holds(condition, subject.events, now):
            return None
        found = _events_of(condition, subject.events, now)
        if not found:
            return (f"event {_types_text(condition.types)} ×0",)
        last = found[-1]
        return (f"event {echo(last.type, 40)} @ {_when(last.ts)}"
                + (f" 「{echo(last.name, 40)}」" if last.name else "")
                + (f" ×{len(found)}" if len(found) > 1 else ""),)
    if isinstance(condition, DaysSinceEvent):
        found_last = _days_since_event(condition, subject.events, now)
        if found_last is None:
            return None
        days, event = found_last
        return (f"days_since_event {echo(event.type, 40)} = {_num(round(days, 1))}"
                f" @ {_when(event.ts)}",)
    if isinstance(condition, Compare):
        value = {"added": float(subject.added_day),
                 "days_since_added": max(0.0, (now - subject.createtime) / 86400),
                 "tag_count": float(len(tags))}[condition.field]
        if all(_compare(value, op, operand) for op, operand in condition.ops):
            shown = date.fromordinal(int(value)).isoformat() if condition.field == "added" \
                else _num(value)
            return (f"{condition.field} = {shown}",)
        return None
    raise TypeError(condition)


def _events_of(condition: HasEvent, events: Sequence[Event], now: float) -> list[Event]:
    """The customer's events the condition counts (up to now, oldest first)."""
    types = condition.types
    start = -math.inf if condition.within_days is None else now - condition.within_days * 86400
    return [e for e in events
            if start <= e.ts <= now and (not types or e.type in types)
            and (not condition.value or (e.value is not None and all(
                _compare(e.value, op, v) for op, v in condition.value)))]


def _event_count_holds(condition: HasEvent, events: Sequence[Event], now: float) -> bool:
    counted = float(len(_events_of(condition, events, now))) if events else 0.0
    return all(_compare(counted, op, v) for op, v in condition.count)


def _days_since_event(condition: DaysSinceEvent, events: Sequence[Event], now: float
                      ) -> tuple[float, Event] | None:
    """(days since the last event of the condition's types, that event) when they meet its
    comparisons; None otherwise or without such an event."""
    for event in reversed(events):
        if event.ts <= now and (not condition.types or event.type in condition.types):
            days = (now - event.ts) / 86400
            if all(_compare(days, op, v) for op, v in condition.ops):
                return days, event
            return None
    return None


def _types_text(types: tuple[str, ...]) -> str:
    return "|".join(types) if types else "*"


def _ops_text(ops: tuple[tuple[str, float], ...]) -> str:
    return " , ".join(f"{op} {_num(v)}" for op, v in ops)


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def _words(condition: Words, subject: Subject) -> tuple[str, ...] | None:
    texts = subject.searchable
    wanted = _wanted(condition.field, condition.words)
    for name in _searched(condition.field):
        for text, folded in texts[name]:
            for word, folded_word in wanted:
                if folded_word in folded:
                    return (f"{name} 「{echo(text, 40)}」 ∋ {word}",)
    return None


def _searched(field: str) -> tuple[str, ...]:
    """The subject's text fields a word condition on `field` looks in."""
    if field == "region":
        return ("remark", "description", "corp_name")
    if field == "text":
        return ("remark", "description", "corp_name", "name")
    return (field,)


@lru_cache(maxsize=4096)
def _wanted(field: str, words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The words a condition looks for, folded once (region groups expanded)."""
    if field == "region":
        words = tuple(w for word in words for w in (word, *REGION_GROUPS.get(word, ())))
    return tuple((w, fold_text(w)) for w in words if w)


def _compare(value: float, op: str, operand: float) -> bool:
    return {"=": value == operand, "!=": value != operand, "<": value < operand,
            "<=": value <= operand, ">": value > operand, ">=": value >= operand}[op]


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _walk(condition: Condition) -> Iterable[Condition]:
    yield condition
    if isinstance(condition, AllOf | AnyOf):
        for item in condition.items:
            yield from _walk(item)
    elif isinstance(condition, NotOf):
        yield from _walk(condition.item)


def _tag_refs(rule: Rule) -> list[TagRef]:
    refs = [t for c in _walk(rule.when) if isinstance(c, HasTags) for t in c.tags]
    return list(dict.fromkeys([*refs, *rule.then.add, *rule.then.remove]))


def _opposed(rules: Sequence[ResolvedRule]) -> list[Contradiction]:
    """Pairs where one rule adds a tag another removes, whether or not a relation meets both
    now: shown before running so the rules can be fixed before they fight."""
    found = []
    for adding in rules:
        for removing in rules:
            if adding is removing:
                continue
            for tag in sorted(adding.add & removing.removes):
                found.append(Contradiction(adding.name, removing.name, tag, 0, ()))
    return found
