"""Whose customers a caller reaches through the team server.

A salesperson (no admin, department-head or branch-admin role: `Role.MEMBER`) sees and syncs
only the customers they follow, as WeCom itself lets them act: the relay answers the follow
user list with them alone, reads `externalcontact/list` and `batch/get_by_user` for their own
userid only, shows a customer's detail only when they follow the customer (and then only their
own follow record), tags only their own relations, and the team journal gives them only the
rows on their own relations, its expiries, auto-tagging verdicts, behaviour events and
chats likewise (events of the
customers they follow, chats of their own conversations with them; `SQL_*` below). The
customers a salesperson follows are read from the server's relation snapshot; until its first
re-sync has filled it, a salesperson gets no events or chats (`withheld`), not the corp's.
Anyone with a role above sees the corp. `serve --sales-see-all` turns the scoping off. The decision is made here, on the server, so a hand-written client
cannot read around it; refusals are one sentence, errcode 9001010.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from desktop.domain.governance import Actor, OrgChart, Role
from desktop.server.identity import Caller
from desktop.wecom.error_codes import TEAM_NOT_ALLOWED
from desktop.wecom.errors import WeComError

FOLLOW_USERS = "externalcontact/get_follow_user_list"
CONTACTS = "externalcontact/list"
CONTACT = "externalcontact/get"
RELATION_PAGES = "externalcontact/batch/get_by_user"
MARK_TAG = "externalcontact/mark_tag"
SCOPED = frozenset({FOLLOW_USERS, CONTACTS, CONTACT, RELATION_PAGES, MARK_TAG})

Answer = dict[str, Any]


def others_refused(others: list[str]) -> Answer:
    """The answer to a salesperson's request for other members' customers."""
    zh = "、".join(u or "未指明的成员" for u in others)
    en = ", ".join(u or "an unnamed member" for u in others)
    return {"errcode": TEAM_NOT_ALLOWED, "errmsg":
            f"销售只能查看和修改自己跟进的客户，不能查看或修改 {zh} 的客户。"
            f" / A salesperson may see and change only the customers they follow, not those"
            f" of {en}."}


def customer_refused(*external_userids: str) -> Answer:
    """The answer to a salesperson's request for customers they do not follow."""
    plural = "s" if len(external_userids) > 1 else ""
    return {"errcode": TEAM_NOT_ALLOWED, "errmsg":
            f"您没有跟进客户 {'、'.join(external_userids)}，销售只能查看自己跟进的客户。"
            f" / You do not follow customer{plural} {', '.join(external_userids)}; a"
            " salesperson may see only the customers they follow."}


def withheld(zh: str, en: str) -> str:
    """Why a salesperson is not given something (`zh` / `en`: what is not done, e.g. 暂不提供聊天记录
    / gives you no chats) while the server's relation snapshot is not filled yet (its first
    re-sync): it cannot tell whose customers are whose."""
    return (f"团队服务器尚未读完企业的客户关系（首次同步未完成），还不能确定您跟进哪些客户，因此{zh}。"
            f" / The team server has not finished reading the corp's relations (its first"
            f" re-sync), so it cannot tell yet which customers you follow and {en} until then.")


# A salesperson's rows, as SQL conditions on a table with external_userid (and userid) columns
# and one parameter, their userid: events of the customers they follow; chats of their own
# relations (a conversation of another member's with a shared customer is that member's).
SQL_FOLLOWED_CUSTOMER = ("external_userid IN (SELECT external_userid FROM relation_tag_snapshot"
                         " WHERE userid = %s)")
SQL_OWN_RELATION = ("(userid, external_userid) IN (SELECT userid, external_userid"
                    " FROM relation_tag_snapshot WHERE userid = %s)")
MAX_CUSTOMERS = 100     # `customer` values a page may be asked for at once


def paged_where(rule: str, owner: str | None, customers: list[str]) -> tuple[str, tuple[object, ...]]:
    """The condition (and its parameters) of a page of events or chats: `rule`
    (`SQL_FOLLOWED_CUSTOMER` / `SQL_OWN_RELATION`) for a salesperson `owner`, and of these
    customers only when any are asked for (a desktop catching up on its new customers)."""
    conditions: list[str] = ["TRUE"]
    params: list[object] = []
    if owner is not None:
        conditions.append(rule)
        params.append(owner)
    if customers:
        conditions.append("external_userid = ANY(%s)")
        params.append(customers)
    return " AND ".join(conditions), tuple(params)


class CustomerScope:
    """`own(caller)`: the userid a caller's customer reads are limited to, None for the corp.
    `actor` is governance's (WeCom's directory, cached a few minutes, and the policy)."""

    def __init__(self, actor: Callable[[str], tuple[Actor, OrgChart]], see_all: bool) -> None:
        self._actor = actor
        self.see_all = see_all

    def own(self, caller: Caller) -> str | None:
        """Raises WeComError / WeComNetworkError when the directory cannot be read."""
        if self.see_all:
            return None
        actor, _chart = self._actor(caller.userid)
        return caller.userid if actor.roles == (Role.MEMBER,) else None


def unreadable(err: WeComError) -> Answer:
    """Fail closed: when the caller's roles cannot be read, nothing scoped is answered."""
    return {"errcode": err.errcode, "errmsg": f"{err.explanation_zh} / {err.explanation_en}"
            f" (TagDesk customer scope, {err.path})"}


def refusal(own: str, path: str, params: Mapping[str, str],
            body: Mapping[str, Any]) -> Answer | None:
    """The answer refusing a request of `own`'s for other members' customers, else None."""
    if path == CONTACTS:
        asked = [str(params.get("userid", ""))]
    elif path == RELATION_PAGES:
        listed = body.get("userid_list")
        asked = [str(u) for u in listed] if isinstance(listed, list) and listed else [""]
    elif path == MARK_TAG:
        asked = [str(body.get("userid", ""))]
    else:
        return None
    others = sorted({u for u in asked if u != own})
    return others_refused(others) if others else None


def cut(own: str, path: str, params: Mapping[str, str], data: Answer) -> Answer:
    """WeCom's answer to a read of `own`'s, cut to their own customers."""
    if data.get("errcode", 0) != 0:
        return data
    if path == FOLLOW_USERS:
        return {**data, "follow_user": [u for u in data.get("follow_user") or [] if u == own]}
    if path != CONTACT:
        return data
    mine = [f for f in data.get("follow_user") or []
            if isinstance(f, dict) and f.get("userid") == own]
    if not mine:
        return customer_refused(str(params.get("external_userid", "")))
    return {**data, "follow_user": mine}
