"""The auto-tagger: a user's tags with their keywords, the intent packs linked to them, and
(when confirmed tags are given) a learner, combined into suggestions with confidence and
evidence."""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.domain.autotag.base import base_evidence, base_judgement, text_doubts
from desktop.domain.autotag.learner import (
    DEFAULT_THRESHOLD,
    GRAM_PREFIX,
    NEGATED_PREFIX,
    NEGATED_WORD_PREFIX,
    PAIR_JOINT,
    PAIR_PREFIX,
    PHRASE_PREFIX,
    WORD_PREFIX,
    Example,
    Learner,
    features,
)
from desktop.domain.autotag.linking import ContestedPack, PackLink, borrowed_phrases, link_packs
from desktop.domain.autotag.matcher import EXACT, Hit, Phrase, PhraseIndex
from desktop.domain.autotag.model import (
    BASE,
    BOTH,
    LEARNER,
    RULES,
    RULES_AND_BASE,
    IntentPack,
    KeywordWarning,
    LabelledMessage,
    Suggestion,
    TagKeywords,
)
from desktop.domain.autotag.normalise import NormalText, normal_text, normalise
from desktop.domain.autotag.patterns import GAP, GAP_CHARS, split_gap
from desktop.domain.autotag.scope import clause_start, negation_cue, question_forms, supposition
from desktop.domain.echo import echo
from desktop.domain.errors import UserError

KEYWORD_STRENGTH = 0.9
PACK_STRENGTH = 0.8
QUESTION_STRENGTH = 0.6     # a question cue, when the message is about nothing else
# Suggestions below this confidence are not shown at all.
SUGGESTION_FLOOR = 0.2
MIN_KEYWORDS = 3
# Longest text looked at: the start of a 100 KB paste says what it is about.
MAX_CHARS = 4000


class UnknownTrainingTag(UserError):
    """Confirmed tags in the training data name a tag that is not in the tag set."""


@dataclass(frozen=True)
class RuleFinding:
    """What the rules say about one tag in one message."""

    tag: str
    confidence: float
    evidence: tuple[str, ...]
    # Found by question cues alone (a lone 吗, ？ or 是不是, no phrase of the tag's own).
    cue_only: bool = False


def _distinct(texts: Sequence[str]) -> tuple[str, ...]:
    """The texts in order, without repeats and without those inside another (多少 in 多少钱)."""
    unique = list(dict.fromkeys(texts))
    return tuple(t for t in unique if not any(t != other and t in other for other in unique))


def _clause(text: NormalText, at: int) -> str:
    """The clause that holds position `at`, with the mark that ends it (the ? of a question)."""
    marks = text.sorted_clauses
    end = next((mark + 1 for mark in marks if mark >= at), len(text.text))
    return text.text[clause_start(marks, at):end]


def _negated_original(normal: NormalText, word: str) -> str:
    """A negated word as written, with the negation before it (不做, not 做)."""
    at = normal.text.find(word)
    if at == -1:
        return word
    cue = negation_cue(normal, at, word.isascii())
    start = normal.text.rfind(cue, 0, at) if cue else at
    return normal.original(start if start != -1 else at, at + len(word))


def _gapped(phrase: str, tag: str, requires: str = "") -> Phrase:
    first, second = split_gap(phrase)
    return Phrase(normal_text(first), tag, PACK_STRENGTH, second=normal_text(second),
                  requires=requires)


def _normal_gapped(phrase: str) -> str:
    first, second = split_gap(phrase)
    return f"{normal_text(first)}{GAP}{normal_text(second)}" if second else normal_text(first)


def _alongside(pack: IntentPack, tag: str, owners: dict[str, str]) -> list[Phrase]:
    """The pack's phrases that count for `tag` only beside another pack's tag (the tag that
    pack's phrases credit; none when no tag owns it)."""
    return [_gapped(phrase, tag, owners[partner])
            for partner, phrases in pack.alongside if partner in owners
            for phrase in phrases]


def _gapped_original(normal: NormalText, phrase: str) -> str:
    """A gapped phrase as the customer wrote it, the words between its parts included."""
    first, second = split_gap(phrase)
    at = normal.text.find(first)
    end = normal.text.find(second, at + len(first)) if at != -1 else -1
    return normal.original(at, end + len(second)) if end != -1 else phrase


