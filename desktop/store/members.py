"""The corp's members as the cache keeps them."""

from __future__ import annotations

from desktop.store.db import Cache


def contact_members(cache: Cache) -> list[tuple[str, str]]:
    """(userid, name) of every member with customer contact, by name."""
    return [(str(userid), str(name)) for userid, name in cache.connection().execute(
        "SELECT userid, name FROM member WHERE follows = 1 ORDER BY name_sort, userid")]


def only_follower(cache: Cache) -> str:
    """Who every customer of the cache belongs to when its sync read one follow user alone
    (a salesperson on a team profile sees only their own), as "唐霞悦 (tangxiayue)"; empty
    when the cache holds several members' customers."""
    followers = cache.connection().execute(
        "SELECT userid, name FROM member WHERE follows = 1 LIMIT 2").fetchall()
    if len(followers) != 1:
        return ""
    userid, name = followers[0]
    return f"{name} ({userid})" if name else str(userid)


def directory_members(cache: Cache) -> list[tuple[str, str]]:
    """(userid, name) of every active member of the corp's directory, by name."""
    return [(str(userid), str(name)) for userid, name in cache.connection().execute(
        "SELECT userid, name FROM member WHERE status = 1 ORDER BY name_sort, userid")]


def member_names(cache: Cache) -> dict[str, str]:
    """userid → name of every member the cache knows, left or not."""
    return {str(userid): str(name) for userid, name in cache.connection().execute(
        "SELECT userid, name FROM member")}


def department_names(cache: Cache) -> dict[int, str]:
    """Department id → name of every department the cache knows."""
    return {int(did): str(name) for did, name in cache.connection().execute(
        "SELECT id, name FROM department")}


def tag_group_names(cache: Cache) -> list[str]:
    """The names of the live tag groups, corp and rule-group ones, by pinyin."""
    return [str(name) for (name,) in cache.connection().execute(
        "SELECT DISTINCT name FROM tag_group WHERE deleted = 0 ORDER BY name COLLATE pinyin")]
