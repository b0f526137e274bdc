"""The arrival matcher: which relations a live code or a pre-tag tags, once, in time."""

from __future__ import annotations

import pytest

from desktop.domain.arrivals import (
    BY_EXTERNAL_USERID,
    BY_PHONE,
    BY_STATE,
    BY_UNIONID,
    LIVECODE,
    PRETAG,
    Appeared,
    Arrival,
    match_arrivals,
    normal_phone,
)

NOW = 1_800_000_000.0


def code(arrival_id: int, state: str, *tags: str, since: float = NOW - 100,
         done: frozenset[tuple[str, str]] = frozenset()) -> Arrival:
    return Arrival(arrival_id, LIVECODE, BY_STATE, state, tags, since, done=done)


def pretag(arrival_id: int, kind: str, key: str, *tags: str, since: float = NOW - 100,
           expires: float | None = NOW + 100) -> Arrival:
    return Arrival(arrival_id, PRETAG, kind, key, tags, since, expires)


def relation(rid: int, customer: str, userid: str = "zhangsan", *, created: float = NOW - 10,
             state: str = "", mobiles: tuple[str, ...] = (), unionid: str = "") -> Appeared:
    return Appeared(rid, customer, userid, int(created), state, mobiles, unionid)


@pytest.mark.parametrize(("text", "normal"), [
    ("13900139000", "13900139000"), ("+86 139-0013-9000", "13900139000"),
    ("0086 13900139000", "13900139000"), ("(010) 6552-9988", "01065529988"),
    ("abc", ""), ("12", ""), ("", ""),
])
def test_phone_numbers_are_compared_without_their_punctuation(text: str, normal: str) -> None:
    assert normal_phone(text) == normal


def test_a_live_code_tags_relations_made_through_it_since_it_got_tags() -> None:
    found = match_arrivals(
        [code(1, "expo2026", "t1", "t2"), code(2, "douyin", "t3")],
        [relation(10, "wmA", state="expo2026"),
         relation(11, "wmB", state="expo2026", created=NOW - 1000),   # before the tags
         relation(12, "wmC", state="other"),
         relation(13, "wmD", state="douyin")], NOW)
    assert found.tags == {10: ("t1", "t2"), 13: ("t3",)}
    assert {a: [r.relation_id for r in rs] for a, rs in found.hits.items()} == {1: [10], 2: [13]}
    assert found.by_tag_set() == {("t1", "t2"): [10], ("t3",): [13]}


def test_a_relation_already_tagged_by_an_arrival_is_not_tagged_again() -> None:
    found = match_arrivals([code(1, "expo2026", "t1", done=frozenset({("wmA", "zhangsan")}))],
                           [relation(10, "wmA", state="expo2026"),
                            relation(11, "wmA", "lisi", state="expo2026")], NOW)
    assert found.tags == {11: ("t1",)}


def test_pre_tags_match_by_customer_unionid_and_any_remark_mobile() -> None:
    arrivals = [pretag(1, BY_EXTERNAL_USERID, "wmA", "t1"),
                pretag(2, BY_UNIONID, "oU1", "t2"),
                pretag(3, BY_PHONE, "13900139000", "t3"),
                pretag(4, BY_EXTERNAL_USERID, "wmOld", "t4")]
    found = match_arrivals(arrivals, [
        relation(10, "wmA"),
        relation(11, "wmB", unionid="oU1"),
        relation(12, "wmC", created=NOW - 5000, mobiles=("+86 139 0013 9000",)),  # typed later
        relation(13, "wmOld", created=NOW - 5000),        # made before the pre-tag: not it
    ], NOW)
    assert found.tags == {10: ("t1",), 11: ("t2",), 12: ("t3",)}


def test_tags_from_several_arrivals_on_one_relation_are_merged() -> None:
    found = match_arrivals([code(1, "expo2026", "t1", "t2"),
                            pretag(2, BY_EXTERNAL_USERID, "wmA", "t2", "t3")],
                           [relation(10, "wmA", state="expo2026")], NOW)
    assert found.tags == {10: ("t1", "t2", "t3")} and set(found.hits) == {1, 2}


def test_an_expired_pre_tag_tags_nothing_and_is_listed() -> None:
    found = match_arrivals([pretag(1, BY_EXTERNAL_USERID, "wmA", "t1", expires=NOW)],
                           [relation(10, "wmA")], NOW)
    assert found.tags == {} and found.hits == {} and found.expired == (1,)
