"""Typed, immutable views of WeCom's JSON answers.

Parsing is lenient on purpose: WeCom has added fields over the years and types have not
always matched the docs, so unknown fields are ignored, missing optional fields get a
default, and numbers sent as strings are accepted. Names are snake_case; where a field name
differs from WeCom's, the class docstring gives the mapping.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

Json = Mapping[str, Any]


# Each parser answers a value of the expected type first, by its exact type (a relation page
# holds about 20 values a row: abstract isinstance checks and str() of a str were a third of
# parsing one, more than json.loads itself).


def _str(value: object, default: str = "") -> str:
    if type(value) is str:
        return value
    return default if value is None else str(value)


def _int(value: object, default: int = 0) -> int:
    if type(value) is int:
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float | str):
        try:
            return int(float(value))
        except ValueError:
            return default
    return default


def _opt_int(value: object) -> int | None:
    return None if value is None or value == "" else _int(value)


def _bool(value: object, default: bool = False) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def _items(value: object) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _mapping(value: object) -> Json:
    return value if type(value) is dict or isinstance(value, Mapping) else {}


def _mappings(value: object) -> list[Json]:
    return [item for item in _items(value) if type(item) is dict or isinstance(item, Mapping)]


def _strs(value: object) -> tuple[str, ...]:
    if type(value) is list and _JUST_STR.issuperset(map(type, value)):
        return tuple(value)
    return tuple(str(item) for item in _items(value) if item is not None)


_JUST_STR = frozenset({str})  # the types of a list of str (a check in C: a row's tag ids)


def _ints(value: object) -> tuple[int, ...]:
    return tuple(_int(item) for item in _items(value))


def _pipe_list(value: object) -> tuple[str, ...]:
    """WeCom's ``a|b|c`` recipient lists."""
    return tuple(part for part in _str(value).split("|") if part)


def _by_order_desc(items: Iterable[Any]) -> tuple[Any, ...]:
    """WeCom shows larger ``order`` first; the response order is not guaranteed."""
    return tuple(sorted(items, key=lambda item: -item.order))


@dataclass(frozen=True)
class Tag:
    """A corp or rule-group tag (``id``, ``name`` as in WeCom)."""

    id: str
    name: str
    order: int = 0
    create_time: int = 0
    deleted: bool = False

    @classmethod
    def from_api(cls, data: Json) -> Tag:
        return cls(
            id=_str(data.get("id")),
            name=_str(data.get("name")),
            order=_int(data.get("order")),
            create_time=_int(data.get("create_time")),
            deleted=_bool(data.get("deleted")),
        )


@dataclass(frozen=True)
class TagGroup:
    """A tag group. WeCom: ``group_id`` → ``id``, ``group_name`` → ``name``, ``tag`` → ``tags``.

    ``tags`` are sorted by ``order`` descending, as WeCom displays them. ``strategy_id`` is
    set for rule-group (strategy) tag groups only.
    """

    id: str
    name: str
    order: int = 0
    create_time: int = 0
    deleted: bool = False
    tags: tuple[Tag, ...] = ()
    strategy_id: int | None = None

    @classmethod
    def from_api(cls, data: Json) -> TagGroup:
        return cls(
            id=_str(data.get("group_id")),
            name=_str(data.get("group_name")),
            order=_int(data.get("order")),
            create_time=_int(data.get("create_time")),
            deleted=_bool(data.get("deleted")),
            tags=_by_order_desc(Tag.from_api(tag) for tag in _mappings(data.get("tag"))),
            strategy_id=_opt_int(data.get("strategy_id")),
        )


def parse_tag_groups(data: Json) -> list[TagGroup]:
    """``tag_group`` of a tag-list answer, groups sorted by ``order`` descending."""
    return list(_by_order_desc(TagGroup.from_api(g) for g in _mappings(data.get("tag_group"))))


@dataclass(frozen=True)
class Strategy:
    """A rule group. WeCom: ``strategy_id`` → ``id``, ``strategy_name`` → ``name``.

    ``privileges`` holds the names of the privileges switched on (WeCom's ``privilege``
    object of booleans).
    """

    id: int
    parent_id: int = 0
    name: str = ""
    create_time: int = 0
    admin_list: tuple[str, ...] = ()
    privileges: frozenset[str] = frozenset()

    @classmethod
    def from_api(cls, data: Json) -> Strategy:
        privilege = data.get("privilege")
        granted = (
            frozenset(str(k) for k, v in privilege.items() if _bool(v))
            if isinstance(privilege, Mapping)
            else frozenset()
        )
        return cls(
            id=_int(data.get("strategy_id")),
            parent_id=_int(data.get("parent_id")),
            name=_str(data.get("strategy_name")),
            create_time=_int(data.get("create_time")),
            admin_list=_strs(data.get("admin_list")),
            privileges=granted,
        )


@dataclass(frozen=True)
class StrategyRangeItem:
    """One node of a rule group's range: ``type`` 1 = member (``userid``), 2 = department.

    WeCom: ``partyid`` → ``party_id``.
    """

    MEMBER = 1
    DEPARTMENT = 2

    type: int
    userid: str | None = None
    party_id: int | None = None

    @classmethod
    def from_api(cls, data: Json) -> StrategyRangeItem:
        userid = data.get("userid")
        return cls(
            type=_int(data.get("type")),
            userid=None if userid in (None, "") else str(userid),
            party_id=_opt_int(data.get("partyid")),
        )


@dataclass(frozen=True)
class Department:
    """A department. WeCom: ``parentid`` → ``parent_id``, ``department_leader`` → ``leaders``."""

    id: int
    name: str = ""
    name_en: str = ""
    parent_id: int = 0
    order: int = 0
    leaders: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, data: Json) -> Department:
        return cls(
            id=_int(data.get("id")),
            name=_str(data.get("name")),
            name_en=_str(data.get("name_en")),
            parent_id=_int(data.get("parentid")),
            order=_int(data.get("order")),
            leaders=_strs(data.get("department_leader")),
        )


@dataclass(frozen=True)
class Member:
    """A member. WeCom: ``department`` → ``departments``, ``order`` → ``department_orders``,
    ``direct_leader`` → ``direct_leaders``.

    ``is_leader_in_dept`` and ``department_orders`` are aligned index by index with
    ``departments``; ``status`` is 1 active, 2 disabled, 4 not activated, 5 left.
    """

    userid: str
    name: str = ""
    departments: tuple[int, ...] = ()
    main_department: int | None = None
    is_leader_in_dept: tuple[int, ...] = ()
    status: int = 1
    position: str = ""
    department_orders: tuple[int, ...] = ()
    direct_leaders: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, data: Json) -> Member:
        return cls(
            userid=_str(data.get("userid")),
            name=_str(data.get("name")),
            departments=_ints(data.get("department")),
            main_department=_opt_int(data.get("main_department")),
            is_leader_in_dept=_ints(data.get("is_leader_in_dept")),
            status=_int(data.get("status"), 1),
            position=_str(data.get("position")),
            department_orders=_ints(data.get("order")),
            direct_leaders=_strs(data.get("direct_leader")),
        )


@dataclass(frozen=True)
class ExternalContact:
    """A customer. ``type`` 1 WeChat user, 2 WeCom user; ``gender`` 0 unknown, 1 m, 2 f."""

    external_userid: str
    name: str = ""
    type: int = 1
    gender: int = 0
    corp_name: str = ""
    corp_full_name: str = ""
    position: str = ""
    unionid: str = ""
    avatar: str = ""

    @classmethod
    def from_api(cls, data: Json) -> ExternalContact:
        return cls(*contact_values(data))


ContactValues = tuple[str, str, int, int, str, str, str, str, str]
"""An `ExternalContact`'s fields in the order the class declares them."""
_CONTACT_KEYS = ("external_userid", "name", "type", "gender", "corp_name", "corp_full_name",
                 "position", "unionid", "avatar")
_CONTACT_DEFAULTS = ("", "", 1, 0, "", "", "", "", "")
_CONTACT_TYPES = (str, str, int, int, str, str, str, str, str)


def contact_values(data: Json) -> ContactValues:
    """A customer's JSON as `ExternalContact`'s fields. A row whose values all have the type
    their field keeps as it is (most rows) is taken in one pass over its keys."""
    values = tuple(map(data.get, _CONTACT_KEYS, _CONTACT_DEFAULTS))
    if tuple(map(type, values)) == _CONTACT_TYPES:
        return values
    external_userid, name, kind, gender, corp_name, corp_full_name, position, unionid, avatar = (
        values)
    return (_str(external_userid), _str(name), _int(kind, 1), _int(gender), _str(corp_name),
            _str(corp_full_name), _str(position), _str(unionid), _str(avatar))


FollowFieldValues = tuple[str, str, str, int, str, tuple[str, ...], str, int, str]


@dataclass(frozen=True)
class FollowFields:
    """What every view of one follow relationship carries, whichever API answered.

    ``add_way`` is kept verbatim, including codes newer than the docs.
    """

    userid: str
    remark: str = ""
    description: str = ""
    createtime: int = 0
    remark_corp_name: str = ""
    remark_mobiles: tuple[str, ...] = ()
    oper_userid: str = ""
    add_way: int = 0
    state: str = ""

    @staticmethod
    def fields_from_api(data: Json) -> FollowFieldValues:
        """The shared fields of one follow relationship's JSON, in the order the class
        declares them (a tuple to pass positionally: a dict of them by name cost a tenth of
        parsing a relation page), values of their field's type taken in one pass."""
        values = tuple(map(data.get, _FOLLOW_KEYS, _FOLLOW_DEFAULTS))
        (userid, remark, description, createtime, remark_corp_name, mobiles, oper_userid,
         add_way, state) = values
        if tuple(map(type, values)) == _FOLLOW_TYPES:
            return (userid, remark, description, createtime, remark_corp_name, _strs(mobiles),
                    oper_userid, add_way, state)
        return (_str(userid), _str(remark), _str(description), _int(createtime),
                _str(remark_corp_name), _strs(mobiles), _str(oper_userid), _int(add_way),
                _str(state))


_FOLLOW_KEYS = ("userid", "remark", "description", "createtime", "remark_corp_name",
                "remark_mobiles", "oper_userid", "add_way", "state")
_NO_ITEMS: list[Any] = []  # a missing list's default, never changed
_FOLLOW_DEFAULTS = ("", "", "", 0, "", _NO_ITEMS, "", 0, "")
_FOLLOW_TYPES = (str, str, str, int, str, list, str, int, str)


@dataclass(frozen=True)
class FollowInfo(FollowFields):
    """One follow relationship as ``batch/get_by_user`` returns it (``follow_info``).

    WeCom: ``tag_id`` → ``tag_ids`` (corp and rule-group tags only, never personal tags).
    """

    tag_ids: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, data: Json) -> FollowInfo:
        return cls(*cls.fields_from_api(data), tag_ids=_strs(data.get("tag_id")))


RelationValues = tuple[ContactValues, FollowFieldValues, tuple[str, ...]]
"""One row of a relation page as values: its customer's (`ExternalContact`'s), its follow
relationship's (`FollowFields`') and its tag ids."""


def relation_values(entry: Json) -> RelationValues:
    follow = _mapping(entry.get("follow_info"))
    return (contact_values(_mapping(entry.get("external_contact"))),
            FollowFields.fields_from_api(follow), _strs(follow.get("tag_id")))


@dataclass(frozen=True)
class RelationPage:
    """One page of ``batch/get_by_user``; ``next_cursor`` is empty on the last page. Its rows
    are read as values; `items` makes them objects when first asked (a first sync writes the
    values as they are)."""

    values: list[RelationValues]
    next_cursor: str = ""

    @classmethod
    def from_api(cls, data: Json) -> RelationPage:
        return cls(values=[relation_values(entry)
                           for entry in _mappings(data.get("external_contact_list"))],
                   next_cursor=_str(data.get("next_cursor")))

    @cached_property
    def items(self) -> list[tuple[ExternalContact, FollowInfo]]:
        return [(ExternalContact(*contact), FollowInfo(*follow, tag_ids=tag_ids))
                for contact, follow, tag_ids in self.values]


@dataclass(frozen=True)
class FollowUserTag:
    """A tag on a relationship as ``externalcontact/get`` shows it.

    ``type`` 1 corp tag, 2 personal tag (``tag_id`` is None), 3 rule-group tag.
    """

    CORP = 1
    PERSONAL = 2
    STRATEGY = 3

    group_name: str
    tag_name: str
    tag_id: str | None = None
    type: int = 1

    @classmethod
    def from_api(cls, data: Json) -> FollowUserTag:
        tag_id = data.get("tag_id")
        return cls(
            group_name=_str(data.get("group_name")),
            tag_name=_str(data.get("tag_name")),
            tag_id=None if tag_id in (None, "") else str(tag_id),
            type=_int(data.get("type"), 1),
        )


@dataclass(frozen=True)
class FollowUserDetail(FollowFields):
    """One follower of a customer in ``externalcontact/get`` (``follow_user[]``).

    Same fields as :class:`FollowInfo` except tags come with names and types
    (WeCom ``tags`` → ``tags``).
    """

    tags: tuple[FollowUserTag, ...] = ()

    @classmethod
    def from_api(cls, data: Json) -> FollowUserDetail:
        return cls(*cls.fields_from_api(data),
                   tags=tuple(FollowUserTag.from_api(t) for t in _mappings(data.get("tags"))))


@dataclass(frozen=True)
class ContactDetail:
    """A customer with every follower visible to the app (all cursor pages joined)."""

    contact: ExternalContact
    follow_users: list[FollowUserDetail]


@dataclass(frozen=True)
class ContactWay:
    """A 「联系我」 contact way. ``user`` are userids, ``party`` department ids."""

    config_id: str
    type: int = 1
    scene: int = 2
    remark: str = ""
    state: str = ""
    user: tuple[str, ...] = ()
    party: tuple[int, ...] = ()
    skip_verify: bool = True
    qr_code: str = ""
    style: int | None = None

    @classmethod
    def from_api(cls, data: Json) -> ContactWay:
        return cls(
            config_id=_str(data.get("config_id")),
            type=_int(data.get("type"), 1),
            scene=_int(data.get("scene"), 2),
            remark=_str(data.get("remark")),
            state=_str(data.get("state")),
            user=_strs(data.get("user")),
            party=_ints(data.get("party")),
            skip_verify=_bool(data.get("skip_verify"), True),
            qr_code=_str(data.get("qr_code")),
            style=_opt_int(data.get("style")),
        )


@dataclass(frozen=True)
class SendResult:
    """Answer of ``message/send``: recipients WeCom dropped (split from ``a|b``) and msgid."""

    invaliduser: tuple[str, ...] = ()
    invalidparty: tuple[str, ...] = ()
    invalidtag: tuple[str, ...] = ()
    msgid: str = ""

    @classmethod
    def from_api(cls, data: Json) -> SendResult:
        return cls(
            invaliduser=_pipe_list(data.get("invaliduser")),
            invalidparty=_pipe_list(data.get("invalidparty")),
            invalidtag=_pipe_list(data.get("invalidtag")),
            msgid=_str(data.get("msgid")),
        )
