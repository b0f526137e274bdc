"""Auto-tagging simulated before anything is written, then the accepted part as one batch.

`simulate` runs the auto-tagger (`desktop.domain.autotag`) over the customer-sent messages of a
time window, with the profile's keywords and the reviews people made so far as training data,
and says per relation (a customer and the member they chatted with, since WeCom tags belong to
relations) which tags it would get, how sure, the message snippets that decided, and whether
that changes anything against the tags the relation carries now.

`submit` queues the accepted suggestions as one revertible batch through the outbox (source
`autotag`, with the same preview, pilot and undo as every batch); `accept` and `reject` keep
people's verdicts. Reviews and the tags people set are the corp's own training data
(`desktop.services.autotag_training`).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from desktop.domain.autotag import AutoTagger, LabelledMessage, Suggestion, TagKeywords
from desktop.domain.bilingual import both
from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.domain.retag_plan import EMPTY_PLAN, RetagPlan, plan_retag
from desktop.services import autotag_keywords, autotag_training
from desktop.services.autotag_packs import load_intent_packs
from desktop.services.autotag_training import CacheSource, RuleCheck, TagTraining, TrainingSet
from desktop.services.progress import (
    CancelToken,
    Progress,
    ProgressCallback,
    no_progress,
)
from desktop.services.spreadsheet_import import merge_plans
from desktop.services.tagging import TaggingError, TaggingService
from desktop.services.workspace import Workspace
from desktop.store import autotag_settings, chats, members, outbox
from desktop.store.autotag_settings import ACCEPTED, REJECTED, Review
from desktop.store.chats import StoredMessage

SOURCE = "autotag"
PHASE = "autotag"
DEFAULT_MIN_CONFIDENCE = 0.5
EVIDENCE_SHOWN = 3
SNIPPET_CHARS = 60
PROGRESS_EVERY = 500
MEMO_MAX_CHARS = 30            # short messages repeat; their suggestions are kept per run

ADD = "add"                    # the relation lacks the tag: accepting adds it
PRESENT = "present"            # the relation carries it already
NO_RELATION = "no_relation"    # the cache knows no such relation (sync, or a stale export)
UNKNOWN_TAG = "unknown_tag"    # the keyword set's name is no tag of the library


class AutoTagError(UserError):
    """A simulation that cannot run as asked; `str()` is "中文 / English"."""


@dataclass(frozen=True)
class Evidence:
    message_id: int
    ts: float
    snippet: str
    words: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {"message_id": self.message_id, "time": round(self.ts, 3),
                "snippet": self.snippet, "words": list(self.words)}


@dataclass(frozen=True)
class TagSuggestion:
    """One tag for one relation, with its evidence and what accepting it would change."""

    external_userid: str
    userid: str
    customer_name: str
    tag_name: str
    tag_id: str
    tag_label: str
    confidence: float
    source: str
    evidence: tuple[Evidence, ...]
    change: str
    relation_id: int | None = None
    member_name: str = ""            # the member's name, as the cache knows it

    @property
    def key(self) -> tuple[str, str, str]:
        return self.external_userid, self.userid, self.tag_name

    def as_json(self) -> dict[str, object]:
        return {"external_userid": self.external_userid, "userid": self.userid,
                "customer": self.customer_name, "tag": self.tag_name, "tag_id": self.tag_id,
                "tag_label": self.tag_label, "confidence": round(self.confidence, 3),
                "source": self.source, "change": self.change,
                "evidence": [e.as_json() for e in self.evidence]}


@dataclass(frozen=True)
class TagCount:
    tag: str
    label: str
    customers: int
    relations: int
    would_add: int
    already: int

    def as_json(self) -> dict[str, object]:
        return {"tag": self.tag, "label": self.label, "customers": self.customers,
                "relations": self.relations, "would_add": self.would_add,
                "already": self.already}


@dataclass
class Simulation:
    since: float | None
    until: float | None
    min_confidence: float
    tags: list[str]
    messages: int = 0
    customers: int = 0
    suggestions: list[TagSuggestion] = field(default_factory=list)
    per_tag: list[TagCount] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    training_messages: int = 0
    training: dict[str, TagTraining] = field(default_factory=dict)
    elapsed_s: float = 0.0

    @property
    def would_add(self) -> list[TagSuggestion]:
        return [s for s in self.suggestions if s.change == ADD]

    def as_json(self) -> dict[str, object]:
        ms = self.elapsed_s * 1000 / self.messages if self.messages else 0.0
        return {"since": self.since, "until": self.until, "tags": self.tags,
                "min_confidence": self.min_confidence, "messages": self.messages,
                "customers": self.customers, "suggestions_total": len(self.suggestions),
                "would_add": len(self.would_add), "training_messages": self.training_messages,
                "training": {tag: t.as_json() for tag, t in self.training.items()},
                "per_tag": [c.as_json() for c in self.per_tag], "warnings": self.warnings,
                "elapsed_s": round(self.elapsed_s, 3), "ms_per_message": round(ms, 3)}


@dataclass
class _Found:
    confidence: float = 0.0
    source: str = ""
    evidence: list[tuple[float, Evidence]] = field(default_factory=list)


class AutoTagService:
    """Simulate, review and apply auto-tagging on one open workspace."""

    def __init__(self, ws: Workspace, tagging: TaggingService | None = None) -> None:
        self._ws = ws
        self._cache = ws.cache
        self._tagging = tagging or TaggingService(ws)

    # -- simulation -----------------------------------------------------------------------

    def simulate(self, *, since: float | None = None, until: float | None = None,
                 tags: Sequence[str] = (), min_confidence: float = DEFAULT_MIN_CONFIDENCE,
                 keywords: Mapping[str, Sequence[str]] | None = None,
                 member_messages: bool = False,
                 progress: ProgressCallback = no_progress,
                 cancel: CancelToken | None = None) -> Simulation:
        """What auto-tagging would do on the window's customer-sent messages, and the
        members' too with `member_messages` (writes nothing)."""
        started = time.monotonic()
        offline: list[str] = []
        if self._ws.profile.is_team:     # keywords, chats and reviews are the team's
            from desktop.services import team_autotag

            offline = team_autotag.refresh(self._ws, progress)
        chosen = self._tag_set(keywords, tags)
        result = Simulation(since, until, min_confidence, list(chosen))
        tagger, training = autotag_training.trained_tagger(
            CacheSource(self._ws), chosen, self._resolve(chosen, []), threshold=min_confidence,
            use=autotag_training.REVIEWS if offline    # the team journal is away
            else autotag_training.BOTH)
        result.training_messages = len(training.messages)
        result.training = training.per_tag
        result.warnings = [*offline, *(str(w) for w in tagger.warnings())]
        found: dict[tuple[str, str, str], _Found] = defaultdict(_Found)
        window = chats.messages(self._cache, since=since, until=until,
                                directions=chats.DIRECTIONS if member_messages
                                else (chats.CUSTOMER_SENT,))
        memo: dict[str, list[Suggestion]] = {}     # 好的, 收到, 👍: said again and again
        for number, message in enumerate(window, start=1):
            if cancel is not None:
                cancel.raise_if_cancelled()
            said = memo.get(message.text)
            if said is None:
                said = tagger.suggest(message.text)
                if len(message.text) <= MEMO_MAX_CHARS:
                    memo[message.text] = said
            for suggestion in said:
                _take(found[(message.external_userid, message.userid, suggestion.tag)],
                      message, suggestion)
            if number % PROGRESS_EVERY == 0:
                progress(Progress(PHASE, number, len(window),
                                  f"已分析 {number:,} 条消息 / {number:,} messages read"))
        result.messages = len(window)
        result.customers = len({m.external_userid for m in window})
        kept = {key: f for key, f in found.items() if f.confidence >= min_confidence}
        result.suggestions = self._suggestions(kept, result.warnings)
        result.per_tag = _counts(result.suggestions, chosen)
        result.elapsed_s = time.monotonic() - started
        progress(Progress(PHASE, len(window), len(window), "完成 / done"))
        return result

    def _tag_set(self, keywords: Mapping[str, Sequence[str]] | None,
                 tags: Sequence[str]) -> dict[str, list[str]]:
        stored = dict(keywords) if keywords is not None else autotag_keywords.stored(self._cache)
        if not stored:
            raise AutoTagError(
                "还没有为任何标签设置关键词：用 tagdesk autotag keywords --set 标签=关键词1,关键词2"
                " 设置，或在审阅窗口中编辑。 / No tag has keywords yet: set them with `tagdesk"
                " autotag keywords --set TAG=KW1,KW2` or in the review window.")
        unknown = [t for t in tags if t not in stored]
        if unknown:
            names = [echo(t) for t in unknown]
            raise AutoTagError(f"这些标签没有关键词：{'、'.join(names)}（有关键词的标签："
                               f"{'、'.join(stored)}） / These tags have no keywords:"
                               f" {', '.join(names)} (tags with keywords: {', '.join(stored)})")
        return {name: list(words) for name, words in stored.items() if not tags or name in tags}

    def _suggestions(self, found: Mapping[tuple[str, str, str], _Found],
                     warnings: list[str]) -> list[TagSuggestion]:
        tag_ids = self._resolve({name for _, _, name in found}, warnings)
        labels = self._tagging.tag_labels()
        states = outbox.relation_states_by_key(self._cache, {(c, u) for c, u, _ in found})
        names = chats.customer_names(self._cache, {c for c, _, _ in found})
        member_names = members.member_names(self._cache)
        suggestions = []
        for (customer, userid, name), hit in found.items():
            tag_id = tag_ids.get(name, "")
            state = states.get((customer, userid))
            if not tag_id:
                change = UNKNOWN_TAG
            elif state is None:
                change = NO_RELATION
            else:
                change = PRESENT if tag_id in state.tag_ids else ADD
            evidence = tuple(e for _, e in sorted(hit.evidence, key=lambda pair: -pair[0]))
            suggestions.append(TagSuggestion(
                customer, userid, names.get(customer, ""), name, tag_id,
                labels.get(tag_id, name), hit.confidence, hit.source,
                evidence[:EVIDENCE_SHOWN], change,
                state.relation_id if state is not None else None, member_names.get(userid, "")))
        suggestions.sort(key=lambda s: (s.change != ADD, s.tag_name, -s.confidence,
                                        s.external_userid, s.userid))
        return suggestions

    def _resolve(self, names: Iterable[str], warnings: list[str]) -> dict[str, str]:
        resolved: dict[str, str] = {}
        for name in sorted(names):
            try:
                resolved[name] = self._tagging.resolve_tag_names([name])[0]
            except TaggingError as exc:
                warnings.append(f"{exc}")
        return resolved

    # -- reviews and training -------------------------------------------------------------

    def record_reviews(self, suggestions: Iterable[TagSuggestion], verdict: str) -> int:
        """Keep people's verdicts (ACCEPTED or REJECTED) as training data (the team's, on
        the team server, for a team profile)."""
        reviews = [Review(s.external_userid, s.userid, s.tag_name, verdict,
                          tuple(e.message_id for e in s.evidence), tag_id=s.tag_id)
                   for s in suggestions]
        if self._ws.profile.is_team:
            from desktop.services import team_autotag

            return team_autotag.push_reviews(self._ws, reviews)
        return autotag_settings.record_reviews(self._cache, reviews, self._ws.operator)

    def training(self, tag_set: Iterable[str], *, use: str = autotag_training.BOTH,
                 rules: RuleCheck | None = None,
                 settle_days: float = autotag_training.SETTLE_DAYS) -> TrainingSet:
        """Reviews and confirmed tags of these tags as labelled messages (a confirmed
        customer's checked against `rules`), with counts."""
        names = list(tag_set)
        resolved = self._resolve(names, [])
        return autotag_training.training_set(
            CacheSource(self._ws), {name: resolved.get(name, "") for name in names}, use=use,
            rules=rules, settle_days=settle_days)

    @staticmethod
    def rule_check(keywords: Mapping[str, Sequence[str]]) -> RuleCheck | None:
        """The rules of these keywords (with the intent packs), to check confirmed labels."""
        if not keywords:
            return None
        return RuleCheck(AutoTagger.build([TagKeywords(n, tuple(w)) for n, w in keywords.items()],
                                          (), packs=load_intent_packs()), frozenset(keywords))

    def training_messages(self, tag_set: Iterable[str] = ()) -> list[LabelledMessage]:
        """The reviewed evidence as labelled messages: a message carries the tags accepted on
        it (the latest verdict per suggestion counts); one only ever rejected carries none.
        Without a tag set, every reviewed tag."""
        names = set(tag_set) or {r.tag_name for r in autotag_settings.reviews(self._cache)}
        return autotag_training.training_set(
            CacheSource(self._ws), {name: "" for name in sorted(names)},
            use=autotag_training.REVIEWS).messages

    # -- writing --------------------------------------------------------------------------

    def plan(self, accepted: Sequence[TagSuggestion], *,
             allow_conflicts: bool = False) -> RetagPlan:
        """One `mark_tag` per relation adding its accepted tags (cache state, exclusive sets)."""
        wanted: dict[int, dict[str, None]] = {}
        for suggestion in accepted:
            if suggestion.relation_id is not None and suggestion.tag_id:
                wanted.setdefault(suggestion.relation_id, {})[suggestion.tag_id] = None
        if not wanted:
            return EMPTY_PLAN
        states = outbox.relation_states(self._cache, list(wanted))
        sets = outbox.exclusive_sets(self._cache)
        return merge_plans([plan_retag({rid: states[rid]}, tuple(add), (), None, sets,
                                       allow_conflicts)
                            for rid, add in wanted.items() if rid in states],
                           conflicts_allowed=allow_conflicts)

    def submit(self, plan: RetagPlan, accepted: Sequence[TagSuggestion], *,
               pilot_size: int = 0) -> str:
        """Queue the plan of the accepted suggestions as one batch (source `autotag`), named
        by the relations it adds each tag to; returns the batch id (run it with
        `TaggingService.run`)."""
        labels = {s.tag_id: s.tag_label for s in accepted}
        tags = Counter({labels.get(tag, tag): count for tag, count in plan.per_tag_add.items()})
        listed = [f"{label} {count}" for label, count in tags.most_common(5)]
        batch_id = self._tagging.submit(
            plan, source=SOURCE, description=both(f"自动打标：{'、'.join(listed)}",
                                                  f"auto-tagging: {', '.join(listed)}"),
            pilot_size=pilot_size)
        return batch_id

    def accept(self, suggestions: Sequence[TagSuggestion]) -> int:
        return self.record_reviews(suggestions, ACCEPTED)

    def reject(self, suggestions: Sequence[TagSuggestion]) -> int:
        return self.record_reviews(suggestions, REJECTED)


def _take(found: _Found, message: StoredMessage, suggestion: Suggestion) -> None:
    if suggestion.confidence > found.confidence:
        found.confidence, found.source = suggestion.confidence, suggestion.source
    shown = snippet(message.text, suggestion.evidence)
    if any(kept.snippet == shown for _, kept in found.evidence):
        return  # the same words sent again show once; the place goes to other evidence
    found.evidence.append((suggestion.confidence, Evidence(
        message.id, message.ts, shown, tuple(suggestion.evidence))))
    if len(found.evidence) > EVIDENCE_SHOWN:     # keep the strongest, earliest first on ties
        found.evidence.sort(key=lambda pair: -pair[0])
        del found.evidence[EVIDENCE_SHOWN:]


def snippet(text: str, words: Sequence[str]) -> str:
    """The message around the first deciding word found in it, at most SNIPPET_CHARS."""
    flat = " ".join(text.split())
    if len(flat) <= SNIPPET_CHARS:
        return flat
    at = min((flat.find(w) for w in words if w and w in flat), default=0)
    start = max(0, min(at - SNIPPET_CHARS // 3, len(flat) - SNIPPET_CHARS))
    cut = flat[start:start + SNIPPET_CHARS]
    return ("…" if start else "") + cut + ("…" if start + SNIPPET_CHARS < len(flat) else "")


def _counts(suggestions: Sequence[TagSuggestion],
            chosen: Mapping[str, Sequence[str]]) -> list[TagCount]:
    by_tag: dict[str, list[TagSuggestion]] = defaultdict(list)
    for suggestion in suggestions:
        by_tag[suggestion.tag_name].append(suggestion)
    counts = []
    for name in chosen:
        found = by_tag.get(name, [])
        counts.append(TagCount(
            name, found[0].tag_label if found else name,
            len({s.external_userid for s in found}), len(found),
            sum(1 for s in found if s.change == ADD),
            sum(1 for s in found if s.change == PRESENT)))
    return counts
