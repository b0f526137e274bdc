"""SQL for the leaves of a filter plan, each answered as a bitmap of relation ids.

These functions only read; `FilterIndex` decides what to keep. Tag leaves use the
`relation_tag_by_tag (tag_pk, relation_id)` index, scalar leaves the relation indexes.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence

from pyroaring import BitMap, FrozenBitMap

from desktop.store.filter_catalogue import LIVE_TAG_PKS

CHUNK = 500  # values per `IN (...)`, well under SQLite's parameter limit

ORDER_SQL = {
    "createtime": "SELECT id FROM relation ORDER BY createtime, id",
    "name": "SELECT r.id FROM relation r LEFT JOIN customer c"
            " ON c.external_userid = r.external_userid ORDER BY c.name, r.id",
    "corp_name": "SELECT r.id FROM relation r LEFT JOIN customer c"
                 " ON c.external_userid = r.external_userid ORDER BY c.corp_name, r.id",
    "owner": "SELECT r.id FROM relation r LEFT JOIN member m ON m.userid = r.userid"
             " ORDER BY m.name, r.userid, r.id",
    "remark": "SELECT id FROM relation ORDER BY remark, id",
    "state": "SELECT id FROM relation ORDER BY state, id",
}
"""The sort orders `relation_ids` offers (a whitelist: never interpolate user text)."""

_TEXT_SQL = (
    "SELECT r.id, r.remark, r.description, r.remark_corp_name,"
    " coalesce(c.name, ''), coalesce(c.corp_name, ''), coalesce(c.corp_full_name, '')"
    " FROM relation r LEFT JOIN customer c ON c.external_userid = r.external_userid"
)
FIELD_SEPARATOR = "\x1f"
ROW_SEPARATOR = "\x00"


def _ids(conn: sqlite3.Connection, sql: str, params: Sequence[object] = ()) -> FrozenBitMap:
    return FrozenBitMap(row[0] for row in conn.execute(sql, params))


def _ids_in(conn: sqlite3.Connection, sql: str, values: Iterable[object]) -> FrozenBitMap:
    """`sql` has one `{}` for the placeholders of an `IN (...)`; values go in chunks."""
    ordered = sorted(values, key=str)
    result = BitMap()
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        result |= _ids(conn, sql.format(",".join("?" * len(chunk))), chunk)
    return FrozenBitMap(result)


def universe(conn: sqlite3.Connection) -> FrozenBitMap:
    return _ids(conn, "SELECT id FROM relation")


def tagged(conn: sqlite3.Connection, pk: int) -> FrozenBitMap:
    return _ids(conn, "SELECT relation_id FROM relation_tag WHERE tag_pk = ?", (pk,))


def owned_by(conn: sqlite3.Connection, userids: Iterable[str]) -> FrozenBitMap:
    return _ids_in(conn, "SELECT id FROM relation WHERE userid IN ({})", userids)


def with_state(conn: sqlite3.Connection, states: Iterable[str]) -> FrozenBitMap:
    return _ids_in(conn, "SELECT id FROM relation WHERE state IN ({})", states)


def created_between(conn: sqlite3.Connection, start: int | None, end: int | None) -> FrozenBitMap:
    clauses, params = [], []
    if start is not None:
        clauses.append("createtime >= ?")
        params.append(start)
    if end is not None:
        clauses.append("createtime < ?")
        params.append(end)
    where = " AND ".join(clauses) or "1"
    return _ids(conn, f"SELECT id FROM relation WHERE {where}", params)


def tag_count_buckets(conn: sqlite3.Connection) -> dict[int, FrozenBitMap]:
    """Relations by their number of live corp tags (relations without tags are not listed)."""
    buckets: dict[int, BitMap] = {}
    for relation_id, count in conn.execute(
        f"SELECT relation_id, count(*) FROM relation_tag WHERE tag_pk IN ({LIVE_TAG_PKS})"
        " GROUP BY relation_id"
    ):
        bucket = buckets.get(count)
        if bucket is None:
            bucket = buckets[count] = BitMap()
        bucket.add(relation_id)
    return {count: FrozenBitMap(bucket) for count, bucket in buckets.items()}


def shared_customers(conn: sqlite3.Connection) -> dict[int, int]:
    """relation id → customer number, for customers with more than one relation only."""
    numbers: dict[str, int] = {}
    shared: dict[int, int] = {}
    for relation_id, external_userid in conn.execute(
        "SELECT id, external_userid FROM relation WHERE external_userid IN ("
        " SELECT external_userid FROM relation GROUP BY external_userid HAVING count(*) > 1)"
    ):
        shared[relation_id] = numbers.setdefault(external_userid, len(numbers))
    return shared


def searchable_text(conn: sqlite3.Connection) -> tuple[list[int], list[str]]:
    """Relation ids and, aligned, each relation's text fields folded for substring search."""
    ids: list[int] = []
    texts: list[str] = []
    for row in conn.execute(_TEXT_SQL):
        ids.append(row[0])
        texts.append(FIELD_SEPARATOR.join(row[1:]).replace(ROW_SEPARATOR, ""))
    folded = unicodedata.normalize("NFKC", ROW_SEPARATOR.join(texts)).casefold()
    return ids, folded.split(ROW_SEPARATOR) if ids else []


def ordered_ids(conn: sqlite3.Connection, order_by: str) -> list[int]:
    return [row[0] for row in conn.execute(ORDER_SQL[order_by])]
