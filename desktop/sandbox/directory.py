"""Departments and members: lookups shared by the contact, tag and message APIs."""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def department_parents(conn: sqlite3.Connection) -> dict[int, int]:
    return dict(conn.execute("SELECT id, parentid FROM department"))


def subtree(conn: sqlite3.Connection, root: int) -> list[int]:
    """`root` and every department below it, parents before children."""
    children: dict[int, list[int]] = {}
    for department, parent in conn.execute("SELECT id, parentid FROM department ORDER BY id"):
        children.setdefault(parent, []).append(department)
    found, pending = [], [root]
    while pending:
        department = pending.pop(0)
        found.append(department)
        pending.extend(children.get(department, []))
    return found


def department_exists(conn: sqlite3.Connection, department: int) -> bool:
    return (
        conn.execute("SELECT 1 FROM department WHERE id = ?", (department,)).fetchone() is not None
    )


def member_exists(conn: sqlite3.Connection, userid: str) -> bool:
    return conn.execute("SELECT 1 FROM member WHERE userid = ?", (userid,)).fetchone() is not None


def is_follow_user(conn: sqlite3.Connection, userid: str) -> bool:
    row = conn.execute("SELECT follow_enabled FROM member WHERE userid = ?", (userid,)).fetchone()
    return bool(row and row[0])


def follow_users(conn: sqlite3.Connection) -> list[str]:
    """Members with customer contact enabled, in directory order."""
    return [
        r[0]
        for r in conn.execute("SELECT userid FROM member WHERE follow_enabled = 1 ORDER BY seq")
    ]


def members_in(conn: sqlite3.Connection, departments: list[int], *, recursive: bool) -> list[str]:
    wanted: set[int] = set()
    for department in departments:
        wanted.update(subtree(conn, department) if recursive else [department])
    if not wanted:
        return []
    marks = ",".join("?" * len(wanted))
    return [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT m.userid, m.seq FROM member m JOIN member_department d"
            f" ON d.userid = m.userid WHERE d.department_id IN ({marks}) ORDER BY m.seq",
            sorted(wanted),
        )
    ]


def in_strategy_range(conn: sqlite3.Connection, userid: str, strategy_id: int) -> bool:
    """Whether the member is in the rule group's range (a department covers its subtree)."""
    covered: set[int] = set()
    for kind, member, party in conn.execute(
        "SELECT type, userid, partyid FROM strategy_range WHERE strategy_id = ?", (strategy_id,)
    ):
        if kind == 1 and member == userid:
            return True
        if kind == 2 and party is not None:
            covered.add(party)
    parents = department_parents(conn)
    for (department,) in conn.execute(
        "SELECT department_id FROM member_department WHERE userid = ?", (userid,)
    ):
        while department:
            if department in covered:
                return True
            department = parents.get(department, 0)
    return False


def render_member(conn: sqlite3.Connection, userid: str) -> dict[str, Any] | None:
    """A member as `user/get` answers it, or None when there is no such member."""
    row = conn.execute(
        "SELECT userid, name, position, mobile, gender, email, alias, status, main_department,"
        " direct_leader FROM member WHERE userid = ?",
        (userid,),
    ).fetchone()
    if row is None:
        return None
    memberships = conn.execute(
        "SELECT department_id, ord, is_leader FROM member_department WHERE userid = ? ORDER BY idx",
        (userid,),
    ).fetchall()
    return {
        "userid": row[0],
        "name": row[1],
        "department": [m[0] for m in memberships],
        "order": [m[1] for m in memberships],
        "position": row[2],
        "mobile": row[3],
        "gender": row[4],
        "email": row[5],
        "is_leader_in_dept": [m[2] for m in memberships],
        "direct_leader": json.loads(row[9]),
        "avatar": f"https://wework.qpic.cn/wwhead/{row[0]}/0",
        "thumb_avatar": f"https://wework.qpic.cn/wwhead/{row[0]}/100",
        "telephone": "",
        "alias": row[6],
        "status": row[7],
        "main_department": row[8],
        "extattr": {"attrs": []},
        "qr_code": f"https://open.work.weixin.qq.com/wwopen/userQRCode?vcode={row[0]}",
        "external_position": "",
        "address": "",
        "open_userid": f"woAAA{row[0]}",
    }
