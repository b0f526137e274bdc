"""Reading members' customers (§5) and tagging a relation with mark_tag (§4)."""

from __future__ import annotations

from typing import Any

from desktop.sandbox import directory, relations, tag_library
from desktop.sandbox.api_call import ApiCall, Route
from desktop.sandbox.cursor import decode_cursor, encode_cursor
from desktop.sandbox.errors import ApiError
from desktop.sandbox.ids import looks_like_external_userid

BATCH_MAX_USERIDS = 100
BATCH_DEFAULT_LIMIT = 50
BATCH_MAX_LIMIT = 100
FOLLOW_USER_PAGE = 500


def get_follow_user_list(call: ApiCall) -> dict[str, Any]:
    return {"follow_user": directory.follow_users(call.conn)}


def external_list(call: ApiCall) -> dict[str, Any]:
    """A member's customers; none at all answers 84061 with an empty list, as seen live."""
    userid = call.arg("userid", required=True)
    if not directory.member_exists(call.conn, userid):
        raise ApiError(60111, userid)
    rows = call.conn.execute(
        "SELECT external_userid FROM relation WHERE userid = ? ORDER BY id", (userid,)
    ).fetchall()
    if not rows:
        raise ApiError(84061, userid, {"external_userid": []})
    return {"external_userid": [row[0] for row in rows]}


def external_get(call: ApiCall) -> dict[str, Any]:
    """One customer with every follower and their tags: type 1 corp, 2 personal, 3 strategy."""
    external_userid = call.arg("external_userid", required=True)
    if not relations.customer_exists(call.conn, external_userid):
        raise ApiError(40096, external_userid)
    followers = relations.relations_of_customer(call.conn, external_userid)
    if not followers:
        raise ApiError(84061, external_userid)
    cursor = call.arg("cursor")
    start = int(decode_cursor("follow", cursor)[0]) if cursor else 0
    page = followers[start : start + FOLLOW_USER_PAGE]
    ids = [relation.id for relation in page]
    tags = relations.tags_of_relations(call.conn, ids)
    personal = relations.personal_tags_of(call.conn, ids)
    follow_users = []
    for relation in page:
        rendered = []
        for tag in tags.get(relation.id, []):
            strategy = tag.strategy_id is not None
            if strategy and not call.config.strategy_tags_in_get:
                continue
            rendered.append(
                {
                    "group_name": tag.group_name,
                    "tag_name": tag.name,
                    "tag_id": tag.id,
                    "type": 3 if strategy else 1,
                }
            )
        rendered.extend(
            {"group_name": group, "tag_name": name, "type": 2}
            for group, name in personal.get(relation.id, [])
        )
        info = relations.follow_info(relation)
        info["tags"] = rendered
        follow_users.append(info)
    more = start + FOLLOW_USER_PAGE < len(followers)
    return {
        "external_contact": relations.customer_profiles(call.conn, [external_userid])[
            external_userid
        ],
        "follow_user": follow_users,
        "next_cursor": encode_cursor("follow", start + FOLLOW_USER_PAGE) if more else "",
    }


def batch_get_by_user(call: ApiCall) -> dict[str, Any]:
    """One item per relation of the listed members; an empty next_cursor ends the paging.

    Unknown userids are skipped. Personal tags are not returned (`tag_id` holds corp and
    strategy tag ids only).
    """
    userids = list(dict.fromkeys(call.text_list("userid_list")))
    if not userids:
        raise ApiError(40063, "userid_list is required")
    if len(userids) > BATCH_MAX_USERIDS:
        raise ApiError(40058, f"userid_list holds more than {BATCH_MAX_USERIDS} userids")
    limit = call.integer("limit", BATCH_DEFAULT_LIMIT) or BATCH_DEFAULT_LIMIT
    limit = min(max(limit, 1), BATCH_MAX_LIMIT)
    start = (0, 0)
    if cursor := call.text("cursor"):
        userid, last_id = decode_cursor("batch", cursor)
        if userid not in userids or not isinstance(last_id, int):
            raise ApiError(40058, "invalid cursor")
        start = (userids.index(str(userid)), last_id)
    page, after = relations.page_relations(call.conn, userids, start, limit)
    tags = relations.tags_of_relations(call.conn, [relation.id for relation in page])
    profiles = relations.customer_profiles(
        call.conn, list({relation.external_userid for relation in page})
    )
    items = []
    for relation in page:
        info = relations.follow_info(relation)
        info["tag_id"] = [tag.id for tag in tags.get(relation.id, [])]
        items.append({"external_contact": profiles[relation.external_userid], "follow_info": info})
    next_cursor = encode_cursor("batch", userids[after[0]], after[1]) if after else ""
    return {"external_contact_list": items, "next_cursor": next_cursor}


def mark_tag(call: ApiCall) -> dict[str, Any]:
    """All or nothing: the first unknown, deleted or group id fails the call with 40068."""
    userid = call.text("userid", required=True)
    external_userid = call.text("external_userid", required=True)
    add, remove = call.text_list("add_tag"), call.text_list("remove_tag")
    if not add and not remove:
        raise ApiError(40063, "add_tag and remove_tag must not both be empty")
    if not directory.member_exists(call.conn, userid):
        raise ApiError(60111, userid)
    if not looks_like_external_userid(external_userid):
        raise ApiError(40096, external_userid)
    relation = relations.find_relation(call.conn, userid, external_userid)
    if relation is None:
        raise ApiError(84061, f"{userid} / {external_userid}")
    if both := set(add) & set(remove):
        raise ApiError(40058, f"tag in both add_tag and remove_tag: {sorted(both)[0]}")
    keys: dict[str, int] = {}
    for tag_id in [*add, *remove]:
        tag = tag_library.find_tag(call.conn, tag_id)
        if tag is None or tag.deleted:
            raise ApiError(40068, tag_id)
        if tag.strategy_id is not None and not directory.in_strategy_range(
            call.conn, userid, tag.strategy_id
        ):
            raise ApiError(60011, f"{userid} is outside the rule group of tag {tag_id}")
        keys[tag_id] = tag.key
    add_keys = {keys[tag_id] for tag_id in add}
    remove_keys = {keys[tag_id] for tag_id in remove}
    after = (relations.tag_keys(call.conn, relation.id) | add_keys) - remove_keys
    if len(after) > call.config.relation_tag_cap:
        raise ApiError(
            40058, f"a customer may carry at most {call.config.relation_tag_cap} tags per member"
        )
    relations.change_tags(call.conn, relation.id, add_keys, remove_keys)
    return {}


ROUTES = {
    "externalcontact/get_follow_user_list": Route("GET", get_follow_user_list),
    "externalcontact/list": Route("GET", external_list),
    "externalcontact/get": Route("GET", external_get),
    "externalcontact/batch/get_by_user": Route("POST", batch_get_by_user),
    "externalcontact/mark_tag": Route("POST", mark_tag, gated=True),
}
