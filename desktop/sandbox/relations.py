"""Customers and follow relations: lookups, tag changes and the paging of batch/get_by_user."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from desktop.sandbox import tag_library
from desktop.sandbox.tag_library import Tag

_RELATION_COLUMNS = (
    "id, userid, external_userid, remark, description, createtime, remark_corp_name,"
    " remark_mobiles, oper_userid, add_way, state"
)


@dataclass(frozen=True)
class Relation:
    id: int
    userid: str
    external_userid: str
    remark: str
    description: str
    createtime: int
    remark_corp_name: str
    remark_mobiles: list[str]
    oper_userid: str
    add_way: int
    state: str


def _relation(row: tuple[Any, ...]) -> Relation:
    return Relation(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        json.loads(row[7]),
        row[8],
        row[9],
        row[10],
    )


def find_relation(conn: sqlite3.Connection, userid: str, external_userid: str) -> Relation | None:
    row = conn.execute(
        f"SELECT {_RELATION_COLUMNS} FROM relation WHERE userid = ? AND external_userid = ?",
        (userid, external_userid),
    ).fetchone()
    return _relation(row) if row else None


def relations_of_customer(conn: sqlite3.Connection, external_userid: str) -> list[Relation]:
    rows = conn.execute(
        f"SELECT {_RELATION_COLUMNS} FROM relation WHERE external_userid = ? ORDER BY id",
        (external_userid,),
    )
    return [_relation(row) for row in rows]


def customer_exists(conn: sqlite3.Connection, external_userid: str) -> bool:
    found = conn.execute("SELECT 1 FROM customer WHERE external_userid = ?", (external_userid,))
    return found.fetchone() is not None


def tag_keys(conn: sqlite3.Connection, relation_id: int) -> set[int]:
    rows = conn.execute("SELECT tag_key FROM relation_tag WHERE relation_id = ?", (relation_id,))
    return {row[0] for row in rows}


def change_tags(
    conn: sqlite3.Connection, relation_id: int, add: set[int], remove: set[int]
) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO relation_tag (relation_id, tag_key) VALUES (?, ?)",
        [(relation_id, key) for key in sorted(add)],
    )
    conn.executemany(
        "DELETE FROM relation_tag WHERE relation_id = ? AND tag_key = ?",
        [(relation_id, key) for key in sorted(remove)],
    )


def delete_relation(conn: sqlite3.Connection, relation_id: int) -> None:
    conn.execute("DELETE FROM relation_tag WHERE relation_id = ?", (relation_id,))
    conn.execute("DELETE FROM personal_tag WHERE relation_id = ?", (relation_id,))
    conn.execute("DELETE FROM relation WHERE id = ?", (relation_id,))


def tags_of_relations(conn: sqlite3.Connection, relation_ids: list[int]) -> dict[int, list[Tag]]:
    """Live corp and strategy tags per relation, in tag-key order."""
    if not relation_ids:
        return {}
    marks = ",".join("?" * len(relation_ids))
    links = conn.execute(
        f"SELECT relation_id, tag_key FROM relation_tag WHERE relation_id IN ({marks})"
        " ORDER BY relation_id, tag_key",
        relation_ids,
    ).fetchall()
    tags = {t.key: t for t in tag_library.tags_by_keys(conn, sorted({k for _, k in links}))}
    found: dict[int, list[Tag]] = {}
    for relation_id, key in links:
        found.setdefault(relation_id, []).append(tags[key])
    return found


def personal_tags_of(
    conn: sqlite3.Connection, relation_ids: list[int]
) -> dict[int, list[tuple[str, str]]]:
    if not relation_ids:
        return {}
    marks = ",".join("?" * len(relation_ids))
    found: dict[int, list[tuple[str, str]]] = {}
    for relation_id, group_name, tag_name in conn.execute(
        "SELECT relation_id, group_name, tag_name FROM personal_tag"
        f" WHERE relation_id IN ({marks}) ORDER BY rowid",
        relation_ids,
    ):
        found.setdefault(relation_id, []).append((group_name, tag_name))
    return found


def customer_profiles(
    conn: sqlite3.Connection, external_userids: list[str]
) -> dict[str, dict[str, Any]]:
    """`external_contact` objects as WeCom renders them; company fields only for type 2."""
    if not external_userids:
        return {}
    marks = ",".join("?" * len(external_userids))
    profiles = {}
    for row in conn.execute(
        "SELECT external_userid, name, type, gender, avatar, unionid, position, corp_name,"
        f" corp_full_name FROM customer WHERE external_userid IN ({marks})",
        external_userids,
    ):
        profile: dict[str, Any] = {
            "external_userid": row[0],
            "name": row[1],
            "type": row[2],
            "gender": row[3],
            "avatar": row[4],
        }
        if row[5]:
            profile["unionid"] = row[5]
        if row[2] == 2:
            profile.update(
                position=row[6],
                corp_name=row[7],
                corp_full_name=row[8],
                external_profile={"external_attr": []},
            )
        profiles[row[0]] = profile
    return profiles


def follow_info(relation: Relation) -> dict[str, Any]:
    """The fields shared by `get`'s follow_user and batch/get_by_user's follow_info."""
    info: dict[str, Any] = {
        "userid": relation.userid,
        "remark": relation.remark,
        "description": relation.description,
        "createtime": relation.createtime,
        "remark_corp_name": relation.remark_corp_name,
        "remark_mobiles": relation.remark_mobiles,
        "oper_userid": relation.oper_userid,
        "add_way": relation.add_way,
    }
    if relation.state:
        info["state"] = relation.state
    return info


def page_relations(
    conn: sqlite3.Connection, userids: list[str], start: tuple[int, int], limit: int
) -> tuple[list[Relation], tuple[int, int] | None]:
    """Relations of `userids` (member by member, by relation id) from position `start`.

    A position is (index into userids, last relation id seen). Returns the page and the
    position after it, or None when nothing follows: one row of look-ahead guarantees that
    the last page, not an extra empty one, ends the paging.
    """
    user_index, after_id = start
    rows: list[tuple[int, Relation]] = []
    while user_index < len(userids) and len(rows) <= limit:
        wanted = limit + 1 - len(rows)
        chunk = conn.execute(
            f"SELECT {_RELATION_COLUMNS} FROM relation WHERE userid = ? AND id > ?"
            " ORDER BY id LIMIT ?",
            (userids[user_index], after_id, wanted),
        ).fetchall()
        rows.extend((user_index, _relation(row)) for row in chunk)
        if len(chunk) == wanted:
            break
        user_index, after_id = user_index + 1, 0
    if len(rows) <= limit:
        return [relation for _, relation in rows], None
    page = rows[:limit]
    last_index, last = page[-1]
    return [relation for _, relation in page], (last_index, last.id)
