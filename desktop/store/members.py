"""The corp's members as the cache keeps them."""

from __future__ import annotations

from desktop.store.db import Cache


def contact_members(cache: Cache) -> list[tuple[str, str]]:
    """(userid, name) of every member with customer contact, by name."""
    return [(str(userid), str(name)) for userid, name in cache.connection().execute(
        "SELECT userid, name FROM member WHERE follows = 1 ORDER BY name, userid")]
