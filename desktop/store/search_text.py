"""The text a `text:` filter searches, folded once per relation in `relation_search`.

A relation's searchable fields (remark, description, remark corp name, the customer's
name, corp name and corp full name, external_userid, remark mobiles) are joined by
char(31) and folded by `fold_text`. Triggers (schema migration 12) make a row stale
(NULL) whenever its relation's or customer's fields are written, by any connection;
`refresh` folds the stale rows again (the sync's merge calls it before its commit).
Readers fold stale rows on the fly, so a result never depends on when `refresh` ran.
Each folded row may carry its `signature` (migration 26, written by `sign` after a sync):
a search skips the rows whose signature lacks a bit of the needle's without reading them.
"""

from __future__ import annotations

import logging
import sqlite3

from desktop.domain.filter.suggest import fold_text
from desktop.store import joined_ids
from desktop.store.db import Cache
from desktop.store.errors import CacheError

log = logging.getLogger("tagdesk.store")

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
FOUND_IN_FOLDED = ("SELECT relation_id FROM relation_search WHERE (sig IS NULL OR sig & ? = ?)"
                   " AND instr(folded, ?) > 0")
"""Its parameters: `found_params(needle)`."""
UNSIGNED = ("SELECT relation_id, folded FROM relation_search WHERE relation_id > ?"
            " AND sig IS NULL AND folded IS NOT NULL ORDER BY relation_id LIMIT ?")
SIGN_BATCH = 5000
"""Rows `sign_unsigned` signs a transaction (some 50 ms of writing)."""
_BITS = bytes(byte % 63 for byte in range(256))
_POWERS = tuple(1 << bit for bit in range(63))


def signature(text: str) -> int:
    """The bits 0-62 set by the bytes of `text` in UTF-8, each byte's value modulo 63.

    A text that contains a needle has every byte of it, so its signature has every bit of
    the needle's: `sig & bits = bits`. A row without them cannot match, and a search skips
    it without reading its text (about one row in five passes for a two-character needle).
    """
    return sum(map(_POWERS.__getitem__, set(text.encode().translate(_BITS))))


def found_params(needle: str) -> tuple[int, int, str]:
    """The parameters of `FOUND_IN_FOLDED` for `needle` (folded)."""
    bits = signature(needle)
    return bits, bits, needle


def _fold(text: str | None) -> str | None:
    return None if text is None else fold_text(text)


def _folded_contains(text: str, needle: str) -> bool:
    return needle in fold_text(text)


def fold_fields(remark: str, description: str, remark_corp_name: str, name: str,
                corp_name: str, corp_full_name: str, external_userid: str,
                remark_mobiles: str) -> str:
    """What `refresh` folds for a relation with these fields (`FIELDS`, joined in Python).

    The separator, char(31), neither composes nor reorders with a neighbour in NFKC, and case
    folding goes a character at a time, so the parts fold apart as they would joined: the
    external_userid and the mobiles' JSON, ASCII as a rule, only need lower case."""
    head = fold_text("\x1f".join((remark, description, remark_corp_name, name, corp_name,
                                   corp_full_name)).replace("\x00", ""))
    tail = f"{external_userid}\x1f{remark_mobiles}".replace("\x00", "")
    return f"{head}\x1f{tail.lower() if tail.isascii() else fold_text(tail)}"


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
                          found_params(needle)).fetchone()[0]
    ids = joined_ids.parse(joined)
    if has_stale(conn):
        ids += (row[0] for row in with_functions(conn).execute(
            f"SELECT r.id FROM relation r {CUSTOMER_JOIN} WHERE r.id IN ({STALE})"
            f" AND {FOLDED_CONTAINS}({FIELDS}, ?)", (needle,)))
    return ids


def sign_unsigned(cache: Cache) -> None:
    """Sign every folded row without a signature (after a sync: the relations it folded),
    `SIGN_BATCH` rows a transaction so that other writers wait little. Call it on a worker,
    outside any transaction of this thread; a cache that cannot be written only logs it."""
    after: int | None = 0
    try:
        while after is not None:
            with cache.write() as tx:
                after = sign(tx, after, SIGN_BATCH)
    except (CacheError, sqlite3.Error) as exc:
        log.warning("could not sign the search texts in %s: %s", cache.path, exc)


def sign(conn: sqlite3.Connection, after: int, limit: int) -> int | None:
    """Sign up to `limit` folded rows without a signature, those with the lowest relation ids
    over `after`, inside the caller's write transaction: the last id signed (None: none was
    left)."""
    rows = conn.execute(UNSIGNED, (after, limit)).fetchall()
    conn.executemany("UPDATE relation_search SET sig = ? WHERE relation_id = ?",
                     [(signature(text), relation_id) for relation_id, text in rows])
    return int(rows[-1][0]) if rows else None


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
