"""Auto-tagging from chats: keywords that understand synonyms, typos and negation, plus a
learner trained on the corp's own confirmed tags, over a bundled base model. Pure: no I/O
(the intent packs are read by `desktop.services.autotag_packs`, the base model by
`desktop.services.autotag_base`).

Public interface (names and fields are kept; more may be added)::

    from desktop.domain.autotag import TagKeywords, LabelledMessage, Suggestion, AutoTagger
    from desktop.services.autotag_packs import load_intent_packs

    TagKeywords(name: str, keywords: tuple[str, ...])
    LabelledMessage(id: str, customer: str, text: str, labels: tuple[str, ...])
    Suggestion(tag: str, confidence: float, evidence: tuple[str, ...], source: str)
        # source: "rules" | "learner" | "both", or for a tag no confirmed message taught,
        # judged by the bundled base model: "base" | "rules+base"
    tagger = AutoTagger.build(
        tags: Sequence[TagKeywords],
        training: Sequence[LabelledMessage] = (),    # confirmed tags; () means rules only
        packs: Sequence[IntentPack] = (),            # pass load_intent_packs() for the bundled packs
        threshold: float | None = None,              # from here on a tag may be written unattended;
            # None: per tag, the threshold chosen on `training` (90% precision on out-of-fold
            # customers) for tags with enough confirmed customers, else the one chosen for its
            # pack on the base model's data (at least LOWEST_BASE_THRESHOLD, 0.5), else
            # DEFAULT_THRESHOLD (0.5)
        base: Learner | None = None,                 # load_base_model(): judges every tag whose
            # pack credits it, with or without `training` (desktop.domain.autotag.base)
    ) -> AutoTagger        # raises UnknownTrainingTag (a UserError) for labels not in `tags`
    tagger.suggest(text: str) -> list[Suggestion]    # confidence ≥ 0.2, most confident first
    tagger.labels(text: str) -> list[str]            # the suggestions that reach their tag's threshold
    tagger.threshold_for(tag: str) -> float          # that threshold (tagger.threshold: the default)
    tagger.thresholds -> dict[str, float]            # the tags whose threshold training or the
                                                     # base model chose
    tagger.warnings() -> list[KeywordWarning]        # .zh / .en / .text(english) / str(): "zh / en"
    tagger.links -> dict[str, PackLink]              # tag name -> the intent pack it links to;
        # .owner: whether the pack's phrases credit it (one tag per pack, see linking.py)
    tagger.contested -> tuple[ContestedPack, ...]    # packs that credit no tag (a tie)
    tagger.rules(text) -> list[RuleFinding]          # what the rules alone say
    tagger.hits(text) -> list[Hit]                   # every phrase found, negated ones too

A suggestion below `threshold` is for a person to accept or reject, never to be written on
its own. Customer-level tags are the union over a customer's messages.
"""

from desktop.domain.autotag.linking import ContestedPack, PackLink
from desktop.domain.autotag.matcher import Hit
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
from desktop.domain.autotag.normalise import normalise
from desktop.domain.autotag.tagger import (
    DEFAULT_THRESHOLD,
    AutoTagger,
    RuleFinding,
    UnknownTrainingTag,
)

__all__ = [
    "BASE",
    "BOTH",
    "DEFAULT_THRESHOLD",
    "LEARNER",
    "RULES",
    "RULES_AND_BASE",
    "AutoTagger",
    "ContestedPack",
    "Hit",
    "IntentPack",
    "KeywordWarning",
    "LabelledMessage",
    "PackLink",
    "RuleFinding",
    "Suggestion",
    "TagKeywords",
    "UnknownTrainingTag",
    "normalise",
]