def _first_end(text: NormalText, phrase: str) -> int | None:
    """Where a phrase's first occurrence in the text ends (a gapped one: its second part
    later in the same clause, at most GAP_CHARS characters after its first), or None."""
    first, second = split_gap(phrase)
    body = text.text
    at = body.find(first)
    while at != -1:
        after = at + len(first)
        if not second:
            return after
        clause_end = next((mark for mark in text.sorted_clauses if mark >= after), len(body))
        found = body.find(second, after, min(clause_end, after + GAP_CHARS + len(second)))
        if found != -1:
            return found + len(second)
        at = body.find(first, at + 1)
    return None


def _combined(strengths: Sequence[float]) -> float:
    remaining = 1.0
    for strength in strengths:
        remaining *= 1.0 - strength
    return 1.0 - remaining


class AutoTagger:
    """Build once per tag set with `AutoTagger.build`, then `suggest` per message."""

    def __init__(
        self, tags: Sequence[TagKeywords], links: dict[str, PackLink], index: PhraseIndex,
        learner: Learner | None, threshold: float,
        contested: Sequence[ContestedPack] = (), tuned: bool = False,
        asking: dict[str, tuple[frozenset[str], tuple[str, ...]]] | None = None,
        yields: dict[str, frozenset[str]] | None = None,
        owned: dict[str, tuple[str, ...]] | None = None,
        supposed: frozenset[str] = frozenset(),
        settled: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.tags = tuple(tags)
        self.links = links
        self.contested = tuple(contested)
        self.threshold = threshold
        self._tuned = tuned
        # Tags whose phrases count only in a clause that asks: their phrases that ask without
        # a question mark (介绍一下), and what makes a clause ask (吗, 多少, ?, 请问).
        self._asking = dict(asking or {})
        # Tags that step aside when the rules give one of the others to the same message.
        self._yields = dict(yields or {})
        # Tags whose question cues alone ask nothing beside these words (买的, 能退).
        self._owned = dict(owned or {})
        # Tags whose phrases after a supposition the message asks about do not count.
        self._supposed = supposed
        # Tags whose phrases a later phrase says turned out fine (不过东西没坏).
        self._settled = dict(settled or {})
        self._index = index
        self._learner = learner
        self._base: Learner | None = None
        # The tags the base model judges: tag → the pack whose phrases credit it.
        self._pack_of: dict[str, str] = {}

    @classmethod
    def build(
        cls, tags: Sequence[TagKeywords], training: Sequence[LabelledMessage] = (),
        packs: Sequence[IntentPack] = (), threshold: float | None = None,
        base: Learner | None = None,
    ) -> AutoTagger:
        """The tagger for `tags`. `packs`: the bundled intent packs (desktop.services.
        autotag_packs.load_intent_packs()); `training`: messages with confirmed tags for the
        learner (none: rules only); `threshold`: the confidence from which a suggestion may
        be written without a person (`labels`), for every tag; None: each tag learnt with
        enough confirmed customers gets the threshold that kept 90% of its out-of-fold
        suggestions right in training (`threshold_for`), the others DEFAULT_THRESHOLD. Which tag a pack's phrases credit: see
        `desktop.domain.autotag.linking`. `base`: the bundled base model
        (desktop.services.autotag_base.load_base_model()); it judges every tag whose pack
        credits it, trained or not (`desktop.domain.autotag.base`)."""
        plan = link_packs(tags, packs)
        by_name = {pack.name: pack for pack in packs}
        phrases: list[Phrase] = []
        traps: dict[str, tuple[str, ...]] = {}
        asking: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
        owners = {link.pack: link.tag for link in plan.links.values() if link.owner}
        yields: dict[str, frozenset[str]] = {}
        owned: dict[str, tuple[str, ...]] = {}
        supposed: set[str] = set()
        settled: dict[str, tuple[str, ...]] = {}
        for tag in tags:
            phrases.extend(Phrase(normal_text(k), tag.name, KEYWORD_STRENGTH) for k in tag.keywords)
            link = plan.links.get(tag.name)
            if link is None:
                continue
            pack = by_name[link.pack]
            phrases.extend(Phrase(normal_text(p), tag.name, PACK_STRENGTH)
                           for p in borrowed_phrases(link, tag.keywords, pack))
            if link.owner and link.by_name:
                phrases.extend(Phrase(normal_text(q), tag.name, QUESTION_STRENGTH, fallback=True)
                               for q in pack.questions)
                phrases.extend(_gapped(g, tag.name) for g in pack.gapped)
                phrases.extend(_alongside(pack, tag.name, owners))
                if pack.supposed:
                    supposed.add(tag.name)
                if pack.settled:
                    settled[tag.name] = tuple(_normal_gapped(word) for word in pack.settled)
                if pack.owned:
                    owned[tag.name] = tuple(normal_text(word) for word in pack.owned)
                stronger = frozenset(owners[name] for name in pack.yields_to if name in owners)
                if stronger:
                    yields[tag.name] = stronger
                if pack.questions and pack.requests:
                    asking[tag.name] = (frozenset(normal_text(r) for r in pack.requests),
                                        tuple(normal_text(q)
                                              for q in (*pack.questions, *pack.requests)))
            keywords = {normal_text(k) for k in tag.keywords}
            traps[tag.name] = tuple(t for t in pack.traps if normal_text(t) not in keywords)
        rules = cls(tags, plan.links, PhraseIndex(phrases, traps), None,
                    DEFAULT_THRESHOLD if threshold is None else threshold, plan.contested,
                    tuned=threshold is None, asking=asking, yields=yields, owned=owned,
                    supposed=frozenset(supposed), settled=settled)
        return rules.trained(training, base) if training or base is not None else rules

    def trained(self, training: Sequence[LabelledMessage], base: Learner | None = None
                ) -> AutoTagger:
        """This tagger's rules (its tags, packs and threshold) with a learner trained on
        `training` and the base model, as `build` gives them, without building the rules
        again (a simulation builds the rules first, to check the confirmed tags it trains on)."""
        tagger = copy.copy(self)
        tagger._base, tagger._learner = base, None
        tagger._pack_of = {name: link.pack for name, link in self.links.items()
                           if base is not None and link.owner and link.pack in base.tags}
        if training or tagger._pack_of:
            tagger._learner = tagger._train(training)
        return tagger

    def _train(self, training: Sequence[LabelledMessage]) -> Learner:
        names = [tag.name for tag in self.tags]
        known = set(names)
        unknown = sorted({label for message in training for label in message.labels} - known)
        if unknown:
            shown = "、".join(echo(label, 40) for label in unknown[:5])
            if len(unknown) > 5:
                shown += f" …（{len(unknown)}）"
            raise UnknownTrainingTag(
                f"训练数据里有关键词文件中没有的标签：{shown}；请在关键词文件中加上这些标签，或从训练数据中去掉。",
                f"The training data has tags the keywords file does not: {shown}; add them"
                " to the keywords file or remove them from the training data.")
        based = {tag: self._base.thresholds.get(pack, DEFAULT_THRESHOLD)
                 for tag, pack in self._pack_of.items()} if self._base is not None else {}
        return Learner.train(names, self.examples(training), based)

    def examples(self, training: Sequence[LabelledMessage]) -> list[Example]:
        """The messages as the learner sees them: features, the rules' findings, the
        confirmed tags and the base model's log-odds."""
        examples = []
        for message in training:
            text = self._normal(message.text)
            hits = self._index.find(text)
            rules = {f.tag: f.confidence for f in self._rule_findings(text, hits)}
            names = features(text, hits, self._index.segmenter.cut)
            base, _ = self._base_judgement(names, rules)
            examples.append(Example(names, rules, frozenset(message.labels), message.customer,
                                    base))
        return examples

    @property
    def pack_of(self) -> dict[str, str]:
        """Each tag whose pack's phrases credit it, and that pack."""
        return {name: link.pack for name, link in self.links.items() if link.owner}

    def _base_evidence(self, names: Sequence[str], tag: str) -> tuple[str, ...]:
        if self._base is None:
            return ()
        return base_evidence(self._base, names, tag, self._pack_of)

    def _base_judgement(self, names: Sequence[str], rules: dict[str, float]
                        ) -> tuple[dict[str, float], bool]:
        if self._base is None or not self._pack_of:
            return {}, False
        return base_judgement(self._base, names, rules, self._pack_of)

    def _doubted(self, names: Sequence[str], findings: dict[str, RuleFinding]) -> set[str]:
        """The tags the rules found by question cues alone whose words alone the base model
        doubts (`text_doubts`): 吗 in 这都第几次坏了吗 asks nothing about a product."""
        cued = [tag for tag, finding in findings.items()
                if finding.cue_only and tag in self._pack_of]
        if self._base is None or not cued:
            return set()
        return text_doubts(self._base, names, cued, self._pack_of)

    @property
    def learnt_tags(self) -> tuple[str, ...]:
        """The tags the learner decides: those trained on confirmed tags and those the base
        model judges (none without either)."""
        return self._learner.tags if self._learner is not None else ()

    @staticmethod
    def _normal(text: str) -> NormalText:
        return normalise(text[:MAX_CHARS])

    def hits(self, text: str) -> list[Hit]:
        """Every phrase found in the message, negated and reported ones included."""
        return self._index.find(self._normal(text))

    def rules(self, text: str) -> list[RuleFinding]:
        """What the rules alone say: the tags with own, un-negated phrases in the message."""
        normal = self._normal(text)
        return self._rule_findings(normal, self._index.find(normal))

    def _asked(self, text: NormalText, hits: list[Hit], forms: Sequence[tuple[int, int]]
               ) -> list[Hit]:
        """The hits without those of a question tag (产品咨询) that sit in a clause asking
        nothing (价格太贵了), unless they ask by themselves (介绍一下). A clause asks with a
        cue (吗, 多少, 请问) or by its form (`forms`: 挤不挤, 复杂不)."""
        for tag, (requests, cues) in self._asking.items():
            hits = [hit for hit in hits if hit.tag != tag or hit.fallback or hit.phrase in requests
                    or any(cue in _clause(text, hit.start) for cue in cues)
                    or any(_clause(text, hit.start) == _clause(text, start) for start, _ in forms)]
        return hits

    def _not_yielding(self, found: set[str]) -> set[str]:
        """The tags found, without those that step aside for another found tag that stays
        (a tag that yields to one which itself steps aside stays)."""
        kept = set(found)
        for _ in range(len(found)):
            now = {tag for tag in found if not self._yields.get(tag, frozenset()) & kept}
            if now == kept:
                break
            kept = now
        return kept

    def _question_hits(self, text: NormalText, forms: Sequence[tuple[int, int]]) -> list[Hit]:
        """A question asked by its form alone counts for each question tag as its cues do,
        unless one of the tag's traps holds it (我是不是: the customer asks about themself)."""
        if not forms:
            return []
        spans = self._index.trapped(text)      # one scan for every question tag's traps
        hits: list[Hit] = []
        for tag in self._asking:
            trapped = spans.get(tag, [])
            hits.extend(Hit(tag=tag, phrase=text.text[start:end],
                            matched=text.original(start, end), start=start, end=end,
                            strength=QUESTION_STRENGTH, kind=EXACT, negation=None,
                            reported=False, fallback=True)
                        for start, end in forms
                        if not any(b < end and start < e for b, e in trapped))
        return hits

    def _owns(self, text: NormalText, tag: str, before: int | None = None) -> bool:
        """The customer writes of something they already have or ordered (before `before`,
        when given): a question cue alone asks nothing for `tag` then."""
        body = text.text if before is None else text.text[:before]
        return any(word in body for word in self._owned.get(tag, ()))

    def _unsettled(self, text: NormalText, hits: list[Hit]) -> list[Hit]:
        """The hits without those that a phrase at or after them says turned out fine (破了
        in 包装破了，不过东西没坏; 报销 in 发票我已经报销完了)."""
        for tag, phrases in self._settled.items():
            end = max((found for found in (_first_end(text, phrase) for phrase in phrases)
                       if found is not None), default=None)
            if end is not None:
                hits = [hit for hit in hits if hit.tag != tag or hit.start >= end]
        return hits

    def _supposed_at(self, text: NormalText, forms: Sequence[tuple[int, int]]
                     ) -> tuple[int, int] | None:
        """The cue of a supposition the message asks about (要是 in 要是不合适能退吗): None
        when it has none, asks nothing after it, or names before it what the customer
        already has or ordered (我买的要是修不好能退吗 is about their purchase)."""
        cue = supposition(text) if self._supposed else None
        if cue is None:
            return None
        at = cue[0]
        after = text.text[at:]
        asks = (any(start > at for start, _ in forms)
                or any(word in after for _, cues in self._asking.values() for word in cues))
        if not asks or any(self._owns(text, tag, at) for tag in self._owned):
            return None
        return cue

    def _imagined(self, text: NormalText, hits: list[Hit], forms: Sequence[tuple[int, int]]
                  ) -> tuple[list[Hit], int | None]:
        """The hits without those of a `supposed` tag in the case a supposition imagines;
        when it held any, the message asks about the rules for that case, a question for each
        question tag. Also where the supposition begins (None: none that asks)."""
        cue = self._supposed_at(text, forms)
        if cue is None:
            return hits, None
        start, end = cue
        kept = [hit for hit in hits if hit.tag not in self._supposed or hit.start < start]
        if len(kept) < len(hits):
            kept.extend(Hit(tag=tag, phrase=text.text[start:end],
                            matched=text.original(start, end), start=start, end=end,
                            strength=QUESTION_STRENGTH, kind=EXACT, negation=None,
                            reported=False, fallback=True)
                        for tag in self._asking)
        return kept, start

    def _rule_findings(self, text: NormalText, hits: Sequence[Hit]) -> list[RuleFinding]:
        by_tag: dict[str, list[Hit]] = defaultdict(list)
        forms = question_forms(text) if self._asking else []
        counting = self._asked(
            text, [hit for hit in (*hits, *self._question_hits(text, forms)) if hit.counts], forms)
        counting, supposed = self._imagined(text, self._unsettled(text, counting), forms)
        if any(not hit.fallback for hit in counting):
            counting = [hit for hit in counting if not hit.fallback]
        counting = [hit for hit in counting
                    if not (hit.fallback and self._owns(text, hit.tag, supposed))]
        for hit in counting:
            by_tag[hit.tag].append(hit)
        findings = []
        kept = self._not_yielding(set(by_tag))
        for tag, tag_hits in by_tag.items():
            if tag not in kept:
                continue
            tag_hits.sort(key=lambda h: -h.strength)
            evidence = _distinct([h.matched for h in tag_hits])
            findings.append(RuleFinding(tag, _combined([h.strength for h in tag_hits]), evidence,
                                        all(h.fallback for h in tag_hits)))
        return findings

    def suggest(self, text: str) -> list[Suggestion]:
        """The tags for one message, most confident first."""
        normal = self._normal(text)
        hits = self._index.find(normal)
        findings = {f.tag: f for f in self._rule_findings(normal, hits)}
        suggestions: dict[str, Suggestion] = {}
        if self._learner is not None:
            rules = {tag: finding.confidence for tag, finding in findings.items()}
            names = features(normal, hits, self._index.segmenter.cut)
            base, silent = self._base_judgement(names, rules)
            doubted = self._doubted(names, findings)
            for prediction in self._learner.predict(names, rules, SUGGESTION_FLOOR, base):
                if prediction.tag in doubted or (silent and prediction.tag in self._pack_of):
                    continue
                finding = findings.get(prediction.tag)
                source = LEARNER
                if finding is not None:
                    source = BOTH if prediction.probability >= self.threshold_for(
                        prediction.tag) else RULES
                if not self._learner.taught(prediction.tag):
                    source = {LEARNER: BASE, BOTH: RULES_AND_BASE}.get(source, source)
                evidence = self._readable(
                    normal, (*(finding.evidence if finding else ()), *prediction.evidence,
                             *self._base_evidence(names, prediction.tag)))
                suggestions[prediction.tag] = Suggestion(
                    prediction.tag, round(prediction.probability, 4), evidence, source)
        learnt = set(self.learnt_tags)
        for tag, finding in findings.items():
            if tag not in learnt and finding.confidence >= SUGGESTION_FLOOR:
                suggestions[tag] = Suggestion(
                    tag, round(finding.confidence, 4), finding.evidence, RULES)
        return sorted(suggestions.values(), key=lambda s: (-s.confidence, s.tag))

    def labels(self, text: str) -> list[str]:
        """The tags that reach the threshold: those that may be written without a person."""
        return [s.tag for s in self.suggest(text) if s.confidence >= self.threshold_for(s.tag)]

    def threshold_for(self, tag: str) -> float:
        """The confidence from which `tag` is written without a person."""
        if self._tuned and self._learner is not None:
            return self._learner.thresholds.get(tag, self.threshold)
        return self.threshold

    @property
    def thresholds(self) -> dict[str, float]:
        """The tags whose threshold was chosen on the training data or the base model's, and
        that threshold."""
        if self._tuned and self._learner is not None:
            return dict(self._learner.thresholds)
        return {}

    @staticmethod
    def _readable(normal: NormalText, names: Sequence[str]) -> tuple[str, ...]:
        """The rules' phrases (already as written) and the learner's deciding words, word
        pairs and phrases, as the customer wrote them (a negated word with its negation)."""
        shown = []
        for name in names:
            if name.startswith(NEGATED_PREFIX):
                continue
            if name.startswith(PAIR_PREFIX):
                shown.append(normal.original_of(name[2:].replace(PAIR_JOINT, "")))
            elif name.startswith(NEGATED_WORD_PREFIX):
                shown.append(_negated_original(normal, name[2:]))
            elif name.startswith(PHRASE_PREFIX) and GAP in name:
                shown.append(_gapped_original(normal, name[2:]))
            elif name.startswith((WORD_PREFIX, GRAM_PREFIX, PHRASE_PREFIX)):
                shown.append(normal.original_of(name[2:]))
            else:
                shown.append(name)
        return _distinct(shown)

    def warnings(self) -> list[KeywordWarning]:
        """Weak keywords: a tag with fewer than three, a keyword that also fires another
        tag (so one customer sentence would get both), a tag whose pack credits another, or
        tags that compete for a pack."""
        found: list[KeywordWarning] = []
        for tag in self.tags:
            keywords = [k for k in tag.keywords if normal_text(k)]
            link = self.links.get(tag.name)
            if link is not None and not link.owner:
                link = None     # the pack's phrases credit another tag, or none
            if not keywords and link is None:
                found.append(KeywordWarning(
                    tag.name,
                    f"标签“{echo(tag.name, 40)}”没有关键词，也对应不到内置意图包，不会被建议；请至少写 3 个关键词。",
                    f"Tag “{echo(tag.name, 40)}” has no keywords and matches no bundled intent pack,"
                    " so it is never suggested; give it at least 3 keywords."))
            elif len(keywords) < MIN_KEYWORDS:
                via = (f"，目前主要靠意图包“{link.pack}”" if link else "")
                via_en = (f"; for now it relies on the intent pack “{link.pack}”" if link else "")
                found.append(KeywordWarning(
                    tag.name,
                    f"标签“{echo(tag.name, 40)}”只有 {len(keywords)} 个关键词{via}；建议至少写 {MIN_KEYWORDS} 个。",
                    f"Tag “{echo(tag.name, 40)}” has only {len(keywords)} keyword(s){via_en};"
                    f" give it at least {MIN_KEYWORDS}."))
            for keyword in keywords:
                others = tuple(sorted(
                    f.tag for f in self.rules(keyword) if f.tag != tag.name))
                if others:
                    shown = "、".join(others)
                    found.append(KeywordWarning(
                        tag.name,
                        f"标签“{echo(tag.name, 40)}”的关键词“{echo(keyword, 40)}”也会触发标签：{shown}。",
                        f"Keyword “{echo(keyword, 40)}” of tag “{echo(tag.name, 40)}” also fires"
                        f" tag(s): {shown}.",
                        others))
        owners = {link.pack: link.tag for link in self.links.values() if link.owner}
        for link in self.links.values():
            owner = owners.get(link.pack)
            if owner is not None and not link.owner:
                found.append(KeywordWarning(
                    link.tag,
                    f"标签“{echo(link.tag, 40)}”也关联内置意图包“{link.pack}”，但该意图包的说法只计入"
                    f"关联更紧的标签“{echo(owner, 40)}”；“{echo(link.tag, 40)}”只按自己的关键词建议。",
                    f"Tag “{echo(link.tag, 40)}” also links to the bundled intent pack “{link.pack}”,"
                    f" but its phrases credit only the better-linked tag “{echo(owner, 40)}”;"
                    f" “{echo(link.tag, 40)}” is suggested by its own keywords only.",
                    (owner,)))
        for contest in self.contested:
            first, *rivals = contest.tags
            shown = "、".join(echo(name, 40) for name in contest.tags)
            found.append(KeywordWarning(
                first,
                f"标签 {shown} 与内置意图包“{contest.pack}”关联得一样紧，该意图包的说法不计入其中任何一个，"
                f"它们只按各自的关键词建议；请把其中一个标签改名为“{contest.pack}”，或调整关键词。",
                f"Tags {shown} link equally well to the bundled intent pack “{contest.pack}”, so its"
                f" phrases credit none of them and each is suggested by its own keywords only;"
                f" name one of them “{contest.pack}” or change their keywords.",
                tuple(rivals)))
        return found
