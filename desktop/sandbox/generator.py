"""Generates the demo corp into an empty sandbox database, deterministically by seed.

Departments, members and leaders, the corp tag library (some groups made "in the admin
console", i.e. not owned by the app), rule groups with their own tags, contact ways, then
customers and relations (`customer_generator.py`) and the chat export (`chat_export.py`).
Each part draws from its own seeded RNG so that changing one part leaves the others alone.
"""

from __future__ import annotations

import itertools
import json
import random
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from desktop.sandbox import corpus
from desktop.sandbox.chat_export import write_chat_export
from desktop.sandbox.config import SandboxConfig
from desktop.sandbox.customer_generator import (
    DAY,
    HISTORY_DAYS,
    PickableGroup,
    generate_customers,
)
from desktop.sandbox.event_export import write_event_export
from desktop.sandbox.ids import CORP_TAG_PREFIX, STRATEGY_TAG_PREFIX, URLSAFE, hex_id, opaque_id
from desktop.sandbox.people import person_name
from desktop.sandbox.schema import SCHEMA_VERSION, create_bulk_indexes

ZIPF_EXPONENT = 1.15
AGENT_ID_BASE = 1_000_002


@dataclass
class Member:
    userid: str
    name: str
    departments: list[int]
    follow_enabled: bool
    load: float


@dataclass
class Directory:
    members: list[Member]
    parents: dict[int, int]
    leaders: dict[int, str] = field(default_factory=dict)

    def covers(self, roots: tuple[int, ...] | list[int], department: int) -> bool:
        """Whether `department` is one of `roots` or below one of them."""
        while department:
            if department in roots:
                return True
            department = self.parents.get(department, 0)
        return False

    def followers_in(self, roots: tuple[int, ...] | list[int]) -> list[str]:
        return [
            m.userid
            for m in self.members
            if m.follow_enabled and any(self.covers(roots, d) for d in m.departments)
        ]


def generate_corp(conn: sqlite3.Connection, config: SandboxConfig, anchor: int) -> None:
    """Fill an empty database; `anchor` is "now" for the generated history (Unix seconds)."""
    seed = config.seed
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    try:
        _write_identity(conn, random.Random(f"identity-{seed}"), config, anchor)
        directory = _generate_directory(conn, config.members, random.Random(f"people-{seed}"))
        tag_rng = random.Random(f"tags-{seed}")
        corp_groups = _generate_corp_tags(conn, tag_rng, anchor)
        strategy_groups = _generate_strategies(conn, directory, tag_rng, anchor)
        ways = _generate_contact_ways(conn, directory, random.Random(f"ways-{seed}"), anchor)
        generate_customers(
            conn,
            config.customers,
            members=[(m.userid, m.load) for m in directory.members if m.follow_enabled],
            corp_groups=corp_groups,
            strategy_groups=strategy_groups,
            ways=ways,
            rng=random.Random(f"customers-{seed}"),
            anchor=anchor,
        )
        _seed_hygiene_findings(conn, random.Random(f"hygiene-{seed}"), anchor)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA synchronous=NORMAL")
    create_bulk_indexes(conn)
    write_chat_export(conn, Path(config.data_dir), seed, anchor)
    write_event_export(conn, Path(config.data_dir), seed, anchor)


def _write_identity(
    conn: sqlite3.Connection, rng: random.Random, config: SandboxConfig, anchor: int
) -> None:
    meta = {
        "corp_id": "ww" + hex_id(rng, 16),
        "secret": "".join(rng.choices(URLSAFE, k=43)),
        "agent_id": str(AGENT_ID_BASE + rng.randrange(1000)),
        "seed": str(config.seed),
        "anchor": str(anchor),
        "schema_version": str(SCHEMA_VERSION),
    }
    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())


