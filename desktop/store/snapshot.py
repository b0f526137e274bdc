"""Writing a full sync into the cache in one transaction.

The sync service fetches everything first and hands over a `Snapshot`; this
module replaces the mirror atomically. Customers nobody follows any more stay in
`customer`, so the journal and revert previews can still name them. A failure anywhere rolls the whole
write back, so the previous cache stays exactly as it was. Tag differences on
relations that were already known are returned as `observed` changes: they
were made on phones or by other tools since the last sync.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from desktop.store import journal
from desktop.store.db import Cache

LAST_SYNC_KEY = "last_sync_at"
DATA_VERSION_KEY = "data_version"


@dataclass(frozen=True)
class GroupRow:
    id: str
    name: str
    order: int = 0
    create_time: int = 0
    strategy_id: int | None = None


@dataclass(frozen=True)
class TagRow:
    id: str
    group_id: str
    name: str
    order: int = 0
    create_time: int = 0


@dataclass(frozen=True)
class StrategyRow:
    id: int
    parent_id: int
    name: str
    create_time: int = 0


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    name: str
    name_en: str = ""
    parent_id: int = 0
    order: int = 0


@dataclass(frozen=True)
class MemberRow:
    userid: str
    name: str
    main_department: int | None = None
    status: int = 1
    position: str = ""
    follows: bool = False
    departments: tuple[tuple[int, bool], ...] = ()  # (department id, is leader there)


@dataclass(frozen=True)
class CustomerRow:
    external_userid: str
    name: str
    type: int = 1
    gender: int = 0
    corp_name: str = ""
    corp_full_name: str = ""
    position: str = ""


@dataclass(frozen=True)
class RelationRow:
    external_userid: str
    userid: str
    remark: str = ""
    description: str = ""
    createtime: int = 0
    add_way: int = 0
    state: str = ""
    oper_userid: str = ""
    remark_corp_name: str = ""
    remark_mobiles: tuple[str, ...] = ()
    tag_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContactWayRow:
    config_id: str
    state: str = ""
    remark: str = ""
    users: tuple[str, ...] = ()


@dataclass
class Snapshot:
    groups: list[GroupRow] = field(default_factory=list)
    tags: list[TagRow] = field(default_factory=list)
    strategies: list[StrategyRow] = field(default_factory=list)
    departments: list[DepartmentRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    customers: list[CustomerRow] = field(default_factory=list)
    relations: list[RelationRow] = field(default_factory=list)
    contact_ways: list[ContactWayRow] = field(default_factory=list)


@dataclass(frozen=True)
class WriteResult:
    customers: int
    relations: int
    tags: int
    groups: int
    tag_links: int
    observed_changes: int
    unknown_tag_links: int
    elapsed_s: float


def write_snapshot(cache: Cache, snap: Snapshot, *, operator: str = "") -> WriteResult:
    started = time.perf_counter()
    with cache.write() as conn:
        first_sync = not cache.get_meta(LAST_SYNC_KEY)
        known_before = (
            set() if first_sync else {row[0] for row in conn.execute("SELECT id FROM relation")}
        )
        tag_pks = _write_tags(conn, snap.groups, snap.tags)
        _replace_directory(conn, snap)
        _write_customers(conn, snap.customers)
        relation_ids = _write_relations(conn, snap.relations)
        links, observed, unknown = _write_relation_tags(
            conn, snap.relations, relation_ids, tag_pks, known_before
        )
        if observed:
            journal.append(conn, _observed_entries(conn, observed, operator))
        cache.set_meta(conn, LAST_SYNC_KEY, str(time.time()))
        bump_data_version(cache, conn)
    return WriteResult(
        customers=len({c.external_userid for c in snap.customers}),
        relations=len(relation_ids),
        tags=len(snap.tags),
        groups=len(snap.groups),
        tag_links=links,
        observed_changes=sum(len(a ^ b) for a, b in observed.values()),
        unknown_tag_links=unknown,
        elapsed_s=time.perf_counter() - started,
    )


def replace_relation_tags(
    cache: Cache, fetched: Mapping[tuple[str, str], Iterable[str]], *, operator: str = ""
) -> set[int]:
    """Set the corp tags of just these relations, keyed (external_userid, userid), to what
    WeCom answered (a partial refresh). Differences are journaled as `observed`; relations
    the cache does not know and tag ids it does not know are left alone. Returns the ids of
    the relations that changed."""
    with cache.write() as conn:
        tag_pks = dict(conn.execute("SELECT id, pk FROM tag WHERE deleted = 0").fetchall())
        observed: Changes = {}
        for (external_userid, userid), tag_ids in fetched.items():
            row = conn.execute("SELECT id FROM relation WHERE external_userid = ? AND userid = ?",
                               (external_userid, userid)).fetchone()
            if row is None:
                continue
            rid = int(row[0])
            have = {pk for (pk,) in conn.execute(
                "SELECT tag_pk FROM relation_tag WHERE relation_id = ?", (rid,))}
            wanted = {tag_pks[t] for t in tag_ids if t in tag_pks}
            if wanted == have:
                continue
            conn.executemany("DELETE FROM relation_tag WHERE relation_id = ? AND tag_pk = ?",
                             [(rid, pk) for pk in have - wanted])
            conn.executemany("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (?, ?)",
                             [(rid, pk) for pk in wanted - have])
            observed[rid] = (have, wanted)
        if observed:
            journal.append(conn, _observed_entries(conn, observed, operator))
            bump_data_version(cache, conn)
    return set(observed)


def bump_data_version(cache: Cache, conn: sqlite3.Connection) -> None:
    """Tell every reader (filter caches, views) that relations or tags changed."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (DATA_VERSION_KEY,)).fetchone()
    cache.set_meta(conn, DATA_VERSION_KEY, str(int(row[0]) + 1 if row else 1))


