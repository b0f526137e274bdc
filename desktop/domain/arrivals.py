"""Arrival tags: which relations receive which tags because they appeared.

An `Arrival` waits for relations: a live code's waits for every relation that came through
its contact way's `state` since the code got its tags; a pre-tag waits for the first
relations of one person, named by external_userid, phone number (matched against the
relation's remark mobiles) or unionid, and is then spent. Only relations made since the
arrival was queued count, except for a phone number: a member types it into the remark
after adding the customer, so any relation carrying it does. `match_arrivals` is pure: it
takes the waiting arrivals and the relations known now and says what to tag, which
pre-tags ran out, and, per arrival, which relations it tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

LIVECODE = "livecode"
PRETAG = "pretag"
BY_STATE = "state"
BY_EXTERNAL_USERID = "external_userid"
BY_PHONE = "phone"
BY_UNIONID = "unionid"
KINDS = (BY_STATE, BY_EXTERNAL_USERID, BY_PHONE, BY_UNIONID)

_NOT_DIGITS = re.compile(r"[\s\-()（）.]+")
_MAINLAND_PREFIX = re.compile(r"^(?:\+?86|0086)(1\d{10})$")
_PHONE = re.compile(r"^\+?\d{5,20}$")


def normal_phone(text: str) -> str:
    """The phone number as matched: spaces, dashes and brackets dropped, a mainland mobile
    without its +86 prefix; "" when it is not a phone number."""
    compact = _NOT_DIGITS.sub("", text.strip())
    mainland = _MAINLAND_PREFIX.match(compact)
    if mainland:
        return mainland.group(1)
    return compact if _PHONE.match(compact) else ""


@dataclass(frozen=True, slots=True)
class Arrival:
    id: int
    source: str          # LIVECODE or PRETAG
    kind: str            # one of KINDS
    key: str             # the state, external_userid, normal phone number or unionid
    tag_ids: tuple[str, ...]
    created_at: float
    expires_at: float | None = None
    done: frozenset[tuple[str, str]] = frozenset()  # (external_userid, userid) already tagged


@dataclass(frozen=True, slots=True)
class Appeared:
    """A relation as the cache knows it, with what an arrival can be matched against."""

    relation_id: int
    external_userid: str
    userid: str
    createtime: int
    state: str = ""
    mobiles: tuple[str, ...] = ()
    unionid: str = ""


@dataclass(frozen=True)
class ArrivalMatches:
    tags: dict[int, tuple[str, ...]] = field(default_factory=dict)   # relation id -> tag ids
    hits: dict[int, tuple[Appeared, ...]] = field(default_factory=dict)  # arrival id -> relations
    expired: tuple[int, ...] = ()                                     # pre-tags that ran out

    def by_tag_set(self) -> dict[tuple[str, ...], list[int]]:
        """Relation ids grouped by the exact tags they receive (one plan per group)."""
        groups: dict[tuple[str, ...], list[int]] = {}
        for relation_id, tag_ids in sorted(self.tags.items()):
            groups.setdefault(tag_ids, []).append(relation_id)
        return groups


def match_arrivals(arrivals: Sequence[Arrival], relations: Iterable[Appeared],
                   now: float) -> ArrivalMatches:
    """What the waiting `arrivals` do to `relations` at `now`. A pre-tag past its expiry is
    listed as expired and tags nothing; an arrival tags relations created since it was queued
    (`createtime` is whole seconds; a phone number: any relation carrying it) and not
    tagged by it before."""
    live = [a for a in arrivals if a.expires_at is None or a.expires_at > now]
    expired = tuple(a.id for a in arrivals if a.expires_at is not None and a.expires_at <= now)
    index: dict[tuple[str, str], list[Arrival]] = {}
    for arrival in live:
        index.setdefault((arrival.kind, arrival.key), []).append(arrival)
    wanted: dict[int, set[str]] = {}
    hits: dict[int, list[Appeared]] = {}
    for relation in relations:
        for arrival in _candidates(index, relation):
            if (relation.external_userid, relation.userid) in arrival.done:
                continue
            if arrival.kind != BY_PHONE and relation.createtime < int(arrival.created_at):
                continue
            wanted.setdefault(relation.relation_id, set()).update(arrival.tag_ids)
            hits.setdefault(arrival.id, []).append(relation)
    return ArrivalMatches(
        tags={rid: tuple(sorted(tags)) for rid, tags in wanted.items()},
        hits={aid: tuple(found) for aid, found in hits.items()},
        expired=expired,
    )


def _candidates(index: dict[tuple[str, str], list[Arrival]],
                relation: Appeared) -> Iterable[Arrival]:
    if relation.state:
        yield from index.get((BY_STATE, relation.state), ())
    yield from index.get((BY_EXTERNAL_USERID, relation.external_userid), ())
    if relation.unionid:
        yield from index.get((BY_UNIONID, relation.unionid), ())
    for phone in {normal_phone(m) for m in relation.mobiles} - {""}:
        yield from index.get((BY_PHONE, phone), ())