def _generate_directory(conn: sqlite3.Connection, count: int, rng: random.Random) -> Directory:
    specs = {d.id: d for d in corpus.DEPARTMENTS}
    conn.executemany(
        "INSERT INTO department (id, name, name_en, parentid, ord) VALUES (?, ?, ?, ?, ?)",
        [(d.id, d.name, d.name_en, d.parentid, 100_000_000 - d.id * 1000) for d in specs.values()],
    )
    fill = list(corpus.DEPARTMENT_FILL_ORDER[:count])
    fill += rng.choices(
        [d.id for d in specs.values()],
        weights=[d.member_weight for d in specs.values()],
        k=count - len(fill),
    )
    directory = Directory(members=[], parents={d.id: d.parentid for d in specs.values()})
    taken: set[str] = set()
    for main_department in fill:
        name, pinyin = person_name(rng)
        userid = pinyin
        for suffix in itertools.count(2):
            if userid not in taken:
                break
            userid = f"{pinyin}{suffix}"
        taken.add(userid)
        departments = [main_department]
        if rng.random() < 0.1:
            second = rng.choice([d.id for d in specs.values() if d.follow_customers])
            if second != main_department:
                departments.append(second)
        spec = specs[main_department]
        load = corpus.CUSTOMER_LOAD_BY_DEPARTMENT.get(main_department, 0) * rng.uniform(0.6, 1.4)
        directory.members.append(Member(userid, name, departments, spec.follow_customers, load))
        for department in departments:
            directory.leaders.setdefault(department, userid)
    member_rows = []
    membership_rows = []
    for seq, member in enumerate(directory.members, start=1):
        main = member.departments[0]
        leader = directory.leaders[main]
        if leader == member.userid:
            leader = directory.leaders.get(directory.parents.get(main, 0), "")
        position = rng.choice(corpus.POSITIONS_BY_DEPARTMENT[main])
        member_rows.append(
            (
                member.userid,
                seq,
                member.name,
                position,
                f"13{rng.randrange(10**9):09d}",
                rng.choice(("1", "2")),
                f"{member.userid}@{corpus.MAIL_DOMAIN}",
                "",
                1,
                main,
                json.dumps([leader] if leader and leader != member.userid else []),
                int(member.follow_enabled),
            )
        )
        for idx, department in enumerate(member.departments):
            is_leader = int(directory.leaders[department] == member.userid)
            membership_rows.append((member.userid, department, idx, 100_000_000 - seq, is_leader))
    conn.executemany(
        "INSERT INTO member (userid, seq, name, position, mobile, gender, email, alias, status,"
        " main_department, direct_leader, follow_enabled) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        member_rows,
    )
    conn.executemany(
        "INSERT INTO member_department (userid, department_id, idx, ord, is_leader)"
        " VALUES (?, ?, ?, ?, ?)",
        membership_rows,
    )
    return directory


def _zipf_cumulative(count: int) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + 1) ** ZIPF_EXPONENT for rank in range(count)))


def _insert_tag_group(
    conn: sqlite3.Connection,
    rng: random.Random,
    spec: corpus.TagGroupSpec,
    *,
    order: int,
    create_time: int,
    strategy_id: int | None,
) -> PickableGroup:
    prefix = STRATEGY_TAG_PREFIX if strategy_id is not None else CORP_TAG_PREFIX
    cursor = conn.execute(
        "INSERT INTO tag_group (id, name, ord, create_time, strategy_id, app_owned)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (opaque_id(rng, prefix), spec.name, order, create_time, strategy_id, int(spec.app_owned)),
    )
    group_key = cursor.lastrowid
    keys = []
    for rank, name in enumerate(spec.tags):
        cursor = conn.execute(
            "INSERT INTO tag (id, group_key, name, ord, create_time, app_owned)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                opaque_id(rng, prefix),
                group_key,
                name,
                len(spec.tags) - rank,
                create_time + rank * 60,
                int(spec.app_owned),
            ),
        )
        keys.append(int(cursor.lastrowid or 0))
    return PickableGroup(keys, _zipf_cumulative(len(keys)), spec.presence, spec.max_picks)


def _generate_corp_tags(
    conn: sqlite3.Connection, rng: random.Random, anchor: int
) -> list[PickableGroup]:
    start = anchor - HISTORY_DAYS * DAY
    count = len(corpus.CORP_TAG_GROUPS)
    return [
        _insert_tag_group(
            conn,
            rng,
            spec,
            order=(count - index) * 10,
            create_time=start + index * 3 * DAY + rng.randrange(DAY),
            strategy_id=None,
        )
        for index, spec in enumerate(corpus.CORP_TAG_GROUPS)
    ]


def _seed_hygiene_findings(conn: sqlite3.Connection, rng: random.Random, anchor: int) -> None:
    """What a real tag library grows over the years, for the health report to find: a legacy
    group of near-duplicates (高意向客户, 官网资询, 電話諮詢), risky and deep names, a stale
    tag, a campaign group nobody uses, and customers whose
    relations carry both 已成交 and 无效客户 (on one relation, or from two followers).
    Drawn from its own RNG after everything else, so the rest of the corp stays as it was."""
    created = anchor - corpus.HYGIENE_GROUP_AGE_DAYS * DAY
    keys: dict[str, int] = {}
    count = len(corpus.HYGIENE_TAG_GROUPS)
    for offset, spec in enumerate(corpus.HYGIENE_TAG_GROUPS):
        # below the other groups (10 and up), with gaps so one move stays one edit
        group = _insert_tag_group(conn, rng, spec, order=(count - offset) * 3,
                                  create_time=created + offset * DAY, strategy_id=None)
        keys.update(zip(spec.tags, group.keys, strict=True))
    relations = [
        (rid, external_userid, createtime) for rid, external_userid, createtime in conn.execute(
            "SELECT id, external_userid, createtime FROM relation ORDER BY id")
    ]
    if not relations:
        return
    links: list[tuple[int, int]] = []
    for name, share, max_age_days in corpus.HYGIENE_USAGE:
        pool = [rid for rid, _, createtime in relations
                if max_age_days is None or createtime < anchor - max_age_days * DAY]
        count = max(1, int(len(relations) * share))
        links.extend((rid, keys[name]) for rid in rng.sample(pool, min(count, len(pool))))
    conn.executemany("INSERT OR IGNORE INTO relation_tag VALUES (?, ?)", links)
    _seed_exclusive_conflicts(conn, rng, relations)


def _seed_exclusive_conflicts(
    conn: sqlite3.Connection, rng: random.Random, relations: list[tuple[int, str, int]]
) -> None:
    won, lost = (
        conn.execute(
            "SELECT t.key FROM tag t JOIN tag_group g ON g.key = t.group_key"
            " WHERE g.name = ? AND t.name = ?", (corpus.HYGIENE_STAGE_GROUP, name),
        ).fetchone()
        for name in corpus.HYGIENE_EXCLUSIVE_PAIR
    )
    if won is None or lost is None:
        return
    by_customer: dict[str, list[int]] = {}
    for rid, external_userid, _ in relations:
        by_customer.setdefault(external_userid, []).append(rid)
    shared = sorted(c for c, rids in by_customer.items() if len(rids) > 1)
    both = rng.sample([rid for rid, _, _ in relations], min(2, len(relations)))
    split = rng.sample(shared, min(3, len(shared)))
    stage_tags = [key for (key,) in conn.execute(
        "SELECT t.key FROM tag t JOIN tag_group g ON g.key = t.group_key WHERE g.name = ?",
        (corpus.HYGIENE_STAGE_GROUP,))]
    marks = ",".join("?" * len(stage_tags))
    touched = both + [rid for customer in split for rid in by_customer[customer][:2]]
    conn.executemany(f"DELETE FROM relation_tag WHERE relation_id = ? AND tag_key IN ({marks})",
                     [(rid, *stage_tags) for rid in touched])
    links = [(rid, key) for rid in both for key in (won[0], lost[0])]
    for customer in split:
        first, second = by_customer[customer][:2]
        links += [(first, won[0]), (second, lost[0])]
    conn.executemany("INSERT OR IGNORE INTO relation_tag VALUES (?, ?)", links)


def _generate_strategies(
    conn: sqlite3.Connection, directory: Directory, rng: random.Random, anchor: int
) -> dict[str, list[PickableGroup]]:
    """Rule groups, their ranges and tag trees; returns the strategy tags usable per member."""
    by_member: dict[str, list[PickableGroup]] = {}
    fallback_admin = directory.members[0].userid
    for spec in corpus.STRATEGIES:
        create_time = anchor - (HISTORY_DAYS - 40 - spec.id * 5) * DAY
        admin = directory.leaders.get(spec.departments[0], fallback_admin)
        conn.execute(
            "INSERT INTO strategy (id, parent_id, name, create_time, admin_list, privilege)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                spec.id,
                spec.parent_id,
                spec.name,
                create_time,
                json.dumps([admin]),
                json.dumps(corpus.STRATEGY_PRIVILEGES),
            ),
        )
        conn.executemany(
            "INSERT INTO strategy_range (strategy_id, seq, type, userid, partyid)"
            " VALUES (?, ?, 2, NULL, ?)",
            [(spec.id, seq, party) for seq, party in enumerate(spec.departments)],
        )
        if spec.console_made:
            conn.execute("INSERT INTO strategy_console (strategy_id) VALUES (?)", (spec.id,))
        groups = [
            _insert_tag_group(
                conn,
                rng,
                group,
                order=len(spec.tag_groups) - index,
                create_time=create_time + DAY,
                strategy_id=spec.id,
            )
            for index, group in enumerate(spec.tag_groups)
        ]
        for userid in [] if spec.console_made else directory.followers_in(spec.departments):
            by_member.setdefault(userid, []).extend(groups)
    return by_member


def _generate_contact_ways(
    conn: sqlite3.Connection, directory: Directory, rng: random.Random, anchor: int
) -> dict[str, list[str]]:
    """The contact ways; returns, per member, the states of the ways that can reach them."""
    followers = [m.userid for m in directory.members if m.follow_enabled]
    by_member: dict[str, list[str]] = {}
    for index, spec in enumerate(corpus.CONTACT_WAYS):
        reachable = directory.followers_in(spec.departments) or followers[:1]
        if spec.single:
            users, parties, reachable = [reachable[0]], [], reachable[:1]
        else:
            users, parties = [], list(spec.departments)
            if not directory.followers_in(spec.departments):
                users, parties = reachable, []
        config_id = hex_id(rng)
        create_time = anchor - (60 - index * 7) * DAY
        conn.execute(
            "INSERT INTO contact_way (config_id, type, scene, style, remark, skip_verify, state,"
            " qr_code, users, parties, create_time, extra) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                config_id,
                1 if spec.single else 2,
                2,
                1,
                spec.remark,
                1,
                spec.state,
                f"https://wework.qpic.cn/wwpic/{hex_id(rng, 24)}/0",
                json.dumps(users),
                json.dumps(parties),
                create_time,
                "{}",
            ),
        )
        for userid in reachable:
            by_member.setdefault(userid, []).append(spec.state)
    return by_member
