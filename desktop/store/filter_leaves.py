"""SQL for the leaves of a filter plan, each answered as a bitmap of relation ids.

These functions only read; `FilterIndex` decides what to keep. Tag leaves use the
`relation_tag_by_tag (tag_pk, relation_id)` index, scalar leaves the relation indexes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from pyroaring import BitMap, FrozenBitMap

from desktop.store import joined_ids, search_text
from desktop.store.filter_catalogue import LIVE_TAG_PKS

CHUNK = 500  # values per `IN (...)`, well under SQLite's parameter limit

ORDER_SQL = {
    "createtime": "SELECT id FROM relation ORDER BY createtime, id",
    "name": "SELECT r.id FROM relation r LEFT JOIN customer c"
            " ON c.external_userid = r.external_userid ORDER BY c.name_sort, r.id",
    "corp_name": "SELECT r.id FROM relation r LEFT JOIN customer c"
                 " ON c.external_userid = r.external_userid ORDER BY c.corp_name, r.id",
    "owner": "SELECT r.id FROM relation r LEFT JOIN member m ON m.userid = r.userid"
             " LEFT JOIN customer c ON c.external_userid = r.external_userid"
             " ORDER BY m.name_sort, r.userid, c.name_sort, r.id",
    "remark": "SELECT id FROM relation ORDER BY remark, id",
    "state": "SELECT id FROM relation ORDER BY state, id",
}
"""The sort orders `relation_ids` offers (a whitelist: never interpolate user text). One
owner's customers follow one another by name, as the name order sorts them."""

ROW_SEPARATOR = "\x00"  # never part of a folded text (`search_text.FIELDS`)
_DEAD_TAGS = (  # dead(pk): linked tags that are deleted, in a deleted group or unknown
    # The known ones are probed tag by tag; unknown pks are looked for along the (tag_pk, …)
    # index only in the gaps between known pks (usually two: below and above them all), not by
    # a skip over every linked pk (1,500 probes, 7 ms at 100,000 customers).
    "WITH RECURSIVE gap(first, last) AS ("
    " SELECT -9223372036854775807 - 1, coalesce((SELECT min(pk) FROM tag) - 1,"
    " 9223372036854775807) UNION ALL"
    " SELECT pk + 1, coalesce(next - 1, 9223372036854775807) FROM (SELECT pk,"
    " lead(pk) OVER (ORDER BY pk) AS next FROM tag) WHERE next IS NULL OR next > pk + 1),"
    " unknown(pk, last) AS ("
    " SELECT (SELECT min(tag_pk) FROM relation_tag WHERE tag_pk >= gap.first"
    " AND tag_pk <= gap.last), gap.last FROM gap UNION ALL"
    " SELECT (SELECT min(tag_pk) FROM relation_tag WHERE tag_pk > unknown.pk"
    " AND tag_pk <= unknown.last), unknown.last FROM unknown WHERE unknown.pk IS NOT NULL),"
    " dead(pk) AS (SELECT pk FROM unknown WHERE pk IS NOT NULL UNION"
    f" SELECT pk FROM tag WHERE pk NOT IN ({LIVE_TAG_PKS})"
    " AND EXISTS (SELECT 1 FROM relation_tag WHERE tag_pk = tag.pk))"
)
DEAD_LINKED_PKS = f"{_DEAD_TAGS} SELECT pk FROM dead"
_DEAD_LINKS_SQL = (  # links to tags that are deleted, in a deleted group or unknown
    f"{_DEAD_TAGS}"
    " SELECT n, group_concat(relation_id) FROM (SELECT relation_id, count(*) AS n"
    " FROM relation_tag WHERE tag_pk IN (SELECT pk FROM dead) GROUP BY relation_id) GROUP BY n"
)


def _ids(conn: sqlite3.Connection, sql: str, params: Sequence[object] = ()) -> FrozenBitMap:
    """The ids `sql` (one column, `id`) selects, fetched as one `group_concat`."""
    return FrozenBitMap(joined_ids.parse(conn.execute(
        f"SELECT group_concat(id) FROM ({sql})", params).fetchone()[0]))


def _ids_in(conn: sqlite3.Connection, sql: str, values: Iterable[object]) -> FrozenBitMap:
    """`sql` has one `{}` for the placeholders of an `IN (...)`; values go in chunks."""
    ordered = sorted(values, key=str)
    result = BitMap()
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        result |= _ids(conn, sql.format(",".join("?" * len(chunk))), chunk)
    return FrozenBitMap(result)


def universe(conn: sqlite3.Connection) -> FrozenBitMap:
    """All relation ids; without gaps (the usual case) it is a range and costs nothing."""
    count = conn.execute("SELECT count(*) FROM relation").fetchone()[0]
    low = conn.execute("SELECT min(id) FROM relation").fetchone()[0]
    high = conn.execute("SELECT max(id) FROM relation").fetchone()[0]
    if not count:
        return FrozenBitMap()
    if high - low + 1 == count:
        return FrozenBitMap(range(low, high + 1))
    return _ids(conn, "SELECT id FROM relation")


