"""Pinyin sort keys in the cache: `customer.name_sort` and `member.name_sort` (indexed; names
of people, their surnames read as surnames), and the `pinyin` collation for short lists (tag
names, groups, people in a combo box).

Every connection of the cache gets the SQL function `tagdesk_sort_key(text)` and the
collation. A sync blanks the key of a customer whose name changed and `refresh` fills the
blank ones, so an unchanged name costs nothing on a re-sync.
"""

from __future__ import annotations

import sqlite3

from desktop.domain.sort_key import person_sort_key, pinyin_sort_key

SORT_KEY_FUNCTION = "tagdesk_sort_key"
PINYIN_COLLATION = "pinyin"


def register(conn: sqlite3.Connection) -> None:
    conn.create_function(SORT_KEY_FUNCTION, 1, _sort_key, deterministic=True)
    conn.create_collation(PINYIN_COLLATION, _compare)


def refresh(conn: sqlite3.Connection) -> None:
    """Fill the keys a write left blank (new customers, changed names, the directory)."""
    for table in ("customer", "member"):
        conn.execute(f"UPDATE {table} SET name_sort = {SORT_KEY_FUNCTION}(name)"
                     " WHERE name_sort = '' AND name <> ''")


def _sort_key(name: object) -> str:
    return person_sort_key(name) if isinstance(name, str) else ""


def _compare(left: str, right: str) -> int:
    a, b = pinyin_sort_key(left), pinyin_sort_key(right)
    return (a > b) - (a < b)
