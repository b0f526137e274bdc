"""Forwarding desktops' WeCom calls through the server's one transport, journaling writes.

Every desktop's call goes through the same :class:`WeComTransport`, so one token bucket,
one sliding minute window and one concurrency cap hold for the whole team (and for the
server's own calls, such as login codes). Only the API paths TagDesk's client uses are
relayed; anything else answers WeCom's 48002 ("api forbidden").

A write is recorded in the outbox before it is sent; its answer, and for a success its
journal rows under the authenticated operator, are written in one transaction. A body
cannot choose the operator: it is always the user the session token belongs to. The
desktop's note (`write_notes`) gives the rows their batch id and source and, for a
`mark_tag`, the relation's tags before the call: the rows then carry before / after like
the desktop's own, and only tags that really changed are journaled. The relation's tags
before the call come from the server's snapshot when it has the relation (the note's
`before`, from a desktop's cache that may be behind, only when it does not). A revert's rows name
the batch they revert, and their reason says so. The tags a desktop's `mark_tag` adds with an
expiry (the note's `expiring`) are recorded like a rule run's (`expiry_records.py`).

A `mark_tag`'s outbox row is written under the relation's lock (`snapshot.lock_relation`,
which a callback's re-read of the relation holds too) and stays `sending` until its journal
rows and snapshot commit: the callback worker and the re-sync leave a relation alone while
such a row exists (`snapshot.write_in_flight`), so a phone's change read during the call
never journals the relayed write a second time. Writes to other relations do not wait. A
corp tag edit's row is written under the tag library's lock likewise, and the library's
re-reads wait for it (`snapshot.library_write_in_flight`).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from psycopg.types.json import Jsonb

from desktop.domain.bilingual import both
from desktop.server import customer_scope, expiry_records, leases, snapshot
from desktop.server.customer_scope import CustomerScope
from desktop.server.db_health import Conn, ConnectionFactory
from desktop.server.expiry_records import Expiring
from desktop.server.identity import Caller
from desktop.server.outbox_recovery import (
    MARK_TAG,
    NO_NOTE,
    REASON_KEY,
    RENAMED_KEY,
    OutboxRecovery,
    OutboxRow,
    outbox_row,
    record_settled,
)
from desktop.server.snapshot import CorpTag
from desktop.store.journal import JournalEntry
from desktop.wecom.error_codes import TEAM_CALL_UNSETTLED
from desktop.wecom.errors import WeComError, WeComNetworkError
from desktop.wecom.transport import ApiRequest, Effect, WeComTransport
from desktop.wecom.write_note import WriteNote

log = logging.getLogger("tagdesk.server")

SOURCE = "relay"
MAX_REASON_CHARS = 500
TAG_LIST = "externalcontact/get_corp_tag_list"
STRATEGY_TAG_LIST = "externalcontact/get_strategy_tag_list"
EDITS = ("externalcontact/edit_corp_tag", "externalcontact/edit_strategy_tag")
DELETES = ("externalcontact/del_corp_tag", "externalcontact/del_strategy_tag")

# The answer to a repeated call whose first sending is still under way: WeCom's "system
# busy", which a desktop retries after a backoff.
BUSY: dict[str, Any] = {"errcode": -1, "errmsg": "system busy: the same call is still being"
                        " sent, retry"}
# The answer to a write the server decided on for a relation with an unsettled mark_tag;
# the job that asked tries again at its next run.
UNSETTLED = ("该客户上一次修改标签的结果尚未确认，本次暂不修改，下次运行时重试。 / The last tag"
             " change of this customer is not confirmed yet; left for the next run.")


@dataclass(frozen=True)
class Api:
    method: str
    effect: Effect


_R = Effect.READ
API: dict[str, Api] = {
    "department/list": Api("GET", _R),
    "user/get": Api("GET", _R),
    "user/list": Api("GET", _R),
    "user/simplelist": Api("GET", _R),
    "externalcontact/get_follow_user_list": Api("GET", _R),
    "externalcontact/list": Api("GET", _R),
    "externalcontact/get": Api("GET", _R),
    "externalcontact/batch/get_by_user": Api("POST", _R),
    TAG_LIST: Api("POST", _R),
    STRATEGY_TAG_LIST: Api("POST", _R),
    "externalcontact/customer_strategy/list": Api("POST", _R),
    "externalcontact/customer_strategy/get": Api("POST", _R),
    "externalcontact/customer_strategy/get_range": Api("POST", _R),
    "externalcontact/get_contact_way": Api("POST", _R),
    "externalcontact/list_contact_way": Api("POST", _R),
    MARK_TAG: Api("POST", Effect.IDEMPOTENT_WRITE),
    "externalcontact/add_corp_tag": Api("POST", Effect.WRITE),
    "externalcontact/edit_corp_tag": Api("POST", Effect.IDEMPOTENT_WRITE),
    "externalcontact/del_corp_tag": Api("POST", Effect.IDEMPOTENT_WRITE),
    "externalcontact/add_strategy_tag": Api("POST", Effect.WRITE),
    "externalcontact/edit_strategy_tag": Api("POST", Effect.IDEMPOTENT_WRITE),
    "externalcontact/del_strategy_tag": Api("POST", Effect.IDEMPOTENT_WRITE),
    "externalcontact/customer_strategy/create": Api("POST", Effect.WRITE),
    "externalcontact/customer_strategy/edit": Api("POST", Effect.IDEMPOTENT_WRITE),
    "externalcontact/customer_strategy/del": Api("POST", Effect.IDEMPOTENT_WRITE),
    "externalcontact/add_contact_way": Api("POST", Effect.WRITE),
    "externalcontact/update_contact_way": Api("POST", Effect.IDEMPOTENT_WRITE),
    "externalcontact/del_contact_way": Api("POST", Effect.IDEMPOTENT_WRITE),
    "message/send": Api("POST", Effect.WRITE),
}


class TagNames:
    """Tag id -> (name, group name), re-read from WeCom when a write names an unknown id."""

    def __init__(self, transport: WeComTransport) -> None:
        self._transport = transport
        self._lock = threading.Lock()
        self._names: dict[str, tuple[str, str]] = {}
        self._groups: dict[str, str] = {}   # group id -> name
        self._tag_groups: dict[str, str] = {}   # tag id -> group id
        self._strategies: dict[str, int] = {}

    def rule_groups(self, tag_ids: list[str]) -> dict[str, int]:
        """Tag id -> rule group (strategy) id, for the rule-group tags among `tag_ids`."""
        self.lookup(tag_ids)
        with self._lock:
            return {t: self._strategies[t] for t in tag_ids if t in self._strategies}

    def lookup(self, tag_ids: list[str]) -> dict[str, tuple[str, str]]:
        with self._lock:
            if any(tag_id not in self._names for tag_id in tag_ids):
                self._reload()
            return {tag_id: self._names.get(tag_id, ("", "")) for tag_id in tag_ids}

    def group_name(self, group_id: str) -> str:
        """The name the group had when last read ("" when never seen)."""
        with self._lock:
            return self._groups.get(group_id, "")

    def describe(self, item_id: str) -> tuple[str, ...]:
        """("tag" or "group", its name, its group's name) as last read; () when unknown."""
        with self._lock:
            if item_id in self._groups:
                return "group", self._groups[item_id], self._groups[item_id]
            if item_id in self._names:
                return "tag", *self._names[item_id]
            return ()

    def others(self, tag_id: str) -> list[tuple[str, str]]:
        """(name, group name) of every tag known but `tag_id`."""
        with self._lock:
            return [names for other, names in self._names.items() if other != tag_id]

    def know(self, item_id: str) -> None:
        """Make sure the name of a tag or a group is known (re-read from WeCom if not)."""
        with self._lock:
            if item_id not in self._names and item_id not in self._groups:
                self._reload()

    def rename(self, item_id: str, new_name: str) -> tuple[str, str, str] | None:
        """A tag's or a group's rename remembered: ("tag" or "group", its old name, the
        group's name after it); None for an id this process does not know."""
        with self._lock:
            if item_id in self._groups:
                old = self._groups[item_id]
                self._groups[item_id] = new_name
                for tag_id, group_id in self._tag_groups.items():
                    if group_id == item_id:
                        self._names[tag_id] = (self._names[tag_id][0], new_name)
                return "group", old, new_name
            if item_id in self._names:
                old, group_name = self._names[item_id]
                self._names[item_id] = (new_name, group_name)
                return "tag", old, group_name
            return None

    def learn(self, data: Mapping[str, Any]) -> None:
        """Remember the names in a tag-list shaped answer (get_corp_tag_list, add_corp_tag)."""
        with self._lock:
            self._remember(data)

    def _reload(self) -> None:
        for path in (TAG_LIST, STRATEGY_TAG_LIST):
            try:
                data = self._transport.call(ApiRequest("POST", path, body={}))
            except (WeComError, WeComNetworkError) as exc:
                log.warning("tag names not refreshed for the team journal: %r", exc)
                return
            self._remember(data)

    def _remember(self, data: Mapping[str, Any]) -> None:
        groups = data.get("tag_group")
        for group in groups if isinstance(groups, list) else [groups]:
            if not isinstance(group, dict):
                continue
            strategy_id = group.get("strategy_id")
            group_id = str(group.get("group_id") or "")
            if group_id:
                self._groups[group_id] = str(group.get("group_name", ""))
            for tag in group.get("tag") or []:
                if isinstance(tag, dict) and tag.get("id"):
                    self._names[str(tag["id"])] = (
                        str(tag.get("name", "")), str(group.get("group_name", "")))
                    if group_id:
                        self._tag_groups[str(tag["id"])] = group_id
                    if isinstance(strategy_id, int):
                        self._strategies[str(tag["id"])] = strategy_id


Gate = Callable[[Caller, str, Mapping[str, Any]], "dict[str, Any] | None"]


class Relay:
    """Forwards calls; writes go through the outbox. `process_id` is this process's lease
    (desktop/server/leases.py): the owner of the outbox rows it sends. A write carrying a
    call key (the desktop's `X-TagDesk-Call` header, the same on every retry of one call) is
    sent at most once per key: a retry of a done call gets the stored answer, of a call still
    being sent a "busy, retry" (-1), of a call whose process died the outcome re-read from
    WeCom (desktop/server/outbox_recovery.py)."""

    def __init__(self, connection: ConnectionFactory, transport: WeComTransport,
                 process_id: int) -> None:
        self._connection = connection
        self._transport = transport
        self._process_id = process_id
        self._names = TagNames(transport)
        self._active_lock = threading.Lock()
        self._active: set[int] = set()  # outbox rows this process is sending right now
        self.recovery = OutboxRecovery(connection, transport, self.journal_entries,
                                       process_id, self._is_active, self._names.others)
        # Governance: answers a refusal for a write it does not let through, else None.
        self.gate: Gate | None = None
        # Whose customers a caller reaches (a salesperson: their own), when set.
        self.scope: CustomerScope | None = None

    def forward(
        self, caller: Caller, path: str, params: Mapping[str, str],
        body: Mapping[str, Any] | None, note: WriteNote = NO_NOTE,
        call_key: str | None = None,
    ) -> dict[str, Any]:
        """WeCom's answer to the call (errcode 0 or not); raises WeComNetworkError when
        WeCom could not be reached from the server."""
        api = API[path]
        request = ApiRequest(api.method, path, dict(params), body, api.effect)
        own = None
        if self.scope is not None and path in customer_scope.SCOPED:
            try:
                own = self.scope.own(caller)
            except WeComError as err:
                return customer_scope.unreadable(err)
            refused = None if own is None else customer_scope.refusal(own, path, params,
                                                                      body or {})
            if refused is not None:
                return refused
        if api.effect is Effect.READ:
            try:
                data = self._transport.call(request)
            except WeComError as err:
                return {"errcode": err.errcode, "errmsg": err.errmsg}
            return data if own is None else customer_scope.cut(own, path, params, data)
        refusal = self.gate(caller, path, body or {}) if self.gate is not None else None
        if refusal is not None:
            return refusal
        sent, reason = _without_reason(body or {})
        if reason:
            note = replace(note, reason=reason)
        expiring = [Expiring(tag_id, seconds, "") for tag_id, seconds in note.expiring
                    ] if path == MARK_TAG else []
        return self._write(caller, replace(request, body=sent), note, call_key, expiring)

    def write(self, caller: Caller, path: str, body: Mapping[str, Any],
              note: WriteNote = NO_NOTE, expiring: Sequence[Expiring] = ()) -> dict[str, Any]:
        """A write the server itself decided on (an approved request, a restore), past the
        gate. `expiring`: tags a mark_tag adds that run out (a rule run's `expires`),
        recorded with its journal rows for the tags the relation really gained. A mark_tag
        on a relation whose last one is unsettled is refused (`TEAM_CALL_UNSETTLED`): it was
        planned from a snapshot that does not show that call's outcome."""
        api = API[path]
        self._names.lookup(_str_list(body.get("tag_id")))  # the journal names what goes
        if path == MARK_TAG and self._unsettled(body):
            return {"errcode": TEAM_CALL_UNSETTLED, "errmsg": UNSETTLED}
        return self._write(caller, ApiRequest(api.method, path, {}, dict(body), api.effect),
                           note, None, expiring)

    def tag_names(self, tag_ids: list[str]) -> dict[str, tuple[str, str]]:
        """Tag id -> (name, group name)."""
        return self._names.lookup(tag_ids)

    def tag_rule_groups(self, tag_ids: list[str]) -> dict[str, int]:
        """Tag id -> rule group id, for the rule-group tags among `tag_ids`."""
        return self._names.rule_groups(tag_ids)

    def learn_tag_names(self, tag_list: Mapping[str, Any]) -> None:
        """Names from a fresh tag list (a callback's re-read after a console edit)."""
        self._names.learn(tag_list)

    def _write(self, caller: Caller, request: ApiRequest, note: WriteNote,
               call_key: str | None, expiring: Sequence[Expiring] = ()) -> dict[str, Any]:
        body = dict(request.body or {})
        if request.path in EDITS:
            self._names.know(str(body.get("id", "")))  # the journal names what it was
            if isinstance(body.get("name"), str):
                note = replace(note, renamed=self._names.describe(str(body.get("id", ""))))
        elif request.path in DELETES:
            for item_id in _str_list(body.get("group_id")):
                self._names.know(item_id)              # ... and what it deleted
        outbox_id, answer, note = self._open_row(caller, request.path, body, note, call_key,
                                                 expiring)
        if answer is not None:
            return answer
        assert outbox_id is not None
        try:
            return self._send(caller, request, body, note, outbox_id, expiring)
        finally:
            with self._active_lock:
                self._active.discard(outbox_id)

    def _send(self, caller: Caller, request: ApiRequest, body: dict[str, Any],
              note: WriteNote, outbox_id: int,
              expiring: Sequence[Expiring] = ()) -> dict[str, Any]:
        try:
            data = self._transport.call(request)
        except WeComError as err:
            self._finish(outbox_id, "failed", err.errcode, [])
            log.info("relay %s by %s -> errcode %d", request.path, caller.userid, err.errcode)
            return {"errcode": err.errcode, "errmsg": err.errmsg}
        except WeComNetworkError as err:
            if not err.may_have_applied:
                self._finish(outbox_id, "failed", None, [])
            log.warning("relay %s by %s: WeCom unreachable (%s); outbox row %d %s",
                        request.path, caller.userid, err.reason.value, outbox_id,
                        "outcome unknown" if err.may_have_applied else "failed")
            raise
        entries = list(self.journal_entries(caller, request.path, body, data, note))
        self._finish(outbox_id, "done", 0, entries, note, data, expiring,
                     snapshot.created_tags(request.path, data))
        log.info("relay %s by %s -> ok, %d journal rows", request.path, caller.userid,
                 len(entries))
        return data

    @staticmethod
    def _server_before(conn: Conn, body: Mapping[str, Any], note: WriteNote) -> WriteNote:
        """The note with the relation's tags as the server's snapshot has them, when it has
        the relation: a desktop's cache may be behind another desktop's or a phone's change
        (its `before` is only the fallback). Kept in the outbox row, so a recovered call is
        journaled from the same `before`."""
        had = snapshot.relation_tags(conn, *_relation(body))
        return note if had is None else replace(note, before=tuple(sorted(had)))

    def _unsettled(self, body: Mapping[str, Any]) -> bool:
        """Whether a mark_tag on the same relation is still `sending`: in flight, or its
        answer lost and not yet settled by the outbox's recovery. The server's snapshot does
        not show its outcome yet, so a change planned from the snapshot could be made (and
        journaled) twice."""
        with self._connection() as conn:
            return snapshot.write_in_flight(conn, *_relation(body))

    def _is_active(self, outbox_id: int) -> bool:
        """Whether a thread of this process is sending outbox row `outbox_id` right now."""
        with self._active_lock:
            return outbox_id in self._active

    def _open_row(self, caller: Caller, path: str, body: dict[str, Any], note: WriteNote,
                  call_key: str | None, expiring: Sequence[Expiring] = ()
                  ) -> tuple[int | None, dict[str, Any] | None, WriteNote]:
        """The outbox row to send (now marked active), or the answer to a repeated call, and
        the note to journal it with: a mark_tag's row is written under its relation's lock,
        its note's `before` read from the snapshot there; a corp tag edit's under the tag
        library's."""
        with self._connection() as conn, conn.transaction():
            if path == MARK_TAG:
                snapshot.lock_relation(conn, *_relation(body))
                note = self._server_before(conn, body, note)
            elif path in snapshot.CORP_LIBRARY_WRITES:
                snapshot.lock_library(conn)
            row = conn.execute(  # device 0: the server's own job, no device
                "INSERT INTO outbox (operator, device_id, path, body, status, owner, call_key,"
                " write_note) VALUES (%s, %s, %s, %s, 'sending', %s, %s, %s)"
                " ON CONFLICT (device_id, call_key) WHERE call_key IS NOT NULL DO NOTHING"
                " RETURNING id",
                (caller.userid, caller.device_id or None, path, Jsonb(body), self._process_id,
                 call_key, Jsonb({**note.headers(), **expiry_records.to_note(expiring),
                                  **({REASON_KEY: note.reason} if note.reason else {}),
                                  **({RENAMED_KEY: list(note.renamed)} if note.renamed
                                     else {})})),
            ).fetchone()
        if row is not None:
            with self._active_lock:
                self._active.add(int(str(row[0])))
            return int(str(row[0])), None, note
        assert call_key is not None
        return *self._repeated(caller, call_key), note

    def _repeated(self, caller: Caller,
                  call_key: str) -> tuple[int | None, dict[str, Any] | None]:
        """A repeated call key: (the row to send again, None) or (None, the answer)."""
        for _ in range(3):
            with self._connection() as conn:
                found = conn.execute(
                    "SELECT id, operator, device_id, path, body, owner, write_note, status,"
                    " answer FROM outbox WHERE device_id = %s AND call_key = %s",
                    (caller.device_id, call_key)).fetchone()
                assert found is not None
                row, status, answer = outbox_row(found[:7]), found[7], found[8]
                if status == "done":
                    log.info("relay %s by %s: repeated call, answered from outbox row %d",
                             row.path, caller.userid, row.id)
                    return None, dict(answer) if isinstance(answer, dict) else {
                        "errcode": 0, "errmsg": "ok"}
                if status == "failed":
                    if self._claim(conn, row):
                        return row.id, None
                    continue
                if row.owner == self._process_id:
                    if self._is_active(row.id):
                        return None, dict(BUSY)
                elif leases.alive(conn, row.owner):
                    return None, dict(BUSY)
            self.recovery.settle(row)
        return None, dict(BUSY)

    def _claim(self, conn: Conn, row: OutboxRow) -> bool:
        """Send a failed row again; it is marked active before anyone can see it sending
        (under the lock `_open_row` writes such a row under)."""
        outbox_id = row.id
        with self._active_lock:
            self._active.add(outbox_id)
        with conn.transaction():
            if row.path == MARK_TAG:
                snapshot.lock_relation(conn, *_relation(row.body))
            elif row.path in snapshot.CORP_LIBRARY_WRITES:
                snapshot.lock_library(conn)
            claimed = conn.execute(
                "UPDATE outbox SET status = 'sending', owner = %s, errcode = NULL,"
                " finished_at = NULL, settled_how = NULL"
                " WHERE id = %s AND status = 'failed' RETURNING id",
                (self._process_id, outbox_id)).fetchone()
        if claimed is None:
            with self._active_lock:
                self._active.discard(outbox_id)
        return claimed is not None

    def _finish(self, outbox_id: int, status: str, errcode: int | None,
                entries: list[JournalEntry], note: WriteNote = NO_NOTE,
                answer: Mapping[str, Any] | None = None,
                expiring: Sequence[Expiring] = (),
                created: Mapping[str, CorpTag] | None = None) -> None:
        """Settle the row and journal its entries in one transaction, unless another process
        already settled it (this process was taken for dead, e.g. during a database restart)."""
        with self._connection() as conn, conn.transaction():
            settled = conn.execute(
                "UPDATE outbox SET status = %s, errcode = %s, answer = %s, finished_at = now()"
                " WHERE id = %s AND status = 'sending' AND owner = %s RETURNING id",
                (status, errcode, None if answer is None else Jsonb(dict(answer)), outbox_id,
                 self._process_id),
            ).fetchone()
            if settled is None:
                log.warning("outbox row %d was settled by another server process", outbox_id)
                return
            record_settled(conn, entries, outbox_id, note, expiring, self._names.others,
                           created)

    def journal_entries(self, caller: Caller, path: str, body: Mapping[str, Any],
                        data: Mapping[str, Any], note: WriteNote) -> Iterator[JournalEntry]:
        """The team journal rows of a write WeCom applied (`data`: its answer)."""
        for entry in self._entries(caller, path, body, data, note):
            yield replace(entry, batch_id=note.batch_id or entry.batch_id,
                          reason=_reason(note) or entry.reason)

    def _entries(self, caller: Caller, path: str, body: Mapping[str, Any],
                 data: Mapping[str, Any], note: WriteNote) -> Iterator[JournalEntry]:
        operator = caller.userid
        source = note.source or SOURCE
        if path == MARK_TAG:
            change = _tag_change(body, note.before)
            names = self._names.lookup([*change.added, *change.removed])
            for action, ids in (("tag_add", change.added), ("tag_remove", change.removed)):
                for tag_id in ids:
                    name, group = names[tag_id]
                    yield JournalEntry(
                        operator=operator, action=action, source=source,
                        external_userid=str(body.get("external_userid", "")),
                        userid=str(body.get("userid", "")), tag_id=tag_id, tag_name=name,
                        group_name=group, before=change.before, after=change.after,
                    )
        elif path in ("externalcontact/add_corp_tag", "externalcontact/add_strategy_tag"):
            self._names.learn(data)
            created = data.get("tag_group")
            created = created if isinstance(created, dict) else {}
            for tag in created.get("tag") or []:
                if isinstance(tag, dict):
                    yield JournalEntry(
                        operator=operator, action="tag_create", source=source,
                        tag_id=str(tag.get("id", "")), tag_name=str(tag.get("name", "")),
                        group_name=str(created.get("group_name", "")),
                    )
        elif path in DELETES:
            names = self._names.lookup(_str_list(body.get("tag_id")))
            for tag_id, (name, group_name) in names.items():
                yield JournalEntry(operator=operator, action="tag_delete", source=source,
                                   tag_id=tag_id, tag_name=name, group_name=group_name)
            for group_id in _str_list(body.get("group_id")):
                name = self._names.group_name(group_id)
                yield JournalEntry(operator=operator, action="group_delete", source=source,
                                   tag_id=group_id, tag_name=name, group_name=name,
                                   before=_name_json(name) if name else "")
        elif path == "externalcontact/customer_strategy/create":
            name = str(body.get("strategy_name", ""))
            yield JournalEntry(
                operator=operator, action="rule_group_create", source=source,
                tag_id=str(data.get("strategy_id", "")), tag_name=name, group_name=name,
                after=json.dumps(body, ensure_ascii=False, sort_keys=True),
            )
        else:
            renamed = (self._names.rename(str(body.get("id", "")), body["name"])
                       if path in EDITS and isinstance(body.get("name"), str) else None)
            if note.renamed:    # the names as they were when the rename was sent
                kind, old, group = note.renamed
                renamed = (kind, old, body["name"] if kind == "group" else group)
            if renamed is not None:
                kind, old, group_name = renamed
                yield JournalEntry(
                    operator=operator, action=f"{kind}_rename", source=source,
                    tag_id=str(body.get("id", "")), tag_name=body["name"], group_name=group_name,
                    before=_name_json(old) if old != body["name"] else "",
                    after=_name_json(body["name"]))
                return
            yield JournalEntry(
                operator=operator, action=path, source=source,
                tag_id=str(body.get("id", "")),
                after=json.dumps(body, ensure_ascii=False, sort_keys=True),
            )


@dataclass(frozen=True)
class _TagChange:
    added: list[str]
    removed: list[str]
    before: str = ""     # JSON: the relation's tag ids before the call ("" when not known)
    after: str = ""


def _tag_change(body: Mapping[str, Any], before: tuple[str, ...] | None) -> _TagChange:
    """What a mark_tag changed: with the relation's tags before it, only the tags that
    really came or went (as the desktop journals them); without, everything it sent."""
    add, remove = _str_list(body.get("add_tag")), _str_list(body.get("remove_tag"))
    if before is None:
        return _TagChange(add, remove)
    had = set(before)
    added = sorted(set(add) - had)
    removed = sorted((set(remove) - set(add)) & had)
    after = (had - set(removed)) | set(added)
    return _TagChange(added, removed, json.dumps(sorted(had)), json.dumps(sorted(after)))


def _name_json(name: str) -> str:
    """A rename's before or after, as the desktop's own journal keeps it."""
    return json.dumps({"name": name}, ensure_ascii=False, sort_keys=True)


def _reason(note: WriteNote) -> str:
    if not note.reverts:
        return note.reason
    if note.source == "revert":
        return both(f"回滚批次 {note.reverts}", f"reverts batch {note.reverts}")
    return both(f"撤销批次 {note.reverts}", f"undoes batch {note.reverts}")


def _without_reason(body: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """A desktop's `reason` for a tree write (`tagdesk tags delete --reason`) is TagDesk's,
    not WeCom's: it goes into the team journal, not to WeCom."""
    reason = str(body.get("reason") or "").strip()[:MAX_REASON_CHARS]
    return {key: value for key, value in body.items() if key != "reason"}, reason


def _relation(body: Mapping[str, Any]) -> tuple[str, str]:
    """(userid, external_userid) of a mark_tag's body."""
    return str(body.get("userid", "")), str(body.get("external_userid", ""))


def _str_list(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []
