"""What people do on their phones and in the admin console, with the callback WeCom sends.

Each action changes the corp (no API call, no quota, no ownership by the app) and then
pushes the event WeCom pushes for it (wecom-api.md §7.3, §7.4) to the configured callback
URL: `change_external_contact` for a member's customers, `change_external_tag` for the
console's tag library. Bad input raises PhoneError (one zh/en sentence), nothing changed.
"""

from __future__ import annotations

import random
import secrets
import sqlite3
import time
from collections.abc import Iterable

from desktop.domain.errors import UserError
from desktop.sandbox import directory, relations
from desktop.sandbox.callbacks import CallbackSender
from desktop.sandbox.people import new_customer
from desktop.sandbox.state import SandboxState

CONTACT = "change_external_contact"
TAG = "change_external_tag"
ADDED_BY_MEMBER = 2   # add_way: searched the customer's phone number


class PhoneError(UserError):
    """A phone or console action that cannot happen in this corp."""


class Phone:
    def __init__(self, state: SandboxState, sender: CallbackSender) -> None:
        self._state = state
        self._sender = sender
        self._rng = random.SystemRandom()

    # -- a member's customers (change_external_contact) ------------------------------------

    def mark(self, userid: str, external_userid: str, add: Iterable[str] = (),
             remove: Iterable[str] = ()) -> None:
        """The member tags or untags the customer in the WeCom app."""
        add, remove = list(add), list(remove)
        if not add and not remove:
            raise PhoneError("请至少给出一个要打上或去掉的标签。",
                             "Give at least one tag to add or remove.")
        try:
            self._state.console_mark_tag(userid, external_userid, add, remove)
        except KeyError:
            raise self._no_relation(userid, external_userid) from None
        except ValueError as exc:
            raise PhoneError(f"没有这个标签：{str(exc).removeprefix('no live tag ')}",
                             f"No such tag: {str(exc).removeprefix('no live tag ')}") from None
        self._contact("edit_external_contact", userid, external_userid)

    def add_customer(self, userid: str, state: str = "", external_userid: str = "") -> str:
        """The member adds a customer (a new one unless `external_userid` is given), through
        a contact way with `state` if one is given; returns the customer's external_userid."""
        if len(state) > 30:
            raise PhoneError("state 最多 30 个字符。", "state is at most 30 characters.")
        with self._state.transaction() as conn:
            if not directory.is_follow_user(conn, userid):
                raise PhoneError(f"成员 {userid} 不存在或未开通客户联系。",
                                 f"Member {userid} does not exist or has no customer contact.")
            if external_userid:
                if not relations.customer_exists(conn, external_userid):
                    raise PhoneError(f"没有客户 {external_userid}。",
                                     f"No customer {external_userid}.")
                if relations.find_relation(conn, userid, external_userid):
                    raise PhoneError(f"{userid} 已经添加了客户 {external_userid}。",
                                     f"{userid} already has customer {external_userid}.")
            else:
                customer = new_customer(self._rng, set())
                while relations.customer_exists(conn, customer.external_userid):
                    customer = new_customer(self._rng, set())
                conn.execute("INSERT INTO customer VALUES (?,?,?,?,?,?,?,?,?)", customer.row())
                external_userid = customer.external_userid
            conn.execute(
                "INSERT INTO relation (userid, external_userid, remark, description, createtime,"
                " remark_corp_name, remark_mobiles, oper_userid, add_way, state)"
                " VALUES (?, ?, '', '', ?, '', '[]', ?, ?, ?)",
                (userid, external_userid, int(time.time()), userid, ADDED_BY_MEMBER, state),
            )
        self._contact("add_external_contact", userid, external_userid, State=state,
                      WelcomeCode=secrets.token_urlsafe(24))
        return external_userid

    def scan(self, config_id: str, external_userid: str | None = None) -> tuple[str, str]:
        """A customer scans a contact way's QR code (`SandboxState.simulate_scan`)."""
        try:
            userid, external_userid = self._state.simulate_scan(config_id, external_userid)
        except KeyError as exc:
            raise PhoneError(f"没有 {exc.args[0]}。", f"No {exc.args[0]}.") from None
        except ValueError:
            raise PhoneError("这个联系我的每个成员都已有这个客户。",
                             "Every member of this contact way already has this customer.") from None
        state = self._state.relation_state(userid, external_userid)
        self._contact("add_external_contact", userid, external_userid, State=state,
                      WelcomeCode=secrets.token_urlsafe(24))
        return userid, external_userid

    def delete_customer(self, userid: str, external_userid: str) -> None:
        """The member deletes the customer: the relation and its tags are gone."""
        try:
            self._state.delete_relation(userid, external_userid)
        except KeyError:
            raise self._no_relation(userid, external_userid) from None
        self._contact("del_external_contact", userid, external_userid)

    def customer_deletes_member(self, userid: str, external_userid: str) -> None:
        """The customer deletes the member: a one-way relation stays, the API still works."""
        try:
            self._state.relation_state(userid, external_userid)
        except KeyError:
            raise self._no_relation(userid, external_userid) from None
        self._contact("del_follow_user", userid, external_userid)

    # -- the admin console's tag library (change_external_tag) ------------------------------

    def create_tag(self, group_name: str, tag_name: str) -> str:
        """A new corp tag (and its group, if new); returns the tag id."""
        if self._state.find_tag(group_name, tag_name) is not None:
            raise PhoneError(f"标签组“{group_name}”里已有“{tag_name}”。",
                             f"Group “{group_name}” already has a tag “{tag_name}”.")
        new_group = self._state.find_group(group_name) is None
        try:
            tag_id = self._state.console_add_tag(group_name, tag_name)
        except ValueError as exc:
            raise PhoneError(f"无法创建标签：{exc}", f"Cannot create the tag: {exc}") from None
        if new_group:
            group_id = self._state.find_group(group_name) or ""
            self._tag_event("create", group_id, "tag_group")
        self._tag_event("create", tag_id, "tag")
        return tag_id

    def edit_tag(self, tag_or_group_id: str, *, name: str | None = None,
                 order: int | None = None) -> None:
        """Rename or reorder a tag or a group."""
        kind = self._kind(tag_or_group_id)
        try:
            self._state.console_edit_tag(tag_or_group_id, name=name, order=order)
        except ValueError as exc:
            raise PhoneError(f"无法修改：{exc}", f"Cannot edit it: {exc}") from None
        self._tag_event("update", tag_or_group_id, kind)

    def delete_tag(self, tag_or_group_id: str) -> None:
        """Delete a tag, or a group with its tags (one event for the group only)."""
        kind = self._kind(tag_or_group_id)
        try:
            self._state.console_delete_tag(tag_or_group_id)
        except ValueError as exc:
            raise PhoneError(f"无法删除：{exc}", f"Cannot delete it: {exc}") from None
        self._tag_event("delete", tag_or_group_id, kind)

    def shuffle(self, group_id: str = "") -> None:
        """The admin re-sorts a group's tags (reversed), or with no group every group."""
        with self._state.transaction() as conn:
            if group_id:
                row = conn.execute("SELECT key FROM tag_group WHERE id = ? AND deleted = 0",
                                   (group_id,)).fetchone()
                if row is None:
                    raise PhoneError(f"没有标签组 {group_id}。", f"No tag group {group_id}.")
                _reverse_orders(conn, "tag", "group_key = ?", (row[0],))
            else:
                _reverse_orders(conn, "tag_group", "strategy_id IS NULL", ())
        self._sender.send({"Event": TAG, "ChangeType": "shuffle", "Id": group_id,
                           "StrategyId": ""})

    # -- helpers ---------------------------------------------------------------------------

    def _contact(self, change_type: str, userid: str, external_userid: str,
                 **extra: str) -> None:
        self._sender.send({"Event": CONTACT, "ChangeType": change_type, "UserID": userid,
                           "ExternalUserID": external_userid, **extra})

    def _tag_event(self, change_type: str, item_id: str, kind: str) -> None:
        self._sender.send({"Event": TAG, "ChangeType": change_type, "Id": item_id,
                           "TagType": kind, "StrategyId": ""})

    def _kind(self, tag_or_group_id: str) -> str:
        """"tag_group" or "tag", as the event's TagType; PhoneError for an unknown id."""
        with self._state.transaction() as conn:
            if conn.execute("SELECT 1 FROM tag_group WHERE id = ? AND deleted = 0",
                            (tag_or_group_id,)).fetchone():
                return "tag_group"
            if conn.execute("SELECT 1 FROM tag WHERE id = ? AND deleted = 0",
                            (tag_or_group_id,)).fetchone():
                return "tag"
        raise PhoneError(f"没有标签或标签组 {tag_or_group_id}。",
                         f"No tag or tag group {tag_or_group_id}.")

    @staticmethod
    def _no_relation(userid: str, external_userid: str) -> PhoneError:
        return PhoneError(f"{userid} 没有客户 {external_userid}。",
                          f"{userid} has no customer {external_userid}.")


def _reverse_orders(conn: sqlite3.Connection, table: str, where: str,
                    params: tuple[object, ...]) -> None:
    rows = conn.execute(
        f"SELECT key, ord FROM {table} WHERE deleted = 0 AND {where} ORDER BY ord DESC, key",
        params).fetchall()
    orders = [order for _, order in rows]
    conn.executemany(f"UPDATE {table} SET ord = ? WHERE key = ?",
                     [(order, key) for (key, _), order in zip(rows, reversed(orders), strict=True)])
