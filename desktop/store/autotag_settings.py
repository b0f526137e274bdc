"""Auto-tagging settings of one profile: keywords per tag, and reviewed suggestions.

A review is a person's verdict on one suggestion (this tag for this relation, on this
evidence): accepted or rejected, or reverted when a revert took off the tag an accepted
suggestion's batch added. Reviews are the corp's own training data.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from desktop.domain.autotag_reverts import ACCEPTED as ACCEPTED
from desktop.domain.autotag_reverts import REJECTED as REJECTED
from desktop.domain.autotag_reverts import REVERTED as REVERTED
from desktop.store.db import Cache


@dataclass(frozen=True)
class Review:
    external_userid: str
    userid: str
    tag_name: str
    verdict: str
    message_ids: tuple[int, ...]
    operator: str = ""
    ts: float = 0.0
    tag_id: str = ""     # sent to a team server with the name (not kept in the cache)


def keywords(cache: Cache) -> dict[str, list[str]]:
    """Tag name → keywords, in name order."""
    return {row[0]: list(json.loads(row[1])) for row in cache.query(
        "SELECT tag_name, keywords FROM autotag_keywords ORDER BY tag_name COLLATE pinyin")}


def save_keywords(cache: Cache, wanted: Mapping[str, Sequence[str]], *,
                  replace_all: bool = False) -> None:
    """Set the keywords of these tags (all others dropped with `replace_all`)."""
    with cache.write() as conn:
        if replace_all:
            conn.execute("DELETE FROM autotag_keywords")
        conn.executemany(
            "INSERT INTO autotag_keywords (tag_name, keywords) VALUES (?, ?)"
            " ON CONFLICT(tag_name) DO UPDATE SET keywords = excluded.keywords",
            [(name, json.dumps(list(words), ensure_ascii=False))
             for name, words in wanted.items()])


def respell_keywords(conn: sqlite3.Connection, respelled: Callable[[str], str]) -> int:
    """Key each tag's keywords by its name passed through `respelled` (a tag or a group was
    renamed), in the caller's transaction; keywords meeting others under the new name join
    them. How many tags' keywords moved."""
    moved = 0
    for name, text in conn.execute("SELECT tag_name, keywords FROM autotag_keywords").fetchall():
        new = respelled(name)
        if new == name:
            continue
        row = conn.execute("SELECT keywords FROM autotag_keywords WHERE tag_name = ?",
                           (new,)).fetchone()
        words = [*(json.loads(row[0]) if row else []), *json.loads(text)]
        conn.execute("DELETE FROM autotag_keywords WHERE tag_name = ?", (name,))
        conn.execute("INSERT INTO autotag_keywords (tag_name, keywords) VALUES (?, ?)"
                     " ON CONFLICT(tag_name) DO UPDATE SET keywords = excluded.keywords",
                     (new, json.dumps(list(dict.fromkeys(words)), ensure_ascii=False)))
        moved += 1
    return moved


def respell_reviews(conn: sqlite3.Connection, respelled: Callable[[str], str]) -> int:
    """Name each verdict's tag as `respelled` spells it (a tag or a group was renamed), in the
    caller's transaction, so that the suggestion under the new name keeps its verdicts. How
    many verdicts were respelled."""
    moved = 0
    for (name,) in conn.execute("SELECT DISTINCT tag_name FROM autotag_review").fetchall():
        new = respelled(name)
        if new != name:
            moved += conn.execute("UPDATE autotag_review SET tag_name = ? WHERE tag_name = ?",
                                  (new, name)).rowcount
    return moved


def remove_keywords(cache: Cache, names: Iterable[str]) -> int:
    """Forget these tags' keywords; returns how many were stored."""
    with cache.write() as conn:
        before = conn.total_changes
        conn.executemany("DELETE FROM autotag_keywords WHERE tag_name = ?",
                         [(name,) for name in names])
        return conn.total_changes - before


def record_reviews(cache: Cache, reviews: Iterable[Review], operator: str) -> int:
    now = time.time()
    rows = [(now, operator, r.external_userid, r.userid, r.tag_name, r.verdict,
             json.dumps(list(r.message_ids))) for r in reviews]
    with cache.write() as conn:
        insert_reviews(conn, rows)
    return len(rows)


def insert_reviews(conn: sqlite3.Connection,
                   rows: Sequence[tuple[float, str, str, str, str, str, str]]) -> None:
    """(ts, operator, external_userid, userid, tag name, verdict, message ids as JSON) rows,
    inside the caller's transaction."""
    conn.executemany(
        "INSERT INTO autotag_review (ts, operator, external_userid, userid, tag_name,"
        " verdict, message_ids) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def reviews(cache: Cache) -> list[Review]:
    """Every review, oldest first (a later verdict on the same suggestion overrides)."""
    return _reviews(cache)


def latest_reviews(cache: Cache) -> dict[tuple[str, str, str], Review]:
    """The latest verdict on each suggestion, by (external_userid, userid, tag name)."""
    return _latest(reviews(cache))


def latest_on_relation(cache: Cache, external_userid: str,
                       userid: str) -> dict[tuple[str, str, str], Review]:
    """The latest verdict on each suggestion for one relation."""
    return _latest(_reviews(cache, " WHERE external_userid = ? AND userid = ?",
                            (external_userid, userid)))


def _reviews(cache: Cache, where: str = "", params: tuple[str, ...] = ()) -> list[Review]:
    return [Review(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])), row[5], row[6])
            for row in cache.query(
                "SELECT external_userid, userid, tag_name, verdict, message_ids, operator, ts"
                f" FROM autotag_review{where} ORDER BY id", params)]


def _latest(reviews: list[Review]) -> dict[tuple[str, str, str], Review]:
    return {(r.external_userid, r.userid, r.tag_name): r for r in reviews}