def _write_tags(
    conn: sqlite3.Connection, groups: list[GroupRow], tags: list[TagRow]
) -> dict[str, int]:
    conn.execute("UPDATE tag_group SET deleted = 1")
    conn.executemany(
        "INSERT INTO tag_group (id, name, sort_order, create_time, strategy_id, deleted)"
        " VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
        " sort_order = excluded.sort_order, create_time = excluded.create_time,"
        " strategy_id = excluded.strategy_id, deleted = 0",
        [(g.id, g.name, g.order, g.create_time, g.strategy_id) for g in groups],
    )
    conn.execute("UPDATE tag SET deleted = 1")
    conn.executemany(
        "INSERT INTO tag (id, group_id, name, sort_order, create_time, deleted)"
        " VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT(id) DO UPDATE SET group_id = excluded.group_id,"
        " name = excluded.name, sort_order = excluded.sort_order,"
        " create_time = excluded.create_time, deleted = 0",
        [(t.id, t.group_id, t.name, t.order, t.create_time) for t in tags],
    )
    return {row[0]: row[1] for row in conn.execute("SELECT id, pk FROM tag WHERE deleted = 0")}


def _replace_directory(conn: sqlite3.Connection, snap: Snapshot) -> None:
    for table in ("strategy", "department", "member_department", "member", "contact_way"):
        conn.execute(f"DELETE FROM {table}")
    conn.executemany(
        "INSERT INTO strategy (id, parent_id, name, create_time) VALUES (?, ?, ?, ?)",
        [(s.id, s.parent_id, s.name, s.create_time) for s in snap.strategies],
    )
    conn.executemany(
        "INSERT INTO department (id, name, name_en, parent_id, sort_order) VALUES (?, ?, ?, ?, ?)",
        [(d.id, d.name, d.name_en, d.parent_id, d.order) for d in snap.departments],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO member (userid, name, main_department, status, position, follows)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(m.userid, m.name, m.main_department, m.status, m.position, int(m.follows))
         for m in snap.members],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO member_department (userid, department_id, is_leader)"
        " VALUES (?, ?, ?)",
        [(m.userid, dept, int(leader)) for m in snap.members for dept, leader in m.departments],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO contact_way (config_id, state, remark, users) VALUES (?, ?, ?, ?)",
        [(w.config_id, w.state, w.remark, json.dumps(list(w.users), ensure_ascii=False))
         for w in snap.contact_ways],
    )


def _write_customers(conn: sqlite3.Connection, customers: list[CustomerRow]) -> None:
    conn.executemany(
        "INSERT INTO customer (external_userid, name, type, gender, corp_name, corp_full_name,"
        " position) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(external_userid) DO UPDATE SET"
        " name = excluded.name, type = excluded.type, gender = excluded.gender,"
        " corp_name = excluded.corp_name, corp_full_name = excluded.corp_full_name,"
        " position = excluded.position"
        " WHERE (name, type, gender, corp_name, corp_full_name, position) IS NOT"
        " (excluded.name, excluded.type, excluded.gender, excluded.corp_name,"
        " excluded.corp_full_name, excluded.position)",
        [(c.external_userid, c.name, c.type, c.gender, c.corp_name, c.corp_full_name, c.position)
         for c in customers],
    )


def _write_relations(
    conn: sqlite3.Connection, relations: list[RelationRow]
) -> dict[tuple[str, str], int]:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS seen_relation (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM seen_relation")
    conn.executemany(
        "INSERT INTO relation (external_userid, userid, remark, description, createtime, add_way,"
        " state, oper_userid, remark_corp_name, remark_mobiles)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(external_userid, userid) DO UPDATE SET"
        " remark = excluded.remark, description = excluded.description,"
        " createtime = excluded.createtime, add_way = excluded.add_way, state = excluded.state,"
        " oper_userid = excluded.oper_userid, remark_corp_name = excluded.remark_corp_name,"
        " remark_mobiles = excluded.remark_mobiles"
        " WHERE (remark, description, createtime, add_way, state, oper_userid,"
        " remark_corp_name, remark_mobiles) IS NOT (excluded.remark, excluded.description,"
        " excluded.createtime, excluded.add_way, excluded.state, excluded.oper_userid,"
        " excluded.remark_corp_name, excluded.remark_mobiles)",  # unchanged rows: no write
        [(r.external_userid, r.userid, r.remark, r.description, r.createtime, r.add_way, r.state,
          r.oper_userid, r.remark_corp_name,
          json.dumps(list(r.remark_mobiles)) if r.remark_mobiles else "[]")
         for r in relations],
    )
    ids = {
        (row[0], row[1]): row[2]
        for row in conn.execute("SELECT external_userid, userid, id FROM relation")
    }
    wanted = {(r.external_userid, r.userid) for r in relations}
    conn.executemany("INSERT OR IGNORE INTO seen_relation (id) VALUES (?)",
                     [(ids[key],) for key in wanted])
    for table in ("relation_tag", "personal_tag"):
        conn.execute(
            f"DELETE FROM {table} WHERE relation_id NOT IN (SELECT id FROM seen_relation)"
        )
    conn.execute("DELETE FROM relation WHERE id NOT IN (SELECT id FROM seen_relation)")
    return {key: ids[key] for key in wanted}


Changes = dict[int, tuple[set[int], set[int]]]  # relation id -> (tag pks before, tag pks after)


def _write_relation_tags(
    conn: sqlite3.Connection,
    relations: list[RelationRow],
    relation_ids: dict[tuple[str, str], int],
    tag_pks: dict[str, int],
    known_before: set[int],
) -> tuple[int, Changes, int]:
    # Each relation's links as one sorted "pk,pk" string: comparing strings is far cheaper
    # than building a million-element set when (as usual) almost nothing changed.
    current: dict[int, str] = dict(conn.execute(
        "SELECT relation_id, group_concat(tag_pk) FROM"
        " (SELECT relation_id, tag_pk FROM relation_tag ORDER BY relation_id, tag_pk)"
        " GROUP BY relation_id"
    ).fetchall())
    unknown = 0
    added_rows: list[tuple[int, int]] = []
    removed_rows: list[tuple[int, int]] = []
    observed: Changes = {}
    links = 0
    for rel in relations:
        rid = relation_ids[(rel.external_userid, rel.userid)]
        wanted: set[int] = set()
        for tag_id in rel.tag_ids:
            pk = tag_pks.get(tag_id)
            if pk is None:
                unknown += 1
            else:
                wanted.add(pk)
        links += len(wanted)
        stored = current.get(rid, "")
        if stored == ",".join(map(str, sorted(wanted))):
            continue
        have = {int(pk) for pk in stored.split(",")} if stored else set()
        added_rows.extend((rid, pk) for pk in wanted - have)
        removed_rows.extend((rid, pk) for pk in have - wanted)
        if rid in known_before:
            observed[rid] = (have, wanted)
    conn.executemany(
        "DELETE FROM relation_tag WHERE relation_id = ? AND tag_pk = ?", removed_rows
    )
    conn.executemany("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (?, ?)", added_rows)
    return links, observed, unknown


def _observed_entries(
    conn: sqlite3.Connection, observed: Changes, operator: str
) -> Iterable[journal.JournalEntry]:
    tags = {
        row[0]: (row[1], row[2], row[3])
        for row in conn.execute(
            "SELECT t.pk, t.id, t.name, g.name FROM tag t JOIN tag_group g ON g.id = t.group_id"
        )
    }
    keys = {
        row[0]: (row[1], row[2])
        for row in conn.execute("SELECT id, external_userid, userid FROM relation")
        if row[0] in observed
    }
    now = time.time()
    for rid in sorted(observed):
        before, after = observed[rid]
        external_userid, userid = keys[rid]
        before_json = json.dumps(sorted(tags[pk][0] for pk in before))
        after_json = json.dumps(sorted(tags[pk][0] for pk in after))
        for action, pks in (("tag_add", after - before), ("tag_remove", before - after)):
            for pk in sorted(pks):
                tag_id, tag_name, group_name = tags[pk]
                yield journal.JournalEntry(
                    operator=operator, action=action, source="observed",
                    external_userid=external_userid, userid=userid,
                    tag_id=tag_id, tag_name=tag_name, group_name=group_name,
                    before=before_json, after=after_json,
                    reason="同步时发现的变更（手机或其他工具） / seen at sync (phone or another tool)",
                    ts=now,
                )
