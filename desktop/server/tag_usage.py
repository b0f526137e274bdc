"""Which relations carry given tags: read from WeCom through the server's transport, or
from the server's own snapshot of every relation's tags once a re-sync has filled it.

Used before a deletion or a large rename is put up for approval: the number of customers
it touches and a snapshot of every relation carrying the tags (so the tag can be put back
later). Reading WeCom costs about one `batch/get_by_user` call per 100 relations, so a
rename's customer count comes from the server's snapshot when there is one; a deletion's
snapshot is always read from WeCom, the only source that is never behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from psycopg import Connection

from desktop.server import snapshot
from desktop.wecom.transport import ApiRequest, WeComTransport

USERS_PER_CALL = 100
PAGE_LIMIT = 100


@dataclass(frozen=True)
class Carrier:
    """One relation and the wanted tags it carries."""

    userid: str
    external_userid: str
    tag_ids: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {"userid": self.userid, "external_userid": self.external_userid,
                "tag_ids": list(self.tag_ids)}


def carriers(transport: WeComTransport, tag_ids: Iterable[str]) -> list[Carrier]:
    """Every relation carrying at least one of `tag_ids`."""
    wanted = set(tag_ids)
    if not wanted:
        return []
    return [c for c in _relations(transport, wanted) if c.tag_ids]


def carriers_known(conn: Connection[tuple[object, ...]],
                   tag_ids: Iterable[str]) -> list[Carrier] | None:
    """The relations carrying `tag_ids` by the server's snapshot; None before its first
    complete re-sync."""
    wanted = sorted(set(tag_ids))
    if not snapshot.has_baseline(conn):
        return None
    rows = conn.execute(
        "SELECT userid, external_userid, tag_ids FROM relation_tag_snapshot"
        " WHERE tag_ids && %s::text[]", (wanted,))
    return [Carrier(str(u), str(e),
                    tuple(sorted(set(wanted) & set(t if isinstance(t, list) else []))))
            for u, e, t in rows]


def customers(found: Iterable[Carrier]) -> int:
    return len({c.external_userid for c in found})


def _relations(transport: WeComTransport, wanted: set[str]) -> Iterator[Carrier]:
    users = transport.call(ApiRequest("GET", "externalcontact/get_follow_user_list"))
    followers = [str(u) for u in users.get("follow_user") or []]
    for start in range(0, len(followers), USERS_PER_CALL):
        cursor = ""
        while True:
            page = transport.call(ApiRequest(
                "POST", "externalcontact/batch/get_by_user",
                body={"userid_list": followers[start:start + USERS_PER_CALL],
                      "cursor": cursor, "limit": PAGE_LIMIT}))
            for item in page.get("external_contact_list") or []:
                contact = item.get("external_contact") or {}
                follow = item.get("follow_info") or {}
                carried = sorted(wanted & {str(t) for t in follow.get("tag_id") or []})
                yield Carrier(str(follow.get("userid", "")),
                              str(contact.get("external_userid", "")), tuple(carried))
            cursor = str(page.get("next_cursor") or "")
            if not cursor:
                break
