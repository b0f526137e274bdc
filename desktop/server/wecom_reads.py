"""Re-reading WeCom through the server's one transport: one relation, the tag library, and
every relation (for the periodic re-sync)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from desktop.server.relation_facts import RelationFacts, facts_of
from desktop.server.snapshot import CorpTag
from desktop.wecom.errors import WeComError
from desktop.wecom.transport import ApiRequest, WeComTransport

# The relation is gone: no relationship (84061), not this member's customer (84084), an
# unknown customer (40096).
RELATION_GONE = frozenset({84061, 84084, 40096})
MEMBERS_PER_CALL = 100


@dataclass(frozen=True)
class RelationRead:
    """The corp and rule-group tags on one relation: id -> (tag name, group name)."""

    tags: dict[str, tuple[str, str]]
    state: str
    unionid: str = ""
    mobiles: tuple[str, ...] = ()   # the follower's remark mobiles
    facts: RelationFacts = field(default_factory=RelationFacts)  # what rules read


def read_relation(transport: WeComTransport, userid: str,
                  external_userid: str) -> RelationRead | None:
    """The relation as WeCom has it now; None when it no longer exists."""
    cursor = ""
    while True:
        params: dict[str, str | int] = {"external_userid": external_userid}
        if cursor:
            params["cursor"] = cursor
        try:
            data = transport.call(ApiRequest("GET", "externalcontact/get", params))
        except WeComError as err:
            if err.errcode in RELATION_GONE:
                return None
            raise
        for follower in _dicts(data.get("follow_user")):
            if follower.get("userid") == userid:
                tags = {str(t["tag_id"]): (str(t.get("tag_name", "")),
                                           str(t.get("group_name", "")))
                        for t in _dicts(follower.get("tags")) if t.get("tag_id")}
                contact = data.get("external_contact")
                unionid = contact.get("unionid") if isinstance(contact, dict) else ""
                mobiles = follower.get("remark_mobiles")
                return RelationRead(tags, str(follower.get("state") or ""), str(unionid or ""),
                                    tuple(str(m) for m in mobiles)
                                    if isinstance(mobiles, list) else (),
                                    facts_of(contact if isinstance(contact, dict) else {},
                                             follower))
        cursor = str(data.get("next_cursor") or "")
        if not cursor:
            return None


def read_corp_tags(transport: WeComTransport) -> dict[str, CorpTag]:
    data = transport.call(ApiRequest("POST", "externalcontact/get_corp_tag_list", body={}))
    return {str(tag["id"]): CorpTag(str(tag.get("name", "")), str(group.get("group_id", "")),
                                    str(group.get("group_name", "")))
            for group in _dicts(data.get("tag_group"))
            for tag in _dicts(group.get("tag")) if tag.get("id")}


def read_all_relations(transport: WeComTransport
                       ) -> Iterator[tuple[str, str, list[str], RelationFacts]]:
    """(userid, external_userid, corp and rule-group tag ids, what rules read) of every
    follow relation."""
    data = transport.call(ApiRequest("GET", "externalcontact/get_follow_user_list"))
    members = [str(u) for u in data.get("follow_user") or []]
    for start in range(0, len(members), MEMBERS_PER_CALL):
        cursor = ""
        while True:
            page = transport.call(ApiRequest(
                "POST", "externalcontact/batch/get_by_user",
                body={"userid_list": members[start:start + MEMBERS_PER_CALL],
                      "cursor": cursor, "limit": 100}))
            for item in _dicts(page.get("external_contact_list")):
                contact, follow = item.get("external_contact"), item.get("follow_info")
                if isinstance(contact, dict) and isinstance(follow, dict):
                    yield (str(follow.get("userid", "")), str(contact.get("external_userid", "")),
                           [str(t) for t in follow.get("tag_id") or []],
                           facts_of(contact, follow))
            cursor = str(page.get("next_cursor") or "")
            if not cursor:
                break


def _dicts(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