def tagged(conn: sqlite3.Connection, pk: int) -> FrozenBitMap:
    return FrozenBitMap(joined_ids.parse(conn.execute(
        "SELECT group_concat(relation_id) FROM relation_tag WHERE tag_pk = ?", (pk,)
    ).fetchone()[0]))


def every_tagged(conn: sqlite3.Connection) -> dict[int, FrozenBitMap]:
    """Every linked tag's relations, in one pass over the `(tag_pk, relation_id)` index."""
    return {pk: FrozenBitMap(joined_ids.parse(ids)) for pk, ids in conn.execute(
        "SELECT tag_pk, group_concat(relation_id) FROM relation_tag GROUP BY tag_pk")}


def grouped(conn: sqlite3.Connection, column: str) -> dict[str, FrozenBitMap]:
    """Relation ids by the value of `column` ("userid" or "state"), in one pass."""
    if column not in ("userid", "state"):
        raise ValueError(f"cannot group relations by {column!r}")
    return {value: FrozenBitMap(joined_ids.parse(ids)) for value, ids in conn.execute(
        f"SELECT {column}, group_concat(id) FROM relation GROUP BY {column}")}


def by_createtime(conn: sqlite3.Connection) -> tuple[list[float], list[int]]:
    """Every relation's createtime in ascending order, and aligned, its id."""
    times, ids = conn.execute(
        "SELECT group_concat(createtime), group_concat(id) FROM"
        " (SELECT createtime, id FROM relation ORDER BY createtime, id)").fetchone()
    return list(map(float, times.split(","))) if times else [], joined_ids.parse(ids)


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


def dead_linked(conn: sqlite3.Connection) -> frozenset[int]:
    """The linked tags not counted by `tag_count_buckets` (deleted, in a deleted group, unknown)."""
    return frozenset(row[0] for row in conn.execute(DEAD_LINKED_PKS))


def tag_count_buckets(conn: sqlite3.Connection) -> dict[int, FrozenBitMap]:
    """Relations by their number of live corp tags (relations without any are not listed).

    Each relation's count of links is kept (`relation.tag_count`, one pass over its index);
    links to dead tags (usually none) are then taken off, instead of checking each link's tag.
    """
    buckets = {
        count: BitMap(joined_ids.parse(ids)) for count, ids in conn.execute(
            "SELECT tag_count, group_concat(id) FROM relation WHERE tag_count > 0"
            " GROUP BY tag_count"
        )
    }
    for dead, ids in conn.execute(_DEAD_LINKS_SQL).fetchall():
        affected = BitMap(joined_ids.parse(ids))
        for count in sorted(buckets):
            moved = buckets[count] & affected
            if moved:
                buckets[count] -= moved
                buckets.setdefault(count - dead, BitMap()).update(moved)
    return {count: FrozenBitMap(bm) for count, bm in buckets.items() if count > 0 and bm}


def tag_count_range(conn: sqlite3.Connection, low: int, high: int | None) -> FrozenBitMap:
    """Relations with `low <= links < high` (`high` None: no bound), along the tag-count
    index: their live tags when no dead tag is linked."""
    if high is None:
        return FrozenBitMap(joined_ids.parse(conn.execute(
            "SELECT group_concat(id) FROM relation WHERE tag_count >= ?", (low,)).fetchone()[0]))
    return FrozenBitMap(joined_ids.parse(conn.execute(
        "SELECT group_concat(id) FROM relation WHERE tag_count >= ? AND tag_count < ?",
        (low, high)).fetchone()[0]))


def links_of(
    conn: sqlite3.Connection, relation_ids: Iterable[int]
) -> tuple[dict[int, BitMap], dict[int, int]]:
    """The corp-tag links of a few relations, looked up by primary key: their relations
    by tag pk, and each relation's number of live tags (0 for none, as `tag_count_buckets`
    counts them)."""
    ordered = sorted(relation_ids)
    by_tag: dict[int, BitMap] = {}
    live = dict.fromkeys(ordered, 0)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        for relation_id, pk, is_live in conn.execute(
            f"SELECT relation_id, tag_pk, tag_pk IN ({LIVE_TAG_PKS}) FROM relation_tag"
            f" WHERE relation_id IN ({','.join('?' * len(chunk))})", chunk,
        ):
            by_tag.setdefault(pk, BitMap()).add(relation_id)
            live[relation_id] += is_live
    return by_tag, live


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


def customers_of(conn: sqlite3.Connection, relation_ids: Iterable[int]) -> set[str]:
    """The distinct customers of a few relations, looked up by primary key."""
    ordered = list(relation_ids)
    found: set[str] = set()
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        found.update(row[0] for row in conn.execute(
            f"SELECT external_userid FROM relation WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        ))
    return found


def text_matches(conn: sqlite3.Connection, needle: str) -> FrozenBitMap:
    """Relations whose text fields, folded, contain `needle` (folded), searched in SQL."""
    return FrozenBitMap(search_text.matching_ids(conn, needle))


def searchable_text(conn: sqlite3.Connection) -> tuple[list[int], list[str]]:
    """Relation ids and, aligned, each relation's text fields folded for substring search."""
    return search_text.folded_texts(conn)


def ordered_ids(conn: sqlite3.Connection, order_by: str) -> list[int]:
    return [row[0] for row in conn.execute(ORDER_SQL[order_by])]
