"""The text a `text:` filter searches, folded once per relation in `relation_search`.

A relation's searchable fields (remark, description, remark corp name, the customer's
name, corp name and corp full name, external_userid, remark mobiles) are joined by
char(31) and folded by `fold_text`. Triggers (schema migration 12) make a row stale
(NULL) whenever its relation's or customer's fields are written, by any connection;
`refresh` folds the stale rows again (the sync's merge calls it before its commit).
Readers fold stale rows on the fly, so a result never depends on when `refresh` ran.
"""

from __future__ import annotations

import sqlite3

from desktop.domain.filter.suggest import fold_text
from desktop.store import joined_ids

FIELDS = (  # of a relation `r` left-joined to its customer `c`; char(0) separates rows
    "replace(r.remark || char(31) || r.description || char(31) || r.remark_corp_name ||"
    " char(31) || coalesce(c.name, '') || char(31) || coalesce(c.corp_name, '') || char(31) ||"
    " coalesce(c.corp_full_name, '') || char(31) || r.external_userid || char(31) ||"
    " r.remark_mobiles, char(0), '')"
)
CUSTOMER_JOIN = "LEFT JOIN customer c ON c.external_userid = r.external_userid"
FOLD = "tagdesk_fold"
FOLDED_CONTAINS = "tagdesk_folded_contains"
STALE = "SELECT relation_id FROM relation_search WHERE folded IS NULL"
FOUND_IN_FOLDED = "SELECT relation_id FROM relation_search WHERE instr(folded, ?) > 0"


def _fold(text: str | None) -> str | None:
    return None if text is None else fold_text(text)


def _folded_contains(text: str, needle: str) -> bool:
    return needle in fold_text(text)


def fold_fields(remark: str, description: str, remark_corp_name: str, name: str,
                corp_name: str, corp_full_name: str, external_userid: str,
                remark_mobiles: str) -> str:
    """What `refresh` folds for a relation with these fields (`FIELDS`, joined in Python)."""
    return fold_text("\x1f".join((remark, description, remark_corp_name, name, corp_name,
                                   corp_full_name, external_userid, remark_mobiles)
                                  ).replace("\x00", ""))


def with_functions(conn: sqlite3.Connection) -> sqlite3.Connection:
    """`conn` able to run this module's SQL (its two folding functions registered)."""
    conn.create_function(FOLD, 1, _fold, deterministic=True)
    conn.create_function(FOLDED_CONTAINS, 2, _folded_contains, deterministic=True)
    return conn


def has_stale(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute(f"SELECT EXISTS ({STALE})").fetchone()[0])


def refresh(conn: sqlite3.Connection) -> None:
    """Fold the stale rows again, inside the caller's write transaction (about 4 µs a row;
    0.5 s of CPU after a first sync of 100,000 customers)."""
    with_functions(conn).execute(
        "DELETE FROM relation_search WHERE folded IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM relation WHERE id = relation_search.relation_id)")
    conn.execute(f"INSERT OR REPLACE INTO relation_search (relation_id, folded) SELECT r.id,"
                 f" {FOLD}({FIELDS}) FROM relation r {CUSTOMER_JOIN} WHERE r.id IN ({STALE})")


def matching_ids(conn: sqlite3.Connection, needle: str) -> list[int]:
    """Ids of the relations whose folded text contains `needle` (folded): one pass over the
    folded rows in SQL, stale rows folded here."""
    joined = conn.execute(f"SELECT group_concat(relation_id) FROM ({FOUND_IN_FOLDED})",
                          (needle,)).fetchone()[0]
    ids = joined_ids.parse(joined)
    if has_stale(conn):
        ids += (row[0] for row in with_functions(conn).execute(
            f"SELECT r.id FROM relation r {CUSTOMER_JOIN} WHERE r.id IN ({STALE})"
            f" AND {FOLDED_CONTAINS}({FIELDS}, ?)", (needle,)))
    return ids


def folded_texts(conn: sqlite3.Connection) -> tuple[list[int], list[str]]:
    """Every relation's id and, aligned, its folded text (stale rows folded here)."""
    joined, texts = conn.execute(
        "SELECT group_concat(relation_id), group_concat(folded, char(0)) FROM relation_search"
        " WHERE folded IS NOT NULL").fetchone()
    ids = joined_ids.parse(joined)
    folded = texts.split("\x00") if texts is not None else []
    for relation_id, text in conn.execute(
        f"SELECT r.id, {FIELDS} FROM relation r {CUSTOMER_JOIN} WHERE r.id IN ({STALE})"
    ):
        ids.append(relation_id)
        folded.append(fold_text(text))
    return ids, folded
