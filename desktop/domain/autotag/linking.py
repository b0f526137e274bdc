"""Linking a user's tags to the bundled intent packs, and deciding which tag a pack's phrases
credit when several tags link to it.

The rule (the README says the same):

* A tag links to a pack by its **name** first: the tag's own name (``组:名`` → ``名``; the
  group says where a tag is filed, not what it means) is the pack's name or an alias, or
  holds one (价格敏感客户 ~ 价格敏感). Such a tag borrows the whole pack: its phrases, its
  traps and its question cues.
* Otherwise a tag links by its **keywords**, and only when they are about the intent: at
  least two of them, and at least half of all, are (or hold, or sit in) the pack's phrases.
  One generic shared word links nothing. Such a tag borrows the pack's phrases and traps but
  not its question cues; from a **broad** pack (产品咨询: price questions and 想了解一下 alike)
  only the phrases that share a two-character piece (or a Latin word) with one of its
  keywords — 报价, 价格表 bring 价格是多少, not 想了解一下.
* When several tags link to one pack, the pack's phrases go to the best-linked tag only
  (a name that is the pack's name or alias, then a name that holds one, then more shared
  keywords); the others get a warning saying which tag the pack credits. When the best are
  equally good, the phrases go to none of them and a warning names the tags that compete.
  Every tag keeps its own keywords (and their sound-alikes), and every linked tag keeps the
  pack's traps (代开发票 is never a request for an invoice).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.domain.autotag.model import IntentPack, TagKeywords
from desktop.domain.autotag.normalise import is_cjk, normal_text

NAME_EXACT_SCORE = 2   # the tag's name is the pack's name or an alias
NAME_PART_SCORE = 1    # one holds the other (价格敏感客户 ~ 价格敏感)
MIN_PART = 2
MIN_SHARED = 2         # keywords a tag needs in common with a pack to link by keywords
GROUP_SEPARATOR = ":"  # after normalisation (full-width ： becomes :)


@dataclass(frozen=True)
class PackLink:
    """The pack a tag links to and why (its name, or which keywords); `owner`: whether the
    pack's phrases credit this tag (False when another tag links better, or equally well)."""

    tag: str
    pack: str
    name_score: int
    shared_keywords: tuple[str, ...]
    owner: bool = True

    @property
    def by_name(self) -> bool:
        return self.name_score > 0

    @property
    def rank(self) -> tuple[int, int]:
        """How well the tag links: the name first, then the number of shared keywords."""
        return self.name_score, len(self.shared_keywords)


@dataclass(frozen=True)
class ContestedPack:
    """A pack that several tags link to equally well: its phrases credit none of them."""

    pack: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class PackLinks:
    """Every tag's link (owner or not) and the packs whose phrases went to no tag."""

    links: dict[str, PackLink]
    contested: tuple[ContestedPack, ...]


def _key(text: str) -> str:
    return normal_text(text)


def own_name(tag_name: str) -> str:
    """The tag's own name, normalised, without its group (意向程度:高意向 → 高意向)."""
    return _key(tag_name).rpartition(GROUP_SEPARATOR)[2].strip()


def _name_score(name: str, pack: IntentPack) -> int:
    names = [key for key in (_key(pack.name), *(_key(alias) for alias in pack.aliases)) if key]
    if name in names:
        return NAME_EXACT_SCORE
    if len(name) >= MIN_PART and any(
            len(candidate) >= MIN_PART and (candidate in name or name in candidate)
            for candidate in names):
        return NAME_PART_SCORE
    return 0


def _shared_keywords(keywords: Sequence[str], pack: IntentPack) -> tuple[str, ...]:
    """The keywords that are, hold or sit inside one of the pack's phrases (便宜 ~ 便宜点)."""
    phrases = {_key(phrase) for phrase in pack.phrases}
    shared = []
    for keyword in keywords:
        key = _key(keyword)
        if key and (key in phrases or any(
                len(phrase) >= MIN_PART and phrase in key for phrase in phrases) or (
                len(key) >= MIN_PART and any(key in phrase for phrase in phrases))):
            shared.append(keyword)
    return tuple(shared)


def link_pack(tag: TagKeywords, packs: Sequence[IntentPack]) -> PackLink | None:
    """The pack that fits the tag best, by name first and then by keywords; None when the
    name points at no pack and the keywords are not about one. Ties go to the earlier pack."""
    name = own_name(tag.name)
    keywords = [k for k in tag.keywords if _key(k)]
    best: PackLink | None = None
    for pack in packs:
        link = PackLink(tag.name, pack.name, _name_score(name, pack) if name else 0,
                        _shared_keywords(keywords, pack))
        about = len(link.shared_keywords) >= MIN_SHARED and (
            2 * len(link.shared_keywords) >= len(keywords))
        if (link.by_name or about) and (best is None or link.rank > best.rank):
            best = link
    return best


def link_packs(tags: Sequence[TagKeywords], packs: Sequence[IntentPack]) -> PackLinks:
    """Every tag's link, each pack owned by its best-linked tag (by none on a tie)."""
    by_pack: dict[str, list[PackLink]] = defaultdict(list)
    for tag in tags:
        link = link_pack(tag, packs)
        if link is not None:
            by_pack[link.pack].append(link)
    links: dict[str, PackLink] = {}
    contested: list[ContestedPack] = []
    for pack, candidates in by_pack.items():
        best = max(link.rank for link in candidates)
        leaders = [link for link in candidates if link.rank == best]
        if len(leaders) > 1:
            contested.append(ContestedPack(pack, tuple(link.tag for link in leaders)))
        for link in candidates:
            owner = len(leaders) == 1 and link is leaders[0]
            links[link.tag] = PackLink(link.tag, link.pack, link.name_score,
                                       link.shared_keywords, owner)
    ordered = {tag.name: links[tag.name] for tag in tags if tag.name in links}
    return PackLinks(ordered, tuple(contested))


def _pieces(text: str) -> set[str]:
    """Two-character pieces of the Chinese runs and whole Latin words (报价单 → 报价, 价单)."""
    pieces: set[str] = set()
    for run in "".join(c if is_cjk(c) else " " for c in text).split():
        pieces.update(run[i:i + 2] for i in range(len(run) - 1))
    pieces.update(word for word in "".join(
        c if c.isascii() and c.isalnum() else " " for c in text).split() if len(word) >= 2)
    return pieces


def borrowed_phrases(link: PackLink, keywords: Sequence[str], pack: IntentPack
                     ) -> tuple[str, ...]:
    """The pack's phrases that credit the linked tag: all of them for a tag linked by name or
    to a pack that is not broad, those sharing a piece with one of its keywords for a tag
    linked to a broad pack by keywords, none for a tag that does not own the pack."""
    if not link.owner:
        return ()
    if link.by_name or not pack.broad:
        return pack.phrases
    pieces = set().union(*(_pieces(_key(keyword)) for keyword in keywords))
    return tuple(phrase for phrase in pack.phrases if _pieces(_key(phrase)) & pieces)
