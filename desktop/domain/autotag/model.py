"""The values the auto-tagger takes and gives: tags with keywords, labelled messages,
intent packs, suggestions and keyword warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

RULES = "rules"
LEARNER = "learner"
BOTH = "both"
# A tag the corp's own confirmed messages taught nothing about is judged by the bundled base
# model alone (with the rules: RULES_AND_BASE), not by a learner of the corp's.
BASE = "base"
RULES_AND_BASE = "rules+base"
# Each source in both languages, for people (the CLI's lines).
SOURCE_WORDS = {RULES: "规则 rules", LEARNER: "学习模型 learner", BOTH: "规则+学习模型 rules+learner",
                BASE: "基础模型 base model", RULES_AND_BASE: "规则+基础模型 rules+base model"}


@dataclass(frozen=True)
class TagKeywords:
    """A user's tag and the keywords a department head wrote for it (often 3–5)."""

    name: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class LabelledMessage:
    """A customer's message and the tags people confirmed for it (empty: none apply)."""

    id: str
    customer: str
    text: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class IntentPack:
    """A bundled sales intent: the phrases customers use for it and the traps (phrases that
    look like it but mean something else, such as 代开发票 for 开票需求). `questions`: cues of
    a question (吗, 什么, ?) that count for this intent when no other intent's phrase is in the
    message (a product question is any question that is about nothing else). `broad`: the
    phrases span several narrower intents (产品咨询 holds price questions and 想了解一下 alike),
    so a tag linked only by its keywords borrows just the phrases close to them. `requests`:
    when given, the intent is a question: for the tag named after it, its other phrases and
    the tag's keywords count only in a clause that holds a question cue or one of these
    (价格太贵了 asks nothing; 请问, 介绍一下 ask), and these count anywhere. `gapped`: phrases
    of two parts with a few characters allowed between them (约…时间, see
    `desktop.domain.autotag.patterns`); they credit only a tag linked by name. `alongside`:
    (another pack's name, phrases) pairs: phrases that count for this intent only when the
    rules give that other pack's tag in the same message (同款才卖 599 objects to the price
    only when another seller is named; 有什么政策 asks a discount only on a renewal); they
    credit only a tag linked by name. `yields_to`: other packs' names: when the rules give
    one of their tags to a message, this intent steps aside there (a product question about
    the price of a bargain is the bargain; a re-purchase is a renewal, not a new purchase).
    `owned`: words that say the customer already has or ordered what they write about (买的,
    收到, 订单, 坏了, 能退): beside one, a question cue alone asks nothing for this intent (能换
    42 吗 is about a return, 还没发，到底有没有货 about a delivery). `supposed`: in a message that
    supposes a case and asks about it (要是不合适能退吗, 万一过敏怎么办), this intent's phrases after
    the supposition are the case imagined, not the customer's own matter, and do not count,
    unless the customer names before it what they already have or ordered (the question tags'
    `owned` words: 我买的要是修不好能退吗). `settled`: phrases (gapped ones too) that say what
    this intent's phrases named before or inside them turned out fine (包装破了，不过东西没坏;
    发票我已经报销完了): those phrases do not count."""

    name: str
    aliases: tuple[str, ...]
    phrases: tuple[str, ...]
    traps: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    broad: bool = False
    requests: tuple[str, ...] = ()
    gapped: tuple[str, ...] = ()
    alongside: tuple[tuple[str, tuple[str, ...]], ...] = ()
    yields_to: tuple[str, ...] = ()
    owned: tuple[str, ...] = ()
    supposed: bool = False
    settled: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """A tag for a message: how sure (0–1), the words that decided, and who decided
    ("rules", "learner", "both", "base" or "rules+base")."""

    tag: str
    confidence: float
    evidence: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class KeywordWarning:
    """A weakness of a tag's keywords, as one sentence in both languages."""

    tag: str
    zh: str
    en: str
    other_tags: tuple[str, ...] = field(default=())

    def text(self, english: bool) -> str:
        return self.en if english else self.zh

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"
