"""Lookups by a list of values of any length: one `IN (...)` binds `IN_CHUNK` values at most
(SQLite refuses more than 999 variables a statement in older builds), so a long list is asked
for a chunk at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from typing import Any, TypeVar

IN_CHUNK = 500

Value = TypeVar("Value")

Query = Callable[[str, list[Any]], Iterable[Any]]
"""`Cache.query` or `sqlite3.Connection.execute`."""


def placeholders(values: Sized) -> str:
    """`?,?,?`: one placeholder a value, for an `IN (...)` list."""
    return ",".join("?" * len(values))


def chunks(values: Sequence[Value], size: int = IN_CHUNK) -> Iterator[list[Value]]:
    """`values` in order, `size` at a time."""
    for start in range(0, len(values), size):
        yield list(values[start:start + size])


def rows_in(query: Query, sql: str, values: Sequence[object], *,
            before: Sequence[object] = ()) -> Iterator[Any]:
    """The rows `sql` finds for all `values`, asked for `IN_CHUNK` values at a time: `{marks}`
    in `sql` stands where a chunk's placeholders go, and `before` are the parameters bound
    ahead of them."""
    for chunk in chunks(values):
        yield from query(sql.replace("{marks}", placeholders(chunk)), [*before, *chunk])
