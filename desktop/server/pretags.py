"""Pre-tags on the team server: tags queued for someone not yet a customer, applied within
seconds of the `add_external_contact` callback that adds them.

Desktops in team mode queue, list and cancel them at `/tagdesk/v1/pretags`. When a relation
is added (for a phone number also when it is edited, since a member types the remark
mobile after adding the customer), the waiting pre-tags for its customer (external_userid), and, when any wait for a
unionid or a phone number, for the unionid and the follower's remark mobiles read from
WeCom, are applied as one `mark_tag` through the relay's outbox: journaled under source
`pretag`, batch `pretag-DAY`, operator: who queued the first of them. They are then spent
(status `applied`, with the batch); past their expiry they are `expired`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from desktop.domain.arrivals import BY_EXTERNAL_USERID, BY_PHONE, BY_UNIONID, normal_phone
from desktop.server.callbacks import CallbackEvent
from desktop.server.db_health import ConnectionFactory
from desktop.server.identity import Caller
from desktop.server.livecode_tags import ADDED
from desktop.server.outbox_recovery import MARK_TAG
from desktop.server.relay import Relay
from desktop.server.request_refused import RequestRefused
from desktop.server.wecom_reads import read_relation
from desktop.wecom.errors import WeComError, WeComNetworkError
from desktop.wecom.transport import WeComTransport
from desktop.wecom.write_note import WriteNote

log = logging.getLogger("tagdesk.server.pretags")

SOURCE = "pretag"
KINDS = (BY_EXTERNAL_USERID, BY_PHONE, BY_UNIONID)
EDITED = "edit_external_contact"   # a member typed a remark mobile after adding the customer
MAX_TAGS = 100
MAX_KEY = 128
MAX_DAYS = 3650
_COLUMNS = ("id, kind, match_key, tag_ids, created_by, extract(epoch FROM created_at),"
            " extract(epoch FROM expires_at), status, extract(epoch FROM closed_at), batch_id")


class PretagRefused(RequestRefused):
    def __init__(self, errmsg: str, errcode: int = 40058) -> None:
        super().__init__(errcode, errmsg)


class Pretags:
    def __init__(self, connection: ConnectionFactory, relay: Relay,
                 transport: WeComTransport) -> None:
        self._connection = connection
        self._relay = relay
        self._transport = transport

    def answer(self, caller: Caller, method: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """GET: every pre-tag. POST `{"add": [{"kind", "key", "tag_ids", "expires_days"}]}`
        queues them (all or none), `{"cancel": ID}` cancels a waiting one."""
        added: list[int] = []
        with self._connection() as conn, conn.transaction():
            self._expire(conn)
            if method == "POST" and "cancel" in body:
                self._cancel(conn, body.get("cancel"))
            elif method == "POST":
                added = [self._add(conn, caller, item) for item in _items(body.get("add"))]
            rows = conn.execute(f"SELECT {_COLUMNS} FROM pretag ORDER BY id").fetchall()
        return {"errcode": 0, "errmsg": "ok", "added": added, "pretags": [
            {"id": r[0], "kind": r[1], "key": r[2], "tag_ids": _texts(r[3]), "created_by": r[4],
             "created_at": _seconds(r[5]), "expires_at": _seconds(r[6]), "status": r[7],
             "closed_at": _seconds(r[8]), "batch_id": r[9]} for r in rows]}

    def _add(self, conn: Any, caller: Caller, item: Mapping[str, Any]) -> int:
        kind, key = item.get("kind"), item.get("key")
        if kind not in KINDS or not isinstance(key, str) or not key or len(key) > MAX_KEY:
            raise PretagRefused(f"kind must be one of {', '.join(KINDS)} and key 1 to"
                                f" {MAX_KEY} characters")
        if kind == BY_PHONE and normal_phone(key) != key:
            raise PretagRefused("a phone key is digits only (a mainland mobile without +86)")
        tag_ids = item.get("tag_ids")
        if not isinstance(tag_ids, list) or not 0 < len(tag_ids) <= MAX_TAGS or not all(
                isinstance(t, str) and t for t in tag_ids):
            raise PretagRefused(f"tag_ids must be a list of 1 to {MAX_TAGS} tag ids")
        days = item.get("expires_days")
        if not isinstance(days, int) or not 0 < days <= MAX_DAYS:
            raise PretagRefused(f"expires_days must be a whole number from 1 to {MAX_DAYS}")
        row = conn.execute(
            "INSERT INTO pretag (kind, match_key, tag_ids, created_by, created_device,"
            " expires_at) VALUES (%s, %s, %s, %s, %s, now() + make_interval(days => %s))"
            " RETURNING id", (kind, key, list(dict.fromkeys(tag_ids)), caller.userid,
                              caller.device_id, days)).fetchone()
        return int(row[0])

    def _cancel(self, conn: Any, value: object) -> None:
        if not isinstance(value, int):
            raise PretagRefused("cancel takes a pre-tag id")
        found = conn.execute("SELECT status FROM pretag WHERE id = %s", (value,)).fetchone()
        if found is None:
            raise PretagRefused(f"no pre-tag with id {value}", 40068)
        if found[0] != "pending":
            raise PretagRefused(f"pre-tag {value} is already {found[0]}")
        conn.execute("UPDATE pretag SET status = 'cancelled', closed_at = now() WHERE id = %s",
                     (value,))

    @staticmethod
    def _expire(conn: Any) -> None:
        conn.execute("UPDATE pretag SET status = 'expired', closed_at = now()"
                     " WHERE status = 'pending' AND expires_at <= now()")

    def apply(self, event: CallbackEvent) -> int:
        """Tag a relation just added with its person's waiting pre-tags (a relation edited:
        with those waiting for a phone number now in its remark); returns how many pre-tags
        it spent."""
        added = event.change_type in ADDED
        if not added and event.change_type != EDITED:
            return 0
        with self._connection() as conn, conn.transaction():
            self._expire(conn)
            waiting = conn.execute(
                "SELECT id, kind, match_key, tag_ids, created_by, created_device FROM pretag"
                " WHERE status = 'pending' AND (kind <> 'external_userid' OR match_key = %s)"
                " AND (%s OR kind = 'phone') ORDER BY id",
                (event.external_userid, added)).fetchall()
        if not waiting:
            return 0
        keys = {(BY_EXTERNAL_USERID, event.external_userid)}
        if any(row[1] != BY_EXTERNAL_USERID for row in waiting):
            keys |= self._person(event)
        hits = [row for row in waiting if (row[1], row[2]) in keys]
        if not hits:
            return 0
        tag_ids = list(dict.fromkeys(str(t) for row in hits for t in _texts(row[3])))
        note = WriteNote(batch_id=f"pretag-{time.strftime('%Y%m%d')}", source=SOURCE)
        caller = Caller(str(hits[0][4]), int(str(hits[0][5])))
        try:
            answer = self._relay.write(caller, MARK_TAG, {
                "userid": event.userid, "external_userid": event.external_userid,
                "add_tag": tag_ids}, note)
        except WeComNetworkError as err:
            answer = {"errcode": -1, "errmsg": err.reason.value}
        if answer.get("errcode"):
            log.warning("pre-tags for %s: mark_tag refused (errcode %s)",
                        event.external_userid, answer.get("errcode"))
            return 0
        with self._connection() as conn:
            conn.execute("UPDATE pretag SET status = 'applied', closed_at = now(), batch_id = %s"
                         " WHERE id = ANY(%s) AND status = 'pending'",
                         (note.batch_id, [int(str(row[0])) for row in hits]))
        log.info("pre-tags %s applied to %s/%s", [row[0] for row in hits], event.userid,
                 event.external_userid)
        return len(hits)

    def _person(self, event: CallbackEvent) -> set[tuple[str, str]]:
        """The unionid and remark mobiles WeCom has for the new relation."""
        try:
            read = read_relation(self._transport, event.userid, event.external_userid)
        except WeComError:
            return set()
        if read is None:
            return set()
        found = {(BY_PHONE, normal_phone(m)) for m in read.mobiles} - {(BY_PHONE, "")}
        return found | ({(BY_UNIONID, read.unionid)} if read.unionid else set())


def _items(value: object) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        raise PretagRefused("add takes a list of pre-tags")
    return value


def _texts(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _seconds(value: object) -> float | None:
    return None if value is None else round(float(str(value)), 3)
