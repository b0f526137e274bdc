"""Integer ids that SQL returns joined in one string (`group_concat(id)`): reading one
string is much cheaper than fetching a row per id, and parsing it as one JSON array (orjson)
about five times cheaper than `int()` on each part (1 ms for 51,000 ids). orjson is imported
with the first ids read, not with the store: a GUI start paints its table before it."""

from __future__ import annotations


def parse(joined: str | None) -> list[int]:
    """The ids of a `group_concat` of integers (None, when no row matched: none)."""
    if not joined:
        return []
    import orjson

    ids: list[int] = orjson.loads(f"[{joined}]")
    return ids
