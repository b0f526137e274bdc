"""Live codes' tags on the team server: `state -> tags`, applied within seconds of the
`add_external_contact` callback that carries the State.

Desktops set and read the tags at `/tagdesk/v1/livecodes` (the contact way itself is made
through the relay, like any WeCom call). When the callback worker has re-read a relation
added through a code that has tags, `apply` tags it with one `mark_tag` through the relay's
outbox: journaled under source `livecode`, the batch `livecode-DAY-STATE`, and the operator
who gave the code its tags. A row per relation tagged makes a re-delivered event tag nothing
twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from desktop.server import snapshot
from desktop.server.callbacks import CallbackEvent
from desktop.server.db_health import ConnectionFactory
from desktop.server.identity import Caller
from desktop.server.outbox_recovery import MARK_TAG
from desktop.server.relay import Relay
from desktop.server.request_refused import RequestRefused
from desktop.wecom.errors import WeComNetworkError
from desktop.wecom.write_note import WriteNote

log = logging.getLogger("tagdesk.server.livecodes")

SOURCE = "livecode"
ADDED = ("add_external_contact", "add_half_external_contact")
MAX_STATE = 30
MAX_TAGS = 100


class LiveCodeRefused(RequestRefused):
    def __init__(self, errmsg: str, errcode: int = 40058) -> None:
        super().__init__(errcode, errmsg)


class LiveCodeTags:
    def __init__(self, connection: ConnectionFactory, relay: Relay) -> None:
        self._connection = connection
        self._relay = relay

    def answer(self, caller: Caller, method: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """GET: every code's tags. POST `{"state", "config_id", "tag_ids"}`: set them (an
        empty list forgets the code), `{"state", "renamed_to"}` moves them to a new state."""
        if method == "POST":
            self._write(caller, body)
        with self._connection() as conn:
            rows = conn.execute(
                "SELECT l.state, l.config_id, l.tag_ids, l.set_by, (SELECT count(*) FROM"
                " livecode_hit h WHERE h.state = l.state) FROM livecode_tag l ORDER BY state"
            ).fetchall()
        return {"errcode": 0, "errmsg": "ok", "livecodes": [
            {"state": r[0], "config_id": r[1], "tag_ids": _texts(r[2]),
             "set_by": r[3], "relations_tagged": r[4]} for r in rows]}

    def _write(self, caller: Caller, body: Mapping[str, Any]) -> None:
        state = _state(body.get("state"), "state")
        with self._connection() as conn, conn.transaction():
            if "renamed_to" in body:
                conn.execute("UPDATE livecode_tag SET state = %s, set_by = %s, set_device = %s,"
                             " set_at = now() WHERE state = %s",
                             (_state(body.get("renamed_to"), "renamed_to"), caller.userid,
                              caller.device_id, state))
                return
            tag_ids = body.get("tag_ids")
            if not isinstance(tag_ids, list) or len(tag_ids) > MAX_TAGS or not all(
                    isinstance(t, str) and t for t in tag_ids):
                raise LiveCodeRefused(f"tag_ids must be a list of at most {MAX_TAGS} tag ids")
            if not tag_ids:
                conn.execute("DELETE FROM livecode_tag WHERE state = %s", (state,))
                return
            conn.execute(
                "INSERT INTO livecode_tag (state, config_id, tag_ids, set_by, set_device)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (state) DO UPDATE SET"
                " config_id = excluded.config_id, tag_ids = excluded.tag_ids,"
                " set_by = excluded.set_by, set_device = excluded.set_device, set_at = now()",
                (state, str(body.get("config_id") or ""), list(dict.fromkeys(tag_ids)),
                 caller.userid, caller.device_id))
        log.info("live code %s: tags set by %s", state, caller.userid)

    def apply(self, event: CallbackEvent) -> int:
        """Tag a relation a live code with tags brought; returns the tags added (0 when the
        code has none, or the relation was tagged for it before)."""
        if event.change_type not in ADDED or not event.state:
            return 0
        with self._connection() as conn, conn.transaction():
            found = conn.execute(
                "SELECT tag_ids, set_by, set_device FROM livecode_tag WHERE state = %s",
                (event.state,)).fetchone()
            if found is None:
                return 0
            fresh = conn.execute(
                "INSERT INTO livecode_hit (state, userid, external_userid) VALUES (%s, %s, %s)"
                " ON CONFLICT DO NOTHING RETURNING state",
                (event.state, event.userid, event.external_userid)).fetchone()
            before = snapshot.relation_tags(conn, event.userid, event.external_userid)
        if fresh is None:
            return 0
        tag_ids = [str(t) for t in _texts(found[0])]
        day = time.strftime("%Y%m%d")
        note = WriteNote(batch_id=f"livecode-{day}-{event.state}", source=SOURCE,
                         before=None if before is None else tuple(sorted(before)))
        caller = Caller(str(found[1]), int(str(found[2])))
        try:
            answer = self._relay.write(caller, MARK_TAG, {
                "userid": event.userid, "external_userid": event.external_userid,
                "add_tag": tag_ids}, note)
        except WeComNetworkError as err:
            answer = {"errcode": -1, "errmsg": err.reason.value}
        if answer.get("errcode"):
            with self._connection() as conn:
                conn.execute("DELETE FROM livecode_hit WHERE state = %s AND userid = %s AND"
                             " external_userid = %s",
                             (event.state, event.userid, event.external_userid))
            log.warning("live code %s: mark_tag refused (errcode %s)", event.state,
                        answer.get("errcode"))
            return 0
        log.info("live code %s tagged %s/%s", event.state, event.userid, event.external_userid)
        return len(tag_ids)


def _texts(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _state(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > MAX_STATE:
        raise LiveCodeRefused(f"{what} must be 1 to {MAX_STATE} characters")
    return value.strip()
