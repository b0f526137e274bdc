"""Customers, follow relations and their tags for the generated corp.

Tag usage is skewed like a real corp's: within a group the tags follow a Zipf law, and each
group is present on a fixed share of relations scaled by a per-relation "engagement", so a
few tags sit on many relations, a long tail on few, and a relation carries ~8 tags on average.
About 18% of customers are followed by two or three members.
"""

from __future__ import annotations

import bisect
import json
import random
import sqlite3
from dataclasses import dataclass

from desktop.sandbox import corpus
from desktop.sandbox.people import Customer, new_customer

DAY = 86_400
HISTORY_DAYS = 730
FLUSH_EVERY = 20_000
FOLLOWER_COUNTS = ((1, 0.82), (2, 0.13), (3, 0.05))
UNTAGGED_SHARE = 0.03
PERSONAL_TAG_SHARE = 0.1
CONTACT_WAY_SHARE = 0.7


@dataclass
class PickableGroup:
    """Tag keys of one group with Zipf cumulative weights, ready for weighted picks."""

    keys: list[int]
    cum_weights: list[float]
    presence: float
    max_picks: int

    def pick(self, rng: random.Random, engagement: float) -> list[int]:
        if rng.random() >= self.presence * engagement:
            return []
        picks = 1
        while picks < self.max_picks and rng.random() < 0.35:
            picks += 1
        total = self.cum_weights[-1]
        return [
            self.keys[bisect.bisect(self.cum_weights, rng.random() * total)] for _ in range(picks)
        ]


class _Batch:
    """Rows waiting for one executemany each."""

    def __init__(self) -> None:
        self.customers: list[tuple[object, ...]] = []
        self.relations: list[tuple[object, ...]] = []
        self.links: list[tuple[int, int]] = []
        self.personal: list[tuple[int, str, str]] = []

    def flush(self, conn: sqlite3.Connection) -> None:
        conn.executemany("INSERT INTO customer VALUES (?,?,?,?,?,?,?,?,?)", self.customers)
        conn.executemany(
            "INSERT INTO relation (id, userid, external_userid, remark, description, createtime,"
            " remark_corp_name, remark_mobiles, oper_userid, add_way, state)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            self.relations,
        )
        conn.executemany("INSERT INTO relation_tag VALUES (?, ?)", self.links)
        conn.executemany("INSERT INTO personal_tag VALUES (?, ?, ?)", self.personal)
        for rows in (self.customers, self.relations, self.links, self.personal):
            rows.clear()


def generate_customers(
    conn: sqlite3.Connection,
    count: int,
    *,
    members: list[tuple[str, float]],
    corp_groups: list[PickableGroup],
    strategy_groups: dict[str, list[PickableGroup]],
    ways: dict[str, list[str]],
    rng: random.Random,
    anchor: int,
) -> None:
    if not members:
        return
    userids = [userid for userid, _ in members]
    member_weights = [max(load, 0.1) for _, load in members]
    add_way_codes = [code for code, _ in corpus.ADD_WAYS]
    add_way_weights = [share for _, share in corpus.ADD_WAYS]
    follower_counts = [n for n, _ in FOLLOWER_COUNTS]
    follower_weights = [share for _, share in FOLLOWER_COUNTS]
    taken: set[str] = set()
    batch = _Batch()
    relation_id = 0
    for index in range(count):
        customer = new_customer(rng, taken)
        batch.customers.append(customer.row())
        first_added = anchor - int(HISTORY_DAYS * DAY * rng.random() ** 1.4)
        wanted = min(rng.choices(follower_counts, follower_weights)[0], len(userids))
        followers: list[str] = []
        while len(followers) < wanted:
            userid = rng.choices(userids, member_weights)[0]
            if userid not in followers:
                followers.append(userid)
        for position, userid in enumerate(followers):
            relation_id += 1
            createtime = first_added
            if position:
                # a later follower joins within 200 days, never after today
                createtime = first_added + rng.randrange(max(1, min(200 * DAY, anchor - first_added)))
            add_way = rng.choices(add_way_codes, add_way_weights)[0]
            state, oper_userid = _origin(rng, add_way, userid, customer, userids, ways)
            batch.relations.append(
                (
                    relation_id,
                    userid,
                    customer.external_userid,
                    _remark(rng, customer),
                    _description(rng),
                    createtime,
                    customer.corp_name if customer.type == 2 and rng.random() < 0.5 else "",
                    json.dumps([f"1{rng.randrange(3, 9)}{rng.randrange(10**9):09d}"])
                    if rng.random() < 0.25
                    else "[]",
                    oper_userid,
                    add_way,
                    state,
                )
            )
            batch.links.extend(
                (relation_id, key)
                for key in _relation_tags(rng, corp_groups, strategy_groups.get(userid, []))
            )
            if rng.random() < PERSONAL_TAG_SHARE:
                for name in rng.sample(corpus.PERSONAL_TAGS, rng.randint(1, 2)):
                    batch.personal.append((relation_id, corpus.PERSONAL_TAG_GROUP, name))
        if (index + 1) % FLUSH_EVERY == 0:
            batch.flush(conn)
    batch.flush(conn)


def _relation_tags(
    rng: random.Random, corp_groups: list[PickableGroup], strategy_groups: list[PickableGroup]
) -> list[int]:
    if rng.random() < UNTAGGED_SHARE:
        return []
    engagement = 0.45 + rng.random()
    keys: dict[int, None] = {}
    for group in corp_groups:
        keys.update(dict.fromkeys(group.pick(rng, engagement)))
    for group in strategy_groups:
        keys.update(dict.fromkeys(group.pick(rng, engagement)))
    return sorted(keys)


def _origin(
    rng: random.Random,
    add_way: int,
    userid: str,
    customer: Customer,
    userids: list[str],
    ways: dict[str, list[str]],
) -> tuple[str, str]:
    """(state, oper_userid): who started the add, and the contact way it came through."""
    if add_way == 1:
        states = ways.get(userid)
        state = rng.choice(states) if states and rng.random() < CONTACT_WAY_SHARE else ""
        return state, customer.external_userid
    if add_way in (201, 202):
        return "", rng.choice(userids)
    return "", userid


def _remark(rng: random.Random, customer: Customer) -> str:
    roll = rng.random()
    if roll < 0.3:
        remark = customer.name[:1] + rng.choice(corpus.REMARK_TITLES)
    elif roll < 0.45:
        remark = customer.name
    else:
        return ""
    if rng.random() < 0.3:
        remark += "-" + rng.choice(corpus.REGION_WORDS)
    return remark


def _description(rng: random.Random) -> str:
    if rng.random() >= 0.3:
        return ""
    return rng.choice(corpus.DESCRIPTIONS).format(region=rng.choice(corpus.REGION_WORDS))
