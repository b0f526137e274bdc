"""Whose customers a cache holds: a salesperson's own on a team profile (the team server gave
their sync only them as a follow user, `desktop/server/customer_scope.py`), else the corp's.
The window says 我的客户 / My customers beside its counts, `tagdesk sync` in its summary."""

from __future__ import annotations

from typing import Literal

from desktop.store.db import Cache

Scope = Literal["mine", "corp"]


def cache_scope(cache: Cache, is_team: bool, userid: str) -> Scope:
    """"mine" when a team profile's cache holds only `userid`'s own customers, else "corp"."""
    followers = [str(row[0]) for row in cache.connection().execute(
        "SELECT userid FROM member WHERE follows = 1 LIMIT 2")]
    return "mine" if is_team and followers == [userid] else "corp"
