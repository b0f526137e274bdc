"""The team journal's first page by a person's or a customer's name, without counting them all.

The team server sorts people and customers by their ids; this computer orders them by the
names it knows (`name_sort`, pinyin), a value it has no name for by the value itself, ties by
the value. For a broad filter the server would have to count the rows of every customer (about
0.4 s for a million rows, and 100,000 counts sent), so this asks for the counts in the names'
order instead: the next known values by name, and the values of the same stretch of the order
this computer has no name for (their ids fall there), until the counted rows fill the page.
A name's sort key holds a \x1f (`domain.sort_key`), which no id does, so an id never ties
with a name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from desktop.store.db import Cache
from desktop.store.in_chunks import rows_in

Call = Callable[[str, Mapping[str, Any]], dict[str, Any]]
Ranked = list[tuple[str, str, int]]  # (rank: name sort key or the value, value, rows)

FIRST_CHUNK = 256
GROWTH = 4
SELECTIVE = ("batch", "tag", "group", "since", "until", "owner", "customer", "reverts",
             "operator")
"""Criteria that leave few rows: the server counts every value among them faster."""


def ranked_counts(call: Call, cache: Cache, table: str, sort: Mapping[str, Any],
                  descending: bool, limit: int) -> Ranked | None:
    """(rank, value, rows) of the sort column's values in the page's order, at least enough
    of them for `limit` rows (all when fewer); None when the server answers an older way."""
    if any(key in sort for key in SELECTIVE):
        return _all_counted(call, cache, table, sort, descending)
    order_by = str(sort["sort"])
    found: dict[str, tuple[str, int]] = {}
    reached: tuple[str, str] | None = None
    size = FIRST_CHUNK
    while True:
        chunk = _known_by_name(cache, table, descending, reached, size)
        end = chunk[-1] if chunk else None
        lower, upper = (end, reached) if descending else (reached, end)
        bounds = {key: bound[0] for key, bound in (("key_from", lower), ("key_to", upper))
                  if bound is not None}
        counted = call("keys", {**sort, "sort_key": [value for _, value in chunk], **bounds,
                                "limit": limit})
        if counted.get("sorted_by") != order_by or "range_full" not in counted:
            return None
        if counted["range_full"]:
            return _all_counted(call, cache, table, sort, descending)
        in_chunk = {value: rank for rank, value in chunk}
        counts = {str(value): int(n) for value, n in counted.get("keys") or []}
        names = name_sort_keys(cache, table, set(counts) - set(in_chunk))
        for value, n in counts.items():
            if value in in_chunk:
                found[value] = (in_chunk[value], n)
            elif value not in names:
                found[value] = (value, n)
        if end is None or sum(n for _, n in found.values()) >= limit:
            return _in_order(found, descending)
        reached, size = end, size * GROWTH


def knows_names(cache: Cache, table: str) -> bool:
    """Whether this cache has a name for any value (else every value ranks as itself, and
    the server's own order is the names' order)."""
    return cache.connection().execute(
        f"SELECT EXISTS (SELECT 1 FROM {table} WHERE name_sort != '')").fetchone()[0] == 1


def name_sort_keys(cache: Cache, table: str, keys: set[str]) -> dict[str, str]:
    """userid or external_userid → the pinyin sort key of its name, for those this cache knows."""
    column = _column(table)
    return dict(rows_in(cache.connection().execute,
                        f"SELECT {column}, name_sort FROM {table} WHERE {column} IN ({{marks}})"
                        " AND name_sort != ''", sorted(k for k in keys if k)))


def _all_counted(call: Call, cache: Cache, table: str, sort: Mapping[str, Any],
                 descending: bool) -> Ranked | None:
    counted = call("keys", sort)
    if counted.get("sorted_by") != sort["sort"]:
        return None
    counts = {str(key): int(n) for key, n in counted.get("keys") or []}
    names = name_sort_keys(cache, table, set(counts))
    return _in_order({key: (names.get(key) or key, n) for key, n in counts.items()},
                     descending)


def _in_order(found: Mapping[str, tuple[str, int]], descending: bool) -> Ranked:
    return sorted(((rank, value, n) for value, (rank, n) in found.items()),
                  reverse=descending)


def _known_by_name(cache: Cache, table: str, descending: bool, after: tuple[str, str] | None,
                   size: int) -> list[tuple[str, str]]:
    """The next `size` (name sort key, value) this cache knows in the page's order, after
    `after`."""
    column = _column(table)
    direction, beyond = ("DESC", "<") if descending else ("ASC", ">")
    bound = "" if after is None else f" AND (name_sort, {column}) {beyond} (?, ?)"
    rows: Iterable[tuple[str, str]] = cache.connection().execute(
        f"SELECT name_sort, {column} FROM {table} WHERE name_sort != ''{bound}"
        f" ORDER BY name_sort {direction}, {column} {direction} LIMIT ?",
        [*(after or ()), size])
    return [(str(rank), str(value)) for rank, value in rows]


def _column(table: str) -> str:
    return "userid" if table == "member" else "external_userid"
