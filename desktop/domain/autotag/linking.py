"""Linking a user's tag to a bundled intent pack, by its name or by its keywords.

A department head's tag 嫌贵 with keywords 太贵 / 便宜点 / 优惠 gets the 价格异议 pack's phrases
and traps, so the 3–5 keywords are a starting point and not the whole rule. A tag whose name
and keywords point at no pack keeps its keywords alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop.domain.autotag.model import IntentPack, TagKeywords
from desktop.domain.autotag.normalise import normalise

NAME_EXACT_SCORE = 4   # the tag's name is the pack's name or an alias
NAME_PART_SCORE = 3    # one holds the other (价格敏感客户 ~ 价格敏感)
MIN_PART = 2


@dataclass(frozen=True)
class PackLink:
    """The pack a tag follows and why (its name, or which keywords)."""

    tag: str
    pack: str
    by_name: bool
    shared_keywords: tuple[str, ...]


def _key(text: str) -> str:
    return normalise(text).text


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
    """The pack that fits the tag best: the name counts as three or four shared keywords;
    None when neither the name nor any keyword points at a pack. Ties go to the earlier pack."""
    name = _key(tag.name)
    best: tuple[int, PackLink] | None = None
    for pack in packs:
        name_score = _name_score(name, pack) if name else 0
        shared = _shared_keywords(tag.keywords, pack)
        score = name_score + len(shared)
        if score and (best is None or score > best[0]):
            best = (score, PackLink(tag.name, pack.name, bool(name_score), shared))
    return best[1] if best else None
