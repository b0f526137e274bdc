"""The WeCom API client: typed endpoint methods over one shared transport.

Paths, fields and rules follow /work/shared/wecom-api.md. Methods send only the fields a
caller gave (an always-sent ``order`` once reset tags to 1 in another tool), check the
limits WeCom documents before sending, and follow ``next_cursor`` where the brief says the
method returns everything. Failures raise :class:`~desktop.wecom.errors.WeComError`,
:class:`~desktop.wecom.errors.WeComNetworkError` or
:class:`~desktop.wecom.errors.CallCancelled`.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from types import TracebackType
from typing import TYPE_CHECKING, Any

from desktop.wecom.errors import NetworkReason, WeComError, WeComNetworkError
from desktop.wecom.models import (
    ContactDetail,
    ContactWay,
    Department,
    ExternalContact,
    FollowUserDetail,
    Member,
    RelationPage,
    SendResult,
    Strategy,
    StrategyRangeItem,
    TagGroup,
    parse_tag_groups,
)
from desktop.wecom.ratelimit import RateLimiter, RateLimits
from desktop.wecom.transport import (
    CALL_KEY_HEADER,
    ApiRequest,
    CallContext,
    CallStats,
    Effect,
    WaitListener,
    WeComTransport,
)

if TYPE_CHECKING:
    import requests
from desktop.wecom.write_note import WriteNote

MAX_NAME_LENGTH = 30  # tag / group names, contact-way state and remark (code points)
MAX_BATCH_USERIDS = 100  # batch/get_by_user
MAX_ORDER = 2**32 - 1
_PAGE_LIMIT_STRATEGY = 1000
_PAGE_LIMIT_CONTACT_WAY = 100
_NO_RELATIONSHIP = 84061

TagSpec = str | tuple[str, int | None]


class WeComClient:
    """One WeCom app (corp id + secret) reached through ``api_base``; share it across threads.

    ``api_base`` may be WeCom itself (``https://qyapi.weixin.qq.com/cgi-bin/``), a relay with a
    fixed IP, or the sandbox. Setting ``cancel_event`` interrupts every wait of every call.

    Built this way a client owns its transport. :meth:`over` makes a cheap view of a shared
    transport instead (the corp's one limiter, token and session): each view has its own
    cancel event, counters and wait listener, and closing it leaves the transport open.
    """

    def __init__(
        self,
        api_base: str,
        corp_id: str,
        secret: str,
        *,
        limits: RateLimits = RateLimits(),  # noqa: B008 - frozen, safe to share
        cancel_event: threading.Event | None = None,
        session: requests.Session | None = None,
        team_url: str = "",
    ) -> None:
        self._transport = WeComTransport(
            api_base, corp_id, secret, limits=limits, cancel_event=cancel_event, session=session
        )
        self._owns_transport = True
        self.stats = CallStats()
        self._ctx = CallContext(cancel_event, self.stats, team_url=team_url)
        self._note: WriteNote | None = None

    @classmethod
    def over(
        cls,
        transport: WeComTransport,
        *,
        cancel_event: threading.Event | None = None,
        on_wait: WaitListener | None = None,
        policy: RateLimits | None = None,
        team_url: str = "",
    ) -> WeComClient:
        """A view of a shared ``transport`` for one operation. ``policy`` sets this view's
        retries, backoff, 45009 pause length and timeouts (default: the transport's); the
        rate budget and concurrency cap are always the transport's. ``team_url``: the
        transport's API base is this TagDesk team server (its failures are worded so)."""
        view = cls.__new__(cls)
        view._transport = transport
        view._owns_transport = False
        view.stats = CallStats(on_wait)
        view._ctx = CallContext(cancel_event, view.stats, policy, team_url)
        view._note = None
        return view

    def noting(self, note: WriteNote) -> WeComClient:
        """This client (same transport, cancel event and counters) telling a team server
        `note` with every write, e.g. that tag-tree edits are the tag tree's (source
        `tree`). Closing it leaves the transport to its owner."""
        view = copy.copy(self)
        view._owns_transport = False
        view._note = note
        return view

    def __enter__(self) -> WeComClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def relays_to_team(self) -> bool:
        """The API base is a TagDesk team server (a team profile), not WeCom."""
        return bool(self._ctx.team_url)

    @property
    def api_calls(self) -> int:
        """HTTP requests this client (view) sent so far, including gettoken and retries."""
        return self.stats.api_calls

    def calls_by_path(self) -> dict[str, int]:
        """HTTP requests sent so far per API path, e.g. ``{"externalcontact/mark_tag": 12}``."""
        return self.stats.calls_by_path()

    @property
    def rate_limit_pauses(self) -> int:
        """45009 pauses this client's calls waited out (one per pause, however many calls)."""
        return self.stats.rate_limit_pauses

    @property
    def limiter(self) -> RateLimiter:
        """The shared limiter (in-flight count, remaining 45009 pause) for progress displays."""
        return self._transport.limiter

    def close(self) -> None:
        """Release the HTTP connections of an own transport (a view or a session passed in
        stays open for its owner)."""
        if self._owns_transport:
            self._transport.close()

    def get_token(self) -> str:
        """The current access token (fetched lazily, cached until shortly before expiry)."""
        return self._transport.get_token(self._ctx)

    # -- corp tags --------------------------------------------------------------------

    def list_corp_tags(
        self, tag_ids: Sequence[str] | None = None, group_ids: Sequence[str] | None = None
    ) -> list[TagGroup]:
        """Corp tag groups, larger ``order`` first. Id queries may return ``deleted`` items."""
        body = _omit_empty({"tag_id": list(tag_ids or ()), "group_id": list(group_ids or ())})
        return parse_tag_groups(self._post("externalcontact/get_corp_tag_list", body))

    def add_corp_tag(
        self,
        *,
        tags: Iterable[TagSpec],
        group_id: str | None = None,
        group_name: str | None = None,
        group_order: int | None = None,
    ) -> TagGroup:
        """Add tags to the group ``group_id``, or to the group named ``group_name`` (created
        when missing). ``tags`` are names or ``(name, order)``. Returns the group holding only
        the newly created tags. Never re-sent after a lost answer: sync to find out.
        """
        body = _new_tags_body(tags, group_id, group_name, group_order)
        data = self._post("externalcontact/add_corp_tag", body, Effect.WRITE)
        group = data.get("tag_group")
        return TagGroup.from_api(group if isinstance(group, Mapping) else {})

    def edit_corp_tag(self, id: str, name: str | None = None, order: int | None = None,
                      *, reason: str = "") -> None:
        """Rename and/or reorder a tag or a group (``id`` may be either). `reason` goes to a
        team server only (its journal and rename requests), never to WeCom."""
        self._post("externalcontact/edit_corp_tag",
                   self._with_reason(_edit_body(id, name, order), reason),
                   Effect.IDEMPOTENT_WRITE)

    def del_corp_tag(self, tag_ids: Sequence[str] = (), group_ids: Sequence[str] = (),
                     *, reason: str = "") -> None:
        """Delete tags and/or whole groups; a group whose last tag goes is deleted too.
        `reason` goes to a team server only (its journal and deletion requests), never to
        WeCom.

        Re-sent after a lost answer, so a 40068 may mean an earlier attempt already worked.
        """
        self._post("externalcontact/del_corp_tag", self._del_body(tag_ids, group_ids, reason),
                   Effect.IDEMPOTENT_WRITE)

    # -- rule groups (strategies) -------------------------------------------------------

    def list_strategies(self) -> list[int]:
        """Ids of the rule groups this app created (all pages)."""
        items = self._paged(
            "externalcontact/customer_strategy/list", {}, "strategy", _PAGE_LIMIT_STRATEGY
        )
        return [Strategy.from_api(item).id for item in items]

    def get_strategy(self, strategy_id: int) -> Strategy:
        data = self._post("externalcontact/customer_strategy/get", {"strategy_id": strategy_id})
        strategy = data.get("strategy")
        return Strategy.from_api(strategy if isinstance(strategy, Mapping) else {})

    def get_strategy_range(self, strategy_id: int) -> list[StrategyRangeItem]:
        """Members (type 1) and departments (type 2) a rule group manages (all pages)."""
        items = self._paged(
            "externalcontact/customer_strategy/get_range",
            {"strategy_id": strategy_id},
            "range",
            _PAGE_LIMIT_STRATEGY,
        )
        return [StrategyRangeItem.from_api(item) for item in items]

    def list_strategy_tags(
        self,
        strategy_id: int | None = None,
        tag_ids: Sequence[str] | None = None,
        group_ids: Sequence[str] | None = None,
    ) -> list[TagGroup]:
        """Rule-group tag groups (each with ``strategy_id``), larger ``order`` first."""
        body = _omit_empty(
            {
                "strategy_id": strategy_id,
                "tag_id": list(tag_ids or ()),
                "group_id": list(group_ids or ()),
            }
        )
        return parse_tag_groups(self._post("externalcontact/get_strategy_tag_list", body))

    def add_strategy_tag(
        self,
        strategy_id: int,
        *,
        tags: Iterable[TagSpec],
        group_id: str | None = None,
        group_name: str | None = None,
        group_order: int | None = None,
    ) -> TagGroup:
        """`add_corp_tag` for the tags of one top-level rule group (`strategy_id`); the group
        named ``group_name`` is looked up within that rule group. Never re-sent after a lost
        answer: sync to find out."""
        body = _new_tags_body(tags, group_id, group_name, group_order)
        body["strategy_id"] = strategy_id
        data = self._post("externalcontact/add_strategy_tag", body, Effect.WRITE)
        group = data.get("tag_group")
        parsed = TagGroup.from_api(group if isinstance(group, Mapping) else {})
        return parsed if parsed.strategy_id else replace(parsed, strategy_id=strategy_id)

    def edit_strategy_tag(
        self, id: str, name: str | None = None, order: int | None = None, *, reason: str = ""
    ) -> None:
        """Rename and/or reorder a rule-group tag or tag group (``id`` may be either);
        `reason` as for :meth:`edit_corp_tag`."""
        self._post("externalcontact/edit_strategy_tag",
                   self._with_reason(_edit_body(id, name, order), reason),
                   Effect.IDEMPOTENT_WRITE)

    def del_strategy_tag(self, tag_ids: Sequence[str] = (), group_ids: Sequence[str] = (),
                         *, reason: str = "") -> None:
        """Delete rule-group tags and/or tag groups (the rules of `del_corp_tag`)."""
        self._post("externalcontact/del_strategy_tag",
                   self._del_body(tag_ids, group_ids, reason), Effect.IDEMPOTENT_WRITE)

    def _del_body(self, tag_ids: Sequence[str], group_ids: Sequence[str],
                  reason: str) -> dict[str, Any]:
        return self._with_reason(_del_body(tag_ids, group_ids), reason)

    def _with_reason(self, body: dict[str, Any], reason: str) -> dict[str, Any]:
        """A tree write's body with TagDesk's `reason` for a team server (none for WeCom)."""
        if reason.strip() and self.relays_to_team:
            body["reason"] = reason.strip()
        return body

    def create_strategy(
        self,
        name: str,
        *,
        admin_list: Sequence[str],
        departments: Sequence[int] = (),
        userids: Sequence[str] = (),
        parent_id: int = 0,
        privilege: Mapping[str, bool] | None = None,
    ) -> int:
        """Create a rule group managed by ``admin_list`` over the given departments and
        members; returns its id. Never re-sent after a lost answer (that could make two)."""
        if not admin_list:
            raise ValueError("a rule group needs at least one manager")
        scope = _strategy_range(departments, userids)
        if not scope:
            raise ValueError("give at least one department or member for the range")
        body: dict[str, Any] = {
            "parent_id": parent_id,
            "strategy_name": _checked_name(name, "rule group name"),
            "admin_list": list(admin_list),
            "range": scope,
        }
        if privilege is not None:
            body["privilege"] = dict(privilege)
        data = self._post("externalcontact/customer_strategy/create", body, Effect.WRITE)
        return int(data.get("strategy_id") or 0)

    def edit_strategy(
        self,
        strategy_id: int,
        *,
        name: str | None = None,
        admin_list: Sequence[str] | None = None,
        add_departments: Sequence[int] = (),
        add_userids: Sequence[str] = (),
        remove_departments: Sequence[int] = (),
        remove_userids: Sequence[str] = (),
    ) -> None:
        """Rename a rule group, replace its managers, or widen / narrow its range."""
        body = _omit_empty({
            "strategy_id": strategy_id,
            "strategy_name": None if name is None else _checked_name(name, "rule group name"),
            "admin_list": None if admin_list is None else list(admin_list),
            "range_add": _strategy_range(add_departments, add_userids),
            "range_del": _strategy_range(remove_departments, remove_userids),
        })
        if len(body) == 1:
            raise ValueError("give something to change")
        self._post("externalcontact/customer_strategy/edit", body, Effect.IDEMPOTENT_WRITE)

    def del_strategy(self, strategy_id: int) -> None:
        self._post("externalcontact/customer_strategy/del", {"strategy_id": strategy_id},
                   Effect.IDEMPOTENT_WRITE)

    # -- tagging and reading customers ---------------------------------------------------

    def mark_tag(
        self,
        userid: str,
        external_userid: str,
        add: Collection[str] = (),
        remove: Collection[str] = (),
        note: WriteNote | None = None,
    ) -> None:
        """Add and remove tags on one follow relationship in one call.

        One unknown tag id fails the whole call (40068) and nothing is applied. ``note``
        goes to a team server only (:attr:`relays_to_team`), never to WeCom.
        """
        if not add and not remove:
            raise ValueError("mark_tag needs at least one tag to add or remove")
        body = _omit_empty(
            {
                "userid": userid,
                "external_userid": external_userid,
                "add_tag": list(add),
                "remove_tag": list(remove),
            }
        )
        note = note or self._note
        headers = note.headers() if note is not None and self.relays_to_team else {}
        if note is not None and note.call_key and self.relays_to_team:
            headers[CALL_KEY_HEADER] = note.call_key
        self._transport.call(ApiRequest("POST", "externalcontact/mark_tag", body=body,
                                        effect=Effect.IDEMPOTENT_WRITE, headers=headers),
                             self._ctx)

    def get_follow_user_list(self) -> list[str]:
        """Userids of members with customer contact enabled, within the app's range."""
        data = self._get("externalcontact/get_follow_user_list")
        return _str_list(data.get("follow_user"))

    def list_external_contacts(self, userid: str) -> list[str]:
        """External userids of one member's customers; a member without any gives []."""
        try:
            data = self._get("externalcontact/list", {"userid": userid})
        except WeComError as err:
            if err.errcode == _NO_RELATIONSHIP:
                return []
            raise
        return _str_list(data.get("external_userid"))

    def get_external_contact(self, external_userid: str) -> ContactDetail:
        """A customer with every follower visible to the app (all cursor pages)."""
        contact: ExternalContact | None = None
        followers: list[FollowUserDetail] = []
        cursor = ""
        while True:
            params: dict[str, str | int] = {"external_userid": external_userid}
            if cursor:
                params["cursor"] = cursor
            data = self._get("externalcontact/get", params)
            if contact is None:
                raw = data.get("external_contact")
                contact = ExternalContact.from_api(raw if isinstance(raw, Mapping) else {})
            followers.extend(
                FollowUserDetail.from_api(item) for item in _mapping_list(data.get("follow_user"))
            )
            cursor = self._next_cursor("externalcontact/get", data, cursor)
            if not cursor:
                return ContactDetail(contact=contact, follow_users=followers)

    def batch_get_by_user(
        self, userids: Sequence[str], cursor: str = "", limit: int = 100
    ) -> RelationPage:
        """One page of follow relationships of up to 100 members; page with ``next_cursor``."""
        if not userids or len(userids) > MAX_BATCH_USERIDS:
            raise ValueError(f"give 1 to {MAX_BATCH_USERIDS} userids, not {len(userids)}")
        body = _omit_empty(
            {"userid_list": list(userids), "cursor": cursor, "limit": max(1, min(limit, 100))}
        )
        return RelationPage.from_api(self._post("externalcontact/batch/get_by_user", body))

    # -- organisation ------------------------------------------------------------------

    def list_departments(self, id: int | None = None) -> list[Department]:
        """Departments visible to the app (the subtree under ``id`` when given)."""
        params: dict[str, str | int] = {} if id is None else {"id": id}
        data = self._get("department/list", params)
        return [Department.from_api(item) for item in _mapping_list(data.get("department"))]

    def list_users(self, department_id: int, fetch_child: bool = True) -> list[Member]:
        """Members of a department (and its sub-departments when ``fetch_child``)."""
        params: dict[str, str | int] = {
            "department_id": department_id,
            "fetch_child": 1 if fetch_child else 0,
        }
        data = self._get("user/list", params)
        return [Member.from_api(item) for item in _mapping_list(data.get("userlist"))]

    # -- contact ways ------------------------------------------------------------------

    def add_contact_way(
        self,
        type: int,
        scene: int,
        *,
        style: int | None = None,
        remark: str | None = None,
        skip_verify: bool | None = None,
        state: str | None = None,
        user: Sequence[str] | None = None,
        party: Sequence[int] | None = None,
    ) -> tuple[str, str]:
        """Create a contact way; returns ``(config_id, qr_code)`` (qr_code "" for scene 1).

        Never re-sent after a lost answer (that could create a second one).
        """
        if type == 1 and (user is None or len(user) != 1):
            raise ValueError("a single-member contact way (type 1) needs exactly one user")
        body = _contact_way_body(style, remark, skip_verify, state, user, party)
        body.update({"type": type, "scene": scene})
        data = self._post("externalcontact/add_contact_way", body, Effect.WRITE)
        return str(data.get("config_id", "")), str(data.get("qr_code", "") or "")

    def get_contact_way(self, config_id: str) -> ContactWay:
        data = self._post("externalcontact/get_contact_way", {"config_id": config_id})
        way = data.get("contact_way")
        return ContactWay.from_api(way if isinstance(way, Mapping) else {})

    def list_contact_ways(
        self, start_time: int | None = None, end_time: int | None = None
    ) -> list[str]:
        """Config ids of contact ways created in the window (WeCom's default: 90 days)."""
        body = _omit_empty({"start_time": start_time, "end_time": end_time})
        items = self._paged(
            "externalcontact/list_contact_way", body, "contact_way", _PAGE_LIMIT_CONTACT_WAY
        )
        return [str(item.get("config_id", "")) for item in items]

    def update_contact_way(
        self,
        config_id: str,
        *,
        remark: str | None = None,
        skip_verify: bool | None = None,
        style: int | None = None,
        state: str | None = None,
        user: Sequence[str] | None = None,
        party: Sequence[int] | None = None,
    ) -> None:
        """Change the given fields; ``user`` and ``party`` replace the old lists."""
        body = _contact_way_body(style, remark, skip_verify, state, user, party)
        body["config_id"] = config_id
        self._post("externalcontact/update_contact_way", body, Effect.IDEMPOTENT_WRITE)

    def del_contact_way(self, config_id: str) -> None:
        self._post(
            "externalcontact/del_contact_way", {"config_id": config_id}, Effect.IDEMPOTENT_WRITE
        )

    # -- app messages ------------------------------------------------------------------

    def send_text_message(self, touser: Sequence[str], content: str, agent_id: int) -> SendResult:
        """Send a text message from app ``agent_id`` to members; never re-sent when unsure."""
        if not touser:
            raise ValueError("give at least one recipient")
        body = {
            "touser": "|".join(touser),
            "msgtype": "text",
            "agentid": agent_id,
            "text": {"content": content},
        }
        return SendResult.from_api(self._post("message/send", body, Effect.WRITE))

    # -- plumbing ----------------------------------------------------------------------

    def _get(self, path: str, params: Mapping[str, str | int] | None = None) -> dict[str, Any]:
        return self._transport.call(ApiRequest("GET", path, params or {}), self._ctx)

    def _post(
        self, path: str, body: Mapping[str, Any], effect: Effect = Effect.READ
    ) -> dict[str, Any]:
        note = self._note if effect is not Effect.READ and self.relays_to_team else None
        headers = note.headers() if note is not None else {}
        return self._transport.call(
            ApiRequest("POST", path, body=body, effect=effect, headers=headers), self._ctx
        )

    def _paged(
        self, path: str, body: Mapping[str, Any], key: str, limit: int
    ) -> list[Mapping[str, Any]]:
        """Every item under ``key`` across pages; stops only on an empty ``next_cursor``."""
        items: list[Mapping[str, Any]] = []
        cursor = ""
        while True:
            data = self._post(path, {**body, "cursor": cursor, "limit": limit})
            items.extend(_mapping_list(data.get(key)))
            cursor = self._next_cursor(path, data, cursor)
            if not cursor:
                return items

    def _next_cursor(self, path: str, data: Mapping[str, Any], previous: str) -> str:
        """``next_cursor`` of a page; a cursor that repeats would page forever, so it fails."""
        cursor = str(data.get("next_cursor") or "")
        if cursor and cursor == previous:
            raise WeComNetworkError(
                self._transport.host, path, NetworkReason.BAD_RESPONSE, attempts=1, status=200
            )
        return cursor


def _omit_empty(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Drop absent optional fields (None, "" and empty lists) instead of sending them."""
    return {key: value for key, value in fields.items() if value not in (None, "", [])}


def _checked_name(name: str, what: str) -> str:
    if not name.strip():
        raise ValueError(f"the {what} must not be empty")
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"the {what} has {len(name)} characters; WeCom allows {MAX_NAME_LENGTH}")
    return name


def _checked_order(order: int) -> int:
    if not 0 <= order <= MAX_ORDER:
        raise ValueError(f"order must be between 0 and {MAX_ORDER}, not {order}")
    return order


def _new_tags_body(
    tags: Iterable[TagSpec], group_id: str | None, group_name: str | None,
    group_order: int | None,
) -> dict[str, Any]:
    if (group_id is None) == (group_name is None):
        raise ValueError("give exactly one of group_id and group_name")
    tag_bodies = [_tag_body(spec) for spec in tags]
    if not tag_bodies:
        raise ValueError("WeCom cannot create an empty tag group: give at least one tag")
    body: dict[str, Any] = {"tag": tag_bodies}
    if group_id is not None:
        body["group_id"] = group_id
    else:
        body["group_name"] = _checked_name(str(group_name), "group name")
        if group_order is not None:
            body["order"] = _checked_order(group_order)
    return body


def _edit_body(id: str, name: str | None, order: int | None) -> dict[str, Any]:
    if name is None and order is None:
        raise ValueError("give a new name, a new order or both")
    body: dict[str, Any] = {"id": id}
    if name is not None:
        body["name"] = _checked_name(name, "name")
    if order is not None:
        body["order"] = _checked_order(order)
    return body


def _del_body(tag_ids: Sequence[str], group_ids: Sequence[str]) -> dict[str, Any]:
    body = _omit_empty({"tag_id": list(tag_ids), "group_id": list(group_ids)})
    if not body:
        raise ValueError("give at least one tag id or group id")
    return body


def _strategy_range(departments: Sequence[int], userids: Sequence[str]) -> list[dict[str, Any]]:
    """A rule group's range nodes: type 1 members, type 2 departments."""
    return [{"type": 1, "userid": userid} for userid in userids] + [
        {"type": 2, "partyid": party} for party in departments
    ]


def _tag_body(spec: TagSpec) -> dict[str, Any]:
    name, order = (spec, None) if isinstance(spec, str) else spec
    body: dict[str, Any] = {"name": _checked_name(name, "tag name")}
    if order is not None:
        body["order"] = _checked_order(order)
    return body


def _contact_way_body(
    style: int | None,
    remark: str | None,
    skip_verify: bool | None,
    state: str | None,
    user: Sequence[str] | None,
    party: Sequence[int] | None,
) -> dict[str, Any]:
    for text, what in ((remark, "remark"), (state, "state")):
        if text is not None and len(text) > MAX_NAME_LENGTH:
            raise ValueError(
                f"the {what} has {len(text)} characters; WeCom allows {MAX_NAME_LENGTH}"
            )
    body: dict[str, Any] = {}
    optional: dict[str, Any] = {
        "style": style,
        "remark": remark,
        "skip_verify": skip_verify,
        "state": state,
    }
    body.update({key: value for key, value in optional.items() if value is not None})
    if user is not None:
        body["user"] = list(user)
    if party is not None:
        body["party"] = list(party)
    return body


def _mapping_list(value: object) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _str_list(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []
